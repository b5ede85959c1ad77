import type { Shopper } from '../../src/modules/catalog/index.ts';

/** A shopper in the US marketplace near Alexandria, VA, with no business (no buying policies). */
export const US_SHOPPER: Shopper = {
  region: 'US',
  locale: 'en_US',
  destination: { market: 'US', timeZone: 'America/New_York', postalCode: '22301' },
  quantity: 1,
  policies: [],
  businessId: null,
};

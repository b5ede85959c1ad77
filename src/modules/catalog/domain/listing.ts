import { isPurchasable, selectFeaturedOffer } from './buy-box.ts';
import type { Merchant, OfferRecord, ProductRecord } from './model.ts';
import { shipsFree } from './offer-filters.ts';
import { unitPriceFor } from './pricing.ts';

/** A product's standing in one marketplace: what search filters and sorts on. */
export interface Listing {
  asin: string;
  region: string;
  featured_offer_id: string | null;
  /** Featured offer's unit price for quantity 1; null without a featured offer. */
  price_minor: number | null;
  in_stock: number;
  prime: number;
  free_shipping: number;
  /** Featured offer's minimum delivery days; null without a featured offer. */
  ship_min_days: number | null;
  offer_count: number;
}

/** One listing per marketplace the product has offers in, with the quantity-1 featured offer. */
export function listingsOf(product: Pick<ProductRecord, 'asin' | 'offers'>, merchants: ReadonlyMap<string, Merchant>): Listing[] {
  const byRegion = new Map<string, OfferRecord[]>();
  for (const o of product.offers) byRegion.set(o.region, [...(byRegion.get(o.region) ?? []), o]);
  return [...byRegion.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([region, offers]) => {
      const featured = selectFeaturedOffer(offers.map((offer) => ({ offer, merchant: merchants.get(offer.merchantId) })))?.offer ?? null;
      return {
        asin: product.asin,
        region,
        featured_offer_id: featured?.offerId ?? null,
        price_minor: featured ? unitPriceFor(featured, 1).minor : null,
        in_stock: offers.some((o) => isPurchasable(o)) ? 1 : 0,
        prime: featured?.prime ? 1 : 0,
        free_shipping: featured && shipsFree(featured) ? 1 : 0,
        ship_min_days: featured?.shipping.minDays ?? null,
        offer_count: offers.length,
      };
    });
}

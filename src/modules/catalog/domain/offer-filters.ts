import type { Condition, Merchant, OfferRecord } from './model.ts';
import { shippingCostFor, unitPriceFor } from './pricing.ts';

/**
 * Offer filters of searchOffersRequest (`filterIds`) and the filterGroups that advertise them.
 * Conditions combine with OR, seller credentials combine with OR, every other filter must hold.
 * `PRIME` is accepted as an alias of `PRIME_ELIGIBLE` (the model's sandbox example uses it).
 */

export interface OfferEntry {
  offer: OfferRecord;
  merchant: Merchant | undefined;
}

export interface OfferFilterSet {
  prime: boolean;
  freeShipping: boolean;
  quantityDiscounts: boolean;
  conditions: Condition[];
  certificates: string[];
}

const CONDITIONS: Record<string, string> = { NEW: 'New', USED: 'Used', REFURBISHED: 'Renewed', COLLECTIBLE: 'Collectible' };
const CERTIFICATE_PREFIX = 'MYC_';

export const emptyOfferFilters = (): OfferFilterSet => ({ prime: false, freeShipping: false, quantityDiscounts: false, conditions: [], certificates: [] });

/** The filter set of `filterIds`, or the first id that is not a known filter. */
export function parseOfferFilters(ids: readonly string[]): { filters: OfferFilterSet } | { invalid: string } {
  const f = emptyOfferFilters();
  for (const raw of ids) {
    const id = raw.toUpperCase();
    if (id === 'PRIME' || id === 'PRIME_ELIGIBLE') f.prime = true;
    else if (id === 'FREE_SHIPPING') f.freeShipping = true;
    else if (id === 'QUANTITY_DISCOUNTS') f.quantityDiscounts = true;
    else if (id in CONDITIONS) f.conditions.push(id as Condition);
    else if (id.startsWith(CERTIFICATE_PREFIX)) f.certificates.push(id);
    else return { invalid: raw };
  }
  return { filters: f };
}

export function shipsFree(offer: OfferRecord, quantity = 1): boolean {
  return shippingCostFor(offer, unitPriceFor(offer, quantity).minor, quantity) === 0;
}

const hasQuantityDiscount = (o: OfferRecord): boolean => (o.quantityTiers ?? []).some((t) => t.minQuantity > 1);

export function matchesOfferFilters(e: OfferEntry, f: OfferFilterSet, quantity = 1): boolean {
  if (f.prime && !e.offer.prime) return false;
  if (f.freeShipping && !shipsFree(e.offer, quantity)) return false;
  if (f.quantityDiscounts && !hasQuantityDiscount(e.offer)) return false;
  if (f.conditions.length > 0 && !f.conditions.includes(e.offer.condition)) return false;
  if (f.certificates.length > 0 && !(e.merchant?.certificates ?? []).some((c) => f.certificates.includes(c.id))) return false;
  return true;
}

export interface FilterGroup {
  displayName: string;
  filters: { id: string; displayName: string }[];
}

/** The filter groups relevant to these offers: a filter is listed only when some offer matches it. */
export function offerFilterGroups(entries: readonly OfferEntry[], quantity = 1): FilterGroup[] {
  const groups: FilterGroup[] = [];
  const delivery: FilterGroup['filters'] = [];
  if (entries.some((e) => e.offer.prime)) delivery.push({ id: 'PRIME_ELIGIBLE', displayName: 'Prime' });
  if (entries.some((e) => shipsFree(e.offer, quantity))) delivery.push({ id: 'FREE_SHIPPING', displayName: 'Free delivery' });
  if (delivery.length) groups.push({ displayName: 'Delivery', filters: delivery });
  if (entries.some((e) => hasQuantityDiscount(e.offer))) {
    groups.push({ displayName: 'Business Discounts', filters: [{ id: 'QUANTITY_DISCOUNTS', displayName: 'Quantity discounts' }] });
  }
  const certs = new Map<string, string>();
  for (const e of entries) for (const c of e.merchant?.certificates ?? []) if (c.id.startsWith(CERTIFICATE_PREFIX)) certs.set(c.id, c.name);
  if (certs.size) {
    const filters = [...certs].sort(([a], [b]) => (a < b ? -1 : 1)).map(([id, name]) => ({ id, displayName: `Seller Credentials - ${name}` }));
    groups.push({ displayName: 'Seller details', filters });
  }
  const conditions = Object.keys(CONDITIONS).filter((c) => entries.some((e) => e.offer.condition === c));
  if (conditions.length) groups.push({ displayName: 'Condition', filters: conditions.map((id) => ({ id, displayName: CONDITIONS[id] as string })) });
  return groups;
}

import type { OfferRecord } from './model.ts';

/** Business prices, quantity tiers and tax-exclusive amounts of an offer. */

export interface UnitPrice {
  /** Unit price for the quantity, minor units. */
  minor: number;
  /** True when a business price or a quantity tier set it (priceType BUSINESS). */
  business: boolean;
}

type Priced = Pick<OfferRecord, 'price' | 'businessPrice' | 'quantityTiers'>;

const sortedTiers = (offer: Priced) => [...(offer.quantityTiers ?? [])].sort((a, b) => a.minQuantity - b.minQuantity);

/** The unit price a business buyer pays for `quantity` units: the lowest of standard, business and reached tier. */
export function unitPriceFor(offer: Priced, quantity = 1): UnitPrice {
  let minor = offer.price;
  let business = false;
  if (offer.businessPrice !== undefined && offer.businessPrice < minor) {
    minor = offer.businessPrice;
    business = true;
  }
  for (const tier of sortedTiers(offer)) {
    if (tier.minQuantity <= quantity && tier.price < minor) {
      minor = tier.price;
      business = true;
    }
  }
  return { minor, business };
}

export interface PriceBand {
  minQuantity: number;
  /** Last quantity of the band; null for the open-ended last band. */
  maxQuantity: number | null;
  unitMinor: number;
  /** Whole percent saved against the quantity-1 unit price. */
  savingPercent: number;
}

/** The quantity bands of an offer with tiers ("1-4", "5-9", "10+"); empty when it has no tiers. */
export function priceBands(offer: Priced): PriceBand[] {
  const tiers = sortedTiers(offer).filter((t) => t.minQuantity > 1);
  if (tiers.length === 0) return [];
  const base = unitPriceFor(offer, 1).minor;
  const starts = [1, ...tiers.map((t) => t.minQuantity)];
  return starts.map((start, i) => {
    const next = starts[i + 1];
    const unit = unitPriceFor(offer, start).minor;
    return {
      minQuantity: start,
      maxQuantity: next === undefined ? null : next - 1,
      unitMinor: unit,
      savingPercent: base > 0 ? Math.round(((base - unit) / base) * 100) : 0,
    };
  });
}

/** A shelf price without the tax it includes (VAT markets); unchanged where the rate is 0. */
export function taxExclusiveMinor(minor: number, includedTaxRate: number): number {
  return includedTaxRate > 0 ? Math.round(minor / (1 + includedTaxRate)) : minor;
}

/** Shipping charged for an order of `quantity` units at a unit price (free over the threshold). */
export function shippingCostFor(offer: Pick<OfferRecord, 'shipping'>, unitMinor: number, quantity: number): number {
  const threshold = offer.shipping.freeOver;
  if (threshold !== undefined && unitMinor * quantity >= threshold) return 0;
  return offer.shipping.cost;
}

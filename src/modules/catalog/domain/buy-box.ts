import type { Merchant, OfferRecord } from './model.ts';
import { shippingCostFor, unitPriceFor } from './pricing.ts';

/**
 * The featured offer ("buy box") of a product in one marketplace. The rule, in order:
 *
 * 1. Eligible offers: in stock for the quantity, quantity within the offer's limits, and a
 *    merchant with a mean feedback rating of at least MIN_FEATURED_RATING.
 * 2. If any eligible offer is NEW, only NEW offers compete.
 * 3. Lowest landed cost wins: unit price for the quantity times the quantity plus shipping, where
 *    offers not fulfilled by Amazon carry a MERCHANT_FULFILLED_HANDICAP (3 %) surcharge.
 * 4. Ties: faster delivery (minimum days), then higher merchant rating, then the smaller offerId.
 * No eligible offer means no featured offer.
 */

export const MIN_FEATURED_RATING = 3.5;
export const MERCHANT_FULFILLED_HANDICAP = 1.03;

export interface BuyBoxEntry {
  offer: OfferRecord;
  merchant: Merchant | undefined;
}

/** True when the offer can be bought in that quantity at all (stock and quantity limits). */
export function isPurchasable(offer: OfferRecord, quantity = 1): boolean {
  const min = offer.minQuantity ?? 1;
  const max = offer.maxQuantity ?? Number.MAX_SAFE_INTEGER;
  return offer.stock >= Math.max(quantity, min) && quantity <= max;
}

/** Landed cost of `quantity` units with the fulfillment handicap applied (the buy-box score). */
export function buyBoxScore(offer: OfferRecord, quantity = 1): number {
  const unit = unitPriceFor(offer, quantity).minor;
  const landed = unit * quantity + shippingCostFor(offer, unit, quantity);
  return offer.fulfillment === 'AMAZON_FULFILLMENT' ? landed : landed * MERCHANT_FULFILLED_HANDICAP;
}

/** The winning entry, or null when no offer is eligible. */
export function selectFeaturedOffer<E extends BuyBoxEntry>(entries: readonly E[], quantity = 1): E | null {
  const eligible = entries.filter(
    (e) => e.merchant !== undefined && e.merchant.meanFeedbackRating >= MIN_FEATURED_RATING && isPurchasable(e.offer, quantity),
  );
  const pool = eligible.some((e) => e.offer.condition === 'NEW') ? eligible.filter((e) => e.offer.condition === 'NEW') : eligible;
  let best: E | null = null;
  let bestScore = Infinity;
  for (const e of pool) {
    const score = buyBoxScore(e.offer, quantity);
    if (best === null || score < bestScore || (score === bestScore && compareTies(e, best) < 0)) {
      best = e;
      bestScore = score;
    }
  }
  return best;
}

function compareTies(a: BuyBoxEntry, b: BuyBoxEntry): number {
  return (
    a.offer.shipping.minDays - b.offer.shipping.minDays ||
    (b.merchant?.meanFeedbackRating ?? 0) - (a.merchant?.meanFeedbackRating ?? 0) ||
    (a.offer.offerId < b.offer.offerId ? -1 : a.offer.offerId > b.offer.offerId ? 1 : 0)
  );
}

/** Offers in display order: the featured one first, then by buy-box score, then offerId. */
export function rankOffers<E extends BuyBoxEntry>(entries: readonly E[], featured: E | null, quantity = 1): E[] {
  return [...entries].sort((a, b) => {
    if (a === featured) return -1;
    if (b === featured) return 1;
    return buyBoxScore(a.offer, quantity) - buyBoxScore(b.offer, quantity) || (a.offer.offerId < b.offer.offerId ? -1 : 1);
  });
}

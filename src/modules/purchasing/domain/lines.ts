/**
 * How one requested line of an order is decided: which quantity is accepted at which price, which
 * is rejected and why, and whether it makes the order wait for approval. Pure: the offer arrives
 * already evaluated for the buyer (prices, delivery window, guidance), and prices for another
 * quantity come from the `priceFor` the caller hands in.
 */

/** Where a charge comes from, as the Ordering model names it. */
export type ChargeSource = 'SUBTOTAL' | 'SHIPPING' | 'TAX';

/** A rejection artifact of the Ordering model, in domain terms (amounts in minor units). */
export type Rejection =
  | { readonly type: 'UnavailableQuantity'; readonly quantity: number }
  | { readonly type: 'AvailableQuantity'; readonly quantity: number }
  | { readonly type: 'RejectionCode'; readonly code: string }
  | { readonly type: 'RejectionMessage'; readonly message: string }
  | { readonly type: 'AgeRestriction'; readonly minimumAge: number }
  | { readonly type: 'BrokenUnitPriceExpectation'; readonly boundaryMinor: number; readonly actualMinor: number }
  | {
      readonly type: 'BrokenChargeExpectation';
      readonly boundaryMinor: number;
      readonly actualMinor: number;
      readonly sources: readonly ChargeSource[];
    };

/** A rejected portion of a line: a quantity and the artifacts that say why. */
export interface RejectedPortion {
  readonly quantity: number;
  readonly artifacts: readonly Rejection[];
}

/** The price of a quantity of an offer: unit price, and the shipping and tax charged for the whole quantity. */
export interface LinePrice {
  readonly unitMinor: number;
  readonly subtotalMinor: number;
  readonly shippingMinor: number;
  readonly taxMinor: number;
}

/** An offer as the buyer would order it. */
export interface OfferFacts {
  readonly offerId: string;
  readonly asin: string;
  readonly title: string;
  readonly merchantId: string;
  readonly stock: number;
  readonly minQuantity: number | null;
  readonly maxQuantity: number | null;
  readonly restrictions: readonly { readonly type: string; readonly title: string }[];
  /** The business's guided-buying decision for the product. */
  readonly guidance: 'PREFERRED' | 'RESTRICTED' | 'BLOCKED' | 'NONE' | 'UNKNOWN';
  /** The policy that decided it, for messages ("category: OFFICE_PRODUCTS"). */
  readonly guidanceRule: string | null;
  /** The delivery window for this line (ISO date-times with offset). */
  readonly deliveryFrom: string;
  readonly deliveryTo: string;
  /** The price of `quantity` units (quantity tiers, free-shipping thresholds and tax applied). */
  priceFor(quantity: number): LinePrice;
}

/** Why no offer could be found for a line. */
export type OfferMiss =
  | { readonly miss: 'product-not-found'; readonly asin: string }
  | { readonly miss: 'offer-not-found'; readonly offerId: string }
  | { readonly miss: 'no-buying-option'; readonly asin: string }
  | { readonly miss: 'offer-product-mismatch'; readonly asin: string; readonly offerId: string };

/** What the buyer asked of one line, expectations already inherited from the order level. */
export interface LineAsk {
  readonly quantity: number;
  readonly expectedUnitMinor: number | null;
  readonly expectedCharges: readonly { readonly source: ChargeSource; readonly boundaryMinor: number }[];
}

/** The decision on one line. */
export interface LineDecision {
  readonly accepted: number;
  /** Price of the accepted quantity (zeros when nothing is accepted). */
  readonly price: LinePrice;
  readonly rejected: readonly RejectedPortion[];
  /** Set when the line makes the order wait for an administrator's approval. */
  readonly approvalReason: string | null;
}

const NONE: LinePrice = { unitMinor: 0, subtotalMinor: 0, shippingMinor: 0, taxMinor: 0 };

const reject = (quantity: number, code: string, message: string, ...more: Rejection[]): RejectedPortion => ({
  quantity,
  artifacts: [...more, { type: 'RejectionCode', code }, { type: 'RejectionMessage', message }],
});

const all = (portion: RejectedPortion): LineDecision => ({ accepted: 0, price: NONE, rejected: [portion], approvalReason: null });

/** The minimum age of an age-restricted offer (its restriction's title names it, e.g. "Must be 21 or over"), or null. */
export function minimumAgeOf(restrictions: OfferFacts['restrictions']): number | null {
  for (const r of restrictions) {
    if (!/age/i.test(r.type)) continue;
    const n = /(\d{2})/.exec(r.title);
    return n ? Number(n[1]) : 18;
  }
  return null;
}

const MISS_MESSAGES: Record<OfferMiss['miss'], (m: OfferMiss) => [string, string]> = {
  'product-not-found': (m) => ['PRODUCT_NOT_FOUND', `No product ${'asin' in m ? m.asin : ''} is sold in this store.`],
  'offer-not-found': (m) => [
    'BUYING_OPTION_NOT_FOUND',
    `The buying option ${'offerId' in m ? m.offerId : ''} is not offered in this store.`,
  ],
  'no-buying-option': (m) => ['NO_BUYING_OPTION', `Product ${'asin' in m ? m.asin : ''} has no offer that can be bought now.`],
  'offer-product-mismatch': (m) => [
    'PRODUCT_MISMATCH',
    `The buying option ${'offerId' in m ? m.offerId : ''} is not an offer of product ${'asin' in m ? m.asin : ''}.`,
  ],
};

/**
 * Decides a line. Order of the rules: an offer must exist; a BLOCKED buying policy, an age
 * restriction or a minimum quantity reject the whole line; the offer's maximum quantity and its
 * stock cut the accepted quantity; the buyer's price and charge expectations reject what they
 * break; a RESTRICTED policy accepts the line but makes the order wait for approval.
 */
export function decideLine(offer: OfferFacts | OfferMiss, ask: LineAsk): LineDecision {
  const q = ask.quantity;
  if ('miss' in offer) {
    const [code, message] = MISS_MESSAGES[offer.miss](offer);
    return all(reject(q, code, message));
  }
  if (offer.guidance === 'BLOCKED')
    return all(
      reject(
        q,
        'BLOCKED_BY_BUYING_POLICY',
        `Your organization has blocked the purchase of this product (${offer.guidanceRule ?? 'policy'}).`,
      ),
    );
  const age = minimumAgeOf(offer.restrictions);
  if (age !== null)
    return all(
      reject(q, 'AGE_RESTRICTED', `This product is age-restricted (${age}+); it cannot be ordered through the API.`, {
        type: 'AgeRestriction',
        minimumAge: age,
      }),
    );
  const min = offer.minQuantity ?? 1;
  if (q < min) return all(reject(q, 'BELOW_MINIMUM_QUANTITY', `The seller sells this offer in quantities of at least ${min}.`));

  const rejected: RejectedPortion[] = [];
  const allowed = offer.maxQuantity !== null ? Math.min(q, offer.maxQuantity) : q;
  if (allowed < q)
    rejected.push(
      reject(q - allowed, 'QUANTITY_LIMIT_EXCEEDED', `At most ${allowed} can be ordered of this offer at once.`, {
        type: 'AvailableQuantity',
        quantity: allowed,
      }),
    );
  const inStock = Math.max(0, Math.min(allowed, offer.stock));
  if (inStock < allowed)
    rejected.push(
      reject(allowed - inStock, 'INSUFFICIENT_STOCK', `Only ${inStock} in stock.`, {
        type: 'UnavailableQuantity',
        quantity: allowed - inStock,
      }),
    );
  if (inStock === 0 || inStock < min) {
    if (inStock > 0)
      rejected.push(reject(inStock, 'BELOW_MINIMUM_QUANTITY', `The seller sells this offer in quantities of at least ${min}.`));
    return { accepted: 0, price: NONE, rejected, approvalReason: null };
  }

  const price = offer.priceFor(inStock);
  if (ask.expectedUnitMinor !== null && price.unitMinor > ask.expectedUnitMinor)
    return {
      accepted: 0,
      price: NONE,
      rejected: [
        ...rejected,
        reject(inStock, 'BROKEN_UNIT_PRICE_EXPECTATION', 'The unit price is above the expected unit price.', {
          type: 'BrokenUnitPriceExpectation',
          boundaryMinor: ask.expectedUnitMinor,
          actualMinor: price.unitMinor,
        }),
      ],
      approvalReason: null,
    };
  for (const e of ask.expectedCharges) {
    const actual = e.source === 'SUBTOTAL' ? price.subtotalMinor : e.source === 'SHIPPING' ? price.shippingMinor : price.taxMinor;
    if (actual > e.boundaryMinor)
      return {
        accepted: 0,
        price: NONE,
        rejected: [
          ...rejected,
          reject(inStock, 'BROKEN_CHARGE_EXPECTATION', `The ${e.source.toLowerCase()} charge is above the expected charge.`, {
            type: 'BrokenChargeExpectation',
            boundaryMinor: e.boundaryMinor,
            actualMinor: actual,
            sources: [e.source],
          }),
        ],
        approvalReason: null,
      };
  }
  const approvalReason =
    offer.guidance === 'RESTRICTED' ? `${offer.asin} is restricted by a buying policy (${offer.guidanceRule ?? 'policy'})` : null;
  return { accepted: inStock, price, rejected, approvalReason };
}

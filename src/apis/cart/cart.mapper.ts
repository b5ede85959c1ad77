import type { CartChange, CartRecord, CartRejection, Estimate, PricedItem } from '../../modules/carts/index.ts';
import { marketFacts, toAmount } from '../../modules/catalog/index.ts';
import type {
  CartChangeResult,
  EstimatedTotalPurchaseCostResult,
  WireCart,
  WireCartDetails,
  WireCartItem,
  WireMoney,
  WireRejection,
} from './cart.wire.ts';

/** Carts to the wire. */

const money = (minor: number, currency: string): WireMoney => ({ currencyCode: currency, amount: toAmount(minor, currency) });
const iso = (ms: number): string => new Date(ms).toISOString();

export const cartDetails = (c: CartRecord): WireCartDetails => ({ id: c.id, region: c.region, cartType: c.cartType });

function rejection(r: CartRejection): WireRejection {
  switch (r.type) {
    case 'UnavailableQuantity':
      return { rejectionArtifactType: r.type, quantity: r.quantity };
    case 'RejectionMessage':
      return { rejectionArtifactType: r.type, message: r.message };
    case 'TotalItemCountRestriction':
    case 'TotalQuantityRestriction':
      return { rejectionArtifactType: r.type, maxQuantity: r.maxQuantity };
  }
}

export function cartItem(i: PricedItem): WireCartItem {
  return {
    productIdentifier: i.asin,
    itemId: i.id,
    buyingOptionIdentifier: i.offerId,
    quantity: i.quantity,
    isItemAvailable: i.available,
    ...(i.unitMinor !== null ? { price: money(i.unitMinor, i.currency) } : {}),
    ...(i.taxExclusiveUnitMinor !== null ? { taxExclusivePrice: money(i.taxExclusiveUnitMinor, i.currency) } : {}),
    addedToCartDate: iso(i.addedAt),
    modifiedDate: iso(i.modifiedAt),
  };
}

/**
 * A cart with its subtotal: the items that can be bought now, at their prices; and, where shelf
 * prices include tax, the same without it.
 */
export function cart(c: CartRecord, items: readonly PricedItem[]): WireCart {
  const currency = marketFacts(c.region)!.marketplace.currency;
  const buyable = items.filter((i) => i.available && i.unitMinor !== null);
  const subtotal = buyable.reduce((s, i) => s + i.unitMinor! * i.quantity, 0);
  const attributes: WireCart['attributes'] = [{ attributeType: 'Subtotal', amount: money(subtotal, currency) }];
  if (marketFacts(c.region)!.includedTaxRate > 0)
    attributes.push({
      attributeType: 'SubtotalWithoutTax',
      amount: money(
        buyable.reduce((s, i) => s + (i.taxExclusiveUnitMinor ?? 0) * i.quantity, 0),
        currency,
      ),
    });
  return { ...cartDetails(c), attributes };
}

export const cartChange = (change: CartChange): CartChangeResult => ({
  items: change.items.map(cartItem),
  rejectedItems: change.refused.map((r) => ({ id: r.id, rejectionArtifacts: r.rejections.map(rejection) })),
});

export function estimate(e: Estimate): EstimatedTotalPurchaseCostResult {
  const rejectionArtifacts: WireRejection[] = [];
  if (e.refusal !== null) rejectionArtifacts.push({ rejectionArtifactType: 'RejectionMessage', message: e.refusal });
  if (e.unsupported.length) {
    const reasons = [
      ...new Set(e.unsupported.flatMap((u) => u.rejections.flatMap((r) => (r.type === 'RejectionMessage' ? [r.message] : [])))),
    ];
    rejectionArtifacts.push({
      rejectionArtifactType: 'UnsupportedCartItems',
      message: `Some items cannot be bought as they are in the cart${reasons.length ? `: ${reasons.join(' ')}` : '.'}`,
      cartItemIdentifiers: e.unsupported.map((u) => u.id),
    });
    for (const u of e.unsupported)
      for (const r of u.rejections) if (r.type === 'UnavailableQuantity') rejectionArtifacts.push(rejection(r));
  }
  return {
    charges: e.charges.map((c) => ({ category: c.category, type: c.type, amount: money(c.amountMinor, e.currency) })),
    rejectionArtifacts,
  };
}

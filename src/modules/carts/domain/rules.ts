/**
 * The rules of a cart, pure: how many distinct items and how many units it may hold, and which of
 * an order line's refusals a cart shows (the Cart model has fewer rejection artifacts than the
 * Ordering model: an unavailable quantity, a message, and the cart's own limits).
 */

/** Distinct items (product and buying option) a cart holds at most. */
export const MAX_CART_ITEMS = 50;
/** Units, over all items, a cart holds at most. */
export const MAX_CART_QUANTITY = 1000;

/** A rejection artifact of the Cart model, in domain terms. */
export type CartRejection =
  | { readonly type: 'UnavailableQuantity'; readonly quantity: number }
  | { readonly type: 'RejectionMessage'; readonly message: string }
  | { readonly type: 'TotalItemCountRestriction'; readonly maxQuantity: number }
  | { readonly type: 'TotalQuantityRestriction'; readonly maxQuantity: number };

/** An order line's refusal as the purchasing module gives it (see purchasing/domain/lines.ts). */
export interface LineRefusal {
  readonly quantity: number;
  readonly artifacts: readonly ({ readonly type: string } & Record<string, unknown>)[];
}

/**
 * What a cart says of a line that cannot be bought whole: the unavailable quantity where stock is
 * short, and every reason's message, once each. Codes and other Ordering-only artifacts are
 * dropped: their message says the same in words.
 */
export function cartRejections(refusals: readonly LineRefusal[]): CartRejection[] {
  const out: CartRejection[] = [];
  const messages = new Set<string>();
  for (const r of refusals)
    for (const a of r.artifacts) {
      if (a.type === 'UnavailableQuantity' && typeof a.quantity === 'number')
        out.push({ type: 'UnavailableQuantity', quantity: a.quantity });
      else if (a.type === 'RejectionMessage' && typeof a.message === 'string' && !messages.has(a.message)) {
        messages.add(a.message);
        out.push({ type: 'RejectionMessage', message: a.message });
      }
    }
  return out;
}

/** A cart's contents as the limits see them: quantity by item key. */
export type Contents = ReadonlyMap<string, number>;

/**
 * Whether the cart may hold `quantity` of `key` (an item it has, whose quantity changes, or a new
 * one), given what it holds now: null when it may, else the limit it would break.
 */
export function limitBroken(contents: Contents, key: string, quantity: number): CartRejection | null {
  const isNew = !contents.has(key);
  if (isNew && contents.size >= MAX_CART_ITEMS) return { type: 'TotalItemCountRestriction', maxQuantity: MAX_CART_ITEMS };
  let total = quantity;
  for (const [k, q] of contents) if (k !== key) total += q;
  if (total > MAX_CART_QUANTITY) return { type: 'TotalQuantityRestriction', maxQuantity: MAX_CART_QUANTITY };
  return null;
}

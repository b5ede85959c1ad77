import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cartRejections, limitBroken, MAX_CART_ITEMS, MAX_CART_QUANTITY } from '../../../src/modules/carts/domain/rules.ts';

test('an order line’s refusals as a cart shows them: unavailable quantities and each message once', () => {
  const out = cartRejections([
    {
      quantity: 2,
      artifacts: [
        { type: 'UnavailableQuantity', quantity: 2 },
        { type: 'RejectionCode', code: 'INSUFFICIENT_STOCK' },
        { type: 'RejectionMessage', message: 'Only 3 in stock.' },
      ],
    },
    {
      quantity: 1,
      artifacts: [
        { type: 'AgeRestriction', minimumAge: 21 },
        { type: 'RejectionMessage', message: 'Only 3 in stock.' },
      ],
    },
  ]);
  assert.deepEqual(out, [
    { type: 'UnavailableQuantity', quantity: 2 },
    { type: 'RejectionMessage', message: 'Only 3 in stock.' },
  ]);
});

test('limits: a new item over the item count, any change over the total quantity', () => {
  const full = new Map(Array.from({ length: MAX_CART_ITEMS }, (_, i) => [`k${i}`, 1]));
  assert.deepEqual(limitBroken(full, 'new', 1), { type: 'TotalItemCountRestriction', maxQuantity: MAX_CART_ITEMS });
  assert.equal(limitBroken(full, 'k0', 2), null, 'an item the cart has may change');
  assert.deepEqual(limitBroken(full, 'k0', MAX_CART_QUANTITY), { type: 'TotalQuantityRestriction', maxQuantity: MAX_CART_QUANTITY });
  assert.equal(limitBroken(new Map(), 'a', MAX_CART_QUANTITY), null);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MIN_FEATURED_RATING, rankOffers, selectFeaturedOffer, type Merchant, type OfferRecord } from '../../../src/modules/catalog/index.ts';

const merchant = (id: string, rating = 4.5): Merchant => ({ id, name: id, meanFeedbackRating: rating, totalFeedbackCount: 100, certificates: [] });
const offer = (id: string, patch: Partial<OfferRecord> = {}): OfferRecord => ({
  offerId: id,
  region: 'US',
  merchantId: id,
  condition: 'NEW',
  currency: 'USD',
  price: 1000,
  fulfillment: 'AMAZON_FULFILLMENT',
  stock: 10,
  shipping: { cost: 0, minDays: 2, maxDays: 4 },
  ...patch,
});
const entry = (o: OfferRecord, rating = 4.5) => ({ offer: o, merchant: merchant(o.merchantId, rating) });
const winner = (entries: ReturnType<typeof entry>[], quantity = 1) => selectFeaturedOffer(entries, quantity)?.offer.offerId ?? null;

test('the lowest landed price wins', () => {
  assert.equal(winner([entry(offer('a', { price: 1100 })), entry(offer('b', { price: 1000 }))]), 'b');
});

test('shipping counts: a cheaper item with paid shipping can lose', () => {
  assert.equal(winner([entry(offer('a', { price: 900, shipping: { cost: 500, minDays: 2, maxDays: 3 } })), entry(offer('b', { price: 1000 }))]), 'b');
});

test('business prices and quantity tiers set the price the buy box compares', () => {
  const a = offer('a', { price: 1000 });
  const b = offer('b', { price: 1050, businessPrice: 990 });
  const c = offer('c', { price: 1100, quantityTiers: [{ minQuantity: 10, price: 900 }] });
  assert.equal(winner([entry(a), entry(b), entry(c)], 1), 'b');
  assert.equal(winner([entry(a), entry(b), entry(c)], 10), 'c');
});

test('merchant-fulfilled offers must be more than 3 % cheaper', () => {
  const fba = offer('fba', { price: 1000 });
  assert.equal(winner([entry(fba), entry(offer('mfn', { price: 980, fulfillment: 'MERCHANT_FULFILLMENT' }))]), 'fba');
  assert.equal(winner([entry(fba), entry(offer('mfn', { price: 960, fulfillment: 'MERCHANT_FULFILLMENT' }))]), 'mfn');
});

test('out-of-stock offers, offers over their limits and poorly rated merchants are never featured', () => {
  const cheap = offer('cheap', { price: 500, stock: 0 });
  const limited = offer('limited', { price: 600, maxQuantity: 2 });
  const lowRated = offer('low', { price: 700 });
  const ok = offer('ok', { price: 1000 });
  assert.equal(winner([entry(cheap), entry(limited), entry(lowRated, MIN_FEATURED_RATING - 0.1), entry(ok)], 5), 'ok');
  assert.equal(winner([entry(cheap)]), null);
});

test('new offers are preferred to cheaper used ones; used ones win when no new offer qualifies', () => {
  const used = offer('used', { price: 600, condition: 'USED' });
  const fresh = offer('new', { price: 1000 });
  assert.equal(winner([entry(used), entry(fresh)]), 'new');
  assert.equal(winner([entry(used), entry({ ...fresh, stock: 0 })]), 'used');
});

test('ties go to faster delivery, then the better-rated merchant, then the smaller offer id', () => {
  assert.equal(winner([entry(offer('slow')), entry(offer('fast', { shipping: { cost: 0, minDays: 1, maxDays: 2 } }))]), 'fast');
  assert.equal(winner([entry(offer('b'), 4.9), entry(offer('a'), 4.5)]), 'b');
  assert.equal(winner([entry(offer('b')), entry(offer('a'))]), 'a');
});

test('offers are listed featured first, then by landed price', () => {
  const entries = [entry(offer('c', { price: 1200 })), entry(offer('a', { price: 900, stock: 0 })), entry(offer('b', { price: 1000 }))];
  const featured = selectFeaturedOffer(entries);
  assert.deepEqual(rankOffers(entries, featured).map((e) => e.offer.offerId), ['b', 'a', 'c']);
});

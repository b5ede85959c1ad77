import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  asinDocId,
  asinFromSeed,
  canonicalOfferId,
  eanFromUpc,
  isValidEan,
  isValidIsbn,
  isValidUpc,
  normalizeAsin,
  Prng,
  resolveProduct,
  signProductId,
  upcFromSeed,
  validateRecord,
  verifySignedProductId,
  type CategoryInfo,
  type ProductInput,
} from '../../../src/modules/catalog/index.ts';

test('ASINs: ten letters and digits; generated ones are B0 plus eight base-36 characters', () => {
  assert.equal(normalizeAsin(' b07vdj5rvf '), 'B07VDJ5RVF');
  assert.equal(normalizeAsin('B07VDJ5RV'), null);
  const a = asinFromSeed('bestbuy:4984700');
  assert.match(a, /^B0[0-9A-Z]{8}$/);
  assert.equal(asinFromSeed('bestbuy:4984700'), a);
  assert.notEqual(asinFromSeed('bestbuy:4984701'), a);
  assert.equal(asinDocId('ZZZZZZZZZZ'), 36 ** 10 - 1);
  assert.ok(asinDocId('ZZZZZZZZZZ') < Number.MAX_SAFE_INTEGER);
});

test('identifiers carry valid check digits; a UPC is also an EAN-13', () => {
  const upc = upcFromSeed('x');
  assert.ok(isValidUpc(upc));
  assert.ok(isValidEan(eanFromUpc(upc)));
  assert.ok(!isValidUpc('036000291453'));
  assert.ok(isValidUpc('036000291452'));
  assert.ok(isValidIsbn('0199393214'));
  assert.ok(isValidIsbn('9780199393213'));
});

test('the seeded generator repeats itself exactly', () => {
  const a = new Prng('seed');
  const b = new Prng('seed');
  assert.deepEqual([a.next(), a.int(1, 6), a.pick(['x', 'y', 'z'])], [b.next(), b.int(1, 6), b.pick(['x', 'y', 'z'])]);
  assert.notEqual(new Prng('seed').next(), new Prng('other').next());
});

test('offer ids are compared in their URL-encoded form', () => {
  assert.equal(canonicalOfferId('ab/c+d='), 'ab%2Fc%2Bd%3D');
  assert.equal(canonicalOfferId('ab%2Fc%2Bd%3D'), 'ab%2Fc%2Bd%3D');
  assert.equal(canonicalOfferId('asid-123121'), 'asid-123121');
});

test('signed product ids verify, and fail when altered or signed with another key', () => {
  const signed = signProductId('k', { asin: 'B007VC9DKI', region: 'US', locale: 'en_US', businessId: 'biz_1' });
  assert.match(signed, /^amzn1\.business\.asin\.[A-Z2-7]+$/);
  assert.deepEqual(verifySignedProductId('k', signed), { asin: 'B007VC9DKI', region: 'US', locale: 'en_US', businessId: 'biz_1' });
  assert.equal(verifySignedProductId('other', signed), null);
  assert.equal(verifySignedProductId('k', `${signed.slice(0, -2)}AA`), null);
});

const base = { type: 'product', asin: 'B0TEST0001', title: 'T', department: 'OFFICE_PRODUCTS', offers: [] } as const;

test('records are validated with a reason naming the field', () => {
  assert.equal(validateRecord({ ...base }).ok, true);
  const badAsin = validateRecord({ ...base, asin: 'nope' });
  assert.ok(!badAsin.ok && /asin/.test(badAsin.reason));
  const badDept = validateRecord({ ...base, department: 'SPACESHIPS' });
  assert.ok(!badDept.ok && /department/.test(badDept.reason));
  const badUpc = validateRecord({ ...base, identifiers: { upc: ['123'] } });
  assert.ok(!badUpc.ok && /UPC/.test(badUpc.reason));
  const badOffer = validateRecord({ ...base, offers: [{ offerId: 'o', region: 'US', merchantId: 'm', condition: 'NEW', currency: 'EUR', price: 1, fulfillment: 'OTHER', stock: 1, shipping: { cost: 0, minDays: 1, maxDays: 1 } }] });
  assert.ok(!badOffer.ok && /currency EUR/.test(badOffer.reason));
  const extra = validateRecord({ ...base, colour: 'red' });
  assert.ok(!extra.ok);
  assert.ok(!validateRecord({ type: 'thing' }).ok);
});

test('a product by categoryId inherits the path, department and taxonomies of its categories', () => {
  const tree = new Map<string, CategoryInfo>([
    ['root', { id: 'root', name: 'Cell Phones', parentId: null, department: 'MOBILE_AND_ACCESSORIES', taxonomies: [{ type: 'UNSPSC', code: '43191501', title: 'Mobile phones' }] }],
    ['leaf', { id: 'leaf', name: 'Cases', parentId: 'root', department: null, taxonomies: [{ type: 'UNSPSC', code: '43191600', title: 'Accessories' }] }],
  ]);
  const input: ProductInput = { type: 'product', asin: 'B0TEST0001', title: 'T', categoryId: 'leaf', offers: [] };
  const r = resolveProduct(input, tree);
  assert.ok(r.ok);
  assert.deepEqual(r.value.categories, [{ id: 'root', name: 'Cell Phones' }, { id: 'leaf', name: 'Cases' }]);
  assert.equal(r.value.department, 'MOBILE_AND_ACCESSORIES');
  assert.equal(r.value.taxonomies?.[0]?.code, '43191600');
  assert.ok(!('categoryId' in r.value));
  const missing = resolveProduct({ ...input, categoryId: 'nope' }, tree);
  assert.ok(!missing.ok && /unknown category nope/.test(missing.reason));
  const noDept = resolveProduct({ type: 'product', asin: 'B0TEST0001', title: 'T', offers: [] }, tree);
  assert.ok(!noDept.ok);
});

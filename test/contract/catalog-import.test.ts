import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { CatalogImporter, generateCatalog, ImportError } from '../../src/modules/catalog/index.ts';
import { AMAZON, nonceWord, testCatalog, testDataDir, uniqueAsin } from '../support/catalog.ts';
import { US_SHOPPER } from '../support/shopper.ts';

const jsonl = (records: unknown[]) => records.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n') + '\n';

function productLine(asin: string, w: string, offerId = `${asin}-o1`, extra: Record<string, unknown> = {}) {
  return {
    type: 'product',
    asin,
    title: `${w} import item`,
    categoryId: `cat-${w}`,
    offers: [
      {
        offerId,
        region: 'US',
        merchantId: AMAZON,
        condition: 'NEW',
        currency: 'USD',
        price: 1234,
        fulfillment: 'AMAZON_FULFILLMENT',
        stock: 5,
        shipping: { cost: 0, minDays: 1, maxDays: 2 },
      },
    ],
    ...extra,
  };
}

test('JSON Lines import: upserts by ASIN, reports rejected lines with their reasons', async () => {
  const catalog = await testCatalog();
  const importer = new CatalogImporter(catalog);
  const w = nonceWord();
  const [a, b, c] = [uniqueAsin(), uniqueAsin(), uniqueAsin()];
  const text = jsonl([
    { type: 'category', id: `cat-${w}`, name: `${w} things`, department: 'OFFICE_PRODUCTS' },
    productLine(a, w),
    '{ not json',
    productLine(b, w, `${b}-o1`, { department: 'SPACESHIPS' }),
    { ...productLine(c, w), offers: [{ ...productLine(c, w).offers[0], merchantId: 'NOBODY' }] },
    productLine('short', w),
    { type: 'product', asin: uniqueAsin(), title: 'orphan', categoryId: 'no-such-category', offers: [] },
  ]);
  const r = await importer.importText(text, { format: 'jsonl', batchSize: 2 });
  assert.equal(r.status, 'completed');
  assert.equal(r.products, 1);
  assert.equal(r.categories, 1);
  assert.equal(r.rejected, 5);
  assert.deepEqual(
    r.rejections.map((x) => x.line),
    [3, 4, 5, 6, 7],
  );
  assert.match(r.rejections[0]?.reason ?? '', /not valid JSON/);
  assert.match(r.rejections[1]?.reason ?? '', /unknown department SPACESHIPS/);
  assert.match(r.rejections[2]?.reason ?? '', /unknown merchant NOBODY/);
  assert.match(r.rejections[3]?.reason ?? '', /asin/);
  assert.match(r.rejections[4]?.reason ?? '', /unknown category no-such-category/);
  const stored = await catalog.getProducts([a], {
    region: 'US',
    locale: 'en_US',
    destination: { market: 'US', timeZone: 'America/New_York' },
    quantity: 1,
    policies: [],
    businessId: null,
  });
  assert.equal(stored.get(a)?.product.department, 'OFFICE_PRODUCTS');
  assert.deepEqual(stored.get(a)?.product.categories, [{ id: `cat-${w}`, name: `${w} things` }]);

  // Importing a changed record again replaces the product and its offers.
  const again = await importer.importText(jsonl([{ ...productLine(a, w, `${a}-o2`), title: `${w} renamed` }]), { format: 'jsonl' });
  assert.equal(again.products, 1);
  const after = (
    await catalog.getProducts([a], {
      region: 'US',
      locale: 'en_US',
      destination: { market: 'US', timeZone: 'America/New_York' },
      quantity: 1,
      policies: [],
      businessId: null,
    })
  ).get(a);
  assert.equal(after?.product.title, `${w} renamed`);
  assert.deepEqual(
    after?.offers.map((o) => o.offer.offerId),
    [`${a}-o2`],
  );
});

test('an offer id owned by another product is refused', async () => {
  const catalog = await testCatalog();
  const importer = new CatalogImporter(catalog);
  const w = nonceWord();
  const [a, b] = [uniqueAsin(), uniqueAsin()];
  await importer.importText(
    jsonl([{ type: 'category', id: `cat-${w}`, name: 'x', department: 'OFFICE_PRODUCTS' }, productLine(a, w, `shared-${w}`)]),
    { format: 'jsonl' },
  );
  const r = await importer.importText(jsonl([productLine(b, w, `shared-${w}`)]), { format: 'jsonl' });
  assert.equal(r.products, 0);
  assert.match(r.rejections[0]?.reason ?? '', new RegExp(`already belongs to product ${a}`));
});

test('a record holding a NUL character is rejected with its reason; the rest of the batch is stored', async () => {
  const catalog = await testCatalog();
  const importer = new CatalogImporter(catalog);
  const w = nonceWord();
  const [a, b, c] = [uniqueAsin(), uniqueAsin(), uniqueAsin()];
  const r = await importer.importText(
    jsonl([
      { type: 'category', id: `cat-${w}`, name: 'x', department: 'OFFICE_PRODUCTS' },
      productLine(a, w),
      productLine(b, w, `${b}-o1`, { title: `bad\u0000title ${w}` }),
      productLine(c, w, `${c}-o1`, { attributes: { 'colo\u0000r': 'red' } }),
    ]),
    { format: 'jsonl' },
  );
  assert.equal(r.status, 'completed');
  assert.equal(r.products, 1);
  assert.deepEqual(
    r.rejections.map((x) => [x.line, x.reason]),
    [
      [3, 'a record may hold no NUL character (U+0000)'],
      [4, 'a record may hold no NUL character (U+0000)'],
    ],
  );
  assert.equal((await catalog.getProducts([a, b, c], US_SHOPPER)).size, 1);
});

test('CSV import: one row per offer, adjacent rows form a product imported whole or not at all, every row reported', async () => {
  const catalog = await testCatalog();
  const importer = new CatalogImporter(catalog);
  const w = nonceWord();
  const [a, b] = [uniqueAsin(), uniqueAsin()];
  const csv = [
    'asin,title,department,categories,price,offerId,region,merchantId,stock,prime,fulfillment',
    `${a},"${w} pens, blue",OFFICE_PRODUCTS,c1:Office > c2:Pens,4.99,${a}-1,US,${AMAZON},10,true,AMAZON_FULFILLMENT`,
    `${a},,,,5.25,${a}-2,US,${AMAZON},3,false,MERCHANT_FULFILLMENT`,
    `${a},,,,abc,${a}-3,US,${AMAZON},3,false,MERCHANT_FULFILLMENT`,
    `${b},"${w} paper",NOT_A_DEPARTMENT,,1,${b}-1,US,${AMAZON},1,,`,
    `${b},,,,1,${b}-2,US,${AMAZON},1,,`,
    `${a},again,OFFICE_PRODUCTS,,1,${a}-9,US,${AMAZON},1,,`,
  ].join('\n');
  const r = await importer.importText(csv, { format: 'csv' });
  // Product a has a bad row (line 4): none of its rows is imported.
  assert.equal(r.products, 0);
  assert.equal(r.offers, 0);
  assert.deepEqual(
    r.rejections.map((x) => [x.line, x.reason.split(':')[0]]),
    [
      [2, 'not imported'],
      [3, 'not imported'],
      [4, 'price'],
      [5, 'unknown department NOT_A_DEPARTMENT'],
      [6, "the product's first row (line 5) was rejected"],
      [7, `rows of product ${a} must be adjacent (first seen on line 2)`],
    ],
  );
  await assert.rejects(importer.importText('asin,colour\n', { format: 'csv' }), ImportError);
});

test('CSV re-import with one bad cell changes nothing of that product: its live offers stay', async () => {
  const catalog = await testCatalog();
  const importer = new CatalogImporter(catalog);
  const w = nonceWord();
  const a = uniqueAsin();
  const header = 'asin,title,department,categories,price,offerId,region,merchantId,stock,prime,fulfillment';
  const first = await importer.importText(
    [
      header,
      `${a},${w} pens,OFFICE_PRODUCTS,c1:Office,4.99,${a}-1,US,${AMAZON},10,true,AMAZON_FULFILLMENT`,
      `${a},,,,5.25,${a}-2,US,${AMAZON},3,,`,
    ].join('\n'),
    { format: 'csv' },
  );
  assert.equal(first.offers, 2);
  const again = await importer.importText(
    [
      header,
      `${a},${w} pens,OFFICE_PRODUCTS,c1:Office,4.49,${a}-1,US,${AMAZON},10,true,AMAZON_FULFILLMENT`,
      `${a},,,,not-a-price,${a}-2,US,${AMAZON},3,,`,
    ].join('\n'),
    { format: 'csv' },
  );
  assert.equal(again.products, 0);
  assert.deepEqual(
    again.rejections.map((x) => x.line),
    [2, 3],
  );
  const stored = await catalog.getOffersByIds([`${a}-1`, `${a}-2`], {
    region: 'US',
    locale: 'en_US',
    destination: { market: 'US', timeZone: 'America/New_York' },
    quantity: 1,
    policies: [],
    businessId: null,
  });
  assert.equal(stored.size, 2, 'both live offers are still there');
  assert.equal(stored.get(`${a}-1`)!.view.offer.price, 499, 'unchanged');
});

test('CSV with an unterminated quote is a reported error, not a silently shortened file', async () => {
  const catalog = await testCatalog();
  const importer = new CatalogImporter(catalog);
  const a = uniqueAsin();
  const csv = [
    'asin,title,price,offerId,region,merchantId,stock',
    `${a},"never closed,1,${a}-1,US,${AMAZON},1`,
    `${uniqueAsin()},next,1,x,US,${AMAZON},1`,
  ].join('\n');
  await assert.rejects(
    importer.importText(csv, { format: 'csv' }),
    (err: unknown) => err instanceof ImportError && /line 2: a quoted field is never closed/.test(err.message),
  );
});

test('an import stopped after some batches resumes after its last committed line', async () => {
  const catalog = await testCatalog();
  const importer = new CatalogImporter(catalog);
  const seed = nonceWord();
  const records = [...generateCatalog(25, seed)];
  const file = path.join(testDataDir(), 'generated.jsonl');
  fs.writeFileSync(file, jsonl(records));
  const first = await importer.importFile(file, { batchSize: 10, maxBatches: 1 });
  assert.equal(first.status, 'partial');
  assert.equal(first.products, 10);
  const second = await importer.importFile(file);
  assert.equal(second.status, 'completed');
  assert.equal(second.importId, first.importId);
  assert.ok(second.resumedAfterLine > 0);
  assert.equal(second.products, 25);
  assert.equal(second.rejected, 0);
  const third = await importer.importFile(file, { skipIfCompleted: true });
  assert.equal(third.status, 'skipped');
});

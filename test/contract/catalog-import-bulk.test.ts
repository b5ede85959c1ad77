import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import {
  CatalogImporter,
  eanFromUpc,
  generateCatalog,
  ImportError,
  upcFromSeed,
  type CatalogService,
} from '../../src/modules/catalog/index.ts';
import { IMPORT_PRAGMAS } from '../../src/modules/catalog/catalog.import.ts';
import { PARAMETER_LIMIT } from '../../src/platform/db/bulk.ts';
import { AMAZON, nonceWord, refuseOfferInsert, SUMMIT, testCatalog, uniqueAsin } from '../support/catalog.ts';

/** The bulk write path of the importer: multi-row statements, one batch's old parts replaced together. */

const jsonl = (records: unknown[]) => records.map((r) => JSON.stringify(r)).join('\n') + '\n';

const offerLine = (offerId: string, patch: Record<string, unknown> = {}) => ({
  offerId,
  region: 'US',
  merchantId: AMAZON,
  condition: 'NEW',
  currency: 'USD',
  price: 1234,
  fulfillment: 'AMAZON_FULFILLMENT',
  stock: 5,
  shipping: { cost: 0, minDays: 1, maxDays: 2 },
  ...patch,
});

/** What is stored for one product, part by part (sorted, so comparisons ignore row order). */
async function storedParts(catalog: CatalogService, asin: string) {
  const db = catalog.db.kysely;
  const title = (await db.selectFrom('catalog_products').select('title').where('asin', '=', asin).executeTakeFirst())?.title;
  const offers = (await db.selectFrom('catalog_offers').select('offer_id').where('asin', '=', asin).orderBy('offer_id').execute()).map(
    (r) => r.offer_id,
  );
  const identifiers = (
    await db.selectFrom('catalog_identifiers').select(['kind', 'value']).where('asin', '=', asin).orderBy('kind').orderBy('value').execute()
  ).map((r) => `${r.kind}:${r.value}`);
  const categories = (
    await db.selectFrom('catalog_product_categories').select(['category_id', 'depth']).where('asin', '=', asin).orderBy('depth').execute()
  ).map((r) => r.category_id);
  const listings = await db
    .selectFrom('catalog_listings')
    .select(['region', 'featured_offer_id', 'offer_count'])
    .where('asin', '=', asin)
    .orderBy('region')
    .execute();
  return { title, offers, identifiers, categories, listings };
}

/** ASINs the full-text index finds for one word. */
async function textMatches(catalog: CatalogService, word: string): Promise<string[]> {
  const db = catalog.db.kysely;
  const rows =
    catalog.db.dialect === 'postgres'
      ? (
          await sql<{ asin: string }>`select asin from catalog_products where search_vector @@ plainto_tsquery('english', ${word})`.execute(
            db,
          )
        ).rows
      : (
          await sql<{
            asin: string;
          }>`select p.asin from catalog_products_fts f join catalog_products p on p.doc_id = f.rowid where catalog_products_fts match ${word}`.execute(
            db,
          )
        ).rows;
  return rows.map((r) => r.asin).sort();
}

test('one batch whose rows need more bound parameters than one statement may carry is written whole', async () => {
  const catalog = await testCatalog();
  const products = 4000;
  const seed = nonceWord();
  const records = [...generateCatalog(products, seed)];
  const offers = records.reduce((n, r) => n + (r.type === 'product' ? r.offers.length : 0), 0);
  // 18 columns per product row: one statement could not hold the batch's products in either dialect.
  assert.ok(products * 18 > PARAMETER_LIMIT.postgres && offers * 8 > PARAMETER_LIMIT.postgres);
  const progress: number[] = [];
  const r = await new CatalogImporter(catalog).importText(jsonl(records), {
    format: 'jsonl',
    batchSize: products,
    onProgress: (p) => progress.push(p.products),
  });
  assert.equal(r.status, 'completed');
  assert.equal(r.rejected, 0);
  assert.equal(r.products, products);
  assert.equal(r.offers, offers);
  assert.deepEqual(progress, [products], 'one batch, one progress report');
  // Only this test's rows: on PostgreSQL the test files share one database.
  const db = catalog.db.kysely;
  const ours = db.selectFrom('catalog_products').select('asin').where('source', 'like', `generated:${seed}:%`);
  const count = async (
    table: 'catalog_products' | 'catalog_offers' | 'catalog_identifiers' | 'catalog_product_categories' | 'catalog_listings',
  ) =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('asin', 'in', ours)
          .executeTakeFirstOrThrow()
      ).n,
    );
  assert.equal(await count('catalog_products'), products);
  assert.equal(await count('catalog_offers'), offers);
  // A UPC is stored with its EAN (the same code); a category path gives a row per category.
  const generated = records.flatMap((r) => (r.type === 'product' ? [r] : []));
  const identifiers = generated.reduce((n, p) => {
    const ids = p.identifiers ?? {};
    const keys = new Set<string>();
    const add = (kind: string, values: (string | undefined)[]) => {
      for (const v of values) if (v?.trim()) keys.add(`${kind}:${v.trim().toUpperCase()}`);
    };
    add('upc', ids.upc ?? []);
    add('ean', [...(ids.ean ?? []), ...(ids.upc ?? []).map(eanFromUpc)]);
    add('isbn', ids.isbn ?? []);
    add('part', [ids.partNumber, ids.modelNumber]);
    add('oem', [ids.oemPartNumber]);
    return n + keys.size;
  }, 0);
  assert.equal(await count('catalog_identifiers'), identifiers);
  assert.equal(
    await count('catalog_product_categories'),
    generated.reduce((n, p) => n + new Set((p.categories ?? []).map((c) => c.id)).size, 0),
  );
  const regions = records.reduce((n, rec) => n + (rec.type === 'product' ? new Set(rec.offers.map((o) => o.region)).size : 0), 0);
  assert.equal(await count('catalog_listings'), regions);
});

test('re-importing a product replaces its offers, identifiers, categories, listings and indexed text, leaving nothing behind', async () => {
  const catalog = await testCatalog();
  const importer = new CatalogImporter(catalog);
  const w = nonceWord();
  const renamed = nonceWord();
  const asin = uniqueAsin();
  const upc = upcFromSeed(asin);
  const first = {
    type: 'product',
    asin,
    title: `${w} stapler`,
    department: 'OFFICE_PRODUCTS',
    categories: [
      { id: `root-${w}`, name: 'Office' },
      { id: `leaf-${w}`, name: 'Staplers' },
    ],
    identifiers: { upc: [upc], partNumber: 'PART-1' },
    offers: [
      offerLine(`${asin}-a`),
      offerLine(`${asin}-b`, { merchantId: SUMMIT, price: 1500 }),
      offerLine(`${asin}-c`, { region: 'CA', currency: 'CAD' }),
    ],
  };
  await importer.importText(jsonl([first]), { format: 'jsonl' });
  const before = await storedParts(catalog, asin);
  assert.deepEqual(before.offers, [`${asin}-a`, `${asin}-b`, `${asin}-c`]);
  assert.deepEqual(before.identifiers, [`ean:0${upc}`, 'part:PART-1', `upc:${upc}`]);
  assert.deepEqual(before.categories, [`root-${w}`, `leaf-${w}`]);
  assert.deepEqual(
    before.listings.map((l) => l.region),
    ['CA', 'US'],
  );
  assert.deepEqual(await textMatches(catalog, w), [asin]);

  const second = {
    ...first,
    title: `${renamed} stapler`,
    categories: [
      { id: `root-${w}`, name: 'Office' },
      { id: `other-${w}`, name: 'Desk Staplers' },
    ],
    identifiers: { partNumber: 'PART-2' },
    offers: [offerLine(`${asin}-d`, { price: 999 })],
  };
  const r = await importer.importText(jsonl([second]), { format: 'jsonl' });
  assert.equal(r.products, 1);
  const after = await storedParts(catalog, asin);
  assert.equal(after.title, `${renamed} stapler`);
  assert.deepEqual(after.offers, [`${asin}-d`]);
  assert.deepEqual(after.identifiers, ['part:PART-2']);
  assert.deepEqual(after.categories, [`root-${w}`, `other-${w}`]);
  assert.deepEqual(after.listings, [{ region: 'US', featured_offer_id: `${asin}-d`, offer_count: 1 }]);
  assert.deepEqual(await textMatches(catalog, w), []);
  assert.deepEqual(await textMatches(catalog, renamed), [asin]);
  // The offer ids it gave up are free for another product.
  const other = uniqueAsin();
  const taken = await importer.importText(jsonl([{ ...first, asin: other, offers: [offerLine(`${asin}-a`)] }]), { format: 'jsonl' });
  assert.equal(taken.rejected, 0);
  assert.deepEqual((await storedParts(catalog, other)).offers, [`${asin}-a`]);
});

test('the same ASIN twice in one batch: the later record wins, with only its parts', async () => {
  const catalog = await testCatalog();
  const w = nonceWord();
  const asin = uniqueAsin();
  const base = { type: 'product', asin, department: 'OFFICE_PRODUCTS', categories: [{ id: `c-${w}`, name: 'Pens' }] };
  const r = await new CatalogImporter(catalog).importText(
    jsonl([
      { ...base, title: `${w} first`, identifiers: { partNumber: 'ONE' }, offers: [offerLine(`${asin}-1`), offerLine(`${asin}-2`)] },
      {
        ...base,
        title: `${w} second`,
        identifiers: { partNumber: 'TWO' },
        offers: [offerLine(`${asin}-2`), offerLine(`${asin}-3`, { region: 'CA', currency: 'CAD' })],
      },
    ]),
    { format: 'jsonl', batchSize: 10 },
  );
  assert.equal(r.status, 'completed');
  assert.equal(r.rejected, 0);
  const stored = await storedParts(catalog, asin);
  assert.equal(stored.title, `${w} second`);
  assert.deepEqual(stored.offers, [`${asin}-2`, `${asin}-3`]);
  assert.deepEqual(stored.identifiers, ['part:TWO']);
  assert.deepEqual(
    stored.listings.map((l) => l.region),
    ['CA', 'US'],
  );
});

test("a merchant's new rating refreshes the featured offers of its products", async () => {
  const catalog = await testCatalog();
  const importer = new CatalogImporter(catalog);
  const w = nonceWord();
  const merchant = (rating: number) => ({
    type: 'merchant',
    id: `M${w.toUpperCase()}`,
    name: `${w} supply`,
    meanFeedbackRating: rating,
    totalFeedbackCount: 10,
  });
  const asins = [uniqueAsin(), uniqueAsin()];
  const products = asins.map((asin) => ({
    type: 'product',
    asin,
    title: `${w} ruler`,
    department: 'OFFICE_PRODUCTS',
    offers: [offerLine(`${asin}-m`, { merchantId: `M${w.toUpperCase()}`, price: 500 }), offerLine(`${asin}-amz`, { price: 900 })],
  }));
  await importer.importText(jsonl([merchant(4.6), ...products]), { format: 'jsonl' });
  const featured = async () => Promise.all(asins.map(async (a) => (await storedParts(catalog, a)).listings[0]?.featured_offer_id));
  assert.deepEqual(
    await featured(),
    asins.map((a) => `${a}-m`),
  );
  // Below the buy-box minimum, the merchant's cheaper offers cannot be featured any more.
  await importer.importText(jsonl([merchant(3.0)]), { format: 'jsonl' });
  assert.deepEqual(
    await featured(),
    asins.map((a) => `${a}-amz`),
  );
  await importer.importText(jsonl([merchant(4.1)]), { format: 'jsonl' });
  assert.deepEqual(
    await featured(),
    asins.map((a) => `${a}-m`),
  );
});

// The import pragmas exist on SQLite only; on PostgreSQL there is no such test to run.
if (process.env.DB !== 'postgres')
  test('SQLite: an import leaves the connection settings as they were, also when it fails', async () => {
    const catalog = await testCatalog();
    assert.equal(catalog.db.dialect, 'sqlite');
    const pragma = async (name: string) =>
      Number((await sql<Record<string, number>>`${sql.raw(`pragma ${name}`)}`.execute(catalog.db.kysely)).rows[0]?.[name]);
    const setting = async () => Promise.all(Object.keys(IMPORT_PRAGMAS).map(pragma));
    const before = await setting();
    assert.notDeepEqual(before, Object.values(IMPORT_PRAGMAS));
    const importer = new CatalogImporter(catalog);
    const during: Promise<number[]>[] = [];
    await importer.importText(jsonl([...generateCatalog(5, nonceWord())]), {
      format: 'jsonl',
      batchSize: 2,
      onProgress: () => void during.push(setting()),
    });
    assert.ok(during.length > 1);
    for (const seen of await Promise.all(during)) assert.deepEqual(seen, Object.values(IMPORT_PRAGMAS), 'in force while the import runs');
    assert.deepEqual(await setting(), before);
    await assert.rejects(importer.importText('asin,colour\n', { format: 'csv' }), ImportError);
    assert.deepEqual(await setting(), before);
    // Two imports at once: the setting comes back when the last one ends.
    await Promise.all([1, 2].map(() => importer.importText(jsonl([...generateCatalog(5, nonceWord())]), { format: 'jsonl' })));
    assert.deepEqual(await setting(), before);
  });

test('a batch that fails to write stops the import with nothing of it kept; run again, the import resumes after the last good batch', async () => {
  const catalog = await testCatalog();
  const importer = new CatalogImporter(catalog);
  const db = catalog.db.kysely;
  const seed = nonceWord();
  const records = [...generateCatalog(30, seed)];
  const poisoned = records.filter((r) => r.type === 'product')[24];
  assert.ok(poisoned?.type === 'product');
  const offerId = poisoned.offers[0]?.offerId ?? '';
  // The database refuses that one offer (the 25th product, in the third batch of 10).
  const fail = `fail_${seed}`;
  await refuseOfferInsert(catalog.db, fail, offerId);
  const progress: number[] = [];
  const text = jsonl(records);
  try {
    await assert.rejects(
      importer.importText(text, { format: 'jsonl', batchSize: 10, onProgress: (p) => progress.push(p.products) }),
      /injected failure/,
    );
  } finally {
    await sql.raw(`drop trigger ${fail}${catalog.db.dialect === 'postgres' ? ' on catalog_offers' : ''}`).execute(db);
    if (catalog.db.dialect === 'postgres') await sql.raw(`drop function ${fail}()`).execute(db);
  }
  assert.deepEqual(progress, [10, 20]);
  const stored = async () =>
    Number(
      (
        await db
          .selectFrom('catalog_products')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('source', 'like', `generated:${seed}:%`)
          .executeTakeFirstOrThrow()
      ).n,
    );
  assert.equal(await stored(), 20, 'the first two batches are kept, nothing of the third');
  const again = await importer.importText(text, { format: 'jsonl', batchSize: 10 });
  assert.equal(again.status, 'completed');
  assert.equal(again.resumedAfterLine, 13 + 20, 'after the 13 merchant lines and 20 products');
  assert.equal(again.products, 30);
  assert.equal(await stored(), 30);
});

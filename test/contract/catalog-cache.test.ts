import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql, type CompiledQuery } from 'kysely';
import { CatalogService, sampleMerchantRecords } from '../../src/modules/catalog/index.ts';
import { CatalogCache } from '../../src/modules/catalog/catalog.cache.ts';
import { WEDNESDAY_MORNING, fixedClock, nonceWord, offer, product } from '../support/catalog.ts';
import { US_SHOPPER } from '../support/shopper.ts';
import { twoConnections } from '../support/connections.ts';

// Catalog reads are cached in the process and must stay exact: a write through any connection
// (another server process, the CLI's importer) or a reset is seen by the very next read.

const shopper = US_SHOPPER;

const priceOf = async (catalog: CatalogService, asin: string): Promise<number | undefined> =>
  (await catalog.getProducts([asin], shopper)).get(asin)?.offers[0]?.offer.price;

test('a write through another connection is seen by the next read of a warm cache', async () => {
  const [dbA, dbB] = await twoConnections();
  const clock = fixedClock(WEDNESDAY_MORNING);
  const server = new CatalogService({ db: dbA, clock });
  const importer = new CatalogService({ db: dbB, clock });
  await importer.save(sampleMerchantRecords());
  const p = product(nonceWord(), {});
  p.offers = [offer(p.asin, 1, { price: 1000 })];
  await importer.save([p]);
  assert.equal(await priceOf(server, p.asin), 1000);
  assert.equal(await priceOf(server, p.asin), 1000);

  p.offers = [offer(p.asin, 1, { price: 2500 })];
  await importer.save([p]);
  assert.equal(await priceOf(server, p.asin), 2500, 'the other connection’s write is visible at once');
});

test('reads are served from the cache until the change marker moves', async () => {
  const [dbA] = await twoConnections();
  const catalog = new CatalogService({ db: dbA, clock: fixedClock(WEDNESDAY_MORNING) });
  await catalog.save(sampleMerchantRecords());
  const p = product(nonceWord(), {});
  p.offers = [offer(p.asin, 1, { price: 1000 })];
  await catalog.save([p]);
  assert.equal(await priceOf(catalog, p.asin), 1000);

  // A change behind the catalog's back (no marker change) is not seen: the read was cached.
  const row = await dbA.kysely
    .selectFrom('catalog_offers')
    .select(['offer_id', 'data'])
    .where('asin', '=', p.asin)
    .executeTakeFirstOrThrow();
  const changed = JSON.stringify({ ...(JSON.parse(row.data) as object), price: 7777 });
  await dbA.kysely.updateTable('catalog_offers').set({ data: changed }).where('offer_id', '=', row.offer_id).execute();
  assert.equal(await priceOf(catalog, p.asin), 1000);

  // Once the marker moves (every catalog write moves it), the next read goes to the database.
  await sql`update catalog_state set version = 'moved' where id = 1`.execute(dbA.kysely);
  assert.equal(await priceOf(catalog, p.asin), 7777);
});

test('an emptied database (emulator reset) empties the cache; an unknown product is not remembered past a write', async () => {
  const [dbA, dbB] = await twoConnections();
  const clock = fixedClock(WEDNESDAY_MORNING);
  const server = new CatalogService({ db: dbA, clock });
  const other = new CatalogService({ db: dbB, clock });
  await other.save(sampleMerchantRecords());
  const p = product(nonceWord(), {});
  assert.equal((await server.getProducts([p.asin], shopper)).size, 0);
  await other.save([p]);
  assert.equal((await server.getProducts([p.asin], shopper)).size, 1, 'a product added elsewhere appears');

  // A reset empties every table; here only this product's rows go (other test files may share a
  // PostgreSQL database), with the marker row, as a reset leaves it.
  for (const table of [
    'catalog_listings',
    'catalog_offers',
    'catalog_identifiers',
    'catalog_product_categories',
    'catalog_products',
  ] as const) {
    await dbB.kysely.deleteFrom(table).where('asin', '=', p.asin).execute();
  }
  await dbB.kysely.deleteFrom('catalog_state').execute();
  assert.equal((await server.getProducts([p.asin], shopper)).size, 0, 'gone after the reset');
});

test('concurrent calls share one marker read, never one sent before they asked', async () => {
  const [dbA, dbB] = await twoConnections();
  const catalog = new CatalogService({ db: dbA, clock: fixedClock(WEDNESDAY_MORNING) });
  await catalog.save(sampleMerchantRecords());
  const cache = new CatalogCache(dbA.kysely);
  // Counts the marker reads, and can hold one's answer after it has read (a read in flight).
  const kysely = dbA.kysely;
  const execute = kysely.executeQuery.bind(kysely);
  let reads = 0;
  let hold: Promise<void> | null = null;
  kysely.executeQuery = (async (query: CompiledQuery) => {
    const marker = query.sql.includes('catalog_state');
    if (marker) reads++;
    const result = await execute(query);
    if (marker && hold) await hold;
    return result;
  }) as typeof kysely.executeQuery;
  try {
    const together = await Promise.all(Array.from({ length: 20 }, () => cache.check()));
    assert.equal(reads, 1, 'twenty calls at once: one read');
    assert.equal(new Set(together).size, 1);

    // A read already sent answers the marker as it was: a call made after a write must not join it.
    let release!: () => void;
    hold = new Promise((resolve) => (release = resolve));
    const before = cache.check();
    while (reads < 2) await new Promise((resolve) => setImmediate(resolve));
    await sql`update catalog_state set version = 'moved-by-another-process' where id = 1`.execute(dbB.kysely);
    const after = cache.check();
    hold = null;
    release();
    assert.equal(await before, together[0]);
    assert.equal(await after, 'moved-by-another-process');
    assert.equal(reads, 3);
  } finally {
    kysely.executeQuery = execute;
  }
});

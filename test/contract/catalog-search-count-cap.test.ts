import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PostgresSearchStrategy, searchStrategyFor, SqliteSearchStrategy, type SearchCriteria } from '../../src/modules/catalog/index.ts';
import { MATCH_COUNT_CAP } from '../../src/modules/catalog/search/index.ts';
import type { SearchRequest } from '../../src/modules/catalog/search/search-strategy.ts';
import { MAX_PAGES, MAX_PAGE_SIZE } from '../../src/modules/catalog/domain/pagination.ts';
import { nonceWord, product, save, testCatalog } from '../support/catalog.ts';

// matchingProductCount is exact up to a cap, then the cap with totalIsFloor (docs/product-search.md,
// "How many products match"). The cap is a constructor option so that a test can reach it with
// five products; the shipped one is MATCH_COUNT_CAP.

const criteria = (patch: Partial<SearchCriteria>): SearchCriteria => ({
  region: 'US',
  text: null,
  departments: [],
  brands: [],
  conditions: [],
  certificates: [],
  inStockOnly: false,
  primeOnly: false,
  freeShippingOnly: false,
  identifiers: [],
  ...patch,
});
const request: SearchRequest = { sort: 'RELEVANCE', offset: 0, limit: 24, subCategoriesOf: null, todayMaxDays: 0, tomorrowMaxDays: 1 };

async function setup() {
  const catalog = await testCatalog();
  const w = nonceWord();
  const products = Array.from({ length: 5 }, (_, i) => product(w, { title: `${w} Stapler ${i}`, popularity: 10 + i }));
  await save(catalog, products);
  const db = catalog.db;
  const capped = (countCap: number) =>
    db.dialect === 'postgres' ? new PostgresSearchStrategy(db, { countCap }) : new SqliteSearchStrategy(db, { countCap });
  return { db, w, products, capped };
}

test('the cap leaves every reachable page alone', () => {
  assert.ok(MATCH_COUNT_CAP >= MAX_PAGES * MAX_PAGE_SIZE);
  assert.equal(MATCH_COUNT_CAP, 10_000);
});

test('keywords: exact up to the cap, then the cap as a floor; the page is not cut', async () => {
  const { db, w, products, capped } = await setup();
  const text = { tokens: [w], mode: 'all' as const };
  const under = await capped(3).search(criteria({ text }), request);
  assert.equal(under.total, 3);
  assert.equal(under.totalIsFloor, true);
  assert.equal(under.asins.length, 5);
  for (const cap of [5, 6, 100]) {
    const exact = await capped(cap).search(criteria({ text }), request);
    assert.deepEqual([exact.total, exact.totalIsFloor], [5, false], `cap ${cap}`);
  }
  const shipped = await searchStrategyFor(db).search(criteria({ text }), request);
  assert.deepEqual([shipped.total, shipped.totalIsFloor, new Set(shipped.asins)], [5, false, new Set(products.map((p) => p.asin))]);
});

test('browses without keywords count one past the cap at most', async () => {
  const { w, capped } = await setup();
  const browse = criteria({ subCategory: `cat-${w}-leaf` });
  assert.deepEqual([(await capped(4).search(browse, request)).total, (await capped(4).search(browse, request)).totalIsFloor], [4, true]);
  const exact = await capped(5).search(browse, request);
  assert.deepEqual([exact.total, exact.totalIsFloor, exact.asins.length], [5, false, 5]);
  // A department holds these five and other tests' products: more than two.
  const department = await capped(2).search(criteria({ department: 'OFFICE_PRODUCTS' }), { ...request, limit: 3 });
  assert.deepEqual([department.total, department.totalIsFloor, department.asins.length], [2, true, 3]);
});

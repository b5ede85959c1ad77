import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { listingSearchColumns, LISTING_SEARCH_COLUMNS } from '../../src/modules/catalog/domain/search-columns.ts';
import type { ProductRecord } from '../../src/modules/catalog/index.ts';
import { REDWOOD, SUMMIT, nonceWord, offer, product, save, testCatalog } from '../support/catalog.ts';

// Listings carry copies of their product's search columns and the conditions of their offers
// (migration 2026-11-27T0710_catalog_search), filled by the database as listings are written: the
// values must be the ones listingSearchColumns() computes, on both databases, and follow rewrites.

async function storedColumns(catalog: Awaited<ReturnType<typeof testCatalog>>, asin: string) {
  const { rows } = await sql<Record<string, unknown>>`select * from catalog_listings where asin = ${asin} order by region`.execute(
    catalog.db.kysely,
  );
  return rows.map((r): Record<string, unknown> => ({
    region: r.region,
    ...Object.fromEntries(LISTING_SEARCH_COLUMNS.map((c) => [c, r[c]])),
  }));
}

const expected = (p: ProductRecord, regions: string[]) => regions.map((region) => ({ region, ...listingSearchColumns(p, region) }));

test('listings get their search columns from the product and its offers, and keep them current', async () => {
  const catalog = await testCatalog();
  const w = nonceWord();
  const p = product(w, {
    brand: ' Acme Tools ',
    popularity: 12345,
    rating: { stars: 3.7, count: 42 },
    releaseDate: '2023-05-06',
    customQuoteEligible: true,
    bundleQuantity: 6,
  });
  p.offers = [
    offer(p.asin, 1),
    offer(p.asin, 2, { condition: 'USED', merchantId: REDWOOD }),
    offer(p.asin, 3, { region: 'CA', currency: 'CAD', condition: 'REFURBISHED', merchantId: SUMMIT }),
  ];
  const written = (await catalog.save([p])).written;
  assert.equal(written.length, 1);
  assert.deepEqual(await storedColumns(catalog, p.asin), expected(written[0]!, ['CA', 'US']));

  // Written again: other fields, no more used offer, no rating, no CA offer.
  const again = {
    ...p,
    brand: 'Bolt',
    department: 'HOME_AND_KITCHEN',
    popularity: 0,
    rating: undefined,
    releaseDate: undefined,
    offers: [offer(p.asin, 1, { condition: 'COLLECTIBLE' })],
  };
  const rewritten = (await catalog.save([again])).written;
  assert.deepEqual(await storedColumns(catalog, p.asin), expected(rewritten[0]!, ['US']));
  assert.equal((await storedColumns(catalog, p.asin))[0]?.conditions, 8);
});

test('a search filters on the copies: condition refinements follow the offers written', async () => {
  const catalog = await testCatalog();
  const w = nonceWord();
  const used = product(w);
  used.offers = [offer(used.asin, 1, { condition: 'USED', merchantId: REDWOOD })];
  await save(catalog, [used]);
  const shopper = {
    region: 'US',
    locale: 'en_US',
    destination: { market: 'US', timeZone: 'America/New_York' },
    quantity: 1,
    policies: [],
    businessId: null,
  };
  const search = (conditions: string[]) =>
    catalog.searchProducts(
      {
        keywords: w,
        freeShippingOnly: false,
        primeOnly: false,
        identifiers: [],
        refinements: { departments: [], brands: [], conditions, certificates: [] },
        productFilters: {},
        sort: 'RELEVANCE',
        page: { pageNumber: 0, pageSize: 24 },
      },
      shopper,
    );
  const before = await search(['USED']);
  assert.ok(before.kind === 'ok' && before.matchingProductCount === 1);
  await save(catalog, [{ ...used, offers: [offer(used.asin, 1)] }]);
  const after = await search(['USED']);
  assert.ok(after.kind === 'ok' && after.matchingProductCount === 0);
  const asNew = await search(['NEW']);
  assert.ok(asNew.kind === 'ok' && asNew.matchingProductCount === 1);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { productSearchQuery, type ProductSearchQuery } from '../../src/modules/catalog/index.ts';
import { HARBOR, METRO, REDWOOD, SUMMIT, nonceWord, offer, product, save, testCatalog } from '../support/catalog.ts';
import { US_SHOPPER } from '../support/shopper.ts';

// The search strategy of the database under test (SQLite FTS5 or PostgreSQL tsvector): the same
// criteria must give the same answers on both.

const shopper = US_SHOPPER;

const query = productSearchQuery;

async function setup() {
  const catalog = await testCatalog();
  const w = nonceWord();
  const stapler = product(w, {
    title: `${w} Heavy Duty Stapler`,
    brand: 'Acme',
    popularity: 10,
    rating: { stars: 4.8, count: 900 },
    releaseDate: '2020-01-01',
  });
  const pens = product(w, {
    title: `${w} Ballpoint Pens Blue`,
    brand: 'Quillon',
    popularity: 500,
    rating: { stars: 3.1, count: 40 },
    releaseDate: '2025-06-01',
    categories: [
      { id: `cat-${w}-root`, name: `${w} Supplies` },
      { id: `cat-${w}-pens`, name: `${w} Pens` },
    ],
    identifiers: { upc: ['036000291452'], partNumber: `QP-${w}` },
    customQuoteEligible: true,
    bundleQuantity: 12,
  });
  const lamp = product(w, {
    title: `${w} Desk Lamp`,
    department: 'HOME_AND_KITCHEN',
    brand: 'Lumora',
    popularity: 50,
    releaseDate: '2023-01-01',
  });
  pens.offers = [
    offer(pens.asin, 1, { price: 899, merchantId: SUMMIT, sku: `SKU-${w}` }),
    offer(pens.asin, 2, { price: 700, condition: 'USED', merchantId: REDWOOD, prime: false, fulfillment: 'MERCHANT_FULFILLMENT' }),
  ];
  stapler.offers = [
    offer(stapler.asin, 1, {
      price: 2499,
      prime: false,
      fulfillment: 'MERCHANT_FULFILLMENT',
      merchantId: HARBOR,
      shipping: { cost: 599, minDays: 4, maxDays: 7 },
    }),
  ];
  lamp.offers = [
    offer(lamp.asin, 1, { price: 4999, stock: 0 }),
    offer(lamp.asin, 2, { price: 3000, merchantId: METRO }),
    offer(lamp.asin, 3, { region: 'CA', currency: 'CAD', price: 6000 }),
  ];
  await save(catalog, [stapler, pens, lamp]);
  return { catalog, w, stapler, pens, lamp };
}

const asinsOf = (r: Awaited<ReturnType<Awaited<ReturnType<typeof setup>>['catalog']['searchProducts']>>) =>
  r.kind === 'ok' ? r.products.map((p) => p.product.asin) : [];

test('keywords match all words; products with some of them only fill a short first page, after those with all', async () => {
  const { catalog, w, stapler, pens, lamp } = await setup();
  // One product has both words: it fills a page of one, nothing is relaxed.
  const strict = await catalog.searchProducts(query({ keywords: `${w} stapler`, page: { pageNumber: 0, pageSize: 1 } }), shopper);
  assert.deepEqual(asinsOf(strict), [stapler.asin]);
  assert.ok(strict.kind === 'ok' && !strict.relaxed && strict.matchingProductCount === 1);
  // A page of 24: the products with one of the words follow it, and the answer says it relaxed.
  const filled = await catalog.searchProducts(query({ keywords: `${w} stapler` }), shopper);
  assert.ok(filled.kind === 'ok' && filled.relaxed);
  assert.equal(asinsOf(filled)[0], stapler.asin);
  // (Other tests' staplers have the second word too.)
  assert.ok(asinsOf(filled).includes(pens.asin) && asinsOf(filled).includes(lamp.asin));
  assert.ok(filled.matchingProductCount >= 3);
  // The same matches and order on every page of the relaxed answer.
  const second = await catalog.searchProducts(query({ keywords: `${w} stapler`, page: { pageNumber: 1, pageSize: 2 } }), shopper);
  const first = await catalog.searchProducts(query({ keywords: `${w} stapler`, page: { pageNumber: 0, pageSize: 2 } }), shopper);
  assert.ok(first.kind === 'ok' && second.kind === 'ok' && first.relaxed && second.relaxed);
  assert.equal(first.matchingProductCount, second.matchingProductCount);
  assert.deepEqual([...asinsOf(first), ...asinsOf(second)], asinsOf(filled).slice(0, 4));
  const relaxed = await catalog.searchProducts(query({ keywords: `${w} stapler pens` }), shopper);
  assert.ok(relaxed.kind === 'ok' && relaxed.relaxed);
  assert.deepEqual(new Set(asinsOf(relaxed)).has(stapler.asin) && new Set(asinsOf(relaxed)).has(pens.asin), true);
  const stemmed = await catalog.searchProducts(query({ keywords: `${w} staplers`, page: { pageNumber: 0, pageSize: 1 } }), shopper);
  assert.deepEqual(asinsOf(stemmed), [stapler.asin]);
  assert.ok(stemmed.kind === 'ok' && stemmed.matchingProductCount === 1);
});

test('only products listed in the marketplace are found', async () => {
  const { catalog, w, lamp } = await setup();
  const ca = await catalog.searchProducts(query({ keywords: w }), {
    ...shopper,
    region: 'CA',
    destination: { market: 'CA', timeZone: 'America/Toronto' },
  });
  assert.deepEqual(asinsOf(ca), [lamp.asin]);
});

test('sort keys order the matches', async () => {
  const { catalog, w, stapler, pens, lamp } = await setup();
  const by = async (sort: ProductSearchQuery['sort']) => asinsOf(await catalog.searchProducts(query({ keywords: w, sort }), shopper));
  assert.deepEqual(await by('POPULARITY'), [pens.asin, lamp.asin, stapler.asin]);
  assert.deepEqual(await by('NEWEST_ARRIVALS'), [pens.asin, lamp.asin, stapler.asin]);
  assert.deepEqual((await by('TOP_RATED'))[0], stapler.asin);
  // The lamp has no featured offer (out of stock at Amazon, a poorly rated merchant otherwise): last either way.
  assert.deepEqual(await by('PRICE_LOW_TO_HIGH'), [pens.asin, stapler.asin, lamp.asin]);
  assert.deepEqual(await by('PRICE_HIGH_TO_LOW'), [stapler.asin, pens.asin, lamp.asin]);
});

test('price filters use the featured offer in whole currency units', async () => {
  const { catalog, w, stapler } = await setup();
  assert.deepEqual(asinsOf(await catalog.searchProducts(query({ keywords: w, minPrice: 10, maxPrice: 25 }), shopper)), [stapler.asin]);
  assert.deepEqual(asinsOf(await catalog.searchProducts(query({ keywords: w, maxPrice: 8 }), shopper)), []);
});

test('filters: department, subcategory, prime, free shipping, stock, identifiers, sku, product filters', async () => {
  const { catalog, w, stapler, pens, lamp } = await setup();
  const ask = async (patch: Partial<ProductSearchQuery>) =>
    new Set(asinsOf(await catalog.searchProducts(query({ keywords: w, ...patch }), shopper)));
  assert.deepEqual(await ask({ department: 'HOME_AND_KITCHEN' }), new Set([lamp.asin]));
  assert.deepEqual(await ask({ subCategory: `cat-${w}-pens` }), new Set([pens.asin]));
  assert.deepEqual(await ask({ primeOnly: true }), new Set([pens.asin]));
  assert.deepEqual(await ask({ freeShippingOnly: true }), new Set([pens.asin]));
  assert.deepEqual(await ask({ identifiers: [{ kind: 'upc', value: '036000291452' }] }), new Set([pens.asin]));
  assert.deepEqual(await ask({ identifiers: [{ kind: 'ean', value: '0036000291452' }] }), new Set([pens.asin]));
  assert.deepEqual(await ask({ identifiers: [{ kind: 'part', value: `QP-${w}`.toUpperCase() }] }), new Set([pens.asin]));
  assert.deepEqual(await ask({ sku: `SKU-${w}` }), new Set([pens.asin]));
  assert.deepEqual(await ask({ productFilters: { customQuote: true } }), new Set([pens.asin]));
  assert.deepEqual(await ask({ productFilters: { bundleQuantity: 12 } }), new Set([pens.asin]));
  assert.deepEqual(await ask({ availability: 'InStockOnly' }), new Set([stapler.asin, pens.asin, lamp.asin]));
  assert.deepEqual(
    await ask({ refinements: { departments: [], brands: ['acme', 'lumora'], conditions: [], certificates: [] } }),
    new Set([stapler.asin, lamp.asin]),
  );
  assert.deepEqual(
    await ask({ refinements: { departments: [], brands: [], conditions: ['USED'], certificates: [] } }),
    new Set([pens.asin]),
  );
  assert.deepEqual(
    await ask({ refinements: { departments: [], brands: [], conditions: [], certificates: ['MYC_TYPE_DIV_WOMEN_BUSINESS'] } }),
    new Set([stapler.asin]),
  );
  assert.deepEqual(
    await ask({ refinements: { departments: [], brands: [], minRating: 4, conditions: [], certificates: [] } }),
    new Set([stapler.asin, lamp.asin]),
  );
});

test('refinements list only what the matches have', async () => {
  const { catalog, w } = await setup();
  const r = await catalog.searchProducts(query({ keywords: w }), shopper);
  assert.ok(r.kind === 'ok');
  assert.deepEqual(r.refinements.categories.map((c) => c.id).sort(), ['HOME_AND_KITCHEN', 'OFFICE_PRODUCTS']);
  assert.deepEqual(r.refinements.subCategories, []);
  assert.deepEqual(r.refinements.primeEligible, [{ id: 'PrimeEligible', displayName: 'Prime Eligible' }]);
  assert.deepEqual(
    r.refinements.availabilityOptions.map((o) => o.id),
    ['InStockOnly', 'IncludeOutOfStock'],
  );
  const brand = r.searchRefinements.find((g) => g.displayValue === 'Brand');
  assert.deepEqual(brand?.refinementValues.map((v) => v.searchRefinementValue).sort(), [
    'brandtextbin#Acme',
    'brandtextbin#Lumora',
    'brandtextbin#Quillon',
  ]);
  const certs = r.searchRefinements.find((g) => g.displayValue === 'Seller Credentials');
  assert.ok(certs?.refinementValues.some((v) => v.displayName === 'Women-Owned Business'));
  const office = await catalog.searchProducts(query({ keywords: w, department: 'OFFICE_PRODUCTS' }), shopper);
  assert.ok(office.kind === 'ok');
  assert.deepEqual(
    office.refinements.categories.map((c) => c.id),
    ['OFFICE_PRODUCTS'],
  );
  assert.deepEqual(office.refinements.subCategories, [{ displayName: `${w} Supplies`, id: `cat-${w}-root` }]);
  const deeper = await catalog.searchProducts(query({ keywords: w, subCategory: `cat-${w}-root` }), shopper);
  assert.ok(deeper.kind === 'ok');
  assert.deepEqual(deeper.refinements.subCategories.map((s) => s.id).sort(), [`cat-${w}-leaf`, `cat-${w}-pens`]);
  const none = await catalog.searchProducts(query({ keywords: `${w}xyz` }), shopper);
  assert.ok(none.kind === 'ok');
  assert.equal(none.matchingProductCount, 0);
  assert.deepEqual(none.refinements, {
    categories: [],
    subCategories: [],
    availabilityOptions: [],
    deliveryDayOptions: [],
    eligibleForFreeShippingOptions: [],
    primeEligible: [],
  });
  assert.deepEqual(none.searchRefinements, []);
});

test('delivery-day refinements follow the clock and the postal code', async () => {
  const { catalog, w, pens } = await setup();
  const today = await catalog.searchProducts(query({ keywords: w, deliveryDay: 'GetItTomorrow' }), shopper);
  assert.deepEqual(asinsOf(today), [pens.asin]);
  const far = await catalog.searchProducts(query({ keywords: w, deliveryDay: 'GetItTomorrow' }), {
    ...shopper,
    destination: { ...shopper.destination, postalCode: '99501' },
  });
  assert.deepEqual(asinsOf(far), []);
});

test('pages: matchingProductCount is constant, a page beyond the last is not found', async () => {
  const { catalog, w } = await setup();
  const p0 = await catalog.searchProducts(query({ keywords: w, page: { pageNumber: 0, pageSize: 2 } }), shopper);
  const p1 = await catalog.searchProducts(query({ keywords: w, page: { pageNumber: 1, pageSize: 2 } }), shopper);
  assert.ok(p0.kind === 'ok' && p1.kind === 'ok');
  assert.equal(p0.matchingProductCount, 3);
  assert.equal(p1.matchingProductCount, 3);
  assert.equal(p0.numberOfPages, 2);
  assert.equal(p0.products.length + p1.products.length, 3);
  assert.deepEqual(await catalog.searchProducts(query({ keywords: w, page: { pageNumber: 2, pageSize: 2 } }), shopper), {
    kind: 'page-not-found',
    numberOfPages: 2,
  });
});

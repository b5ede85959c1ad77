import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CatalogImporter, CatalogService, loadSampleCatalog } from '../../../src/modules/catalog/index.ts';
import {
  ALL_PRIVILEGES,
  fixedClock,
  offer,
  openTestDb,
  productSearchServer,
  uniqueAsin,
  WEDNESDAY_MORNING,
} from '../../support/catalog.ts';
import { check, loadModel } from '../../support/swagger.ts';

// Variation families of the shipped sample catalog (scripts/build-sample-catalog.ts groups them).
const model = loadModel('product-search/ProductSearch_API.json');
const db = await openTestDb();
const catalog = new CatalogService({ db, clock: fixedClock(WEDNESDAY_MORNING) });
const loaded = await loadSampleCatalog(db, { catalog });
assert.equal(loaded.rejected, 0);
const server = await productSearchServer(catalog, { call: { privilegedFields: ALL_PRIVILEGES } });
const get = (url: string) => server.inject({ method: 'GET', url });
const productUrl = (asin: string, qs = '') => `/products/2020-08-26/products/${asin}?productRegion=US&locale=en_US${qs}`;

// "Motorola - MOTO G (4th Generation) 4G LTE with 16GB Memory Cell Phone (Unlocked) - Black" and its siblings.
const MOTO_G = { black16: 'B0WPSVP6XN', black32: 'B0VOTTZFHS', white16: 'B0M7CFCX5N', white32: 'B072YYTVP9' };
const MOTO_G_VARIATIONS = {
  dimensions: [
    {
      index: 0,
      displayString: 'Color',
      dimensionValues: [
        { index: 0, displayString: 'Black' },
        { index: 1, displayString: 'White' },
      ],
    },
    {
      index: 1,
      displayString: 'Capacity',
      dimensionValues: [
        { index: 0, displayString: '16GB' },
        { index: 1, displayString: '32GB' },
      ],
    },
  ],
  variations: [
    {
      asin: MOTO_G.black16,
      variationValues: [
        { index: 0, value: 0 },
        { index: 1, value: 0 },
      ],
    },
    {
      asin: MOTO_G.black32,
      variationValues: [
        { index: 0, value: 0 },
        { index: 1, value: 1 },
      ],
    },
    {
      asin: MOTO_G.white16,
      variationValues: [
        { index: 0, value: 1 },
        { index: 1, value: 0 },
      ],
    },
    {
      asin: MOTO_G.white32,
      variationValues: [
        { index: 0, value: 1 },
        { index: 1, value: 1 },
      ],
    },
  ],
};

test('productsRequest: a grouped product is a VARIATION_CHILD with its whole family', async () => {
  const res = await get(productUrl(MOTO_G.black16, '&facets=OFFERS&inclusionsForProducts=ALL'));
  assert.equal(res.statusCode, 200);
  const p = res.json();
  assert.deepEqual(
    check(model, 'ProductsResult', p, {
      nullable: ['format', 'isbn10', 'isbn13', 'publicationDate', 'publishedLanguage'],
      optional: ['isCustomQuoteEligible'],
    }),
    [],
  );
  assert.equal(p.asin, MOTO_G.black16);
  assert.equal(p.asinType, 'VARIATION_CHILD');
  assert.deepEqual(p.productVariations, MOTO_G_VARIATIONS);
  assert.ok(p.includedDataTypes.OFFERS.length >= 1, 'a variation child is purchasable');
  // A sibling answers the same family; without the inclusion it is left out, the type stays.
  const sibling = (await get(productUrl(MOTO_G.white32))).json();
  assert.equal(sibling.asinType, 'VARIATION_CHILD');
  assert.deepEqual(sibling.productVariations, MOTO_G_VARIATIONS);
  const titleOnly = (await get(productUrl(MOTO_G.white32, '&inclusionsForProducts=title'))).json();
  assert.equal(titleOnly.asinType, 'VARIATION_CHILD');
  assert.ok(!('productVariations' in titleOnly));
});

test('productsRequest: three dimensions, values in their stable order', async () => {
  // "Samsung - Galaxy S7 32GB - Black Onyx (Verizon)": colours and carriers.
  const p = (await get(productUrl('B05C6VESTJ', '&inclusionsForProducts=title,productVariations'))).json();
  assert.equal(p.title, 'Samsung - Galaxy S7 32GB - Black Onyx (Verizon)');
  assert.deepEqual(
    p.productVariations.dimensions.map((d: { displayString: string; dimensionValues: { displayString: string }[] }) => [
      d.displayString,
      d.dimensionValues.map((v) => v.displayString),
    ]),
    [
      ['Color', ['Black Onyx', 'Gold Platinum', 'Pink Gold', 'Platinum Gold']],
      ['Wireless Carrier', ['AT&T', 'Sprint', 'Verizon']],
    ],
  );
  const own = p.productVariations.variations.find((v: { asin: string }) => v.asin === 'B05C6VESTJ');
  assert.deepEqual(own.variationValues, [
    { index: 0, value: 0 },
    { index: 1, value: 2 },
  ]);
  assert.equal(p.productVariations.variations.length, 7);
});

test('a product without a family: STANDARD and empty variation lists, as before', async () => {
  const p = (await get(productUrl('B08PB9TTKT', '&inclusionsForProducts=productVariations'))).json();
  assert.equal(p.asinType, 'STANDARD');
  assert.deepEqual(p.productVariations, { dimensions: [], variations: [] });
});

test('getProductsByAsins answers each product with its own type and family', async () => {
  const res = await server.inject({
    method: 'POST',
    url: '/products/2020-08-26/products/getProductsByAsins?inclusionsForProducts=productVariations',
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify({ productIds: [MOTO_G.black32, 'B08PB9TTKT'], productRegion: 'US', locale: 'en_US' }),
  });
  assert.equal(res.statusCode, 200);
  const [grouped, standard] = res.json().products;
  assert.deepEqual([grouped.asin, grouped.asinType, grouped.productVariations], [MOTO_G.black32, 'VARIATION_CHILD', MOTO_G_VARIATIONS]);
  assert.deepEqual(
    [standard.asin, standard.asinType, standard.productVariations],
    ['B08PB9TTKT', 'STANDARD', { dimensions: [], variations: [] }],
  );
});

test('a JSON Lines import rejects a product whose family is inconsistent, and keeps the good ones', async () => {
  const good = uniqueAsin();
  const bad = uniqueAsin();
  const line = (asin: string, values: string[]) =>
    JSON.stringify({
      type: 'product',
      asin,
      title: `Variation import ${asin}`,
      department: 'MOBILE_AND_ACCESSORIES',
      variations: {
        dimensions: [{ name: 'Color', values: ['Black', 'White'] }],
        children: [
          { asin: good, values: ['Black'] },
          { asin: bad, values },
        ],
      },
      offers: [offer(asin, 1)],
    });
  const report = await new CatalogImporter(catalog).importText(`${line(good, ['White'])}\n${line(bad, ['Red'])}\n`, { format: 'jsonl' });
  assert.equal(report.products, 1);
  assert.deepEqual(report.rejections, [
    { line: 2, asin: bad, reason: 'variations.children[1]: "Red" is not a value of dimension "Color"' },
  ]);
  assert.equal((await get(productUrl(bad))).statusCode, 404);
  // The good one is stored with its family (asinType defaulted); a sibling missing from the catalog is listed as given.
  const p = (await get(productUrl(good, '&inclusionsForProducts=productVariations'))).json();
  assert.equal(p.asinType, 'VARIATION_CHILD');
  assert.deepEqual(p.productVariations, {
    dimensions: [
      {
        index: 0,
        displayString: 'Color',
        dimensionValues: [
          { index: 0, displayString: 'Black' },
          { index: 1, displayString: 'White' },
        ],
      },
    ],
    variations: [
      { asin: good, variationValues: [{ index: 0, value: 0 }] },
      { asin: bad, variationValues: [{ index: 0, value: 1 }] },
    ],
  });
});

test('a family saved without the import checks never answers a value index that does not exist', async () => {
  const asin = uniqueAsin();
  const other = uniqueAsin();
  // CatalogService.save() stores records as given (tests, code); the importer is what checks families.
  const saved = await catalog.save([
    {
      type: 'product',
      asin,
      title: `Unchecked family ${asin}`,
      department: 'MOBILE_AND_ACCESSORIES',
      categories: [],
      variations: {
        dimensions: [{ name: 'Color', values: ['Black'] }],
        children: [
          { asin, values: ['Black'] },
          { asin: other, values: ['Teal'] },
        ],
      },
      offers: [offer(asin, 1)],
    },
  ]);
  assert.deepEqual(saved.rejected, []);
  const p = (await get(productUrl(asin, '&inclusionsForProducts=productVariations'))).json();
  assert.deepEqual(p.productVariations.variations, [
    { asin, variationValues: [{ index: 0, value: 0 }] },
    { asin: other, variationValues: [] },
  ]);
});

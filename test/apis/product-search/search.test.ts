import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ALL_PRIVILEGES, productSearchFixture, productSearchServer, testCatalog } from '../../support/catalog.ts';
import { check, loadModel } from '../../support/swagger.ts';

const model = loadModel('product-search/ProductSearch_API.json');
const catalog = await testCatalog();
const fx = await productSearchFixture(catalog);
const server = await productSearchServer(catalog, { call: { privilegedFields: ALL_PRIVILEGES } });
const plain = await productSearchServer(catalog);

const get = (url: string, s = server) => s.inject({ method: 'GET', url });
const search = (qs: string, s = server) => get(`/products/2020-08-26/products?productRegion=US&locale=en_US&${qs}`, s);

function assertOffers(offers: unknown[]) {
  for (const o of offers) assert.deepEqual(check(model, 'Offer', o), []);
}

test('searchProductsRequest answers the model shape with one featured offer per product', async () => {
  // A page of one: the one product with both words fills it (a longer page would be filled with
  // the fixture's products that have one of them, after it).
  const res = await search(`keywords=${fx.w}%20smartphone&facets=OFFERS,IMAGES&inclusionsForProducts=ALL&pageSize=1`);
  assert.equal(res.statusCode, 200);
  const body = res.json();
  assert.deepEqual(
    check(model, 'SearchProductsResult', body, {
      nullable: ['isBundledAsin', 'format', 'isbn10', 'isbn13', 'publicationDate', 'publishedLanguage', 'selectionType'],
    }),
    [],
  );
  assert.equal(body.matchingProductCount, 1);
  assert.equal(body.numberOfPages, 1);
  assert.equal(body.sortKey, 'RELEVANCE');
  const [p] = body.products;
  assert.equal(p.asin, fx.phone.asin);
  assert.equal(p.includedDataTypes.OFFERS.length, 1);
  assertOffers(p.includedDataTypes.OFFERS);
  const featured = p.includedDataTypes.OFFERS[0];
  assert.equal(featured.offerId, `${fx.phone.asin}-offer-1`);
  assert.deepEqual(featured.price, { value: { amount: 479.99, currencyCode: 'USD' }, formattedPrice: '$479.99', priceType: 'BUSINESS' });
  assert.equal(p.includedDataTypes.IMAGES.length, 1);
  for (const img of p.includedDataTypes.IMAGES) assert.deepEqual(check(model, 'ImageItem', img), []);
  assert.equal(p.includedDataTypes.IMAGES[0].thumbnail.width, 40);
  assert.equal(p.isCustomQuoteEligible, true);
  assert.equal(p.isBundledAsin, false);
  assert.deepEqual(p.upcValues, ['036000291452']);
  assert.deepEqual(p.eanValues, ['0036000291452']);
  assert.equal(p.url, `https://www.amazon.com/dp/${fx.phone.asin}?ref_=ab_psdp`);
  assert.match(p.signedProductId, /^amzn1\.business\.asin\.[A-Z2-7]+$/);
  assert.deepEqual(p.taxonomies, [{ taxonomyCode: '43191501', title: 'Mobile phones', type: 'UNSPSC' }]);
  assert.deepEqual(body.refinements.categories, [{ displayName: 'Cell Phones & Accessories', id: 'MOBILE_AND_ACCESSORIES' }]);
  assert.ok(body.searchRefinements.some((g: { displayValue: string }) => g.displayValue === 'Brand'));
});

test('without facets, includedDataTypes is empty; by default upc, ean, model and manufacturer are left out', async () => {
  const body = (await search(`keywords=${fx.w}%20smartphone`)).json();
  const [p] = body.products;
  assert.deepEqual(p.includedDataTypes, {});
  for (const f of ['upcValues', 'eanValues', 'modelNumber', 'manufacturerName']) assert.ok(!(f in p), f);
  assert.equal(p.isBundledAsin, null);
  assert.ok(Array.isArray(p.features) && p.title);
});

test('inclusion lists choose the fields', async () => {
  const body = (
    await search(`keywords=${fx.w}%20smartphone&facets=OFFERS&inclusionsForProducts=title,modelNumber&inclusionsForOffers=price,merchant`)
  ).json();
  const [p] = body.products;
  assert.deepEqual(Object.keys(p).sort(), ['asin', 'asinType', 'includedDataTypes', 'modelNumber', 'signedProductId', 'title', 'url']);
  assert.equal(p.modelNumber, 'NW-128');
  assert.deepEqual(Object.keys(p.includedDataTypes.OFFERS[0]).sort(), ['merchant', 'offerId', 'price']);
  const bad = await search('keywords=x&inclusionsForProducts=title,colour');
  assert.equal(bad.statusCode, 400);
  assert.equal(bad.json().errors[0].code, 'INVALID_REQUEST_PARAMETER');
  assert.match(bad.json().errors[0].message, /colour/);
});

test('privileged fields are absent unless the application was granted them', async () => {
  const body = (await search(`keywords=${fx.w}%20smartphone&facets=OFFERS&inclusionsForProducts=ALL`, plain)).json();
  const [p] = body.products;
  for (const f of ['taxonomies', 'customerReviewsSummary', 'editorialReviews', 'bookInformation', 'byLine', 'mediaInformation', 'format'])
    assert.ok(!(f in p), f);
  const merchant = p.includedDataTypes.OFFERS[0].merchant;
  assert.deepEqual(Object.keys(merchant).sort(), ['certificates', 'name']);
  const granted = (await search(`keywords=${fx.w}%20smartphone&facets=OFFERS&inclusionsForProducts=ALL`)).json().products[0];
  assert.deepEqual(Object.keys(granted.includedDataTypes.OFFERS[0].merchant).sort(), [
    'certificates',
    'meanFeedbackRating',
    'merchantId',
    'name',
    'totalFeedbackCount',
  ]);
  assert.equal(granted.format, null);
  assert.deepEqual(granted.customerReviewsSummary, { numberOfRatings: 10, starRating: 4.2 });
});

test('pages: pageSize at most 24, pageNumber below numberOfPages', async () => {
  const p0 = (await search(`keywords=${fx.w}&pageSize=3&pageNumber=0`)).json();
  assert.equal(p0.matchingProductCount, 7);
  assert.equal(p0.numberOfPages, 3);
  assert.equal(p0.products.length, 3);
  const p2 = (await search(`keywords=${fx.w}&pageSize=3&pageNumber=2`)).json();
  assert.equal(p2.products.length, 1);
  assert.equal(p2.matchingProductCount, 7);
  const beyond = await search(`keywords=${fx.w}&pageSize=3&pageNumber=3`);
  assert.equal(beyond.statusCode, 404);
  assert.equal(beyond.json().errors[0].code, 'PAGE_NOT_FOUND');
  for (const qs of ['pageSize=25', 'pageSize=0', 'pageNumber=-1', 'pageNumber=one']) {
    const res = await search(`keywords=${fx.w}&${qs}`);
    assert.equal(res.statusCode, 400, qs);
    assert.equal(res.json().errors[0].code, 'INVALID_REQUEST_PARAMETER');
  }
  const empty = await search(`keywords=${fx.w}nothing`);
  assert.equal(empty.statusCode, 200);
  assert.deepEqual([empty.json().matchingProductCount, empty.json().numberOfPages, empty.json().products], [0, 0, []]);
});

test('sortKey and the price filter are echoed; an unknown sortKey means RELEVANCE', async () => {
  const body = (await search(`keywords=${fx.w}&sortKey=PRICE_LOW_TO_HIGH&minPrice=5&maxPrice=100`)).json();
  assert.equal(body.sortKey, 'PRICE_LOW_TO_HIGH');
  assert.equal(body.minPrice, 5);
  assert.equal(body.maxPrice, 100);
  assert.ok(body.products.every((p: { asin: string }) => p.asin !== fx.phone.asin));
  assert.equal((await search(`keywords=${fx.w}&sortKey=CHEAPEST`)).json().sortKey, 'RELEVANCE');
  const bad = await search(`keywords=${fx.w}&minPrice=10&maxPrice=5`);
  assert.equal(bad.statusCode, 400);
});

test('refinement ids from a response narrow the next search', async () => {
  const first = (await search(`keywords=${fx.w}`)).json();
  const prime = first.refinements.primeEligible[0].id;
  const brand = first.searchRefinements
    .find((g: { displayValue: string }) => g.displayValue === 'Brand')
    .refinementValues.find((v: { displayName: string }) => v.displayName === 'Northwind').searchRefinementValue;
  const narrowed = (await search(`keywords=${fx.w}&primeEligible=${prime}&searchRefinements=${encodeURIComponent(brand)}`)).json();
  assert.deepEqual(
    narrowed.products.map((p: { asin: string }) => p.asin),
    [fx.phone.asin],
  );
  const byCategory = (await search(`keywords=${fx.w}&category=MOBILE_AND_ACCESSORIES`)).json();
  assert.deepEqual(byCategory.refinements.subCategories, [{ displayName: `${fx.w} Phones`, id: `cat-${fx.w}-phones` }]);
  const bySub = (await search(`keywords=${fx.w}&subCategory=cat-${fx.w}-phones`)).json();
  assert.deepEqual(bySub.refinements.subCategories, [{ displayName: `${fx.w} Unlocked`, id: `cat-${fx.w}-unlocked` }]);
  for (const qs of [
    'category=SPACESHIPS',
    'availability=Sometimes',
    'deliveryDay=Yesterday',
    'primeEligible=maybe',
    'eligibleForFreeShipping=x',
    'searchRefinements=colour%23red',
    'productFilters=colour%23red',
  ]) {
    const res = await search(`keywords=${fx.w}&${qs}`);
    assert.equal(res.statusCode, 400, qs);
  }
});

test('identifier searches: upc, ean, part number, sku', async () => {
  for (const qs of ['upc=036000291452', 'ean=0036000291452', 'partNumber=nw-128-blk', `sku=NW-${fx.w}`]) {
    const body = (await search(qs)).json();
    assert.ok(
      body.products.some((p: { asin: string }) => p.asin === fx.phone.asin),
      qs,
    );
  }
});

test('missing required parameters are named in the Amazon message', async () => {
  const res = await get('/products/2020-08-26/products?productRegion=US&keywords=pen&facets=OFFERS,IMAGES');
  assert.equal(res.statusCode, 400);
  assert.deepEqual(res.json(), {
    errors: [{ code: 'INVALID_REQUEST_PARAMETER', message: 'Missing required request parameters: [locale]', details: '' }],
  });
  const both = await get('/products/2020-08-26/products?keywords=pen');
  assert.equal(both.json().errors[0].message, 'Missing required request parameters: [productRegion, locale]');
});

test('productRegion: a model value, served by this endpoint, where the business operates; the locale must fit it', async () => {
  const cases: [string, RegExp][] = [
    ['productRegion=XX&locale=en_US', /productRegion/],
    ['productRegion=IN&locale=en_IN', /productRegion/],
    ['productRegion=DE&locale=de_DE', /EU endpoint/],
    ['productRegion=US&locale=fr_FR', /not supported/],
    ['productRegion=US&locale=en%20US', /locale/],
  ];
  for (const [qs, message] of cases) {
    const res = await get(`/products/2020-08-26/products?${qs}&keywords=x`);
    assert.equal(res.statusCode, 400, qs);
    assert.equal(res.json().errors[0].code, 'INVALID_REQUEST_PARAMETER');
    assert.match(res.json().errors[0].message, message, qs);
  }
  const usOnly = await productSearchServer(catalog, { marketplaces: ['US'] });
  const ca = await get('/products/2020-08-26/products?productRegion=CA&locale=en_CA&keywords=x', usOnly);
  assert.equal(ca.statusCode, 400);
  assert.match(ca.json().errors[0].message, /does not operate in productRegion \[CA\]/);
  assert.equal((await get(`/products/2020-08-26/products?productRegion=US&locale=es_US&keywords=x`, usOnly)).statusCode, 200);
  // The token is for the US marketplace: CA, a store of the endpoint, answers the gateway's 403.
  const other = await get('/products/2020-08-26/products?productRegion=CA&locale=en_CA&keywords=x');
  assert.equal(other.statusCode, 403);
  assert.equal(other.headers['x-amzn-errortype'], 'AccessDeniedException');
  assert.deepEqual(other.json(), { errors: [{ message: 'Access to requested resource is denied.', code: 'Unauthorized', details: '' }] });
  const caToken = await productSearchServer(catalog, { call: { marketplace: 'CA' } });
  assert.equal((await get('/products/2020-08-26/products?productRegion=CA&locale=en_CA&keywords=x', caToken)).statusCode, 200);
});

test('a marketplace prices in its currency and the locale formats it', async () => {
  const eu = await productSearchServer(catalog, { call: { region: 'EU', marketplace: 'DE' } });
  const res = await get(`/products/2020-08-26/products?productRegion=DE&locale=de_DE&keywords=${fx.w}&facets=OFFERS`, eu);
  assert.equal(res.statusCode, 200);
  const offer = res.json().products[0].includedDataTypes.OFFERS[0];
  assert.deepEqual(offer.price.value, { amount: 1234.5, currencyCode: 'EUR' });
  assert.equal(offer.price.formattedPrice, '1.234,50\u00a0€');
  assert.equal(offer.taxExclusivePrice.formattedPrice, '1.037,39\u00a0€');
  assert.equal(offer.taxExclusivePrice.label, 'ohne MwSt.');
  assert.ok(offer.badges.some((b: { name: string }) => b.name === 'BUSINESS_INVOICE_BADGE'));
  assert.match(offer.deliveryInformation, /^KOSTENLOSE Lieferung/);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { productSearchApi } from '../../../src/apis/product-search/index.ts';
import { apiServer } from '../../support/api-server.ts';
import { productSearchFixture, productSearchServer, testCatalog } from '../../support/catalog.ts';
import { check, loadModel } from '../../support/swagger.ts';

const model = loadModel('product-search/ProductSearch_API.json');
const catalog = await testCatalog();
const fx = await productSearchFixture(catalog);
const server = await productSearchServer(catalog);

const BY_ASINS = '/products/2020-08-26/products/getProductsByAsins';
const BY_OFFERS = '/products/2020-08-26/offers/getOffersByOfferIds';
const post = (url: string, body: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
  server.inject({ method: 'POST', url, headers, payload: typeof body === 'string' ? body : JSON.stringify(body) });

test('getProductsByAsins collapses duplicates and lists the ASINs not found', async () => {
  const res = await post(`${BY_ASINS}?inclusionsForProducts=title`, {
    productIds: [fx.phone.asin, fx.phone.asin.toLowerCase(), fx.many.asin, 'B0NOTHERE0', fx.german.asin],
    productRegion: 'US',
    locale: 'en_US',
    facets: ['OFFERS'],
  });
  assert.equal(res.statusCode, 200);
  const body = res.json();
  assert.deepEqual(
    check(model, 'ProductsByAsinsResponse', body, {
      optional: [
        'legalInformation',
        'features',
        'taxonomies',
        'packageTypeNames',
        'format',
        'bookInformation',
        'byLine',
        'mediaInformation',
        'productDescription',
        'productOverview',
        'productDetails',
        'customerReviewsSummary',
        'productVariations',
        'upcValues',
        'eanValues',
        'modelNumber',
        'manufacturerName',
        'bundleQuantity',
        'isCustomQuoteEligible',
        'isBundledAsin',
      ],
    }),
    [],
  );
  assert.equal(body.matchingProductCount, 2);
  assert.deepEqual(
    body.products.map((p: { asin: string }) => p.asin),
    [fx.phone.asin, fx.many.asin],
  );
  assert.deepEqual(body.notFoundAsins, ['B0NOTHERE0', fx.german.asin]);
  assert.ok(body.products[1].includedDataTypes.OFFERS.length <= 10);
});

test('getProductsByAsins refuses more than 30 ASINs and missing body fields', async () => {
  const many = Array.from({ length: 31 }, (_, i) => `B0${String(i).padStart(8, '0')}`);
  const res = await post(BY_ASINS, { productIds: many, productRegion: 'US', locale: 'en_US' });
  assert.equal(res.statusCode, 400);
  assert.equal(res.json().errors[0].code, 'INVALID_REQUEST_PARAMETER');
  assert.match(res.json().errors[0].message, /at most 30/);
  const missing = await post(BY_ASINS, { productIds: [fx.phone.asin], productRegion: 'US' });
  assert.deepEqual(missing.json(), {
    errors: [{ code: 'INVALID_REQUEST_PARAMETER', message: 'Missing required request parameters: [locale]', details: '' }],
  });
  assert.equal((await post(BY_ASINS, { productIds: [], productRegion: 'US', locale: 'en_US' })).statusCode, 400);
  assert.equal(
    (await post(BY_ASINS, { productIds: [fx.phone.asin], productRegion: 'US', locale: 'en_US', facets: ['PRICES'] })).statusCode,
    400,
  );
});

test('FAQ: getProductsByAsins called with GET answers InvalidInput', async () => {
  const res = await server.inject({ method: 'GET', url: `${BY_ASINS}?productRegion=US&locale=en_US` });
  assert.equal(res.statusCode, 400);
  const body = res.json();
  assert.equal(body.errors[0].code, 'InvalidInput');
  assert.match(body.errors[0].message, /POST/);
  assert.equal(body.errors[0].details, '');
  const offers = await server.inject({ method: 'GET', url: BY_OFFERS });
  assert.equal(offers.json().errors[0].code, 'InvalidInput');
});

test('FAQ: a body that is not JSON answers InvalidInput, never 415', async () => {
  const cases: [Record<string, string>, string, RegExp][] = [
    [
      { 'content-type': 'text/plain' },
      JSON.stringify({ productIds: [fx.phone.asin], productRegion: 'US', locale: 'en_US' }),
      /Content-Type: application\/json \(got text\/plain\)/,
    ],
    [{ 'content-type': 'application/x-www-form-urlencoded' }, 'productIds=x&productRegion=US', /got application\/x-www-form-urlencoded/],
    [{}, 'productIds=x', /no Content-Type/],
    [{ 'content-type': 'application/json' }, '{ "productIds": [', /not valid JSON/],
    [{ 'content-type': 'application/json' }, '[1, 2]', /JSON object/],
  ];
  for (const [headers, payload, message] of cases) {
    const res = await post(BY_ASINS, payload, headers);
    assert.equal(res.statusCode, 400, JSON.stringify(headers));
    assert.equal(res.json().errors[0].code, 'InvalidInput');
    assert.match(res.json().errors[0].message, message);
  }
  const offers = await post(`${BY_OFFERS}?inclusionsForOffers=price`, 'x', { 'content-type': 'text/xml' });
  assert.equal(offers.statusCode, 400);
  assert.equal(offers.json().errors[0].code, 'InvalidInput');
});

test('getOffersByOfferIds returns the offers asked for, encoded or not, and lists the unknown ones', async () => {
  const [a, b] = [`${fx.phone.asin}-offer-2`, `${fx.many.asin}-offer-3`];
  const res = await post(`${BY_OFFERS}?inclusionsForOffers=price,merchant,availability`, {
    productRegion: 'US',
    locale: 'en_US',
    offersByOfferIdsRequest: [
      { offerId: a },
      { offerId: b },
      { offerId: a },
      { offerId: 'fdasdadsdsas' },
      { offerId: `${fx.phone.asin}-offer-5` },
    ],
  });
  assert.equal(res.statusCode, 200);
  const body = res.json();
  assert.deepEqual(
    check(model, 'GetOffersByOfferIdsResponse', body, {
      optional: [
        'buyingGuidance',
        'buyingRestrictions',
        'fulfillmentType',
        'productCondition',
        'productConditionNote',
        'condition',
        'quantityLimits',
        'taxExclusivePrice',
        'deliveryInformation',
        'listPrice',
        'shippingOptions',
        'quantityInStock',
        'badges',
        'merchantId',
        'meanFeedbackRating',
        'totalFeedbackCount',
      ],
    }),
    [],
  );
  assert.deepEqual(
    body.offers.map((o: { offerId: string }) => o.offerId),
    [a, b],
  );
  assert.deepEqual(Object.keys(body.offers[0]).sort(), ['availability', 'merchant', 'offerId', 'price']);
  assert.deepEqual(body.notFoundOfferIds, ['fdasdadsdsas', `${fx.phone.asin}-offer-5`]);
});

test('getOffersByOfferIds needs inclusionsForOffers (without ALL) and at most 30 ids', async () => {
  const body = { productRegion: 'US', locale: 'en_US', offersByOfferIdsRequest: [{ offerId: 'x' }] };
  const missing = await post(BY_OFFERS, body);
  assert.deepEqual(missing.json(), {
    errors: [{ code: 'INVALID_REQUEST_PARAMETER', message: 'Missing required request parameters: [inclusionsForOffers]', details: '' }],
  });
  assert.equal((await post(`${BY_OFFERS}?inclusionsForOffers=ALL`, body)).statusCode, 400);
  const tooMany = await post(`${BY_OFFERS}?inclusionsForOffers=price`, {
    ...body,
    offersByOfferIdsRequest: Array.from({ length: 31 }, (_, i) => ({ offerId: `o${i}` })),
  });
  assert.equal(tooMany.statusCode, 400);
  assert.equal((await post(`${BY_OFFERS}?inclusionsForOffers=price`, { ...body, offersByOfferIdsRequest: [{ id: 'x' }] })).statusCode, 400);
});

test('an unexpected failure is a 500 SERVICE_ERROR without internals', async () => {
  const broken = await apiServer(
    productSearchApi.bindWith({
      catalog,
      businessFacts: async () => {
        throw new Error('policy store is down at 10.0.0.7');
      },
    }),
  );
  const res = await broken.inject({ method: 'GET', url: `/products/2020-08-26/products/${fx.phone.asin}?productRegion=US&locale=en_US` });
  assert.equal(res.statusCode, 500);
  assert.equal(res.json().errors[0].code, 'SERVICE_ERROR');
  assert.doesNotMatch(res.body, /10\.0\.0\.7/);
});

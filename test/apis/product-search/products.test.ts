import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ALL_PRIVILEGES,
  fixedClock,
  productSearchFixture,
  productSearchServer,
  testCatalog,
  WEDNESDAY_MORNING,
} from '../../support/catalog.ts';
import { check, loadModel } from '../../support/swagger.ts';

const model = loadModel('product-search/ProductSearch_API.json');
const catalog = await testCatalog(fixedClock(WEDNESDAY_MORNING));
const fx = await productSearchFixture(catalog);
const server = await productSearchServer(catalog, {
  call: { privilegedFields: ALL_PRIVILEGES },
  policies: [{ guidance: 'PREFERRED', matchType: 'brand', value: 'northwind' }],
});
const get = (url: string) => server.inject({ method: 'GET', url });
const productUrl = (asin: string, qs = '') =>
  `/products/2020-08-26/products/${asin}?productRegion=US&locale=en_US&facets=OFFERS,IMAGES${qs}`;
const offersUrl = (asin: string, qs = '') => `/products/2020-08-26/products/${asin}/offers?productRegion=US&locale=en_US${qs}`;

test('productsRequest answers the model shape: the featured offer first, then by landed price, at most 10', async () => {
  const res = await get(productUrl(fx.phone.asin, '&inclusionsForProducts=ALL'));
  assert.equal(res.statusCode, 200);
  const p = res.json();
  assert.deepEqual(
    check(model, 'ProductsResult', p, {
      nullable: ['format', 'isbn10', 'isbn13', 'publicationDate', 'publishedLanguage'],
      optional: ['isCustomQuoteEligible'],
    }),
    [],
  );
  assert.ok(!('isCustomQuoteEligible' in p), 'isCustomQuoteEligible is a searchProducts field');
  const offers = p.includedDataTypes.OFFERS;
  for (const o of offers) assert.deepEqual(check(model, 'Offer', o), []);
  assert.deepEqual(
    offers.map((o: { offerId: string }) => o.offerId),
    [1, 3, 2, 4].map((n) => `${fx.phone.asin}-offer-${n}`),
  );
  const many = (await get(productUrl(fx.many.asin))).json();
  assert.equal(many.includedDataTypes.OFFERS.length, 10);
  assert.equal(many.includedDataTypes.OFFERS[0].offerId, `${fx.many.asin}-offer-1`);
});

test('quantity tiers: every band is listed; the price follows the asked quantity', async () => {
  const one = (await get(productUrl(fx.phone.asin))).json().includedDataTypes.OFFERS[0];
  assert.deepEqual(
    one.quantityPrice.quantityPriceTiers.map((t: { quantityDisplay: string; unitPrice: { amount: number } }) => [
      t.quantityDisplay,
      t.unitPrice.amount,
    ]),
    [
      ['1-4', 479.99],
      ['5-9', 469.99],
      ['10+', 459.99],
    ],
  );
  assert.equal(one.quantityPrice.quantityPriceTiers[1].savingMessage, 'Save 2%');
  assert.deepEqual(one.listPrice, { value: { amount: 549.99, currencyCode: 'USD' }, formattedPrice: '$549.99', priceType: 'LIST' });
  const ten = (await get(productUrl(fx.phone.asin, '&quantity=10'))).json().includedDataTypes.OFFERS[0];
  assert.deepEqual(ten.price.value, { amount: 459.99, currencyCode: 'USD' });
  assert.equal((await get(productUrl(fx.phone.asin, '&quantity=0'))).statusCode, 400);
});

test('buying guidance comes from the business policies', async () => {
  const offer = (await get(productUrl(fx.phone.asin))).json().includedDataTypes.OFFERS[0];
  assert.equal(offer.buyingGuidance, 'PREFERRED');
  assert.equal(offer.buyingGuidanceV2.buyingGuidance[0].type, 'PREFERRED');
  const other = (await get(productUrl(fx.many.asin))).json().includedDataTypes.OFFERS[0];
  assert.equal(other.buyingGuidance, 'NONE');
  const noBusiness = await productSearchServer(catalog, { call: { businessId: null } });
  const unknown = (await noBusiness.inject({ method: 'GET', url: productUrl(fx.phone.asin) })).json().includedDataTypes.OFFERS[0];
  assert.equal(unknown.buyingGuidance, 'UNKNOWN');
});

test('delivery estimates come from the clock and the postal code', async () => {
  const near = (await get(productUrl(fx.phone.asin, '&shippingPostalCode=22301'))).json().includedDataTypes.OFFERS[0];
  assert.match(near.deliveryInformation, /^FREE delivery December 3\s?–\s?4$/);
  assert.deepEqual(near.shippingOptions[0].deliveryRange, { min: '2026-12-03T08:00:00-05:00', max: '2026-12-04T20:00:00-05:00' });
  const far = (await get(productUrl(fx.phone.asin, '&shippingPostalCode=99501'))).json().includedDataTypes.OFFERS[0];
  assert.match(far.deliveryInformation, /^FREE delivery December 8\s?–\s?9$/);
  const sameDay = (await get(productUrl(fx.many.asin, '&shippingPostalCode=22301&inclusionsForOffers=deliveryInformation'))).json()
    .includedDataTypes.OFFERS[0];
  assert.match(sameDay.deliveryInformation, /^FREE delivery December 3\s?–\s?4$/);
  const paid = (await get(productUrl(fx.phone.asin, '&shippingPostalCode=22301')))
    .json()
    .includedDataTypes.OFFERS.find((o: { offerId: string }) => o.offerId.endsWith('-2'));
  assert.match(paid.deliveryInformation, /^\$9\.99 delivery December 7\s?–\s?10$/);
  assert.deepEqual(paid.shippingOptions[0].thresholdCost.value, { amount: 1000, currencyCode: 'USD' });
  const es = (
    await get(`/products/2020-08-26/products/${fx.phone.asin}?productRegion=US&locale=es_US&facets=OFFERS&shippingPostalCode=22301`)
  ).json().includedDataTypes.OFFERS[0];
  assert.match(es.deliveryInformation, /^Entrega GRATIS 3\s?–\s?4 de diciembre$/);
  assert.equal((await get(productUrl(fx.phone.asin, '&shippingRegion=EU'))).statusCode, 400);
});

test('an unknown product is PRODUCT_NOT_FOUND, also when it is sold only elsewhere', async () => {
  for (const asin of ['B0NOTHERE0', 'not-an-asin', fx.german.asin]) {
    const res = await get(productUrl(asin));
    assert.equal(res.statusCode, 404, asin);
    assert.equal(res.json().errors[0].code, 'PRODUCT_NOT_FOUND');
  }
  const missing = await get(`/products/2020-08-26/products/B07VDJ5RVF?locale=en_US&facets=OFFERS&shippingPostalCode=99999`);
  assert.deepEqual(missing.json(), {
    errors: [{ code: 'INVALID_REQUEST_PARAMETER', message: 'Missing required request parameters: [productRegion]', details: '' }],
  });
});

test('searchOffersRequest pages and filters the offers; the featured offer ignores the filters', async () => {
  const res = await get(offersUrl(fx.many.asin, '&pageSize=5&pageNumber=2'));
  assert.equal(res.statusCode, 200);
  const body = res.json();
  assert.deepEqual(check(model, 'OffersResult', body), []);
  assert.equal(body.offerCount, 12);
  assert.equal(body.numberOfPages, 3);
  assert.equal(body.offers.length, 2);
  assert.equal(body.featuredOffer.offerId, `${fx.many.asin}-offer-1`);
  const used = (await get(offersUrl(fx.phone.asin, '&filterIds=USED'))).json();
  assert.deepEqual(
    used.offers.map((o: { offerId: string }) => o.offerId),
    [`${fx.phone.asin}-offer-3`],
  );
  assert.equal(used.featuredOffer.offerId, `${fx.phone.asin}-offer-1`);
  const prime = (await get(offersUrl(fx.phone.asin, '&filterIds=NEW,PRIME'))).json();
  assert.deepEqual(prime.offers.map((o: { offerId: string }) => o.offerId).sort(), [1, 4].map((n) => `${fx.phone.asin}-offer-${n}`).sort());
  const diverse = (await get(offersUrl(fx.phone.asin, '&filterIds=MYC_TYPE_DIV_MIN_BUSINESS'))).json();
  assert.deepEqual(
    diverse.offers.map((o: { offerId: string }) => o.offerId),
    [`${fx.phone.asin}-offer-2`],
  );
  const groups = Object.fromEntries(
    prime.filterGroups.map((g: { displayName: string; filters: { id: string }[] }) => [g.displayName, g.filters.map((f) => f.id)]),
  );
  assert.deepEqual(groups.Condition, ['NEW', 'USED']);
  assert.deepEqual(groups.Delivery, ['PRIME_ELIGIBLE', 'FREE_SHIPPING']);
  assert.ok(groups['Seller details'].includes('MYC_TYPE_DIV_MIN_BUSINESS'));
  assert.equal((await get(offersUrl(fx.phone.asin, '&filterIds=SHINY'))).statusCode, 400);
  const beyond = await get(offersUrl(fx.phone.asin, '&pageNumber=1'));
  assert.equal(beyond.statusCode, 404);
  assert.equal(beyond.json().errors[0].code, 'PAGE_NOT_FOUND');
  assert.equal((await get(offersUrl('B0NOTHERE0'))).json().errors[0].code, 'PRODUCT_NOT_FOUND');
  assert.deepEqual(
    (await get(`/products/2020-08-26/products/${fx.phone.asin}/offers?productRegion=US`)).json().errors[0].message,
    'Missing required request parameters: [locale]',
  );
});

test('low stock and merchant-fulfilled offers say so', async () => {
  const offers = (await get(productUrl(fx.phone.asin))).json().includedDataTypes.OFFERS;
  const harbor = offers.find((o: { offerId: string }) => o.offerId.endsWith('-4'));
  assert.equal(harbor.availability, 'Only 3 left in stock - order soon.');
  assert.equal(harbor.quantityInStock, 3);
  const used = offers.find((o: { offerId: string }) => o.offerId.endsWith('-3'));
  assert.deepEqual(used.condition, { conditionValue: 'USED', conditionNote: 'Light wear.', subCondition: 'VERY_GOOD' });
  assert.equal(used.fulfiller.fulfillmentType, 'MERCHANT_FULFILLMENT');
  assert.equal(used.price.priceType, 'USED');
});

import assert from 'node:assert/strict';
import { loadSampleCatalog } from '../../../src/modules/catalog/index.ts';
import { findOperation } from '../../../src/modules/registry/index.ts';
import type { ApiExamples, ExampleHarness } from '../../support/api-examples.ts';

// Product Search over the shipped sample catalog: results, pages, unknown ids, malformed requests.

const SEARCH = '/products?productRegion=US&locale=en_US&keywords=phone&facets=OFFERS,IMAGES';

async function someAsins(h: ExampleHarness, n: number): Promise<string[]> {
  const res = await h.call('searchProductsRequest', { path: SEARCH });
  return (res.json() as { products: { asin: string }[] }).products.slice(0, n).map((p) => p.asin);
}

const examples: ApiExamples = {
  api: 'Product Search',
  async prepare(h) {
    await loadSampleCatalog(h.app.ctx.db, { catalog: h.app.services.catalog });
  },
  examples: [
    {
      name: 'searchProductsRequest: results, a page past the end, a missing parameter',
      async run(h) {
        const probe = await h.conforms('searchProductsRequest', { path: SEARCH }, 'search');
        assert.equal(probe.statusCode, 200, probe.body);
        assert.ok((probe.json() as { products: unknown[] }).products.length > 0, 'the search finds products');
        for (const q of [
          '/products?productRegion=US&locale=en_US&keywords=phone&inclusionsForProducts=ALL&inclusionsForOffers=ALL&facets=OFFERS,IMAGES',
          '/products?productRegion=US&locale=en_US&keywords=phone&pageSize=2&pageNumber=1',
          '/products?productRegion=US&locale=en_US&keywords=zzqxnotaword',
          '/products?productRegion=US&locale=en_US&keywords=phone&pageNumber=9999',
        ]) {
          const res = await h.conforms('searchProductsRequest', { path: q }, q);
          assert.ok(res.statusCode < 500, res.body);
        }
        for (const q of [
          '/products?productRegion=US&keywords=phone',
          '/products?locale=en_US&keywords=phone',
          '/products?productRegion=XX&locale=en_US&keywords=phone',
          '/products?productRegion=US&locale=en_US&keywords=phone&pageSize=abc',
        ]) {
          const res = await h.conforms('searchProductsRequest', { path: q }, q);
          assert.equal(res.statusCode, 400, `${q}: ${res.body}`);
        }
      },
    },
    {
      name: 'productsRequest and searchOffersRequest: a product, its offers, an unknown ASIN',
      async run(h) {
        const [asin] = await someAsins(h, 1);
        const product = await h.conforms(
          'productsRequest',
          { path: `/products/${asin}?productRegion=US&locale=en_US&facets=OFFERS,IMAGES` },
          'product',
        );
        assert.equal(product.statusCode, 200, product.body);
        const offers = await h.conforms(
          'searchOffersRequest',
          { path: `/products/${asin}/offers?productRegion=US&locale=en_US` },
          'offers',
        );
        assert.equal(offers.statusCode, 200, offers.body);
        for (const inc of [
          'inclusionsForProducts=ALL&inclusionsForOffers=ALL',
          'inclusionsForProducts=title,upcValues,eanValues,modelNumber,manufacturerName,isBundledAsin',
          'inclusionsForOffers=price',
        ]) {
          assert.equal(
            (
              await h.conforms(
                'productsRequest',
                { path: `/products/${asin}?productRegion=US&locale=en_US&facets=OFFERS,IMAGES&${inc}` },
                inc,
              )
            ).statusCode,
            200,
          );
          const offersQuery = inc.replace(/inclusionsForProducts=[^&]*&?/, '');
          assert.equal(
            (
              await h.conforms(
                'searchOffersRequest',
                { path: `/products/${asin}/offers?productRegion=US&locale=en_US&${offersQuery}` },
                inc,
              )
            ).statusCode,
            200,
          );
        }
        const missing = await h.conforms('productsRequest', { path: '/products/B000000000?productRegion=US&locale=en_US' }, 'unknown ASIN');
        assert.equal(missing.statusCode, 404, missing.body);
        const noOffers = await h.conforms(
          'searchOffersRequest',
          { path: '/products/B000000000/offers?productRegion=US&locale=en_US' },
          'offers of an unknown ASIN',
        );
        assert.ok([200, 404].includes(noOffers.statusCode), noOffers.body);
        await h.conforms(
          'searchOffersRequest',
          { path: `/products/${asin}/offers?productRegion=US&locale=en_US&pageNumber=999` },
          'offers past the end',
        );
      },
    },
    {
      name: 'getProductsByAsins and getOffersByOfferIds: found, not found, malformed, GET',
      async run(h) {
        const asins = await someAsins(h, 3);
        const byAsins = (body: unknown, what: string, contentType?: string) =>
          h.conforms(
            'getProductsByAsins',
            { path: '/products/getProductsByAsins', method: 'POST', body, ...(contentType ? { contentType } : {}) },
            what,
          );
        assert.equal((await byAsins({ productIds: asins, productRegion: 'US', locale: 'en_US' }, 'by ASINs')).statusCode, 200);
        await byAsins({ productIds: ['B000000000'], productRegion: 'US', locale: 'en_US' }, 'unknown ASINs');
        for (const bad of [
          { productRegion: 'US', locale: 'en_US' },
          { productIds: 'B0', productRegion: 'US', locale: 'en_US' },
          { productIds: asins, locale: 'en_US' },
        ]) {
          assert.equal((await byAsins(bad, JSON.stringify(bad))).statusCode, 400);
        }
        assert.equal((await byAsins('not json', 'text body', 'text/plain')).statusCode, 400);
        assert.equal(
          (await h.conforms('getProductsByAsins', { path: '/products/getProductsByAsins', method: 'GET' }, 'GET')).statusCode,
          400,
        );

        const offers = await h.call('searchOffersRequest', { path: `/products/${asins[0]}/offers?productRegion=US&locale=en_US` });
        const offerIds = ((offers.json() as { offers?: { offerId: string }[] }).offers ?? []).slice(0, 3).map((o) => o.offerId);
        const every = findOperation('getOffersByOfferIds')!
          .parameters.find((p) => p.name === 'inclusionsForOffers')!
          .enum!.join(',');
        const byOffers = (query: string, body: unknown, what: string) =>
          h.conforms('getOffersByOfferIds', { path: `/offers/getOffersByOfferIds${query}`, method: 'POST', body }, what);
        const found = await byOffers(
          `?inclusionsForOffers=${every}`,
          { offersByOfferIdsRequest: offerIds.map((offerId) => ({ offerId })), productRegion: 'US', locale: 'en_US' },
          'by offer ids',
        );
        assert.equal(found.statusCode, 200, found.body);
        await byOffers(
          '?inclusionsForOffers=price',
          { offersByOfferIdsRequest: [{ offerId: 'no-such-offer' }], productRegion: 'US', locale: 'en_US' },
          'unknown offer',
        );
        assert.equal(
          (
            await byOffers(
              '',
              { offersByOfferIdsRequest: offerIds.map((offerId) => ({ offerId })), productRegion: 'US', locale: 'en_US' },
              'no inclusions',
            )
          ).statusCode,
          400,
        );
        assert.equal((await byOffers('?inclusionsForOffers=price', { productRegion: 'US', locale: 'en_US' }, 'no ids')).statusCode, 400);
      },
    },
  ],
  async fuzzBodies(app) {
    const asins = (await app.ctx.db.kysely.selectFrom('catalog_products').select('asin').orderBy('asin').limit(5).execute()).map(
      (r) => r.asin,
    );
    const offerIds = (await app.ctx.db.kysely.selectFrom('catalog_offers').select('offer_id').orderBy('offer_id').limit(3).execute()).map(
      (r) => r.offer_id,
    );
    return {
      getProductsByAsins: [{ productIds: asins, productRegion: 'US', locale: 'en_US' }],
      getOffersByOfferIds: [{ offersByOfferIdsRequest: offerIds.map((offerId) => ({ offerId })), productRegion: 'US', locale: 'en_US' }],
    };
  },
};

export default examples;

import { Counter, Gauge } from 'prom-client';
import type { Config } from '../../config/config.ts';
import type { CatalogService } from '../../modules/catalog/index.ts';
import type { Metrics } from '../../platform/metrics/metrics.ts';
import { defineApi, type ApiRoot } from '../api-module.ts';
import { AnswerCache } from './answer-cache.ts';
import {
  getOffersByOfferIds,
  getProductsByAsins,
  postOnly,
  productsRequest,
  searchOffersRequest,
  searchProductsRequest,
  type ProductSearchDeps,
} from './product-search.handlers.ts';
import {
  GetOffersByOfferIdsRequest,
  GetOffersByOfferIdsResponse,
  OffersResult,
  ProductsByAsinsRequest,
  ProductsByAsinsResponse,
  ProductsResult,
  SearchProductsResult,
} from './product-search.wire.ts';

/** The exact answer cache of one server, sized by SEARCH_ANSWER_CACHE_MB and _ENTRIES (null when 0 MiB), with its counts in /metrics. */
function answerCacheFor(catalog: CatalogService, config: Config, metrics: Metrics): AnswerCache | null {
  if (config.searchAnswerCacheMb === 0) return null;
  const cache = new AnswerCache(catalog, {
    maxBytes: config.searchAnswerCacheMb * 1024 * 1024,
    maxEntries: config.searchAnswerCacheEntries,
  });
  // Read from the cache's own counts when scraped (nothing is done per call).
  const reported = new Map<string, number>();
  new Counter({
    name: 'bizapi_search_answer_cache_total',
    help: 'Product Search calls by how the answer cache served them: hit, miss (computed and stored), shared (a concurrent identical call computed it), unstored (computed, not kept).',
    labelNames: ['operation', 'outcome'],
    registers: [metrics.registry],
    collect() {
      for (const [operation, counts] of Object.entries(cache.stats().byOperation)) {
        for (const [outcome, n] of Object.entries(counts)) {
          const k = `${operation}|${outcome}`;
          if (n > (reported.get(k) ?? 0)) this.inc({ operation, outcome }, n - (reported.get(k) ?? 0));
          reported.set(k, n);
        }
      }
    },
  });
  new Gauge({
    name: 'bizapi_search_answer_cache_bytes',
    help: 'Bytes held by the Product Search answer cache (bodies, keys and a fixed overhead per answer).',
    registers: [metrics.registry],
    collect() {
      this.set(cache.stats().bytes);
    },
  });
  return cache;
}

/** The Product Search API (2020-08-26) over the catalog module. */
export const productSearchApi = defineApi({
  api: 'Product Search',
  // A body that is not JSON is answered 400 InvalidInput, as the FAQ says, not 415.
  bodyPolicy: 'raw',
  // The model's error enum names unexpected failures SERVICE_ERROR.
  internalErrorCode: 'SERVICE_ERROR',
  deps: ({ ctx, services, metrics }: ApiRoot): ProductSearchDeps => ({
    catalog: services.catalog,
    businessFacts: (id) => services.accounts.businessFacts(id),
    answers: answerCacheFor(services.catalog, ctx.config, metrics),
  }),
  handlers: { searchProductsRequest, productsRequest, searchOffersRequest, getProductsByAsins, getOffersByOfferIds },
  responses: {
    searchProductsRequest: { 200: SearchProductsResult },
    productsRequest: { 200: ProductsResult },
    searchOffersRequest: { 200: OffersResult },
    getProductsByAsins: { 200: ProductsByAsinsResponse },
    getOffersByOfferIds: { 200: GetOffersByOfferIdsResponse },
  },
  requestBodies: { getProductsByAsins: ProductsByAsinsRequest, getOffersByOfferIds: GetOffersByOfferIdsRequest },
  // getProductsByAsins "is a POST method as opposed to other methods" (FAQ): a GET is counted against it and answered InvalidInput.
  wrongMethod: { methods: ['GET'], operations: ['getProductsByAsins', 'getOffersByOfferIds'], answer: (op) => postOnly(op.operationId) },
  successMetric: { name: 'bizapi_search_duration_seconds', help: 'Latency of successful Product Search calls, by operation.' },
});

export { MAX_BATCH, type BuyingPolicyInput, type ProductSearchDeps } from './product-search.handlers.ts';
export type * from './product-search.wire.ts';

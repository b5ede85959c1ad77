import { Counter } from 'prom-client';
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

/** The exact answer cache of one server, sized by SEARCH_ANSWER_CACHE_MB and _ENTRIES (null when 0 MiB), with its outcomes in /metrics. */
function answerCacheFor(catalog: CatalogService, config: Config, metrics: Metrics): AnswerCache | null {
  if (config.searchAnswerCacheMb === 0) return null;
  const outcomes = new Counter({
    name: 'bizapi_search_answer_cache_total',
    help: 'Product Search calls by how the answer cache served them: hit, miss (computed and stored), shared (a concurrent identical call computed it), unstored.',
    labelNames: ['operation', 'outcome'],
    registers: [metrics.registry],
  });
  return new AnswerCache(catalog, {
    maxBytes: config.searchAnswerCacheMb * 1024 * 1024,
    maxEntries: config.searchAnswerCacheEntries,
    onOutcome: (operation, outcome) => outcomes.inc({ operation, outcome }),
  });
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

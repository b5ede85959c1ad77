import { defineApi, type ApiRoot } from '../api-module.ts';
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

/** The Product Search API (2020-08-26) over the catalog module. */
export const productSearchApi = defineApi({
  api: 'Product Search',
  // A body that is not JSON is answered 400 InvalidInput, as the FAQ says, not 415.
  bodyPolicy: 'raw',
  // The model's error enum names unexpected failures SERVICE_ERROR.
  internalErrorCode: 'SERVICE_ERROR',
  deps: ({ services }: ApiRoot): ProductSearchDeps => ({
    catalog: services.catalog,
    businessFacts: (id) => services.accounts.businessFacts(id),
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

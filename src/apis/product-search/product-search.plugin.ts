import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { AppError } from '../../kernel/errors.ts';
import type { CatalogService, OfferView, ProductView, Shopper } from '../../modules/catalog/index.ts';
import { emptyOfferFilters, normalizeAsin } from '../../modules/catalog/index.ts';
import type { ApiCallContext } from '../../modules/gateway/context.ts';
import { sendAmazonError, toAppError } from '../../platform/http/errors.ts';
import { OFFER_BY_ID_INCLUSIONS, OFFER_INCLUSIONS, PRODUCT_INCLUSIONS, SEARCH_PRODUCT_INCLUSIONS, offerFields, productFields } from './product-search.inclusions.ts';
import { wireOffer, wireProduct, type WireContext } from './product-search.mapper.ts';
import {
  BODY_REGIONS,
  QUERY_REGIONS,
  invalidInput,
  invalidParameter,
  list,
  one,
  parseMarket,
  parsePostalCode,
  parseShippingRegion,
  requireParams,
  type Market,
  type QueryParams,
} from './product-search.params.ts';
import { parseFacets, parseFilterIds, parsePage, parseQuantity, parseSearch } from './product-search.requests.ts';
import type { GetOffersByOfferIdsResponse, OffersResult, ProductsByAsinsResponse, ProductsResult, SearchProductsResult } from './product-search.wire.ts';

/** A guided-buying policy of a business, as the accounts module keeps them. */
export interface BuyingPolicyInput {
  guidance: 'PREFERRED' | 'RESTRICTED' | 'BLOCKED';
  matchType: 'asin' | 'brand' | 'category';
  value: string;
}

export interface ProductSearchPluginOptions {
  catalog: CatalogService;
  /** The business's buying policies (guided buying). */
  getBuyingPolicies(businessId: string): Promise<BuyingPolicyInput[]>;
  /** Marketplace codes the business operates in; when omitted any marketplace of the endpoint's region is allowed. */
  getBusinessMarketplaces?(businessId: string): Promise<readonly string[]>;
}

export const PATHS = {
  searchProducts: '/products/2020-08-26/products',
  product: '/products/2020-08-26/products/:productId',
  offers: '/products/2020-08-26/products/:productId/offers',
  productsByAsins: '/products/2020-08-26/products/getProductsByAsins',
  offersByIds: '/products/2020-08-26/offers/getOffersByOfferIds',
} as const;

/** At most this many ASINs or offer ids per batch call. */
export const MAX_BATCH = 30;

const EMPTY_CALL: ApiCallContext = {
  operationId: '',
  region: 'NA',
  environment: 'production',
  appId: '',
  applicationId: '',
  businessId: null,
  roles: [],
  privilegedFields: new Set(),
  user: null,
};

/**
 * The Product Search API (2020-08-26): five operations at their exact paths. The gateway has
 * authenticated the call and set `request.apiCall` before these handlers run.
 */
export const productSearchPlugin: FastifyPluginAsync<ProductSearchPluginOptions> = async (app, options) => {
  const { catalog } = options;

  // Bodies are read as text and parsed by the POST handlers, so that a body that is not JSON is
  // answered like the platform does (400 InvalidInput, FAQ), not with a 415 from the framework.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));

  // Product Search names its unexpected failures SERVICE_ERROR (the model's error enum).
  app.setErrorHandler((error, request, reply) => {
    const e = toAppError(error);
    return sendAmazonError(request, reply, e.code === 'InternalFailure' ? new AppError('SERVICE_ERROR', e.message, '', { privateNote: e.privateNote }) : e);
  });

  const call = (request: FastifyRequest): ApiCallContext => request.apiCall ?? EMPTY_CALL;

  async function market(request: FastifyRequest, productRegion: unknown, locale: unknown, allowed: readonly string[]): Promise<Market> {
    const c = call(request);
    const marketplaces = c.businessId && options.getBusinessMarketplaces ? await options.getBusinessMarketplaces(c.businessId) : null;
    return parseMarket(productRegion, locale, allowed, { endpointRegion: c.region, businessMarketplaces: marketplaces });
  }

  async function shopper(request: FastifyRequest, m: Market, shippingRegion: unknown, postalCode: unknown, quantity: number): Promise<Shopper> {
    const c = call(request);
    const country = parseShippingRegion(shippingRegion, m.facts);
    const postal = parsePostalCode(postalCode);
    return {
      region: m.facts.marketplace.code,
      locale: m.locale,
      destination: { market: m.facts.marketplace.code, timeZone: m.facts.timeZone, ...(postal ? { postalCode: postal } : {}), ...(country ? { country } : {}) },
      quantity,
      policies: c.businessId ? await options.getBuyingPolicies(c.businessId) : null,
      businessId: c.businessId,
    };
  }

  const wireContext = (request: FastifyRequest, m: Market, s: Shopper): WireContext => ({
    facts: m.facts,
    locale: m.locale,
    privileged: call(request).privilegedFields,
    signProductId: (asin) => catalog.signProductId({ asin, region: s.region, locale: s.locale, businessId: s.businessId }),
  });

  // ---- searchProductsRequest ----------------------------------------------------------------
  app.get(PATHS.searchProducts, async (request): Promise<SearchProductsResult> => {
    const q = request.query as QueryParams;
    const m = await market(request, one(q, 'productRegion'), one(q, 'locale'), QUERY_REGIONS);
    const search = parseSearch(q);
    const fields = productFields(list(q, 'inclusionsForProducts'), SEARCH_PRODUCT_INCLUSIONS, call(request).privilegedFields);
    const offers = offerFields(list(q, 'inclusionsForOffers'), OFFER_INCLUSIONS);
    const facets = parseFacets(list(q, 'facets'));
    const s = await shopper(request, m, one(q, 'shippingRegion'), one(q, 'shippingPostalCode'), 1);
    const r = await catalog.searchProducts(search, s);
    if (r.kind === 'page-not-found') throw pageNotFound(search.page.pageNumber, r.numberOfPages);
    const ctx = wireContext(request, m, s);
    return {
      matchingProductCount: r.matchingProductCount,
      numberOfPages: r.numberOfPages,
      legalInformation: [],
      products: r.products.map((v) => wireProduct(v, { fields, offerFields: offers, facets, search: true }, ctx)),
      refinements: r.refinements,
      searchRefinements: r.searchRefinements,
      sortKey: search.sort,
      ...(search.minPrice !== undefined ? { minPrice: search.minPrice } : {}),
      ...(search.maxPrice !== undefined ? { maxPrice: search.maxPrice } : {}),
    };
  });

  // ---- getProductsByAsins: POST only (FAQ) ----------------------------------------------------
  // The gateway counts a wrong-method call against the operation it was meant for.
  app.get(PATHS.productsByAsins, { config: { operationId: 'getProductsByAsins' } }, async () => {
    throw invalidInput('getProductsByAsins is a POST operation: send POST with a JSON body and Content-Type: application/json.');
  });
  app.post(PATHS.productsByAsins, async (request): Promise<ProductsByAsinsResponse> => {
    const body = jsonBody(request, 'getProductsByAsins');
    const q = request.query as QueryParams;
    requireParams(body, ['productIds', 'productRegion', 'locale']);
    const ids = stringList(body.productIds, 'productIds', (v) => (typeof v === 'string' && v ? v : null));
    const m = await market(request, body.productRegion, body.locale, BODY_REGIONS);
    const fields = productFields(list(q, 'inclusionsForProducts'), PRODUCT_INCLUSIONS, call(request).privilegedFields);
    const offers = offerFields(list(q, 'inclusionsForOffers'), OFFER_INCLUSIONS);
    if (body.facets !== undefined && !Array.isArray(body.facets)) throw invalidParameter('Request parameter [facets] must be an array of OFFERS and IMAGES.');
    const facets = parseFacets(body.facets === undefined ? undefined : (body.facets as unknown[]).map(String));
    const quantity = parseQuantity(body.quantity as number | undefined);
    const s = await shopper(request, m, body.shippingRegion, body.shippingPostalCode, quantity);
    const asins = [...new Set(ids.map((id) => normalizeAsin(id) ?? id.trim()))];
    const views = await catalog.getProducts(asins, s);
    const ctx = wireContext(request, m, s);
    const products = asins.flatMap((a) => {
      const v = views.get(a);
      return v ? [wireProduct(v, { fields, offerFields: offers, facets, search: false }, ctx)] : [];
    });
    return { matchingProductCount: products.length, products, notFoundAsins: asins.filter((a) => !views.has(a)) };
  });

  // ---- productsRequest -----------------------------------------------------------------------
  app.get(PATHS.product, async (request): Promise<ProductsResult> => {
    const q = request.query as QueryParams;
    const { productId } = request.params as { productId: string };
    const m = await market(request, one(q, 'productRegion'), one(q, 'locale'), QUERY_REGIONS);
    const fields = productFields(list(q, 'inclusionsForProducts'), PRODUCT_INCLUSIONS, call(request).privilegedFields);
    const offers = offerFields(list(q, 'inclusionsForOffers'), OFFER_INCLUSIONS);
    const facets = parseFacets(list(q, 'facets'));
    const s = await shopper(request, m, one(q, 'shippingRegion'), one(q, 'shippingPostalCode'), parseQuantity(one(q, 'quantity')));
    const view = await productOrThrow(productId, s);
    return wireProduct(view, { fields, offerFields: offers, facets, search: false }, wireContext(request, m, s));
  });

  // ---- searchOffersRequest -------------------------------------------------------------------
  app.get(PATHS.offers, async (request): Promise<OffersResult> => {
    const q = request.query as QueryParams;
    const { productId } = request.params as { productId: string };
    const m = await market(request, one(q, 'productRegion'), one(q, 'locale'), QUERY_REGIONS);
    const offers = offerFields(list(q, 'inclusionsForOffers'), OFFER_INCLUSIONS);
    const page = parsePage(q);
    const filters = parseFilterIds(q) ?? emptyOfferFilters();
    const s = await shopper(request, m, one(q, 'shippingRegion'), one(q, 'shippingPostalCode'), parseQuantity(one(q, 'quantity')));
    const r = await catalog.getOffers(productId, s, filters, page);
    if (r.kind === 'product-not-found') throw productNotFound(productId, s.region);
    if (r.kind === 'page-not-found') throw pageNotFound(page.pageNumber, r.numberOfPages);
    const ctx = wireContext(request, m, s);
    return {
      offerCount: r.offerCount,
      numberOfPages: r.numberOfPages,
      featuredOffer: r.featured ? wireOffer(r.featured, offers, ctx) : null,
      offers: r.offers.map((o: OfferView) => wireOffer(o, offers, ctx)),
      filterGroups: r.filterGroups,
    };
  });

  // ---- getOffersByOfferIds: POST only ---------------------------------------------------------
  app.get(PATHS.offersByIds, { config: { operationId: 'getOffersByOfferIds' } }, async () => {
    throw invalidInput('getOffersByOfferIds is a POST operation: send POST with a JSON body and Content-Type: application/json.');
  });
  app.post(PATHS.offersByIds, async (request): Promise<GetOffersByOfferIdsResponse> => {
    const body = jsonBody(request, 'getOffersByOfferIds');
    const q = request.query as QueryParams;
    requireParams({ ...body, inclusionsForOffers: one(q, 'inclusionsForOffers') }, ['offersByOfferIdsRequest', 'productRegion', 'locale', 'inclusionsForOffers']);
    const ids = stringList(body.offersByOfferIdsRequest, 'offersByOfferIdsRequest', (item) => {
      const id = item && typeof item === 'object' ? (item as { offerId?: unknown }).offerId : undefined;
      return typeof id === 'string' && id.trim() ? id.trim() : null;
    });
    const m = await market(request, body.productRegion, body.locale, BODY_REGIONS);
    const offers = offerFields(list(q, 'inclusionsForOffers'), OFFER_BY_ID_INCLUSIONS);
    const s = await shopper(request, m, body.shippingRegion, body.shippingPostalCode, 1);
    const unique = [...new Set(ids)];
    const found = await catalog.getOffersByIds(unique, s);
    const ctx = wireContext(request, m, s);
    return {
      offers: unique.flatMap((id) => {
        const hit = found.get(id);
        return hit ? [wireOffer(hit.view, offers, ctx)] : [];
      }),
      notFoundOfferIds: unique.filter((id) => !found.has(id)),
    };
  });

  async function productOrThrow(productId: string, s: Shopper): Promise<ProductView> {
    const asin = normalizeAsin(productId);
    const view = asin ? (await catalog.getProducts([asin], s)).get(asin) : undefined;
    if (!view) throw productNotFound(productId, s.region);
    return view;
  }
};

function productNotFound(productId: string, region: string): AppError {
  return new AppError('PRODUCT_NOT_FOUND', `Product [${productId}] was not found in productRegion [${region}].`);
}

function pageNotFound(pageNumber: number, numberOfPages: number): AppError {
  return new AppError('PAGE_NOT_FOUND', `Page [${pageNumber}] does not exist: pageNumber must be less than numberOfPages (${numberOfPages}).`);
}

/** The JSON object body of a POST operation; anything else is the FAQ's InvalidInput. */
function jsonBody(request: FastifyRequest, operation: string): Record<string, unknown> {
  const type = String(request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') {
    throw invalidInput(`${operation} takes a JSON body: send it with Content-Type: application/json${type ? ` (got ${type})` : ' (no Content-Type was sent)'}.`);
  }
  const raw = typeof request.body === 'string' ? request.body : '';
  if (raw.trim() === '') throw invalidInput(`${operation} needs a JSON object in the request body; the body is empty.`);
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw invalidInput(`The request body of ${operation} is not valid JSON.`);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw invalidInput(`The request body of ${operation} must be a JSON object.`);
  return value as Record<string, unknown>;
}

/** A non-empty array of at most MAX_BATCH items, each mapped to a string (null: invalid item). */
function stringList(value: unknown, name: string, item: (v: unknown) => string | null): string[] {
  if (!Array.isArray(value)) throw invalidParameter(`Request parameter [${name}] must be an array.`);
  if (value.length === 0) throw invalidParameter(`Request parameter [${name}] must not be empty.`);
  if (value.length > MAX_BATCH) throw invalidParameter(`Request parameter [${name}] has ${value.length} items; at most ${MAX_BATCH} are allowed per call.`);
  return value.map((v) => {
    const s = typeof v === 'string' ? (item(v.trim()) ?? '') : item(v);
    if (!s) throw invalidParameter(`Request parameter [${name}] has an invalid item: ${JSON.stringify(v)}.`);
    return s;
  });
}

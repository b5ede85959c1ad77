import { AppError } from '../../kernel/errors.ts';
import type { CatalogService, OfferView, ProductView, Shopper } from '../../modules/catalog/index.ts';
import { emptyOfferFilters, marketFacts, normalizeAsin } from '../../modules/catalog/index.ts';
import type { ApiRequest, SerializedJson } from '../../modules/gateway/index.ts';
import type { AnswerCache } from './answer-cache.ts';
import {
  MARKETPLACE_REGIONS,
  OFFER_BY_ID_INCLUSIONS,
  OFFER_INCLUSIONS,
  PRODUCT_INCLUSIONS,
  PRODUCT_REGIONS,
  SEARCH_PRODUCT_INCLUSIONS,
} from '../../modules/registry/index.ts';
import {
  callMarketplace,
  checkBodyTypes,
  invalidInput,
  invalidParameter,
  list,
  one,
  parseJsonObject,
  requireParams,
  stringList,
  type FieldType,
} from '../shared/index.ts';
import { offerFields, productFields } from './product-search.inclusions.ts';
import { wireOffer, wireProduct, type WireContext } from './product-search.mapper.ts';
import { parseMarket, parsePostalCode, parseShippingRegion, type Market } from './product-search.params.ts';
import { parseFacets, parseFilterIds, parsePage, parseQuantity, parseSearch } from './product-search.requests.ts';
import type {
  GetOffersByOfferIdsResponse,
  OffersResult,
  ProductsByAsinsResponse,
  ProductsResult,
  SearchProductsResult,
} from './product-search.wire.ts';

/** A guided-buying policy of a business, as the accounts module keeps them. */
export interface BuyingPolicyInput {
  guidance: 'PREFERRED' | 'RESTRICTED' | 'BLOCKED';
  matchType: 'asin' | 'brand' | 'category';
  value: string;
}

/** What Product Search reads besides the request: the catalog, and the calling business's policies and marketplaces. */
export interface ProductSearchDeps {
  catalog: CatalogService;
  /** The business's buying policies (guided buying) and marketplaces; null marketplaces allow any marketplace of the endpoint's region. */
  businessFacts(businessId: string): Promise<{ policies: readonly BuyingPolicyInput[]; marketplaces: readonly string[] | null }>;
  /** The exact answer cache of searchProductsRequest (answer-cache.ts); absent or null: every answer is computed. */
  answers?: AnswerCache | null;
}

/** The market fields of a batch body (productRegion, locale, shipping), all strings. */
const MARKET_FIELDS: Readonly<Record<string, FieldType>> = {
  productRegion: 'string',
  locale: 'string',
  shippingRegion: 'string',
  shippingPostalCode: 'string',
};

/** At most this many ASINs or offer ids per batch call. */
export const MAX_BATCH = 30;

async function market(
  request: ApiRequest,
  deps: ProductSearchDeps,
  productRegion: unknown,
  locale: unknown,
  allowed: readonly string[],
): Promise<Market> {
  const c = request.call;
  const marketplaces = c.businessId ? (await deps.businessFacts(c.businessId)).marketplaces : null;
  const m = parseMarket(productRegion, locale, allowed, { endpointRegion: c.region, businessMarketplaces: marketplaces });
  // The token is for one marketplace: another productRegion of the endpoint is refused (403).
  callMarketplace(request, m.facts.marketplace.code);
  return m;
}

async function shopper(
  request: ApiRequest,
  deps: ProductSearchDeps,
  m: Market,
  shippingRegion: unknown,
  postalCode: unknown,
  quantity: number,
): Promise<Shopper> {
  const c = request.call;
  const country = parseShippingRegion(shippingRegion, m.facts);
  const postal = parsePostalCode(postalCode);
  return {
    region: m.facts.marketplace.code,
    locale: m.locale,
    destination: {
      market: m.facts.marketplace.code,
      timeZone: m.facts.timeZone,
      ...(postal ? { postalCode: postal } : {}),
      ...(country ? { country } : {}),
    },
    quantity,
    policies: c.businessId ? [...(await deps.businessFacts(c.businessId)).policies] : null,
    businessId: c.businessId,
  };
}

const wireContext = (request: ApiRequest, deps: ProductSearchDeps, m: Market, s: Shopper): WireContext => ({
  facts: m.facts,
  locale: m.locale,
  privileged: request.call.privilegedFields,
  signProductId: (asin) => deps.catalog.signProductId({ asin, region: s.region, locale: s.locale, businessId: s.businessId }),
});

function productNotFound(productId: string, region: string): AppError {
  return new AppError('PRODUCT_NOT_FOUND', `Product [${productId}] was not found in productRegion [${region}].`);
}

function pageNotFound(pageNumber: number, numberOfPages: number): AppError {
  return new AppError(
    'PAGE_NOT_FOUND',
    `Page [${pageNumber}] does not exist: pageNumber must be less than numberOfPages (${numberOfPages}).`,
  );
}

async function productOrThrow(catalog: CatalogService, productId: string, s: Shopper): Promise<ProductView> {
  const asin = normalizeAsin(productId);
  const view = asin ? (await catalog.getProducts([asin], s)).get(asin) : undefined;
  if (!view) throw productNotFound(productId, s.region);
  return view;
}

/**
 * The answer of a read-only Product Search call through the exact answer cache (answer-cache.ts),
 * or computed when there is no cache or the productRegion names no marketplace (the computation
 * then refuses it). A call whose inputs (query, path, call, business facts, catalog marker,
 * delivery day) match a stored answer gets it without the checks: that answer passed them with the
 * same inputs.
 */
async function answered<T>(
  operation: string,
  request: ApiRequest,
  deps: ProductSearchDeps,
  compute: (request: ApiRequest, deps: ProductSearchDeps) => Promise<T>,
): Promise<T | SerializedJson> {
  const answers = deps.answers;
  if (!answers) return compute(request, deps);
  const timeZone = marketFacts(
    String(one(request.query, 'productRegion') ?? '')
      .trim()
      .toUpperCase(),
  )?.timeZone;
  if (!timeZone) return compute(request, deps);
  const businessId = request.call.businessId;
  const facts = businessId ? await deps.businessFacts(businessId) : null;
  return answers.serve(
    {
      operation,
      request,
      timeZone,
      policies: facts ? facts.policies : null,
      // The business's marketplaces: the market checks read them.
      context: facts?.marketplaces ? facts.marketplaces.join(',') : '*',
    },
    () => compute(request, deps),
  );
}

/** searchProductsRequest: keywords, identifiers and refinements, sorted and paged (through the answer cache). */
export function searchProductsRequest(request: ApiRequest, deps: ProductSearchDeps): Promise<SearchProductsResult | SerializedJson> {
  return answered('searchProductsRequest', request, deps, computeSearch);
}

/** The answer of searchProductsRequest, every check included. */
async function computeSearch(request: ApiRequest, deps: ProductSearchDeps): Promise<SearchProductsResult> {
  const q = request.query;
  const m = await market(request, deps, one(q, 'productRegion'), one(q, 'locale'), PRODUCT_REGIONS);
  const search = parseSearch(q);
  const fields = productFields(list(q, 'inclusionsForProducts'), SEARCH_PRODUCT_INCLUSIONS, request.call.privilegedFields);
  const offers = offerFields(list(q, 'inclusionsForOffers'), OFFER_INCLUSIONS);
  const facets = parseFacets(list(q, 'facets'));
  const s = await shopper(request, deps, m, one(q, 'shippingRegion'), one(q, 'shippingPostalCode'), 1);
  const r = await deps.catalog.searchProducts(search, s);
  if (r.kind === 'page-not-found') throw pageNotFound(search.page.pageNumber, r.numberOfPages);
  const ctx = wireContext(request, deps, m, s);
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
}

/** getProductsByAsins: up to MAX_BATCH products by ASIN (POST only, FAQ). */
export async function getProductsByAsins(request: ApiRequest, deps: ProductSearchDeps): Promise<ProductsByAsinsResponse> {
  const body = parseJsonObject('getProductsByAsins', request.headers, request.body);
  const q = request.query;
  requireParams(body, ['productIds', 'productRegion', 'locale']);
  checkBodyTypes(body, { ...MARKET_FIELDS, productIds: 'string[]', facets: 'string[]', quantity: 'integer' });
  const ids = stringList(body.productIds, 'productIds', MAX_BATCH, (v) => (typeof v === 'string' && v ? v : null));
  const m = await market(request, deps, body.productRegion, body.locale, MARKETPLACE_REGIONS);
  const fields = productFields(list(q, 'inclusionsForProducts'), PRODUCT_INCLUSIONS, request.call.privilegedFields);
  const offers = offerFields(list(q, 'inclusionsForOffers'), OFFER_INCLUSIONS);
  if (body.facets !== undefined && !Array.isArray(body.facets))
    throw invalidParameter('Request parameter [facets] must be an array of OFFERS and IMAGES.');
  const facets = parseFacets(body.facets === undefined ? undefined : (body.facets as unknown[]).map(String));
  const quantity = parseQuantity(body.quantity as number | undefined);
  const s = await shopper(request, deps, m, body.shippingRegion, body.shippingPostalCode, quantity);
  const asins = [...new Set(ids.map((id) => normalizeAsin(id) ?? id.trim()))];
  const views = await deps.catalog.getProducts(asins, s);
  const ctx = wireContext(request, deps, m, s);
  const products = asins.flatMap((a) => {
    const v = views.get(a);
    return v ? [wireProduct(v, { fields, offerFields: offers, facets, search: false }, ctx)] : [];
  });
  return { matchingProductCount: products.length, products, notFoundAsins: asins.filter((a) => !views.has(a)) };
}

/** productsRequest: one product with its featured offer (through the answer cache). */
export function productsRequest(request: ApiRequest, deps: ProductSearchDeps): Promise<ProductsResult | SerializedJson> {
  return answered('productsRequest', request, deps, computeProduct);
}

/** The answer of productsRequest, every check included. */
async function computeProduct(request: ApiRequest, deps: ProductSearchDeps): Promise<ProductsResult> {
  const q = request.query;
  const productId = request.params.productId ?? '';
  const m = await market(request, deps, one(q, 'productRegion'), one(q, 'locale'), PRODUCT_REGIONS);
  const fields = productFields(list(q, 'inclusionsForProducts'), PRODUCT_INCLUSIONS, request.call.privilegedFields);
  const offers = offerFields(list(q, 'inclusionsForOffers'), OFFER_INCLUSIONS);
  const facets = parseFacets(list(q, 'facets'));
  const s = await shopper(request, deps, m, one(q, 'shippingRegion'), one(q, 'shippingPostalCode'), parseQuantity(one(q, 'quantity')));
  const view = await productOrThrow(deps.catalog, productId, s);
  return wireProduct(view, { fields, offerFields: offers, facets, search: false }, wireContext(request, deps, m, s));
}

/** searchOffersRequest: a product's offers, filtered and paged. */
export async function searchOffersRequest(request: ApiRequest, deps: ProductSearchDeps): Promise<OffersResult> {
  const q = request.query;
  const productId = request.params.productId ?? '';
  const m = await market(request, deps, one(q, 'productRegion'), one(q, 'locale'), PRODUCT_REGIONS);
  const offers = offerFields(list(q, 'inclusionsForOffers'), OFFER_INCLUSIONS);
  const page = parsePage(q);
  const filters = parseFilterIds(q) ?? emptyOfferFilters();
  const s = await shopper(request, deps, m, one(q, 'shippingRegion'), one(q, 'shippingPostalCode'), parseQuantity(one(q, 'quantity')));
  const r = await deps.catalog.getOffers(productId, s, filters, page);
  if (r.kind === 'product-not-found') throw productNotFound(productId, s.region);
  if (r.kind === 'page-not-found') throw pageNotFound(page.pageNumber, r.numberOfPages);
  const ctx = wireContext(request, deps, m, s);
  return {
    offerCount: r.offerCount,
    numberOfPages: r.numberOfPages,
    featuredOffer: r.featured ? wireOffer(r.featured, offers, ctx) : null,
    offers: r.offers.map((o: OfferView) => wireOffer(o, offers, ctx)),
    filterGroups: r.filterGroups,
  };
}

/** getOffersByOfferIds: up to MAX_BATCH offers by id (POST only). */
export async function getOffersByOfferIds(request: ApiRequest, deps: ProductSearchDeps): Promise<GetOffersByOfferIdsResponse> {
  const body = parseJsonObject('getOffersByOfferIds', request.headers, request.body);
  const q = request.query;
  requireParams({ ...body, inclusionsForOffers: one(q, 'inclusionsForOffers') }, [
    'offersByOfferIdsRequest',
    'productRegion',
    'locale',
    'inclusionsForOffers',
  ]);
  checkBodyTypes(body, { ...MARKET_FIELDS, offersByOfferIdsRequest: 'object[]' });
  const ids = stringList(body.offersByOfferIdsRequest, 'offersByOfferIdsRequest', MAX_BATCH, (item) => {
    const id = item && typeof item === 'object' ? (item as { offerId?: unknown }).offerId : undefined;
    return typeof id === 'string' && id.trim() ? id.trim() : null;
  });
  const m = await market(request, deps, body.productRegion, body.locale, MARKETPLACE_REGIONS);
  const offers = offerFields(list(q, 'inclusionsForOffers'), OFFER_BY_ID_INCLUSIONS);
  const s = await shopper(request, deps, m, body.shippingRegion, body.shippingPostalCode, 1);
  const unique = [...new Set(ids)];
  const found = await deps.catalog.getOffersByIds(unique, s);
  const ctx = wireContext(request, deps, m, s);
  return {
    offers: unique.flatMap((id) => {
      const hit = found.get(id);
      return hit ? [wireOffer(hit.view, offers, ctx)] : [];
    }),
    notFoundOfferIds: unique.filter((id) => !found.has(id)),
  };
}

/** The FAQ's answer to a GET on a POST operation's path. */
export const postOnly = (operationId: string): AppError =>
  invalidInput(`${operationId} is a POST operation: send POST with a JSON body and Content-Type: application/json.`);

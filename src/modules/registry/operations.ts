import type { Role } from '../../kernel/reference.ts';

/**
 * The operation registry: every operation of the ten Amazon Business APIs (32 in all), as the
 * published Swagger models declare them (`../shared/api-models`). test/unit/operations.test.ts
 * compares this table with the models, so it cannot drift from them. docs/operations.md renders it.
 */

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type ParameterLocation = 'path' | 'query' | 'header' | 'body';
export type ParameterType = 'string' | 'integer' | 'boolean' | 'array' | 'object';

/** The ten API names, in registry order. */
export const API_NAMES = [
  'Product Search',
  'Ordering',
  'Cart',
  'Package Tracking',
  'Reconciliation',
  'Reporting 2025-06-09',
  'Reporting 2021-01-08',
  'Document',
  'User Management',
  'Application Management',
] as const;

export type ApiName = (typeof API_NAMES)[number];

/** A parameter as the model declares it. */
export interface OperationParameter {
  readonly name: string;
  readonly in: ParameterLocation;
  readonly required: boolean;
  /** `object` for body parameters, whose model definition is named by `schema`. */
  readonly type: ParameterType;
  /** For arrays: always `csv` (Swagger 2.0's default where the model is silent, as in Document). */
  readonly collectionFormat?: 'csv';
  /** Allowed values; for arrays, the allowed values of each item. */
  readonly enum?: readonly string[];
  readonly format?: 'date-time';
  readonly default?: string | number | boolean;
  /** The model definition of a body parameter. */
  readonly schema?: string;
}

/** Where an operation's default usage plan comes from. */
export type UsagePlanSource =
  /** The "Usage Plan" table in the operation's description in the model. */
  | 'model'
  /** The platform spec (section 5); the model states none. */
  | 'platform-spec'
  /** Our choice where nothing is documented (see docs/operations.md). */
  | 'chosen';

/** One API: its model file, version, gating role and default usage plan. */
export interface ApiDescriptor {
  readonly name: ApiName;
  /** File-name-safe name, used for `sandbox/scenarios/<slug>.json`. */
  readonly slug: string;
  /** The version in the paths (`/products/2020-08-26/...`). */
  readonly version: string;
  /** The model file, relative to `../shared/api-models`. */
  readonly modelFile: string;
  /** The role an app needs to call it; null where no role is needed. */
  readonly role: Role | null;
}

/** One operation of the registry. */
export interface Operation {
  readonly operationId: string;
  readonly api: ApiName;
  readonly apiSlug: string;
  readonly version: string;
  readonly method: HttpMethod;
  /** Fastify path template, e.g. `/products/2020-08-26/products/:productId`. */
  readonly path: string;
  /** The path exactly as the model spells it, e.g. `/products/2020-08-26/products/{productId}`. */
  readonly modelPath: string;
  readonly modelFile: string;
  readonly role: Role | null;
  /** Default rate, requests per second. */
  readonly rate: number;
  /** Default burst (token bucket size). */
  readonly burst: number;
  readonly usagePlanSource: UsagePlanSource;
  /** The model declares `x-amz-user-email` as a required header. */
  readonly userEmailRequired: boolean;
  readonly parameters: readonly OperationParameter[];
}

/** The sandbox throttle, the same for every operation (platform spec 6.1). */
export const SANDBOX_USAGE_PLAN = { rate: 5, burst: 15 } as const;

export const USER_EMAIL_HEADER = 'x-amz-user-email';

// ---- parameter builders and shared enums ------------------------------------------------------

type Extra = Partial<Pick<OperationParameter, 'required' | 'enum' | 'format' | 'default'>>;

const path = (name: string): OperationParameter => ({ name, in: 'path', required: true, type: 'string' });
const query = (name: string, type: 'string' | 'integer' | 'boolean' = 'string', extra: Extra = {}): OperationParameter => ({
  name,
  in: 'query',
  required: false,
  type,
  ...extra,
});
const csv = (name: string, extra: Extra = {}): OperationParameter => ({
  name,
  in: 'query',
  required: false,
  type: 'array',
  collectionFormat: 'csv',
  ...extra,
});
const body = (name: string, schema: string, required: boolean): OperationParameter => ({
  name,
  in: 'body',
  required,
  type: 'object',
  schema,
});
const userEmail = (): OperationParameter => ({ name: USER_EMAIL_HEADER, in: 'header', required: true, type: 'string' });
const dateTime = (name: string, required: boolean): OperationParameter => query(name, 'string', { required, format: 'date-time' });

/** The model's ProductRegion enum of the Product Search query parameter (no IN). */
export const PRODUCT_REGIONS = ['DE', 'FR', 'UK', 'IT', 'ES', 'US', 'CA', 'MX', 'JP', 'AU'] as const;
/** The marketplace `region` enum of Cart, Package Tracking and Reporting, and of Product Search's bodies (IN too). */
export const MARKETPLACE_REGIONS = ['DE', 'FR', 'UK', 'IT', 'ES', 'IN', 'US', 'CA', 'MX', 'JP', 'AU'] as const;
/** Product Search's `facets`. */
export const FACETS = ['OFFERS', 'IMAGES'] as const;
/** Product Search's `inclusionsForProducts` (productsRequest, getProductsByAsins). */
// prettier-ignore
export const PRODUCT_INCLUSIONS = [
  'ALL', 'bookInformation', 'byLine', 'customerReviewsSummary', 'editorialReviews', 'features', 'format', 'mediaInformation',
  'productDescription', 'productDetails', 'productOverview', 'productVariations', 'taxonomies', 'packageTypeNames', 'title',
  'upcValues', 'eanValues', 'modelNumber', 'manufacturerName', 'bundleQuantity', 'badges', 'isBundledAsin', 'legalInformation',
] as const;
/** searchProductsRequest's `inclusionsForProducts`: the same plus isCustomQuoteEligible. */
export const SEARCH_PRODUCT_INCLUSIONS = [...PRODUCT_INCLUSIONS, 'isCustomQuoteEligible'] as const;
/** Product Search's `inclusionsForOffers`. */
// prettier-ignore
export const OFFER_INCLUSIONS = [
  'ALL', 'availability', 'buyingGuidance', 'buyingGuidanceV2', 'buyingRestrictions', 'condition', 'fulfillmentType', 'merchant',
  'merchantCertificates', 'price', 'productCondition', 'productConditionNote', 'quantityLimits', 'quantityPrice',
  'taxExclusivePrice', 'deliveryInformation', 'listPrice', 'shippingOptions', 'quantityInStock', 'badges', 'fulfiller',
] as const;
/** getOffersByOfferIds's `inclusionsForOffers`: required, and without ALL. */
export const OFFER_BY_ID_INCLUSIONS = OFFER_INCLUSIONS.filter((v): v is Exclude<(typeof OFFER_INCLUSIONS)[number], 'ALL'> => v !== 'ALL');
/** searchProductsRequest's `sortKey`. */
export const SORT_KEYS = [
  'FEATURED',
  'NEWEST_ARRIVALS',
  'POPULARITY',
  'PRICE_HIGH_TO_LOW',
  'PRICE_LOW_TO_HIGH',
  'RELEVANCE',
  'TOP_RATED',
] as const;
/** The Document API's `processingStatuses`. */
export const PROCESSING_STATUSES = ['CANCELLED', 'DONE', 'FATAL', 'IN_PROGRESS', 'IN_QUEUE'] as const;

const productRegion = query('productRegion', 'string', { required: true, enum: PRODUCT_REGIONS });
const locale = query('locale', 'string', { required: true });
const region = (required: boolean): OperationParameter => query('region', 'string', { required, enum: MARKETPLACE_REGIONS });
const facets = csv('facets', { enum: FACETS });
const productInclusions = csv('inclusionsForProducts', { enum: PRODUCT_INCLUSIONS });
// searchProductsRequest alone also accepts isCustomQuoteEligible.
const searchProductInclusions = csv('inclusionsForProducts', { enum: SEARCH_PRODUCT_INCLUSIONS });
const offerInclusions = csv('inclusionsForOffers', { enum: OFFER_INCLUSIONS });
// getOffersByOfferIds requires it and does not accept ALL.
const offerInclusionsByOfferId = csv('inclusionsForOffers', { required: true, enum: OFFER_BY_ID_INCLUSIONS });
// Product Search states these defaults in the descriptions, not in the parameters' `default`
// ("a default value of 0 will be used", "(default 24)", "defaults to RELEVANCE").
const pageNumber = query('pageNumber', 'integer', { default: 0 });
const pageSize = query('pageSize', 'integer', { default: 24 });
const includeFlags = ['includeLineItems', 'includeShipments', 'includeCharges'].map((n) => query(n, 'boolean', { default: false }));

// ---- the APIs ----------------------------------------------------------------------------------

interface Plan {
  rate: number;
  burst: number;
  source: UsagePlanSource;
}
interface OperationSpec<Id extends string = string> {
  readonly operationId: Id;
  readonly method: HttpMethod;
  readonly modelPath: string;
  readonly parameters: readonly OperationParameter[];
  /** Overrides the API's plan. */
  readonly plan?: Plan;
}
interface ApiSpec extends ApiDescriptor {
  readonly plan: Plan | null;
  readonly operations: readonly OperationSpec[];
}

// `const Id` keeps each operation id a literal type, so that OperationIdOf<'Ordering'> is 'placeOrder' | 'orderDetails'.
const op = <const Id extends string>(
  operationId: Id,
  method: HttpMethod,
  modelPath: string,
  parameters: OperationParameter[],
  plan?: Plan,
): OperationSpec<Id> => (plan ? { operationId, method, modelPath, parameters, plan } : { operationId, method, modelPath, parameters });
const fromModel = (rate: number, burst: number): Plan => ({ rate, burst, source: 'model' });
// Document API: the model states no plan. Its operations, paths and sandbox stubs are those of the
// Selling Partner API for Reports (2021-06-30), so we take that API's published plans.
const chosen = (rate: number, burst: number): Plan => ({ rate, burst, source: 'chosen' });

// The table of the models, one API per entry, kept in its tabular layout.
// prettier-ignore
const API_SPECS = [
  {
    name: 'Product Search', slug: 'product-search', version: '2020-08-26', modelFile: 'product-search/ProductSearch_API.json',
    role: 'Business Product Catalog', plan: fromModel(0.5, 10),
    operations: [
      op('searchProductsRequest', 'GET', '/products/2020-08-26/products', [
        query('keywords'), productRegion, query('shippingRegion'), locale, query('shippingPostalCode'), facets,
        pageNumber, pageSize, query('groupTag'), query('category'), query('subCategory'),
        query('availability'), query('deliveryDay'), query('eligibleForFreeShipping'), query('primeEligible'), query('upc'),
        query('isbn'), query('sku'), query('ean'), query('partNumber'), query('oemPartNumber'), csv('searchRefinements'),
        csv('productFilters'), userEmail(), searchProductInclusions, offerInclusions,
        query('sortKey', 'string', { enum: SORT_KEYS, default: 'RELEVANCE' }), query('minPrice', 'integer'), query('maxPrice', 'integer'),
      ]),
      op('productsRequest', 'GET', '/products/2020-08-26/products/{productId}', [
        path('productId'), productRegion, query('shippingRegion'), locale, query('shippingPostalCode'),
        query('quantity', 'integer', { default: 1 }), facets, userEmail(), productInclusions, offerInclusions, query('groupTag'),
      ]),
      op('searchOffersRequest', 'GET', '/products/2020-08-26/products/{productId}/offers', [
        path('productId'), productRegion, query('shippingRegion'), locale, query('shippingPostalCode'), pageNumber, pageSize,
        query('groupTag'), csv('filterIds'), query('quantity', 'integer', { default: 1 }), userEmail(), offerInclusions,
      ]),
      op('getProductsByAsins', 'POST', '/products/2020-08-26/products/getProductsByAsins', [
        body('productsByAsins', 'ProductsByAsinsRequest', false), userEmail(), productInclusions, offerInclusions, query('groupTag'),
      ]),
      op('getOffersByOfferIds', 'POST', '/products/2020-08-26/offers/getOffersByOfferIds', [
        body('getOffersByOfferIdsRequest', 'getOffersByOfferIdsRequest', false), userEmail(), offerInclusionsByOfferId, query('groupTag'),
      ]),
    ],
  },
  {
    name: 'Ordering', slug: 'ordering', version: '2022-10-30', modelFile: 'ordering/Ordering_API.json',
    role: 'Amazon Business Order Placement', plan: fromModel(0.5, 10),
    operations: [
      op('placeOrder', 'POST', '/ordering/2022-10-30/orders', [body('request', 'PlaceOrderRequest', true)]),
      op('orderDetails', 'GET', '/ordering/2022-10-30/orders/{externalId}', [path('externalId'), userEmail()]),
    ],
  },
  {
    name: 'Cart', slug: 'cart', version: '2025-04-30', modelFile: 'cart/Cart_API.json',
    role: 'Amazon Business Order Placement', plan: fromModel(2, 2),
    operations: [
      op('listCarts', 'GET', '/cart/2025-04-30/carts', [
        userEmail(), region(true), query('pageToken'), query('pageSize', 'integer', { default: 5 }),
      ]),
      op('getCart', 'GET', '/cart/2025-04-30/carts/{cartId}', [path('cartId'), region(true)]),
      op('getEstimatedTotalPurchaseCost', 'POST', '/cart/2025-04-30/carts/{cartId}/totalPurchaseCostEstimations', [
        path('cartId'), region(true), body('estimatedTotalPurchaseCostRequest', 'EstimatedTotalPurchaseCostRequest', true),
      ]),
      op('getItems', 'GET', '/cart/2025-04-30/carts/{cartId}/items', [path('cartId'), region(true)]),
      op('addItems', 'POST', '/cart/2025-04-30/carts/{cartId}/items', [
        path('cartId'), region(true), body('addItemRequest', 'AddItemsRequest', true),
      ]),
      op('deleteItems', 'DELETE', '/cart/2025-04-30/carts/{cartId}/items', [path('cartId'), region(true)]),
      op('modifyItems', 'PATCH', '/cart/2025-04-30/carts/{cartId}/items', [
        path('cartId'), region(true), body('modifyItemsRequest', 'ModifyItemsRequest', true),
      ]),
    ],
  },
  {
    name: 'Package Tracking', slug: 'package-tracking', version: '2025-07-02', modelFile: 'package-tracking/PackageTracking_API.json',
    role: 'Amazon Business Order Placement', plan: fromModel(0.5, 10),
    operations: [
      op('getPackageTrackingDetails', 'GET', '/ab-tracking/2025-07-02/orders/{orderId}/shipments/{shipmentId}/packages/{packageId}', [
        path('orderId'), path('shipmentId'), path('packageId'), query('locale', 'string', { default: 'en-US' }), region(true),
      ]),
    ],
  },
  {
    name: 'Reconciliation', slug: 'reconciliation', version: '2021-01-08', modelFile: 'reconciliation/Reconciliation_API.json',
    role: 'Business Purchase Reconciliation', plan: fromModel(2, 10),
    operations: [
      op('getTransactions', 'GET', '/reconciliation/2021-01-08/transactions', [
        dateTime('feedStartDate', true), dateTime('feedEndDate', true), query('nextPageToken'),
      ]),
      op('getBatchInvoicePaymentDetails', 'POST', '/reconciliation/2021-01-08/invoices/batch/paymentDetails', [
        body('getBatchInvoicePaymentDetailsRequest', 'GetBatchInvoicePaymentDetailsRequest', true),
      ]),
      op('getInvoiceDetailsByOrderLineItems', 'POST', '/reconciliation/2021-01-08/invoices', [
        body('invoiceDetailsByOrderLineItemsRequest', 'InvoiceDetailsByOrderLineItemsRequest', true),
      ]),
    ],
  },
  {
    name: 'Reporting 2025-06-09', slug: 'reporting-2025-06-09', version: '2025-06-09', modelFile: 'reporting/Reporting_API_v2025_06_09.json',
    role: 'Amazon Business Analytics', plan: fromModel(0.5, 10),
    operations: [
      op('getOrderReports', 'GET', '/reports/2025-06-09/orderReports', [
        dateTime('orderStartDate', true), dateTime('orderEndDate', true), csv('orderStatuses'), region(false), query('nextPageToken'),
      ]),
      op('getOrderLineItemReports', 'GET', '/reports/2025-06-09/orderLineItemReports', [
        dateTime('orderStartDate', true), dateTime('orderEndDate', true), region(false), csv('orderIds'), query('nextPageToken'),
      ]),
      op('getOrderReportsByPurchaseOrderNumber', 'GET', '/reports/2025-06-09/purchaseOrders/{purchaseOrderNumber}/orderReports', [
        path('purchaseOrderNumber'), region(false), query('nextPageToken'),
      ]),
      op('getShipmentReports', 'GET', '/reports/2025-06-09/shipmentReports', [
        dateTime('orderStartDate', true), dateTime('orderEndDate', true), csv('shipmentStatuses'), csv('orderIds'), region(false),
        query('nextPageToken'),
      ]),
      op('getShipmentLineItemReports', 'GET', '/reports/2025-06-09/shipmentLineItemReports', [
        dateTime('orderStartDate', true), dateTime('orderEndDate', true), csv('orderIds'), csv('purchaseOrderNumbers'), region(false),
        query('nextPageToken'),
      ]),
    ],
  },
  {
    name: 'Reporting 2021-01-08', slug: 'reporting-2021-01-08', version: '2021-01-08', modelFile: 'reporting/Reporting_API_v2021_01_08.json',
    role: 'Amazon Business Analytics', plan: fromModel(0.5, 10),
    operations: [
      op('getOrdersByOrderDate', 'GET', '/reports/2021-01-08/orders', [
        dateTime('startDate', true), query('nextPageToken'), dateTime('endDate', true), ...includeFlags,
      ]),
      op('getOrdersByOrderId', 'GET', '/reports/2021-01-08/orders/{orderId}', [path('orderId'), ...includeFlags]),
    ],
  },
  {
    name: 'Document', slug: 'document', version: '2021-09-30', modelFile: 'document/Document_API_v1.json',
    role: 'Business Purchase Reconciliation', plan: null,
    operations: [
      op('getReports', 'GET', '/reports/2021-09-30/reports', [
        csv('reportTypes'), csv('processingStatuses', { enum: PROCESSING_STATUSES }), csv('marketplaceIds'),
        query('pageSize', 'integer', { default: 10 }), dateTime('createdSince', false), dateTime('createdUntil', false), query('nextToken'),
      ], chosen(0.0222, 10)),
      op('createReport', 'POST', '/reports/2021-09-30/reports', [body('body', 'CreateReportSpecification', true)], chosen(0.0167, 15)),
      op('cancelReport', 'DELETE', '/reports/2021-09-30/reports/{reportId}', [path('reportId')], chosen(0.0222, 10)),
      op('getReport', 'GET', '/reports/2021-09-30/reports/{reportId}', [path('reportId')], chosen(2, 15)),
      op('getReportDocument', 'GET', '/reports/2021-09-30/documents/{reportDocumentId}', [path('reportDocumentId')], chosen(0.0167, 15)),
    ],
  },
  {
    name: 'User Management', slug: 'user-management', version: '2021-08-30', modelFile: 'user-management/UserManagement_API.json',
    role: 'User Management', plan: fromModel(1, 5),
    operations: [
      op('createBusinessUserAccount', 'POST', '/businessAccounts/2021-08-30/businessUserAccount', [
        body('request', 'CreateBusinessUserAccountRequest', true),
      ]),
    ],
  },
  {
    name: 'Application Management', slug: 'application-management', version: '2023-11-30',
    modelFile: 'application-management/ApplicationManagement_API.json',
    // Client-secret rotation needs no role (platform spec 2.1); the model states no plan, the spec gives one.
    role: null, plan: { rate: 0.0167, burst: 1, source: 'platform-spec' },
    operations: [op('rotateApplicationClientSecret', 'POST', '/applications/2023-11-30/clientSecret', [])],
  },
] as const satisfies readonly ApiSpec[];

type ApiSpecs = (typeof API_SPECS)[number];

/** The operation ids of one API, as a union of literal types. */
export type OperationIdOf<A extends ApiName> = Extract<ApiSpecs, { name: A }>['operations'][number]['operationId'];

/** Every operation id of the registry. */
export type OperationId = OperationIdOf<ApiName>;

// ---- the flattened table and its lookups -------------------------------------------------------

const toFastifyPath = (modelPath: string): string => modelPath.replace(/\{([^}]+)\}/g, ':$1');

/** The ten APIs. */
export const APIS: readonly ApiDescriptor[] = API_SPECS.map(({ name, slug, version, modelFile, role }) =>
  Object.freeze({ name, slug, version, modelFile, role }),
);

/** All 32 operations, in model order. */
export const OPERATIONS: readonly Operation[] = API_SPECS.flatMap((api) =>
  api.operations.map((o): Operation => {
    const plan = o.plan ?? api.plan;
    if (!plan) throw new Error(`no usage plan for ${o.operationId}`);
    return Object.freeze({
      operationId: o.operationId,
      api: api.name,
      apiSlug: api.slug,
      version: api.version,
      method: o.method,
      path: toFastifyPath(o.modelPath),
      modelPath: o.modelPath,
      modelFile: api.modelFile,
      role: api.role,
      rate: plan.rate,
      burst: plan.burst,
      usagePlanSource: plan.source,
      userEmailRequired: o.parameters.some((p) => p.in === 'header' && p.name === USER_EMAIL_HEADER && p.required),
      parameters: Object.freeze(o.parameters.map((p) => Object.freeze({ ...p }))),
    });
  }),
);

const byId = new Map(OPERATIONS.map((o) => [o.operationId, o]));

/** The operation with this operationId, or undefined. */
export const findOperation = (operationId: string): Operation | undefined => byId.get(operationId);

/** The operations of one API, in model order. */
export const operationsOfApi = (api: ApiName): readonly Operation[] => OPERATIONS.filter((o) => o.api === api);

/** The declared parameter of an operation with this name and location, or undefined. */
export const findParameter = (operation: Operation, name: string, location: ParameterLocation): OperationParameter | undefined =>
  operation.parameters.find(
    (p) => p.in === location && (location === 'header' ? p.name.toLowerCase() === name.toLowerCase() : p.name === name),
  );

/** An operation matched to a request path, with its decoded path parameters. */
export interface OperationMatch {
  operation: Operation;
  pathParams: Record<string, string>;
}

type Segment = { literal: string } | { param: string };
const compiled = OPERATIONS.map((operation) => ({
  operation,
  segments: operation.path.split('/').map((s): Segment => (s.startsWith(':') ? { param: s.slice(1) } : { literal: s })),
}));

/**
 * Finds the operation for a method and a request path (a query string is ignored). Literal
 * segments win over parameters, as in Fastify's router (`POST .../products/getProductsByAsins`).
 * Path parameters are percent-decoded; an empty segment is an empty parameter, as in Fastify.
 */
export function matchOperation(method: string, requestPath: string): OperationMatch | undefined {
  const upper = method.toUpperCase();
  const parts = requestPath.split('?')[0]!.split('/');
  let best: { match: OperationMatch; literals: number } | undefined;
  for (const { operation, segments } of compiled) {
    if (operation.method !== upper || segments.length !== parts.length) continue;
    const pathParams: Record<string, string> = {};
    let literals = 0;
    let ok = true;
    for (let i = 0; i < segments.length && ok; i++) {
      const seg = segments[i]!;
      const part = parts[i]!;
      if ('literal' in seg) {
        ok = seg.literal === part;
        literals++;
      } else {
        try {
          pathParams[seg.param] = decodeURIComponent(part);
        } catch {
          ok = false;
        }
      }
    }
    if (ok && (!best || literals > best.literals)) best = { match: { operation, pathParams }, literals };
  }
  return best?.match;
}

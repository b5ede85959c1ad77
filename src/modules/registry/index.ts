/** The operation registry: the ten Amazon Business APIs and their 32 operations, as the published models declare them. */

/** Every API, every operation, and their lookups by id, by API and by request path. */
export {
  API_NAMES,
  APIS,
  OPERATIONS,
  findOperation,
  findParameter,
  matchOperation,
  operationsOfApi,
  SANDBOX_USAGE_PLAN,
  USER_EMAIL_HEADER,
  type ApiDescriptor,
  type ApiName,
  type HttpMethod,
  type Operation,
  type OperationId,
  type OperationIdOf,
  type OperationMatch,
  type OperationParameter,
  type ParameterLocation,
  type ParameterType,
  type UsagePlanSource,
} from './operations.ts';
/** The models' enums that several parameters (and the APIs reading them) share. */
export {
  FACETS,
  MARKETPLACE_REGIONS,
  OFFER_BY_ID_INCLUSIONS,
  OFFER_INCLUSIONS,
  PROCESSING_STATUSES,
  PRODUCT_INCLUSIONS,
  PRODUCT_REGIONS,
  SEARCH_PRODUCT_INCLUSIONS,
  SORT_KEYS,
} from './operations.ts';

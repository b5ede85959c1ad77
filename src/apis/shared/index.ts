/** Wire helpers every API shares: parameter and body readers, the Amazon error constructors, and signed page tokens. */
export {
  invalidInput,
  invalidParameter,
  invalidParameterValue,
  invalidValue,
  missingParameter,
  missingParameters,
  shown,
} from './errors.ts';
export { boolean, enumList, integer, list, one, parseCsv, QueryReader, requireParams, storeRegion, type IntegerBounds } from './params.ts';
export { checkBodyTypes, mediaType, parseJsonObject, requireJsonObject, stringList, type FieldType } from './body.ts';
export { PageTokens, type PageScope } from './page-token.ts';
export { reportPage, type ReportPageRequest } from './report-pages.ts';
export { instantParameter, isoInstant, parseInstant } from './dates.ts';
export {
  callerBusiness,
  callMarketplace,
  CLOCK_SKEW_MS,
  dateRange,
  endpointStores,
  MAX_RANGE_MS,
  reportRegions,
  type RangeWords,
} from './report-query.ts';
export { ReportFacts, businessOrderInfo, orderAmounts, unspscOf } from './report-facts.ts';

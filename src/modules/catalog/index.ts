/** The catalog module's public surface: records, the service, search strategies, import and samples. */
export { CatalogService, DEFAULT_SIGNING_KEY } from './catalog.service.ts';
export type { CatalogServiceOptions, CatalogBatch, BatchResult, ProductSearchQuery, SearchOutcome, OffersOutcome } from './catalog.service.ts';
export { productSearchQuery } from './catalog.service.ts';
export { CatalogImporter, ImportError, MAX_REPORTED_REJECTIONS } from './catalog.import.ts';
export type { ImportFormat, ImportOptions, ImportReport, Rejection } from './catalog.import.ts';
export { loadSampleCatalog, SAMPLE_CATALOG_FILE } from './catalog.sample.ts';
export { generateCatalog, generateProduct } from './catalog.generate.ts';
export { SAMPLE_MERCHANTS, sampleMerchantRecords, synthesizeOffers, DEFAULT_OFFER_PLAN } from './catalog.synth.ts';
export type { SampleMerchant, OfferPlan } from './catalog.synth.ts';
export { validateRecord, canonicalOfferId, ProductRecordSchema, OfferRecordSchema, MerchantRecordSchema, CategoryRecordSchema } from './catalog.record.ts';
export { searchStrategyFor, SqliteSearchStrategy, PostgresSearchStrategy } from './search/index.ts';
export type { SearchStrategy, SearchCriteria, RefinementCounts, RefineOptions } from './search/index.ts';
export type * from './domain/model.ts';
export { IMAGE_RENDITIONS } from './domain/model.ts';
export { Prng, hashString } from './domain/prng.ts';
export { ASIN_PATTERN, normalizeAsin, asinFromSeed, asinDocId } from './domain/asin.ts';
export { STOP_WORDS, tokenize, parseKeyValue, normalizeSortKey, SORT_KEYS } from './domain/query.ts';
export type { SortKey, TextQuery, KeyValue } from './domain/query.ts';
export { pageWindow, MAX_PAGE_SIZE, MAX_PAGES, DEFAULT_PAGE_SIZE } from './domain/pagination.ts';
export type { PageRequest, PageWindow } from './domain/pagination.ts';
export { selectFeaturedOffer, rankOffers, isPurchasable, buyBoxScore, MIN_FEATURED_RATING, MERCHANT_FULFILLED_HANDICAP } from './domain/buy-box.ts';
export { decideGuidance, guidanceFragments, policyMatches } from './domain/guidance.ts';
export type { BuyingPolicy, Guidance, GuidanceResult, GuidanceDecision } from './domain/guidance.ts';
export { estimateDelivery, deliveryClockKey, maxMinDaysArrivingWithin, zoneDays, ORDER_CUTOFF_HOUR } from './domain/delivery.ts';
export type { DeliveryEstimate, Destination } from './domain/delivery.ts';
export { unitPriceFor, priceBands, taxExclusiveMinor, shippingCostFor } from './domain/pricing.ts';
export type { PriceBand, UnitPrice } from './domain/pricing.ts';
export { formatMoney, toAmount, currencyExponent, majorToMinor } from './domain/money.ts';
export { marketFacts, normalizeLocale, supportsLocale, bcp47 } from './domain/markets.ts';
export type { MarketFacts } from './domain/markets.ts';
export { availabilityText, deliveryText, longDate, quantityDisplay, savingMessage } from './domain/i18n.ts';
export { DEPARTMENTS, departmentById, departmentByAlias } from './domain/departments.ts';
export type { Department } from './domain/departments.ts';
export {
  parseRefinements,
  availabilityId,
  deliveryDayId,
  isFreeShippingId,
  isPrimeId,
  AVAILABILITY_OPTIONS,
  DELIVERY_DAY_OPTIONS,
  FREE_SHIPPING_OPTION,
  PRIME_OPTION,
  REFINEMENT_KEYS,
} from './domain/refinements.ts';
export type { RefinementSelection, RefinementLists, SearchRefinementGroup, IdName, AvailabilityId, DeliveryDayId } from './domain/refinements.ts';
export { parseOfferFilters, emptyOfferFilters, offerFilterGroups, shipsFree } from './domain/offer-filters.ts';
export type { OfferFilterSet, FilterGroup } from './domain/offer-filters.ts';
export { eanFromUpc, upcFromSeed, isValidUpc, isValidEan, isValidIsbn, digitsOnly } from './domain/identifiers.ts';
export { signProductId, verifySignedProductId, SIGNED_PRODUCT_PREFIX } from './domain/signing.ts';
export type { SignedProductContext } from './domain/signing.ts';
export { resolveProduct, categoryPath } from './domain/resolve.ts';
export type { CategoryInfo } from './domain/resolve.ts';
export { listingsOf } from './domain/listing.ts';
export type { Listing } from './domain/listing.ts';
export { viewProduct, viewOffer, guidanceFor } from './domain/views.ts';
export type { Shopper, ProductView, OfferView } from './domain/views.ts';

import {
  availabilityId,
  DEFAULT_PAGE_SIZE,
  deliveryDayId,
  departmentById,
  digitsOnly,
  isFreeShippingId,
  isPrimeId,
  MAX_PAGE_SIZE,
  normalizeSortKey,
  parseKeyValue,
  parseOfferFilters,
  parseRefinements,
  type OfferFilterSet,
  type PageRequest,
  type ProductSearchQuery,
  type SearchCriteria,
} from '../../modules/catalog/index.ts';
import type { QueryParams } from '../../modules/gateway/index.ts';
import { FACETS } from '../../modules/registry/index.ts';
import { enumList, integer, invalidParameter, list, one } from '../shared/index.ts';

/** The operation-specific parameters of searchProductsRequest and searchOffersRequest. */

export const MAX_KEYWORDS_LENGTH = 1000;
/** Largest whole-currency price filter accepted. */
const MAX_PRICE = 100_000_000;

export function parseFacets(values: string[] | undefined, name = 'facets'): string[] {
  return (
    enumList(
      values?.map((v) => v.toUpperCase()),
      name,
      FACETS,
    ) ?? []
  );
}

export function parsePage(q: QueryParams): PageRequest {
  return {
    pageNumber: integer(one(q, 'pageNumber'), 'pageNumber', 0, 1_000_000) ?? 0,
    pageSize: integer(one(q, 'pageSize'), 'pageSize', 1, MAX_PAGE_SIZE) ?? DEFAULT_PAGE_SIZE,
  };
}

export const parseQuantity = (value: string | number | undefined): number => integer(value, 'quantity', 1, 1_000_000) ?? 1;

function identifier(
  q: QueryParams,
  name: string,
  kind: SearchCriteria['identifiers'][number]['kind'],
  digits: boolean,
): SearchCriteria['identifiers'] {
  const v = one(q, name)?.trim();
  if (!v) return [];
  const value = digits ? digitsOnly(v) : v.toUpperCase();
  if (!value) throw invalidParameter(`Invalid value [${v}] for request parameter [${name}].`);
  return [{ kind, value }];
}

function choice<T>(q: QueryParams, name: string, parse: (v: string) => T | undefined): T | undefined {
  const v = one(q, name);
  if (v === undefined || v === '') return undefined;
  const parsed = parse(v);
  if (parsed === undefined)
    throw invalidParameter(`Invalid value [${v}] for request parameter [${name}]; use an id from the refinements of a search response.`);
  return parsed;
}

/** The search of a searchProductsRequest (everything but market, locale and inclusions). */
export function parseSearch(q: QueryParams): ProductSearchQuery {
  const keywords = one(q, 'keywords')?.trim();
  if (keywords && keywords.length > MAX_KEYWORDS_LENGTH)
    throw invalidParameter(`Request parameter [keywords] is longer than ${MAX_KEYWORDS_LENGTH} characters.`);
  const refinementItems = (list(q, 'searchRefinements') ?? []).map((item) => {
    const kv = parseKeyValue(item);
    if (!kv) throw invalidParameter(`Invalid value [${item}] for request parameter [searchRefinements]: expected key#value.`);
    return kv;
  });
  const refinements = parseRefinements(refinementItems);
  if ('invalid' in refinements) throw invalidParameter(`Invalid value [${refinements.invalid}] for request parameter [searchRefinements].`);
  const productFilters: ProductSearchQuery['productFilters'] = {};
  for (const item of list(q, 'productFilters') ?? []) {
    const kv = parseKeyValue(item);
    if (kv?.key === 'isCustomQuoteEligible' && ['true', 'false'].includes(kv.value.toLowerCase()))
      productFilters.customQuote = kv.value.toLowerCase() === 'true';
    else if (kv?.key === 'bundleQuantity' && /^\d+$/.test(kv.value)) productFilters.bundleQuantity = Number(kv.value);
    else
      throw invalidParameter(
        `Invalid value [${item}] for request parameter [productFilters]: supported are isCustomQuoteEligible#true|false and bundleQuantity#<n>.`,
      );
  }
  const minPrice = integer(one(q, 'minPrice'), 'minPrice', 0, MAX_PRICE);
  const maxPrice = integer(one(q, 'maxPrice'), 'maxPrice', 0, MAX_PRICE);
  if (minPrice !== undefined && maxPrice !== undefined && minPrice > maxPrice)
    throw invalidParameter(`Request parameter [minPrice] (${minPrice}) is greater than [maxPrice] (${maxPrice}).`);
  const sku = one(q, 'sku')?.trim();
  return {
    keywords: keywords || undefined,
    department: choice(q, 'category', (v) => departmentById(v)?.id),
    subCategory: one(q, 'subCategory')?.trim() || undefined,
    availability: choice(q, 'availability', availabilityId),
    deliveryDay: choice(q, 'deliveryDay', deliveryDayId),
    freeShippingOnly: choice(q, 'eligibleForFreeShipping', (v) => (isFreeShippingId(v) ? true : undefined)) ?? false,
    primeOnly: choice(q, 'primeEligible', (v) => (isPrimeId(v) ? true : undefined)) ?? false,
    identifiers: [
      ...identifier(q, 'upc', 'upc', true),
      ...identifier(q, 'isbn', 'isbn', true),
      ...identifier(q, 'ean', 'ean', true),
      ...identifier(q, 'partNumber', 'part', false),
      ...identifier(q, 'oemPartNumber', 'oem', false),
    ],
    sku: sku || undefined,
    refinements: refinements.selection,
    productFilters,
    sort: normalizeSortKey(one(q, 'sortKey')),
    minPrice,
    maxPrice,
    page: parsePage(q),
  };
}

/** The `filterIds` of searchOffersRequest. */
export function parseFilterIds(q: QueryParams): OfferFilterSet | undefined {
  const ids = list(q, 'filterIds');
  if (!ids?.length) return undefined;
  const r = parseOfferFilters(ids);
  if ('invalid' in r)
    throw invalidParameter(
      `Invalid value [${r.invalid}] for request parameter [filterIds]; use an id from the filterGroups of a response.`,
    );
  return r.filters;
}

import type { DialectName } from '../../../platform/db/database.ts';
import type { SortKey, TextQuery } from '../domain/query.ts';
import type { Count, MatchCounts } from '../domain/refinements.ts';

/** What a product search filters on; every list is OR within itself, the fields AND together. */
export interface SearchCriteria {
  region: string;
  text: TextQuery | null;
  /** The `category` parameter: a department id. */
  department?: string;
  /** Departments from `search-alias#…` refinements. */
  departments: string[];
  subCategory?: string;
  /** Lower-cased brands from `brandtextbin#…` refinements. */
  brands: string[];
  /** Minimum star rating from a `review-rating#…` refinement. */
  minRating?: number;
  /** Some offer in the marketplace has one of these conditions. */
  conditions: string[];
  /** Some offer in the marketplace is sold by a merchant with one of these certificates. */
  certificates: string[];
  inStockOnly: boolean;
  primeOnly: boolean;
  freeShippingOnly: boolean;
  /** Featured offer's minimum delivery days must not exceed this (deliveryDay); -1 matches nothing. */
  maxShipMinDays?: number;
  minPriceMinor?: number;
  maxPriceMinor?: number;
  identifiers: { kind: 'upc' | 'ean' | 'isbn' | 'part' | 'oem'; value: string }[];
  sku?: string;
  customQuote?: boolean;
  bundleQuantity?: number;
}

export type { Count };
/** The strategy's counts are the domain's: `refinementLists` and `searchRefinementGroups` read them. */
export type RefinementCounts = MatchCounts;

export interface RefineOptions {
  /** Whose children to count as subcategories: a category id, 'roots', or none. */
  subCategoriesOf: string | 'roots' | null;
  /** Largest featured-offer minDays that still arrives today / by tomorrow (-1: none). */
  todayMaxDays: number;
  tomorrowMaxDays: number;
}

/** A page of the matches in a sort order, and what to count among them. */
export interface SearchRequest extends RefineOptions {
  sort: SortKey;
  offset: number;
  /** 0: no page, only the counts. */
  limit: number;
}

/**
 * The most matches a search counts (docs/product-search.md, "How many products match"). Up to it
 * `total` is exact; a search matching more answers MATCH_COUNT_CAP with `totalIsFloor` set, the way
 * a store's page says "over 10,000 results". A client can reach at most 13 pages of 24 (312
 * products) whatever the count, so the cap changes no page.
 */
export const MATCH_COUNT_CAP = 10_000;

export interface SearchResult {
  /** How many products match: exact up to MATCH_COUNT_CAP, else MATCH_COUNT_CAP. */
  total: number;
  /** More than MATCH_COUNT_CAP products match (`total` is then a floor). */
  totalIsFloor: boolean;
  /** ASINs of the page, in the sort order. */
  asins: string[];
  counts: RefinementCounts;
}

/** The counts of a search without matches. */
export function noRefinementCounts(): RefinementCounts {
  return {
    total: 0,
    departments: [],
    subCategories: [],
    brands: [],
    conditions: [],
    certificates: [],
    inStock: 0,
    prime: 0,
    freeShipping: 0,
    arrivingToday: 0,
    arrivingTomorrow: 0,
    ratingAtLeast: { 1: 0, 2: 0, 3: 0, 4: 0 },
  };
}

/**
 * Product search behind a port (Vendure's search strategies): the same criteria and ranking
 * on SQLite (FTS5, bm25 with field weights) and PostgreSQL (tsvector, ts_rank with setweight).
 */
export interface SearchStrategy {
  readonly dialect: DialectName;
  /**
   * How many products match, one page of them in the sort order, and the counts of every
   * refinement value among them, from one pass over the matches. When there are more than
   * REFINEMENT_SAMPLE_SIZE matches, only that many are counted (see domain/refinements.ts): the
   * counts then say which values are there and which are common, not how many have them; the
   * total is exact up to MATCH_COUNT_CAP.
   */
  search(criteria: SearchCriteria, request: SearchRequest): Promise<SearchResult>;
}

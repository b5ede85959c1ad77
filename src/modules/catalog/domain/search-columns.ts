import { asinDocId } from './asin.ts';
import type { Condition, ProductRecord } from './model.ts';

/** A bit per offer condition, for a listing's set of conditions (fixed: stored in the database). */
export const CONDITION_BITS: Readonly<Record<Condition, number>> = { NEW: 1, USED: 2, REFURBISHED: 4, COLLECTIBLE: 8, OTHER: 16, UNKNOWN: 32 };

/** The bits of a set of conditions. */
export const conditionMask = (conditions: readonly string[]): number => conditions.reduce((mask, c) => mask | (CONDITION_BITS[c as Condition] ?? 0), 0);

/**
 * The columns every listing carries for search (migration 2026-11-27T0710_catalog_search): its
 * product's (the values of the product's `catalog_products` row, same formulas) and the conditions
 * of its offers, so that a search joins its full-text matches to one narrow listing index and
 * reads no product or offer row.
 */
export interface ListingSearchColumns {
  /** The full-text row id of the product (its ASIN in base 36). */
  doc_id: number;
  department: string;
  brand: string;
  brand_key: string;
  star_rating: number | null;
  rating_count: number;
  popularity: number;
  popularity_boost: number;
  release_date: number | null;
  custom_quote: number;
  bundle_quantity: number;
  /** CONDITION_BITS of the conditions of the product's offers in the listing's marketplace. */
  conditions: number;
}

/** The column names, for statements that list their columns. */
export const LISTING_SEARCH_COLUMNS = [
  'doc_id',
  'department',
  'brand',
  'brand_key',
  'star_rating',
  'rating_count',
  'popularity',
  'popularity_boost',
  'release_date',
  'custom_quote',
  'bundle_quantity',
  'conditions',
] as const satisfies readonly (keyof ListingSearchColumns)[];

/**
 * The search columns of the product's listing in `region`: the values the database trigger of
 * migration 2026-11-27T0710 gives a listing inserted without them (doc_id null), from the product
 * and offer rows. A writer may supply them instead (the trigger then does nothing); measured, that
 * is not faster: the trigger's reads cost less than sending the values.
 */
export function listingSearchColumns(p: ProductRecord, region: string): ListingSearchColumns {
  const popularity = p.popularity ?? 0;
  return {
    doc_id: asinDocId(p.asin),
    department: p.department,
    brand: p.brand ?? '',
    brand_key: (p.brand ?? '').trim().toLowerCase(),
    star_rating: p.rating?.stars ?? null,
    rating_count: p.rating?.count ?? 0,
    popularity,
    popularity_boost: Math.min(1, Math.log10(1 + popularity) / 7),
    release_date: p.releaseDate ? Date.parse(`${p.releaseDate}T00:00:00Z`) : null,
    custom_quote: p.customQuoteEligible ? 1 : 0,
    bundle_quantity: p.bundleQuantity ?? 1,
    conditions: conditionMask(p.offers.filter((o) => o.region === region).map((o) => o.condition)),
  };
}

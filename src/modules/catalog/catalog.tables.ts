import type { Listing } from './domain/listing.ts';

/**
 * Kysely table types of the catalog module. Money is integer minor units, times epoch ms,
 * booleans 0/1, JSON is text. The full-text index (SQLite FTS5 table / PostgreSQL tsvector
 * column) is maintained by the database itself and is not part of these types.
 */

export interface CatalogMerchantsTable {
  id: string;
  name: string;
  mean_feedback_rating: number;
  total_feedback_count: number;
  /** JSON array of {id, name}. */
  certificates: string;
  updated_at: number;
}

export interface CatalogMerchantCertificatesTable {
  merchant_id: string;
  certificate_id: string;
}

export interface CatalogCategoriesTable {
  id: string;
  name: string;
  parent_id: string | null;
  /** Set by category records only; inherited by products without a department. */
  department: string | null;
  /** JSON array of taxonomies; set by category records only. */
  taxonomies: string | null;
  updated_at: number;
}

export interface CatalogProductsTable {
  asin: string;
  /** The ASIN as a base-36 number: the row id of the full-text index. */
  doc_id: number;
  title: string;
  brand: string;
  /** Lower-cased brand, for brand refinements. */
  brand_key: string;
  department: string;
  /** Category names of the path, indexed for text search. */
  category_text: string;
  /** Features, description and identifiers, indexed for text search. */
  search_text: string;
  star_rating: number | null;
  rating_count: number;
  popularity: number;
  /** log10(1 + popularity) / 7, capped at 1: the FEATURED sort's popularity weight. */
  popularity_boost: number;
  release_date: number | null;
  bundle_quantity: number;
  custom_quote: number;
  /** The product record without its offers (JSON). */
  data: string;
  source: string | null;
  updated_at: number;
}

export interface CatalogProductCategoriesTable {
  asin: string;
  category_id: string;
  parent_id: string | null;
  depth: number;
}

export interface CatalogIdentifiersTable {
  asin: string;
  kind: 'upc' | 'ean' | 'isbn' | 'part' | 'oem';
  value: string;
}

export interface CatalogOffersTable {
  offer_id: string;
  asin: string;
  region: string;
  merchant_id: string;
  sku: string | null;
  condition: string;
  /** The offer record (JSON). */
  data: string;
  updated_at: number;
}

/** One product in one marketplace (`domain/listing.ts`: its featured offer and the facts search filters on). */
export interface CatalogListingsTable extends Listing {
  updated_at: number;
  // Copies of what search filters, sorts and counts on (migration 0710), filled by a trigger from
  // the product and offer rows when a listing is inserted without them; see domain/search-columns.ts.
  doc_id?: number | null;
  department?: string | null;
  brand?: string | null;
  brand_key?: string | null;
  star_rating?: number | null;
  rating_count?: number | null;
  popularity?: number | null;
  popularity_boost?: number | null;
  release_date?: number | null;
  custom_quote?: number | null;
  bundle_quantity?: number | null;
  /** A bit per condition of the listing's offers (NEW 1, USED 2, REFURBISHED 4, COLLECTIBLE 8, OTHER 16, UNKNOWN 32). */
  conditions?: number | null;
}

export interface CatalogImportsTable {
  id: string;
  source: string;
  content_hash: string;
  format: string;
  status: 'running' | 'completed';
  /** The last input line whose records are committed. */
  lines_done: number;
  products: number;
  merchants: number;
  categories: number;
  offers: number;
  rejected: number;
  /** JSON array of the first rejections ({line, reason, asin?}). */
  rejections: string;
  started_at: number;
  finished_at: number | null;
}

/** One row (id 1): the catalog's change marker, replaced by every catalog write. */
export interface CatalogStateTable {
  id: number;
  version: string;
}

import { CompiledQuery, type Kysely } from 'kysely';
import type { Database } from '../../database.ts';
import { asinDocId } from './domain/asin.ts';
import { eanFromUpc } from './domain/identifiers.ts';
import type { CategoryRecord, Merchant, MerchantRecord, OfferRecord, ProductRecord, Taxonomy } from './domain/model.ts';
import type { CategoryInfo } from './domain/resolve.ts';
import type { CatalogListingsTable } from './catalog.tables.ts';
import { deleteWhereIn, dialectOf, inKeys, insertRows, type Dialect, type TableWrite } from '../../platform/db/bulk.ts';
import { LISTING_SEARCH_COLUMNS, listingSearchColumns } from './domain/search-columns.ts';

/** The only place the catalog writes and reads its tables (search queries live in search/). */

type Q = Kysely<Database>;

/** A product as stored: the record (with the offers of the asked marketplace) and when it changed. */
export interface StoredProduct {
  record: ProductRecord;
  updatedAt: number;
}

export type ListingRow = Omit<CatalogListingsTable, 'updated_at'>;

const CHUNK = 400;

function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

const sortedBy = <T>(items: readonly T[], key: (t: T) => string): T[] => [...items].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));

// ---- bulk statements (writes): multi-row statements written directly (src/platform/db/bulk.ts) --

/** The last item of each key, in key order (a key twice in one upsert statement is an error on PostgreSQL; the last one wins, as it would one by one). */
function lastOfEachKey<T>(items: readonly T[], key: (t: T) => string): T[] {
  const byKey = new Map<string, T>();
  for (const item of items) byKey.set(key(item), item);
  return sortedBy([...byKey.values()], key);
}

/** `on conflict (key) do update set c = excluded.c, …` */
const upsertSuffix = (key: string, columns: readonly string[]): string => `on conflict (${key}) do update set ${columns.map((c) => `${c} = excluded.${c}`).join(', ')}`;

const toMerchant = (r: Database['catalog_merchants']): Merchant => ({
  id: r.id,
  name: r.name,
  meanFeedbackRating: Number(r.mean_feedback_rating),
  totalFeedbackCount: Number(r.total_feedback_count),
  certificates: JSON.parse(r.certificates) as Merchant['certificates'],
});

const MERCHANT_WRITE: TableWrite<Database['catalog_merchants']> = {
  table: 'catalog_merchants',
  columns: ['id', 'name', 'mean_feedback_rating', 'total_feedback_count', 'certificates', 'updated_at'],
  suffix: upsertSuffix('id', ['name', 'mean_feedback_rating', 'total_feedback_count', 'certificates', 'updated_at']),
};
const MERCHANT_CERTIFICATE_WRITE: TableWrite<Database['catalog_merchant_certificates']> = { table: 'catalog_merchant_certificates', columns: ['merchant_id', 'certificate_id'] };

/** Writes merchants (the last record of a merchant wins) with their certificates. */
export async function upsertMerchants(db: Q, merchants: readonly MerchantRecord[], now: number): Promise<void> {
  if (merchants.length === 0) return;
  const dialect = dialectOf(db);
  const latest = lastOfEachKey(merchants, (m) => m.id);
  await insertRows(
    db,
    dialect,
    MERCHANT_WRITE,
    latest.map((m) => ({
      id: m.id,
      name: m.name,
      mean_feedback_rating: m.meanFeedbackRating,
      total_feedback_count: m.totalFeedbackCount,
      certificates: JSON.stringify(m.certificates ?? []),
      updated_at: now,
    })),
  );
  await deleteWhereIn(db, dialect, 'catalog_merchant_certificates', 'merchant_id', latest.map((m) => m.id));
  const certificates = latest.flatMap((m) => [...new Set((m.certificates ?? []).map((c) => c.id))].map((c) => ({ merchant_id: m.id, certificate_id: c })));
  await insertRows(db, dialect, MERCHANT_CERTIFICATE_WRITE, certificates);
}

export async function findMerchants(db: Q, ids?: readonly string[]): Promise<Map<string, Merchant>> {
  const out = new Map<string, Merchant>();
  if (ids && ids.length === 0) return out;
  const lists = ids ? chunks([...new Set(ids)]) : [null];
  for (const list of lists) {
    let q = db.selectFrom('catalog_merchants').selectAll();
    if (list) q = q.where('id', 'in', list);
    for (const r of await q.execute()) out.set(r.id, toMerchant(r));
  }
  return out;
}

/** Offers whose id is already taken by another product than the one named with it. */
export async function findForeignOfferIds(db: Q, offers: readonly { offerId: string; asin: string }[]): Promise<Map<string, string>> {
  const wanted = new Map(offers.map((o) => [o.offerId, o.asin]));
  const out = new Map<string, string>();
  if (wanted.size === 0) return out;
  const where = inKeys(dialectOf(db), 'offer_id', [...wanted.keys()]);
  const { rows } = await db.executeQuery<{ offer_id: string; asin: string }>(CompiledQuery.raw(`select offer_id, asin from catalog_offers where ${where.text}`, [where.parameter]));
  for (const r of rows) if (wanted.get(r.offer_id) !== r.asin) out.set(r.offer_id, r.asin);
  return out;
}

const categoryText = (p: ProductRecord): string => p.categories.map((c) => c.name).join(' ');

function searchText(p: ProductRecord): string {
  const ids = p.identifiers;
  return [
    ...(p.features ?? []),
    p.description ?? '',
    ids?.modelNumber ?? '',
    ids?.partNumber ?? '',
    ids?.oemPartNumber ?? '',
    p.manufacturer && p.manufacturer !== p.brand ? p.manufacturer : '',
    ...Object.values(p.attributes ?? {}),
  ]
    .filter((s) => s.length > 0)
    .join('\n');
}

function productRow(p: ProductRecord, now: number): Database['catalog_products'] {
  const { offers: _offers, type: _type, ...data } = p;
  const popularity = p.popularity ?? 0;
  return {
    asin: p.asin,
    doc_id: asinDocId(p.asin),
    title: p.title,
    brand: p.brand ?? '',
    brand_key: (p.brand ?? '').trim().toLowerCase(),
    department: p.department,
    category_text: categoryText(p),
    search_text: searchText(p),
    star_rating: p.rating?.stars ?? null,
    rating_count: p.rating?.count ?? 0,
    popularity,
    popularity_boost: Math.min(1, Math.log10(1 + popularity) / 7),
    release_date: p.releaseDate ? Date.parse(`${p.releaseDate}T00:00:00Z`) : null,
    bundle_quantity: p.bundleQuantity ?? 1,
    custom_quote: p.customQuoteEligible ? 1 : 0,
    data: JSON.stringify(data),
    source: p.source ?? null,
    updated_at: now,
  };
}

function identifierRows(p: ProductRecord): Database['catalog_identifiers'][] {
  const ids = p.identifiers ?? {};
  const rows: Database['catalog_identifiers'][] = [];
  const add = (kind: Database['catalog_identifiers']['kind'], value: string | undefined) => {
    const v = value?.trim().toUpperCase();
    if (v && !rows.some((r) => r.kind === kind && r.value === v)) rows.push({ asin: p.asin, kind, value: v });
  };
  for (const v of ids.upc ?? []) add('upc', v);
  // Every UPC-A is also an EAN-13 (with a leading zero), so it is found by either.
  for (const v of [...(ids.ean ?? []), ...(ids.upc ?? []).map(eanFromUpc)]) add('ean', v);
  for (const v of ids.isbn ?? []) add('isbn', v);
  add('part', ids.partNumber);
  add('part', ids.modelNumber);
  add('oem', ids.oemPartNumber);
  return rows;
}

const PRODUCT_WRITE: TableWrite<Database['catalog_products']> = {
  table: 'catalog_products',
  columns: [
    'asin', 'doc_id', 'title', 'brand', 'brand_key', 'department', 'category_text', 'search_text', 'star_rating', 'rating_count',
    'popularity', 'popularity_boost', 'release_date', 'bundle_quantity', 'custom_quote', 'data', 'source', 'updated_at',
  ],
  suffix: upsertSuffix('asin', [
    'title', 'brand', 'brand_key', 'department', 'category_text', 'search_text', 'star_rating', 'rating_count',
    'popularity', 'popularity_boost', 'release_date', 'bundle_quantity', 'custom_quote', 'data', 'source', 'updated_at',
  ]),
};
/** Categories met in product paths: their department and taxonomies come from category records only. */
const PATH_CATEGORY_WRITE: TableWrite<Database['catalog_categories']> = {
  table: 'catalog_categories',
  columns: ['id', 'name', 'parent_id', 'department', 'taxonomies', 'updated_at'],
  suffix: upsertSuffix('id', ['name', 'parent_id', 'updated_at']),
};
const CATEGORY_WRITE: TableWrite<Database['catalog_categories']> = {
  table: 'catalog_categories',
  columns: ['id', 'name', 'parent_id', 'department', 'taxonomies', 'updated_at'],
  suffix: upsertSuffix('id', ['name', 'parent_id', 'department', 'taxonomies', 'updated_at']),
};
const PRODUCT_CATEGORY_WRITE: TableWrite<Database['catalog_product_categories']> = { table: 'catalog_product_categories', columns: ['asin', 'category_id', 'parent_id', 'depth'] };
const IDENTIFIER_WRITE: TableWrite<Database['catalog_identifiers']> = { table: 'catalog_identifiers', columns: ['asin', 'kind', 'value'] };
const OFFER_WRITE: TableWrite<Database['catalog_offers']> = { table: 'catalog_offers', columns: ['offer_id', 'asin', 'region', 'merchant_id', 'sku', 'condition', 'data', 'updated_at'] };
const LISTING_WRITE: TableWrite<Database['catalog_listings']> = {
  table: 'catalog_listings',
  columns: ['asin', 'region', 'featured_offer_id', 'price_minor', 'in_stock', 'prime', 'free_shipping', 'ship_min_days', 'offer_count', 'updated_at'],
};
const LISTING_WITH_SEARCH_WRITE: TableWrite<Database['catalog_listings']> = { ...LISTING_WRITE, columns: [...LISTING_WRITE.columns, ...LISTING_SEARCH_COLUMNS] };

/** Which of these ASINs have a product row (by its primary key). */
async function storedAsins(db: Q, dialect: Dialect, asins: readonly string[]): Promise<string[]> {
  if (asins.length === 0) return [];
  const where = inKeys(dialect, 'asin', asins);
  const { rows } = await db.executeQuery<{ asin: string }>(CompiledQuery.raw(`select asin from catalog_products where ${where.text}`, [where.parameter]));
  return rows.map((r) => r.asin);
}

/** The tables holding a product's parts, replaced whole when the product is written again. */
const PRODUCT_PARTS = ['catalog_product_categories', 'catalog_identifiers', 'catalog_offers', 'catalog_listings'] as const;

/**
 * Writes whole products (fields, categories, identifiers, every offer, listings), replacing
 * what was stored for them; when an ASIN is given twice, the last one wins. A statement writes
 * many rows (within the dialect's parameter limit), and the old parts of all the products go with
 * one statement per table. Rows are written in key order so concurrent imports cannot deadlock.
 */
export async function writeProducts(db: Q, items: readonly { product: ProductRecord; listings: readonly ListingRow[] }[], now: number): Promise<void> {
  if (items.length === 0) return;
  const dialect = dialectOf(db);
  const sorted = lastOfEachKey(items, (i) => i.product.asin);
  const asins = sorted.map((i) => i.product.asin);

  const categories = new Map<string, Database['catalog_categories']>();
  for (const { product } of sorted) {
    product.categories.forEach((c, i) => categories.set(c.id, { id: c.id, name: c.name, parent_id: product.categories[i - 1]?.id ?? null, department: null, taxonomies: null, updated_at: now }));
  }
  await insertRows(db, dialect, PATH_CATEGORY_WRITE, sortedBy([...categories.values()], (c) => c.id));
  await insertRows(db, dialect, PRODUCT_WRITE, sorted.map((i) => productRow(i.product, now)));

  // Only products stored before have parts to replace (parts cannot outlive their product): a new
  // product costs no delete, and a bulk load (src/modules/catalog/catalog.import.ts), whose tables
  // lack the asin indexes until it ends, scans nothing for products it meets for the first time.
  const stored = await storedAsins(db, dialect, asins);
  if (stored.length) for (const table of PRODUCT_PARTS) await deleteWhereIn(db, dialect, table, 'asin', stored);
  const productCategories: Database['catalog_product_categories'][] = [];
  const identifiers: Database['catalog_identifiers'][] = [];
  const offers: Database['catalog_offers'][] = [];
  const listings: Database['catalog_listings'][] = [];
  for (const { product, listings: ofProduct } of sorted) {
    const seen = new Set<string>();
    product.categories.forEach((c, depth) => {
      if (seen.has(c.id)) return;
      seen.add(c.id);
      productCategories.push({ asin: product.asin, category_id: c.id, parent_id: product.categories[depth - 1]?.id ?? null, depth });
    });
    identifiers.push(...identifierRows(product));
    for (const o of sortedBy(product.offers, (x) => x.offerId)) {
      offers.push({ offer_id: o.offerId, asin: product.asin, region: o.region, merchant_id: o.merchantId, sku: o.sku ?? null, condition: o.condition, data: JSON.stringify(o), updated_at: now });
    }
    // With its search columns, so the listing trigger (which reads the product and offer rows) has nothing to do.
    for (const l of ofProduct) listings.push({ ...l, ...listingSearchColumns(product, l.region), updated_at: now });
  }
  await insertRows(db, dialect, PRODUCT_CATEGORY_WRITE, productCategories);
  await insertRows(db, dialect, IDENTIFIER_WRITE, identifiers);
  await insertRows(db, dialect, OFFER_WRITE, offers);
  await insertRows(db, dialect, LISTING_WITH_SEARCH_WRITE, listings);
}

/** Writes category tree nodes (with their department and taxonomies); the last record of a category wins. */
export async function upsertCategories(db: Q, categories: readonly CategoryRecord[], now: number): Promise<void> {
  await insertRows(
    db,
    dialectOf(db),
    CATEGORY_WRITE,
    lastOfEachKey(categories, (c) => c.id).map((c) => ({
      id: c.id,
      name: c.name,
      parent_id: c.parentId ?? null,
      department: c.department ?? null,
      taxonomies: c.taxonomies ? JSON.stringify(c.taxonomies) : null,
      updated_at: now,
    })),
  );
}

/** The categories with these ids and all their ancestors. */
export async function findCategoryTree(db: Q, ids: readonly string[]): Promise<Map<string, CategoryInfo>> {
  const out = new Map<string, CategoryInfo>();
  let wanted = [...new Set(ids)];
  for (let depth = 0; wanted.length > 0 && depth < 12; depth++) {
    const next: string[] = [];
    for (const list of chunks(wanted)) {
      for (const r of await db.selectFrom('catalog_categories').select(['id', 'name', 'parent_id', 'department', 'taxonomies']).where('id', 'in', list).execute()) {
        out.set(r.id, { id: r.id, name: r.name, parentId: r.parent_id, department: r.department, taxonomies: r.taxonomies ? (JSON.parse(r.taxonomies) as Taxonomy[]) : null });
        if (r.parent_id && !out.has(r.parent_id)) next.push(r.parent_id);
      }
    }
    wanted = [...new Set(next)];
  }
  return out;
}

/** Replaces the listings of products (after a merchant's rating changed). */
export async function replaceListings(db: Q, items: readonly { asin: string; listings: readonly ListingRow[] }[], now: number): Promise<void> {
  if (items.length === 0) return;
  const dialect = dialectOf(db);
  const sorted = lastOfEachKey(items, (i) => i.asin);
  await deleteWhereIn(db, dialect, 'catalog_listings', 'asin', sorted.map((i) => i.asin));
  await insertRows(db, dialect, LISTING_WRITE, sorted.flatMap((i) => i.listings.map((l) => ({ ...l, updated_at: now }))));
}

/** ASINs of the products a merchant has offers on. */
export async function asinsWithMerchant(db: Q, merchantId: string): Promise<string[]> {
  const rows = await db.selectFrom('catalog_offers').select('asin').distinct().where('merchant_id', '=', merchantId).orderBy('asin').execute();
  return rows.map((r) => r.asin);
}

/**
 * Products by ASIN with their offers (all marketplaces, or only `region`); missing ones are absent.
 * A product is visible in a marketplace when it has a listing there.
 */
export async function findProducts(db: Q, asins: readonly string[], region?: string): Promise<Map<string, StoredProduct>> {
  const out = new Map<string, StoredProduct>();
  for (const list of chunks([...new Set(asins)])) {
    let q = db.selectFrom('catalog_products as p').select(['p.asin', 'p.data', 'p.updated_at']).where('p.asin', 'in', list);
    if (region) q = q.where((eb) => eb.exists(eb.selectFrom('catalog_listings as l').select('l.asin').whereRef('l.asin', '=', 'p.asin').where('l.region', '=', region)));
    const rows = await q.execute();
    if (rows.length === 0) continue;
    let oq = db.selectFrom('catalog_offers').select(['asin', 'data']).where('asin', 'in', rows.map((r) => r.asin));
    if (region) oq = oq.where('region', '=', region);
    const offers = new Map<string, OfferRecord[]>();
    for (const o of await oq.orderBy('offer_id').execute()) {
      const list = offers.get(o.asin) ?? [];
      list.push(JSON.parse(o.data) as OfferRecord);
      offers.set(o.asin, list);
    }
    for (const r of rows) {
      const data = JSON.parse(r.data) as Omit<ProductRecord, 'offers' | 'type'>;
      out.set(r.asin, { record: { type: 'product', ...data, offers: offers.get(r.asin) ?? [] }, updatedAt: Number(r.updated_at) });
    }
  }
  return out;
}

/** Offers by id in a marketplace, with the ASIN each belongs to. */
export async function findOffers(db: Q, offerIds: readonly string[], region: string): Promise<Map<string, { asin: string; offer: OfferRecord }>> {
  const out = new Map<string, { asin: string; offer: OfferRecord }>();
  for (const list of chunks([...new Set(offerIds)])) {
    const rows = await db.selectFrom('catalog_offers').select(['offer_id', 'asin', 'data']).where('offer_id', 'in', list).where('region', '=', region).execute();
    for (const r of rows) out.set(r.offer_id, { asin: r.asin, offer: JSON.parse(r.data) as OfferRecord });
  }
  return out;
}

/** Names of categories by id. */
export async function findCategoryNames(db: Q, ids: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const list of chunks([...new Set(ids)])) {
    for (const r of await db.selectFrom('catalog_categories').select(['id', 'name']).where('id', 'in', list).execute()) out.set(r.id, r.name);
  }
  return out;
}

export interface CatalogCounts {
  products: number;
  offers: number;
  merchants: number;
}

/** ASINs with an offer in a marketplace, in ASIN order, at most `limit`. */
export async function asinsInRegion(db: Q, region: string, limit: number): Promise<string[]> {
  const rows = await db.selectFrom('catalog_offers').select('asin').distinct().where('region', '=', region).orderBy('asin').limit(limit).execute();
  return rows.map((r) => r.asin);
}

export async function countCatalog(db: Q): Promise<CatalogCounts> {
  const [p, o, m] = await Promise.all([
    db.selectFrom('catalog_products').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    db.selectFrom('catalog_offers').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    db.selectFrom('catalog_merchants').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { products: Number(p.n), offers: Number(o.n), merchants: Number(m.n) };
}

// ---- import bookkeeping -----------------------------------------------------------------------

export type ImportRow = Database['catalog_imports'];

export async function findImport(db: Q, contentHash: string, status: ImportRow['status']): Promise<ImportRow | undefined> {
  return db.selectFrom('catalog_imports').selectAll().where('content_hash', '=', contentHash).where('status', '=', status).orderBy('started_at', 'desc').executeTakeFirst();
}

export async function insertImport(db: Q, row: ImportRow): Promise<void> {
  await db.insertInto('catalog_imports').values(row).execute();
}

export async function updateImport(db: Q, id: string, patch: Partial<Omit<ImportRow, 'id'>>): Promise<void> {
  await db.updateTable('catalog_imports').set(patch).where('id', '=', id).execute();
}

/** Display names of merchant certificates by id. */
export async function findCertificateNames(db: Q, ids: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (ids.length === 0) return out;
  const rows = await db
    .selectFrom('catalog_merchants')
    .select('certificates')
    .where('id', 'in', (eb) => eb.selectFrom('catalog_merchant_certificates').select('merchant_id').where('certificate_id', 'in', [...ids]))
    .execute();
  for (const r of rows) for (const c of JSON.parse(r.certificates) as Merchant['certificates']) if (ids.includes(c.id)) out.set(c.id, c.name);
  return out;
}

/** The catalog tables an import refreshes when it ends. */
export const REFRESHED_AFTER_IMPORT = ['catalog_products', 'catalog_listings', 'catalog_offers', 'catalog_product_categories', 'catalog_identifiers', 'catalog_categories'] as const;

/**
 * The statement that refreshes a table after an import: its planner statistics, and on PostgreSQL a
 * VACUUM as well, which marks the pages written as all-visible (an index-only scan reads the heap for
 * every row of a page not so marked, and a bulk load leaves none marked; autovacuum gets there only
 * later). VACUUM skips pages already marked, so after a small import it costs little.
 */
export const refreshStatement = (dialect: Dialect, table: string): string => (dialect === 'postgres' ? `vacuum (analyze) ${table}` : `analyze ${table}`);

/** Refreshes the catalog tables after an import (outside any transaction: VACUUM cannot run in one). */
export async function analyzeCatalog(db: Q): Promise<void> {
  const dialect = dialectOf(db);
  for (const table of REFRESHED_AFTER_IMPORT) await db.executeQuery(CompiledQuery.raw(refreshStatement(dialect, table)));
}

/** The texts of the products listed in a marketplace that make its search vocabulary, a page at a time in doc_id order. */
export async function vocabularySources(
  db: Kysely<Database>,
  region: string,
  afterDocId: number,
  limit: number,
): Promise<{ docId: number; title: string; brand: string; categoryText: string; otherText: string }[]> {
  const rows = await db
    .selectFrom('catalog_products as p')
    .select(['p.doc_id', 'p.title', 'p.brand', 'p.category_text', 'p.search_text'])
    .where('p.doc_id', '>', afterDocId)
    .where(({ exists, selectFrom }) => exists(selectFrom('catalog_listings as l').select('l.asin').whereRef('l.asin', '=', 'p.asin').where('l.region', '=', region)))
    .orderBy('p.doc_id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ docId: Number(r.doc_id), title: r.title, brand: r.brand, categoryText: r.category_text, otherText: r.search_text }));
}

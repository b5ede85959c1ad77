import { sql, type Kysely } from 'kysely';
import type { Database } from '../../database.ts';
import { asinDocId } from './domain/asin.ts';
import { eanFromUpc } from './domain/identifiers.ts';
import type { CategoryRecord, Merchant, MerchantRecord, OfferRecord, ProductRecord, Taxonomy } from './domain/model.ts';
import type { CategoryInfo } from './domain/resolve.ts';
import type { CatalogListingsTable } from './catalog.tables.ts';

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

const toMerchant = (r: Database['catalog_merchants']): Merchant => ({
  id: r.id,
  name: r.name,
  meanFeedbackRating: Number(r.mean_feedback_rating),
  totalFeedbackCount: Number(r.total_feedback_count),
  certificates: JSON.parse(r.certificates) as Merchant['certificates'],
});

export async function upsertMerchants(db: Q, merchants: readonly MerchantRecord[], now: number): Promise<void> {
  for (const m of sortedBy(merchants, (x) => x.id)) {
    const row = {
      id: m.id,
      name: m.name,
      mean_feedback_rating: m.meanFeedbackRating,
      total_feedback_count: m.totalFeedbackCount,
      certificates: JSON.stringify(m.certificates ?? []),
      updated_at: now,
    };
    await db
      .insertInto('catalog_merchants')
      .values(row)
      .onConflict((oc) => oc.column('id').doUpdateSet({ name: row.name, mean_feedback_rating: row.mean_feedback_rating, total_feedback_count: row.total_feedback_count, certificates: row.certificates, updated_at: now }))
      .execute();
    await db.deleteFrom('catalog_merchant_certificates').where('merchant_id', '=', m.id).execute();
    const certs = [...new Set((m.certificates ?? []).map((c) => c.id))];
    if (certs.length) await db.insertInto('catalog_merchant_certificates').values(certs.map((c) => ({ merchant_id: m.id, certificate_id: c }))).execute();
  }
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
  for (const list of chunks([...wanted.keys()])) {
    const rows = await db.selectFrom('catalog_offers').select(['offer_id', 'asin']).where('offer_id', 'in', list).execute();
    for (const r of rows) if (wanted.get(r.offer_id) !== r.asin) out.set(r.offer_id, r.asin);
  }
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

/**
 * Writes whole products (fields, categories, identifiers, every offer, listings), replacing
 * what was stored for them. Rows are written in key order so concurrent imports cannot deadlock.
 */
export async function writeProducts(db: Q, items: readonly { product: ProductRecord; listings: ListingRow[] }[], now: number): Promise<void> {
  if (items.length === 0) return;
  const sorted = sortedBy(items, (i) => i.product.asin);
  const asins = sorted.map((i) => i.product.asin);

  const categories = new Map<string, { name: string; parent: string | null }>();
  for (const { product } of sorted) product.categories.forEach((c, i) => categories.set(c.id, { name: c.name, parent: product.categories[i - 1]?.id ?? null }));
  for (const list of chunks(sortedBy([...categories], ([id]) => id), 200)) {
    await db
      .insertInto('catalog_categories')
      .values(list.map(([id, c]) => ({ id, name: c.name, parent_id: c.parent, department: null, taxonomies: null, updated_at: now })))
      .onConflict((oc) => oc.column('id').doUpdateSet((eb) => ({ name: eb.ref('excluded.name'), parent_id: eb.ref('excluded.parent_id'), updated_at: now })))
      .execute();
  }

  for (const list of chunks(sorted, 100)) {
    await db
      .insertInto('catalog_products')
      .values(list.map((i) => productRow(i.product, now)))
      .onConflict((oc) =>
        oc.column('asin').doUpdateSet((eb) => ({
          title: eb.ref('excluded.title'),
          brand: eb.ref('excluded.brand'),
          brand_key: eb.ref('excluded.brand_key'),
          department: eb.ref('excluded.department'),
          category_text: eb.ref('excluded.category_text'),
          search_text: eb.ref('excluded.search_text'),
          star_rating: eb.ref('excluded.star_rating'),
          rating_count: eb.ref('excluded.rating_count'),
          popularity: eb.ref('excluded.popularity'),
          popularity_boost: eb.ref('excluded.popularity_boost'),
          release_date: eb.ref('excluded.release_date'),
          bundle_quantity: eb.ref('excluded.bundle_quantity'),
          custom_quote: eb.ref('excluded.custom_quote'),
          data: eb.ref('excluded.data'),
          source: eb.ref('excluded.source'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute();
  }

  for (const list of chunks(asins)) {
    await db.deleteFrom('catalog_product_categories').where('asin', 'in', list).execute();
    await db.deleteFrom('catalog_identifiers').where('asin', 'in', list).execute();
    await db.deleteFrom('catalog_offers').where('asin', 'in', list).execute();
    await db.deleteFrom('catalog_listings').where('asin', 'in', list).execute();
  }
  const productCategories = sorted.flatMap(({ product }) =>
    product.categories.map((c, depth) => ({ asin: product.asin, category_id: c.id, parent_id: product.categories[depth - 1]?.id ?? null, depth })),
  );
  const seenPc = new Set<string>();
  const uniquePc = productCategories.filter((r) => !seenPc.has(`${r.asin}|${r.category_id}`) && seenPc.add(`${r.asin}|${r.category_id}`));
  for (const list of chunks(uniquePc)) await db.insertInto('catalog_product_categories').values(list).execute();
  for (const list of chunks(sorted.flatMap((i) => identifierRows(i.product)))) await db.insertInto('catalog_identifiers').values(list).execute();
  const offerRows = sorted.flatMap(({ product }) =>
    sortedBy(product.offers, (o) => o.offerId).map((o) => ({
      offer_id: o.offerId,
      asin: product.asin,
      region: o.region,
      merchant_id: o.merchantId,
      sku: o.sku ?? null,
      condition: o.condition,
      data: JSON.stringify(o),
      updated_at: now,
    })),
  );
  for (const list of chunks(offerRows, 200)) await db.insertInto('catalog_offers').values(list).execute();
  const listingRows = sorted.flatMap((i) => i.listings.map((l) => ({ ...l, updated_at: now })));
  for (const list of chunks(listingRows)) await db.insertInto('catalog_listings').values(list).execute();
}

/** Writes category tree nodes (with their department and taxonomies). */
export async function upsertCategories(db: Q, categories: readonly CategoryRecord[], now: number): Promise<void> {
  for (const list of chunks(sortedBy(categories, (c) => c.id), 200)) {
    await db
      .insertInto('catalog_categories')
      .values(list.map((c) => ({ id: c.id, name: c.name, parent_id: c.parentId ?? null, department: c.department ?? null, taxonomies: c.taxonomies ? JSON.stringify(c.taxonomies) : null, updated_at: now })))
      .onConflict((oc) =>
        oc.column('id').doUpdateSet((eb) => ({
          name: eb.ref('excluded.name'),
          parent_id: eb.ref('excluded.parent_id'),
          department: eb.ref('excluded.department'),
          taxonomies: eb.ref('excluded.taxonomies'),
          updated_at: now,
        })),
      )
      .execute();
  }
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
export async function replaceListings(db: Q, asin: string, listings: readonly ListingRow[], now: number): Promise<void> {
  await db.deleteFrom('catalog_listings').where('asin', '=', asin).execute();
  if (listings.length) await db.insertInto('catalog_listings').values(listings.map((l) => ({ ...l, updated_at: now }))).execute();
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

/** Refreshes the planner statistics of the catalog tables (after a large import). */
export async function analyzeCatalog(db: Q): Promise<void> {
  for (const table of ['catalog_products', 'catalog_listings', 'catalog_offers', 'catalog_product_categories', 'catalog_identifiers', 'catalog_categories']) {
    await sql`analyze ${sql.table(table)}`.execute(db);
  }
}

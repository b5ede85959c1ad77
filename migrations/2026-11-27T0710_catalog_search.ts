import { sql, type Kysely, type RawBuilder } from 'kysely';

// Frozen once landed. Search columns on listings: what product search filters, sorts and counts on
// is copied into each listing, so that a search reads one narrow index per match instead of the
// product row (wide: the JSON record, the texts), its listing and its offers.
//
// - catalog_listings gains doc_id (the product's full-text row id), the product's department,
//   brand, brand_key, star_rating, rating_count, popularity, popularity_boost, release_date,
//   custom_quote and bundle_quantity, and `conditions`: a bit per condition of the product's
//   offers in the listing's marketplace (NEW 1, USED 2, REFURBISHED 4, COLLECTIBLE 8, OTHER 16,
//   UNKNOWN 32). A trigger fills them from the product and offer rows when a listing is inserted
//   without them (doc_id null), so writers need not know them; one may supply them instead
//   (listingSearchColumns() in src/modules/catalog/domain/search-columns.ts computes the same
//   values), and the trigger then does nothing. Products and offers are only written together with
//   all the product's listings (writeProducts replaces them), which keeps the copies current.
// - Indexes: (doc_id, region) covering every search column, for the join from full-text matches;
//   (region, department, popularity desc, asin) and (region, popularity desc, asin), for browsing
//   without keywords in the default order; offers by (asin, region, condition, merchant_id), for
//   seller-credential refinements without reading offer rows (it replaces the (asin, region)
//   index, its prefix); product categories by (category_id, asin), for the products of a
//   subcategory without reading their rows (it replaces the (category_id) index), and by
//   (asin, parent_id, category_id), for the subcategories of matches (a root has no parent).

/** The dialect behind a Kysely instance, from its placeholder style (no query is run). */
function dialectOf(db: Kysely<unknown>): 'sqlite' | 'postgres' {
  return sql`select ${1}`.compile(db).sql.includes('$1') ? 'postgres' : 'sqlite';
}

/** The columns copied from the product row. */
const PRODUCT_COLUMNS = [
  ['doc_id', 'bigint'],
  ['department', 'text'],
  ['brand', 'text'],
  ['brand_key', 'text'],
  ['star_rating', 'double precision'],
  ['rating_count', 'integer'],
  ['popularity', 'integer'],
  ['popularity_boost', 'double precision'],
  ['release_date', 'bigint'],
  ['custom_quote', 'integer'],
  ['bundle_quantity', 'integer'],
] as const;

/** Every column a search reads from a listing after a full-text match, in index order. */
const SEARCH_COLUMNS = [
  'asin',
  'popularity',
  'popularity_boost',
  'release_date',
  'star_rating',
  'rating_count',
  'price_minor',
  'department',
  'brand_key',
  'brand',
  'in_stock',
  'prime',
  'free_shipping',
  'ship_min_days',
  'custom_quote',
  'bundle_quantity',
  'conditions',
];

const productColumns = () => sql.join(PRODUCT_COLUMNS.map(([name]) => sql.ref(name)));

/** The product columns of the listing of `asin`, from its product row. */
const fromProduct = (asin: RawBuilder<unknown>) =>
  sql`(select ${sql.join(PRODUCT_COLUMNS.map(([name]) => sql.ref(`p.${name}`)))} from catalog_products p where p.asin = ${asin})`;

/** The condition bits of the offers of `asin` in `region`. */
const conditionsOf = (asin: RawBuilder<unknown>, region: RawBuilder<unknown>) => sql`(select coalesce(sum(distinct case o.condition
    when 'NEW' then 1 when 'USED' then 2 when 'REFURBISHED' then 4 when 'COLLECTIBLE' then 8 when 'OTHER' then 16 when 'UNKNOWN' then 32 else 0 end), 0)
  from catalog_offers o where o.asin = ${asin} and o.region = ${region})`;

export async function up(db: Kysely<unknown>): Promise<void> {
  const postgres = dialectOf(db) === 'postgres';
  for (const [name, type] of PRODUCT_COLUMNS) await db.schema.alterTable('catalog_listings').addColumn(name, type).execute();
  await db.schema.alterTable('catalog_listings').addColumn('conditions', 'integer').execute();

  await sql`create index catalog_offers_search on catalog_offers (asin, region, condition, merchant_id)`.execute(db);
  await sql`drop index catalog_offers_product`.execute(db);
  await sql`create index catalog_product_categories_search on catalog_product_categories (category_id, asin)`.execute(db);
  await sql`drop index catalog_product_categories_category`.execute(db);
  await sql`create index catalog_product_categories_parent on catalog_product_categories (asin, parent_id, category_id)`.execute(db);
  await sql`update catalog_listings set (${productColumns()}) = ${fromProduct(sql.ref('catalog_listings.asin'))},
    conditions = ${conditionsOf(sql.ref('catalog_listings.asin'), sql.ref('catalog_listings.region'))}`.execute(db);

  const covering = sql.join(SEARCH_COLUMNS.map((c) => sql.ref(c)));
  if (postgres)
    await sql`create unique index catalog_listings_search_doc on catalog_listings (doc_id, region) include (${covering})`.execute(db);
  else await sql`create index catalog_listings_search_doc on catalog_listings (doc_id, region, ${covering})`.execute(db);
  await sql`create index catalog_listings_search_department on catalog_listings (region, department, popularity desc, asin)`.execute(db);
  await sql`create index catalog_listings_search_popular on catalog_listings (region, popularity desc, asin)`.execute(db);

  if (postgres) {
    await sql`
      CREATE FUNCTION catalog_listings_search_fill() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        SELECT ${sql.join(PRODUCT_COLUMNS.map(([name]) => sql.ref(`p.${name}`)))}
          INTO ${sql.join(PRODUCT_COLUMNS.map(([name]) => sql.raw(`NEW.${name}`)))}
          FROM catalog_products p WHERE p.asin = NEW.asin;
        NEW.conditions := ${conditionsOf(sql.raw('NEW.asin'), sql.raw('NEW.region'))};
        RETURN NEW;
      END $$`.execute(db);
    await sql`
      CREATE TRIGGER catalog_listings_search_fill BEFORE INSERT ON catalog_listings
      FOR EACH ROW WHEN (NEW.doc_id IS NULL) EXECUTE FUNCTION catalog_listings_search_fill()`.execute(db);
    return;
  }
  await sql`
    CREATE TRIGGER catalog_listings_search_fill AFTER INSERT ON catalog_listings WHEN new.doc_id IS NULL BEGIN
      UPDATE catalog_listings SET (${productColumns()}) = ${fromProduct(sql.raw('new.asin'))},
        conditions = ${conditionsOf(sql.raw('new.asin'), sql.raw('new.region'))}
      WHERE rowid = new.rowid;
    END`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}

import { sql, type Kysely } from 'kysely';

// Frozen once landed. The catalog: merchants, categories, products, offers, listings, imports,
// and a full-text index that differs by dialect (SQLite FTS5 table kept by triggers; PostgreSQL
// generated tsvector column with a GIN index).

/** The dialect behind a Kysely instance, from its placeholder style (no query is run). */
function dialectOf(db: Kysely<unknown>): 'sqlite' | 'postgres' {
  return sql`select ${1}`.compile(db).sql.includes('$1') ? 'postgres' : 'sqlite';
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('catalog_merchants')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('mean_feedback_rating', 'double precision', (c) => c.notNull())
    .addColumn('total_feedback_count', 'integer', (c) => c.notNull())
    .addColumn('certificates', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('catalog_merchant_certificates')
    .addColumn('merchant_id', 'text', (c) => c.notNull().references('catalog_merchants.id').onDelete('cascade'))
    .addColumn('certificate_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('catalog_merchant_certificates_pk', ['merchant_id', 'certificate_id'])
    .execute();
  await db.schema
    .createTable('catalog_categories')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('parent_id', 'text')
    .addColumn('department', 'text')
    .addColumn('taxonomies', 'text')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('catalog_products')
    .addColumn('asin', 'text', (c) => c.primaryKey())
    .addColumn('doc_id', 'bigint', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('brand', 'text', (c) => c.notNull())
    .addColumn('brand_key', 'text', (c) => c.notNull())
    .addColumn('department', 'text', (c) => c.notNull())
    .addColumn('category_text', 'text', (c) => c.notNull())
    .addColumn('search_text', 'text', (c) => c.notNull())
    .addColumn('star_rating', 'double precision')
    .addColumn('rating_count', 'integer', (c) => c.notNull())
    .addColumn('popularity', 'integer', (c) => c.notNull())
    .addColumn('popularity_boost', 'double precision', (c) => c.notNull())
    .addColumn('release_date', 'bigint')
    .addColumn('bundle_quantity', 'integer', (c) => c.notNull())
    .addColumn('custom_quote', 'integer', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('source', 'text')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('catalog_products_doc').on('catalog_products').column('doc_id').unique().execute();
  await db.schema.createIndex('catalog_products_department').on('catalog_products').columns(['department', 'popularity']).execute();
  await db.schema.createIndex('catalog_products_brand').on('catalog_products').column('brand_key').execute();
  await db.schema
    .createTable('catalog_product_categories')
    .addColumn('asin', 'text', (c) => c.notNull().references('catalog_products.asin').onDelete('cascade'))
    .addColumn('category_id', 'text', (c) => c.notNull())
    .addColumn('parent_id', 'text')
    .addColumn('depth', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('catalog_product_categories_pk', ['asin', 'category_id'])
    .execute();
  await db.schema.createIndex('catalog_product_categories_category').on('catalog_product_categories').column('category_id').execute();
  await db.schema
    .createTable('catalog_identifiers')
    .addColumn('asin', 'text', (c) => c.notNull().references('catalog_products.asin').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('catalog_identifiers_pk', ['kind', 'value', 'asin'])
    .execute();
  await db.schema.createIndex('catalog_identifiers_asin').on('catalog_identifiers').column('asin').execute();
  await db.schema
    .createTable('catalog_offers')
    .addColumn('offer_id', 'text', (c) => c.primaryKey())
    .addColumn('asin', 'text', (c) => c.notNull().references('catalog_products.asin').onDelete('cascade'))
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('merchant_id', 'text', (c) => c.notNull().references('catalog_merchants.id'))
    .addColumn('sku', 'text')
    .addColumn('condition', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('catalog_offers_product').on('catalog_offers').columns(['asin', 'region']).execute();
  await db.schema.createIndex('catalog_offers_merchant').on('catalog_offers').column('merchant_id').execute();
  await db.schema.createIndex('catalog_offers_sku').on('catalog_offers').column('sku').execute();
  await db.schema
    .createTable('catalog_listings')
    .addColumn('asin', 'text', (c) => c.notNull().references('catalog_products.asin').onDelete('cascade'))
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('featured_offer_id', 'text')
    .addColumn('price_minor', 'bigint')
    .addColumn('in_stock', 'integer', (c) => c.notNull())
    .addColumn('prime', 'integer', (c) => c.notNull())
    .addColumn('free_shipping', 'integer', (c) => c.notNull())
    .addColumn('ship_min_days', 'integer')
    .addColumn('offer_count', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('catalog_listings_pk', ['asin', 'region'])
    .execute();
  await db.schema.createIndex('catalog_listings_region_price').on('catalog_listings').columns(['region', 'price_minor']).execute();
  await db.schema
    .createTable('catalog_imports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('content_hash', 'text', (c) => c.notNull())
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('lines_done', 'integer', (c) => c.notNull())
    .addColumn('products', 'integer', (c) => c.notNull())
    .addColumn('merchants', 'integer', (c) => c.notNull())
    .addColumn('categories', 'integer', (c) => c.notNull())
    .addColumn('offers', 'integer', (c) => c.notNull())
    .addColumn('rejected', 'integer', (c) => c.notNull())
    .addColumn('rejections', 'text', (c) => c.notNull())
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('finished_at', 'bigint')
    .execute();
  await db.schema.createIndex('catalog_imports_hash').on('catalog_imports').columns(['content_hash', 'status']).execute();

  if (dialectOf(db) === 'postgres') {
    // Field weights: title A, brand B, category names C, features/description/identifiers D.
    await sql`
      ALTER TABLE catalog_products ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english', coalesce(title, '')), 'A') ||
        setweight(to_tsvector('english', coalesce(brand, '')), 'B') ||
        setweight(to_tsvector('english', coalesce(category_text, '')), 'C') ||
        setweight(to_tsvector('english', coalesce(search_text, '')), 'D')
      ) STORED`.execute(db);
    await sql`CREATE INDEX catalog_products_search ON catalog_products USING GIN (search_vector)`.execute(db);
    // The title alone, for ranking: ts_rank has no per-field length normalization, so title
    // length is taken from a vector of its own (matching always uses search_vector).
    await sql`ALTER TABLE catalog_products ADD COLUMN title_vector tsvector GENERATED ALWAYS AS (to_tsvector('english', coalesce(title, ''))) STORED`.execute(
      db,
    );
    return;
  }
  // External-content FTS5 table over catalog_products, keyed by doc_id, kept in step by triggers;
  // field weights are applied at query time through bm25().
  await sql`
    CREATE VIRTUAL TABLE catalog_products_fts USING fts5(
      title, brand, category_text, search_text,
      content = 'catalog_products', content_rowid = 'doc_id',
      tokenize = 'porter unicode61 remove_diacritics 2'
    )`.execute(db);
  await sql`
    CREATE TRIGGER catalog_products_fts_insert AFTER INSERT ON catalog_products BEGIN
      INSERT INTO catalog_products_fts (rowid, title, brand, category_text, search_text)
      VALUES (new.doc_id, new.title, new.brand, new.category_text, new.search_text);
    END`.execute(db);
  await sql`
    CREATE TRIGGER catalog_products_fts_delete AFTER DELETE ON catalog_products BEGIN
      INSERT INTO catalog_products_fts (catalog_products_fts, rowid, title, brand, category_text, search_text)
      VALUES ('delete', old.doc_id, old.title, old.brand, old.category_text, old.search_text);
    END`.execute(db);
  await sql`
    CREATE TRIGGER catalog_products_fts_update AFTER UPDATE OF title, brand, category_text, search_text ON catalog_products BEGIN
      INSERT INTO catalog_products_fts (catalog_products_fts, rowid, title, brand, category_text, search_text)
      VALUES ('delete', old.doc_id, old.title, old.brand, old.category_text, old.search_text);
      INSERT INTO catalog_products_fts (rowid, title, brand, category_text, search_text)
      VALUES (new.doc_id, new.title, new.brand, new.category_text, new.search_text);
    END`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}

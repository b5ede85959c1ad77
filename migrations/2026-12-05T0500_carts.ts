import type { Kysely } from 'kysely';

// Frozen once landed. The Cart API's carts: one DEFAULT cart per buyer and store, and its items,
// one row per (product, buying option), so adding the same product again merges into the same item.
// A cart's `version` moves with every change to it (priced answers are cached against it). Items
// list in the order they were first added (`position`). Prices are not stored: they are
// read from the catalog each time. Times are epoch ms.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('carts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('business_id', 'text', (c) => c.notNull().references('businesses.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('business_users.id').onDelete('cascade'))
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('cart_type', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('modified_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('carts_owner').unique().on('carts').columns(['user_id', 'region', 'cart_type']).execute();
  await db.schema.createIndex('carts_business').on('carts').columns(['business_id', 'modified_at']).execute();

  await db.schema
    .createTable('cart_items')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('cart_id', 'text', (c) => c.notNull().references('carts.id').onDelete('cascade'))
    .addColumn('asin', 'text', (c) => c.notNull())
    .addColumn('offer_id', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('quantity', 'integer', (c) => c.notNull())
    .addColumn('added_at', 'bigint', (c) => c.notNull())
    .addColumn('modified_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('cart_items_product').unique().on('cart_items').columns(['cart_id', 'asin', 'offer_id']).execute();
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}

import { sql, type Kysely } from 'kysely';

// Frozen once landed. Browsing a department sorted by price (PRICE_LOW_TO_HIGH, and
// PRICE_HIGH_TO_LOW read backwards) reads the page from this index instead of sorting every listing
// of the department: (region, department, price_minor, asin), the search's order and tie-break.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index catalog_listings_search_department_price on catalog_listings (region, department, price_minor, asin)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}

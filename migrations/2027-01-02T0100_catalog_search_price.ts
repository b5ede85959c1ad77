import { sql, type Kysely } from 'kysely';

// Frozen once landed. Browsing a department sorted by price (PRICE_LOW_TO_HIGH, and
// PRICE_HIGH_TO_LOW read backwards) reads the page from this index instead of sorting every listing
// of the department: (region, department, price_minor, asin), the search's order and tie-break.
// On SQLite the new index gets its statistics at once: without them the planner takes an index it
// knows nothing of as the more selective one, and browses by popularity would read this one and sort.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index catalog_listings_search_department_price on catalog_listings (region, department, price_minor, asin)`.execute(db);
  const sqlite = !sql`select ${1}`.compile(db).sql.includes('$1');
  if (sqlite) await sql`analyze catalog_listings`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}

import { sql, type Kysely } from 'kysely';

// Frozen once landed. The resource an API call created or read (e.g. `order:114-1234567-1234567`),
// so the request inspector links a placeOrder call to its order.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE request_log ADD COLUMN resource text`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}

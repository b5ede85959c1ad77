import { sql, type Kysely } from 'kysely';

// Frozen once landed. The gateway's decision on an API call, as JSON text: the check that refused it
// and why, and the usage-plan bucket it drew from (the request inspector's detail view).

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE request_log ADD COLUMN decision text`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}

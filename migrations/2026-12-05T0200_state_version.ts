import { sql, type Kysely } from 'kysely';

// Frozen once landed. A counter of the changes that server processes may hold in their caches
// (revocations, apps, users, usage plans, …): every process compares it on each request, so a change
// made by another process or by the CLI is seen by the very next call.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE emulator_state ADD COLUMN cache_version bigint NOT NULL DEFAULT 0`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}

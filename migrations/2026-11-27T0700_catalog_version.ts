import type { Kysely } from 'kysely';

// Frozen once landed. The catalog's change marker: every catalog write replaces `version` in the
// same transaction, so any process caching catalog reads can tell, with one tiny query, that the
// catalog changed (an import by the CLI, another server process, a reset or a snapshot load).

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('catalog_state')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('version', 'text', (c) => c.notNull())
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}

import type { Kysely } from 'kysely';

// Frozen once landed. The emulator's transition overrides of stateful resources: a resource kind in
// manual mode since an instant, and the stages single resources were forced to.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('emulator_transition_modes')
    .addColumn('kind', 'text', (c) => c.primaryKey())
    .addColumn('manual_since', 'bigint', (c) => c.notNull())
    .addColumn('set_by', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('emulator_forced_stages')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('resource_id', 'text', (c) => c.notNull())
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('forced_at', 'bigint', (c) => c.notNull())
    .addColumn('forced_by', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('emulator_forced_stages_pk', ['kind', 'resource_id', 'stage'])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}

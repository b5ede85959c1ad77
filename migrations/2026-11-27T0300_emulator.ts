import { sql, type Kysely } from 'kysely';

// Frozen once landed. Emulator controls: the shared clock offset and change versions, fault rules,
// and the request log. The request log's sequence is the one column that differs by dialect.

/** The dialect behind a Kysely instance, from its placeholder style (no query is run). */
function dialectOf(db: Kysely<unknown>): 'sqlite' | 'postgres' {
  return sql`select ${1}`.compile(db).sql.includes('$1') ? 'postgres' : 'sqlite';
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('emulator_state')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('clock_offset_ms', 'bigint', (c) => c.notNull())
    .addColumn('clock_version', 'bigint', (c) => c.notNull())
    .addColumn('faults_version', 'bigint', (c) => c.notNull())
    .addColumn('world_version', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await sql`INSERT INTO emulator_state (id, clock_offset_ms, clock_version, faults_version, world_version, updated_at) VALUES ('global', 0, 0, 0, 0, 0)`.execute(
    db,
  );

  await db.schema
    .createTable('emulator_faults')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('operation', 'text')
    .addColumn('app_id', 'text')
    .addColumn('business_id', 'text')
    .addColumn('status', 'integer')
    .addColumn('latency_ms', 'integer', (c) => c.notNull())
    .addColumn('remaining', 'integer')
    .addColumn('percentage', 'integer', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  const postgres = dialectOf(db) === 'postgres';
  await db.schema
    .createTable('request_log')
    .addColumn('seq', postgres ? 'bigserial' : 'integer', (c) => (postgres ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('request_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('path', 'text', (c) => c.notNull())
    .addColumn('region', 'text')
    .addColumn('environment', 'text')
    .addColumn('app_id', 'text')
    .addColumn('client_id', 'text')
    .addColumn('business_id', 'text')
    .addColumn('user_email', 'text')
    .addColumn('operation', 'text')
    .addColumn('status', 'integer', (c) => c.notNull())
    .addColumn('latency_ms', 'double precision', (c) => c.notNull())
    .addColumn('error_code', 'text')
    .addColumn('fault_id', 'text')
    .addColumn('request_headers', 'text')
    .addColumn('request_body', 'text')
    .addColumn('response_body', 'text')
    .execute();
  await db.schema.createIndex('request_log_at').on('request_log').column('at').execute();
  await db.schema.createIndex('request_log_app').on('request_log').columns(['app_id', 'seq']).execute();
  await db.schema.createIndex('request_log_request_id').on('request_log').column('request_id').execute();
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}

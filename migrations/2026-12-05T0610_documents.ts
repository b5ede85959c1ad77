import type { Kysely } from 'kysely';

// Frozen once landed. The Document API's report jobs, their documents and the key that signs
// download URLs. A job's status is derived from its planned instants and the clock when it is read
// (src/kernel/lifecycle.ts); what a job ended as (DONE, FATAL or CANCELLED) is written once, with
// its document, the first time it is read after its processing ends, and never changes after.
// Document bodies are text (CSV as is, PDF in base64), so snapshots carry them as JSON. Times are epoch ms.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('document_reports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('business_id', 'text', (c) => c.notNull().references('businesses.id').onDelete('cascade'))
    .addColumn('app_id', 'text')
    .addColumn('report_type', 'text', (c) => c.notNull())
    .addColumn('marketplace_ids', 'text', (c) => c.notNull())
    .addColumn('options', 'text', (c) => c.notNull())
    .addColumn('data_start', 'bigint', (c) => c.notNull())
    .addColumn('data_end', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('starts_at', 'bigint', (c) => c.notNull())
    .addColumn('ends_at', 'bigint', (c) => c.notNull())
    .addColumn('cancelled_at', 'bigint')
    .addColumn('outcome', 'text')
    .addColumn('outcome_at', 'bigint')
    .addColumn('outcome_reason', 'text')
    .addColumn('document_id', 'text')
    .execute();
  await db.schema.createIndex('document_reports_business').on('document_reports').columns(['business_id', 'created_at', 'id']).execute();

  await db.schema
    .createTable('document_files')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('report_id', 'text', (c) => c.notNull().references('document_reports.id').onDelete('cascade'))
    .addColumn('business_id', 'text', (c) => c.notNull().references('businesses.id').onDelete('cascade'))
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('encoding', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('byte_length', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('document_files_report').unique().on('document_files').columns(['report_id']).execute();

  await db.schema
    .createTable('document_signing_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}

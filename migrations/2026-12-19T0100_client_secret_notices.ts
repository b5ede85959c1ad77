import type { Kysely } from 'kysely';

// Frozen once landed. Application Management (docs/application-management.md):
//
// - grantless_tokens: access tokens of the client_credentials grant (no business, no refresh token),
//   by their SHA-256 as every token; `scope` says which grantless operations they open.
// - notice_destinations: where an app's client secret notices go: an SQS-compatible queue (with
//   optional AWS keys for SigV4; the secret key encrypted at rest) or an HTTP(S) webhook (with its
//   signing secret encrypted at rest: it must be usable to sign).
// - notice_outbox: one row per notice and destination, written in the transaction of the rotation;
//   the payload (which holds the new client secret) is encrypted and emptied once the notice is
//   delivered or given up. A delivery worker claims rows with a lease (lease_owner, lease_until).
// - notice_attempts: the delivery log (one row per attempt).
// Times are epoch milliseconds.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('grantless_tokens')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('app_id', 'text', (c) => c.notNull().references('apps.id').onDelete('cascade'))
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('grantless_tokens_app').on('grantless_tokens').column('app_id').execute();

  await db.schema
    .createTable('notice_destinations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('app_id', 'text', (c) => c.notNull().references('apps.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('aws_access_key_id', 'text')
    .addColumn('aws_secret_key_enc', 'text')
    .addColumn('aws_region', 'text')
    .addColumn('signing_secret_enc', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('notice_destinations_app').on('notice_destinations').column('app_id').execute();

  await db.schema
    .createTable('notice_outbox')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('notice_id', 'text', (c) => c.notNull())
    .addColumn('app_id', 'text', (c) => c.notNull().references('apps.id').onDelete('cascade'))
    // No foreign key: a removed destination's notices stay in the log (they fail as "destination removed").
    .addColumn('destination_id', 'text', (c) => c.notNull())
    .addColumn('destination_label', 'text', (c) => c.notNull())
    .addColumn('notice_type', 'text', (c) => c.notNull())
    .addColumn('payload_enc', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
    .addColumn('lease_owner', 'text')
    .addColumn('lease_until', 'bigint')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('finished_at', 'bigint')
    .execute();
  await db.schema.createIndex('notice_outbox_due').on('notice_outbox').columns(['status', 'next_attempt_at']).execute();
  await db.schema.createIndex('notice_outbox_app').on('notice_outbox').columns(['app_id', 'created_at']).execute();

  await db.schema
    .createTable('notice_attempts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('outbox_id', 'text', (c) => c.notNull().references('notice_outbox.id').onDelete('cascade'))
    .addColumn('app_id', 'text', (c) => c.notNull())
    .addColumn('attempt', 'integer', (c) => c.notNull())
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('duration_ms', 'integer', (c) => c.notNull())
    .addColumn('status_code', 'integer')
    .addColumn('error', 'text')
    .addColumn('outcome', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('notice_attempts_outbox').on('notice_attempts').columns(['outbox_id', 'attempt']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('notice_attempts').execute();
  await db.schema.dropTable('notice_outbox').execute();
  await db.schema.dropTable('notice_destinations').execute();
  await db.schema.dropTable('grantless_tokens').execute();
}

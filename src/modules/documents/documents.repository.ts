import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database } from '../../database.ts';
import type { DocumentFilesTable, DocumentReportsTable } from './documents.tables.ts';

/** The documents module's only SQL. */

export type ReportRow = Selectable<DocumentReportsTable>;
export type FileRow = Selectable<DocumentFilesTable>;
type Q = Kysely<Database> | Transaction<Database>;

export async function insertReport(db: Q, row: ReportRow): Promise<void> {
  await db.insertInto('document_reports').values(row).execute();
}

export const findReport = (db: Q, id: string): Promise<ReportRow | undefined> =>
  db.selectFrom('document_reports').selectAll().where('id', '=', id).executeTakeFirst();

/** What getReports filters by in SQL (statuses are derived, so they are filtered after reading). */
export interface ReportQuery {
  businessId: string | null;
  reportTypes?: readonly string[];
  createdFrom: number;
  createdTo: number;
  /** Jobs before this one in (created_at desc, id desc) order. */
  before?: { createdAt: number; id: string };
  limit: number;
}

/** A business's jobs (null: every business's), newest first. */
export function listReports(db: Q, r: ReportQuery): Promise<ReportRow[]> {
  let q = db.selectFrom('document_reports').selectAll().where('created_at', '>=', r.createdFrom).where('created_at', '<=', r.createdTo);
  if (r.businessId !== null) q = q.where('business_id', '=', r.businessId);
  if (r.reportTypes !== undefined) q = q.where('report_type', 'in', [...r.reportTypes]);
  const b = r.before;
  if (b)
    q = q.where((eb) => eb.or([eb('created_at', '<', b.createdAt), eb.and([eb('created_at', '=', b.createdAt), eb('id', '<', b.id)])]));
  return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(r.limit).execute();
}

/** Cancels a job that has no outcome yet and is not cancelled; false when another writer got there first. */
export async function cancelReport(db: Q, id: string, at: number): Promise<boolean> {
  const r = await db
    .updateTable('document_reports')
    .set({ cancelled_at: at })
    .where('id', '=', id)
    .where('cancelled_at', 'is', null)
    .where('outcome', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Writes a job's outcome once (and its document, if any); false when it had one or was cancelled. */
export async function finishReport(
  trx: Transaction<Database>,
  id: string,
  outcome: { outcome: string; at: number; reason: string | null },
  file: FileRow | null,
): Promise<boolean> {
  const r = await trx
    .updateTable('document_reports')
    .set({ outcome: outcome.outcome, outcome_at: outcome.at, outcome_reason: outcome.reason, document_id: file?.id ?? null })
    .where('id', '=', id)
    .where('cancelled_at', 'is', null)
    .where('outcome', 'is', null)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) return false;
  if (file) await trx.insertInto('document_files').values(file).execute();
  return true;
}

export const findFile = (db: Q, id: string): Promise<FileRow | undefined> =>
  db.selectFrom('document_files').selectAll().where('id', '=', id).executeTakeFirst();

/** A document's facts without its body. */
export const findFileInfo = (db: Q, id: string) =>
  db
    .selectFrom('document_files')
    .select(['id', 'report_id', 'business_id', 'content_type', 'file_name', 'byte_length', 'sha256', 'created_at'])
    .where('id', '=', id)
    .executeTakeFirst();

/** The download URL key; made on first use (by whichever process gets there first). */
export async function signingKey(db: Q, make: () => string, now: number): Promise<string> {
  const found = await db.selectFrom('document_signing_keys').select('secret').where('id', '=', 'download').executeTakeFirst();
  if (found) return found.secret;
  await db
    .insertInto('document_signing_keys')
    .values({ id: 'download', secret: make(), created_at: now })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  const row = await db.selectFrom('document_signing_keys').select('secret').where('id', '=', 'download').executeTakeFirstOrThrow();
  return row.secret;
}

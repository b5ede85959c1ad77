import type { Kysely } from 'kysely';
import type { Database } from '../../database.ts';
import type { Clock } from '../../kernel/clock.ts';
import { newId } from '../../kernel/ids.ts';
import { dialectOf, insertRow, type TableWrite } from '../../platform/db/bulk.ts';
import type { AuditLogTable } from './audit.tables.ts';

const AUDIT_WRITE: TableWrite<AuditLogTable> = {
  table: 'audit_log',
  columns: ['id', 'at', 'actor', 'action', 'subject_type', 'subject_id', 'before', 'after'],
};

export interface AuditEntry {
  actor: string;
  action: string;
  subjectType: string;
  subjectId: string;
  before?: unknown;
  after?: unknown;
}

export interface AuditQuery {
  actor?: string;
  action?: string;
  subjectType?: string;
  subjectId?: string;
  since?: number;
  until?: number;
  limit?: number;
}

/** Writes and reads the audit log; callers pass their transaction so the entry commits with the change. */
export class AuditService {
  constructor(private readonly clock: Clock) {}

  async record(db: Kysely<Database>, entry: AuditEntry): Promise<void> {
    // A plain statement (platform/db/bulk.ts): every write of every module records one.
    await insertRow(db, dialectOf(db), AUDIT_WRITE, {
      id: newId('aud'),
      at: this.clock.now(),
      actor: entry.actor,
      action: entry.action,
      subject_type: entry.subjectType,
      subject_id: entry.subjectId,
      before: entry.before === undefined ? null : JSON.stringify(entry.before),
      after: entry.after === undefined ? null : JSON.stringify(entry.after),
    });
  }

  async list(db: Kysely<Database>, q: AuditQuery) {
    let query = db.selectFrom('audit_log').selectAll();
    if (q.actor) query = query.where('actor', '=', q.actor);
    if (q.action) query = query.where('action', '=', q.action);
    if (q.subjectType) query = query.where('subject_type', '=', q.subjectType);
    if (q.subjectId) query = query.where('subject_id', '=', q.subjectId);
    if (q.since !== undefined) query = query.where('at', '>=', q.since);
    if (q.until !== undefined) query = query.where('at', '<', q.until);
    const rows = await query
      .orderBy('at', 'desc')
      .orderBy('id', 'desc')
      .limit(Math.min(q.limit ?? 100, 1000))
      .execute();
    return rows.map((r) => ({
      id: r.id,
      at: new Date(Number(r.at)).toISOString(),
      actor: r.actor,
      action: r.action,
      subjectType: r.subject_type,
      subjectId: r.subject_id,
      before: r.before === null ? null : (JSON.parse(r.before) as unknown),
      after: r.after === null ? null : (JSON.parse(r.after) as unknown),
    }));
  }
}

/** One row per state change: who, what, when, before and after (JSON). */
export interface AuditLogTable {
  id: string;
  at: number;
  actor: string;
  action: string;
  subject_type: string;
  subject_id: string;
  before: string | null;
  after: string | null;
}

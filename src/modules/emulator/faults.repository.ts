import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../../database.ts';
import { isFaultStatus, type FaultRule } from './domain/faults.ts';
import type { EmulatorFaultsTable } from './emulator.tables.ts';

const toRule = (r: Selectable<EmulatorFaultsTable>): FaultRule => ({
  id: r.id,
  operation: r.operation,
  appId: r.app_id,
  businessId: r.business_id,
  status: r.status !== null && isFaultStatus(Number(r.status)) ? (Number(r.status) as FaultRule['status']) : null,
  latencyMs: Number(r.latency_ms),
  remaining: r.remaining === null ? null : Number(r.remaining),
  percentage: Number(r.percentage),
  note: r.note,
  createdAt: Number(r.created_at),
});

/** Every rule, oldest first (the order in which they are tried). */
export async function listRules(db: Kysely<Database>): Promise<FaultRule[]> {
  const rows = await db.selectFrom('emulator_faults').selectAll().orderBy('created_at').orderBy('id').execute();
  return rows.map(toRule);
}

export async function countRules(db: Kysely<Database>): Promise<number> {
  const r = await db
    .selectFrom('emulator_faults')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function insertRule(db: Kysely<Database>, rule: FaultRule): Promise<void> {
  await db
    .insertInto('emulator_faults')
    .values({
      id: rule.id,
      operation: rule.operation,
      app_id: rule.appId,
      business_id: rule.businessId,
      status: rule.status,
      latency_ms: rule.latencyMs,
      remaining: rule.remaining,
      percentage: rule.percentage,
      note: rule.note,
      created_at: rule.createdAt,
    })
    .execute();
}

/** Deletes one rule (or all when id is null); returns how many went. */
export async function deleteRules(db: Kysely<Database>, id: string | null): Promise<number> {
  const q = db.deleteFrom('emulator_faults');
  const r = await (id === null ? q : q.where('id', '=', id)).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/**
 * Takes one call from a counted rule: a conditional UPDATE, so across every process sharing the
 * database the rule faults exactly its count. False when nothing was left.
 */
export async function takeOne(db: Kysely<Database>, id: string): Promise<boolean> {
  const r = await db
    .updateTable('emulator_faults')
    .set((eb) => ({ remaining: eb('remaining', '-', 1) }))
    .where('id', '=', id)
    .where('remaining', '>', 0)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

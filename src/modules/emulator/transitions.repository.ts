import type { Kysely } from 'kysely';
import type { Database } from '../../database.ts';

/** The SQL of the transition overrides. Writes are upserts on primary keys, never read-then-write. */

const IDS_PER_QUERY = 1000;

/** The instant a kind went manual, or null when it moves with time. */
export async function manualSince(db: Kysely<Database>, kind: string): Promise<number | null> {
  const r = await db.selectFrom('emulator_transition_modes').select('manual_since').where('kind', '=', kind).executeTakeFirst();
  return r ? Number(r.manual_since) : null;
}

/** Every kind in manual mode, with the instant and who set it. */
export async function listManualKinds(db: Kysely<Database>): Promise<{ kind: string; manualSince: number; setBy: string }[]> {
  const rows = await db.selectFrom('emulator_transition_modes').selectAll().orderBy('kind').execute();
  return rows.map((r) => ({ kind: r.kind, manualSince: Number(r.manual_since), setBy: r.set_by }));
}

/** Puts a kind in manual mode from `at`; a kind already manual keeps its first instant. True when it changed. */
export async function setManual(db: Kysely<Database>, kind: string, at: number, by: string): Promise<boolean> {
  const r = await db
    .insertInto('emulator_transition_modes')
    .values({ kind, manual_since: at, set_by: by })
    .onConflict((oc) => oc.column('kind').doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** Lets a kind move with time again. True when it was manual. */
export async function setTimed(db: Kysely<Database>, kind: string): Promise<boolean> {
  const r = await db.deleteFrom('emulator_transition_modes').where('kind', '=', kind).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/** Records that a resource was forced to a stage at `at`; a stage forced before keeps its first instant. */
export async function insertForced(
  db: Kysely<Database>,
  row: { kind: string; resourceId: string; stage: string; at: number; by: string },
): Promise<boolean> {
  const r = await db
    .insertInto('emulator_forced_stages')
    .values({ kind: row.kind, resource_id: row.resourceId, stage: row.stage, forced_at: row.at, forced_by: row.by })
    .onConflict((oc) => oc.columns(['kind', 'resource_id', 'stage']).doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** The forced stages of some resources of a kind. */
export async function forcedOf(
  db: Kysely<Database>,
  kind: string,
  resourceIds: readonly string[],
): Promise<{ resourceId: string; stage: string; at: number }[]> {
  const ids = [...new Set(resourceIds)];
  const out: { resourceId: string; stage: string; at: number }[] = [];
  // In chunks: SQLite takes at most 32,766 bound parameters in one statement, PostgreSQL 65,535.
  for (let i = 0; i < ids.length; i += IDS_PER_QUERY) {
    const rows = await db
      .selectFrom('emulator_forced_stages')
      .select(['resource_id', 'stage', 'forced_at'])
      .where('kind', '=', kind)
      .where('resource_id', 'in', ids.slice(i, i + IDS_PER_QUERY))
      .orderBy('forced_at')
      .execute();
    for (const r of rows) out.push({ resourceId: r.resource_id, stage: r.stage, at: Number(r.forced_at) });
  }
  return out;
}

/** Removes the forced stages of one resource, of a kind, or of every kind; returns how many went. */
export async function deleteForced(db: Kysely<Database>, kind: string | null, resourceId: string | null): Promise<number> {
  let q = db.deleteFrom('emulator_forced_stages');
  if (kind !== null) q = q.where('kind', '=', kind);
  if (resourceId !== null) q = q.where('resource_id', '=', resourceId);
  return Number((await q.executeTakeFirst()).numDeletedRows);
}

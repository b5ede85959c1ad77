import type { Kysely } from 'kysely';
import type { Database } from '../../database.ts';

/** The shared emulator state: the clock offset and the change versions other processes poll. */
export interface EmulatorState {
  clockOffsetMs: number;
  clockVersion: number;
  faultsVersion: number;
  worldVersion: number;
  cacheVersion: number;
}

const ID = 'global';

/** Creates the state row when it is missing (the migration creates it; this is a safety net). */
export async function ensureState(db: Kysely<Database>): Promise<void> {
  await db
    .insertInto('emulator_state')
    .values({ id: ID, clock_offset_ms: 0, clock_version: 0, faults_version: 0, world_version: 0, updated_at: 0 })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}

export async function readState(db: Kysely<Database>): Promise<EmulatorState> {
  const r = await db.selectFrom('emulator_state').selectAll().where('id', '=', ID).executeTakeFirst();
  if (!r) return { clockOffsetMs: 0, clockVersion: 0, faultsVersion: 0, worldVersion: 0, cacheVersion: 0 };
  return {
    clockOffsetMs: Number(r.clock_offset_ms),
    clockVersion: Number(r.clock_version),
    faultsVersion: Number(r.faults_version),
    worldVersion: Number(r.world_version),
    cacheVersion: Number(r.cache_version),
  };
}

/** Moves the shared offset by delta in one statement (several writers never lose an advance). */
export async function advanceClockOffset(db: Kysely<Database>, deltaMs: number, at: number): Promise<void> {
  await db
    .updateTable('emulator_state')
    .set((eb) => ({ clock_offset_ms: eb('clock_offset_ms', '+', deltaMs), clock_version: eb('clock_version', '+', 1), updated_at: at }))
    .where('id', '=', ID)
    .execute();
}

export async function setClockOffset(db: Kysely<Database>, offsetMs: number, at: number): Promise<void> {
  await db
    .updateTable('emulator_state')
    .set((eb) => ({ clock_offset_ms: offsetMs, clock_version: eb('clock_version', '+', 1), updated_at: at }))
    .where('id', '=', ID)
    .execute();
}

export async function bumpFaultsVersion(db: Kysely<Database>, at: number): Promise<void> {
  await db
    .updateTable('emulator_state')
    .set((eb) => ({ faults_version: eb('faults_version', '+', 1), updated_at: at }))
    .where('id', '=', ID)
    .execute();
}

/** Marks the whole world as replaced, with the clock offset it comes with. */
export async function replaceWorld(db: Kysely<Database>, offsetMs: number, at: number): Promise<void> {
  await db
    .updateTable('emulator_state')
    .set((eb) => ({
      clock_offset_ms: offsetMs,
      clock_version: eb('clock_version', '+', 1),
      faults_version: eb('faults_version', '+', 1),
      world_version: eb('world_version', '+', 1),
      updated_at: at,
    }))
    .where('id', '=', ID)
    .execute();
}

/** Moves the cache version after a change other processes may have cached. */
export async function bumpCacheVersion(db: Kysely<Database>): Promise<void> {
  await db
    .updateTable('emulator_state')
    .set((eb) => ({ cache_version: eb('cache_version', '+', 1) }))
    .where('id', '=', ID)
    .execute();
}

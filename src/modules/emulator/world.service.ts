import type { AppContext } from '../../app-context.ts';
import type { Transaction } from 'kysely';
import type { Database } from '../../database.ts';
import { AppError } from '../../kernel/errors.ts';
import { describePublished, disablePublishedCredentials, findPublishedCredentials } from '../demo/index.ts';
import { consistentRead, deleteAll, insertRows, listTables, readRows, type CellValue, type TableInfo } from '../../platform/db/tables.ts';
import { readState, replaceWorld } from './state.repository.ts';
import { APP_VERSION, SCHEMA_VERSION } from './version.ts';

export const SNAPSHOT_FORMAT = 'bizapi-snapshot';
export const SNAPSHOT_FORMAT_VERSION = 1;

export interface SnapshotTable {
  columns: string[];
  rows: CellValue[][];
}

/** The whole state as one JSON document, portable between SQLite and PostgreSQL. */
export interface Snapshot {
  format: typeof SNAPSHOT_FORMAT;
  formatVersion: typeof SNAPSHOT_FORMAT_VERSION;
  appVersion: string;
  schema: string;
  createdAt: string;
  dialect: string;
  /** The virtual clock's offset from the wall clock when the snapshot was saved; loading restores it. */
  clock: { offsetMs: number; now: string };
  tables: Record<string, SnapshotTable>;
}

// The request log is observation, not state (and bounded); the clock travels as `clock`.
const NOT_IN_SNAPSHOT = new Set(['request_log', 'emulator_state']);
// Operator keys survive a reset and are merged on load, so whoever resets or loads keeps access.
const OPERATOR_KEYS = 'admin_keys';

export interface WorldHooks {
  /** Before the world changes (flush what is buffered). */
  before(): Promise<void>;
  /** After it changed: drop this process's caches and apply the new clock. */
  after(): Promise<void>;
}

/** Reset to the seeded world, and snapshots of the whole state. */
export class WorldService {
  constructor(
    private readonly ctx: AppContext,
    private readonly hooks: WorldHooks,
  ) {}

  async save(): Promise<Snapshot> {
    const { db } = this.ctx;
    const tables = (await listTables(db)).filter((t) => !NOT_IN_SNAPSHOT.has(t.name));
    return consistentRead(db, async (trx) => {
      const out: Record<string, SnapshotTable> = {};
      for (const t of tables) out[t.name] = { columns: t.columns, rows: await readRows(trx, t.name, t.columns) };
      const { clockOffsetMs } = await readState(trx);
      return {
        format: SNAPSHOT_FORMAT,
        formatVersion: SNAPSHOT_FORMAT_VERSION,
        appVersion: APP_VERSION,
        schema: SCHEMA_VERSION,
        createdAt: new Date(this.ctx.clock.now()).toISOString(),
        dialect: db.dialect,
        clock: { offsetMs: clockOffsetMs, now: new Date(this.ctx.clock.now()).toISOString() },
        tables: out,
      };
    });
  }

  /** Replaces the whole state with a snapshot's, all or nothing; returns the rows loaded per table. */
  async load(document: unknown): Promise<{ tables: Record<string, number>; clockOffsetMs: number; disabled: string[] }> {
    const snapshot = checkSnapshot(document);
    const tables = (await listTables(this.ctx.db)).filter((t) => !NOT_IN_SNAPSHOT.has(t.name));
    checkTables(snapshot, tables);
    await this.hooks.before();
    const loaded: Record<string, number> = {};
    let disabled: string[] = [];
    try {
      await this.ctx.db.transaction(async (trx) => {
        for (const t of [...tables].reverse()) if (t.name !== OPERATOR_KEYS) await deleteAll(trx, t.name);
        for (const t of tables) {
          const data = snapshot.tables[t.name];
          if (!data) continue;
          await insertRows(trx, t.name, data.columns, data.rows, { ignoreConflicts: t.name === OPERATOR_KEYS });
          loaded[t.name] = data.rows.length;
        }
        await replaceWorld(trx, snapshot.clock.offsetMs, this.ctx.clock.now());
        if (this.ctx.config.mode === 'production') disabled = await this.refusePublished(trx);
      });
    } catch (err) {
      if (err instanceof AppError && err.code === 'Forbidden') throw err;
      // The transaction rolled back: say so, with the database's reason (operators only see this).
      throw refuse('The snapshot could not be loaded; nothing was changed.', err instanceof Error ? err.message : String(err));
    }
    await this.changed();
    return { tables: loaded, clockOffsetMs: snapshot.clock.offsetMs, disabled };
  }

  /**
   * Production mode: a snapshot that brings credentials published in the repository (a local
   * world's demo accounts, app secret or operator key) is refused, the transaction rolled back;
   * with DISABLE_DEMO_CREDENTIALS they are disabled in the same transaction, and named.
   */
  private async refusePublished(trx: Transaction<Database>): Promise<string[]> {
    const found = await findPublishedCredentials(trx, this.ctx.clock.now());
    if (!found.length) return [];
    if (!this.ctx.config.disableDemoCredentials)
      throw new AppError('Forbidden', `The snapshot was refused; nothing was changed. ${describePublished(found, false)}`);
    return (await disablePublishedCredentials(this.ctx, trx)).map((f) => f.subject);
  }

  /**
   * Empties every table (children first; operator keys stay), sets the clock back to the wall
   * clock, then seeds the world again when asked.
   */
  async reset(seed: (() => Promise<boolean>) | null): Promise<{ seeded: boolean }> {
    const tables = (await listTables(this.ctx.db)).filter((t) => t.name !== 'emulator_state' && t.name !== OPERATOR_KEYS);
    await this.hooks.before();
    await this.ctx.db.transaction(async (trx) => {
      for (const t of [...tables].reverse()) await deleteAll(trx, t.name);
      await replaceWorld(trx, 0, this.ctx.clock.now());
    });
    await this.hooks.after();
    const seeded = seed ? await seed() : false;
    // Once more after seeding, so other processes drop what they cached while it ran.
    await this.ctx.db.transaction((trx) => replaceWorld(trx, 0, this.ctx.clock.now()));
    await this.changed();
    return { seeded };
  }

  private async changed(): Promise<void> {
    await this.hooks.after();
    this.ctx.events.emit({ type: 'world.replaced' });
  }
}

const refuse = (message: string, details = ''): AppError => new AppError('ValidationError', message, details);

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Checks the envelope of a snapshot: format, versions, schema and shape. */
export function checkSnapshot(document: unknown): Snapshot {
  if (!isRecord(document) || document.format !== SNAPSHOT_FORMAT)
    throw refuse('This is not a bizapi snapshot.', `Expected "format": "${SNAPSHOT_FORMAT}".`);
  if (document.formatVersion !== SNAPSHOT_FORMAT_VERSION) {
    throw refuse(
      `The snapshot has format version ${JSON.stringify(document.formatVersion)}; this server reads format version ${SNAPSHOT_FORMAT_VERSION}.`,
    );
  }
  if (document.appVersion !== APP_VERSION) {
    throw refuse(
      `The snapshot was saved by bizapi ${JSON.stringify(document.appVersion)}; this is bizapi ${APP_VERSION}.`,
      'Load it with the version that saved it.',
    );
  }
  if (document.schema !== SCHEMA_VERSION) {
    throw refuse(
      `The snapshot's schema is ${JSON.stringify(document.schema)}; this database's schema is ${SCHEMA_VERSION}.`,
      'Load it with the version that saved it.',
    );
  }
  const clock = document.clock;
  if (!isRecord(clock) || typeof clock.offsetMs !== 'number' || !Number.isFinite(clock.offsetMs))
    throw refuse('The snapshot has no valid "clock.offsetMs".');
  if (!isRecord(document.tables)) throw refuse('The snapshot has no "tables" object.');
  for (const [name, t] of Object.entries(document.tables)) {
    if (!isRecord(t) || !Array.isArray(t.columns) || !Array.isArray(t.rows) || !t.columns.every((c) => typeof c === 'string'))
      throw refuse(`Table ${name} of the snapshot is malformed.`);
    for (const row of t.rows as unknown[]) {
      if (
        !Array.isArray(row) ||
        row.length !== t.columns.length ||
        !row.every((v) => v === null || typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)))
      ) {
        throw refuse(
          `Table ${name} of the snapshot has a malformed row.`,
          'Every row is an array of strings, numbers and nulls, one per column.',
        );
      }
    }
  }
  return document as unknown as Snapshot;
}

function checkTables(snapshot: Snapshot, tables: TableInfo[]): void {
  const byName = new Map(tables.map((t) => [t.name, t]));
  for (const [name, data] of Object.entries(snapshot.tables)) {
    const table = byName.get(name);
    if (!table) throw refuse(`The snapshot has a table this database does not: ${name}.`);
    const unknown = data.columns.filter((c) => !table.columns.includes(c));
    if (unknown.length) throw refuse(`The snapshot's table ${name} has columns this database does not: ${unknown.join(', ')}.`);
  }
}

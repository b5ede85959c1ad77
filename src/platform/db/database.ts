import fs from 'node:fs';
import { Worker } from 'node:worker_threads';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { Kysely, PostgresDialect, SqliteDialect, sql, type Transaction } from 'kysely';
import type { Database } from '../../database.ts';

export type DialectName = 'sqlite' | 'postgres';

/** A database handle: the Kysely instance and which engine is behind it. */
export interface Db {
  readonly kysely: Kysely<Database>;
  readonly dialect: DialectName;
  /** Runs fn in a transaction; nothing fn wrote survives if it throws. */
  transaction<T>(fn: (trx: Transaction<Database>) => Promise<T>): Promise<T>;
  ping(): Promise<void>;
  destroy(): Promise<void>;
  /**
   * SQLite: a number that changes when another connection (another process, the CLI) committed since
   * it was last read on this one, read without I/O. PostgreSQL: null (no such signal; read the data).
   */
  dataVersion(): number | null;
}

// PostgreSQL returns int8 as strings; every bigint we store is epoch milliseconds or a counter.
pg.types.setTypeParser(20, (v) => Number(v));

export interface DbOptions {
  databaseUrl: string | null;
  dataDir: string;
  /** SQLite file name inside dataDir; defaults to bizapi.sqlite. */
  sqliteFile?: string;
  /**
   * SQLite: checkpoint the write-ahead log on a thread of its own (checkpointer.worker.mjs) instead
   * of in the commit that crosses 1,000 pages, which then stalls every request behind it. The server
   * turns it on; short-lived processes (the CLI, tests) keep SQLite's automatic checkpoints.
   */
  backgroundCheckpoints?: boolean;
}

/** How often the background checkpointer copies the log into the database. */
export const CHECKPOINT_INTERVAL_MS = 250;

/** Opens SQLite under dataDir when no DATABASE_URL is set, else PostgreSQL. */
export function openDatabase(options: DbOptions): Db {
  if (options.databaseUrl) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 10 });
    // An idle connection closed by the server (restart, failover, dropped database) is discarded by
    // the pool; without a listener its 'error' event would crash the process.
    pool.on('error', () => undefined);
    const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return wrap(kysely, 'postgres', () => null);
  }
  fs.mkdirSync(options.dataDir, { recursive: true });
  const file = path.join(options.dataDir, options.sqliteFile ?? 'bizapi.sqlite');
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // The log file is cut back to this size after a checkpoint has emptied it.
  sqlite.pragma(`journal_size_limit = ${64 * 1024 * 1024}`);
  const kysely = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  // Prepared once: it is read before every request (EmulatorSync).
  const dataVersion = sqlite.prepare('PRAGMA data_version').pluck();
  const db = wrap(kysely, 'sqlite', () => Number(dataVersion.get()));
  if (!options.backgroundCheckpoints) return db;
  const stop = startCheckpointer(sqlite, file);
  return { ...db, destroy: async () => (await stop(), db.destroy()) };
}

/**
 * Starts the checkpointer thread and turns this connection's automatic checkpoints off; turns them
 * back on if the thread fails or ends, so the log never grows without bound. Returns its stop.
 */
function startCheckpointer(sqlite: SQLite.Database, file: string): () => Promise<void> {
  const worker = new Worker(new URL('./checkpointer.worker.mjs', import.meta.url), {
    workerData: { file, intervalMs: CHECKPOINT_INTERVAL_MS },
  });
  worker.unref();
  sqlite.pragma('wal_autocheckpoint = 0');
  let stopping = false;
  const fallback = () => {
    if (!stopping && sqlite.open) sqlite.pragma('wal_autocheckpoint = 1000');
  };
  worker.on('error', fallback);
  worker.on('exit', fallback);
  worker.on('message', (m: { type: string }) => m.type === 'error' && fallback());
  return async () => {
    stopping = true;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage('stop');
    const timeout = setTimeout(() => void worker.terminate(), 2000);
    await exited;
    clearTimeout(timeout);
  };
}

/** How many prepared statements a SQLite connection keeps (distinct SQL texts; the oldest goes first). */
export const STATEMENT_CACHE_SIZE = 1000;

/**
 * Kysely prepares every query anew; preparing costs as much as running a small query. The same
 * SQL text gets the same prepared statement instead (SQLite re-prepares it by itself after a schema
 * change). Safe because Kysely runs one query at a time on the single connection.
 */
function withStatementCache(sqlite: SQLite.Database): { prepare(text: string): SQLite.Statement; close(): void } {
  const statements = new Map<string, SQLite.Statement>();
  return {
    prepare(text) {
      let statement = statements.get(text);
      if (!statement) {
        statement = sqlite.prepare(text);
        if (statements.size >= STATEMENT_CACHE_SIZE) statements.delete(statements.keys().next().value as string);
        statements.set(text, statement);
      }
      return statement;
    },
    close: () => sqlite.close(),
  };
}

function wrap(kysely: Kysely<Database>, dialect: DialectName, dataVersion: () => number | null): Db {
  return {
    kysely,
    dialect,
    transaction: (fn) => kysely.transaction().execute(fn),
    ping: async () => {
      await sql`select 1`.execute(kysely);
    },
    destroy: () => kysely.destroy(),
    dataVersion,
  };
}

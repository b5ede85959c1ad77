import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../database.ts';
import type { Db } from './database.ts';

/** A table as snapshots and resets see it: its writable columns and the tables it references. */
export interface TableInfo {
  name: string;
  /** Columns that can be written (generated columns such as a tsvector are left out). */
  columns: string[];
  /** Tables this one references by foreign key (itself excluded). */
  parents: string[];
}

const MIGRATION_TABLES = new Set(['kysely_migration', 'kysely_migration_lock']);

/**
 * Every application table of the database, parents before children. Kysely's own tables, SQLite's
 * internal tables, virtual (full-text) tables and their shadow tables are left out: the database
 * keeps those itself.
 */
export async function listTables(db: Db): Promise<TableInfo[]> {
  const tables = db.dialect === 'sqlite' ? await sqliteTables(db) : await postgresTables(db);
  return parentsFirst(tables.filter((t) => !MIGRATION_TABLES.has(t.name)));
}

async function sqliteTables(db: Db): Promise<TableInfo[]> {
  const k = db.kysely;
  const all = (
    await sql<{
      name: string;
      sql: string | null;
    }>`SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`.execute(k)
  ).rows;
  const virtual = all.filter((t) => /^CREATE VIRTUAL TABLE/i.test(t.sql ?? '')).map((t) => t.name);
  const plain = all.filter((t) => !virtual.includes(t.name) && !virtual.some((v) => t.name.startsWith(`${v}_`)));
  const out: TableInfo[] = [];
  for (const t of plain) {
    // hidden: 0 plain, 1 hidden (virtual tables), 2 and 3 generated.
    const cols = (await sql<{ name: string; hidden: number }>`SELECT name, hidden FROM pragma_table_xinfo(${t.name})`.execute(k)).rows;
    const fks = (await sql<{ table: string }>`SELECT "table" FROM pragma_foreign_key_list(${t.name})`.execute(k)).rows;
    out.push({
      name: t.name,
      columns: cols.filter((c) => Number(c.hidden) === 0).map((c) => c.name),
      parents: [...new Set(fks.map((f) => f.table))].filter((p) => p !== t.name),
    });
  }
  return out;
}

async function postgresTables(db: Db): Promise<TableInfo[]> {
  const k = db.kysely;
  const names = (
    await sql<{
      table_name: string;
    }>`SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`.execute(k)
  ).rows.map((r) => r.table_name);
  const cols = (
    await sql<{
      table_name: string;
      column_name: string;
    }>`SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() AND is_generated = 'NEVER' ORDER BY table_name, ordinal_position`.execute(
      k,
    )
  ).rows;
  const fks = (
    await sql<{ child: string; parent: string }>`
      SELECT DISTINCT c.conrelid::regclass::text AS child, c.confrelid::regclass::text AS parent
      FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
      WHERE c.contype = 'f' AND n.nspname = current_schema()`.execute(k)
  ).rows;
  const unquote = (s: string): string => s.replace(/^"|"$/g, '');
  return names.map((name) => ({
    name,
    columns: cols.filter((c) => c.table_name === name).map((c) => c.column_name),
    parents: [...new Set(fks.filter((f) => unquote(f.child) === name).map((f) => unquote(f.parent)))].filter((p) => p !== name),
  }));
}

/** Orders tables so every table comes after the tables it references (ties by name). */
function parentsFirst(tables: TableInfo[]): TableInfo[] {
  const byName = new Map(tables.map((t) => [t.name, t]));
  const done = new Set<string>();
  const out: TableInfo[] = [];
  const visit = (t: TableInfo, path: Set<string>): void => {
    if (done.has(t.name)) return;
    if (path.has(t.name)) throw new Error(`foreign keys form a cycle through ${t.name}`);
    path.add(t.name);
    for (const p of t.parents) {
      const parent = byName.get(p);
      if (parent) visit(parent, path);
    }
    path.delete(t.name);
    done.add(t.name);
    out.push(t);
  };
  for (const t of [...tables].sort((a, b) => a.name.localeCompare(b.name))) visit(t, new Set());
  return out;
}

/** A value as it moves between databases: every column we store is text, a number or null. */
export type CellValue = string | number | null;

/** Runs reads on one consistent view of the database (a repeatable-read transaction on PostgreSQL). */
export async function consistentRead<T>(db: Db, fn: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  const tx = db.kysely.transaction();
  return (db.dialect === 'postgres' ? tx.setIsolationLevel('repeatable read') : tx).execute(fn);
}

/** Every row of a table as arrays of values in the columns' order. */
export async function readRows(trx: Kysely<Database>, table: string, columns: string[]): Promise<CellValue[][]> {
  const cols = sql.join(columns.map((c) => sql.ref(c)));
  const rows = (await sql<Record<string, unknown>>`SELECT ${cols} FROM ${sql.table(table)} ORDER BY 1`.execute(trx)).rows;
  return rows.map((r) => columns.map((c) => toCell(r[c])));
}

const toCell = (v: unknown): CellValue => {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' || typeof v === 'string') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  throw new Error(`a value of type ${typeof v} cannot be carried in a snapshot`);
};

/** Inserts rows in chunks below every dialect's parameter limit; `ignoreConflicts` keeps existing rows. */
export async function insertRows(
  trx: Kysely<Database>,
  table: string,
  columns: string[],
  rows: CellValue[][],
  options: { ignoreConflicts?: boolean } = {},
): Promise<void> {
  if (rows.length === 0 || columns.length === 0) return;
  const chunk = Math.max(1, Math.floor(10_000 / columns.length));
  const cols = sql.join(columns.map((c) => sql.ref(c)));
  for (let i = 0; i < rows.length; i += chunk) {
    const values = sql.join(rows.slice(i, i + chunk).map((r) => sql`(${sql.join(r)})`));
    const conflict = options.ignoreConflicts ? sql` ON CONFLICT DO NOTHING` : sql``;
    await sql`INSERT INTO ${sql.table(table)} (${cols}) VALUES ${values}${conflict}`.execute(trx);
  }
}

/** Deletes every row of a table. */
export async function deleteAll(trx: Kysely<Database>, table: string): Promise<void> {
  await sql`DELETE FROM ${sql.table(table)}`.execute(trx);
}

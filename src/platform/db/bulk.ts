import { CompiledQuery, sql, type Kysely } from 'kysely';
import type { Database } from '../../database.ts';

type Q = Kysely<Database>;

// Writes are issued as multi-row statements written directly instead of built by Kysely: building
// and compiling one statement per row costs far more than running it. Row counts of the statements
// are limited to a few sizes so that their texts repeat, and the driver reuses prepared statements.

export type Dialect = 'sqlite' | 'postgres';

/** The dialect behind a Kysely instance or transaction, from its placeholder style (nothing is run). */
export const dialectOf = (db: Q): Dialect => (sql`select ${1}`.compile(db).sql.includes('$1') ? 'postgres' : 'sqlite');

/** Bound parameters one statement may carry: SQLite's SQLITE_MAX_VARIABLE_NUMBER (32766 since 3.32), PostgreSQL's wire protocol (65535). */
export const PARAMETER_LIMIT: Readonly<Record<Dialect, number>> = { sqlite: 32766, postgres: 65535 };

/** Rows of one INSERT at most: beyond this, longer statements save nothing more. */
export const MAX_ROWS_PER_INSERT = 256;

/**
 * The row counts of the INSERTs that write `rows` rows of `columns` columns: as many full
 * statements as fit (each within the parameter limit), then the rest as powers of two, so that
 * only a handful of distinct statement texts are ever prepared.
 */
export function insertSizes(rows: number, columns: number, parameterLimit: number, maxRows = MAX_ROWS_PER_INSERT): number[] {
  const full = Math.max(1, Math.min(maxRows, Math.floor(parameterLimit / Math.max(1, columns))));
  const sizes: number[] = [];
  let left = rows;
  for (; left >= full; left -= full) sizes.push(full);
  for (let p = 2 ** Math.floor(Math.log2(full)); left > 0; p /= 2) {
    if (left >= p) {
      sizes.push(p);
      left -= p;
    }
  }
  return sizes;
}

export interface TableWrite<R> {
  table: keyof Database & string;
  columns: readonly (keyof R & string)[];
  /** What follows the VALUES list (an ON CONFLICT clause). */
  suffix?: string;
}

const statementTexts = new Map<string, string>();

function insertText(dialect: Dialect, spec: TableWrite<never>, rows: number): string {
  const key = `${dialect}|${spec.table}|${spec.columns.join(',')}|${spec.suffix ?? ''}|${rows}`;
  let text = statementTexts.get(key);
  if (text === undefined) {
    let n = 0;
    const row = () => `(${spec.columns.map(() => (dialect === 'postgres' ? `$${++n}` : '?')).join(', ')})`;
    text = `insert into ${spec.table} (${spec.columns.join(', ')}) values ${Array.from({ length: rows }, row).join(', ')}${spec.suffix ? ` ${spec.suffix}` : ''}`;
    statementTexts.set(key, text);
  }
  return text;
}

/** Inserts one row; answers how many rows the statement wrote (0 when an ON CONFLICT … DO NOTHING suffix skipped it). */
export async function insertRow<R>(db: Q, dialect: Dialect, spec: TableWrite<R>, row: R): Promise<number> {
  const values = spec.columns.map((c) => row[c] ?? null);
  const result = await db.executeQuery(CompiledQuery.raw(insertText(dialect, spec as TableWrite<never>, 1), values));
  return Number(result.numAffectedRows ?? 0);
}

/** Inserts rows with as few statements as the parameter limit allows (in the caller's transaction). */
export async function insertRows<R>(db: Q, dialect: Dialect, spec: TableWrite<R>, rows: readonly R[]): Promise<void> {
  let at = 0;
  for (const size of insertSizes(rows.length, spec.columns.length, PARAMETER_LIMIT[dialect])) {
    const values: unknown[] = [];
    for (let i = at; i < at + size; i++) {
      const row = rows[i] as R;
      for (const c of spec.columns) values.push(row[c] ?? null);
    }
    await db.executeQuery(CompiledQuery.raw(insertText(dialect, spec as TableWrite<never>, size), values));
    at += size;
  }
}

/** `column IN (keys)` with the keys as one parameter (a JSON array for SQLite, an array for PostgreSQL): one statement for any number of keys. */
export function inKeys(dialect: Dialect, column: string, keys: readonly string[]): { text: string; parameter: unknown } {
  return dialect === 'postgres'
    ? { text: `${column} = any($1)`, parameter: [...keys] }
    : { text: `${column} in (select value from json_each(?))`, parameter: JSON.stringify(keys) };
}

/** Deletes the rows whose `column` is one of `keys`. */
export async function deleteWhereIn(
  db: Q,
  dialect: Dialect,
  table: keyof Database & string,
  column: string,
  keys: readonly string[],
): Promise<void> {
  if (keys.length === 0) return;
  const where = inKeys(dialect, column, keys);
  await db.executeQuery(CompiledQuery.raw(`delete from ${table} where ${where.text}`, [where.parameter]));
}

import { CompiledQuery, type Kysely } from 'kysely';
import type { Database } from '../../database.ts';
import type { Dialect } from './bulk.ts';

/**
 * Secondary indexes and full-text upkeep of a set of tables, read from the schema itself (never a
 * list kept by hand that could drift from the migrations), so that a bulk load can drop them, load
 * the rows, and build them again in one pass each. What stays: the indexes behind PRIMARY KEY and
 * UNIQUE constraints (upserts and foreign keys need them while loading).
 */

/** Runs one statement and answers its rows: Kysely, a bare better-sqlite3 handle or a pg client behind it. */
export type Execute = (text: string, parameters?: readonly unknown[]) => Promise<Record<string, unknown>[]>;

/** An Execute over a Kysely instance or transaction. */
export const kyselyExecute =
  (db: Kysely<Database>): Execute =>
  async (text, parameters = []) =>
    (await db.executeQuery<Record<string, unknown>>(CompiledQuery.raw(text, [...parameters]))).rows;

export interface SchemaObject {
  name: string;
  table: string;
  /** The statement that creates it, as the schema holds it. */
  sql: string;
}

/**
 * What a bulk load of `tables` takes away and puts back:
 * - indexes: every index of the tables that no constraint owns;
 * - fullText: SQLite FTS5 tables whose external content is one of the tables (rebuilt from it);
 * - triggers: SQLite triggers that keep those full-text tables in step row by row (the rebuild replaces them).
 * PostgreSQL's full-text index is a GIN index over a generated column: one of the indexes.
 */
export interface BulkLoadSchema {
  dialect: Dialect;
  indexes: SchemaObject[];
  fullText: string[];
  triggers: SchemaObject[];
}

export async function bulkLoadSchema(execute: Execute, dialect: Dialect, tables: readonly string[]): Promise<BulkLoadSchema> {
  if (dialect === 'postgres') {
    const rows = await execute(
      `select ic.relname as name, tc.relname as "table", pg_get_indexdef(ix.indexrelid) as sql
         from pg_index ix
         join pg_class ic on ic.oid = ix.indexrelid
         join pg_class tc on tc.oid = ix.indrelid
         join pg_namespace n on n.oid = tc.relnamespace
        where n.nspname = current_schema() and tc.relname = any($1)
          and not exists (select 1 from pg_constraint c where c.conindid = ix.indexrelid)
        order by ic.relname`,
      [[...tables]],
    );
    return { dialect, indexes: rows.map(schemaObject), fullText: [], triggers: [] };
  }
  const wanted = JSON.stringify(tables);
  // Indexes with SQL text are the created ones; constraint indexes (sqlite_autoindex_…) have none.
  const indexes = (
    await execute(
      `select name, tbl_name as "table", sql from sqlite_master
        where type = 'index' and sql is not null and tbl_name in (select value from json_each(?)) order by name`,
      [wanted],
    )
  ).map(schemaObject);
  const fullText: string[] = [];
  for (const r of await execute(`select name, sql from sqlite_master where type = 'table' and sql like 'CREATE VIRTUAL TABLE%'`)) {
    const text = String(r.sql);
    const content = /\bcontent\s*=\s*'([^']+)'/i.exec(text)?.[1];
    if (/\busing\s+fts5\b/i.test(text) && content && tables.includes(content)) fullText.push(String(r.name));
  }
  const triggers = (
    await execute(
      `select name, tbl_name as "table", sql from sqlite_master where type = 'trigger' and tbl_name in (select value from json_each(?)) order by name`,
      [wanted],
    )
  )
    .map(schemaObject)
    .filter((t) => fullText.some((f) => new RegExp(`\\b${f}\\b`, 'i').test(t.sql)));
  return { dialect, indexes, fullText, triggers };
}

function schemaObject(r: Record<string, unknown>): SchemaObject {
  return { name: String(r.name), table: String(r.table), sql: String(r.sql) };
}

const quoted = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Drops the indexes and full-text triggers (in the caller's transaction: nobody else ever sees the tables without them). */
export async function dropForBulkLoad(execute: Execute, schema: BulkLoadSchema): Promise<void> {
  for (const t of schema.triggers) await execute(`drop trigger ${quoted(t.name)}`);
  for (const i of schema.indexes) await execute(`drop index ${quoted(i.name)}`);
}

/**
 * Builds what dropForBulkLoad took away, each index in one pass over its table, and the full-text
 * tables from their content; then the triggers that keep them in step from here on.
 */
export async function restoreAfterBulkLoad(execute: Execute, schema: BulkLoadSchema): Promise<void> {
  // PostgreSQL sorts an index build in this much memory (its own, not this process's) before spilling to disk.
  if (schema.dialect === 'postgres') await execute(`set local maintenance_work_mem = '256MB'`);
  for (const i of schema.indexes) await execute(i.sql);
  for (const f of schema.fullText) await execute(`insert into ${quoted(f)} (${quoted(f)}) values ('rebuild')`);
  for (const t of schema.triggers) await execute(t.sql);
}

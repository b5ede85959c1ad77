// Catalog import benchmark, against the bare prepared-statement floor of the same run.
//
// 1. Writes a synthetic catalog with the project's generator (what `bizapi catalog generate`
//    writes) to a temp directory.
// 2. Our import: imports it into a fresh database through the CLI's own path (`importCatalog`, what
//    `bizapi catalog import` runs, after the same openContext). Timed from the start of the import
//    to the database being closed (SQLite's last checkpoint, the statistics, everything counts).
// 3. The floor: a second fresh database made by the same migrations receives the very rows the
//    import stored, read back from the first database batch by batch (2,000 products at a time, in
//    the order the import wrote them), inserted by bare prepared statements with no parsing,
//    validation or row building around them: better-sqlite3 single-row statements for SQLite,
//    `pg` multi-row INSERTs with bound parameters (the form the import uses) for PostgreSQL. It does
//    what the bulk load does around the rows, with the same code (src/platform/db/indexes.ts): one
//    transaction, secondary indexes and full-text triggers dropped first, built again at the end
//    (SQLite: the FTS5 'rebuild'), the catalog change marker, the same ANALYZE, then close. Only
//    the time spent writing counts (reading the rows back from the first database does not).
// 4. Prints products/s per slice for both, the time to finish (indexes, commit, statistics), the
//    peak resident memory of each phase (sampled every 100 ms), the database sizes, and import / floor.
//
//   node --import tsx bench/import.ts                       (SQLite in a temp directory)
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres node --import tsx bench/import.ts
//                                                           (fresh databases on that server, dropped afterwards)
//
// IMPORT_PRODUCTS (default 100000), IMPORT_SLICE (products per printed slice; default 100000, at most
// a tenth of the products), IMPORT_BATCH_SIZE (default: the importer's), IMPORT_BULK (auto, on or
// off; default auto), IMPORT_FLOOR (default on; off skips step 3), IMPORT_SEED (bench),
// IMPORT_TIMEOUT_SECONDS (default 1800). Everything it creates is removed afterwards, also on a timeout.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { openContext } from '../src/app.ts';
import { loadConfig } from '../src/config/config.ts';
import { importCatalog } from '../src/cli/catalog.cli.ts';
import { BULK_LOAD_TABLES, IMPORT_PRAGMAS } from '../src/modules/catalog/catalog.import.ts';
import { REFRESHED_AFTER_IMPORT, refreshStatement } from '../src/modules/catalog/catalog.repository.ts';
import { openDatabase } from '../src/platform/db/database.ts';
import { migrateToLatest } from '../src/platform/db/migrate.ts';
import { insertSizes, PARAMETER_LIMIT, MAX_ROWS_PER_INSERT } from '../src/platform/db/bulk.ts';
import { bulkLoadSchema, dropForBulkLoad, restoreAfterBulkLoad, type Execute } from '../src/platform/db/indexes.ts';
import { machine } from './world.ts';

const PRODUCTS = Number(process.env.IMPORT_PRODUCTS ?? 100_000);
const SLICE = Math.max(1, Math.min(Number(process.env.IMPORT_SLICE ?? 100_000), Math.ceil(PRODUCTS / 10)));
const BATCH_SIZE = process.env.IMPORT_BATCH_SIZE ? Number(process.env.IMPORT_BATCH_SIZE) : undefined;
const BULK = process.env.IMPORT_BULK === 'on' ? true : process.env.IMPORT_BULK === 'off' ? false : undefined;
const FLOOR = process.env.IMPORT_FLOOR !== 'off';
const SEED = process.env.IMPORT_SEED ?? 'bench';
const TIMEOUT_SECONDS = Number(process.env.IMPORT_TIMEOUT_SECONDS ?? 1800);
const SERVER_URL = process.env.DATABASE_URL || null;
/** Products the floor reads back and writes at a time (the importer's default batch). */
const FLOOR_BATCH = 2000;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bizapi-import-bench-'));
const importDir = path.join(dir, 'import');
const floorDir = path.join(dir, 'floor');
const file = path.join(dir, 'catalog.jsonl');
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
const seconds = (from: number) => (performance.now() - from) / 1000;
const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

/** Fresh PostgreSQL databases on the server of DATABASE_URL; dropped by cleanup. */
const created: string[] = [];
async function createDatabase(role: string): Promise<string> {
  if (!SERVER_URL) throw new Error('no DATABASE_URL');
  const name = `bizapi_import_bench_${role}_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: SERVER_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  created.push(name);
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

let cleaned = false;
async function cleanup(): Promise<void> {
  if (cleaned) return;
  cleaned = true;
  fs.rmSync(dir, { recursive: true, force: true });
  if (created.length === 0 || !SERVER_URL) return;
  const c = new pg.Client({ connectionString: SERVER_URL });
  try {
    await c.connect();
    for (const name of created) await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } catch (err) {
    console.error(`could not drop the benchmark databases ${created.join(', ')}: ${(err as Error).message}`);
  } finally {
    await c.end().catch(() => undefined);
  }
}

const timer = setTimeout(() => {
  console.error(`timed out after ${TIMEOUT_SECONDS} s; cleaning up`);
  void cleanup().finally(() => process.exit(1));
}, TIMEOUT_SECONDS * 1000);
timer.unref();

/** Peak resident memory since the last reset, sampled every 100 ms (and at every slice). */
const rss = {
  peak: 0,
  sample() {
    this.peak = Math.max(this.peak, process.memoryUsage.rss());
  },
  reset() {
    this.peak = process.memoryUsage.rss();
  },
};
const sampler = setInterval(() => rss.sample(), 100);
sampler.unref();

/** Rates per slice of products, from the cumulative (products, seconds) seen after each batch. */
class Slices {
  private next = SLICE;
  private last = { products: 0, seconds: 0 };
  readonly rates: number[] = [];
  constructor(private readonly label: string) {}
  /** The count of products written so far and the (load) seconds they took. */
  at(products: number, elapsed: number): void {
    rss.sample();
    if (products >= this.next) {
      const rate = (products - this.last.products) / Math.max(1e-9, elapsed - this.last.seconds);
      this.rates.push(rate);
      console.log(
        `  ${this.label} ${String(products).padStart(9)} products: ${rate.toFixed(0).padStart(6)} products/s in this slice (rss ${mib(process.memoryUsage.rss())}, heap ${mib(process.memoryUsage().heapUsed)}, load ${load()})`,
      );
      this.last = { products, seconds: elapsed };
      // A batch may cross several slice boundaries: the slice ends at the batch.
      this.next = (Math.floor(products / SLICE) + 1) * SLICE;
    }
  }
  summary(): string {
    if (this.rates.length === 0) return 'no full slice';
    const first = this.rates[0] ?? 0;
    const last = this.rates[this.rates.length - 1] ?? 0;
    const min = Math.min(...this.rates);
    const max = Math.max(...this.rates);
    return `first slice ${first.toFixed(0)}/s, last ${last.toFixed(0)}/s, slowest ${min.toFixed(0)}/s, fastest ${max.toFixed(0)}/s (fastest / slowest ${(max / min).toFixed(2)}×)`;
  }
}

async function databaseSize(url: string | null, dataDir: string): Promise<number> {
  if (!url) return fs.existsSync(dataDir) ? fs.readdirSync(dataDir).reduce((n, f) => n + fs.statSync(path.join(dataDir, f)).size, 0) : 0;
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const { rows } = await c.query<{ size: string }>('select pg_database_size(current_database()) as size');
  await c.end();
  return Number(rows[0]?.size ?? 0);
}

/** The product tables' child rows, in the order writeProducts inserts them. */
const CHILD_TABLES = ['catalog_product_categories', 'catalog_identifiers', 'catalog_offers', 'catalog_listings'] as const;
/** Whole small tables copied before the products (offers refer to merchants). */
const WHOLE_TABLES = ['catalog_merchants', 'catalog_merchant_certificates', 'catalog_categories'] as const;
type Row = Record<string, unknown>;

/** Where the floor reads the import's rows from, and writes them to. */
interface FloorPort {
  /** Rows of a whole table. */
  all(table: string): Promise<Row[]>;
  /** The next products after `after` in the order they were written (null: from the start), and their child rows by table. */
  products(after: unknown, limit: number): Promise<{ products: Row[]; children: Map<string, Row[]>; cursor: unknown }>;
  /** Writes rows with bare statements (timed by the caller). */
  write(table: string, rows: Row[]): Promise<void>;
  execute: Execute;
  begin(): Promise<void>;
  commit(): Promise<void>;
  close(): Promise<void>;
}

function sqliteFloor(importFile: string, floorFile: string): FloorPort {
  const from = new SQLite(importFile, { readonly: true });
  const to = new SQLite(floorFile);
  // The connection settings of the database module and of the import (IMPORT_PRAGMAS).
  to.pragma('journal_mode = WAL');
  to.pragma('synchronous = NORMAL');
  to.pragma('foreign_keys = ON');
  to.pragma(`journal_size_limit = ${64 * 1024 * 1024}`);
  for (const [name, value] of Object.entries(IMPORT_PRAGMAS)) to.pragma(`${name} = ${value}`);
  const inserts = new Map<string, SQLite.Statement>();
  const childReads = new Map(
    CHILD_TABLES.map((t) => [t, from.prepare(`select * from ${t} where asin in (select value from json_each(?)) order by rowid`)]),
  );
  const productRead = from.prepare('select rowid as _rowid, * from catalog_products where rowid > ? order by rowid limit ?');
  return {
    all: async (table) => from.prepare(`select * from ${table} order by rowid`).all() as Row[],
    async products(after, limit) {
      const rows = productRead.all(after ?? 0, limit) as Row[];
      const cursor = rows[rows.length - 1]?._rowid ?? after;
      for (const r of rows) delete r._rowid;
      const asins = JSON.stringify(rows.map((r) => r.asin));
      return { products: rows, children: new Map(CHILD_TABLES.map((t) => [t, childReads.get(t)?.all(asins) as Row[]])), cursor };
    },
    async write(table, rows) {
      if (rows.length === 0) return;
      let insert = inserts.get(table);
      const columns = Object.keys(rows[0] ?? {});
      if (!insert) {
        insert = to.prepare(`insert into ${table} (${columns.join(', ')}) values (${columns.map(() => '?').join(', ')})`);
        inserts.set(table, insert);
      }
      for (const r of rows) insert.run(columns.map((c) => r[c]));
    },
    execute: async (text, parameters = []) => {
      const statement = to.prepare(text);
      if (statement.reader) return statement.all([...parameters]) as Row[];
      statement.run([...parameters]);
      return [];
    },
    begin: async () => void to.exec('begin'),
    commit: async () => void to.exec('commit'),
    close: async () => {
      from.close();
      to.close();
    },
  };
}

async function postgresFloor(importUrl: string, floorUrl: string): Promise<FloorPort> {
  const from = new pg.Client({ connectionString: importUrl });
  const to = new pg.Client({ connectionString: floorUrl });
  await from.connect();
  await to.connect();
  // The generated columns (the tsvectors) are computed by the server, as for the import.
  const { rows: generated } = await from.query<{ table_name: string; column_name: string }>(
    `select table_name, column_name from information_schema.columns where table_schema = current_schema() and is_generated <> 'NEVER'`,
  );
  const skip = new Set(generated.map((g) => `${g.table_name}.${g.column_name}`));
  const columnsOf = async (table: string): Promise<string[]> =>
    (
      await from.query<{ column_name: string }>(
        `select column_name from information_schema.columns where table_schema = current_schema() and table_name = $1 order by ordinal_position`,
        [table],
      )
    ).rows
      .map((r) => r.column_name)
      .filter((c) => !skip.has(`${table}.${c}`));
  const columns = new Map<string, string[]>();
  for (const t of [...WHOLE_TABLES, 'catalog_products', ...CHILD_TABLES]) columns.set(t, await columnsOf(t));
  const list = (table: string) => (columns.get(table) ?? []).join(', ');
  const texts = new Map<string, string>();
  const insertText = (table: string, rows: number): string => {
    const key = `${table}|${rows}`;
    let text = texts.get(key);
    if (text === undefined) {
      const cs = columns.get(table) ?? [];
      let n = 0;
      text = `insert into ${table} (${cs.join(', ')}) values ${Array.from({ length: rows }, () => `(${cs.map(() => `$${++n}`).join(', ')})`).join(', ')}`;
      texts.set(key, text);
    }
    return text;
  };
  return {
    all: async (table) => (await from.query<Row>(`select ${list(table)} from ${table}`)).rows,
    async products(after, limit) {
      // ctid order: the order the import's rows were written in (a fresh table only appends).
      const { rows } = await from.query<Row>(
        `select ctid::text as _ctid, ${list('catalog_products')} from catalog_products ${after ? 'where ctid > $2::tid' : ''} order by ctid limit $1`,
        after ? [limit, after] : [limit],
      );
      const cursor = rows[rows.length - 1]?._ctid ?? after;
      for (const r of rows) delete r._ctid;
      const asins = rows.map((r) => r.asin);
      const children = new Map<string, Row[]>();
      for (const t of CHILD_TABLES)
        children.set(t, (await from.query<Row>(`select ${list(t)} from ${t} where asin = any($1) order by ctid`, [asins])).rows);
      return { products: rows, children, cursor };
    },
    async write(table, rows) {
      const cs = columns.get(table) ?? [];
      let at = 0;
      for (const size of insertSizes(rows.length, cs.length, PARAMETER_LIMIT.postgres, MAX_ROWS_PER_INSERT)) {
        const values: unknown[] = [];
        for (let i = at; i < at + size; i++) for (const c of cs) values.push(rows[i]?.[c] ?? null);
        await to.query(insertText(table, size), values);
        at += size;
      }
    },
    execute: async (text, parameters = []) => (await to.query<Row>(text, [...parameters])).rows,
    begin: async () => void (await to.query('begin')),
    commit: async () => void (await to.query('commit')),
    close: async () => {
      await from.end();
      await to.end();
    },
  };
}

/** Runs the floor: the import's rows into a fresh database by bare statements; answers the write seconds. */
async function runFloor(
  port: FloorPort,
  dialect: 'sqlite' | 'postgres',
  slices: Slices,
): Promise<{ products: number; seconds: number; finish: number; cpu: number }> {
  let timed = 0;
  let cpu = 0;
  const time = async (fn: () => Promise<void>) => {
    const t = performance.now();
    const c = process.cpuUsage();
    await fn();
    const used = process.cpuUsage(c);
    cpu += (used.user + used.system) / 1e6;
    timed += seconds(t);
  };
  const whole = new Map<string, Row[]>();
  for (const t of WHOLE_TABLES) whole.set(t, await port.all(t));
  const schema = await bulkLoadSchema(port.execute, dialect, BULK_LOAD_TABLES);
  await time(async () => {
    await port.begin();
    await port.execute(
      dialect === 'postgres'
        ? `insert into catalog_state (id, version) values (1, $1) on conflict (id) do update set version = excluded.version`
        : `insert into catalog_state (id, version) values (1, ?) on conflict (id) do update set version = excluded.version`,
      ['floor'],
    );
    await dropForBulkLoad(port.execute, schema);
    for (const t of WHOLE_TABLES) await port.write(t, whole.get(t) ?? []);
  });
  let products = 0;
  for (let cursor: unknown = null; ;) {
    const batch = await port.products(cursor, FLOOR_BATCH);
    if (batch.products.length === 0) break;
    cursor = batch.cursor;
    await time(async () => {
      await port.write('catalog_products', batch.products);
      for (const t of CHILD_TABLES) await port.write(t, batch.children.get(t) ?? []);
    });
    products += batch.products.length;
    slices.at(products, timed);
  }
  const loaded = timed;
  await time(async () => {
    await restoreAfterBulkLoad(port.execute, schema);
    await port.commit();
    for (const t of REFRESHED_AFTER_IMPORT) await port.execute(refreshStatement(dialect, t));
    await port.close();
  });
  return { products, seconds: timed, finish: timed - loaded, cpu };
}

try {
  console.log(`machine: ${machine()}`);
  console.log(
    `database: ${SERVER_URL ? 'PostgreSQL (fresh databases)' : 'SQLite (WAL, temp directory)'}; ${PRODUCTS} products, batch size ${BATCH_SIZE ?? 'default'}, bulk ${BULK ?? 'auto'}; started ${new Date().toISOString()}, load ${load()}`,
  );

  // Generated by a process of its own, so that the generator's memory is not counted as the import's.
  let t = performance.now();
  const generator = `const { generateCatalogFile } = await import(${JSON.stringify(new URL('../src/cli/catalog.cli.ts', import.meta.url).href)});
    console.log(await generateCatalogFile(${PRODUCTS}, ${JSON.stringify(SEED)}, ${JSON.stringify(file)}));`;
  const generated = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', generator], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (generated.status !== 0) throw new Error(`the generator failed (exit ${generated.status})`);
  console.log(`generated ${generated.stdout.trim()} records (${mib(fs.statSync(file).size)}) in ${seconds(t).toFixed(1)} s`);

  // ---- our import ------------------------------------------------------------------------------
  const importUrl = SERVER_URL ? await createDatabase('import') : null;
  const config = loadConfig({
    ...process.env,
    DATA_DIR: importDir,
    DATABASE_URL: importUrl ?? '',
    SEED_DEMO: 'false',
    LOG_LEVEL: 'silent',
  });
  const { ctx, services } = await openContext(config);
  console.log(`before the import: rss ${mib(process.memoryUsage.rss())}, heap ${mib(process.memoryUsage().heapUsed)}`);
  const ours = new Slices('import');
  rss.reset();
  t = performance.now();
  let lastBatch = t;
  const cpu = process.cpuUsage();
  let report;
  try {
    report = await importCatalog(services.catalog, file, {
      json: true,
      batchSize: BATCH_SIZE,
      bulk: BULK,
      onProgress: (p) => {
        lastBatch = performance.now();
        ours.at(p.products, seconds(t));
      },
    });
  } finally {
    await ctx.db.destroy();
  }
  const importSeconds = seconds(t);
  const importFinish = (performance.now() - lastBatch) / 1000;
  const used = process.cpuUsage(cpu);
  const importCpu = (used.user + used.system) / 1e6;
  const importPeak = rss.peak;
  const importSize = await databaseSize(importUrl, importDir);
  console.log(
    `import: ${report.products} products, ${report.offers} offers, ${report.merchants} merchants, ${report.rejected} rejected (${report.status}, ${report.bulk ? 'bulk load' : 'batch by batch'})`,
  );
  console.log(
    `import: ${(report.products / importSeconds).toFixed(0)} products/s, ${importSeconds.toFixed(1)} s (of which ${importFinish.toFixed(1)} s after the last batch: indexes, full text, commit, statistics, close); ${ours.summary()}; peak rss ${mib(importPeak)}; database ${mib(importSize)}; cpu of this process ${((used.user + used.system) / 1e6).toFixed(1)} s; load ${load()}`,
  );
  if (report.status !== 'completed' || report.products !== PRODUCTS || report.rejected !== 0) {
    console.error('the import did not write every generated product');
    process.exitCode = 1;
  }

  // ---- the floor -------------------------------------------------------------------------------
  if (FLOOR && process.exitCode !== 1) {
    const floorUrl = SERVER_URL ? await createDatabase('floor') : null;
    const fresh = openDatabase({ databaseUrl: floorUrl, dataDir: floorDir });
    await migrateToLatest(fresh);
    await fresh.destroy();
    const port =
      importUrl && floorUrl
        ? await postgresFloor(importUrl, floorUrl)
        : sqliteFloor(path.join(importDir, 'bizapi.sqlite'), path.join(floorDir, 'bizapi.sqlite'));
    const floorSlices = new Slices('floor ');
    rss.reset();
    const wall = performance.now();
    const floor = await runFloor(port, importUrl ? 'postgres' : 'sqlite', floorSlices);
    const floorPeak = rss.peak;
    const floorSize = await databaseSize(floorUrl, floorDir);
    console.log(
      `floor: ${floor.products} products, ${(floor.products / floor.seconds).toFixed(0)} products/s, ${floor.seconds.toFixed(1)} s writing (of which ${floor.finish.toFixed(1)} s after the last batch; ${seconds(wall).toFixed(1)} s with the reads); ${floorSlices.summary()}; peak rss ${mib(floorPeak)}; database ${mib(floorSize)}; cpu of this process while writing ${floor.cpu.toFixed(1)} s; load ${load()}`,
    );
    // With SQLite all the work is in this process, so the CPU times compare the work whatever the neighbours take.
    if (!importUrl) console.log(`import / floor in cpu time of this process: ${((floor.cpu / importCpu) * 100).toFixed(1)} %`);
    console.log(
      `import / floor: ${((floor.seconds / importSeconds) * 100).toFixed(1)} % (${(report.products / importSeconds).toFixed(0)} / ${(floor.products / floor.seconds).toFixed(0)} products/s); finished ${new Date().toISOString()}`,
    );
  }
} finally {
  clearInterval(sampler);
  await cleanup();
}

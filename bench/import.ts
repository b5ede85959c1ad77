// Catalog import benchmark: writes a synthetic catalog with the project's generator (what
// `bizapi catalog generate` writes) to a temp directory, imports it into a fresh database through
// the CLI's own path (`importCatalog`, what `bizapi catalog import` runs, after the same
// openContext), and prints products/s, offers/s, the elapsed seconds and the final database size.
// The elapsed time runs from the start of the import to the database being closed (so SQLite's
// last checkpoint counts). Everything it creates is removed afterwards, also on a timeout.
//
//   node --import tsx bench/import.ts                       (SQLite in a temp directory)
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres node --import tsx bench/import.ts
//                                                           (a fresh database on that server, dropped afterwards)
//
// IMPORT_PRODUCTS (default 100000), IMPORT_BATCH_SIZE (default: the importer's), IMPORT_SEED (bench),
// IMPORT_TIMEOUT_SECONDS (default 900).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openContext } from '../src/app.ts';
import { loadConfig } from '../src/config/config.ts';
import { generateCatalogFile, importCatalog } from '../src/cli/catalog.cli.ts';
import { machine } from './world.ts';

const PRODUCTS = Number(process.env.IMPORT_PRODUCTS ?? 100_000);
const BATCH_SIZE = process.env.IMPORT_BATCH_SIZE ? Number(process.env.IMPORT_BATCH_SIZE) : undefined;
const SEED = process.env.IMPORT_SEED ?? 'bench';
const TIMEOUT_SECONDS = Number(process.env.IMPORT_TIMEOUT_SECONDS ?? 900);
const SERVER_URL = process.env.DATABASE_URL || null;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bizapi-import-bench-'));
const dataDir = path.join(dir, 'data');
const file = path.join(dir, 'catalog.jsonl');
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

/** A fresh PostgreSQL database on the server of DATABASE_URL; dropped by cleanup. */
let databaseUrl: string | null = null;
let dropDatabase: (() => Promise<void>) | null = null;
if (SERVER_URL) {
  const name = `bizapi_import_bench_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: SERVER_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  databaseUrl = url.toString();
  dropDatabase = async () => {
    const c = new pg.Client({ connectionString: SERVER_URL });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.end();
  };
}

let cleaned = false;
async function cleanup(): Promise<void> {
  if (cleaned) return;
  cleaned = true;
  fs.rmSync(dir, { recursive: true, force: true });
  await dropDatabase?.().catch((err: unknown) => console.error(`could not drop the benchmark database: ${(err as Error).message}`));
}

const timer = setTimeout(() => {
  console.error(`timed out after ${TIMEOUT_SECONDS} s; cleaning up`);
  void cleanup().finally(() => process.exit(1));
}, TIMEOUT_SECONDS * 1000);
timer.unref();

async function databaseSize(): Promise<number> {
  if (!databaseUrl) return fs.readdirSync(dataDir).reduce((n, f) => n + fs.statSync(path.join(dataDir, f)).size, 0);
  const c = new pg.Client({ connectionString: databaseUrl });
  await c.connect();
  const { rows } = await c.query<{ size: string }>('select pg_database_size(current_database()) as size');
  await c.end();
  return Number(rows[0]?.size ?? 0);
}

try {
  console.log(`machine: ${machine()}`);
  console.log(
    `database: ${databaseUrl ? 'PostgreSQL (fresh database)' : 'SQLite (WAL, temp directory)'}; ${PRODUCTS} products, batch size ${BATCH_SIZE ?? 'default'}`,
  );

  let t = performance.now();
  const records = await generateCatalogFile(PRODUCTS, SEED, file);
  console.log(`generated ${records} records (${mib(fs.statSync(file).size)}) in ${((performance.now() - t) / 1000).toFixed(1)} s`);

  const config = loadConfig({
    ...process.env,
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl ?? '',
    SEED_DEMO: 'false',
    LOG_LEVEL: 'silent',
  });
  const { ctx, services } = await openContext(config);
  t = performance.now();
  const cpu = process.cpuUsage();
  let report;
  try {
    report = await importCatalog(services.catalog, file, { json: true, batchSize: BATCH_SIZE });
  } finally {
    await ctx.db.destroy();
  }
  const seconds = (performance.now() - t) / 1000;
  const used = process.cpuUsage(cpu);
  const size = await databaseSize();

  console.log(
    `imported ${report.products} products, ${report.offers} offers, ${report.merchants} merchants, ${report.rejected} rejected (${report.status})`,
  );
  console.log(
    `${(report.products / seconds).toFixed(0)} products/s   ${(report.offers / seconds).toFixed(0)} offers/s   ${seconds.toFixed(2)} s   database ${mib(size)}`,
  );
  // On a shared machine the wall time depends on the neighbours; the CPU time of this process (which
  // does all the work with SQLite, not with PostgreSQL) much less so.
  console.log(`cpu time of this process: ${((used.user + used.system) / 1e6).toFixed(2)} s; load average ${os.loadavg()[0]?.toFixed(2)}`);
  if (report.status !== 'completed' || report.products !== PRODUCTS || report.rejected !== 0) {
    console.error('the import did not write every generated product');
    process.exitCode = 1;
  }
} finally {
  await cleanup();
}

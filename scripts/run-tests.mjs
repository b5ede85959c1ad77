#!/usr/bin/env node
// Runs the test suite with node's test runner (through tsx) on the database named by DB
// (sqlite, the default, or postgres). For PostgreSQL a fresh database is created for the run
// and dropped afterwards, so runs never see each other's rows.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';

const roots = process.argv.slice(2).length ? process.argv.slice(2) : ['test'];
const files = [];
const walk = (p) => {
  const st = fs.statSync(p);
  if (st.isDirectory()) for (const e of fs.readdirSync(p).sort()) walk(path.join(p, e));
  else if (/\.test\.ts$/.test(p)) files.push(p);
};
for (const r of roots) walk(r);
// test/package packs and installs the package and runs it on its own SQLite data: it does not use
// the database under test, so the PostgreSQL pass leaves it to the SQLite pass (unless named).
const dbName = process.env.DB ?? 'sqlite';
if (dbName !== 'sqlite' && !process.argv.slice(2).some((r) => path.resolve(r).startsWith(path.resolve('test/package')))) {
  const kept = files.filter((f) => !path.resolve(f).startsWith(path.resolve('test/package') + path.sep));
  if (kept.length !== files.length) console.log(`test/package runs in the SQLite pass only (it does not use the database under test)`);
  files.splice(0, files.length, ...kept);
}
if (files.length === 0) {
  console.error(`no test files under ${roots.join(', ')}`);
  process.exit(1);
}

const db = dbName;
const env = { ...process.env, DB: db, NODE_ENV: 'test' };
let dropDb = null;
if (db === 'postgres') {
  const admin = process.env.PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const name = `bizapi_test_${process.pid}_${Date.now()}`;
  const client = new pg.Client({ connectionString: admin });
  try {
    await client.connect();
  } catch (err) {
    console.error(`DB=postgres but PostgreSQL is not reachable at ${admin}: ${err.message}`);
    process.exit(2);
  }
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  env.DATABASE_URL = url.toString();
  dropDb = async () => {
    const c = new pg.Client({ connectionString: admin });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.end();
  };
} else if (db !== 'sqlite') {
  console.error(`DB must be sqlite or postgres, got ${db}`);
  process.exit(2);
}

console.log(`running ${files.length} test files on ${db}${env.REDIS_URL ? ' with Redis' : ''}`);
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=spec', `--test-concurrency=${process.env.TEST_CONCURRENCY ?? 2}`, ...files],
  { stdio: 'inherit', env },
);
if (dropDb) await dropDb().catch((e) => console.error(`could not drop the test database: ${e.message}`));
process.exit(result.status ?? 1);

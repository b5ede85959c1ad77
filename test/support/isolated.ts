import fs from 'node:fs';
import { after } from 'node:test';
import pg from 'pg';
import { buildApp } from '../../src/app.ts';
import { testConfig, type Config } from '../../src/config/config.ts';
import { VirtualClock } from '../../src/kernel/clock.ts';
import { dbKind, testDataDir, unique, type TestApp } from './app.ts';

/** A fresh PostgreSQL database beside `base` (same server), and how to drop it. */
export async function createPostgresDatabase(base: string, prefix: string): Promise<{ databaseUrl: string; drop(): Promise<void> }> {
  const name = `${prefix}_${process.pid}_${unique()}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    databaseUrl: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/**
 * A database of its own, for tests that change what every app on a database shares: the virtual
 * clock, a reset, a snapshot load, request-log retention. With DB=postgres it is a fresh PostgreSQL
 * database (dropped after the file); with SQLite, a fresh data directory. Several apps built from
 * one isolated database share it, as server processes behind one load balancer do.
 */
export async function isolatedDatabase(): Promise<{
  build(overrides?: Partial<Config>): Promise<TestApp>;
  config: Pick<Config, 'dataDir' | 'databaseUrl'>;
}> {
  const dataDir = testDataDir();
  let databaseUrl: string | null = null;
  let drop = async (): Promise<void> => undefined;
  if (dbKind === 'postgres') {
    const base = process.env.DATABASE_URL;
    if (!base) throw new Error('DB=postgres needs DATABASE_URL (run through npm test)');
    ({ databaseUrl, drop } = await createPostgresDatabase(base, 'bizapi_iso'));
  }
  const apps: TestApp[] = [];
  after(async () => {
    for (const app of apps) await app.close();
    await drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  return {
    config: { dataDir, databaseUrl },
    async build(overrides = {}) {
      const clock = new VirtualClock();
      const app = await buildApp(testConfig({ dataDir, databaseUrl, ...overrides }), { clock, logger: false });
      let closing: Promise<void> | null = null;
      const close = app.close;
      // Idempotent, so a test may close an app early (a process that stops) and the hook still runs.
      const t = Object.assign(app, { clock, close: () => (closing ??= close()) });
      apps.push(t);
      return t;
    },
  };
}

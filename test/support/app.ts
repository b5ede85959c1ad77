import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after } from 'node:test';
import { buildApp, type App, type BuildOptions } from '../../src/app.ts';
import { testConfig, type Config } from '../../src/config/config.ts';
import { VirtualClock } from '../../src/kernel/clock.ts';

/** The database under test: DB=postgres uses the DATABASE_URL the runner created, else SQLite in a temp dir. */
export const dbKind = process.env.DB === 'postgres' ? 'postgres' : 'sqlite';

export function testDataDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'bizapi-test-'));
}

export interface TestApp extends App {
  clock: VirtualClock;
}

/** Builds an app on the database under test with a virtual clock; closed after the file's tests. */
export async function buildTestApp(
  overrides: Partial<Config> = {},
  options: Pick<BuildOptions, 'apiModules' | 'deliverNotices'> = {},
): Promise<TestApp> {
  const dataDir = testDataDir();
  const config = testConfig({
    dataDir,
    databaseUrl: dbKind === 'postgres' ? (process.env.DATABASE_URL ?? null) : null,
    ...overrides,
  });
  if (dbKind === 'postgres' && !config.databaseUrl) throw new Error('DB=postgres needs DATABASE_URL (run through npm test)');
  const clock = new VirtualClock();
  const app = await buildApp(config, { clock, logger: false, ...options });
  after(async () => {
    await app.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  return Object.assign(app, { clock });
}

/** A short unique suffix so tests can create their own rows without colliding. */
export const unique = (): string => Math.random().toString(36).slice(2, 10);

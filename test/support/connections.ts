import fs from 'node:fs';
import { after } from 'node:test';
import { openDatabase, type Db } from '../../src/platform/db/database.ts';
import { migrateToLatest } from '../../src/platform/db/migrate.ts';
import { testDataDir } from './catalog.ts';

/** Two independent connections to one migrated database of the kind under test, like two processes; closed after the file's tests. */
export async function twoConnections(): Promise<[Db, Db]> {
  const dataDir = testDataDir();
  const url = process.env.DB === 'postgres' ? (process.env.DATABASE_URL ?? null) : null;
  const a = openDatabase({ databaseUrl: url, dataDir });
  await migrateToLatest(a);
  const b = openDatabase({ databaseUrl: url, dataDir });
  after(async () => {
    await a.destroy();
    await b.destroy();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  return [a, b];
}

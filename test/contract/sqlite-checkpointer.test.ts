import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { CHECKPOINT_INTERVAL_MS, openDatabase } from '../../src/platform/db/database.ts';
import { migrateToLatest } from '../../src/platform/db/migrate.ts';
import { testDataDir } from '../support/app.ts';

// The SQLite adapter (whatever database the run is on): the server's background checkpointer copies the write-ahead log into the database
// on a thread of its own, so the log does not grow without bound although the server's connection
// never checkpoints; stopping it leaves a database that opens with everything written.

test('the checkpointer thread keeps the log checkpointed; everything written survives a close', async () => {
  const dataDir = testDataDir();
  try {
    const db = openDatabase({ databaseUrl: null, dataDir, backgroundCheckpoints: true });
    await migrateToLatest(db);
    const autocheckpoint = await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(db.kysely);
    assert.equal(Number(autocheckpoint.rows[0]!.wal_autocheckpoint), 0, 'the server connection leaves checkpoints to the thread');
    const wal = path.join(dataDir, 'bizapi.sqlite-wal');
    for (let round = 0; round < 5; round++) {
      await db.transaction(async (trx) => {
        for (let i = 0; i < 200; i++)
          await trx
            .insertInto('emulator_transition_modes')
            .values({ kind: `cp-${round}-${i}`, manual_since: i, set_by: 'x'.repeat(2000) })
            .execute();
      });
    }
    // Only the thread checkpoints: after a few of its rounds the database file itself holds the
    // rows (2 MB of them), which with no checkpoint would still be in the log only.
    const file = path.join(dataDir, 'bizapi.sqlite');
    const deadline = Date.now() + CHECKPOINT_INTERVAL_MS * 20;
    while (fs.statSync(file).size < 2_000_000 && Date.now() < deadline) await new Promise((r) => setTimeout(r, CHECKPOINT_INTERVAL_MS));
    assert.ok(
      fs.statSync(file).size >= 2_000_000,
      `the database file has ${fs.statSync(file).size} bytes; the log has ${fs.statSync(wal).size}`,
    );
    await db.destroy();
    const again = openDatabase({ databaseUrl: null, dataDir });
    const n = await again.kysely
      .selectFrom('emulator_transition_modes')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('kind', 'like', 'cp-%')
      .executeTakeFirstOrThrow();
    assert.equal(Number(n.n), 1000);
    await again.destroy();
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GroupCommit } from '../../src/platform/db/group-commit.ts';
import { openTestDb } from '../support/catalog.ts';

// Group commit on the database under test: concurrent units share one transaction; each caller
// hears its own result after the commit; a failing unit fails alone and leaves nothing behind.

const db = await openTestDb();
const kinds = async (prefix: string) =>
  (
    await db.kysely.selectFrom('emulator_transition_modes').select('kind').where('kind', 'like', `${prefix}%`).orderBy('kind').execute()
  ).map((r) => r.kind);
const insert = (kind: string) => (trx: Parameters<Parameters<GroupCommit['submit']>[0]>[0]) =>
  trx
    .insertInto('emulator_transition_modes')
    .values({ kind, manual_since: 1, set_by: 'test' })
    .execute()
    .then(() => kind);

test('units submitted together commit together, each answered with its own result', async () => {
  const writer = new GroupCommit(db);
  const results = await Promise.all(Array.from({ length: 20 }, (_, i) => writer.submit(insert(`gc-a-${String(i).padStart(2, '0')}`))));
  assert.deepEqual(
    results,
    Array.from({ length: 20 }, (_, i) => `gc-a-${String(i).padStart(2, '0')}`),
  );
  assert.equal((await kinds('gc-a-')).length, 20);
});

test('a failing unit fails alone: the others of its batch are committed, its own writes are not', async () => {
  const writer = new GroupCommit(db);
  const outcomes = await Promise.allSettled([
    writer.submit(insert('gc-b-1')),
    writer.submit(async (trx) => {
      await insert('gc-b-2')(trx);
      throw new Error('unit 2 fails after writing');
    }),
    writer.submit(insert('gc-b-3')),
  ]);
  assert.deepEqual(
    outcomes.map((o) => o.status),
    ['fulfilled', 'rejected', 'fulfilled'],
  );
  assert.match(String((outcomes[1] as PromiseRejectedResult).reason), /unit 2 fails/);
  assert.deepEqual(await kinds('gc-b-'), ['gc-b-1', 'gc-b-3']);
});

test('a unit is answered only after its commit: what it wrote is visible to a read at once', async () => {
  const writer = new GroupCommit(db);
  for (let i = 0; i < 5; i++) {
    const kind = await writer.submit(insert(`gc-c-${i}`));
    assert.deepEqual((await kinds(kind)).length, 1);
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { insertSizes, MAX_ROWS_PER_INSERT, PARAMETER_LIMIT } from '../../src/platform/db/bulk.ts';

test('multi-row INSERTs: every row written once, each statement within the parameter limit, few distinct sizes', () => {
  for (const limit of [PARAMETER_LIMIT.sqlite, PARAMETER_LIMIT.postgres, 100]) {
    for (const columns of [1, 3, 8, 18, 60]) {
      const full = Math.max(1, Math.min(MAX_ROWS_PER_INSERT, Math.floor(limit / columns)));
      for (const rows of [0, 1, 2, 3, 7, 255, 256, 257, 1000, 4001, 20_000]) {
        const sizes = insertSizes(rows, columns, limit);
        assert.equal(
          sizes.reduce((a, b) => a + b, 0),
          rows,
          `${rows} rows of ${columns} columns, limit ${limit}`,
        );
        for (const s of sizes) {
          assert.ok(s >= 1 && s * columns <= limit, `a statement of ${s} rows × ${columns} columns exceeds ${limit}`);
          assert.ok(s === full || Number.isInteger(Math.log2(s)), `${s} rows: neither a full statement nor a power of two`);
        }
        assert.ok(sizes.length <= Math.ceil(rows / full) + Math.log2(full) + 1);
      }
    }
  }
  assert.deepEqual(insertSizes(600, 18, PARAMETER_LIMIT.sqlite), [256, 256, 64, 16, 8]);
  assert.deepEqual(insertSizes(7, 18, 100), [5, 2]);
  // A row wider than the limit still goes, one per statement (the database refuses it, not the splitting).
  assert.deepEqual(insertSizes(3, 200, 100), [1, 1, 1]);
  assert.deepEqual(insertSizes(0, 5, 100), []);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { MAX_PAGES, pageWindow } from '../../../src/modules/catalog/index.ts';

test('pages are 0-based slices of the results', () => {
  assert.deepEqual(pageWindow(50, { pageNumber: 0, pageSize: 24 }), { numberOfPages: 3, offset: 0, limit: 24 });
  assert.deepEqual(pageWindow(50, { pageNumber: 2, pageSize: 24 }), { numberOfPages: 3, offset: 48, limit: 2 });
});

test('a page at or beyond numberOfPages does not exist', () => {
  assert.equal(pageWindow(50, { pageNumber: 3, pageSize: 24 }), null);
  assert.equal(pageWindow(0, { pageNumber: 1, pageSize: 24 }), null);
});

test('page 0 of an empty result is an empty page', () => {
  assert.deepEqual(pageWindow(0, { pageNumber: 0, pageSize: 24 }), { numberOfPages: 0, offset: 0, limit: 0 });
});

test('no more than 13 pages, whatever the number of results', () => {
  assert.equal(pageWindow(10_000, { pageNumber: 0, pageSize: 24 })?.numberOfPages, MAX_PAGES);
  assert.equal(pageWindow(10_000, { pageNumber: 13, pageSize: 24 }), null);
  assert.deepEqual(pageWindow(10_000, { pageNumber: 12, pageSize: 24 }), { numberOfPages: 13, offset: 288, limit: 24 });
});

test('property: every page in range is non-empty and pages tile the visible results', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 2000 }), fc.integer({ min: 1, max: 24 }), (total, pageSize) => {
      const first = pageWindow(total, { pageNumber: 0, pageSize });
      assert.ok(first);
      let covered = 0;
      for (let p = 0; p < first.numberOfPages; p++) {
        const w = pageWindow(total, { pageNumber: p, pageSize });
        assert.ok(w && w.limit > 0 && w.offset === covered);
        covered += w.limit;
      }
      assert.equal(covered, Math.min(total, MAX_PAGES * pageSize));
    }),
  );
});

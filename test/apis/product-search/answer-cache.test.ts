import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AnswerCache, canonicalQuery, type AnswerScope } from '../../../src/apis/product-search/answer-cache.ts';
import { deliveryClockKey, estimateDelivery, maxMinDaysArrivingWithin, type Destination } from '../../../src/modules/catalog/index.ts';
import { findOperation } from '../../../src/modules/registry/index.ts';
import type { ApiCallContext, ApiRequest, QueryParams } from '../../../src/modules/gateway/index.ts';
import { apiCall } from '../../support/api-server.ts';

// The answer cache's own rules, without a server: what is in the key, what is kept and for how long.

const NY = 'America/New_York';
const WEDNESDAY_MORNING = Date.parse('2026-12-02T15:00:00Z');

function source(start = WEDNESDAY_MORNING) {
  const s = { marker: 'v1' as string | null, t: start, reads: 0 };
  return {
    s,
    version: async () => {
      s.reads++;
      return s.marker;
    },
    clock: { now: () => s.t },
  };
}

function scope(query: QueryParams, call: Partial<ApiCallContext> = {}, policies: AnswerScope['policies'] = []): AnswerScope {
  const request: ApiRequest = {
    operation: findOperation('searchProductsRequest')!,
    query,
    params: {},
    headers: {},
    body: undefined,
    call: apiCall(call),
    link: () => undefined,
  };
  return { operation: 'searchProductsRequest', request, timeZone: NY, policies };
}

/** A computation that counts its calls and answers `{ n }`. */
function counter() {
  const c = { calls: 0, compute: async () => ({ n: ++c.calls }) };
  return c;
}
const text = async (p: Promise<{ json: Buffer }>) => (await p).json.toString('utf8');
const big = { maxBytes: 1 << 24, maxEntries: 1000 };

test('the same request is computed once; any other parameter, business, group, grant or policy is another answer', async () => {
  const src = source();
  const cache = new AnswerCache(src, big);
  const c = counter();
  const q = { productRegion: 'US', locale: 'en_US', keywords: 'phone' };
  assert.equal(await text(cache.serve(scope(q), c.compute)), '{"n":1}');
  assert.equal(await text(cache.serve(scope({ keywords: 'phone', locale: 'en_US', productRegion: 'US' }), c.compute)), '{"n":1}');
  const others: AnswerScope[] = [
    scope({ ...q, keywords: 'Phone' }),
    scope({ ...q, facets: 'OFFERS' }),
    scope({ ...q, facets: ['OFFERS', 'IMAGES'] }),
    scope({ ...q, facets: ['IMAGES', 'OFFERS'] }),
    scope(q, { businessId: 'biz_other' }),
    scope(q, { businessId: null }),
    scope(q, { marketplace: 'CA' }),
    scope(q, { environment: 'sandbox' }),
    scope(q, { privilegedFields: new Set(['taxonomies']) }),
    scope(q, { user: { id: 'u2', email: 'b@example.com', groupIds: ['g2'], groupId: 'g2' } }),
    scope(q, {}, [{ guidance: 'BLOCKED', matchType: 'brand', value: 'Kestrel' }]),
    scope(q, {}, [{ guidance: 'PREFERRED', matchType: 'brand', value: 'Kestrel' }]),
    scope(q, {}, null),
  ];
  for (const s of others) await cache.serve(s, c.compute);
  assert.equal(c.calls, 1 + others.length, 'each one computed');
  for (const s of others) await cache.serve(s, c.compute);
  assert.equal(c.calls, 1 + others.length, 'and then kept');
  const withContext = { ...scope(q), context: 'US,CA' };
  await cache.serve(withContext, c.compute);
  await cache.serve({ ...scope(q), context: 'US' }, c.compute);
  await cache.serve(withContext, c.compute);
  assert.equal(c.calls, 3 + others.length, 'the context is part of the key');
  const n = 3 + others.length;
  const stats = cache.stats();
  assert.deepEqual({ hit: stats.hit, miss: stats.miss, entries: stats.entries }, { hit: n - 1, miss: n, entries: n });
  assert.deepEqual(stats.byOperation, { searchProductsRequest: { hit: n - 1, miss: n, shared: 0, unstored: 0 } });
});

test('a new catalog change marker drops every answer; a marker that moved while computing keeps the answer out', async () => {
  const src = source();
  const cache = new AnswerCache(src, big);
  const c = counter();
  const q = scope({ keywords: 'case' });
  await cache.serve(q, c.compute);
  await cache.serve(q, c.compute);
  assert.equal(c.calls, 1);
  src.s.marker = 'v2';
  assert.equal(await text(cache.serve(q, c.compute)), '{"n":2}', 'recomputed under the new marker');
  assert.equal(cache.stats().entries, 1);
  assert.equal(cache.stats().resets, 1);

  // A call that read v2 computes while another call reads v3: its answer is sent but not kept.
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const slow = cache.serve(scope({ keywords: 'slow' }), async () => {
    await gate;
    return { slow: true };
  });
  await new Promise((r) => setImmediate(r));
  src.s.marker = 'v3';
  await cache.serve(q, c.compute);
  release();
  assert.equal(await text(slow), '{"slow":true}');
  assert.equal(cache.stats().unstored, 1);
  let again = 0;
  await cache.serve(scope({ keywords: 'slow' }), async () => ({ again: ++again }));
  assert.equal(again, 1, 'computed again under v3');
  // The marker disappears (an emptied database): everything goes again.
  src.s.marker = null;
  await cache.serve(q, c.compute);
  assert.equal(c.calls, 4);
});

test('the delivery day is part of the key: the cutoff and midnight give new answers, the same half-day does not', async () => {
  const src = source(Date.parse('2026-12-02T18:00:00Z')); // 13:00 in New York, before the 14:00 cutoff
  const cache = new AnswerCache(src, big);
  const c = counter();
  const q = scope({ keywords: 'cable' });
  await cache.serve(q, c.compute);
  src.s.t += 50 * 60_000; // 13:50
  await cache.serve(q, c.compute);
  assert.equal(c.calls, 1);
  src.s.t += 20 * 60_000; // 14:10: dispatch moves to Thursday
  await cache.serve(q, c.compute);
  assert.equal(c.calls, 2);
  src.s.t += 11 * 3600_000; // 01:10 Thursday: another local day
  await cache.serve(q, c.compute);
  assert.equal(c.calls, 3);
  // A computation that crosses the cutoff is sent, not kept.
  src.s.t = Date.parse('2026-12-03T18:59:59Z');
  await cache.serve(scope({ keywords: 'edge' }), async () => {
    src.s.t += 2000;
    return { edge: 1 };
  });
  assert.equal(cache.stats().unstored, 1);
});

test('concurrent calls with one key share one computation; a refusal is passed on and never kept', async () => {
  const cache = new AnswerCache(source(), big);
  let calls = 0;
  const compute = async () => {
    calls++;
    await new Promise((r) => setTimeout(r, 20));
    return { shared: true };
  };
  const answers = await Promise.all(Array.from({ length: 8 }, () => text(cache.serve(scope({ keywords: 'hub' }), compute))));
  assert.equal(calls, 1);
  assert.ok(answers.every((a) => a === '{"shared":true}'));
  assert.equal(cache.stats().shared, 7);

  let refusals = 0;
  const refuse = async () => {
    refusals++;
    throw new Error('PAGE_NOT_FOUND');
  };
  await assert.rejects(cache.serve(scope({ keywords: 'none', pageNumber: '9' }), refuse), /PAGE_NOT_FOUND/);
  await assert.rejects(cache.serve(scope({ keywords: 'none', pageNumber: '9' }), refuse), /PAGE_NOT_FOUND/);
  assert.equal(refusals, 2);
  assert.equal(cache.stats().entries, 1);
});

test('memory stays within the entries and bytes given, the least recently used answer going first', async () => {
  const byEntries = new AnswerCache(source(), { maxBytes: 1 << 24, maxEntries: 3 });
  const c = counter();
  for (const k of ['a', 'b', 'c']) await byEntries.serve(scope({ keywords: k }), c.compute);
  await byEntries.serve(scope({ keywords: 'a' }), c.compute); // a is now the most recent
  await byEntries.serve(scope({ keywords: 'd' }), c.compute); // b goes
  assert.equal(byEntries.stats().entries, 3);
  assert.equal(byEntries.stats().evictions, 1);
  const before = c.calls;
  for (const k of ['a', 'c', 'd']) await byEntries.serve(scope({ keywords: k }), c.compute);
  assert.equal(c.calls, before, 'a, c and d kept');
  await byEntries.serve(scope({ keywords: 'b' }), c.compute);
  assert.equal(c.calls, before + 1, 'b was dropped');

  const body = { text: 'x'.repeat(10_000) };
  const byBytes = new AnswerCache(source(), { maxBytes: 100_000, maxEntries: 1000 });
  for (let i = 0; i < 30; i++) await byBytes.serve(scope({ keywords: `k${i}` }), async () => body);
  assert.ok(byBytes.stats().bytes <= 100_000, `${byBytes.stats().bytes} bytes`);
  assert.ok(byBytes.stats().entries >= 8 && byBytes.stats().entries < 10, `${byBytes.stats().entries} entries`);
  // An answer larger than an eighth of the budget is sent and not kept.
  const huge = await text(byBytes.serve(scope({ keywords: 'huge' }), async () => ({ text: 'y'.repeat(20_000) })));
  assert.equal(huge.length, 20_011);
  assert.equal(byBytes.stats().unstored, 1);
  assert.throws(() => new AnswerCache(source(), { maxBytes: 0, maxEntries: 1 }), /at least 1/);
});

test('canonicalQuery sorts names and keeps values exactly', () => {
  assert.equal(canonicalQuery({ b: '1', a: ['x', 'y'], c: undefined }), canonicalQuery({ a: ['x', 'y'], b: '1' }));
  assert.notEqual(canonicalQuery({ a: ['x', 'y'] }), canonicalQuery({ a: ['y', 'x'] }));
  assert.notEqual(canonicalQuery({ a: 'x,y' }), canonicalQuery({ a: ['x', 'y'] }));
  assert.notEqual(canonicalQuery({ a: '' }), canonicalQuery({}));
  assert.notEqual(canonicalQuery({ 'a&b': '1' }), canonicalQuery({ a: '', b: '1' }));
});

test('deliveryClockKey: two instants with one key give the same estimates, for every zone, destination and shipping', () => {
  const zones = ['America/New_York', 'Europe/London', 'Asia/Tokyo', 'America/Los_Angeles'];
  const shippings = [
    { minDays: 0, maxDays: 0 },
    { minDays: 1, maxDays: 2 },
    { minDays: 3, maxDays: 8 },
  ];
  // Thirty days in 13-minute steps from a Friday, across the US and EU daylight-saving changes of March.
  const start = Date.parse('2027-03-05T00:00:00Z');
  for (const timeZone of zones) {
    const dests: Destination[] = [
      { market: 'US', timeZone },
      { market: 'US', timeZone, postalCode: '99501' },
      { market: 'US', timeZone, country: 'CA', postalCode: 'K1A0B1' },
    ];
    const seen = new Map<string, string>();
    let keys = 0;
    for (let t = start; t < start + 30 * 86_400_000; t += 13 * 60_000) {
      const key = deliveryClockKey(t, timeZone);
      const answer = JSON.stringify(
        dests.map((d) => [
          shippings.map((s) => estimateDelivery(t, d, s)),
          maxMinDaysArrivingWithin(t, d, 0),
          maxMinDaysArrivingWithin(t, d, 1),
        ]),
      );
      const known = seen.get(key);
      if (known === undefined) {
        seen.set(key, answer);
        keys++;
      } else assert.equal(answer, known, `${timeZone} at ${new Date(t).toISOString()} (key ${key})`);
    }
    // Business days have two keys (before and after the cutoff), weekend days one.
    assert.ok(keys >= 45 && keys <= 60, `${keys} keys in ${timeZone}`);
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkTimeline, nextStage, reachedAt, stagesAt, statusAt, type Timeline } from '../../src/kernel/lifecycle.ts';

type Stage = 'accepted' | 'confirmed' | 'shipped' | 'delivered';
const H = 3600_000;
const order: Timeline<Stage> = [
  { stage: 'accepted', at: 0 },
  { stage: 'confirmed', at: 1 * H },
  { stage: 'shipped', at: 24 * H },
  { stage: 'delivered', at: 72 * H },
];

test('time mode: each stage is reached at its planned instant', () => {
  assert.equal(statusAt(order, -1), null, 'before the first stage');
  assert.deepEqual(statusAt(order, 0), { stage: 'accepted', since: 0 });
  assert.deepEqual(statusAt(order, 30 * H), { stage: 'shipped', since: 24 * H });
  assert.deepEqual(statusAt(order, 1000 * H), { stage: 'delivered', since: 72 * H });
  assert.equal(reachedAt(order, 'delivered', 71 * H), null);
  assert.deepEqual(nextStage(order, 30 * H), { stage: 'delivered', plannedAt: 72 * H });
  assert.equal(nextStage(order, 100 * H), null);
});

test('manual mode: stages planned before the switch stay reached, later ones wait to be forced', () => {
  const manual = { manualSince: 10 * H };
  assert.deepEqual(statusAt(order, 500 * H, manual), { stage: 'confirmed', since: 1 * H });
  assert.deepEqual(statusAt(order, 500 * H, { ...manual, forced: [{ stage: 'shipped', at: 400 * H }] }), {
    stage: 'shipped',
    since: 400 * H,
  });
  assert.deepEqual(
    statusAt(order, 500 * H, { manualSince: 0 }),
    { stage: 'accepted', since: 0 },
    'a stage planned at the switch is reached',
  );
});

test('forcing a stage reaches it and every earlier stage at the forced instant, unless time did first', () => {
  const forced = { forced: [{ stage: 'shipped' as const, at: 2 * H }] };
  const states = stagesAt(order, 3 * H, forced);
  assert.deepEqual(
    states.map((s) => [s.stage, s.reachedAt, s.forced]),
    [
      ['accepted', 0, false],
      ['confirmed', 1 * H, false],
      ['shipped', 2 * H, true],
      ['delivered', null, false],
    ],
  );
  assert.deepEqual(statusAt(order, 80 * H, forced), { stage: 'delivered', since: 72 * H }, 'later stages still follow their plan');
  assert.equal(statusAt(order, 1 * H, forced)?.stage, 'confirmed', 'a forcing in the future (the clock was set back) does not count yet');
  const twice = {
    forced: [
      { stage: 'confirmed' as const, at: 0.5 * H },
      { stage: 'delivered' as const, at: 2 * H },
    ],
  };
  assert.deepEqual(
    stagesAt(order, 3 * H, twice).map((s) => s.reachedAt),
    [0, 0.5 * H, 2 * H, 2 * H],
    'the earliest forcing of a stage counts',
  );
});

test('a stage without a planned instant waits to be forced, and the stages after it wait for it', () => {
  const approval: Timeline<'placed' | 'approved' | 'confirmed'> = [
    { stage: 'placed', at: 0 },
    { stage: 'approved', at: null },
    { stage: 'confirmed', at: 1 * H },
  ];
  assert.deepEqual(statusAt(approval, 100 * H), { stage: 'placed', since: 0 });
  const approved = { forced: [{ stage: 'approved' as const, at: 5 * H }] };
  assert.deepEqual(statusAt(approval, 100 * H, approved), { stage: 'confirmed', since: 5 * H }, 'a stage that waited follows at once');
  assert.deepEqual(nextStage(approval, 100 * H), { stage: 'approved', plannedAt: null });
});

test('a malformed timeline is a programming error', () => {
  assert.throws(
    () =>
      checkTimeline([
        { stage: 'a', at: 5 },
        { stage: 'b', at: 4 },
      ]),
    /stage b is planned before/,
  );
  assert.throws(
    () =>
      checkTimeline([
        { stage: 'a', at: 1 },
        { stage: 'a', at: 2 },
      ]),
    /stage a appears twice/,
  );
  assert.throws(() => checkTimeline([{ stage: 'a', at: Number.NaN }]), /no finite planned instant/);
  assert.doesNotThrow(() =>
    checkTimeline([
      { stage: 'a', at: 5 },
      { stage: 'b', at: null },
      { stage: 'c', at: 6 },
    ]),
  );
});

test('property: as now grows the status never goes back, and reached instants never move', () => {
  const stages = ['s0', 's1', 's2', 's3', 's4'] as const;
  const timeline = fc.array(fc.option(fc.integer({ min: 0, max: 1000 }), { nil: null }), { minLength: 5, maxLength: 5 }).map((ats) => {
    let last = 0;
    return stages.map((stage, i) => {
      const at = ats[i] ?? null;
      if (at === null) return { stage, at };
      last = Math.max(last, at);
      return { stage, at: last };
    });
  });
  const overrides = fc.record({
    manualSince: fc.option(fc.integer({ min: 0, max: 1000 }), { nil: null }),
    forced: fc.array(fc.record({ stage: fc.constantFrom(...stages), at: fc.integer({ min: 0, max: 1000 }) }), { maxLength: 3 }),
  });
  fc.assert(
    fc.property(timeline, overrides, fc.integer({ min: -10, max: 1100 }), fc.integer({ min: 0, max: 200 }), (t, o, now, step) => {
      const a = stagesAt(t, now, o);
      const b = stagesAt(t, now + step, o);
      const rank = (s: typeof a) => s.filter((x) => x.reachedAt !== null).length;
      assert.ok(rank(b) >= rank(a));
      for (let i = 0; i < a.length; i++) {
        if (a[i]!.reachedAt !== null) assert.equal(b[i]!.reachedAt, a[i]!.reachedAt);
        if (i > 0 && a[i]!.reachedAt !== null) assert.ok(a[i - 1]!.reachedAt !== null && a[i - 1]!.reachedAt! <= a[i]!.reachedAt!);
      }
    }),
    { numRuns: 500 },
  );
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { trackingAt, type PackageFacts } from '../../../src/modules/purchasing/domain/tracking.ts';
import { DELAY_MS, unit } from '../../../src/modules/purchasing/domain/plan.ts';

const H = 3_600_000;
const T0 = Date.parse('2026-12-01T15:00:00Z');
const facts = (over: Partial<PackageFacts> = {}): PackageFacts => ({
  seed: 'shp_1',
  store: 'US',
  placedAt: T0,
  confirmedAt: T0 + 10 * 60_000,
  shippedAt: T0 + 6 * H,
  deliveredAt: T0 + 48 * H,
  plannedDeliveryAt: T0 + 48 * H,
  delayed: false,
  windowFrom: '2026-12-03T08:00:00Z',
  windowTo: '2026-12-04T20:00:00Z',
  destination: { city: 'Seattle', stateOrRegion: 'WA', countryCode: 'US' },
  ...over,
});

test('before shipping: ORDERED, no scans, the promised window', () => {
  const t = trackingAt(facts(), T0 + H);
  assert.equal(t.status, 'ORDERED');
  assert.deepEqual(t.events, []);
  assert.deepEqual(t.promise, { kind: 'arriving', from: Date.parse('2026-12-03T08:00:00Z'), to: Date.parse('2026-12-04T20:00:00Z') });
});

test('scans appear as time passes, never before they happen, newest first; delivered at the delivery instant', () => {
  const f = facts();
  let seen = 0;
  for (let now = T0 + 6 * H; now <= T0 + 60 * H; now += H) {
    const t = trackingAt(f, now);
    assert.ok(t.events.every((e) => e.at <= now));
    assert.ok(t.events.length >= seen, 'scans never disappear');
    seen = t.events.length;
    assert.deepEqual(
      t.events.map((e) => e.at),
      [...t.events.map((e) => e.at)].sort((a, b) => b - a),
    );
  }
  const done = trackingAt(f, T0 + 60 * H);
  assert.equal(done.status, 'DELIVERED');
  assert.equal(done.events[0]!.kind, 'delivered');
  assert.equal(done.events[0]!.at, T0 + 48 * H);
  assert.equal(trackingAt(f, T0 + 46 * H).status, 'OUT_FOR_DELIVERY');
  assert.equal(trackingAt(f, T0 + 20 * H).status, 'SHIPPED');
});

test('a planned delay shows once it happens: running late in transit, or a failed attempt and a new one a day later', () => {
  // Seeds for each way a delay shows (decided by the shipment's seed).
  const seeds = Array.from({ length: 40 }, (_, i) => `shp_${i}`);
  const attempted = seeds.find((s) => unit(s, 'attempt') < 0.5)!;
  const inTransit = seeds.find((s) => unit(s, 'attempt') >= 0.5)!;
  const delivered = T0 + 48 * H + DELAY_MS;
  for (const seed of [attempted, inTransit]) {
    const f = facts({ seed, delayed: true, deliveredAt: delivered, plannedDeliveryAt: delivered });
    const early = trackingAt(f, T0 + 8 * H);
    assert.equal(early.status, 'SHIPPED', 'the delay is not known before it shows');
    assert.equal(early.promise.kind, 'arriving');
    const kinds = trackingAt(f, delivered + H).events.map((e) => e.kind);
    assert.ok(kinds.includes(seed === attempted ? 'attempted' : 'delayed'), `${seed}: ${kinds.join(',')}`);
    const late = trackingAt(f, seed === attempted ? delivered - DELAY_MS + H : T0 + 48 * H);
    assert.equal(late.status, 'DELAYED', seed);
    assert.equal(late.promise.kind, 'late');
    assert.equal(late.promise.from, delivered);
  }
});

test('deterministic: the same shipment passes the same places', () => {
  const a = trackingAt(facts(), T0 + 60 * H);
  const b = trackingAt(facts(), T0 + 60 * H);
  assert.deepEqual(a, b);
  const de = trackingAt(facts({ store: 'DE', destination: { city: 'Berlin', countryCode: 'DE' } }), T0 + 60 * H);
  assert.ok(de.events.every((e) => e.location.country === 'DE'));
});

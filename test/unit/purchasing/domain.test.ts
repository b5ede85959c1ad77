import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decideLine, minimumAgeOf, type OfferFacts } from '../../../src/modules/purchasing/domain/lines.ts';
import { CONFIRM_AFTER_MS, orderIdentifierFor, planOrder, type PlanLine } from '../../../src/modules/purchasing/domain/plan.ts';
import { nextMilestone, orderAt, type OrderFacts } from '../../../src/modules/purchasing/domain/status.ts';

const offer = (patch: Partial<OfferFacts> = {}): OfferFacts => ({
  offerId: 'o1',
  asin: 'B000000001',
  title: 'Pen',
  merchantId: 'M1',
  stock: 10,
  minQuantity: null,
  maxQuantity: null,
  restrictions: [],
  guidance: 'NONE',
  guidanceRule: null,
  deliveryFrom: '2026-12-03T08:00:00-05:00',
  deliveryTo: '2026-12-04T20:00:00-05:00',
  priceFor: (q) => ({ unitMinor: q >= 5 ? 900 : 1000, subtotalMinor: (q >= 5 ? 900 : 1000) * q, shippingMinor: 500, taxMinor: 70 * q }),
  ...patch,
});
const ask = (quantity: number, more: Partial<Parameters<typeof decideLine>[1]> = {}) => ({
  quantity,
  expectedUnitMinor: null,
  expectedCharges: [],
  ...more,
});
const codesOf = (d: ReturnType<typeof decideLine>) =>
  d.rejected.flatMap((r) => r.artifacts.flatMap((a) => (a.type === 'RejectionCode' ? [a.code] : [])));

test('decideLine: stock and maximum cut the accepted quantity; the tier follows the accepted quantity', () => {
  const d = decideLine(offer({ stock: 6, maxQuantity: 8 }), ask(10));
  assert.equal(d.accepted, 6);
  assert.deepEqual(codesOf(d), ['QUANTITY_LIMIT_EXCEEDED', 'INSUFFICIENT_STOCK']);
  assert.deepEqual(
    d.rejected.map((r) => [r.quantity, r.artifacts[0]]),
    [
      [2, { type: 'AvailableQuantity', quantity: 8 }],
      [2, { type: 'UnavailableQuantity', quantity: 2 }],
    ],
  );
  assert.equal(d.price.unitMinor, 900);
  const none = decideLine(offer({ stock: 0 }), ask(3));
  assert.equal(none.accepted, 0);
  assert.deepEqual(none.rejected[0]!.artifacts[0], { type: 'UnavailableQuantity', quantity: 3 });
});

test('decideLine: blocked, age-restricted and below-minimum lines are rejected whole; restricted asks for approval', () => {
  assert.deepEqual(codesOf(decideLine(offer({ guidance: 'BLOCKED', guidanceRule: 'asin: B000000001' }), ask(1))), [
    'BLOCKED_BY_BUYING_POLICY',
  ]);
  const age = decideLine(offer({ restrictions: [{ type: 'AGE_RESTRICTED', title: 'Must be 18+' }] }), ask(1));
  assert.deepEqual(age.rejected[0]!.artifacts[0], { type: 'AgeRestriction', minimumAge: 18 });
  assert.equal(minimumAgeOf([{ type: 'HAZMAT', title: 'Lithium battery' }]), null);
  assert.deepEqual(codesOf(decideLine(offer({ minQuantity: 3 }), ask(2))), ['BELOW_MINIMUM_QUANTITY']);
  // Stock leaves less than the minimum: nothing can be had.
  assert.equal(decideLine(offer({ minQuantity: 3, stock: 2 }), ask(5)).accepted, 0);
  const restricted = decideLine(offer({ guidance: 'RESTRICTED', guidanceRule: 'category: FURNITURE' }), ask(1));
  assert.equal(restricted.accepted, 1);
  assert.match(restricted.approvalReason!, /FURNITURE/);
  assert.deepEqual(codesOf(decideLine({ miss: 'offer-not-found', offerId: 'x' }, ask(1))), ['BUYING_OPTION_NOT_FOUND']);
});

test('decideLine: expectations compare the price of the accepted quantity', () => {
  assert.equal(decideLine(offer(), ask(5, { expectedUnitMinor: 900 })).accepted, 5, 'at the boundary is kept');
  const broken = decideLine(offer(), ask(2, { expectedUnitMinor: 900 }));
  assert.deepEqual(broken.rejected[0]!.artifacts[0], { type: 'BrokenUnitPriceExpectation', boundaryMinor: 900, actualMinor: 1000 });
  const tax = decideLine(offer(), ask(2, { expectedCharges: [{ source: 'TAX', boundaryMinor: 100 }] }));
  assert.deepEqual(tax.rejected[0]!.artifacts[0], {
    type: 'BrokenChargeExpectation',
    boundaryMinor: 100,
    actualMinor: 140,
    sources: ['TAX'],
  });
});

const T0 = Date.parse('2026-12-02T15:00:00Z');
const lines: PlanLine[] = [
  {
    lineNo: 1,
    merchantId: 'A',
    quantity: 2,
    deliveryFrom: '2026-12-03T08:00:00-05:00',
    deliveryTo: '2026-12-04T20:00:00-05:00',
    addressKey: 'x',
  },
  {
    lineNo: 2,
    merchantId: 'B',
    quantity: 1,
    deliveryFrom: '2026-12-07T08:00:00-05:00',
    deliveryTo: '2026-12-10T20:00:00-05:00',
    addressKey: 'x',
  },
  {
    lineNo: 3,
    merchantId: 'A',
    quantity: 1,
    deliveryFrom: '2026-12-03T08:00:00-05:00',
    deliveryTo: '2026-12-04T20:00:00-05:00',
    addressKey: 'x',
  },
];

test('planOrder: deterministic per seed; shipments by merchant and window (one with CONSOLIDATED); deliveries inside the promised window', () => {
  const a = planOrder('biz|ext-1', T0, 'NA', lines, 'FAST_FREE');
  assert.deepEqual(planOrder('biz|ext-1', T0, 'NA', lines, 'FAST_FREE'), a);
  assert.notEqual(planOrder('biz|ext-2', T0, 'NA', lines, 'FAST_FREE').orderIdentifier, a.orderIdentifier);
  assert.match(orderIdentifierFor('s'), /^\d{3}-\d{7}-\d{7}$/);
  assert.deepEqual(
    a.shipments.map((s) => s.items.map((i) => i.lineNo)),
    [[1, 3], [2]],
  );
  for (const s of a.shipments) {
    const at = T0 + CONFIRM_AFTER_MS + s.deliverAfterMs;
    assert.ok(
      at >= Date.parse(s.windowFrom) && at <= Date.parse(s.windowTo),
      `${new Date(at).toISOString()} in ${s.windowFrom}..${s.windowTo}`,
    );
    assert.ok(s.shipAfterMs > 0 && s.shipAfterMs < s.deliverAfterMs);
  }
  const c = planOrder('biz|ext-1', T0, 'NA', lines, 'CONSOLIDATED');
  assert.equal(c.shipments.length, 1);
  assert.equal(c.shipments[0]!.windowTo, '2026-12-10T20:00:00-05:00');
  // No surprises unless asked; always with a rate of 1.
  assert.equal(a.cancellations.size, 0);
  const all = planOrder('biz|ext-1', T0, 'NA', lines, 'FAST_FREE', { cancel: 1, delay: 1 });
  assert.equal(all.cancellations.size, 3);
  assert.ok(all.shipments.every((s) => s.delayMs > 0));
});

const facts = (patch: Partial<OrderFacts> = {}): OrderFacts => ({
  id: 'ord1',
  placedAt: T0,
  approvalReason: null,
  approvedAt: null,
  declinedAt: null,
  confirmAfterMs: CONFIRM_AFTER_MS,
  lines: [
    { lineNo: 1, accepted: 2, cancelAfterMs: null, cancelledAt: null },
    { lineNo: 2, accepted: 1, cancelAfterMs: null, cancelledAt: null },
  ],
  shipments: [
    { id: 's1', items: [{ lineNo: 1, quantity: 2 }], shipAfterMs: 3_600_000, deliverAfterMs: 86_400_000, delayMs: 0 },
    { id: 's2', items: [{ lineNo: 2, quantity: 1 }], shipAfterMs: 7_200_000, deliverAfterMs: 3 * 86_400_000, delayMs: 0 },
  ],
  ...patch,
});
const H = 3_600_000;

test('orderAt: the status follows the clock through every stage', () => {
  const f = facts();
  const at = (ms: number) => orderAt(f, T0 + ms);
  assert.equal(at(0).status, 'PENDING');
  assert.equal(at(CONFIRM_AFTER_MS).status, 'PAYMENT_CONFIRMED');
  assert.equal(at(CONFIRM_AFTER_MS + H).stage, 'partly shipped');
  assert.equal(at(CONFIRM_AFTER_MS + 2 * H).stage, 'shipped');
  assert.equal(at(CONFIRM_AFTER_MS + 2 * H).status, 'CLOSED');
  assert.equal(at(CONFIRM_AFTER_MS + 3 * 24 * H).stage, 'delivered');
  const delayed = orderAt(
    facts({ shipments: f.shipments.map((s) => ({ ...s, delayMs: 86_400_000 })) }),
    T0 + CONFIRM_AFTER_MS + 3 * 24 * H,
  );
  assert.equal(delayed.stage, 'shipped');
});

test('orderAt: approval holds the order; the plan starts at approval; decline cancels', () => {
  const waiting = facts({ approvalReason: 'limit' });
  assert.equal(orderAt(waiting, T0 + 30 * 24 * H).status, 'PENDING_APPROVAL');
  const approvedAt = T0 + 5 * 24 * H;
  const approved = facts({ approvalReason: 'limit', approvedAt });
  assert.equal(orderAt(approved, approvedAt + CONFIRM_AFTER_MS).status, 'PAYMENT_CONFIRMED');
  assert.equal(orderAt(approved, approvedAt + CONFIRM_AFTER_MS + 3 * 24 * H).stage, 'delivered');
  const declined = orderAt(facts({ approvalReason: 'limit', declinedAt: T0 + H }), T0 + 2 * H);
  assert.deepEqual([declined.status, declined.stage], ['CANCELLED', 'declined']);
  assert.equal(nextMilestone(facts({ approvalReason: 'limit', declinedAt: T0 + H }), declined), null);
});

test('orderAt: a cancelled line\u2019s shipment never ships; all lines cancelled is a cancelled order; forcing and manual mode', () => {
  const one = facts({ lines: [{ lineNo: 1, accepted: 2, cancelAfterMs: 30 * 60_000, cancelledAt: null }, facts().lines[1]!] });
  const later = orderAt(one, T0 + 10 * 24 * H);
  assert.deepEqual(
    later.shipments.map((s) => s.live),
    [false, true],
  );
  assert.equal(later.stage, 'delivered');
  assert.ok(later.cancelledLines.has(1));
  const both = orderAt(facts({ lines: facts().lines.map((l) => ({ ...l, cancelledAt: T0 + 1 })) }), T0 + H);
  assert.equal(both.status, 'CANCELLED');
  const forced = orderAt(facts(), T0 + 1, new Map([['s2', { forced: [{ stage: 'delivered', at: T0 + 1 }] }]]));
  assert.equal(forced.shipments[1]!.deliveredAt, T0 + 1);
  const manual = orderAt(facts(), T0 + 10 * 24 * H, new Map([['ord1', { manualSince: T0 }]]));
  assert.equal(manual.status, 'PENDING');
  const next = nextMilestone(facts(), orderAt(facts(), T0));
  assert.deepEqual(next, { resourceId: 'ord1', stage: 'confirmed' });
});

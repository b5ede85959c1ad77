import { test } from 'node:test';
import assert from 'node:assert/strict';
import { estimateDelivery, maxMinDaysArrivingWithin, zoneDays, type Destination } from '../../../src/modules/catalog/index.ts';

const US: Destination = { market: 'US', timeZone: 'America/New_York', postalCode: '22301' }; // zone 0
const at = (iso: string) => Date.parse(iso);

test('orders before the 14:00 cut-off on a weekday ship the same day', () => {
  const e = estimateDelivery(at('2026-12-02T15:00:00Z'), US, { minDays: 1, maxDays: 2 }); // Wed 10:00 EST
  assert.equal(e.minDate, '2026-12-03');
  assert.equal(e.maxDate, '2026-12-04');
  assert.equal(e.min, '2026-12-03T08:00:00-05:00');
  assert.equal(e.max, '2026-12-04T20:00:00-05:00');
});

test('after the cut-off they ship the next business day; weekends are skipped', () => {
  const afterCutoff = estimateDelivery(at('2026-12-02T20:00:00Z'), US, { minDays: 1, maxDays: 2 }); // Wed 15:00
  assert.equal(afterCutoff.minDate, '2026-12-04');
  const friday = estimateDelivery(at('2026-12-04T20:00:00Z'), US, { minDays: 1, maxDays: 1 }); // Fri 15:00 -> Mon dispatch
  assert.equal(friday.minDate, '2026-12-08');
  const saturday = estimateDelivery(at('2026-12-05T15:00:00Z'), US, { minDays: 0, maxDays: 0 });
  assert.equal(saturday.minDate, '2026-12-07');
});

test('the postal code adds zone days; unknown or missing codes add one', () => {
  const now = at('2026-12-02T15:00:00Z');
  assert.equal(estimateDelivery(now, { ...US, postalCode: '99501' }, { minDays: 1, maxDays: 1 }).minDate, '2026-12-08'); // Alaska +3
  assert.equal(estimateDelivery(now, { ...US, postalCode: 'nope' }, { minDays: 1, maxDays: 1 }).minDate, '2026-12-04');
  assert.equal(estimateDelivery(now, { market: 'US', timeZone: 'America/New_York' }, { minDays: 1, maxDays: 1 }).minDate, '2026-12-04');
  assert.equal(zoneDays('UK', 'SW1A 1AA'), 0);
  assert.equal(zoneDays('UK', 'IV1 1AA'), 2);
  assert.equal(zoneDays('CA', 'M5V 2T6'), 0);
  assert.equal(zoneDays('DE', '10115'), 1);
  assert.equal(zoneDays('US', '1234'), null);
});

test('shipping abroad adds the international days', () => {
  const e = estimateDelivery(at('2026-12-02T15:00:00Z'), { ...US, country: 'CA', postalCode: 'M5V 2T6' }, { minDays: 1, maxDays: 2 });
  assert.equal(e.minDate, '2026-12-09');
});

test('offsets follow daylight saving time in the marketplace zone', () => {
  const july = estimateDelivery(at('2026-07-01T14:00:00Z'), US, { minDays: 0, maxDays: 0 });
  assert.equal(july.min, '2026-07-01T08:00:00-04:00');
  const berlin = estimateDelivery(at('2026-12-02T09:00:00Z'), { market: 'DE', timeZone: 'Europe/Berlin', postalCode: '60311' }, { minDays: 1, maxDays: 1 });
  assert.equal(berlin.min, '2026-12-03T08:00:00+01:00');
});

test('Get It Today needs a same-day offer, a near postal code and an order before the cut-off', () => {
  assert.equal(maxMinDaysArrivingWithin(at('2026-12-02T15:00:00Z'), US, 0), 0);
  assert.equal(maxMinDaysArrivingWithin(at('2026-12-02T15:00:00Z'), US, 1), 1);
  assert.equal(maxMinDaysArrivingWithin(at('2026-12-02T20:00:00Z'), US, 0), -1);
  assert.equal(maxMinDaysArrivingWithin(at('2026-12-02T15:00:00Z'), { ...US, postalCode: '99501' }, 1), -1);
  assert.equal(maxMinDaysArrivingWithin(at('2026-12-05T15:00:00Z'), US, 1), -1); // Saturday
});

test('the same inputs always give the same estimate', () => {
  const a = estimateDelivery(at('2026-12-02T15:00:00Z'), US, { minDays: 2, maxDays: 5 });
  const b = estimateDelivery(at('2026-12-02T15:00:00Z'), US, { minDays: 2, maxDays: 5 });
  assert.deepEqual(a, b);
});

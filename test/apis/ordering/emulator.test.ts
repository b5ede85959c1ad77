import { test } from 'node:test';
import assert from 'node:assert/strict';
import { line, orderingWorld, orderingWorldOn } from '../../support/ordering.ts';
import { isolatedDatabase } from '../../support/isolated.ts';

// The operator's levers on orders under /_emulator/ordering: advance to the next milestone, approve
// and decline, seller cancellations, delays, manual transitions; all behind the operator key.

// A database of its own: the manual transition mode below would hold every other file's orders.
const o = await orderingWorld({}, { isolated: true });
const { pen, chair } = o.products;
const key = await o.app.services.operators.createAdminKey('ordering-emulator');
const emu = (method: 'GET' | 'POST', url: string, payload?: unknown, auth = `Bearer ${key}`) =>
  o.app.server.inject({
    method,
    url: `/_emulator/ordering${url}`,
    headers: { authorization: auth },
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
const place = async (externalId: string, lines = [line('1', 1, { asin: pen.asin }), line('2', 1, { offer: chair.offers[1]!.offerId })]) => {
  const res = await o.place(o.body(externalId, lines));
  assert.equal(res.statusCode, 200, res.body);
  return (await o.app.services.purchasing.findByExternalId(o.business.id, externalId))!;
};

test('the controls need the operator key', async () => {
  const order = await place('emu-0');
  for (const auth of ['', 'Bearer bza_wrong'])
    assert.equal((await emu('POST', `/orders/${order.id}/advance`, undefined, auth)).statusCode, 401);
  assert.equal((await emu('GET', `/orders/${order.orderIdentifier}`)).statusCode, 200);
});

test('advance moves an order one milestone at a time, by its Amazon order id, to delivery', async () => {
  const order = await place('emu-1');
  const stages: string[] = [];
  for (let i = 0; i < 10; i++) {
    const res = await emu('POST', `/orders/${order.orderIdentifier}/advance`);
    assert.equal(res.statusCode, 200, res.body);
    const { reached, order: now } = res.json();
    if (!reached) break;
    stages.push(`${reached.stage}:${now.stage}`);
  }
  // Confirmed, then two shipments each shipped and delivered, earliest first.
  assert.equal(stages[0], 'confirmed:confirmed');
  assert.equal(stages.filter((s) => s.startsWith('shipped')).length, 2);
  assert.equal(stages.filter((s) => s.startsWith('delivered')).length, 2);
  assert.equal(stages.at(-1), 'delivered:delivered');
  const d = (await o.details('emu-1')).json();
  assert.equal(d.acceptanceArtifacts.filter((a: { acceptanceArtifactType: string }) => a.acceptanceArtifactType === 'Shipment').length, 2);
});

test('a seller cancellation removes the line\u2019s quantity: orderDetails shows it rejected; a shipped line can no longer be cancelled', async () => {
  const order = await place('emu-2');
  const res = await emu('POST', `/orders/${order.id}/cancel-line`, { lineExternalId: '2' });
  assert.equal(res.statusCode, 200, res.body);
  assert.equal(res.json().lines[1].cancelled, 1);
  const d = (await o.details('emu-2')).json();
  const l2 = d.lineItems.find((l: { externalId: string }) => l.externalId === '2');
  assert.deepEqual(l2.acceptedItems, []);
  assert.equal(l2.rejectedItems[0].artifacts[0].code, 'SELLER_CANCELLED');
  // Move it along: line 1 ships; its cancellation is then refused.
  for (let i = 0; i < 3; i++) await emu('POST', `/orders/${order.id}/advance`);
  const summary = (await emu('GET', `/orders/${order.id}`)).json();
  assert.equal(summary.shipments.filter((s: { live: boolean }) => !s.live).length, 1, 'the cancelled line\u2019s shipment never ships');
  const late = await emu('POST', `/orders/${order.id}/cancel-line`, { lineExternalId: '1' });
  assert.equal(late.statusCode, 409, late.body);
  assert.equal((await emu('POST', `/orders/${order.id}/cancel-line`, { lineExternalId: '9' })).statusCode, 404);
});

test('a delay pushes a shipment\u2019s delivery later; the package\u2019s delivery range moves with it', async () => {
  const order = await place('emu-3', [line('1', 1, { asin: pen.asin })]);
  const before = (await emu('GET', `/orders/${order.id}`)).json().shipments[0].plannedDeliveryAt;
  const res = await emu('POST', `/orders/${order.id}/delay`, { days: 3 });
  assert.equal(res.statusCode, 200, res.body);
  const after = res.json().shipments[0];
  assert.equal(Date.parse(after.plannedDeliveryAt) - Date.parse(before), 3 * 86_400_000);
  assert.equal(after.delayed, true);
  assert.equal((await emu('POST', `/orders/${order.id}/delay`, { days: 0 })).statusCode, 400);
});

test('manual transitions: time moves no order; advance still does; back to time, orders catch up', async () => {
  const order = await place('emu-4', [line('1', 1, { asin: pen.asin })]);
  assert.equal((await emu('POST', '/transitions', { mode: 'manual' })).json().mode, 'manual');
  try {
    await o.advance(10 * 86_400_000);
    assert.equal((await o.app.services.purchasing.get(order.id)).status, 'PENDING');
    await emu('POST', `/orders/${order.id}/advance`);
    assert.equal((await o.app.services.purchasing.get(order.id)).status, 'PAYMENT_CONFIRMED');
  } finally {
    assert.equal((await emu('POST', '/transitions', { mode: 'time' })).json().mode, 'time');
  }
  assert.equal((await o.app.services.purchasing.get(order.id)).stage, 'delivered');
});

test('approve and decline from the emulator; the list answers every order of a business', async () => {
  await o.app.services.accounts.updateGroupOrdering('test', o.business.id, o.group.id, { approvalLimitMinor: 100 });
  try {
    const a = await place('emu-5', [line('1', 1, { asin: pen.asin })]);
    const b = await place('emu-6', [line('1', 1, { asin: pen.asin })]);
    assert.equal((await emu('POST', `/orders/${a.id}/approve`)).json().status, 'PENDING');
    assert.equal((await emu('POST', `/orders/${b.id}/decline`)).json().status, 'CANCELLED');
    assert.equal((await emu('POST', `/orders/${b.id}/approve`)).statusCode, 409);
  } finally {
    await o.app.services.accounts.updateGroupOrdering('test', o.business.id, o.group.id, { approvalLimitMinor: null });
  }
  const list = (await emu('GET', `/orders?businessId=${o.business.id}`)).json().orders;
  assert.ok(list.length >= 7);
  assert.equal((await emu('GET', '/orders/no-such-order')).statusCode, 404);
});

test('orders and their overrides are covered by snapshots and by reset', async () => {
  const iso = await isolatedDatabase();
  const app = await iso.build();
  const w = await orderingWorldOn(app);
  const k = await app.services.operators.createAdminKey('ordering-snapshot');
  const auth = { authorization: `Bearer ${k}` };
  assert.equal((await w.place(w.body('snap-1', [line('1', 1, { asin: w.products.pen.asin })]))).statusCode, 200);
  const order = (await app.services.purchasing.findByExternalId(w.business.id, 'snap-1'))!;
  await app.server.inject({ method: 'POST', url: `/_emulator/ordering/orders/${order.id}/advance`, headers: auth });
  const before = (await app.services.purchasing.get(order.id)).status;
  assert.equal(before, 'PAYMENT_CONFIRMED');
  const saved = await app.server.inject({ method: 'GET', url: '/_emulator/snapshot', headers: auth });
  assert.equal(saved.statusCode, 200);
  assert.ok(saved.json().tables.purchasing_orders.rows.length >= 1);

  const reset = await app.server.inject({ method: 'POST', url: '/_emulator/reset', headers: auth, payload: { seed: false } });
  assert.equal(reset.statusCode, 200, reset.body);
  await assert.rejects(app.services.purchasing.get(order.id), /was not found/);

  const loaded = await app.server.inject({
    method: 'POST',
    url: '/_emulator/snapshot',
    headers: { ...auth, 'content-type': 'application/json' },
    payload: saved.body,
  });
  assert.equal(loaded.statusCode, 200, loaded.body);
  const back = await app.services.purchasing.get(order.id);
  assert.equal(back.status, before, 'the forced confirmation came back with the order');
  assert.equal(back.orderIdentifier, order.orderIdentifier);
});

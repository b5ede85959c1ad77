import { test } from 'node:test';
import assert from 'node:assert/strict';
import { artifacts, line, orderingWorld } from '../../support/ordering.ts';
import { gatewayWorld } from '../../support/gateway.ts';

const o = await orderingWorld();
const { pen, chair } = o.products;
const DAY = 86_400_000;
type Result = Parameters<typeof artifacts>[0] & { rejectionArtifacts: unknown[] };
const details = async (externalId: string): Promise<Result> => {
  const res = await o.details(externalId);
  assert.equal(res.statusCode, 200, res.body);
  return res.json() as Result;
};
let n = 0;
const id = () => `od-${Date.now()}-${++n}`;

test('an order followed to delivery by moving the clock: shipments appear when they ship, their packages carry tracking numbers', async () => {
  const externalId = id();
  const placed = await o.place(o.body(externalId, [line('1', 2, { asin: pen.asin }), line('2', 1, { offer: chair.offers[1]!.offerId })]));
  assert.equal(placed.statusCode, 200, placed.body);
  const identifier = artifacts(placed.json(), '1', 'OrderIdentifier')[0]!.identifier;

  const atOnce = await details(externalId);
  assert.deepEqual(artifacts(atOnce, null, 'Signed').length, 1);
  assert.deepEqual(artifacts(atOnce, null, 'Shipment'), [], 'nothing has shipped yet');
  assert.deepEqual(artifacts(atOnce, '1', 'OrderIdentifier')[0]!.identifier, identifier);
  assert.equal((await o.app.services.purchasing.findByExternalId(o.business.id, externalId))!.status, 'PENDING');

  await o.advance(DAY);
  const view = (await o.app.services.purchasing.findByExternalId(o.business.id, externalId))!;
  // Two merchants, two windows: two shipments, each with one package.
  assert.equal(view.shipments.length, 2);
  const shipped = await details(externalId);
  const shipments = artifacts(shipped, null, 'Shipment') as {
    identifier: string;
    packages: { packageReference: { value: string }; packageAttributes: { carrierName: string; packageId: string }[] }[];
  }[];
  assert.ok(shipments.length >= 1, 'the fast shipment has left within a day');
  for (const s of shipments) {
    assert.ok(s.packages[0]!.packageReference.value.length > 8);
    assert.ok(s.packages[0]!.packageAttributes[0]!.carrierName);
  }
  const groups = artifacts(shipped, '1', 'ShipmentGroup') as {
    identifier: string;
    quantity: number;
    packageReferences: { value: string }[];
  }[];
  assert.equal(groups[0]!.quantity, 2);
  assert.equal(
    groups[0]!.packageReferences[0]!.value,
    shipments.find((s) => s.identifier === groups[0]!.identifier)!.packages[0]!.packageReference.value,
  );

  await o.advance(14 * DAY);
  const done = (await o.app.services.purchasing.findByExternalId(o.business.id, externalId))!;
  assert.equal(done.status, 'CLOSED');
  assert.equal(done.stage, 'delivered');
  const final = await details(externalId);
  assert.equal(artifacts(final, null, 'Shipment').length, 2);
  for (const s of done.shipments) assert.ok(s.deliveredAt !== null && s.deliveredAt >= s.shippedAt!);
});

test('orderDetails: an unknown id and another business\u2019s order are both 404; the user email is required', async () => {
  const externalId = id();
  assert.equal((await o.place(o.body(externalId))).statusCode, 200);
  const unknown = await o.details('never-placed');
  assert.equal(unknown.statusCode, 404);
  assert.equal(unknown.json().errors[0].code, 'NotFound');

  // A second business with its own app and buyer cannot see the first one's order.
  const other = await gatewayWorld(o.app);
  const t = await other.tokenFor(['Amazon Business Order Placement']);
  const res = await o.app.server.inject({
    method: 'GET',
    url: `/na/ordering/2022-10-30/orders/${externalId}`,
    headers: { 'x-amz-access-token': t.accessToken, 'x-amz-user-email': other.buyer.email },
  });
  assert.equal(res.statusCode, 404, res.body);

  const noEmail = await o.app.server.inject({
    method: 'GET',
    url: `/na/ordering/2022-10-30/orders/${externalId}`,
    headers: { 'x-amz-access-token': o.headers['x-amz-access-token'] },
  });
  assert.equal(noEmail.statusCode, 400);
});

test('approval: an order waiting for approval does not move with the clock; once approved it is confirmed and follows its plan from then', async () => {
  await o.app.services.accounts.updateGroupOrdering('test', o.business.id, o.group.id, { approvalLimitMinor: 1_000 });
  const externalId = id();
  try {
    assert.equal((await o.place(o.body(externalId, [line('1', 5, { asin: pen.asin })]))).statusCode, 200);
  } finally {
    await o.app.services.accounts.updateGroupOrdering('test', o.business.id, o.group.id, { approvalLimitMinor: null });
  }
  await o.advance(5 * DAY);
  let order = (await o.app.services.purchasing.findByExternalId(o.business.id, externalId))!;
  assert.equal(order.status, 'PENDING_APPROVAL');
  assert.deepEqual(artifacts(await details(externalId), null, 'Shipment'), []);
  order = await o.app.services.purchasing.approve('user:admin', o.business.id, order.id);
  assert.equal(order.status, 'PENDING');
  await o.advance(20 * 60_000);
  assert.equal((await o.app.services.purchasing.get(order.id)).status, 'PAYMENT_CONFIRMED');
  await o.advance(10 * DAY);
  assert.equal((await o.app.services.purchasing.get(order.id)).stage, 'delivered');
  await assert.rejects(o.app.services.purchasing.approve('user:admin', o.business.id, order.id), /not waiting for approval/);
});

test('a declined order is cancelled and never ships', async () => {
  await o.app.services.accounts.updateGroupOrdering('test', o.business.id, o.group.id, { approvalLimitMinor: 1_000 });
  const externalId = id();
  try {
    assert.equal((await o.place(o.body(externalId, [line('1', 5, { asin: pen.asin })]))).statusCode, 200);
  } finally {
    await o.app.services.accounts.updateGroupOrdering('test', o.business.id, o.group.id, { approvalLimitMinor: null });
  }
  const order = (await o.app.services.purchasing.findByExternalId(o.business.id, externalId))!;
  await o.app.services.purchasing.decline('user:admin', o.business.id, order.id);
  await o.advance(10 * DAY);
  const after = await o.app.services.purchasing.get(order.id);
  assert.equal(after.status, 'CANCELLED');
  const d = await details(externalId);
  assert.deepEqual(artifacts(d, null, 'Signed'), []);
  assert.deepEqual(artifacts(d, null, 'Shipment'), []);
  assert.equal((d.rejectionArtifacts[0] as { code: string }).code, 'APPROVAL_DECLINED');
});

test('the request log links a placeOrder call and an orderDetails call to the order, with the buyer', async () => {
  const externalId = id();
  const placed = await o.place(o.body(externalId));
  const identifier = artifacts(placed.json(), '1', 'OrderIdentifier')[0]!.identifier;
  await o.details(externalId);
  await o.app.emulator.requestLog.flush();
  const entries = await o.app.emulator.requestLog.list({ limit: 10 });
  const place = entries.find((e) => e.operation === 'placeOrder' && e.resource === `order:${identifier}`);
  assert.ok(place, JSON.stringify(entries.slice(0, 3)));
  assert.equal(place.userEmail, o.buyer.email);
  assert.ok(entries.some((e) => e.operation === 'orderDetails' && e.resource === `order:${identifier}`));
});

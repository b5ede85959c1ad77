import { test } from 'node:test';
import assert from 'node:assert/strict';
import { line, orderingWorld } from '../../support/ordering.ts';

const DAY = 86_400_000;
type Money = { currencyCode: string; amount: string };
type Order = {
  orderId: string;
  orderStatus: string;
  orderQuantity: number;
  orderNetTotal: Money;
  orderSubTotal: Money;
  lineItems?: { asin: string; itemQuantity: number; itemNetTotal: Money; transactionIds: string[]; carrierTrackingNumbers: string[] }[];
  shipments?: { carrierTracking: string; shipmentNetTotal: Money; deliveryInformation: { deliveryStatus: string } }[];
  charges?: { transactionId: string; amount: Money; paymentInstrumentType: string; paymentInstrumentLast4Digits: string | null }[];
};

test('the legacy order history: the same orders and amounts as strings, line items, shipments and charges on request (true/false/1/0)', async () => {
  const o = await orderingWorld();
  const start = new Date(o.app.clock.now() - DAY).toISOString();
  const placed = await o.place(
    o.body('legacy-1', [line('1', 2, { asin: o.products.pen.asin }), line('2', 1, { asin: o.products.chair.asin })]),
  );
  assert.equal(placed.statusCode, 200, placed.body);
  const order = (await o.app.services.purchasing.findByExternalId(o.business.id, 'legacy-1'))!;
  const get = (path: string) => o.app.server.inject({ method: 'GET', url: `/na/reports/2021-01-08${path}`, headers: o.headers });
  const range = () => `startDate=${encodeURIComponent(start)}&endDate=${encodeURIComponent(new Date(o.app.clock.now()).toISOString())}`;

  const bare = await get(`/orders?${range()}`);
  assert.equal(bare.statusCode, 200, bare.body);
  const [b] = (bare.json() as { orders: Order[]; size: number }).orders;
  assert.equal(b!.orderId, order.orderIdentifier);
  assert.equal(b!.orderQuantity, 3);
  assert.equal(b!.orderNetTotal.amount, (order.totalMinor / 100).toFixed(2));
  assert.equal(typeof b!.orderNetTotal.amount, 'string');
  assert.equal(b!.lineItems, undefined);
  assert.equal(b!.shipments, undefined);
  assert.equal(b!.charges, undefined);

  await o.advance(20 * DAY);
  for (const flag of ['true', '1', 'TRUE']) {
    const res = await get(`/orders/${order.orderIdentifier}?includeLineItems=${flag}&includeShipments=${flag}&includeCharges=${flag}`);
    assert.equal(res.statusCode, 200, res.body);
    const [full] = (res.json() as { orders: Order[] }).orders;
    assert.equal(full!.orderStatus, 'Closed');
    assert.deepEqual(
      full!.lineItems!.map((l) => [l.asin, l.itemQuantity]),
      [
        [o.products.pen.asin, 2],
        [o.products.chair.asin, 1],
      ],
    );
    const cents = (m: Money) => Math.round(Number(m.amount) * 100);
    assert.equal(
      full!.lineItems!.reduce((n, l) => n + cents(l.itemNetTotal), 0),
      order.totalMinor,
    );
    assert.equal(
      full!.shipments!.reduce((n, s) => n + cents(s.shipmentNetTotal), 0),
      order.totalMinor,
    );
    assert.ok(full!.shipments!.every((s) => s.deliveryInformation.deliveryStatus === 'DELIVERED'));
    assert.equal(
      full!.charges!.reduce((n, c) => n + cents(c.amount), 0),
      order.totalMinor,
    );
    assert.ok(full!.charges!.every((c) => c.paymentInstrumentType === 'Credit Card' && c.paymentInstrumentLast4Digits === '4242'));
    const chargeIds = new Set(full!.charges!.map((c) => c.transactionId));
    assert.ok(full!.lineItems!.every((l) => l.transactionIds.length > 0 && l.transactionIds.every((id) => chargeIds.has(id))));
    const tracking = new Set(full!.shipments!.map((s) => s.carrierTracking));
    assert.ok(full!.lineItems!.every((l) => l.carrierTrackingNumbers.every((t) => tracking.has(t))));
  }
  const off = await get(`/orders/${order.orderIdentifier}?includeLineItems=0&includeCharges=false`);
  assert.equal((off.json() as { orders: Order[] }).orders[0]!.lineItems, undefined);

  const bad = await get(`/orders/${order.orderIdentifier}?includeLineItems=yes`);
  assert.equal(bad.statusCode, 400);
  assert.equal(bad.json().errors[0].code, 'INVALID_REQUEST_PARAMETER');
  const unknown = await get(`/orders/114-0000000-0000000`);
  assert.equal(unknown.statusCode, 404, unknown.body);
  const reversed = await get(
    `/orders?startDate=${encodeURIComponent(new Date(o.app.clock.now()).toISOString())}&endDate=${encodeURIComponent(start)}`,
  );
  assert.equal(reversed.statusCode, 400);
});

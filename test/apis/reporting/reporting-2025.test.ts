import { test } from 'node:test';
import assert from 'node:assert/strict';
import { attr, line, orderingWorld } from '../../support/ordering.ts';

const DAY = 86_400_000;
const BASE = '/na/reports/2025-06-09';
type Json = Record<string, unknown>;
type Money = { currencyCode: string; amount: number };
type Charge = { type: string; amount: Money };

const chargeOf = (charges: Charge[], type: string): number => charges.find((c) => c.type === type)!.amount.amount;

async function reportingWorld() {
  const o = await orderingWorld();
  const start = new Date(o.app.clock.now() - DAY).toISOString();
  const get = (path: string) => o.app.server.inject({ method: 'GET', url: `${BASE}${path}`, headers: o.headers });
  const ok = async (path: string): Promise<Json> => {
    const res = await get(path);
    assert.equal(res.statusCode, 200, res.body);
    return res.json() as Json;
  };
  const range = () =>
    `orderStartDate=${encodeURIComponent(start)}&orderEndDate=${encodeURIComponent(new Date(o.app.clock.now()).toISOString())}`;
  return { o, get, ok, range, start };
}

test('orders placed through the Ordering API are in the order, line, shipment and shipment line reports with the same ids and amounts', async () => {
  const { o, get, ok, range } = await reportingWorld();
  const placed = await o.place(
    o.body('rep-1', [line('1', 3, { asin: o.products.pen.asin }), line('2', 2, { asin: o.products.paper.asin })], {
      attributes: [attr.po('PO-REP-1')],
    }),
  );
  assert.equal(placed.statusCode, 200, placed.body);
  const order = (await o.app.services.purchasing.findByExternalId(o.business.id, 'rep-1'))!;

  const orders = (await ok(`/orderReports?${range()}`)) as { ordersReport: Json[]; size: number; nextPageToken?: string };
  assert.equal(orders.size, 1);
  assert.equal(orders.nextPageToken, undefined);
  const r = orders.ordersReport[0] as {
    orderMetadata: Json;
    purchaseOrderNumber: string;
    orderStatus: string;
    charges: Charge[];
    buyingCustomer: Json;
    buyerGroup: Json;
  };
  assert.deepEqual(r.orderMetadata, { orderDate: new Date(order.placedAt).toISOString(), orderId: order.orderIdentifier, region: 'US' });
  assert.equal(r.purchaseOrderNumber, 'PO-REP-1');
  assert.equal(r.orderStatus, order.status);
  assert.equal(r.buyingCustomer.email, o.buyer.email);
  assert.equal(r.buyerGroup.name, o.group.name);
  assert.deepEqual(
    r.charges.map((c) => c.type),
    ['SUBTOTAL', 'SHIPPING_AND_HANDLING', 'TAX', 'NET_TOTAL'],
  );
  assert.equal(chargeOf(r.charges, 'NET_TOTAL'), order.totalMinor / 100);
  assert.equal(chargeOf(r.charges, 'SUBTOTAL'), order.subtotalMinor / 100);

  const lines = (await ok(`/orderLineItemReports?${range()}`)) as {
    orderLineItemsReport: { orderLineItemId: string; quantity: number; unitPrice: Money; productDetails: Json; charges: Charge[] }[];
  };
  assert.deepEqual(
    lines.orderLineItemsReport.map((l) => [l.orderLineItemId, l.quantity, l.productDetails.asin]),
    [
      ['1', 3, o.products.pen.asin],
      ['2', 2, o.products.paper.asin],
    ],
  );
  const lineNet = lines.orderLineItemsReport.reduce((n, l) => n + Math.round(chargeOf(l.charges, 'NET_TOTAL') * 100), 0);
  assert.equal(lineNet, order.totalMinor);

  // Before shipping the shipments are SHIPPING_SOON (confirmed) or SHIPPED_PLANNED; after, SHIPPED, and delivered later.
  const before = (await ok(`/shipmentReports?${range()}`)) as {
    shipmentsReport: { shipmentStatus: string; shipmentMetadata: { shipmentId: string } }[];
  };
  assert.deepEqual(
    before.shipmentsReport.map((s) => s.shipmentMetadata.shipmentId).sort(),
    order.shipments.map((s) => s.identifier).sort(),
  );
  assert.ok(before.shipmentsReport.every((s) => ['SHIPPING_SOON', 'SHIPPED_PLANNED'].includes(s.shipmentStatus)));
  await o.advance(20 * DAY);
  const after = (await ok(`/shipmentReports?${range()}&shipmentStatuses=SHIPPED`)) as {
    shipmentsReport: { shipmentStatus: string; charges: Charge[]; deliveryInfo: { status: string } }[];
  };
  assert.equal(after.shipmentsReport.length, order.shipments.length);
  assert.ok(after.shipmentsReport.every((s) => s.deliveryInfo.status === 'DELIVERED'));
  const shipNet = after.shipmentsReport.reduce((n, s) => n + Math.round(chargeOf(s.charges, 'NET_TOTAL') * 100), 0);
  assert.equal(shipNet, order.totalMinor);
  assert.equal(((await ok(`/shipmentReports?${range()}&shipmentStatuses=SHIPPING_SOON`)) as { size: number }).size, 0);

  const items = (await ok(`/shipmentLineItemReports?${range()}&purchaseOrderNumbers=PO-REP-1`)) as {
    shipmentLineItemsReport: {
      quantity: number;
      packages: { trackingId: string }[];
      receivingInfo: { status: string; quantity: number };
    }[];
  };
  assert.equal(
    items.shipmentLineItemsReport.reduce((n, i) => n + i.quantity, 0),
    5,
  );
  assert.ok(
    items.shipmentLineItemsReport.every((i) => i.receivingInfo.status === 'ALL_ITEMS_RECEIVED' && i.receivingInfo.quantity === i.quantity),
  );
  const tracking = new Set(order.shipments.map((s) => s.trackingNumber));
  assert.ok(items.shipmentLineItemsReport.every((i) => tracking.has(i.packages[0]!.trackingId)));

  const byPo = (await ok(`/purchaseOrders/PO-REP-1/orderReports`)) as { ordersReport: { orderStatus: string; orderMetadata: Json }[] };
  assert.equal(byPo.ordersReport.length, 1);
  assert.equal(byPo.ordersReport[0]!.orderStatus, 'CLOSED');
  assert.equal(((await ok(`/purchaseOrders/PO-NONE/orderReports`)) as { size: number }).size, 0);
  assert.equal(((await ok(`/orderReports?${range()}&orderStatuses=CLOSED`)) as { size: number }).size, 1);
  assert.equal(((await ok(`/orderReports?${range()}&orderStatuses=PENDING_APPROVAL,CANCELLED`)) as { size: number }).size, 0);
  // Tokens are per marketplace: another store, of the endpoint or not, answers the gateway's 403 for a
  // token used where it does not belong; the CA store with a CA token has none of the US orders.
  for (const store of ['CA', 'DE']) {
    const other = await get(`/orderReports?${range()}&region=${store}`);
    assert.equal(other.statusCode, 403, store);
    assert.deepEqual(other.json(), { errors: [{ message: 'Access to requested resource is denied.', code: 'Unauthorized', details: '' }] });
  }
  const ca = await o.app.server.inject({
    method: 'GET',
    url: `${BASE}/orderReports?${range()}&region=CA`,
    headers: await o.headersIn('CA'),
  });
  assert.equal(ca.statusCode, 200, ca.body);
  assert.equal((ca.json() as { size: number }).size, 0);
  // Without a region, the token's marketplace: the CA token sees none of the US orders either.
  const caAll = await o.app.server.inject({ method: 'GET', url: `${BASE}/orderReports?${range()}`, headers: await o.headersIn('CA') });
  assert.equal((caAll.json() as { size: number }).size, 0);
  assert.ok(((await ok(`/orderReports?${range()}`)) as { size: number }).size > 0);
});

test('pages of 100 rows cover every line once, stay the same while orders are placed, and a tampered token is a 400', async () => {
  const { o, ok, get, range } = await reportingWorld();
  for (let i = 0; i < 26; i++) {
    const res = await o.place(
      o.body(`page-${i}`, [
        line('1', 1, { asin: o.products.pen.asin }),
        line('2', 2, { asin: o.products.paper.asin }),
        line('3', 1, { asin: o.products.chair.asin }),
        line('4', 2, { asin: o.products.pen.asin }),
      ]),
    );
    assert.equal(res.statusCode, 200, res.body);
    o.app.clock.advance(1000);
  }
  const q = range();
  const first = (await ok(`/orderLineItemReports?${q}`)) as {
    orderLineItemsReport: { orderMetadata: { orderId: string }; orderLineItemId: string }[];
    size: number;
    nextPageToken: string;
  };
  assert.equal(first.size, 100);
  assert.ok(first.nextPageToken);
  // An order placed now (inside the range) does not shift the walk.
  await o.place(o.body('late', [line('1', 1, { asin: o.products.pen.asin })]));
  const second = (await ok(`/orderLineItemReports?${q}&nextPageToken=${encodeURIComponent(first.nextPageToken)}`)) as typeof first;
  assert.equal(second.size, 4);
  assert.equal(second.nextPageToken, undefined);
  const keys = [...first.orderLineItemsReport, ...second.orderLineItemsReport].map(
    (l) => `${l.orderMetadata.orderId}/${l.orderLineItemId}`,
  );
  assert.equal(new Set(keys).size, 104);

  const tampered = first.nextPageToken.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'));
  for (const token of [tampered, 'garbage', `${first.nextPageToken}x`]) {
    const res = await get(`/orderLineItemReports?${q}&nextPageToken=${encodeURIComponent(token)}`);
    assert.equal(res.statusCode, 400, res.body);
    assert.equal(res.json().errors[0].code, 'INVALID_REQUEST_PARAMETER');
  }
  // A token with another query is refused too.
  const other = await get(`/orderLineItemReports?${q}&region=US&nextPageToken=${encodeURIComponent(first.nextPageToken)}`);
  assert.equal(other.statusCode, 400);
});

test("bad dates and filters get the model examples' errors", async () => {
  const { o, get } = await reportingWorld();
  const now = o.app.clock.now();
  const iso = (ms: number) => new Date(ms).toISOString();
  const cases: [string, number, string, RegExp][] = [
    [`/orderReports?orderEndDate=${iso(now)}`, 400, 'INVALID_REQUEST_PARAMETER', /The required parameter orderStartDate is missing/],
    [
      `/orderLineItemReports?orderStartDate=${iso(now)}&orderEndDate=${iso(now - DAY)}`,
      400,
      'INVALID_REQUEST_PARAMETER',
      /before or equal to orderEndDate/,
    ],
    [`/shipmentReports?orderStartDate=${iso(now)}&orderEndDate=${iso(now - DAY)}`, 400, 'InvalidInput', /Invalid date range/],
    [`/shipmentLineItemReports?orderStartDate=${iso(now)}&orderEndDate=${iso(now - DAY)}`, 400, 'InvalidInput', /Invalid date range/],
    [`/orderReports?orderStartDate=yesterday&orderEndDate=${iso(now)}`, 400, 'INVALID_REQUEST_PARAMETER', /ISO8601/],
    [`/orderReports?orderStartDate=2025-02-30T00:00:00Z&orderEndDate=${iso(now)}`, 400, 'INVALID_REQUEST_PARAMETER', /ISO8601/],
    [`/orderReports?orderStartDate=${iso(now - 400 * DAY)}&orderEndDate=${iso(now)}`, 400, 'INVALID_REQUEST_PARAMETER', /366 days/],
    [`/orderReports?orderStartDate=${iso(now)}&orderEndDate=${iso(now + DAY)}`, 400, 'INVALID_REQUEST_PARAMETER', /future/],
    [
      `/orderReports?orderStartDate=${iso(now - DAY)}&orderEndDate=${iso(now)}&orderStatuses=SHIPPED`,
      400,
      'INVALID_REQUEST_PARAMETER',
      /orderStatuses/,
    ],
    [
      `/shipmentReports?orderStartDate=${iso(now - DAY)}&orderEndDate=${iso(now)}&shipmentStatuses=LOST`,
      400,
      'INVALID_REQUEST_PARAMETER',
      /shipmentStatuses/,
    ],
    [`/orderReports?orderStartDate=${iso(now - DAY)}&orderEndDate=${iso(now)}&region=XX`, 400, 'INVALID_REQUEST_PARAMETER', /region/],
    [
      `/orderLineItemReports?orderStartDate=${iso(now - DAY)}&orderEndDate=${iso(now)}&orderIds=${Array.from({ length: 31 }, (_, i) => i).join(',')}`,
      400,
      'INVALID_REQUEST_PARAMETER',
      /at most 30/,
    ],
    [`/purchaseOrders/%20/orderReports`, 400, 'INVALID_REQUEST_PARAMETER', /purchaseOrderNumber is missing or invalid/],
  ];
  for (const [path, status, code, message] of cases) {
    const res = await get(path);
    assert.equal(res.statusCode, status, `${path}: ${res.body}`);
    const e = res.json().errors[0];
    assert.equal(e.code, code, path);
    assert.match(e.message, message, path);
  }
  // Dates without an offset are UTC (as the sandbox's examples write them).
  const plain = await get(`/orderReports?orderStartDate=${iso(now - DAY).slice(0, 19)}&orderEndDate=${iso(now).slice(0, 19)}`);
  assert.equal(plain.statusCode, 200, plain.body);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isolatedDatabase } from '../../support/isolated.ts';
import { DEMO, DEMO_HISTORY, generateHistory, seedDemo } from '../../../src/modules/demo/index.ts';

const DAY = 86_400_000;

async function demoWorld() {
  const app = await (await isolatedDatabase()).build({ seedDemo: true });
  await seedDemo(app.ctx, app.services);
  const orders = await app.services.purchasing.ordersInRange(
    { businessId: DEMO.businessId, from: 0, to: app.clock.now(), limit: 10_000 },
    app.clock.now(),
  );
  return { app, orders };
}

test('the demo world has an order history: 120 days of orders in every state, split shipments, cancellations, returns and both payment terms', async () => {
  const { app, orders } = await demoWorld();
  assert.ok(orders.length >= 140 && orders.length <= DEMO_HISTORY.orders, `${orders.length} orders`);
  const now = app.clock.now();
  assert.ok(orders[0]!.placedAt >= now - 121 * DAY && orders.at(-1)!.placedAt < now);
  const statuses = new Set(orders.map((o) => o.status));
  for (const s of ['CLOSED', 'CANCELLED']) assert.ok(statuses.has(s as never), `no ${s} order: ${[...statuses]}`);
  assert.ok(
    orders.some((o) => o.shipments.length > 1),
    'no split shipment',
  );
  assert.ok(
    orders.some((o) => o.cancelled.size > 0),
    'no seller cancellation',
  );
  assert.ok(
    orders.some((o) => o.returns.length > 0),
    'no return',
  );
  assert.ok(
    orders.some((o) => o.declinedAt !== null),
    'no declined order',
  );
  assert.ok(
    orders.some((o) => o.approvedAt !== null && o.approvalReason !== null),
    'no approved order',
  );
  assert.ok(orders.some((o) => o.purchaseOrderNumber !== null));
  assert.deepEqual(new Set(orders.map((o) => o.paymentMethod)), new Set(DEMO.groups.map((g) => g.paymentMethod)));
  const invoices = orders.flatMap((o) => app.services.purchasing.invoices(o));
  assert.ok(
    invoices.some((i) => i.type === 'CREDIT_MEMO'),
    'no credit memo',
  );
  // Every shipped shipment has its invoice, and the invoices of a fully shipped order add up to its total.
  const closed = orders.find((o) => o.status === 'CLOSED' && o.cancelled.size === 0 && o.returns.length === 0)!;
  assert.equal(
    app.services.purchasing.invoices(closed).reduce((n, i) => n + i.totalMinor, 0),
    closed.totalMinor,
  );
});

test('the history is the same every time (order ids and invoice numbers), and generating it again adds nothing', async () => {
  const [a, b] = [await demoWorld(), await demoWorld()];
  const key = (o: (typeof a.orders)[number]) => `${o.orderIdentifier}|${o.shipments.map((s) => s.invoiceNumber).join(',')}`;
  assert.deepEqual(a.orders.map(key), b.orders.map(key));
  const again = await generateHistory(a.app.ctx, a.app.services, DEMO_HISTORY);
  assert.equal(again.placed, 0);
  // A larger history under another seed comes on top.
  const more = await generateHistory(a.app.ctx, a.app.services, { orders: 400, days: 30, seed: 'more' });
  assert.ok(more.placed >= 380, `${more.placed}`);
  const after = await a.app.services.purchasing.ordersInRange(
    { businessId: DEMO.businessId, from: 0, to: a.app.clock.now(), limit: 10_000 },
    a.app.clock.now(),
  );
  assert.equal(after.length, a.orders.length + more.placed);
  await assert.rejects(generateHistory(a.app.ctx, a.app.services, { orders: 0, days: 30, seed: 'x' }), /whole number/);
});

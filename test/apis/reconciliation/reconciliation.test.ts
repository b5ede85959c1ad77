import { test } from 'node:test';
import assert from 'node:assert/strict';
import { line, orderingWorld, orderingWorldOn } from '../../support/ordering.ts';

const DAY = 86_400_000;
const BASE = '/na/reconciliation/2021-01-08';
type Money = { currencyCode: string; amount: string };
type Transaction = {
  transactionType: string;
  transactionId: string;
  invoiceNumber: string;
  amount: Money;
  paymentInstrumentType: string;
  feedDate: string;
  marketplaceId: string;
  transactionLineItems: {
    orderId: string;
    orderLineItemId: string;
    shipmentId: string;
    itemQuantity: number;
    totalAmount: Money;
    refundReason?: string;
  }[];
};
const cents = (m: Money) => Math.round(Number(m.amount) * 100);

async function world(paymentMethod?: string) {
  const o = await orderingWorld();
  if (paymentMethod) await o.app.services.accounts.updateGroupOrdering('test', o.business.id, o.group.id, { paymentMethod });
  const start = o.app.clock.now();
  const call = (method: 'GET' | 'POST', path: string, payload?: unknown) =>
    o.app.server.inject({
      method,
      url: `${BASE}${path}`,
      headers: o.headers,
      ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }),
    });
  const transactions = async (): Promise<Transaction[]> => {
    const q = `feedStartDate=${encodeURIComponent(new Date(start).toISOString())}&feedEndDate=${encodeURIComponent(new Date(o.app.clock.now()).toISOString())}`;
    const res = await call('GET', `/transactions?${q}`);
    assert.equal(res.statusCode, 200, res.body);
    return (res.json() as { transactions: Transaction[] }).transactions;
  };
  return { o, call, transactions };
}

test('a charge per shipment when it ships, invoices by line item, a refund after a return, all adding up to the order', async () => {
  const { o, call, transactions } = await world();
  const placed = await o.place(
    o.body('rec-1', [line('1', 4, { asin: o.products.pen.asin }), line('2', 2, { asin: o.products.paper.asin })]),
  );
  assert.equal(placed.statusCode, 200, placed.body);
  assert.deepEqual(await transactions(), []);
  await o.advance(20 * DAY);
  const order = (await o.app.services.purchasing.findByExternalId(o.business.id, 'rec-1'))!;
  const charges = await transactions();
  assert.equal(charges.length, order.shipments.length);
  assert.ok(
    charges.every(
      (t) => t.transactionType === 'CHARGE' && t.marketplaceId === 'ATVPDKIKX0DER' && t.paymentInstrumentType === 'Credit Card',
    ),
  );
  assert.equal(
    charges.reduce((n, t) => n + cents(t.amount), 0),
    order.totalMinor,
  );
  assert.deepEqual(charges.map((t) => t.invoiceNumber).sort(), order.shipments.map((s) => s.invoiceNumber).sort());

  // The invoice of each line item in its shipment.
  const wanted = charges.flatMap((t) =>
    t.transactionLineItems.map((l) => ({ orderId: l.orderId, orderLineItemId: l.orderLineItemId, shipmentId: l.shipmentId })),
  );
  const inv = await call('POST', '/invoices', { orderLineItems: wanted });
  assert.equal(inv.statusCode, 200, inv.body);
  const details = inv.json().invoiceDetailsByOrderLineItems as {
    orderLineItem: { shipmentId: string };
    invoiceDetails: { invoiceNumber: string; invoiceType: string; invoiceTotal: string }[];
  }[];
  for (const d of details) {
    assert.equal(d.invoiceDetails.length, 1);
    assert.equal(
      d.invoiceDetails[0]!.invoiceNumber,
      order.shipments.find((s) => s.identifier === d.orderLineItem.shipmentId)!.invoiceNumber,
    );
  }

  // Card payments are closed when charged.
  const pay = await call('POST', '/invoices/batch/paymentDetails', { invoiceIds: [charges[0]!.invoiceNumber, 'NOPE-NOPE-NOPE'] });
  assert.equal(pay.statusCode, 200, pay.body);
  const results = pay.json().invoicePaymentDetailsResults as {
    invoiceId: string;
    resultType: string;
    paymentDetails?: { status: string };
  }[];
  assert.equal(results[0]!.resultType, 'SUCCESS');
  assert.equal(results[0]!.paymentDetails!.status, 'Closed');
  assert.equal(results[1]!.resultType, 'ERROR');

  // A return of one pen: a refund of its price and tax (not shipping), after the refund delay, with a credit memo.
  await o.app.services.purchasing.returnItems('test', o.business.id, order.id, '1', 1, 'Damaged');
  assert.equal((await transactions()).length, charges.length);
  await o.advance(3 * DAY);
  const after = await transactions();
  const refund = after.find((t) => t.transactionType === 'REFUND')!;
  assert.ok(refund);
  const pen = order.lines.find((l) => l.externalId === '1')!;
  assert.equal(-cents(refund.amount), pen.price.unitMinor + Math.round(pen.price.taxMinor / 4));
  assert.equal(refund.transactionLineItems[0]!.refundReason, 'Damaged');
  const memo = await call('POST', '/invoices', {
    orderLineItems: [{ orderId: order.orderIdentifier, orderLineItemId: '1', shipmentId: refund.transactionLineItems[0]!.shipmentId }],
  });
  const types = (memo.json().invoiceDetailsByOrderLineItems[0].invoiceDetails as { invoiceType: string }[]).map((d) => d.invoiceType);
  assert.deepEqual(types, ['STANDARD', 'CREDIT_MEMO']);
  // More than was delivered cannot be returned, also by returns at once: of two returns of 2 of the 3 items left, one is refused.
  await assert.rejects(o.app.services.purchasing.returnItems('test', o.business.id, order.id, '1', 4, ''), /can be returned/);
  const both = await Promise.allSettled(
    [1, 2].map(() => o.app.services.purchasing.returnItems('test', o.business.id, order.id, '1', 2, '')),
  );
  assert.deepEqual(both.map((r) => r.status).sort(), ['fulfilled', 'rejected']);
  const after2 = await o.app.services.purchasing.get(order.id);
  assert.equal(
    after2.returns.filter((r) => r.lineNo === 1).reduce((n, r) => n + r.quantity, 0),
    3,
  );
});

test('pay by invoice: issued when shipped, due after the term, closed when paid on the virtual clock', async () => {
  const { o, call, transactions } = await world('Pay by Invoice (net 30)');
  assert.equal((await o.place(o.body('inv-1', [line('1', 1, { asin: o.products.pen.asin })]))).statusCode, 200);
  await o.advance(10 * DAY);
  const [t] = await transactions();
  assert.equal(t!.paymentInstrumentType, 'Pay by Invoice');
  const status = async () => {
    const res = await call('POST', '/invoices/batch/paymentDetails', { invoiceIds: [t!.invoiceNumber] });
    return res.json().invoicePaymentDetailsResults[0].paymentDetails as { status: string; dueDate: string };
  };
  const issued = await status();
  assert.equal(issued.status, 'Issued');
  // Due 30 days after the invoice date (the transaction's; its feed date is an hour later).
  assert.equal(Date.parse(issued.dueDate) - Date.parse(t!.feedDate), 30 * DAY - 3_600_000);
  await o.advance(45 * DAY);
  assert.equal((await status()).status, 'Closed');
});

test("bad input gets the sandbox examples' errors; another business's invoices are not found", async () => {
  const { o, call } = await world();
  const bad = await call('GET', '/transactions?feedStartDate=incorrectFormatDate&feedEndDate=2020-08-01T00:00:00');
  assert.equal(bad.statusCode, 400);
  assert.match(bad.json().errors[0].message, /Input date \[incorrectFormatDate\] is not in the expected ISO8601 format/);
  const empty = await call('POST', '/invoices');
  assert.equal(empty.statusCode, 400);
  assert.equal(empty.json().errors[0].message, 'Missing required request parameters.');
  const noIds = await call('POST', '/invoices/batch/paymentDetails', { invoiceIds: [] });
  assert.equal(noIds.statusCode, 400);
  assert.match(noIds.json().errors[0].details, /at least one invoice ID/);
  const tooMany = await call('POST', '/invoices', {
    orderLineItems: Array.from({ length: 26 }, () => ({ orderId: 'a', orderLineItemId: '1', shipmentId: 's' })),
  });
  assert.equal(tooMany.statusCode, 400);
  const tampered = await call(
    'GET',
    `/transactions?feedStartDate=2026-01-01T00:00:00Z&feedEndDate=2026-02-01T00:00:00Z&nextPageToken=abc.def`,
  );
  assert.equal(tampered.statusCode, 400);

  // An order of another business: its line items have no invoices here, its invoice numbers are errors.
  const other = await orderingWorldOn(o.app);
  assert.equal((await other.place(other.body('theirs', [line('1', 1, { asin: other.products.pen.asin })]))).statusCode, 200);
  await o.advance(10 * DAY);
  const theirs = (await other.app.services.purchasing.findByExternalId(other.business.id, 'theirs'))!;
  const res = await call('POST', '/invoices/batch/paymentDetails', { invoiceIds: [theirs.shipments[0]!.invoiceNumber] });
  assert.equal(res.statusCode, 200, res.body);
  assert.equal(res.json().invoicePaymentDetailsResults[0].resultType, 'ERROR');
  // …while the other business sees it.
  await other.refresh();
  const mine = await other.app.server.inject({
    method: 'POST',
    url: `${BASE}/invoices/batch/paymentDetails`,
    headers: other.headers,
    payload: JSON.stringify({ invoiceIds: [theirs.shipments[0]!.invoiceNumber] }),
  });
  assert.equal(mine.json().invoicePaymentDetailsResults[0].resultType, 'SUCCESS', mine.body);
});

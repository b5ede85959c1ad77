import { test } from 'node:test';
import assert from 'node:assert/strict';
import { attr, line, orderingWorld, summedCharges } from '../support/ordering.ts';
import { DAY, US, pdfPages, reportClient, tick } from '../apis/document/support.ts';
import { PageClient, signIn, textOf } from '../support/pages.ts';

// One order, placed through the Ordering API, walked through every API that reads it: the same
// ids, amounts and statuses in Ordering, Package Tracking, Reporting 2025, Reporting 2021,
// Reconciliation and the Document API's invoice PDF.

type Json = Record<string, unknown>;
const cents = (amount: number | string): number => Math.round(Number(amount) * 100);

test('placeOrder → shipments → the same order in every API, page and document', async () => {
  const o = await orderingWorld();
  const from = new Date(o.app.clock.now() - 1000).toISOString();
  const placed = await o.place(
    o.body('every-api-1', [line('1', 3, { asin: o.products.pen.asin }), line('2', 1, { asin: o.products.chair.asin })], {
      attributes: [attr.po('PO-EVERY-1')],
    }),
  );
  assert.equal(placed.statusCode, 200, placed.body);
  const placedTotal = [...summedCharges(placed.json()).values()].reduce((a, b) => a + b, 0);
  await o.advance(20 * DAY);
  const order = (await o.app.services.purchasing.findByExternalId(o.business.id, 'every-api-1'))!;
  assert.equal(order.status, 'CLOSED');
  const to = new Date(o.app.clock.now()).toISOString();
  const get = async (url: string): Promise<Json> => {
    const res = await o.app.server.inject({ method: 'GET', url, headers: o.headers });
    assert.equal(res.statusCode, 200, `${url}: ${res.body}`);
    return res.json() as Json;
  };
  const post = async (url: string, payload: unknown): Promise<Json> => {
    const res = await o.app.server.inject({ method: 'POST', url, headers: o.headers, payload: JSON.stringify(payload) });
    assert.equal(res.statusCode, 200, `${url}: ${res.body}`);
    return res.json() as Json;
  };
  const shipmentIds = order.shipments.map((s) => s.identifier).sort();
  const tracking = order.shipments.map((s) => s.trackingNumber).sort();
  const invoiceNumbers = order.shipments.map((s) => s.invoiceNumber).sort();

  // Ordering: the order total as placed (the sum of its accepted charges).
  assert.equal(Math.round(placedTotal * 100), order.totalMinor);
  const details = (await o.details('every-api-1')).json() as Json;
  assert.match(JSON.stringify(details), new RegExp(order.orderIdentifier));

  // Package Tracking: every package delivered, with the tracking number the reports give.
  for (const s of order.shipments) {
    const t = await get(
      `/na/ab-tracking/2025-07-02/orders/${order.orderIdentifier}/shipments/${s.identifier}/packages/${s.packageId}?region=US`,
    );
    const d = t.packageTrackingDetails as { trackingStatus: string; carrierDetails: { carrierTrackingId: string } };
    assert.equal(d.trackingStatus, 'DELIVERED');
    assert.equal(d.carrierDetails.carrierTrackingId, s.trackingNumber);
  }

  // Reporting 2025.
  const range25 = `orderStartDate=${encodeURIComponent(from)}&orderEndDate=${encodeURIComponent(to)}`;
  const r25 = (await get(`/na/reports/2025-06-09/orderReports?${range25}`)).ordersReport as {
    orderMetadata: { orderId: string };
    orderStatus: string;
    purchaseOrderNumber: string;
    charges: { type: string; amount: { amount: number } }[];
  }[];
  assert.equal(r25.length, 1);
  assert.equal(r25[0]!.orderMetadata.orderId, order.orderIdentifier);
  assert.equal(r25[0]!.orderStatus, 'CLOSED');
  assert.equal(r25[0]!.purchaseOrderNumber, 'PO-EVERY-1');
  assert.equal(cents(r25[0]!.charges.find((c) => c.type === 'NET_TOTAL')!.amount.amount), order.totalMinor);
  const s25 = (await get(`/na/reports/2025-06-09/shipmentReports?${range25}`)).shipmentsReport as {
    shipmentMetadata: { shipmentId: string };
    charges: { type: string; amount: { amount: number } }[];
  }[];
  assert.deepEqual(s25.map((s) => s.shipmentMetadata.shipmentId).sort(), shipmentIds);
  const sl25 = (await get(`/na/reports/2025-06-09/shipmentLineItemReports?${range25}`)).shipmentLineItemsReport as {
    packages: { trackingId: string }[];
  }[];
  assert.deepEqual([...new Set(sl25.map((s) => s.packages[0]!.trackingId))].sort(), tracking);

  // Reporting 2021.
  const r21 = (await get(`/na/reports/2021-01-08/orders/${order.orderIdentifier}?includeLineItems=1&includeShipments=1&includeCharges=1`))
    .orders as {
    orderStatus: string;
    orderNetTotal: { amount: string };
    shipments: { carrierTracking: string }[];
    charges: { transactionId: string; amount: { amount: string } }[];
  }[];
  assert.equal(r21[0]!.orderStatus, 'Closed');
  assert.equal(cents(r21[0]!.orderNetTotal.amount), order.totalMinor);
  assert.deepEqual(r21[0]!.shipments.map((s) => s.carrierTracking).sort(), tracking);

  // Reconciliation: the same charges (ids and amounts), one invoice per shipment.
  const tx = (
    await get(`/na/reconciliation/2021-01-08/transactions?feedStartDate=${encodeURIComponent(from)}&feedEndDate=${encodeURIComponent(to)}`)
  ).transactions as { transactionId: string; invoiceNumber: string; amount: { amount: string } }[];
  assert.deepEqual(tx.map((t) => t.transactionId).sort(), r21[0]!.charges.map((c) => c.transactionId).sort());
  assert.deepEqual(tx.map((t) => t.invoiceNumber).sort(), invoiceNumbers);
  assert.equal(
    tx.reduce((n, t) => n + cents(t.amount.amount), 0),
    order.totalMinor,
  );
  const pay = (await post('/na/reconciliation/2021-01-08/invoices/batch/paymentDetails', { invoiceIds: invoiceNumbers }))
    .invoicePaymentDetailsResults as { resultType: string; paymentDetails: { status: string } }[];
  assert.ok(pay.every((p) => p.resultType === 'SUCCESS' && p.paymentDetails.status === 'Closed'));

  // Document API: the invoice PDF of the order names each invoice, the order and its totals.
  const docs = await reportClient(o.app, o);
  const reportId = await docs.create({
    reportType: 'GET_AB_INVOICE_PDF',
    marketplaceIds: [US],
    reportOptions: { orderId: order.orderIdentifier },
  });
  tick(o.app, 60_000);
  const report = await docs.report(reportId);
  assert.equal(report.processingStatus, 'DONE', JSON.stringify(report));
  const { res } = await docs.download(String(report.reportDocumentId));
  assert.equal(res.statusCode, 200);
  const text = (await pdfPages(res.rawPayload)).join('\n');
  for (const n of invoiceNumbers) assert.ok(text.includes(n), `invoice ${n} not in the PDF`);
  assert.ok(text.includes(order.orderIdentifier));
  const invoices = o.app.services.purchasing.invoices(order);
  for (const i of invoices) assert.ok(text.includes((i.totalMinor / 100).toFixed(2)), `total ${i.totalMinor} not in the PDF`);

  // The business admin's invoices page lists the same invoices, and the order page the same status.
  const admin = new PageClient(o.app);
  assert.equal((await signIn(admin, '/business', { email: o.admin.email, password: o.password })).status, 303);
  const page = textOf((await admin.get('/business/invoices')).body);
  for (const n of invoiceNumbers) assert.match(page, new RegExp(n));
});

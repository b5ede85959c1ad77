import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PageClient, signIn, textOf } from '../../support/pages.ts';
import { gatewayWorld } from '../../support/gateway.ts';
import { documentWorld, pdfPages, tick, US } from './support.ts';

// Where people see it: the business admin's invoices (each downloads as a PDF) and payments, and the
// operator console's report jobs.

const w = await documentWorld();
const purchasing = w.o.app.services.purchasing;
const admin = new PageClient(w.o.app);
assert.equal((await signIn(admin, '/business', { email: w.o.admin.email, password: w.o.password })).status, 303);

test('business admin: invoices with their totals and payment status, payments, and each invoice as a PDF', async () => {
  const orders = await purchasing.list(w.o.business.id, 10);
  const invoices = orders.flatMap((o) => purchasing.invoices(o));
  assert.ok(invoices.length >= 2);
  const page = await admin.get('/business/invoices');
  assert.equal(page.status, 200);
  const text = textOf(page.body);
  for (const i of invoices) {
    assert.match(text, new RegExp(i.number));
    assert.ok(page.body.includes(`href="/business/invoices/${i.number}/pdf"`));
  }
  assert.match(text, /Payments/);
  assert.match(text, /Visa ending in 4242/);
  assert.match(text, /Pay by Invoice \(Net 30\)/);
  assert.match(text, /Closed|Issued|Payment Processing|Past Due/);

  const url = `/business/invoices/${invoices[0]!.number}/pdf`;
  // Without the session cookie, no PDF.
  assert.notEqual((await w.o.app.server.inject({ method: 'GET', url })).statusCode, 200);
  const res = await w.o.app.server.inject({ method: 'GET', url, headers: { cookie: `bizapi_bu=${admin.cookie('bizapi_bu')!}` } });
  assert.equal(res.statusCode, 200);
  assert.equal(res.headers['content-type'], 'application/pdf');
  const [text0] = await pdfPages(res.rawPayload);
  assert.ok(text0!.includes(invoices[0]!.number));
  assert.equal((await admin.get('/business/invoices/ZZZZ-0000-0000/pdf')).status, 404);

  // Another business's administrator gets a 404 for this invoice.
  const other = await gatewayWorld(w.o.app);
  const foreign = new PageClient(w.o.app);
  await signIn(foreign, '/business', { email: other.admin.email, password: other.password });
  assert.equal((await foreign.get(`/business/invoices/${invoices[0]!.number}/pdf`)).status, 404);
  assert.doesNotMatch(textOf((await foreign.get('/business/invoices')).body), new RegExp(invoices[0]!.number));
});

test('operator console: report jobs of every business with their status', async () => {
  const queued = await w.create({ reportType: 'GET_AB_INVOICES_DATA', marketplaceIds: [US] });
  const done = await w.create({
    reportType: 'GET_AB_TRANSACTIONS_DATA',
    marketplaceIds: [US],
    dataStartTime: new Date(w.started).toISOString(),
  });
  tick(w.o.app, 30_000);
  const later = await w.create({ reportType: 'GET_AB_ORDER_LINE_ITEMS_DATA', marketplaceIds: [US] });
  const key = await w.o.app.services.operators.createAdminKey('reports-page');
  const ops = new PageClient(w.o.app);
  assert.equal((await signIn(ops, '/console', { key })).status, 303);
  const page = await ops.get('/console/reports');
  assert.equal(page.status, 200);
  const text = textOf(page.body);
  for (const id of [queued, done, later]) assert.match(text, new RegExp(id));
  assert.match(text, new RegExp(`${later}\\s+GET_AB_ORDER_LINE_ITEMS_DATA`));
  assert.match(text, /IN_QUEUE/);
  assert.match(text, /DONE/);
  assert.match(text, new RegExp(w.o.business.name));
  // Business administrators do not reach the console.
  assert.notEqual((await admin.get('/console/reports')).status, 200);
});

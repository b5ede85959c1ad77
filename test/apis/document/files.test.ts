import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decimal, pdfMoney } from '../../../src/modules/documents/index.ts';
import type { OrderView } from '../../../src/modules/purchasing/index.ts';
import { csvRecords, DAY, documentWorld, pdfPages, reportClient, tick, US } from './support.ts';

// The documents are real files made from the purchasing data: CSV reports parsed back and checked
// against it, invoice PDFs opened and read back; presigned URLs expire and refuse any change; a
// document never changes once made.

const w = await documentWorld();
const since = new Date(w.started - DAY).toISOString();
const purchasing = w.o.app.services.purchasing;
const ordersNow = async (): Promise<OrderView[]> => [
  ...(
    await purchasing.ordersByIdentifier(
      w.o.business.id,
      (await purchasing.list(w.o.business.id, 50)).map((o) => o.orderIdentifier),
      w.o.app.clock.now(),
    )
  ).values(),
];

/** Creates a report, lets it finish and answers its document's bytes and URL. */
async function finished(body: Record<string, unknown>, client: Pick<typeof w, 'create' | 'report' | 'download'> = w) {
  const id = await client.create({ marketplaceIds: [US], dataStartTime: since, ...body });
  tick(w.o.app, 30_000);
  const report = await client.report(id);
  assert.equal(report.processingStatus, 'DONE', JSON.stringify(report));
  const { url, res } = await client.download(String(report.reportDocumentId));
  assert.equal(res.statusCode, 200, res.body);
  return { id, report, url, res };
}

test('GET_AB_INVOICES_DATA: one row per invoice, RFC 4180, totals equal the purchasing module\u2019s invoices', async () => {
  const { res } = await finished({ reportType: 'GET_AB_INVOICES_DATA' });
  assert.equal(res.headers['content-type'], 'text/csv; charset=utf-8');
  assert.match(String(res.headers['content-disposition']), /^attachment; filename="GET_AB_INVOICES_DATA_\d+\.csv"$/);
  const rows = csvRecords(res.body);
  const invoices = (await ordersNow()).flatMap((o) => purchasing.invoices(o).map((i) => ({ o, i })));
  assert.ok(invoices.length >= 2, 'both orders shipped');
  assert.deepEqual(rows.map((r) => r['Invoice Number']).sort(), invoices.map((x) => x.i.number).sort());
  for (const { o, i } of invoices) {
    const row = rows.find((r) => r['Invoice Number'] === i.number)!;
    assert.equal(row.Total, decimal(i.totalMinor, i.currency));
    assert.equal(row.Tax, decimal(i.taxMinor, i.currency));
    assert.equal(row['Order ID'], o.orderIdentifier);
    assert.equal(row['Due Date'], new Date(i.dueAt).toISOString());
  }
  // A field with a comma and quotes survives the round trip.
  assert.ok(rows.some((r) => r['Purchase Order Number'] === 'PO, "quoted"'));
  assert.ok(res.body.includes('"PO, ""quoted"""'));
  const invoiceTerms = rows.filter((r) => r['Payment Terms'] === 'Net 30');
  assert.ok(
    invoiceTerms.length >= 1 &&
      invoiceTerms.every((r) => ['Issued', 'Payment Processing', 'Past Due', 'Closed'].includes(r['Payment Status']!)),
  );
});

test('GET_AB_ORDER_LINE_ITEMS_DATA and GET_AB_TRANSACTIONS_DATA add up to the orders and their charges', async () => {
  const lines = csvRecords((await finished({ reportType: 'GET_AB_ORDER_LINE_ITEMS_DATA' })).res.body);
  const orders = await ordersNow();
  assert.equal(
    lines.length,
    orders.reduce((n, o) => n + o.lines.length, 0),
  );
  for (const o of orders) {
    const mine = lines.filter((l) => l['Order ID'] === o.orderIdentifier);
    const subtotal = mine.reduce((n, l) => n + Math.round(Number(l['Item Subtotal']) * 100), 0);
    assert.equal(subtotal, o.subtotalMinor, o.orderIdentifier);
    assert.equal(
      mine.reduce((n, l) => n + Math.round(Number(l['Line Total']) * 100), 0),
      o.totalMinor,
      o.orderIdentifier,
    );
  }
  const tx = csvRecords((await finished({ reportType: 'GET_AB_TRANSACTIONS_DATA' })).res.body);
  const expected = orders.flatMap((o) => purchasing.transactions(o));
  assert.equal(tx.length, expected.length);
  const sum = tx.reduce((n, t) => n + Math.round(Number(t.Amount) * 100), 0);
  assert.equal(
    sum,
    expected.reduce((n, t) => n + t.amountMinor, 0),
  );
  assert.ok(tx.some((t) => t['Payment Instrument Type'] === 'Credit Card' && t['Card Last 4'] === '4242'));
});

test('GET_AB_INVOICE_PDF: one invoice by number is a PDF whose text reads its number, order, lines and total', async () => {
  const [order] = (await ordersNow()).filter((o) => o.externalId === 'doc-1');
  const invoice = purchasing.invoices(order!)[0]!;
  const { res } = await finished({ reportType: 'GET_AB_INVOICE_PDF', reportOptions: { invoiceNumber: invoice.number } });
  assert.equal(res.headers['content-type'], 'application/pdf');
  assert.equal(res.headers['content-disposition'], `attachment; filename="Invoice_${invoice.number}.pdf"`);
  const bytes = res.rawPayload;
  assert.equal(bytes.subarray(0, 5).toString('latin1'), '%PDF-');
  const [page, ...more] = await pdfPages(bytes);
  assert.equal(more.length, 0);
  for (const text of [
    'INVOICE',
    invoice.number,
    order!.orderIdentifier,
    w.o.business.name,
    'PO, "quoted"',
    invoice.lines[0]!.asin!,
    pdfMoney(invoice.totalMinor, invoice.currency),
    pdfMoney(invoice.taxMinor, invoice.currency),
    'Charged at shipment',
    'Seattle',
  ])
    assert.ok(page!.includes(text), `the page reads ${text}: ${page}`);

  // An invoice and an order that is not its own: nothing to report, the job cancels itself.
  const other = (await ordersNow()).find((o) => o.externalId === 'doc-2')!;
  const mismatch = await w.create({
    reportType: 'GET_AB_INVOICE_PDF',
    marketplaceIds: [US],
    reportOptions: { invoiceNumber: invoice.number, orderId: other.orderIdentifier },
  });
  tick(w.o.app, 30_000);
  assert.equal((await w.report(mismatch)).processingStatus, 'CANCELLED');

  // Every invoice of the range: one page each.
  const all = await finished({ reportType: 'GET_AB_INVOICE_PDF' });
  const pages = await pdfPages(all.res.rawPayload);
  const issued = (await ordersNow()).flatMap((o) => purchasing.invoices(o));
  assert.equal(pages.length, issued.length);
  for (const i of issued)
    assert.equal(pages.filter((p) => p.includes(i.number) && p.includes(pdfMoney(i.totalMinor, i.currency))).length, 1);
});

test('download URLs: 5 minutes on the server clock; an altered URL or an expired one is a 403; a document never changes', async () => {
  const { report, url, res } = await finished({ reportType: 'GET_AB_INVOICES_DATA' });
  const u = new URL(url);
  assert.equal(u.pathname, `/documents/${String(report.reportDocumentId)}`);
  const get = (path: string) => w.o.app.server.inject({ method: 'GET', url: path });
  const token = u.searchParams.get('token')!;
  const expires = u.searchParams.get('expires')!;
  const flip = (s: string) => `${s.slice(0, -1)}${s.endsWith('0') ? '1' : '0'}`;
  for (const altered of [
    `${u.pathname}?expires=${expires}&token=${flip(token)}`,
    `${u.pathname}?expires=${Number(expires) + 3600}&token=${token}`,
    `${u.pathname}?expires=${expires}`,
    `${u.pathname}`,
    `/documents/0356cf79-b8b0-4226-b4b9-0ee058ea5760?expires=${expires}&token=${token}`,
  ]) {
    const r = await get(altered);
    assert.equal(r.statusCode, 403, altered);
    assert.equal((r.json() as { errors: { code: string }[] }).errors[0]!.code, 'AccessDenied');
  }
  tick(w.o.app, 4 * 60_000);
  assert.equal((await get(`${u.pathname}${u.search}`)).statusCode, 200);
  tick(w.o.app, 61_000);
  const expired = await get(`${u.pathname}${u.search}`);
  assert.equal(expired.statusCode, 403);
  assert.match(expired.body, /expired/);

  // New data and time passing change nothing in a document that is done: the same bytes.
  const [order] = (await ordersNow()).filter((o) => o.externalId === 'doc-1');
  await purchasing.returnItems('test', w.o.business.id, order!.id, '1', 1, 'Too many pens');
  tick(w.o.app, 10 * DAY);
  const fresh = await reportClient(w.o.app, w.o);
  const again = await fresh.download(String(report.reportDocumentId));
  assert.equal(again.res.body, res.body);
  assert.notEqual(again.url, url, 'a new URL each time');
  // A report made now sees the credit memo.
  const later = csvRecords((await finished({ reportType: 'GET_AB_INVOICES_DATA' }, fresh)).res.body);
  assert.ok(later.some((r) => r['Invoice Type'] === 'CREDIT_MEMO'));
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { orderingWorldOn } from '../../support/ordering.ts';
import { CA, DAY, DE, documentWorld, reportClient, REPORTS, tick, US, type Json } from './support.ts';

// Report jobs follow the virtual clock (IN_QUEUE, IN_PROGRESS, then their outcome), the emulator's
// manual mode and levers; cancelReport only while a job waits or runs; createReport's refusals.

// A database of its own: the manual transition mode below would hold every other file's report jobs.
const w = await documentWorld({ isolated: true });
const since = new Date(w.started - DAY).toISOString();
const invoices = { reportType: 'GET_AB_INVOICES_DATA', marketplaceIds: [US], dataStartTime: since };
const key = await w.o.app.services.operators.createAdminKey('document-emulator');
const emu = (method: 'GET' | 'POST', url: string, payload?: unknown) =>
  w.o.app.server.inject({
    method,
    url: `/_emulator/document${url}`,
    headers: { authorization: `Bearer ${key}` },
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
const errorOf = (res: { json(): unknown }) => (res.json() as { errors: Json[] }).errors[0]!;

test('a job is IN_QUEUE, IN_PROGRESS after 5 s and DONE 25 s later on the virtual clock, with its times and document', async () => {
  const before = w.o.app.clock.now();
  const id = await w.create(invoices);
  assert.match(id, /^\d{16}$/);
  const queued = await w.report(id);
  const created = Date.parse(String(queued.createdTime));
  assert.ok(created >= before && created <= w.o.app.clock.now());
  assert.equal(queued.processingStatus, 'IN_QUEUE');
  assert.equal(queued.dataStartTime, since);
  assert.equal(queued.dataEndTime, queued.createdTime, 'dataEndTime defaults to now');
  assert.deepEqual(queued.marketplaceIds, [US]);
  assert.equal(queued.processingStartTime, undefined);
  assert.equal(queued.reportDocumentId, undefined);
  w.o.app.clock.set(created + 5_000);
  const running = await w.report(id);
  assert.equal(running.processingStatus, 'IN_PROGRESS');
  assert.equal(running.processingStartTime, new Date(created + 5_000).toISOString());
  assert.equal(running.processingEndTime, undefined);
  w.o.app.clock.set(created + 29_000);
  assert.equal((await w.report(id)).processingStatus, 'IN_PROGRESS');
  w.o.app.clock.set(created + 30_000);
  const done = await w.report(id);
  assert.equal(done.processingStatus, 'DONE');
  assert.equal(done.processingEndTime, new Date(created + 30_000).toISOString());
  assert.match(String(done.reportDocumentId), /^[0-9a-f-]{36}$/);
  // Later reads answer the same.
  tick(w.o.app, 60_000);
  assert.deepEqual(await w.report(id), done);
});

test('cancelReport: while IN_QUEUE or IN_PROGRESS only; a cancelled job stays CANCELLED; any other status is a 400', async () => {
  const queued = await w.create(invoices);
  const res = await w.call('DELETE', `${REPORTS}/${queued}`);
  assert.equal(res.statusCode, 200, res.body);
  assert.equal(res.body, '');
  tick(w.o.app, 60_000);
  const cancelled = await w.report(queued);
  assert.equal(cancelled.processingStatus, 'CANCELLED');
  assert.equal(cancelled.reportDocumentId, undefined);
  const again = await w.call('DELETE', `${REPORTS}/${queued}`);
  assert.equal(again.statusCode, 400);
  assert.equal(errorOf(again).message, 'Invalid input');
  assert.match(String(errorOf(again).details), /is CANCELLED; only a report IN_QUEUE or IN_PROGRESS can be cancelled/);

  const running = await w.create(invoices);
  tick(w.o.app, 10_000);
  assert.equal((await w.report(running)).processingStatus, 'IN_PROGRESS');
  assert.equal((await w.call('DELETE', `${REPORTS}/${running}`)).statusCode, 200);
  const r = await w.report(running);
  assert.equal(r.processingStatus, 'CANCELLED');
  assert.equal(r.processingStartTime, new Date(Date.parse(String(r.createdTime)) + 5_000).toISOString());

  const done = await w.create(invoices);
  tick(w.o.app, 30_000);
  const refused = await w.call('DELETE', `${REPORTS}/${done}`);
  assert.equal(refused.statusCode, 400);
  assert.match(String(errorOf(refused).details), /is DONE/);
  assert.equal((await w.report(done)).processingStatus, 'DONE');
});

test('no data in the range: the job ends CANCELLED by itself (the model: "an automatic cancellation if there is no data")', async () => {
  const id = await w.create({ ...invoices, dataStartTime: '2020-01-01T00:00:00Z', dataEndTime: '2020-01-31T00:00:00Z' });
  tick(w.o.app, 30_000);
  const r = await w.report(id);
  assert.equal(r.processingStatus, 'CANCELLED');
  assert.equal(r.reportDocumentId, undefined);
  assert.equal((await w.o.app.services.documents.get(w.o.business.id, id)).reason?.startsWith('There is no data'), true);
});

test('emulator: manual mode holds jobs until advanced; fail makes one FATAL with an error document; the levers need the key', async () => {
  assert.equal((await emu('POST', '/transitions', { mode: 'manual' })).statusCode, 200);
  try {
    const id = await w.create(invoices);
    tick(w.o.app, 120_000);
    assert.equal((await w.report(id)).processingStatus, 'IN_QUEUE');
    const first = await emu('POST', `/reports/${id}/advance`);
    assert.equal(first.statusCode, 200, first.body);
    assert.equal(first.json().reached, 'IN_PROGRESS');
    assert.equal((await w.report(id)).processingStatus, 'IN_PROGRESS');
    const second = (await emu('POST', `/reports/${id}/advance`)).json();
    assert.equal(second.reached, 'DONE');
    assert.equal(second.report.processingStatus, 'DONE');
    assert.equal((await emu('POST', `/reports/${id}/advance`)).json().reached, null);

    const doomed = await w.create(invoices);
    const failed = await emu('POST', `/reports/${doomed}/fail`, { reason: 'Disk full' });
    assert.equal(failed.statusCode, 200, failed.body);
    assert.equal(failed.json().processingStatus, 'FATAL');
    const fatal = await w.report(doomed);
    assert.equal(fatal.processingStatus, 'FATAL');
    const { res } = await w.download(String(fatal.reportDocumentId));
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json(), { errorDetails: 'Disk full' });
    assert.equal((await emu('POST', `/reports/${doomed}/fail`, {})).statusCode, 409);
    const listed = (await emu('GET', `/reports?businessId=${w.o.business.id}`)).json().reports as Json[];
    assert.ok(listed.some((r) => r.reportId === doomed && r.reason === 'Disk full'));
  } finally {
    await emu('POST', '/transitions', { mode: 'time' });
  }
  const unauth = await w.o.app.server.inject({ method: 'GET', url: '/_emulator/document/reports' });
  assert.equal(unauth.statusCode, 401);
});

test('createReport refuses, in the sandbox words: unknown type, bad or mixed marketplaces, bad dates and options', async () => {
  const now = w.o.app.clock.now();
  const cases: [string, unknown, RegExp][] = [
    [
      'the sandbox 400 body',
      { reportType: 'BAD_FEE_DISCOUNTS_REPORT', dataStartTime: '2019-12-10T20:11:24.000Z', marketplaceIds: [DE, US] },
      /not a report type/,
    ],
    ['no report type', { marketplaceIds: [US] }, /reportType is required/],
    ['no marketplaces', { reportType: 'GET_AB_INVOICE_PDF' }, /marketplaceIds is required/],
    ['empty marketplaces', { reportType: 'GET_AB_INVOICE_PDF', marketplaceIds: [] }, /at least one/],
    ['unknown marketplace', { reportType: 'GET_AB_INVOICE_PDF', marketplaceIds: ['XX'] }, /not a marketplace id/],
    ['two regions', { reportType: 'GET_AB_INVOICE_PDF', marketplaceIds: [US, DE] }, /one region/],
    ['another endpoint', { reportType: 'GET_AB_INVOICE_PDF', marketplaceIds: [DE] }, /this endpoint serves NA/],
    ['not ISO', { ...invoices, dataStartTime: 'yesterday' }, /not an ISO 8601 date-time/],
    ['future end', { ...invoices, dataEndTime: new Date(now + DAY).toISOString() }, /prior to or equal to the current date/],
    [
      'reversed',
      { ...invoices, dataStartTime: new Date(now - DAY).toISOString(), dataEndTime: new Date(now - 2 * DAY).toISOString() },
      /prior to or equal to dataEndTime/,
    ],
    ['too long', { ...invoices, dataStartTime: new Date(now - 400 * DAY).toISOString() }, /longer than 366 days/],
    ['unknown option', { ...invoices, reportOptions: { color: 'blue' } }, /not an option of GET_AB_INVOICES_DATA/],
    ['option not a string', { ...invoices, reportOptions: { orderId: 5 } }, /non-empty string/],
    ['not an object', [invoices], /JSON object/],
  ];
  for (const [what, body, details] of cases) {
    const res = await w.call('POST', REPORTS, body);
    assert.equal(res.statusCode, 400, `${what}: ${res.body}`);
    const e = errorOf(res);
    assert.equal(e.code, 'InvalidInput', what);
    assert.equal(e.message, 'Invalid input', what);
    assert.match(String(e.details), details, what);
  }
  // Tokens are per marketplace: a report of a marketplace the token is not for (with its own or
  // alone) answers the gateway's 403.
  for (const marketplaceIds of [[US, CA], [CA]]) {
    const res = await w.call('POST', REPORTS, { ...invoices, marketplaceIds });
    assert.equal(res.statusCode, 403, res.body);
    assert.deepEqual(res.json(), { errors: [{ message: 'Access to requested resource is denied.', code: 'Unauthorized', details: '' }] });
  }
  const id = await w.create({ ...invoices, marketplaceIds: [US] });
  assert.deepEqual((await w.report(id)).marketplaceIds, [US]);
});

test('ids: malformed ones are 400 (the sandbox\u2019s badReportId1), unknown ones and another business\u2019s are 404', async () => {
  for (const [method, url] of [
    ['GET', `${REPORTS}/badReportId1`],
    ['DELETE', `${REPORTS}/badReportId1`],
    ['GET', '/na/reports/2021-09-30/documents/badDocumentId1'],
  ] as const) {
    const res = await w.call(method, url);
    assert.equal(res.statusCode, 400, url);
    assert.equal(errorOf(res).message, 'Invalid input');
  }
  assert.equal((await w.call('GET', `${REPORTS}/1234567890123456`)).statusCode, 404);
  assert.equal((await w.call('GET', '/na/reports/2021-09-30/documents/0356cf79-b8b0-4226-b4b9-0ee058ea5760')).statusCode, 404);

  const id = await w.create(invoices);
  tick(w.o.app, 30_000);
  const doc = String((await w.report(id)).reportDocumentId);
  const other = await reportClient(w.o.app, await orderingWorldOn(w.o.app));
  for (const [method, url] of [
    ['GET', `${REPORTS}/${id}`],
    ['DELETE', `${REPORTS}/${id}`],
    ['GET', `/na/reports/2021-09-30/documents/${doc}`],
  ] as const) {
    const res = await other.call(method, url);
    assert.equal(res.statusCode, 404, `${method} ${url}: ${res.body}`);
    assert.equal(errorOf(res).code, 'NotFound');
  }
  const theirs = await other.call('GET', `${REPORTS}?reportTypes=GET_AB_INVOICES_DATA`);
  assert.deepEqual(theirs.json(), { reports: [] });
});

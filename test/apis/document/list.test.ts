import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CA, documentWorld, REPORTS, tick, US, type Json } from './support.ts';

// getReports: filters (types, statuses, marketplaces, creation times), pages newest first with a
// signed nextToken that must come alone; a token that was altered is a 400, never a 500.

const w = await documentWorld();
const ids: Record<string, string[]> = { GET_AB_INVOICES_DATA: [], GET_AB_TRANSACTIONS_DATA: [] };
const firstCreated = w.o.app.clock.now();
for (let i = 0; i < 5; i++) {
  // The CA report is made with the app's CA token; the list shows the app's reports of every marketplace.
  ids.GET_AB_INVOICES_DATA!.push(
    i === 4
      ? await w.createIn('CA', { reportType: 'GET_AB_INVOICES_DATA', marketplaceIds: [CA] })
      : await w.create({ reportType: 'GET_AB_INVOICES_DATA', marketplaceIds: [US] }),
  );
  ids.GET_AB_TRANSACTIONS_DATA!.push(await w.create({ reportType: 'GET_AB_TRANSACTIONS_DATA', marketplaceIds: [US] }));
  tick(w.o.app, 1_000);
}
const list = async (query: string) => {
  const res = await w.call('GET', `${REPORTS}?${query}`);
  assert.equal(res.statusCode, 200, res.body);
  return res.json() as { reports: Json[]; nextToken?: string };
};
const all = async (query: string): Promise<Json[]> => {
  const out: Json[] = [];
  let page = await list(query);
  for (;;) {
    out.push(...page.reports);
    if (!page.nextToken) return out;
    page = await list(`nextToken=${encodeURIComponent(page.nextToken)}`);
  }
};

test('pages newest first; nextToken walks every page once; pageSize 1 to 100 (10 by default)', async () => {
  const first = await list('reportTypes=GET_AB_INVOICES_DATA&pageSize=2');
  assert.equal(first.reports.length, 2);
  assert.ok(first.nextToken);
  const walked = await all('reportTypes=GET_AB_INVOICES_DATA&pageSize=2');
  assert.deepEqual(
    walked.map((r) => r.reportId),
    [...ids.GET_AB_INVOICES_DATA!].reverse(),
  );
  const both = await list('reportTypes=GET_AB_INVOICES_DATA,GET_AB_TRANSACTIONS_DATA');
  assert.equal(both.reports.length, 10);
  assert.equal(both.nextToken, undefined);
  const times = both.reports.map((r) => Date.parse(String(r.createdTime)));
  assert.deepEqual(
    [...times].sort((a, b) => b - a),
    times,
  );
  for (const bad of ['0', '101', 'ten', '1.5'])
    assert.equal((await w.call('GET', `${REPORTS}?reportTypes=GET_AB_INVOICES_DATA&pageSize=${bad}`)).statusCode, 400, bad);
});

test('filters: statuses (derived on the clock), marketplaces (any of them), creation times', async () => {
  const queued = await list('reportTypes=GET_AB_INVOICES_DATA,GET_AB_TRANSACTIONS_DATA&processingStatuses=IN_QUEUE');
  assert.ok(queued.reports.length >= 1 && queued.reports.every((r) => r.processingStatus === 'IN_QUEUE'));
  tick(w.o.app, 60_000);
  const done = await all('reportTypes=GET_AB_INVOICES_DATA,GET_AB_TRANSACTIONS_DATA&processingStatuses=DONE,CANCELLED&pageSize=3');
  assert.equal(done.length, 10);
  assert.deepEqual(await list('reportTypes=GET_AB_INVOICES_DATA&processingStatuses=IN_QUEUE,IN_PROGRESS'), { reports: [] });
  const ca = await list(`reportTypes=GET_AB_INVOICES_DATA&marketplaceIds=${CA}`);
  assert.deepEqual(
    ca.reports.map((r) => r.reportId),
    [ids.GET_AB_INVOICES_DATA![4]],
  );
  const since = await list(`reportTypes=GET_AB_TRANSACTIONS_DATA&createdSince=${new Date(firstCreated + 3_500).toISOString()}`);
  assert.deepEqual(
    since.reports.map((r) => r.reportId),
    [ids.GET_AB_TRANSACTIONS_DATA![4]],
  );
  const until = await list(`reportTypes=GET_AB_TRANSACTIONS_DATA&createdUntil=${new Date(firstCreated + 500).toISOString()}`);
  assert.deepEqual(
    until.reports.map((r) => r.reportId),
    [ids.GET_AB_TRANSACTIONS_DATA![0]],
  );
});

test('refusals: the sandbox\u2019s bad processing status, no reportTypes, unknown types and marketplaces, a token not alone or altered', async () => {
  const bad = await w.call('GET', `${REPORTS}?reportTypes=GET_AB_INVOICES_DATA&processingStatuses=BAD_VALUE,IN_PROGRESS`);
  assert.equal(bad.statusCode, 400);
  assert.deepEqual((bad.json() as { errors: Json[] }).errors, [
    { code: 'InvalidInput', message: 'Invalid input', details: 'Invalid input in processing status' },
  ]);
  for (const query of [
    '',
    'processingStatuses=DONE',
    'reportTypes=FEE_DISCOUNTS_REPORT',
    'reportTypes=GET_AB_INVOICES_DATA&marketplaceIds=XX',
    'reportTypes=GET_AB_INVOICES_DATA&createdSince=yesterday',
    'reportTypes=GET_AB_INVOICES_DATA&createdSince=2026-12-10T00:00:00Z&createdUntil=2026-12-01T00:00:00Z',
  ]) {
    const res = await w.call('GET', `${REPORTS}?${query}`);
    assert.equal(res.statusCode, 400, `${query}: ${res.body}`);
    assert.equal((res.json() as { errors: Json[] }).errors[0]!.message, 'Invalid input');
  }
  const { nextToken } = await list('reportTypes=GET_AB_INVOICES_DATA&pageSize=1');
  const token = nextToken!;
  const withOthers = await w.call('GET', `${REPORTS}?reportTypes=GET_AB_INVOICES_DATA&nextToken=${encodeURIComponent(token)}`);
  assert.equal(withOthers.statusCode, 400);
  assert.match(withOthers.body, /nextToken must be the only parameter/);
  const [payload, mac] = token.split('.');
  const forged = Buffer.from(JSON.stringify({ q: { reportTypes: ['GET_AB_INVOICES_DATA'] }, b: [0, 'x'] })).toString('base64url');
  for (const t of [`${payload}.${mac!.replace(/^./, (c) => (c === 'a' ? 'b' : 'a'))}`, `${forged}.${mac}`, 'garbage', `${payload}`, '.']) {
    const res = await w.call('GET', `${REPORTS}?nextToken=${encodeURIComponent(t)}`);
    assert.equal(res.statusCode, 400, `${t}: ${res.body}`);
    assert.match(res.body, /nextToken is not a token/);
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { isolatedDatabase } from '../support/isolated.ts';
import { adminClient } from '../support/http.ts';
import { gatewayWorld, PROBE, probeUrl } from '../support/gateway.ts';
import { cli } from '../support/emulator.ts';

const BODIES: Record<number, string> = {
  429: '{"errors":[{"message":"You exceeded your quota for the requested resource.","code":"QuotaExceeded","details":""}]}',
  500: '{"errors":[{"code":"InternalFailure","message":"An unexpected condition occurred that prevented the server from fulfilling the request.","details":""}]}',
  503: '{"errors":[{"code":"ServiceUnavailable","message":"Temporary overloading or maintenance of the server.","details":""}]}',
  504: '{"errors":[{"code":"GatewayTimeout","message":"A gateway timeout occurred.","details":""}]}',
};

/** Two apps of one developer authorized by one business, with usage plans high enough not to throttle. */
async function world(app: TestApp) {
  const w = await gatewayWorld(app);
  const a = await w.tokenFor(['Amazon Business Analytics']);
  const b = await w.tokenFor(['Amazon Business Analytics']);
  for (const t of [a, b]) await app.services.reviews.setUsagePlan('test', t.client.id, PROBE.operationId, 10_000, 10_000);
  const call = (token: string) => app.server.inject({ method: 'GET', url: probeUrl(), headers: { 'x-amz-access-token': token } });
  return { ...w, a, b, call };
}

test('fault rules through the admin API: create, list, remove, and what is refused', async () => {
  const app = await buildTestApp();
  const admin = await adminClient(app);
  const w = await world(app);
  assert.equal((await app.server.inject({ method: 'GET', url: '/admin/v1/faults' })).statusCode, 401);
  assert.equal((await app.server.inject({ method: 'POST', url: '/admin/v1/faults', payload: { status: 503 } })).statusCode, 401);

  const refused: [object, number][] = [
    [{ appId: w.a.client.id }, 400], // neither status nor latency
    [{ appId: w.a.client.id, status: 502 }, 400],
    [{ appId: w.a.client.id, status: 503, operation: 'noSuchOperation' }, 400],
    [{ appId: w.a.client.id, status: 503, percentage: 0 }, 400],
    [{ appId: w.a.client.id, status: 503, count: 0 }, 400],
    [{ appId: w.a.client.id, latencyMs: 60_001 }, 400],
    [{ appId: w.a.client.id, status: 503, colour: 'red' }, 400],
    [{ appId: 'app_missing', status: 503 }, 404],
    [{ appId: w.a.client.id, businessId: 'biz_missing', status: 503 }, 404],
  ];
  for (const [body, status] of refused) assert.equal((await admin('POST', '/faults', body)).status, status, JSON.stringify(body));

  const created = await admin('POST', '/faults', {
    appId: w.a.client.applicationId,
    operation: PROBE.operationId,
    businessId: w.business.id,
    status: 503,
    count: 2,
    percentage: 100,
    note: 'retry test',
  });
  assert.equal(created.status, 201);
  assert.match(created.body.id, /^flt_/);
  assert.equal(created.body.appId, w.a.client.id, 'an applicationId is resolved to the app id');
  assert.deepEqual(
    {
      remaining: created.body.remaining,
      status: created.body.status,
      latencyMs: created.body.latencyMs,
      active: created.body.active,
      note: created.body.note,
    },
    { remaining: 2, status: 503, latencyMs: 0, active: true, note: 'retry test' },
  );
  const listed = (await admin('GET', '/faults')).body.faults;
  assert.ok(listed.some((f: { id: string }) => f.id === created.body.id));
  assert.equal((await admin('DELETE', `/faults/${created.body.id}`)).status, 204);
  assert.equal((await admin('DELETE', `/faults/${created.body.id}`)).status, 404);
  assert.equal((await w.call(w.a.accessToken)).statusCode, PROBE.status, 'a removed rule no longer applies');
  const audit = (await admin('GET', `/audit?subjectId=${created.body.id}`)).body.entries;
  assert.deepEqual(audit.map((e: { action: string }) => e.action).sort(), ['emulator.fault.create', 'emulator.fault.remove']);
});

test('a counted rule answers exactly N calls in the exact envelope, then the API answers again', async () => {
  const app = await (await isolatedDatabase()).build();
  const admin = await adminClient(app);
  const w = await world(app);
  for (const status of [429, 500, 503, 504]) {
    const rule = (await admin('POST', '/faults', { appId: w.a.client.id, operation: PROBE.operationId, status, count: 3 })).body;
    for (let i = 0; i < 3; i++) {
      const res = await w.call(w.a.accessToken);
      assert.equal(res.statusCode, status);
      assert.equal(res.body, BODIES[status]);
      assert.match(String(res.headers['x-amzn-requestid']), /^[0-9a-f-]{36}$/);
      assert.equal((await w.call(w.b.accessToken)).statusCode, PROBE.status, 'another app is not affected');
    }
    assert.equal((await w.call(w.a.accessToken)).statusCode, PROBE.status, `after ${status} ×3 the API answers`);
    const listed = (await admin('GET', '/faults')).body.faults.find((f: { id: string }) => f.id === rule.id);
    assert.deepEqual([listed.remaining, listed.active], [0, false]);
    const logged = (await admin('GET', `/requests?app=${w.a.client.id}&status=${status}`)).body.requests;
    assert.equal(logged.length, 3);
    assert.ok(
      logged.every(
        (e: { faultId: string; errorCode: string }) => e.faultId === rule.id && e.errorCode === JSON.parse(BODIES[status]!).errors[0].code,
      ),
    );
  }

  // Refusals of the real checks win over a rule: an unknown token is not faulted.
  await admin('POST', '/faults', { status: 500, count: 1 });
  assert.equal((await w.call('Atza|unknown')).statusCode, 403);
  assert.equal((await w.call(w.b.accessToken)).statusCode, 500, 'a rule with no filter applies to any identified call');

  // Filters that do not match: another operation, another business.
  await admin('POST', '/faults', { operation: 'searchProductsRequest', status: 500 });
  const other = await gatewayWorld(app);
  await admin('POST', '/faults', { businessId: other.business.id, status: 500 });
  assert.equal((await w.call(w.a.accessToken)).statusCode, PROBE.status);
  assert.equal((await admin('DELETE', '/faults')).body.removed, 7);
  assert.deepEqual((await admin('GET', '/faults')).body.faults, []);
});

test('concurrent calls, also from two processes, take exactly the count', async () => {
  const db = await isolatedDatabase();
  const one = await db.build();
  const two = await db.build();
  const admin = await adminClient(one);
  const w = await world(one);
  const rule = (await admin('POST', '/faults', { appId: w.a.client.id, status: 503, count: 7 })).body;
  await two.emulator.sync.refresh(); // the other process learns of the rule (by event with Redis, else by its poll)
  const call = (app: TestApp) => app.server.inject({ method: 'GET', url: probeUrl(), headers: { 'x-amz-access-token': w.a.accessToken } });
  const results = await Promise.all(Array.from({ length: 30 }, (_, i) => call(i % 2 ? one : two)));
  assert.equal(results.filter((r) => r.statusCode === 503).length, 7);
  assert.equal(results.filter((r) => r.statusCode === PROBE.status).length, 23);
  const logged = (await one.emulator.requestLog.list({ appIds: [w.a.client.id] })).concat(
    await two.emulator.requestLog.list({ appIds: [w.a.client.id] }),
  );
  assert.equal(new Set(logged.filter((e) => e.faultId === rule.id).map((e) => e.requestId)).size, 7);
});

test('latency rules delay the call, alone or before an error; a percentage faults a share', async () => {
  const app = await (await isolatedDatabase()).build();
  const admin = await adminClient(app);
  const w = await world(app);
  const slow = (await admin('POST', '/faults', { appId: w.a.client.id, latencyMs: 120, count: 1 })).body;
  let t0 = performance.now();
  const delayed = await w.call(w.a.accessToken);
  assert.equal(delayed.statusCode, PROBE.status, 'latency only: the API still answers');
  assert.ok(performance.now() - t0 >= 110, `took ${performance.now() - t0} ms`);
  await admin('POST', '/faults', { appId: w.a.client.id, latencyMs: 80, status: 504, count: 1 });
  t0 = performance.now();
  const timedOut = await w.call(w.a.accessToken);
  assert.equal(timedOut.body, BODIES[504]);
  assert.ok(performance.now() - t0 >= 70);
  const entry = (await app.emulator.requestLog.list({ appIds: [w.a.client.id], limit: 2 })).find((e) => e.status === PROBE.status);
  assert.equal(entry?.faultId, slow.id, 'a delayed call is marked in the request log too');
  assert.ok((entry?.latencyMs ?? 0) >= 110);

  await admin('DELETE', '/faults');
  await admin('POST', '/faults', { appId: w.b.client.id, status: 500, percentage: 30 });
  const statuses = await Promise.all(Array.from({ length: 300 }, () => w.call(w.b.accessToken).then((r) => r.statusCode)));
  const faulted = statuses.filter((s) => s === 500).length;
  assert.ok(faulted > 40 && faulted < 140, `30% of 300 calls, got ${faulted}`);
  assert.equal(faulted + statuses.filter((s) => s === PROBE.status).length, 300);
});

test('sandbox calls can be faulted too', async () => {
  const app = await buildTestApp();
  const admin = await adminClient(app);
  const w = await gatewayWorld(app);
  const sbx = await w.sandboxToken(['Amazon Business Analytics']);
  await admin('POST', '/faults', { appId: sbx.client.id, status: 429, count: 1 });
  const url = '/sandbox/na/reports/2021-01-08/orders?startDate=2020-12-01T00:00:00&endDate=2020-12-01T23:00:00';
  const first = await app.server.inject({ method: 'GET', url, headers: { 'x-amz-access-token': sbx.accessToken } });
  assert.equal(first.body, BODIES[429]);
  const second = await app.server.inject({ method: 'GET', url, headers: { 'x-amz-access-token': sbx.accessToken } });
  assert.equal(second.statusCode, 200, second.body);
});

test('bizapi faults add, list and remove; a running server follows', async () => {
  const db = await isolatedDatabase();
  const app = await db.build();
  const w = await world(app);
  const added = await cli(db.config, [
    'faults',
    'add',
    '--app',
    w.a.client.id,
    '--operation',
    PROBE.operationId,
    '--status',
    '503',
    '--count',
    '2',
    '--json',
  ]);
  assert.equal(added.code, 0, added.stderr);
  const rule = JSON.parse(added.stdout);
  assert.equal(rule.remaining, 2);
  await app.emulator.sync.refresh();
  assert.equal((await w.call(w.a.accessToken)).statusCode, 503);
  const [listed, refused] = await Promise.all([cli(db.config, ['faults', 'list']), cli(db.config, ['faults', 'add', '--status', '418'])]);
  assert.match(listed.stdout, new RegExp(`^${rule.id}\\t503\\t-\\t${PROBE.operationId}\\t${w.a.client.id}\\t\\*\\t1 left\\t100%$`, 'm'));
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /status must be one of 429, 500, 503 or 504/);
  const removed = await cli(db.config, ['faults', 'remove', rule.id]);
  assert.equal(removed.code, 0, removed.stderr);
  await app.emulator.sync.refresh();
  assert.equal((await w.call(w.a.accessToken)).statusCode, PROBE.status);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp } from '../support/app.ts';
import { adminClient } from '../support/http.ts';
import { apiModulesWithout, gatewayWorld, PROBE, probeUrl, urlOf } from '../support/gateway.ts';
import { REDIS_URL } from '../support/emulator.ts';
import { findOperation } from '../../src/modules/registry/index.ts';

const { operationId } = PROBE;
const sample = (text: string, name: string, labels: Record<string, string> = {}): number | null => {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (want.every((w) => line.includes(w))) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return null;
};

test('/metrics: calls by operation and status, latency, throttles, tokens issued, faults, process metrics', async () => {
  // Reporting 2025 is left out of the server: its calls answer 501, as an API not built does.
  const app = await buildTestApp({}, { apiModules: apiModulesWithout('Reporting 2025-06-09') });
  const admin = await adminClient(app);
  const w = await gatewayWorld(app);
  const t = await w.tokenFor(['Amazon Business Analytics']);
  const refreshed = await app.server.inject({
    method: 'POST',
    url: '/auth/o2/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: t.refreshToken,
      client_id: t.client.clientId,
      client_secret: t.clientSecret,
    }).toString(),
  });
  assert.equal(refreshed.statusCode, 200);
  await admin('POST', '/faults', { appId: t.client.id, status: 503, count: 1 });
  for (let i = 0; i < 12; i++)
    await app.server.inject({ method: 'GET', url: probeUrl(), headers: { 'x-amz-access-token': t.accessToken } });
  const notBuilt = await app.server.inject({
    method: 'GET',
    url: urlOf(findOperation('getOrderReports')!, '/na', '?orderStartDate=2020-01-01T00:00:00Z&orderEndDate=2020-01-02T00:00:00Z'),
    headers: { 'x-amz-access-token': t.accessToken },
  });
  assert.equal(notBuilt.statusCode, 501, notBuilt.body);

  const res = await app.server.inject({ method: 'GET', url: '/metrics' });
  assert.equal(res.statusCode, 200);
  assert.match(String(res.headers['content-type']), /^text\/plain; version=0\.0\.4/);
  const m = res.body;
  assert.equal(sample(m, 'bizapi_api_requests_total', { operation: operationId, status: '503', environment: 'production' }), 1);
  assert.equal(
    sample(m, 'bizapi_api_requests_total', { operation: operationId, status: String(PROBE.status) }),
    9,
    'the burst of 10 minus the faulted call',
  );
  assert.equal(sample(m, 'bizapi_api_requests_total', { operation: operationId, status: '429' }), 2);
  assert.equal(sample(m, 'bizapi_api_throttled_total', { operation: operationId, source: 'usage_plan' }), 2);
  assert.equal(sample(m, 'bizapi_api_requests_total', { operation: 'getOrderReports', status: '501', environment: 'production' }), 1);
  assert.equal(sample(m, 'bizapi_api_requests_total', { operation: operationId, status: '501' }), null, 'a built operation never 501s');
  assert.equal(sample(m, 'bizapi_faults_injected_total', { status: '503' }), 1);
  assert.equal(sample(m, 'bizapi_api_request_duration_seconds_count', { operation: operationId }), 12);
  assert.equal(sample(m, 'bizapi_tokens_issued_total', { grant_type: 'refresh_token' }), 1);
  assert.equal(sample(m, 'bizapi_token_requests_total', { grant_type: 'refresh_token', status: '200' }), 1);
  assert.match(m, /^# TYPE bizapi_search_duration_seconds histogram$/m);
  assert.ok((sample(m, 'process_cpu_user_seconds_total') ?? -1) >= 0, 'default process metrics');
  assert.ok(sample(m, 'nodejs_heap_size_used_bytes') !== null);

  const off = await buildTestApp({ metricsEnabled: false });
  assert.equal((await off.server.inject({ method: 'GET', url: '/metrics' })).statusCode, 404);
});

test('/readyz checks the database, and Redis when it is configured', async () => {
  const plain = await buildTestApp();
  const ready = await plain.server.inject({ method: 'GET', url: '/readyz' });
  assert.equal(ready.statusCode, 200);
  assert.deepEqual(ready.json().checks, { database: 'ok' });
  const withRedis = await buildTestApp({ redisUrl: REDIS_URL });
  const both = await withRedis.server.inject({ method: 'GET', url: '/readyz' });
  assert.equal(both.statusCode, 200, both.body);
  assert.deepEqual(both.json().checks, { database: 'ok', redis: 'ok' });
  // The database is pulled from under a running app; no background worker may be mid-query then
  // (on PostgreSQL a query in flight while the pool ends leaves later ones waiting forever).
  const broken = await buildTestApp({}, { deliverNotices: false });
  await broken.ctx.db.destroy();
  const down = await broken.server.inject({ method: 'GET', url: '/readyz' });
  assert.equal(down.statusCode, 503);
  assert.equal(down.json().checks.database, 'unreachable');
});

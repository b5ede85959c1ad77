import { test } from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import { buildApp } from '../../src/app.ts';
import { testConfig, type Config } from '../../src/config/config.ts';
import { VirtualClock } from '../../src/kernel/clock.ts';
import { isolatedDatabase } from '../support/isolated.ts';
import { adminClient, developerClient } from '../support/http.ts';
import { gatewayWorld, PROBE, probeUrl, urlOf } from '../support/gateway.ts';
import { consentCode, tokenRequest } from '../support/oauth.ts';
import { makeApprovedDeveloper, makeBusiness, makePublishedApp, REDIRECT } from '../support/world.ts';
import { dbKind, testDataDir, type TestApp } from '../support/app.ts';
import { findOperation } from '../../src/modules/registry/index.ts';
import { sql } from 'kysely';

const search = findOperation('searchProductsRequest')!;

test('every API and token call is recorded, with secrets never stored', async () => {
  const app = await (await isolatedDatabase()).build({ requestLogBodies: true, requestLogBodyMaxBytes: 2048 });
  const admin = await adminClient(app);
  const world = await makeBusiness(app);
  const dev = await makeApprovedDeveloper(app, undefined, world.business.id);
  const { app: client, clientSecret } = await makePublishedApp(app, dev.id, ['Business Product Catalog', 'Amazon Business Analytics']);
  const code = await consentCode(app, client.applicationId, REDIRECT, world.admin.email, world.password);
  const tokens = await tokenRequest(app, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: REDIRECT,
    client_id: client.clientId,
    client_secret: clientSecret,
  });
  assert.equal(tokens.status, 200);
  const basic = Buffer.from(`${client.clientId}:${clientSecret}`).toString('base64');
  const refreshed = await tokenRequest(
    app,
    { grant_type: 'refresh_token', refresh_token: tokens.body.refresh_token },
    { authorization: `Basic ${basic}` },
  );
  assert.equal(refreshed.status, 200);
  const wrong = await tokenRequest(app, {
    grant_type: 'refresh_token',
    refresh_token: tokens.body.refresh_token,
    client_id: client.clientId,
    client_secret: 'wrong',
  });
  assert.equal(wrong.status, 401);
  const at = refreshed.body.access_token as string;
  const searched = await app.server.inject({
    method: 'GET',
    url: urlOf(search, '/na', '?productRegion=US&locale=en_US&keywords=desk'),
    headers: { 'x-amz-access-token': at, 'x-amz-user-email': world.buyer.email, cookie: 'session=secret-cookie' },
  });
  const reported = await app.server.inject({ method: 'GET', url: probeUrl('/eu'), headers: { 'x-amz-access-token': at } });
  assert.equal(reported.statusCode, 403, 'an NA token on the EU base URL');
  app.clock.advance(3601_000);
  const expired = await app.server.inject({ method: 'GET', url: probeUrl(), headers: { 'x-amz-access-token': at } });
  assert.equal(expired.statusCode, 403);

  const { status, body } = await admin('GET', `/requests?app=${client.id}`);
  assert.equal(status, 200);
  const entries = body.requests as Record<string, unknown>[];
  assert.deepEqual(
    entries.map((e) => [e.kind, e.operation, e.status, e.errorCode]),
    [
      ['api', PROBE.operationId, 403, 'Unauthorized'],
      ['api', PROBE.operationId, 403, 'Unauthorized'],
      ['api', 'searchProductsRequest', searched.statusCode, searched.statusCode >= 400 ? searched.json().errors[0].code : null],
      ['token', 'token.refresh_token', 401, 'invalid_client'],
      ['token', 'token.refresh_token', 200, null],
      ['token', 'token.authorization_code', 200, null],
    ],
  );
  const [expiredEntry, misplaced, searchEntry, , refreshEntry, codeEntry] = entries;
  assert.equal(searchEntry!.requestId, searched.headers['x-amzn-requestid']);
  assert.deepEqual(
    [
      searchEntry!.region,
      searchEntry!.environment,
      searchEntry!.appId,
      searchEntry!.businessId,
      searchEntry!.userEmail,
      searchEntry!.method,
    ],
    ['NA', 'production', client.id, world.business.id, world.buyer.email, 'GET'],
  );
  assert.equal(typeof searchEntry!.latencyMs, 'number');
  assert.ok(Date.parse(String(searchEntry!.at)) > 0);
  // Calls the gateway refused are still attributed, through the token they presented.
  assert.deepEqual([expiredEntry!.appId, expiredEntry!.businessId, expiredEntry!.region], [client.id, world.business.id, 'NA']);
  assert.deepEqual([misplaced!.region, misplaced!.appId], ['EU', client.id]);
  // The gateway's decision: the check that refused each call and why, and the usage-plan bucket drawn.
  assert.deepEqual(expiredEntry!.decision, { refusedBy: 'token_expired', reason: 'The access token expired (on the platform clock).' });
  assert.deepEqual(misplaced!.decision, {
    refusedBy: 'region',
    reason: 'The token is for production in region NA; the call came to production in region EU.',
  });
  const searchDecision = searchEntry!.decision as { refusedBy?: string; plan: { bucket: string; rate: number; burst: number } };
  assert.equal(searchDecision.refusedBy, undefined);
  assert.equal(searchDecision.plan.bucket.split('|').slice(0, 3).join('|'), `${client.id}|${world.business.id}|searchProductsRequest`);
  assert.ok(searchDecision.plan.rate > 0 && searchDecision.plan.burst > 0);
  assert.equal(refreshEntry!.decision, null, 'token calls do not pass the gateway');
  // Token calls: the app from the client id, the business and region from the grant.
  for (const e of [refreshEntry, codeEntry])
    assert.deepEqual(
      [e!.appId, e!.clientId, e!.businessId, e!.region, e!.environment],
      [client.id, client.clientId, world.business.id, 'NA', 'production'],
    );

  const headers = (searchEntry!.request as { headers: Record<string, string> }).headers;
  assert.equal(headers['x-amz-access-token'], '[redacted]');
  assert.equal(headers.cookie, '[redacted]');
  assert.equal(headers['x-amz-user-email'], world.buyer.email);
  const codeRequest = JSON.parse((codeEntry!.request as { body: string }).body);
  assert.deepEqual(
    [codeRequest.code, codeRequest.client_secret, codeRequest.client_id, codeRequest.grant_type],
    ['[redacted]', '[redacted]', client.clientId, 'authorization_code'],
  );
  const codeResponse = JSON.parse((codeEntry!.response as { body: string }).body);
  assert.deepEqual([codeResponse.access_token, codeResponse.refresh_token, codeResponse.expires_in], ['[redacted]', '[redacted]', 3600]);
  assert.equal((refreshEntry!.request as { headers: Record<string, string> }).headers.authorization, '[redacted]');

  // Secrets under misspelled field names, in a body that is not JSON, in the query string: each is
  // kept out by its name or by its shape.
  const misspelled = 'hunter2-misspelled-password';
  await app.server.inject({
    method: 'POST',
    url: urlOf(findOperation('getProductsByAsins')!, '/na', '?productRegion=US&locale=en_US'),
    headers: { 'x-amz-access-token': at, 'x-amz-user-email': world.buyer.email, 'content-type': 'application/json' },
    payload: { productIds: ['B000000001'], refreshTokn: tokens.body.refresh_token, myPasword: misspelled, clientSecrt: clientSecret },
  });
  await app.server.inject({
    method: 'POST',
    url: urlOf(findOperation('getProductsByAsins')!, '/na', `?productRegion=US&acess_tokn=${encodeURIComponent(at)}`),
    headers: { 'x-amz-access-token': at, 'x-amz-user-email': world.buyer.email, 'content-type': 'text/plain' },
    payload: `refresh=${tokens.body.refresh_token} secret=${clientSecret} code=${code}`,
  });
  await tokenRequest(app, { grant_type: 'refresh_token', refreshtoken: tokens.body.refresh_token, clientsecret: clientSecret });
  assert.ok(((await admin('GET', `/requests?app=${client.id}`)).body.requests as unknown[]).length >= entries.length + 2);

  // No secret value anywhere in the table.
  const rows = (await sql<Record<string, unknown>>`SELECT * FROM request_log`.execute(app.ctx.db.kysely)).rows;
  const stored = JSON.stringify(rows);
  for (const secret of [code, clientSecret, tokens.body.access_token, tokens.body.refresh_token, at, 'secret-cookie', basic, misspelled])
    assert.equal(stored.includes(secret), false, 'a secret reached the request log');
});

test('filters of the admin request log; bodies are capped', async () => {
  const app = await (await isolatedDatabase()).build({ requestLogBodies: true, requestLogBodyMaxBytes: 300 });
  const admin = await adminClient(app);
  const w = await gatewayWorld(app);
  const one = await w.tokenFor(['Amazon Business Analytics']);
  const two = await w.tokenFor(['Amazon Business Analytics']);
  const call = (token: string) => app.server.inject({ method: 'GET', url: probeUrl(), headers: { 'x-amz-access-token': token } });
  const t0 = app.clock.now();
  for (let i = 0; i < 12; i++) await call(one.accessToken); // burst 10: two 429s
  app.clock.advance(60_000);
  const t1 = app.clock.now();
  await call(two.accessToken);
  const q = async (query: string) =>
    (await admin('GET', `/requests?${query}`)).body.requests as { status: number; appId: string; requestId: string }[];
  assert.equal((await q(`app=${one.client.id}`)).length, 12);
  assert.equal((await q(`app=${one.client.applicationId}`)).length, 12, 'an applicationId works too');
  assert.equal((await q(`app=${one.client.id}&status=429`)).length, 2);
  assert.equal((await q(`app=${one.client.id}&status=${PROBE.status}`)).length, 10, 'the answers of the burst');
  assert.equal((await q(`app=${one.client.id}&status=${String(PROBE.status)[0]}xx`)).length, 10, 'a class of statuses');
  assert.equal((await q(`app=${one.client.id}&status=4xx`)).length, 2);
  assert.equal((await q(`app=${one.client.id}&status=5xx`)).length, 0);
  assert.equal((await q(`app=${one.client.id}&limit=3`)).length, 3);
  assert.equal((await q(`business=${w.business.id}&operation=${PROBE.operationId}`)).length, 13);
  assert.equal((await q(`business=${w.business.id}&operation=searchProductsRequest`)).length, 0);
  assert.equal((await q(`since=${new Date(t1).toISOString()}`)).length, 1);
  assert.equal((await q(`since=${new Date(t0).toISOString()}&until=${new Date(t1).toISOString()}`)).length, 12);
  const [latest] = await q('limit=1');
  assert.equal(latest!.appId, two.client.id, 'newest first');
  assert.equal((await q(`requestId=${latest!.requestId}`)).length, 1);
  for (const bad of ['status=abc', 'limit=0', 'since=yesterday', 'colour=red'])
    assert.equal((await admin('GET', `/requests?${bad}`)).status, 400, bad);
  assert.equal((await app.server.inject({ method: 'GET', url: '/admin/v1/requests' })).statusCode, 401);

  const catalog = await w.tokenFor(['Business Product Catalog']);
  const big = await app.server.inject({
    method: 'POST',
    url: '/na/products/2020-08-26/products/getProductsByAsins',
    headers: { 'x-amz-access-token': catalog.accessToken, 'x-amz-user-email': w.buyer.email, 'content-type': 'application/json' },
    payload: { productIds: Array.from({ length: 30 }, (_, i) => `B0${String(i).padStart(8, '0')}`), productRegion: 'US', locale: 'en_US' },
  });
  const [entry] = await app.emulator.requestLog.list({ requestId: String(big.headers['x-amzn-requestid']) });
  const stored = (entry!.request as { body: string }).body;
  assert.ok(Buffer.byteLength(stored) <= 300, `${Buffer.byteLength(stored)} bytes`);
  assert.match(stored, /…\[truncated, \d+ bytes\]$/);
});

test('a developer sees only the calls of their own apps', async () => {
  const app = await (await isolatedDatabase()).build();
  const w = await gatewayWorld(app);
  const dev = await developerClient(app, `dev-${Date.now()}@t.test`);
  const other = await w.tokenFor(['Amazon Business Analytics']);
  // The signed-in developer's own approved profile and app.
  await app.services.developers.updateProfile(dev.developerId, {
    organization: 'O',
    contactEmail: 'c@t.test',
    useCase: 'u',
    requestedRoles: ['Amazon Business Analytics'],
  });
  await app.services.developers.submitProfile(dev.developerId);
  const [review] = await app.services.reviews.list({ developerId: dev.developerId, status: 'pending' });
  await app.services.reviews.decide('operator:test', review!.id, true, null);
  const { app: mine } = await makePublishedApp(app, dev.developerId, ['Amazon Business Analytics']);
  const t = await app.services.oauth.authorizeOnBehalf({ applicationId: mine.applicationId, adminEmail: w.admin.email, marketplace: 'US' });
  for (const token of [t.access_token, other.accessToken, t.access_token])
    await app.server.inject({ method: 'GET', url: probeUrl(), headers: { 'x-amz-access-token': token } });

  const all = await dev('GET', '/requests');
  assert.equal(all.status, 200);
  assert.equal(all.body.requests.length, 2);
  assert.ok(all.body.requests.every((e: { appId: string }) => e.appId === mine.id));
  assert.equal((await dev('GET', `/requests?app=${mine.applicationId}&limit=1`)).body.requests.length, 1);
  assert.equal((await dev('GET', `/requests?app=${other.client.id}`)).status, 404, "another developer's app is not found");
  assert.equal((await app.server.inject({ method: 'GET', url: '/developer/v1/requests' })).statusCode, 401);
});

test('retention holds under a burst of 10,000 calls: count and age bounds, bounded memory', async () => {
  const app = await (await isolatedDatabase()).build({ requestLogMaxEntries: 1000, requestLogMaxAgeSeconds: 3600 });
  const recorder = app.emulator.requestLog;
  const w = await gatewayWorld(app);
  const { accessToken } = await w.tokenFor(['Amazon Business Analytics']);
  const row = (i: number) => ({
    at: app.clock.now(),
    request_id: `burst-${i}`,
    kind: 'api' as const,
    method: 'GET',
    path: '/na/x',
    region: 'NA',
    environment: 'production',
    app_id: 'app_burst',
    client_id: null,
    business_id: null,
    user_email: null,
    operation: 'getOrdersByOrderDate',
    status: 200,
    latency_ms: 1,
    error_code: null,
    fault_id: null,
    request_headers: null,
    request_body: null,
    response_body: null,
  });
  const t0 = performance.now();
  let maxPending = 0;
  let recordMs = 0;
  for (let i = 0; i < 10_000; i++) {
    const r = row(i);
    const t = performance.now();
    recorder.record({ row: r });
    recordMs += performance.now() - t;
    maxPending = Math.max(maxPending, recorder.pendingCount);
    if (i % 1000 === 999) await new Promise((resolve) => setImmediate(resolve)); // let flushes run, as a server does between requests
  }
  await recorder.flush();
  const totalMs = performance.now() - t0;
  // Real HTTP calls on top of the burst.
  for (let i = 0; i < 20; i++) await app.server.inject({ method: 'GET', url: probeUrl(), headers: { 'x-amz-access-token': accessToken } });
  assert.equal(await recorder.count(), 1000, 'never more than REQUEST_LOG_MAX_ENTRIES');
  const newest = await recorder.list({ limit: 1000 });
  assert.equal(newest.filter((e) => e.appId !== 'app_burst').length, 20, 'the newest entries are kept');
  assert.match(newest.at(-1)!.requestId, /^burst-\d+$/);
  // A database slower than the burst makes the buffer drop (and count) entries rather than grow.
  assert.ok(maxPending <= 10_000, `at most the buffer's bound waits in memory (${maxPending})`);
  assert.equal(recorder.pendingCount, 0);
  console.log(
    `request log: 10,000 record() calls took ${recordMs.toFixed(1)} ms on the hot path; all written and pruned ${totalMs.toFixed(0)} ms after the first (${Math.round(10_000 / (totalMs / 1000))} entries/s, ${dbKind}, peak ${maxPending} waiting, ${recorder.dropped} dropped)`,
  );

  // Age: an hour and a second later, the next write prunes everything older than an hour.
  app.clock.advance(3601_000);
  await app.server.inject({ method: 'GET', url: probeUrl(), headers: { 'x-amz-access-token': accessToken } });
  assert.equal(await recorder.count(), 1);
});

test('a full buffer drops entries rather than growing; recording can be turned off', async () => {
  const db = await isolatedDatabase();
  const app = await db.build();
  const { RequestRecorder } = await import('../../src/modules/emulator/index.ts');
  const small = new RequestRecorder(app.ctx, {
    maxEntries: 100,
    maxAgeSeconds: 60,
    maxPending: 50,
    flushAt: 1000,
    flushIntervalMs: 60_000,
  });
  const row = {
    at: 0,
    request_id: 'r',
    kind: 'api' as const,
    method: 'GET',
    path: '/',
    region: null,
    environment: null,
    app_id: null,
    client_id: null,
    business_id: null,
    user_email: null,
    operation: null,
    status: 200,
    latency_ms: 0,
    error_code: null,
    fault_id: null,
    request_headers: null,
    request_body: null,
    response_body: null,
  };
  for (let i = 0; i < 80; i++) small.record({ row: { ...row, at: app.clock.now() } });
  assert.equal(small.pendingCount, 50);
  assert.equal(small.dropped, 30);
  await small.close();
  const off = await db.build({ requestLogMaxEntries: 0 });
  off.emulator.requestLog.record({ row });
  assert.equal(off.emulator.requestLog.pendingCount, 0);
  const metrics = (await app.server.inject({ method: 'GET', url: '/metrics' })).body;
  assert.match(metrics, /^bizapi_request_log_dropped_total 0$/m);
});

/** An app on a database of its own whose JSON log lines (level info) are collected. */
async function loggedApp(overrides: Partial<Config>) {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  const db = await isolatedDatabase();
  const clock = new VirtualClock();
  const app = await buildApp(testConfig({ ...db.config, dataDir: testDataDir(), ...overrides }), {
    clock,
    logger: { level: 'info', stream },
  });
  const parsed = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  return { app: Object.assign(app, { clock }) satisfies TestApp, lines, parsed };
}

/** Calls answered 200, 403, 500 (a fault rule of this app) and a URL with a secret query parameter. */
async function callsOf(app: TestApp) {
  const world = await gatewayWorld(app);
  const t = await world.tokenFor([PROBE.role, 'Business Product Catalog']);
  await app.emulator.faults!.create('test', { operation: 'productsRequest', appId: t.client.id, status: 500 });
  const headers = { 'x-amz-access-token': t.accessToken, 'x-amz-user-email': world.buyer.email };
  const ok = await app.server.inject({ method: 'GET', url: probeUrl(), headers });
  const refused = await app.server.inject({ method: 'GET', url: probeUrl('/eu'), headers });
  const failed = await app.server.inject({
    method: 'GET',
    url: '/na/products/2020-08-26/products/B000000001?productRegion=US&locale=en_US',
    headers,
  });
  const secret = 'grant-code-that-must-not-be-logged';
  const health = await app.server.inject({ method: 'GET', url: `/healthz?code=${secret}` });
  assert.deepEqual([ok.statusCode, refused.statusCode, failed.statusCode, health.statusCode], [PROBE.status, 403, 500, 200]);
  const id = (r: { headers: Record<string, unknown> }) => String(r.headers['x-amzn-requestid']);
  return { ok: id(ok), refused: id(refused), failed: id(failed), health: id(health), secrets: [t.accessToken, secret] };
}

test('at the default log level no line is written per request, but a 5xx is logged at error with its request id', async () => {
  const { app, lines, parsed } = await loggedApp({});
  try {
    assert.equal(app.ctx.config.logRequests, false);
    const calls = await callsOf(app);
    const of = (reqId: string) => parsed().filter((l) => l.reqId === reqId);
    assert.deepEqual(of(calls.ok), [], 'a 200 writes no line');
    assert.deepEqual(of(calls.refused), [], 'a refusal is logged at debug, below the default');
    assert.deepEqual(of(calls.health), []);
    const failed = of(calls.failed);
    assert.deepEqual(
      failed.map((l) => [l.level, l.msg, l.code]),
      [[50, 'request failed', 'SERVICE_ERROR']],
    );
    const log = lines.join('');
    for (const s of calls.secrets) assert.equal(log.includes(s), false, 'a secret reached the log');
  } finally {
    await app.close();
  }
});

test('LOG_REQUESTS=true writes one line per request with its request id, status and redacted URL, never a token', async () => {
  const { app, lines, parsed } = await loggedApp({ logRequests: true });
  try {
    const calls = await callsOf(app);
    const requestLine = (reqId: string) => {
      const mine = parsed().filter((l) => l.reqId === reqId && l.msg === 'request');
      assert.equal(mine.length, 1, lines.join(''));
      return mine[0]!;
    };
    const ok = requestLine(calls.ok);
    assert.deepEqual([ok.level, ok.method, ok.status, typeof ok.ms], [30, 'GET', PROBE.status, 'number']);
    assert.equal(ok.url, probeUrl());
    assert.equal(ok.code, undefined);
    const refused = requestLine(calls.refused);
    assert.deepEqual([refused.status, refused.code], [403, 'Unauthorized']);
    assert.deepEqual(
      [requestLine(calls.failed).status, requestLine(calls.failed).code],
      [500, 'SERVICE_ERROR'],
      'Product Search names its 500 SERVICE_ERROR',
    );
    assert.equal(requestLine(calls.failed).note, undefined, 'a 5xx note stays on its error line');
    assert.equal(parsed().filter((l) => l.reqId === calls.failed && l.msg === 'request failed').length, 1);
    assert.equal(requestLine(calls.health).status, 200);
    assert.match(String(requestLine(calls.health).url), /^\/healthz\?code=/);
    const log = lines.join('');
    for (const s of calls.secrets) assert.equal(log.includes(s), false, 'a secret reached the log');
  } finally {
    await app.close();
  }
});

test('LOG_REQUESTS is off unless set, reads true or false, and refuses anything else', async () => {
  const { loadConfig, ConfigError } = await import('../../src/config/config.ts');
  assert.equal(loadConfig({}).logRequests, false);
  assert.equal(loadConfig({ LOG_REQUESTS: 'true' }).logRequests, true);
  assert.equal(loadConfig({ LOG_REQUESTS: '0' }).logRequests, false);
  assert.throws(
    () => loadConfig({ LOG_REQUESTS: 'sometimes' }),
    (err: unknown) => err instanceof ConfigError && /LOG_REQUESTS/.test(err.message),
  );
});

import { after, test } from 'node:test';
import fs from 'node:fs';
import assert from 'node:assert/strict';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { buildTestApp, dbKind, testDataDir } from '../support/app.ts';
import { buildApp } from '../../src/app.ts';
import { testConfig } from '../../src/config/config.ts';
import { VirtualClock } from '../../src/kernel/clock.ts';
import { apiModulesWithout, gatewayWorld, PROBE, probeUrl, urlOf } from '../support/gateway.ts';
import { OPERATIONS } from '../../src/modules/registry/index.ts';
import { ROLES } from '../../src/kernel/reference.ts';
import { joinedBaseUrl } from '../../src/platform/http/server.ts';

// What an independently written client saw on the wire (issue 18): header names with Amazon's
// spelling on every API answer, the rate header on a 429, and a base URL with a trailing slash.

const app = await buildTestApp();
const w = await gatewayWorld(app);
const buyer = await w.tokenFor(['Business Product Catalog', 'Amazon Business Analytics']);
await app.server.listen({ port: 0, host: '127.0.0.1' });
const { port } = app.server.server.address() as AddressInfo;

/** Sends one raw HTTP/1.1 request and returns the response head exactly as the bytes arrived. */
function rawHead(path: string, headers: Record<string, string>, to = port): Promise<{ status: number; lines: string[] }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(to, '127.0.0.1');
    let data = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      data += chunk;
      const end = data.indexOf('\r\n\r\n');
      if (end < 0) return;
      socket.destroy();
      const lines = data.slice(0, end).split('\r\n');
      resolve({ status: Number(lines[0]!.split(' ')[1]), lines: lines.slice(1) });
    });
    socket.on('error', reject);
    const head = Object.entries({ host: `127.0.0.1:${to}`, connection: 'close', ...headers }).map(([k, v]) => `${k}: ${v}`);
    socket.write(`GET ${path} HTTP/1.1\r\n${head.join('\r\n')}\r\n\r\n`);
  });
}

const names = (lines: string[]): string[] => lines.map((l) => l.slice(0, l.indexOf(':')));
const valueOf = (lines: string[], name: string): string | undefined =>
  lines
    .find((l) => l.startsWith(`${name}:`))
    ?.slice(name.length + 1)
    .trim();
const auth = { 'x-amz-access-token': buyer.accessToken, 'x-amz-user-email': w.buyer.email };
const SEARCH = '/products/2020-08-26/products?productRegion=US&locale=en_US&keywords=phone';

test('API answers spell x-amzn-RequestId and x-amzn-RateLimit-Limit as Amazon does, errors included', async () => {
  const answers = {
    ok: await rawHead(`/na${SEARCH}`, auth),
    missing: await rawHead('/na/products/2020-08-26/products?keywords=phone', auth),
    denied: await rawHead(`/na${SEARCH}`, { 'x-amz-access-token': 'Atza|nope' }),
    report: await rawHead(probeUrl(), auth),
    unknownPath: await rawHead('/na/nothing/here', {}),
  };
  for (const [what, { status, lines }] of Object.entries(answers)) {
    assert.ok(names(lines).includes('x-amzn-RequestId'), `${what} (${status}): ${names(lines).join(', ')}`);
    assert.ok(!names(lines).includes('x-amzn-requestid'), `${what}: no lower-cased twin`);
  }
  assert.equal(answers.ok.status, 200);
  assert.equal(valueOf(answers.ok.lines, 'x-amzn-RateLimit-Limit'), '0.5');
  assert.equal(answers.missing.status, 400);
  assert.equal(valueOf(answers.missing.lines, 'x-amzn-RateLimit-Limit'), '0.5');
  assert.equal(answers.denied.status, 403);
  assert.equal(valueOf(answers.denied.lines, 'x-amzn-ErrorType'), 'AccessDeniedException');
  assert.equal(answers.report.status, 200);
  assert.equal(valueOf(answers.report.lines, 'x-amzn-RateLimit-Limit'), '0.5');
  // The 501 of an API not built is spelled the same: see 'a 501 says whether the sandbox has canned answers…'.
});

test('a 429 carries x-amzn-RateLimit-Limit, spelled, like every other answer', async () => {
  const analyst = await w.tokenFor(['Amazon Business Analytics']);
  await app.services.reviews.setUsagePlan('operator:t', analyst.client.id, PROBE.operationId, 0.0001, 1);
  const auth = { 'x-amz-access-token': analyst.accessToken };
  const url = probeUrl();
  assert.equal((await rawHead(url, auth)).status, PROBE.status, 'the bucket of one lets the first call through');
  const throttled = await rawHead(url, auth);
  assert.equal(throttled.status, 429);
  assert.equal(valueOf(throttled.lines, 'x-amzn-RateLimit-Limit'), '0.0001');
  assert.ok(names(throttled.lines).includes('x-amzn-RequestId'));
});

test('a base URL with a trailing slash works: the slashes where it meets the API path count as one', async () => {
  const single = await app.server.inject({ method: 'GET', url: `/na${SEARCH}`, headers: auth });
  assert.equal(single.statusCode, 200, single.body);
  for (const url of [`/na/${SEARCH}`, `/na//${SEARCH}`, `//na${SEARCH}`]) {
    // `/na/` + `/products/…`, and a root base URL with a trailing slash in front of it
    const res = await app.server.inject({ method: 'GET', url, headers: auth });
    assert.equal(res.statusCode, 200, `${url}: ${res.body}`);
    assert.equal(res.json().matchingProductCount, single.json().matchingProductCount, url);
  }
  const sandbox = await w.sandboxToken(['Business Product Catalog']);
  const canned = await app.server.inject({
    method: 'GET',
    url: '/sandbox/jp//products/2020-08-26/products?productRegion=US&locale=en_US&facets=OFFERS&keywords=keyword',
    headers: { 'x-amz-access-token': sandbox.accessToken },
  });
  assert.notEqual(canned.statusCode, 404, canned.body);
});

test('only the slashes where the base URL meets the path are joined; an empty path parameter stays one', () => {
  const prefixes = ['/na', '/sandbox/na'];
  assert.equal(joinedBaseUrl('//products/2020-08-26/products?x=//y', prefixes), '/products/2020-08-26/products?x=//y');
  assert.equal(joinedBaseUrl('/na///products/2020-08-26/products', prefixes), '/na/products/2020-08-26/products');
  assert.equal(
    joinedBaseUrl('/sandbox/na//reports/2025-06-09/purchaseOrders//orderReports', prefixes),
    '/sandbox/na/reports/2025-06-09/purchaseOrders//orderReports',
  );
  assert.equal(joinedBaseUrl('/nab//x', prefixes), '/nab//x', 'a longer first segment is not a base prefix');
});

test('an empty body sent as application/json is no body: every operation answers by its own rules, never ValidationError', async () => {
  const all = await w.tokenFor([...ROLES]);
  for (const op of OPERATIONS) {
    await app.services.reviews.setUsagePlan('operator:t', all.client.id, op.operationId, 1000, 1000);
    const headers = { 'x-amz-access-token': all.accessToken, 'x-amz-user-email': w.buyer.email };
    const url = urlOf(op, '/na', op.api === 'Product Search' ? '?productRegion=US&locale=en_US&keywords=phone' : '');
    const without = await app.server.inject({ method: op.method, url, headers });
    const empty = await app.server.inject({
      method: op.method,
      url,
      headers: { ...headers, 'content-type': 'application/json' },
      payload: '',
    });
    assert.equal(empty.statusCode, without.statusCode, `${op.operationId}: ${empty.body}`);
    assert.doesNotMatch(empty.body, /ValidationError/, op.operationId);
    if (op.method === 'POST' && op.api !== 'Product Search') {
      const broken = await app.server.inject({
        method: op.method,
        url,
        headers: { ...headers, 'content-type': 'application/json' },
        payload: '{"a":',
      });
      assert.equal(broken.statusCode, 400, `${op.operationId}: ${broken.body}`);
      assert.equal(broken.json().errors[0].code, 'InvalidInput', op.operationId);
    }
  }
});

test('a 501 says whether the sandbox has canned answers for the operation, and is logged at info, not as an error', async () => {
  const lines: string[] = [];
  const dataDir = testDataDir();
  // Both probed APIs are left out of the server, so they stay unbuilt there once they are built.
  const logged = await buildApp(testConfig({ dataDir, databaseUrl: dbKind === 'postgres' ? (process.env.DATABASE_URL ?? null) : null }), {
    clock: new VirtualClock(),
    logger: { level: 'info', stream: { write: (line: string) => lines.push(line) } },
    apiModules: apiModulesWithout('Reporting 2021-01-08', 'Application Management'),
  });
  after(async () => {
    await logged.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  const lw = await gatewayWorld(Object.assign(logged, { clock: logged.ctx.clock as VirtualClock }));
  const token = await lw.tokenFor([...ROLES]);
  const headers = { 'x-amz-access-token': token.accessToken, 'x-amz-user-email': lw.buyer.email, 'content-type': 'application/json' };
  const canned = await logged.server.inject({ method: 'GET', url: '/na/reports/2021-01-08/orders/X1', headers });
  const none = await logged.server.inject({ method: 'POST', url: '/na/applications/2023-11-30/clientSecret', headers, payload: '{}' });
  assert.deepEqual([canned.statusCode, none.statusCode], [501, 501]);
  assert.match(canned.json().errors[0].details, /sandbox base URL answers it from canned scenarios/);
  assert.match(none.json().errors[0].details, /no canned answer for it either/);
  // On the wire, a 501 spells its headers as every other API answer does.
  await logged.server.listen({ port: 0, host: '127.0.0.1' });
  const raw = await rawHead('/na/reports/2021-01-08/orders/X1', headers, (logged.server.server.address() as AddressInfo).port);
  assert.equal(raw.status, 501);
  assert.ok(names(raw.lines).includes('x-amzn-RequestId'), names(raw.lines).join(', '));
  assert.ok(!names(raw.lines).includes('x-amzn-requestid'), 'no lower-cased twin');
  assert.equal(valueOf(raw.lines, 'x-amzn-RateLimit-Limit'), '0.5');
  const refusals = lines.map((l) => JSON.parse(l) as { level: number; code?: string }).filter((l) => l.code === 'NotImplemented');
  assert.equal(refusals.length, 3);
  assert.ok(
    refusals.every((l) => l.level === 30),
    'info (30), not error (50)',
  );
});

test('a NUL character in a query, a form or a JSON body is a 400 in the shape of its route, never a 500', async () => {
  const api = await app.server.inject({ method: 'GET', url: `/na${SEARCH}%00`, headers: auth });
  assert.equal(api.statusCode, 400, api.body);
  assert.equal(api.json().errors[0].code, 'InvalidInput');
  const body = await app.server.inject({
    method: 'POST',
    url: '/na/products/2020-08-26/products/getProductsByAsins',
    headers: { ...auth, 'content-type': 'application/json' },
    payload: '{"productIds":["B0\\u0000"],"productRegion":"US","locale":"en_US"}',
  });
  assert.equal(body.statusCode, 400, body.body);
  const page = await app.server.inject({ method: 'GET', url: '/b2b/abws/oauth?applicationId=%00' });
  assert.equal(page.statusCode, 400);
  assert.match(String(page.headers['content-type']), /^text\/html/);
  const token = await app.server.inject({
    method: 'POST',
    url: '/auth/o2/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: 'grant_type=refresh_token&refresh_token=%00&client_id=x&client_secret=y',
  });
  assert.equal(token.statusCode, 400, token.body);
  assert.ok(token.json().error, 'the token endpoint answers in its own shape');
  const admin = await app.server.inject({ method: 'GET', url: '/admin/v1/businesses/%00', headers: { 'x-api-key': 'bza_x' } });
  assert.ok(admin.statusCode < 500, admin.body);
});

test('the sandbox matches a request sent with model defaults and 1/0 booleans, unless SANDBOX_MATCHING=literal', async () => {
  const sandbox = await w.sandboxToken([...ROLES]);
  const headers = { 'x-amz-access-token': sandbox.accessToken };
  const offers =
    '/sandbox/na/products/2020-08-26/products/B07VDJ5RVF/offers?productRegion=US&locale=en_US&pageNumber=1&pageSize=12&filterIds=NEW,PRIME&quantity=1';
  const reports =
    '/sandbox/na/reports/2021-01-08/orders?startDate=2020-12-01T00:00:00&endDate=2020-12-01T23:00:00&includeLineItems=0&includeCharges=false';
  const canned = await app.server.inject({ method: 'GET', url: offers, headers });
  assert.equal(canned.statusCode, 200, canned.body);
  const legacy = await app.server.inject({ method: 'GET', url: reports, headers });
  assert.equal(legacy.statusCode, 200, legacy.body);

  const strict = await buildTestApp({ sandboxMatching: 'literal' });
  const sw = await gatewayWorld(strict);
  const st = await sw.sandboxToken([...ROLES]);
  const refused = await strict.server.inject({ method: 'GET', url: offers, headers: { 'x-amz-access-token': st.accessToken } });
  assert.equal(refused.statusCode, 400, 'literal matching: quantity=1 is a parameter the scenario does not list');
  assert.equal(refused.json().errors[0].code, 'InvalidInput');
});

/** Sends raw bytes and returns the whole answer (the server closes the connection). */
function rawExchange(bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let data = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (data += chunk));
    socket.on('end', () => resolve(data));
    socket.on('close', () => resolve(data));
    socket.on('error', reject);
    socket.write(bytes);
  });
}

test("requests Node's HTTP parser refuses (malformed, headers too large) get the Amazon envelope and a request id", async () => {
  const cases: [string, number, string][] = [
    ['GET /na/products/2020-08-26/products HTTP/1.1\r\nhost: x\r\nbad header line\r\n\r\n', 400, 'InvalidInput'],
    ['GARBAGE\r\n\r\n', 400, 'InvalidInput'],
    [
      `GET /na/products/2020-08-26/products HTTP/1.1\r\nhost: x\r\nx-big: ${'a'.repeat(20_000)}\r\n\r\n`,
      431,
      'RequestHeaderFieldsTooLarge',
    ],
  ];
  for (const [bytes, status, code] of cases) {
    const answer = await rawExchange(bytes);
    const [head = '', body = ''] = answer.split('\r\n\r\n');
    const lines = head.split('\r\n');
    assert.equal(Number(lines[0]!.split(' ')[1]), status, answer);
    assert.match(valueOf(lines.slice(1), 'x-amzn-RequestId') ?? '', /^[0-9a-f-]{36}$/);
    assert.equal(valueOf(lines.slice(1), 'Content-Type'), 'application/json');
    const parsed = JSON.parse(body) as { errors: { code: string; message: string }[] };
    assert.equal(parsed.errors[0]!.code, code);
    assert.ok(parsed.errors[0]!.message.length > 10);
  }
});

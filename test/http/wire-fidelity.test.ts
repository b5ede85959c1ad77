import { after, test } from 'node:test';
import fs from 'node:fs';
import http from 'node:http';
import assert from 'node:assert/strict';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { buildTestApp, dbKind, testDataDir } from '../support/app.ts';
import { buildApp } from '../../src/app.ts';
import { testConfig } from '../../src/config/config.ts';
import { VirtualClock } from '../../src/kernel/clock.ts';
import { apiModulesWithout, gatewayWorld, PROBE, probeUrl, urlOf } from '../support/gateway.ts';
import { adminClient } from '../support/http.ts';
import { orderingWorld } from '../support/ordering.ts';
import { APIS, OPERATIONS, SANDBOX_USAGE_PLAN, type Operation } from '../../src/modules/registry/index.ts';
import { loadScenarios, toWireValue } from '../../src/modules/sandbox/index.ts';
import { API_MODULES } from '../../src/apis/index.ts';
import { ROLES } from '../../src/kernel/reference.ts';
import { GRANTLESS_OPERATIONS } from '../../src/modules/oauth/index.ts';
import { grantlessToken } from '../support/oauth.ts';
import { AMAZON_HEADER_NAMES, joinedBaseUrl } from '../../src/platform/http/server.ts';

// What an independently written client saw on the wire (issue 18): header names with Amazon's
// spelling on every API answer, the rate header on a 429, and a base URL with a trailing slash.

const app = await buildTestApp();
const w = await gatewayWorld(app);
const buyer = await w.tokenFor(['Business Product Catalog', 'Amazon Business Analytics']);
// One app with every role and a plan that never throttles, and one sandbox app, shared by the tests
// below (a developer has at most 10 apps).
const all = await w.tokenFor([...ROLES]);
for (const op of OPERATIONS) await app.services.reviews.setUsagePlan('operator:t', all.client.id, op.operationId, 1000, 1000);
const sandbox = await w.sandboxToken([...ROLES]);
// Grantless operations (rotateApplicationClientSecret) take only an app's own client_credentials
// token on the production base URLs: `tokenOf` gives it for them, the token given for the others.
const allGrantless = await grantlessToken(app, all);
const tokenOf = (op: Operation, token: string): string =>
  GRANTLESS_OPERATIONS.has(op.operationId) && token === all.accessToken ? allGrantless : token;
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

/** One answer over real HTTP: the status, the header names exactly as they arrived, the body. */
interface Exchange {
  status: number;
  names: string[];
  header(name: string): string | undefined;
  body: string;
}

/** Sends one request through node:http (a body is sent with its Content-Length) and reads the answer. */
function exchange(method: string, path: string, headers: Record<string, string>, body?: string, to = port): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    const sized = body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) };
    const req = http.request({ host: '127.0.0.1', port: to, method, path, headers: sized, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => {
        const raw = res.rawHeaders;
        const pairs = raw.flatMap((v, i) => (i % 2 === 0 ? [[v, raw[i + 1] ?? ''] as const] : []));
        resolve({
          status: res.statusCode ?? 0,
          names: pairs.map(([n]) => n),
          header: (name) => pairs.find(([n]) => n === name)?.[1],
          body: text,
        });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** The error code of an answer in the Amazon envelope (undefined for any other body). */
function codeOf(ex: Pick<Exchange, 'body'>): string | undefined {
  try {
    return (JSON.parse(ex.body) as { errors?: { code?: string }[] }).errors?.[0]?.code;
  } catch {
    return undefined;
  }
}

/** Asserts Amazon's spelling of every x-amzn header name of an answer, the request id among them. */
function assertSpelled(ex: Pick<Exchange, 'names' | 'status'>, what: string): void {
  assert.ok(ex.names.includes('x-amzn-RequestId'), `${what} (${ex.status}): ${ex.names.join(', ')}`);
  const misspelled = ex.names.filter((n) => /^x-amzn-/i.test(n) && !(AMAZON_HEADER_NAMES as readonly string[]).includes(n));
  assert.deepEqual(misspelled, [], `${what}: header names not spelled as Amazon does`);
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

test('every kind of API answer spells its headers as Amazon does: sandbox, 204, 413, 415, refusals before routing, token endpoint', async () => {
  const prod = { 'x-amz-access-token': all.accessToken, 'x-amz-user-email': w.buyer.email };
  const sbx = { 'x-amz-access-token': sandbox.accessToken, 'x-amz-user-email': w.buyer.email };
  const json = { 'content-type': 'application/json' };
  const answers: [string, Exchange, number, string | null][] = [
    // [what, answer, status, the rate it carries (null: none applied yet)]
    ['sandbox 200', await exchange('GET', `/sandbox/na${SEARCH.replace('phone', 'keyword')}&facets=OFFERS`, sbx), 200, '5'],
    ['sandbox no match', await exchange('GET', '/sandbox/na/cart/2025-04-30/carts?region=CA', sbx), 400, '5'],
    ['sandbox 204', await exchange('DELETE', '/sandbox/na/cart/2025-04-30/carts/cart-123/items?region=US', sbx), 204, '5'],
    // `all` has a plan of its own (1000 per second) on every operation: the rate is the app's.
    ['415', await exchange('POST', '/na/ordering/2022-10-30/orders', { ...prod, 'content-type': 'text/plain' }, 'x'), 415, '1000'],
    ['413', await exchange('POST', '/na/ordering/2022-10-30/orders', { ...prod, ...json }, `"${'a'.repeat(2_000_000)}"`), 413, '1000'],
    ['wrong method', await exchange('GET', '/na/products/2020-08-26/products/getProductsByAsins', prod), 400, '1000'],
    ['malformed URL', await exchange('GET', '/na/products/2020-08-26/products/%E0%A4%A', prod), 400, null],
    [
      'token endpoint',
      await exchange('POST', '/auth/o2/token', { 'content-type': 'application/x-www-form-urlencoded' }, 'grant_type=x'),
      400,
      null,
    ],
  ];
  for (const [what, ex, status, rate] of answers) {
    assert.equal(ex.status, status, `${what}: ${ex.body.slice(0, 300)}`);
    assertSpelled(ex, what);
    assert.equal(ex.header('x-amzn-RateLimit-Limit'), rate ?? undefined, what);
  }
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

  // The sandbox's own plan (rate 5, burst 15 per app and operation) throttles the same way. The calls
  // go out together: sent one after another on a loaded machine, a second could pass and refill five.
  const analystSandbox = await w.sandboxToken(['Amazon Business Analytics']);
  const sandboxUrl = probeUrl('/sandbox/na');
  const calls = SANDBOX_USAGE_PLAN.burst + 5;
  const answers = await Promise.all(
    Array.from({ length: calls }, () => exchange('GET', sandboxUrl, { 'x-amz-access-token': analystSandbox.accessToken })),
  );
  const throttledSandbox = answers.filter((a) => a.status === 429);
  assert.ok(throttledSandbox.length >= 1, `${calls} calls at once against a burst of ${SANDBOX_USAGE_PLAN.burst}: none throttled`);
  for (const a of throttledSandbox) {
    assert.equal(a.header('x-amzn-RateLimit-Limit'), String(SANDBOX_USAGE_PLAN.rate));
    assertSpelled(a, 'sandbox 429');
  }
  assert.ok(answers.every((a) => a.status === 429 || a.header('x-amzn-RateLimit-Limit') === String(SANDBOX_USAGE_PLAN.rate)));
});

test('a base URL with a trailing slash works: the slashes where it meets the API path count as one, the query untouched', async () => {
  const single = await exchange('GET', `/na${SEARCH}`, auth);
  assert.equal(single.status, 200, single.body);
  const count = (ex: Exchange) => (JSON.parse(ex.body) as { matchingProductCount: number }).matchingProductCount;
  // `/na/` + `/products/…`, a root base URL with a trailing slash, and both
  for (const url of [`/na/${SEARCH}`, `/na//${SEARCH}`, `/${SEARCH}`, `//na${SEARCH}`]) {
    const res = await exchange('GET', url, auth);
    assert.equal(res.status, 200, `${url}: ${res.body}`);
    assert.equal(count(res), count(single), url);
  }
  // The query keeps its own slashes: a scenario listing `keywords=a//b` matches only that value.
  const admin = await adminClient(app);
  const added = await admin('POST', '/sandbox/scenarios', {
    operationId: 'searchProductsRequest',
    request: { query: { productRegion: 'US', locale: 'en_US', keywords: 'a//b' } },
    response: { status: 200, body: { matchingProductCount: 0, numberOfPages: 0, products: [], searchRefinements: [] } },
  });
  assert.equal(added.status, 201, JSON.stringify(added.body));
  try {
    const query = '?productRegion=US&locale=en_US&keywords=a//b';
    for (const url of [`/sandbox/na//products/2020-08-26/products${query}`, `/sandbox/na/products/2020-08-26/products${query}`]) {
      const res = await exchange('GET', url, { 'x-amz-access-token': sandbox.accessToken });
      assert.equal(res.status, 200, `${url}: ${res.body}`);
    }
    const collapsed = await exchange('GET', '/sandbox/na//products/2020-08-26/products?productRegion=US&locale=en_US&keywords=a/b', {
      'x-amz-access-token': sandbox.accessToken,
    });
    assert.equal(collapsed.status, 400, 'a//b and a/b are different requests');
  } finally {
    await admin('DELETE', `/sandbox/scenarios/${(added.body as { id: string }).id}`);
  }
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

test('an empty body sent as application/json is no body on every API route, production and sandbox, never ValidationError', async () => {
  const query = (op: Operation) => (op.api === 'Product Search' ? '?productRegion=US&locale=en_US&keywords=phone' : '');
  // Each base URL: a path prefix, or the root path with a Host naming the region and environment.
  const bases: { prefix: string; host?: string; token: string }[] = [
    { prefix: '/na', token: all.accessToken },
    { prefix: '', host: 'na.business-api.example.com', token: all.accessToken },
    { prefix: '/sandbox/na', token: sandbox.accessToken },
    { prefix: '', host: 'sandbox.na.business-api.example.com', token: sandbox.accessToken },
  ];
  let needsBody = 0;
  for (const base of bases) {
    for (const op of OPERATIONS) {
      const url = urlOf(op, base.prefix, query(op));
      const headers = {
        ...(base.host ? { host: base.host } : {}),
        'x-amz-access-token': tokenOf(op, base.token),
        'x-amz-user-email': w.buyer.email,
      };
      const what = `${op.operationId} at ${base.host ?? base.prefix}`;
      const without = await exchange(op.method, url, headers);
      const empty = await exchange(op.method, url, { ...headers, 'content-type': 'application/json' }, '');
      assert.notEqual(empty.status, 429, what);
      assert.equal(empty.status, without.status, `${what}: ${empty.body}`);
      assert.equal(codeOf(empty), codeOf(without), `${what}: the same answer as without a body`);
      assert.doesNotMatch(empty.body, /ValidationError/, what);
      assertSpelled(empty, what);
      if (empty.status === 400 && op.parameters.some((p) => p.in === 'body' && p.required)) needsBody++;
    }
  }
  assert.ok(needsBody >= 8, `operations that need a body answered their own 400 (${needsBody})`);
  // A body that is not JSON at all is InvalidInput, on the production and sandbox routes alike.
  for (const op of OPERATIONS.filter((o) => o.method === 'POST' && o.api !== 'Product Search')) {
    for (const [prefix, token] of [
      ['/na', all.accessToken],
      ['/sandbox/na', sandbox.accessToken],
    ] as const) {
      const headers = { 'x-amz-access-token': tokenOf(op, token), 'x-amz-user-email': w.buyer.email, 'content-type': 'application/json' };
      const broken = await exchange(op.method, urlOf(op, prefix), headers, '{"a":');
      assert.equal(broken.status, 400, `${op.operationId} at ${prefix}: ${broken.body}`);
      assert.equal(codeOf(broken), 'InvalidInput', `${op.operationId} at ${prefix}`);
    }
  }
});

test('a URL the router cannot read is InvalidInput on every API base URL, never ValidationError', async () => {
  const headers = { 'x-amz-access-token': buyer.accessToken, 'x-amz-user-email': w.buyer.email };
  for (const prefix of ['/na', '/sandbox/na', '']) {
    const badEncoding = await exchange('GET', `${prefix}/products/2020-08-26/products/%E0%A4%A?productRegion=US`, headers);
    assert.equal(badEncoding.status, 400, badEncoding.body);
    assert.equal(codeOf(badEncoding), 'InvalidInput', `${prefix}: ${badEncoding.body}`);
    const tooLong = await exchange('GET', `${prefix}/products/2020-08-26/products/${'B'.repeat(501)}?productRegion=US`, headers);
    assert.equal(tooLong.status, 414, tooLong.body);
    assert.equal(codeOf(tooLong), 'InvalidInput', `${prefix}: ${tooLong.body}`);
    assertSpelled(tooLong, `${prefix} 414`);
  }
});

test('a 501 says whether the sandbox has canned answers for the operation, and is logged at debug as a refusal, not as an error', async () => {
  const lines: string[] = [];
  const dataDir = testDataDir();
  // Both probed APIs are left out of the server, so they stay unbuilt there once they are built.
  const logged = await buildApp(testConfig({ dataDir, databaseUrl: dbKind === 'postgres' ? (process.env.DATABASE_URL ?? null) : null }), {
    clock: new VirtualClock(),
    logger: { level: 'debug', stream: { write: (line: string) => lines.push(line) } },
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
  // rotateApplicationClientSecret is grantless: its app's client_credentials token reaches its 501.
  const grantless = await grantlessToken(logged, token);
  const none = await logged.server.inject({
    method: 'POST',
    url: '/na/applications/2023-11-30/clientSecret',
    headers: { ...headers, 'x-amz-access-token': grantless },
    payload: '{}',
  });
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
    refusals.every((l) => l.level === 20),
    'debug (20), as every refusal, not error (50)',
  );
  const errors = lines.map((l) => JSON.parse(l) as { level: number; msg?: string }).filter((l) => l.level >= 50);
  assert.deepEqual(errors, [], 'nothing about an expected 501 is logged as an error');
});

// Every API of the registry is built in this tree: the 501 of an operation whose API is not built,
// and the sandbox answers its message promises, are checked on a server built with no API module.
test('on a server without an API, its operations answer 501 and say whether the sandbox has canned answers for them', async () => {
  const bare = await buildTestApp({}, { apiModules: [] });
  const bw = await gatewayWorld(bare);
  const every = await bw.tokenFor([...ROLES]);
  for (const op of OPERATIONS) await bare.services.reviews.setUsagePlan('operator:t', every.client.id, op.operationId, 1000, 1000);
  const bareSandbox = await bw.sandboxToken([...ROLES]);
  const bareGrantless = await grantlessToken(bare, every);
  await bare.server.listen({ port: 0, host: '127.0.0.1' });
  const barePort = (bare.server.server.address() as AddressInfo).port;
  const { scenarios } = await loadScenarios();
  for (const op of OPERATIONS) {
    const token = GRANTLESS_OPERATIONS.has(op.operationId) ? bareGrantless : every.accessToken;
    const headers = { 'x-amz-access-token': token, 'x-amz-user-email': bw.buyer.email, 'content-type': 'application/json' };
    const res = await exchange(op.method, urlOf(op), headers, op.method === 'GET' ? undefined : '', barePort);
    assert.equal(res.status, 501, `${op.operationId}: ${res.body}`);
    const { details } = (JSON.parse(res.body) as { errors: { details: string }[] }).errors[0]!;
    if (scenarios.has(op.operationId)) assert.match(details, /sandbox base URL answers it from canned scenarios/, op.operationId);
    else assert.match(details, /no canned answer for it either/, op.operationId);
    // What the message promises holds: the sandbox answers each scenario's own request with its answer.
    for (const { request, response } of scenarios.forOperation(op.operationId)) {
      const path = op.path.replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(toWireValue(request.path[name] ?? '')));
      const query = new URLSearchParams(Object.entries(request.query).map(([k, v]): [string, string] => [k, toWireValue(v)])).toString();
      const body = request.body === undefined ? undefined : JSON.stringify(request.body);
      const canned = await exchange(
        op.method,
        `/sandbox/na${path}${query ? `?${query}` : ''}`,
        { ...headers, 'x-amz-access-token': bareSandbox.accessToken },
        body,
        barePort,
      );
      assert.equal(canned.status, response.status, `${op.operationId} in the sandbox: ${canned.body}`);
    }
  }
});

test('a 500 carries the code docs/errors.md gives its API, on the production and sandbox base URLs', async () => {
  const doc = fs.readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
  const table = doc.slice(doc.indexOf('| API | code of a 500 |'));
  const documented = new Map(
    [...table.slice(0, table.indexOf('\n\n')).matchAll(/^\| ([^|`]+?) \| `(\w+)` \|$/gm)].map((m) => [m[1]!, m[2]!]),
  );
  assert.deepEqual(
    APIS.map((a) => a.name).filter((name) => !documented.has(name)),
    [],
    'every API has its line',
  );
  const admin = await adminClient(app);
  const rules = [
    await admin('POST', '/faults', { appId: all.client.id, status: 500 }),
    await admin('POST', '/faults', { appId: sandbox.client.id, status: 500 }),
  ];
  try {
    for (const api of APIS) {
      const op = OPERATIONS.find((o) => o.api === api.name)!;
      for (const [prefix, token] of [
        ['/na', all.accessToken],
        ['/sandbox/na', sandbox.accessToken],
      ] as const) {
        const res = await exchange(op.method, urlOf(op, prefix), {
          'x-amz-access-token': tokenOf(op, token),
          'x-amz-user-email': w.buyer.email,
        });
        assert.equal(res.status, 500, `${op.operationId} at ${prefix}: ${res.body}`);
        assert.equal(codeOf(res), documented.get(api.name), `${api.name} at ${prefix}`);
        assertSpelled(res, `${api.name} 500`);
      }
    }
  } finally {
    for (const rule of rules) await admin('DELETE', `/faults/${(rule.body as { id: string }).id}`);
  }
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
  const matcher = await w.sandboxToken([...ROLES]);
  const canned = '/sandbox/na/products/2020-08-26/products?productRegion=US&locale=en_US&facets=OFFERS&keywords=keyword';
  const sent = {
    // the scenario's own request with parameters at the defaults the registry declares
    'model defaults (quantity)':
      '/sandbox/na/products/2020-08-26/products/B07VDJ5RVF/offers?productRegion=US&locale=en_US&pageNumber=1&pageSize=12&filterIds=NEW,PRIME&quantity=1',
    'defaults stated in prose (pageNumber, pageSize, sortKey)': `${canned}&pageNumber=0&pageSize=24&sortKey=RELEVANCE`,
    'a 0/false boolean at its default':
      '/sandbox/na/reports/2021-01-08/orders?startDate=2020-12-01T00:00:00&endDate=2020-12-01T23:00:00&includeLineItems=0&includeCharges=FALSE',
    "Document's pageSize":
      '/sandbox/na/reports/2021-09-30/reports?reportTypes=FEE_DISCOUNTS_REPORT,GET_AFN_INVENTORY_DATA&processingStatuses=IN_QUEUE,IN_PROGRESS&pageSize=10',
    // the scenario lists locale=en-US, the model's default: a request without it is the same
    'a listed default left out':
      '/sandbox/na/ab-tracking/2025-07-02/orders/114-2589187-9801025/shipments/401971789238301/packages/1?region=US',
  };
  for (const [what, url] of Object.entries(sent)) {
    const res = await exchange('GET', url, { 'x-amz-access-token': matcher.accessToken });
    assert.equal(res.status, 200, `${what}: ${res.body}`);
  }
  for (const [what, url] of Object.entries({
    'a value that is not the default': `${canned}&pageSize=23`,
    'a boolean that is not a boolean':
      '/sandbox/na/reports/2021-01-08/orders?startDate=2020-12-01T00:00:00&endDate=2020-12-01T23:00:00&includeLineItems=no',
  })) {
    const res = await exchange('GET', url, { 'x-amz-access-token': matcher.accessToken });
    assert.equal(res.status, 400, what);
    assert.equal(codeOf(res), 'InvalidInput', what);
  }

  const strict = await buildTestApp({ sandboxMatching: 'literal' });
  const sw = await gatewayWorld(strict);
  const st = await sw.sandboxToken([...ROLES]);
  await strict.server.listen({ port: 0, host: '127.0.0.1' });
  const strictPort = (strict.server.server.address() as AddressInfo).port;
  for (const [what, url] of Object.entries(sent)) {
    const refused = await exchange('GET', url, { 'x-amz-access-token': st.accessToken }, undefined, strictPort);
    assert.equal(refused.status, 400, `literal matching, ${what}: a parameter the scenario does not list or lists otherwise`);
    assert.equal(codeOf(refused), 'InvalidInput', what);
  }
  const literal = await exchange('GET', canned, { 'x-amz-access-token': st.accessToken }, undefined, strictPort);
  assert.equal(literal.status, 200, 'literal matching still matches the scenario as listed');
});

test('docs/sandbox.md lists exactly the defaults the registry declares', () => {
  const doc = fs.readFileSync(new URL('../../docs/sandbox.md', import.meta.url), 'utf8');
  const listed = new Set<string>();
  for (const m of doc.matchAll(/^\| `(\w+)` \| ((?:`\w+`(?:, )?)+) \| `([^`]+)` \|$/gm)) {
    for (const name of m[2]!.matchAll(/`(\w+)`/g)) listed.add(`${m[1]} ${name[1]} ${m[3]}`);
  }
  const declared = new Set(
    OPERATIONS.flatMap((o) =>
      o.parameters.filter((p) => p.default !== undefined).map((p) => `${o.operationId} ${p.name} ${String(p.default)}`),
    ),
  );
  assert.ok(declared.size >= 10);
  assert.deepEqual([...listed].sort(), [...declared].sort());
});

test('booleans are true, false, 1 or 0 in any case wherever the registry says a query parameter is boolean; anything else is the 400', async () => {
  const o = await orderingWorld();
  const placed = await o.place(o.body('wire-booleans'));
  assert.equal(placed.statusCode, 200, placed.body);
  const order = (await o.app.services.purchasing.findByExternalId(o.business.id, 'wire-booleans'))!;
  await o.advance(20 * 86_400_000);
  const end = new Date(o.app.clock.now()).toISOString();
  const start = new Date(o.app.clock.now() - 30 * 86_400_000).toISOString();
  // A request of each built operation with a boolean query parameter that finds the order.
  const urls: Record<string, string> = {
    getOrdersByOrderDate: `/na/reports/2021-01-08/orders?startDate=${start}&endDate=${end}`,
    getOrdersByOrderId: `/na/reports/2021-01-08/orders/${order.orderIdentifier}?`,
  };
  const built = new Set(API_MODULES.map((m) => m.api));
  const flags = OPERATIONS.filter((op) => built.has(op.api)).flatMap((op) =>
    op.parameters.filter((p) => p.in === 'query' && p.type === 'boolean').map((p) => [op.operationId, p.name] as const),
  );
  assert.deepEqual([...new Set(flags.map(([id]) => id))].sort(), Object.keys(urls).sort(), 'every operation with a boolean is exercised');
  await o.app.server.listen({ port: 0, host: '127.0.0.1' });
  const at = (o.app.server.server.address() as AddressInfo).port;
  const get = async (url: string) => {
    const res = await exchange('GET', url, { 'x-amz-access-token': o.headers['x-amz-access-token'] }, undefined, at);
    return { status: res.status, body: res.body, code: codeOf(res) };
  };
  for (const [operationId, name] of flags) {
    const base = `${urls[operationId]!}&`.replace('?&', '?');
    const yes = await get(`${base}${name}=true`);
    const no = await get(`${base}${name}=false`);
    assert.equal(yes.status, 200, yes.body);
    assert.notEqual(yes.body, no.body, `${operationId} ${name}: true and false give different answers`);
    for (const spelling of ['1', 'TRUE', 'True']) assert.deepEqual(await get(`${base}${name}=${spelling}`), yes, `${name}=${spelling}`);
    for (const spelling of ['0', 'FALSE']) assert.deepEqual(await get(`${base}${name}=${spelling}`), no, `${name}=${spelling}`);
    for (const wrong of ['yes', '2', 'on']) {
      const refused = await get(`${base}${name}=${wrong}`);
      assert.equal(refused.status, 400, `${name}=${wrong}`);
      assert.equal(refused.code, 'INVALID_REQUEST_PARAMETER');
      assert.match(refused.body, new RegExp(`\\[${name}\\]`));
    }
  }
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

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { gatewayWorld } from '../support/gateway.ts';
import { ModelValidator, type ConformanceResult } from '../support/conformance.ts';
import { needsModels } from '../support/models.ts';
import { DocValidator } from '../support/openapi.ts';
import { loadScenarios, toWireValue, type Scenario } from '../../src/modules/sandbox/index.ts';
import { findOperation, OPERATIONS, type Operation } from '../../src/modules/registry/index.ts';
import { ROLES } from '../../src/kernel/reference.ts';

// The platform's own answers on the sandbox base URLs (no match, no token, throttled) against the
// server's OpenAPI document (and, in the reference suite, the models); and every canned answer of
// the static sandbox, as it leaves the server, against its model (the reference suite: skipped
// where Amazon's models are not found).
const app: TestApp = await buildTestApp();
const w = await gatewayWorld(app);
const stubs = needsModels ? null : await ModelValidator.load('sandbox');
const models = needsModels ? null : await ModelValidator.load('production');
const own = await DocValidator.load(app);
/** The platform's answer against the document, then the model where the models are found. */
const platform = {
  check(op: Operation, status: number, body: string): ConformanceResult {
    const mine = own.check(op, status, body);
    return mine.ok && models ? models.check(op, status, body) : mine;
  },
};
const { scenarios, problems } = await loadScenarios();
assert.deepEqual(problems, []);

let token = (await w.sandboxToken([...ROLES])).accessToken;
let issuedAt = app.clock.now();
/** A sandbox token with every role; renewed before the virtual clock (moved to refill buckets) expires it. */
async function sandboxToken(): Promise<string> {
  if (app.clock.now() - issuedAt > 3000_000) {
    token = (await w.sandboxToken([...ROLES])).accessToken;
    issuedAt = app.clock.now();
  }
  return token;
}

const hasBody = (op: Operation): boolean => op.parameters.some((p) => p.in === 'body');

/** The request a scenario describes, aimed at the NA sandbox base URL. */
function requestOf(s: Scenario, op: Operation) {
  const path = op.path.replace(/:([A-Za-z]+)/g, (_m, name: string) => {
    const v = s.request.path[name];
    return encodeURIComponent(v === undefined ? 'X1' : toWireValue(v));
  });
  const query = new URLSearchParams(Object.entries(s.request.query).map(([k, v]): [string, string] => [k, toWireValue(v)])).toString();
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(s.request.header)) headers[k] = toWireValue(v);
  const body = s.request.body === undefined ? undefined : JSON.stringify(s.request.body);
  if (body !== undefined || hasBody(op)) headers['content-type'] = 'application/json';
  return {
    method: op.method,
    url: `/sandbox/na${path}${query ? `?${query}` : ''}`,
    headers,
    ...(body === undefined ? {} : { payload: body }),
  };
}

const explain = (r: ConformanceResult, body: string): string =>
  `${r.schema}${r.exception ? ` [${r.exception}]` : ''}\n  ${r.problems.join('\n  ')}\n  body: ${body.slice(0, 400)}`;

describe('reference: sandbox scenarios conform to their models', { skip: needsModels }, () => {
  for (const s of scenarios.all()) {
    const op = findOperation(s.operationId)!;
    test(`${s.id} ${s.operationId} ${s.response.status}`, async () => {
      app.clock.advance(1000);
      const req = requestOf(s, op);
      const res = await app.server.inject({ ...req, headers: { ...req.headers, 'x-amz-access-token': await sandboxToken() } });
      assert.equal(res.statusCode, s.response.status, `${req.method} ${req.url}: ${res.body.slice(0, 300)}`);
      const result = stubs!.check(op, res.statusCode, res.body);
      assert.ok(result.ok, explain(result, res.body));
      if (res.body !== '') assert.match(String(res.headers['content-type']), /^application\/json/);
    });
  }
});

describe("the platform's own answers on the sandbox base URLs conform", () => {
  for (const op of OPERATIONS) {
    test(`${op.operationId}: no match 400, no token 403`, async () => {
      app.clock.advance(1000);
      const url = `/sandbox/na${op.path.replace(/:([A-Za-z]+)/g, 'no-such-id')}?conformanceProbe=1`;
      const headers = hasBody(op) ? { 'content-type': 'application/json' } : {};
      const payload = hasBody(op) ? { payload: '{"conformanceProbe":true}' } : {};
      const miss = await app.server.inject({
        method: op.method,
        url,
        headers: { ...headers, 'x-amz-access-token': await sandboxToken() },
        ...payload,
      });
      assert.equal(miss.statusCode, 400, miss.body);
      assert.equal(miss.json().errors[0].code, 'InvalidInput');
      const missResult = platform.check(op, miss.statusCode, miss.body);
      assert.ok(missResult.ok, explain(missResult, miss.body));

      const denied = await app.server.inject({ method: op.method, url, headers, ...payload });
      assert.equal(denied.statusCode, 403);
      const deniedResult = platform.check(op, denied.statusCode, denied.body);
      assert.ok(deniedResult.ok, explain(deniedResult, denied.body));
    });
  }

  test('the sandbox throttle (rate 5, burst 15) answers 429 in the model envelope', async () => {
    const op = findOperation('getOrdersByOrderDate')!;
    const t = await sandboxToken();
    let last = { statusCode: 0, body: '' };
    for (let i = 0; i < 300 && last.statusCode !== 429; i++) {
      last = await app.server.inject({
        method: 'GET',
        url: '/sandbox/na/reports/2021-01-08/orders?x=1',
        headers: { 'x-amz-access-token': t },
      });
    }
    assert.equal(last.statusCode, 429);
    const result = platform.check(op, last.statusCode, last.body);
    assert.ok(result.ok, explain(result, last.body));
  });
});

describe('reference: the sandbox exceptions are all needed', { skip: needsModels }, () => {
  test('without its exception, at least one canned answer fails its model', async () => {
    for (const id of ['sandbox-stub-nulls', 'sandbox-stub-required', 'sandbox-stub-enums']) {
      const strict = await ModelValidator.load('sandbox', { without: [id] });
      const failing = scenarios.all().filter((s) => {
        const op = findOperation(s.operationId)!;
        const body = s.response.body === undefined || s.response.status === 204 ? '' : JSON.stringify(s.response.body);
        return !strict.check(op, s.response.status, body).ok;
      });
      assert.ok(failing.length > 0, `${id} is not needed by any scenario: remove it from MODEL_EXCEPTIONS and docs/conformance.md`);
    }
  });
});

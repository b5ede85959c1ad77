import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { gatewayWorld, urlOf } from '../support/gateway.ts';
import { ModelValidator, type ConformanceResult } from '../support/conformance.ts';
import { DocValidator } from '../support/openapi.ts';
import { needsModels } from '../support/models.ts';
import { findOperation, OPERATIONS, type Operation } from '../../src/modules/registry/index.ts';
import { loadApiExamples, type ExampleHarness } from '../support/api-examples.ts';
import { PRIVILEGED_FIELDS, ROLES, type Role } from '../../src/kernel/reference.ts';
import { GRANTLESS_OPERATIONS } from '../../src/modules/oauth/index.ts';
import { grantlessToken } from '../support/oauth.ts';

// The production base URLs, over every operation of the registry: each answer the gateway can give
// (403, 429, 400, 413, 415, 404, 501) and, for the APIs that are built, their successes and errors,
// checked against the server's own OpenAPI document; then (the reference suite, where Amazon's
// models are found) every one of those answers again against the operation's model
// (docs/conformance.md lists the model exceptions).
const app: TestApp = await buildTestApp();
const w = await gatewayWorld(app);
const own = await DocValidator.load(app);
/** Every answer checked, replayed against Amazon's models at the end. */
const seen: { op: Operation; what: string; statusCode: number; body: string }[] = [];

const all = await w.tokenFor([...ROLES]);
const throttled = await w.tokenFor([...ROLES]);
const tokensWithout = new Map<Role, string>();
for (const role of ROLES) tokensWithout.set(role, (await w.tokenFor(ROLES.filter((r) => r !== role))).accessToken);
for (const op of OPERATIONS) {
  await app.services.reviews.setUsagePlan('operator:t', all.client.id, op.operationId, 1000, 1000);
  await app.services.reviews.setUsagePlan('operator:t', throttled.client.id, op.operationId, 0.0001, 1);
}

// Grantless operations (rotateApplicationClientSecret) take only the app's own client_credentials
// token: the same two apps' grantless tokens stand in for theirs there.
const grantlessTokens = { all: await grantlessToken(app, all), throttled: await grantlessToken(app, throttled) };
const tokenOf = (op: Operation, which: 'all' | 'throttled' = 'all'): string =>
  GRANTLESS_OPERATIONS.has(op.operationId) ? grantlessTokens[which] : which === 'all' ? all.accessToken : throttled.accessToken;

const hasBody = (op: Operation): boolean => op.parameters.some((p) => p.in === 'body');
const explain = (r: ConformanceResult, body: string): string =>
  `${r.schema}${r.exception ? ` [${r.exception}]` : ''}\n  ${r.problems.join('\n  ')}\n  body: ${body.slice(0, 400)}`;

type Answer = Pick<import('../support/api-examples.ts').Answer, 'statusCode' | 'body' | 'headers'>;

/** Asserts that an answer conforms to the server's document (and, later, to the operation's model); returns it for further checks. */
function conforms<T extends Answer>(op: Operation, res: T, what: string): T {
  seen.push({ op, what, statusCode: res.statusCode, body: res.body });
  const result = own.check(op, res.statusCode, res.body);
  assert.ok(result.ok, `${op.operationId} ${what} (${res.statusCode}): ${explain(result, res.body)}`);
  assert.ok(res.headers['x-amzn-requestid'], `${op.operationId} ${what}: x-amzn-RequestId`);
  if (res.body !== '') assert.match(String(res.headers['content-type']), /^application\/json/, `${op.operationId} ${what}: content type`);
  return res;
}

function call(op: Operation, headers: Record<string, string>, options: { query?: string; payload?: string; contentType?: string } = {}) {
  const body = options.payload ?? (hasBody(op) ? '{}' : undefined);
  const type = options.contentType ?? (body !== undefined ? 'application/json' : undefined);
  return app.server.inject({
    method: op.method,
    url: urlOf(op, '/na', options.query ?? ''),
    headers: { ...headers, ...(type ? { 'content-type': type } : {}) },
    ...(body === undefined ? {} : { payload: body }),
  });
}

const email = (op: Operation, address = w.buyer.email): Record<string, string> =>
  op.userEmailRequired ? { 'x-amz-user-email': address } : {};

// ---- the built APIs: one examples file each (test/conformance/examples/<slug>.ts) --------------

const examplesByApi = await loadApiExamples();
const builtApis = new Set(app.apis.map((a) => a.api));
const bodyPolicyOf = (op: Operation) => app.apis.find((a) => a.api === op.api)?.binding.bodyPolicy ?? 'json';
const harness: ExampleHarness = {
  app,
  world: w,
  call: (operationId, request) => {
    const op = findOperation(operationId)!;
    const body = request.body === undefined ? undefined : typeof request.body === 'string' ? request.body : JSON.stringify(request.body);
    const type = request.contentType ?? (body !== undefined ? 'application/json' : undefined);
    return app.server.inject({
      method: request.method ?? op.method,
      url: `/na/${op.path.split('/')[1]}/${op.version}${request.path}`,
      headers: { 'x-amz-access-token': tokenOf(op), ...email(op), ...(type ? { 'content-type': type } : {}) },
      ...(body === undefined ? {} : { payload: body }),
    });
  },
  async conforms(operationId, request, what) {
    return conforms(findOperation(operationId)!, await harness.call(operationId, request), what);
  },
};
await app.services.reviews.grantPrivilegedFields('operator:t', all.client.id, [...PRIVILEGED_FIELDS]);
for (const api of builtApis) await examplesByApi.get(api)?.prepare?.(harness);

// Everything above runs before the first test: node:test starts tests while top-level code goes on.
describe('every gateway answer of every operation conforms to the OpenAPI document', () => {
  for (const op of OPERATIONS) {
    test(`${op.operationId}`, async () => {
      const none = conforms(op, await call(op, {}), 'no token');
      assert.equal(none.statusCode, 403);
      conforms(op, await call(op, { 'x-amz-access-token': 'Atza|not-a-token' }), 'unknown token');
      if (op.role) {
        const res = conforms(op, await call(op, { 'x-amz-access-token': tokensWithout.get(op.role)!, ...email(op) }), 'missing role');
        assert.equal(res.statusCode, 403);
      }
      if (op.userEmailRequired) {
        assert.equal(conforms(op, await call(op, { 'x-amz-access-token': all.accessToken }), 'missing email').statusCode, 400);
        assert.equal(
          conforms(op, await call(op, { 'x-amz-access-token': all.accessToken, 'x-amz-user-email': w.mace.email }), 'MACE email')
            .statusCode,
          403,
        );
        assert.equal(
          conforms(
            op,
            await call(op, { 'x-amz-access-token': all.accessToken, 'x-amz-user-email': 'nobody@nowhere.test' }),
            'unknown email',
          ).statusCode,
          403,
        );
      }
      // Whatever the handler answers (501 while the API is not built) conforms too.
      const handled = conforms(op, await call(op, { 'x-amz-access-token': tokenOf(op), ...email(op) }), 'valid call');
      assert.ok(handled.statusCode !== 500, handled.body);

      assert.ok(
        (await call(op, { 'x-amz-access-token': tokenOf(op, 'throttled'), ...email(op) })).statusCode !== 429,
        'the first call passes',
      );
      assert.equal(
        conforms(op, await call(op, { 'x-amz-access-token': tokenOf(op, 'throttled'), ...email(op) }), 'throttled').statusCode,
        429,
      );

      if (hasBody(op)) {
        const huge = conforms(
          op,
          await call(
            op,
            { 'x-amz-access-token': all.accessToken, ...email(op) },
            { payload: JSON.stringify({ pad: 'x'.repeat(app.ctx.config.bodyLimitBytes + 10) }) },
          ),
          'oversized body',
        );
        assert.equal(huge.statusCode, 413);
        const text = conforms(
          op,
          await call(
            op,
            { 'x-amz-access-token': all.accessToken, ...email(op) },
            { payload: 'productIds=B000000000', contentType: 'text/plain' },
          ),
          'non-JSON body',
        );
        // An API that reads raw bodies answers by its own rules (Product Search: 400 InvalidInput, FAQ); the others 415.
        const expected = bodyPolicyOf(op) === 'json' ? 415 : handled.statusCode === 501 ? 501 : 400;
        assert.equal(text.statusCode, expected, text.body);
      }
    });
  }

  test('an unknown path answers 404 in the error envelope (and, in the reference suite, one every model accepts)', async () => {
    const res = await app.server.inject({ method: 'GET', url: '/na/products/2020-08-26/nothing/here' });
    assert.equal(res.statusCode, 404);
    for (const file of new Set(OPERATIONS.map((o) => o.modelFile)))
      conforms(
        OPERATIONS.find((o) => o.modelFile === file)!,
        res,
        'unknown path',
      );
  });
});

describe('the answers of every built API conform to the OpenAPI document', () => {
  test('every built API has an examples file, and every examples file is of a built API', () => {
    assert.deepEqual(
      [...builtApis].filter((api) => !examplesByApi.has(api)),
      [],
      'add test/conformance/examples/<slug>.ts',
    );
    assert.deepEqual(
      [...examplesByApi.keys()].filter((api) => !builtApis.has(api)),
      [],
      'an examples file names an API that is not in src/apis/index.ts',
    );
  });
  for (const [api, examples] of examplesByApi) {
    for (const example of examples.examples) test(`${api}: ${example.name}`, () => example.run(harness));
  }
});

// Last: it moves the virtual clock past every token's lifetime.
describe('expiry', () => {
  test('an expired token answers 403 on every operation, in the model envelope', async () => {
    const fresh = await w.tokenFor([...ROLES]);
    app.clock.advance(3601_000);
    for (const op of OPERATIONS) {
      const res = conforms(op, await call(op, { 'x-amz-access-token': fresh.accessToken, ...email(op) }), 'expired token');
      assert.equal(res.statusCode, 403);
    }
  });
});

// The reference suite: every answer above, against Amazon's published model of its operation.
describe("reference: the same answers conform to Amazon's models", { skip: needsModels }, () => {
  test('every answer checked above conforms to its operation’s model', async () => {
    const models = await ModelValidator.load('production');
    assert.ok(seen.length > 100, `answers recorded: ${seen.length}`);
    const failures = seen.flatMap(({ op, what, statusCode, body }) => {
      const result = models.check(op, statusCode, body);
      return result.ok ? [] : [`${op.operationId} ${what} (${statusCode}): ${explain(result, body)}`];
    });
    assert.deepEqual(failures, []);
  });
});

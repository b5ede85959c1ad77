import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { gatewayWorld, PROBE, probeUrl, urlOf } from '../support/gateway.ts';
import { OPERATIONS } from '../../src/modules/registry/index.ts';
import { ROLES, type Role } from '../../src/kernel/reference.ts';
import { GRANTLESS_OPERATIONS } from '../../src/modules/oauth/index.ts';
import { grantlessToken } from '../support/oauth.ts';

const DENIED = '{"errors":[{"message":"Access to requested resource is denied.","code":"Unauthorized","details":""}]}';
const EXPIRED =
  '{"errors":[{"message":"Access to requested resource is denied.","code":"Unauthorized","details":"The access token you provided has expired."}]}';
const EMAIL = '{"errors":[{"code":"Unauthorized","message":"Email is not authorized","details":"End user email is not Authorized"}]}';
const QUOTA = '{"errors":[{"message":"You exceeded your quota for the requested resource.","code":"QuotaExceeded","details":""}]}';

// The same security checks, applied to every operation of the registry (unkey-style common tests).
// The app is built at the top level so that its cleanup runs after the whole file.
const app: TestApp = await buildTestApp();
const w = await gatewayWorld(app);
const all = await w.tokenFor([...ROLES]);
const eu = await w.tokenFor([...ROLES], 'EU');
const roomy = await w.tokenFor([...ROLES]);
const tokensWithout = new Map<Role, string>();
for (const role of ROLES) tokensWithout.set(role, (await w.tokenFor(ROLES.filter((r) => r !== role))).accessToken);
for (const op of OPERATIONS) await app.services.reviews.setUsagePlan('operator:t', all.client.id, op.operationId, 0.0001, 1);
// Grantless operations take only the app's own client_credentials token: `all`'s app's, there.
const allGrantless = await grantlessToken(app, all);
const passing = (op: (typeof OPERATIONS)[number]): string => (GRANTLESS_OPERATIONS.has(op.operationId) ? allGrantless : all.accessToken);

describe('common security suite over every operation', () => {
  const call = (op: (typeof OPERATIONS)[number], headers: Record<string, string>, prefix = '/na') =>
    app.server.inject({
      method: op.method,
      url: urlOf(op, prefix),
      headers: { ...headers, ...(op.parameters.some((p) => p.in === 'body') ? { 'content-type': 'application/json' } : {}) },
      ...(op.parameters.some((p) => p.in === 'body') ? { payload: '{}' } : {}),
    });

  for (const op of OPERATIONS) {
    test(`${op.operationId}: no token, wrong region, missing role, bad email, throttled, expired`, async () => {
      const none = await call(op, {});
      assert.equal(none.statusCode, 403);
      assert.equal(none.body, DENIED);
      assert.equal((await call(op, { 'x-amz-access-token': eu.accessToken })).body, DENIED, 'an EU token on the NA base URL');
      assert.equal(
        (await call(op, { 'x-amz-access-token': all.accessToken }, '/sandbox/na')).body,
        DENIED,
        'a production token on the sandbox',
      );
      if (op.role) {
        const res = await call(op, { 'x-amz-access-token': tokensWithout.get(op.role)!, 'x-amz-user-email': w.buyer.email });
        assert.equal(res.statusCode, 403);
        assert.equal(res.body, DENIED);
        assert.equal(res.headers['x-amzn-errortype'], 'AccessDeniedException');
      }
      const email: Record<string, string> = op.userEmailRequired ? { 'x-amz-user-email': w.buyer.email } : {};
      if (op.userEmailRequired) {
        const bad = await call(op, { 'x-amz-access-token': roomy.accessToken, 'x-amz-user-email': w.mace.email });
        assert.equal(bad.statusCode, 403);
        assert.equal(bad.body, EMAIL);
      }
      const first = await call(op, { 'x-amz-access-token': passing(op), ...email });
      assert.ok(![401, 403, 429].includes(first.statusCode), `first call passes the gateway (${first.statusCode} ${first.body})`);
      assert.ok(first.headers['x-amzn-requestid']);
      const second = await call(op, { 'x-amz-access-token': passing(op), ...email });
      assert.equal(second.statusCode, 429);
      assert.equal(second.body, QUOTA);
    });
  }

  test('every operation refuses an expired token with the FAQ body', async () => {
    app.clock.advance(3601_000);
    for (const op of OPERATIONS) {
      const res = await call(op, { 'x-amz-access-token': all.accessToken });
      assert.equal(res.statusCode, 403, op.operationId);
      assert.equal(res.body, EXPIRED, op.operationId);
    }
  });
});

test('rate limits apply per party: two businesses of one app have separate buckets', async () => {
  const first = await w.tokenFor(['Amazon Business Analytics']);
  const other = await (await import('../support/world.ts')).makeBusiness(app);
  await app.services.developers.setBusiness('t', w.dev.id, w.business.id);
  const second = await app.services.oauth.authorizeOnBehalf({
    applicationId: first.client.applicationId,
    adminEmail: other.admin.email,
    marketplace: 'US',
  });
  await app.services.reviews.setUsagePlan('operator:t', first.client.id, PROBE.operationId, 0.0001, 1);
  const call = (token: string) => app.server.inject({ method: 'GET', url: probeUrl(), headers: { 'x-amz-access-token': token } });
  assert.equal((await call(first.accessToken)).body, PROBE.body);
  assert.equal((await call(first.accessToken)).body, QUOTA);
  assert.equal((await call(second.access_token)).body, PROBE.body);
});

test('an x-amz-user-email longer than an address can be is refused before any lookup, and nothing is cached for it', async () => {
  const op = OPERATIONS.find((o) => o.operationId === 'searchProductsRequest')!;
  const fresh = await w.tokenFor(['Business Product Catalog']);
  const accounts = app.services.accounts as unknown as { findUserByEmail(email: string): Promise<unknown> };
  const original = accounts.findUserByEmail.bind(accounts);
  const looked: number[] = [];
  accounts.findUserByEmail = async (email: string) => {
    looked.push(email.length);
    return original(email);
  };
  try {
    for (const email of [
      `${'a'.repeat(255 - '@t.test'.length)}@t.test`,
      `${'b'.repeat(12_000)}@t.test`,
      `${w.buyer.email}${' '.repeat(300)}`,
    ]) {
      const res = await app.server.inject({
        method: 'GET',
        url: urlOf(op, '/na', '?productRegion=US&locale=en_US&keywords=desk'),
        headers: { 'x-amz-access-token': fresh.accessToken, 'x-amz-user-email': email },
      });
      assert.equal(res.statusCode, 403);
      assert.equal(res.body, EMAIL);
    }
    assert.deepEqual(looked, [], 'no over-long address reached the database');
    // An address of the longest allowed length is still looked up.
    await app.server.inject({
      method: 'GET',
      url: urlOf(op, '/na', '?productRegion=US&locale=en_US&keywords=desk'),
      headers: { 'x-amz-access-token': fresh.accessToken, 'x-amz-user-email': `${'c'.repeat(254 - '@t.test'.length)}@t.test` },
    });
    assert.deepEqual(looked, [254]);
  } finally {
    accounts.findUserByEmail = original;
  }
});

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { buildTestApp, type TestApp } from '../../support/app.ts';
import { gatewayWorld, probeUrl } from '../../support/gateway.ts';
import { tokenRequest } from '../../support/oauth.ts';
import { makePublishedApp } from '../../support/world.ts';
import { eventually, startSqs, startWebhook } from './receivers.ts';

// Application Management end to end on one server: the grantless token, its scoping, destinations
// through the developer API, rotation through the API and the developer API, delivery to an SQS
// server (sqslite) and to a webhook, the old secret's expiry, retries, and the refusals.

const ROTATE = '/na/applications/2023-11-30/clientSecret';
const DENIED = '{"errors":[{"message":"Access to requested resource is denied.","code":"Unauthorized","details":""}]}';

const app: TestApp = await buildTestApp({ noticePollMs: 50, noticeRetryBaseMs: 100, noticeMaxAttempts: 3 });
const world = await gatewayWorld(app);
const sqs = await startSqs();
const hook = await startWebhook();
after(async () => {
  await sqs.close();
  await hook.close();
});

const session = await (async () => {
  const dev = await app.services.developers.getDeveloper(world.dev.id);
  const res = await app.server.inject({
    method: 'POST',
    url: '/developer/v1/sessions',
    payload: { email: dev.email, password: 'developer-password' },
  });
  assert.equal(res.statusCode, 201, res.body);
  return (res.json() as { token: string }).token;
})();
const devApi = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: unknown) =>
  app.server.inject({
    method,
    url: `/developer/v1${url}`,
    headers: { authorization: `Bearer ${session}` },
    ...(payload === undefined ? {} : { payload: payload as object }),
  });

async function newApp() {
  const { app: client, clientSecret } = await makePublishedApp(app, world.dev.id);
  return { client, clientSecret };
}
const grantless = async (clientId: string, clientSecret: string, scope = 'businessapi::client_credential:rotation') =>
  tokenRequest(app, { grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret, scope });
const rotate = (token: string, prefix = '/na') =>
  app.server.inject({ method: 'POST', url: ROTATE.replace('/na', prefix), headers: { 'x-amz-access-token': token } });

test('client_credentials: a bearer token of one hour without refresh token, hashed at rest; bad scope, no scope, bad secret refused as LWA does', async () => {
  const { client, clientSecret } = await newApp();
  const ok = await grantless(client.clientId, clientSecret);
  assert.equal(ok.status, 200, ok.raw);
  assert.deepEqual(Object.keys(ok.body), ['access_token', 'token_type', 'expires_in']);
  assert.match(ok.body.access_token, /^Atza\|/);
  assert.equal(ok.body.token_type, 'bearer');
  assert.equal(ok.body.expires_in, 3600);
  assert.equal(ok.headers['cache-control'], 'no-store');
  const stored = await app.ctx.db.kysely.selectFrom('grantless_tokens').selectAll().where('app_id', '=', client.id).execute();
  assert.equal(stored.length, 1);
  assert.match(stored[0]!.token_hash, /^[0-9a-f]{64}$/);
  assert.ok(!JSON.stringify(stored).includes(ok.body.access_token.slice(5, 40)));
  // SP-API's spelling of the scope, for SP-API SDKs.
  assert.equal((await grantless(client.clientId, clientSecret, 'sellingpartnerapi::client_credential:rotation')).status, 200);

  const wrong = await grantless(client.clientId, clientSecret, 'businessapi::everything');
  assert.equal(wrong.status, 400);
  assert.equal(wrong.raw, '{"error_description":"An unknown scope was requested","error":"invalid_scope"}');
  const missing = await tokenRequest(app, { grant_type: 'client_credentials', client_id: client.clientId, client_secret: clientSecret });
  assert.equal(missing.status, 400);
  assert.equal(missing.raw, '{"error_description":"The request has an invalid parameter : scope","error":"invalid_scope"}');
  const bad = await grantless(client.clientId, `${clientSecret}x`);
  assert.equal(bad.status, 401);
  assert.equal(bad.raw, '{"error_description":"Client authentication failed","error":"invalid_client"}');
});

test('a grantless token opens rotateApplicationClientSecret only; an authorization-code token does not open it', async () => {
  const { client, clientSecret } = await newApp();
  const token = (await grantless(client.clientId, clientSecret)).body.access_token as string;
  const probe = await app.server.inject({ method: 'GET', url: probeUrl(), headers: { 'x-amz-access-token': token } });
  assert.equal(probe.statusCode, 403);
  assert.equal(probe.body, DENIED);
  const ordinary = await world.tokenFor(['Business Product Catalog', 'Amazon Business Analytics']);
  const refused = await rotate(ordinary.accessToken);
  assert.equal(refused.statusCode, 403);
  assert.equal(refused.body, DENIED);
  // Not rotated: the ordinary token's app has one secret, unexpired.
  assert.equal((await app.services.apps.listSecrets(ordinary.client.id)).length, 1);
  // The sandbox base URLs are not the production app's.
  assert.equal((await rotate(token, '/sandbox/na')).statusCode, 403);
});

test('without a destination the rotation answers 400 in the Amazon envelope and changes nothing', async () => {
  const { client, clientSecret } = await newApp();
  const token = (await grantless(client.clientId, clientSecret)).body.access_token as string;
  const res = await rotate(token);
  assert.equal(res.statusCode, 400, res.body);
  const body = res.json() as { errors: { code: string; message: string }[] };
  assert.equal(body.errors[0]!.code, 'InvalidInput');
  assert.match(
    body.errors[0]!.message,
    /no destination is registered for this app's client secret notices; register one in the developer portal/i,
  );
  assert.equal((await app.services.apps.listSecrets(client.id)).length, 1);
  assert.equal((await grantless(client.clientId, clientSecret)).status, 200);
});

test('SQS: the rotation answers 204, the queue receives the new secret and the old one expiry; the old secret works until then, not after', async () => {
  const { client, clientSecret } = await newApp();
  const queueUrl = await sqs.createQueue(`rot-${client.id.slice(4, 14).replace(/[^A-Za-z0-9]/g, '')}`);
  const added = await devApi('POST', `/apps/${client.id}/notice-destinations`, {
    type: 'sqs',
    queueUrl,
    awsAccessKeyId: 'AKIDEXAMPLE',
    awsSecretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
    awsRegion: 'us-east-1',
  });
  assert.equal(added.statusCode, 201, added.body);
  const dest = added.json() as Record<string, unknown>;
  assert.equal(dest.hasAwsSecretKey, true);
  assert.ok(!added.body.includes('wJalrXUtnFEMI'), 'the AWS secret key is never shown again');
  const row = await app.ctx.db.kysely
    .selectFrom('notice_destinations')
    .selectAll()
    .where('id', '=', dest.id as string)
    .executeTakeFirstOrThrow();
  assert.ok(row.aws_secret_key_enc && !row.aws_secret_key_enc.includes('wJalrXUtnFEMI'), 'encrypted at rest');

  const token = (await grantless(client.clientId, clientSecret)).body.access_token as string;
  const before = app.clock.now();
  const res = await rotate(token);
  assert.equal(res.statusCode, 204, res.body);
  assert.equal(res.body, '');
  const messages = await eventually(async () => {
    const got = await sqs.receive(queueUrl);
    return got.length ? got : undefined;
  });
  assert.equal(messages.length, 1);
  const notice = JSON.parse(messages[0]!) as Record<string, string>;
  assert.deepEqual(Object.keys(notice).sort(), [
    'applicationId',
    'clientId',
    'issuedAt',
    'newClientSecret',
    'noticeId',
    'notificationType',
    'oldClientSecretExpiresAt',
  ]);
  assert.equal(notice.notificationType, 'CLIENT_SECRET_ROTATION');
  assert.equal(notice.clientId, client.clientId);
  assert.equal(notice.applicationId, client.applicationId);
  assert.match(notice.newClientSecret!, /^amzn1\.oa2-cs\.v1\.[0-9a-f]{64}$/);
  const grace = app.ctx.config.secretRotationGraceSeconds * 1000;
  const expiry = Date.parse(notice.oldClientSecretExpiresAt!);
  assert.ok(expiry >= before + grace && expiry <= app.clock.now() + grace, notice.oldClientSecretExpiresAt);

  // The delivery log: one attempt, delivered; the payload (the new secret) is gone from the outbox.
  // The message is in the queue an instant before the worker records its delivery.
  const log = await eventually(async () => {
    const got = (await devApi('GET', `/apps/${client.id}/notices`)).json() as {
      notices: { status: string; log: { statusCode: number }[] }[];
    };
    return got.notices[0]?.status === 'delivered' ? got : undefined;
  });
  assert.equal(log.notices[0]!.log[0]!.statusCode, 200);
  const outbox = await app.ctx.db.kysely.selectFrom('notice_outbox').selectAll().where('app_id', '=', client.id).execute();
  assert.equal(outbox[0]!.payload_enc, null);

  // Both secrets work now; the old one stops at its expiry, the new one does not.
  assert.equal((await grantless(client.clientId, notice.newClientSecret!)).status, 200);
  assert.equal((await grantless(client.clientId, clientSecret)).status, 200);
  const offset = app.clock.offset;
  after(() => app.clock.setOffset(offset));
  app.clock.set(expiry - 1000);
  assert.equal((await grantless(client.clientId, clientSecret)).status, 200);
  app.clock.set(expiry);
  assert.equal((await grantless(client.clientId, clientSecret)).status, 401);
  assert.equal((await grantless(client.clientId, notice.newClientSecret!)).status, 200);
  app.clock.setOffset(offset);
});

test('webhook: signed deliveries of a test notice and of a rotation from the developer API (the portal path)', async () => {
  const { client } = await newApp();
  const added = await devApi('POST', `/apps/${client.id}/notice-destinations`, { type: 'webhook', url: hook.url });
  assert.equal(added.statusCode, 201, added.body);
  const { id, signingSecret } = added.json() as { id: string; signingSecret: string };
  assert.match(signingSecret, /^bzwh_/);
  const listed = await devApi('GET', `/apps/${client.id}/notice-destinations`);
  assert.ok(!listed.body.includes(signingSecret), 'shown once');
  const verify = (d: { headers: Record<string, unknown>; body: string }) => {
    const sig = String(d.headers['x-bizapi-signature']);
    const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(sig) ?? [];
    assert.ok(t && v1, sig);
    assert.equal(v1, createHmac('sha256', signingSecret).update(`${t}.${d.body}`).digest('hex'));
  };
  const start = hook.received.length;
  const tested = await devApi('POST', `/apps/${client.id}/notice-destinations/${id}/test`);
  assert.equal(tested.statusCode, 202, tested.body);
  const first = await hook.waitFor(start + 1);
  verify(first);
  assert.equal(JSON.parse(first.body).notificationType, 'CLIENT_SECRET_NOTICE_TEST');

  const rotated = await devApi('POST', `/apps/${client.id}/rotate-secret`);
  assert.equal(rotated.statusCode, 200, rotated.body);
  const second = await hook.waitFor(start + 2);
  verify(second);
  const notice = JSON.parse(second.body) as Record<string, string>;
  assert.equal(notice.notificationType, 'CLIENT_SECRET_ROTATION');
  assert.equal(notice.newClientSecret, (rotated.json() as { clientSecret: string }).clientSecret);
  assert.equal(notice.noticeId, (rotated.json() as { noticeId: string }).noticeId);
  assert.equal(second.headers['x-bizapi-notice-id'], notice.noticeId);
});

test('a destination that is down: retried with backoff, given up after the attempts, visible in the log', async () => {
  const { client } = await newApp();
  const down = await startWebhook();
  down.status = 503;
  after(() => down.close());
  const added = await devApi('POST', `/apps/${client.id}/notice-destinations`, { type: 'webhook', url: down.url });
  const { id } = added.json() as { id: string };
  await devApi('POST', `/apps/${client.id}/notice-destinations/${id}/test`);
  const entry = await eventually(async () => {
    const { notices } = (await devApi('GET', `/apps/${client.id}/notices`)).json() as {
      notices: { status: string; attempts: number; lastError: string; log: { statusCode: number; outcome: string; at: string }[] }[];
    };
    return notices[0]?.status === 'failed' ? notices[0] : undefined;
  });
  assert.equal(entry.attempts, 3);
  assert.deepEqual(
    entry.log.map((l) => [l.statusCode, l.outcome]),
    [
      [503, 'retry'],
      [503, 'retry'],
      [503, 'failed'],
    ],
  );
  // Backoff: 100 ms, then 200 ms.
  const at = entry.log.map((l) => Date.parse(l.at));
  assert.ok(at[1]! - at[0]! >= 100 && at[2]! - at[1]! >= 200, JSON.stringify(at));
  assert.equal(entry.lastError, 'the webhook answered 503');
});

test('destinations: only http(s) URLs, AWS keys in pairs, removal; another developer cannot see them', async () => {
  const { client } = await newApp();
  const refused = async (body: unknown) => {
    const res = await devApi('POST', `/apps/${client.id}/notice-destinations`, body);
    assert.equal(res.statusCode, 400, res.body);
    return (res.json() as { errors: { message: string }[] }).errors[0]!.message;
  };
  assert.match(await refused({ type: 'webhook', url: 'ftp://example.com/hook' }), /http:\/\/ or https:\/\//);
  assert.match(await refused({ type: 'webhook', url: 'javascript:alert(1)' }), /http:\/\/ or https:\/\//);
  assert.match(await refused({ type: 'sqs', queueUrl: 'not a url' }), /not a URL/);
  assert.match(await refused({ type: 'webhook', url: 'https://user:pw@example.com/' }), /user name or password/);
  assert.match(await refused({ type: 'sqs', queueUrl: 'https://sqs.us-east-1.amazonaws.com/1/q', awsAccessKeyId: 'AKIA1' }), /both/);
  const ok = await devApi('POST', `/apps/${client.id}/notice-destinations`, { type: 'webhook', url: 'https://example.com/hook' });
  const { id } = ok.json() as { id: string };
  assert.equal((await devApi('DELETE', `/apps/${client.id}/notice-destinations/${id}`)).statusCode, 204);
  assert.equal((await devApi('DELETE', `/apps/${client.id}/notice-destinations/${id}`)).statusCode, 404);
  const other = await app.services.developers.register({ email: `other-${Date.now()}@t.test`, name: 'O', password: 'developer-password' });
  const s = await app.server.inject({
    method: 'POST',
    url: '/developer/v1/sessions',
    payload: { email: other.email, password: 'developer-password' },
  });
  const res = await app.server.inject({
    method: 'GET',
    url: `/developer/v1/apps/${client.id}/notice-destinations`,
    headers: { authorization: `Bearer ${(s.json() as { token: string }).token}` },
  });
  assert.equal(res.statusCode, 404);
});

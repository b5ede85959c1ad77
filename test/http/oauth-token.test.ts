import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp } from '../support/app.ts';
import { makeApprovedDeveloper, makeBusiness, makePublishedApp, REDIRECT } from '../support/world.ts';
import { consentCode, tokenRequest } from '../support/oauth.ts';

const INVALID_CODE = '{"error_description":"The request has an invalid grant parameter : code","error":"invalid_grant"}';

async function setup() {
  const app = await buildTestApp();
  const world = await makeBusiness(app);
  const dev = await makeApprovedDeveloper(app);
  const { app: client, clientSecret } = await makePublishedApp(app, dev.id);
  const code = () => consentCode(app, client.applicationId, REDIRECT, world.admin.email, world.password);
  const exchange = (c: string, over: Record<string, string> = {}) =>
    tokenRequest(app, {
      grant_type: 'authorization_code',
      code: c,
      redirect_uri: REDIRECT,
      client_id: client.clientId,
      client_secret: clientSecret,
      ...over,
    });
  return { app, world, dev, client, clientSecret, code, exchange };
}

test('authorization_code: exact success shape, opaque Atza|/Atzr| tokens, no-store, only hashes stored', async () => {
  const { app, code, exchange } = await setup();
  const res = await exchange(await code());
  assert.equal(res.status, 200);
  assert.deepEqual(Object.keys(res.body), ['access_token', 'refresh_token', 'token_type', 'expires_in']);
  assert.match(res.body.access_token, /^Atza\|/);
  assert.ok(res.body.access_token.length >= 350 && Buffer.byteLength(res.body.access_token) <= 2048);
  assert.match(res.body.refresh_token, /^Atzr\|/);
  assert.equal(res.body.token_type, 'bearer');
  assert.equal(res.body.expires_in, 3600);
  assert.equal(res.headers['cache-control'], 'no-store');
  const stored = await app.ctx.db.kysely.selectFrom('refresh_tokens').select('token_hash').execute();
  assert.ok(stored.every((r) => !r.token_hash.includes('Atzr')));
  const access = await app.ctx.db.kysely.selectFrom('access_tokens').select('token_hash').execute();
  assert.ok(access.every((r) => r.token_hash.length === 64));
});

test('JSON bodies and HTTP Basic client credentials are accepted', async () => {
  const { app, code, client, clientSecret } = await setup();
  const json = await app.server.inject({
    method: 'POST',
    url: '/auth/o2/token',
    headers: { 'content-type': 'application/json' },
    payload: {
      grant_type: 'authorization_code',
      code: await code(),
      redirect_uri: REDIRECT,
      client_id: client.clientId,
      client_secret: clientSecret,
    },
  });
  assert.equal(json.statusCode, 200, json.body);
  const basic = `Basic ${Buffer.from(`${client.clientId}:${clientSecret}`).toString('base64')}`;
  const viaBasic = await tokenRequest(
    app,
    { grant_type: 'refresh_token', refresh_token: json.json().refresh_token },
    { authorization: basic },
  );
  assert.equal(viaBasic.status, 200);
  assert.match(viaBasic.body.access_token, /^Atza\|/);
});

test('Basic credentials that decode to a NUL (%00) fail client authentication, and the call is still logged', async () => {
  // Found by the token fuzz test on PostgreSQL (which refuses NUL in text): a 500 before.
  const { app, code, exchange, client, clientSecret } = await setup();
  const refresh = (await exchange(await code())).body.refresh_token as string;
  const requestIds: string[] = [];
  for (const [id, secret] of [
    ['%00', 'Og=='],
    [client.clientId, `${clientSecret}%00`],
    [`${client.clientId}%00`, clientSecret],
  ]) {
    const res = await tokenRequest(
      app,
      { grant_type: 'refresh_token', refresh_token: refresh },
      { authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}` },
    );
    assert.equal(res.status, 401, `${id}:${secret}`);
    assert.equal(res.raw, '{"error_description":"Client authentication failed","error":"invalid_client"}');
    requestIds.push(String(res.headers['x-amzn-requestid']));
  }
  // The refused calls are in the request log (the batch holding them was written), without the NUL.
  for (const requestId of requestIds) {
    const [entry] = await app.emulator.requestLog.list({ requestId });
    assert.ok(entry, `logged: ${requestId}`);
    assert.equal(entry.status, 401);
    assert.ok(!entry.clientId?.includes('\u0000'), JSON.stringify(entry.clientId));
  }
});

test('a grant code is single use: reuse answers invalid_grant and revokes what it issued', async () => {
  const { app, code, exchange, client, clientSecret } = await setup();
  const c = await code();
  const first = await exchange(c);
  assert.equal(first.status, 200);
  const again = await exchange(c);
  assert.equal(again.status, 400);
  assert.equal(again.raw, INVALID_CODE);
  const refreshed = await tokenRequest(app, {
    grant_type: 'refresh_token',
    refresh_token: first.body.refresh_token,
    client_id: client.clientId,
    client_secret: clientSecret,
  });
  assert.equal(refreshed.status, 400);
  assert.equal(refreshed.raw, '{"error_description":"The request has an invalid grant parameter : refresh_token","error":"invalid_grant"}');
  assert.equal((await app.services.oauth.lookupAccessToken(first.body.access_token)).status, 'invalid');
});

test('a grant code lives five minutes: valid at 299 s, invalid_grant at 301 s', async () => {
  const { app, code, exchange } = await setup();
  const c1 = await code();
  app.clock.advance(299_000);
  assert.equal((await exchange(c1)).status, 200);
  const c2 = await code();
  app.clock.advance(301_000);
  const late = await exchange(c2);
  assert.equal(late.status, 400);
  assert.equal(late.raw, INVALID_CODE);
});

test('unknown codes, codes of another client and a different redirect_uri are refused', async () => {
  const { app, code, exchange, dev } = await setup();
  assert.equal((await exchange('ANunknown')).raw, INVALID_CODE);
  const other = await makePublishedApp(app, dev.id);
  const c = await code();
  const stolen = await tokenRequest(app, {
    grant_type: 'authorization_code',
    code: c,
    redirect_uri: REDIRECT,
    client_id: other.app.clientId,
    client_secret: other.clientSecret,
  });
  assert.equal(stolen.status, 400);
  assert.equal(stolen.raw, INVALID_CODE);
  const wrongUri = await exchange(c, { redirect_uri: 'https://client.example.com/other' });
  assert.equal(wrongUri.status, 400);
  assert.equal(wrongUri.raw, '{"error_description":"The request has an invalid grant parameter : redirect_uri","error":"invalid_grant"}');
  assert.equal((await exchange(c)).status, 200, 'the code still works with the right client and URI');
});

test('client authentication, grant types and malformed input give the LWA errors', async () => {
  const { app, code, exchange, client } = await setup();
  const c = await code();
  const wrong = await exchange(c, { client_secret: 'amzn1.oa2-cs.v1.wrong' });
  assert.equal(wrong.status, 401);
  assert.equal(wrong.raw, '{"error_description":"Client authentication failed","error":"invalid_client"}');
  assert.equal((await exchange(c, { client_id: 'amzn1.application-oa2-client.nope' })).status, 401);
  const missingSecret = await tokenRequest(app, {
    grant_type: 'authorization_code',
    code: c,
    redirect_uri: REDIRECT,
    client_id: client.clientId,
  });
  assert.equal(missingSecret.status, 401);
  const unsupported = await tokenRequest(app, { grant_type: 'password', client_id: client.clientId, client_secret: 'x' });
  assert.equal(unsupported.status, 400);
  assert.equal(
    unsupported.raw,
    '{"error_description":"The authorization grant type is not supported by the authorization server","error":"unsupported_grant_type"}',
  );
  const noGrant = await tokenRequest(app, {});
  assert.equal(noGrant.status, 400);
  assert.equal(noGrant.body.error, 'invalid_request');
  const noCode = await exchange('', {});
  assert.equal(noCode.status, 400);
  assert.equal(noCode.raw, '{"error_description":"The request has an invalid parameter : code","error":"invalid_request"}');
  const xml = await app.server.inject({ method: 'POST', url: '/auth/o2/token', headers: { 'content-type': 'text/xml' }, payload: '<a/>' });
  assert.equal(xml.statusCode, 400);
  assert.equal(xml.json().error, 'invalid_request');
  const badJson = await app.server.inject({
    method: 'POST',
    url: '/auth/o2/token',
    headers: { 'content-type': 'application/json' },
    payload: '{"grant_type":',
  });
  assert.equal(badJson.statusCode, 400);
  assert.equal(badJson.json().error, 'invalid_request');
  assert.equal(badJson.headers['cache-control'], 'no-store');
  assert.equal((await exchange(c)).status, 200, 'refused attempts did not consume the code');
});

test('access tokens last an hour (3599 s valid, 3601 s expired); refresh tokens outlive a year', async () => {
  const { app, code, exchange, client, clientSecret } = await setup();
  const tokens = (await exchange(await code())).body;
  app.clock.advance(3599_000);
  assert.equal((await app.services.oauth.lookupAccessToken(tokens.access_token)).status, 'valid');
  app.clock.advance(2_000);
  assert.equal((await app.services.oauth.lookupAccessToken(tokens.access_token)).status, 'expired');
  app.clock.advance(366 * 24 * 3600 * 1000);
  const refreshed = await tokenRequest(app, {
    grant_type: 'refresh_token',
    refresh_token: tokens.refresh_token,
    client_id: client.clientId,
    client_secret: clientSecret,
  });
  assert.equal(refreshed.status, 200);
  assert.equal(refreshed.body.refresh_token, tokens.refresh_token);
  assert.equal((await app.services.oauth.lookupAccessToken(refreshed.body.access_token)).status, 'valid');
});

test('a refresh token works only for its own client', async () => {
  const { app, code, exchange, dev } = await setup();
  const tokens = (await exchange(await code())).body;
  const other = await makePublishedApp(app, dev.id);
  const res = await tokenRequest(app, {
    grant_type: 'refresh_token',
    refresh_token: tokens.refresh_token,
    client_id: other.app.clientId,
    client_secret: other.clientSecret,
  });
  assert.equal(res.status, 400);
  assert.equal(res.body.error, 'invalid_grant');
});

test('revocation by the business admin kills the refresh token and its access tokens', async () => {
  const { app, world, code, exchange, client, clientSecret } = await setup();
  const tokens = (await exchange(await code())).body;
  const [auth] = await app.services.oauth.listAuthorizations({ businessId: world.business.id });
  await assert.rejects(app.services.oauth.revokeAuthorization('t', auth!.id, 'biz_other'), /not found/);
  await app.services.oauth.revokeAuthorization(`business_user:${world.admin.id}`, auth!.id, world.business.id);
  assert.equal((await app.services.oauth.lookupAccessToken(tokens.access_token)).status, 'invalid');
  const res = await tokenRequest(app, {
    grant_type: 'refresh_token',
    refresh_token: tokens.refresh_token,
    client_id: client.clientId,
    client_secret: clientSecret,
  });
  assert.equal(res.raw, '{"error_description":"The request has an invalid grant parameter : refresh_token","error":"invalid_grant"}');
});

test('a suspended app cannot refresh; secret rotation keeps the old secret until its expiry, then invalid_client', async () => {
  const { app, code, exchange, client, clientSecret } = await setup();
  const tokens = (await exchange(await code())).body;
  const { clientSecret: newSecret } = await app.services.apps.rotateSecret('test', client.id);
  const refresh = (secret: string) =>
    tokenRequest(app, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token,
      client_id: client.clientId,
      client_secret: secret,
    });
  assert.equal((await refresh(clientSecret)).status, 200);
  assert.equal((await refresh(newSecret)).status, 200);
  app.clock.advance(app.ctx.config.secretRotationGraceSeconds * 1000 + 1000);
  const old = await refresh(clientSecret);
  assert.equal(old.status, 401);
  assert.equal(old.body.error, 'invalid_client');
  assert.equal((await refresh(newSecret)).status, 200);
  await app.services.apps.setSuspended('operator:t', client.id, true);
  assert.equal((await refresh(newSecret)).body.error, 'invalid_grant');
  assert.equal((await app.services.oauth.lookupAccessToken(tokens.access_token)).status, 'invalid');
});

test('the token endpoint never logs tokens, codes or secrets', async () => {
  const lines: string[] = [];
  const { buildApp } = await import('../../src/app.ts');
  const { testConfig } = await import('../../src/config/config.ts');
  const { testDataDir, dbKind } = await import('../support/app.ts');
  const { Writable } = await import('node:stream');
  const stream = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  const app = await buildApp(
    testConfig({
      dataDir: testDataDir(),
      databaseUrl: dbKind === 'postgres' ? (process.env.DATABASE_URL ?? null) : null,
      logLevel: 'trace',
    }),
    { logger: { level: 'trace', stream } },
  );
  try {
    const t = app as typeof app & { clock: never };
    const world = await makeBusiness(t);
    const dev = await makeApprovedDeveloper(t);
    const { app: client, clientSecret } = await makePublishedApp(t, dev.id);
    const c = await consentCode(t, client.applicationId, REDIRECT, world.admin.email, world.password);
    const ok = await tokenRequest(t, {
      grant_type: 'authorization_code',
      code: c,
      redirect_uri: REDIRECT,
      client_id: client.clientId,
      client_secret: clientSecret,
    });
    const bad = await tokenRequest(t, {
      grant_type: 'authorization_code',
      code: c,
      redirect_uri: REDIRECT,
      client_id: client.clientId,
      client_secret: clientSecret,
    });
    assert.equal(bad.status, 400);
    const log = lines.join('');
    assert.ok(log.length > 0);
    for (const secret of [c, clientSecret, ok.body.access_token, ok.body.refresh_token, world.password])
      assert.equal(log.includes(secret), false, 'a secret value reached the log');
  } finally {
    await app.close();
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp } from '../support/app.ts';
import { makeApprovedDeveloper, makeBusiness, makePublishedApp, REDIRECT } from '../support/world.ts';
import { decide, signInBusinessUser, tokenRequest } from '../support/oauth.ts';

test('the App Center flow: Connect app, login URI, callback, consent, code, final status', async () => {
  // The server's public address: the callback it hands out and the one it accepts back are both on it.
  const app = await buildTestApp({ publicUrl: 'http://bizapi.test' });
  const world = await makeBusiness(app);
  const dev = await makeApprovedDeveloper(app);
  const { app: client, clientSecret } = await makePublishedApp(app, dev.id);
  await app.services.apps.update(dev.id, client.id, { loginUri: 'https://client.example.com/login' });
  const list = await app.server.inject({ method: 'GET', url: '/b2b/abws/appcenter' });
  assert.match(list.body, new RegExp(client.name));
  // 1-2: Connect app sends the customer to the app's login URI with amazon_callback_uri and amazon_state.
  const connect = await app.server.inject({
    method: 'GET',
    url: `/b2b/abws/appcenter/connect?applicationId=${client.applicationId}`,
    headers: { host: 'bizapi.test' },
  });
  assert.equal(connect.statusCode, 302);
  const login = new URL(String(connect.headers.location));
  assert.equal(`${login.origin}${login.pathname}`, 'https://client.example.com/login');
  const callback = login.searchParams.get('amazon_callback_uri')!;
  const amazonState = login.searchParams.get('amazon_state')!;
  assert.equal(callback, 'http://bizapi.test/b2b/abws/appcenter/callback');
  assert.ok(amazonState.length > 20);
  // 3: the app signs the customer in and posts back.
  const forged = await app.server.inject({
    method: 'POST',
    url: '/b2b/abws/appcenter/callback',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({
      redirect_uri: REDIRECT,
      amazon_state: 'forged',
      state: 's1',
      status: 'authentication_successful',
    }).toString(),
  });
  assert.equal(forged.statusCode, 400);
  const posted = await app.server.inject({
    method: 'POST',
    url: '/b2b/abws/appcenter/callback',
    headers: { host: 'bizapi.test', 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({
      redirect_uri: REDIRECT,
      amazon_state: amazonState,
      state: 's1',
      status: 'authentication_successful',
    }).toString(),
  });
  assert.equal(posted.statusCode, 303);
  const consent = String(posted.headers.location);
  assert.match(consent, /^\/mp\/us\/b2b\/abws\/oauth\?/);
  // 4: consent; the redirect carries the code, the state and amazon_callback_uri.
  const { cookie } = await signInBusinessUser(app, consent, world.admin.email, world.password);
  const allowed = await decide(app, consent, cookie, 'allow');
  assert.equal(allowed.statusCode, 302);
  const back = new URL(String(allowed.headers.location));
  assert.equal(back.searchParams.get('state'), 's1');
  assert.equal(back.searchParams.get('amazon_callback_uri'), callback);
  // 5: the app exchanges the code.
  const tokens = await tokenRequest(app, {
    grant_type: 'authorization_code',
    code: back.searchParams.get('code')!,
    redirect_uri: REDIRECT,
    client_id: client.clientId,
    client_secret: clientSecret,
  });
  assert.equal(tokens.status, 200);
  // 6: the app reports success; the state is then used up.
  const done = await app.server.inject({
    method: 'GET',
    url: `/b2b/abws/appcenter/callback?status=auth_code_use_successful&amazon_state=${encodeURIComponent(amazonState)}`,
  });
  assert.equal(done.statusCode, 200);
  assert.match(done.body, /is connected/);
  const again = await app.server.inject({
    method: 'GET',
    url: `/b2b/abws/appcenter/callback?status=auth_code_use_successful&amazon_state=${encodeURIComponent(amazonState)}`,
  });
  assert.equal(again.statusCode, 400);
});

test('a foreign amazon_callback_uri is never passed to the app', async () => {
  const app = await buildTestApp();
  const world = await makeBusiness(app);
  const dev = await makeApprovedDeveloper(app);
  const { app: client } = await makePublishedApp(app, dev.id);
  const url = `/b2b/abws/oauth?applicationId=${client.applicationId}&redirect_uri=${encodeURIComponent(REDIRECT)}&state=s&amazon_callback_uri=${encodeURIComponent('https://evil.example.com/steal')}`;
  const { cookie } = await signInBusinessUser(app, url, world.admin.email, world.password);
  const res = await decide(app, url, cookie, 'allow');
  assert.equal(new URL(String(res.headers.location)).searchParams.get('amazon_callback_uri'), null);
});

test('an amazon_callback_uri with this server\u2019s path on a foreign host is dropped too: origin and path must both be ours', async () => {
  const app = await buildTestApp();
  const world = await makeBusiness(app);
  const dev = await makeApprovedDeveloper(app);
  const { app: client } = await makePublishedApp(app, dev.id);
  for (const foreign of ['https://evil.example.com/b2b/abws/appcenter/callback', 'http://localhost:1/b2b/abws/appcenter/callback']) {
    const url = `/b2b/abws/oauth?applicationId=${client.applicationId}&redirect_uri=${encodeURIComponent(REDIRECT)}&state=s&amazon_callback_uri=${encodeURIComponent(foreign)}`;
    const { cookie } = await signInBusinessUser(app, url, world.admin.email, world.password);
    const res = await decide(app, url, cookie, 'allow');
    assert.equal(new URL(String(res.headers.location)).searchParams.get('amazon_callback_uri'), null, foreign);
  }
});

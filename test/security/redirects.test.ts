import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { makeApprovedDeveloper, makeBusiness, makePublishedApp, REDIRECT } from '../support/world.ts';
import { consentUrl, decide, signInBusinessUser } from '../support/oauth.ts';

// No open redirect through redirect_uri: the consent page, the Allow/Deny decision and the App
// Center callback only ever redirect to a redirect URI registered for the app, exactly as registered.
const app: TestApp = await buildTestApp();
const world = await makeBusiness(app);
const dev = await makeApprovedDeveloper(app, undefined, world.business.id);
const { app: client } = await makePublishedApp(app, dev.id);
const REGISTERED = client.redirectUris;
const { cookie } = await signInBusinessUser(app, consentUrl(client.applicationId, REDIRECT), world.admin.email, world.password);
assert.ok(cookie);

/** Redirect URIs that are not registered, written to slip past a careless check. */
const EVIL = [
  'https://evil.example/cb',
  'https://evil.example',
  '//evil.example/cb',
  '///evil.example/cb',
  '/\\evil.example/cb',
  '\\\\evil.example\\cb',
  'https:evil.example/cb',
  'https://client.example.com@evil.example/cb',
  'https://client.example.com:pass@evil.example/cb',
  'https://evil.example\\@client.example.com/cb',
  'https://evil.example#@client.example.com/cb',
  'https://evil.example?@client.example.com/cb',
  'https://client.example.com.evil.example/cb',
  'https://client.example.com/cb/extra',
  'https://client.example.com/cb/../../evil',
  'https://client.example.com/cb?next=https://evil.example',
  'https://client.example.com/cb#https://evil.example',
  'https://client.example.com/cb%2F..%2F..%2Fevil',
  'https://client.example.com/cb/',
  'https://client.example.com/cb%00',
  ' https://client.example.com/cb',
  'https://client.example.com/cb ',
  'HTTPS://CLIENT.EXAMPLE.COM/cb',
  'http://client.example.com/cb',
  'https://client.example.com:444/cb',
  'https%3A%2F%2Fevil.example%2Fcb',
  'https%253A%252F%252Fevil.example',
  'javascript:alert(document.cookie)',
  'data:text/html,<script>alert(1)</script>',
];

const isRegisteredTarget = (location: string): boolean => REGISTERED.some((u) => location === u || location.startsWith(`${u}?`));

function assertNoRedirectOut(res: { statusCode: number; headers: Record<string, unknown> }, what: string): void {
  if (res.statusCode < 300 || res.statusCode >= 400) return;
  const location = String(res.headers.location ?? '');
  const ours = location.startsWith('/') && !location.startsWith('//') && !location.startsWith('/\\');
  assert.ok(ours || isRegisteredTarget(location), `${what}: ${res.statusCode} to ${location}`);
  assert.ok(!/evil/i.test(location), `${what}: ${res.statusCode} to ${location}`);
}

test('the consent page refuses every unregistered redirect_uri with a page, never a 3xx', async () => {
  for (const evil of EVIL) {
    for (const headers of [{}, { cookie }]) {
      const res = await app.server.inject({ method: 'GET', url: consentUrl(client.applicationId, evil), headers });
      assert.ok(res.statusCode >= 400 && res.statusCode < 500, `${evil}: ${res.statusCode}`);
      assert.match(String(res.headers['content-type']), /^text\/html/);
      assertNoRedirectOut(res, `GET consent ${evil}`);
    }
    // Raw, not re-encoded: the query string as an attacker would write it.
    const raw = await app.server.inject({
      method: 'GET',
      url: `/b2b/abws/oauth?applicationId=${encodeURIComponent(client.applicationId)}&redirect_uri=${evil.replace(/[\s#&]/g, encodeURIComponent)}`,
      headers: { cookie },
    });
    assertNoRedirectOut(raw, `GET consent raw ${evil}`);
    assert.notEqual(raw.statusCode, 200, `raw ${evil}`);
  }
});

test('Allow and Deny never redirect to an unregistered redirect_uri, whatever the form says', async () => {
  const page = await app.server.inject({ method: 'GET', url: consentUrl(client.applicationId, REDIRECT), headers: { cookie } });
  const csrf = /name="csrf" value="([^"]+)"/.exec(page.body)![1]!;
  for (const evil of EVIL) {
    for (const decision of ['allow', 'deny']) {
      const form = new URLSearchParams({
        csrf,
        decision,
        applicationId: client.applicationId,
        redirect_uri: evil,
        state: 's',
        marketplace: 'US',
      });
      const res = await app.server.inject({
        method: 'POST',
        url: '/b2b/abws/oauth/decision',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: form.toString(),
      });
      assertNoRedirectOut(res, `${decision} ${evil}`);
      assert.ok(res.statusCode >= 400, `${decision} ${evil}: ${res.statusCode}`);
    }
  }
  // Our own parameters cannot add a second destination either.
  const ok = await decide(
    app,
    consentUrl(
      client.applicationId,
      REDIRECT,
      'https://evil.example',
      '&amazon_callback_uri=https%3A%2F%2Fevil.example%2Fb2b%2Fabws%2Fappcenter%2Fcallback',
    ),
    cookie,
    'allow',
  );
  assert.equal(ok.statusCode, 302);
  assert.ok(isRegisteredTarget(String(ok.headers.location)), String(ok.headers.location));
  assert.equal(new URL(String(ok.headers.location)).origin, 'https://client.example.com');
});

test('the App Center callback only continues with a registered redirect_uri', async () => {
  const { token: amazonState } = await app.services.operators.createSession('app_center', client.applicationId, {
    ttlSeconds: 900,
    data: 'US',
  });
  for (const evil of EVIL) {
    const form = new URLSearchParams({ amazon_state: amazonState, status: 'authentication_successful', redirect_uri: evil, state: 's' });
    const res = await app.server.inject({
      method: 'POST',
      url: '/b2b/abws/appcenter/callback',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: form.toString(),
    });
    assertNoRedirectOut(res, `App Center ${evil}`);
    if (res.statusCode >= 300 && res.statusCode < 400) {
      // The only redirect it may give is to our own consent page, which checks the URI again.
      assert.match(String(res.headers.location), /^\/mp\/[a-z]+\/b2b\/abws\/oauth\?/);
      const next = await app.server.inject({ method: 'GET', url: String(res.headers.location), headers: { cookie } });
      assertNoRedirectOut(next, `App Center then consent ${evil}`);
      assert.ok(next.statusCode >= 400, `${evil}: the consent page accepted it`);
    }
  }
});

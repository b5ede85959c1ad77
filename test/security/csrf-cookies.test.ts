import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { makeApprovedDeveloper, makeBusiness, makePublishedApp, REDIRECT } from '../support/world.ts';
import { consentUrl, signInBusinessUser } from '../support/oauth.ts';
import { stateDigest } from '../support/state.ts';
import { isolatedDatabase } from '../support/isolated.ts';

// Session cookies carry HttpOnly and SameSite (and Secure behind an https PUBLIC_URL); CSRF is
// enforced on the consent decision, the consent sign-in and the developer API's cookie sessions.

const setCookies = (headers: Record<string, unknown>): string[] => {
  const raw = headers['set-cookie'];
  return raw === undefined ? [] : Array.isArray(raw) ? raw.map(String) : [String(raw)];
};
/** The cookies that set a value (clearing ones expire at once and carry nothing). */
const valued = (lines: string[]): string[] => lines.filter((l) => !/^[^=]+=;/.test(l) && !/expires=Thu, 01 Jan 1970/i.test(l));

function assertCookieFlags(lines: string[], secure: boolean, what: string): void {
  assert.ok(lines.length > 0, `${what}: no cookie set`);
  for (const line of lines) {
    const attrs = line.split(';').map((s) => s.trim().toLowerCase());
    assert.ok(attrs.includes('httponly'), `${what}: ${line} lacks HttpOnly`);
    assert.ok(
      attrs.some((a) => a === 'samesite=lax' || a === 'samesite=strict'),
      `${what}: ${line} lacks SameSite`,
    );
    assert.equal(attrs.includes('secure'), secure, `${what}: ${line} ${secure ? 'lacks' : 'has'} Secure`);
  }
}

async function world(app: TestApp) {
  const w = await makeBusiness(app);
  const dev = await makeApprovedDeveloper(app, undefined, w.business.id);
  const { app: client } = await makePublishedApp(app, dev.id);
  return { ...w, dev, client };
}

async function cookieFlows(app: TestApp, secure: boolean): Promise<void> {
  const w = await world(app);
  const url = consentUrl(w.client.applicationId, REDIRECT);
  const page = await app.server.inject({ method: 'GET', url });
  assertCookieFlags(valued(setCookies(page.headers)), secure, 'consent page (pre-login CSRF cookie)');
  const csrf = /name="csrf" value="([^"]+)"/.exec(page.body)![1]!;
  const pre = valued(setCookies(page.headers))[0]!.split(';')[0]!;
  const signIn = await app.server.inject({
    method: 'POST',
    url: '/b2b/abws/signin',
    headers: { cookie: pre, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({
      csrf,
      email: w.admin.email,
      password: w.password,
      applicationId: w.client.applicationId,
      redirect_uri: REDIRECT,
    }).toString(),
  });
  assert.equal(signIn.statusCode, 303);
  assertCookieFlags(valued(setCookies(signIn.headers)), secure, 'consent sign-in (business session)');

  const email = `cookie-${Math.random().toString(36).slice(2)}@t.test`;
  await app.server.inject({ method: 'POST', url: '/developer/v1/register', payload: { email, name: 'D', password: 'developer-password' } });
  const devSession = await app.server.inject({
    method: 'POST',
    url: '/developer/v1/sessions',
    payload: { email, password: 'developer-password' },
  });
  assert.equal(devSession.statusCode, 201);
  assertCookieFlags(valued(setCookies(devSession.headers)), secure, 'developer API session');

  for (const area of ['/portal', '/business', '/console']) {
    const res = await app.server.inject({ method: 'GET', url: `${area}/signin` });
    if (res.statusCode === 404) continue; // an area the portal does not serve
    const lines = valued(setCookies(res.headers));
    if (lines.length > 0) assertCookieFlags(lines, secure, `${area}/signin`);
  }
}

describe('session cookies', () => {
  test('carry HttpOnly and SameSite, and no Secure over plain http', async () => {
    await cookieFlows(await buildTestApp(), false);
  });
  test('carry Secure as well when PUBLIC_URL is https', async () => {
    await cookieFlows(await buildTestApp({ publicUrl: 'https://bizapi.example.com' }), true);
  });
});

describe('CSRF', () => {
  test('the consent decision needs the session CSRF token: without it no code is issued', async () => {
    // A database of its own: the state digest counts whole tables.
    const app = await (await isolatedDatabase()).build();
    const w = await world(app);
    const url = consentUrl(w.client.applicationId, REDIRECT);
    const { cookie } = await signInBusinessUser(app, url, w.admin.email, w.password);
    const page = await app.server.inject({ method: 'GET', url, headers: { cookie } });
    const csrf = /name="csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const before = await stateDigest(app.ctx.db);
    for (const sent of [
      undefined,
      '',
      'wrong',
      `${csrf}x`,
      csrf.slice(0, -1),
      csrf.toUpperCase() === csrf ? csrf.toLowerCase() : csrf.toUpperCase(),
    ]) {
      const form = new URLSearchParams({
        decision: 'allow',
        applicationId: w.client.applicationId,
        redirect_uri: REDIRECT,
        state: 's',
        marketplace: 'US',
        ...(sent === undefined ? {} : { csrf: sent }),
      });
      const res = await app.server.inject({
        method: 'POST',
        url: '/b2b/abws/oauth/decision',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: form.toString(),
      });
      assert.equal(res.statusCode, 403, `csrf ${sent}`);
      assert.equal(res.headers.location, undefined);
    }
    assert.deepEqual(await stateDigest(app.ctx.db), before, 'a refused decision wrote nothing');
    // A cross-site post (no session cookie at all) gets nothing either.
    const anon = await app.server.inject({
      method: 'POST',
      url: '/b2b/abws/oauth/decision',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ csrf, decision: 'allow', applicationId: w.client.applicationId, redirect_uri: REDIRECT }).toString(),
    });
    assert.equal(anon.statusCode, 401);
    // The right token works, so the refusals above were about the token.
    const ok = await app.server.inject({
      method: 'POST',
      url: '/b2b/abws/oauth/decision',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        csrf,
        decision: 'allow',
        applicationId: w.client.applicationId,
        redirect_uri: REDIRECT,
        state: 's',
        marketplace: 'US',
      }).toString(),
    });
    assert.equal(ok.statusCode, 302);
  });

  test('the consent sign-in needs the pre-login CSRF cookie and the same value in the form', async () => {
    // A database of its own: the state digest counts whole tables.
    const app = await (await isolatedDatabase()).build();
    const w = await world(app);
    const page = await app.server.inject({ method: 'GET', url: consentUrl(w.client.applicationId, REDIRECT) });
    const csrf = /name="csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const before = await stateDigest(app.ctx.db);
    const cases: [string | undefined, string | undefined][] = [
      [undefined, csrf],
      [`bizapi_csrf=${csrf}`, undefined],
      [`bizapi_csrf=${csrf}`, 'other'],
      ['bizapi_csrf=other', csrf],
      [undefined, undefined],
    ];
    for (const [cookie, sent] of cases) {
      const form = new URLSearchParams({ email: w.admin.email, password: w.password, ...(sent === undefined ? {} : { csrf: sent }) });
      const res = await app.server.inject({
        method: 'POST',
        url: '/b2b/abws/signin',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookie ? { cookie } : {}) },
        payload: form.toString(),
      });
      assert.equal(res.statusCode, 403, `${cookie} / ${sent}`);
      assert.ok(!setCookies(res.headers).some((l) => l.startsWith('bizapi_bu=') && !/^bizapi_bu=;/.test(l)), 'no session cookie');
    }
    assert.deepEqual(await stateDigest(app.ctx.db), before, 'no session was created');
  });

  test('the developer API with a cookie session needs x-csrf-token on every change; a bearer session does not', async () => {
    // A database of its own: the state digest counts whole tables.
    const app = await (await isolatedDatabase()).build();
    const email = `csrf-${Math.random().toString(36).slice(2)}@t.test`;
    await app.server.inject({
      method: 'POST',
      url: '/developer/v1/register',
      payload: { email, name: 'D', password: 'developer-password' },
    });
    const session = (
      await app.server.inject({ method: 'POST', url: '/developer/v1/sessions', payload: { email, password: 'developer-password' } })
    ).json();
    const cookie = `bizapi_dev=${session.token}`;
    const body = { name: 'Csrf app', type: 'sandbox', visibility: 'public', roles: [], redirectUris: [REDIRECT] };
    const before = await stateDigest(app.ctx.db);
    for (const csrf of [undefined, '', 'wrong', `${session.csrfToken}x`]) {
      for (const [method, url, payload] of [
        ['POST', '/developer/v1/apps', body],
        ['PUT', '/developer/v1/profile', { organization: 'O', contactEmail: email, useCase: 'u', requestedRoles: [] }],
        ['DELETE', '/developer/v1/sessions', undefined],
      ] as const) {
        const res = await app.server.inject({
          method,
          url,
          headers: { cookie, ...(csrf === undefined ? {} : { 'x-csrf-token': csrf }) },
          ...(payload ? { payload } : {}),
        });
        assert.equal(res.statusCode, 403, `${method} ${url} csrf=${csrf}: ${res.body}`);
        assert.equal(res.json().errors[0].code, 'Forbidden');
      }
    }
    assert.deepEqual(await stateDigest(app.ctx.db), before, 'nothing was written');
    assert.equal(
      (await app.server.inject({ method: 'GET', url: '/developer/v1/apps', headers: { cookie } })).statusCode,
      200,
      'reads need no token',
    );
    assert.equal(
      (
        await app.server.inject({
          method: 'POST',
          url: '/developer/v1/apps',
          headers: { cookie, 'x-csrf-token': session.csrfToken },
          payload: body,
        })
      ).statusCode,
      201,
    );
    assert.equal(
      (
        await app.server.inject({
          method: 'POST',
          url: '/developer/v1/apps',
          headers: { authorization: `Bearer ${session.token}` },
          payload: { ...body, name: 'Bearer app' },
        })
      ).statusCode,
      201,
    );
  });
});

test('session cookies carry Max-Age, never Expires: a virtual clock far from the browser\u2019s does not log anyone out', async () => {
  const app = await buildTestApp();
  app.clock.set(Date.parse('2020-01-01T00:00:00Z'));
  const w = await world(app);
  const res = await app.server.inject({
    method: 'POST',
    url: '/business/signin',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: 'bizapi_portal_csrf=t' },
    payload: new URLSearchParams({ csrf: 't', email: w.admin.email, password: w.password }).toString(),
  });
  const session = valued(setCookies(res.headers)).find((l) => l.startsWith('bizapi_bu='));
  assert.ok(session, JSON.stringify(res.headers['set-cookie']));
  assert.match(session, new RegExp(`Max-Age=${app.ctx.config.sessionTtlSeconds}`, 'i'));
  assert.doesNotMatch(session, /expires=/i);
});

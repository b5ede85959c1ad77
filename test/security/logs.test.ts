import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { isolatedDatabase } from '../support/isolated.ts';
import { startServer } from '../support/server-process.ts';

// Token and secret values never appear in the log: the real server (its production logger and
// redaction settings) at LOG_LEVEL=trace, through a full flow — developer onboarding, consent, code
// exchange, refresh, API calls, secret rotation — and its failures. Every secret that went over
// the wire is then searched for in everything the process printed.

const ADMIN_KEY = `bza_logtest_${'k'.repeat(16)}${Math.random().toString(36).slice(2)}`;
const REDIRECT = 'https://client.example.com/cb';

test('no token, secret, password, code or session value reaches the log', async () => {
  const { config } = await isolatedDatabase();
  const server = await startServer({
    DATA_DIR: config.dataDir,
    DATABASE_URL: config.databaseUrl ?? '',
    LOG_LEVEL: 'trace',
    // The request lines too: every request's URL is written once more.
    LOG_REQUESTS: 'true',
    ADMIN_API_KEY: ADMIN_KEY,
  });
  after(() => server.stop());
  const base = server.baseUrl;
  const secrets = new Map<string, string>([['operator key', ADMIN_KEY]]);

  const json = async (method: string, url: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${base}${url}`, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {}, headers: res.headers };
  };
  const admin = (method: string, url: string, body?: unknown) =>
    json(method, `/admin/v1${url}`, body, { authorization: `Bearer ${ADMIN_KEY}` });
  const form = (url: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
    fetch(`${base}${url}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(fields).toString(),
    });
  const cookieOf = (res: Response, name: string): string => {
    const line = res.headers.getSetCookie().find((c) => c.startsWith(`${name}=`));
    assert.ok(line, `no ${name} cookie`);
    return line.split(';')[0]!.slice(name.length + 1);
  };

  // A business with an administrator.
  const adminPassword = `admin-password-${Math.random().toString(36).slice(2)}`;
  secrets.set('business admin password', adminPassword);
  const biz = await admin('POST', '/businesses', { name: 'Log Test Biz', marketplaces: ['US'], legalEntities: ['LE'] });
  assert.equal(biz.status, 201, JSON.stringify(biz.body));
  const full = await admin('GET', `/businesses/${biz.body.id}`);
  const le = (full.body.legalEntities as { id: string }[])[0]!.id;
  const adminEmail = 'log-admin@t.test';
  assert.equal(
    (
      await admin('POST', `/businesses/${biz.body.id}/users`, {
        email: adminEmail,
        name: 'A',
        role: 'Administrator',
        password: adminPassword,
        adminOfLegalEntityIds: [le],
      })
    ).status,
    201,
  );
  await admin('POST', `/businesses/${biz.body.id}/users`, { email: 'log-buyer@t.test', name: 'B', role: 'Requisitioner' });

  // A developer, approved, with a published app.
  const devPassword = `dev-password-${Math.random().toString(36).slice(2)}`;
  secrets.set('developer password', devPassword);
  await json('POST', '/developer/v1/register', { email: 'log-dev@t.test', name: 'D', password: devPassword });
  const wrongSignIn = await json('POST', '/developer/v1/sessions', { email: 'log-dev@t.test', password: `${devPassword}-wrong` });
  assert.equal(wrongSignIn.status, 401);
  const session = await json('POST', '/developer/v1/sessions', { email: 'log-dev@t.test', password: devPassword });
  const devToken = String(session.body.token);
  secrets.set('developer session', devToken).set('developer CSRF token', String(session.body.csrfToken));
  const dev = (method: string, url: string, body?: unknown) =>
    json(method, `/developer/v1${url}`, body, { authorization: `Bearer ${devToken}` });
  await dev('PUT', '/profile', {
    organization: 'O',
    contactEmail: 'log-dev@t.test',
    useCase: 'logs',
    requestedRoles: ['Business Product Catalog'],
  });
  await dev('POST', '/profile/submit');
  for (const r of (await admin('GET', '/reviews?status=pending')).body.reviews as { id: string }[])
    await admin('POST', `/reviews/${r.id}/approve`, {});
  const created = await dev('POST', '/apps', {
    name: 'Log app',
    type: 'production',
    visibility: 'public',
    roles: ['Business Product Catalog'],
    redirectUris: [REDIRECT],
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const appId = String(created.body.id);
  const clientId = String(created.body.clientId);
  const clientSecret = String(created.body.clientSecret);
  secrets.set('client secret', clientSecret);
  await dev('POST', `/apps/${appId}/submit-listing`);
  for (const r of (await admin('GET', '/reviews?status=pending')).body.reviews as { id: string }[])
    await admin('POST', `/reviews/${r.id}/approve`, {});

  // Consent through the forms, then the token endpoint.
  const consent = `/b2b/abws/oauth?applicationId=${encodeURIComponent(String(created.body.applicationId))}&redirect_uri=${encodeURIComponent(REDIRECT)}&state=st`;
  const signInPage = await fetch(`${base}${consent}`);
  const preCsrf = cookieOf(signInPage, 'bizapi_csrf');
  secrets.set('pre-login CSRF', preCsrf);
  const hidden = (body: string, name: string) =>
    /name="(\w+)" value="([^"]*)"/g.exec(body) && new RegExp(`name="${name}" value="([^"]*)"`).exec(body)?.[1]?.replace(/&amp;/g, '&');
  const pageBody = await signInPage.text();
  const fields = { applicationId: hidden(pageBody, 'applicationId') ?? '', redirect_uri: REDIRECT, state: 'st', marketplace: 'US' };
  assert.equal(
    (
      await form(
        '/b2b/abws/signin',
        { csrf: preCsrf, email: adminEmail, password: `${adminPassword}-wrong`, ...fields },
        { cookie: `bizapi_csrf=${preCsrf}` },
      )
    ).status,
    401,
  );
  const signedIn = await form(
    '/b2b/abws/signin',
    { csrf: preCsrf, email: adminEmail, password: adminPassword, ...fields },
    { cookie: `bizapi_csrf=${preCsrf}` },
  );
  assert.equal(signedIn.status, 303);
  const businessSession = cookieOf(signedIn, 'bizapi_bu');
  secrets.set('business session', businessSession);
  const consentPage = await (await fetch(`${base}${consent}`, { headers: { cookie: `bizapi_bu=${businessSession}` } })).text();
  const sessionCsrf = hidden(consentPage, 'csrf') ?? '';
  secrets.set('session CSRF', sessionCsrf);
  assert.equal(
    (await form('/b2b/abws/oauth/decision', { csrf: 'wrong', decision: 'allow', ...fields }, { cookie: `bizapi_bu=${businessSession}` }))
      .status,
    403,
  );
  const decided = await form(
    '/b2b/abws/oauth/decision',
    { csrf: sessionCsrf, decision: 'allow', ...fields },
    { cookie: `bizapi_bu=${businessSession}` },
  );
  assert.equal(decided.status, 302);
  const code = new URL(String(decided.headers.get('location'))).searchParams.get('code') ?? '';
  secrets.set('grant code', code);

  const token = (fields_: Record<string, string>) =>
    form('/auth/o2/token', fields_).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, string> }));
  assert.equal(
    (
      await token({
        grant_type: 'authorization_code',
        code,
        redirect_uri: REDIRECT,
        client_id: clientId,
        client_secret: `${clientSecret}x`,
      })
    ).status,
    401,
  );
  const exchanged = await token({
    grant_type: 'authorization_code',
    code,
    redirect_uri: REDIRECT,
    client_id: clientId,
    client_secret: clientSecret,
  });
  assert.equal(exchanged.status, 200, JSON.stringify(exchanged.body));
  secrets.set('refresh token', exchanged.body.refresh_token!).set('access token', exchanged.body.access_token!);
  const basic = await fetch(`${base}/auth/o2/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
    },
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: exchanged.body.refresh_token! }).toString(),
  });
  assert.equal(basic.status, 200);
  const refreshed = (await basic.json()) as Record<string, string>;
  secrets.set('refreshed access token', refreshed.access_token!);
  secrets.set('Basic credentials', Buffer.from(`${clientId}:${clientSecret}`).toString('base64'));

  // API calls, good and bad, on production and sandbox base URLs.
  const api = (path: string, headers: Record<string, string>) => fetch(`${base}${path}`, { headers });
  await api('/na/products/2020-08-26/products?productRegion=US&locale=en_US&keywords=phone', {
    'x-amz-access-token': refreshed.access_token!,
    'x-amz-user-email': 'log-buyer@t.test',
  });
  await api('/na/products/2020-08-26/products?productRegion=US&locale=en_US&keywords=phone', {
    'x-amz-access-token': `${refreshed.access_token!}x`,
    'x-amz-user-email': 'log-buyer@t.test',
  });
  await api('/sandbox/na/products/2020-08-26/products?keywords=x', { 'x-amz-access-token': refreshed.access_token! });
  await api('/na/reports/2021-01-08/orders', {
    'x-amz-access-token': refreshed.access_token!,
    authorization: `AWS4-HMAC-SHA256 Credential=${clientSecret}`,
  });

  // Secrets in query strings: a grant code on a callback page, a client sending the token call's
  // fields in the query, an SDK sending the access token as a query parameter.
  await fetch(`${base}/some/callback?code=${encodeURIComponent(code)}&state=st`);
  await fetch(`${base}/some/callback?stolen=${encodeURIComponent(code)}`);
  await fetch(
    `${base}/auth/o2/token?grant_type=refresh_token&refresh_token=${encodeURIComponent(exchanged.body.refresh_token!)}&client_id=${clientId}&client_secret=${encodeURIComponent(clientSecret)}`,
    { method: 'POST' },
  );
  await api(`/na/products/2020-08-26/products?keywords=x&access_token=${encodeURIComponent(refreshed.access_token!)}`, {});
  // A secret under a misspelled field name, quoted back in an error message.
  await json('POST', '/developer/v1/sessions', { email: 'log-dev@t.test', pasword: devPassword, clientSecret: clientSecret });

  // A reused code is refused (and revokes what it issued).
  assert.equal(
    (await token({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: clientId, client_secret: clientSecret }))
      .status,
    400,
    'code reuse',
  );

  // Rotation shows a new secret once.
  const rotated = await dev('POST', `/apps/${appId}/rotate-secret`);
  secrets.set('rotated client secret', String(rotated.body.clientSecret));
  await dev('GET', `/apps/${appId}/credentials`);
  await json('DELETE', '/developer/v1/sessions', undefined, { cookie: `bizapi_dev=${devToken}`, 'x-csrf-token': 'wrong' });

  await server.stop();
  const log = server.output();
  assert.ok(log.includes('"reqId"') || log.includes('"req"'), 'the JSON request log was captured');
  fs.mkdirSync('test-artifacts', { recursive: true });
  fs.writeFileSync('test-artifacts/security-log-capture.log', log);
  for (const [what, value] of secrets) {
    assert.ok(value.length >= 12, `${what} was captured (${value.length} chars)`);
    assert.ok(!log.includes(value), `the ${what} appears in the log`);
    // Also a distinctive tail, in case a value is logged truncated or re-encoded in part.
    const tail = value.slice(-16);
    assert.ok(!log.includes(tail) && !log.includes(encodeURIComponent(tail)), `part of the ${what} appears in the log`);
  }
});

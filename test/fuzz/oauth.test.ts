import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { consentUrl, signInBusinessUser } from '../support/oauth.ts';
import { REDIRECT } from '../support/world.ts';
import { stateDigest } from '../support/state.ts';
import {
  assertWellFormed,
  checkProperty,
  contentType,
  definedHeaders,
  encode,
  formBody,
  fuzzWorld,
  fuzzString,
  headerValue,
  jsonBody,
  mutateObject,
  queryString,
  withoutStateChangeOnRejection,
} from '../support/fuzz.ts';

// The token endpoint, the consent pages and forms, the App Center callbacks and the portal sign-in
// forms, with random and malformed input: no 500, only the LWA envelope (token) or a page, no state
// change from a rejected request, and never a redirect anywhere but a registered redirect URI.
const { app, w, token: t } = await fuzzWorld();
const other = await w.tokenFor(['Business Product Catalog']);
const REGISTERED = t.client.redirectUris;
const page = consentUrl(t.client.applicationId, REDIRECT);
const { cookie: adminCookie } = await signInBusinessUser(app, page, w.admin.email, w.password);
assert.ok(adminCookie, 'the admin signs in');
const consent = await app.server.inject({ method: 'GET', url: page, headers: { cookie: adminCookie } });
const sessionCsrf = /name="csrf" value="([^"]+)"/.exec(consent.body)?.[1] ?? '';
assert.ok(sessionCsrf);

const LWA_FIELDS = ['grant_type', 'code', 'redirect_uri', 'refresh_token', 'client_id', 'client_secret', 'scope'];
const LWA_VALUES = [
  'authorization_code',
  'refresh_token',
  'client_credentials',
  t.refreshToken,
  other.refreshToken,
  t.client.clientId,
  other.client.clientId,
  t.clientSecret,
  REDIRECT,
  `${REDIRECT}/`,
  'ANnot-a-code',
];

test('token endpoint: only the LWA envelope, no 500, no state change from a refusal', async () => {
  const good = { grant_type: 'refresh_token', refresh_token: t.refreshToken, client_id: t.client.clientId, client_secret: t.clientSecret };
  const body = fc.oneof(
    {
      weight: 3,
      arbitrary: formBody(LWA_FIELDS, LWA_VALUES).map((b) => ({ b, type: 'application/x-www-form-urlencoded' as string | undefined })),
    },
    { weight: 2, arbitrary: mutateObject(good).map((o) => ({ b: JSON.stringify(o), type: 'application/json' as string | undefined })) },
    {
      weight: 2,
      arbitrary: mutateObject(good).map((o) => ({
        b: new URLSearchParams(
          Object.entries(o as Record<string, unknown>).map(([k, v]): [string, string] => [
            k,
            typeof v === 'string' ? v : (JSON.stringify(v) ?? ''),
          ]),
        ).toString(),
        type: 'application/x-www-form-urlencoded' as string | undefined,
      })),
    },
    { weight: 2, arbitrary: fc.tuple(jsonBody([good]), contentType).map(([b, type]) => ({ b, type })) },
  );
  const basic = fc.option(
    fc.oneof(
      fc.constant(`Basic ${Buffer.from(`${t.client.clientId}:${t.clientSecret}`).toString('base64')}`),
      fc.tuple(fuzzString, fuzzString).map(([a, b]) => `Basic ${Buffer.from(`${a}:${b}`).toString('base64')}`),
      headerValue.map((v) => `Basic ${v}`),
      headerValue,
    ),
    { nil: undefined },
  );
  await checkProperty('token endpoint', fc.record({ body, basic }), async ({ body: { b, type }, basic: auth }) => {
    const res = await withoutStateChangeOnRejection(
      app,
      () =>
        app.server.inject({
          method: 'POST',
          url: '/auth/o2/token',
          headers: definedHeaders({ 'content-type': type, authorization: auth }),
          payload: b,
        }),
      `POST /auth/o2/token ${b.slice(0, 100)}`,
    );
    assertWellFormed(res, ['lwa'], `token ${b.slice(0, 100)}`);
    if (res.statusCode === 200) assert.equal(JSON.parse(res.body).token_type, 'bearer');
  });
});

const CONSENT_FIELDS = [
  'applicationId',
  'redirect_uri',
  'state',
  'version',
  'amazon_callback_uri',
  'marketplace',
  'csrf',
  'decision',
  'email',
  'password',
];
const CONSENT_VALUES = [
  t.client.applicationId,
  other.client.applicationId,
  REDIRECT,
  ...REGISTERED,
  `${REDIRECT}?x=1`,
  `${REDIRECT}/../evil`,
  'https://evil.example/cb',
  '//evil.example',
  'https://client.example.com@evil.example/cb',
  'https://client.example.com\\@evil.example',
  'javascript:alert(1)',
  'beta',
  'US',
  'UK',
  'allow',
  'deny',
  sessionCsrf,
  w.admin.email,
  w.password,
  'https://localhost/b2b/abws/appcenter/callback',
];

/** A redirect goes only to a registered redirect URI (with our parameters after `?`), or to our own pages. */
function assertSafeRedirect(location: string | undefined, what: string): void {
  assert.ok(location, `${what}: a redirect without Location`);
  const ours = location.startsWith('/') && !location.startsWith('//') && !location.startsWith('/\\');
  const registered = REGISTERED.some((u) => location === u || location.startsWith(`${u}?`));
  assert.ok(ours || registered, `${what}: redirect to ${location}`);
}

test('consent pages (GET): a page every time, never a state change', async () => {
  await checkProperty(
    'consent page',
    fc.record({
      q: queryString(CONSENT_FIELDS, CONSENT_VALUES),
      cookie: fc.constantFrom(undefined, adminCookie, 'bizapi_bu=garbage', `${adminCookie}x`),
      mp: fc.option(fuzzString, { nil: undefined }),
    }),
    async ({ q, cookie, mp }) => {
      const url = `${mp !== undefined ? `/mp/${encode(mp) || 'us'}` : ''}/b2b/abws/oauth?${q}`;
      const before = await stateDigest(app.ctx.db);
      const res = await app.server.inject({ method: 'GET', url, headers: definedHeaders({ cookie }) });
      assert.deepEqual(await stateDigest(app.ctx.db), before, `GET ${url} changed the state`);
      // A path no route matches (`/mp/../…`) or an over-long segment (414) is refused before any page is
      // known: the platform's JSON envelope, as for every unknown path.
      assertWellFormed(res, res.statusCode === 404 || res.statusCode === 414 ? ['html', 'amazon'] : ['html'], `GET ${url}`);
      assert.ok(res.statusCode < 300 || res.statusCode >= 400, `GET ${url}: ${res.statusCode}`);
    },
  );
});

test('sign-in and decision forms (POST): a page or a safe redirect, no state change from a refusal', async () => {
  const form = fc.oneof(
    {
      weight: 4,
      arbitrary: formBody(CONSENT_FIELDS, CONSENT_VALUES).map((b) => ({
        b,
        type: 'application/x-www-form-urlencoded' as string | undefined,
      })),
    },
    { weight: 1, arbitrary: fc.tuple(jsonBody(), contentType).map(([b, type]) => ({ b, type })) },
  );
  await checkProperty(
    'consent forms',
    fc.record({
      path: fc.constantFrom('/b2b/abws/signin', '/b2b/abws/oauth/decision', '/b2b/abws/appcenter/callback'),
      form,
      cookie: fc.constantFrom(
        undefined,
        adminCookie,
        'bizapi_csrf=abc',
        `bizapi_csrf=${sessionCsrf}`,
        `${adminCookie}; bizapi_csrf=abc`,
        'bizapi_bu=%zz',
      ),
    }),
    async ({ path, form: { b, type }, cookie }) => {
      const res = await withoutStateChangeOnRejection(
        app,
        () => app.server.inject({ method: 'POST', url: path, headers: definedHeaders({ cookie, 'content-type': type }), payload: b }),
        `POST ${path} ${b.slice(0, 120)}`,
      );
      if (res.statusCode >= 300 && res.statusCode < 400)
        assertSafeRedirect(res.headers.location as string | undefined, `POST ${path} ${b.slice(0, 200)}`);
      else assertWellFormed(res, ['html'], `POST ${path} ${b.slice(0, 120)}`);
    },
  );
});

/**
 * Inputs that hit bugs already reported to the module's owners (the portal is another engineer's):
 * GET /portal/signin with `next` repeated answers 500 (src/modules/portal/signin.ts reads the query's
 * `next` as a string, and a repeated key is an array). Remove the filter once fixed.
 */

test('App Center pages and portal sign-in forms: a page or a safe redirect, never a 500', async () => {
  const PORTAL_FIELDS = [
    'csrf',
    'email',
    'password',
    'next',
    'amazon_state',
    'status',
    'applicationId',
    'marketplace',
    'redirect_uri',
    'state',
  ];
  await checkProperty(
    'pages',
    fc.record({
      target: fc.constantFrom(
        ['GET', '/b2b/abws/appcenter/connect'],
        ['GET', '/b2b/abws/appcenter/callback'],
        ['GET', '/b2b/abws/signout'],
        ['POST', '/portal/signin'],
        ['POST', '/business/signin'],
        ['POST', '/console/signin'],
        ['GET', '/portal/signin'],
      ),
      q: queryString(PORTAL_FIELDS, [...CONSENT_VALUES, '/portal/apps', '//evil.example', 'https://evil.example', '/\\evil.example']),
      cookie: fc.constantFrom(undefined, 'bizapi_portal_csrf=abc', 'bizapi_dev=garbage'),
    }),
    async ({ target: [method, path], q, cookie }) => {
      const url = method === 'GET' ? `${path}?${q}` : path;
      const res = await withoutStateChangeOnRejection(
        app,
        () =>
          app.server.inject({
            method: method as 'GET',
            url,
            headers: definedHeaders({ cookie, ...(method === 'POST' ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) }),
            ...(method === 'POST' ? { payload: q } : {}),
          }),
        `${method} ${url} ${q.slice(0, 100)}`,
      );
      if (res.statusCode >= 300 && res.statusCode < 400) {
        // The App Center's connect step goes to the app's own login URI; none is registered here.
        assertSafeRedirect(res.headers.location as string | undefined, `${method} ${path} ${q.slice(0, 200)}`);
      } else assertWellFormed(res, res.statusCode === 404 ? ['html', 'amazon'] : ['html'], `${method} ${path} ${q.slice(0, 120)}`);
    },
  );
});

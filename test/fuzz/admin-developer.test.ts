import { test } from 'node:test';
import fc from 'fast-check';
import { REDIRECT } from '../support/world.ts';
import {
  assertWellFormed,
  checkProperty,
  contentType,
  definedHeaders,
  encode,
  fuzzWorld,
  fuzzString,
  headerValue,
  jsonBody,
  queryString,
  withoutStateChangeOnRejection,
} from '../support/fuzz.ts';
import { ROLES } from '../../src/kernel/reference.ts';

// The operators' admin API and the developers' API with random and malformed paths, queries and
// bodies, with and without credentials: no 500, only the Amazon envelope, no state change from a
// refusal (an accepted request may of course create or change rows). Everything is set up before the
// first test starts: node:test runs a test while the module's top-level code goes on.
const { app, w, token: t } = await fuzzWorld();
const adminKey = await app.services.operators.createAdminKey('fuzz');

// A developer with a session (bearer token and cookie) and an app of their own.
const email = `fuzz-dev-${Date.now()}@t.test`;
await app.server.inject({
  method: 'POST',
  url: '/developer/v1/register',
  payload: { email, name: 'Fuzz', password: 'developer-password' },
});
const session = (
  await app.server.inject({ method: 'POST', url: '/developer/v1/sessions', payload: { email, password: 'developer-password' } })
).json();
const created = await app.server.inject({
  method: 'POST',
  url: '/developer/v1/apps',
  headers: { authorization: `Bearer ${session.token}` },
  payload: { name: 'Fuzz app', type: 'sandbox', visibility: 'public', roles: [], redirectUris: [REDIRECT] },
});
const ownApp: string = created.json().id ?? 'app_missing';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
const ADMIN_ROUTES: [Method, string][] = [
  ['GET', '/reference'],
  ['GET', '/businesses'],
  ['POST', '/businesses'],
  ['GET', '/businesses/:id'],
  ['PATCH', '/businesses/:id'],
  ['POST', '/businesses/:id/legal-entities'],
  ['POST', '/businesses/:id/groups'],
  ['POST', '/businesses/:id/users'],
  ['PATCH', '/businesses/:id/users/:sub'],
  ['POST', '/businesses/:id/buying-policies'],
  ['DELETE', '/businesses/:id/buying-policies/:sub'],
  ['DELETE', '/businesses/:id/authorizations/:sub'],
  ['GET', '/developers/:id'],
  ['PATCH', '/developers/:id'],
  ['GET', '/reviews'],
  ['POST', '/reviews/:id/approve'],
  ['POST', '/reviews/:id/deny'],
  ['GET', '/apps/:id'],
  ['POST', '/apps/:id/suspend'],
  ['PUT', '/apps/:id/usage-plans/:sub'],
  ['DELETE', '/apps/:id/usage-plans/:sub'],
  ['POST', '/apps/:id/privileged-fields'],
  ['DELETE', '/apps/:id/privileged-fields'],
  ['POST', '/authorizations'],
  ['DELETE', '/authorizations/:id'],
  ['GET', '/audit'],
];
const ADMIN_IDS = [w.business.id, t.client.id, w.buyer.id, w.dev.id, 'searchProductsRequest', w.group.id, 'no-such-id'];
const ADMIN_BODIES = [
  { name: 'Fuzz Inc', marketplaces: ['US'], legalEntities: ['LE'] },
  { name: 'Renamed', marketplaces: ['US', 'UK'] },
  { name: 'Group', groupTag: 'fuzz-tag' },
  { email: 'fuzz-user@t.test', name: 'U', role: 'Requisitioner', password: 'long-enough-password' },
  { role: 'Administrator', status: 'disabled', maceHold: true },
  { guidance: 'BLOCKED', matchType: 'asin', value: 'B000000000' },
  { reason: 'because' },
  { rate: 5, burst: 10 },
  { fields: ['buyerEmail'] },
  { applicationId: t.client.applicationId, adminEmail: w.admin.email, marketplace: 'US' },
  { businessId: null },
];

const fill = (path: string, ids: string[]): string => {
  let i = 0;
  return path.replace(/:(id|sub)/g, () => encode(ids[i++ % ids.length] ?? 'x'));
};

test('admin API: the Amazon envelope, no 500, no state change from a refusal', async () => {
  await checkProperty(
    'admin api',
    fc.record({
      route: fc.constantFrom(...ADMIN_ROUTES),
      method: fc.option(fc.constantFrom<Method>('GET', 'POST', 'PUT', 'PATCH', 'DELETE'), { nil: undefined }),
      ids: fc.array(fc.oneof(fc.constantFrom(...ADMIN_IDS), fuzzString), { minLength: 2, maxLength: 2 }),
      query: queryString(
        ['limit', 'since', 'until', 'actor', 'status', 'kind', 'action'],
        ['10', '0', '-1', '2024-01-01T00:00:00Z', 'pending', 'listing'],
      ),
      body: fc.option(jsonBody(ADMIN_BODIES), { nil: undefined }),
      type: contentType,
      auth: fc.constantFrom<'bearer' | 'x-api-key' | 'none' | 'wrong'>('bearer', 'bearer', 'bearer', 'x-api-key', 'none', 'wrong'),
      garbage: headerValue,
    }),
    async (r) => {
      const method = r.method ?? r.route[0];
      const url = `/admin/v1${fill(r.route[1], r.ids)}${r.query ? `?${r.query}` : ''}`;
      const auth =
        r.auth === 'bearer'
          ? { authorization: `Bearer ${adminKey}` }
          : r.auth === 'x-api-key'
            ? { 'x-api-key': adminKey }
            : r.auth === 'wrong'
              ? { authorization: `Bearer ${r.garbage}` }
              : {};
      const withBody = r.body !== undefined && method !== 'GET';
      const res = await withoutStateChangeOnRejection(
        app,
        () =>
          app.server.inject({
            method,
            url,
            headers: definedHeaders({ ...auth, 'content-type': withBody ? r.type : undefined }),
            ...(withBody ? { payload: r.body } : {}),
          }),
        `${method} ${url} ${r.body?.slice(0, 100) ?? ''}`,
      );
      assertWellFormed(res, ['amazon'], `${method} ${url.slice(0, 200)} ${r.body?.slice(0, 100) ?? ''}`);
    },
  );
});

const DEV_ROUTES: [Method, string][] = [
  ['POST', '/register'],
  ['POST', '/sessions'],
  ['DELETE', '/sessions'],
  ['GET', '/me'],
  ['GET', '/profile'],
  ['PUT', '/profile'],
  ['POST', '/profile/submit'],
  ['POST', '/profile/role-requests'],
  ['GET', '/reviews'],
  ['GET', '/apps'],
  ['POST', '/apps'],
  ['GET', '/apps/:id'],
  ['PATCH', '/apps/:id'],
  ['DELETE', '/apps/:id'],
  ['GET', '/apps/:id/credentials'],
  ['POST', '/apps/:id/rotate-secret'],
  ['POST', '/apps/:id/submit-listing'],
  ['POST', '/apps/:id/tps-requests'],
  ['POST', '/apps/:id/privileged-field-requests'],
  ['GET', '/apps/:id/authorizations'],
  ['POST', '/apps/:id/sandbox-token'],
];
const DEV_BODIES = [
  { email: 'x@t.test', name: 'X', password: 'developer-password' },
  { email, password: 'wrong-password' },
  { organization: 'Org', contactEmail: email, useCase: 'Fuzzing', requestedRoles: [...ROLES] },
  { roles: ['Business Product Catalog'] },
  {
    name: 'Another',
    type: 'production',
    visibility: 'private',
    roles: ['Business Product Catalog'],
    redirectUris: [REDIRECT, 'http://evil.example/cb'],
  },
  { name: 'Renamed', redirectUris: ['javascript:alert(1)'], loginUri: null },
  { operation: 'searchProductsRequest', rate: 5, burst: 10, reason: 'load' },
  { fields: ['buyerEmail'], reason: 'need it' },
  { region: 'EU' },
];

test('developer API: the Amazon envelope, no 500, no state change from a refusal (bearer and cookie sessions)', async () => {
  await checkProperty(
    'developer api',
    fc.record({
      route: fc.constantFrom(...DEV_ROUTES),
      method: fc.option(fc.constantFrom<Method>('GET', 'POST', 'PUT', 'PATCH', 'DELETE'), { nil: undefined }),
      id: fc.oneof(fc.constant(ownApp), fc.constant(t.client.id), fuzzString),
      body: fc.option(jsonBody(DEV_BODIES), { nil: undefined }),
      type: contentType,
      auth: fc.constantFrom<'bearer' | 'cookie' | 'cookie+csrf' | 'cookie+wrong-csrf' | 'none' | 'garbage'>(
        'bearer',
        'bearer',
        'cookie',
        'cookie+csrf',
        'cookie+wrong-csrf',
        'none',
        'garbage',
      ),
      garbage: headerValue,
    }),
    async (r) => {
      const method = r.method ?? r.route[0];
      // Keep the session alive: signing out is covered by the security suite.
      if (r.route[1] === '/sessions' && method === 'DELETE') return;
      const url = `/developer/v1${r.route[1].replace(':id', encode(r.id) || 'x')}`;
      const cookie = `bizapi_dev=${session.token}`;
      const auth: Record<string, string | undefined> =
        r.auth === 'bearer'
          ? { authorization: `Bearer ${session.token}` }
          : r.auth === 'cookie'
            ? { cookie }
            : r.auth === 'cookie+csrf'
              ? { cookie, 'x-csrf-token': session.csrfToken }
              : r.auth === 'cookie+wrong-csrf'
                ? { cookie, 'x-csrf-token': r.garbage }
                : r.auth === 'garbage'
                  ? { authorization: `Bearer ${r.garbage}`, cookie: `bizapi_dev=${r.garbage}` }
                  : {};
      const withBody = r.body !== undefined && method !== 'GET';
      const res = await withoutStateChangeOnRejection(
        app,
        () =>
          app.server.inject({
            method,
            url,
            headers: definedHeaders({ ...auth, 'content-type': withBody ? r.type : undefined }),
            ...(withBody ? { payload: r.body } : {}),
          }),
        `${r.auth} ${method} ${url} ${r.body?.slice(0, 100) ?? ''}`,
      );
      assertWellFormed(res, ['amazon'], `${r.auth} ${method} ${url.slice(0, 200)} ${r.body?.slice(0, 100) ?? ''}`);
    },
  );
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  assertWellFormed,
  encode,
  contentType,
  definedHeaders,
  fuzzWorld,
  fuzzString,
  headerValue,
  jsonBody,
  queryString,
  withoutStateChangeOnRejection,
  checkProperty,
} from '../support/fuzz.ts';
import { OPERATIONS, type Operation } from '../../src/modules/registry/index.ts';
import { PRIVILEGED_FIELDS, ROLES } from '../../src/kernel/reference.ts';
import { loadSampleCatalog } from '../../src/modules/catalog/index.ts';
import { loadApiExamples } from '../support/api-examples.ts';

// The Amazon Business APIs through the whole gateway, with a valid token and without: random and
// malformed query strings, headers and bodies. No 500, only the Amazon envelope, and no state change.
const { app, w, token: prod } = await fuzzWorld();
for (const op of OPERATIONS) await app.services.reviews.setUsagePlan('operator:fuzz', prod.client.id, op.operationId, 10_000, 10_000);
const sandbox = await w.sandboxToken([...ROLES]);
await app.services.reviews.grantPrivilegedFields('operator:fuzz', prod.client.id, [...PRIVILEGED_FIELDS]);
// The world the built APIs answer from (the shipped sample catalog, …), and the bodies each
// body-taking operation starts from: both from the APIs' examples files (test/conformance/examples).
await loadSampleCatalog(app.ctx.db, { catalog: app.services.catalog });
const examples = await loadApiExamples();
const SEED_BODIES: unknown[] = [];
const seeded = new Set<string>();
for (const api of app.apis) {
  const bodies = (await examples.get(api.api)?.fuzzBodies?.(app)) ?? {};
  for (const [operationId, list] of Object.entries(bodies)) {
    if (list?.length) seeded.add(operationId);
    SEED_BODIES.push(...(list ?? []));
  }
}
const ASINS = (await app.ctx.db.kysely.selectFrom('catalog_products').select('asin').orderBy('asin').limit(5).execute()).map((r) => r.asin);

const PARAM_NAMES = [...new Set(OPERATIONS.flatMap((o) => o.parameters.filter((p) => p.in === 'query').map((p) => p.name)))];
const PARAM_VALUES = [
  ...new Set(
    OPERATIONS.flatMap((o) => o.parameters.flatMap((p) => [...(p.enum ?? []), ...(p.default !== undefined ? [String(p.default)] : [])])),
  ),
  'US',
  'en_US',
  'phone',
  'case',
  'charger',
  ...ASINS,
  '2024-01-01T00:00:00Z',
  '1',
  '24',
  '-5',
  '9999999',
  'OFFERS,IMAGES',
  'ALL',
  'price,merchant',
];
const EMAILS = [w.buyer.email, w.mace.email, w.multi.email, w.admin.email.toUpperCase(), ` ${w.buyer.email} `, 'nobody@example.com'];

/** A concrete path for an operation: its placeholders filled with fuzz (path-safe) values. */
const pathOf = (op: Operation, fill: string[]): string => {
  let i = 0;
  return op.path.replace(/:([A-Za-z]+)/g, () => encode(fill[i++ % fill.length] || 'X1'));
};

const apiRequest = fc.record({
  op: fc.constantFrom(...OPERATIONS),
  method: fc.oneof(
    { weight: 5, arbitrary: fc.constant('') },
    { weight: 1, arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE') },
  ),
  fill: fc.array(fc.oneof(fc.constantFrom(...ASINS), fuzzString), { minLength: 1, maxLength: 3 }),
  query: queryString(PARAM_NAMES, PARAM_VALUES),
  email: fc.option(fc.oneof(fc.constantFrom(...EMAILS), headerValue), { nil: undefined }),
  groupTag: fc.option(fc.oneof(fc.constantFrom(w.group.groupTag, w.group2.groupTag), headerValue), { nil: undefined }),
  body: fc.option(jsonBody(SEED_BODIES), { nil: undefined }),
  type: contentType,
  extra: fc.dictionary(
    fc.constantFrom('x-amz-date', 'authorization', 'accept', 'user-agent', 'x-amzn-requestid', 'x-forwarded-for', 'cookie'),
    headerValue,
    { maxKeys: 3 },
  ),
});

test('every body-taking operation of a built API has a seed body in its examples file', () => {
  const built = new Set(app.apis.map((a) => a.api));
  const unseeded = OPERATIONS.filter(
    (o) => built.has(o.api) && o.parameters.some((p) => p.in === 'body') && !seeded.has(o.operationId),
  ).map((o) => o.operationId);
  assert.deepEqual(unseeded, [], 'add them to fuzzBodies in test/conformance/examples/<slug>.ts');
});

test('API calls with a valid token: never a 500, always the Amazon envelope, never a state change', async () => {
  await checkProperty('api with token', fc.tuple(apiRequest, fc.boolean()), async ([r, onSandbox]) => {
    const prefix = onSandbox ? '/sandbox/na' : '/na';
    const token = onSandbox ? sandbox.accessToken : prod.accessToken;
    if (onSandbox) app.clock.advance(300);
    const q = [r.query, r.groupTag !== undefined ? `groupTag=${encode(r.groupTag)}` : ''].filter(Boolean).join('&');
    const url = `${prefix}${pathOf(r.op, r.fill)}${q ? `?${q}` : ''}`;
    const headers = definedHeaders({
      ...r.extra,
      'x-amz-access-token': token,
      'x-amz-user-email': r.email,
      'content-type': r.body !== undefined ? r.type : undefined,
    });
    const method = (r.method || r.op.method) as 'GET';
    const res = await withoutStateChangeOnRejection(
      app,
      () => app.server.inject({ method, url, headers, ...(r.body !== undefined ? { payload: r.body } : {}) }),
      `${method} ${url}`,
    );
    assertWellFormed(res, ['amazon'], `${method} ${url.slice(0, 200)}`, { allow501: true });
  });
});

test('API calls without a valid token: 403/404 in the Amazon envelope, never a state change', async () => {
  const token = fc.option(
    fc.oneof(
      headerValue,
      fc.constant(prod.accessToken.slice(0, -1)),
      fc.constant(`${prod.accessToken}x`),
      fc.constant(prod.refreshToken),
      fc.constant('Atza|x'),
    ),
    { nil: undefined },
  );
  const anyPath = fc.oneof(
    apiRequest.map((r) => pathOf(r.op, r.fill)),
    fc
      .array(
        fuzzString.map((s) => encode(s)),
        { maxLength: 5 },
      )
      .map((parts) => `/products/2020-08-26/${parts.join('/')}`),
    fc.constantFrom(
      '/products/2020-08-26/products/%zz',
      '/products/2020-08-26/products/..%2f..%2fadmin',
      '/products/2020-08-26/products/' + 'A'.repeat(600),
      '/ordering/2022-10-30/orders/%00',
    ),
  );
  await checkProperty(
    'api without token',
    fc.record({
      path: anyPath,
      prefix: fc.constantFrom('/na', '/eu', '/jp', '/sandbox/na', '/sandbox/eu', ''),
      token,
      host: fc.option(fc.constantFrom('na.business-api.amazon.com', 'sandbox.eu.business-api.amazon.com', 'evil.example', 'localhost:1'), {
        nil: undefined,
      }),
      method: fc.constantFrom('GET', 'POST', 'DELETE', 'PATCH', 'PUT', 'OPTIONS', 'HEAD'),
      body: fc.option(jsonBody(), { nil: undefined }),
    }),
    async (r) => {
      const url = `${r.prefix}${r.path}`;
      const headers = definedHeaders({
        'x-amz-access-token': r.token,
        host: r.host,
        'content-type': r.body !== undefined ? 'application/json' : undefined,
      });
      const res = await withoutStateChangeOnRejection(
        app,
        () =>
          app.server.inject({
            method: r.method as 'GET',
            url,
            headers,
            ...(r.body !== undefined && r.method !== 'GET' && r.method !== 'HEAD' ? { payload: r.body } : {}),
          }),
        `${r.method} ${url}`,
      );
      if (r.method === 'HEAD') return; // no body to check
      assertWellFormed(res, ['amazon'], `${r.method} ${url.slice(0, 200)}`);
    },
  );
});

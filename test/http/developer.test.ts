import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp, unique } from '../support/app.ts';
import { adminClient, developerClient } from '../support/http.ts';

const appInput = (over: Record<string, unknown> = {}) => ({
  name: `App ${unique()}`,
  type: 'production',
  visibility: 'public',
  environmentLabel: 'UAT',
  roles: ['Business Product Catalog'],
  redirectUris: ['https://client.example.com/cb'],
  ...over,
});

test('profile: submit, deny with a reason, edit, resubmit, approve', async () => {
  const app = await buildTestApp();
  const admin = await adminClient(app);
  const dev = await developerClient(app, `d-${unique()}@t.test`);
  const empty = await dev('POST', '/profile/submit');
  assert.equal(empty.status, 400);
  const put = await dev('PUT', '/profile', {
    organization: 'Org',
    contactEmail: 'a@b.test',
    useCase: 'Search',
    requestedRoles: ['Business Product Catalog', 'Nope'],
  });
  assert.equal(put.status, 400);
  assert.match(put.body.errors[0].message, /Nope/);
  assert.equal(
    (
      await dev('PUT', '/profile', {
        organization: 'Org',
        contactEmail: 'a@b.test',
        useCase: 'Search',
        requestedRoles: ['Business Product Catalog'],
      })
    ).status,
    200,
  );
  assert.equal((await dev('POST', '/profile/submit')).body.status, 'submitted');
  assert.equal(
    (await dev('PUT', '/profile', { organization: 'Org2', contactEmail: 'a@b.test', useCase: 'x', requestedRoles: [] })).status,
    409,
  );
  const queue = (await admin('GET', '/reviews?status=pending&kind=profile')).body.reviews.filter(
    (r: { developerId: string }) => r.developerId === dev.developerId,
  );
  assert.equal(queue.length, 1);
  assert.equal((await admin('POST', `/reviews/${queue[0].id}/deny`, {})).status, 400, 'a denial needs a reason');
  const denied = await admin('POST', `/reviews/${queue[0].id}/deny`, { reason: 'Describe the use case in more detail.' });
  assert.equal(denied.body.status, 'denied');
  const profile = (await dev('GET', '/profile')).body;
  assert.equal(profile.status, 'denied');
  assert.equal(profile.reviewReason, 'Describe the use case in more detail.');
  assert.equal(
    (
      await dev('PUT', '/profile', {
        organization: 'Org',
        contactEmail: 'a@b.test',
        useCase: 'Search for a procurement tool',
        requestedRoles: ['Business Product Catalog', 'Amazon Business Analytics'],
      })
    ).status,
    200,
  );
  await dev('POST', '/profile/submit');
  const again = (await admin('GET', '/reviews?status=pending&kind=profile')).body.reviews.find(
    (r: { developerId: string }) => r.developerId === dev.developerId,
  );
  assert.equal((await admin('POST', `/reviews/${again.id}/approve`, {})).body.status, 'approved');
  assert.equal((await admin('POST', `/reviews/${again.id}/approve`, {})).status, 409, 'a decided review cannot be decided again');
  const approved = (await dev('GET', '/profile')).body;
  assert.deepEqual(approved.approvedRoles.sort(), ['Amazon Business Analytics', 'Business Product Catalog']);
  // Another role later goes through review again while the approved ones keep working.
  const req = await dev('POST', '/profile/role-requests', { roles: ['User Management'] });
  assert.equal(req.status, 201);
  assert.deepEqual(req.body.pendingRoles, ['User Management']);
  assert.equal((await dev('POST', '/apps', appInput({ roles: ['Business Product Catalog'] }))).status, 201);
  assert.equal((await dev('POST', '/apps', appInput({ roles: ['User Management'] }))).status, 403);
  const rr = (await admin('GET', '/reviews?status=pending&kind=role_request')).body.reviews.find(
    (r: { developerId: string }) => r.developerId === dev.developerId,
  );
  await admin('POST', `/reviews/${rr.id}/approve`, { reason: 'ok' });
  assert.ok((await dev('GET', '/profile')).body.approvedRoles.includes('User Management'));
  assert.equal((await dev('POST', '/apps', appInput({ roles: ['User Management'] }))).status, 201);
  const history = (await dev('GET', '/reviews')).body.reviews;
  assert.deepEqual(
    history.map((r: { status: string }) => r.status),
    ['denied', 'approved', 'approved'],
  );
});

async function approvedDeveloper(app: Awaited<ReturnType<typeof buildTestApp>>) {
  const dev = await developerClient(app, `d-${unique()}@t.test`);
  await dev('PUT', '/profile', {
    organization: 'Org',
    contactEmail: 'a@b.test',
    useCase: 'Use',
    requestedRoles: ['Business Product Catalog', 'Amazon Business Analytics'],
  });
  await dev('POST', '/profile/submit');
  const [review] = await app.services.reviews.list({ developerId: dev.developerId, status: 'pending' });
  await app.services.reviews.decide('operator:t', review!.id, true, null);
  return dev;
}

test('apps: production only after approval, sandbox before; credentials; ownership', async () => {
  const app = await buildTestApp();
  const dev = await developerClient(app, `d-${unique()}@t.test`);
  await dev('PUT', '/profile', {
    organization: 'Org',
    contactEmail: 'a@b.test',
    useCase: 'Use',
    requestedRoles: ['Business Product Catalog'],
  });
  await dev('POST', '/profile/submit');
  const prod = await dev('POST', '/apps', appInput());
  assert.equal(prod.status, 409);
  assert.match(prod.body.errors[0].message, /approved/);
  const sandbox = await dev('POST', '/apps', appInput({ type: 'sandbox' }));
  assert.equal(sandbox.status, 201);
  assert.match(sandbox.body.applicationId, /^amzn1\.sp\.solution\.[0-9a-f-]{36}$/);
  assert.match(sandbox.body.clientId, /^amzn1\.application-oa2-client\.[0-9a-f]{32}$/);
  assert.match(sandbox.body.clientSecret, /^amzn1\.oa2-cs\.v1\.[0-9a-f]{64}$/);
  const creds = await dev('GET', `/apps/${sandbox.body.id}/credentials`);
  assert.equal(creds.body.clientId, sandbox.body.clientId);
  assert.equal(JSON.stringify(creds.body).includes(sandbox.body.clientSecret), false, 'the secret is shown once only');
  const row = await app.ctx.db.kysely.selectFrom('app_secrets').selectAll().where('app_id', '=', sandbox.body.id).executeTakeFirstOrThrow();
  assert.notEqual(row.secret_hash, sandbox.body.clientSecret);
  assert.equal(row.secret_hash.includes(sandbox.body.clientSecret.slice(16, 40)), false);

  const other = await approvedDeveloper(app);
  assert.equal((await other('GET', `/apps/${sandbox.body.id}`)).status, 404);
  assert.equal((await other('PATCH', `/apps/${sandbox.body.id}`, { name: 'stolen' })).status, 404);
  assert.equal((await other('GET', `/apps/${sandbox.body.id}/credentials`)).status, 404);
  assert.equal((await other('POST', `/apps/${sandbox.body.id}/rotate-secret`)).status, 404);
  assert.equal((await other('GET', '/apps')).body.apps.length, 0);
  assert.equal((await app.server.inject({ method: 'GET', url: '/developer/v1/apps' })).statusCode, 401);
});

test('app fields are validated and redirect URIs kept exactly', async () => {
  const app = await buildTestApp();
  const dev = await approvedDeveloper(app);
  for (const bad of [
    { redirectUris: [] },
    { redirectUris: ['not a url'] },
    { redirectUris: ['http://example.com/cb'] },
    { redirectUris: ['https://a.test/cb#frag'] },
    { roles: ['Business Product Catalog', 'User Management'] },
    { type: 'other' },
  ]) {
    const res = await dev('POST', '/apps', appInput(bad));
    assert.ok([400, 403].includes(res.status), JSON.stringify(bad));
  }
  assert.equal((await dev('GET', '/apps')).body.count, 0, 'nothing written by refused creations');
  const uri = 'https://Client.Example.com/Call-Back?x=1';
  const created = await dev('POST', '/apps', appInput({ redirectUris: [uri, 'http://localhost:3000/cb'] }));
  assert.equal(created.status, 201);
  assert.deepEqual(created.body.redirectUris, [uri, 'http://localhost:3000/cb']);
});

test('the eleventh app is refused, and concurrent creations at nine give exactly ten', async () => {
  const app = await buildTestApp();
  const dev = await approvedDeveloper(app);
  for (let i = 0; i < 9; i++) assert.equal((await dev('POST', '/apps', appInput())).status, 201);
  const both = await Promise.all([dev('POST', '/apps', appInput()), dev('POST', '/apps', appInput()), dev('POST', '/apps', appInput())]);
  assert.deepEqual(both.map((r) => r.status).sort(), [201, 409, 409]);
  const refused = both.find((r) => r.status === 409)!;
  assert.equal(refused.body.errors[0].code, 'LimitExceeded');
  assert.match(refused.body.errors[0].message, /maximum of 10 apps/);
  const list = await dev('GET', '/apps');
  assert.equal(list.body.count, 10);
  assert.equal((await dev('POST', '/apps', appInput())).status, 409);
  // Deleting one frees a place.
  assert.equal((await dev('DELETE', `/apps/${list.body.apps[0].id}`)).status, 204);
  assert.equal((await dev('POST', '/apps', appInput())).status, 201);
});

test('roles of a published app: removal at once, addition after relisting', async () => {
  const app = await buildTestApp();
  const admin = await adminClient(app);
  const dev = await approvedDeveloper(app);
  const created = (await dev('POST', '/apps', appInput({ roles: ['Business Product Catalog'] }))).body;
  assert.equal((await dev('POST', `/apps/${created.id}/submit-listing`)).body.status, 'submitted');
  const listing = (await admin('GET', '/reviews?status=pending&kind=listing')).body.reviews.find(
    (r: { appId: string }) => r.appId === created.id,
  );
  await admin('POST', `/reviews/${listing.id}/approve`, {});
  const published = (await dev('GET', `/apps/${created.id}`)).body;
  assert.equal(published.status, 'published');
  const edited = (await dev('PATCH', `/apps/${created.id}`, { roles: ['Business Product Catalog', 'Amazon Business Analytics'] })).body;
  assert.deepEqual(edited.publishedRoles, ['Business Product Catalog'], 'an added role waits for relisting');
  await dev('POST', `/apps/${created.id}/submit-listing`);
  const relist = (await admin('GET', '/reviews?status=pending&kind=listing')).body.reviews.find(
    (r: { appId: string }) => r.appId === created.id,
  );
  await admin('POST', `/reviews/${relist.id}/approve`, {});
  assert.deepEqual((await dev('GET', `/apps/${created.id}`)).body.publishedRoles, [
    'Business Product Catalog',
    'Amazon Business Analytics',
  ]);
  const removed = (await dev('PATCH', `/apps/${created.id}`, { roles: ['Amazon Business Analytics'] })).body;
  assert.deepEqual(removed.publishedRoles, ['Amazon Business Analytics'], 'a removed role goes at once');
});

test('secret rotation: the old secret works until its expiry', async () => {
  const app = await buildTestApp({ secretRotationGraceSeconds: 3600 });
  const dev = await approvedDeveloper(app);
  const created = (await dev('POST', '/apps', appInput())).body;
  const rotated = await dev('POST', `/apps/${created.id}/rotate-secret`);
  assert.equal(rotated.status, 200);
  assert.notEqual(rotated.body.clientSecret, created.clientSecret);
  assert.ok(await app.services.apps.verifyClient(created.clientId, created.clientSecret));
  assert.ok(await app.services.apps.verifyClient(created.clientId, rotated.body.clientSecret));
  assert.equal((await dev('GET', `/apps/${created.id}/credentials`)).body.secrets.length, 2);
  app.clock.advance(3601 * 1000);
  assert.equal(await app.services.apps.verifyClient(created.clientId, created.clientSecret), null);
  assert.ok(await app.services.apps.verifyClient(created.clientId, rotated.body.clientSecret));
  assert.equal((await dev('GET', `/apps/${created.id}/credentials`)).body.secrets.length, 1);
});

test('TPS and privileged-field requests land in the operator queue and take effect on approval', async () => {
  const app = await buildTestApp();
  const admin = await adminClient(app);
  const dev = await approvedDeveloper(app);
  const created = (await dev('POST', '/apps', appInput())).body;
  const tps = await dev('POST', `/apps/${created.id}/tps-requests`, {
    operation: 'searchProductsRequest',
    rate: 5,
    burst: 20,
    reason: 'Catalog sync',
  });
  assert.equal(tps.status, 201);
  const fields = await dev('POST', `/apps/${created.id}/privileged-field-requests`, {
    fields: ['meanFeedbackRating', 'totalFeedbackCount'],
    reason: 'Supplier ranking',
  });
  assert.equal(fields.status, 201);
  assert.equal((await dev('POST', `/apps/${created.id}/privileged-field-requests`, { fields: ['password'], reason: 'x' })).status, 400);
  await admin('POST', `/reviews/${tps.body.id}/approve`, {});
  await admin('POST', `/reviews/${fields.body.id}/approve`, {});
  assert.deepEqual((await dev('GET', `/apps/${created.id}/usage-plans`)).body.overrides, [
    { appId: created.id, operation: 'searchProductsRequest', rate: 5, burst: 20 },
  ]);
  assert.deepEqual((await dev('GET', `/apps/${created.id}/privileged-fields`)).body.fields, ['meanFeedbackRating', 'totalFeedbackCount']);
  const direct = await admin('PUT', `/apps/${created.id}/usage-plans/productsRequest`, { rate: 10, burst: 30 });
  assert.equal(direct.status, 200);
  assert.equal((await admin('PUT', `/apps/${created.id}/usage-plans/productsRequest`, { rate: 0, burst: 30 })).status, 400);
  assert.equal((await admin('GET', `/apps/${created.id}`)).body.usagePlans.length, 2);
});

test('cookie sessions need the CSRF token for changes; sign-in is rate limited', async () => {
  const app = await buildTestApp();
  const email = `d-${unique()}@t.test`;
  await developerClient(app, email);
  const signIn = await app.server.inject({
    method: 'POST',
    url: '/developer/v1/sessions',
    payload: { email, password: 'developer-password' },
  });
  const cookie = signIn.cookies.find((c) => c.name === 'bizapi_dev')!;
  assert.equal(cookie.httpOnly, true);
  assert.equal(cookie.sameSite, 'Lax');
  const { csrfToken } = signIn.json();
  const headers = { cookie: `bizapi_dev=${cookie.value}` };
  assert.equal((await app.server.inject({ method: 'GET', url: '/developer/v1/me', headers })).statusCode, 200);
  const noCsrf = await app.server.inject({
    method: 'PUT',
    url: '/developer/v1/profile',
    headers,
    payload: { organization: 'x', contactEmail: 'x', useCase: 'x', requestedRoles: [] },
  });
  assert.equal(noCsrf.statusCode, 403);
  const withCsrf = await app.server.inject({
    method: 'PUT',
    url: '/developer/v1/profile',
    headers: { ...headers, 'x-csrf-token': csrfToken },
    payload: { organization: 'x', contactEmail: 'x', useCase: 'x', requestedRoles: [] },
  });
  assert.equal(withCsrf.statusCode, 200);
  const statuses = [];
  for (let i = 0; i < 12; i++)
    statuses.push(
      (await app.server.inject({ method: 'POST', url: '/developer/v1/sessions', payload: { email, password: 'wrong-password' } }))
        .statusCode,
    );
  assert.ok(statuses.slice(0, 10).every((s) => s === 401));
  assert.equal(statuses[11], 429);
  const out = await app.server.inject({
    method: 'DELETE',
    url: '/developer/v1/sessions',
    headers: { ...headers, 'x-csrf-token': csrfToken },
  });
  assert.equal(out.statusCode, 204);
  assert.equal((await app.server.inject({ method: 'GET', url: '/developer/v1/me', headers })).statusCode, 401);
});

test('sessions expire', async () => {
  const app = await buildTestApp({ sessionTtlSeconds: 600 });
  const dev = await developerClient(app, `d-${unique()}@t.test`);
  assert.equal((await dev('GET', '/me')).status, 200);
  app.clock.advance(601 * 1000);
  assert.equal((await dev('GET', '/me')).status, 401);
});

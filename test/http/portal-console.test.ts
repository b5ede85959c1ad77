import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp, unique, type TestApp } from '../support/app.ts';
import { PageClient, signIn, textOf } from '../support/pages.ts';
import { makeApprovedDeveloper, makeBusiness, makePublishedApp } from '../support/world.ts';

async function operatorClient(app: TestApp) {
  const key = await app.services.operators.createAdminKey(`ops-${unique()}`);
  const client = new PageClient(app);
  const res = await signIn(client, '/console', { key });
  assert.equal(res.status, 303);
  assert.equal(res.location, '/console');
  return client;
}

async function submittedDeveloper(app: TestApp) {
  const s = app.services;
  const dev = await s.developers.register({ email: `c-${unique()}@t.test`, name: 'Queue Dev', password: 'developer-password' });
  await s.developers.updateProfile(dev.id, {
    organization: `Queue Org ${dev.id}`,
    contactEmail: dev.email,
    useCase: 'Spend analytics',
    requestedRoles: ['Amazon Business Analytics'],
  });
  await s.developers.submitProfile(dev.id);
  return dev;
}

test('console: sign-in with an operator key; wrong keys and forged forms are refused', async () => {
  const app = await buildTestApp();
  const client = new PageClient(app);
  const wrong = await signIn(client, '/console', { key: 'bza_not_a_key' });
  assert.equal(wrong.status, 401);
  assert.match(wrong.body, /id="f-key-error"/);
  assert.doesNotMatch(wrong.body, /bza_not_a_key/, 'the key is never echoed');
  assert.equal((await signIn(client, '/console', { key: '' })).status, 400);
  assert.equal((await client.get('/console')).status, 303);

  const ops = await operatorClient(app);
  const home = await ops.get('/console');
  assert.equal(home.status, 200);
  assert.match(textOf(home.body), /Review queues/);
  const cookie = (await signIn(new PageClient(app), '/console', { key: await app.services.operators.createAdminKey('x') })).setCookies.find(
    (c) => c.startsWith('bizapi_op='),
  )!;
  assert.match(cookie, /HttpOnly; SameSite=Lax/);
  const evil = `Evil ${unique()}`;
  const forged = await ops.post('/console/businesses', {
    name: evil,
    marketplaces: 'US',
    adminEmail: `e-${unique()}@v.test`,
    adminPassword: 'long-enough-password',
  });
  assert.equal(forged.status, 403);
  assert.ok(!(await app.services.accounts.listBusinesses()).some((b) => b.name === evil), 'nothing was created');
  // A developer session does not open the console.
  const dev = await app.services.developers.register({ email: `d-${unique()}@t.test`, name: 'd', password: 'developer-password' });
  const devSession = await app.services.operators.createSession('developer', dev.id);
  const res = await app.server.inject({ method: 'GET', url: '/console', headers: { cookie: `bizapi_op=${devSession.token}` } });
  assert.equal(res.statusCode, 303);
});

test('console: review queues; a denial needs a reason shown next to the field; decisions reach the developer', async () => {
  const app = await buildTestApp();
  const ops = await operatorClient(app);
  const dev = await submittedDeveloper(app);
  const [review] = await app.services.reviews.list({ developerId: dev.id, status: 'pending' });
  const queue = await ops.get('/console/reviews?kind=profile');
  const text = textOf(queue.body);
  assert.match(text, /Profiles \(\d+\)/);
  assert.match(text, new RegExp(`Queue Org ${dev.id}`));
  assert.match(text, /Spend analytics/);

  const noReason = await ops.submit('/console/reviews?kind=profile', `/console/reviews/${review!.id}`, { decision: 'deny', reason: '' });
  assert.equal(noReason.status, 400);
  assert.match(noReason.body, new RegExp(`id="f-r-${review!.id}-reason-error"[^>]*>A denial needs a reason`));
  assert.equal((await app.services.reviews.get(review!.id)).status, 'pending');
  const denied = await ops.submit('/console/reviews?kind=profile', `/console/reviews/${review!.id}`, {
    decision: 'deny',
    reason: 'Explain the data retention.',
  });
  assert.equal(denied.status, 303);
  assert.equal(denied.location, '/console/reviews?kind=profile');
  const profile = await app.services.developers.getProfile(dev.id);
  assert.equal(profile.status, 'denied');
  assert.equal(profile.reviewReason, 'Explain the data retention.');
  const decidedAgain = await ops.submit('/console/reviews?kind=profile', `/console/reviews/${review!.id}`, {
    decision: 'approve',
    reason: '',
  });
  assert.equal(decidedAgain.status, 409);
  assert.match(textOf(decidedAgain.body), /denied already/);

  await app.services.developers.submitProfile(dev.id);
  const [second] = await app.services.reviews.list({ developerId: dev.id, status: 'pending' });
  assert.equal(
    (await ops.submit('/console/reviews?kind=profile', `/console/reviews/${second!.id}`, { decision: 'approve', reason: '' })).status,
    303,
  );
  assert.deepEqual((await app.services.developers.getProfile(dev.id)).approvedRoles, ['Amazon Business Analytics']);

  // Role requests, listings, TPS and privileged-field requests have their own queues.
  await app.services.developers.requestRoles(dev.id, ['Business Product Catalog']);
  const { app: created } = await app.services.apps.create(dev.id, {
    name: 'Queued',
    type: 'production',
    visibility: 'public',
    roles: ['Amazon Business Analytics'],
    redirectUris: ['https://x.example.com/cb'],
  });
  await app.services.apps.submitForListing(dev.id, created.id);
  await app.services.reviews.requestTps(dev.id, created.id, {
    operation: 'getOrdersByOrderDate',
    rate: 1,
    burst: 5,
    reason: 'Nightly sync',
  });
  await app.services.reviews.requestPrivilegedFields(dev.id, created.id, { fields: ['merchantId'], reason: 'Sellers' });
  for (const kind of ['role_request', 'listing', 'tps', 'privileged_fields']) {
    assert.match(textOf((await ops.get(`/console/reviews?kind=${kind}`)).body), new RegExp(dev.email), kind);
  }
  const tps = await ops.get('/console/reviews?kind=tps');
  assert.match(textOf(tps.body), /getOrdersByOrderDate: 1 requests\/s, burst 5 — “Nightly sync”/);
  const [tpsReview] = await app.services.reviews.list({ kind: 'tps', status: 'pending', appId: created.id });
  await ops.submit('/console/reviews?kind=tps', `/console/reviews/${tpsReview!.id}`, { decision: 'approve' });
  assert.deepEqual(await app.services.reviews.usagePlans(created.id), [
    { appId: created.id, operation: 'getOrdersByOrderDate', rate: 1, burst: 5 },
  ]);
});

test('console: businesses list, create and detail', async () => {
  const app = await buildTestApp();
  const ops = await operatorClient(app);
  const name = `Acme ${unique()}`;
  const bad = await ops.submit('/console/businesses', '/console/businesses', { name, adminEmail: 'x', adminPassword: 'short' });
  assert.equal(bad.status, 400);
  for (const f of ['marketplaces', 'adminEmail', 'adminPassword']) assert.match(bad.body, new RegExp(`id="f-${f}-error"`), f);
  assert.match(bad.body, new RegExp(`value="${name}"`));
  const email = `boss-${unique()}@acme.test`;
  const ok = await ops.submit('/console/businesses', '/console/businesses', {
    name,
    marketplaces: ['US', 'DE'],
    legalEntities: 'Acme US\nAcme DE',
    adminEmail: email,
    adminName: 'Boss',
    adminPassword: 'long-enough-password',
  });
  assert.equal(ok.status, 303);
  const business = (await app.services.accounts.listBusinesses()).find((b) => b.name === name);
  assert.equal(ok.location, `/console/businesses/${business!.id}`);
  const admin = (await app.services.accounts.findUserByEmail(email))!;
  assert.ok(await app.services.accounts.isAdminOfAllLegalEntities(admin));
  const detail = textOf((await ops.get(ok.location!)).body);
  assert.match(detail, /Legal entities (Acme US, Acme DE|Acme DE, Acme US) /);
  assert.match(detail, new RegExp(email));
  assert.equal((await ops.get('/console/businesses/biz_nope')).status, 404);
});

test('console: apps with usage plans, privileged fields, suspension, authorizations; the audit log with filters', async () => {
  const app = await buildTestApp();
  const ops = await operatorClient(app);
  const world = await makeBusiness(app);
  const dev = await makeApprovedDeveloper(app);
  const { app: published } = await makePublishedApp(app, dev.id);
  const auth = await app.services.oauth.authorizeOnBehalf({
    applicationId: published.applicationId,
    adminEmail: world.admin.email,
    marketplace: 'US',
  });
  assert.match(textOf((await ops.get('/console/apps')).body), new RegExp(published.name));
  const page = `/console/apps/${published.id}`;
  assert.match(textOf((await ops.get(page)).body), new RegExp(world.business.name));

  const badPlan = await ops.submit(page, `${page}/usage-plans`, { operation: 'nope', rate: '0', burst: 'x' });
  assert.equal(badPlan.status, 400);
  for (const f of ['operation', 'rate', 'burst']) assert.match(badPlan.body, new RegExp(`id="f-plan-${f}-error"`), f);
  assert.equal((await ops.submit(page, `${page}/usage-plans`, { operation: 'productsRequest', rate: '3.5', burst: '30' })).status, 303);
  assert.deepEqual(await app.services.reviews.usagePlans(published.id), [
    { appId: published.id, operation: 'productsRequest', rate: 3.5, burst: 30 },
  ]);
  await ops.submit(page, `${page}/usage-plans/remove`, { operation: 'productsRequest' });
  assert.deepEqual(await app.services.reviews.usagePlans(published.id), []);

  assert.equal((await ops.submit(page, `${page}/privileged-fields`, {})).status, 400);
  await ops.submit(page, `${page}/privileged-fields`, { fields: ['merchantId', 'taxonomies'] });
  assert.deepEqual(await app.services.reviews.privilegedFields(published.id), ['merchantId', 'taxonomies']);
  await ops.submit(page, `${page}/privileged-fields/revoke`, { field: 'merchantId' });
  assert.deepEqual(await app.services.reviews.privilegedFields(published.id), ['taxonomies']);

  await ops.submit(page, `${page}/suspension`, { suspended: 'on' });
  assert.equal((await app.services.apps.get(published.id)).suspended, true);
  await ops.submit(page, `${page}/suspension`, { suspended: 'off' });
  assert.equal((await app.services.apps.get(published.id)).suspended, false);

  const revoked = await ops.submit(page, `/console/authorizations/${auth.authorizationId}/revoke`, { back: page });
  assert.equal(revoked.status, 303);
  assert.equal(revoked.location, page);
  assert.equal((await app.services.oauth.lookupAccessToken(auth.access_token)).status, 'invalid');
  const offsite = await ops.submit(page, `/console/authorizations/${auth.authorizationId}/revoke`, { back: 'https://evil.example.com/' });
  assert.equal(offsite.location, '/console', 'the way back stays inside the console');

  const all = textOf((await ops.get('/console/audit')).body);
  assert.match(all, /usage_plan\.set/);
  assert.match(all, /oauth\.revoke/);
  const byAction = textOf((await ops.get('/console/audit?action=privileged_fields.revoke')).body);
  assert.match(byAction, /privileged_fields\.revoke/);
  assert.doesNotMatch(byAction, /usage_plan\.set/);
  const bySubject = textOf((await ops.get(`/console/audit?subject=${auth.authorizationId}`)).body);
  assert.match(bySubject, /oauth\.revoke/);
  assert.doesNotMatch(bySubject, /app\.suspend/);
  const byActor = textOf((await ops.get(`/console/audit?actor=${encodeURIComponent(`developer:${dev.id}`)}`)).body);
  assert.match(byActor, /app\.create/);
  assert.doesNotMatch(byActor, /usage_plan\.set/);
  assert.match(textOf((await ops.get('/console/audit?actor=nobody')).body), /No audit entries match these filters/);

  const devs = textOf((await ops.get('/console/developers')).body);
  assert.match(devs, new RegExp(dev.email));
  assert.equal(
    (await ops.submit('/console/developers', `/console/developers/${dev.id}/business`, { businessId: world.business.id })).status,
    303,
  );
  assert.equal((await app.services.developers.getDeveloper(dev.id)).businessId, world.business.id);
});

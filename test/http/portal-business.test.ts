import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp, unique, type TestApp } from '../support/app.ts';
import { PageClient, signIn, textOf } from '../support/pages.ts';
import { makeApprovedDeveloper, makeBusiness, makePublishedApp } from '../support/world.ts';

async function adminClient(app: TestApp) {
  const world = await makeBusiness(app);
  const client = new PageClient(app);
  const res = await signIn(client, '/business', { email: world.admin.email, password: world.password });
  assert.equal(res.status, 303);
  assert.equal(res.location, '/business');
  return { client, world };
}

test('business: administrators only; other users are refused', async () => {
  const app = await buildTestApp();
  const { client, world } = await adminClient(app);
  const home = await client.get('/business');
  assert.equal(home.status, 200);
  assert.match(textOf(home.body), new RegExp(world.business.name));

  const buyer = new PageClient(app);
  const refused = await signIn(buyer, '/business', { email: world.buyer.email, password: world.password });
  assert.equal(refused.status, 403);
  assert.match(textOf(refused.body), /Administrators only/);
  assert.ok(!refused.setCookies.some((c) => c.startsWith('bizapi_bu=')), 'no session for a non-administrator');

  // A non-administrator session (from the consent page) does not open the business pages either.
  const consentSession = await app.services.operators.createSession('business_user', world.buyer.id);
  const res = await app.server.inject({ method: 'GET', url: '/business/users', headers: { cookie: `bizapi_bu=${consentSession.token}` } });
  assert.equal(res.statusCode, 403);
  assert.match(res.body, /Only administrators/);

  const wrong = await signIn(new PageClient(app), '/business', { email: world.admin.email, password: 'nope-nope-nope' });
  assert.equal(wrong.status, 401);
  const anonymous = await new PageClient(app).get('/business/users');
  assert.equal(anonymous.status, 303);
  assert.equal(anonymous.location, '/business/signin?next=%2Fbusiness%2Fusers');
});

test('business: users are added with validation, disabled, enabled and held by MACE', async () => {
  const app = await buildTestApp();
  const { client, world } = await adminClient(app);
  const page = textOf((await client.get('/business/users')).body);
  assert.match(page, /Held by MACE/, 'the MACE flag of the seeded user is visible');

  const bad = await client.submit('/business/users', '/business/users', {
    name: 'New Person',
    email: 'nope',
    role: 'Requisitioner',
    adminOf: [world.le1.id],
    password: 'short',
  });
  assert.equal(bad.status, 400);
  assert.match(bad.body, /id="f-email-error"/);
  assert.match(bad.body, /id="f-adminOf-error"/);
  assert.match(bad.body, /id="f-password-error"/);
  assert.match(bad.body, /value="New Person"/);
  const email = `new-${unique()}@t.test`;
  const ok = await client.submit('/business/users', '/business/users', {
    name: 'New Person',
    email,
    role: 'Requisitioner',
    groups: [world.group.id],
    maceHold: 'on',
  });
  assert.equal(ok.status, 303);
  const added = (await app.services.accounts.findUserByEmail(email))!;
  assert.equal(added.businessId, world.business.id);
  assert.equal(added.maceHold, true);
  assert.deepEqual(added.groupIds, [world.group.id]);
  const dup = await client.submit('/business/users', '/business/users', { name: 'Again', email, role: 'Requisitioner' });
  assert.equal(dup.status, 409);

  assert.equal((await client.submit('/business/users', `/business/users/${added.id}/status`, { status: 'disabled' })).status, 303);
  assert.equal((await app.services.accounts.getUser(added.id)).status, 'disabled');
  assert.match(textOf((await client.get('/business/users')).body), /Disabled/);
  await client.submit('/business/users', `/business/users/${added.id}/status`, { status: 'active' });
  assert.equal((await app.services.accounts.getUser(added.id)).status, 'active');
  await client.submit('/business/users', `/business/users/${added.id}/mace`, { maceHold: 'off' });
  assert.equal((await app.services.accounts.getUser(added.id)).maceHold, false);
  const self = await client.submit('/business/users', `/business/users/${world.admin.id}/status`, { status: 'disabled' });
  assert.equal(self.status, 400, 'an administrator cannot lock themselves out');

  const other = await makeBusiness(app);
  const foreign = await client.submit('/business/users', `/business/users/${other.buyer.id}/status`, { status: 'disabled' });
  assert.equal(foreign.status, 404, 'users of another business are not found');
  assert.equal((await app.services.accounts.getUser(other.buyer.id)).status, 'active');
});

test('business: legal entities, groups and buying policies', async () => {
  const app = await buildTestApp();
  const { client, world } = await adminClient(app);
  const emptyLe = await client.submit('/business/organization', '/business/legal-entities', { name: '  ' });
  assert.equal(emptyLe.status, 400);
  assert.match(emptyLe.body, /id="f-le-name-error"/);
  assert.equal((await client.submit('/business/organization', '/business/legal-entities', { name: 'LE Three' })).status, 303);
  assert.ok((await app.services.accounts.listLegalEntities(world.business.id)).some((l) => l.name === 'LE Three'));
  const dupGroup = await client.submit('/business/organization', '/business/groups', { name: 'Again', groupTag: world.group.groupTag });
  assert.equal(dupGroup.status, 409);
  assert.match(dupGroup.body, /id="f-group-groupTag-error"/);
  assert.match(dupGroup.body, /value="Again"/);
  assert.equal((await client.submit('/business/organization', '/business/groups', { name: 'Finance', groupTag: 'finance-x' })).status, 303);
  assert.match(textOf((await client.get('/business/organization')).body), /Finance finance-x/);

  assert.match(textOf((await client.get('/business/policies')).body), /No buying policies yet/);
  const badPolicy = await client.submit('/business/policies', '/business/policies', { guidance: 'MAYBE', matchType: 'brand', value: '' });
  assert.equal(badPolicy.status, 400);
  assert.match(badPolicy.body, /id="f-guidance-error"/);
  assert.match(badPolicy.body, /id="f-value-error"/);
  assert.equal(
    (await client.submit('/business/policies', '/business/policies', { guidance: 'BLOCKED', matchType: 'brand', value: 'Acme' })).status,
    303,
  );
  const [policy] = await app.services.accounts.listPolicies(world.business.id);
  assert.equal(policy!.value, 'Acme');
  assert.equal((await client.submit('/business/policies', `/business/policies/${policy!.id}/remove`, {})).status, 303);
  assert.equal((await app.services.accounts.listPolicies(world.business.id)).length, 0);
});

test('business: authorized apps by region with their marketplace, revoke stops that marketplace’s tokens only; another business’s authorization is a 404', async () => {
  const app = await buildTestApp();
  const { client, world } = await adminClient(app);
  const dev = await makeApprovedDeveloper(app);
  const { app: published, clientSecret } = await makePublishedApp(app, dev.id);
  const na = await app.services.oauth.authorizeOnBehalf({
    applicationId: published.applicationId,
    adminEmail: world.admin.email,
    marketplace: 'US',
  });
  const ca = await app.services.oauth.authorizeOnBehalf({
    applicationId: published.applicationId,
    adminEmail: world.admin.email,
    marketplace: 'CA',
  });
  await app.services.oauth.authorizeOnBehalf({ applicationId: published.applicationId, adminEmail: world.admin.email, marketplace: 'UK' });
  const page = textOf((await client.get('/business/apps')).body);
  // One row per marketplace: US and CA under NA, UK under EU.
  assert.match(page, new RegExp(`NA region App .*${published.name}.*US — United States.*${published.name}.*CA — Canada.*EU region`));
  assert.match(page, new RegExp(`EU region App .*${published.name}.*UK — United Kingdom`));
  assert.match(page, /FE region No apps are authorized in this region/);

  const confirm = await client.get(`/business/apps/${na.authorizationId}/revoke`);
  assert.equal(confirm.status, 200);
  assert.match(textOf(confirm.body), /loses access to your business in the US — United States marketplace/);
  const noCsrf = await client.post(`/business/apps/${na.authorizationId}/revoke`, {});
  assert.equal(noCsrf.status, 403);
  const revoked = await client.submit(`/business/apps/${na.authorizationId}/revoke`, `/business/apps/${na.authorizationId}/revoke`, {});
  assert.equal(revoked.status, 303);
  const refresh = await app.server.inject({
    method: 'POST',
    url: '/auth/o2/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: na.refresh_token,
      client_id: published.clientId,
      client_secret: clientSecret,
    }).toString(),
  });
  assert.equal(refresh.statusCode, 400);
  assert.equal(refresh.json().error, 'invalid_grant');
  // Revocation is per marketplace: the CA authorization and its refresh token live on.
  const after = textOf((await client.get('/business/apps')).body);
  assert.doesNotMatch(after, /Dev US — United States/);
  assert.match(after, /no longer has access in the US — United States marketplace/);
  assert.match(after, /Dev CA — Canada/);
  const caRefresh = await app.server.inject({
    method: 'POST',
    url: '/auth/o2/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: ca.refresh_token,
      client_id: published.clientId,
      client_secret: clientSecret,
    }).toString(),
  });
  assert.equal(caRefresh.statusCode, 200, caRefresh.body);

  const other = await makeBusiness(app);
  const theirs = await app.services.oauth.authorizeOnBehalf({
    applicationId: published.applicationId,
    adminEmail: other.admin.email,
    marketplace: 'US',
  });
  assert.equal((await client.get(`/business/apps/${theirs.authorizationId}/revoke`)).status, 404);
  const csrfPage = await client.get('/business/apps');
  const attempt = await client.post(`/business/apps/${theirs.authorizationId}/revoke`, {
    csrf: /name="csrf" value="([^"]+)"/.exec(csrfPage.body)![1]!,
  });
  assert.equal(attempt.status, 404);
  assert.equal((await app.services.oauth.listAuthorizations({ businessId: other.business.id })).length, 1, 'still authorized');
});

test('business: a partial administrator grants only what it holds and cannot act on a fuller administrator', async () => {
  const app = await buildTestApp();
  const world = await makeBusiness(app);
  const partial = new PageClient(app);
  assert.equal((await signIn(partial, '/business', { email: world.partial.email, password: world.password })).status, 303);

  // It administers LE One only: making someone an administrator of LE Two (or of both) is refused.
  const email = `escalate-${unique()}@t.test`;
  const escalate = await partial.submit('/business/users', '/business/users', {
    name: 'Shadow Admin',
    email,
    role: 'Administrator',
    adminOf: [world.le1.id, world.le2.id],
    password: 'shadow-admin-password',
  });
  assert.equal(escalate.status, 400);
  assert.match(escalate.body, /only of the legal entities you administer yourself/);
  assert.equal(await app.services.accounts.findUserByEmail(email), null, 'nothing was created');
  // Within what it holds, it may.
  const within = await partial.submit('/business/users', '/business/users', {
    name: 'LE One Admin',
    email,
    role: 'Administrator',
    adminOf: [world.le1.id],
  });
  assert.equal(within.status, 303);

  // The full administrator can be neither disabled nor held by it; the page offers no such button.
  const page = await partial.get('/business/users');
  assert.match(textOf(page.body), /Administers legal entities you do not/);
  for (const [path, fields] of [
    [`/business/users/${world.admin.id}/status`, { status: 'disabled' }],
    [`/business/users/${world.admin.id}/mace`, { maceHold: 'on' }],
  ] as const) {
    const res = await partial.submit('/business/users', path, fields);
    assert.equal(res.status, 403, `${path}: ${res.status}`);
  }
  const admin = await app.services.accounts.getUser(world.admin.id);
  assert.deepEqual([admin.status, admin.maceHold], ['active', false]);
  // A user it fully covers (a requisitioner) it can still disable.
  assert.equal((await partial.submit('/business/users', `/business/users/${world.buyer.id}/status`, { status: 'disabled' })).status, 303);
});

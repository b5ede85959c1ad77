import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp, unique } from '../../support/app.ts';
import { PageClient, signIn, textOf } from '../../support/pages.ts';

// The User Management role needs Amazon's offline approval (platform spec, role catalogue): asked
// for on a profile or in a role request, it gets a review of its own, shown to the developer as
// "needs offline approval" and listed apart in the operator console; approving it works as any
// role approval does.

const PASSWORD = 'developer-password';
const app = await buildTestApp();
const s = app.services;

async function operator() {
  const client = new PageClient(app);
  assert.equal((await signIn(client, '/console', { key: await s.operators.createAdminKey(`ops-${unique()}`) })).status, 303);
  return client;
}

test('a profile asking for User Management: the role is reviewed apart, marked "needs offline approval", and approved like any role', async () => {
  const dev = await s.developers.register({ email: `um-${unique()}@t.test`, name: 'UM Dev', password: PASSWORD });
  await s.developers.updateProfile(dev.id, {
    organization: 'UM Org',
    contactEmail: dev.email,
    useCase: 'Onboard buyers',
    requestedRoles: ['Business Product Catalog', 'User Management'],
  });
  await s.developers.submitProfile(dev.id);
  const pending = await s.reviews.list({ developerId: dev.id, status: 'pending' });
  assert.deepEqual(pending.map((r) => [r.kind, r.request]).sort(), [
    ['profile', { roles: ['Business Product Catalog'], offlineApprovalRoles: ['User Management'] }],
    ['role_request', { roles: ['User Management'], offlineApproval: true }],
  ]);
  assert.deepEqual((await s.developers.getProfile(dev.id)).offlineApprovalRoles, ['User Management']);

  // The developer portal shows the role as needing offline approval.
  const portal = new PageClient(app);
  assert.equal((await signIn(portal, '/portal', { email: dev.email, password: PASSWORD })).status, 303);
  const page = textOf((await portal.get('/portal/profile')).body);
  assert.match(page, /Needs offline approval User Management/);
  assert.match(page, /Role request \(offline approval required\) User Management — needs offline approval Pending/);

  // The console lists it apart, in its own queue, with the wording.
  const ops = await operator();
  const home = textOf((await ops.get('/console/reviews?kind=role_request')).body);
  assert.match(home, /Offline approval \(\d+\)/);
  assert.doesNotMatch(home, /UM Dev/, 'not among the other role requests');
  const queue = await ops.get('/console/reviews?kind=offline');
  assert.match(textOf(queue.body), /Role request \(offline approval required\)/);
  assert.match(textOf(queue.body), /UM Dev/);
  assert.match(textOf(queue.body), /Offline approval required ?: User Management needs offline approval/);

  // The profile is approved without it: the other roles work meanwhile, User Management still waits.
  const profileReview = pending.find((r) => r.kind === 'profile')!;
  const offline = pending.find((r) => r.kind === 'role_request')!;
  assert.equal(
    (await ops.submit('/console/reviews?kind=profile', `/console/reviews/${profileReview.id}`, { decision: 'approve', reason: '' })).status,
    303,
  );
  let profile = await s.developers.getProfile(dev.id);
  assert.deepEqual(profile.approvedRoles, ['Business Product Catalog']);
  assert.deepEqual(profile.pendingRoles, ['User Management']);
  const waiting = textOf((await portal.get('/portal/profile')).body);
  assert.match(waiting, /Waiting for review: User Management \(needs offline approval\)/);
  assert.match(waiting, /Request another role/);

  // Another role may be asked for meanwhile; asking for User Management again is refused.
  const other = await portal.submit('/portal/profile', '/portal/profile/role-requests', { roles: ['Amazon Business Analytics'] });
  assert.equal(other.status, 303);
  await assert.rejects(s.developers.requestRoles(dev.id, ['User Management']), /already waiting for offline approval/);
  profile = await s.developers.getProfile(dev.id);
  assert.deepEqual(profile.pendingRoles.sort(), ['Amazon Business Analytics', 'User Management']);

  // Approving the offline review grants the role; the other request stays pending.
  const approved = await ops.submit('/console/reviews?kind=offline', `/console/reviews/${offline.id}`, { decision: 'approve', reason: '' });
  assert.equal(approved.status, 303);
  assert.equal(approved.location, '/console/reviews?kind=offline');
  profile = await s.developers.getProfile(dev.id);
  assert.deepEqual(profile.approvedRoles.sort(), ['Business Product Catalog', 'User Management']);
  assert.deepEqual(profile.pendingRoles, ['Amazon Business Analytics']);
  assert.deepEqual(profile.offlineApprovalRoles, []);
  assert.match(textOf((await ops.get('/console/reviews?kind=offline')).body), /User Management — needs offline approval Approved/);
  // A production app may now carry the role.
  const { app: created } = await s.apps.create(dev.id, {
    name: 'UM app',
    type: 'production',
    visibility: 'private',
    roles: ['User Management'],
    redirectUris: ['https://client.example.com/cb'],
  });
  assert.deepEqual(created.roles, ['User Management']);
});

test('a role request for User Management on an approved profile opens the offline review only; a denial says why', async () => {
  const dev = await s.developers.register({ email: `um-${unique()}@t.test`, name: 'UM Later', password: PASSWORD });
  await s.developers.updateProfile(dev.id, {
    organization: 'Org',
    contactEmail: dev.email,
    useCase: 'Search',
    requestedRoles: ['Business Product Catalog'],
  });
  await s.developers.submitProfile(dev.id);
  const [profileReview] = await s.reviews.list({ developerId: dev.id, status: 'pending' });
  await s.reviews.decide('operator:t', profileReview!.id, true, null);
  const asked = await s.developers.requestRoles(dev.id, ['User Management', 'Amazon Business Analytics']);
  assert.deepEqual(asked.pendingRoles.sort(), ['Amazon Business Analytics', 'User Management']);
  const open = await s.reviews.list({ developerId: dev.id, status: 'pending' });
  assert.deepEqual(
    open.map((r) => r.request).sort((a, b) => String(a.roles).localeCompare(String(b.roles))),
    [{ roles: ['Amazon Business Analytics'] }, { roles: ['User Management'], offlineApproval: true }],
  );
  const offline = open.find((r) => r.request.offlineApproval === true)!;
  await s.reviews.decide('operator:t', offline.id, false, 'The offline approval was not granted.');
  const profile = await s.developers.getProfile(dev.id);
  assert.deepEqual(profile.pendingRoles, ['Amazon Business Analytics']);
  assert.ok(!profile.approvedRoles.includes('User Management'));
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp, unique, type TestApp } from '../support/app.ts';
import { csrfOf, PageClient, signIn, textOf } from '../support/pages.ts';
import { makeApprovedDeveloper } from '../support/world.ts';

const PASSWORD = 'developer-password';

async function registered(app: TestApp) {
  const client = new PageClient(app);
  const email = `p-${unique()}@t.test`;
  const res = await client.submit('/portal/register', '/portal/register', { name: 'Portal Dev', email, password: PASSWORD });
  assert.equal(res.status, 303);
  assert.equal(res.location, '/portal/profile');
  const dev = await app.services.developers.authenticate(email, PASSWORD);
  return { client, email, developerId: dev!.id };
}

/** A browser session of an approved developer (all roles), signed in through the form. */
async function approvedClient(app: TestApp) {
  const dev = await makeApprovedDeveloper(app, ['Business Product Catalog', 'Amazon Business Analytics']);
  const client = new PageClient(app);
  const res = await signIn(client, '/portal', { email: dev.email, password: PASSWORD });
  assert.equal(res.status, 303);
  return { client, dev };
}

const newApp = (over: Record<string, string | string[]> = {}) => ({
  name: `App ${unique()}`,
  type: 'production',
  visibility: 'public',
  environmentLabel: 'UAT',
  roles: ['Business Product Catalog'],
  redirectUris: 'https://client.example.com/cb\nhttps://client.example.com/other',
  loginUri: '',
  ...over,
});

test('portal: register validates, keeps values, signs in with safe cookies', async () => {
  const app = await buildTestApp();
  const client = new PageClient(app);
  const bad = await client.submit('/portal/register', '/portal/register', { name: 'Keep Me', email: 'not-an-email', password: 'short' });
  assert.equal(bad.status, 400);
  assert.match(bad.body, /id="f-email-error"[^>]*>Enter an email address/);
  assert.match(bad.body, /id="f-password-error"/);
  assert.match(bad.body, /name="name" type="text" value="Keep Me"/);
  assert.doesNotMatch(bad.body, /value="short"/, 'passwords are never echoed');
  const { client: c2, email } = await registered(app);
  const cookie = (await c2.get('/portal/profile')).status;
  assert.equal(cookie, 200);
  const again = await client.submit('/portal/register', '/portal/register', { name: 'X', email, password: PASSWORD });
  assert.equal(again.status, 409);
  assert.match(textOf(again.body), /exists already/);

  const c3 = new PageClient(app);
  const res = await signIn(c3, '/portal', { email, password: PASSWORD });
  const session = res.setCookies.find((c) => c.startsWith('bizapi_dev='))!;
  assert.match(session, /HttpOnly/);
  assert.match(session, /SameSite=Lax/);
  assert.doesNotMatch(session, /Secure/);
  assert.equal(res.location, '/portal/apps');

  const secure = await buildTestApp({ publicUrl: 'https://bizapi.example.com' });
  const c4 = new PageClient(secure);
  const secureEmail = `s-${unique()}@t.test`;
  await secure.services.developers.register({ email: secureEmail, name: 'x', password: PASSWORD });
  const res4 = await signIn(c4, '/portal', { email: secureEmail, password: PASSWORD });
  assert.match(
    res4.setCookies.find((c) => c.startsWith('bizapi_dev='))!,
    /Secure/,
  );
});

test('portal: sign-in failures, brute-force limit, sign-out and session expiry', async () => {
  const app = await buildTestApp();
  const { email } = await registered(app);
  const client = new PageClient(app);
  const wrong = await signIn(client, '/portal', { email, password: 'wrong-password' });
  assert.equal(wrong.status, 401);
  assert.match(textOf(wrong.body), /The email or password is wrong/);
  assert.match(wrong.body, new RegExp(`value="${email}"`));
  const empty = await signIn(client, '/portal', { email: '', password: '' });
  assert.equal(empty.status, 400);
  for (let i = 0; i < 9; i++) await signIn(client, '/portal', { email, password: 'wrong-password' });
  const limited = await signIn(client, '/portal', { email, password: PASSWORD });
  assert.equal(limited.status, 429);

  const fresh = await registered(app);
  assert.equal((await fresh.client.get('/portal/apps')).status, 200);
  const out = await fresh.client.submit('/portal/apps', '/portal/signout', {});
  assert.equal(out.status, 303);
  const after = await fresh.client.get('/portal/apps');
  assert.equal(after.status, 303);
  assert.equal(after.location, '/portal/signin?next=%2Fportal%2Fapps');

  const expiring = await registered(app);
  assert.equal((await expiring.client.get('/portal/profile')).status, 200);
  app.clock.advance((app.ctx.config.sessionTtlSeconds + 1) * 1000);
  assert.equal((await expiring.client.get('/portal/profile')).status, 303, 'an expired session signs out');
});

test('portal: every form is CSRF-protected', async () => {
  const app = await buildTestApp();
  const { client, developerId } = await registered(app);
  const noToken = await client.post('/portal/profile', { organization: 'Org', contactEmail: 'a@b.test', useCase: 'x', intent: 'save' });
  assert.equal(noToken.status, 403);
  assert.match(textOf(noToken.body), /The form expired/);
  const wrongToken = await client.post('/portal/apps', { ...newApp({ type: 'sandbox' }), csrf: 'x'.repeat(32) });
  assert.equal(wrongToken.status, 403);
  assert.equal((await app.services.apps.list({ developerId })).length, 0, 'nothing was created');
  // The pre-login forms use a double-submit cookie: without it the form is refused.
  const stranger = new PageClient(app);
  const page = await stranger.get('/portal/signin');
  stranger.clearCookie('bizapi_portal_csrf');
  const forged = await stranger.post('/portal/signin', { csrf: csrfOf(page.body), email: 'a@b.test', password: 'whatever-password' });
  assert.equal(forged.status, 403);
  const forgedRegister = await stranger.post('/portal/register', { name: 'x', email: 'x@y.test', password: PASSWORD });
  assert.equal(forgedRegister.status, 403);
});

test('portal: profile validation, submission, the reviewer’s reason and role requests', async () => {
  const app = await buildTestApp();
  const { client, developerId } = await registered(app);
  const incomplete = await client.submit('/portal/profile', '/portal/profile', {
    organization: '',
    contactEmail: 'bad',
    useCase: 'Search products',
    intent: 'submit',
  });
  assert.equal(incomplete.status, 400);
  assert.match(incomplete.body, /id="f-organization-error"/);
  assert.match(incomplete.body, /id="f-contactEmail-error"/);
  assert.match(incomplete.body, /id="f-roles-error"/);
  assert.match(incomplete.body, />Search products<\/textarea>/, 'entered values are kept');
  const saved = await client.submit('/portal/profile', '/portal/profile', {
    organization: 'Org',
    contactEmail: 'c@org.test',
    useCase: 'Search products',
    roles: ['Business Product Catalog'],
    intent: 'save',
  });
  assert.equal(saved.status, 303);
  assert.equal((await app.services.developers.getProfile(developerId)).status, 'draft');
  const submitted = await client.submit('/portal/profile', '/portal/profile', {
    organization: 'Org',
    contactEmail: 'c@org.test',
    useCase: 'Search products',
    roles: ['Business Product Catalog'],
    intent: 'submit',
  });
  assert.equal(submitted.status, 303);
  const page = await client.get('/portal/profile');
  assert.match(textOf(page.body), /Your profile was submitted for review/);
  assert.match(textOf(page.body), /In review/);
  const [review] = await app.services.reviews.list({ developerId, status: 'pending' });
  await app.services.reviews.decide('operator:t', review!.id, false, 'Tell us more about the buyers.');
  const denied = textOf((await client.get('/portal/profile')).body);
  assert.match(denied, /Denied/);
  assert.match(denied, /Reviewer’s reason: Tell us more about the buyers\./);
  await client.submit('/portal/profile', '/portal/profile', {
    organization: 'Org',
    contactEmail: 'c@org.test',
    useCase: 'Search products for buyers',
    roles: ['Business Product Catalog'],
    intent: 'submit',
  });
  const [again] = await app.services.reviews.list({ developerId, status: 'pending' });
  await app.services.reviews.decide('operator:t', again!.id, true, null);
  const approved = await client.get('/portal/profile');
  assert.match(textOf(approved.body), /Request another role/);
  const none = await client.submit('/portal/profile', '/portal/profile/role-requests', {});
  assert.equal(none.status, 400);
  assert.match(none.body, /id="f-request-roles-error"/);
  const asked = await client.submit('/portal/profile', '/portal/profile/role-requests', { roles: ['User Management'] });
  assert.equal(asked.status, 303);
  assert.deepEqual((await app.services.developers.getProfile(developerId)).pendingRoles, ['User Management']);
  assert.match(textOf((await client.get('/portal/profile')).body), /Waiting for review: User Management/);
});

test('portal: apps list, Add app validation, credentials shown once, rotation, edit offers approved roles only', async () => {
  const app = await buildTestApp();
  const { client, dev } = await approvedClient(app);
  const empty = textOf((await client.get('/portal/apps')).body);
  assert.match(empty, /0 of 10 apps/);
  assert.match(empty, /No apps yet — Add app/);

  const invalid = await client.submit(
    '/portal/apps/new',
    '/portal/apps',
    newApp({ name: '', redirectUris: 'http://evil.example.com/cb', roles: ['User Management'] }),
  );
  assert.equal(invalid.status, 400);
  assert.match(invalid.body, /id="f-name-error"/);
  assert.match(invalid.body, /id="f-redirectUris-error"[^>]*>[^<]*must use https/);
  assert.match(invalid.body, /id="f-roles-error"/);
  assert.match(invalid.body, />http:\/\/evil.example.com\/cb<\/textarea>/);

  const created = await client.submit('/portal/apps/new', '/portal/apps', newApp({ name: 'Procurement' }));
  assert.equal(created.status, 303);
  assert.match(created.location!, /^\/portal\/apps\/app_[^/]+\/credentials$/);
  const appId = created.location!.split('/')[3]!;
  const first = await client.get(created.location!);
  const secret = /id="client-secret">([^<]+)</.exec(first.body)?.[1];
  assert.match(secret!, /^amzn1\.oa2-cs\.v1\.[0-9a-f]{64}$/);
  const record = await app.services.apps.get(appId);
  assert.ok(await app.services.apps.verifyClient(record.clientId, secret!), 'the secret shown is the real one');
  assert.equal(first.headers['cache-control'], 'no-store');
  const second = await client.get(created.location!);
  assert.doesNotMatch(second.body, /id="client-secret"/, 'the secret is shown only once');
  assert.match(second.body, new RegExp(record.clientId));

  const rotated = await client.submit(created.location!, `/portal/apps/${appId}/rotate-secret`, {});
  assert.equal(rotated.status, 303);
  const afterRotation = await client.get(rotated.location!);
  const newSecret = /id="client-secret">([^<]+)</.exec(afterRotation.body)?.[1];
  assert.ok(newSecret && newSecret !== secret);
  assert.match(textOf(afterRotation.body), /The previous secret keeps working until \d{4}-\d\d-\d\d/);

  const list = textOf((await client.get('/portal/apps')).body);
  assert.match(list, /1 of 10 apps/);
  for (const action of ['Edit App', 'View LWA credentials', 'Rotate secret', 'Submit for listing', 'Delete'])
    assert.ok(list.includes(action), action);
  assert.ok(!list.includes('Create token'), 'production apps have no Create token');

  const edit = await client.get(`/portal/apps/${appId}/edit`);
  assert.match(edit.body, /value="Business Product Catalog" checked/);
  assert.match(edit.body, /value="Amazon Business Analytics"/);
  assert.doesNotMatch(edit.body, /value="User Management"/, 'only approved roles are offered');
  const saved = await client.submit(
    `/portal/apps/${appId}/edit`,
    `/portal/apps/${appId}/edit`,
    newApp({ name: 'Procurement 2', roles: ['Business Product Catalog', 'Amazon Business Analytics'] }),
  );
  assert.equal(saved.status, 303);
  assert.deepEqual((await app.services.apps.get(appId)).roles, ['Business Product Catalog', 'Amazon Business Analytics']);
  const forced = await client.submit(`/portal/apps/${appId}/edit`, `/portal/apps/${appId}/edit`, newApp({ roles: ['User Management'] }));
  assert.equal(forced.status, 400, 'an unapproved role is refused even when posted by hand');

  const listed = await client.submit('/portal/apps', `/portal/apps/${appId}/submit-listing`, {});
  assert.equal(listed.status, 303);
  assert.equal((await app.services.apps.get(appId)).status, 'submitted');
  const twice = await client.submit('/portal/apps', `/portal/apps/${appId}/submit-listing`, {});
  assert.equal(twice.status, 409);
  assert.match(textOf(twice.body), /already waiting for listing review/);
  assert.equal(dev.id, record.developerId);
});

test('portal: sandbox apps before approval, Create token shown once, delete', async () => {
  const app = await buildTestApp();
  const { client, developerId } = await registered(app);
  await client.submit('/portal/profile', '/portal/profile', {
    organization: 'Org',
    contactEmail: 'c@org.test',
    useCase: 'Use',
    roles: ['Business Product Catalog'],
    intent: 'submit',
  });
  const form = await client.get('/portal/apps/new');
  assert.match(form.body, /value="production" disabled/);
  assert.match(textOf(form.body), /Requested, not approved yet: sandbox apps only/);
  const prod = await client.submit('/portal/apps/new', '/portal/apps', newApp());
  assert.equal(prod.status, 400);
  assert.match(prod.body, /id="f-type-error"/);
  const sandbox = await client.submit('/portal/apps/new', '/portal/apps', newApp({ type: 'sandbox', name: 'Sandbox one' }));
  assert.equal(sandbox.status, 303);
  const appId = sandbox.location!.split('/')[3]!;
  await client.get(sandbox.location!);
  const list = textOf((await client.get('/portal/apps')).body);
  assert.match(list, /Create token/);
  assert.doesNotMatch(list, /Submit for listing/);
  const token = await client.submit('/portal/apps', `/portal/apps/${appId}/sandbox-token`, { region: 'EU' });
  assert.equal(token.status, 303);
  const shown = await client.get(token.location!);
  assert.match(shown.body, /id="refresh-token">Atzr\|/);
  assert.match(textOf(shown.body), /Sandbox refresh token \(EU\)/);
  assert.doesNotMatch((await client.get(token.location!)).body, /id="refresh-token"/);
  const detail = textOf((await client.get(`/portal/apps/${appId}`)).body);
  assert.match(detail, /Your sandbox token EU/);

  const confirm = await client.get(`/portal/apps/${appId}/delete`);
  assert.equal(confirm.status, 200);
  const deleted = await client.submit(`/portal/apps/${appId}/delete`, `/portal/apps/${appId}/delete`, {});
  assert.equal(deleted.status, 303);
  assert.equal((await app.services.apps.list({ developerId })).length, 0);
});

test('portal: another developer’s app is a 404 everywhere', async () => {
  const app = await buildTestApp();
  const owner = await makeApprovedDeveloper(app);
  const { app: theirs } = await app.services.apps.create(owner.id, {
    name: 'Theirs',
    type: 'production',
    visibility: 'public',
    roles: ['Business Product Catalog'],
    redirectUris: ['https://x.example.com/cb'],
  });
  const { client } = await approvedClient(app);
  for (const path of ['', '/edit', '/credentials', '/delete']) {
    const res = await client.get(`/portal/apps/${theirs.id}${path}`);
    assert.equal(res.status, 404, path);
    assert.match(textOf(res.body), /Not found/);
    assert.doesNotMatch(res.body, /Theirs/);
  }
  const csrf = csrfOf((await client.get('/portal/apps')).body);
  for (const action of ['rotate-secret', 'submit-listing', 'sandbox-token', 'delete', 'edit', 'tps-requests', 'field-requests']) {
    const res = await client.post(`/portal/apps/${theirs.id}/${action}`, {
      csrf,
      ...newApp(),
      operation: 'searchProductsRequest',
      rate: '1',
      burst: '2',
      reason: 'x',
      fields: 'merchantId',
    });
    assert.equal(res.status, 404, action);
  }
  assert.equal((await app.services.apps.get(theirs.id)).name, 'Theirs');
  assert.equal((await app.services.apps.listSecrets(theirs.id)).length, 1);
});

test('portal: the eleventh app is refused with a visible message', async () => {
  const app = await buildTestApp();
  const { client, dev } = await approvedClient(app);
  for (let i = 0; i < 10; i++)
    await app.services.apps.create(dev.id, {
      name: `A${i}`,
      type: 'sandbox',
      visibility: 'private',
      roles: [],
      redirectUris: ['https://x.example.com/cb'],
    });
  assert.match(textOf((await client.get('/portal/apps')).body), /10 of 10 apps — the limit is reached/);
  const form = await client.get('/portal/apps/new');
  assert.match(textOf(form.body), /You have 10 of 10 apps, the maximum/);
  const refused = await client.submit('/portal/apps/new', '/portal/apps', newApp({ type: 'sandbox' }));
  assert.equal(refused.status, 409);
  assert.match(textOf(refused.body), /maximum of 10 apps/);
});

test('portal: authorizations, usage plans and requests for higher TPS or privileged fields reach the operator', async () => {
  const app = await buildTestApp();
  const { client, dev } = await approvedClient(app);
  const { app: mine } = await app.services.apps.create(dev.id, {
    name: 'Mine',
    type: 'production',
    visibility: 'public',
    roles: ['Business Product Catalog'],
    redirectUris: ['https://x.example.com/cb'],
  });
  const page = await client.get(`/portal/apps/${mine.id}`);
  assert.match(textOf(page.body), /No business has authorized this app yet/);
  assert.match(textOf(page.body), /No overrides/);
  // The consent URL is absolute (ready to send to an administrator), built from the request's host as the consent pages do.
  assert.match(page.body, /href="http:\/\/localhost:80\/b2b\/abws\/oauth\?applicationId=[^"]+version=beta"/);

  const bad = await client.submit(`/portal/apps/${mine.id}`, `/portal/apps/${mine.id}/tps-requests`, {
    operation: '',
    rate: '-1',
    burst: '1.5',
    reason: 'Peak season',
  });
  assert.equal(bad.status, 400);
  for (const f of ['operation', 'rate', 'burst']) assert.match(bad.body, new RegExp(`id="f-tps-${f}-error"`), f);
  assert.match(bad.body, />Peak season<\/textarea>/);
  const ok = await client.submit(`/portal/apps/${mine.id}`, `/portal/apps/${mine.id}/tps-requests`, {
    operation: 'searchProductsRequest',
    rate: '2',
    burst: '20',
    reason: 'Peak season',
  });
  assert.equal(ok.status, 303);
  const fields = await client.submit(`/portal/apps/${mine.id}`, `/portal/apps/${mine.id}/field-requests`, {
    fields: ['merchantId', 'taxonomies'],
    reason: 'Show sellers',
  });
  assert.equal(fields.status, 303);
  const noFields = await client.submit(`/portal/apps/${mine.id}`, `/portal/apps/${mine.id}/field-requests`, { reason: 'x' });
  assert.equal(noFields.status, 400);
  assert.match(noFields.body, /id="f-fields-fields-error"/);
  const queue = await app.services.reviews.list({ appId: mine.id, status: 'pending' });
  assert.deepEqual(queue.map((r) => r.kind).sort(), ['privileged_fields', 'tps']);
  await app.services.reviews.decide('operator:t', queue.find((r) => r.kind === 'tps')!.id, true, null);
  const after = textOf((await client.get(`/portal/apps/${mine.id}`)).body);
  assert.match(after, /searchProductsRequest 2 20/);
  assert.match(after, /Higher TPS searchProductsRequest: 2 requests\/s, burst 20/);
});

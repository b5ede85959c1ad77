import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Request } from 'playwright-core';
import { startE2E, tokenRequest } from '../support/e2e.ts';
import { makeApprovedDeveloper, makeBusiness, makePublishedApp, REDIRECT } from '../support/world.ts';

test('adding a role to a published app: request, approval, Edit App, relist, approval, new consent; only the new token carries the role', async () => {
  const { app, browser, baseUrl, shot } = await startE2E('role-change');
  const s = app.services;
  const world = await makeBusiness(app);
  const dev = await makeApprovedDeveloper(app, ['Business Product Catalog']);
  const { app: published, clientSecret } = await makePublishedApp(app, dev.id, ['Business Product Catalog']);
  const old = await s.oauth.authorizeOnBehalf({ applicationId: published.applicationId, adminEmail: world.admin.email, marketplace: 'US' });
  const operatorKey = await s.operators.createAdminKey('e2e-operator');

  const devContext = await browser.newContext({ baseURL: baseUrl });
  devContext.setDefaultTimeout(5000);
  const devPage = await devContext.newPage();
  const opsContext = await browser.newContext({ baseURL: baseUrl });
  opsContext.setDefaultTimeout(5000);
  const ops = await opsContext.newPage();
  const approveIn = async (tab: string, match: string) => {
    await ops.goto('/console');
    if (ops.url().includes('/signin')) {
      await ops.getByLabel('Operator API key').fill(operatorKey);
      await ops.getByRole('button', { name: 'Sign in' }).click();
      await ops.waitForURL('**/console');
    }
    await ops.getByRole('link', { name: new RegExp(`^${tab} \\(\\d+\\)`) }).click();
    await ops.locator('section.panel', { hasText: match }).getByRole('button', { name: 'Approve' }).click();
    await ops
      .getByText(/approved/)
      .first()
      .waitFor();
  };

  // 1. The developer asks for the new role on the profile.
  await devPage.goto('/portal/signin');
  await devPage.getByLabel('Email').fill(dev.email);
  await devPage.getByLabel('Password').fill('developer-password');
  await devPage.getByRole('button', { name: 'Sign in' }).click();
  await devPage.waitForURL('**/portal/apps');
  await devPage.getByRole('link', { name: 'Developer profile' }).click();
  await devPage.getByLabel('Amazon Business Analytics').check();
  await devPage.getByRole('button', { name: 'Request roles' }).click();
  await devPage.getByText('Waiting for review: Amazon Business Analytics').waitFor();
  await shot(devPage, 'role-requested');

  // 2. The operator approves the role request.
  await approveIn('Role requests', dev.email);

  // 3. Edit App offers the newly approved role; save, then relist.
  await devPage.getByRole('link', { name: 'Apps', exact: true }).click();
  await devPage.getByRole('link', { name: `Edit App (${published.name})` }).click();
  await devPage.getByLabel('Amazon Business Analytics').check();
  await shot(devPage, 'edit-app');
  await devPage.getByRole('button', { name: 'Save changes' }).click();
  await devPage.getByText('relist the app').waitFor();
  await devPage.getByRole('button', { name: `Relist (${published.name})` }).click();
  await devPage.getByText('was submitted for listing review').waitFor();
  await shot(devPage, 'relisted');

  // 4. The operator approves the listing.
  await approveIn('Listings', published.name);
  assert.deepEqual((await s.apps.get(published.id)).publishedRoles, ['Business Product Catalog', 'Amazon Business Analytics']);

  // 5. The business administrator consents again, through the real consent pages.
  const adminContext = await browser.newContext({ baseURL: baseUrl });
  adminContext.setDefaultTimeout(5000);
  const admin = await adminContext.newPage();
  // The app's redirect URI is not served here: answer it in the browser and read the code from the URL.
  await admin.route('https://client.example.com/**', (route) =>
    route.fulfill({ status: 200, contentType: 'text/html', body: '<h1>Connected</h1>' }),
  );
  const consentUrl = `/b2b/abws/oauth?${new URLSearchParams({ applicationId: published.applicationId, redirect_uri: REDIRECT, state: 'relist-1' })}`;
  await admin.goto(consentUrl);
  await admin.getByLabel('Email').fill(world.admin.email);
  await admin.getByLabel('Password').fill(world.password);
  await admin.getByRole('button', { name: 'Sign in' }).click();
  await admin.getByText('Amazon Business Analytics').waitFor();
  await shot(admin, 'consent');
  const redirected = admin.waitForRequest((r: Request) => r.url().startsWith(REDIRECT));
  await admin.getByRole('button', { name: 'Allow' }).click();
  const cb = new URL((await redirected).url());
  assert.equal(cb.searchParams.get('state'), 'relist-1');
  const code = cb.searchParams.get('code')!;

  // 6. The app exchanges the code; the new token carries the new role, the old one does not.
  const exchanged = await tokenRequest(baseUrl, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: REDIRECT,
    client_id: published.clientId,
    client_secret: clientSecret,
  });
  assert.equal(exchanged.status, 200);
  const fresh = await s.oauth.lookupAccessToken(String(exchanged.body.access_token));
  assert.equal(fresh.status, 'valid');
  assert.ok(fresh.status === 'valid' && fresh.grant.roles.includes('Amazon Business Analytics'), 'the new authorization has the new role');
  const refreshedOld = await tokenRequest(baseUrl, {
    grant_type: 'refresh_token',
    refresh_token: old.refresh_token,
    client_id: published.clientId,
    client_secret: clientSecret,
  });
  assert.equal(refreshedOld.status, 200);
  const oldLookup = await s.oauth.lookupAccessToken(String(refreshedOld.body.access_token));
  assert.ok(oldLookup.status === 'valid');
  assert.deepEqual(
    oldLookup.status === 'valid' && oldLookup.grant.roles,
    ['Business Product Catalog'],
    'the old refresh token keeps its roles',
  );
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertLabelled, startE2E, tokenRequest } from '../support/e2e.ts';
import { makeApprovedDeveloper, makeBusiness, makePublishedApp } from '../support/world.ts';

test('a business administrator revokes an app under Authorized apps; its refresh token then fails with invalid_grant', async () => {
  const { app, browser, baseUrl, shot } = await startE2E('revoke');
  const s = app.services;
  const world = await makeBusiness(app);
  const dev = await makeApprovedDeveloper(app);
  const { app: published, clientSecret } = await makePublishedApp(app, dev.id);
  const granted = await s.oauth.authorizeOnBehalf({
    applicationId: published.applicationId,
    adminEmail: world.admin.email,
    marketplace: 'US',
  });
  const refresh = () =>
    tokenRequest(baseUrl, {
      grant_type: 'refresh_token',
      refresh_token: granted.refresh_token,
      client_id: published.clientId,
      client_secret: clientSecret,
    });
  assert.equal((await refresh()).status, 200, 'the refresh token works before the revocation');

  const context = await browser.newContext({ baseURL: baseUrl });
  context.setDefaultTimeout(5000);
  const page = await context.newPage();
  await page.goto('/business/apps');
  await page.waitForURL('**/business/signin**');
  await assertLabelled(page);
  // Signed in with the keyboard only.
  await page.getByLabel('Email').focus();
  await page.keyboard.type(world.admin.email);
  await page.keyboard.press('Tab');
  await page.keyboard.type(world.password);
  await page.keyboard.press('Enter');
  await page.waitForURL('**/business/apps');
  const row = page.getByRole('row', { name: new RegExp(published.name) });
  await row.waitFor();
  assert.ok(await page.getByRole('heading', { name: 'NA region' }).isVisible());
  await shot(page, 'authorized-apps');
  await row.getByRole('link', { name: /Revoke/ }).click();
  await page.getByText('loses access to your business in the US — United States marketplace').waitFor();
  await shot(page, 'confirm');
  await page.getByRole('button', { name: 'Revoke access' }).click();
  await page.getByText(`${published.name} no longer has access in the US — United States marketplace.`).waitFor();
  assert.ok(await page.getByText('No apps are authorized in this region.').first().isVisible());
  await shot(page, 'revoked');

  const after = await refresh();
  assert.equal(after.status, 400);
  assert.equal(after.body.error, 'invalid_grant');
  assert.match(String(after.body.error_description), /refresh_token/);
});

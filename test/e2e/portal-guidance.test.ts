import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { assertLabelled, startE2E, watchProblems } from '../support/e2e.ts';
import { makeApprovedDeveloper, makeBusiness, makePublishedApp, REDIRECT } from '../support/world.ts';
import { consentUrl } from '../support/oauth.ts';

// Journeys of the portal's guidance pages and of the walkthrough's defects (docs/portal.md).

/** The element that has the focus: its id, and whether it is inside the viewport. */
async function focused(page: Page): Promise<{ id: string; visible: boolean }> {
  // A string expression: the DOM types are not part of this (Node) project's compilation.
  return (await page.evaluate(
    `(() => { const el = document.activeElement; const r = el.getBoundingClientRect(); return { id: el.id, visible: r.bottom > 0 && r.top < window.innerHeight }; })()`,
  )) as { id: string; visible: boolean };
}

test('docs: from any page to the documentation, its contents and the links between documents; an unknown name is a 404 page', async () => {
  const { baseUrl, browser, shot } = await startE2E('docs');
  const context = await browser.newContext({ baseURL: baseUrl });
  context.setDefaultTimeout(5000);
  const problems = watchProblems(context, [{ url: /\/docs\/no-such-doc$/, status: 404 }]);
  const page = await context.newPage();
  await page.goto('/portal/signin');
  await page.getByRole('contentinfo').getByRole('link', { name: 'Documentation' }).click();
  await page.waitForURL('**/docs');
  await page.getByRole('heading', { name: 'Documentation', level: 1 }).waitFor();
  await shot(page, 'index');
  await page.getByRole('link', { name: 'The API gateway' }).click();
  await page.waitForURL('**/docs/gateway');
  const contents = page.getByRole('navigation', { name: 'Contents' });
  await contents.getByRole('link', { name: 'Marketplaces' }).click();
  await page.waitForURL('**/docs/gateway#marketplaces');
  assert.ok(await page.getByRole('heading', { name: 'Marketplaces' }).isVisible());
  await shot(page, 'gateway');
  await page.locator('article').getByRole('link', { name: 'docs/sandbox.md' }).first().click();
  await page.waitForURL('**/docs/sandbox');
  await page.setViewportSize({ width: 390, height: 844 });
  await shot(page, 'sandbox-phone');
  await page.setViewportSize({ width: 1280, height: 800 });
  const missing = await page.goto('/docs/no-such-doc');
  assert.equal(missing?.status(), 404);
  await page.getByRole('heading', { name: 'No such document' }).waitFor();
  await page.getByRole('link', { name: 'All documents' }).click();
  await page.waitForURL('**/docs');
  problems.assertClean();
});

test('TPS and privileged-field forms: after a refused submit the first field in error has the focus, in view', async () => {
  const { app, baseUrl, browser, shot } = await startE2E('form-focus');
  const dev = await makeApprovedDeveloper(app, ['Business Product Catalog']);
  const { app: mine } = await app.services.apps.create(dev.id, {
    name: 'Focus App',
    type: 'production',
    visibility: 'public',
    roles: ['Business Product Catalog'],
    redirectUris: ['https://focus.example.com/cb'],
  });
  const context = await browser.newContext({ baseURL: baseUrl });
  context.setDefaultTimeout(5000);
  const problems = watchProblems(context, [{ url: /\/portal\/apps\/[^/]+\/(tps|field)-requests$/, status: 400 }]);
  const page = await context.newPage();
  await page.goto('/portal/signin');
  await page.getByLabel('Email').fill(dev.email);
  await page.getByLabel('Password').fill('developer-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.goto(`/portal/apps/${mine.id}`);

  await page.getByLabel('Operation').selectOption('searchProductsRequest');
  await page.getByLabel('Rate (requests per second)').fill('0');
  await page.getByRole('button', { name: 'Send TPS request' }).click();
  await page.getByRole('alert').filter({ hasText: 'There is a problem' }).first().waitFor();
  assert.deepEqual(await focused(page), { id: 'f-tps-rate', visible: true });
  await shot(page, 'tps-error-focused');

  await page.getByLabel('Why you need them').fill('');
  await page.getByRole('button', { name: 'Send field request' }).click();
  await page.getByRole('alert').filter({ hasText: 'Choose at least one field' }).waitFor();
  assert.deepEqual(await focused(page), { id: 'f-fields-fields-0', visible: true });
  await shot(page, 'fields-error-focused');
  problems.assertClean();
});

test('consent: a wrong password is shown in place with the email kept; "Sign in with another account" returns to the same consent URL', async () => {
  const { app, baseUrl, browser, shot } = await startE2E('consent-signin');
  const world = await makeBusiness(app);
  const dev = await makeApprovedDeveloper(app);
  const { app: published } = await makePublishedApp(app, dev.id);
  const url = consentUrl(published.applicationId, REDIRECT, 'walkthrough');
  const context = await browser.newContext({ baseURL: baseUrl });
  context.setDefaultTimeout(5000);
  const problems = watchProblems(context, [
    { url: /\/b2b\/abws\/signin$/, status: 401 },
    { url: /\/b2b\/abws\/oauth\?/, status: 403 },
  ]);
  const page = await context.newPage();
  await page.goto(url);
  await page.getByLabel('Email').fill(world.partial.email);
  await page.getByLabel('Password').fill('wrong-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('alert').filter({ hasText: 'The email or password is wrong.' }).waitFor();
  assert.equal(await page.getByLabel('Email').inputValue(), world.partial.email, 'the email is kept');
  assert.deepEqual(await focused(page), { id: 'password', visible: true });
  await assertLabelled(page);
  await shot(page, 'wrong-password-inline');

  // The partial administrator signs in and is refused; another account is one click away.
  await page.getByLabel('Password').fill(world.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'You cannot authorize this app' }).waitFor();
  await shot(page, 'refused');
  await page.getByRole('button', { name: 'Sign in with another account' }).click();
  await page.waitForURL((u) => `${u.pathname}${u.search}` === url);
  await page.getByLabel('Email').fill(world.admin.email);
  await page.getByLabel('Password').fill(world.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Allow' }).waitFor();
  await shot(page, 'admin-can-allow');
  problems.assertClean();
});

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { unique } from '../support/app.ts';
import { assertLabelled, startE2E, watchProblems } from '../support/e2e.ts';
import { seedDemo } from '../../src/modules/demo/demo.ts';

// The first-call journey of docs/portal.md: in a fresh browser, from the home page to a successful
// API call using only what the pages show. The commands are copied from the pages and run as shown
// with curl (CI has it), after filling in only the lines the page marks as secrets it cannot show.

const CURL = '/usr/bin/curl';

/** Runs a command copied from a page in a POSIX shell (asynchronously: the server answers in this process); returns its output. */
async function run(script: string): Promise<string> {
  if (!fs.existsSync(CURL)) throw new Error(`the journey runs the shown commands with curl, which is not at ${CURL}`);
  const { stdout } = await promisify(execFile)('/bin/sh', ['-c', script], { encoding: 'utf8', timeout: 20_000 });
  return stdout;
}

/** Replaces the value of a `NAME='<…>'` placeholder line of a copied command. */
function fill(script: string, name: string, value: string): string {
  const line = new RegExp(`^${name}='<[^\\n]*>'$`, 'm');
  assert.match(script, line, `the command marks ${name} as a placeholder`);
  return script.replace(line, `${name}='${value}'`);
}

const codeText = async (page: Page, selector: string): Promise<string> => ((await page.locator(selector).textContent()) ?? '').trim();

test('first call, production: from the home page, the demo developer copies the shown commands and searches the catalog', async () => {
  const { app, browser, baseUrl, shot } = await startE2E('first-call', { publicUrl: true, config: { seedDemo: true } });
  await seedDemo(app.ctx, app.services);
  const context = await browser.newContext({ baseURL: baseUrl });
  context.setDefaultTimeout(8000);
  const problems = watchProblems(context);
  const page = await context.newPage();

  // The home page names the demo developer and the demo administrator and says which APIs are live.
  await page.goto('/');
  await page.getByRole('heading', { name: 'APIs on this server' }).waitFor();
  const liveRow = page.getByRole('row', { name: /Product Search/ });
  assert.match((await liveRow.textContent()) ?? '', /Live/);
  await shot(page, 'home');
  const steps = page.locator('ol').first();
  const [devEmail, devPassword] = await steps.locator('li').nth(0).locator('code').allTextContents();
  const [adminEmail, adminPassword] = await page.locator('p', { hasText: 'open the demo consent page' }).locator('code').allTextContents();
  assert.ok(devEmail && devPassword && adminEmail && adminPassword, 'the home page shows the demo sign-ins');

  await page.getByRole('link', { name: 'Sign in as the demo developer' }).click();
  await page.getByLabel('Email').fill(devEmail);
  await page.getByLabel('Password').fill(devPassword);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('link', { name: 'Apps', exact: true }).click();
  await page.getByRole('link', { name: 'Demo Procurement Connector' }).first().click();
  await page.getByRole('heading', { name: 'How to call' }).waitFor();
  assert.equal(await codeText(page, '#token-url'), `${baseUrl}/auth/o2/token`);
  await shot(page, 'app-how-to-call');
  const appUrl = page.url();

  // A refresh token: the consent URL shown on the page, allowed by the administrator; the demo
  // callback page shows the command that exchanges the code.
  const consentUrl = (await page.locator('#consent-url').getAttribute('href'))!;
  assert.ok(consentUrl.startsWith(`${baseUrl}/b2b/abws/oauth?`), `the consent URL is absolute: ${consentUrl}`);
  await page.goto(consentUrl);
  await assertLabelled(page);
  await page.getByLabel('Email').fill(adminEmail);
  await page.getByLabel('Password').fill(adminPassword);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Allow' }).click();
  await page.getByRole('heading', { name: 'Authorization code received' }).waitFor();
  await shot(page, 'code-received');
  const exchanged = JSON.parse(await run(await codeText(page, 'pre'))) as { refresh_token?: string };
  assert.match(exchanged.refresh_token ?? '', /^Atzr\|/, 'the code exchange shown on the callback page works');

  // The app page's command, with the refresh token filled in (the demo app's secret is shown).
  await page.goto(appUrl);
  const script = await codeText(page, '#first-call');
  assert.doesNotMatch(script, /CLIENT_SECRET='</, 'the demo app’s published secret is filled in');
  const answer = JSON.parse(await run(fill(script, 'REFRESH_TOKEN', exchanged.refresh_token!))) as {
    matchingProductCount?: number;
    products?: unknown[];
  };
  assert.ok((answer.matchingProductCount ?? 0) > 0, `the product search answers products: ${JSON.stringify(answer).slice(0, 300)}`);
  assert.ok((answer.products ?? []).length > 0);
  problems.assertClean();
});

test('first call, sandbox: a new developer creates a sandbox app, copies the shown command and gets the canned answer', async () => {
  const { browser, baseUrl, shot } = await startE2E('first-call-sandbox', { publicUrl: true });
  const context = await browser.newContext({ baseURL: baseUrl });
  context.setDefaultTimeout(8000);
  const problems = watchProblems(context);
  const page = await context.newPage();

  await page.goto('/');
  await page.getByRole('link', { name: 'Register as a developer' }).first().click();
  await page.getByLabel('Your name or organization').fill('Sandbox Tester');
  await page.getByLabel('Email').fill(`sandbox-${unique()}@example.test`);
  await page.getByLabel('Password').fill('a-long-password-1');
  await page.getByRole('button', { name: 'Register' }).click();
  await page.waitForURL('**/portal/profile');
  await page.getByLabel('Organization').fill('Sandbox Tester Ltd.');
  await page.getByLabel('Use case').fill('Trying the sandbox.');
  await page.getByLabel('Business Product Catalog').check();
  await page.getByRole('button', { name: 'Submit for review' }).click();
  await page.getByRole('link', { name: 'Apps', exact: true }).click();
  await page.getByRole('link', { name: 'Add app' }).first().click();
  await page.getByLabel('App name').fill('Sandbox Explorer');
  await page.getByLabel('Sandbox', { exact: true }).check();
  await page.getByLabel('Business Product Catalog').check();
  await page.getByLabel('OAuth redirect URIs').fill('https://explorer.example.com/cb');
  await page.getByRole('button', { name: 'Save and exit' }).click();
  await page.waitForURL('**/credentials');
  const secret = await codeText(page, '#client-secret');
  await page.getByRole('button', { name: 'Create token' }).click();
  const refreshToken = await codeText(page, '#refresh-token');
  assert.match(refreshToken, /^Atzr\|/);
  await shot(page, 'sandbox-token');

  await page.getByRole('link', { name: '← Apps' }).click();
  await page.getByRole('link', { name: 'Sandbox Explorer' }).first().click();
  await page.getByRole('heading', { name: 'Sandbox answers' }).waitFor();
  assert.ok(await page.getByText('Sandbox: ready', { exact: true }).isVisible(), 'a sandbox app shows a status that means something');
  await shot(page, 'sandbox-app');
  const script = fill(fill(await codeText(page, '#first-call'), 'CLIENT_SECRET', secret), 'REFRESH_TOKEN', refreshToken);
  assert.match(script, new RegExp(`${baseUrl}/sandbox/na/products/`));
  const answer = JSON.parse(await run(script)) as { matchingProductCount?: number };
  assert.equal(answer.matchingProductCount, 4, 'the canned answer of the shown request');

  // Try it: the same canned request, sent by the page.
  await page.getByRole('heading', { name: 'Try it' }).scrollIntoViewIfNeeded();
  await page.getByLabel('Canned request').selectOption('searchProductsRequest#1');
  await page.getByLabel('Client secret').fill(secret);
  await page.getByLabel('Refresh token').fill(refreshToken);
  await page.getByRole('button', { name: 'Try it' }).click();
  const result = page.locator('#try-result');
  await result.getByRole('heading', { name: 'HTTP 200' }).waitFor();
  assert.match((await result.textContent()) ?? '', /"matchingProductCount": 4/);
  assert.equal(await page.getByLabel('Client secret').inputValue(), '', 'the typed secret is not sent back');
  await shot(page, 'try-it');
  problems.assertClean();
});

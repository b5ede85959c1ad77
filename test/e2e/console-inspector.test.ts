import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertLabelled, startE2E, watchProblems } from '../support/e2e.ts';
import { gatewayWorld, PROBE, probeUrl } from '../support/gateway.ts';

// The operator's request inspector and clock in the browser, and the API reference's real calls:
// a refused call shows with its reason (and new calls appear while the page is open); the console
// moves the clock so an access token expires, and the next call with it shows as refused for that;
// a developer gets a token on /reference and Swagger UI sends a call that succeeds.

test('inspector shows refused calls with the reason; the console clock expires a token; the reference page sends a real call', async () => {
  // A database of its own: the journey moves the virtual clock, which every app on a database shares.
  const { app, browser, baseUrl, shot } = await startE2E('console-inspector', { isolated: true });
  const world = await gatewayWorld(app);
  const ok = await world.tokenFor([PROBE.role]);
  const noRole = await world.tokenFor(['Business Product Catalog']);
  const call = (token: string) => fetch(`${baseUrl}${probeUrl()}`, { headers: { 'x-amz-access-token': token } });
  assert.equal((await call(ok.accessToken)).status, 200);
  assert.equal((await call(noRole.accessToken)).status, 403, 'the deliberate refusal: the app lacks the role');
  const key = await app.services.operators.createAdminKey('e2e-inspector');

  const context = await browser.newContext({ baseURL: baseUrl });
  context.setDefaultTimeout(8000);
  // The one deliberate failure in the browser: the clock form sent with a wrong duration.
  const problems = watchProblems(context, [{ url: /\/console\/emulator\/clock$/, status: 400 }]);
  const page = await context.newPage();

  // The operator signs in and opens Requests from the navigation.
  await page.goto('/console/signin');
  await page.getByLabel('Operator API key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL('**/console');
  await page.getByRole('navigation', { name: 'Operator console' }).getByRole('link', { name: 'Requests' }).click();
  await page.waitForURL('**/console/requests');
  await assertLabelled(page);
  const refusedRow = page.getByRole('row', { name: new RegExp(`${noRole.client.name}.*403`) });
  await refusedRow.waitFor();
  assert.match((await refusedRow.textContent()) ?? '', /Role/);
  await shot(page, 'requests');

  // Live updates: a call made while the page is open appears without a reload. (On a database
  // shared with other journeys more calls may arrive meanwhile: at least this one is added.)
  const rowsBefore = await page.locator('#rq-table tbody tr').count();
  assert.equal((await call('Atza|not-a-token')).status, 403);
  await page
    .getByRole('status')
    .filter({ hasText: /new call/ })
    .waitFor();
  assert.ok((await page.locator('#rq-table tbody tr').count()) > rowsBefore);
  await shot(page, 'live-update');

  // The detail: which check refused it and why.
  await refusedRow.getByRole('link').first().click();
  await page.waitForURL(/\/console\/requests\/\d+$/);
  await page.getByText(`${PROBE.operationId} needs the role ${PROBE.role}; the token has Business Product Catalog.`).waitFor();
  assert.ok(await page.getByText('Role', { exact: true }).first().isVisible());
  await shot(page, 'refused-detail');

  // Clock and faults: a wrong duration is an error at the form, with focus on the field.
  await page.getByRole('link', { name: 'Clock & faults' }).click();
  await page.waitForURL('**/console/emulator');
  await assertLabelled(page);
  await page.getByLabel('Advance by').fill('soon');
  await page.getByRole('button', { name: 'Advance the clock' }).click();
  await page.getByText('Enter a duration such as 90s').first().waitFor();
  await page.waitForFunction(`document.activeElement && document.activeElement.id === 'f-clock-advance-by'`);
  await shot(page, 'clock-error');
  // Past the access token's hour.
  await page.getByLabel('Advance by').fill('1h1m');
  await page.getByRole('button', { name: 'Advance the clock' }).click();
  await page.getByText(/The clock moved by 1h1m/).waitFor();
  assert.ok(Math.abs(app.clock.offset - 3_660_000) < 2000, `offset ${app.clock.offset}`);
  await shot(page, 'clock-moved');
  const expired = await call(ok.accessToken);
  assert.equal(expired.status, 403);
  assert.match(await expired.text(), /has expired/);

  // The inspector shows that call refused because the token expired.
  await page.waitForLoadState('networkidle'); // (the favicon of the page left is not cut off)
  await page.goto(`/console/requests?app=${ok.client.id}&status=403`);
  const expiredRow = page.getByRole('row', { name: /403/ });
  await expiredRow.waitFor();
  assert.match((await expiredRow.textContent()) ?? '', /Access token expired/);
  await expiredRow.getByRole('link').first().click();
  await page.getByText('The access token expired (on the platform clock).').waitFor();
  await shot(page, 'expired-detail');

  // The API reference: the developer gets a token for their app and Swagger UI sends a real call.
  const dev = await context.newPage();
  await dev.goto('/portal/signin');
  await dev.getByLabel('Email').fill(world.dev.email);
  await dev.getByLabel('Password').fill('developer-password');
  await dev.getByRole('button', { name: 'Sign in' }).click();
  await dev.waitForURL(/\/portal/);
  await dev.waitForLoadState('networkidle');
  // Swagger UI renders the whole document on a busy machine: a longer wait from here on.
  dev.setDefaultTimeout(30_000);
  await dev.goto('/reference');
  await dev.locator('#swagger-ui .opblock-tag').first().waitFor();
  await dev.getByRole('navigation', { name: 'APIs' }).getByRole('link', { name: 'Reporting 2021-01-08' }).click();
  await dev.waitForURL('**/reference?api=reporting-2021-01-08');
  // (Our form's controls are labelled; Swagger UI's own parameter inputs are its markup, not checked here.)
  const form = dev.locator('form[action="/reference/token"]');
  await form.getByLabel('App', { exact: true }).selectOption(ok.client.id);
  await form.getByLabel('Client secret').fill(ok.clientSecret);
  await form.getByLabel('Refresh token').fill(ok.refreshToken);
  await dev.getByRole('button', { name: 'Get an access token' }).click();
  await dev.getByText(/Swagger UI is authorized with a new access token/).waitFor();
  const op = dev.locator('.opblock').filter({ hasText: PROBE.operationId }).first();
  await op.locator('.opblock-summary').first().click();
  await op.locator('input[placeholder="startDate"]').fill('2020-01-01T00:00:00Z');
  await op.locator('input[placeholder="endDate"]').fill('2020-01-02T00:00:00Z');
  await shot(dev, 'reference-try');
  await op.getByRole('button', { name: 'Execute' }).click();
  const status = op.locator('.live-responses-table tbody .response-col_status').first();
  await status.waitFor();
  assert.equal((await status.textContent())?.trim(), '200');
  assert.match((await op.locator('.live-responses-table .microlight').first().textContent()) ?? '', /"orders"/);
  await shot(dev, 'reference-200');

  // That call is in the inspector too, a success on the app's bucket.
  await page.waitForLoadState('networkidle');
  await page.goto(`/console/requests?app=${ok.client.id}&status=200`);
  assert.equal(await page.locator('#rq-table tbody tr').count(), 2);

  problems.assertClean();
  await context.close();
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { unique } from '../support/app.ts';
import { assertLabelled, startE2E, watchProblems } from '../support/e2e.ts';

test('a new developer registers, is approved in the console, creates an app, reads its credentials; the eleventh app is refused', async () => {
  const { app, browser, baseUrl, shot } = await startE2E('onboarding');
  const email = `new-dev-${unique()}@example.test`;
  const operatorKey = await app.services.operators.createAdminKey('e2e-operator');

  // The developer registers and submits the profile.
  const devContext = await browser.newContext({ baseURL: baseUrl });
  devContext.setDefaultTimeout(5000);
  // The eleventh app is refused on purpose (409); nothing else may fail.
  const devProblems = watchProblems(devContext, [{ url: /\/portal\/apps$/, status: 409 }]);
  const dev = await devContext.newPage();
  await dev.goto('/');
  await dev.getByRole('link', { name: 'Developer portal' }).click();
  await dev.getByRole('link', { name: 'Register as a developer' }).click();
  await assertLabelled(dev);
  await dev.getByLabel('Your name or organization').fill('Procure Soft');
  await dev.getByLabel('Email').fill(email);
  await dev.getByLabel('Password').fill('a-long-password-1');
  await dev.getByRole('button', { name: 'Register' }).click();
  await dev.waitForURL('**/portal/profile');
  await dev.getByLabel('Organization').fill('Procure Soft Ltd.');
  await dev.getByLabel('Use case').fill('Product search inside our procurement suite.');
  await dev.getByLabel('Business Product Catalog').check();
  await assertLabelled(dev);
  await dev.getByRole('button', { name: 'Submit for review' }).click();
  await dev.getByText('Your profile was submitted for review.').waitFor();
  assert.ok(await dev.getByText('In review', { exact: true }).isVisible());
  await shot(dev, 'profile-submitted');

  // The operator approves it in the console.
  const opsContext = await browser.newContext({ baseURL: baseUrl });
  opsContext.setDefaultTimeout(5000);
  const opsProblems = watchProblems(opsContext);
  const ops = await opsContext.newPage();
  await ops.goto('/console');
  await ops.waitForURL('**/console/signin**');
  await ops.getByLabel('Operator API key').fill(operatorKey);
  await ops.getByRole('button', { name: 'Sign in' }).click();
  await ops.waitForURL('**/console');
  const card = ops.locator('section.panel', { hasText: email });
  await card.getByRole('button', { name: 'Approve' }).click();
  await ops.getByText(/Developer profile: approved/).waitFor();
  await shot(ops, 'console-approved');

  // The developer sees the approval, adds an app and reads its credentials.
  await dev.reload();
  assert.ok(await dev.getByText('Status: Approved').isVisible());
  await dev.getByRole('link', { name: 'Apps', exact: true }).click();
  await dev.getByText('No apps yet').waitFor();
  await dev.getByRole('link', { name: 'Add app' }).first().click();
  await assertLabelled(dev);
  await dev.getByLabel('App name').fill('Procure Connector');
  await dev.getByLabel('Production', { exact: true }).check();
  await dev.getByLabel('Business Product Catalog').check();
  await dev.getByLabel('OAuth redirect URIs').fill('https://procure.example.com/amazon/callback');
  await dev.getByRole('button', { name: 'Save and exit' }).click();
  await dev.waitForURL('**/credentials');
  const secret = (await dev.locator('#client-secret').textContent())!.trim();
  const clientId = (await dev.locator('#client-id').textContent())!.trim();
  assert.match(secret, /^amzn1\.oa2-cs\.v1\.[0-9a-f]{64}$/);
  assert.ok(await app.services.apps.verifyClient(clientId, secret), 'the credentials shown work');
  await shot(dev, 'credentials-once');
  await dev.reload();
  assert.equal(await dev.locator('#client-secret').count(), 0, 'the secret is shown only once');
  await dev.getByRole('link', { name: 'Apps', exact: true }).click();
  await dev.getByText('1 of 10').waitFor();

  // Nine more apps (quickly, through the service), then the eleventh through the form is refused.
  const developer = (await app.services.developers.authenticate(email, 'a-long-password-1'))!;
  for (let i = 2; i <= 10; i++)
    await app.services.apps.create(developer.id, {
      name: `App ${i}`,
      type: 'sandbox',
      visibility: 'private',
      roles: [],
      redirectUris: ['https://procure.example.com/cb'],
    });
  await dev.reload();
  await dev.getByText('10 of 10').waitFor();
  await dev.setViewportSize({ width: 390, height: 844 });
  await shot(dev, 'apps-full-phone');
  await dev.setViewportSize({ width: 1280, height: 800 });
  await dev.getByRole('link', { name: 'Add app' }).first().click();
  await dev.getByLabel('App name').fill('Eleventh');
  await dev.getByLabel('Sandbox', { exact: true }).check();
  await dev.getByLabel('OAuth redirect URIs').fill('https://procure.example.com/cb');
  await dev.getByRole('button', { name: 'Save and exit' }).click();
  const refusal = dev.getByRole('alert').filter({ hasText: 'maximum of 10 apps' });
  await refusal.waitFor();
  assert.ok(await refusal.isVisible());
  assert.equal(await dev.getByLabel('App name').inputValue(), 'Eleventh', 'the entered values are kept');
  await shot(dev, 'eleventh-refused');
  assert.equal((await app.services.apps.list({ developerId: developer.id })).length, 10);
  devProblems.assertClean();
  opsProblems.assertClean();
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertLabelled, startE2E } from '../support/e2e.ts';
import { line, orderingWorldOn } from '../support/ordering.ts';

test('a business administrator sets a group\u2019s approval limit, then approves an order that waits for it, in a real browser', async () => {
  const { app, browser, baseUrl, shot } = await startE2E('order-approval');
  const o = await orderingWorldOn(app);
  const context = await browser.newContext({ baseURL: baseUrl });
  context.setDefaultTimeout(5000);
  const page = await context.newPage();
  await page.goto('/business/organization');
  await page.waitForURL('**/business/signin**');
  await page.getByLabel('Email').fill(o.admin.email);
  await page.getByLabel('Password').fill(o.password);
  await page.getByRole('button', { name: /Sign in/ }).click();
  await page.waitForURL('**/business/organization');

  // The group's ordering settings: an approval limit of 20.00.
  await page.getByRole('link', { name: `Ordering settings of ${o.group.name}` }).click();
  await assertLabelled(page);
  await page.getByLabel('Approval limit (optional)').fill('20.00');
  await shot(page, 'group-settings');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.waitForURL('**/business/organization');
  await page.getByText('approval limit').first().waitFor();

  // An order above the limit waits; the administrator finds it and approves it.
  const placed = await o.place(o.body('e2e-1', [line('1', 3, { asin: o.products.pen.asin })]));
  assert.equal(placed.statusCode, 200, placed.body);
  await page.getByRole('link', { name: 'Orders' }).first().click();
  await page.getByText('1 waiting for your approval').waitFor();
  const order = (await app.services.purchasing.findByExternalId(o.business.id, 'e2e-1'))!;
  await page.getByRole('link', { name: order.orderIdentifier }).click();
  await page.getByText('This order waits for an administrator').waitFor();
  await shot(page, 'waiting');
  await page.getByRole('button', { name: 'Approve order' }).click();
  await page.getByText(`Order ${order.orderIdentifier} was approved.`).waitFor();
  await shot(page, 'approved');
  assert.equal((await app.services.purchasing.get(order.id)).status, 'PENDING');
});

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { buildTestApp, unique } from '../../support/app.ts';
import { PageClient, signIn, textOf } from '../../support/pages.ts';
import { makeApprovedDeveloper, makePublishedApp } from '../../support/world.ts';
import { startWebhook } from './receivers.ts';

// The portal: a webhook destination added on the app's notices page (its signing secret shown
// once), a test notice, the Rotate secret button delivering the same notice as the API, the
// delivery log on the developer's page and on the operator console's app page.

test('portal: add a webhook, test it, rotate with the button; the log shows on both sides', async () => {
  const app = await buildTestApp({ noticePollMs: 50 });
  const hook = await startWebhook();
  after(() => hook.close());
  const dev = await makeApprovedDeveloper(app);
  const { app: client } = await makePublishedApp(app, dev.id);
  const portal = new PageClient(app);
  assert.equal((await signIn(portal, '/portal', { email: dev.email, password: 'developer-password' })).status, 303);

  const detail = await portal.get(`/portal/apps/${client.id}`);
  assert.match(textOf(detail.body), /No destination: rotateApplicationClientSecret answers 400/);
  const bad = await portal.submit(`/portal/apps/${client.id}/notices`, `/portal/apps/${client.id}/notices`, {
    type: 'webhook',
    url: 'ftp://x.test/',
  });
  assert.equal(bad.status, 400);
  const added = await portal.submit(`/portal/apps/${client.id}/notices`, `/portal/apps/${client.id}/notices`, {
    type: 'webhook',
    url: hook.url,
  });
  assert.equal(added.status, 201, added.body);
  const secret = /id="signing-secret">([^<]+)</.exec(added.body)?.[1];
  assert.match(secret ?? '', /^bzwh_/);
  const again = await portal.get(`/portal/apps/${client.id}/notices`);
  assert.ok(!again.body.includes(secret!), 'shown once');
  const testAction = /action="(\/portal\/apps\/[^"]+\/test)"/.exec(again.body)![1]!;
  assert.equal((await portal.submit(`/portal/apps/${client.id}/notices`, testAction, {})).status, 303);
  const first = await hook.waitFor(1);
  assert.equal(JSON.parse(first.body).notificationType, 'CLIENT_SECRET_NOTICE_TEST');

  assert.equal((await portal.submit(`/portal/apps/${client.id}/credentials`, `/portal/apps/${client.id}/rotate-secret`, {})).status, 303);
  const second = await hook.waitFor(2);
  const [, t, v1] = /^t=(\d+),v1=(\w+)$/.exec(String(second.headers['x-bizapi-signature']))!;
  assert.equal(v1, createHmac('sha256', secret!).update(`${t}.${second.body}`).digest('hex'));
  assert.equal(JSON.parse(second.body).notificationType, 'CLIENT_SECRET_ROTATION');

  let log = '';
  for (let i = 0; i < 100 && !/CLIENT_SECRET_ROTATION[\s\S]*delivered/.test(log); i++) {
    log = textOf((await portal.get(`/portal/apps/${client.id}/notices`)).body);
    await new Promise((r) => setTimeout(r, 20));
  }
  assert.match(log, /CLIENT_SECRET_ROTATION .* delivered .* HTTP 200/);

  const key = await app.services.operators.createAdminKey(`ops-${unique()}`);
  const console = new PageClient(app);
  await signIn(console, '/console', { key });
  const page = textOf((await console.get(`/console/apps/${client.id}`)).body);
  assert.match(page, /Client secret notices .*CLIENT_SECRET_ROTATION/);
  assert.ok(!page.includes('amzn1.oa2-cs'), 'no secret on the console');
});

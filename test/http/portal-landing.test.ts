import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp, dbKind } from '../support/app.ts';
import { DEMO, seedDemo } from '../../src/modules/demo/demo.ts';
import { PageClient, signIn, textOf } from '../support/pages.ts';

test('landing page links the three parts of the portal and the demo consent URL', async () => {
  const app = await buildTestApp();
  await seedDemo(app.ctx, app.services);
  const res = await app.server.inject({ method: 'GET', url: '/' });
  assert.equal(res.statusCode, 200);
  assert.match(String(res.headers['content-type']), /text\/html/);
  for (const href of ['/portal', '/business', '/console']) assert.match(res.body, new RegExp(`href="${href}"`));
  // Absolute, on the host the page was reached on (no PUBLIC_URL here).
  assert.match(res.body, /href="http:\/\/localhost:80\/b2b\/abws\/oauth\?applicationId=amzn1\.sp\.solution\.[^"]+&amp;redirect_uri=/);
  assert.match(textOf(res.body), new RegExp(DEMO.users.admin.email));

  if (dbKind === 'sqlite') {
    // A database of its own without the demo world (PostgreSQL runs share one database).
    const plain = await buildTestApp();
    const noDemo = await plain.server.inject({ method: 'GET', url: '/' });
    assert.match(textOf(noDemo.body), /\/b2b\/abws\/oauth\?applicationId=…/);
  }
});

test('portal pages render HTML errors: unknown pages and objects are 404 pages', async () => {
  const app = await buildTestApp();
  await seedDemo(app.ctx, app.services);
  const client = new PageClient(app);
  await signIn(client, '/portal', { email: DEMO.developer.email, password: DEMO.developer.password });
  const missing = await client.get('/portal/no-such-page');
  assert.equal(missing.status, 404);
  assert.match(String(missing.headers['content-type']), /text\/html/);
  assert.match(textOf(missing.body), /There is no such page/);
  const noApp = await client.get('/portal/apps/app_missing');
  assert.equal(noApp.status, 404);
  assert.match(textOf(noApp.body), /Not found/);
  const demoApps = textOf((await client.get('/portal/apps')).body);
  assert.match(demoApps, new RegExp(DEMO.app.name));
});

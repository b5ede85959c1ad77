import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Fastify from 'fastify';
import { buildTestApp, dbKind, unique } from '../support/app.ts';
import { PageClient, signIn, textOf } from '../support/pages.ts';
import { makeApprovedDeveloper, makeBusiness, makePublishedApp } from '../support/world.ts';
import { seedDemo } from '../../src/modules/demo/demo.ts';
import { productSearchApi } from '../../src/apis/product-search/index.ts';
import { docsPages, listDocs, renderDoc, rewriteDocLink } from '../../src/modules/portal/docs.ts';
import { API_NAMES } from '../../src/modules/registry/index.ts';

const PASSWORD = 'developer-password';

async function developerClient(app: Awaited<ReturnType<typeof buildTestApp>>) {
  const dev = await makeApprovedDeveloper(app, ['Business Product Catalog', 'Amazon Business Analytics']);
  const client = new PageClient(app);
  assert.equal((await signIn(client, '/portal', { email: dev.email, password: PASSWORD })).status, 303);
  return { client, dev };
}

test('docs: /docs lists the docs folder and the README; a document renders with its contents and links between documents', async () => {
  const app = await buildTestApp();
  const index = await app.server.inject({ method: 'GET', url: '/docs' });
  assert.equal(index.statusCode, 200);
  assert.match(String(index.headers['content-type']), /text\/html/);
  const onDisk = fs.readdirSync('docs').filter((f) => f.endsWith('.md'));
  assert.ok(onDisk.length > 10);
  for (const f of onDisk) assert.match(index.body, new RegExp(`href="/docs/${f.slice(0, -3)}"`), f);
  assert.match(index.body, /href="\/docs\/readme"/);

  const gateway = await app.server.inject({ method: 'GET', url: '/docs/gateway' });
  assert.equal(gateway.statusCode, 200);
  assert.match(gateway.body, /<h1 id="the-api-gateway">The API gateway<\/h1>/);
  assert.match(gateway.body, /<nav class="toc" aria-label="Contents">.*href="#marketplaces"/s, 'a table of contents of the sections');
  assert.match(gateway.body, /<h2 id="marketplaces">Marketplaces<\/h2>/);
  // `docs/sandbox.md` written as code, and links to other documents, point at their pages.
  assert.match(gateway.body, /<a href="\/docs\/sandbox"><code>docs\/sandbox.md<\/code><\/a>/);
  assert.match(gateway.body, /href="\/docs\/operations"/);
  const portal = await app.server.inject({ method: 'GET', url: '/docs/portal.md' });
  assert.equal(portal.statusCode, 200, 'the .md name is accepted too');
  assert.match(portal.body, /href="\/docs\/authorization"/, 'a relative link to authorization.md is rewritten');
  const readme = await app.server.inject({ method: 'GET', url: '/docs/readme' });
  assert.equal(readme.statusCode, 200);
  assert.match(readme.body, /href="\/docs\/configuration"/);
});

test('docs: unknown names and path traversal answer a 404 page; nothing outside the docs is read', async () => {
  const app = await buildTestApp();
  for (const url of [
    '/docs/no-such-doc',
    '/docs/..%2Fpackage.json',
    '/docs/..%2F..%2Fetc%2Fpasswd',
    '/docs/%2e%2e%2fREADME',
    '/docs/..%2F..%2FREADME.md',
    '/docs/.env',
    '/docs/package',
  ]) {
    const res = await app.server.inject({ method: 'GET', url });
    assert.equal(res.statusCode, 404, url);
    assert.match(String(res.headers['content-type']), /text\/html/, url);
    assert.match(textOf(res.body), /No such document|no such page|Not found/i, url);
    assert.doesNotMatch(res.body, /"name": "bizapi"|root:x:0/, url);
  }
  // A NUL byte is refused before any route (the server's own guard).
  const nul = await app.server.inject({ method: 'GET', url: '/docs/README.md%00' });
  assert.equal(nul.statusCode, 400);
});

test('docs: Markdown is rendered without raw HTML and without script links; docs are found from the package', async () => {
  const known = new Set(['gateway', 'readme']);
  const { body } = renderDoc(
    '# T\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[x](javascript:alert(1)) [y](data:text/html,hi) [g](gateway.md#on-the-wire) [r](../README.md) [e](https://example.com/a.md)',
    known,
  );
  assert.doesNotMatch(body, /<script|<img|href="javascript:|href="data:/);
  assert.match(body, /&lt;script&gt;/);
  assert.match(body, /href="\/docs\/gateway#on-the-wire"/);
  assert.match(body, /href="\/docs\/readme"/);
  assert.match(body, /href="https:\/\/example.com\/a.md"/, 'links elsewhere are kept');
  assert.equal(rewriteDocLink('docs/unknown.md', known), 'docs/unknown.md');

  // A package root of its own: only its docs are listed and served.
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bizapi-docs-'));
  fs.mkdirSync(path.join(root, 'docs'));
  fs.writeFileSync(path.join(root, 'docs', 'only.md'), '# Only one\n\nThe one document.\n');
  fs.writeFileSync(path.join(root, 'docs', 'Bad Name.md'), '# skipped\n');
  assert.deepEqual(
    listDocs(root).map((d) => [d.name, d.title, d.summary]),
    [['only', 'Only one', 'The one document.']],
  );
  const server = Fastify();
  docsPages(server, { root });
  assert.equal((await server.inject({ method: 'GET', url: '/docs/only' })).statusCode, 200);
  assert.equal((await server.inject({ method: 'GET', url: '/docs/gateway' })).statusCode, 404);
  await server.close();
  fs.rmSync(root, { recursive: true, force: true });
});

test('every page links the favicon and the docs; the favicon is served', async () => {
  const app = await buildTestApp();
  for (const url of ['/favicon.svg', '/favicon.ico']) {
    const icon = await app.server.inject({ method: 'GET', url });
    assert.equal(icon.statusCode, 200, url);
    assert.equal(icon.headers['content-type'], 'image/svg+xml');
    assert.match(icon.body, /^<svg /);
  }
  for (const url of ['/', '/portal/signin', '/business/signin', '/console/signin', '/docs', '/b2b/abws/oauth?applicationId=x']) {
    const res = await app.server.inject({ method: 'GET', url });
    assert.match(res.body, /<link rel="icon" href="\/favicon.svg"/, url);
    assert.match(res.body, /<footer class="site">.*href="\/docs"/s, url);
  }
  const home = await app.server.inject({ method: 'GET', url: '/' });
  assert.doesNotMatch(textOf(home.body), /docs folder/);
});

test('home page: which APIs are live on production and which answer from the sandbox only, from the bound APIs', async () => {
  const all = await buildTestApp();
  const home = textOf((await all.server.inject({ method: 'GET', url: '/' })).body);
  assert.match(home, new RegExp(`${API_NAMES.length} of ${API_NAMES.length} APIs are live`));
  if (dbKind !== 'sqlite') return; // a second app on one PostgreSQL database is not needed for this check
  const one = await buildTestApp({}, { apiModules: [productSearchApi] });
  const res = await one.server.inject({ method: 'GET', url: '/' });
  const text = textOf(res.body);
  assert.match(text, new RegExp(`1 of ${API_NAMES.length} APIs are live`));
  assert.match(text, /Product Search \(2020-08-26\) Business Product Catalog Live/);
  assert.match(text, /Ordering \(2022-10-30\) Amazon Business Order Placement Sandbox only production answers 501 \d+ canned answers/);
});

test('app page, production: How to call shows the token URL, the base URLs, the headers and a first-call command; the consent URL is absolute', async () => {
  const app = await buildTestApp({ publicUrl: 'https://bizapi.example.test/' });
  const { client, dev } = await developerClient(app);
  const { app: prod } = await app.services.apps.create(dev.id, {
    name: `Prod ${unique()}`,
    type: 'production',
    visibility: 'public',
    roles: ['Business Product Catalog'],
    redirectUris: ['https://x.example.com/cb'],
  });
  const page = await client.get(`/portal/apps/${prod.id}`);
  assert.equal(page.status, 200);
  const text = textOf(page.body);
  assert.match(page.body, /<code id="token-url">https:\/\/bizapi.example.test\/auth\/o2\/token<\/code>/);
  for (const prefix of ['/na', '/eu', '/jp']) assert.match(page.body, new RegExp(`<code>https://bizapi.example.test${prefix}</code>`));
  assert.doesNotMatch(page.body, /bizapi.example.test\/sandbox\//, 'only the base URLs of the app’s environment');
  assert.match(text, /x-amz-access-token/);
  assert.match(text, /x-amz-user-email : the email of an active user of the business that authorized the app, on searchProductsRequest/);
  assert.match(page.body, /id="consent-url"/);
  assert.match(page.body, /href="https:\/\/bizapi.example.test\/b2b\/abws\/oauth\?applicationId=/);
  const script = /<pre class="code" id="first-call"[^>]*><code>([\s\S]*?)<\/code><\/pre>/.exec(page.body)?.[1];
  assert.ok(script, 'the first-call command is on the page');
  const cmd = textOf(script);
  assert.match(cmd, new RegExp(`CLIENT_ID='${prod.clientId}'`));
  assert.match(cmd, /CLIENT_SECRET='<client secret: shown once/);
  assert.match(cmd, /REFRESH_TOKEN='<refresh token: from the authorization code exchange/);
  assert.match(cmd, /curl -s -X POST 'https:\/\/bizapi.example.test\/auth\/o2\/token'/);
  assert.match(
    cmd,
    /curl -s 'https:\/\/bizapi.example.test\/na\/products\/2020-08-26\/products\?keywords=pen&productRegion=US&locale=en_US'/,
  );
  // With the demo world (seeded here; PostgreSQL runs share one database where other files seed it
  // too), the demo buyer is the email of the command until a business authorized the app.
  await seedDemo(app.ctx, app.services);
  const demoPage = await client.get(`/portal/apps/${prod.id}`);
  assert.match(demoPage.body, /-H &#39;x-amz-user-email: buyer@demo-industries.test&#39;/);
  assert.match(textOf(demoPage.body), /The demo business’s users \(local use only\): admin@demo-industries.test/);
  // Authorized by another business: its users are not the page's to name, so the email is a placeholder.
  const world = await makeBusiness(app);
  const published = await makePublishedApp(app, dev.id);
  await app.services.oauth.authorizeOnBehalf({
    applicationId: published.app.applicationId,
    adminEmail: world.admin.email,
    marketplace: 'UK',
  });
  const authorized = await client.get(`/portal/apps/${published.app.id}`);
  const authorizedCmd = textOf(/id="first-call"[^>]*><code>([\s\S]*?)<\/code>/.exec(authorized.body)![1]!);
  assert.match(authorizedCmd, /-H 'x-amz-user-email: <email of an active user of the business that authorized the app>'/);
  assert.match(
    authorizedCmd,
    /'https:\/\/bizapi.example.test\/eu\/products\/2020-08-26\/products\?keywords=pen&productRegion=UK&locale=en_GB'/,
    'the base URL and store of the marketplace that authorized the app',
  );
  assert.doesNotMatch(authorized.body, new RegExp(world.buyer.email), 'no user of that business is shown');
});

test('app page, sandbox and private apps: a status that means something, the canned answers and Try it', async () => {
  const app = await buildTestApp();
  const { client, dev } = await developerClient(app);
  const { app: sbx, clientSecret } = await app.services.apps.create(dev.id, {
    name: `Sbx ${unique()}`,
    type: 'sandbox',
    visibility: 'public',
    roles: ['Business Product Catalog'],
    redirectUris: ['https://x.example.com/cb'],
  });
  const { app: priv } = await app.services.apps.create(dev.id, {
    name: `Priv ${unique()}`,
    type: 'production',
    visibility: 'private',
    roles: ['Business Product Catalog'],
    redirectUris: ['https://x.example.com/cb'],
  });
  const privText = textOf((await client.get(`/portal/apps/${priv.id}`)).body);
  assert.match(privText, /Private: ready/);
  assert.doesNotMatch(privText, /\bDraft\b/);
  const list = textOf((await client.get('/portal/apps')).body);
  assert.match(list, /Sandbox: ready/);
  assert.match(list, /Private: ready/);

  const page = await client.get(`/portal/apps/${sbx.id}`);
  const text = textOf(page.body);
  assert.match(text, /Sandbox: ready/);
  assert.match(page.body, /<code>http:\/\/localhost:80\/sandbox\/na<\/code>/);
  assert.match(text, /Sandbox answers/);
  assert.match(text, /searchProductsRequest/);
  assert.match(text, /keywords = keyword/, 'the canned values of each operation');
  const cmd = textOf(/id="first-call"[^>]*><code>([\s\S]*?)<\/code>/.exec(page.body)![1]!);
  assert.match(cmd, /REFRESH_TOKEN='<refresh token: from Create token/);
  assert.match(
    cmd,
    /'http:\/\/localhost:80\/sandbox\/na\/products\/2020-08-26\/products\?productRegion=US&locale=en_US&facets=OFFERS&keywords=keyword'/,
  );

  const credentials = await client.get(`/portal/apps/${sbx.id}/credentials`);
  assert.match(
    credentials.body,
    /<code>http:\/\/localhost:80\/auth\/o2\/token<\/code> <a href="\/portal\/apps\/[^"]+#how-to-call">How to call this app<\/a>/,
  );

  // Try it: the typed secrets are exchanged and the canned request answered on the page.
  const { refreshToken } = await app.services.oauth.createSandboxToken(dev.id, sbx.id, 'NA');
  const missing = await client.submit(`/portal/apps/${sbx.id}`, `/portal/apps/${sbx.id}/try`, {
    scenario: 'searchProductsRequest#1',
    clientSecret: '',
    refreshToken: '',
  });
  assert.equal(missing.status, 400);
  assert.match(missing.body, /id="f-try-clientSecret"[^>]*aria-invalid="true"[^>]*autofocus/);
  const wrong = await client.submit(`/portal/apps/${sbx.id}`, `/portal/apps/${sbx.id}/try`, {
    scenario: 'searchProductsRequest#1',
    clientSecret: 'amzn1.oa2-cs.v1.wrong',
    refreshToken,
  });
  assert.equal(wrong.status, 400);
  assert.match(textOf(wrong.body), /not one of this app’s live secrets/);
  assert.equal(wrong.body.includes(refreshToken), false, 'a typed refresh token is never echoed');
  const tried = await client.submit(`/portal/apps/${sbx.id}`, `/portal/apps/${sbx.id}/try`, {
    scenario: 'searchProductsRequest#1',
    clientSecret,
    refreshToken,
  });
  assert.equal(tried.status, 200);
  const result = textOf(tried.body);
  assert.match(result, /HTTP 200/);
  assert.match(result, /GET http:\/\/localhost:80\/sandbox\/na\/products\/2020-08-26\/products\?productRegion=US/);
  assert.match(result, /"matchingProductCount": 4/);
  assert.match(result, /x-amzn-RequestId:/);
  assert.equal(tried.body.includes(refreshToken) || tried.body.includes(clientSecret), false, 'the secrets are not on the page');
  // The exchange is audited, with no token or secret in the entry.
  const entries = await app.ctx.db.kysely
    .selectFrom('audit_log')
    .selectAll()
    .where('action', '=', 'portal.try_it.access_token')
    .where('subject_id', '=', sbx.id)
    .execute();
  assert.equal(entries.length, 1);
  assert.equal(JSON.stringify(entries[0]).includes(refreshToken) || JSON.stringify(entries[0]).includes(clientSecret), false);
  const foreign = await client.submit(`/portal/apps/${sbx.id}`, `/portal/apps/${sbx.id}/try`, {
    scenario: 'placeOrder#1',
    clientSecret,
    refreshToken,
  });
  assert.equal(foreign.status, 400, 'only operations the app’s roles open');
  const onProduction = await client.submit(`/portal/apps/${priv.id}`, `/portal/apps/${priv.id}/try`, {
    scenario: 'searchProductsRequest#1',
    clientSecret,
    refreshToken,
  });
  assert.equal(onProduction.status, 409);
});

test('TPS and privileged-field forms: errors are shown at the form and the first field in error takes the focus', async () => {
  const app = await buildTestApp();
  const { client, dev } = await developerClient(app);
  const { app: prod } = await app.services.apps.create(dev.id, {
    name: 'Focus',
    type: 'production',
    visibility: 'public',
    roles: ['Business Product Catalog'],
    redirectUris: ['https://x.example.com/cb'],
  });
  const tps = await client.submit(`/portal/apps/${prod.id}`, `/portal/apps/${prod.id}/tps-requests`, {
    operation: 'searchProductsRequest',
    rate: 'fast',
    burst: '',
    reason: '',
  });
  assert.equal(tps.status, 400);
  assert.match(tps.body, /<input id="f-tps-rate"[^>]*aria-invalid="true"[^>]*autofocus>/, 'the first field in error takes the focus');
  assert.equal((tps.body.match(/ autofocus/g) ?? []).length, 1, 'one element has the focus');
  const summary = tps.body.indexOf('There is a problem');
  assert.ok(
    summary > tps.body.indexOf('id="tps"') && summary < tps.body.indexOf('action="/portal/apps/'.concat(prod.id, '/tps-requests"')),
    'the summary is at the form',
  );
  const fields = await client.submit(`/portal/apps/${prod.id}`, `/portal/apps/${prod.id}/field-requests`, { reason: '' });
  assert.equal(fields.status, 400);
  assert.match(fields.body, /<input type="checkbox" id="f-fields-fields-0"[^>]*autofocus>/);
  assert.equal((fields.body.match(/ autofocus/g) ?? []).length, 1);
});

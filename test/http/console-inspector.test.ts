import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp, unique, type TestApp } from '../support/app.ts';
import { isolatedDatabase } from '../support/isolated.ts';
import { csrfOf, PageClient, signIn, textOf } from '../support/pages.ts';
import { gatewayWorld, PROBE, probeUrl } from '../support/gateway.ts';
import { makeApprovedDeveloper, makeBusiness } from '../support/world.ts';
import { orderingWorld } from '../support/ordering.ts';

// The operator console's request inspector, clock and fault pages, the confirmations of Suspend and
// Revoke, and the API reference page (Swagger UI over /openapi.json, with a token for a developer's app).

async function operatorClient(app: TestApp) {
  const key = await app.services.operators.createAdminKey(`ops-${unique()}`);
  const client = new PageClient(app);
  assert.equal((await signIn(client, '/console', { key })).status, 303);
  return client;
}

const call = (app: TestApp, token: string, prefix = '/na') =>
  app.server.inject({ method: 'GET', url: probeUrl(prefix), headers: { 'x-amz-access-token': token } });

test('inspector: calls newest first with filters, the gateway decision in the detail, bodies redacted', async () => {
  const app = await (await isolatedDatabase()).build({ requestLogBodies: true, requestLogBodyMaxBytes: 4096 });
  const world = await gatewayWorld(app);
  const ok = await world.tokenFor([PROBE.role]);
  const noRole = await world.tokenFor(['Business Product Catalog']);
  assert.equal((await call(app, ok.accessToken)).statusCode, 200);
  assert.equal((await call(app, noRole.accessToken)).statusCode, 403);
  assert.equal((await call(app, ok.accessToken, '/eu')).statusCode, 403);
  const ops = await operatorClient(app);

  const list = await ops.get('/console/requests');
  assert.equal(list.status, 200);
  const rows = [...list.body.matchAll(/<tr data-id="(\d+)"/g)].map((m) => Number(m[1]));
  assert.ok(rows.length >= 3);
  assert.deepEqual(
    rows,
    [...rows].sort((a, b) => b - a),
    'newest first',
  );
  assert.match(textOf(list.body), /Role/);
  assert.match(list.body, /src="\/console\/assets\/requests.js"/);

  // Filters: app, status class, operation, business, time range; a bad filter is an error at the form.
  const byApp = textOf((await ops.get(`/console/requests?app=${noRole.client.id}`)).body);
  assert.match(byApp, /1 calls/);
  assert.match(byApp, /403/);
  const ok2xx = await ops.get(`/console/requests?status=2xx&operation=${PROBE.operationId}`);
  assert.equal([...ok2xx.body.matchAll(/<tr data-id=/g)].length, 1);
  const byBusiness = await ops.get(`/console/requests?business=${world.business.id}&status=403`);
  assert.equal([...byBusiness.body.matchAll(/<tr data-id=/g)].length, 2);
  const future = await ops.get(`/console/requests?since=${new Date(app.clock.now() + 3600_000).toISOString().slice(0, 16)}`);
  assert.match(textOf(future.body), /No calls match these filters/);
  const bad = await ops.get('/console/requests?status=abc&since=yesterday');
  assert.equal(bad.status, 400);
  assert.match(bad.body, /id="f-rq-status-error"/);
  assert.match(bad.body, /id="f-rq-since-error"/);
  assert.match(bad.body, /aria-invalid="true"/);
  assert.doesNotMatch(bad.body, /assets\/requests\.js/, 'no live updates for filters that cannot be read');

  // The detail of the refused call: the refusing check, why, and no bucket drawn; the token is redacted.
  const refusedId = /<tr data-id="(\d+)"/.exec((await ops.get(`/console/requests?app=${noRole.client.id}`)).body)![1];
  const detail = await ops.get(`/console/requests/${refusedId}`);
  assert.equal(detail.status, 200);
  const text = textOf(detail.body);
  assert.match(text, /Refused by Role/);
  assert.match(text, new RegExp(`${PROBE.operationId} needs the role ${PROBE.role}; the token has Business Product Catalog`));
  assert.match(text, /None drawn/);
  assert.doesNotMatch(detail.body, new RegExp(noRole.accessToken.replace(/[|]/g, '\\|')), 'the access token is never shown');
  assert.match(text, /x-amz-access-token/);
  const wrongRegion = await ops.get(`/console/requests?app=${ok.client.id}&status=403`);
  const regionId = /<tr data-id="(\d+)"/.exec(wrongRegion.body)![1];
  assert.match(
    textOf((await ops.get(`/console/requests/${regionId}`)).body),
    /Refused by Region and environment .*region NA; the call came to production in region EU/,
  );
  const okId = /<tr data-id="(\d+)"/.exec((await ops.get(`/console/requests?app=${ok.client.id}&status=200`)).body)![1];
  const okText = textOf((await ops.get(`/console/requests/${okId}`)).body);
  assert.match(okText, /Every check passed/);
  assert.match(okText, new RegExp(`Usage-plan bucket ${ok.client.id}\\|${world.business.id}\\|${PROBE.operationId}`));
  assert.equal((await ops.get('/console/requests/999999999')).status, 404);
  assert.equal((await ops.get('/console/requests/abc')).status, 404);

  // Live updates: rows after the newest shown, rendered and escaped by the server.
  const newest = rows[0]!;
  const none = await ops.get(`/console/requests.json?after=${newest}`);
  assert.equal(none.status, 200);
  assert.deepEqual(JSON.parse(none.body), { after: newest, count: 0, rows: [] });
  assert.equal((await call(app, 'Atza|<script>nope')).statusCode, 403);
  const fresh = JSON.parse((await ops.get(`/console/requests.json?after=${newest}`)).body) as {
    after: number;
    count: number;
    rows: string[];
  };
  assert.equal(fresh.count, 1);
  assert.ok(fresh.after > newest);
  assert.match(fresh.rows[0]!, /Access token/);
  assert.equal((await ops.get('/console/requests.json')).status, 400);
  const script = await ops.get('/console/assets/requests.js');
  assert.equal(script.status, 200);
  assert.match(String(script.headers['content-type']), /javascript/);
});

test('inspector: links from the app, business and order pages; only operators see it', async () => {
  const app = await buildTestApp();
  const world = await gatewayWorld(app);
  const t = await world.tokenFor([PROBE.role]);
  const ops = await operatorClient(app);
  assert.match((await ops.get(`/console/apps/${t.client.id}`)).body, new RegExp(`href="/console/requests\\?app=${t.client.id}"`));
  assert.match(
    (await ops.get(`/console/businesses/${world.business.id}`)).body,
    new RegExp(`href="/console/requests\\?business=${world.business.id}"`),
  );
  const anonymous = new PageClient(app);
  for (const url of ['/console/requests', '/console/requests.json?after=0', '/console/requests/1', '/console/emulator']) {
    const res = await anonymous.get(url);
    assert.equal(res.status, 303, url);
    assert.match(res.location ?? '', /^\/console\/signin/);
  }
  const dev = await makeApprovedDeveloper(app);
  const devSession = await app.services.operators.createSession('developer', dev.id);
  const res = await app.server.inject({ url: '/console/requests', headers: { cookie: `bizapi_op=${devSession.token}` } });
  assert.equal(res.statusCode, 303, 'a developer session does not open the inspector');
});

test('clock and faults: the forms move the clock and manage rules with audit entries; errors at the form; CSRF refused', async () => {
  const app = await (await isolatedDatabase()).build();
  const world = await gatewayWorld(app);
  const t = await world.tokenFor([PROBE.role]);
  const ops = await operatorClient(app);
  const page = await ops.get('/console/emulator');
  assert.equal(page.status, 200);
  assert.match(textOf(page.body), /Virtual clock .*on the wall clock/);

  // Errors stay at the form, with the value kept.
  const bad = await ops.post('/console/emulator/clock', { csrf: csrfOf(page.body), action: 'advance', by: 'soon' });
  assert.equal(bad.status, 400);
  assert.match(bad.body, /id="f-clock-advance-by-error"/);
  assert.match(bad.body, /value="soon"/);
  assert.match(bad.body, /src="\/console\/assets\/console.js"/);
  const badSet = await ops.post('/console/emulator/clock', { csrf: csrfOf(page.body), action: 'set', at: '31/12/2026' });
  assert.equal(badSet.status, 400);
  assert.match(badSet.body, /id="f-clock-set-at-error"/);
  // A forged form changes nothing.
  const forged = await ops.post('/console/emulator/clock', { csrf: 'forged', action: 'advance', by: '1h' });
  assert.equal(forged.status, 403);
  assert.equal(app.clock.offset, 0);

  // Advance past the access token's hour: the next call is refused as expired, and the inspector says why.
  assert.equal((await call(app, t.accessToken)).statusCode, 200);
  const moved = await ops.submit('/console/emulator', '/console/emulator/clock', { action: 'advance', by: '1h1m' });
  assert.equal(moved.status, 303);
  assert.ok(Math.abs(app.clock.offset - 3_660_000) < 1000, `offset ${app.clock.offset}`);
  const expired = await call(app, t.accessToken);
  assert.equal(expired.statusCode, 403);
  assert.match(expired.body, /has expired/);
  const refused = await ops.get(`/console/requests?app=${t.client.id}&status=403`);
  const id = /<tr data-id="(\d+)"/.exec(refused.body)![1];
  assert.match(textOf((await ops.get(`/console/requests/${id}`)).body), /Refused by Access token expired/);

  // (Sessions follow the platform clock too: a time within the operator's session.)
  const target = new Date(Math.ceil((app.clock.now() + 2 * 3600_000) / 60_000) * 60_000).toISOString().slice(0, 16);
  const set = await ops.submit('/console/emulator', '/console/emulator/clock', { action: 'set', at: target });
  assert.equal(set.status, 303);
  assert.equal(new Date(app.clock.now()).toISOString().slice(0, 16), target);
  assert.equal((await ops.submit('/console/emulator', '/console/emulator/clock', { action: 'reset' })).status, 303);
  assert.ok(Math.abs(app.clock.offset) < 1000);
  const audit = textOf((await ops.get('/console/audit?subject=platform')).body);
  for (const action of ['emulator.clock.advance', 'emulator.clock.set', 'emulator.clock.reset'])
    assert.match(audit, new RegExp(action.replace(/\./g, '\\.')));

  // Fault rules: validation at the form (the service's rules), then add and remove with audit entries.
  const noEffect = await ops.submit('/console/emulator', '/console/emulator/faults', { operation: PROBE.operationId });
  assert.equal(noEffect.status, 400);
  assert.match(noEffect.body, /id="f-fault-status-error"/);
  assert.match(textOf(noEffect.body), /needs a status, a latency, or both/);
  const tooSlow = await ops.submit('/console/emulator', '/console/emulator/faults', { latencyMs: '999999' });
  assert.equal(tooSlow.status, 400);
  assert.match(tooSlow.body, /id="f-fault-latencyMs-error"/);
  const notNumber = await ops.submit('/console/emulator', '/console/emulator/faults', { status: '503', count: 'two' });
  assert.equal(notNumber.status, 400);
  assert.match(notNumber.body, /id="f-fault-count-error"/);
  assert.equal((await ops.post('/console/emulator/faults', { csrf: 'forged', status: '503' })).status, 403);
  assert.equal((await app.emulator.faults!.list()).length, 0);

  const added = await ops.submit('/console/emulator', '/console/emulator/faults', {
    operation: PROBE.operationId,
    appId: t.client.id,
    status: '503',
    count: '1',
    note: 'console test',
  });
  assert.equal(added.status, 303);
  const [rule] = await app.emulator.faults!.list();
  assert.ok(rule);
  assert.equal(rule.appId, t.client.id);
  const fresh = await world.tokenFor([PROBE.role]);
  assert.equal((await call(app, fresh.accessToken)).statusCode, 200, 'another app is not faulted');
  const t2 = await app.services.oauth.refresh({ clientId: t.client.clientId, clientSecret: t.clientSecret, refreshToken: t.refreshToken });
  assert.equal((await call(app, t2.access_token)).statusCode, 503);
  const faulted = await ops.get(`/console/requests?app=${t.client.id}&status=503`);
  const faultedId = /<tr data-id="(\d+)"/.exec(faulted.body)![1];
  const faultText = textOf((await ops.get(`/console/requests/${faultedId}`)).body);
  assert.match(faultText, new RegExp(`Refused by Emulator fault rule .*${rule.id}`));
  assert.match(faultText, new RegExp(`Injected fault ${rule.id}`));
  const listed = await ops.get('/console/emulator');
  assert.match(listed.body, new RegExp(rule.id));
  const removed = await ops.submit('/console/emulator', `/console/emulator/faults/${rule.id}/remove`, {});
  assert.equal(removed.status, 303);
  assert.equal((await app.emulator.faults!.list()).length, 0);
  const faultAudit = textOf((await ops.get(`/console/audit?subject=${rule.id}`)).body);
  assert.match(faultAudit, /emulator\.fault\.create/);
  assert.match(faultAudit, /emulator\.fault\.remove/);
  assert.equal((await ops.submit('/console/emulator', '/console/emulator/faults/flt_nope/remove', {})).status, 404);
});

test('clock and faults: with emulator mode off, the page says so and the forms change nothing', async () => {
  const app = await buildTestApp({ emulator: false });
  const ops = await operatorClient(app);
  const page = await ops.get('/console/emulator');
  assert.equal(page.status, 200);
  assert.match(textOf(page.body), /Emulator mode is off/);
  const csrf = csrfOf(page.body);
  const res = await ops.post('/console/emulator/clock', { csrf, action: 'advance', by: '1h' });
  assert.equal(res.status, 409);
  assert.equal(app.clock.offset, 0);
});

test('Suspend app and Revoke ask for confirmation first', async () => {
  const app = await buildTestApp();
  const world = await gatewayWorld(app);
  const t = await world.tokenFor([PROBE.role]);
  const ops = await operatorClient(app);
  const appPage = await ops.get(`/console/apps/${t.client.id}`);
  assert.match(appPage.body, new RegExp(`<a class="button danger" href="/console/apps/${t.client.id}/suspend">Suspend app</a>`));
  assert.doesNotMatch(appPage.body, new RegExp(`action="/console/authorizations/[^"]+/revoke"`), 'no one-click revoke');
  const confirm = await ops.get(`/console/apps/${t.client.id}/suspend`);
  assert.equal(confirm.status, 200);
  assert.match(textOf(confirm.body), /Suspend .*\? Every refresh and access token/);
  assert.equal((await app.services.apps.get(t.client.id)).suspended, false, 'showing the question changes nothing');
  const done = await ops.submit(`/console/apps/${t.client.id}/suspend`, `/console/apps/${t.client.id}/suspension`, { suspended: 'on' });
  assert.equal(done.status, 303);
  assert.equal((await app.services.apps.get(t.client.id)).suspended, true);
  await app.services.apps.setSuspended('operator:test', t.client.id, false);

  const [auth] = await app.services.oauth.listAuthorizations({ appId: t.client.id });
  const back = `/console/businesses/${world.business.id}`;
  const businessPage = await ops.get(back);
  assert.match(businessPage.body, new RegExp(`href="/console/authorizations/${auth!.id}/revoke\\?back=`));
  const ask = await ops.get(`/console/authorizations/${auth!.id}/revoke?back=${encodeURIComponent(back)}`);
  assert.equal(ask.status, 200);
  assert.match(textOf(ask.body), /Revoke .* for .*\?/);
  assert.match(ask.body, new RegExp(`<input type="hidden" name="back" value="${back}">`));
  assert.equal((await app.services.oauth.listAuthorizations({ appId: t.client.id })).length, 1);
  const evil = await ops.get(`/console/authorizations/${auth!.id}/revoke?back=${encodeURIComponent('https://evil.example.com/')}`);
  assert.match(evil.body, /name="back" value="\/console"/);
  const revoked = await ops.post(`/console/authorizations/${auth!.id}/revoke`, { csrf: csrfOf(ask.body), back });
  assert.equal(revoked.status, 303);
  assert.equal(revoked.location, back);
  assert.equal((await app.services.oauth.listAuthorizations({ appId: t.client.id })).length, 0);
  assert.equal((await ops.get('/console/authorizations/auth_nope/revoke')).status, 404);
});

test('reference: Swagger UI from the package over /openapi.json; a signed-in developer gets a token for their app', async () => {
  const app = await buildTestApp();
  const anonymous = await app.server.inject({ url: '/reference' });
  assert.equal(anonymous.statusCode, 200);
  assert.match(anonymous.body, /<div id="swagger-ui" data-url="\/openapi.json" data-expansion="none">/);
  const one = await app.server.inject({ url: '/reference?api=cart' });
  assert.match(one.body, /data-url="\/openapi\/cart.json" data-expansion="list"/);
  assert.match(one.body, /<a href="\/reference\?api=cart" aria-current="page">Cart<\/a>/);
  assert.match((await app.server.inject({ url: '/reference?api=nope' })).body, /data-url="\/openapi.json"/);
  assert.match(
    anonymous.body,
    /<script src="\/reference\/assets\/swagger-ui-bundle.js" defer><\/script><script src="\/reference\/init.js" defer><\/script>/,
  );
  assert.doesNotMatch(anonymous.body, /<script>/, 'no inline script');
  assert.doesNotMatch(anonymous.body, /https?:\/\/(?!client\.)[a-z]/i, 'no external resource');
  const bundle = await app.server.inject({ url: '/reference/assets/swagger-ui-bundle.js' });
  assert.equal(bundle.statusCode, 200);
  assert.match(String(bundle.headers['content-type']), /javascript/);
  assert.ok(bundle.body.length > 100_000);
  assert.equal((await app.server.inject({ url: '/reference/assets/swagger-ui.css' })).statusCode, 200);
  assert.equal((await app.server.inject({ url: '/reference/assets/package.json' })).statusCode, 404);
  assert.equal((await app.server.inject({ url: '/reference/assets/..%2F..%2Fpackage.json' })).statusCode, 404);
  const init = await app.server.inject({ url: '/reference/init.js' });
  assert.match(init.body, /validatorUrl: null/);

  // A developer with an authorized app: the server exchanges its refresh token; the page is authorized with the result.
  const world = await makeBusiness(app);
  const dev = await makeApprovedDeveloper(app, undefined, world.business.id);
  const client = new PageClient(app);
  assert.equal((await signIn(client, '/portal', { email: dev.email, password: 'developer-password' })).status, 303);
  const { app: own, clientSecret } = await app.services.apps.create(dev.id, {
    name: 'Ref sandbox',
    type: 'sandbox',
    visibility: 'public',
    roles: ['Business Product Catalog'],
    redirectUris: ['https://client.example.com/cb'],
  });
  const { refreshToken } = await app.services.oauth.createSandboxToken(dev.id, own.id);
  const page = await client.get('/reference');
  assert.match(textOf(page.body), /Get an access token/);
  const wrong = await client.post('/reference/token', {
    csrf: csrfOf(page.body),
    app: own.id,
    client_secret: 'nope',
    refresh_token: refreshToken,
  });
  assert.equal(wrong.status, 400);
  assert.match(wrong.body, /id="f-ref-client_secret-error"/);
  assert.doesNotMatch(wrong.body, new RegExp(refreshToken.replace(/[|]/g, '\\|')), 'the refresh token is not echoed');
  const empty = await client.post('/reference/token', { csrf: csrfOf(page.body), app: own.id, client_secret: '', refresh_token: '' });
  assert.equal(empty.status, 400);
  assert.match(empty.body, /id="f-ref-refresh_token-error"/);
  const forged = await client.post('/reference/token', {
    csrf: 'forged',
    app: own.id,
    client_secret: clientSecret,
    refresh_token: refreshToken,
  });
  assert.equal(forged.status, 403);
  const other = await makeApprovedDeveloper(app);
  const { app: foreign } = await app.services.apps.create(other.id, {
    name: 'Not mine',
    type: 'sandbox',
    visibility: 'public',
    roles: ['Business Product Catalog'],
    redirectUris: ['https://client.example.com/cb'],
  });
  const notMine = await client.post('/reference/token', {
    csrf: csrfOf(page.body),
    app: foreign.id,
    client_secret: 'x',
    refresh_token: 'y',
  });
  assert.equal(notMine.status, 400);
  assert.match(notMine.body, /id="f-ref-app-error"/);

  const got = await client.post('/reference/token', {
    csrf: csrfOf(page.body),
    app: own.id,
    client_secret: clientSecret,
    refresh_token: refreshToken,
  });
  assert.equal(got.status, 200);
  const token = /data-token="([^"]+)"/.exec(got.body)![1]!.replace(/&#39;/g, "'").replace(/&amp;/g, '&');
  assert.match(token, /^Atza\|/);
  assert.equal(got.headers['cache-control'], 'no-store');
  const sandboxCall = await app.server.inject({
    url: '/sandbox/na/products/2020-08-26/products?productRegion=US&locale=en_US&keywords=laptop',
    headers: { 'x-amz-access-token': token },
  });
  assert.notEqual(sandboxCall.statusCode, 403, sandboxCall.body);
  const audit = await app.ctx.audit.list(app.ctx.db.kysely, { action: 'reference.access_token', subjectId: own.id });
  assert.equal(audit.length, 1);
  assert.equal(audit[0]!.actor, `developer:${dev.id}`);
  assert.doesNotMatch(JSON.stringify(audit), /Atza|Atzr/, 'no token in the audit log');
  // Without a session, the form is not offered and a post goes to sign-in.
  const noSession = await app.server.inject({
    method: 'POST',
    url: '/reference/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: 'app=x',
  });
  assert.equal(noSession.statusCode, 303);
});

test("inspector: an order's page links to its calls; a throttled call shows its empty bucket", async () => {
  const w = await orderingWorld();
  const { app } = w;
  const externalId = `ext-${unique()}`;
  const placed = await w.place(w.body(externalId));
  assert.equal(placed.statusCode, 200, placed.body);
  const order = (await app.services.purchasing.findByExternalId(w.business.id, externalId))!;
  const orderIdentifier = order.orderIdentifier;
  assert.equal((await w.details(order.externalId)).statusCode, 200);
  const ops = await operatorClient(app);
  const orderPage = await ops.get(`/console/orders/${order.id}`);
  const link = `/console/requests?order=${encodeURIComponent(orderIdentifier)}`;
  assert.ok(orderPage.body.includes(`href="${link}"`), 'the order page links to its calls');
  const calls = await ops.get(link);
  assert.equal([...calls.body.matchAll(/<tr data-id=/g)].length, 2, 'placeOrder and orderDetails');
  assert.match(textOf(calls.body), new RegExp(`Calls of order ${orderIdentifier}`));
  assert.match(textOf(calls.body), /placeOrder/);
  assert.match(textOf(calls.body), /orderDetails/);
  assert.equal([...(await ops.get('/console/requests?order=114-0000000-0000000')).body.matchAll(/<tr data-id=/g)].length, 0);

  // Throttled: a plan of burst 1, two calls at once.
  const t = await w.tokenFor([PROBE.role]);
  await app.services.reviews.setUsagePlan('test', t.client.id, PROBE.operationId, 0.5, 1);
  assert.equal((await call(app, t.accessToken)).statusCode, 200);
  assert.equal((await call(app, t.accessToken)).statusCode, 429);
  const throttled = await ops.get(`/console/requests?app=${t.client.id}&status=429`);
  const id = /<tr data-id="(\d+)"/.exec(throttled.body)![1];
  const text = textOf((await ops.get(`/console/requests/${id}`)).body);
  assert.match(text, /Refused by Usage plan \(throttled\)/);
  assert.match(text, /0\.5 requests\/s, burst 1; empty, next request allowed in \d+ ms/);
});

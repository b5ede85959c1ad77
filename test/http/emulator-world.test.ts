import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { buildApp } from '../../src/app.ts';
import { testConfig } from '../../src/config/config.ts';
import { VirtualClock } from '../../src/kernel/clock.ts';
import { DEMO } from '../../src/modules/demo/demo.ts';
import { buildTestApp, testDataDir, type TestApp } from '../support/app.ts';
import { isolatedDatabase } from '../support/isolated.ts';
import { adminClient } from '../support/http.ts';
import { cli } from '../support/emulator.ts';
import { gatewayWorld, PROBE, probeUrl, urlOf } from '../support/gateway.ts';
import { tokenRequest } from '../support/oauth.ts';
import { findOperation } from '../../src/modules/registry/index.ts';

const search = findOperation('searchProductsRequest')!;
const operator = (key: string) => ({ authorization: `Bearer ${key}` });
const json = (key: string) => ({ ...operator(key), 'content-type': 'application/json' });

test('reset empties the world, seeds the demo world again, and drops caches, buckets, faults and the clock offset', async () => {
  const app = await (await isolatedDatabase()).build({ seedDemo: true });
  const key = await app.services.operators.createAdminKey('reset-test');
  const admin = await adminClient(app);
  const emu = (method: 'GET' | 'POST', url: string, payload?: object) =>
    app.server.inject({ method, url: `/_emulator${url}`, headers: operator(key), ...(payload ? { payload } : {}) });
  assert.equal((await app.server.inject({ method: 'POST', url: '/_emulator/reset' })).statusCode, 401);

  // The demo app's token: its bucket key is the same after a reset (the demo ids are fixed).
  assert.equal((await emu('POST', '/reset')).statusCode, 200, 'reset on an empty database seeds the demo world');
  const demoApp = (await app.services.apps.list({ developerId: DEMO.developer.id }))[0]!;
  const authorize = () =>
    app.services.oauth.authorizeOnBehalf({ applicationId: demoApp.applicationId, adminEmail: DEMO.users.admin.email, marketplace: 'US' });
  const before = await authorize();
  const call = (token: string) =>
    app.server.inject({
      method: 'GET',
      url: urlOf(search, '/na', '?productRegion=US&locale=en_US&keywords=desk'),
      headers: { 'x-amz-access-token': token, 'x-amz-user-email': DEMO.users.requisitioner.email },
    });
  const statuses = [];
  for (let i = 0; i < 11; i++) statuses.push((await call(before.access_token)).statusCode);
  assert.equal(statuses.at(-1), 429, 'burst 10 used up');
  const w = await gatewayWorld(app);
  await admin('POST', '/faults', { status: 503 });
  await emu('POST', '/clock', { advanceSeconds: 3600 });
  assert.ok((await app.emulator.requestLog.count()) > 0);

  const reset = await emu('POST', '/reset');
  assert.equal(reset.statusCode, 200, reset.body);
  assert.deepEqual(reset.json(), { reset: true, seeded: true });
  assert.equal(await app.services.accounts.findBusiness(w.business.id), null, 'the test business is gone');
  assert.ok(await app.services.accounts.findBusiness(DEMO.businessId), 'the demo world is back');
  assert.equal(app.clock.offset, 0);
  assert.deepEqual((await admin('GET', '/faults')).body.faults, []);
  assert.equal(await app.emulator.requestLog.count(), 0);
  assert.notEqual(await app.services.operators.verifyAdminKey(key), null, 'operator keys survive a reset');
  const cached = await call(before.access_token);
  assert.equal(cached.statusCode, 403, 'the cached grant of a deleted token is gone');
  const after = await authorize();
  assert.notEqual((await call(after.access_token)).statusCode, 429, 'the buckets were reset');

  const empty = await emu('POST', '/reset', { seed: false });
  assert.deepEqual(empty.json(), { reset: true, seeded: false });
  assert.deepEqual(await app.services.accounts.listBusinesses(), []);
});

/** The answers of a world, to compare before a snapshot and after it is loaded elsewhere. */
async function answers(
  app: TestApp,
  key: string,
  w: {
    businessId: string;
    appId: string;
    clientId: string;
    clientSecret: string;
    refreshToken: string;
    accessToken: string;
    buyer: string;
    devEmail: string;
  },
) {
  const admin = (url: string) =>
    app.server.inject({ method: 'GET', url: `/admin/v1${url}`, headers: operator(key) }).then((r) => [r.statusCode, r.json()]);
  const api = (token: string) =>
    app.server.inject({ method: 'GET', url: probeUrl(), headers: { 'x-amz-access-token': token } }).then((r) => [r.statusCode, r.body]);
  const refreshed = await tokenRequest(app, {
    grant_type: 'refresh_token',
    refresh_token: w.refreshToken,
    client_id: w.clientId,
    client_secret: w.clientSecret,
  });
  const signIn = await app.server.inject({
    method: 'POST',
    url: '/developer/v1/sessions',
    payload: { email: w.devEmail, password: 'developer-password' },
  });
  return {
    business: await admin(`/businesses/${w.businessId}`),
    app: await admin(`/apps/${w.appId}`),
    faults: await admin('/faults'),
    storedAccessToken: await api(w.accessToken),
    refresh: [refreshed.status, Object.keys(refreshed.body).sort()],
    refreshedAccessToken: refreshed.status === 200 ? await api(refreshed.body.access_token) : null,
    developerSignIn: signIn.statusCode,
    clockOffset: app.clock.offset,
  };
}

test('a snapshot saved on SQLite loads (here, and on PostgreSQL when DB=postgres) and gives the same answers', async () => {
  // The source is always SQLite.
  const dir = testDataDir();
  const source = await buildApp(testConfig({ dataDir: dir, databaseUrl: null }), { clock: new VirtualClock(), logger: false });
  const target = await (await isolatedDatabase()).build();
  try {
    const src = Object.assign(source, { clock: source.ctx.clock as VirtualClock });
    const key = await src.services.operators.createAdminKey('snapshot-test');
    const w = await gatewayWorld(src);
    const t = await w.tokenFor(['Amazon Business Analytics']);
    await src.services.reviews.setUsagePlan('test', t.client.id, PROBE.operationId, 5, 7);
    await src.services.reviews.grantPrivilegedFields('test', t.client.id, ['merchantId']);
    await src.server.inject({
      method: 'POST',
      url: '/admin/v1/faults',
      headers: operator(key),
      payload: { appId: t.client.id, operation: 'searchProductsRequest', status: 503, count: 4 },
    });
    await src.server.inject({ method: 'POST', url: '/_emulator/clock', headers: operator(key), payload: { advanceSeconds: 120 } });
    const world = {
      businessId: w.business.id,
      appId: t.client.id,
      clientId: t.client.clientId,
      clientSecret: t.clientSecret,
      refreshToken: t.refreshToken,
      accessToken: t.accessToken,
      buyer: w.buyer.email,
      devEmail: w.dev.email,
    };

    const saved = await src.server.inject({ method: 'GET', url: '/_emulator/snapshot', headers: operator(key) });
    assert.equal(saved.statusCode, 200);
    assert.match(String(saved.headers['content-disposition']), /^attachment; filename="bizapi-snapshot-.*\.json"$/);
    const snapshot = saved.json();
    assert.deepEqual(
      [snapshot.format, snapshot.formatVersion, snapshot.dialect, snapshot.clock.offsetMs],
      ['bizapi-snapshot', 1, 'sqlite', 120_000],
    );
    assert.equal(snapshot.appVersion, JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version);
    for (const table of [
      'businesses',
      'business_users',
      'developers',
      'apps',
      'app_secrets',
      'authorizations',
      'refresh_tokens',
      'access_tokens',
      'usage_plan_overrides',
      'emulator_faults',
      'audit_log',
      'admin_keys',
    ]) {
      assert.ok(snapshot.tables[table]?.rows.length > 0, `${table} is in the snapshot`);
    }
    assert.equal(snapshot.tables.request_log, undefined, 'the request log is not state');
    assert.equal(JSON.stringify(snapshot).includes(t.clientSecret), false, 'secrets are stored as hashes only');
    assert.equal(JSON.stringify(snapshot).includes(t.refreshToken), false);
    const expected = await answers(src, key, world);

    // The target has its own world and its own operator key, which survives the load.
    const targetKey = await target.services.operators.createAdminKey('target');
    const other = await gatewayWorld(target);
    const loaded = await target.server.inject({
      method: 'POST',
      url: '/_emulator/snapshot',
      headers: json(targetKey),
      payload: saved.body,
    });
    assert.equal(loaded.statusCode, 200, loaded.body);
    assert.equal(loaded.json().tables.businesses, snapshot.tables.businesses.rows.length);
    assert.equal(await target.services.accounts.findBusiness(other.business.id), null, 'the world before the load is gone');
    assert.notEqual(await target.services.operators.verifyAdminKey(targetKey), null);
    assert.notEqual(await target.services.operators.verifyAdminKey(key), null, 'the snapshot’s operator keys are merged in');
    const got = await answers(target, key, world);
    assert.ok(Math.abs(got.clockOffset - expected.clockOffset) < 1000);
    assert.deepEqual({ ...got, clockOffset: 0 }, { ...expected, clockOffset: 0 });
    assert.deepEqual(got.storedAccessToken, [PROBE.status, PROBE.body], 'the stored access token works after the load');

    // A snapshot taken on the target loads back on SQLite too (the round trip is lossless).
    const back = await target.server.inject({ method: 'GET', url: '/_emulator/snapshot', headers: operator(targetKey) });
    const again = await src.server.inject({ method: 'POST', url: '/_emulator/snapshot', headers: json(key), payload: back.body });
    assert.equal(again.statusCode, 200, again.body);
  } finally {
    await source.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a snapshot of another version is refused, and a failing load changes nothing', async () => {
  const app = await (await isolatedDatabase()).build();
  const key = await app.services.operators.createAdminKey('refusals');
  const w = await gatewayWorld(app);
  const snapshot = (await app.server.inject({ method: 'GET', url: '/_emulator/snapshot', headers: operator(key) })).json();
  const load = (doc: unknown) =>
    app.server.inject({ method: 'POST', url: '/_emulator/snapshot', headers: operator(key), payload: doc as object });
  const cases: [object, RegExp][] = [
    [{ ...snapshot, format: 'other' }, /not a bizapi snapshot/],
    [{ ...snapshot, formatVersion: 2 }, /format version 2; this server reads format version 1/],
    [{ ...snapshot, appVersion: '9.9.9' }, /saved by bizapi "9\.9\.9"; this is bizapi /],
    [{ ...snapshot, schema: '1999-01-01T0000_old' }, /schema is "1999-01-01T0000_old"/],
    [
      { ...snapshot, tables: { ...snapshot.tables, spaceships: { columns: ['id'], rows: [] } } },
      /table this database does not: spaceships/,
    ],
    [
      { ...snapshot, tables: { ...snapshot.tables, businesses: { columns: ['id', 'warp'], rows: [] } } },
      /columns this database does not: warp/,
    ],
    [{ ...snapshot, tables: { ...snapshot.tables, businesses: { columns: ['id'], rows: [[{}]] } } }, /malformed row/],
  ];
  for (const [doc, message] of cases) {
    const res = await load(doc);
    assert.equal(res.statusCode, 400, res.body);
    assert.match(res.json().errors[0].message, message);
  }
  // A row that breaks a constraint in a late table: the whole load is rolled back.
  const broken = structuredClone(snapshot);
  broken.tables.user_groups.rows.push(['usr_missing', 'grp_missing']);
  broken.tables.businesses.rows = [];
  const failed = await load(broken);
  assert.equal(failed.statusCode, 400, failed.body);
  assert.match(failed.json().errors[0].message, /could not be loaded; nothing was changed/);
  assert.ok(await app.services.accounts.findBusiness(w.business.id), 'nothing changed');
  assert.equal((await app.services.accounts.listUsers(w.business.id)).length, 5);
});

test('bizapi snapshot save and load, through files', async () => {
  const db = await isolatedDatabase();
  const app = await db.build();
  const w = await gatewayWorld(app);
  const file = path.join(testDataDir(), 'world.json');
  const saved = await cli(db.config, ['snapshot', 'save', file, '--json']);
  assert.equal(saved.code, 0, saved.stderr);
  assert.ok(JSON.parse(saved.stdout).rows > 10);
  await app.services.accounts.updateBusiness('test', w.business.id, { name: 'Renamed' });
  const loaded = await cli(db.config, ['snapshot', 'load', file]);
  assert.equal(loaded.code, 0, loaded.stderr);
  assert.match(loaded.stdout, /^Loaded \d+ rows of \d+ tables from /);
  await app.emulator.sync.refresh(); // the running server drops its caches
  assert.equal((await app.services.accounts.getBusiness(w.business.id)).name, w.business.name);
  fs.writeFileSync(file, JSON.stringify({ format: 'bizapi-snapshot', formatVersion: 1, appVersion: '0.0.0-old' }));
  const refused = await cli(db.config, ['snapshot', 'load', file]);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /saved by bizapi "0\.0\.0-old"/);
});

test('the emulator routes answer 404 when emulator mode is off; the request log stays', async () => {
  for (const overrides of [{ mode: 'production' as const, emulator: false, seedDemo: false }, { emulator: false }]) {
    const app = await buildTestApp(overrides);
    const key = await app.services.operators.createAdminKey('off');
    for (const [method, url] of [
      ['GET', '/_emulator/clock'],
      ['POST', '/_emulator/clock'],
      ['POST', '/_emulator/reset'],
      ['GET', '/_emulator/snapshot'],
      ['POST', '/_emulator/snapshot'],
      ['GET', '/admin/v1/faults'],
      ['POST', '/admin/v1/faults'],
    ] as const) {
      const res = await app.server.inject({ method, url, headers: operator(key), ...(method === 'POST' ? { payload: {} } : {}) });
      assert.equal(res.statusCode, 404, `${method} ${url}`);
      assert.equal(res.json().errors[0].code, 'NotFound');
    }
    assert.equal(app.emulator.faults, null);
    assert.equal(app.emulator.clock, null);
    assert.equal((await app.server.inject({ method: 'GET', url: '/admin/v1/requests', headers: operator(key) })).statusCode, 200);
  }
  const { loadConfig } = await import('../../src/config/config.ts');
  assert.equal(loadConfig({ BIZAPI_MODE: 'production' }).emulator, false);
  assert.equal(loadConfig({ EMULATOR: 'false' }).emulator, false);
  assert.equal(loadConfig({}).emulator, true);
});

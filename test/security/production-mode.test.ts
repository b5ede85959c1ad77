import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { isolatedDatabase } from '../support/isolated.ts';
import { tokenRequest } from '../support/oauth.ts';
import { loadConfig, ConfigError, testConfig } from '../../src/config/config.ts';
import { start } from '../../src/main.ts';
import { DEMO, findPublishedCredentials, seedDemo } from '../../src/modules/demo/index.ts';
import { WorldService } from '../../src/modules/emulator/world.service.ts';
import { AppError } from '../../src/kernel/errors.ts';

// Issue 22, item 1: nothing whose secret is published in the repository (the demo world's operator
// key, client secret and passwords) authenticates in production mode.

const run = promisify(execFile);
const BIN = fileURLToPath(new URL('../../bin/bizapi.mjs', import.meta.url));
const noHooks = { before: async () => undefined, after: async () => undefined };

/** A database seeded in local mode, as a first local run leaves it. */
async function localWorld() {
  const iso = await isolatedDatabase();
  const local = await iso.build({ seedDemo: true });
  await seedDemo(local.ctx, local.services);
  return { iso, local };
}

test('production mode refuses to start on a database with the demo credentials, and says which and what to do', async () => {
  const { iso, local } = await localWorld();
  await local.close();
  const env = {
    ...process.env,
    BIZAPI_MODE: 'production',
    DATA_DIR: iso.config.dataDir,
    DATABASE_URL: iso.config.databaseUrl ?? '',
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
  };
  // A server that started would keep running: the timeout turns that into a failure.
  const refused = await run(process.execPath, [BIN, 'start'], { env, timeout: 60_000 }).then(
    () => ({ code: 0, stderr: '' }),
    (e: { code: number | null; stderr: string; killed?: boolean }) => ({ code: e.killed ? -1 : (e.code ?? -1), stderr: e.stderr }),
  );
  assert.equal(refused.code, 1, refused.stderr);
  assert.match(refused.stderr, /Refusing to start in production mode/);
  assert.match(refused.stderr, /operator key "demo"/);
  assert.match(refused.stderr, /client secret of the app "Demo Procurement Connector"/);
  assert.match(refused.stderr, /password of admin@demo-industries\.test/);
  assert.match(refused.stderr, /password of developer@demo-solutions\.test/);
  assert.match(refused.stderr, /DISABLE_DEMO_CREDENTIALS=true/);
});

test('with DISABLE_DEMO_CREDENTIALS=true it starts and none of the published credentials works any more', async () => {
  const { iso, local } = await localWorld();
  assert.equal((await findPublishedCredentials(local.ctx.db.kysely, local.clock.now())).length, 8);
  await local.close();
  const config = testConfig({
    ...iso.config,
    mode: 'production',
    disableDemoCredentials: true,
    emulator: false,
    port: 0,
    host: '127.0.0.1',
    adminApiKey: `bza_production_${'k'.repeat(24)}`,
  });
  const printed: string[] = [];
  const app = await start(config, (line) => printed.push(line));
  try {
    const { server, ctx, services } = app;
    assert.deepEqual(await findPublishedCredentials(ctx.db.kysely, ctx.clock.now()), []);
    const admin = (key: string) =>
      server.inject({ method: 'GET', url: '/admin/v1/businesses', headers: { authorization: `Bearer ${key}` } });
    assert.equal((await admin(DEMO.operatorKey)).statusCode, 401);
    assert.equal((await admin(config.adminApiKey!)).statusCode, 200);
    const client = (await services.apps.list({ developerId: DEMO.developer.id }))[0]!;
    assert.equal(await services.apps.verifyClient(client.clientId, DEMO.clientSecret), null);
    const token = await tokenRequest(app, {
      grant_type: 'refresh_token',
      refresh_token: 'Atzr|whatever',
      client_id: client.clientId,
      client_secret: DEMO.clientSecret,
    });
    assert.equal(token.status, 401);
    assert.equal(token.body.error, 'invalid_client');
    for (const u of Object.values(DEMO.users)) assert.equal(await services.accounts.authenticate(u.email, u.password), null, u.email);
    const dev = await server.inject({
      method: 'POST',
      url: '/developer/v1/sessions',
      payload: { email: DEMO.developer.email, password: DEMO.developer.password },
    });
    assert.equal(dev.statusCode, 401);
    // Each one is in the audit log.
    const audited = await ctx.audit.list(ctx.db.kysely, { action: 'credential.disable_published', limit: 50 });
    assert.equal(audited.length, 8);
  } finally {
    await app.close();
  }
});

test('a snapshot that would bring the demo credentials into production mode is refused, and changes nothing', async () => {
  const { local } = await localWorld();
  const snapshot = await new WorldService(local.ctx, noHooks).save();
  const target = await isolatedDatabase();
  const production = await target.build({ mode: 'production' });
  const before = await production.ctx.db.kysely.selectFrom('businesses').select('id').execute();
  await assert.rejects(new WorldService(production.ctx, noHooks).load(snapshot), (err: unknown) => {
    assert.ok(err instanceof AppError);
    assert.match(err.message, /The snapshot was refused; nothing was changed/);
    assert.match(err.message, /client secret of the app "Demo Procurement Connector"/);
    return true;
  });
  assert.deepEqual(await production.ctx.db.kysely.selectFrom('businesses').select('id').execute(), before);
  assert.deepEqual(await findPublishedCredentials(production.ctx.db.kysely, production.clock.now()), []);

  // Told to, it loads the world with those credentials disabled, and names them.
  const told = await target.build({ mode: 'production', disableDemoCredentials: true });
  const loaded = await new WorldService(told.ctx, noHooks).load(snapshot);
  assert.equal(loaded.disabled.length, 8);
  assert.ok(loaded.disabled.includes('operator key "demo"'));
  assert.deepEqual(await findPublishedCredentials(told.ctx.db.kysely, told.clock.now()), []);
  assert.equal((await told.ctx.db.kysely.selectFrom('businesses').select('id').where('id', '=', DEMO.businessId).execute()).length, 1);
});

test('SEED_DEMO=true in production mode is a configuration error unless the demo credentials are disabled', () => {
  assert.throws(
    () => loadConfig({ BIZAPI_MODE: 'production', SEED_DEMO: 'true' }),
    (err: unknown) => err instanceof ConfigError && /DISABLE_DEMO_CREDENTIALS=true/.test(err.message),
  );
  assert.equal(loadConfig({ BIZAPI_MODE: 'production', SEED_DEMO: 'true', DISABLE_DEMO_CREDENTIALS: 'true' }).seedDemo, true);
  assert.equal(loadConfig({ BIZAPI_MODE: 'production' }).seedDemo, false);
});

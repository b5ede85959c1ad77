import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp } from '../support/app.ts';
import { PACKAGE_VERSION } from '../../src/kernel/version.ts';
import { APIS } from '../../src/modules/registry/index.ts';

test('health and readiness answer with a request id', async () => {
  const app = await buildTestApp();
  const health = await app.server.inject({ method: 'GET', url: '/healthz' });
  assert.equal(health.statusCode, 200);
  // The version, the API versions served and the model files checked against, as `bizapi --version --json`.
  const body = health.json();
  assert.equal(body.status, 'ok');
  assert.equal(body.version, PACKAGE_VERSION);
  assert.deepEqual(
    body.apis.map((a: { slug: string; version: string }) => `${a.slug}@${a.version}`),
    APIS.map((a) => `${a.slug}@${a.version}`),
  );
  assert.equal(body.checkedAgainst.length, APIS.length);
  assert.match(String(health.headers['x-amzn-requestid']), /^[0-9a-f-]{36}$/);
  const ready = await app.server.inject({ method: 'GET', url: '/readyz' });
  assert.equal(ready.statusCode, 200);
});

test('an unknown path answers 404 in the Amazon envelope', async () => {
  const app = await buildTestApp();
  const res = await app.server.inject({ method: 'GET', url: '/nowhere' });
  assert.equal(res.statusCode, 404);
  const body = res.json();
  assert.equal(body.errors[0].code, 'NotFound');
  assert.equal(typeof body.errors[0].message, 'string');
});

test('/healthz answers without the shared-state check that every other route makes', async () => {
  const app = await buildTestApp();
  const sync = app.emulator.sync;
  const check = sync.currentOrWait.bind(sync);
  let checks = 0;
  sync.currentOrWait = () => (checks++, check());
  try {
    for (let i = 0; i < 3; i++) assert.equal((await app.server.inject({ method: 'GET', url: '/healthz' })).statusCode, 200);
    assert.equal(checks, 0, 'a liveness answer reads nothing of the shared state');
    assert.equal((await app.server.inject({ method: 'GET', url: '/readyz' })).statusCode, 200);
    assert.equal((await app.server.inject({ method: 'GET', url: '/nowhere' })).statusCode, 404);
    assert.equal(checks, 2);
  } finally {
    sync.currentOrWait = check;
  }
});

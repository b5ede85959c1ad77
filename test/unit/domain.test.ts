import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  allowedAppRoles,
  canEditProfile,
  checkRedirectUri,
  normalizeRoles,
  publishedRolesAfterEdit,
} from '../../src/modules/developers/domain/rules.ts';
import { effectiveRoles, isExpired, newAccessToken, newGrantCode, newRefreshToken } from '../../src/modules/oauth/domain/tokens.ts';
import { takeToken } from '../../src/platform/rate-limit/limiter.ts';
import { targetFromHost } from '../../src/modules/gateway/targets.ts';
import { constantTimeEqual, seededHex, seededUuid } from '../../src/kernel/ids.ts';
import { loadConfig, ConfigError } from '../../src/config/config.ts';

test('roles are normalized and unknown ones reported', () => {
  assert.deepEqual(normalizeRoles(['User Management', 'x', 'User Management']), { roles: ['User Management'], unknown: ['x'] });
});

test('profiles are editable as drafts and after a denial only', () => {
  assert.deepEqual((['draft', 'submitted', 'approved', 'denied'] as const).map(canEditProfile), [true, false, false, true]);
});

test('sandbox apps may use requested roles; production apps only approved ones', () => {
  assert.deepEqual([...allowedAppRoles('production', ['User Management'], ['Business Product Catalog'])], ['User Management']);
  assert.deepEqual([...allowedAppRoles('sandbox', ['User Management'], ['Business Product Catalog'])].sort(), [
    'Business Product Catalog',
    'User Management',
  ]);
});

test('published roles: drafts follow the configuration; listed apps drop removed roles at once and wait for additions', () => {
  assert.deepEqual(publishedRolesAfterEdit('draft', ['User Management'], ['Business Product Catalog']), ['User Management']);
  assert.deepEqual(publishedRolesAfterEdit('published', ['Business Product Catalog', 'User Management'], ['Business Product Catalog']), [
    'Business Product Catalog',
  ]);
  assert.deepEqual(publishedRolesAfterEdit('published', ['User Management'], ['Business Product Catalog', 'User Management']), [
    'User Management',
  ]);
});

test('redirect URIs: absolute, https or loopback http, no fragment', () => {
  assert.equal(checkRedirectUri('https://a.example/cb?x=1'), null);
  assert.equal(checkRedirectUri('http://localhost:3000/cb'), null);
  assert.equal(checkRedirectUri('http://127.0.0.1/cb'), null);
  for (const bad of ['http://a.example/cb', '/relative', 'javascript:alert(1)', 'https://a.example/cb#x', 'ftp://a.example/'])
    assert.notEqual(checkRedirectUri(bad), null, bad);
});

test('token shapes and lifetimes', () => {
  const at = newAccessToken();
  assert.match(at, /^Atza\|[A-Za-z0-9_-]+$/);
  assert.ok(at.length >= 350 && at.length <= 2048);
  assert.match(newRefreshToken(), /^Atzr\|/);
  assert.match(newGrantCode(), /^AN[A-Za-z0-9_-]{32}$/);
  assert.notEqual(newAccessToken(), at);
  assert.equal(isExpired(1000, 999), false);
  assert.equal(isExpired(1000, 1000), true);
  assert.deepEqual(effectiveRoles(['a', 'b'], ['b', 'c']), ['b']);
});

test('token bucket arithmetic', () => {
  let s: { tokens: number; at: number } | undefined;
  const out: boolean[] = [];
  for (let i = 0; i < 3; i++) {
    const r = takeToken(s, 1, 2, 0);
    s = r.state;
    out.push(r.decision.allowed);
  }
  assert.deepEqual(out, [true, true, false]);
  const later = takeToken(s, 1, 2, 500);
  assert.equal(later.decision.allowed, false);
  assert.equal(later.decision.retryAfterMs, 500);
  assert.equal(takeToken(later.state, 1, 2, 1000).decision.allowed, true);
  assert.equal(takeToken({ tokens: 0, at: 0 }, 1, 2, 1e9).state.tokens, 1, 'never above the burst');
});

test('hosts map to regions and environments', () => {
  assert.deepEqual(targetFromHost('na.business-api.amazon.com'), { region: 'NA', environment: 'production' });
  assert.deepEqual(targetFromHost('sandbox.jp.business-api.amazon.com'), { region: 'FE', environment: 'sandbox' });
  assert.deepEqual(targetFromHost('sandbox.eu.bizapi.internal'), { region: 'EU', environment: 'sandbox' });
  assert.deepEqual(targetFromHost('localhost'), { region: 'NA', environment: 'production' });
});

test('ids: constant-time equality and deterministic seeds', () => {
  assert.equal(constantTimeEqual('abc', 'abc'), true);
  assert.equal(constantTimeEqual('abc', 'abd'), false);
  assert.equal(constantTimeEqual('abc', 'abcd'), false);
  assert.equal(seededUuid('x'), seededUuid('x'));
  assert.match(seededUuid('x'), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(seededHex('y', 40).length, 40);
});

test('configuration: defaults, and every problem listed at once', () => {
  const c = loadConfig({});
  assert.equal(c.port, 8080);
  assert.equal(c.mode, 'local');
  assert.equal(c.databaseUrl, null);
  assert.equal(loadConfig({ BIZAPI_MODE: 'production' }).emulator, false);
  assert.throws(
    () => loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud', SEED_DEMO: 'maybe' }),
    (e: unknown) =>
      e instanceof ConfigError &&
      e.problems.length === 4 &&
      /PORT/.test(e.message) &&
      /DATABASE_URL/.test(e.message) &&
      /LOG_LEVEL/.test(e.message) &&
      /SEED_DEMO/.test(e.message),
  );
});

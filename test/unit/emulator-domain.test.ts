import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  capText,
  errorCodeOf,
  REDACTED,
  redactHeaders,
  redactPath,
  redactValue,
  storedBody,
} from '../../src/modules/emulator/domain/redact.ts';
import { percentageHits, ruleLive, ruleMatches, type FaultRule } from '../../src/modules/emulator/domain/faults.ts';
import { filterOf } from '../../src/modules/emulator/index.ts';

const rule = (over: Partial<FaultRule> = {}): FaultRule => ({
  id: 'flt_1',
  operation: null,
  appId: null,
  businessId: null,
  status: 503,
  latencyMs: 0,
  remaining: null,
  percentage: 100,
  note: null,
  createdAt: 0,
  ...over,
});

test('fault rules match by operation, app and business; null is any', () => {
  const call = { operationId: 'getCart', appId: 'app_a', businessId: 'biz_1' };
  assert.equal(ruleMatches(rule(), call), true);
  assert.equal(ruleMatches(rule({ operation: 'getCart', appId: 'app_a', businessId: 'biz_1' }), call), true);
  assert.equal(ruleMatches(rule({ operation: 'listCarts' }), call), false);
  assert.equal(ruleMatches(rule({ appId: 'app_b' }), call), false);
  assert.equal(ruleMatches(rule({ businessId: 'biz_2' }), call), false);
  assert.equal(ruleMatches(rule({ businessId: 'biz_1' }), { ...call, businessId: null }), false, 'a sandbox call has no business');
  assert.deepEqual([ruleLive(rule()), ruleLive(rule({ remaining: 1 })), ruleLive(rule({ remaining: 0 }))], [true, true, false]);
  assert.deepEqual(
    [percentageHits(100, 0.999), percentageHits(30, 0.29), percentageHits(30, 0.3), percentageHits(1, 0)],
    [true, true, false, true],
  );
});

test('headers, bodies and paths are stored without secrets', () => {
  assert.deepEqual(
    redactHeaders({
      'X-Amz-Access-Token': 'Atza|x',
      Authorization: 'Basic abc',
      cookie: 'a=b',
      'x-api-key': 'k',
      'set-cookie': ['a', 'b'],
      accept: ['a', 'b'],
      host: 'h',
    }),
    {
      'x-amz-access-token': REDACTED,
      authorization: REDACTED,
      cookie: REDACTED,
      'x-api-key': REDACTED,
      'set-cookie': REDACTED,
      accept: 'a, b',
      host: 'h',
    },
  );
  assert.deepEqual(redactValue({ code: 'AN1', client_secret: 's', nested: [{ refresh_token: 'r', keep: 1 }] }, 'token-request'), {
    code: REDACTED,
    client_secret: REDACTED,
    nested: [{ refresh_token: REDACTED, keep: 1 }],
  });
  assert.deepEqual(
    redactValue({ errors: [{ code: 'QuotaExceeded' }], access_token: 'Atza|x' }),
    { errors: [{ code: 'QuotaExceeded' }], access_token: REDACTED },
    'an error code is not a secret',
  );
  assert.equal(
    redactPath('/auth/o2/token?code=AN1&state=s&client_secret=x', 'token-request'),
    `/auth/o2/token?code=${REDACTED}&state=s&client_secret=${REDACTED}`,
  );
  assert.equal(redactPath('/na/x?keywords=code&code=1'), '/na/x?keywords=code&code=1');
  assert.equal(storedBody('grant_type=x&code=AN1', 'token-request', 100), REDACTED, 'a raw token body that is not JSON is not kept');
  assert.equal(storedBody('{"refresh_token":"r"}', 'other', 100), `{"refresh_token":"${REDACTED}"}`);
  assert.equal(storedBody(undefined, 'other', 100), null);
  assert.equal(storedBody({ a: 1 }, 'other', 0), null);
});

test('text is capped to the byte limit, marker included', () => {
  assert.equal(capText('short', 10), 'short');
  const capped = capText('é'.repeat(200), 100);
  assert.ok(Buffer.byteLength(capped) <= 100);
  assert.match(capped, /^é+…\[truncated, 400 bytes\]$/);
  assert.equal(Buffer.byteLength(capText('x'.repeat(50), 5)), 5);
});

test('error codes are read from both envelopes', () => {
  assert.equal(errorCodeOf('{"errors":[{"message":"m","code":"QuotaExceeded","details":""}]}'), 'QuotaExceeded');
  assert.equal(errorCodeOf('{"error_description":"d","error":"invalid_grant"}'), 'invalid_grant');
  assert.equal(errorCodeOf('<html>'), null);
  assert.equal(errorCodeOf(undefined), null);
});

test('request log queries: status classes, times', () => {
  assert.deepEqual(filterOf({ status: '5xx', since: '2026-01-01T00:00:00Z', limit: 5 }), {
    status: [500, 599],
    since: Date.parse('2026-01-01T00:00:00Z'),
    limit: 5,
  });
  assert.deepEqual(filterOf({ status: '429', business: 'b', operation: 'o', requestId: 'r' }), {
    status: 429,
    businessId: 'b',
    operation: 'o',
    requestId: 'r',
  });
});

test('the request log and metrics settings come from the environment', async () => {
  const { loadConfig, ConfigError } = await import('../../src/config/config.ts');
  const defaults = loadConfig({});
  assert.deepEqual(
    [
      defaults.requestLogMaxEntries,
      defaults.requestLogMaxAgeSeconds,
      defaults.requestLogBodies,
      defaults.requestLogBodyMaxBytes,
      defaults.metricsEnabled,
    ],
    [10_000, 86_400, false, 4096, true],
  );
  const set = loadConfig({
    REQUEST_LOG_MAX_ENTRIES: '0',
    REQUEST_LOG_MAX_AGE_SECONDS: '60',
    REQUEST_LOG_BODIES: 'true',
    REQUEST_LOG_BODY_MAX_BYTES: '100',
    METRICS_ENABLED: 'false',
  });
  assert.deepEqual(
    [set.requestLogMaxEntries, set.requestLogMaxAgeSeconds, set.requestLogBodies, set.requestLogBodyMaxBytes, set.metricsEnabled],
    [0, 60, true, 100, false],
  );
  assert.throws(
    () => loadConfig({ REQUEST_LOG_MAX_ENTRIES: 'many', REQUEST_LOG_MAX_AGE_SECONDS: '0' }),
    (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      assert.ok(err.problems.some((p) => p.startsWith('REQUEST_LOG_MAX_ENTRIES')));
      assert.ok(err.problems.some((p) => p.startsWith('REQUEST_LOG_MAX_AGE_SECONDS')));
      return true;
    },
  );
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp } from '../support/app.ts';
import { isolatedDatabase } from '../support/isolated.ts';
import { consentCode, tokenRequest } from '../support/oauth.ts';
import { makeApprovedDeveloper, makeBusiness, makePublishedApp, REDIRECT } from '../support/world.ts';
import { cli, REDIS_URL, waitFor } from '../support/emulator.ts';
import { PROBE, probeUrl } from '../support/gateway.ts';

const EXPIRED =
  '{"errors":[{"message":"Access to requested resource is denied.","code":"Unauthorized","details":"The access token you provided has expired."}]}';
const DAY = 24 * 3600;

test('the clock endpoints need an operator key', async () => {
  const app = await buildTestApp();
  for (const headers of [{}, { authorization: 'Bearer nope' }, { 'x-api-key': 'bza_wrong' }]) {
    for (const method of ['GET', 'POST'] as const) {
      const res = await app.server.inject({
        method,
        url: '/_emulator/clock',
        headers,
        ...(method === 'POST' ? { payload: { advanceSeconds: 10 } } : {}),
      });
      assert.equal(res.statusCode, 401);
      assert.equal(res.json().errors[0].code, 'Unauthenticated');
    }
  }
  assert.equal(app.clock.offset, 0);
});

test('codes, access tokens and refresh tokens expire by the virtual clock, moved over HTTP', async () => {
  const app = await (await isolatedDatabase()).build();
  const key = await app.services.operators.createAdminKey('clock-test');
  const clock = async (payload?: object) => {
    const res = await app.server.inject({
      method: payload ? 'POST' : 'GET',
      url: '/_emulator/clock',
      headers: { 'x-api-key': key },
      ...(payload ? { payload } : {}),
    });
    return { status: res.statusCode, body: res.json() };
  };
  const world = await makeBusiness(app);
  const dev = await makeApprovedDeveloper(app);
  const { app: client, clientSecret } = await makePublishedApp(app, dev.id, ['Amazon Business Analytics']);
  const exchange = (code: string) =>
    tokenRequest(app, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      client_id: client.clientId,
      client_secret: clientSecret,
    });

  const start = (await clock()).body;
  assert.equal(start.offsetMs, 0);
  assert.ok(Math.abs(start.epochMs - Date.now()) < 5000);
  assert.equal(new Date(start.now).getTime(), start.epochMs);

  // A grant code lives 5 minutes: unused after 301 s it is refused; after 299 s it still works.
  const stale = await consentCode(app, client.applicationId, REDIRECT, world.admin.email, world.password);
  assert.equal((await clock({ advanceSeconds: 301 })).body.offsetMs, 301_000);
  // Every move is audited, with the time before it.
  const [advanced] = await app.ctx.audit.list(app.ctx.db.kysely, { action: 'emulator.clock.advance', limit: 1 });
  assert.equal(advanced!.actor, 'operator:clock-test');
  assert.deepEqual(advanced!.after, { advancedMs: 301_000 });
  assert.equal((advanced!.before as { offsetMs: number }).offsetMs, 0);
  const refused = await exchange(stale);
  assert.equal(refused.status, 400);
  assert.equal(refused.body.error, 'invalid_grant');
  const fresh = await consentCode(app, client.applicationId, REDIRECT, world.admin.email, world.password);
  await clock({ advanceMs: 299_000 });
  const tokens = await exchange(fresh);
  assert.equal(tokens.status, 200, tokens.raw);

  // An access token lives an hour.
  const call = (token: string) => app.server.inject({ method: 'GET', url: probeUrl(), headers: { 'x-amz-access-token': token } });
  assert.equal((await call(tokens.body.access_token)).body, PROBE.body);
  await clock({ advanceSeconds: 3599 });
  assert.equal((await call(tokens.body.access_token)).body, PROBE.body, 'still valid one second before the hour');
  await clock({ advanceSeconds: 2 });
  assert.equal((await call(tokens.body.access_token)).body, EXPIRED);

  // The refresh token works a year later, and the access token it gives works.
  const moved = (await clock({ advanceSeconds: 366 * DAY })).body;
  assert.equal(moved.offsetMs, (301 + 299 + 3599 + 2 + 366 * DAY) * 1000);
  const refreshed = await tokenRequest(app, {
    grant_type: 'refresh_token',
    refresh_token: tokens.body.refresh_token,
    client_id: client.clientId,
    client_secret: clientSecret,
  });
  assert.equal(refreshed.status, 200, refreshed.raw);
  assert.equal((await call(refreshed.body.access_token)).body, PROBE.body);

  // Set to an instant, then back to the wall clock.
  const set = (await clock({ set: '2031-03-04T05:06:07Z' })).body;
  assert.ok(set.epochMs - Date.parse('2031-03-04T05:06:07Z') < 5000 && set.epochMs >= Date.parse('2031-03-04T05:06:07Z'));
  assert.equal((await call(refreshed.body.access_token)).body, EXPIRED, 'five years on, the hour-long token is expired');
  const reset = (await clock({ reset: true })).body;
  assert.equal(reset.offsetMs, 0);
  assert.equal(app.clock.offset, 0);

  for (const bad of [{}, { advanceSeconds: 1, reset: true }, { set: 'tomorrow' }, { advanceMs: 1.5 }, { reset: false }, { travel: 1 }]) {
    const res = await clock(bad);
    assert.equal(res.status, 400, JSON.stringify(bad));
    assert.equal(res.body.errors[0].code, 'ValidationError');
  }
  assert.equal(app.clock.offset, 0, 'a refused change changes nothing');
});

test('every process on one database shares the clock: at start, through Redis, and by the poll', async () => {
  const db = await isolatedDatabase();
  const a = await db.build({ redisUrl: REDIS_URL });
  const b = await db.build({ redisUrl: REDIS_URL });
  const polling = await db.build();
  const key = await a.services.operators.createAdminKey('shared-clock');
  const advance = (app: typeof a, seconds: number) =>
    app.server.inject({
      method: 'POST',
      url: '/_emulator/clock',
      headers: { authorization: `Bearer ${key}` },
      payload: { advanceSeconds: seconds },
    });

  assert.equal((await advance(a, 7200)).statusCode, 200);
  assert.equal(a.clock.offset, 7_200_000);
  await waitFor(() => b.clock.offset === 7_200_000, 'the event to reach the other process through Redis');
  await polling.emulator.sync.refresh();
  assert.equal(polling.clock.offset, 7_200_000, 'a process without Redis follows by its poll');

  // Advances from two processes add up (one atomic UPDATE each), and a process started later starts on the shared clock.
  await Promise.all([advance(a, 60), advance(b, 60)]);
  await waitFor(() => a.clock.offset === 7_320_000 && b.clock.offset === 7_320_000, 'both advances everywhere');
  const late = await db.build();
  assert.equal(late.clock.offset, 7_320_000);

  // A poll does not undo a change made in memory only (as tests do with app.clock.advance).
  await polling.emulator.sync.refresh();
  polling.clock.advance(1000);
  await polling.emulator.sync.refresh();
  assert.equal(polling.clock.offset, 7_320_000 + 1000, 'no shared change since the last read: nothing applied');
});

test('bizapi clock talks to the database, and a running server follows at its very next request', async () => {
  const db = await isolatedDatabase();
  const app = await db.build();
  const advanced = await cli(db.config, ['clock', 'advance', '3601', '--json']);
  assert.equal(advanced.code, 0, advanced.stderr);
  assert.equal(JSON.parse(advanced.stdout).offsetMs, 3_601_000);
  // No wait: the server applies the shared state before it answers its next request (any route but
  // /healthz, which reads none of it).
  await app.server.inject({ method: 'GET', url: '/readyz' });
  assert.equal(app.clock.offset, 3_601_000);

  const set = await cli(db.config, ['clock', 'set', '2030-01-01T00:00:00Z']);
  assert.match(set.stdout, /^Platform time: 2030-01-01T00:00:0\d\.\d{3}Z \(offset \+\d+\.\d{3} s from the wall clock\)/);
  const reset = await cli(db.config, ['clock', 'reset', '--json']);
  assert.equal(JSON.parse(reset.stdout).offsetMs, 0);
  await app.emulator.sync.refresh();
  assert.equal(app.clock.offset, 0);

  const [usage, off] = await Promise.all([
    cli(db.config, ['clock', 'advance', 'soon']),
    cli(db.config, ['clock', 'advance', '10'], { EMULATOR: 'false' }),
  ]);
  assert.equal(usage.code, 2);
  assert.equal(off.code, 1);
  assert.match(off.stderr, /emulator controls are off/);
});

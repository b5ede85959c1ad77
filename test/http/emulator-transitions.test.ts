import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statusAt, type Timeline } from '../../src/kernel/lifecycle.ts';
import { isolatedDatabase } from '../support/isolated.ts';

// The transition overrides of stateful resources: rows read on every call, so two server processes
// on one database see a change at once; reset and snapshots cover them; the operator key guards them.

type Stage = 'accepted' | 'shipped' | 'delivered';
const H = 3600_000;

test('two processes see the same overrides at once; the timeline follows them', async () => {
  const iso = await isolatedDatabase();
  const a = await iso.build();
  const b = await iso.build();
  const start = a.clock.now();
  const plan: Timeline<Stage> = [
    { stage: 'accepted', at: start },
    { stage: 'shipped', at: start + 24 * H },
    { stage: 'delivered', at: start + 72 * H },
  ];
  const status = async (app: typeof a, id: string) =>
    statusAt(plan, app.clock.now(), (await app.emulator.transitions.overridesFor<Stage>('order', [id])).get(id))?.stage;

  assert.equal(await status(b, 'o1'), 'accepted');
  await a.emulator.transitions.force('operator:test', 'order', 'o1', 'shipped');
  assert.equal(await status(b, 'o1'), 'shipped', 'a forcing in one process is seen by the next read of the other');
  assert.equal(await status(b, 'o2'), 'accepted', 'other resources are untouched');

  await a.emulator.transitions.setMode('operator:test', 'order', 'manual');
  assert.equal((await b.emulator.transitions.mode('order')).mode, 'manual');
  a.clock.advance(100 * H);
  b.clock.advance(100 * H);
  assert.equal(await status(b, 'o2'), 'accepted', 'manual: time moves nothing');
  assert.equal(await status(b, 'o1'), 'shipped');
  await b.emulator.transitions.setMode('operator:test', 'order', 'time');
  assert.equal(await status(a, 'o2'), 'delivered', 'back to time: planned stages are reached');

  const first = (await a.emulator.transitions.overridesFor<Stage>('order', ['o1'])).get('o1')!.forced![0]!.at;
  await b.emulator.transitions.force('operator:test', 'order', 'o1', 'shipped');
  assert.equal(
    (await a.emulator.transitions.overridesFor<Stage>('order', ['o1'])).get('o1')!.forced!.length,
    1,
    'forcing again keeps the first instant',
  );
  assert.equal((await a.emulator.transitions.overridesFor<Stage>('order', ['o1'])).get('o1')!.forced![0]!.at, first);
  assert.equal(await a.emulator.transitions.clearForced('operator:test', 'order', 'o1'), 1);
  assert.deepEqual((await b.emulator.transitions.overridesFor<Stage>('order', ['o1'])).get('o1')!.forced, []);
});

test('the /_emulator/transitions routes: operator key, validation, audit, reset and snapshots', async () => {
  const iso = await isolatedDatabase();
  const app = await iso.build();
  const key = await app.services.operators.createAdminKey('transitions-test');
  const call = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object, headers: Record<string, string> = { 'x-api-key': key }) =>
    app.server.inject({ method, url: `/_emulator${url}`, headers, ...(payload ? { payload } : {}) });

  assert.equal((await call('GET', '/transitions', undefined, {})).statusCode, 401);
  assert.equal((await call('POST', '/transitions', { kind: 'package', mode: 'manual' }, {})).statusCode, 401);
  assert.equal((await call('POST', '/transitions', { kind: 'Package!', mode: 'manual' })).statusCode, 400);
  assert.equal((await call('POST', '/transitions', { kind: 'package', mode: 'sometimes' })).statusCode, 400);

  const set = await call('POST', '/transitions', { kind: 'package', mode: 'manual' });
  assert.equal(set.statusCode, 200, set.body);
  assert.equal(set.json().mode, 'manual');
  assert.ok(Math.abs(Date.parse(set.json().manualSince) - app.clock.now()) < 1000, 'manual from now, on the virtual clock');
  assert.deepEqual(
    (await call('GET', '/transitions')).json().manual.map((m: { kind: string }) => m.kind),
    ['package'],
  );
  const entries = await app.ctx.audit.list(app.ctx.db.kysely, { action: 'emulator.transitions.mode' });
  assert.equal(entries[0]?.actor, 'operator:transitions-test');

  await app.emulator.transitions.force('operator:test', 'package', 'pkg_1', 'delivered');
  const snapshot = (await call('GET', '/snapshot')).json();
  assert.equal(snapshot.tables.emulator_transition_modes.rows.length, 1, 'the modes are in the snapshot');
  assert.equal(snapshot.tables.emulator_forced_stages.rows.length, 1, 'the forced stages are in the snapshot');

  assert.equal((await call('POST', '/reset', { seed: false })).statusCode, 200);
  assert.deepEqual((await call('GET', '/transitions')).json().manual, [], 'a reset forgets the overrides');
  assert.equal((await app.emulator.transitions.overridesFor('package', ['pkg_1'])).get('pkg_1')!.forced!.length, 0);

  const loaded = await app.server.inject({
    method: 'POST',
    url: '/_emulator/snapshot',
    headers: { 'x-api-key': key, 'content-type': 'application/json' },
    payload: JSON.stringify(snapshot),
  });
  assert.equal(loaded.statusCode, 200, loaded.body);
  assert.equal((await call('GET', '/transitions')).json().manual[0].kind, 'package', 'a snapshot load brings them back');
  assert.equal((await app.emulator.transitions.overridesFor('package', ['pkg_1'])).get('pkg_1')!.forced!.length, 1);

  assert.deepEqual((await call('DELETE', '/transitions/forced?kind=package')).json(), { removed: 1 });
  assert.equal((await call('POST', '/transitions', { kind: 'package', mode: 'time' })).json().mode, 'time');
});

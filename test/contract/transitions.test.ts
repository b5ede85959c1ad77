import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testConfig } from '../../src/config/config.ts';
import type { AppContext } from '../../src/app-context.ts';
import { VirtualClock } from '../../src/kernel/clock.ts';
import { AppError } from '../../src/kernel/errors.ts';
import { EventBus } from '../../src/kernel/events.ts';
import { statusAt, type Timeline } from '../../src/kernel/lifecycle.ts';
import type { Db } from '../../src/platform/db/database.ts';
import { AuditService } from '../../src/modules/audit/audit.service.ts';
import { TransitionService } from '../../src/modules/emulator/transitions.service.ts';
import { twoConnections } from '../support/connections.ts';

// The transition overrides on the database under test (DB=sqlite or postgres): rows read on every
// call, so two connections (two server processes) see each other's changes at once, and every write
// is an upsert. Each test uses its own resource kind, so files sharing one database never meet.

type Stage = 'accepted' | 'approved' | 'shipped' | 'delivered';
const H = 3600_000;
const START = Date.parse('2026-12-02T15:00:00Z');
const ACTOR = 'operator:contract';

/** Two independent connections to one database, each with its own context and clock, like two processes. */
async function twoProcesses(): Promise<[Process, Process]> {
  const [a, b] = await twoConnections();
  return [processOn(a), processOn(b)];
}

interface Process {
  ctx: AppContext;
  clock: VirtualClock;
  transitions: TransitionService;
}

function processOn(db: Db): Process {
  const clock = new VirtualClock(0, { now: () => START });
  const ctx: AppContext = { config: testConfig(), db, clock, audit: new AuditService(clock), events: new EventBus() };
  return { ctx, clock, transitions: new TransitionService(ctx) };
}

/**
 * Two writes from the two connections: at once on PostgreSQL; one after the other on SQLite, where
 * better-sqlite3 waits for a lock synchronously, so two connections in one process would wait on
 * each other (two real processes simply queue).
 */
async function both(first: () => Promise<unknown>, second: () => Promise<unknown>): Promise<void> {
  if (process.env.DB === 'postgres') await Promise.all([first(), second()]);
  else {
    await first();
    await second();
  }
}

const uniqueKind = (): string => `order-${Math.random().toString(36).slice(2, 10)}`;

const plan: Timeline<Stage> = [
  { stage: 'accepted', at: START },
  { stage: 'approved', at: START + 1 * H },
  { stage: 'shipped', at: START + 24 * H },
  { stage: 'delivered', at: START + 72 * H },
];

const statusOf = async (p: Process, kind: string, id: string) =>
  statusAt(plan, p.clock.now(), (await p.transitions.overridesFor<Stage>(kind, [id])).get(id));

const modeRows = (p: Process, kind: string) =>
  p.ctx.db.kysely.selectFrom('emulator_transition_modes').selectAll().where('kind', '=', kind).execute();

const auditCount = async (p: Process, action: string, subjectType: string, subjectId: string) =>
  (await p.ctx.audit.list(p.ctx.db.kysely, { action, subjectType, subjectId })).length;

test('two connections see each other’s overrides at once', async () => {
  const [a, b] = await twoProcesses();
  const kind = uniqueKind();
  assert.deepEqual(await b.transitions.mode(kind), { kind, mode: 'time', manualSince: null });

  await a.transitions.setMode(ACTOR, kind, 'manual');
  assert.deepEqual(await b.transitions.mode(kind), { kind, mode: 'manual', manualSince: new Date(START).toISOString() });
  assert.equal((await b.transitions.overridesFor<Stage>(kind, ['o1'])).get('o1')?.manualSince, START);

  a.clock.advance(2 * H);
  await a.transitions.force(ACTOR, kind, 'o1', 'shipped');
  b.clock.advance(2 * H);
  assert.deepEqual(await statusOf(b, kind, 'o1'), { stage: 'shipped', since: START + 2 * H }, 'a forcing is seen by the other’s next read');
  assert.deepEqual(await statusOf(b, kind, 'o2'), { stage: 'accepted', since: START }, 'manual since START: approved waits');

  await b.transitions.setMode(ACTOR, kind, 'time');
  assert.equal((await a.transitions.mode(kind)).mode, 'time');
  assert.deepEqual(await statusOf(a, kind, 'o2'), { stage: 'approved', since: START + 1 * H }, 'back to time: planned stages are reached');
});

test('setMode twice is an upsert: one row, the first instant kept, one audit entry', async () => {
  const [a, b] = await twoProcesses();
  const kind = uniqueKind();
  await a.transitions.setMode(ACTOR, kind, 'manual');
  b.clock.advance(5 * H);
  const again = await b.transitions.setMode(ACTOR, kind, 'manual');
  assert.equal(again.manualSince, new Date(START).toISOString(), 'a kind already manual keeps its instant');
  assert.equal((await modeRows(a, kind)).length, 1);
  assert.equal(await auditCount(a, 'emulator.transitions.mode', 'resource_kind', kind), 1, 'no change, no entry');

  await both(
    () => a.transitions.setMode(ACTOR, kind, 'time'),
    () => b.transitions.setMode(ACTOR, kind, 'time'),
  );
  assert.equal((await modeRows(a, kind)).length, 0);
  assert.equal(
    await auditCount(b, 'emulator.transitions.mode', 'resource_kind', kind),
    2,
    'only one of the two switches back changed something',
  );

  await both(
    () => a.transitions.setMode(ACTOR, kind, 'manual'),
    () => b.transitions.setMode(ACTOR, kind, 'manual'),
  );
  assert.equal((await modeRows(b, kind)).length, 1, 'both switching: one row, no conflict error');
});

test('force then overridesFor, through statusAt, gives the forced stage; forcing again keeps the first instant', async () => {
  const [a, b] = await twoProcesses();
  const kind = uniqueKind();
  a.clock.advance(3 * H);
  const { forcedAt } = await a.transitions.force(ACTOR, kind, 'o1', 'delivered');
  assert.equal(forcedAt, new Date(START + 3 * H).toISOString());
  b.clock.advance(3 * H);
  assert.deepEqual(await statusOf(b, kind, 'o1'), { stage: 'delivered', since: START + 3 * H });

  b.clock.advance(1 * H);
  await both(
    () => b.transitions.force(ACTOR, kind, 'o1', 'delivered'),
    () => a.transitions.force(ACTOR, kind, 'o1', 'delivered'),
  );
  const overrides = (await a.transitions.overridesFor<Stage>(kind, ['o1', 'o2'])).get('o1');
  assert.deepEqual(overrides?.forced, [{ stage: 'delivered', at: START + 3 * H }]);
  assert.equal(await auditCount(a, 'emulator.transitions.force', kind, 'o1'), 1);

  await b.transitions.force(ACTOR, kind, 'o2', 'approved');
  const map = await a.transitions.overridesFor<Stage>(kind, ['o1', 'o2', 'o3']);
  assert.deepEqual([...map.keys()], ['o1', 'o2', 'o3'], 'one entry per resource asked for');
  assert.deepEqual(map.get('o2')?.forced, [{ stage: 'approved', at: START + 4 * H }]);
  assert.deepEqual(map.get('o3'), { manualSince: null, forced: [] });
  assert.equal((await a.transitions.overridesFor(uniqueKind(), ['o1'])).get('o1')?.forced?.length, 0, 'kinds do not mix');
  assert.equal((await a.transitions.overridesFor(kind, [])).size, 0);
});

test('clearForced removes one resource’s stages, then a kind’s, and leaves other kinds alone', async () => {
  const [a, b] = await twoProcesses();
  const kind = uniqueKind();
  const other = uniqueKind();
  await a.transitions.force(ACTOR, kind, 'o1', 'shipped');
  await a.transitions.force(ACTOR, kind, 'o1', 'delivered');
  await a.transitions.force(ACTOR, kind, 'o2', 'approved');
  await a.transitions.force(ACTOR, other, 'o1', 'shipped');

  assert.equal(await b.transitions.clearForced(ACTOR, kind, 'o1'), 2);
  assert.deepEqual((await a.transitions.overridesFor(kind, ['o1'])).get('o1')?.forced, []);
  assert.equal((await a.transitions.overridesFor(kind, ['o2'])).get('o2')?.forced?.length, 1);
  assert.equal(await b.transitions.clearForced(ACTOR, kind), 1);
  assert.equal(await b.transitions.clearForced(ACTOR, kind), 0, 'nothing left to clear');
  assert.equal((await a.transitions.overridesFor(other, ['o1'])).get('o1')?.forced?.length, 1, 'the other kind keeps its stage');
  assert.deepEqual(await statusOf(a, kind, 'o1'), { stage: 'accepted', since: START }, 'cleared: the plan alone decides');
});

test('kinds, resource ids and stages are validated', async () => {
  const [a] = await twoProcesses();
  const invalid = (e: unknown) => e instanceof AppError && e.code === 'ValidationError';
  await assert.rejects(a.transitions.setMode(ACTOR, '', 'manual'), invalid);
  await assert.rejects(a.transitions.setMode(ACTOR, 'Order!', 'manual'), invalid);
  await assert.rejects(a.transitions.mode(`o${'x'.repeat(64)}`), invalid);
  await assert.rejects(a.transitions.force(ACTOR, 'order', '', 'shipped'), invalid);
  await assert.rejects(a.transitions.force(ACTOR, 'order', 'x'.repeat(201), 'shipped'), invalid);
  await assert.rejects(a.transitions.force(ACTOR, 'order', 'o1', ''), invalid);
  await assert.rejects(a.transitions.overridesFor('', ['o1']), invalid);
  await assert.rejects(a.transitions.clearForced(ACTOR, 'order', ''), invalid);
  await a.transitions.force(ACTOR, uniqueKind(), 'x'.repeat(200), 'shipped');
});

test('overridesFor answers for many resources at once', async () => {
  const [a] = await twoProcesses();
  const kind = uniqueKind();
  await a.transitions.force(ACTOR, kind, 'o_last', 'shipped');
  await a.transitions.force(ACTOR, kind, 'o_last', 'delivered');
  // More ids than either database binds in one statement, and one of them twice.
  const ids = [...Array.from({ length: 70_000 }, (_, i) => `o_${i}`), 'o_last', 'o_last'];
  const map = await a.transitions.overridesFor<Stage>(kind, ids);
  assert.equal(map.size, 70_001);
  assert.deepEqual(
    map
      .get('o_last')
      ?.forced?.map((f) => f.stage)
      .sort(),
    ['delivered', 'shipped'],
  );
});

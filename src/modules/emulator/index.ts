import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { AppContext } from '../../app-context.ts';
import type { Services } from '../../services.ts';
import { VirtualClock } from '../../kernel/clock.ts';
import type { Metrics } from '../../platform/metrics/metrics.ts';
import { seedDemo } from '../demo/index.ts';
import { ClockService } from './clock.service.ts';
import { emulatorAdminRoutes, emulatorRoutes, type EmulatorExtension } from './emulator.routes.ts';
import { FaultService } from './faults.service.ts';
import { createObservers, type Observers } from './observe.ts';
import { RequestRecorder } from './request-log.recorder.ts';
import { ensureState, readState } from './state.repository.ts';
import { EmulatorSync } from './sync.ts';
import { WorldService } from './world.service.ts';
import type { TransitionService } from './transitions.service.ts';

export type { RequestLogReader } from './request-log.recorder.ts';
export type { RequestLogEntry, RequestLogFilter } from './request-log.repository.ts';
export { filterOf, type RequestQueryInput } from './request-log.query.ts';
export { RequestQuery } from './emulator.schemas.ts';
export type { ClockService, ClockView } from './clock.service.ts';
export type { FaultService, FaultInput, FaultView } from './faults.service.ts';
export type { WorldService, Snapshot } from './world.service.ts';
/** Transition overrides: a kind in manual mode, stages forced on single resources. */
export { TransitionService, type TransitionMode } from './transitions.service.ts';
export { RequestRecorder } from './request-log.recorder.ts';
/** Moves the shared cache version for every change a process emits (servers and the CLI). */
export { shareCacheChanges } from './sync.ts';
export type { EmulatorExtension } from './emulator.routes.ts';

/** What the emulator needs from the rest of the server. */
export interface EmulatorDeps {
  ctx: AppContext;
  services: Services;
  /** Caches to drop when the world is replaced. */
  gateway: { clear(): void };
  limiter: { reset(): Promise<void> };
  metrics: Metrics;
  log: FastifyBaseLogger;
}

/** The emulator controls and the request inspector of one server process. */
export interface Emulator {
  readonly requestLog: RequestRecorder;
  /** Null when emulator mode is off. */
  readonly faults: FaultService | null;
  /** Null when emulator mode is off or the clock is not virtual. */
  readonly clock: ClockService | null;
  readonly world: WorldService;
  /** Transition overrides of stateful resources (manual kinds, forced stages). */
  readonly transitions: TransitionService;
  readonly sync: EmulatorSync;
  readonly observers: Observers;
  /** `/_emulator/*` with the given modules' extensions, to register (with that prefix) only in emulator mode. */
  routes(extensions: readonly EmulatorExtension[]): (app: FastifyInstance) => Promise<void>;
  /** Routes for the admin API's authenticated scope: `/faults` (emulator mode) and `/requests`. */
  adminRoutes(app: FastifyInstance): Promise<void>;
  /** Applies the shared state and starts following its changes. */
  start(): Promise<void>;
  /** Stops following and writes what the request log still holds. */
  close(): Promise<void>;
}

/** Applies the stored clock offset to a virtual clock (every process, the CLI included, starts on the shared clock). */
export async function applyStoredClock(ctx: AppContext): Promise<void> {
  if (!ctx.config.emulator || !(ctx.clock instanceof VirtualClock)) return;
  await ensureState(ctx.db.kysely);
  ctx.clock.setOffset((await readState(ctx.db.kysely)).clockOffsetMs);
}

/** Builds the emulator module of a server process. */
export function createEmulator(deps: EmulatorDeps): Emulator {
  const { ctx, services, metrics, log } = deps;
  const on = ctx.config.emulator;
  const virtual = on && ctx.clock instanceof VirtualClock ? ctx.clock : null;
  const faults = on ? new FaultService(ctx, services) : null;
  const requestLog = new RequestRecorder(
    ctx,
    // Entries with bodies are larger, so fewer may wait in memory.
    {
      maxEntries: ctx.config.requestLogMaxEntries,
      maxAgeSeconds: ctx.config.requestLogMaxAgeSeconds,
      maxPending: ctx.config.requestLogBodies ? 2000 : 10_000,
    },
    (err) => log.error({ err }, 'request log write failed'),
    (n) => metrics.requestLogDropped.inc(n),
  );
  const sync = new EmulatorSync(
    ctx.db,
    {
      clock: (offsetMs) => virtual?.setOffset(offsetMs),
      faults: async () => faults?.reload(),
      world: async () => {
        deps.gateway.clear();
        await deps.limiter.reset();
      },
      caches: () => ctx.events.deliver({ type: 'caches.stale' }),
    },
    (err) => log.warn({ err }, 'emulator state refresh failed'),
  );
  const refresh = () => sync.refresh();
  const clock = virtual ? new ClockService(ctx, virtual, refresh) : null;
  const world = new WorldService(ctx, { before: () => requestLog.flush(), after: refresh });
  const observers = createObservers(ctx, requestLog, metrics);
  const transitions = services.transitions;
  const routeOptions = { services, clock, world, transitions, seed: () => seedDemo(ctx, services), seedByDefault: ctx.config.seedDemo };
  const adminOptions = { services, requestLog, faults };
  return {
    requestLog,
    faults,
    clock,
    world,
    transitions,
    sync,
    observers,
    routes: (extensions) => (app) => emulatorRoutes(app, { ...routeOptions, extensions }),
    adminRoutes: emulatorAdminRoutes(adminOptions),
    async start() {
      await ensureState(ctx.db.kysely);
      await sync.start(ctx.events);
    },
    async close() {
      sync.stop();
      await requestLog.close();
    },
  };
}
export { runEmulatorCommand, EmulatorUsageError, EMULATOR_HELP, type EmulatorCliFlags } from './emulator.cli.ts';

import type { EventBus } from '../../kernel/events.ts';
import type { Db } from '../../platform/db/database.ts';
import { bumpCacheVersion, readState, type EmulatorState } from './state.repository.ts';

/** What to do when another process (or the CLI) changed the shared emulator state. */
export interface SyncHandlers {
  clock(offsetMs: number): void;
  faults(): Promise<void>;
  world(): Promise<void>;
  /** Another process changed something this process may have cached. */
  caches(): void;
}

/** How often an idle process re-reads the state row (requests check it themselves before they are answered). */
export const POLL_INTERVAL_MS = 1000;

/**
 * Keeps this process in step with the shared emulator state: checked before every request
 * (`ensureCurrent`), re-read at once on an event bridged by Redis, and by a slow poll while the
 * process is idle. Only what changed since the last read is applied, so a clock advanced in memory
 * (tests) is not overwritten by a re-read.
 */
export class EmulatorSync {
  private seen: EmulatorState | null = null;
  private chain: Promise<void> = Promise.resolve();
  /** A re-read scheduled but not started yet: a request arriving now may wait for it instead of adding one. */
  private queued: Promise<void> | null = null;
  private lastDataVersion: number | null = null;
  private lastCheck: Promise<void> = Promise.resolve();
  /** Whether `lastCheck` has settled (a request then has nothing to wait for). */
  private lastCheckDone = true;
  private timer: NodeJS.Timeout | null = null;
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly db: Db,
    private readonly handlers: SyncHandlers,
    private readonly onError: (err: unknown) => void = () => undefined,
  ) {}

  /** Applies the stored state (the clock offset included) and starts listening and polling. */
  async start(events: EventBus, pollMs = POLL_INTERVAL_MS): Promise<void> {
    await this.refresh();
    this.unsubscribe = events.on((e) => {
      if (e.type === 'clock.changed' || e.type === 'faults.changed' || e.type === 'world.replaced') void this.refresh().catch(this.onError);
    });
    if (pollMs > 0) {
      this.timer = setInterval(() => void this.refresh().catch(this.onError), pollMs);
      this.timer.unref();
    }
  }

  /**
   * Brings this process up to date with the shared state before a request is answered, so that a
   * change committed by another process or the CLI before the request was sent is seen by it. On
   * SQLite a pragma read without I/O says whether another connection wrote since the last check; on
   * PostgreSQL the state row is read (one primary-key lookup), joining a read not started yet.
   */
  ensureCurrent(): Promise<void> {
    return this.currentOrWait() ?? this.lastCheck;
  }

  /**
   * As `ensureCurrent`, but null when there is nothing to wait for (SQLite, no other connection
   * wrote, and the last re-read is done): the per-request hook then goes on without a promise.
   */
  currentOrWait(): Promise<void> | null {
    const version = this.db.dataVersion();
    if (version !== null) {
      if (version === this.lastDataVersion) return this.lastCheckDone ? null : this.lastCheck;
      this.lastDataVersion = version;
    }
    const check = this.queued ?? this.refresh();
    this.lastCheck = check;
    this.lastCheckDone = false;
    const done = () => {
      if (this.lastCheck === check) this.lastCheckDone = true;
    };
    check.then(done, done);
    return check;
  }

  /** Re-reads the state and applies what changed; calls run one after another. */
  refresh(): Promise<void> {
    const run: Promise<void> = this.chain.then(async () => {
      if (this.queued === run) this.queued = null;
      const state = await readState(this.db.kysely);
      const prev = this.seen;
      this.seen = state;
      // The offset is applied on the first read too: a process starts on the shared clock.
      if (!prev || prev.clockVersion !== state.clockVersion) this.handlers.clock(state.clockOffsetMs);
      if (prev && prev.worldVersion !== state.worldVersion) await this.handlers.world();
      if (!prev || prev.faultsVersion !== state.faultsVersion || prev.worldVersion !== state.worldVersion) await this.handlers.faults();
      if (prev && prev.cacheVersion !== state.cacheVersion) this.handlers.caches();
    });
    this.queued = run;
    this.chain = run.catch(() => undefined);
    return run;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.unsubscribe?.();
    this.unsubscribe = null;
  }
}

/**
 * Makes every change this process emits visible to the others: each emitted platform event (but the
 * clock's and the faults', which move versions of their own) moves the shared cache version, which
 * every process compares before each request (`EmulatorSync.ensureCurrent`). A server waits for
 * these writes before it answers (`events.settled()`), and the CLI before it returns.
 */
export function shareCacheChanges(db: Db, events: EventBus, onError: (err: unknown) => void = () => undefined): () => void {
  return events.onEmitted(async (event) => {
    if (event.type === 'clock.changed' || event.type === 'faults.changed') return;
    try {
      await bumpCacheVersion(db.kysely);
    } catch (err) {
      onError(err);
    }
  });
}

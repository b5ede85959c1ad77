import type { EventBus } from '../../kernel/events.ts';
import type { Db } from '../../platform/db/database.ts';
import { readState, type EmulatorState } from './state.repository.ts';

/** What to do when another process (or the CLI) changed the shared emulator state. */
export interface SyncHandlers {
  clock(offsetMs: number): void;
  faults(): Promise<void>;
  world(): Promise<void>;
}

/** How often the state row is polled: the fallback when there is no Redis to carry events (e.g. the CLI on SQLite). */
export const POLL_INTERVAL_MS = 1000;

/**
 * Keeps this process in step with the shared emulator state. Events (bridged by Redis) trigger a
 * re-read at once, and a slow poll catches changes made without an event. Only what changed since
 * the last read is applied, so a clock advanced in memory (tests) is not overwritten by a poll.
 */
export class EmulatorSync {
  private seen: EmulatorState | null = null;
  private chain: Promise<void> = Promise.resolve();
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

  /** Re-reads the state and applies what changed; calls run one after another. */
  refresh(): Promise<void> {
    const run = this.chain.then(async () => {
      const state = await readState(this.db.kysely);
      const prev = this.seen;
      this.seen = state;
      // The offset is applied on the first read too: a process starts on the shared clock.
      if (!prev || prev.clockVersion !== state.clockVersion) this.handlers.clock(state.clockOffsetMs);
      if (prev && prev.worldVersion !== state.worldVersion) await this.handlers.world();
      if (!prev || prev.faultsVersion !== state.faultsVersion || prev.worldVersion !== state.worldVersion) await this.handlers.faults();
    });
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

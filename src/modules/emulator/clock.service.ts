import type { AppContext } from '../../app-context.ts';
import type { VirtualClock } from '../../kernel/clock.ts';
import { advanceClockOffset, setClockOffset } from './state.repository.ts';

/** The platform time as the clock endpoints show it. */
export interface ClockView {
  now: string;
  epochMs: number;
  /** How far the platform time is from the wall clock, in milliseconds. */
  offsetMs: number;
}

/**
 * Reads and moves the virtual clock. The offset lives in the database so every process (and the
 * CLI) shares it; a change is written first, then applied here and announced to other processes.
 */
export class ClockService {
  constructor(
    private readonly ctx: AppContext,
    private readonly clock: VirtualClock,
    /** Re-reads the shared state and applies it to this process. */
    private readonly refresh: () => Promise<void>,
  ) {}

  view(): ClockView {
    const epochMs = this.clock.now();
    return { now: new Date(epochMs).toISOString(), epochMs, offsetMs: this.clock.offset };
  }

  async advance(ms: number): Promise<ClockView> {
    await advanceClockOffset(this.ctx.db.kysely, Math.round(ms), this.clock.now());
    return this.changed();
  }

  /** Sets the platform time to an instant; it runs on from there. */
  async set(epochMs: number): Promise<ClockView> {
    const wall = this.clock.now() - this.clock.offset;
    await setClockOffset(this.ctx.db.kysely, Math.round(epochMs - wall), this.clock.now());
    return this.changed();
  }

  /** Back to the wall clock. */
  async reset(): Promise<ClockView> {
    await setClockOffset(this.ctx.db.kysely, 0, this.clock.now());
    return this.changed();
  }

  private async changed(): Promise<ClockView> {
    await this.refresh();
    this.ctx.events.emit({ type: 'clock.changed', offsetMs: this.clock.offset });
    return this.view();
  }
}

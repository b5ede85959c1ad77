import type { Kysely } from 'kysely';
import type { AppContext } from '../../app-context.ts';
import type { Database } from '../../database.ts';
import { validation } from '../../kernel/errors.ts';
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

  /** Moves the platform time by ms (negative moves it back); audited as `emulator.clock.advance`. */
  async advance(actor: string, ms: number): Promise<ClockView> {
    if (!Number.isFinite(ms)) throw validation('The clock moves by a finite number of milliseconds.');
    const before = this.view();
    await this.ctx.db.transaction(async (trx) => {
      await advanceClockOffset(trx, Math.round(ms), this.clock.now());
      await this.audit(trx, actor, 'emulator.clock.advance', before, { advancedMs: Math.round(ms) });
    });
    return this.changed();
  }

  /** Sets the platform time to an instant; it runs on from there. Audited as `emulator.clock.set`. */
  async set(actor: string, epochMs: number): Promise<ClockView> {
    if (!Number.isFinite(epochMs)) throw validation('The clock is set to a valid instant.');
    const before = this.view();
    const wall = this.clock.now() - this.clock.offset;
    await this.ctx.db.transaction(async (trx) => {
      await setClockOffset(trx, Math.round(epochMs - wall), this.clock.now());
      await this.audit(trx, actor, 'emulator.clock.set', before, { set: new Date(epochMs).toISOString() });
    });
    return this.changed();
  }

  /** Back to the wall clock; audited as `emulator.clock.reset`. */
  async reset(actor: string): Promise<ClockView> {
    const before = this.view();
    await this.ctx.db.transaction(async (trx) => {
      await setClockOffset(trx, 0, this.clock.now());
      await this.audit(trx, actor, 'emulator.clock.reset', before, {});
    });
    return this.changed();
  }

  private async audit(trx: Kysely<Database>, actor: string, action: string, before: ClockView, change: Record<string, string | number>) {
    await this.ctx.audit.record(trx, {
      actor,
      action,
      subjectType: 'clock',
      subjectId: 'platform',
      before: { now: before.now, offsetMs: before.offsetMs },
      after: change,
    });
  }

  private async changed(): Promise<ClockView> {
    await this.refresh();
    this.ctx.events.emit({ type: 'clock.changed', offsetMs: this.clock.offset });
    return this.view();
  }
}

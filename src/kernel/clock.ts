/** Source of the current time in epoch milliseconds; every expiry reads it. */
export interface Clock {
  now(): number;
}

/** The wall clock. */
export const systemClock: Clock = { now: () => Date.now() };

/**
 * A clock that runs with the wall clock plus an offset that can be advanced or set.
 * The offset can be shared between processes by whoever owns it (see the emulator module).
 */
export class VirtualClock implements Clock {
  constructor(
    private offsetMs = 0,
    private readonly base: Clock = systemClock,
  ) {}
  now(): number {
    return this.base.now() + this.offsetMs;
  }
  advance(ms: number): void {
    this.offsetMs += ms;
  }
  set(epochMs: number): void {
    this.offsetMs = epochMs - this.base.now();
  }
  get offset(): number {
    return this.offsetMs;
  }
  setOffset(ms: number): void {
    this.offsetMs = ms;
  }
}

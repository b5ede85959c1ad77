import { takeToken, type RateDecision, type RateLimiter } from './limiter.ts';

/** Buckets in this process's memory: the default for a single process. Idle buckets are swept. */
export class MemoryRateLimiter implements RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private sweeps = 0;

  async consume(key: string, rate: number, burst: number, now: number): Promise<RateDecision> {
    const { state, decision } = takeToken(this.buckets.get(key), rate, burst, now);
    this.buckets.set(key, state);
    if (++this.sweeps % 10_000 === 0) this.sweep(now);
    return decision;
  }

  /** Drops buckets idle long enough to be full again (bounded memory under many keys). */
  private sweep(now: number): void {
    for (const [key, s] of this.buckets) if (now - s.at > 3_600_000) this.buckets.delete(key);
  }

  async reset(): Promise<void> {
    this.buckets.clear();
  }

  async close(): Promise<void> {}
}

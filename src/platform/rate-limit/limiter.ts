/** The outcome of taking one token from a bucket. */
export interface RateDecision {
  allowed: boolean;
  /** Milliseconds until a token is available (0 when allowed). */
  retryAfterMs: number;
}

/**
 * Token buckets by key: tokens refill at `rate` per second up to `burst`; each call takes one.
 * `now` comes from the platform Clock so the virtual clock drives refills too.
 */
export interface RateLimiter {
  consume(key: string, rate: number, burst: number, now: number): Promise<RateDecision>;
  /** Forgets every bucket (reset of the emulator). */
  reset(): Promise<void>;
  close(): Promise<void>;
}

/** Pure bucket arithmetic shared by the adapters' tests: returns the new state and the decision. */
export function takeToken(
  state: { tokens: number; at: number } | undefined,
  rate: number,
  burst: number,
  now: number,
): { state: { tokens: number; at: number }; decision: RateDecision } {
  const prev = state ?? { tokens: burst, at: now };
  const elapsed = Math.max(0, now - prev.at) / 1000;
  const tokens = Math.min(burst, prev.tokens + elapsed * rate);
  if (tokens >= 1) return { state: { tokens: tokens - 1, at: now }, decision: { allowed: true, retryAfterMs: 0 } };
  return { state: { tokens, at: now }, decision: { allowed: false, retryAfterMs: Math.ceil(((1 - tokens) / rate) * 1000) } };
}

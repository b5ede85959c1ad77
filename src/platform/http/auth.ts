import type { FastifyRequest } from 'fastify';
import { RateLimiterMemory } from 'rate-limiter-flexible';

/** The bearer token or API key a request presents, from `Authorization: Bearer` or `x-api-key`. */
export function presentedKey(request: FastifyRequest): string | undefined {
  const auth = request.headers.authorization;
  if (typeof auth === 'string' && /^Bearer /i.test(auth)) return auth.slice(7).trim();
  const key = request.headers['x-api-key'];
  return typeof key === 'string' ? key.trim() : undefined;
}

/**
 * Brute-force limits of sign-in attempts, kept twice: per address and account (10 attempts in 15
 * minutes), and per account alone (20), so that a client changing its address (a new
 * X-Forwarded-For behind a trusted proxy, many hosts) still gets at most 20 guesses at one account.
 */
export class SignInLimits {
  private readonly byAddress: RateLimiterMemory;
  private readonly byAccount: RateLimiterMemory;

  constructor(options: { perAddress?: number; perAccount?: number; seconds?: number } = {}) {
    const duration = options.seconds ?? 15 * 60;
    this.byAddress = new RateLimiterMemory({ points: options.perAddress ?? 10, duration });
    this.byAccount = new RateLimiterMemory({ points: options.perAccount ?? 20, duration });
  }

  /** Counts an attempt at `account` from `address`; false when either limit is reached. */
  async allow(address: string, account: string): Promise<boolean> {
    const key = account.trim().toLowerCase();
    const ok = (p: Promise<unknown>) =>
      p.then(
        () => true,
        () => false,
      );
    const [a, b] = await Promise.all([ok(this.byAddress.consume(`${address}|${key}`)), ok(this.byAccount.consume(key))]);
    return a && b;
  }

  /** Forgets the attempts at `account` after a successful sign-in. */
  async succeeded(address: string, account: string): Promise<void> {
    const key = account.trim().toLowerCase();
    await Promise.all([this.byAddress.delete(`${address}|${key}`), this.byAccount.delete(key)]);
  }
}

/** A cookie value by name (cookies are parsed by @fastify/cookie). */
export function cookieValue(request: FastifyRequest, name: string): string | undefined {
  const cookies = (request as FastifyRequest & { cookies?: Record<string, string | undefined> }).cookies;
  return cookies?.[name];
}

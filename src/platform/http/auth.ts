import type { FastifyRequest } from 'fastify';
import type { RateLimiterMemory } from 'rate-limiter-flexible';

/** The bearer token or API key a request presents, from `Authorization: Bearer` or `x-api-key`. */
export function presentedKey(request: FastifyRequest): string | undefined {
  const auth = request.headers.authorization;
  if (typeof auth === 'string' && /^Bearer /i.test(auth)) return auth.slice(7).trim();
  const key = request.headers['x-api-key'];
  return typeof key === 'string' ? key.trim() : undefined;
}

/** Counts a sign-in attempt against the brute-force limit; false when the limit is reached. */
export const allowSignInAttempt = (limiter: RateLimiterMemory, key: string): Promise<boolean> =>
  limiter.consume(key).then(
    () => true,
    () => false,
  );

/** A cookie value by name (cookies are parsed by @fastify/cookie). */
export function cookieValue(request: FastifyRequest, name: string): string | undefined {
  const cookies = (request as FastifyRequest & { cookies?: Record<string, string | undefined> }).cookies;
  return cookies?.[name];
}

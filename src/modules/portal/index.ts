import type { FastifyInstance } from 'fastify';
import type { RateLimiterMemory } from 'rate-limiter-flexible';
import type { AppContext } from '../../app-context.ts';
import type { Services } from '../../services.ts';

export interface PortalOptions {
  ctx: AppContext;
  services: Services;
  signInLimiter: RateLimiterMemory;
  secureCookies: boolean;
}

/** The server-rendered pages: developer portal, business admin and operator console. */
export async function portalRoutes(_app: FastifyInstance, _opts: PortalOptions): Promise<void> {}

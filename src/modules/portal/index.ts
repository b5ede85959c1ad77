import type { FastifyInstance } from 'fastify';
import type { SignInLimits } from '../../platform/http/auth.ts';
import type { AppContext } from '../../app-context.ts';
import type { Services } from '../../services.ts';
import type { PortalDeps } from './layout.ts';
import { developerPortal } from './developer.pages.ts';
import { businessAdmin } from './business.pages.ts';
import { operatorConsole } from './operator.pages.ts';
import { landingPage } from './landing.ts';
import type { ConsoleEmulator } from './operator.requests.ts';
import { referencePages } from './reference.ts';
import { docsPages } from './docs.ts';
import type { ApiName } from '../registry/index.ts';
import type { ScenarioSet } from '../sandbox/index.ts';

export interface PortalOptions {
  ctx: AppContext;
  services: Services;
  signInLimiter: SignInLimits;
  secureCookies: boolean;
  /** The APIs bound to this server (live on the production base URLs); the others answer 501 there. */
  apis: readonly ApiName[];
  /** The loaded sandbox scenarios (the canned answers the app pages show). */
  scenarios: ScenarioSet;
  /** The request log, virtual clock and fault rules of this process (the console's inspector and emulator pages). */
  emulator: ConsoleEmulator;
}

/** The server-rendered pages: developer portal, business admin and operator console. */
export async function portalRoutes(app: FastifyInstance, opts: PortalOptions): Promise<void> {
  const deps: PortalDeps = {
    ctx: opts.ctx,
    services: opts.services,
    signInLimiter: opts.signInLimiter,
    cookies: { secure: opts.secureCookies },
    apis: opts.apis,
    scenarios: opts.scenarios,
  };
  await app.register(developerPortal, { prefix: '/portal', ...deps });
  await app.register(businessAdmin, { prefix: '/business', ...deps });
  await app.register(operatorConsole, { prefix: '/console', ...deps, emulator: opts.emulator });
  landingPage(app, deps);
  referencePages(app, deps);
  docsPages(app);
}

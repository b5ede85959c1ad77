import type { FastifyInstance } from 'fastify';
import { installArea, type PortalDeps } from './layout.ts';
import { DEVELOPER_AREA } from './session.ts';
import { signOutRoute } from './signin.ts';
import { developerAccountPages } from './developer.account.ts';
import { developerAppPages } from './developer.apps.ts';
import { developerAppDetailPages } from './developer.app-detail.ts';

/** The developer portal under /portal: account, profile and roles, apps and their credentials. */
export async function developerPortal(app: FastifyInstance, deps: PortalDeps): Promise<void> {
  installArea(app, deps.services, DEVELOPER_AREA, async (session) => {
    const dev = await deps.services.developers.getDeveloper(session.subjectId).catch(() => null);
    return dev ? { ok: true, label: dev.email } : { ok: false, reason: 'gone' };
  });
  signOutRoute(app, deps, DEVELOPER_AREA);
  developerAccountPages(app, deps);
  developerAppPages(app, deps);
  developerAppDetailPages(app, deps);
}

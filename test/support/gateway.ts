import type { TestApp } from './app.ts';
import { makeApprovedDeveloper, makeBusiness, makePublishedApp } from './world.ts';
import type { Region, Role } from '../../src/kernel/reference.ts';
import { REGION_DEFAULT_MARKETPLACE } from '../../src/modules/oauth/index.ts';
import { ROLES } from '../../src/kernel/reference.ts';
import { findOperation, type ApiName, type Operation } from '../../src/modules/registry/index.ts';
import { API_MODULES, type ApiDefinition } from '../../src/apis/index.ts';

/** A business, a developer with every role, and a helper to mint access tokens for apps with chosen roles. */
export async function gatewayWorld(app: TestApp) {
  const world = await makeBusiness(app);
  const dev = await makeApprovedDeveloper(app, ROLES, world.business.id);
  /**
   * A new published app with the roles, authorized by the business in one marketplace: a marketplace
   * code (US, CA, UK, …; the business operates in US, CA and UK), or a region for its default
   * marketplace (NA: US, EU: UK, FE: JP). Tokens are per marketplace.
   */
  const tokenFor = async (roles: Role[], marketplace: string = 'US') => {
    const { app: client, clientSecret } = await makePublishedApp(app, dev.id, roles);
    const code = marketplace in REGION_DEFAULT_MARKETPLACE ? REGION_DEFAULT_MARKETPLACE[marketplace as Region] : marketplace;
    const t = await app.services.oauth.authorizeOnBehalf({
      applicationId: client.applicationId,
      adminEmail: world.admin.email,
      marketplace: code,
    });
    return { client, clientSecret, accessToken: t.access_token, refreshToken: t.refresh_token, marketplace: t.marketplace };
  };
  const sandboxToken = async (roles: Role[] = ['Business Product Catalog']) => {
    const { app: client, clientSecret } = await app.services.apps.create(dev.id, {
      name: 'Sbx',
      type: 'sandbox',
      visibility: 'public',
      roles,
      redirectUris: ['https://client.example.com/cb'],
    });
    const { refreshToken } = await app.services.oauth.createSandboxToken(dev.id, client.id);
    const res = await app.server.inject({
      method: 'POST',
      url: '/auth/o2/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: refreshToken,
        client_id: client.clientId,
        client_secret: clientSecret,
      }).toString(),
    });
    return { client, accessToken: res.json().access_token as string };
  };
  return { ...world, dev, tokenFor, sandboxToken };
}

/** A concrete URL for an operation: path parameters filled with placeholders. */
export const urlOf = (op: Operation, prefix = '/na', query = ''): string => `${prefix}${op.path.replace(/:([A-Za-z]+)/g, 'X1')}${query}`;

/**
 * The gateway probe: a valid call of a built operation that needs no data. Reporting 2021's
 * getOrdersByOrderDate over a 2020 day answers 200 {"orders":[],"size":0} to a token with the
 * Amazon Business Analytics role (the range must not end after the virtual clock's now).
 * Tests of tokens, roles, usage plans, faults, metrics and the request log call it through
 * `probeUrl` rather than an operation of their choosing, so that building another API never
 * changes their answers.
 */
export const PROBE = {
  operationId: 'getOrdersByOrderDate',
  role: 'Amazon Business Analytics',
  status: 200,
  body: '{"orders":[],"size":0}',
} as const satisfies { operationId: string; role: Role; status: number; body: string };

/** The probe's URL under a base prefix ('' for the root, '/eu', '/sandbox/na', ...). */
export const probeUrl = (prefix = '/na'): string =>
  urlOf(findOperation(PROBE.operationId)!, prefix, '?startDate=2020-01-01T00:00:00Z&endDate=2020-01-02T00:00:00Z');

/**
 * The API modules of this tree without the named APIs: tests of the 501 an unbuilt API answers
 * build their app with this list, so they keep an unbuilt API to call once every API is built.
 */
export const apiModulesWithout = (...apis: ApiName[]): readonly ApiDefinition[] => API_MODULES.filter((m) => !apis.includes(m.api));

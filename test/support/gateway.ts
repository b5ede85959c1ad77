import type { TestApp } from './app.ts';
import { makeApprovedDeveloper, makeBusiness, makePublishedApp } from './world.ts';
import type { Role } from '../../src/kernel/reference.ts';
import { ROLES } from '../../src/kernel/reference.ts';
import type { Operation } from '../../src/modules/registry/index.ts';

/** A business, a developer with every role, and a helper to mint access tokens for apps with chosen roles. */
export async function gatewayWorld(app: TestApp) {
  const world = await makeBusiness(app);
  const dev = await makeApprovedDeveloper(app, ROLES, world.business.id);
  const tokenFor = async (roles: Role[], region: 'NA' | 'EU' | 'FE' = 'NA') => {
    const { app: client, clientSecret } = await makePublishedApp(app, dev.id, roles);
    const t = await app.services.oauth.authorizeOnBehalf({
      applicationId: client.applicationId,
      adminEmail: world.admin.email,
      marketplace: region === 'NA' ? 'US' : region === 'EU' ? 'UK' : 'JP',
    });
    return { client, clientSecret, accessToken: t.access_token, refreshToken: t.refresh_token };
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

import { after } from 'node:test';
import { testConfig } from '../../src/config/config.ts';
import { createServer, type Server } from '../../src/platform/http/server.ts';
import { PRIVILEGED_FIELDS, type PrivilegedField, type Region } from '../../src/kernel/reference.ts';
import { apiRoutes, type ApiCallContext } from '../../src/modules/gateway/index.ts';
import type { BoundApi } from '../../src/apis/index.ts';

/** A gateway verdict for tests: a production call of a business's buyer, with no privileged field unless patched. */
export function apiCall(patch: Partial<ApiCallContext> = {}): ApiCallContext {
  return {
    operationId: 'searchProductsRequest',
    region: 'NA' as Region,
    marketplace: 'US',
    environment: 'production',
    appId: 'app_test',
    applicationId: 'amzn1.sp.solution.test',
    businessId: 'biz_test',
    roles: ['Business Product Catalog'],
    privilegedFields: new Set<PrivilegedField>(),
    user: { id: 'usr_test', email: 'buyer@example.com', groupIds: [], groupId: null },
    ...patch,
  };
}

export const ALL_PRIVILEGES: ReadonlySet<PrivilegedField> = new Set(PRIVILEGED_FIELDS);

/**
 * A server with one API module's routes and nothing else (no gateway checks): every request carries
 * the given call context, as if the gateway had admitted it. Closed after the file's tests.
 */
export async function apiServer(api: BoundApi, call: Partial<ApiCallContext> = {}): Promise<Server> {
  const server = createServer(testConfig(), false);
  const context = apiCall(call);
  server.addHook('onRequest', async (request) => {
    request.apiCall = context;
  });
  await server.register(apiRoutes(api.binding));
  await server.ready();
  after(() => server.close());
  return server;
}

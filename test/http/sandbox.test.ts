import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testConfig } from '../../src/config/config.ts';
import { createServer, type Server } from '../../src/platform/http/server.ts';
import { addScenario, loadScenarios, sandboxPlugin, type SandboxPluginOptions } from '../../src/modules/sandbox/index.ts';

const NO_MATCH = { errors: [{ code: 'InvalidInput', message: 'Could not match input arguments', details: '' }] };
const EMAIL = { 'x-amz-user-email': 'buyer@example.com' };

/** A server with the sandbox plugin and a hook that records the operation each route carries, as the gateway will. */
async function sandboxServer(options: Partial<SandboxPluginOptions> = {}): Promise<{ server: Server; seen: string[] }> {
  const { scenarios, problems } = await loadScenarios();
  assert.deepEqual(problems, []);
  const server = createServer(testConfig(), false);
  const seen: string[] = [];
  server.addHook('onRequest', async (request) => {
    const config = request.routeOptions.config as { operationId?: string };
    if (config.operationId) seen.push(config.operationId);
  });
  await server.register(sandboxPlugin, { scenarios, ...options });
  await server.ready();
  return { server, seen };
}

test('the Product Search sandbox call answers from the scenario', async (t) => {
  const { server, seen } = await sandboxServer();
  t.after(() => server.close());
  const res = await server.inject({
    method: 'GET',
    url: '/products/2020-08-26/products?productRegion=US&locale=en_US&facets=OFFERS&keywords=keyword',
    headers: EMAIL,
  });
  assert.equal(res.statusCode, 200);
  assert.match(String(res.headers['content-type']), /^application\/json/);
  assert.match(String(res.headers['x-amzn-requestid']), /^[0-9a-f-]{36}$/);
  const body = res.json();
  assert.equal(body.matchingProductCount, 4);
  assert.equal(body.numberOfPages, 1);
  assert.deepEqual(seen, ['searchProductsRequest']);
});

test('repeated keys, an extra parameter or a changed value answer 400 InvalidInput', async (t) => {
  const { server } = await sandboxServer();
  t.after(() => server.close());
  for (const query of [
    'productRegion=US&locale=en_US&facets=OFFERS&facets=IMAGES&keywords=keyword',
    'productRegion=US&locale=en_US&facets=OFFERS&keywords=keyword&pageSize=10',
    'productRegion=US&locale=en_US&facets=OFFERS&keywords=other',
  ]) {
    const res = await server.inject({ method: 'GET', url: `/products/2020-08-26/products?${query}`, headers: EMAIL });
    assert.equal(res.statusCode, 400, query);
    assert.deepEqual(res.json(), NO_MATCH);
    assert.equal(res.body, JSON.stringify(NO_MATCH));
  }
});

test('a 4xx stub of the model answers with its own body', async (t) => {
  const { server } = await sandboxServer();
  t.after(() => server.close());
  const res = await server.inject({ method: 'GET', url: '/cart/2025-04-30/carts', headers: EMAIL });
  assert.equal(res.statusCode, 400);
  assert.deepEqual(res.json(), {
    errors: [
      {
        code: 'INVALID_REQUEST_PARAMETER',
        message: 'The required request parameter is missing: region.',
        details: 'Please provide the required parameter (region) in the request.',
      },
    ],
  });
  const ok = await server.inject({ method: 'GET', url: '/cart/2025-04-30/carts?region=US', headers: EMAIL });
  assert.deepEqual(ok.json(), { cartDetailsList: [{ id: 'cart-123', cartType: 'DEFAULT', region: 'US' }] });
});

test('path parameters and bodies match; empty responses have no body', async (t) => {
  const { server } = await sandboxServer();
  t.after(() => server.close());
  const cart = await server.inject({ method: 'GET', url: '/cart/2025-04-30/carts/cart-123?region=US' });
  assert.equal(cart.statusCode, 200);
  assert.equal(cart.json().id, 'cart-123');

  const report = {
    marketplaceIds: ['A1PA6795UKMFR9', 'ATVPDKIKX0DER'],
    dataStartTime: '2019-12-10T20:11:24.000Z',
    reportType: 'GET_MERCHANT_LISTINGS_ALL_DATA',
  };
  const created = await server.inject({ method: 'POST', url: '/reports/2021-09-30/reports', payload: report });
  assert.equal(created.statusCode, 202);
  assert.deepEqual(created.json(), { reportId: 'ID323' });
  const extra = await server.inject({ method: 'POST', url: '/reports/2021-09-30/reports', payload: { ...report, extra: true } });
  assert.deepEqual([extra.statusCode, extra.json()], [400, NO_MATCH]);

  // SDKs send Content-Type: application/json on bodiless DELETEs.
  const deleted = await server.inject({
    method: 'DELETE',
    url: '/cart/2025-04-30/carts/cart-123/items?region=US',
    headers: { 'content-type': 'application/json' },
  });
  assert.equal(deleted.statusCode, 204);
  assert.equal(deleted.body, '');

  const cancelled = await server.inject({ method: 'DELETE', url: '/reports/2021-09-30/reports/ID' });
  assert.equal(cancelled.statusCode, 200);
  assert.equal(cancelled.body, '');

  // The model's 400 stub lists an empty purchase order number: an empty path segment.
  const emptyPo = await server.inject({ method: 'GET', url: '/reports/2025-06-09/purchaseOrders//orderReports' });
  assert.equal(emptyPo.statusCode, 400);
  assert.equal(emptyPo.json().errors[0].code, 'INVALID_REQUEST_PARAMETER');

  const badJson = await server.inject({
    method: 'POST',
    url: '/reports/2021-09-30/reports',
    headers: { 'content-type': 'application/json' },
    payload: '{"a":',
  });
  assert.equal(badJson.statusCode, 400);
});

test('routes exist only for operations with scenarios unless all are asked for', async (t) => {
  const { server } = await sandboxServer();
  t.after(() => server.close());
  const rotate = await server.inject({ method: 'POST', url: '/applications/2023-11-30/clientSecret', payload: {} });
  assert.equal(rotate.statusCode, 404);

  const { server: all, seen } = await sandboxServer({ routes: 'all' });
  t.after(() => all.close());
  const noScenario = await all.inject({ method: 'POST', url: '/applications/2023-11-30/clientSecret', payload: {} });
  assert.deepEqual([noScenario.statusCode, noScenario.json()], [400, NO_MATCH]);
  assert.deepEqual(seen, ['rotateApplicationClientSecret']);
});

test('a scenario added at run time is served, with its headers', async (t) => {
  const { scenarios } = await loadScenarios();
  const server = createServer(testConfig(), false);
  t.after(() => server.close());
  await server.register(sandboxPlugin, { scenarios });
  await server.ready();
  const added = addScenario(scenarios, {
    operationId: 'getCart',
    request: { path: { cartId: 'cart-777' }, query: { region: 'DE' } },
    response: { status: 404, headers: { 'x-amzn-RateLimit-Limit': '2' }, body: { errors: [{ code: 'NotFound', message: 'No cart.' }] } },
  });
  assert.ok(added.ok);
  const res = await server.inject({ method: 'GET', url: '/cart/2025-04-30/carts/cart-777?region=DE' });
  assert.equal(res.statusCode, 404);
  assert.equal(res.headers['x-amzn-ratelimit-limit'], '2');
  assert.deepEqual(res.json(), { errors: [{ code: 'NotFound', message: 'No cart.' }] });
});

test('route constraints keep the sandbox to its hosts', async (t) => {
  const { server } = await sandboxServer({ constraints: { host: 'sandbox.na.business-api.amazon.com' } });
  t.after(() => server.close());
  const url = '/cart/2025-04-30/carts?region=US';
  const sandbox = await server.inject({ method: 'GET', url, headers: { host: 'sandbox.na.business-api.amazon.com' } });
  assert.equal(sandbox.statusCode, 200);
  const production = await server.inject({ method: 'GET', url, headers: { host: 'na.business-api.amazon.com' } });
  assert.equal(production.statusCode, 404);
});

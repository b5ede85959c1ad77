import { test } from 'node:test';
import { Type } from '@sinclair/typebox';
import assert from 'node:assert/strict';
import { bindApis, defineApi, type ApiDefinition } from '../../src/apis/index.ts';
import { productSearchApi } from '../../src/apis/product-search/index.ts';
import { ApiReply } from '../../src/modules/gateway/index.ts';
import { invalidParameter, requireJsonObject } from '../../src/apis/shared/index.ts';
import { buildTestApp } from '../support/app.ts';
import { gatewayWorld } from '../support/gateway.ts';

// The API module contract (src/apis/api-module.ts): a module is one defineApi(...) in one list, the
// gateway serves it at the registry's methods and paths behind its checks, and a module that does
// not implement exactly its API's operations stops the server with a clear message.

interface OrderingTestDeps {
  placed: unknown[];
}

/** A stand-in Ordering module: records what it is given, answers fixed bodies. */
const fakeOrdering = defineApi({
  api: 'Ordering',
  bodyPolicy: 'json',
  deps: (): OrderingTestDeps => ({ placed: [] }),
  handlers: {
    placeOrder: async (request, deps) => {
      const body = requireJsonObject('placeOrder', request.body);
      if (body.explode) throw new Error('the order store is down at 10.9.9.9');
      if (body.refuse) throw invalidParameter('Request parameter [refuse] is refused.');
      deps.placed.push(body);
      return new ApiReply(
        202,
        { placed: deps.placed.length, region: request.call.region, business: request.call.businessId },
        { 'x-test': 'yes' },
      );
    },
    orderDetails: async (request) => ({ externalId: request.params.externalId, user: request.call.user?.email }),
  },
  responses: { placeOrder: { 202: Type.Unknown() }, orderDetails: { 200: Type.Unknown() } },
  emulatorRoutes: async (app, deps) => {
    app.get('/placed', async () => ({ placed: deps.placed.length }));
  },
});

test('a module declares exactly its operations: a missing or foreign handler does not compile', () => {
  const unused = (): ApiDefinition[] => [
    defineApi({
      api: 'Ordering',
      bodyPolicy: 'json',
      deps: () => ({}),
      // @ts-expect-error orderDetails has no handler
      handlers: { placeOrder: async () => ({}) },
      responses: { placeOrder: {}, orderDetails: {} },
    }),
    defineApi({
      api: 'Ordering',
      bodyPolicy: 'json',
      deps: () => ({}),
      // @ts-expect-error listCarts is Cart's, not Ordering's
      handlers: { placeOrder: async () => ({}), orderDetails: async () => ({}), listCarts: async () => ({}) },
      responses: { placeOrder: {}, orderDetails: {} },
    }),
  ];
  assert.equal(typeof unused, 'function');
});

test('a module that does not implement exactly its API stops the server with a clear message', async () => {
  const app = await buildTestApp();
  const root = { ctx: app.ctx, services: app.services, metrics: app.metrics };
  const broken = (handlers: Record<string, unknown>, api = 'Ordering'): ApiDefinition =>
    defineApi({
      api: api as 'Ordering',
      bodyPolicy: 'json',
      deps: () => ({}),
      handlers: handlers as never,
      responses: { placeOrder: {}, orderDetails: {} },
    });
  const noop = async () => ({});
  assert.throws(() => bindApis([broken({ placeOrder: noop })], root), /API module "Ordering" has no handler for orderDetails\./);
  assert.throws(
    () => bindApis([broken({ placeOrder: noop, orderDetails: noop, listCarts: noop })], root),
    /handlers for operations that are not Ordering's: listCarts/,
  );
  assert.throws(() => bindApis([fakeOrdering, fakeOrdering], root), /API "Ordering" is implemented by more than one API module/);
  assert.throws(() => bindApis([broken({}, 'Shopping')], root), /no such API in the operation registry/);
  await assert.rejects(buildTestApp({}, { apiModules: [broken({ placeOrder: noop })] }), /no handler for orderDetails/);
});

test('the gateway serves a module at the registry paths, behind its checks, with its body policy and error naming', async () => {
  const app = await buildTestApp({}, { apiModules: [productSearchApi, fakeOrdering] });
  const w = await gatewayWorld(app);
  const buyer = await w.tokenFor(['Amazon Business Order Placement']);
  await app.services.reviews.setUsagePlan('operator:t', buyer.client.id, 'placeOrder', 1000, 1000);
  const place = (headers: Record<string, string>, payload?: string, prefix = '/na') =>
    app.server.inject({
      method: 'POST',
      url: `${prefix}/ordering/2022-10-30/orders`,
      headers,
      ...(payload === undefined ? {} : { payload }),
    });
  const json = { 'x-amz-access-token': buyer.accessToken, 'content-type': 'application/json' };

  assert.equal((await place({ 'content-type': 'application/json' }, '{}')).statusCode, 403, 'no token: the gateway refuses first');
  const placed = await place(json, '{"lines":[]}', '/eu');
  assert.equal(placed.statusCode, 403, 'an NA token on the EU base URL is refused');
  const ok = await place(json, '{"lines":[]}');
  assert.equal(ok.statusCode, 202, ok.body);
  assert.deepEqual(ok.json(), { placed: 1, region: 'NA', business: w.business.id });
  assert.equal(ok.headers['x-test'], 'yes');
  assert.ok(ok.headers['x-amzn-requestid']);
  assert.equal(ok.headers['x-amzn-ratelimit-limit'], '1000');

  const text = await place({ ...json, 'content-type': 'text/plain' }, 'lines=1');
  assert.equal(text.statusCode, 415, 'a json module: the gateway answers a non-JSON body');
  const refused = await place(json, '{"refuse":true}');
  assert.deepEqual(refused.json(), {
    errors: [{ code: 'INVALID_REQUEST_PARAMETER', message: 'Request parameter [refuse] is refused.', details: '' }],
  });
  const failed = await place(json, '{"explode":true}');
  assert.equal(failed.statusCode, 500);
  assert.equal(failed.json().errors[0].code, 'InternalFailure', 'no internalErrorCode: InternalFailure');
  assert.doesNotMatch(failed.body, /10\.9\.9\.9/);

  const details = await app.server.inject({
    method: 'GET',
    url: '/na/ordering/2022-10-30/orders/ext-1',
    headers: { 'x-amz-access-token': buyer.accessToken, 'x-amz-user-email': w.buyer.email },
  });
  assert.equal(details.statusCode, 200, details.body);
  assert.deepEqual(details.json(), { externalId: 'ext-1', user: w.buyer.email });
  assert.equal(
    (
      await app.server.inject({
        method: 'GET',
        url: '/na/ordering/2022-10-30/orders/ext-1',
        headers: { 'x-amz-access-token': buyer.accessToken },
      })
    ).statusCode,
    400,
    'the model requires the user email',
  );

  const cart = await app.server.inject({
    method: 'GET',
    url: '/na/cart/2025-04-30/carts?region=US',
    headers: {
      'x-amz-access-token': (await w.tokenFor(['Amazon Business Order Placement'])).accessToken,
      'x-amz-user-email': w.buyer.email,
    },
  });
  assert.equal(cart.statusCode, 501, 'an API with no module keeps its 501');

  const key = await app.services.operators.createAdminKey('api-module-test');
  assert.equal(
    (await app.server.inject({ method: 'GET', url: '/_emulator/ordering/placed' })).statusCode,
    401,
    'module controls sit behind the operator key',
  );
  const controls = await app.server.inject({ method: 'GET', url: '/_emulator/ordering/placed', headers: { 'x-api-key': key } });
  assert.deepEqual(controls.json(), { placed: 1 });
});

test('a raw-body module reads the body itself, and its unexpected failures carry its own code', async () => {
  const app = await buildTestApp();
  const w = await gatewayWorld(app);
  const buyer = await w.tokenFor(['Business Product Catalog']);
  const res = await app.server.inject({
    method: 'POST',
    url: '/na/products/2020-08-26/products/getProductsByAsins',
    headers: { 'x-amz-access-token': buyer.accessToken, 'x-amz-user-email': w.buyer.email, 'content-type': 'text/plain' },
    payload: 'productIds=B000000000',
  });
  assert.equal(res.statusCode, 400);
  assert.equal(res.json().errors[0].code, 'InvalidInput');
  const get = await app.server.inject({
    method: 'GET',
    url: '/na/products/2020-08-26/products/getProductsByAsins',
    headers: { 'x-amz-access-token': buyer.accessToken, 'x-amz-user-email': w.buyer.email },
  });
  assert.equal(get.statusCode, 400, 'a GET on a POST operation is counted against it and answered InvalidInput (FAQ)');
  assert.match(get.json().errors[0].message, /getProductsByAsins is a POST operation/);
  assert.equal(get.headers['x-amzn-ratelimit-limit'], '0.5', 'the wrong-method call is counted against the operation');
});

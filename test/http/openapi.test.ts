import { test } from 'node:test';
import assert from 'node:assert/strict';
import SwaggerParser from '@apidevtools/swagger-parser';
import type { OpenAPIV3_1 } from 'openapi-types';
import { Type } from '@sinclair/typebox';
import { API_MODULES, defineApi } from '../../src/apis/index.ts';
import { OPERATIONS } from '../../src/modules/registry/index.ts';
import { buildTestApp } from '../support/app.ts';
import { gatewayWorld } from '../support/gateway.ts';

// The server's own OpenAPI 3.1 document: valid, generated from the schemas that serve the answers,
// one per API and one for all; and the answer check that keeps the two from drifting.

const app = await buildTestApp();
const builtApis = new Set(app.apis.map((a) => a.api));
const implemented = OPERATIONS.filter((op) => builtApis.has(op.api));

test('GET /openapi.json is a valid OpenAPI 3.1 document of exactly the operations the server implements', async () => {
  const res = await app.server.inject({ url: '/openapi.json', headers: { host: 'bizapi.example:8443' } });
  assert.equal(res.statusCode, 200);
  assert.match(String(res.headers['content-type']), /^application\/json/);
  const doc = res.json() as OpenAPIV3_1.Document;
  assert.equal(doc.openapi, '3.1.0');
  await SwaggerParser.validate(structuredClone(doc) as never);
  const listed = Object.entries(doc.paths ?? {}).flatMap(([, item]) =>
    ['get', 'post', 'put', 'patch', 'delete'].flatMap((m) => {
      const op = (item as Record<string, OpenAPIV3_1.OperationObject | undefined>)[m];
      return op?.operationId ? [op.operationId] : [];
    }),
  );
  assert.deepEqual(listed.sort(), implemented.map((o) => o.operationId).sort());
  assert.ok(implemented.length >= 25, `implemented: ${implemented.length}`);
  assert.ok(
    doc.servers?.some((s) => s.url === 'http://bizapi.example:8443/na'),
    JSON.stringify(doc.servers),
  );
  assert.ok(doc.servers?.some((s) => s.url === 'http://bizapi.example:8443/sandbox/eu'));
  // Every operation: its parameters as the registry has them, the error envelope, the rate-limit header.
  for (const op of implemented) {
    const o = (doc.paths![op.modelPath] as Record<string, OpenAPIV3_1.OperationObject>)[op.method.toLowerCase()]!;
    const names = (o.parameters as OpenAPIV3_1.ParameterObject[]).map((p) => `${p.in}:${p.name}`).sort();
    assert.deepEqual(
      names,
      op.parameters
        .filter((p) => p.in !== 'body')
        .map((p) => `${p.in}:${p.name}`)
        .sort(),
      op.operationId,
    );
    assert.equal(
      Boolean(o.requestBody),
      op.parameters.some((p) => p.in === 'body'),
      `${op.operationId} request body`,
    );
    const bad = o.responses!['400'] as OpenAPIV3_1.ResponseObject;
    assert.deepEqual(bad.content!['application/json']!.schema, { $ref: '#/components/schemas/ErrorList' });
    const ok = Object.entries(o.responses!).find(([status]) => status.startsWith('2'))![1] as OpenAPIV3_1.ResponseObject;
    assert.ok(ok.headers?.['x-amzn-RateLimit-Limit'], `${op.operationId} declares x-amzn-RateLimit-Limit`);
  }
});

test('GET /openapi/<slug>.json is one API; an API the server does not implement has none', async () => {
  const res = await app.server.inject({ url: '/openapi/cart.json' });
  assert.equal(res.statusCode, 200);
  const doc = res.json() as OpenAPIV3_1.Document;
  await SwaggerParser.validate(structuredClone(doc) as never);
  assert.equal(doc.info.version, '2025-04-30');
  assert.deepEqual(
    Object.keys(doc.paths ?? {}).every((p) => p.startsWith('/cart/2025-04-30/')),
    true,
  );
  const unbuilt = OPERATIONS.find((op) => !builtApis.has(op.api));
  if (unbuilt) {
    const missing = await app.server.inject({ url: `/openapi/${unbuilt.apiSlug}.json` });
    assert.equal(missing.statusCode, 404);
    assert.match(missing.body, /not implemented by this server/);
  }
  assert.equal((await app.server.inject({ url: '/openapi/no-such-api.json' })).statusCode, 404);
});

test('the document follows the schemas: a field an answer schema declares is in the document', async () => {
  const doc = (await app.server.inject({ url: '/openapi.json' })).json() as OpenAPIV3_1.Document;
  const placeOrder = (doc.paths!['/ordering/2022-10-30/orders'] as Record<string, OpenAPIV3_1.OperationObject>).post!;
  const ok = (placeOrder.responses!['200'] as OpenAPIV3_1.ResponseObject).content!['application/json']!.schema as OpenAPIV3_1.SchemaObject;
  assert.deepEqual(Object.keys(ok.properties ?? {}).sort(), ['acceptanceArtifacts', 'lineItems', 'rejectionArtifacts']);
  const body = (placeOrder.requestBody as OpenAPIV3_1.RequestBodyObject).content['application/json']!.schema as OpenAPIV3_1.SchemaObject;
  assert.deepEqual([...(body.required ?? [])].sort(), ['attributes', 'expectations', 'externalId', 'lineItems']);
});

test('an answer that drifts from its declared schema is a 500 in the test suite, never a silent difference', async () => {
  const product = API_MODULES.find((m) => m.api === 'Ordering')!;
  assert.ok(product);
  // An Ordering module whose orderDetails adds a field its schema does not declare, and whose placeOrder drops a required one.
  const drifting = defineApi({
    api: 'Ordering',
    bodyPolicy: 'json',
    deps: () => ({}),
    handlers: {
      placeOrder: async () => ({ lineItems: [], acceptanceArtifacts: [] }),
      orderDetails: async () => ({ lineItems: [], acceptanceArtifacts: [], rejectionArtifacts: [], surprise: true }),
    },
    responses: {
      placeOrder: {
        200: Type.Object({
          lineItems: Type.Array(Type.Unknown()),
          acceptanceArtifacts: Type.Array(Type.Unknown()),
          rejectionArtifacts: Type.Array(Type.Unknown()),
        }),
      },
      orderDetails: {
        200: Type.Object({
          lineItems: Type.Array(Type.Unknown()),
          acceptanceArtifacts: Type.Array(Type.Unknown()),
          rejectionArtifacts: Type.Array(Type.Unknown()),
        }),
      },
    },
  });
  const checked = await buildTestApp({ checkResponses: true }, { apiModules: [drifting] });
  const w = await gatewayWorld(checked);
  const { accessToken } = await w.tokenFor(['Amazon Business Order Placement']);
  const headers = { 'x-amz-access-token': accessToken, 'x-amz-user-email': w.buyer.email, 'content-type': 'application/json' };
  const details = await checked.server.inject({ method: 'GET', url: '/na/ordering/2022-10-30/orders/1', headers });
  assert.equal(details.statusCode, 500, details.body);
  const placed = await checked.server.inject({ method: 'POST', url: '/na/ordering/2022-10-30/orders', headers, payload: '{}' });
  assert.equal(placed.statusCode, 500, placed.body);
  // Without the check (a server outside the tests) the same module answers as it is.
  const unchecked = await buildTestApp({ checkResponses: false }, { apiModules: [drifting] });
  const w2 = await gatewayWorld(unchecked);
  const t2 = await w2.tokenFor(['Amazon Business Order Placement']);
  const plain = await unchecked.server.inject({
    method: 'GET',
    url: '/na/ordering/2022-10-30/orders/1',
    headers: { 'x-amz-access-token': t2.accessToken, 'x-amz-user-email': w2.buyer.email },
  });
  assert.equal(plain.statusCode, 200, plain.body);
  assert.equal(plain.json().surprise, true);
});

test('every Host gets the document with its own servers, however many hosts ask (the documents kept are bounded)', async () => {
  const hosts = Array.from({ length: 40 }, (_, i) => `host-${i}.example:8080`);
  for (const host of [...hosts, hosts[0]!]) {
    const doc = (await app.server.inject({ url: '/openapi.json', headers: { host } })).json() as OpenAPIV3_1.Document;
    assert.equal(doc.servers?.[0]?.url, `http://${host}/na`);
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ROLE_APIS } from '../../src/kernel/reference.ts';
import { APIS, OPERATIONS, findOperation, matchOperation, operationsOfApi } from '../../src/modules/registry/index.ts';
import { isObject, loadModels, needsModels, operationsOf, type JsonObject, type ModelOperation } from '../support/models.ts';

const modelOperations: ModelOperation[] = loadModels().flatMap(operationsOf);

/** The "Usage Plan" table of an operation's description: `| .5 | 10 |` -> { rate: 0.5, burst: 10 }. */
function usagePlanOf(description: unknown): { rate: number; burst: number } | null {
  if (typeof description !== 'string') return null;
  const m = /Usage Plan[\s\S]*?\|\s*(\d*\.?\d+)\s*\|\s*(\d+)\s*\|/.exec(description);
  return m ? { rate: Number(m[1]), burst: Number(m[2]) } : null;
}

/** A model parameter in the registry's terms. */
function normalize(p: JsonObject): Record<string, unknown> {
  const items = isObject(p.items) ? p.items : {};
  const enumValues = Array.isArray(items.enum) ? items.enum : Array.isArray(p.enum) ? p.enum : undefined;
  const schema = isObject(p.schema) && typeof p.schema.$ref === 'string' ? p.schema.$ref.split('/').pop() : undefined;
  return {
    name: p.name,
    in: p.in,
    required: p.required === true,
    type: p.in === 'body' ? 'object' : p.type,
    // Swagger 2.0: an array parameter without collectionFormat is csv.
    collectionFormat: p.type === 'array' ? (p.collectionFormat ?? 'csv') : undefined,
    enum: enumValues?.map(String).sort(),
    format: p.format,
    default: p.default,
    schema,
  };
}

/**
 * The default a model states only in a parameter's description ("a default value of 0 will be
 * used", "(default 24)", "defaults to RELEVANCE"), in wire form.
 */
function describedDefault(p: JsonObject): string | undefined {
  return typeof p.description === 'string' ? /\bdefault(?:s to| value of)?\s+(\w+)/i.exec(p.description)?.[1] : undefined;
}

const registryParameter = (p: (typeof OPERATIONS)[number]['parameters'][number]): Record<string, unknown> => ({
  name: p.name,
  in: p.in,
  required: p.required,
  type: p.type,
  collectionFormat: p.collectionFormat,
  enum: p.enum ? [...p.enum].sort() : undefined,
  format: p.format,
  default: p.default,
  schema: p.schema,
});

test('reference: the registry has exactly the operations of the models', { skip: needsModels }, () => {
  assert.equal(modelOperations.length, 32);
  assert.equal(OPERATIONS.length, 32);
  assert.deepEqual(OPERATIONS.map((o) => o.operationId).sort(), modelOperations.map((o) => o.operationId).sort());
  assert.equal(new Set(OPERATIONS.map((o) => o.operationId)).size, 32, 'operationIds are unique');
  assert.equal(APIS.length, 10);
});

for (const model of modelOperations) {
  test(`${model.operationId} matches ${model.file}`, () => {
    const op = findOperation(model.operationId);
    assert.ok(op, 'in the registry');
    assert.equal(op.modelFile, model.file);
    assert.equal(op.method, model.method);
    assert.equal(op.modelPath, model.modelPath);
    assert.equal(op.path, model.modelPath.replace(/\{([^}]+)\}/g, ':$1'));
    assert.equal(op.path.split('/')[2], op.version, 'the version is the second path segment');

    const emailRequired = model.parameters.some((p) => p.in === 'header' && p.name === 'x-amz-user-email' && p.required === true);
    assert.equal(op.userEmailRequired, emailRequired, 'x-amz-user-email required');

    const plan = usagePlanOf(model.operation.description);
    if (plan) {
      assert.equal(op.usagePlanSource, 'model');
      assert.deepEqual({ rate: op.rate, burst: op.burst }, plan);
    } else {
      assert.notEqual(op.usagePlanSource, 'model', 'the model states no usage plan');
    }
    assert.ok(op.rate > 0 && op.burst >= 1);

    const expected = model.parameters.map(normalize);
    // A default the model gives only in prose is in the registry too (Product Search's paging and sort).
    op.parameters.forEach((p, i) => {
      const described = model.parameters[i] ? describedDefault(model.parameters[i]) : undefined;
      if (p.default === undefined || expected[i]?.default !== undefined) return;
      assert.equal(String(p.default), described, `${p.name}: the registry's default is the one the model's description states`);
      expected[i] = { ...expected[i], default: p.default };
    });
    assert.deepEqual(op.parameters.map(registryParameter), expected);
  });
}

test('every API is gated by the role that opens it; only secret rotation needs none', () => {
  for (const op of OPERATIONS) {
    if (op.operationId === 'rotateApplicationClientSecret') assert.equal(op.role, null);
    else {
      assert.ok(op.role, `${op.operationId} has a role`);
      assert.ok(ROLE_APIS[op.role].includes(op.api), `${op.role} opens ${op.api}`);
    }
  }
  assert.equal(operationsOfApi('Cart').length, 7);
  assert.equal(
    operationsOfApi('Product Search').every((o) => o.userEmailRequired),
    true,
  );
});

test('the Document API plans are our documented choice; Application Management comes from the spec', () => {
  for (const op of operationsOfApi('Document')) assert.equal(op.usagePlanSource, 'chosen');
  const rotate = findOperation('rotateApplicationClientSecret');
  assert.deepEqual([rotate?.rate, rotate?.burst, rotate?.usagePlanSource], [0.0167, 1, 'platform-spec']);
});

test('matchOperation finds the operation and decodes path parameters', () => {
  const product = matchOperation('GET', '/products/2020-08-26/products/B07VDJ5RVF?productRegion=US');
  assert.equal(product?.operation.operationId, 'productsRequest');
  assert.deepEqual(product?.pathParams, { productId: 'B07VDJ5RVF' });

  assert.equal(matchOperation('POST', '/products/2020-08-26/products/getProductsByAsins')?.operation.operationId, 'getProductsByAsins');
  assert.equal(matchOperation('GET', '/products/2020-08-26/products/getProductsByAsins')?.operation.operationId, 'productsRequest');
  assert.equal(matchOperation('get', '/products/2020-08-26/products')?.operation.operationId, 'searchProductsRequest');

  const items = '/cart/2025-04-30/carts/cart%2D1%2F2/items';
  assert.equal(matchOperation('GET', items)?.operation.operationId, 'getItems');
  assert.equal(matchOperation('POST', items)?.operation.operationId, 'addItems');
  assert.equal(matchOperation('PATCH', items)?.operation.operationId, 'modifyItems');
  assert.equal(matchOperation('DELETE', items)?.operation.operationId, 'deleteItems');
  assert.deepEqual(matchOperation('GET', items)?.pathParams, { cartId: 'cart-1/2' });

  const tracking = matchOperation('GET', '/ab-tracking/2025-07-02/orders/114-2589187-9801025/shipments/401971789238301/packages/1');
  assert.deepEqual(tracking?.pathParams, { orderId: '114-2589187-9801025', shipmentId: '401971789238301', packageId: '1' });

  assert.deepEqual(matchOperation('GET', '/reports/2025-06-09/purchaseOrders//orderReports')?.pathParams, { purchaseOrderNumber: '' });
});

test('matchOperation refuses unknown paths, wrong methods, trailing slashes and bad encoding', () => {
  assert.equal(matchOperation('GET', '/products/2020-08-26/unknown'), undefined);
  assert.equal(matchOperation('PUT', '/cart/2025-04-30/carts/c/items'), undefined);
  assert.equal(matchOperation('GET', '/cart/2025-04-30/carts/c/items/'), undefined);
  // As in Fastify's router, an empty last segment is an empty parameter, not a trailing slash.
  assert.deepEqual(matchOperation('GET', '/cart/2025-04-30/carts/')?.pathParams, { cartId: '' });
  assert.equal(matchOperation('GET', '/cart/2025-04-30/carts/%E0%A4%A'), undefined);
  assert.equal(matchOperation('GET', '/products/2020-08-26/products/x/offers/y'), undefined);
});

test('docs/operations.md is rendered from the current registry', () => {
  const script = fileURLToPath(new URL('../../scripts/render-operations-doc.ts', import.meta.url));
  const run = spawnSync(process.execPath, ['--import', 'tsx', script, '--check'], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
});

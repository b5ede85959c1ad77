import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildTestApp } from '../support/app.ts';
import { adminClient } from '../support/http.ts';
import { gatewayWorld } from '../support/gateway.ts';

test('operators add sandbox scenarios from a folder and through the admin API; broken files are reported, not fatal', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bizapi-scenarios-'));
  fs.writeFileSync(path.join(dir, 'broken.json'), '{ not json');
  fs.writeFileSync(
    path.join(dir, 'unknown-op.json'),
    JSON.stringify({ scenarios: [{ operationId: 'noSuchOperation', request: {}, response: { status: 200, body: {} } }] }),
  );
  const app = await buildTestApp({ sandboxScenarioDir: dir });
  const admin = await adminClient(app);
  const w = await gatewayWorld(app);
  const sbx = await w.sandboxToken(['Amazon Business Order Placement']);
  const listed = await admin('GET', '/sandbox/scenarios?operationId=listCarts');
  assert.equal(listed.status, 200);
  assert.ok(listed.body.scenarios.length >= 2, 'the shipped Cart scenarios are still loaded');
  const reported = listed.body.problems.map((p: { path: string }) => path.basename(p.path)).sort();
  assert.deepEqual(reported, ['broken.json', 'unknown-op.json']);
  const call = () =>
    app.server.inject({
      method: 'GET',
      url: '/sandbox/na/cart/2025-04-30/carts?region=CA',
      headers: { 'x-amz-access-token': sbx.accessToken },
    });
  assert.equal((await call()).statusCode, 400, 'no scenario for region=CA yet');
  const bad = await admin('POST', '/sandbox/scenarios', {
    operationId: 'listCarts',
    request: { query: { nope: 'x' } },
    response: { status: 200, body: {} },
  });
  assert.equal(bad.status, 400);
  const added = await admin('POST', '/sandbox/scenarios', {
    operationId: 'listCarts',
    request: { query: { region: 'CA' } },
    response: { status: 200, body: { cartDetailsList: [{ id: 'cart-ca', cartType: 'DEFAULT', region: 'CA' }] } },
  });
  assert.equal(added.status, 201, JSON.stringify(added.body));
  const hit = await call();
  assert.equal(hit.statusCode, 200);
  assert.equal(hit.json().cartDetailsList[0].id, 'cart-ca');
  assert.equal((await admin('DELETE', `/sandbox/scenarios/${added.body.id}`)).status, 204);
  assert.equal((await call()).statusCode, 400);
  assert.equal((await app.server.inject({ method: 'GET', url: '/admin/v1/sandbox/scenarios' })).statusCode, 401);
});

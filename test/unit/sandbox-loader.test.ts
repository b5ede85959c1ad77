import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { addScenario, loadScenarios, matchScenario, removeScenario, SHIPPED_SCENARIO_DIR } from '../../src/modules/sandbox/index.ts';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});
function operatorDir(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bizapi-scenarios-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}
const file = (scenarios: unknown[]): string => JSON.stringify({ formatVersion: 1, scenarios });

const canadaCarts = {
  operationId: 'listCarts',
  request: { query: { region: 'CA' } },
  response: { status: 200, headers: { 'x-scenario': 'canada' }, body: { cartDetailsList: [] } },
};
const listCarts = (rawQuery: string) => ({ pathParams: {}, rawQuery, headers: {}, body: undefined });

test('loads the shipped files from the repository', async () => {
  const loaded = await loadScenarios();
  assert.ok(SHIPPED_SCENARIO_DIR.endsWith(`${path.sep}sandbox${path.sep}scenarios${path.sep}`));
  assert.equal(loaded.problems.length, 0);
  // The models' 56 stubs, and the 3 authored Ordering scenarios (the Ordering model has none).
  assert.equal(loaded.scenarios.size, 59);
  assert.equal(loaded.scenarios.forOperation('placeOrder').length, 2);
  assert.ok(loaded.scenarios.forOperation('placeOrder').every((s) => s.authored));
  assert.equal(loaded.scenarios.has('rotateApplicationClientSecret'), false);
  assert.equal(loaded.scenarios.forOperation('listCarts')[0]?.id, 'shipped/cart.json#1');
});

test('an operator directory adds scenarios that take precedence over the shipped ones', async () => {
  const override = { ...canadaCarts, request: { query: { region: 'US' } }, response: { status: 500, body: { errors: [] } } };
  const dir = operatorDir({ 'carts.json': file([canadaCarts, override]), 'notes.txt': 'ignored' });
  const { scenarios, problems, files } = await loadScenarios(dir);
  assert.deepEqual(problems, []);
  assert.deepEqual(files.at(-1), { path: path.join(dir, 'carts.json'), count: 2 });
  const ca = matchScenario(scenarios, 'listCarts', listCarts('region=CA'));
  assert.ok(ca.matched);
  assert.deepEqual(ca.scenario.response.headers, { 'x-scenario': 'canada' });
  assert.equal(ca.scenario.origin, 'operator');
  const us = matchScenario(scenarios, 'listCarts', listCarts('region=US'));
  assert.equal(us.matched && us.scenario.response.status, 500);
});

test('broken files are reported with their path and reason and do not stop the others', async () => {
  const dir = operatorDir({
    'a-bad-json.json': '{ "scenarios": [',
    'b-unknown-operation.json': file([{ ...canadaCarts, operationId: 'listCartz' }]),
    'c-bad-shape.json': file([
      { ...canadaCarts, request: { query: { regoin: 'CA' } } },
      { ...canadaCarts, response: { status: '200' } },
      { ...canadaCarts, request: { body: { a: 1 } } },
    ]),
    'd-not-a-list.json': JSON.stringify([canadaCarts]),
    'e-good.json': file([canadaCarts]),
  });
  const { scenarios, problems } = await loadScenarios(dir);
  const byFile = (name: string) => problems.filter((p) => p.path === path.join(dir, name)).map((p) => p.reason);
  assert.match(byFile('a-bad-json.json')[0] ?? '', /^invalid JSON/);
  assert.deepEqual(byFile('b-unknown-operation.json'), ['/scenarios/0/operationId: unknown operation "listCartz"']);
  assert.deepEqual(byFile('c-bad-shape.json'), [
    '/scenarios/0/request/query/regoin: the operation declares no query parameter "regoin"',
    '/scenarios/1/response/status: must be an HTTP status from 200 to 599',
    '/scenarios/2/request/body: the operation takes no body',
  ]);
  assert.deepEqual(byFile('d-not-a-list.json'), ['/: must be an object with a "scenarios" array']);
  assert.deepEqual(byFile('e-good.json'), []);
  // The good file and the shipped files still load; a bad file contributes nothing.
  assert.equal(scenarios.size, 60);
  assert.ok(matchScenario(scenarios, 'listCarts', listCarts('region=CA')).matched);
});

test('a missing operator directory is a problem, not a failure', async () => {
  const missing = path.join(os.tmpdir(), 'bizapi-no-such-dir-for-scenarios');
  const { scenarios, problems } = await loadScenarios(missing);
  assert.deepEqual(problems, [{ path: missing, reason: 'directory not found' }]);
  assert.equal(scenarios.size, 59);
});

test('addScenario checks the input, serves it first, and removeScenario takes it away', async () => {
  const { scenarios } = await loadScenarios();
  const bad = addScenario(scenarios, {
    operationId: 'listCarts',
    request: { query: { region: { nested: true } } },
    response: { status: 200 },
  });
  assert.deepEqual(bad, { ok: false, problems: ['/request/query/region: must be a string, number, boolean or an array of them'] });
  assert.deepEqual(addScenario(scenarios, 'nope'), {
    ok: false,
    problems: ['/: must be an object with operationId, request and response'],
  });

  const added = addScenario(scenarios, { operationId: 'listCarts', request: { query: { region: 'US' } }, response: { status: 503 } });
  assert.ok(added.ok);
  assert.match(added.scenario.id, /^scn_/);
  const hit = matchScenario(scenarios, 'listCarts', listCarts('region=US'));
  assert.equal(hit.matched && hit.scenario.id, added.scenario.id);

  assert.equal(removeScenario(scenarios, added.scenario.id), true);
  assert.equal(removeScenario(scenarios, added.scenario.id), false);
  const again = matchScenario(scenarios, 'listCarts', listCarts('region=US'));
  assert.equal(again.matched && again.scenario.response.status, 200);

  // A runtime scenario can serve an operation the models give no stub.
  assert.ok(addScenario(scenarios, { operationId: 'placeOrder', request: { body: { a: 1 } }, response: { status: 200, body: {} } }).ok);
  assert.equal(scenarios.has('placeOrder'), true);
});

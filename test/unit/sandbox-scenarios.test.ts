import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { loadScenarios, type Scenario } from '../../src/modules/sandbox/index.ts';
import { APIS } from '../../src/modules/registry/index.ts';
import { loadModels, needsModels, operationsOf, stubsOf, type Json, type ModelOperation } from '../support/models.ts';

// Every static-sandbox stub of the models must be in the shipped scenario files with the same
// request and response, so the files (our own from now on) cannot drift from the models.

const modelOperations: ModelOperation[] = loadModels().flatMap(operationsOf);

/** A model stub in the shape of a scenario's request: parameters grouped by the location the model declares. */
function expectedRequest(op: ModelOperation, parameters: Record<string, Json>): Record<string, unknown> {
  const out: Record<string, Record<string, unknown>> = { path: {}, query: {}, header: {} };
  let body: unknown;
  let hasBody = false;
  for (const [name, holder] of Object.entries(parameters)) {
    const value = typeof holder === 'object' && holder !== null && !Array.isArray(holder) ? holder.value : undefined;
    if (name === 'body') {
      hasBody = true;
      body = value;
      continue;
    }
    const declared = op.parameters.find((p) => p.name === name);
    assert.ok(declared && typeof declared.in === 'string' && declared.in in out, `${op.operationId}: stub parameter ${name} is declared`);
    out[declared.in as string]![name] = value;
  }
  return hasBody ? { ...out, body } : out;
}

const actualRequest = (s: Scenario): Record<string, unknown> => {
  const base = { path: s.request.path, query: s.request.query, header: s.request.header };
  return s.request.body === undefined ? base : { ...base, body: s.request.body };
};

test('the shipped scenario files load without problems', async () => {
  const loaded = await loadScenarios();
  assert.deepEqual(loaded.problems, []);
  // One file per API that has canned answers, named by the API's slug (no count of APIs is assumed).
  assert.ok(loaded.files.length > 0);
  const slugs = new Set(APIS.map((a) => a.slug));
  for (const file of loaded.files) assert.ok(slugs.has(path.basename(file.path, '.json')), `${file.path} is named after an API's slug`);
});

test('reference: every model stub is a shipped scenario with the same request and response', { skip: needsModels }, async () => {
  const { scenarios } = await loadScenarios();
  let stubs = 0;
  for (const op of modelOperations) {
    const shipped = scenarios.forOperation(op.operationId).filter((s) => s.origin === 'shipped' && !s.authored);
    const remaining = [...shipped];
    for (const stub of stubsOf(op)) {
      stubs++;
      const request = expectedRequest(op, stub.parameters);
      const i = remaining.findIndex((s) => {
        if (s.response.status !== stub.status) return false;
        try {
          assert.deepStrictEqual(actualRequest(s), request);
          assert.deepStrictEqual(s.response.body, stub.response);
          return true;
        } catch {
          return false;
        }
      });
      assert.ok(i >= 0, `${op.operationId} ${stub.status} stub ${JSON.stringify(stub.parameters).slice(0, 200)} is in sandbox/scenarios`);
      assert.deepEqual(remaining[i]!.response.headers, {}, 'model stubs declare no response headers');
      remaining.splice(i, 1);
    }
    assert.deepEqual(
      remaining.map((s) => s.id),
      [],
      `${op.operationId}: no shipped scenario the model lacks`,
    );
  }
  assert.equal(stubs, 56);
  assert.equal([...scenarios.all()].filter((s) => !s.authored).length, 56);
});

test('authored scenarios are only for operations whose model has no stub, and say so', async () => {
  const { scenarios, files } = await loadScenarios();
  const authored = [...scenarios.all()].filter((s) => s.authored);
  assert.ok(authored.length > 0, 'Ordering ships authored scenarios');
  for (const s of authored) {
    const op = modelOperations.find((m) => m.operationId === s.operationId);
    if (op) assert.equal(stubsOf(op).length, 0, `${s.operationId} has model stubs: extract them instead of authoring`);
  }
  for (const file of files.filter((f) => authored.some((s) => s.file === f.path))) {
    const json = JSON.parse(fs.readFileSync(file.path, 'utf8')) as { authored?: boolean; source?: string };
    assert.equal(json.authored, true);
    assert.match(json.source ?? '', /^Authored/);
  }
});

test('reference: the three stub spellings are all represented', { skip: needsModels }, () => {
  const spellings = new Set<string>();
  for (const op of modelOperations) {
    const responses = op.operation.responses;
    if (typeof responses !== 'object' || responses === null || Array.isArray(responses)) continue;
    for (const response of Object.values(responses)) {
      if (typeof response !== 'object' || response === null || Array.isArray(response)) continue;
      const standard = response['x-amzn-api-sandbox'];
      if (Array.isArray(standard)) spellings.add('x-amzn-api-sandbox (array)');
      else if (standard !== undefined) spellings.add('x-amzn-api-sandbox (static)');
      if (response['x-amazon-spds-sandbox-behaviors'] !== undefined) spellings.add('x-amazon-spds-sandbox-behaviors');
    }
  }
  assert.equal(spellings.size, 3);
});

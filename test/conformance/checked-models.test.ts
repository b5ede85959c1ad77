import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { MODELS_DIR, needsModels } from '../support/models.ts';
import { APIS } from '../../src/modules/registry/index.ts';
import { CHECKED_MODELS, describeModel } from '../../src/modules/registry/checked-models.ts';

// `bizapi --version` and /healthz name the model files this version was checked against; the record
// must be the files the reference suite checks now (scripts/record-checked-models.ts rewrites it).
test('reference: the recorded model versions are the models the conformance suite checks', { skip: needsModels }, () => {
  const now = APIS.map((api) => describeModel(api.slug, api.modelFile, fs.readFileSync(path.join(MODELS_DIR, api.modelFile))));
  assert.deepEqual(CHECKED_MODELS, now, 'the models changed: run the reference suite, then npx tsx scripts/record-checked-models.ts');
});

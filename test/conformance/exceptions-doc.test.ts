import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { MODEL_EXCEPTIONS } from '../support/conformance.ts';

// docs/conformance.md lists the model exceptions; this keeps the list and the code in step.
test('every model exception has a row in docs/conformance.md, and every row an exception', () => {
  const doc = fs.readFileSync(new URL('../../docs/conformance.md', import.meta.url), 'utf8');
  const section = doc.slice(doc.indexOf('### Known defects of the models'), doc.indexOf('## Fuzzing'));
  const documented = [...section.matchAll(/^\| `([a-z0-9-]+)` \|/gm)].map((m) => m[1]);
  assert.deepEqual([...documented].sort(), MODEL_EXCEPTIONS.map((e) => e.id).sort());
  for (const e of MODEL_EXCEPTIONS) {
    assert.ok(e.reason.length > 40, `${e.id} says why`);
    const row = section.split('\n').find((l) => l.startsWith(`| \`${e.id}\``))!;
    assert.ok(row.includes(e.sources.length === 1 ? `${e.sources[0]} answers` : 'all answers'), `${e.id}: the doc says where it applies`);
  }
});

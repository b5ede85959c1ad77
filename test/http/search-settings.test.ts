import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildTestApp } from '../support/app.ts';
import { loadConfig } from '../../src/config/config.ts';
import { SHIPPED_SYNONYMS_DIR } from '../../src/modules/catalog/search/synonyms.ts';

// SEARCH_FORGIVING and SEARCH_SYNONYMS_DIR reach the server's catalog (docs/configuration.md).

test('forgiving search is on by default, with the shipped synonyms', async () => {
  const config = loadConfig({});
  assert.equal(config.searchForgiving, true);
  assert.equal(config.searchSynonymsDir, null);
  const app = await buildTestApp();
  assert.equal(app.services.catalog.forgivingSearch, true);
  assert.equal(app.services.catalog.synonyms.dir, SHIPPED_SYNONYMS_DIR);
  assert.ok(app.services.catalog.synonyms.locales.includes('en_US'));
});

test("an operator's synonyms folder replaces the shipped one, and SEARCH_FORGIVING=false turns matching as typed on", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bizapi-synonyms-'));
  fs.writeFileSync(path.join(dir, 'de_DE.txt'), 'handy, mobiltelefon\n');
  const config = loadConfig({ SEARCH_FORGIVING: 'false', SEARCH_SYNONYMS_DIR: dir });
  assert.equal(config.searchForgiving, false);
  const app = await buildTestApp({ searchForgiving: config.searchForgiving, searchSynonymsDir: config.searchSynonymsDir });
  assert.equal(app.services.catalog.forgivingSearch, false);
  assert.equal(app.services.catalog.synonyms.dir, dir);
  assert.deepEqual(app.services.catalog.synonyms.locales, ['de_DE']);
  assert.throws(() => loadConfig({ SEARCH_FORGIVING: 'maybe' }), /SEARCH_FORGIVING/);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a bad line in the operator’s synonyms file stops the start with its file and line', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bizapi-synonyms-'));
  fs.writeFileSync(path.join(dir, 'en_US.txt'), 'phone, cellphone\n=> nothing\n');
  await assert.rejects(buildTestApp({ searchSynonymsDir: dir }), /en_US\.txt:2/);
  fs.rmSync(dir, { recursive: true, force: true });
});

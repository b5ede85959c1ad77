import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expandQuery } from '../../src/modules/catalog/search/expand.ts';
import {
  SHIPPED_SYNONYMS_DIR,
  SynonymError,
  SynonymLibrary,
  SynonymSet,
  parseSynonyms,
} from '../../src/modules/catalog/search/synonyms.ts';
import { Vocabulary, editDistance, lightStem } from '../../src/modules/catalog/search/vocabulary.ts';

function vocabulary(titles: string[]): Vocabulary {
  const v = new Vocabulary();
  for (const title of titles) v.add({ title, brand: '', categoryText: '', otherText: '' });
  return v;
}

const TITLES = [
  'OtterBox Defender Series Case for Galaxy S8',
  'OtterBox Defender Series Case for iPhone 7',
  'Wireless Earbuds with Charging Case',
  'Holster for Cell Phones',
  'Cellphone Stand',
  'Galaxy S7 Charger',
  'Model 45218 Router',
];

test('edit distance counts insertions, deletions, substitutions and adjacent swaps, and stops past the bound', () => {
  assert.equal(editDistance('defnder', 'defender', 2), 1);
  assert.equal(editDistance('galxy', 'galaxy', 1), 1);
  assert.equal(editDistance('phnoe', 'phone', 1), 1);
  assert.equal(editDistance('charger', 'chargers', 1), 1);
  assert.equal(editDistance('abcdef', 'uvwxyz', 2), 3);
  assert.equal(lightStem('phones'), 'phone');
  assert.equal(lightStem('batteries'), 'battery');
  assert.equal(lightStem('glass'), 'glass');
});

test('corrections: 5+ letters within one edit, 9+ within two; known words, short words and words with digits never', () => {
  const v = vocabulary([...TITLES, 'Protective Screen Guard', 'Protective Film']);
  assert.deepEqual(v.corrections('defnder'), ['defender']);
  assert.deepEqual(v.corrections('galxy'), ['galaxy']);
  assert.deepEqual(v.corrections('protectve'), ['protective']);
  assert.deepEqual(v.corrections('prtectivee'), ['protective'], 'two edits from 9 letters');
  assert.deepEqual(v.corrections('prtectve'), [], 'two edits in 8 letters');
  assert.deepEqual(v.corrections('glxy'), [], 'under 5 letters');
  assert.deepEqual(v.corrections('dfnder'), [], 'two edits under 9 letters');
  assert.deepEqual(v.corrections('defender'), [], 'known');
  assert.deepEqual(v.corrections('defenders'), [], 'known in the singular');
  assert.deepEqual(v.corrections('45219'), [], 'a number');
  assert.deepEqual(v.corrections('galaxys9'), [], 'a model code');
});

test('splits and joins come from the vocabulary', () => {
  const v = vocabulary(TITLES);
  assert.deepEqual(v.split('cellphone'), ['cell', 'phone']);
  assert.deepEqual(v.split('iphone7'), ['iphone', '7']);
  assert.equal(v.split('earbuds'), null, '"ear buds" is not written in a row in these titles');
  assert.equal(v.join('ear', 'buds'), 'earbuds');
  assert.equal(v.join('cell', 'phone'), 'cellphone');
  assert.equal(v.join('charging', 'case'), null);
});

test('expansion: twins expand alike; corrections are marked; digits stay as typed', () => {
  const v = vocabulary(TITLES);
  const none = SynonymSet.empty;
  const alts = (q: string) =>
    expandQuery(q.split(' '), v, none).clauses.map((c) => c.alternatives.map((a) => a.words.join(a.phrase ? '_' : '+')));
  assert.deepEqual(alts('cell phone'), alts('cellphone'));
  assert.deepEqual(alts('cellphone'), [['cell+phone', 'cellphone']]);
  assert.deepEqual(alts('ear buds'), [['earbuds']], 'never written apart: the joined word only');
  // Common words stay themselves though one product runs them together.
  const common = vocabulary([...TITLES, 'Case - Black', 'Slim Case, Black', 'Black Leather Wallet', 'Blackcase Sleeve']);
  assert.deepEqual(
    expandQuery(['black', 'case'], common, none).clauses.map((c) => c.alternatives.map((a) => a.words.join('+'))),
    [['black+case', 'blackcase']],
  );
  assert.deepEqual(alts('iphone7 case'), [['iphone+7', 'iphone7'], ['case']]);
  const typo = expandQuery(['otterbox', 'defnder'], v, none);
  assert.equal(typo.corrected, true);
  assert.deepEqual(
    typo.clauses[1]?.alternatives.map((a) => a.words.join(' ')),
    ['defender', 'defnder'],
  );
  assert.deepEqual(alts('model 45219'), [['model'], ['45219']]);
});

test('synonyms: equivalent and one-way rules, phrases, errors with file and line', () => {
  const set = parseSynonyms('# c\n\nusb-c, type c, usbc\nnotebook => laptop, notebook computer\n', 'x.txt');
  assert.deepEqual(set.lookup(['type', 'c']), [['type', 'c'], ['usb', 'c'], ['usbc']]);
  assert.deepEqual(set.lookup(['notebook']), [['notebook'], ['laptop'], ['notebook', 'computer']]);
  assert.equal(set.lookup(['laptop']), null, 'one-way');
  const v = vocabulary(['USB Type-C Cable']);
  const clauses = (q: string) => expandQuery(q.split(' '), v, set).clauses.map((c) => c.alternatives);
  assert.deepEqual(clauses('usb c cable'), clauses('type c cable'));
  assert.throws(
    () => parseSynonyms('a, b\nlonely\n', 'y.txt'),
    (e: unknown) => e instanceof SynonymError && e.message === 'y.txt:2: a line names at least two terms (a, b) or a rule (a => b)',
  );
  assert.throws(() => parseSynonyms('a => b => c', 'z.txt'), /z\.txt:1: more than one "=>"/);
  assert.throws(() => parseSynonyms('a, ---', 'z.txt'), /z\.txt:1: empty term/);
  assert.throws(() => parseSynonyms('a, b c d e f', 'z.txt'), /at most 4 words/);
});

test('synonym files per locale, the language file as fallback; the shipped en_US file parses', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bizapi-synonyms-'));
  try {
    fs.writeFileSync(path.join(dir, 'en.txt'), 'tv, television\n');
    fs.writeFileSync(path.join(dir, 'de_DE.txt'), 'handy, mobiltelefon\n');
    fs.writeFileSync(path.join(dir, 'notes.md'), 'not a synonyms file');
    const lib = new SynonymLibrary(dir);
    assert.deepEqual(lib.locales.sort(), ['de_DE', 'en']);
    assert.ok(lib.forLocale('en_GB').lookup(['tv']));
    assert.ok(lib.forLocale('de_DE').lookup(['handy']));
    assert.equal(lib.forLocale('fr_FR').size, 0);
    assert.equal(new SynonymLibrary(path.join(dir, 'missing')).locales.length, 0);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const shipped = new SynonymLibrary(SHIPPED_SYNONYMS_DIR);
  assert.ok(shipped.forLocale('en_US').lookup(['usb', 'c']));
  assert.ok(shipped.forLocale('en_US').lookup(['cellphone']));
});

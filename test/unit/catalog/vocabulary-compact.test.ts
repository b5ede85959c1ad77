import { test } from 'node:test';
import assert from 'node:assert/strict';
import { editDistance, letterBound, letterCounts, oneEditStart, Vocabulary } from '../../../src/modules/catalog/search/vocabulary.ts';
import { Prng } from '../../../src/modules/catalog/domain/prng.ts';

// The shortcuts that keep the forgiving-search vocabulary fast and small at a million products:
// the letter bound and the first-letters test never rule out a word within reach, and the compact
// word pairs count what a map of pairs would.

const randomWord = (prng: Prng, letters: string, max: number) => Array.from({ length: prng.int(1, max) }, () => prng.pick([...letters])).join('');

test('letterBound never exceeds the edit distance; oneEditStart holds for every word one edit away', () => {
  const prng = new Prng('bounds');
  for (let i = 0; i < 50_000; i++) {
    const a = randomWord(prng, 'abcdé', 7);
    const b = randomWord(prng, 'abcdé', 7);
    const d = editDistance(a, b, 10);
    const counts = letterCounts(a);
    if (counts) assert.ok(letterBound(counts, b) <= d, `${a} ${b}`);
    if (d <= 1) assert.ok(oneEditStart(a, b), `${a} ${b}`);
  }
  assert.equal(letterBound(letterCounts('stapler')!, 'platers'), 0);
  assert.equal(letterBound(letterCounts('stapler')!, 'gloves'), 4);
  assert.equal(letterCounts('café'), null);
});

test('word pairs: products per pair, the same as counting them in a map, with look-ups between additions', () => {
  const prng = new Prng('pairs');
  const v = new Vocabulary();
  const expected = new Map<string, number>();
  const vocabulary = ['red', 'pens', 'pen', 'blue', 'ink', 'cases', 'case', 'box'];
  for (let i = 0; i < 3_000; i++) {
    const title = Array.from({ length: prng.int(1, 5) }, () => prng.pick(vocabulary));
    v.add({ title: title.join(' '), brand: '', categoryText: '', otherText: 'description words' });
    const seen = new Set<string>();
    for (let j = 1; j < title.length; j++) seen.add(`${title[j - 1]!.replace(/s$/, '')} ${title[j]!.replace(/s$/, '')}`);
    for (const key of seen) expected.set(key, (expected.get(key) ?? 0) + 1);
    if (i % 700 === 0) assert.equal(v.pairCount('red', 'pen'), expected.get('red pen') ?? 0);
  }
  for (const a of vocabulary) for (const b of vocabulary) assert.equal(v.pairCount(a, b), expected.get(`${a.replace(/s$/, '')} ${b.replace(/s$/, '')}`) ?? 0, `${a} ${b}`);
  // Descriptions make no pairs; unknown words have none.
  assert.equal(v.pairCount('description', 'words'), 0);
  assert.equal(v.pairCount('green', 'pen'), 0);
});

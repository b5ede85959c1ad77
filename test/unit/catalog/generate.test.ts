import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateCatalog, generateProduct } from '../../../src/modules/catalog/index.ts';
import { generatedVocabulary } from '../../../src/modules/catalog/catalog.generate.ts';
import { drawRank, HEAD_RANKS, LEARNED_STRIDE, VOCABULARY_SIZE, zipfCumulative } from '../../../src/modules/catalog/catalog.generate-vocabulary.ts';
import { validateRecord } from '../../../src/modules/catalog/catalog.record.ts';
import { Prng } from '../../../src/modules/catalog/domain/prng.ts';
import { asinOfIndex } from '../../../src/modules/catalog/domain/asin.ts';

// The generator (docs/catalog-format.md, "Generated catalogs"): deterministic, valid records, and words
// whose frequencies fall on a Zipf curve over tens of thousands of terms.

/** Least-squares slope of log(count) over log(rank) for ranks [from, to) of counts sorted descending. */
function logLogSlope(sorted: readonly number[], from: number, to: number): number {
  const xs: number[] = [];
  const ys: number[] = [];
  for (let r = from; r < Math.min(to, sorted.length); r++) {
    if (sorted[r]! <= 0) break;
    xs.push(Math.log(r + 1));
    ys.push(Math.log(sorted[r]!));
  }
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let num = 0;
  let den = 0;
  xs.forEach((x, i) => {
    num += (x - mx) * (ys[i]! - my);
    den += (x - mx) ** 2;
  });
  return num / den;
}

test('the same seed gives the same products; another seed others', () => {
  assert.deepEqual(generateProduct(7, 'alpha'), generateProduct(7, 'alpha'));
  assert.deepEqual([...generateCatalog(20, 'alpha')], [...generateCatalog(20, 'alpha')]);
  assert.notDeepEqual(generateProduct(7, 'alpha').title, generateProduct(7, 'beta').title);
  assert.notEqual(generateProduct(7, 'alpha').asin, generateProduct(8, 'alpha').asin);
});

test('a generated catalog never gives two products one ASIN (a permutation of the index, not a hash)', () => {
  // Hashed ASINs collided once in a million products; the permutation cannot. Checked on a window of
  // indexes and at the ends of the range, for two seeds.
  for (const seed of ['generated:bench', 'generated:other']) {
    const seen = new Set<string>();
    for (let i = 0; i < 200_000; i++) seen.add(asinOfIndex(seed, i));
    for (const i of [36 ** 8 - 2, 36 ** 8 - 1]) seen.add(asinOfIndex(seed, i));
    assert.equal(seen.size, 200_002);
    for (const asin of seen) assert.match(asin, /^B0[0-9A-Z]{8}$/);
  }
  assert.notEqual(asinOfIndex('generated:bench', 0), asinOfIndex('generated:other', 0));
  assert.throws(() => asinOfIndex('generated:bench', 36 ** 8), RangeError);
  assert.throws(() => asinOfIndex('generated:bench', -1), RangeError);
  assert.equal(generateProduct(5, 'alpha').asin, asinOfIndex('generated:alpha', 5));
});

test('every generated record is a valid import record, with offers, identifiers, a three-level category path and a brand', () => {
  const regions = new Set<string>();
  const departments = new Set<string>();
  for (const record of generateCatalog(2_000, 'valid')) {
    const checked = validateRecord(record);
    assert.ok(checked.ok, checked.ok ? '' : `${JSON.stringify(record).slice(0, 200)}: ${checked.reason}`);
    if (record.type !== 'product') continue;
    assert.ok(record.offers && record.offers.length > 0);
    for (const o of record.offers) regions.add(o.region);
    const department = record.department ?? '';
    assert.equal(record.categories?.length, 3);
    assert.equal(record.categories[0]!.id, `gen-${department.toLowerCase().replace(/_/g, '-')}`);
    assert.ok(record.brand && record.title.startsWith(record.brand));
    assert.equal(record.identifiers?.upc?.length, 1);
    departments.add(department);
  }
  assert.deepEqual([...regions].sort(), ['CA', 'DE', 'UK', 'US']);
  assert.ok(departments.size >= 10, `departments: ${[...departments].join(', ')}`);
});

test('the vocabulary: 50,000 distinct terms, the sample catalog and the generator words in the middle of the curve', () => {
  const v = generatedVocabulary();
  assert.equal(v.terms.length, VOCABULARY_SIZE);
  assert.equal(new Set(v.terms).size, VOCABULARY_SIZE);
  assert.ok(v.terms.every((t) => /^[a-z]{3,14}$/.test(t)));
  // The first learned words: the generator's first and the sample's most used.
  assert.equal(v.origin[HEAD_RANKS], 'own');
  assert.equal(v.origin[HEAD_RANKS + LEARNED_STRIDE], 'sample');
  for (let r = 0; r < HEAD_RANKS; r++) assert.equal(v.origin[r], 'synthesized');
  const learned = v.origin.filter((o) => o !== 'synthesized').length;
  assert.ok(learned > 2_000, `learned words: ${learned}`);
  for (const w of ['pens', 'stapler', 'gloves', 'cable', 'case', 'screen', 'protector', 'black'])
    assert.ok((v.rankOf.get(w) ?? -1) >= HEAD_RANKS, `${w} is learned, ranked from ${HEAD_RANKS}`);
  // Brand and product names of the sample are not ordinary words.
  for (const w of ['iphone', 'samsung', 'otterbox', 'apple']) assert.equal(v.rankOf.get(w), undefined, w);
  assert.equal(v.terms[v.follower[v.rankOf.get('screen')!]!], 'protector');
});

test('ranks are drawn with weight 1/(r+1): the log-log slope of draws is about -1', () => {
  const cumulative = zipfCumulative(VOCABULARY_SIZE);
  const prng = new Prng('zipf');
  const counts = new Array<number>(VOCABULARY_SIZE).fill(0);
  for (let i = 0; i < 300_000; i++) counts[drawRank(cumulative, prng.next())]!++;
  const slope = logLogSlope(counts, 0, 300);
  assert.ok(slope > -1.1 && slope < -0.9, `slope ${slope}`);
  assert.ok(counts[0]! / counts[9]! > 8 && counts[0]! / counts[9]! < 12.5);
});

test('words of generated products: over 10,000 distinct ones in 5,000 products, Zipf-like, a learned word in well under 1% of products', () => {
  const uses = new Map<string, number>();
  const products = 5_000;
  for (let i = 0; i < products; i++) {
    const p = generateProduct(i, 'shape');
    const words = new Set(`${p.title} ${p.description ?? ''}`.toLowerCase().match(/[a-z]+/g) ?? []);
    for (const w of words) uses.set(w, (uses.get(w) ?? 0) + 1);
  }
  assert.ok(uses.size > 10_000, `distinct words: ${uses.size}`);
  const sorted = [...uses.values()].sort((a, b) => b - a);
  const slope = logLogSlope(sorted, 20, 2_000);
  assert.ok(slope < -0.7 && slope > -1.6, `slope ${slope}`);
  for (const w of ['pens', 'stapler', 'cable', 'screen']) assert.ok((uses.get(w) ?? 0) < products / 100, `${w}: ${uses.get(w)}`);
});

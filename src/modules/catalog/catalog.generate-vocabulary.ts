import fs from 'node:fs';
import { packagePath } from '../../kernel/package-root.ts';
import { hashString, Prng } from './domain/prng.ts';

/**
 * The generator's vocabulary (docs/catalog-format.md, "Generated catalogs"): tens of thousands of terms
 * ranked on a Zipf curve, so that a generated store's words are as selective as a real store's.
 *
 * - Learned words: the ordinary words of the shipped sample catalog (titles, descriptions,
 *   features; words of 3-14 letters written in lower case in descriptions at least twice as often as
 *   capitalized, so no brand or product name; not a stop word; used at least twice), most used first,
 *   interleaved one for one with the generator's own business-supply words (product types,
 *   variants, adjectives). Learned pairs: the most frequent follower of each word in the sample,
 *   and the generator's own type names ("ballpoint pens").
 * - Synthesized words: pronounceable words of two or three syllables from a fixed PRNG, as many
 *   as it takes to reach VOCABULARY_SIZE terms. They stand in for the departments and products a
 *   real store has and the sample does not.
 * - Ranks: the synthesized words take the first HEAD_RANKS ranks (a store's most common words come
 *   from all of its departments), then learned word j takes rank HEAD_RANKS + j × LEARNED_STRIDE
 *   and synthesized words the ranks between. A term of rank r (0-based) is drawn with a weight
 *   1 / (r + 1)^ZIPF_EXPONENT.
 */

export const VOCABULARY_SIZE = 50_000;
export const HEAD_RANKS = 4_000;
export const LEARNED_STRIDE = 6;
export const ZIPF_EXPONENT = 1;
/** Synthesized brands, drawn on their own Zipf curve. */
export const BRAND_COUNT = 5_000;

const STOP_WORDS = new Set(
  (
    'the and for with you your this that from are its has have was were will can all any but not our more than into out one two ' +
    'also which when while what who how only other such their them they then there these those about over under after before ' +
    'use used uses using make makes get gets just each both may most much many very well able like even keep lets let own new'
  ).split(' '),
);

/** Words of the generator's own product lists (catalog.generate.ts), in the order they are listed. */
export interface OwnWords {
  words: readonly string[];
  /** Pairs of the type names ("ballpoint" → "pens"). */
  pairs: readonly (readonly [string, string])[];
}

export interface GeneratorVocabulary {
  /** Terms by rank (0 = most common). */
  terms: readonly string[];
  /** Where each term came from: 'sample', 'own' or 'synthesized'. */
  origin: readonly ('sample' | 'own' | 'synthesized')[];
  /** Rank of the learned follower of a term's rank, or -1. */
  follower: Int32Array;
  /** Cumulative Zipf weights of the terms. */
  cumulative: Float64Array;
  brands: readonly string[];
  brandCumulative: Float64Array;
  rankOf: ReadonlyMap<string, number>;
}

/** Cumulative weights 1/(r+1)^s of n ranks. */
export function zipfCumulative(n: number, exponent = ZIPF_EXPONENT): Float64Array {
  const out = new Float64Array(n);
  let sum = 0;
  for (let r = 0; r < n; r++) out[r] = sum += 1 / (r + 1) ** exponent;
  return out;
}

/** A rank drawn from cumulative weights (binary search). */
export function drawRank(cumulative: Float64Array, u: number): number {
  const target = u * cumulative[cumulative.length - 1]!;
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cumulative[mid]! <= target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

interface SampleWords {
  /** Ordinary words, most used first. */
  words: string[];
  /** Most frequent follower of a word (seen at least 3 times). */
  followers: Map<string, string>;
}

/** The ordinary words of the sample catalog and their most frequent followers. */
export function learnSampleWords(jsonl: string): SampleWords {
  const lower = new Map<string, number>();
  const other = new Map<string, number>();
  const pairs = new Map<string, number>();
  const texts: string[] = [];
  const sentences: string[] = [];
  for (const line of jsonl.split('\n')) {
    if (!line.trim()) continue;
    const r = JSON.parse(line) as { type?: string; title?: string; brand?: string; description?: string; features?: string[] };
    if (r.type !== 'product') continue;
    texts.push(r.title ?? '', r.description ?? '', ...(r.features ?? []));
    sentences.push(r.description ?? '');
  }
  // Whether a word is ordinary is judged by its case in descriptions (titles capitalize every word).
  for (const text of sentences) {
    for (const w of text.match(/[A-Za-z]+/g) ?? []) {
      const key = w.toLowerCase();
      const map = w === key ? lower : other;
      map.set(key, (map.get(key) ?? 0) + 1);
    }
  }
  const ordinary = (w: string): boolean =>
    w.length >= 3 && w.length <= 14 && !STOP_WORDS.has(w) && (lower.get(w) ?? 0) >= 2 * (other.get(w) ?? 0);
  const counts = new Map<string, number>();
  const uses = new Map<string, number>();
  for (const text of texts) for (const w of text.match(/[A-Za-z]+/g) ?? []) uses.set(w.toLowerCase(), (uses.get(w.toLowerCase()) ?? 0) + 1);
  for (const [w, n] of uses) if (n >= 2 && ordinary(w)) counts.set(w, n);
  for (const text of texts) {
    const ws = (text.match(/[A-Za-z]+/g) ?? []).map((w) => w.toLowerCase());
    for (let i = 1; i < ws.length; i++) {
      if (!counts.has(ws[i - 1]!) || !counts.has(ws[i]!) || ws[i - 1] === ws[i]) continue;
      const key = `${ws[i - 1]} ${ws[i]}`;
      pairs.set(key, (pairs.get(key) ?? 0) + 1);
    }
  }
  const words = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([w]) => w);
  const best = new Map<string, [string, number]>();
  for (const [key, n] of pairs) {
    if (n < 3) continue;
    const [a, b] = key.split(' ') as [string, string];
    const had = best.get(a);
    if (!had || n > had[1] || (n === had[1] && b < had[0])) best.set(a, [b, n]);
  }
  return { words, followers: new Map([...best].map(([a, [b]]) => [a, b])) };
}

const ONSETS = ['b', 'br', 'c', 'ch', 'cl', 'd', 'dr', 'f', 'fl', 'g', 'gr', 'h', 'j', 'k', 'l', 'm', 'n', 'p', 'pl', 'pr', 'r', 'sh', 'st', 't', 'tr', 'v', 'w', 'z'];
const VOWELS = ['a', 'e', 'i', 'o', 'u', 'ai', 'ea', 'io', 'ou', 'y'];
const CODAS = ['', '', '', 'n', 'r', 'l', 'm', 'x', 'nd', 'rt', 'lk', 'v'];

/** Pronounceable words of two or three syllables, none of them in `taken`, deterministic. */
export function synthesizeWords(count: number, taken: ReadonlySet<string>, seed = 'bizapi-vocabulary'): string[] {
  const prng = new Prng(seed);
  const out: string[] = [];
  const seen = new Set(taken);
  while (out.length < count) {
    const syllables = prng.chance(0.7) ? 2 : 3;
    let w = '';
    for (let s = 0; s < syllables; s++) w += prng.pick(ONSETS) + prng.pick(VOWELS) + (s === syllables - 1 ? prng.pick(CODAS) : '');
    if (w.length < 4 || w.length > 12 || seen.has(w)) continue;
    seen.add(w);
    out.push(w);
  }
  return out;
}

const capitalize = (w: string): string => w.charAt(0).toUpperCase() + w.slice(1);
const BRAND_SUFFIXES = ['Supply', 'Works', 'Labs', 'Pro', 'Basics', 'Goods', 'Industrial', 'Office', 'Tools', 'Home', 'Co'];

/** Builds the vocabulary from the sample catalog's text and the generator's own words. */
export function buildGeneratorVocabulary(sampleJsonl: string, own: OwnWords, fixedBrands: readonly string[]): GeneratorVocabulary {
  const sample = learnSampleWords(sampleJsonl);
  // The learned words: the generator's own and the sample's, one for one, each once.
  const learned: { w: string; origin: 'sample' | 'own' }[] = [];
  const seen = new Set<string>();
  const ownWords = own.words.filter((w) => w.length >= 3 && !STOP_WORDS.has(w));
  for (let i = 0; i < Math.max(ownWords.length, sample.words.length); i++) {
    for (const [w, origin] of [
      [ownWords[i], 'own'],
      [sample.words[i], 'sample'],
    ] as const) {
      if (w === undefined || seen.has(w)) continue;
      seen.add(w);
      learned.push({ w, origin });
    }
  }
  const synthetic = synthesizeWords(VOCABULARY_SIZE - Math.min(learned.length, VOCABULARY_SIZE), seen);
  const terms: string[] = new Array<string>(VOCABULARY_SIZE);
  const origin: ('sample' | 'own' | 'synthesized')[] = new Array<'sample' | 'own' | 'synthesized'>(VOCABULARY_SIZE);
  for (let j = 0; j < learned.length; j++) {
    const rank = HEAD_RANKS + j * LEARNED_STRIDE;
    if (rank >= VOCABULARY_SIZE) break;
    terms[rank] = learned[j]!.w;
    origin[rank] = learned[j]!.origin;
  }
  let next = 0;
  for (let r = 0; r < VOCABULARY_SIZE; r++) {
    if (terms[r] !== undefined) continue;
    terms[r] = synthetic[next++]!;
    origin[r] = 'synthesized';
  }
  const rankOf = new Map(terms.map((t, r) => [t, r]));
  const follower = new Int32Array(VOCABULARY_SIZE).fill(-1);
  for (const [a, b] of sample.followers) {
    const ra = rankOf.get(a);
    const rb = rankOf.get(b);
    if (ra !== undefined && rb !== undefined) follower[ra] = rb;
  }
  for (const [a, b] of own.pairs) {
    const ra = rankOf.get(a);
    const rb = rankOf.get(b);
    if (ra !== undefined && rb !== undefined) follower[ra] = rb;
  }
  // Brands: the generator's fixed fictional brands spread over the first ranks, synthesized ones between.
  const brandWords = synthesizeWords(BRAND_COUNT, new Set([...seen, ...terms]), 'bizapi-brands');
  const brandPrng = new Prng('bizapi-brand-suffixes');
  const brands = brandWords.map((w) => (brandPrng.chance(0.35) ? `${capitalize(w)} ${brandPrng.pick(BRAND_SUFFIXES)}` : capitalize(w)));
  fixedBrands.forEach((b, i) => (brands[(i + 1) * 7] = b));
  return {
    terms,
    origin,
    follower,
    cumulative: zipfCumulative(VOCABULARY_SIZE),
    brands,
    brandCumulative: zipfCumulative(BRAND_COUNT),
    rankOf,
  };
}

let cached: GeneratorVocabulary | undefined;

/** The vocabulary from the shipped sample catalog (built once per process). */
export function generatorVocabulary(own: OwnWords, fixedBrands: readonly string[]): GeneratorVocabulary {
  cached ??= buildGeneratorVocabulary(fs.readFileSync(packagePath('catalog', 'sample-catalog.jsonl'), 'utf8'), own, fixedBrands);
  return cached;
}

/** A stable 32-bit hash of a term (for the department and price band of a product type). */
export const termHash = (term: string): number => hashString(term, 7);

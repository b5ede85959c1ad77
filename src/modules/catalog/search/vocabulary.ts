/**
 * The catalog's own vocabulary, per marketplace: the words of the products listed there (titles,
 * brands, category names, features, descriptions, attributes, part numbers), with how many products
 * use each, and the pairs of words that follow each other in titles, brands and category names (the
 * names people type; descriptions would multiply the pairs for little).
 * Query expansion (expand.ts) reads it to correct typos, and to join and split words, so that both
 * are driven by what the catalog says rather than by a hand list.
 */

const NOT_ASCII = /[\u0080-\uffff]/;

/** Words of a text as the search sees them: lower-case runs of letters and digits. */
export function words(text: string): string[] {
  // NFKC changes nothing in ASCII text (most of a catalog's): the check is far cheaper than ICU's pass.
  return (NOT_ASCII.test(text) ? text.normalize('NFKC') : text)
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0);
}

/**
 * A light stem that makes a plural and its singular one key (`phones` = `phone`, `batteries` =
 * `battery`); the full-text index stems further, this only decides what the vocabulary knows.
 */
export function lightStem(word: string): string {
  if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss') && !word.endsWith('us')) return word.slice(0, -1);
  return word;
}

const hasDigit = (w: string): boolean => /\p{N}/u.test(w);

/**
 * Optimal string alignment distance (Levenshtein plus adjacent transpositions), or `max + 1` as
 * soon as it must exceed `max`.
 */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const n = b.length;
  let prev2 = new Array<number>(n + 1).fill(0);
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  let cur = new Array<number>(n + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2]! + 1);
      cur[j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > max) return max + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[n]!;
}

/** Letter counts of a word for letterBound: by code unit below 128; null when it has any other. */
export interface LetterCounts {
  counts: Int32Array;
  distinct: number[];
}

export function letterCounts(word: string): LetterCounts | null {
  const counts = new Int32Array(128);
  const distinct: number[] = [];
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    if (c >= 128) return null;
    if (counts[c] === 0) distinct.push(c);
    counts[c] = counts[c]! + 1;
  }
  return { counts, distinct };
}

const scratch = new Int32Array(128);

/**
 * A lower bound of the edit distance of a word (its letter counts) and `b`: half the letters one
 * has and the other lacks, rounded up (a substitution changes that sum by at most 2, an insertion
 * or deletion by 1, a transposition by 0). 0 (no bound) when `b` has a letter beyond ASCII.
 */
export function letterBound(a: LetterCounts, b: string): number {
  for (let i = 0; i < b.length; i++) {
    const c = b.charCodeAt(i);
    if (c >= 128) {
      for (let j = 0; j < i; j++) scratch[b.charCodeAt(j)] = 0;
      return 0;
    }
    scratch[c]!++;
  }
  let sum = 0;
  for (const c of a.distinct) sum += Math.abs(a.counts[c]! - scratch[c]!);
  for (let i = 0; i < b.length; i++) {
    const c = b.charCodeAt(i);
    if (a.counts[c] === 0) sum += scratch[c]!;
    scratch[c] = 0;
  }
  return Math.ceil(sum / 2);
}

/**
 * Whether `b` may be one edit (or one swap) from `a` as far as their first two letters tell: the
 * edit is past the first letter (same first letter), or substitutes it (same second letter),
 * deletes or inserts it, or swaps the first two letters (one's first is the other's second).
 */
export function oneEditStart(a: string, b: string): boolean {
  return a[0] === b[0] || a[1] === b[1] || a[1] === b[0] || a[0] === b[1];
}

/** The edits a word may be corrected by: none under 5 letters, one from 5, two from 9. */
export function allowedEdits(word: string): number {
  return word.length >= 9 ? 2 : word.length >= 5 ? 1 : 0;
}

/** The product texts a vocabulary is built from. */
export interface VocabularySource {
  title: string;
  brand: string;
  categoryText: string;
  /** Features, description, model and part numbers, attributes. */
  otherText: string;
}

/** A copy of `a` twice as long (the counts of ids not seen yet are 0). */
function grow(a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const out = new Int32Array(a.length * 2);
  out.set(a);
  return out;
}

/** Distinct word stems a vocabulary holds at most (a pair's two ids fit a double exactly). */
const PAIR_SHIFT = 2 ** 26;

export class Vocabulary {
  /**
   * Surface word → its id; per id, the products using it (`wordCounts`), the last product that
   * counted it (`wordStamps`: a product counts a word once) and its stem's id (`wordStem`).
   */
  private readonly wordIds = new Map<string, number>();
  private wordCounts = new Int32Array(1024);
  private wordStamps = new Int32Array(1024);
  private wordStem = new Int32Array(1024);
  /** Light stem → its id; per id, the products using a word with that stem, and its last product. */
  private readonly stemIds = new Map<string, number>();
  private stemCounts = new Int32Array(1024);
  private stemStamps = new Int32Array(1024);
  /**
   * Adjacent words of names → products, kept compact (a million products have millions of
   * distinct pairs): a pair is the number `id(stem) × PAIR_SHIFT + id(stem)`, the pairs are a
   * sorted Float64Array with a parallel Uint32Array of counts, and the pairs of products added
   * since the last look-up wait in `pending` until one is made (settle()).
   */
  private pairKeys = new Float64Array(0);
  private pairCounts = new Uint32Array(0);
  private pending = new Float64Array(4096);
  private pendingLength = 0;
  /** Surface words without digits by length, for corrections. */
  private readonly byLength = new Map<number, string[]>();
  products = 0;

  /**
   * Adds one product's texts. Each distinct word is looked up once per use and then counted
   * through its id: a product counts a word, a stem and a pair once however often it uses them.
   */
  add(p: VocabularySource): void {
    // Stamps are 1-based product numbers: 0 is "never counted".
    const stamp = ++this.products;
    const seenPairs = new Set<number>();
    for (const [field, pairs] of [
      [p.title, true],
      [p.brand, true],
      [p.categoryText, true],
      [p.otherText, false],
    ] as const) {
      let previousStem = -1;
      for (const w of words(field)) {
        const id = this.wordId(w);
        if (this.wordStamps[id] !== stamp) {
          this.wordStamps[id] = stamp;
          this.wordCounts[id]!++;
        }
        const stem = this.wordStem[id]!;
        if (this.stemStamps[stem] !== stamp) {
          this.stemStamps[stem] = stamp;
          this.stemCounts[stem]!++;
        }
        if (pairs && previousStem >= 0) seenPairs.add(previousStem * PAIR_SHIFT + stem);
        previousStem = stem;
      }
    }
    for (const key of seenPairs) {
      if (this.pendingLength === this.pending.length) {
        const grown = new Float64Array(this.pending.length * 2);
        grown.set(this.pending);
        this.pending = grown;
      }
      this.pending[this.pendingLength++] = key;
    }
  }

  /** The id of a surface word, made (with its stem's) the first time it is seen. */
  private wordId(w: string): number {
    let id = this.wordIds.get(w);
    if (id === undefined) {
      id = this.wordIds.size;
      this.wordIds.set(w, id);
      if (id === this.wordCounts.length) {
        this.wordCounts = grow(this.wordCounts);
        this.wordStamps = grow(this.wordStamps);
        this.wordStem = grow(this.wordStem);
      }
      this.wordStem[id] = this.stemId(lightStem(w));
      if (!hasDigit(w)) {
        const list = this.byLength.get(w.length);
        if (list) list.push(w);
        else this.byLength.set(w.length, [w]);
      }
    }
    return id;
  }

  private stemId(stem: string): number {
    let id = this.stemIds.get(stem);
    if (id === undefined) {
      id = this.stemIds.size;
      if (id >= PAIR_SHIFT) throw new Error('vocabulary: too many distinct words');
      this.stemIds.set(stem, id);
      if (id === this.stemCounts.length) {
        this.stemCounts = grow(this.stemCounts);
        this.stemStamps = grow(this.stemStamps);
      }
    }
    return id;
  }

  /** Merges the pending pairs into the sorted pairs and their counts. */
  private settle(): void {
    if (this.pendingLength === 0) return;
    const added = this.pending.subarray(0, this.pendingLength).sort();
    let runs = 0;
    for (let i = 0; i < added.length; i++) if (i === 0 || added[i] !== added[i - 1]) runs++;
    const keys = new Float64Array(this.pairKeys.length + runs);
    const counts = new Uint32Array(keys.length);
    let i = 0;
    let j = 0;
    let n = 0;
    while (i < this.pairKeys.length || j < added.length) {
      const old = i < this.pairKeys.length ? this.pairKeys[i]! : Infinity;
      const next = j < added.length ? added[j]! : Infinity;
      const key = Math.min(old, next);
      let count = 0;
      if (old === key) count += this.pairCounts[i++]!;
      while (j < added.length && added[j] === key) {
        count++;
        j++;
      }
      keys[n] = key;
      counts[n++] = count;
    }
    this.pairKeys = keys.subarray(0, n);
    this.pairCounts = counts.subarray(0, n);
    this.pending = new Float64Array(4096);
    this.pendingLength = 0;
  }

  get size(): number {
    return this.wordIds.size;
  }

  /** Products using the word (or its plural/singular). */
  count(word: string): number {
    const id = this.stemIds.get(lightStem(word));
    return id === undefined ? 0 : this.stemCounts[id]!;
  }

  /** Products using this very word. */
  private surfaceCount(word: string): number {
    const id = this.wordIds.get(word);
    return id === undefined ? 0 : this.wordCounts[id]!;
  }

  /** Products where the two words follow each other (plurals alike). */
  pairCount(a: string, b: string): number {
    const ia = this.stemIds.get(lightStem(a));
    const ib = this.stemIds.get(lightStem(b));
    if (ia === undefined || ib === undefined) return 0;
    this.settle();
    const key = ia * PAIR_SHIFT + ib;
    let lo = 0;
    let hi = this.pairKeys.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const k = this.pairKeys[mid]!;
      if (k === key) return this.pairCounts[mid]!;
      if (k < key) lo = mid + 1;
      else hi = mid - 1;
    }
    return 0;
  }

  /**
   * Words of the catalog within the allowed edits of a word the catalog does not know: the
   * closest ones, the most used first, at most `limit`. Words with digits (numbers, model codes,
   * identifiers) and known words are never corrected.
   */
  corrections(word: string, limit = 2): string[] {
    const max = allowedEdits(word);
    if (max === 0 || hasDigit(word) || this.count(word) > 0) return [];
    let best = max + 1;
    let found: { w: string; n: number }[] = [];
    const letters = letterCounts(word);
    for (let len = word.length - max; len <= word.length + max; len++) {
      for (const w of this.byLength.get(len) ?? []) {
        // Most words of a large catalog are ruled out by their letters alone (letterBound), far
        // cheaper than the distance itself.
        if (max === 1 && !oneEditStart(word, w)) continue;
        if (letters && letterBound(letters, w) > Math.min(best, max)) continue;
        const d = editDistance(word, w, Math.min(best, max));
        if (d > max || d > best) continue;
        if (d < best) {
          best = d;
          found = [];
        }
        found.push({ w, n: this.surfaceCount(w) });
      }
    }
    // One entry per stem (`charger` and `chargers` are one correction): the most used form.
    const byStem = new Map<string, { w: string; n: number }>();
    for (const f of found) {
      const key = lightStem(f.w);
      const had = byStem.get(key);
      if (!had || f.n > had.n || (f.n === had.n && f.w < had.w)) byStem.set(key, f);
    }
    return [...byStem.values()]
      .sort((a, b) => b.n - a.n || (a.w < b.w ? -1 : 1))
      .slice(0, limit)
      .map((f) => f.w);
  }

  /**
   * Where a word splits into two words that follow each other in the catalog (`cellphone` →
   * `cell phone`, `iphone7` → `iphone 7`): the most used such pair, or null.
   */
  split(word: string): [string, string] | null {
    let best: [string, string] | null = null;
    let bestN = 0;
    for (let i = 1; i < word.length; i++) {
      const a = word.slice(0, i);
      const b = word.slice(i);
      const n = this.pairCount(a, b);
      if (n > bestN) {
        best = [a, b];
        bestN = n;
      }
    }
    return best;
  }

  /** Two words the catalog writes as one (`ear buds` → `earbuds`), or null. */
  join(a: string, b: string): string | null {
    const joined = a + b;
    return this.count(joined) > 0 ? joined : null;
  }
}

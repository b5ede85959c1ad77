// The searchProductsRequest query mix of the HTTP benchmarks: at least 200 distinct keyword queries
// made from the sample catalog's own vocabulary, drawn with a Zipf-like distribution from a seeded
// generator, so a run is the same on every machine and every time.
//
// Method (SEARCH_QUERY_MIX_DESCRIPTION says the same in one paragraph, for the docs):
// - Every product title of catalog/sample-catalog.jsonl is lower-cased and split into words at every
//   character that is not a letter or a digit; a few joining words (with, and, for, ...) are dropped
//   from phrases.
// - Candidate queries, each with its popularity = the number of products whose title contains it:
//   one word (letters in it, at least 2 characters), two adjacent words, three adjacent words, and
//   the brand names (popularity = the brand's product count). Only candidates that at least 2 products
//   contain are kept. The most popular of each kind are taken: 110 one-word, 70 two-word, 40
//   three-word queries and 40 brands (fewer when a kind has fewer), duplicates removed: ≥ 200 in all.
// - The distinct queries are ranked by popularity (ties by text); draw k picks rank r with
//   probability ∝ 1/r (Zipf, exponent 1), so the most popular query is about 1 in 6 of the draws
//   and the tail appears once in several hundred.
// - Each draw then gets its other parameters: 70 % the first page with facets=OFFERS, 10 % page 2
//   (the first page instead for queries that fewer than 49 titles contain),
//   8 % a sortKey, 6 % a searchRefinements item (review-rating#4 or condition#NEW), 6 %
//   facets=OFFERS,IMAGES.
import fs from 'node:fs';

/** The sample catalog this mix is made from (the repository's shipped file). */
const SAMPLE_FILE = new URL('../catalog/sample-catalog.jsonl', import.meta.url);

/** Joining words left out of the queries. */
const STOPWORDS = new Set(['a', 'an', 'and', 'at', 'by', 'for', 'from', 'in', 'of', 'on', 'or', 'the', 'to', 'with', 'w']);

const KIND_LIMITS = { one: 110, two: 70, three: 40, brand: 40 } as const;
type QueryKind = keyof typeof KIND_LIMITS;

/** A distinct keyword query of the mix. */
export interface SearchKeywordQuery {
  keywords: string;
  kind: QueryKind;
  /** Number of sample products whose title contains the words (for brands: the brand's products). */
  popularity: number;
  /** 1-based rank in the Zipf draw. */
  rank: number;
}

export const SEARCH_QUERY_MIX_DESCRIPTION =
  'Keyword queries made from the sample catalog: the 110 most common title words, 70 most common two-word ' +
  'and 40 three-word title phrases, and the 40 brands with the most products (each kept only when at least ' +
  '2 products contain it), ranked by how many products contain them; each request draws rank r with ' +
  'probability proportional to 1/r (Zipf, exponent 1) from a seeded generator. 70 % of the requests ask for ' +
  'the first page with facets=OFFERS, 10 % page 2 (the first page for queries fewer than 49 titles contain), 8 % a sortKey, 6 % a searchRefinements item ' +
  '(review-rating#4 or condition#NEW), 6 % facets=OFFERS,IMAGES.';

const SORT_KEYS = ['PRICE_LOW_TO_HIGH', 'PRICE_HIGH_TO_LOW', 'NEWEST_ARRIVALS', 'TOP_RATED', 'POPULARITY'] as const;
const REFINEMENTS = ['review-rating#4', 'condition#NEW'] as const;
const SEARCH_PATH = '/na/products/2020-08-26/products';

const words = (text: string): string[] =>
  text
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
const hasLetter = (w: string) => /[a-z]/.test(w);

let distinct: SearchKeywordQuery[] | undefined;

/** The distinct keyword queries of the mix, most popular first (rank 1 first). */
export function searchKeywordQueries(): SearchKeywordQuery[] {
  if (distinct) return distinct.map((q) => ({ ...q }));
  const counts: Record<QueryKind, Map<string, number>> = { one: new Map(), two: new Map(), three: new Map(), brand: new Map() };
  const bump = (kind: QueryKind, key: string) => counts[kind].set(key, (counts[kind].get(key) ?? 0) + 1);
  for (const line of fs.readFileSync(SAMPLE_FILE, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const record = JSON.parse(line) as { type?: string; title?: string; brand?: string };
    if (record.type !== 'product' || typeof record.title !== 'string') continue;
    if (typeof record.brand === 'string' && words(record.brand).length) bump('brand', words(record.brand).join(' '));
    const title = words(record.title);
    // Each phrase counts once per product.
    const seen = new Set<string>();
    const once = (kind: QueryKind, key: string) => {
      if (seen.has(`${kind}:${key}`)) return;
      seen.add(`${kind}:${key}`);
      bump(kind, key);
    };
    for (let i = 0; i < title.length; i++) {
      const w = title.slice(i, i + 3);
      if (!STOPWORDS.has(w[0]!) && w[0]!.length >= 2 && hasLetter(w[0]!)) once('one', w[0]!);
      if (w.length < 2 || STOPWORDS.has(w[0]!) || STOPWORDS.has(w[1]!)) continue;
      if (hasLetter(w[0]!) || hasLetter(w[1]!)) once('two', `${w[0]} ${w[1]}`);
      if (w.length === 3 && !STOPWORDS.has(w[2]!)) once('three', w.join(' '));
    }
  }
  const picked = new Map<string, SearchKeywordQuery>();
  for (const kind of Object.keys(KIND_LIMITS) as QueryKind[]) {
    const ranked = [...counts[kind]]
      .filter(([, n]) => n >= 2)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, KIND_LIMITS[kind]);
    for (const [keywords, popularity] of ranked) if (!picked.has(keywords)) picked.set(keywords, { keywords, kind, popularity, rank: 0 });
  }
  distinct = [...picked.values()]
    .sort((a, b) => b.popularity - a.popularity || (a.keywords < b.keywords ? -1 : 1))
    .map((q, i) => ({ ...q, rank: i + 1 }));
  if (distinct.length < 200) throw new Error(`the sample catalog gave only ${distinct.length} distinct queries (expected at least 200)`);
  return distinct.map((q) => ({ ...q }));
}

/** A deterministic generator in [0, 1) from a text seed (FNV-1a into mulberry32). */
function seeded(seed: string): () => number {
  let h = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 0x01000193);
  let a = h >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `count` request paths of searchProductsRequest (default 10,000; seed 'bizapi-search-mix'), each a
 * Zipf-drawn keyword query of `searchKeywordQueries()` with its other parameters drawn as described
 * in SEARCH_QUERY_MIX_DESCRIPTION. The same options give the same paths.
 */
export function searchQueryPaths(options: { count?: number; seed?: string } = {}): string[] {
  const count = options.count ?? 10_000;
  if (!Number.isInteger(count) || count < 1) throw new Error(`searchQueryPaths: count must be a positive integer, not ${count}`);
  const queries = searchKeywordQueries();
  const random = seeded(options.seed ?? 'bizapi-search-mix');
  // Cumulative Zipf weights (exponent 1) over the ranks.
  const cumulative: number[] = [];
  let total = 0;
  for (let r = 1; r <= queries.length; r++) cumulative.push((total += 1 / r));
  const draw = (): SearchKeywordQuery => {
    const x = random() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return queries[lo]!;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const paths: string[] = [];
  for (let i = 0; i < count; i++) {
    const { keywords, popularity } = draw();
    let extra = '';
    let facets = 'OFFERS';
    const u = random();
    if (u < 0.7) extra = '';
    // Page 2 of queries with more than a page of title matches only (a client asks for the pages
    // the first one announced).
    else if (u < 0.8) extra = popularity > 48 ? '&pageNumber=1' : '';
    else if (u < 0.88) extra = `&sortKey=${pick(SORT_KEYS)}`;
    else if (u < 0.94) extra = `&searchRefinements=${encodeURIComponent(pick(REFINEMENTS))}`;
    else facets = 'OFFERS,IMAGES';
    paths.push(`${SEARCH_PATH}?productRegion=US&locale=en_US&keywords=${encodeURIComponent(keywords)}${extra}&facets=${facets}`);
  }
  return paths;
}

// `node --import tsx bench/search-queries.ts` prints the distinct queries and a sample of the draws.
if (import.meta.url === `file://${process.argv[1]}`) {
  const queries = searchKeywordQueries();
  console.log(`${queries.length} distinct queries: ${SEARCH_QUERY_MIX_DESCRIPTION}`);
  for (const q of queries)
    console.log(`${String(q.rank).padStart(4)} ${q.kind.padEnd(5)} ${String(q.popularity).padStart(5)}  ${q.keywords}`);
  const paths = searchQueryPaths();
  console.log(`\n${paths.length} paths, ${new Set(paths).size} distinct; the first 10:`);
  for (const p of paths.slice(0, 10)) console.log(p);
}

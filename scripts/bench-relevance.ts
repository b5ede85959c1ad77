#!/usr/bin/env -S npx tsx
/**
 * Relevance figures of the product search over the sample catalog:
 *
 * 1. Name recall: for 200 products picked with a fixed seed, a query made of two thirds of the
 *    words of the product's title (at least three, in title order) must return the product in
 *    the top 3. A product with an identical title in the top 3 counts as found (the sample has
 *    62 repeated titles that no name query can tell apart).
 * 2. nDCG@10 on the judged ESCI query ("06 bmw 325i radio oem not navigation system"), with the
 *    ESCI gains Exact 1, Substitute 0.1, Complement 0.01, Irrelevant 0.
 *
 *   npx tsx scripts/bench-relevance.ts            # SQLite in a temp dir
 *   DATABASE_URL=postgres://… npx tsx scripts/bench-relevance.ts
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { systemClock } from '../src/kernel/clock.ts';
import { openDatabase } from '../src/platform/db/database.ts';
import { migrateToLatest } from '../src/platform/db/migrate.ts';
import {
  CatalogService,
  loadSampleCatalog,
  Prng,
  SAMPLE_CATALOG_FILE,
  STOP_WORDS,
  productSearchQuery,
  type ProductSearchQuery,
  type Shopper,
} from '../src/modules/catalog/index.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const ESCI_JUDGMENTS_FILE = path.join(
  process.env.DATASETS_DIR ? path.resolve(process.env.DATASETS_DIR) : path.join(root, '..', 'shared', 'datasets'),
  'esci-fixture-vespa',
  'judgments.jsonl',
);
const ESCI_GAIN: Record<string, number> = { E: 1, S: 0.1, C: 0.01, I: 0 };

export interface RelevanceFigures {
  nameQueries: number;
  top3Hits: number;
  top3Rate: number;
  misses: { asin: string; query: string; top3: string[] }[];
  esciQuery: string | null;
  ndcgAt10: number | null;
  esciTop10: { asin: string; label: string }[];
}

const US_SHOPPER: Shopper = {
  region: 'US',
  locale: 'en_US',
  destination: { market: 'US', timeZone: 'America/New_York' },
  quantity: 1,
  policies: [],
  businessId: null,
};

const query = (keywords: string): ProductSearchQuery => productSearchQuery({ keywords });

/** The words of a title a shopper would type, two thirds of them (at least 3), in title order. */
export function nameQuery(title: string, seed: string): string {
  const words = title.split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 0 && !STOP_WORDS.has(w.toLowerCase()));
  const k = Math.min(words.length, Math.max(3, Math.ceil((words.length * 2) / 3)));
  const prng = new Prng(`name-query:${seed}`);
  const keep = new Set(prng.shuffle(words.map((_, i) => i)).slice(0, k));
  return words.filter((_, i) => keep.has(i)).join(' ');
}

/** Normalized DCG of a ranking at k, against the judged gains (unjudged results gain 0). */
export function ndcg(ranked: readonly string[], gains: ReadonlyMap<string, number>, k = 10): number {
  const dcg = (list: readonly number[]) => list.slice(0, k).reduce((sum, g, i) => sum + g / Math.log2(i + 2), 0);
  const ideal = dcg([...gains.values()].sort((a, b) => b - a));
  return ideal === 0 ? 0 : dcg(ranked.map((a) => gains.get(a) ?? 0)) / ideal;
}

type SampleProduct = { asin: string; title: string; brand?: string };

function sampleProducts(): SampleProduct[] {
  return fs
    .readFileSync(SAMPLE_CATALOG_FILE, 'utf8')
    .split('\n')
    .filter((l) => l.includes('"type":"product"'))
    .map((l) => JSON.parse(l) as SampleProduct)
    .sort((a, b) => (a.asin < b.asin ? -1 : 1));
}

/** The top 3 ASINs of a keyword search in the US marketplace. */
async function top3(catalog: CatalogService, keywords: string): Promise<string[]> {
  const r = await catalog.searchProducts({ ...query(keywords), page: { pageNumber: 0, pageSize: 3 } }, US_SHOPPER);
  return r.kind === 'ok' ? r.products.map((v) => v.product.asin) : [];
}

const textWords = (text: string): string[] => text.split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 0);
const plain = (w: string) => /^\p{L}+$/u.test(w);
const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/**
 * One typo in a word, as people make them (never in the first letter): a letter dropped, doubled
 * as another, replaced, or two letters swapped; the result is not a word of the catalog.
 */
export function typo(word: string, prng: Prng, known: (w: string) => boolean): string | null {
  for (let attempt = 0; attempt < 20; attempt++) {
    const w = word.toLowerCase();
    const at = prng.int(1, w.length - 1);
    const letter = LETTERS[prng.int(0, LETTERS.length - 1)]!;
    const kind = prng.int(0, 3);
    const out =
      kind === 0
        ? w.slice(0, at) + w.slice(at + 1)
        : kind === 1
          ? w.slice(0, at) + letter + w.slice(at)
          : kind === 2
            ? w.slice(0, at) + letter + w.slice(at + 1)
            : at < w.length - 1
              ? w.slice(0, at) + w[at + 1] + w[at] + w.slice(at + 2)
              : w.slice(0, at - 1) + w[at] + w[at - 1];
    if (out !== w && !known(out)) return out;
  }
  return null;
}

export interface TwinFigures {
  /** Pairs measured. */
  pairs: number;
  /** Pairs whose variant answers the same top 3 (as a set) as the clean twin. */
  sameTop3: number;
  rate: number;
  /** Pairs whose variant keeps the clean twin's first product in its top 3. */
  keepsFirst: number;
  examples: { clean: string; variant: string }[];
  misses: { clean: string; variant: string }[];
}

export interface ForgivingFigures {
  /** Known-item queries (brand + 3 title words) whose product is in the clean top 3. */
  typoCleanHits: number;
  /** …and still is with one typo in one word. */
  typoKept: number;
  typoKeptRate: number;
  typoQueries: number;
  typoMisses: { asin: string; clean: string; variant: string }[];
  split: TwinFigures;
  joined: TwinFigures;
  synonyms: TwinFigures;
  /** Partial names: half the title's words (at least 2), the product (or an identical title) in the top 3. */
  partialQueries: number;
  partialHits: number;
  partialRate: number;
}

function twins(): TwinFigures & { add(clean: string, variant: string, a: string[], b: string[]): void } {
  const t = {
    pairs: 0,
    sameTop3: 0,
    rate: 0,
    keepsFirst: 0,
    examples: [] as { clean: string; variant: string }[],
    misses: [] as { clean: string; variant: string }[],
    add(clean: string, variant: string, a: string[], b: string[]) {
      t.pairs++;
      const same = a.length === b.length && a.every((x) => b.includes(x));
      if (same) t.sameTop3++;
      else t.misses.push({ clean, variant });
      if (a.length === 0 || b.includes(a[0]!)) t.keepsFirst++;
      if (t.examples.length < 5) t.examples.push({ clean, variant });
      t.rate = t.sameTop3 / t.pairs;
    },
  };
  return t;
}

/**
 * Queries that are not the products' names, built from the sample catalog with fixed seeds:
 *
 * - Typos: for 200 products with a brand, a known-item query of the brand and 3 other words of the
 *   title (in title order, one of them of 5+ letters without digits), and the same query with one
 *   typo (typo()) in one such word.
 * - Split words: a name query (nameQuery) holding a word of 6+ letters that is two words of the
 *   catalog's vocabulary (3+ letters each) run together; the variant writes them apart.
 * - Joined words: a name query holding two words that follow each other in the title and that
 *   people run together: a compound the catalog also writes as one word (`cell phone`/`cellphone`),
 *   or a name and its number (`iphone 7`); the variant writes them as one.
 * - Synonyms: for every rule of the locale's synonyms file and up to 10 products whose title holds
 *   one of its terms, the query brand + the term + 2 other title words; the variant says another
 *   term of the rule (for `a => b`, the clean query says b and the variant a).
 * - Partial names: half of the title's words (at least 2), in title order.
 */
export async function measureForgiving(catalog: CatalogService, sampleSize = 200): Promise<ForgivingFigures> {
  const products = sampleProducts();
  const titleOf = new Map(products.map((p) => [p.asin, p.title]));
  const found = (asin: string, list: string[]) => list.some((a) => a === asin || titleOf.get(a) === titleOf.get(asin));
  const vocabulary = await catalog.vocabulary(US_SHOPPER.region);
  const synonyms = catalog.synonyms.forLocale(US_SHOPPER.locale);
  const meaningful = (w: string) => !STOP_WORDS.has(w.toLowerCase());

  // Typos.
  const typoPrng = new Prng('typo-queries');
  let typoQueries = 0;
  let typoCleanHits = 0;
  let typoKept = 0;
  const typoMisses: ForgivingFigures['typoMisses'] = [];
  for (const p of typoPrng.shuffle(products)) {
    if (typoQueries >= sampleSize) break;
    const brandWords = new Set(textWords(p.brand ?? '').map((w) => w.toLowerCase()));
    if (brandWords.size === 0) continue;
    const rest = textWords(p.title).filter((w) => meaningful(w) && !brandWords.has(w.toLowerCase()));
    const eligible = rest.map((w, i) => (w.length >= 5 && plain(w) ? i : -1)).filter((i) => i >= 0);
    if (rest.length < 3 || eligible.length === 0) continue;
    const target = typoPrng.pick(eligible);
    const others = typoPrng.shuffle(rest.map((_, i) => i).filter((i) => i !== target)).slice(0, 2);
    const chosen = [target, ...others].sort((a, b) => a - b);
    const wrong = typo(rest[target]!, typoPrng, (w) => vocabulary.count(w) > 0);
    if (!wrong) continue;
    typoQueries++;
    const clean = [p.brand ?? '', ...chosen.map((i) => rest[i]!)].join(' ');
    const variant = [p.brand ?? '', ...chosen.map((i) => (i === target ? wrong : rest[i]!))].join(' ');
    if (!found(p.asin, await top3(catalog, clean))) continue;
    typoCleanHits++;
    if (found(p.asin, await top3(catalog, variant))) typoKept++;
    else typoMisses.push({ asin: p.asin, clean, variant });
  }

  // Split and joined words.
  const split = twins();
  const joined = twins();
  const twinPrng = new Prng('split-joined-queries');
  for (const p of twinPrng.shuffle(products)) {
    if (split.pairs >= sampleSize && joined.pairs >= sampleSize) break;
    const q = nameQuery(p.title, p.asin);
    const ws = q.split(' ');
    if (split.pairs < sampleSize) {
      const cuts: { at: number; a: string; b: string }[] = [];
      ws.forEach((w, at) => {
        const lw = w.toLowerCase();
        if (lw.length < 6 || !plain(lw)) return;
        for (let k = 3; k <= lw.length - 3; k++) {
          const a = lw.slice(0, k);
          const b = lw.slice(k);
          if (vocabulary.count(a) > 0 && vocabulary.count(b) > 0 && meaningful(a) && meaningful(b)) cuts.push({ at, a, b });
        }
      });
      if (cuts.length) {
        const c = twinPrng.pick(cuts);
        const variant = ws.map((w, i) => (i === c.at ? `${c.a} ${c.b}` : w)).join(' ');
        split.add(q, variant, await top3(catalog, q), await top3(catalog, variant));
      }
    }
    if (joined.pairs < sampleSize) {
      const title = textWords(p.title);
      const pairs: number[] = [];
      for (let i = 0; i + 1 < ws.length; i++) {
        const at = title.indexOf(ws[i]!);
        if (at < 0 || title[at + 1] !== ws[i + 1] || ws[i]!.length < 2) continue;
        // Words people run together: a compound the catalog also writes as one word, or a name and its number.
        const [a, b] = [ws[i]!.toLowerCase(), ws[i + 1]!.toLowerCase()];
        if ((vocabulary.count(a + b) > 0 && b.length >= 2) || (plain(a) && /^\p{N}{1,4}$/u.test(b))) pairs.push(i);
      }
      if (pairs.length) {
        const i = twinPrng.pick(pairs);
        const variant = [...ws.slice(0, i), ws[i]! + ws[i + 1]!, ...ws.slice(i + 2)].join(' ');
        joined.add(q, variant, await top3(catalog, q), await top3(catalog, variant));
      }
    }
  }

  // Synonyms: the rules of the file, read again as text to know their sides.
  const synonymPairs: { clean: string[]; variant: string[] }[] = [];
  const file = path.join(catalog.synonyms.dir ?? '', `${US_SHOPPER.locale}.txt`);
  if (fs.existsSync(file)) {
    for (const raw of fs.readFileSync(file, 'utf8').split('\n')) {
      const line = raw.replace(/#.*$/, '').trim();
      if (!line) continue;
      const term = (t: string) => textWords(t.toLowerCase());
      if (line.includes('=>')) {
        const [from, to] = line.split('=>');
        for (const f of from!.split(',')) for (const t of to!.split(',')) synonymPairs.push({ clean: term(t), variant: term(f) });
      } else {
        const terms = line.split(',').map(term);
        for (const a of terms) for (const b of terms) if (a !== b) synonymPairs.push({ clean: a, variant: b });
      }
    }
  }
  const synonymTwins = twins();
  const synPrng = new Prng('synonym-queries');
  const lowerTitles = products.map((p) => ({ p, words: textWords(p.title.toLowerCase()) }));
  const seen = new Set<string>();
  for (const pair of synonymPairs) {
    const holding = lowerTitles.filter(({ words }) => words.some((_, i) => pair.clean.every((w, k) => words[i + k] === w)));
    for (const { p, words } of synPrng.shuffle(holding).slice(0, 10)) {
      const brandWords = new Set(textWords((p.brand ?? '').toLowerCase()));
      const rest = words.filter((w) => meaningful(w) && !brandWords.has(w) && !pair.clean.includes(w));
      const extra = synPrng.shuffle(rest).slice(0, 2);
      const head = [...brandWords].join(' ');
      const clean = [head, ...pair.clean, ...extra].filter(Boolean).join(' ');
      const variant = [head, ...pair.variant, ...extra].filter(Boolean).join(' ');
      if (seen.has(`${clean}|${variant}`)) continue;
      seen.add(`${clean}|${variant}`);
      synonymTwins.add(clean, variant, await top3(catalog, clean), await top3(catalog, variant));
    }
  }
  void synonyms;

  // Partial names.
  const partialPrng = new Prng('partial-queries');
  let partialHits = 0;
  const partial = partialPrng.shuffle(products).slice(0, sampleSize);
  for (const p of partial) {
    const ws = textWords(p.title).filter(meaningful);
    const k = Math.max(2, Math.floor(ws.length / 2));
    const keep = new Set(partialPrng.shuffle(ws.map((_, i) => i)).slice(0, k));
    if (found(p.asin, await top3(catalog, ws.filter((_, i) => keep.has(i)).join(' ')))) partialHits++;
  }

  return {
    typoCleanHits,
    typoKept,
    typoKeptRate: typoKept / Math.max(1, typoCleanHits),
    typoQueries,
    typoMisses,
    split,
    joined,
    synonyms: synonymTwins,
    partialQueries: partial.length,
    partialHits,
    partialRate: partialHits / Math.max(1, partial.length),
  };
}

/** Runs both measurements against a catalog that holds the sample catalog. */
export async function measureRelevance(catalog: CatalogService, sampleSize = 200): Promise<RelevanceFigures> {
  const products = fs
    .readFileSync(SAMPLE_CATALOG_FILE, 'utf8')
    .split('\n')
    .filter((l) => l.includes('"type":"product"'))
    .map((l) => JSON.parse(l) as { asin: string; title: string });
  const titleOf = new Map(products.map((p) => [p.asin, p.title]));
  const picked = new Prng('relevance-sample').shuffle(products.sort((a, b) => (a.asin < b.asin ? -1 : 1))).slice(0, sampleSize);
  let hits = 0;
  const misses: RelevanceFigures['misses'] = [];
  for (const p of picked) {
    const q = nameQuery(p.title, p.asin);
    const r = await catalog.searchProducts({ ...query(q), page: { pageNumber: 0, pageSize: 3 } }, US_SHOPPER);
    const top3 = r.kind === 'ok' ? r.products.map((v) => v.product.asin) : [];
    if (top3.some((a) => a === p.asin || titleOf.get(a) === p.title)) hits++;
    else misses.push({ asin: p.asin, query: q, top3 });
  }
  let esciQuery: string | null = null;
  let ndcgAt10: number | null = null;
  let esciTop10: RelevanceFigures['esciTop10'] = [];
  if (fs.existsSync(ESCI_JUDGMENTS_FILE)) {
    const judgments = fs
      .readFileSync(ESCI_JUDGMENTS_FILE, 'utf8')
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l) as { query: string; product_id: string; esci_label: string });
    esciQuery = judgments[0]?.query ?? null;
    if (esciQuery) {
      const gains = new Map(judgments.map((j) => [j.product_id, ESCI_GAIN[j.esci_label] ?? 0]));
      const labels = new Map(judgments.map((j) => [j.product_id, j.esci_label]));
      const r = await catalog.searchProducts({ ...query(esciQuery), page: { pageNumber: 0, pageSize: 10 } }, US_SHOPPER);
      const ranked = r.kind === 'ok' ? r.products.map((v) => v.product.asin) : [];
      ndcgAt10 = ndcg(ranked, gains, 10);
      esciTop10 = ranked.map((asin) => ({ asin, label: labels.get(asin) ?? '-' }));
    }
  }
  return {
    nameQueries: picked.length,
    top3Hits: hits,
    top3Rate: hits / Math.max(1, picked.length),
    misses,
    esciQuery,
    ndcgAt10,
    esciTop10,
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bizapi-relevance-'));
  const db = openDatabase({ databaseUrl: process.env.DATABASE_URL ?? null, dataDir });
  try {
    await migrateToLatest(db);
    const catalog = new CatalogService({ db, clock: systemClock, forgivingSearch: process.env.SEARCH_FORGIVING !== 'off' });
    await loadSampleCatalog(db, { catalog });
    const f = await measureRelevance(catalog);
    console.log(`database: ${db.dialect}${catalog.forgivingSearch ? '' : ' (forgiving matching off)'}`);
    console.log(`name queries: ${f.top3Hits}/${f.nameQueries} found in the top 3 (${(f.top3Rate * 100).toFixed(1)} %)`);
    for (const m of f.misses.slice(0, 10)) console.log(`  miss ${m.asin}: "${m.query}" -> ${m.top3.join(', ')}`);
    if (f.ndcgAt10 !== null) {
      console.log(`ESCI "${f.esciQuery}": nDCG@10 = ${f.ndcgAt10.toFixed(3)}`);
      console.log(`  top 10: ${f.esciTop10.map((r) => `${r.asin}(${r.label})`).join(' ')}`);
    } else console.log('ESCI judgments not found; nDCG skipped');
    const g = await measureForgiving(catalog);
    const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
    console.log(`typos: ${g.typoKept}/${g.typoCleanHits} clean hits kept with one typo (${pct(g.typoKeptRate)}; ${g.typoQueries} queries)`);
    for (const m of g.typoMisses.slice(0, 5)) console.log(`  miss ${m.asin}: "${m.clean}" -> "${m.variant}"`);
    for (const [name, t] of [
      ['split words', g.split],
      ['joined words', g.joined],
      ['synonyms', g.synonyms],
    ] as const) {
      console.log(
        `${name}: ${t.sameTop3}/${t.pairs} same top 3 as the clean twin (${pct(t.rate)}); first product kept ${t.keepsFirst}/${t.pairs}`,
      );
      for (const e of t.examples.slice(0, 2)) console.log(`  e.g. "${e.clean}" -> "${e.variant}"`);
      for (const m of t.misses.slice(0, 3)) console.log(`  miss "${m.clean}" -> "${m.variant}"`);
    }
    console.log(`partial names: ${g.partialHits}/${g.partialQueries} in the top 3 (${pct(g.partialRate)})`);
  } finally {
    await db.destroy();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

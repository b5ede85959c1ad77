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
    const catalog = new CatalogService({ db, clock: systemClock });
    await loadSampleCatalog(db, { catalog });
    const f = await measureRelevance(catalog);
    console.log(`database: ${db.dialect}`);
    console.log(`name queries: ${f.top3Hits}/${f.nameQueries} found in the top 3 (${(f.top3Rate * 100).toFixed(1)} %)`);
    for (const m of f.misses.slice(0, 10)) console.log(`  miss ${m.asin}: "${m.query}" -> ${m.top3.join(', ')}`);
    if (f.ndcgAt10 !== null) {
      console.log(`ESCI "${f.esciQuery}": nDCG@10 = ${f.ndcgAt10.toFixed(3)}`);
      console.log(`  top 10: ${f.esciTop10.map((r) => `${r.asin}(${r.label})`).join(' ')}`);
    } else console.log('ESCI judgments not found; nDCG skipped');
  } finally {
    await db.destroy();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

// Search benchmark: `CatalogService.searchProducts` in-process (no HTTP), over a fixed, varied list
// of realistic queries: common single words, two-word queries, a rare word, brand + type, a query no
// product matches whole, browses without keywords, refinements, every sort key, page 2. Prints per
// query the match count, p50/p99, and where the time goes on average: each SearchStrategy method,
// loading the page's products, and the rest (names of categories and credentials, assembly).
// Every run is bounded in time.
//
//   node --import tsx bench/search.ts                                (SQLite in a temp dir, sample catalog)
//   SEARCH_DB_DIR=/tmp/cat100k node --import tsx bench/search.ts     (the SQLite database in that dir)
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench node --import tsx bench/search.ts
//
// With SEARCH_DB_DIR or DATABASE_URL the sample catalog is loaded when the database has no products,
// so a catalog made by `bizapi catalog generate` and `bizapi catalog import` is used as it is; the
// queries follow the catalog (the sample's phones and accessories, or the generated catalog's learned
// words, docs/catalog-format.md). Knobs: SEARCH_ITERATIONS (40) runs per query after SEARCH_WARMUP (5), cut short after
// SEARCH_MAX_SECONDS (4) per query; SEARCH_ONLY=<part of a query name>; SEARCH_FORGIVING=off (keywords
// as typed: the comparison run for forgiving matching); SEARCH_PRAGMAS="mmap_size=…;
// cache_size=…" (SQLite connection pragmas to try); SEARCH_EXPLAIN=<part of a query name> first
// prints every statement the strategy runs for those queries with its plan (EXPLAIN QUERY PLAN on
// SQLite, EXPLAIN ANALYZE on PostgreSQL).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CompiledQuery, sql } from 'kysely';
import { systemClock } from '../src/kernel/clock.ts';
import { openDatabase, type Db } from '../src/platform/db/database.ts';
import { migrateToLatest } from '../src/platform/db/migrate.ts';
import {
  CatalogService,
  loadSampleCatalog,
  searchStrategyFor,
  productSearchQuery,
  type ProductSearchQuery,
  type SearchStrategy,
} from '../src/modules/catalog/index.ts';
import { machine } from './world.ts';
import { US_SHOPPER } from '../test/support/shopper.ts';

const ITERATIONS = Number(process.env.SEARCH_ITERATIONS ?? 40);
const WARMUP = Number(process.env.SEARCH_WARMUP ?? 5);
const MAX_SECONDS = Number(process.env.SEARCH_MAX_SECONDS ?? 4);
const ONLY = process.env.SEARCH_ONLY;
const EXPLAIN = process.env.SEARCH_EXPLAIN;
/** SEARCH_FORGIVING=off: keywords match as typed (no corrections, splits, joins, synonyms; docs/product-search.md). */
const FORGIVING = process.env.SEARCH_FORGIVING !== 'off';

const shopper = US_SHOPPER;

const base = productSearchQuery;
const refine = (patch: Partial<ProductSearchQuery['refinements']>): ProductSearchQuery['refinements'] => ({
  departments: [],
  brands: [],
  conditions: [],
  certificates: [],
  ...patch,
});

/** The words a query list is made of, per catalog. */
interface Vocabulary {
  common: [string, string, string];
  color: string;
  twoWords: [string, string];
  brandType: string;
  rare: string;
  relaxed: string;
  department: string;
  otherDepartment: string;
  subCategory: string;
  brand: string;
}

const SAMPLE: Vocabulary = {
  common: ['phone', 'cable', 'case'],
  color: 'black',
  twoWords: ['iphone case', 'usb charger'],
  brandType: 'otterbox defender',
  rare: 'bamboo',
  relaxed: 'iphone stapler',
  department: 'MOBILE_AND_ACCESSORIES',
  otherDepartment: 'ELECTRONICS',
  subCategory: 'abcat0800000',
  brand: 'apple',
};

/**
 * The generated catalog (catalog.generate.ts): words of the generator's own lists and of the
 * sample, which sit in the middle of its Zipf curve (ranks 4,000-20,632 of 50,000): each matches
 * tens to hundreds of 200,000 products (about five times as many of a million), as in a real store.
 */
const GENERATED: Vocabulary = {
  common: ['pens', 'cable', 'gloves'],
  color: 'black',
  twoWords: ['screen protector', 'wireless mouse'],
  brandType: 'quillon stapler',
  rare: 'kickstand',
  relaxed: 'stapler gloves',
  department: 'OFFICE_PRODUCTS',
  otherDepartment: 'ELECTRONICS',
  subCategory: 'gen-office-products-7',
  brand: 'acme office',
};

/** The words with the third letter of the longest one dropped. */
function typo(words: string): string {
  const longest = words.split(' ').reduce((a, b) => (b.length > a.length ? b : a));
  return words.replace(longest, longest.slice(0, 2) + longest.slice(3));
}

function queries(v: Vocabulary): { name: string; q: ProductSearchQuery }[] {
  const [c1, c2, c3] = v.common;
  return [
    { name: `"${c1}"`, q: base({ keywords: c1 }) },
    { name: `"${c2}"`, q: base({ keywords: c2 }) },
    { name: `"${c3}"`, q: base({ keywords: c3 }) },
    { name: `"${v.color}"`, q: base({ keywords: v.color }) },
    { name: `"${v.twoWords[0]}"`, q: base({ keywords: v.twoWords[0] }) },
    { name: `"${v.twoWords[1]}"`, q: base({ keywords: v.twoWords[1] }) },
    { name: `"${v.brandType}"`, q: base({ keywords: v.brandType }) },
    { name: `"${v.rare}" (rare)`, q: base({ keywords: v.rare }) },
    { name: `"${v.relaxed}" (no match of all)`, q: base({ keywords: v.relaxed }) },
    // A typo (a letter of the longest word dropped) and two words run together.
    { name: `"${typo(v.brandType)}" (a typo)`, q: base({ keywords: typo(v.brandType) }) },
    { name: `"${v.twoWords[0].replace(' ', '')}" (joined words)`, q: base({ keywords: v.twoWords[0].replace(' ', '') }) },
    { name: `browse ${v.department}`, q: base({ department: v.department }) },
    { name: `browse ${v.otherDepartment} by price`, q: base({ department: v.otherDepartment, sort: 'PRICE_LOW_TO_HIGH' }) },
    { name: `browse subcategory ${v.subCategory}`, q: base({ subCategory: v.subCategory }) },
    { name: `"${c1}" brand ${v.brand} + prime`, q: base({ keywords: c1, refinements: refine({ brands: [v.brand] }), primeOnly: true }) },
    { name: `"${c3}" condition USED`, q: base({ keywords: c3, refinements: refine({ conditions: ['USED'] }) }) },
    {
      name: `"${c3}" women-owned seller`,
      q: base({ keywords: c3, refinements: refine({ certificates: ['MYC_TYPE_DIV_WOMEN_BUSINESS'] }) }),
    },
    {
      name: `"${c2}" in stock, 4+ stars, $5-$50`,
      q: base({ keywords: c2, availability: 'InStockOnly', refinements: refine({ minRating: 4 }), minPrice: 5, maxPrice: 50 }),
    },
    { name: `"${c1}" tomorrow, free shipping`, q: base({ keywords: c1, deliveryDay: 'GetItTomorrow', freeShippingOnly: true }) },
    { name: `"${c2}" PRICE_LOW_TO_HIGH`, q: base({ keywords: c2, sort: 'PRICE_LOW_TO_HIGH' }) },
    { name: `"${c1}" TOP_RATED`, q: base({ keywords: c1, sort: 'TOP_RATED' }) },
    {
      name: `"${v.color}" NEWEST_ARRIVALS page 2`,
      q: base({ keywords: v.color, sort: 'NEWEST_ARRIVALS', page: { pageNumber: 1, pageSize: 24 } }),
    },
    { name: `"${c3}" FEATURED`, q: base({ keywords: c3, sort: 'FEATURED' }) },
    { name: `"${c1}" POPULARITY page 2`, q: base({ keywords: c1, sort: 'POPULARITY', page: { pageNumber: 1, pageSize: 24 } }) },
  ];
}

/**
 * Runs `fn` and adds its time to `spent[name]`. With `serial`, timed calls wait for each other:
 * on SQLite (one synchronous connection) calls the service makes concurrently only interleave,
 * and one at a time their times add up to the total.
 */
function timer(spent: Map<string, number>, serial: boolean) {
  let last: Promise<unknown> = Promise.resolve();
  return <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    const run = async () => {
      const t0 = performance.now();
      try {
        return await fn();
      } finally {
        spent.set(name, (spent.get(name) ?? 0) + performance.now() - t0);
      }
    };
    if (!serial) return run();
    const result = last.then(run, run);
    last = result.catch(() => undefined);
    return result;
  };
}

/** The strategy with every method call timed, by method name. */
function timed(strategy: SearchStrategy, time: ReturnType<typeof timer>): SearchStrategy {
  return new Proxy(strategy, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function' || typeof prop !== 'string') return value;
      return (...args: unknown[]) => time(prop, () => (value as (...a: unknown[]) => Promise<unknown>).apply(target, args));
    },
  });
}

/** The db with every statement it runs also passed to `seen` (for SEARCH_EXPLAIN). */
function capturing(db: Db, seen: (query: CompiledQuery) => void): Db {
  const executor = db.kysely.getExecutor();
  const spy = new Proxy(executor, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      // Kysely's classes keep private fields: their methods must run on the real object.
      if (prop !== 'executeQuery') return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      return (query: CompiledQuery, ...rest: unknown[]) => {
        seen(query);
        return (value as (...a: unknown[]) => unknown).call(target, query, ...rest);
      };
    },
  });
  const kysely = new Proxy(db.kysely, {
    get: (target, prop, receiver) => (prop === 'getExecutor' ? () => spy : (Reflect.get(target, prop, receiver) as unknown)),
  });
  return { ...db, kysely };
}

/** The plan of a statement: EXPLAIN QUERY PLAN on SQLite, EXPLAIN ANALYZE on PostgreSQL. */
async function explain(db: Db, query: CompiledQuery): Promise<string> {
  const prefix = db.dialect === 'postgres' ? 'explain (analyze, costs off, timing on, summary on) ' : 'explain query plan ';
  const { rows } = await db.kysely.executeQuery<Record<string, unknown>>(CompiledQuery.raw(prefix + query.sql, [...query.parameters]));
  if (db.dialect === 'postgres') return rows.map((r) => `    ${String(r['QUERY PLAN'])}`).join('\n');
  const depth = new Map<number, number>();
  return rows
    .map((r) => {
      const d = (depth.get(Number(r.parent)) ?? 0) + 1;
      depth.set(Number(r.id), d);
      return `${'  '.repeat(d + 1)}${String(r.detail)}`;
    })
    .join('\n');
}

const countProducts = async (db: Db): Promise<number> =>
  Number((await sql<{ n: number }>`select count(*) as n from catalog_products`.execute(db.kysely)).rows[0]?.n ?? 0);

async function openBenchDb(): Promise<{ db: Db; label: string; cleanup: () => void }> {
  if (process.env.DATABASE_URL) {
    const db = openDatabase({ databaseUrl: process.env.DATABASE_URL, dataDir: os.tmpdir() });
    await migrateToLatest(db);
    if ((await countProducts(db)) === 0) await loadSampleCatalog(db, { clock: systemClock });
    return { db, label: `PostgreSQL ${new URL(process.env.DATABASE_URL).pathname.slice(1)}`, cleanup: () => undefined };
  }
  if (process.env.SEARCH_DB_DIR) {
    const db = openDatabase({ databaseUrl: null, dataDir: path.resolve(process.env.SEARCH_DB_DIR) });
    await migrateToLatest(db);
    if ((await countProducts(db)) === 0) await loadSampleCatalog(db, { clock: systemClock });
    return { db, label: `SQLite ${process.env.SEARCH_DB_DIR}`, cleanup: () => undefined };
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bizapi-search-bench-'));
  const db = openDatabase({ databaseUrl: null, dataDir });
  await migrateToLatest(db);
  await loadSampleCatalog(db, { clock: systemClock });
  return { db, label: 'SQLite (temp dir, sample catalog)', cleanup: () => fs.rmSync(dataDir, { recursive: true, force: true }) };
}

const pct = (sorted: readonly number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
const ms = (x: number) => x.toFixed(1).padStart(6);

const { db, label, cleanup } = await openBenchDb();
try {
  // SEARCH_PRAGMAS="mmap_size=1073741824;cache_size=-262144": SQLite connection settings to try.
  for (const pragma of (process.env.SEARCH_PRAGMAS ?? '').split(';').filter((p) => p.trim()))
    await sql.raw(`pragma ${pragma}`).execute(db.kysely);
  const counts = await new CatalogService({ db, clock: systemClock }).counts();
  const generated = (
    await sql<{ n: number }>`select count(*) as n from (select 1 from catalog_products where source like 'generated:%' limit 1) g`.execute(
      db.kysely,
    )
  ).rows[0];
  const vocabulary = Number(generated?.n ?? 0) > 0 ? GENERATED : SAMPLE;
  console.log(`machine: ${machine()}`);
  console.log(
    `database: ${label}; ${counts.products} products, ${counts.offers} offers; ${vocabulary === SAMPLE ? 'sample' : 'generated'} queries; forgiving matching ${FORGIVING ? 'on' : 'off'}`,
  );
  console.log(
    `${ITERATIONS} runs per query after ${WARMUP} warm-up runs, at most ${MAX_SECONDS} s per query; split = mean per search${db.dialect === 'postgres' ? ' (calls the service makes concurrently overlap)' : ''}\n`,
  );

  const spent = new Map<string, number>();
  const time = timer(spent, db.dialect === 'sqlite');
  const catalog = new CatalogService({ db, clock: systemClock, search: timed(searchStrategyFor(db), time), forgivingSearch: FORGIVING });
  const getProducts = catalog.getProducts.bind(catalog);
  catalog.getProducts = (...args) => time('products', () => getProducts(...args));

  if (EXPLAIN !== undefined) {
    for (const { name, q } of queries(vocabulary)) {
      if (!name.includes(EXPLAIN)) continue;
      const statements: CompiledQuery[] = [];
      await new CatalogService({
        db,
        clock: systemClock,
        search: searchStrategyFor(capturing(db, (query) => statements.push(query))),
        forgivingSearch: FORGIVING,
      }).searchProducts(q, shopper);
      console.log(`${name}:`);
      for (const statement of statements)
        console.log(`  ${statement.sql.replace(/\s+/g, ' ').slice(0, 400)}\n${await explain(db, statement)}`);
    }
  }

  if (FORGIVING) {
    // What the first search after a catalog change waits for (then kept until the next change).
    // The heap it holds is exact with `node --expose-gc` (collected before and after).
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    const heap = process.memoryUsage().heapUsed;
    const t0 = performance.now();
    await catalog.vocabulary(shopper.region);
    gc?.();
    console.log(
      `forgiving-search vocabulary of ${shopper.region}, built by the first search: ${((performance.now() - t0) / 1000).toFixed(1)} s, heap +${((process.memoryUsage().heapUsed - heap) / 2 ** 20).toFixed(0)} MiB\n`,
    );
  }
  console.log(`${'query'.padEnd(44)} ${'matches'.padStart(7)}  times in ms`);
  const all: number[] = [];
  for (const { name, q } of queries(vocabulary)) {
    if (ONLY && !name.includes(ONLY)) continue;
    let found = 0;
    for (let i = 0; i < WARMUP; i++) await catalog.searchProducts(q, shopper);
    spent.clear();
    const times: number[] = [];
    const stop = performance.now() + MAX_SECONDS * 1000;
    for (let i = 0; i < ITERATIONS && (i < 3 || performance.now() < stop); i++) {
      const t0 = performance.now();
      const r = await catalog.searchProducts(q, shopper);
      times.push(performance.now() - t0);
      found = r.kind === 'ok' ? r.matchingProductCount : -1;
    }
    all.push(...times);
    const sorted = [...times].sort((a, b) => a - b);
    const total = times.reduce((s, t) => s + t, 0) / times.length;
    const parts = [...spent.entries()].map(([k, v]) => [k, v / times.length] as const);
    const other = total - parts.reduce((s, [, v]) => s + v, 0);
    const split = [...parts, ['other', other] as const].map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ');
    console.log(
      `${name.slice(0, 44).padEnd(44)} ${String(found).padStart(7)}  p50 ${ms(pct(sorted, 50))}  p99 ${ms(pct(sorted, 99))}   ${split}`,
    );
  }
  const sorted = all.sort((a, b) => a - b);
  console.log(
    `\nall queries: ${sorted.length} searches, p50 ${pct(sorted, 50).toFixed(1)} ms, p90 ${pct(sorted, 90).toFixed(1)} ms, p99 ${pct(sorted, 99).toFixed(1)} ms, mean ${(sorted.reduce((s, t) => s + t, 0) / sorted.length).toFixed(1)} ms`,
  );
} finally {
  await db.destroy();
  cleanup();
}

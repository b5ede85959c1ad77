// searchProductsRequest over HTTP, in one run on one machine: the real server process with its answer
// cache (the default) once warm, a second server process on the same database with the cache off
// (SEARCH_ANSWER_CACHE_MB=0), a third one with the cache on measured from its start (cold), Stoplight
// Prism mocking the published Product Search model, a bare Fastify hello-world, and the same bare
// Fastify sending the very answers of the cached server by path (the floor: the bytes alone). Every target
// gets the same stream of requests: the Zipf-like query mix of bench/search-queries.ts (≥ 200
// distinct keyword queries of the sample catalog), drawn once from a
// seed and sent in order by all connections together (a shared cursor), so the servers see the mix
// as drawn. Traffic goes to 127.0.0.1 only; every measurement is bounded in time; the temp directory
// (and the PostgreSQL database, when the bench made one) is removed at the end.
//
//   node --import tsx bench/search-http.ts                            (SQLite in a temp directory)
//   SEARCH_BENCH_DB=postgres REDIS_URL=redis://127.0.0.1:6379 node --import tsx bench/search-http.ts
//       (a PostgreSQL database of its own, made from PG_ADMIN_URL — default
//       postgres://postgres@127.0.0.1:5432/test — and dropped afterwards)
//
// BENCH_SECONDS (20) per measurement after BENCH_WARMUP_SECONDS (3), BENCH_CONNECTIONS (32),
// BENCH_PAIRS (3) interleaved pairs of Prism and the warm cached server,
// SEARCH_DRAWS (20000) requests drawn from the mix, BENCH_PRISM=false leaves Prism out,
// SERVER_NODE_ARGS adds node flags to both servers (`--cpu-prof --cpu-prof-dir=…`).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Request } from 'autocannon';
import { createPostgresDatabase } from '../test/support/isolated.ts';
import { startServer, type ServerProcess } from '../test/support/server-process.ts';
import { prismPath, startPrism } from './prism/start.ts';
import { searchKeywordQueries, searchQueryPaths, SEARCH_QUERY_MIX_DESCRIPTION } from './search-queries.ts';
import { ADMIN_KEY, benchWorld, databaseName, machine, measure, resultLine, startHello } from './world.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const WARMUP = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const DRAWS = Number(process.env.SEARCH_DRAWS ?? 20_000);
const WITH_PRISM = process.env.BENCH_PRISM !== 'false';
/** Prism and the warm cached server are measured in this many interleaved pairs (a loaded machine drifts). */
const PAIRS = Number(process.env.BENCH_PAIRS ?? 3);

type Measured = Awaited<ReturnType<typeof measure>>;
const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

const stops: (() => Promise<void>)[] = [];
if (process.env.SEARCH_BENCH_DB === 'postgres') {
  const made = await createPostgresDatabase(process.env.PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/test', 'bizapi_bench_search');
  process.env.DATABASE_URL = made.databaseUrl;
  stops.push(() => made.drop());
}

console.log(`machine: ${machine()}`);
console.log(`database: ${databaseName()}; ${CONNECTIONS} connections, ${SECONDS} s per measurement after ${WARMUP} s warm-up`);
console.log(`started ${new Date().toISOString()}, load average ${load()}`);

/** The answer cache's counts of a server, by outcome, from its /metrics. */
async function cacheOutcomes(base: string): Promise<Record<string, number>> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const out: Record<string, number> = {};
  for (const m of text.matchAll(/^bizapi_search_answer_cache_total\{[^}]*outcome="(\w+)"[^}]*\} (\d+(?:\.\d+)?)$/gm))
    out[m[1]!] = (out[m[1]!] ?? 0) + Number(m[2]);
  return out;
}
async function cacheBytes(base: string): Promise<number> {
  const m = /^bizapi_search_answer_cache_bytes (\d+)$/m.exec(await (await fetch(`${base}/metrics`)).text());
  return m ? Number(m[1]) : Number.NaN;
}
const delta = (a: Record<string, number>, b: Record<string, number>) =>
  Object.fromEntries(['hit', 'miss', 'shared', 'unstored'].map((k) => [k, (b[k] ?? 0) - (a[k] ?? 0)]));
const hitRate = (d: Record<string, number>) => {
  const all = Object.values(d).reduce((x, y) => x + y, 0);
  return all ? `${(((d.hit ?? 0) / all) * 100).toFixed(1)} % hits (${JSON.stringify(d)})` : 'no calls';
};

try {
  const world = await benchWorld({ rate: 10_000, burst: 100_000 });
  stops.unshift(() => world.close());
  // Other servers on the same database, with the same settings as the world's (bench/world.ts).
  const sameDatabase = (extra: Record<string, string>) =>
    startServer({
      BIZAPI_MODE: 'production',
      EMULATOR: 'false',
      DATA_DIR: world.dataDir,
      DATABASE_URL: process.env.DATABASE_URL ?? '',
      REDIS_URL: process.env.REDIS_URL ?? '',
      ADMIN_API_KEY: ADMIN_KEY,
      SEED_DEMO: 'false',
      ...extra,
    });
  // The cache off: the computed answers.
  const uncached: ServerProcess = await sameDatabase({ SEARCH_ANSWER_CACHE_MB: '0' });
  stops.unshift(() => uncached.stop());
  const hello = await startHello();
  stops.unshift(() => hello.stop());
  const prism = WITH_PRISM ? await startPrism() : null;
  if (prism) stops.unshift(() => prism.stop());
  if (prism) console.log(`prism: @stoplight/prism-cli ${prism.version} mocking the published Product Search model, its log silenced`);

  const headers = { 'x-amz-access-token': world.accessToken, 'x-amz-user-email': world.buyerEmail };
  const paths = searchQueryPaths({ count: DRAWS, seed: 'search-http' });
  const distinct = new Set(paths);
  console.log(`query mix: ${searchKeywordQueries().length} keyword queries; ${DRAWS} draws, ${distinct.size} distinct request paths`);
  console.log(`  ${SEARCH_QUERY_MIX_DESCRIPTION}`);

  // Every distinct path once on each server: all 200, the two servers' bodies equal, the sizes.
  let bytes = 0;
  const statuses: Record<string, number> = {};
  const answers: Record<string, string> = {};
  for (const p of distinct) {
    const [a, b] = await Promise.all([fetch(`${world.server.baseUrl}${p}`, { headers }), fetch(`${uncached.baseUrl}${p}`, { headers })]);
    const [ta, tb] = await Promise.all([a.text(), b.text()]);
    statuses[a.status] = (statuses[a.status] ?? 0) + 1;
    if (a.status !== b.status || ta !== tb) throw new Error(`the cached and the computed answers differ for ${p}`);
    bytes += Buffer.byteLength(ta);
    answers[p] = ta;
  }
  console.log(
    `check: every distinct path answered alike by both servers ${JSON.stringify(statuses)}, mean body ${(bytes / distinct.size / 1024).toFixed(1)} KiB`,
  );
  // The floor of the mix: a bare Fastify sending the very same answers by path, nothing else.
  const answersFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bizapi-answers-')), 'answers.json');
  fs.writeFileSync(answersFile, JSON.stringify(answers));
  stops.push(async () => fs.rmSync(path.dirname(answersFile), { recursive: true, force: true }));
  const replay = await startHello(answersFile);
  stops.unshift(() => replay.stop());
  if (prism) {
    const res = await fetch(`${prism.url}${prismPath(paths[0]!)}`, { headers });
    console.log(`prism answers ${res.status}, ${(await res.arrayBuffer()).byteLength} bytes (${prismPath(paths[0]!)})`);
  }

  /** The mix as one stream: every connection takes the next path of the shared cursor. */
  const stream = (list: readonly string[]): Request[] => {
    let next = 0;
    return [{ method: 'GET', setupRequest: (req) => ({ ...req, path: list[next++ % list.length]! }) }];
  };
  const run = (url: string, list: readonly string[] | null, duration: number) =>
    measure({ url, connections: CONNECTIONS, duration, headers, ...(list ? { requests: stream(list) } : {}) });

  const results = new Map<string, Measured>();
  const report = (name: string, r: Measured, extra = '') => {
    results.set(name, r);
    console.log(`${resultLine(name, r)}   load ${load()}${extra}`);
  };

  await run(`${hello.url}/hello`, null, WARMUP);
  report('fastify hello-world', await run(`${hello.url}/hello`, null, SECONDS));
  await run(replay.url, paths, WARMUP);
  report('fastify sending the same answers', await run(replay.url, paths, SECONDS));
  // Prism and the warm cached server in interleaved pairs; the check above asked the cached server
  // for every distinct path once, so its answers are stored.
  const prismPaths = paths.map(prismPath);
  if (prism) await run(prism.url, prismPaths, WARMUP);
  const before = await cacheOutcomes(world.server.baseUrl);
  await run(world.server.baseUrl, paths, WARMUP);
  const warm = await cacheOutcomes(world.server.baseUrl);
  console.log(`answer cache during the ${WARMUP} s warm-up: ${hitRate(delta(before, warm))}`);
  const pairRatios: number[] = [];
  for (let i = 1; i <= PAIRS; i++) {
    const p = prism ? await run(prism.url, prismPaths, SECONDS) : null;
    if (p) report(`prism searchProductsRequest #${i}`, p);
    const start = await cacheOutcomes(world.server.baseUrl);
    const b = await run(world.server.baseUrl, paths, SECONDS);
    const end = await cacheOutcomes(world.server.baseUrl);
    const held = `${((await cacheBytes(world.server.baseUrl)) / 2 ** 20).toFixed(0)} MiB held`;
    const versus = p ? `; ${(b.requests.average / p.requests.average).toFixed(2)}× Prism` : '';
    report(`bizapi search, cache warm #${i}`, b, `   ${hitRate(delta(start, end))}, ${held}${versus}`);
    if (p) pairRatios.push(b.requests.average / p.requests.average);
  }
  if (pairRatios.length) {
    const median = [...pairRatios].sort((a, b) => a - b)[Math.floor(pairRatios.length / 2)]!;
    console.log(`warm cache / Prism in each pair: ${pairRatios.map((r) => `${r.toFixed(2)}×`).join(', ')}; median ${median.toFixed(2)}×`);
  }
  // A server started now: its cache is empty when the measurement begins (no warm-up).
  const cold = await sameDatabase({});
  stops.unshift(() => cold.stop());
  const coldRun = await run(cold.baseUrl, paths, SECONDS);
  report('bizapi search, cache on from cold', coldRun, `   ${hitRate(delta({}, await cacheOutcomes(cold.baseUrl)))}`);
  await run(uncached.baseUrl, paths, WARMUP);
  report('bizapi search, answer cache off', await run(uncached.baseUrl, paths, SECONDS));

  const rate = (name: string) => results.get(name)?.requests.average;
  const ratio = (a: string, b: string) => {
    const x = rate(a);
    const y = rate(b);
    return x !== undefined && y !== undefined ? `${(x / y).toFixed(2)}×` : 'n/a';
  };
  const pct = (a: string) => {
    const x = rate(a);
    const y = rate('fastify hello-world');
    return x !== undefined && y !== undefined ? `${((x / y) * 100).toFixed(1)} %` : 'n/a';
  };
  for (const name of [
    'fastify sending the same answers',
    'bizapi search, cache warm #1',
    'bizapi search, cache on from cold',
    'bizapi search, answer cache off',
    'prism searchProductsRequest #1',
  ])
    if (results.has(name))
      console.log(
        `${name.padEnd(34)} ${pct(name).padStart(7)} of the hello-world${name.startsWith('bizapi') && prism ? `, ${ratio(name, 'prism searchProductsRequest #1')} Prism #1` : ''}`,
      );
  for (const name of ['bizapi search, cache warm #1', 'bizapi search, cache on from cold'])
    if (results.has(name))
      console.log(
        `${name.padEnd(34)} ${ratio(name, 'fastify sending the same answers').padStart(7)} of the same answers sent by a bare Fastify`,
      );
  console.log(`finished ${new Date().toISOString()}, load average ${load()}`);
} finally {
  for (const stop of stops) await stop().catch((err: unknown) => console.error(err));
}

// Gateway benchmark, in one run on one machine: the real server process against a bare Fastify
// hello-world and against Stoplight Prism mocking the published Product Search model. Traffic goes
// to 127.0.0.1 only and every measurement is bounded in time.
//
//   node --import tsx bench/gateway.ts                      (SQLite in a temp directory)
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench REDIS_URL=redis://127.0.0.1:6379 node --import tsx bench/gateway.ts
//
// What it measures (docs/performance.md, "Gateway"):
// - hello-world: bench/hello-server.ts, its own process, no logger (the ceiling);
// - /healthz: our server's own cost per request without the gateway (request id, security headers,
//   the shared-state check, logging at its default level);
// - gateway + fault 429: searchOffersRequest, answered by an emulator fault rule after every check of
//   the gateway (token, region, role, usage-plan bucket, user email): the gateway's own cost with a
//   trivial answer (the handler never runs);
// - productsRequest of one sample ASIN with facets=OFFERS,IMAGES;
// - searchProductsRequest over the query mix of bench/search-queries.ts (≥ 200 distinct queries drawn
//   Zipf-like from a seed);
// - Prism's productsRequest and searchProductsRequest on the same paths (bench/prism/start.ts says
//   what is adapted for it).
// - the same bare Fastify as the hello-world sending the very answers of /healthz, the fault and
//   productsRequest, encoded once (bench/hello-server.ts): the floor of those bytes alone.
//
// BENCH_SECONDS (default 20) per measurement, BENCH_CONNECTIONS (default 32), BENCH_WARMUP_SECONDS (3),
// BENCH_LOG_LEVEL (unset: the server's default), LOG_REQUESTS (passed to the server), BENCH_PRISM=false
// leaves Prism out, BENCH_ONLY=healthz,fault,products,search,same measures those only (besides the
// hello-world), SERVER_NODE_ARGS adds node flags to the server (`--cpu-prof --cpu-prof-dir=…`).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Request, Result } from 'autocannon';
import { ADMIN_KEY, benchWorld, databaseName, machine, measure, resultLine, someAsin, startHello } from './world.ts';
import { searchQueryPaths, SEARCH_QUERY_MIX_DESCRIPTION } from './search-queries.ts';
import { prismPath, startPrism } from './prism/start.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const WARMUP = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const WITH_PRISM = process.env.BENCH_PRISM !== 'false';
/** The operation the fault rule answers (a GET that takes the user email, measured nowhere else here). */
const FAULTED = 'searchOffersRequest';
/** Search paths in the mix (each connection cycles through all of them from its own start). */
const SEARCH_PATHS = 2000;

type Measured = Awaited<ReturnType<typeof measure>>;
const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

console.log(`machine: ${machine()}`);
console.log(`database: ${databaseName()}; ${CONNECTIONS} connections, ${SECONDS} s per measurement after ${WARMUP} s warm-up`);
console.log(`started ${new Date().toISOString()}, load average ${load()}`);

const world = await benchWorld({ rate: 10_000, burst: 100_000, emulator: true });
const stops: (() => Promise<void>)[] = [() => world.close()];
try {
  const hello = await startHello();
  stops.push(() => hello.stop());
  const prism = WITH_PRISM ? await startPrism() : null;
  if (prism) stops.push(() => prism.stop());
  console.log(`server log level: ${process.env.BENCH_LOG_LEVEL || 'default (info)'}, LOG_REQUESTS ${process.env.LOG_REQUESTS || 'unset'}`);
  if (prism) console.log(`prism: @stoplight/prism-cli ${prism.version} mocking the published Product Search model, its log silenced`);

  const base = world.server.baseUrl;
  const headers = { 'x-amz-access-token': world.accessToken, 'x-amz-user-email': world.buyerEmail };
  const { asin } = await someAsin(world);
  const productPath = `/na/products/2020-08-26/products/${asin}?productRegion=US&locale=en_US&facets=OFFERS,IMAGES`;
  const faultPath = `/na/products/2020-08-26/products/${asin}/offers?productRegion=US&locale=en_US`;
  const searchPaths = searchQueryPaths({ count: SEARCH_PATHS, seed: 'gateway-bench' });
  console.log(
    `search mix: ${new Set(searchPaths).size} distinct request paths of ${searchPaths.length} draws; ${SEARCH_QUERY_MIX_DESCRIPTION}`,
  );

  // The fault rule: every searchOffersRequest call is answered 429 (the gateway's throttle body)
  // once the gateway's checks passed.
  const rule = await fetch(`${base}/admin/v1/faults`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ operation: FAULTED, status: 429, note: 'bench/gateway.ts: the gateway with a trivial answer' }),
  });
  if (rule.status !== 201) throw new Error(`the fault rule was refused: ${rule.status} ${await rule.text()}`);
  // The answers probed, kept for the same bare Fastify to send (the floor of the bytes alone).
  const answers: Record<string, string> = {};
  for (const [name, p] of [
    ['healthz', '/healthz'],
    ['fault', faultPath],
    ['productsRequest', productPath],
    ['search (first of the mix)', searchPaths[0]!],
  ] as const) {
    const res = await fetch(`${base}${p}`, { headers });
    const body = await res.text();
    answers[p] = body;
    console.log(`probe ${name}: ${res.status}, ${Buffer.byteLength(body)} bytes`);
  }
  const answersDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bizapi-answers-'));
  stops.push(async () => fs.rmSync(answersDir, { recursive: true, force: true }));
  fs.writeFileSync(path.join(answersDir, 'answers.json'), JSON.stringify(answers));
  const replay = await startHello(path.join(answersDir, 'answers.json'));
  stops.push(() => replay.stop());
  if (prism) {
    for (const [name, p] of [
      ['prism productsRequest', prismPath(productPath)],
      ['prism search', prismPath(searchPaths[0]!)],
    ] as const) {
      const res = await fetch(`${prism.url}${p}`, { headers });
      console.log(`probe ${name}: ${res.status}, ${(await res.arrayBuffer()).byteLength} bytes (${p})`);
    }
  }

  const requestsOf = (paths: readonly string[]): Request[] => paths.map((p) => ({ method: 'GET', path: p }));
  // key: what BENCH_ONLY names (the hello-world always runs).
  const targets: { name: string; key: string; url: string; requests?: Request[] }[] = [
    { name: 'fastify hello-world (baseline)', key: 'hello', url: `${hello.url}/hello` },
    { name: 'bizapi /healthz', key: 'healthz', url: `${base}/healthz` },
    { name: `bizapi gateway + fault 429 (${FAULTED})`, key: 'fault', url: `${base}${faultPath}` },
    { name: 'bizapi productsRequest', key: 'products', url: `${base}${productPath}` },
    { name: 'bizapi searchProductsRequest (mix)', key: 'search', url: base, requests: requestsOf(searchPaths) },
    { name: 'fastify sending the /healthz answer', key: 'same', url: `${replay.url}/healthz` },
    { name: 'fastify sending the fault answer', key: 'same', url: `${replay.url}${faultPath}` },
    { name: 'fastify sending the productsRequest answer', key: 'same', url: `${replay.url}${productPath}` },
  ];
  if (prism)
    targets.push(
      { name: 'prism productsRequest', key: 'products', url: `${prism.url}${prismPath(productPath)}` },
      { name: 'prism searchProductsRequest (mix)', key: 'search', url: prism.url, requests: requestsOf(searchPaths.map(prismPath)) },
    );

  const results = new Map<string, Measured>();
  // BENCH_ONLY=healthz,fault,products,search,same (profiling one path): the hello-world and those only.
  const only = process.env.BENCH_ONLY?.split(',').filter(Boolean);
  for (const t of targets) {
    if (only && t.key !== 'hello' && !only.includes(t.key)) continue;
    const opts = { url: t.url, connections: CONNECTIONS, headers, ...(t.requests ? { requests: t.requests } : {}) };
    await measure({ ...opts, duration: WARMUP });
    const logBefore = fs.statSync(world.logFile).size;
    const r = await measure({ ...opts, duration: SECONDS });
    results.set(t.name, r);
    const logged = t.url.startsWith(base) ? fs.statSync(world.logFile).size - logBefore : 0;
    console.log(
      `${resultLine(t.name, r)}   load ${load()}${t.url.startsWith(base) ? `   server log ${(logged / Math.max(1, r.requests.total)).toFixed(1)} bytes/request` : ''}`,
    );
  }
  console.log(
    `the server process is ${world.server.child.exitCode === null && world.server.child.signalCode === null ? 'still running' : `gone (${world.server.child.exitCode ?? world.server.child.signalCode})`}`,
  );

  const r = (name: string): Result | undefined => [...results].find(([n]) => n.startsWith(name))?.[1];
  const pct = (a: Result | undefined, b: Result | undefined) =>
    a && b ? `${((a.requests.average / b.requests.average) * 100).toFixed(1)} %` : 'n/a';
  const times = (a: Result | undefined, b: Result | undefined) =>
    a && b ? `${(a.requests.average / b.requests.average).toFixed(2)}×` : 'n/a';
  const hw = r('fastify hello-world');
  console.log(
    `ours / hello-world: /healthz ${pct(r('bizapi /healthz'), hw)}, gateway + fault ${pct(r('bizapi gateway'), hw)}, productsRequest ${pct(r('bizapi productsRequest'), hw)}, searchProductsRequest ${pct(r('bizapi search'), hw)}`,
  );
  console.log(
    `ours / the same answer sent by a bare Fastify: /healthz ${pct(r('bizapi /healthz'), r('fastify sending the /healthz'))}, gateway + fault ${pct(r('bizapi gateway'), r('fastify sending the fault'))}, productsRequest ${pct(r('bizapi productsRequest'), r('fastify sending the productsRequest'))}`,
  );
  if (prism)
    console.log(
      `ours / Prism: productsRequest ${times(r('bizapi productsRequest'), r('prism productsRequest'))}, searchProductsRequest ${times(r('bizapi search'), r('prism search'))}; Prism / hello-world: productsRequest ${pct(r('prism productsRequest'), hw)}, search ${pct(r('prism search'), hw)}`,
    );
  console.log(`finished ${new Date().toISOString()}, load average ${load()}`);
} finally {
  for (const stop of stops.reverse()) await stop().catch((err: unknown) => console.error(err));
}

// Gateway benchmark: `productsRequest` and keyword searches (`searchProductsRequest`) through the whole gateway path (token lookup, role, usage
// plan bucket, user email check, handler, serialization) of the real server process, compared with
// a bare Fastify hello-world measured in the same run on the same machine. Traffic goes to
// 127.0.0.1 only and every run is bounded in time.
//
//   node --import tsx bench/gateway.ts                      (SQLite in a temp directory)
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench node --import tsx bench/gateway.ts
//
// BENCH_SECONDS (default 20) per measurement, BENCH_CONNECTIONS (default 32), BENCH_WARMUP_SECONDS (3).
import type { Result } from 'autocannon';
import { API_MODULES } from '../src/apis/index.ts';
import { OPERATIONS } from '../src/modules/registry/index.ts';
import { benchWorld, databaseName, machine, measure, resultLine, someAsin, startHello } from './world.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const WARMUP = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
/** The keyword searches of the search run, cycled by every connection. */
const SEARCH_KEYWORDS = [
  'phone',
  'iphone 7 case',
  'samsung galaxy',
  'charger',
  'screen protector',
  'bluetooth headset',
  'otterbox defender',
  'unlocked 32gb',
];

console.log(`machine: ${machine()}`);
console.log(`database: ${databaseName()}; ${CONNECTIONS} connections, ${SECONDS} s per run after ${WARMUP} s warm-up`);

const world = await benchWorld({ rate: 10_000, burst: 100_000 });
const hello = await startHello().catch(async (err: unknown) => {
  await world.close();
  throw err;
});
try {
  const { asin, searchStatus } = await someAsin(world);
  const path = `/na/products/2020-08-26/products/${asin}?productRegion=US&locale=en_US&facets=OFFERS,IMAGES`;
  const headers = { 'x-amz-access-token': world.accessToken, 'x-amz-user-email': world.buyerEmail };
  const probe = await fetch(`${world.server.baseUrl}${path}`, { headers });
  console.log(
    `productsRequest answers ${probe.status} (search ${searchStatus}${probe.status === 501 ? ': Product Search is not wired yet, so the handler is the 501 stub after every check' : ''})`,
  );

  const run = (url: string) => measure({ url, connections: CONNECTIONS, duration: SECONDS, headers });
  await measure({ url: `${hello.url}/hello`, connections: CONNECTIONS, duration: WARMUP });
  await measure({ url: `${world.server.baseUrl}${path}`, connections: CONNECTIONS, duration: WARMUP, headers });
  // The gateway alone: a GET operation of an API not built yet (one that takes the user email, when
  // there is one) passes the same checks (token, role, bucket, user email), then its 501 stub
  // answers, so the handler costs next to nothing. Once every API is built there is none.
  const built = new Set(API_MODULES.map((m) => m.api));
  const unbuilt = OPERATIONS.filter((o) => o.method === 'GET' && !built.has(o.api)).sort(
    (a, b) => Number(b.userEmailRequired) - Number(a.userEmailRequired),
  )[0];
  const stubPath = unbuilt ? `/na${unbuilt.path.replace(/:([A-Za-z]+)/g, 'bench-1')}` : null;
  if (stubPath) await measure({ url: `${world.server.baseUrl}${stubPath}`, connections: CONNECTIONS, duration: WARMUP, headers });
  // searchProductsRequest: each connection cycles through these keyword searches of the sample
  // catalog (broad and narrow words, two-word queries, a brand), with the OFFERS facet.
  const searches = SEARCH_KEYWORDS.map((k) => ({
    method: 'GET' as const,
    path: `/na/products/2020-08-26/products?productRegion=US&locale=en_US&keywords=${encodeURIComponent(k)}&facets=OFFERS`,
  }));
  await measure({ url: world.server.baseUrl, connections: CONNECTIONS, duration: WARMUP, headers, requests: searches });
  const baseline = await run(`${hello.url}/hello`);
  const gatewayOnly = stubPath ? await run(`${world.server.baseUrl}${stubPath}`) : null;
  const gateway = await run(`${world.server.baseUrl}${path}`);
  const search = await measure({ url: world.server.baseUrl, connections: CONNECTIONS, duration: SECONDS, headers, requests: searches });
  console.log(resultLine('fastify hello-world (baseline)', baseline));
  if (gatewayOnly) console.log(resultLine(`bizapi gateway + 501 stub (${unbuilt!.operationId})`, gatewayOnly));
  console.log(resultLine(`bizapi productsRequest (${probe.status})`, gateway));
  console.log(resultLine('bizapi searchProductsRequest', search));
  console.log(
    `the server process is ${world.server.child.exitCode === null && world.server.child.signalCode === null ? 'still running' : `gone (${world.server.child.exitCode ?? world.server.child.signalCode})`}`,
  );
  const pct = (r: Result) => `${((r.requests.average / baseline.requests.average) * 100).toFixed(1)}%`;
  console.log(
    `throughput relative to the bare hello-world: ${gatewayOnly ? `gateway + stub ${pct(gatewayOnly)}, ` : ''}productsRequest ${pct(gateway)}, searchProductsRequest ${pct(search)}`,
  );
} finally {
  await world.close();
  await hello.stop();
}

// Reporting benchmark: the first page (100 orders) of a 30-day getOrderReports over a generated
// order history, compared in the same run with a Product Search keyword search, through the whole
// gateway path of the real server process (ratios; this machine is shared and noisy); and the
// history generator's speed (orders placed through the purchasing rules per second). 127.0.0.1
// only, bounded in time.
//
//   node --import tsx bench/reports.ts                      (SQLite in a temp directory)
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench REDIS_URL=redis://127.0.0.1:6379 node --import tsx bench/reports.ts
//
// Targets (issue 16): the report page at least as fast as the search (ratio ≥ 1) over a
// 100,000-order history; the generator at least 2,000 orders/s.
// BENCH_ORDERS (default 100000), BENCH_SECONDS (20) per measurement, BENCH_CONNECTIONS (16), BENCH_WARMUP_SECONDS (3).
import { benchWorld, databaseName, machine, measure, ratio, resultLine } from './world.ts';

const ORDERS = Number(process.env.BENCH_ORDERS ?? 100_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const WARMUP = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);

console.log(`machine: ${machine()}`);
console.log(`database: ${databaseName()}; ${CONNECTIONS} connections, ${SECONDS} s per run after ${WARMUP} s warm-up; ${ORDERS} orders`);

const world = await benchWorld({ rate: 10_000, burst: 100_000, historyOrders: ORDERS });
try {
  const h = world.history!;
  const perSecond = h.placed / h.seconds;
  console.log(
    `history: ${h.placed} orders in ${h.seconds.toFixed(1)} s = ${Math.round(perSecond)} orders/s (target ≥ 2000: ${perSecond >= 2000 ? 'met' : 'NOT met'})`,
  );
  const base = world.server.baseUrl;
  const headers = { 'x-amz-access-token': world.accessToken };
  const now = Date.now();
  const from = new Date(now - 30 * 86_400_000).toISOString();
  const to = new Date(now).toISOString();
  const reportUrl = `${base}/na/reports/2025-06-09/orderReports?orderStartDate=${from}&orderEndDate=${to}`;
  const first = await fetch(reportUrl, { headers });
  const body = (await first.json()) as { size: number; nextPageToken?: string };
  if (first.status !== 200 || body.size !== 100 || !body.nextPageToken)
    throw new Error(`the report page is not a full page: ${first.status} ${JSON.stringify(body).slice(0, 300)}`);
  // Two keyword searches: a typical one ("usb charger", 199 matches in the sample catalog) and the heaviest ("phone", 3,298).
  const searchHeaders = { ...headers, 'x-amz-user-email': world.buyerEmail };
  const searchUrl = (k: string) =>
    `${base}/na/products/2020-08-26/products?productRegion=US&locale=en_US&keywords=${encodeURIComponent(k)}&facets=OFFERS`;
  for (const k of ['usb charger', 'phone']) {
    const searched = await fetch(searchUrl(k), { headers: searchHeaders });
    if (searched.status !== 200) throw new Error(`search: ${searched.status} ${await searched.text()}`);
  }

  await measure({ url: reportUrl, connections: CONNECTIONS, duration: WARMUP, headers });
  await measure({ url: searchUrl('usb charger'), connections: CONNECTIONS, duration: WARMUP, headers: searchHeaders });
  const report = await measure({ url: reportUrl, connections: CONNECTIONS, duration: SECONDS, headers });
  const typical = await measure({ url: searchUrl('usb charger'), connections: CONNECTIONS, duration: SECONDS, headers: searchHeaders });
  const heavy = await measure({ url: searchUrl('phone'), connections: CONNECTIONS, duration: SECONDS, headers: searchHeaders });
  console.log(resultLine('bizapi getOrderReports (30 days, first page of 100)', report));
  console.log(resultLine('bizapi searchProductsRequest ("usb charger")', typical));
  console.log(resultLine('bizapi searchProductsRequest ("phone")', heavy));
  const r = ratio(report, typical);
  console.log(`getOrderReports / search "usb charger": ${r.toFixed(2)} (target ≥ 1: ${r >= 1 ? 'met' : 'NOT met'})`);
  console.log(`getOrderReports / search "phone": ${ratio(report, heavy).toFixed(2)}`);
} finally {
  await world.close();
}

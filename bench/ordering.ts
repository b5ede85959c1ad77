// Ordering benchmark: placeOrder with 5 lines (each request a new externalId, so every one is a real
// order written to the database) and orderDetails of a placed order, through the whole gateway path
// of the real server process, compared in the same run with a bare Fastify hello-world and with
// productsRequest (the figures are ratios; this machine is shared and noisy). 127.0.0.1 only,
// bounded in time.
//
//   node --import tsx bench/ordering.ts                      (SQLite in a temp directory)
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench REDIS_URL=redis://127.0.0.1:6379 node --import tsx bench/ordering.ts
//
// Targets (issue 14): placeOrder ≥ 2 % of the hello-world's throughput on SQLite, p99 < 25 ms at 16
// connections; orderDetails at least as fast as productsRequest.
// BENCH_SECONDS (default 20) per measurement, BENCH_CONNECTIONS (default 16), BENCH_WARMUP_SECONDS (3).
import type { Request } from 'autocannon';
import { benchWorld, databaseName, machine, measure, ratio, resultLine, someAsin, startHello } from './world.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const WARMUP = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);

console.log(`machine: ${machine()}`);
console.log(`database: ${databaseName()}; ${CONNECTIONS} connections, ${SECONDS} s per run after ${WARMUP} s warm-up`);

const world = await benchWorld({ rate: 10_000, burst: 100_000 });
const hello = await startHello().catch(async (err: unknown) => {
  await world.close();
  throw err;
});
try {
  const base = world.server.baseUrl;
  const headers = { 'x-amz-access-token': world.accessToken, 'x-amz-user-email': world.buyerEmail };
  // Five products of the sample catalog a search finds, each with stock enough for a long run.
  const search = await fetch(`${base}/na/products/2020-08-26/products?productRegion=US&locale=en_US&keywords=phone&pageSize=20`, {
    headers,
  });
  const asins = ((await search.json()) as { products: { asin: string }[] }).products.map((p) => p.asin).slice(0, 5);
  if (asins.length < 5) throw new Error(`the search found ${asins.length} products, not 5`);
  const { asin } = await someAsin(world);
  let n = 0;
  const orderBody = (externalId: string) =>
    JSON.stringify({
      externalId,
      lineItems: asins.map((a, i) => ({
        externalId: String(i + 1),
        quantity: 1,
        attributes: [{ attributeType: 'SelectedProductReference', productReference: { productReferenceType: 'ProductIdentifier', id: a } }],
        expectations: [],
      })),
      attributes: [
        { attributeType: 'Region', region: 'US' },
        { attributeType: 'BuyerReference', userReference: { userReferenceType: 'UserEmail', emailAddress: world.buyerEmail } },
      ],
      expectations: [],
    });
  const placeRequests = [
    {
      method: 'POST' as const,
      path: '/na/ordering/2022-10-30/orders',
      headers: { ...headers, 'content-type': 'application/json' },
      setupRequest: (req: Request) => ({ ...req, body: orderBody(`bench-${process.pid}-${++n}`) }),
    },
  ];
  const probe = await fetch(`${base}/na/ordering/2022-10-30/orders`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: orderBody('bench-probe'),
  });
  const probeBody = (await probe.json()) as { lineItems: { acceptedItems: unknown[] }[] };
  const accepted = probeBody.lineItems.filter((l) => l.acceptedItems.length > 0).length;
  console.log(`placeOrder answers ${probe.status} with ${accepted} of 5 lines accepted`);
  if (probe.status !== 200 || accepted !== 5)
    throw new Error(`the probe order was not fully accepted: ${JSON.stringify(probeBody).slice(0, 500)}`);
  const detailsUrl = `${base}/na/ordering/2022-10-30/orders/bench-probe`;
  const productUrl = `${base}/na/products/2020-08-26/products/${asin}?productRegion=US&locale=en_US&facets=OFFERS,IMAGES`;

  await measure({ url: `${hello.url}/hello`, connections: CONNECTIONS, duration: WARMUP });
  await measure({ url: base, connections: CONNECTIONS, duration: WARMUP, requests: placeRequests });
  await measure({ url: detailsUrl, connections: CONNECTIONS, duration: WARMUP, headers });
  await measure({ url: productUrl, connections: CONNECTIONS, duration: WARMUP, headers });

  const baseline = await measure({ url: `${hello.url}/hello`, connections: CONNECTIONS, duration: SECONDS });
  const place = await measure({ url: base, connections: CONNECTIONS, duration: SECONDS, requests: placeRequests });
  const details = await measure({ url: detailsUrl, connections: CONNECTIONS, duration: SECONDS, headers });
  const products = await measure({ url: productUrl, connections: CONNECTIONS, duration: SECONDS, headers });
  console.log(resultLine('fastify hello-world (baseline)', baseline));
  console.log(resultLine('bizapi placeOrder (5 lines)', place));
  console.log(resultLine('bizapi orderDetails', details));
  console.log(resultLine('bizapi productsRequest', products));
  const placeShare = ratio(place, baseline) * 100;
  console.log(
    `placeOrder: ${placeShare.toFixed(2)} % of the hello-world (target ≥ 2 %: ${placeShare >= 2 ? 'met' : 'NOT met'}), p99 ${place.latency.p99} ms (target < 25 ms: ${place.latency.p99 < 25 ? 'met' : 'NOT met'})`,
  );
  const detailsRatio = ratio(details, products);
  console.log(`orderDetails / productsRequest: ${detailsRatio.toFixed(2)} (target ≥ 1: ${detailsRatio >= 1 ? 'met' : 'NOT met'})`);
  console.log(`orders written in the run: ${n}`);
} finally {
  await world.close();
  await hello.stop();
}

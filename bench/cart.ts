// Cart benchmark: addItems (one unit of a product into a buyer's cart; requests rotate over 64
// buyers' carts and 40 products, so each is a real write that merges or inserts an item) and
// getItems of a cart of 10 items (each priced from the catalog), through the whole gateway path of
// the real server process, compared in the same run with productsRequest (ratios; this machine is
// shared and noisy). 127.0.0.1 only, bounded in time.
//
//   node --import tsx bench/cart.ts                      (SQLite in a temp directory)
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench REDIS_URL=redis://127.0.0.1:6379 node --import tsx bench/cart.ts
//
// Target (issue 15): addItems and getItems at least as fast as productsRequest.
// BENCH_SECONDS (default 20) per measurement, BENCH_CONNECTIONS (default 16), BENCH_WARMUP_SECONDS (3).
import type { Request } from 'autocannon';
import { benchWorld, databaseName, machine, measure, ratio, resultLine, someAsin } from './world.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const WARMUP = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const CARTS = 64;

console.log(`machine: ${machine()}`);
console.log(`database: ${databaseName()}; ${CONNECTIONS} connections, ${SECONDS} s per run after ${WARMUP} s warm-up`);

const world = await benchWorld({ rate: 10_000, burst: 100_000, extraBuyers: CARTS + 1 });
try {
  const base = world.server.baseUrl;
  const token = { 'x-amz-access-token': world.accessToken };
  const json = async (url: string, init: RequestInit = {}) => {
    const res = await fetch(`${base}${url}`, init);
    const text = await res.text();
    if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${url}: ${res.status} ${text.slice(0, 300)}`);
    return JSON.parse(text) as Record<string, unknown>;
  };
  // Products with an offer in stock, found by searches of the sample catalog.
  const offers: { asin: string; offerId: string }[] = [];
  for (const keywords of ['phone', 'paper', 'chair', 'pen', 'cable', 'desk']) {
    const found = await json(
      `/na/products/2020-08-26/products?productRegion=US&locale=en_US&keywords=${keywords}&facets=OFFERS&pageSize=20`,
      {
        headers: { ...token, 'x-amz-user-email': world.buyerEmail },
      },
    );
    for (const p of found.products as { asin: string; includedDataTypes: { OFFERS?: { offerId: string }[] } }[]) {
      const o = p.includedDataTypes.OFFERS?.[0];
      if (o && !offers.some((x) => x.asin === p.asin)) offers.push({ asin: p.asin, offerId: o.offerId });
    }
  }
  if (offers.length < 40) throw new Error(`the searches found ${offers.length} products with offers, not 40`);
  const products = offers.slice(0, 40);
  const carts: { id: string; email: string }[] = [];
  for (let i = 0; i < CARTS; i++) {
    const email = `bench-buyer-${i}@t.test`;
    const listed = await json('/na/cart/2025-04-30/carts?region=US', { headers: { ...token, 'x-amz-user-email': email } });
    carts.push({ id: (listed.cartDetailsList as { id: string }[])[0]!.id, email });
  }
  // The cart getItems reads: the main buyer's, with 10 items.
  const mine = await json('/na/cart/2025-04-30/carts?region=US', { headers: { ...token, 'x-amz-user-email': world.buyerEmail } });
  const mainCart = (mine.cartDetailsList as { id: string }[])[0]!.id;
  const filled = await json(`/na/cart/2025-04-30/carts/${mainCart}/items?region=US`, {
    method: 'POST',
    headers: { ...token, 'x-amz-user-email': world.buyerEmail, 'content-type': 'application/json' },
    body: JSON.stringify({
      items: products
        .slice(0, 10)
        .map((p, i) => ({ productIdentifier: p.asin, buyingOptionIdentifier: p.offerId, quantity: 1, externalId: `i${i}` })),
    }),
  });
  console.log(`getItems cart: ${(filled.items as unknown[]).length} items, ${(filled.rejectedItems as unknown[]).length} refused`);
  // A one-item cart of a buyer of its own, which the addItems run does not touch: against the
  // ten-item cart it shows what each item costs.
  const singleEmail = `bench-buyer-${CARTS}@t.test`;
  const singleList = await json('/na/cart/2025-04-30/carts?region=US', { headers: { ...token, 'x-amz-user-email': singleEmail } });
  const single = { id: (singleList.cartDetailsList as { id: string }[])[0]!.id, email: singleEmail };
  await json(`/na/cart/2025-04-30/carts/${single.id}/items?region=US`, {
    method: 'POST',
    headers: { ...token, 'x-amz-user-email': single.email, 'content-type': 'application/json' },
    body: JSON.stringify({
      items: [{ productIdentifier: products[0]!.asin, buyingOptionIdentifier: products[0]!.offerId, quantity: 1, externalId: 's' }],
    }),
  });

  let n = 0;
  let refused = 0;
  const addRequests = [
    {
      method: 'POST' as const,
      path: '/',
      setupRequest: (req: Request) => {
        const k = n++;
        const cart = carts[k % CARTS]!;
        const p = products[Math.floor(k / CARTS) % products.length]!;
        return {
          ...req,
          path: `/na/cart/2025-04-30/carts/${cart.id}/items?region=US`,
          headers: { ...token, 'x-amz-user-email': cart.email, 'content-type': 'application/json' },
          body: JSON.stringify({
            items: [{ productIdentifier: p.asin, buyingOptionIdentifier: p.offerId, quantity: 1, externalId: `b${k}` }],
          }),
        };
      },
      onResponse: (_status: number, body: string) => {
        if (!body.includes('"rejectedItems":[]')) refused++;
      },
    },
  ];
  const itemsUrl = `${base}/na/cart/2025-04-30/carts/${mainCart}/items?region=US`;
  const singleUrl = `${base}/na/cart/2025-04-30/carts/${single.id}/items?region=US`;
  const { asin } = await someAsin(world);
  const productUrl = `${base}/na/products/2020-08-26/products/${asin}?productRegion=US&locale=en_US&facets=OFFERS,IMAGES`;
  const headers = { ...token, 'x-amz-user-email': world.buyerEmail };

  await measure({ url: base, connections: CONNECTIONS, duration: WARMUP, requests: addRequests });
  await measure({ url: itemsUrl, connections: CONNECTIONS, duration: WARMUP, headers });
  const singleHeaders = { ...token, 'x-amz-user-email': single.email };
  await measure({ url: singleUrl, connections: CONNECTIONS, duration: WARMUP, headers: singleHeaders });
  await measure({ url: productUrl, connections: CONNECTIONS, duration: WARMUP, headers });

  const adds0 = n;
  const refused0 = refused;
  const add = await measure({ url: base, connections: CONNECTIONS, duration: SECONDS, requests: addRequests });
  const items = await measure({ url: itemsUrl, connections: CONNECTIONS, duration: SECONDS, headers });
  const one = await measure({ url: singleUrl, connections: CONNECTIONS, duration: SECONDS, headers: singleHeaders });
  const product = await measure({ url: productUrl, connections: CONNECTIONS, duration: SECONDS, headers });
  console.log(resultLine('bizapi addItems (1 item)', add));
  console.log(resultLine('bizapi getItems (10 items)', items));
  console.log(resultLine('bizapi getItems (1 item)', one));
  console.log(resultLine('bizapi productsRequest', product));
  const a = ratio(add, product);
  const g = ratio(items, product);
  console.log(`addItems / productsRequest: ${a.toFixed(2)} (target ≥ 1: ${a >= 1 ? 'met' : 'NOT met'})`);
  console.log(`getItems (10 items) / productsRequest: ${g.toFixed(2)} (target ≥ 1: ${g >= 1 ? 'met' : 'NOT met'})`);
  const g1 = ratio(one, product);
  console.log(`getItems (1 item) / productsRequest: ${g1.toFixed(2)} (target ≥ 1: ${g1 >= 1 ? 'met' : 'NOT met'})`);
  console.log(
    `addItems in the measured run: ${n - adds0}, of which refused (stock or limits): ${refused - refused0}; carts then held ${Math.min(products.length, Math.ceil(n / CARTS))} items at most (every answer lists the whole cart)`,
  );
} finally {
  await world.close();
}

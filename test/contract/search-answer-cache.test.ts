import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../src/config/config.ts';
import { sampleMerchantRecords, type CatalogRecord } from '../../src/modules/catalog/index.ts';
import type { TestApp } from '../support/app.ts';
import { offer, product } from '../support/catalog.ts';
import { gatewayWorld } from '../support/gateway.ts';
import { isolatedDatabase } from '../support/isolated.ts';

// The exact answer cache of searchProductsRequest (src/apis/product-search/answer-cache.ts), through
// whole servers on one database of their own: A and B cache answers (two server processes behind one
// load balancer), U computes every answer (SEARCH_ANSWER_CACHE_MB=0). Every answer of A must be
// byte for byte the one U computes at the same moment, whatever changed in between: a catalog write
// by B or by the CLI in another process, a buying policy, the clock.

const BIN = fileURLToPath(new URL('../../bin/bizapi.mjs', import.meta.url));
const iso = await isolatedDatabase();
const A = await iso.build();
const B = await iso.build();
const U = await iso.build({ searchAnswerCacheMb: 0 });
const apps = [A, B, U];
const world = await gatewayWorld(A);
const other = await gatewayWorld(A);

/** Wednesday 2026-12-02, 13:50 in New York: ten minutes before the order cutoff. */
const BEFORE_CUTOFF = Date.parse('2026-12-02T18:50:00Z');
const setClocks = (t: number) => apps.forEach((app) => app.clock.set(t));
setClocks(BEFORE_CUTOFF);

// The catalog: merchants and products of a word of this file only.
const WORD = 'zqanswercache';
const widget = product(WORD, { title: `${WORD} Widget Deluxe`, brand: 'Kestrel' });
widget.offers = [offer(widget.asin, 1, { price: 1000, shipping: { cost: 0, minDays: 1, maxDays: 3 } })];
const gadget = product(WORD, { title: `${WORD} Gadget Basic`, brand: 'Osprey' });
gadget.offers = [offer(gadget.asin, 1, { price: 2000, prime: false, shipping: { cost: 499, minDays: 2, maxDays: 5 } })];
await A.services.catalog.save([...sampleMerchantRecords(), widget, gadget]);

type Buyer = { token: string; email: string };
/** A token of a new app of the world's developer, with a usage plan no test here reaches. */
async function tokenOf(w: typeof world, email: string): Promise<Buyer> {
  const { client, accessToken } = await w.tokenFor(['Business Product Catalog']);
  await A.services.reviews.setUsagePlan('test', client.id, 'searchProductsRequest', 1000, 1000);
  return { token: accessToken, email };
}
const buyer = await tokenOf(world, world.buyer.email);

const SEARCH = '/na/products/2020-08-26/products?productRegion=US&locale=en_US';
const search = (app: TestApp, who: Buyer, qs: string) =>
  app.server.inject({ method: 'GET', url: `${SEARCH}&${qs}`, headers: { 'x-amz-access-token': who.token, 'x-amz-user-email': who.email } });

/** Calls counted by the cache of an app, by outcome. */
async function outcomes(app: TestApp): Promise<Record<string, number>> {
  const metric = app.metrics.registry.getSingleMetric('bizapi_search_answer_cache_total');
  const out: Record<string, number> = {};
  for (const v of (await metric?.get())?.values ?? []) out[String(v.labels.outcome)] = (out[String(v.labels.outcome)] ?? 0) + v.value;
  return out;
}

/** A's answer (asked `times` times) and U's: both 200 and equal, byte for byte. Returns the parsed body. */
async function same(qs: string, who: Buyer = buyer, times = 2): Promise<SearchBody> {
  const computed = await search(U, who, qs);
  assert.equal(computed.statusCode, 200, computed.body);
  for (let i = 0; i < times; i++) {
    const res = await search(A, who, qs);
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.body, computed.body, `answer ${i + 1} of ${qs} is the computed one`);
  }
  return computed.json<SearchBody>();
}

interface SearchBody {
  matchingProductCount: number;
  products: {
    asin: string;
    title: string;
    includedDataTypes: { OFFERS?: { price: { value: { amount: number } }; deliveryInformation?: string; buyingGuidance?: string }[] };
  }[];
}
const priceOf = (body: SearchBody, asin: string) =>
  body.products.find((p) => p.asin === asin)?.includedDataTypes.OFFERS?.[0]?.price.value.amount;

test('the cache is on by default and answers a repeated search from memory, with the headers of a computed answer', async () => {
  const before = await outcomes(A);
  const qs = `keywords=${WORD}&facets=OFFERS,IMAGES`;
  const body = await same(qs, buyer, 3);
  assert.equal(body.matchingProductCount, 2);
  const after = await outcomes(A);
  assert.equal((after.miss ?? 0) - (before.miss ?? 0), 1, 'computed once');
  assert.equal((after.hit ?? 0) - (before.hit ?? 0), 2, 'then served twice');
  assert.deepEqual(await outcomes(U), {}, 'U has no cache');

  const cached = await search(A, buyer, qs);
  const computed = await search(U, buyer, qs);
  const varying = new Set(['date', 'x-amzn-requestid', 'x-amz-rid', 'x-amzn-trace-id']);
  const headers = (h: Record<string, unknown>) => Object.fromEntries(Object.entries(h).filter(([k]) => !varying.has(k.toLowerCase())));
  assert.deepEqual(headers(cached.headers), headers(computed.headers));
  assert.equal(cached.headers['content-type'], 'application/json; charset=utf-8');

  // Parameters in another order are the same answer (and the same entry); another value is not.
  await same(`facets=OFFERS,IMAGES&keywords=${WORD}`);
  assert.equal((await outcomes(A)).miss, after.miss, 'the reordered query was a hit');
  const page = await same(`keywords=${WORD}&facets=OFFERS&pageSize=1`);
  assert.equal(page.products.length, 1);
  const refused = await search(A, buyer, `keywords=${WORD}&pageNumber=5&pageSize=1`);
  assert.equal(refused.statusCode, 404, 'a refusal is answered, never stored');
  assert.equal((await search(A, buyer, `keywords=${WORD}&pageNumber=5&pageSize=1`)).body, refused.body);
});

test('a catalog write by another server on the same database is seen by the next search', async () => {
  const qs = `keywords=${WORD}&facets=OFFERS`;
  assert.equal(priceOf(await same(qs), widget.asin), 10);
  widget.offers = [offer(widget.asin, 1, { price: 1250, shipping: { cost: 0, minDays: 1, maxDays: 3 } })];
  await B.services.catalog.save([widget]);
  const body = await same(qs);
  assert.equal(priceOf(body, widget.asin), 12.5, 'the new price, at once');
});

test('a catalog import by the CLI in another process is seen by the next search', async () => {
  const qs = `keywords=${WORD}&facets=OFFERS`;
  assert.equal((await same(qs)).matchingProductCount, 2);
  const added = product(WORD, { title: `${WORD} Sprocket Pro`, brand: 'Heron' });
  gadget.offers = [offer(gadget.asin, 1, { price: 1800, prime: false, shipping: { cost: 499, minDays: 2, maxDays: 5 } })];
  const file = path.join(iso.config.dataDir, 'answer-cache-import.jsonl');
  fs.writeFileSync(file, ([gadget, added] as CatalogRecord[]).map((r) => JSON.stringify(r)).join('\n') + '\n');
  const run = await new Promise<{ code: number | null; out: string }>((resolve) => {
    const child = spawn(process.execPath, [BIN, 'catalog', 'import', file], {
      env: {
        ...process.env,
        BIZAPI_MODE: 'local',
        SEED_DEMO: 'false',
        LOG_LEVEL: 'silent',
        DATA_DIR: iso.config.dataDir,
        DATABASE_URL: iso.config.databaseUrl ?? '',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) => resolve({ code, out }));
  });
  assert.equal(run.code, 0, run.out);
  const body = await same(qs);
  assert.equal(body.matchingProductCount, 3, 'the imported product is found');
  assert.equal(priceOf(body, gadget.asin), 18, 'the imported price is shown');
});

test('buyers of businesses with other buying policies get their own answers; a policy added on another server is seen', async () => {
  const qs = `keywords=${WORD}&facets=OFFERS&inclusionsForOffers=price,buyingGuidance`;
  const stranger = await tokenOf(other, other.buyer.email);
  await A.services.accounts.addPolicy('test', other.business.id, { guidance: 'BLOCKED', matchType: 'brand', value: 'Kestrel' });
  const mine = await same(qs, buyer);
  const theirs = await same(qs, stranger);
  const guidance = (b: SearchBody) => b.products.find((p) => p.asin === widget.asin)?.includedDataTypes.OFFERS?.[0]?.buyingGuidance;
  assert.equal(guidance(mine), 'NONE');
  assert.equal(guidance(theirs), 'BLOCKED');

  // Buyers of other groups of one business: each gets what U computes for them.
  const multi = { token: buyer.token, email: world.multi.email };
  for (const group of [world.group, world.group2]) assert.equal(guidance(await same(`${qs}&groupTag=${group.groupTag}`, multi)), 'NONE');

  await B.services.accounts.addPolicy('test', world.business.id, { guidance: 'PREFERRED', matchType: 'brand', value: 'Kestrel' });
  await B.ctx.events.settled();
  assert.equal(guidance(await same(qs, buyer)), 'PREFERRED', 'the policy added on B applies on A at once');
  assert.equal(guidance(await same(qs, stranger)), 'BLOCKED');
});

test('the answer follows the clock where delivery dates depend on it: the order cutoff and the next day', async () => {
  const qs = `keywords=${WORD}&facets=OFFERS`;
  const delivery = (b: SearchBody) => b.products.map((p) => p.includedDataTypes.OFFERS?.[0]?.deliveryInformation).join(' | ');
  const texts: string[] = [];
  const DAY = 24 * 3600_000;
  for (const t of [
    BEFORE_CUTOFF,
    BEFORE_CUTOFF + 5 * 60_000,
    BEFORE_CUTOFF + 20 * 60_000,
    BEFORE_CUTOFF + DAY - 60_000,
    BEFORE_CUTOFF + DAY + 20 * 60_000,
  ]) {
    setClocks(t);
    // Tokens last an hour on the clock that checks them: one minted now.
    const who = await tokenOf(world, world.buyer.email);
    texts.push(delivery(await same(qs, who)));
  }
  assert.equal(texts[0], texts[1], 'before the cutoff, the same dates');
  assert.notEqual(texts[1], texts[2], 'past the cutoff, dispatch moves to the next business day');
  assert.equal(texts[2], texts[3], 'the next morning, dispatch is still that day');
  assert.notEqual(texts[3], texts[4], 'past its cutoff, the day after');
  assert.match(texts[0]!, /\w/);
});

test('the checks a stored answer passed still apply: a business that stops operating in a marketplace is refused there', async () => {
  const qs = `keywords=${WORD}&facets=OFFERS`;
  const stranger = await tokenOf(other, other.buyer.email);
  await same(qs, stranger);
  await B.services.accounts.updateBusiness('test', other.business.id, { marketplaces: ['CA', 'UK'] });
  await B.ctx.events.settled();
  const [cached, computed] = [await search(A, stranger, qs), await search(U, stranger, qs)];
  assert.equal(computed.statusCode, 400, computed.body);
  assert.equal(cached.statusCode, computed.statusCode);
  assert.equal(cached.body, computed.body);
  assert.match(cached.body, /does not operate in productRegion \[US\]/);
});

test('productsRequest goes through the same cache: a repeated call is a hit, equal to the computed answer; a write on B, a policy and the clock are seen', async () => {
  const qs = 'productRegion=US&locale=en_US&facets=OFFERS&inclusionsForOffers=price,buyingGuidance,deliveryInformation';
  const get = (app: TestApp, who: Buyer) =>
    app.server.inject({
      method: 'GET',
      url: `/na/products/2020-08-26/products/${widget.asin}?${qs}`,
      headers: { 'x-amz-access-token': who.token, 'x-amz-user-email': who.email },
    });
  type ProductBody = { asin: string; includedDataTypes: SearchBody['products'][number]['includedDataTypes'] };
  const productOps = async (app: TestApp) => {
    const metric = app.metrics.registry.getSingleMetric('bizapi_search_answer_cache_total');
    const out: Record<string, number> = {};
    for (const v of (await metric?.get())?.values ?? [])
      if (v.labels.operation === 'productsRequest') out[String(v.labels.outcome)] = (out[String(v.labels.outcome)] ?? 0) + v.value;
    return out;
  };
  /** A's answer twice and U's: 200 and equal, byte for byte. */
  const sameProduct = async (who: Buyer = buyer): Promise<ProductBody> => {
    const computed = await get(U, who);
    assert.equal(computed.statusCode, 200, computed.body);
    for (let i = 0; i < 2; i++) assert.equal((await get(A, who)).body, computed.body, `answer ${i + 1} is the computed one`);
    return computed.json<ProductBody>();
  };
  const offerOf = (b: ProductBody) => b.includedDataTypes.OFFERS?.[0];
  setClocks(BEFORE_CUTOFF);
  const who = await tokenOf(world, world.buyer.email);
  const before = await productOps(A);
  const first = await sameProduct(who);
  const after = await productOps(A);
  assert.equal((after.miss ?? 0) - (before.miss ?? 0), 1, 'computed once');
  assert.equal((after.hit ?? 0) - (before.hit ?? 0), 1, 'then served from memory');

  widget.offers = [offer(widget.asin, 1, { price: 1399, shipping: { cost: 0, minDays: 1, maxDays: 3 } })];
  await B.services.catalog.save([widget]);
  assert.equal(offerOf(await sameProduct(who))?.price.value.amount, 13.99, 'the price written on B, at once');

  await B.services.accounts.addPolicy('test', world.business.id, { guidance: 'RESTRICTED', matchType: 'asin', value: widget.asin });
  await B.ctx.events.settled();
  assert.equal(offerOf(await sameProduct(who))?.buyingGuidance, 'RESTRICTED', 'a policy added on B applies on A at once');

  setClocks(BEFORE_CUTOFF + 20 * 60_000);
  const later = await tokenOf(world, world.buyer.email);
  assert.notEqual(
    offerOf(await sameProduct(later))?.deliveryInformation,
    offerOf(first)?.deliveryInformation,
    'past the cutoff, other dates',
  );
  setClocks(BEFORE_CUTOFF);
});

test('SEARCH_ANSWER_CACHE_MB and SEARCH_ANSWER_CACHE_ENTRIES: defaults, 0 MiB turns the cache off, bad values stop the start', () => {
  const defaults = loadConfig({});
  assert.equal(defaults.searchAnswerCacheMb, 256);
  assert.equal(defaults.searchAnswerCacheEntries, 10_000);
  const off = loadConfig({ SEARCH_ANSWER_CACHE_MB: '0', SEARCH_ANSWER_CACHE_ENTRIES: '50' });
  assert.equal(off.searchAnswerCacheMb, 0);
  assert.equal(off.searchAnswerCacheEntries, 50);
  assert.throws(() => loadConfig({ SEARCH_ANSWER_CACHE_MB: 'lots' }), /SEARCH_ANSWER_CACHE_MB/);
  assert.throws(() => loadConfig({ SEARCH_ANSWER_CACHE_ENTRIES: '0' }), /SEARCH_ANSWER_CACHE_ENTRIES/);
});

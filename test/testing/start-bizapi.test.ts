import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startBizapi, world, type Bizapi } from '../../src/testing/index.ts';
import { dbKind } from '../support/app.ts';
import { isolatedDatabase } from '../support/isolated.ts';

// bizapi/testing, from the sources (test/package runs the same API from the installed package):
// the demo world and a described world, tokens, clock, faults, the request log, reset, snapshots.
// On DB=postgres the worlds are built into a PostgreSQL database of their own instead of a template.

const templateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bizapi-templates-test-'));
after(() => fs.rmSync(templateDir, { recursive: true, force: true }));
// startBizapi empties the PostgreSQL database it is given: each start gets a database of its own,
// never the run's shared one.
const start = async (options: Parameters<typeof startBizapi>[0] = {}) => {
  const databaseUrl = dbKind === 'postgres' ? (await isolatedDatabase()).config.databaseUrl : null;
  return startBizapi({ templateDir, ...(databaseUrl ? { databaseUrl } : {}), ...options });
};

const BUYER = 'buyer@demo-industries.test';
const searchUrl = (b: Bizapi, keywords: string, more = '') =>
  `${b.baseUrl()}/products/2020-08-26/products?productRegion=US&locale=en_US&keywords=${encodeURIComponent(keywords)}${more}`;

test('the demo world: tokens per marketplace, a search, the clock expiring a token, faults, the request log and reset', async () => {
  const b = await start();
  try {
    assert.match(b.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(b.tokenUrl, `${b.url}/auth/o2/token`);
    assert.equal(b.baseUrl('EU'), `${b.url}/eu`);
    assert.equal(b.sandboxBaseUrl('FE'), `${b.url}/sandbox/jp`);
    const demo = b.apps.demo!;
    assert.deepEqual(demo.tokens.map((t) => t.marketplace).sort(), ['CA', 'US']);
    assert.equal(b.users[BUYER]?.role, 'Requisitioner');
    assert.equal(((await (await fetch(`${b.url}/healthz`)).json()) as { status: string }).status, 'ok');

    // The refresh token works at the token URL, as a client would use it.
    const exchanged = await fetch(b.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: demo.token('US').refreshToken,
        client_id: demo.clientId,
        client_secret: demo.clientSecret,
      }),
    });
    assert.equal(exchanged.status, 200);

    const search = () => fetch(searchUrl(b, 'galaxy'), { headers: demo.headers({ userEmail: BUYER }) });
    const first = await search();
    assert.equal(first.status, 200);
    assert.ok(((await first.json()) as { matchingProductCount: number }).matchingProductCount > 0);
    // A CA token does not open the US store.
    const wrongStore = await fetch(searchUrl(b, 'galaxy'), { headers: demo.headers({ marketplace: 'CA', userEmail: BUYER }) });
    assert.equal(wrongStore.status, 403);

    // Faults: the next call is a 503, then the API answers again; the log shows both, newest first.
    const rule = await b.faults.add({ operation: 'searchProductsRequest', status: 503, count: 1 });
    assert.equal((await b.faults.list()).length, 1);
    assert.equal((await search()).status, 503);
    assert.equal((await search()).status, 200);
    const calls = await b.requests.list({ operation: 'searchProductsRequest' });
    assert.deepEqual(
      calls.slice(0, 2).map((c) => c.status),
      [200, 503],
    );
    assert.equal(calls[1]!.faultId, rule.id);
    await b.faults.clear();
    assert.equal((await b.faults.list()).length, 0);

    // The clock: two hours on, the access token has expired (the FAQ's body).
    const before = b.clock.now().getTime();
    const moved = await b.clock.advance('2h');
    assert.ok(moved.getTime() - before >= 2 * 3600_000);
    const expired = await search();
    assert.equal(expired.status, 403);
    assert.equal(
      ((await expired.json()) as { errors: { details: string }[] }).errors[0]!.details,
      'The access token you provided has expired.',
    );

    // A snapshot taken now, restored after a change, brings the state back.
    const snapshot = await b.snapshot();
    assert.equal(snapshot.format, 'bizapi-snapshot');

    // reset(): a new start on the same port, the wall clock, no faults, no log, fresh tokens.
    const url = b.url;
    const oldToken = demo.token('US').accessToken;
    await b.reset();
    assert.equal(b.url, url);
    assert.ok(Math.abs(b.clock.now().getTime() - Date.now()) < 60_000);
    assert.notEqual(b.apps.demo!.token('US').accessToken, oldToken);
    assert.equal((await b.requests.list({})).length, 0);
    const afterReset = await fetch(searchUrl(b, 'galaxy'), { headers: b.apps.demo!.headers({ userEmail: BUYER }) });
    assert.equal(afterReset.status, 200);
  } finally {
    await b.stop();
  }
  // Stopped: the port answers no more.
  await assert.rejects(fetch(`${b.url}/healthz`));
});

test('a described world: a business with groups, users and a policy, apps with roles, a product, an order and a sandbox app', async () => {
  const pen = {
    type: 'product',
    asin: 'B0TESTPEN1',
    title: 'Testco Gel Pen, Black Ink, 12 Pack',
    brand: 'Testco',
    department: 'OFFICE_PRODUCTS',
    offers: [
      {
        offerId: 'testco-pen-offer-1',
        region: 'US',
        merchantId: 'ATVPDKIKX0DER',
        sku: 'TESTPEN1',
        condition: 'NEW',
        currency: 'USD',
        price: 1299,
        fulfillment: 'AMAZON_FULFILLMENT',
        prime: true,
        stock: 500,
        maxQuantity: 30,
        shipping: { cost: 0, minDays: 1, maxDays: 2 },
      },
    ],
  };
  const b = await start({
    world: world()
      .withoutDemo()
      .product(pen)
      .business({
        name: 'Acme Corp',
        marketplaces: ['US'],
        groups: [
          {
            name: 'Office',
            tag: 'office',
            paymentMethod: 'Visa ending in 1111',
            approvalLimit: 500,
            shippingAddress: {
              fullName: 'Acme Office',
              addressLine1: '1 Main St',
              city: 'Seattle',
              stateOrRegion: 'WA',
              postalCode: '98109',
              countryCode: 'US',
            },
          },
        ],
        users: [
          { email: 'admin@acme.test', role: 'Administrator' },
          { email: 'buyer@acme.test', role: 'Requisitioner', groups: ['office'] },
        ],
        policies: [{ guidance: 'BLOCKED', matchType: 'brand', value: 'Sharpie' }],
      })
      .app({
        name: 'buyer-app',
        roles: ['Business Product Catalog', 'Amazon Business Order Placement'],
        authorizations: [{ business: 'Acme Corp' }],
      })
      .app({ name: 'catalog-only', roles: ['Business Product Catalog'], authorizations: [{ business: 'Acme Corp' }] })
      .app({ name: 'sandbox-app', type: 'sandbox', roles: ['Business Product Catalog'] })
      .order({
        app: 'buyer-app',
        business: 'Acme Corp',
        buyer: 'buyer@acme.test',
        externalId: 'po-1',
        items: [{ asin: 'B0TESTPEN1', quantity: 2 }],
      }),
  });
  try {
    assert.equal(b.operatorKey, null);
    assert.deepEqual(Object.keys(b.apps).sort(), ['buyer-app', 'catalog-only', 'sandbox-app']);
    assert.equal(b.businesses['Acme Corp']?.marketplaces[0], 'US');
    assert.equal(b.users['buyer@acme.test']?.password, 'test-password');
    const buyerApp = b.apps['buyer-app']!;
    // The product is found, and the order placed when the world was built is there.
    const found = await fetch(searchUrl(b, 'testco gel pen'), { headers: buyerApp.headers({ userEmail: 'buyer@acme.test' }) });
    assert.equal(found.status, 200);
    assert.ok(((await found.json()) as { products: { asin: string }[] }).products.some((p) => p.asin === 'B0TESTPEN1'));
    const order = await fetch(`${b.baseUrl()}/ordering/2022-10-30/orders/po-1`, {
      headers: buyerApp.headers({ userEmail: 'buyer@acme.test' }),
    });
    assert.equal(order.status, 200, await order.clone().text());
    // An app without the Purchasing role is refused the Ordering API (its roles are the world's).
    const refused = await fetch(`${b.baseUrl()}/ordering/2022-10-30/orders/po-1`, {
      headers: b.apps['catalog-only']!.headers({ userEmail: 'buyer@acme.test' }),
    });
    assert.equal(refused.status, 403);
    // The sandbox app has a token per region, for the sandbox only.
    const sandbox = b.apps['sandbox-app']!;
    assert.deepEqual(sandbox.tokens.map((t) => `${t.environment}/${t.region}`).sort(), ['sandbox/EU', 'sandbox/FE', 'sandbox/NA']);
    const canned = await fetch(`${b.sandboxBaseUrl()}/products/2020-08-26/products?productRegion=US&locale=en_US&keywords=laptop`, {
      headers: sandbox.headers({ marketplace: 'US', userEmail: 'test@amazon.com' }),
    });
    assert.notEqual(canned.status, 401);
    assert.notEqual(canned.status, 403);
    assert.throws(() => buyerApp.token('DE'), /has no tokens for DE/);
  } finally {
    await b.stop();
  }
});

test('with the emulator off, the start is refused with the reason (the server it built is closed)', async () => {
  await assert.rejects(start({ env: { EMULATOR: 'false' } }), /the emulator is off/);
});

test('a world that cannot be built says why, and leaves nothing behind', async () => {
  await assert.rejects(
    start({
      world: world()
        .withoutDemo()
        .business({ name: 'Lonely', marketplaces: ['US'], users: [{ email: 'u@lonely.test', role: 'Requisitioner', groups: ['nope'] }] }),
    }),
    /no group "nope" in Lonely/,
  );
  assert.deepEqual(
    fs.readdirSync(templateDir).filter((f) => f.startsWith('.build-')),
    [],
  );
});

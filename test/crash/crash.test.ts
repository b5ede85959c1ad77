import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { sql } from 'kysely';
import { isolatedDatabase } from '../support/isolated.ts';
import { jsonCalls, startServer, type ServerProcess } from '../support/server-process.ts';
import { openDatabase } from '../../src/platform/db/database.ts';
import { sha256 } from '../../src/kernel/ids.ts';
import fs from 'node:fs';
import path from 'node:path';
import { SAMPLE_CATALOG_FILE, sampleMerchantRecords } from '../../src/modules/catalog/index.ts';
import { offer, product } from '../support/catalog.ts';

// Crash safety: the real server is killed with SIGKILL in the middle of bursts of writes (apps
// created through the developer API, tokens from /auth/o2/token, authorizations through the admin
// API, orders through the Ordering API), restarted on the same database, and checked: every write it
// acknowledged is there, and nothing is half-written (an app without its secret or its audit entry,
// a counter out of step, a token without its authorization, an order without its lines, shipments or
// audit entry). Two rounds, on SQLite or PostgreSQL (DB=postgres).

const ADMIN_KEY = `bza_crash_${'c'.repeat(20)}${Math.random().toString(36).slice(2)}`;
const REDIRECT = 'https://client.example.com/cb';
const ROUNDS = 2;
const CONCURRENCY = 12;

interface Acknowledged {
  apps: { id: string; developerId: string; clientSecret: string }[];
  accessTokens: string[];
  refreshTokens: string[];
  /** Orders the Ordering API acknowledged: external id, Amazon order id, number of lines. */
  orders: { externalId: string; identifier: string; lines: number }[];
}

test('SIGKILL during bursts of writes loses no acknowledged write and leaves nothing half-written', { timeout: 120_000 }, async () => {
  const { config } = await isolatedDatabase();
  const env = { DATA_DIR: config.dataDir, DATABASE_URL: config.databaseUrl ?? '', LOG_LEVEL: 'warn', ADMIN_API_KEY: ADMIN_KEY };
  let server: ServerProcess = await startServer(env);
  after(() => server.stop('SIGKILL'));

  const { call, admin } = jsonCalls(() => server.baseUrl, ADMIN_KEY);

  // The world: a business with an administrator, an approved developer with a published app, its
  // first authorization, and developers who will create apps in the bursts.
  const biz = await admin('POST', '/businesses', { name: 'Crash Biz', marketplaces: ['US'], legalEntities: ['LE'] });
  const le = ((await admin('GET', `/businesses/${biz.body.id}`)).body.legalEntities as { id: string }[])[0]!.id;
  const group = await admin('POST', `/businesses/${biz.body.id}/groups`, {
    name: 'Buyers',
    groupTag: 'buyers',
    paymentMethod: 'Visa ending in 4242',
    shippingAddress: {
      fullName: 'Crash',
      addressLine1: '1 Main St',
      city: 'Seattle',
      stateOrRegion: 'WA',
      postalCode: '98109',
      countryCode: 'US',
    },
  });
  assert.equal(group.status, 201, JSON.stringify(group.body));
  await admin('POST', `/businesses/${biz.body.id}/users`, {
    email: 'crash-admin@t.test',
    name: 'A',
    role: 'Administrator',
    password: 'crash-admin-password',
    adminOfLegalEntityIds: [le],
    groupIds: [group.body.id],
  });
  const devSession = async (email: string) => {
    await call('POST', '/developer/v1/register', { email, name: 'D', password: 'developer-password' });
    const s = await call('POST', '/developer/v1/sessions', { email, password: 'developer-password' });
    return { token: String(s.body.token), id: String((s.body.developer as { id: string }).id) };
  };
  const owner = await devSession('crash-owner@t.test');
  const asOwner = (method: string, url: string, body?: unknown) =>
    call(method, `/developer/v1${url}`, body, { authorization: `Bearer ${owner.token}` });
  await asOwner('PUT', '/profile', {
    organization: 'O',
    contactEmail: 'crash-owner@t.test',
    useCase: 'crash',
    requestedRoles: ['Business Product Catalog', 'Amazon Business Order Placement'],
  });
  await asOwner('POST', '/profile/submit');
  for (const r of (await admin('GET', '/reviews?status=pending')).body.reviews as { id: string }[])
    await admin('POST', `/reviews/${r.id}/approve`, {});
  const published = await asOwner('POST', '/apps', {
    name: 'Crash app',
    type: 'production',
    visibility: 'public',
    roles: ['Business Product Catalog', 'Amazon Business Order Placement'],
    redirectUris: [REDIRECT],
  });
  await asOwner('POST', `/apps/${published.body.id}/submit-listing`);
  for (const r of (await admin('GET', '/reviews?status=pending')).body.reviews as { id: string }[])
    await admin('POST', `/reviews/${r.id}/approve`, {});
  const clientId = String(published.body.clientId);
  const clientSecret = String(published.body.clientSecret);
  const applicationId = String(published.body.applicationId);
  const first = await admin('POST', '/authorizations', { applicationId, adminEmail: 'crash-admin@t.test', marketplace: 'US' });
  assert.equal(first.status, 201, JSON.stringify(first.body));
  const refreshToken = String(first.body.refresh_token);
  const orderToken = String(first.body.access_token);
  assert.equal((await admin('PUT', `/apps/${published.body.id}/usage-plans/placeOrder`, { rate: 1000, burst: 1000 })).status, 200);
  // Products of the sample catalog (seeded at the first start) with stock in the US store.
  // Three products to order, imported with the CLI as an operator would.
  const products = [1, 2, 3].map((i) => {
    const p = product(`crash${i}`);
    p.offers = [offer(p.asin, 1, { stock: 100_000 })];
    return p;
  });
  const catalogFile = path.join(config.dataDir, 'crash-catalog.jsonl');
  fs.writeFileSync(catalogFile, [...sampleMerchantRecords(), ...products].map((r) => JSON.stringify(r)).join('\n'));
  const imported = await runCli(['catalog', 'import', catalogFile], env);
  assert.equal(imported.code, 0, imported.out);
  const asins = products.map((p) => p.asin);
  const creators: { token: string; id: string; left: number }[] = [];
  for (let i = 0; i < 2 * ROUNDS; i++) creators.push({ ...(await devSession(`crash-dev-${i}@t.test`)), left: 10 });

  const acked: Acknowledged = { apps: [], accessTokens: [], refreshTokens: [refreshToken], orders: [] };

  /** One write of a random kind; records it only once its success answer has arrived. */
  const write = async (n: number): Promise<void> => {
    const kind = n % 4;
    if (kind === 3) {
      const externalId = `crash-order-${n}`;
      const lines = 1 + (n % 3);
      const res = await call(
        'POST',
        '/na/ordering/2022-10-30/orders',
        {
          externalId,
          lineItems: asins.slice(0, lines).map((asin, i) => ({
            externalId: String(i + 1),
            quantity: 1,
            attributes: [
              { attributeType: 'SelectedProductReference', productReference: { productReferenceType: 'ProductIdentifier', id: asin } },
            ],
            expectations: [],
          })),
          attributes: [
            { attributeType: 'Region', region: 'US' },
            { attributeType: 'BuyerReference', userReference: { userReferenceType: 'UserEmail', emailAddress: 'crash-admin@t.test' } },
          ],
          expectations: [],
        },
        { 'x-amz-access-token': orderToken },
      );
      const identifier = (
        res.body.lineItems as { acceptedItems: { artifacts: { acceptanceArtifactType: string; identifier?: string }[] }[] }[] | undefined
      )?.[0]?.acceptedItems[0]?.artifacts.find((a) => a.acceptanceArtifactType === 'OrderIdentifier')?.identifier;
      if (res.status === 200 && identifier) acked.orders.push({ externalId, identifier, lines });
    } else if (kind === 0) {
      const dev = creators.find((c) => c.left > 0);
      if (!dev) return;
      dev.left -= 1;
      const res = await call(
        'POST',
        '/developer/v1/apps',
        { name: `Burst ${n}`, type: 'sandbox', visibility: 'public', roles: [], redirectUris: [REDIRECT] },
        { authorization: `Bearer ${dev.token}` },
      );
      if (res.status === 201)
        acked.apps.push({ id: String(res.body.id), developerId: dev.id, clientSecret: String(res.body.clientSecret) });
    } else if (kind === 1) {
      const res = await fetch(`${server.baseUrl}/auth/o2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'refresh_token',
          refresh_token: refreshToken,
          client_id: clientId,
          client_secret: clientSecret,
        }).toString(),
      });
      if (res.status === 200) acked.accessTokens.push(((await res.json()) as { access_token: string }).access_token);
    } else {
      const res = await admin('POST', '/authorizations', { applicationId, adminEmail: 'crash-admin@t.test', marketplace: 'US' });
      if (res.status === 201) {
        acked.refreshTokens.push(String(res.body.refresh_token));
        acked.accessTokens.push(String(res.body.access_token));
      }
    }
  };

  for (let round = 0; round < ROUNDS; round++) {
    let n = round * 100_000;
    let stop = false;
    const workers = Array.from({ length: CONCURRENCY }, async () => {
      while (!stop) await write(n++).catch(() => undefined); // a request cut by the kill is not acknowledged
    });
    // Kill once this round has acknowledged writes of every kind (or after 10 s on a slow machine),
    // at a random moment shortly after, so the kill lands in the middle of the burst.
    const base = {
      apps: acked.apps.length,
      access: acked.accessTokens.length,
      refresh: acked.refreshTokens.length,
      orders: acked.orders.length,
    };
    const deadline = Date.now() + 10_000;
    while (
      Date.now() < deadline &&
      !(
        acked.apps.length > base.apps &&
        acked.accessTokens.length > base.access &&
        acked.refreshTokens.length > base.refresh &&
        acked.orders.length > base.orders
      )
    ) {
      await new Promise((r) => setTimeout(r, 25));
    }
    await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 300)));
    await server.stop('SIGKILL');
    stop = true;
    await Promise.all(workers);
    server = await startServer(env);
    await verify(config, acked, server);
  }
  console.log(
    `crash rounds: ${ROUNDS}; acknowledged before the kills: ${acked.apps.length} apps, ${acked.accessTokens.length} access tokens, ${acked.refreshTokens.length} refresh tokens, ${acked.orders.length} orders`,
  );
  assert.ok(
    acked.apps.length > 0 && acked.accessTokens.length > 0 && acked.refreshTokens.length > 1 && acked.orders.length > 0,
    `bursts wrote ${acked.apps.length} apps, ${acked.accessTokens.length} access tokens`,
  );

  // The catalog import, where the CLI has it: killed half-way, then run again to completion.
  const help = await runCli(['--help'], env);
  if (/catalog import/.test(help.out)) {
    const killed = spawn(process.execPath, ['bin/bizapi.mjs', 'catalog', 'import', SAMPLE_CATALOG_FILE], {
      env: { ...process.env, ...env },
      stdio: 'ignore',
    });
    await new Promise((r) => setTimeout(r, 1500));
    killed.kill('SIGKILL');
    await new Promise((r) => killed.once('exit', r));
    const again = await runCli(['catalog', 'import', SAMPLE_CATALOG_FILE], env);
    assert.equal(again.code, 0, again.out);
    await verifyCatalog(config);
  }
  await server.stop();
});

function runCli(args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bin/bizapi.mjs', ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) => resolve({ code, out }));
  });
}

type DbConfig = { dataDir: string; databaseUrl: string | null };

async function withDb<T>(config: DbConfig, fn: (db: ReturnType<typeof openDatabase>) => Promise<T>): Promise<T> {
  const db = openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    return await fn(db);
  } finally {
    await db.destroy();
  }
}

const count = async (db: ReturnType<typeof openDatabase>, query: ReturnType<typeof sql>): Promise<number> => {
  const { rows } = await (query as ReturnType<typeof sql<{ n: number | string }>>).execute(db.kysely);
  return Number(rows[0]?.n ?? 0);
};

async function verify(config: DbConfig, acked: Acknowledged, server: ServerProcess): Promise<void> {
  await withDb(config, async (db) => {
    const k = db.kysely;
    // Every acknowledged app is there, with its secret and its audit entry.
    for (const a of acked.apps) {
      const row = await k.selectFrom('apps').select(['id', 'developer_id']).where('id', '=', a.id).executeTakeFirst();
      assert.ok(row, `acknowledged app ${a.id} is missing`);
      assert.equal(row.developer_id, a.developerId);
      const secret = await k
        .selectFrom('app_secrets')
        .select('id')
        .where('app_id', '=', a.id)
        .where('secret_hash', '=', sha256(a.clientSecret))
        .executeTakeFirst();
      assert.ok(secret, `acknowledged app ${a.id} lost its secret`);
    }
    for (const t of acked.accessTokens)
      assert.ok(
        await k.selectFrom('access_tokens').select('token_hash').where('token_hash', '=', sha256(t)).executeTakeFirst(),
        'an acknowledged access token is missing',
      );
    for (const t of acked.refreshTokens)
      assert.ok(
        await k.selectFrom('refresh_tokens').select('token_hash').where('token_hash', '=', sha256(t)).executeTakeFirst(),
        'an acknowledged refresh token is missing',
      );

    // Every acknowledged order is there, with every line and its audit entry.
    for (const o of acked.orders) {
      const row = await k
        .selectFrom('purchasing_orders')
        .select(['id', 'order_identifier'])
        .where('external_id', '=', o.externalId)
        .executeTakeFirst();
      assert.ok(row, `acknowledged order ${o.externalId} is missing`);
      assert.equal(row.order_identifier, o.identifier);
      const lines = await k.selectFrom('purchasing_order_lines').select('line_no').where('order_id', '=', row.id).execute();
      assert.equal(lines.length, o.lines, `order ${o.externalId} lost lines`);
    }

    // Nothing half-written, acknowledged or not.
    assert.equal(
      await count(
        db,
        sql`select count(*) as n from purchasing_orders o where not exists (select 1 from purchasing_order_lines l where l.order_id = o.id) or not exists (select 1 from purchasing_shipments s where s.order_id = o.id) or not exists (select 1 from audit_log a where a.subject_id = o.id and a.action = 'order.place')`,
      ),
      0,
      'an order without its lines, shipments or audit entry',
    );
    assert.equal(
      await count(
        db,
        sql`select count(*) as n from purchasing_shipments s where not exists (select 1 from purchasing_shipment_items i where i.shipment_id = s.id)`,
      ),
      0,
      'a shipment without items',
    );
    assert.equal(
      await count(db, sql`select count(*) as n from apps a where not exists (select 1 from app_secrets s where s.app_id = a.id)`),
      0,
      'an app without a secret',
    );
    assert.equal(
      await count(
        db,
        sql`select count(*) as n from apps a where not exists (select 1 from audit_log l where l.subject_id = a.id and l.action = 'app.create')`,
      ),
      0,
      'an app without its audit entry',
    );
    assert.equal(
      await count(
        db,
        sql`select count(*) as n from developers d where d.app_count <> (select count(*) from apps a where a.developer_id = d.id)`,
      ),
      0,
      'app_count out of step with the apps',
    );
    assert.equal(
      await count(
        db,
        sql`select count(*) as n from refresh_tokens r where not exists (select 1 from authorizations a where a.id = r.authorization_id)`,
      ),
      0,
      'a refresh token without its authorization',
    );
    assert.equal(
      await count(
        db,
        sql`select count(*) as n from access_tokens t where not exists (select 1 from authorizations a where a.id = t.authorization_id) or not exists (select 1 from refresh_tokens r where r.token_hash = t.refresh_token_hash)`,
      ),
      0,
      'an access token without its authorization or refresh token',
    );
    assert.equal(
      await count(
        db,
        sql`select count(*) as n from authorizations a where not exists (select 1 from refresh_tokens r where r.authorization_id = a.id)`,
      ),
      0,
      'an authorization without a refresh token',
    );
  });
  // And the restarted server honours what it acknowledged before dying.
  for (const t of acked.accessTokens.slice(-3)) {
    const res = await fetch(`${server.baseUrl}/na/products/2020-08-26/products?productRegion=US&locale=en_US&keywords=x`, {
      headers: { 'x-amz-access-token': t, 'x-amz-user-email': 'crash-admin@t.test' },
    });
    assert.notEqual(res.status, 403, 'an acknowledged access token is refused after the restart');
  }
}

async function verifyCatalog(config: DbConfig): Promise<void> {
  await withDb(config, async (db) => {
    assert.ok((await count(db, sql`select count(*) as n from catalog_products`)) > 0, 'the import wrote products');
    assert.equal(
      await count(
        db,
        sql`select count(*) as n from catalog_offers o where not exists (select 1 from catalog_products p where p.asin = o.asin)`,
      ),
      0,
      'an offer without its product',
    );
    assert.equal(
      await count(
        db,
        sql`select count(*) as n from catalog_product_categories c where not exists (select 1 from catalog_products p where p.asin = c.asin)`,
      ),
      0,
      'a category link without its product',
    );
    assert.equal(
      await count(
        db,
        sql`select count(*) as n from catalog_identifiers i where not exists (select 1 from catalog_products p where p.asin = i.asin)`,
      ),
      0,
      'an identifier without its product',
    );
  });
}

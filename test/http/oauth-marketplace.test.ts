import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { makeApprovedDeveloper, makeBusiness, makePublishedApp, REDIRECT } from '../support/world.ts';
import { consentCode, consentUrl, signInBusinessUser, tokenRequest } from '../support/oauth.ts';
import { sha256 } from '../../src/kernel/ids.ts';
import { up as migrateToMarketplaces } from '../../migrations/2026-12-12T0100_authorization_marketplaces.ts';

// The FAQ: "you'll have to follow the authorization process for each Amazon Business marketplace.
// The authorization process generates access and refresh tokens that are unique for each Amazon
// Business marketplace." A consent covers the marketplace of its consent URL, and nothing else.

const DENIED = { errors: [{ message: 'Access to requested resource is denied.', code: 'Unauthorized', details: '' }] };
const RANGE = 'orderStartDate=2020-01-01T00:00:00Z&orderEndDate=2020-01-02T00:00:00Z';

async function setup() {
  const app = await buildTestApp();
  const world = await makeBusiness(app, ['US', 'UK', 'DE']);
  const dev = await makeApprovedDeveloper(app, undefined, world.business.id);
  const published = await makePublishedApp(app, dev.id, ['Amazon Business Analytics']);
  /** Consent through the pages at `/mp/<code>`, then the code exchange. */
  const consent = async (mp: string): Promise<{ access_token: string; refresh_token: string }> => {
    const code = await consentCode(app, published.app.applicationId, REDIRECT, world.admin.email, world.password, `/mp/${mp}`);
    const res = await tokenRequest(app, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      client_id: published.app.clientId,
      client_secret: published.clientSecret,
    });
    assert.equal(res.status, 200, res.raw);
    return res.body;
  };
  const refresh = async (refreshToken: string) =>
    tokenRequest(app, {
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      client_id: published.app.clientId,
      client_secret: published.clientSecret,
    });
  /** Reporting 2025's order report on a base URL, naming a store or not. */
  const report = (token: string, base: string, region?: string) =>
    app.server.inject({
      method: 'GET',
      url: `${base}/reports/2025-06-09/orderReports?${RANGE}${region ? `&region=${region}` : ''}`,
      headers: { 'x-amz-access-token': token },
    });
  return { app, world, dev, published, consent, refresh, report };
}

const assertDenied = (res: { statusCode: number; headers: Record<string, unknown>; json(): unknown }, what: string): void => {
  assert.equal(res.statusCode, 403, what);
  assert.equal(res.headers['x-amzn-errortype'], 'AccessDeniedException', what);
  assert.deepEqual(res.json(), DENIED, what);
};

test('a UK consent does not authorize DE: a DE call with the UK token is the gateway 403; DE needs its own consent and then works', async () => {
  const { app, world, published, consent, report } = await setup();
  const uk = await consent('uk');
  assert.equal((await report(uk.access_token, '/eu', 'UK')).statusCode, 200);
  assert.equal((await report(uk.access_token, '/eu')).statusCode, 200, 'no store named: the token’s');
  assertDenied(await report(uk.access_token, '/eu', 'DE'), 'the UK token names DE');
  assertDenied(await report(uk.access_token, '/na', 'US'), 'the UK token on the NA base URL');
  const afterUk = await app.services.oauth.listAuthorizations({ businessId: world.business.id });
  assert.deepEqual(
    afterUk.map((a) => [a.marketplace, a.region]),
    [['UK', 'EU']],
  );

  // The DE consent page names Germany, and its consent is an authorization of its own.
  const { cookie } = await signInBusinessUser(app, consentUrl(published.app.applicationId, REDIRECT), world.admin.email, world.password);
  const dePage = await app.server.inject({
    method: 'GET',
    url: consentUrl(published.app.applicationId, REDIRECT, 's', '', '/mp/de'),
    headers: { cookie },
  });
  assert.match(dePage.body, /in the <strong>Germany<\/strong> marketplace \(EU region\)/);
  assert.match(dePage.body, /name="marketplace" value="DE"/);
  const de = await consent('de');
  assert.equal((await report(de.access_token, '/eu', 'DE')).statusCode, 200);
  assertDenied(await report(de.access_token, '/eu', 'UK'), 'the DE token names UK');
  assert.equal((await report(uk.access_token, '/eu', 'UK')).statusCode, 200, 'the UK token still works for UK');
  const both = await app.services.oauth.listAuthorizations({ businessId: world.business.id });
  assert.deepEqual(both.map((a) => a.marketplace).sort(), ['DE', 'UK']);

  // A new consent in UK reuses the UK authorization (a new refresh token under it).
  const again = await consent('uk');
  assert.notEqual(again.refresh_token, uk.refresh_token);
  const grant = await app.services.oauth.lookupAccessToken(again.access_token);
  assert.ok(grant.status === 'valid');
  assert.equal(grant.grant.authorizationId, both.find((a) => a.marketplace === 'UK')!.id);
  assert.equal((await app.services.oauth.listAuthorizations({ businessId: world.business.id })).length, 2);
});

test('a refresh token mints access tokens for its own marketplace only; revoking one marketplace leaves the other', async () => {
  const { app, world, consent, refresh, report } = await setup();
  const uk = await consent('uk');
  const de = await consent('de');
  const ukAccess = (await refresh(uk.refresh_token)).body.access_token as string;
  const deAccess = (await refresh(de.refresh_token)).body.access_token as string;
  for (const [token, mine, other] of [
    [ukAccess, 'UK', 'DE'],
    [deAccess, 'DE', 'UK'],
  ] as const) {
    const g = await app.services.oauth.lookupAccessToken(token);
    assert.ok(g.status === 'valid');
    assert.equal(g.grant.marketplace, mine);
    assert.equal(g.grant.region, 'EU');
    assert.equal((await report(token, '/eu', mine)).statusCode, 200, mine);
    assertDenied(await report(token, '/eu', other), `${mine} token names ${other}`);
  }
  const ukAuth = (await app.services.oauth.listAuthorizations({ businessId: world.business.id })).find((a) => a.marketplace === 'UK')!;
  await app.services.oauth.revokeAuthorization('test', ukAuth.id, world.business.id);
  assert.equal((await refresh(uk.refresh_token)).body.error, 'invalid_grant');
  assertDenied(await report(ukAccess, '/eu', 'UK'), 'revoked UK token');
  assert.equal((await refresh(de.refresh_token)).status, 200, 'the DE refresh token lives on');
  assert.equal((await report(deAccess, '/eu', 'DE')).statusCode, 200);
});

test('authorize on behalf takes a marketplace; a marketplace of another region than the one named is refused', async () => {
  const { app, world, published } = await setup();
  const de = await app.services.oauth.authorizeOnBehalf({
    applicationId: published.app.applicationId,
    adminEmail: world.admin.email,
    marketplace: 'DE',
  });
  assert.deepEqual([de.marketplace, de.region], ['DE', 'EU']);
  // A region alone: the business's first marketplace of it (UK before DE in its list).
  const eu = await app.services.oauth.authorizeOnBehalf({
    applicationId: published.app.applicationId,
    adminEmail: world.admin.email,
    region: 'EU',
  });
  assert.equal(eu.marketplace, 'UK');
  assert.notEqual(eu.authorizationId, de.authorizationId);
  await assert.rejects(
    app.services.oauth.authorizeOnBehalf({
      applicationId: published.app.applicationId,
      adminEmail: world.admin.email,
      marketplace: 'DE',
      region: 'NA',
    }),
    /region EU, not NA/,
  );
});

// ---- the migration ------------------------------------------------------------------------------

const atza = (): string => `Atza|${randomBytes(40).toString('base64url')}`;
const atzr = (): string => `Atzr|${randomBytes(40).toString('base64url')}`;
const HOUR = 3_600_000;

/** Writes rows as the per-region code wrote them: marketplace not recorded, several consents under one authorization. */
async function oldShape(app: TestApp, appId: string, businessId: string, adminId: string) {
  const db = app.ctx.db.kysely;
  const t0 = app.clock.now();
  const id = (s: string) => `auth_old_${s}_${randomBytes(6).toString('hex')}`;
  const auth = async (region: 'NA' | 'EU' | 'FE', marketplace: string | null) => {
    const a = id(region);
    await sql`insert into authorizations (id, app_id, business_id, region, environment, marketplace, granted_by, created_at, revoked_at)
      values (${a}, ${appId}, ${businessId}, ${region}, 'production', ${marketplace}, ${adminId}, ${t0}, ${null})`.execute(db);
    return a;
  };
  const consentAudit = async (authorizationId: string, at: number, marketplace: string) =>
    sql`insert into audit_log (id, at, actor, action, subject_type, subject_id, before, after)
      values (${`aud_${randomBytes(8).toString('hex')}`}, ${at}, ${`business_user:${adminId}`}, 'oauth.consent', 'authorization',
              ${authorizationId}, ${null}, ${JSON.stringify({ appId, region: 'EU', marketplace, roles: ['Amazon Business Analytics'] })})`.execute(
      db,
    );
  const token = async (authorizationId: string, createdAt: number, codeHash: string | null) => {
    const refresh = atzr();
    const access = atza();
    await sql`insert into refresh_tokens (token_hash, authorization_id, app_id, roles, code_hash, created_at, revoked_at)
      values (${sha256(refresh)}, ${authorizationId}, ${appId}, '["Amazon Business Analytics"]', ${codeHash}, ${createdAt}, ${null})`.execute(
      db,
    );
    await sql`insert into access_tokens (token_hash, refresh_token_hash, authorization_id, app_id, expires_at, created_at)
      values (${sha256(access)}, ${sha256(refresh)}, ${authorizationId}, ${appId}, ${createdAt + 1000 * HOUR}, ${createdAt})`.execute(db);
    return { refresh, access };
  };
  const code = async (authorizationId: string, createdAt: number, usedAt: number | null) => {
    const hash = sha256(`code-${randomBytes(8).toString('hex')}`);
    await sql`insert into grant_codes (code_hash, app_id, authorization_id, redirect_uri, roles, expires_at, used_at, created_at)
      values (${hash}, ${appId}, ${authorizationId}, ${REDIRECT}, '["Amazon Business Analytics"]', ${createdAt + 300_000}, ${usedAt}, ${createdAt})`.execute(
      db,
    );
    return hash;
  };

  // EU: consented in UK (on behalf: token first, audit entry just after), then in DE (through a code,
  // exchanged two minutes later), then a token whose code is pruned, and an unused DE code.
  const eu = await auth('EU', null);
  const ukToken = await token(eu, t0, null);
  await consentAudit(eu, t0 + 3, 'UK');
  const deCode = await code(eu, t0 + HOUR, t0 + HOUR + 120_000);
  await consentAudit(eu, t0 + HOUR + 2, 'DE');
  const deToken = await token(eu, t0 + HOUR + 120_000, deCode);
  const lateDeToken = await token(eu, t0 + 2 * HOUR, sha256('a pruned code'));
  const unusedDeCode = await code(eu, t0 + 2 * HOUR + 10, null);
  // NA and FE without any record of the marketplace; EU with its marketplace recorded and one consent.
  const na = await auth('NA', null);
  const naToken = await token(na, t0, null);
  const fe = await auth('FE', null);
  const recorded = await auth('EU', 'DE');
  await consentAudit(recorded, t0, 'DE');
  const recordedToken = await token(recorded, t0, null);
  return { t0, eu, na, fe, recorded, ukToken, deToken, lateDeToken, unusedDeCode, naToken, recordedToken };
}

test('the migration splits a per-region authorization by the marketplaces consented in; tokens and codes follow', async () => {
  const { app, world, published, refresh } = await setup();
  const old = await oldShape(app, published.app.id, world.business.id, world.admin.id);
  const db = app.ctx.db.kysely;
  await db.transaction().execute((trx) => migrateToMarketplaces(trx as unknown as Kysely<unknown>));

  const rows = await app.services.oauth.listAuthorizations({ appId: published.app.id });
  const byId = new Map(rows.map((a) => [a.id, a]));
  assert.equal(byId.get(old.eu)!.marketplace, 'UK', 'the first consent’s marketplace');
  assert.equal(byId.get(old.na)!.marketplace, 'US', 'nothing recorded in NA: US');
  assert.equal(byId.get(old.fe)!.marketplace, 'JP', 'nothing recorded in FE: JP');
  assert.equal(byId.get(old.recorded)!.marketplace, 'DE', 'a recorded marketplace is kept');
  const split = rows.filter((a) => ![old.eu, old.na, old.fe, old.recorded].includes(a.id));
  assert.equal(split.length, 1, JSON.stringify(rows));
  const de = split[0]!;
  assert.deepEqual(
    [de.marketplace, de.region, de.environment, de.businessId, de.grantedBy, de.createdAt, de.revokedAt],
    ['DE', 'EU', 'production', world.business.id, world.admin.id, new Date(old.t0 + HOUR + 2).toISOString(), null],
  );

  const grantOf = async (access: string) => {
    const g = await app.services.oauth.lookupAccessToken(access);
    assert.ok(g.status === 'valid', access);
    return [g.grant.authorizationId, g.grant.marketplace];
  };
  assert.deepEqual(await grantOf(old.ukToken.access), [old.eu, 'UK']);
  assert.deepEqual(await grantOf(old.deToken.access), [de.id, 'DE']);
  assert.deepEqual(await grantOf(old.lateDeToken.access), [de.id, 'DE']);
  assert.deepEqual(await grantOf(old.naToken.access), [old.na, 'US']);
  assert.deepEqual(await grantOf(old.recordedToken.access), [old.recorded, 'DE']);
  const code = await sql<{
    authorization_id: string;
  }>`select authorization_id from grant_codes where code_hash = ${old.unusedDeCode}`.execute(db);
  assert.equal(code.rows[0]!.authorization_id, de.id, 'an unused code of the DE consent');

  // The refresh tokens mint access tokens of their own marketplace.
  for (const [t, mp] of [
    [old.ukToken.refresh, 'UK'],
    [old.deToken.refresh, 'DE'],
  ] as const) {
    const res = await refresh(t);
    assert.equal(res.status, 200, res.raw);
    assert.equal((await grantOf(res.body.access_token as string))[1], mp);
  }

  // Run again (already per marketplace): nothing moves.
  const mine = () =>
    sql<{
      id: string;
      marketplace: string;
    }>`select id, marketplace from authorizations where app_id = ${published.app.id} order by id`.execute(db);
  const before = await mine();
  await db.transaction().execute((trx) => migrateToMarketplaces(trx as unknown as Kysely<unknown>));
  const afterAgain = await mine();
  assert.deepEqual(afterAgain.rows, before.rows);
  assert.deepEqual(await grantOf(old.deToken.access), [de.id, 'DE']);
});

import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';

// Frozen once landed. Authorizations become per marketplace (the FAQ: tokens "are unique for each
// Amazon Business marketplace"); until now there was one per (app, business, region, environment),
// and a consent in another marketplace of the region reused it. Each such authorization becomes one
// per marketplace it was consented in:
//
// - The row keeps its id and gets the marketplace it recorded at creation; where none is recorded,
//   the first consent's marketplace in the audit log, else the region's default marketplace
//   (NA→US, EU→UK, FE→JP: the marketplaces sandbox tokens have always used).
// - Every other marketplace of the region that an `oauth.consent` audit entry of the row names gets
//   a new authorization (same app, business, region, environment and revocation; granted by that
//   consent's user, created at that consent's time).
// - Refresh tokens follow their authorization: each goes to the marketplace of the row's latest
//   consent recorded no later than one second after the token's consent (the creation of the grant
//   code it was exchanged from, when that code is still stored, else the token's own creation; the
//   audit entry is written just after, in the same transaction), else the row's marketplace. Its
//   access tokens move with it, and unused grant codes by the same rule.

/** The marketplaces of each region (copied from src/kernel/reference.ts: a migration never changes). */
const REGION_MARKETPLACES: Record<string, readonly string[]> = {
  NA: ['US', 'CA', 'MX'],
  EU: ['UK', 'DE', 'FR', 'ES', 'IT', 'IN'],
  FE: ['AU', 'JP'],
};
const REGION_DEFAULT: Record<string, string> = { NA: 'US', EU: 'UK', FE: 'JP' };
/** How long after a token's consent time its consent's audit entry may be written. */
const SLACK_MS = 1000;

const newAuthorizationId = (): string => `auth_${randomBytes(12).toString('base64url')}`;

interface AuthorizationRow {
  id: string;
  app_id: string;
  business_id: string | null;
  region: string;
  environment: string;
  marketplace: string | null;
  granted_by: string | null;
  created_at: number | string;
  revoked_at: number | string | null;
}

interface Consent {
  at: number;
  marketplace: string | null;
  userId: string | null;
}

function consentOf(row: { at: number | string; actor: string; after: string | null }, region: string): Consent {
  let marketplace: string | null = null;
  try {
    const after = row.after === null ? null : (JSON.parse(row.after) as { marketplace?: unknown });
    const code = typeof after?.marketplace === 'string' ? after.marketplace.toUpperCase() : null;
    if (code && REGION_MARKETPLACES[region]?.includes(code)) marketplace = code;
  } catch {
    marketplace = null;
  }
  const userId = row.actor.startsWith('business_user:') ? row.actor.slice('business_user:'.length) : null;
  return { at: Number(row.at), marketplace, userId };
}

/** The marketplace of the latest consent recorded no later than SLACK_MS after `at`, else the fallback. */
function marketplaceAt(consents: readonly Consent[], at: number, fallback: string): string {
  let found: string | null = null;
  for (const c of consents) if (c.at <= at + SLACK_MS && c.marketplace) found = c.marketplace;
  return found ?? fallback;
}

export async function up(db: Kysely<unknown>): Promise<void> {
  const authorizations = await sql<AuthorizationRow>`select * from authorizations order by created_at, id`.execute(db);
  for (const a of authorizations.rows) {
    const audit = await sql<{ at: number | string; actor: string; after: string | null }>`
      select at, actor, after from audit_log
      where subject_type = 'authorization' and subject_id = ${a.id} and action = 'oauth.consent'
      order by at, id`.execute(db);
    const consents = audit.rows.map((r) => consentOf(r, a.region));
    const own = a.marketplace?.toUpperCase() ?? null;
    const primary =
      (own && REGION_MARKETPLACES[a.region]?.includes(own) ? own : null) ??
      consents.find((c) => c.marketplace)?.marketplace ??
      REGION_DEFAULT[a.region] ??
      'US';
    if (a.marketplace !== primary) await sql`update authorizations set marketplace = ${primary} where id = ${a.id}`.execute(db);

    // One new authorization per other marketplace consented in, at its first consent.
    const idOf = new Map<string, string>([[primary, a.id]]);
    for (const c of consents) {
      if (!c.marketplace || idOf.has(c.marketplace)) continue;
      // Run again, the split rows are found (their creation is their consent's time), not made twice.
      const made = await sql<{ id: string }>`
        select id from authorizations
        where app_id = ${a.app_id} and environment = ${a.environment} and marketplace = ${c.marketplace} and created_at = ${c.at}
          and ${a.business_id === null ? sql`business_id is null` : sql`business_id = ${a.business_id}`}`.execute(db);
      if (made.rows[0]) {
        idOf.set(c.marketplace, made.rows[0].id);
        continue;
      }
      const id = newAuthorizationId();
      idOf.set(c.marketplace, id);
      await sql`insert into authorizations (id, app_id, business_id, region, environment, marketplace, granted_by, created_at, revoked_at)
        values (${id}, ${a.app_id}, ${a.business_id}, ${a.region}, ${a.environment}, ${c.marketplace}, ${c.userId ?? a.granted_by},
                ${c.at}, ${a.revoked_at === null ? null : Number(a.revoked_at)})`.execute(db);
    }
    if (idOf.size === 1) continue;

    const codes = await sql<{ code_hash: string; created_at: number | string }>`
      select code_hash, created_at from grant_codes where authorization_id = ${a.id}`.execute(db);
    const codeTime = new Map(codes.rows.map((c) => [c.code_hash, Number(c.created_at)]));
    for (const code of codes.rows) {
      const target = idOf.get(marketplaceAt(consents, Number(code.created_at), primary))!;
      if (target !== a.id) await sql`update grant_codes set authorization_id = ${target} where code_hash = ${code.code_hash}`.execute(db);
    }
    const tokens = await sql<{ token_hash: string; code_hash: string | null; created_at: number | string }>`
      select token_hash, code_hash, created_at from refresh_tokens where authorization_id = ${a.id}`.execute(db);
    for (const t of tokens.rows) {
      const consentTime = (t.code_hash !== null ? codeTime.get(t.code_hash) : undefined) ?? Number(t.created_at);
      const target = idOf.get(marketplaceAt(consents, consentTime, primary))!;
      if (target === a.id) continue;
      await sql`update refresh_tokens set authorization_id = ${target} where token_hash = ${t.token_hash}`.execute(db);
      await sql`update access_tokens set authorization_id = ${target} where refresh_token_hash = ${t.token_hash}`.execute(db);
    }
  }
  // Consent looks up the live authorization of (app, business, marketplace).
  await db.schema
    .createIndex('authorizations_app_marketplace')
    .ifNotExists()
    .on('authorizations')
    .columns(['app_id', 'business_id', 'marketplace'])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}

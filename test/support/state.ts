import { sql } from 'kysely';
import type { Db } from '../../src/platform/db/database.ts';

/** The tables whose row counts make up the state digest (the request log is observability, not state). */
export const DIGEST_TABLES = [
  'businesses',
  'legal_entities',
  'business_groups',
  'business_users',
  'user_admin_entities',
  'user_groups',
  'buying_policies',
  'developers',
  'developer_profiles',
  'apps',
  'app_secrets',
  'reviews',
  'usage_plan_overrides',
  'privileged_grants',
  'audit_log',
  'admin_keys',
  'sessions',
  'authorizations',
  'grant_codes',
  'refresh_tokens',
  'access_tokens',
] as const;

/**
 * A digest of the platform's state in one query: the row count of every table, plus the counts
 * that change without a new row (revocations, suspensions, used codes, app counters). Use it on a
 * database no other test file writes to (test/support/isolated.ts).
 */
export async function stateDigest(db: Db): Promise<Record<string, number>> {
  const parts = [
    ...DIGEST_TABLES.map((t) => sql`(select count(*) from ${sql.table(t)}) as ${sql.ref(t)}`),
    sql`(select count(*) from authorizations where revoked_at is not null) as revoked_authorizations`,
    sql`(select count(*) from refresh_tokens where revoked_at is not null) as revoked_refresh_tokens`,
    sql`(select count(*) from apps where suspended <> 0) as suspended_apps`,
    sql`(select count(*) from grant_codes where used_at is not null) as used_codes`,
    sql`(select coalesce(sum(app_count), 0) from developers) as app_counters`,
  ];
  const { rows } = await sql<Record<string, number | string>>`select ${sql.join(parts)}`.execute(db.kysely);
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(rows[0] ?? {})) out[k] = Number(v);
  return out;
}

import { sql, type Insertable, type Kysely, type Selectable } from 'kysely';
import { dialectOf, insertRows } from '../../platform/db/bulk.ts';
import type { Database } from '../../database.ts';
import type { GatewayDecision } from '../gateway/index.ts';
import type { RequestLogTable } from './emulator.tables.ts';

export type RequestLogRow = Insertable<RequestLogTable>;

/** Filters of the request inspector; every one is optional. */
export interface RequestLogFilter {
  /** Only these apps (a developer's own); an empty list matches nothing. */
  appIds?: string[];
  businessId?: string;
  operation?: string;
  /** An exact status, or a class as [min, max]. */
  status?: number | [number, number];
  since?: number;
  until?: number;
  requestId?: string;
  /** The calls that created or read an order (its Ordering calls and its packages' tracking calls). */
  orderId?: string;
  /** Only API calls or only token calls. */
  kind?: 'api' | 'token';
  /** Entries after this one (`id`), for live updates. */
  afterId?: number;
  /** One entry by its `id`. */
  id?: number;
  limit?: number;
}

/** One recorded call as the admin and developer APIs show it. */
export interface RequestLogEntry {
  id: number;
  at: string;
  requestId: string;
  kind: 'api' | 'token';
  method: string;
  path: string;
  region: string | null;
  environment: string | null;
  appId: string | null;
  clientId: string | null;
  businessId: string | null;
  userEmail: string | null;
  operation: string | null;
  status: number;
  latencyMs: number;
  errorCode: string | null;
  faultId: string | null;
  /** What the call created or read, `<kind>:<id>` (a placeOrder call: `order:<Amazon order id>`). */
  resource: string | null;
  /** What the gateway decided (API calls): the check that refused the call and why, the usage-plan bucket. */
  decision: GatewayDecision | null;
  request?: { headers: unknown; body: string | null };
  response?: { body: string | null };
}

const parse = (text: string | null): unknown => {
  if (text === null) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
};

const toEntry = (r: Selectable<RequestLogTable>): RequestLogEntry => {
  const entry: RequestLogEntry = {
    id: Number(r.seq),
    at: new Date(Number(r.at)).toISOString(),
    requestId: r.request_id,
    kind: r.kind,
    method: r.method,
    path: r.path,
    region: r.region,
    environment: r.environment,
    appId: r.app_id,
    clientId: r.client_id,
    businessId: r.business_id,
    userEmail: r.user_email,
    operation: r.operation,
    status: Number(r.status),
    latencyMs: Number(r.latency_ms),
    errorCode: r.error_code,
    faultId: r.fault_id,
    resource: r.resource ?? null,
    decision: r.decision ? (parse(r.decision) as GatewayDecision) : null,
  };
  if (r.request_headers !== null || r.request_body !== null) entry.request = { headers: parse(r.request_headers), body: r.request_body };
  if (r.response_body !== null) entry.response = { body: r.response_body };
  return entry;
};

const COLUMNS = [
  'at',
  'request_id',
  'kind',
  'method',
  'path',
  'region',
  'environment',
  'app_id',
  'client_id',
  'business_id',
  'user_email',
  'operation',
  'status',
  'latency_ms',
  'error_code',
  'fault_id',
  'resource',
  'decision',
  'request_headers',
  'request_body',
  'response_body',
] as const satisfies readonly (keyof RequestLogRow)[];

/**
 * Inserts rows (in the caller's transaction) as multi-row statements written directly: building a
 * large insert with the query builder costs more than running it, and this runs under full load.
 */
export async function insertEntries(db: Kysely<Database>, rows: RequestLogRow[]): Promise<void> {
  await insertRows(db, dialectOf(db), { table: 'request_log', columns: COLUMNS }, rows);
}

/** Deletes entries older than a time and all but the newest maxEntries; returns how many went. */
export async function pruneEntries(db: Kysely<Database>, olderThan: number, maxEntries: number): Promise<number> {
  let deleted = Number((await db.deleteFrom('request_log').where('at', '<', olderThan).executeTakeFirst()).numDeletedRows);
  const edge = await db.selectFrom('request_log').select('seq').orderBy('seq', 'desc').limit(1).offset(maxEntries).executeTakeFirst();
  if (edge) deleted += Number((await db.deleteFrom('request_log').where('seq', '<=', Number(edge.seq)).executeTakeFirst()).numDeletedRows);
  return deleted;
}

export async function countEntries(db: Kysely<Database>): Promise<number> {
  const r = await db
    .selectFrom('request_log')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function clearEntries(db: Kysely<Database>): Promise<void> {
  await db.deleteFrom('request_log').execute();
}

/** The newest entries first. */
export async function queryEntries(db: Kysely<Database>, f: RequestLogFilter): Promise<RequestLogEntry[]> {
  if (f.appIds && f.appIds.length === 0) return [];
  let q = db.selectFrom('request_log').selectAll();
  if (f.appIds) q = q.where('app_id', 'in', f.appIds);
  if (f.businessId) q = q.where('business_id', '=', f.businessId);
  if (f.operation) q = q.where('operation', '=', f.operation);
  if (typeof f.status === 'number') q = q.where('status', '=', f.status);
  else if (f.status) q = q.where('status', '>=', f.status[0]).where('status', '<=', f.status[1]);
  if (f.since !== undefined) q = q.where('at', '>=', f.since);
  if (f.until !== undefined) q = q.where('at', '<', f.until);
  if (f.requestId) q = q.where('request_id', '=', f.requestId);
  if (f.kind) q = q.where('kind', '=', f.kind);
  if (f.orderId) {
    const pattern = `package:${f.orderId.replace(/[\\%_]/g, (c) => `\\${c}`)}/%`;
    const orderId = f.orderId;
    q = q.where((eb) => eb.or([eb('resource', '=', `order:${orderId}`), sql<boolean>`resource LIKE ${pattern} ESCAPE '\\'`]));
  }
  if (f.afterId !== undefined) q = q.where('seq', '>', f.afterId);
  if (f.id !== undefined) q = q.where('seq', '=', f.id);
  const rows = await q
    .orderBy('seq', 'desc')
    .limit(Math.min(Math.max(f.limit ?? 100, 1), 1000))
    .execute();
  return rows.map(toEntry);
}

/** What identifies the app, business and region of a call that the gateway could not resolve. */
export interface IdentityHints {
  clientIds: string[];
  accessTokenHashes: string[];
  codeHashes: string[];
  refreshTokenHashes: string[];
}

export interface ResolvedIdentity {
  appId: string;
  businessId: string | null;
  region: string;
  environment: string;
}

/** Looks the hints up in a few queries (off the hot path: the recorder calls this when it flushes). */
export async function resolveIdentities(
  db: Kysely<Database>,
  h: IdentityHints,
): Promise<{ apps: Map<string, string>; grants: Map<string, ResolvedIdentity> }> {
  const apps = new Map<string, string>();
  const grants = new Map<string, ResolvedIdentity>();
  if (h.clientIds.length)
    for (const r of await db.selectFrom('apps').select(['id', 'client_id']).where('client_id', 'in', h.clientIds).execute())
      apps.set(r.client_id, r.id);
  const put = (rows: { hash: string; app_id: string; business_id: string | null; region: string; environment: string }[]) => {
    for (const r of rows) grants.set(r.hash, { appId: r.app_id, businessId: r.business_id, region: r.region, environment: r.environment });
  };
  if (h.accessTokenHashes.length) {
    put(
      await db
        .selectFrom('access_tokens as t')
        .innerJoin('authorizations as a', 'a.id', 't.authorization_id')
        .select(['t.token_hash as hash', 't.app_id', 'a.business_id', 'a.region', 'a.environment'])
        .where('t.token_hash', 'in', h.accessTokenHashes)
        .execute(),
    );
  }
  if (h.codeHashes.length) {
    put(
      await db
        .selectFrom('grant_codes as g')
        .innerJoin('authorizations as a', 'a.id', 'g.authorization_id')
        .select(['g.code_hash as hash', 'g.app_id', 'a.business_id', 'a.region', 'a.environment'])
        .where('g.code_hash', 'in', h.codeHashes)
        .execute(),
    );
  }
  if (h.refreshTokenHashes.length) {
    put(
      await db
        .selectFrom('refresh_tokens as r')
        .innerJoin('authorizations as a', 'a.id', 'r.authorization_id')
        .select(['r.token_hash as hash', 'r.app_id', 'a.business_id', 'a.region', 'a.environment'])
        .where('r.token_hash', 'in', h.refreshTokenHashes)
        .execute(),
    );
  }
  return { apps, grants };
}

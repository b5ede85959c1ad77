import path from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

/** Every setting the process reads, with its environment variable name. */
export const ConfigSchema = Type.Object({
  mode: Type.Union([Type.Literal('local'), Type.Literal('production')]),
  port: Type.Integer({ minimum: 0, maximum: 65535 }),
  host: Type.String({ minLength: 1 }),
  dataDir: Type.String({ minLength: 1 }),
  databaseUrl: Type.Union([Type.String({ pattern: '^postgres(ql)?://' }), Type.Null()]),
  redisUrl: Type.Union([Type.String({ pattern: '^rediss?://' }), Type.Null()]),
  publicUrl: Type.Union([Type.String({ pattern: '^https?://' }), Type.Null()]),
  /** Proxies whose X-Forwarded-For / -Proto / -Host are believed: addresses or CIDR ranges; null: none. */
  trustProxy: Type.Union([Type.Null(), Type.Array(Type.String({ minLength: 1 }), { minItems: 1 })]),
  logLevel: Type.Union(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l))),
  /** One log line per HTTP request (method, redacted URL, status, time) at info; off: only failures are logged (docs/operations.md). */
  logRequests: Type.Boolean(),
  adminApiKey: Type.Union([Type.String({ minLength: 24 }), Type.Null()]),
  seedDemo: Type.Boolean(),
  /** Production mode: disable credentials published in the repository (the demo world's) instead of refusing to start. */
  disableDemoCredentials: Type.Boolean(),
  emulator: Type.Boolean(),
  bodyLimitBytes: Type.Integer({ minimum: 1024 }),
  secretRotationGraceSeconds: Type.Integer({ minimum: 0 }),
  /** Encrypts the secrets kept to be used again (notice destinations' keys, queued notices); null: a key file in DATA_DIR. */
  secretEncryptionKey: Type.Union([Type.String({ minLength: 32 }), Type.Null()]),
  /** Client secret notices (docs/application-management.md): polling, attempts, first retry delay. */
  noticePollMs: Type.Integer({ minimum: 10 }),
  noticeMaxAttempts: Type.Integer({ minimum: 1, maximum: 100 }),
  noticeRetryBaseMs: Type.Integer({ minimum: 1 }),
  sessionTtlSeconds: Type.Integer({ minimum: 60 }),
  sandboxScenarioDir: Type.Union([Type.String(), Type.Null()]),
  sandboxMatching: Type.Union([Type.Literal('defaults'), Type.Literal('literal')]),
  /** Orders sometimes have a line cancelled by the seller or a package delayed (docs/ordering.md). */
  orderSurprises: Type.Boolean(),
  /** Product Search forgives typos, split and joined words and synonyms (docs/product-search.md). */
  searchForgiving: Type.Boolean(),
  /** A folder of synonyms files used instead of the shipped catalog/synonyms (docs/product-search.md). */
  searchSynonymsDir: Type.Union([Type.String(), Type.Null()]),
  /** The exact cache of Product Search answers (docs/product-search.md): its size in MiB (0: off) and most answers kept. */
  searchAnswerCacheMb: Type.Integer({ minimum: 0, maximum: 65_536 }),
  searchAnswerCacheEntries: Type.Integer({ minimum: 1, maximum: 10_000_000 }),
  // Request inspector and metrics (docs/emulator.md)
  requestLogMaxEntries: Type.Integer({ minimum: 0, maximum: 10_000_000 }),
  requestLogMaxAgeSeconds: Type.Integer({ minimum: 1 }),
  requestLogBodies: Type.Boolean(),
  requestLogBodyMaxBytes: Type.Integer({ minimum: 0, maximum: 1024 * 1024 }),
  metricsEnabled: Type.Boolean(),
  /** Check every API answer against its declared schema (a drift answers 500): on under NODE_ENV=test, as in the test suite. */
  checkResponses: Type.Boolean(),
});
export type Config = Readonly<Static<typeof ConfigSchema>>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

const ENV_NAMES: Record<keyof Static<typeof ConfigSchema>, string> = {
  mode: 'BIZAPI_MODE',
  port: 'PORT',
  host: 'HOST',
  dataDir: 'DATA_DIR',
  databaseUrl: 'DATABASE_URL',
  redisUrl: 'REDIS_URL',
  publicUrl: 'PUBLIC_URL',
  trustProxy: 'TRUST_PROXY',
  logLevel: 'LOG_LEVEL',
  logRequests: 'LOG_REQUESTS',
  adminApiKey: 'ADMIN_API_KEY',
  seedDemo: 'SEED_DEMO',
  disableDemoCredentials: 'DISABLE_DEMO_CREDENTIALS',
  emulator: 'EMULATOR',
  bodyLimitBytes: 'BODY_LIMIT_BYTES',
  secretRotationGraceSeconds: 'SECRET_ROTATION_GRACE_SECONDS',
  secretEncryptionKey: 'SECRET_ENCRYPTION_KEY',
  noticePollMs: 'NOTICE_POLL_MS',
  noticeMaxAttempts: 'NOTICE_MAX_ATTEMPTS',
  noticeRetryBaseMs: 'NOTICE_RETRY_BASE_MS',
  sessionTtlSeconds: 'SESSION_TTL_SECONDS',
  sandboxScenarioDir: 'SANDBOX_SCENARIO_DIR',
  sandboxMatching: 'SANDBOX_MATCHING',
  orderSurprises: 'ORDER_SURPRISES',
  searchForgiving: 'SEARCH_FORGIVING',
  searchSynonymsDir: 'SEARCH_SYNONYMS_DIR',
  searchAnswerCacheMb: 'SEARCH_ANSWER_CACHE_MB',
  searchAnswerCacheEntries: 'SEARCH_ANSWER_CACHE_ENTRIES',
  requestLogMaxEntries: 'REQUEST_LOG_MAX_ENTRIES',
  requestLogMaxAgeSeconds: 'REQUEST_LOG_MAX_AGE_SECONDS',
  requestLogBodies: 'REQUEST_LOG_BODIES',
  requestLogBodyMaxBytes: 'REQUEST_LOG_BODY_MAX_BYTES',
  metricsEnabled: 'METRICS_ENABLED',
  checkResponses: 'CHECK_RESPONSES',
};

function int(env: Env, name: string, fallback: number, problems: string[]): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) {
    problems.push(`${name} must be a whole number, got "${raw}"`);
    return fallback;
  }
  return Number(raw);
}

function bool(env: Env, name: string, fallback: boolean, problems: string[]): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
  problems.push(`${name} must be true or false, got "${raw}"`);
  return fallback;
}

const orNull = (v: string | undefined): string | null => (v === undefined || v === '' ? null : v);

const ADDRESS_OR_RANGE = /^(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9a-fA-F:]+)(?:\/\d{1,3})?$/;

/** TRUST_PROXY: empty (trust no proxy) or comma-separated proxy addresses and CIDR ranges. */
function trustedProxies(raw: string | undefined, problems: string[]): string[] | null {
  if (raw === undefined || raw.trim() === '') return null;
  const list = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = list.filter((s) => !ADDRESS_OR_RANGE.test(s));
  if (bad.length)
    problems.push(
      `TRUST_PROXY must be comma-separated proxy addresses and CIDR ranges (e.g. 10.0.0.0/8,127.0.0.1); "${bad[0]}" is neither. Trusting every client's X-Forwarded-For would let anyone choose its address.`,
    );
  return list;
}

/** Reads and validates the configuration from an environment; throws ConfigError listing every problem. */
export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];
  const mode = env.BIZAPI_MODE ?? 'local';
  const raw = {
    mode,
    port: int(env, 'PORT', 8080, problems),
    host: env.HOST || '0.0.0.0',
    dataDir: path.resolve(env.DATA_DIR || './data'),
    databaseUrl: orNull(env.DATABASE_URL),
    redisUrl: orNull(env.REDIS_URL),
    publicUrl: orNull(env.PUBLIC_URL),
    trustProxy: trustedProxies(env.TRUST_PROXY, problems),
    logLevel: env.LOG_LEVEL || 'info',
    logRequests: bool(env, 'LOG_REQUESTS', false, problems),
    adminApiKey: orNull(env.ADMIN_API_KEY),
    seedDemo: bool(env, 'SEED_DEMO', mode === 'local', problems),
    disableDemoCredentials: bool(env, 'DISABLE_DEMO_CREDENTIALS', false, problems),
    emulator: bool(env, 'EMULATOR', mode === 'local', problems),
    bodyLimitBytes: int(env, 'BODY_LIMIT_BYTES', 1024 * 1024, problems),
    secretRotationGraceSeconds: int(env, 'SECRET_ROTATION_GRACE_SECONDS', 7 * 24 * 3600, problems),
    secretEncryptionKey: orNull(env.SECRET_ENCRYPTION_KEY),
    noticePollMs: int(env, 'NOTICE_POLL_MS', 1000, problems),
    noticeMaxAttempts: int(env, 'NOTICE_MAX_ATTEMPTS', 10, problems),
    noticeRetryBaseMs: int(env, 'NOTICE_RETRY_BASE_MS', 10_000, problems),
    sessionTtlSeconds: int(env, 'SESSION_TTL_SECONDS', 8 * 3600, problems),
    sandboxScenarioDir: orNull(env.SANDBOX_SCENARIO_DIR),
    sandboxMatching: env.SANDBOX_MATCHING || 'defaults',
    orderSurprises: bool(env, 'ORDER_SURPRISES', true, problems),
    searchForgiving: bool(env, 'SEARCH_FORGIVING', true, problems),
    searchSynonymsDir: env.SEARCH_SYNONYMS_DIR ? path.resolve(env.SEARCH_SYNONYMS_DIR) : null,
    searchAnswerCacheMb: int(env, 'SEARCH_ANSWER_CACHE_MB', 256, problems),
    searchAnswerCacheEntries: int(env, 'SEARCH_ANSWER_CACHE_ENTRIES', 10_000, problems),
    requestLogMaxEntries: int(env, 'REQUEST_LOG_MAX_ENTRIES', 10_000, problems),
    requestLogMaxAgeSeconds: int(env, 'REQUEST_LOG_MAX_AGE_SECONDS', 24 * 3600, problems),
    requestLogBodies: bool(env, 'REQUEST_LOG_BODIES', false, problems),
    requestLogBodyMaxBytes: int(env, 'REQUEST_LOG_BODY_MAX_BYTES', 4096, problems),
    metricsEnabled: bool(env, 'METRICS_ENABLED', true, problems),
    checkResponses: bool(env, 'CHECK_RESPONSES', env.NODE_ENV === 'test', problems),
  };
  for (const error of Value.Errors(ConfigSchema, raw)) {
    const key = error.path.replace(/^\//, '') as keyof typeof ENV_NAMES;
    const name = ENV_NAMES[key] ?? key;
    const value = (raw as Record<string, unknown>)[key];
    // A key is never echoed, even a bad one.
    problems.push(`${name}: ${error.message}${key === 'secretEncryptionKey' ? '' : ` (got ${JSON.stringify(value)})`}`);
  }
  if (mode === 'production' && raw.seedDemo && !raw.disableDemoCredentials)
    problems.push(
      "SEED_DEMO=true in production mode would create accounts, an app secret and an operator key whose secrets are published in bizapi's repository: set DISABLE_DEMO_CREDENTIALS=true to seed the demo world with them disabled, or use BIZAPI_MODE=local.",
    );
  if (problems.length > 0) throw new ConfigError([...new Set(problems)]);
  return Object.freeze(raw as Static<typeof ConfigSchema>);
}

/** A configuration for tests: an isolated data directory, no demo seed and no order surprises unless asked. */
export function testConfig(overrides: Partial<Static<typeof ConfigSchema>> = {}): Config {
  return Object.freeze({
    ...loadConfig({ BIZAPI_MODE: 'local', LOG_LEVEL: 'silent', SEED_DEMO: 'false', ORDER_SURPRISES: 'false' }),
    ...overrides,
  });
}

import type { Config } from './config/config.ts';
import { systemClock, VirtualClock, type Clock } from './kernel/clock.ts';
import { openDatabase, type Db } from './platform/db/database.ts';
import { migrateToLatest } from './platform/db/migrate.ts';
import { createServer, type Server } from './platform/http/server.ts';
import { SignInLimits } from './platform/http/auth.ts';
import type { AppContext } from './app-context.ts';
import type { Services } from './services.ts';
import { AuditService } from './modules/audit/index.ts';
import { EventBus } from './kernel/events.ts';
import { AccountsService } from './modules/accounts/index.ts';
import { AppsService, DevelopersService, NoticeWorker, ReviewsService, developerRoutes } from './modules/developers/index.ts';
import { OperatorsService } from './modules/operators/index.ts';
import { OAuthService, appCenterRoutes, consentRoutes, tokenRoutes } from './modules/oauth/index.ts';
import { adminRoutes } from './modules/admin/index.ts';
import { DEMO, demoRoutes, localBaseUrl } from './modules/demo/index.ts';
import { portalRoutes } from './modules/portal/index.ts';
import { GatewayService, gatewayPlugin, PREFIX_TARGETS } from './modules/gateway/index.ts';
import { loadScenarios, sandboxAdminRoutes } from './modules/sandbox/index.ts';
import { MemoryRateLimiter } from './platform/rate-limit/memory.ts';
import type { RateLimiter } from './platform/rate-limit/limiter.ts';
import { applyStoredClock, createEmulator, shareCacheChanges, TransitionService, type Emulator } from './modules/emulator/index.ts';
import { CartsService } from './modules/carts/index.ts';
import { DocumentsService, documentDownloadRoutes } from './modules/documents/index.ts';
import { PurchasingService } from './modules/purchasing/index.ts';
import { Metrics } from './platform/metrics/metrics.ts';
import { CatalogService } from './modules/catalog/index.ts';
import { openApiRoutes } from './apis/openapi.routes.ts';
import { API_MODULES, bindApis, type ApiDefinition, type BoundApi } from './apis/index.ts';
import { VERSION_INFO } from './modules/registry/versions.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** false: the route reads nothing of the shared state, and the per-request check of it is skipped. */
    sharedState?: boolean;
  }
}

export type { AppContext } from './app-context.ts';

export interface BuildOptions {
  /** Replace the clock (tests pass a VirtualClock they control). */
  clock?: Clock;
  /** Use an already-open database instead of opening one from the config. */
  db?: Db;
  /** false silences the HTTP log; an object is passed to Fastify as its logger options. */
  logger?: boolean | object;
  /** The API modules to serve instead of src/apis/index.ts's list (tests of the gateway's API contract). */
  apiModules?: readonly ApiDefinition[];
  /** Start the worker that delivers client secret notices (default true; a test that pulls the database from under a running app turns it off). */
  deliverNotices?: boolean;
  /** SQLite: checkpoint the write-ahead log on a thread of its own (the server does; see platform/db/database.ts). */
  backgroundCheckpoints?: boolean;
}

export interface App {
  readonly server: Server;
  readonly ctx: AppContext;
  readonly services: Services;
  readonly gateway: GatewayService;
  readonly limiter: RateLimiter;
  /** Emulator controls and the request inspector. */
  readonly emulator: Emulator;
  /** The built APIs, as bound to this server. */
  readonly apis: readonly BoundApi[];
  readonly metrics: Metrics;
  close(): Promise<void>;
}

/** Builds every module's service on a context (also used by the CLI, which needs no HTTP server). */
export function buildServices(ctx: AppContext): Services {
  const accounts = new AccountsService(ctx);
  const developers = new DevelopersService(ctx);
  const apps = new AppsService(ctx, developers);
  const reviews = new ReviewsService(ctx, developers, apps);
  const operators = new OperatorsService(ctx);
  const oauth = new OAuthService(ctx, accounts, developers, apps);
  const catalog = new CatalogService({
    db: ctx.db,
    clock: ctx.clock,
    forgivingSearch: ctx.config.searchForgiving,
    ...(ctx.config.searchSynonymsDir ? { synonymsDir: ctx.config.searchSynonymsDir } : {}),
  });
  const transitions = new TransitionService(ctx);
  const purchasing = new PurchasingService(ctx, { catalog, accounts, transitions });
  const carts = new CartsService(ctx, { purchasing, catalog });
  const documents = new DocumentsService(ctx, { purchasing, accounts, transitions });
  return { accounts, developers, apps, reviews, operators, oauth, catalog, transitions, purchasing, carts, documents };
}

/** Opens the database, runs migrations and builds the shared context and services. */
export async function openContext(
  config: Config,
  options: Pick<BuildOptions, 'clock' | 'db' | 'backgroundCheckpoints'> = {},
): Promise<{ ctx: AppContext; services: Services }> {
  const db =
    options.db ??
    openDatabase({
      databaseUrl: config.databaseUrl,
      dataDir: config.dataDir,
      backgroundCheckpoints: options.backgroundCheckpoints ?? false,
    });
  await migrateToLatest(db);
  const clock = options.clock ?? (config.emulator ? new VirtualClock() : systemClock);
  const ctx: AppContext = { config, db, clock, audit: new AuditService(clock), events: new EventBus() };
  await applyStoredClock(ctx);
  // Every change this process makes is announced to the others through the shared cache version.
  shareCacheChanges(db, ctx.events, (err) =>
    process.stderr.write(`bizapi: could not announce a change to other processes: ${String(err)}\n`),
  );
  try {
    return { ctx, services: buildServices(ctx) };
  } catch (err) {
    // A setting the services refuse (a bad synonyms file): the start stops, and closes what it opened.
    if (!options.db) await db.destroy();
    throw err;
  }
}

/** Composition root: picks the adapters, runs migrations and registers every module. */
export async function buildApp(config: Config, options: BuildOptions = {}): Promise<App> {
  const { ctx, services } = await openContext(config, options);
  const { db } = ctx;
  const metrics = new Metrics();
  // Every built API, bound once to this server's services. A module whose handlers do not match its
  // API stops the start here, before any connection but the database's is opened.
  let apis: BoundApi[];
  try {
    apis = bindApis(options.apiModules ?? API_MODULES, { ctx, services, metrics, checkResponses: config.checkResponses });
  } catch (err) {
    if (!options.db) await db.destroy();
    throw err;
  }
  const secureCookies = config.publicUrl?.startsWith('https://') ?? false;
  // Brute-force limit on every sign-in form: 10 failures per account and address in 15 minutes.
  const signInLimiter = new SignInLimits();

  const server = createServer(config, options.logger ?? true, { basePrefixes: PREFIX_TARGETS.map((t) => t.prefix) });
  // The Redis adapters (and ioredis) are loaded only when Redis is configured.
  const redisLimiter = config.redisUrl ? new (await import('./platform/rate-limit/redis.ts')).RedisRateLimiter(config.redisUrl) : null;
  const limiter: RateLimiter = redisLimiter ?? new MemoryRateLimiter();
  const bridge = config.redisUrl
    ? await (await import('./platform/events/redis-bridge.ts')).RedisEventBridge.connect(config.redisUrl, ctx.events)
    : null;
  const gateway = new GatewayService(ctx, services, limiter);
  const emulator = createEmulator({ ctx, services, gateway, limiter, metrics, log: server.log });
  await emulator.start();
  // Before a request: apply what other processes and the CLI changed (clock, faults, world, caches).
  // Before an answer: this process's own changes are announced, so the others see them first.
  // (Callback hooks with a fast path: on SQLite with nothing changed, and with no announcement
  // running, a request waits for no promise.)
  server.addHook('onRequest', (request, _reply, done) => {
    // A route that reads nothing of the shared state (its answer is the same whatever the clock,
    // the world or the faults) skips the check: /healthz answers without touching the database.
    if (request.routeOptions.config.sharedState === false) return done();
    // The database is unreachable: the request answers by its own route (/readyz says 503).
    const failed = (err: unknown) => (request.log.warn({ err }, 'shared state check failed'), done());
    let wait: Promise<void> | null;
    try {
      wait = emulator.sync.currentOrWait();
    } catch (err) {
      return failed(err);
    }
    if (!wait) return done();
    wait.then(() => done(), failed);
  });
  server.addHook('onSend', (_request, _reply, payload, done) => {
    if (ctx.events.idle) return done(null, payload);
    ctx.events.settled().then(
      () => done(null, payload),
      (err: unknown) => done(err as Error),
    );
  });
  server.addHook('onSend', emulator.observers.keepPayload);
  const loaded = await loadScenarios(config.sandboxScenarioDir);
  for (const p of loaded.problems) server.log.warn({ path: p.path, reason: p.reason }, 'sandbox scenario file skipped');

  // The build, the API versions it serves and the models it was checked against (as `bizapi --version`).
  // Serialized once: load balancers call it often, and its answer never changes while the process runs.
  const healthz = JSON.stringify({ status: 'ok', ...VERSION_INFO });
  server.get('/healthz', { config: { sharedState: false } }, (_request, reply) =>
    reply.type('application/json; charset=utf-8').send(healthz),
  );
  await server.register(openApiRoutes, { apis, publicUrl: config.publicUrl });
  server.get('/readyz', async (_request, reply) => {
    const checks: Record<string, string> = {};
    try {
      await db.ping();
      checks.database = 'ok';
    } catch {
      checks.database = 'unreachable';
    }
    if (redisLimiter) {
      try {
        await Promise.all([redisLimiter.ping(), bridge?.ping()]);
        checks.redis = 'ok';
      } catch {
        checks.redis = 'unreachable';
      }
    }
    const ready = Object.values(checks).every((v) => v === 'ok');
    return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'unavailable', dialect: db.dialect, checks });
  });
  if (config.metricsEnabled) {
    server.get('/metrics', async (_request, reply) => {
      const { contentType, body } = await metrics.render();
      return reply.type(contentType).send(body);
    });
  }
  await server.register(adminRoutes, {
    prefix: '/admin/v1',
    ctx,
    services,
    extensions: [emulator.adminRoutes, sandboxAdminRoutes(loaded.scenarios, loaded.problems)],
  });
  await server.register(developerRoutes, {
    prefix: '/developer/v1',
    services,
    signInLimiter,
    secureCookies,
    requestLog: emulator.requestLog,
  });
  await server.register(tokenRoutes, { services, onResponse: emulator.observers.token });
  const baseUrl = (host: string, protocol: string) => config.publicUrl?.replace(/\/$/, '') ?? `${protocol}://${host}`;
  await server.register(consentRoutes, { services, signInLimiter, secureCookies, baseUrl });
  await server.register(appCenterRoutes, { services, baseUrl });
  await server.register(portalRoutes, {
    ctx,
    services,
    signInLimiter,
    secureCookies,
    apis: apis.map((a) => a.api),
    scenarios: loaded.scenarios,
    emulator,
  });
  await server.register(documentDownloadRoutes(services.documents));
  await server.register(gatewayPlugin, {
    service: gateway,
    apis: apis.map((a) => a.binding),
    scenarios: loaded.scenarios,
    sandboxMatching: config.sandboxMatching,
    onResponse: emulator.observers.api,
    ...(emulator.faults ? { faults: emulator.faults } : {}),
  });
  if (config.emulator) {
    const extensions = apis.flatMap((a) => (a.emulatorRoutes ? [{ prefix: `/${a.slug}`, routes: a.emulatorRoutes }] : []));
    await server.register(emulator.routes(extensions), { prefix: '/_emulator' });
  }
  if (config.seedDemo) {
    const clientId = async () => (await services.apps.list({ developerId: DEMO.developer.id }))[0]?.clientId ?? null;
    await server.register(demoRoutes, { baseUrl: localBaseUrl(ctx), clientId });
  }

  await server.ready();
  // Delivers the client secret notices the outbox holds (docs/application-management.md).
  const noticeWorker = new NoticeWorker(services.apps.notices, {
    pollMs: config.noticePollMs,
    maxAttempts: config.noticeMaxAttempts,
    baseDelayMs: config.noticeRetryBaseMs,
    log: server.log,
  });
  if (options.deliverNotices ?? true) noticeWorker.start();
  return {
    server,
    ctx,
    services,
    gateway,
    limiter,
    emulator,
    metrics,
    apis,
    close: async () => {
      await noticeWorker.stop();
      await server.close();
      await emulator.close();
      await limiter.close();
      await bridge?.close();
      if (!options.db) await db.destroy();
    },
  };
}

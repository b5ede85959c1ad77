import type { Config } from './config/config.ts';
import { systemClock, VirtualClock, type Clock } from './kernel/clock.ts';
import { openDatabase, type Db } from './platform/db/database.ts';
import { migrateToLatest } from './platform/db/migrate.ts';
import { createServer, type Server } from './platform/http/server.ts';
import { AuditService } from './modules/audit/audit.service.ts';

/** Everything the modules share, built once by the composition root. */
export interface AppContext {
  readonly config: Config;
  readonly db: Db;
  readonly clock: Clock;
  readonly audit: AuditService;
}

export interface BuildOptions {
  /** Replace the clock (tests pass a VirtualClock they control). */
  clock?: Clock;
  /** Use an already-open database instead of opening one from the config. */
  db?: Db;
  /** false silences the HTTP log; an object is passed to Fastify as its logger options. */
  logger?: boolean | object;
}

export interface App {
  readonly server: Server;
  readonly ctx: AppContext;
  close(): Promise<void>;
}

/** Composition root: picks the adapters, runs migrations and registers every module. */
export async function buildApp(config: Config, options: BuildOptions = {}): Promise<App> {
  const db = options.db ?? openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  await migrateToLatest(db);
  const clock = options.clock ?? (config.emulator ? new VirtualClock() : systemClock);
  const ctx: AppContext = { config, db, clock, audit: new AuditService(clock) };

  const server = createServer(config, options.logger ?? true);
  server.get('/healthz', async () => ({ status: 'ok' }));
  server.get('/readyz', async (_request, reply) => {
    try {
      await db.ping();
      return { status: 'ready', database: db.dialect };
    } catch {
      return reply.status(503).send({ status: 'unavailable', database: db.dialect });
    }
  });

  await server.ready();
  return {
    server,
    ctx,
    close: async () => {
      await server.close();
      if (!options.db) await db.destroy();
    },
  };
}

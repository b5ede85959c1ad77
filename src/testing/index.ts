// `bizapi/testing`: the whole platform inside a test's own process, on a free port, with a throwaway
// database and ready tokens. docs/testing-your-integration.md shows it with node's test runner,
// Vitest and Jest.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildApp, type App } from '../app.ts';
import { loadConfig } from '../config/config.ts';
import { VirtualClock } from '../kernel/clock.ts';
import { marketplaceByCode, type Region, type Role } from '../kernel/reference.ts';
import { DEMO } from '../modules/demo/index.ts';
import type { FaultInput, FaultView, RequestLogEntry, RequestLogFilter, Snapshot } from '../modules/emulator/index.ts';
import { buildWorld, WORLD_DEVELOPER, WorldBuilder, type BuiltWorld, type OrderDefinition, type WorldDefinition } from './world.ts';
import { defaultTemplateDir, ensureTemplate, SQLITE_FILE, templateKey } from './template.ts';

export { world, WorldBuilder, DEMO_APP, DEFAULT_PASSWORD } from './world.ts';
export type {
  WorldDefinition,
  BusinessDefinition,
  GroupDefinition,
  UserDefinition,
  PolicyDefinition,
  AppDefinition,
  AuthorizationDefinition,
  OrderDefinition,
} from './world.ts';
export type { FaultInput, FaultView, RequestLogEntry, RequestLogFilter, Snapshot } from '../modules/emulator/index.ts';

export interface StartOptions {
  /** The world to start with: the demo world with the sample catalog (default), or a description (see `world()`). */
  world?: 'demo' | WorldDefinition | WorldBuilder;
  /**
   * A PostgreSQL database to use instead of a throwaway SQLite file. Its tables are emptied and the
   * world built into it at every start (seconds, not the template's milliseconds): give each test
   * file a database of its own.
   */
  databaseUrl?: string;
  /** Default 0: a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Further configuration, as the environment variables of docs/configuration.md (for example `{ REQUEST_LOG_BODIES: 'true' }`). */
  env?: Record<string, string>;
  /**
   * Where built worlds are kept between runs (default: `bizapi-templates-<uid>` in the temp
   * directory). A world is built once per description and day; each start copies its database.
   */
  templateDir?: string;
  /** The server's log on stdout (default false). */
  logger?: boolean;
}

/** An access token and the refresh token that mints more, for one app, business and marketplace. */
export interface Tokens {
  readonly businessId: string;
  readonly marketplace: string;
  readonly region: Region;
  readonly environment: 'production' | 'sandbox';
  readonly refreshToken: string;
  readonly accessToken: string;
  /** When the access token expires, by the platform's (virtual) clock. */
  readonly expiresAt: Date;
}

export interface AppHandle {
  readonly name: string;
  readonly id: string;
  readonly applicationId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly roles: readonly Role[];
  readonly type: 'production' | 'sandbox';
  /** Every token set minted at start: one per consented business and marketplace (sandbox apps: one per region). */
  readonly tokens: readonly Tokens[];
  /** The tokens of a marketplace (default: the first), of a business when the app is authorized by several. */
  token(marketplace?: string, businessId?: string): Tokens;
  /** The headers of an API call: `x-amz-access-token`, and `x-amz-user-email` when given. */
  headers(options?: { marketplace?: string; businessId?: string; userEmail?: string }): Record<string, string>;
}

export interface Bizapi {
  /** The server's origin (`http://127.0.0.1:<port>`): portal pages, admin API, `/healthz`. */
  readonly url: string;
  /** The production base URL of a region (NA by default), as a client's base URL. */
  baseUrl(region?: Region): string;
  /** The sandbox base URL of a region (NA by default). */
  sandboxBaseUrl(region?: Region): string;
  /** The token URL (`…/auth/o2/token`). */
  readonly tokenUrl: string;
  /** The apps by name (`demo` is the demo app). */
  readonly apps: Readonly<Record<string, AppHandle>>;
  /** The world's business users by email, with their passwords. */
  readonly users: Readonly<Record<string, { id: string; email: string; password: string; businessId: string; role: string }>>;
  /** The world's businesses by name. */
  readonly businesses: Readonly<Record<string, { id: string; name: string; marketplaces: string[] }>>;
  /** An operator API key for the admin API (`Authorization: Bearer …`), or null without the demo world. */
  readonly operatorKey: string | null;
  /** The platform's virtual clock. */
  readonly clock: {
    now(): Date;
    /** Moves the clock forward: milliseconds, or a duration such as `'90s'`, `'30m'`, `'2h'`, `'3d'`. */
    advance(by: number | string): Promise<Date>;
    set(to: Date | string | number): Promise<Date>;
    /** Back to the wall clock. */
    reset(): Promise<Date>;
  };
  /** Emulator fault rules (the admin API's `/faults`). */
  readonly faults: {
    add(rule: FaultInput): Promise<FaultView>;
    list(): Promise<FaultView[]>;
    remove(id: string): Promise<void>;
    clear(): Promise<void>;
  };
  /** The request log: API and token calls, newest first. */
  readonly requests: {
    list(filter?: RequestLogFilter): Promise<RequestLogEntry[]>;
    clear(): Promise<void>;
  };
  /** Back to the world as it was when this server started (tokens included), the clock back to the wall clock, no faults, no logged requests. */
  reset(): Promise<void>;
  /** The whole state as one JSON document (the same as `bizapi snapshot save`). */
  snapshot(): Promise<Snapshot>;
  /** Replaces the whole state with a snapshot's. */
  restore(snapshot: Snapshot): Promise<void>;
  /** Stops the server and removes its throwaway database. */
  stop(): Promise<void>;
  /** The server itself (services, Fastify instance), for what the handle does not cover. */
  readonly server: App;
}

const DURATION = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Milliseconds from a number of milliseconds or a duration such as `'90s'` or `'2h'`. */
export function durationMs(by: number | string): number {
  if (typeof by === 'number') {
    if (!Number.isFinite(by)) throw new TypeError(`not a duration: ${by}`);
    return by;
  }
  const m = DURATION.exec(by.trim());
  if (!m) throw new TypeError(`not a duration: "${by}" (milliseconds, or a number with ms, s, m, h or d)`);
  return Number(m[1]) * UNIT_MS[m[2]!]!;
}

function definitionOf(world: StartOptions['world']): WorldDefinition {
  if (world === undefined || world === 'demo') return {};
  return world instanceof WorldBuilder ? world.build() : world;
}

function configFor(dataDir: string, options: StartOptions) {
  return loadConfig({
    BIZAPI_MODE: 'local',
    LOG_LEVEL: options.logger ? 'info' : 'silent',
    EMULATOR: 'true',
    ...options.env,
    SEED_DEMO: 'false',
    DATA_DIR: dataDir,
    PORT: String(options.port ?? 0),
    HOST: options.host ?? '127.0.0.1',
    ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
  });
}

/** Builds the world into an app's empty database, and places its orders through the Ordering API. */
async function buildInto(app: App, def: WorldDefinition): Promise<BuiltWorld> {
  const built = await buildWorld(app, def);
  if (def.orders?.length) {
    const tokens = await mintTokens(app, built);
    for (const order of def.orders) await placeOrder(app, built, tokens, order);
  }
  return built;
}

/** Starts bizapi in this process: see docs/testing-your-integration.md. */
export async function startBizapi(options: StartOptions = {}): Promise<Bizapi> {
  const def = definitionOf(options.world);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bizapi-instance-'));
  let template: string | null = null;
  let built: BuiltWorld | null = null;
  try {
    if (!options.databaseUrl) {
      // SQLite: the world is built once per description (and day) into a template database, and
      // each start copies it. PostgreSQL: it is built into the given database at each start.
      template = await ensureTemplate(
        options.templateDir ?? defaultTemplateDir(),
        templateKey(def, Date.now()),
        async (work) => {
          const world = await withApp(work, { ...options, logger: false }, (a) => buildInto(a, def));
          fs.writeFileSync(path.join(work, WORLD_FILE), JSON.stringify(world));
        },
        [WORLD_FILE],
      );
      built = JSON.parse(fs.readFileSync(template + WORLD_FILE.slice(SQLITE_FILE.length), 'utf8')) as BuiltWorld;
    }
  } catch (err) {
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  const apps: Record<string, AppHandle> = {};
  const host = options.host ?? '127.0.0.1';
  let port = options.port ?? 0;
  let app!: App;
  /** Starts the server on the world as built, and mints every app's tokens (the handles are renewed). */
  const boot = async (): Promise<void> => {
    if (template) {
      for (const suffix of ['', '-wal', '-shm']) fs.rmSync(path.join(dataDir, SQLITE_FILE + suffix), { force: true });
      fs.copyFileSync(template, path.join(dataDir, SQLITE_FILE));
    }
    app = await buildApp(configFor(dataDir, options), { clock: new VirtualClock(), logger: options.logger ?? false });
    try {
      if (!template) {
        await app.emulator.world.reset(null);
        built = await buildInto(app, def);
      }
      await app.server.listen({ port, host });
      const address = app.server.server.address();
      if (typeof address === 'object' && address) port = address.port;
      const minted = await mintTokens(app, built!);
      for (const name of Object.keys(apps)) delete apps[name];
      for (const [name, a] of Object.entries(built!.apps)) apps[name] = appHandle(name, a, minted[name] ?? []);
    } catch (err) {
      await app.close();
      throw err;
    }
  };
  try {
    await boot();
  } catch (err) {
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  const controls = () => {
    const { clock, faults } = app.emulator;
    if (!clock || !faults) throw new Error('bizapi/testing: the emulator is off (EMULATOR=false in options.env)');
    return { clock, faults };
  };
  try {
    controls();
  } catch (err) {
    await app.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  const url = `http://${host}:${port}`;
  const actor = 'operator:testing';
  let stopped = false;
  return {
    url,
    baseUrl: (region = 'NA') => `${url}${regionPrefix(region)}`,
    sandboxBaseUrl: (region = 'NA') => `${url}/sandbox${regionPrefix(region)}`,
    tokenUrl: `${url}/auth/o2/token`,
    apps,
    get users() {
      return built!.users;
    },
    get businesses() {
      return built!.businesses;
    },
    operatorKey: def.demo === false ? null : DEMO.operatorKey,
    clock: {
      now: () => new Date(app.ctx.clock.now()),
      advance: async (by) => new Date((await controls().clock.advance(actor, durationMs(by))).epochMs),
      set: async (to) => new Date((await controls().clock.set(actor, new Date(to).getTime())).epochMs),
      reset: async () => new Date((await controls().clock.reset(actor)).epochMs),
    },
    faults: {
      add: (rule) => controls().faults.create(actor, rule),
      list: () => controls().faults.list(),
      remove: async (id) => {
        await controls().faults.remove(actor, id);
      },
      clear: async () => {
        await controls().faults.remove(actor, null);
      },
    },
    requests: {
      list: (filter = {}) => app.emulator.requestLog.list(filter),
      clear: () => app.emulator.requestLog.clear(),
    },
    reset: async () => {
      // A new start on the same port from the built world: every change is gone, and tokens are new.
      await app.close();
      await boot();
    },
    snapshot: () => app.emulator.world.save(),
    restore: async (snapshot) => {
      await app.emulator.world.load(snapshot);
    },
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await app.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
    get server() {
      return app;
    },
  };
}

const WORLD_FILE = `${SQLITE_FILE}.world.json`;

/** Runs `fn` on a server built on a data folder (no HTTP listener), then closes it. */
async function withApp<T>(dataDir: string, options: StartOptions, fn: (app: App) => Promise<T>): Promise<T> {
  const app = await buildApp(configFor(dataDir, options), { logger: false, deliverNotices: false });
  try {
    return await fn(app);
  } finally {
    await app.close();
  }
}

const regionPrefix = (region: Region): string => ({ NA: '/na', EU: '/eu', FE: '/jp' })[region];

type Minted = Record<string, Tokens[]>;

/** Consents (and sandbox tokens) for every app of the world, minted by this server's clock. */
async function mintTokens(app: App, built: BuiltWorld): Promise<Minted> {
  const { oauth } = app.services;
  const out: Minted = {};
  for (const c of built.consents) {
    const a = built.apps[c.app]!;
    const t = await oauth.authorizeOnBehalf({ applicationId: a.applicationId, adminEmail: c.admin, marketplace: c.marketplace });
    (out[c.app] ??= []).push({
      businessId: c.businessId,
      marketplace: t.marketplace,
      region: t.region,
      environment: 'production',
      refreshToken: t.refresh_token,
      accessToken: t.access_token,
      expiresAt: new Date(app.ctx.clock.now() + t.expires_in * 1000),
    });
  }
  for (const [name, a] of Object.entries(built.apps)) {
    if (a.type !== 'sandbox') continue;
    for (const region of ['NA', 'EU', 'FE'] as const) {
      const { refreshToken, marketplace } = await oauth.createSandboxToken(WORLD_DEVELOPER.id, a.id, region);
      const t = await oauth.refresh({ clientId: a.clientId, clientSecret: a.clientSecret, refreshToken });
      (out[name] ??= []).push({
        businessId: '',
        marketplace,
        region,
        environment: 'sandbox',
        refreshToken,
        accessToken: t.access_token,
        expiresAt: new Date(app.ctx.clock.now() + t.expires_in * 1000),
      });
    }
  }
  return out;
}

function appHandle(name: string, a: BuiltWorld['apps'][string], tokens: Tokens[]): AppHandle {
  const token = (marketplace?: string, businessId?: string): Tokens => {
    const found = tokens.find((t) => (!marketplace || t.marketplace === marketplace) && (!businessId || t.businessId === businessId));
    if (!found)
      throw new Error(
        `bizapi/testing: app "${name}" has no tokens${marketplace ? ` for ${marketplace}` : ''}${businessId ? ` of ${businessId}` : ''} (it has: ${tokens.map((t) => `${t.businessId || 'sandbox'}/${t.marketplace}`).join(', ') || 'none'})`,
      );
    return found;
  };
  return {
    name,
    ...a,
    tokens,
    token,
    headers: (o = {}) => ({
      'x-amz-access-token': token(o.marketplace, o.businessId).accessToken,
      ...(o.userEmail ? { 'x-amz-user-email': o.userEmail } : {}),
    }),
  };
}

/** Places one order of the world definition through the Ordering API (in process). */
async function placeOrder(app: App, built: BuiltWorld, minted: Minted, order: OrderDefinition): Promise<void> {
  const business = Object.values(built.businesses).find((b) => b.id === order.business || b.name === order.business);
  if (!business) throw new Error(`bizapi/testing: order ${order.externalId}: no business "${order.business}"`);
  const marketplace = order.marketplace ?? business.marketplaces[0]!;
  const t = (minted[order.app] ?? []).find((x) => x.businessId === business.id && x.marketplace === marketplace);
  if (!t)
    throw new Error(
      `bizapi/testing: order ${order.externalId}: app "${order.app}" is not authorized by ${business.name} in ${marketplace}`,
    );
  const region = marketplaceByCode(marketplace)!.region;
  const attributes: unknown[] = [
    { attributeType: 'Region', region: marketplace },
    { attributeType: 'BuyerReference', userReference: { userReferenceType: 'UserEmail', emailAddress: order.buyer } },
  ];
  if (order.shipTo) attributes.push({ attributeType: 'ShippingAddress', address: { addressType: 'PhysicalAddress', ...order.shipTo } });
  if (order.group)
    attributes.push({
      attributeType: 'BuyingGroupReference',
      groupReference: { groupReferenceType: 'GroupIdentity', identifier: order.group },
    });
  const res = await app.server.inject({
    method: 'POST',
    url: `${regionPrefix(region)}/ordering/2022-10-30/orders`,
    headers: { 'content-type': 'application/json', 'x-amz-access-token': t.accessToken, 'x-amz-user-email': order.buyer },
    payload: JSON.stringify({
      externalId: order.externalId,
      lineItems: order.items.map((item, i) => ({
        externalId: String(i + 1),
        quantity: item.quantity,
        attributes: [
          { attributeType: 'SelectedProductReference', productReference: { productReferenceType: 'ProductIdentifier', id: item.asin } },
        ],
        expectations: [],
      })),
      attributes,
      expectations: [],
    }),
  });
  if (res.statusCode !== 200) throw new Error(`bizapi/testing: order ${order.externalId} was refused (${res.statusCode}): ${res.body}`);
}

export { DEMO as DEMO_WORLD } from '../modules/demo/index.ts';

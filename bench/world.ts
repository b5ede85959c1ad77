import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import autocannon, { type Options, type Result } from 'autocannon';
import { openContext } from '../src/app.ts';
import { loadConfig } from '../src/config/config.ts';
import { OPERATIONS } from '../src/modules/registry/index.ts';
import { ROLES } from '../src/kernel/reference.ts';
import { loadSampleCatalog } from '../src/modules/catalog/index.ts';
import { generateHistory } from '../src/modules/demo/index.ts';
import { freePort, type ServerProcess } from '../test/support/server-process.ts';

/** What the benchmarks call with: tokens, the client credentials, a buyer, and the base URL. */
export interface BenchWorld {
  server: ServerProcess;
  dataDir: string;
  /** The server's stdout and stderr (its JSON log lines), a file in the data directory. */
  logFile: string;
  accessToken: string;
  refreshToken: string;
  clientId: string;
  clientSecret: string;
  buyerEmail: string;
  /** The generated order history, when one was asked for: how many orders and how fast. */
  history: { placed: number; seconds: number } | null;
  close(): Promise<void>;
}

export const ADMIN_KEY = 'bza_bench_operator_key_for_local_use_only';

/**
 * The benchmark's database: DATABASE_URL when set (PostgreSQL), else SQLite in a temp directory.
 * Logging stays at its default level (LOG_LEVEL unset: `info`) unless BENCH_LOG_LEVEL names one,
 * and LOG_REQUESTS is passed on when set, so the figures are those of a server as it ships.
 */
function benchEnv(dataDir: string, emulator: boolean): Record<string, string> {
  return {
    BIZAPI_MODE: 'production',
    EMULATOR: emulator ? 'true' : 'false',
    DATA_DIR: dataDir,
    DATABASE_URL: process.env.DATABASE_URL ?? '',
    REDIS_URL: process.env.REDIS_URL ?? '',
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? '',
    LOG_REQUESTS: process.env.LOG_REQUESTS ?? '',
    ADMIN_API_KEY: ADMIN_KEY,
    SEED_DEMO: 'false',
  };
}

/**
 * Builds a world through the services (a business with a buyer, an approved developer, a published
 * app authorized by the business, usage plans raised to `rate`/`burst` for every operation, the
 * sample catalog), then starts the real server (`bin/bizapi.mjs start`) on it, on 127.0.0.1 only.
 */
export async function benchWorld(plan: {
  rate: number;
  burst: number;
  overrides?: Record<string, { rate: number; burst: number }>;
  /** Buyers besides bench-buyer@t.test: bench-buyer-<i>@t.test, in the same group (the Cart benchmark gives each a cart). */
  extraBuyers?: number;
  /** An order history of this many orders over 120 days (the Reporting benchmark), generated through the services. */
  historyOrders?: number;
  /** Emulator mode on (fault rules, the virtual clock), as in local mode; off by default (production mode). */
  emulator?: boolean;
}): Promise<BenchWorld> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bizapi-bench-'));
  const env = benchEnv(dataDir, plan.emulator ?? false);
  const config = loadConfig({ ...env, LOG_LEVEL: 'silent' });
  const { ctx, services: s } = await openContext(config);
  const business = await s.accounts.createBusiness('bench', { name: 'Bench Biz', marketplaces: ['US'], legalEntities: ['LE'] });
  const [le] = await s.accounts.listLegalEntities(business.id);
  // The group can order (stored payment method, default address) for the Ordering benchmark.
  const group = await s.accounts.addGroup('bench', business.id, {
    name: 'G',
    groupTag: 'bench',
    paymentMethod: 'Visa ending in 4242',
    shippingAddress: {
      fullName: 'Bench',
      addressLine1: '1 Main St',
      city: 'Seattle',
      stateOrRegion: 'WA',
      postalCode: '98109',
      countryCode: 'US',
    },
  });
  const admin = await s.accounts.addUser('bench', business.id, {
    email: 'bench-admin@t.test',
    name: 'A',
    role: 'Administrator',
    password: 'bench-admin-password',
    adminOfLegalEntityIds: [le!.id],
    groupIds: [group.id],
  });
  await s.accounts.addUser('bench', business.id, { email: 'bench-buyer@t.test', name: 'B', role: 'Requisitioner', groupIds: [group.id] });
  for (let i = 0; i < (plan.extraBuyers ?? 0); i++)
    await s.accounts.addUser('bench', business.id, {
      email: `bench-buyer-${i}@t.test`,
      name: `B${i}`,
      role: 'Requisitioner',
      groupIds: [group.id],
    });
  const dev = await s.developers.register({
    email: 'bench-dev@t.test',
    name: 'Dev',
    password: 'developer-password',
    businessId: business.id,
  });
  await s.developers.updateProfile(dev.id, {
    organization: 'Bench',
    contactEmail: dev.email,
    useCase: 'bench',
    requestedRoles: [...ROLES],
  });
  await s.developers.submitProfile(dev.id);
  for (const r of await s.reviews.list({ developerId: dev.id, status: 'pending' }))
    await s.reviews.decide('operator:bench', r.id, true, null);
  const { app, clientSecret } = await s.apps.create(dev.id, {
    name: 'Bench app',
    type: 'production',
    visibility: 'private',
    roles: [...ROLES],
    redirectUris: ['https://client.example.com/cb'],
  });
  for (const op of OPERATIONS) {
    const p = plan.overrides?.[op.operationId] ?? plan;
    await s.reviews.setUsagePlan('operator:bench', app.id, op.operationId, p.rate, p.burst);
  }
  const tokens = await s.oauth.authorizeOnBehalf({ applicationId: app.applicationId, adminEmail: admin.email, marketplace: 'US' });
  // Product Search answers from the shipped sample catalog (3,307 products, 10,496 offers).
  await loadSampleCatalog(ctx.db, { clock: ctx.clock });
  let history: BenchWorld['history'] = null;
  if (plan.historyOrders) {
    let last = 0;
    const h = await generateHistory(ctx, s, {
      orders: plan.historyOrders,
      days: 120,
      seed: 'bench',
      businessId: business.id,
      onProgress: (done, total) => {
        if (Date.now() - last < 5000 && done < total) return;
        last = Date.now();
        console.log(`history: ${done}/${total} orders`);
      },
    });
    history = { placed: h.placed, seconds: h.seconds };
  }
  await ctx.db.destroy();
  const logFile = path.join(dataDir, 'server.log');
  const server = await startBenchServer(env, logFile, 60_000).catch((err: unknown) => {
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw err;
  });
  return {
    server,
    dataDir,
    logFile,
    accessToken: tokens.access_token,
    refreshToken: tokens.refresh_token,
    clientId: app.clientId,
    clientSecret,
    buyerEmail: 'bench-buyer@t.test',
    history,
    close: async () => {
      await server.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

const ROOT = path.dirname(import.meta.dirname);

/**
 * Starts the real server (`node bin/bizapi.mjs start`) on a free port of 127.0.0.1 and waits until
 * `/healthz` answers. Its stdout and stderr go to `logFile`, as a deployed server's go to a file or
 * a collector: the benchmark process (which also runs the load generator) never reads them.
 * SERVER_NODE_ARGS adds node flags to the server process (profiling: `--cpu-prof`).
 */
async function startBenchServer(env: Record<string, string>, logFile: string, timeoutMs: number): Promise<ServerProcess> {
  const port = await freePort();
  const nodeArgs = (process.env.SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const fd = fs.openSync(logFile, 'a');
  const child = spawn(process.execPath, [...nodeArgs, path.join(ROOT, 'bin', 'bizapi.mjs'), 'start'], {
    cwd: ROOT,
    env: { ...process.env, HOST: '127.0.0.1', ...env, PORT: String(port) },
    stdio: ['ignore', fd, fd],
  });
  fs.closeSync(fd);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const output = () => fs.readFileSync(logFile, 'utf8');
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}:\n${output()}`);
    try {
      if ((await fetch(`${baseUrl}/healthz`)).ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      await exited;
      throw new Error(`the server did not start within ${timeoutMs} ms:\n${output()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    baseUrl,
    child,
    output,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

/**
 * Starts the bare Fastify hello-world baseline in its own process, like the server under test; with
 * `answersFile` (bench/hello-server.ts) it also serves those stored answers by path.
 */
export async function startHello(answersFile?: string): Promise<{ url: string; stop(): Promise<void> }> {
  const port = await freePort();
  const args = [path.join(import.meta.dirname, 'hello-server.ts'), String(port), ...(answersFile ? [answersFile] : [])];
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => d.toString().includes('listening') && resolve());
    child.once('exit', (code) => reject(new Error(`hello-world exited with ${code}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Resident memory of a process in MiB (Linux /proc), or NaN where unavailable. */
export function rssMiB(pid: number | undefined): number {
  if (!pid) return Number.NaN;
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** One autocannon run, with the kinds of connection errors it met (ECONNRESET, ECONNREFUSED, …). */
export function measure(options: Options): Promise<Result & { errorKinds: Record<string, number> }> {
  return new Promise((resolve, reject) => {
    const errorKinds: Record<string, number> = {};
    const instance = autocannon(options, (error, result) => (error ? reject(error) : resolve({ ...result, errorKinds })));
    instance.on('reqError', (e) => {
      const kind = e.code ?? e.message;
      errorKinds[kind] = (errorKinds[kind] ?? 0) + 1;
    });
  });
}

/** One autocannon result on one line: throughput, latency, errors, status codes. */
export function resultLine(name: string, r: Result & { errorKinds: Record<string, number> }): string {
  const codes = Object.entries(r.statusCodeStats)
    .map(([code, s]) => `${code}×${s.count}`)
    .join(' ');
  const kinds = Object.keys(r.errorKinds).length ? ` ${JSON.stringify(r.errorKinds)}` : '';
  return `${name.padEnd(34)} ${r.requests.average.toFixed(0).padStart(7)} req/s   p50 ${String(r.latency.p50).padStart(4)} ms   p99 ${String(r.latency.p99).padStart(4)} ms   errors ${r.errors}${kinds}  timeouts ${r.timeouts}  [${codes}]`;
}

/** The database the benchmark runs on, from DATABASE_URL and REDIS_URL. */
/** Throughput of one measurement relative to another of the same run. */
export const ratio = (r: Result, to: Result): number => r.requests.average / to.requests.average;

export const databaseName = (): string => `${process.env.DATABASE_URL ? 'PostgreSQL' : 'SQLite'}${process.env.REDIS_URL ? ' + Redis' : ''}`;

/** The machine the figures come from. */
export function machine(): string {
  const mem = `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`;
  return `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${mem} RAM, node ${process.version}, ${os.platform()} ${os.release()}`;
}

/** An ASIN to call productsRequest with: the first one a keyword search finds, when Product Search is built. */
export async function someAsin(w: BenchWorld): Promise<{ asin: string; searchStatus: number }> {
  const res = await fetch(`${w.server.baseUrl}/na/products/2020-08-26/products?productRegion=US&locale=en_US&keywords=phone`, {
    headers: { 'x-amz-access-token': w.accessToken, 'x-amz-user-email': w.buyerEmail },
  });
  const body = (await res.json()) as { products?: { asin: string }[] };
  return { asin: body.products?.[0]?.asin ?? 'B07ZPKBL9V', searchStatus: res.status };
}

import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/bizapi.mjs', import.meta.url));
const ROOT = path.dirname(path.dirname(BIN));

/** A free TCP port on 127.0.0.1 (asked of the OS, then released for the child to take). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface ServerProcess {
  readonly baseUrl: string;
  readonly child: ChildProcess;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** Sends a signal and waits for the process to exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Starts the real server (`node bin/bizapi.mjs start`) on a free port of 127.0.0.1 with the given
 * environment (on top of this process's, so DB/REDIS settings carry over unless overridden), and
 * waits until /healthz answers.
 */
export async function startServer(env: Record<string, string | undefined>, timeoutMs = 30_000): Promise<ServerProcess> {
  const port = await freePort();
  // SERVER_NODE_ARGS: extra node flags for the server process (profiling: `--cpu-prof`).
  const nodeArgs = (process.env.SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, BIN, 'start'], {
    cwd: ROOT,
    env: { ...process.env, BIZAPI_MODE: 'local', SEED_DEMO: 'false', HOST: '127.0.0.1', ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString('utf8')));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString('utf8')));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}:\n${out}`);
    try {
      const res = await fetch(`${baseUrl}/healthz`);
      if (res.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the server did not start within ${timeoutMs} ms:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    baseUrl,
    child,
    output: () => out,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

/** A JSON answer of a server process: its status and its parsed body ({} when empty). */
export interface JsonAnswer {
  status: number;
  body: Record<string, unknown>;
}

/**
 * JSON calls to a server process and to its admin API (bearer key), at the base URL `baseUrl()`
 * gives at each call, so they follow the process across restarts.
 */
export function jsonCalls(baseUrl: () => string, adminKey: string) {
  const call = async (method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<JsonAnswer> => {
    const res = await fetch(`${baseUrl()}${url}`, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
  };
  const admin = (method: string, url: string, body?: unknown): Promise<JsonAnswer> =>
    call(method, `/admin/v1${url}`, body, { authorization: `Bearer ${adminKey}` });
  return { call, admin };
}

import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Config } from '../../src/config/config.ts';

const run = promisify(execFile);
const BIN = fileURLToPath(new URL('../../bin/bizapi.mjs', import.meta.url));

/** Runs the `bizapi` CLI on a database, as an operator would on the server's machine. */
export async function cli(
  db: Pick<Config, 'dataDir' | 'databaseUrl'>,
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const base: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/tmp',
    BIZAPI_MODE: 'local',
    SEED_DEMO: 'false',
    LOG_LEVEL: 'silent',
    DATA_DIR: db.dataDir,
    ...(db.databaseUrl ? { DATABASE_URL: db.databaseUrl } : {}),
  };
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { env: { ...base, ...env }, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

/** Waits until a condition holds (events crossing Redis take a moment); fails after a timeout. */
export async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The Redis the suite uses for cross-process tests (CI starts one; it is never skipped). */
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

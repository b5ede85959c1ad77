// Stoplight Prism, the reference peer of bench/gateway.ts: what integrators run today instead of an
// emulator (`prism mock <model>`, schema placeholders, no state). It is installed in this folder on
// first use (`npm ci --prefix bench/prism`, the version pinned in package.json and its lock file),
// never as a dependency of the project, and listens on 127.0.0.1 only.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { freePort } from '../../test/support/server-process.ts';

const HERE = import.meta.dirname;
const BIN = path.join(HERE, 'node_modules', '.bin', 'prism');

/** The published Product Search model: $API_MODELS_DIR/product-search, default ../shared/api-models beside the clone. */
export function productSearchModel(): string {
  const dir = process.env.API_MODELS_DIR ?? path.resolve(HERE, '..', '..', '..', 'shared', 'api-models');
  const file = path.join(dir, 'product-search', 'ProductSearch_API.json');
  if (!fs.existsSync(file)) throw new Error(`The Product Search model is not at ${file}: set API_MODELS_DIR to the api-models folder.`);
  return file;
}

/** Installs Prism in bench/prism when it is not there yet (from the lock file). */
function ensureInstalled(): void {
  if (fs.existsSync(BIN)) return;
  console.log('installing Stoplight Prism in bench/prism (npm ci, first use only)');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['ci', '--prefix', HERE, '--no-audit', '--no-fund', '--ignore-scripts'], { stdio: 'inherit' });
  if (r.status !== 0 || !fs.existsSync(BIN)) throw new Error(`npm ci --prefix ${HERE} failed (${r.status ?? r.signal})`);
}

/** The installed Prism version (bench/prism's lock file pins it). */
export function prismVersion(): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(HERE, 'node_modules', '@stoplight', 'prism-cli', 'package.json'), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

/**
 * Starts `prism mock` on the Product Search model on a free port of 127.0.0.1, its own log silenced
 * (its best case: at its default level it prints several lines per request), and waits until it answers.
 */
export async function startPrism(timeoutMs = 60_000): Promise<{ url: string; version: string; stop(): Promise<void> }> {
  ensureInstalled();
  const model = productSearchModel();
  const port = await freePort();
  const child = spawn(BIN, ['mock', '-h', '127.0.0.1', '-p', String(port), '-v', 'silent', model], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err += d.toString('utf8')));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`prism exited with ${child.exitCode}: ${err}`);
    try {
      await fetch(`${url}/products/2020-08-26/products?productRegion=US&locale=en_US&keywords=x`);
      break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`prism did not start within ${timeoutMs} ms: ${err}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url, version: prismVersion(), stop };
}

/**
 * The path Prism is sent for one of ours: the same operation and query, without the `/na` base
 * path (the model declares none) and without `facets`, which Prism 5 refuses with a 400 whatever its
 * value (its validator reads the csv array as one enum value), so that it answers its 200 placeholder.
 */
export function prismPath(ours: string): string {
  const url = new URL(ours.replace(/^\/na(?=\/)/, ''), 'http://x');
  url.searchParams.delete('facets');
  return `${url.pathname}${url.search}`;
}

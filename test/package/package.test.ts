import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

// The package as a user gets it: `npm pack`, then `npm install <tarball>` into an empty folder,
// then the installed `bizapi` command and `bizapi/testing`, with nothing of this checkout on the
// way (no tsx, no sources: only what the tarball holds and its dependencies from the registry).
// The examples of docs/testing-your-integration.md are taken from the installed package's docs and
// run there with the test runner each is written for.

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  version: string;
  devDependencies: Record<string, string>;
};
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bizapi-package-'));
const consumer = path.join(work, 'consumer');
const bin = path.join(consumer, 'node_modules', '.bin', 'bizapi');
// The consumer's own environment: none of this suite's settings (DATABASE_URL, NODE_ENV, …).
const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? work, TMPDIR: os.tmpdir() };
const children: ChildProcess[] = [];

after(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  fs.rmSync(work, { recursive: true, force: true });
});

before(async () => {
  const packed = await run('npm', ['pack', '--json', '--pack-destination', work], {
    cwd: ROOT,
    env: { ...process.env },
    maxBuffer: 64 * 1024 * 1024,
  });
  const [{ filename, files }] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('['))) as [
    { filename: string; files: { path: string }[] },
  ];
  const shipped = files.map((f) => f.path);
  // What the package must hold, and what it must not.
  for (const needed of [
    'bin/bizapi.mjs',
    'dist/src/cli/entry.js',
    'dist/src/testing/index.js',
    'dist/src/testing/index.d.ts',
    'dist/migrations/index.js',
    'dist/src/platform/db/checkpointer.worker.mjs',
    'catalog/sample-catalog.jsonl',
    'docs/testing-your-integration.md',
    'CHANGELOG.md',
  ])
    assert.ok(shipped.includes(needed), `the package holds ${needed}`);
  assert.ok(!shipped.some((f) => f.startsWith('src/') || f.startsWith('test/')), 'no TypeScript sources or tests in the package');
  fs.mkdirSync(consumer);
  fs.writeFileSync(path.join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  // The test runners of the examples, at the versions this project tests with.
  // TypeScript and node's types, to type-check the TypeScript example against the installed declarations.
  const runners = ['vitest', 'jest', 'typescript', '@types/node'].map((r) => `${r}@${pkg.devDependencies[r]}`);
  await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', path.join(work, filename), ...runners], {
    cwd: consumer,
    env: { ...env, npm_config_cache: process.env.npm_config_cache ?? path.join(os.homedir(), '.npm') },
    maxBuffer: 64 * 1024 * 1024,
  });
});

test('the installed command answers --help and --version without the sources', async () => {
  assert.ok(!fs.existsSync(path.join(consumer, 'node_modules', 'tsx')), 'tsx is not a runtime dependency');
  const help = await run(bin, ['--help'], { cwd: consumer, env });
  assert.match(help.stdout, /Usage: bizapi <command>/);
  const version = JSON.parse((await run(bin, ['--version', '--json'], { cwd: consumer, env })).stdout) as {
    version: string;
    apis: { slug: string }[];
    checkedAgainst: unknown[];
  };
  assert.equal(version.version, pkg.version);
  assert.equal(version.apis.length, 10);
  assert.equal(version.checkedAgainst.length, 10);
});

test('npx bizapi start serves the demo world: /healthz, a token and a Product Search call', async () => {
  const dataDir = path.join(work, 'data');
  const server = spawn(bin, ['start'], {
    cwd: consumer,
    env: { ...env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
  });
  children.push(server);
  let output = '';
  const base = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "listening" line in 120 s:\n${output}`)), 120_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const m = /listening on (http:\/\/\S+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    server.stdout.on('data', onData);
    server.stderr.on('data', onData);
    server.once('exit', (code) => reject(new Error(`the server exited (${code}):\n${output}`)));
  });
  const health = (await (await fetch(`${base}/healthz`)).json()) as { status: string; version: string };
  assert.deepEqual([health.status, health.version], ['ok', pkg.version]);

  const cli = async (...args: string[]) =>
    JSON.parse((await run(bin, [...args, '--json'], { cwd: consumer, env: { ...env, DATA_DIR: dataDir } })).stdout);
  const demo = (await cli('demo')) as { app: { applicationId: string; clientId: string; clientSecret: string }; admin: { email: string } };
  const consent = (await cli(
    'authorize',
    '--application-id',
    demo.app.applicationId,
    '--admin',
    demo.admin.email,
    '--marketplace',
    'US',
  )) as {
    refresh_token: string;
  };
  const token = await fetch(`${base}/auth/o2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: consent.refresh_token,
      client_id: demo.app.clientId,
      client_secret: demo.app.clientSecret,
    }),
  });
  assert.equal(token.status, 200);
  const { access_token } = (await token.json()) as { access_token: string };
  const search = await fetch(`${base}/na/products/2020-08-26/products?productRegion=US&locale=en_US&keywords=galaxy`, {
    headers: { 'x-amz-access-token': access_token, 'x-amz-user-email': 'buyer@demo-industries.test' },
  });
  assert.equal(search.status, 200);
  assert.ok(((await search.json()) as { matchingProductCount: number }).matchingProductCount > 0);
  server.kill('SIGTERM');
  await new Promise((resolve) => (server.exitCode === null ? server.once('exit', resolve) : resolve(null)));
});

/** The examples of docs/testing-your-integration.md, as installed: `<!-- example: <file> -->` then a code block. */
function writeExamples(): string[] {
  const doc = fs.readFileSync(path.join(consumer, 'node_modules', 'bizapi', 'docs', 'testing-your-integration.md'), 'utf8');
  const written: string[] = [];
  for (const m of doc.matchAll(/<!-- example: (\S+) -->\n```\w*\n([\s\S]*?)\n```/g)) {
    const file = path.join(consumer, m[1]!);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `${m[2]!}\n`);
    written.push(m[1]!);
  }
  return written;
}

test('the documented examples pass with node --test, Vitest and Jest against the installed package', async () => {
  const examples = writeExamples();
  assert.deepEqual(examples.sort(), ['jest/orders.test.mjs', 'node-test/search.test.mjs', 'vitest/world.test.ts']);
  const options = { cwd: consumer, env, maxBuffer: 16 * 1024 * 1024 };
  const report = async (label: string, p: Promise<{ stdout: string; stderr: string }>) => {
    try {
      return await p;
    } catch (err) {
      const e = err as { stdout?: string; stderr?: string; message: string };
      assert.fail(`${label} failed: ${e.message}\n${e.stdout ?? ''}\n${e.stderr ?? ''}`);
    }
  };
  // The TypeScript example type-checks against the installed declarations, theirs included (no skipLibCheck).
  fs.writeFileSync(
    path.join(consumer, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        noEmit: true,
        skipLibCheck: false,
        types: ['node'],
      },
      include: ['vitest/*.ts'],
    }),
  );
  await report('tsc', run(process.execPath, [path.join(consumer, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.'], options));
  const node = await report('node --test', run(process.execPath, ['--test', 'node-test/search.test.mjs'], options));
  assert.match(node.stdout, /# pass 2/);
  const vitest = await report('vitest', run(path.join(consumer, 'node_modules', '.bin', 'vitest'), ['run', 'vitest/'], options));
  assert.match(vitest.stdout + vitest.stderr, /1 passed/);
  const jest = await report(
    'jest',
    run(path.join(consumer, 'node_modules', '.bin', 'jest'), ['jest/'], {
      ...options,
      env: { ...env, NODE_OPTIONS: '--experimental-vm-modules' },
    }),
  );
  assert.match(jest.stdout + jest.stderr, /Tests:\s+1 passed/);
});

// Startup benchmark of the installable package: how fast `bizapi --help` answers, and how fast
// `startBizapi()` (bizapi/testing) has the demo world with the sample catalog ready, from the
// compiled build as a user installs it. Compared in the same run with a bare `node` start.
//
//   npm run build && node --import tsx bench/startup.ts
//
// BENCH_RUNS (default 7) processes per measurement; figures are medians. Everything runs locally.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { machine } from './world.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const entry = path.join(ROOT, 'dist', 'src', 'cli', 'entry.js');
const testing = path.join(ROOT, 'dist', 'src', 'testing', 'index.js');
if (!fs.existsSync(entry) || !fs.existsSync(testing)) {
  console.error('bench/startup: run `npm run build` first (the benchmark measures the compiled package)');
  process.exit(2);
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (n: number): string => `${n.toFixed(0)} ms`;

/** Wall time of a process, in milliseconds. */
function timeProcess(args: string[], env: NodeJS.ProcessEnv = process.env): number {
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited with ${r.status}`);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/** One process that imports bizapi/testing, starts the demo world twice, and reports its times as JSON. */
const probe = `
const t0 = performance.now();
const { startBizapi } = await import(${JSON.stringify(testing)});
const imported = performance.now();
const a = await startBizapi({ templateDir: process.env.TEMPLATE_DIR });
const started = performance.now();
const res = await fetch(a.baseUrl() + '/products/2020-08-26/products?productRegion=US&locale=en_US&keywords=galaxy', { headers: a.apps.demo.headers({ userEmail: 'buyer@demo-industries.test' }) });
if (res.status !== 200) throw new Error('search answered ' + res.status);
const s = performance.now();
const b = await startBizapi({ templateDir: process.env.TEMPLATE_DIR });
const second = performance.now() - s;
const r = performance.now();
await a.reset();
const reset = performance.now() - r;
await a.stop(); await b.stop();
console.log(JSON.stringify({ importMs: imported - t0, startMs: started - imported, secondStartMs: second, resetMs: reset }));
`;

function runProbe(templateDir: string): { importMs: number; startMs: number; secondStartMs: number; resetMs: number; processMs: number } {
  const started = process.hrtime.bigint();
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', probe], {
    env: { ...process.env, TEMPLATE_DIR: templateDir, NODE_ENV: 'production' },
    encoding: 'utf8',
  });
  const processMs = Number(process.hrtime.bigint() - started) / 1e6;
  return {
    ...(JSON.parse(out.trim().split('\n').at(-1)!) as { importMs: number; startMs: number; secondStartMs: number; resetMs: number }),
    processMs,
  };
}

console.log(`machine: ${machine()}`);
console.log(`date: ${new Date().toISOString()}   runs: ${RUNS} per measurement (medians)\n`);

const bare = median(Array.from({ length: RUNS }, () => timeProcess(['-e', '0'])));
const helpBuilt = median(Array.from({ length: RUNS }, () => timeProcess([entry, '--help'])));
const helpSources = median(Array.from({ length: RUNS }, () => timeProcess([path.join(ROOT, 'bin', 'bizapi.mjs'), '--help'])));
console.log('bizapi --help (process wall time)');
console.log(`  bare node -e 0                 ${ms(bare)}`);
console.log(`  compiled (as installed)        ${ms(helpBuilt)}   ${(helpBuilt / bare).toFixed(1)}x bare node`);
console.log(`  sources through tsx (checkout) ${ms(helpSources)}\n`);

const templateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bizapi-bench-templates-'));
try {
  const cold = runProbe(templateDir);
  const warm = Array.from({ length: RUNS }, () => runProbe(templateDir));
  const pick = (k: keyof (typeof warm)[number]) => median(warm.map((w) => w[k]));
  console.log('startBizapi() with the demo world and the sample catalog (compiled build)');
  console.log(`  first start ever (builds the template)      ${ms(cold.startMs)}`);
  console.log(`  import of bizapi/testing                    ${ms(pick('importMs'))}`);
  console.log(`  startBizapi(), template present             ${ms(pick('startMs'))}   <- target: under 1 s`);
  console.log(`  a second startBizapi() in the same process  ${ms(pick('secondStartMs'))}`);
  console.log(`  reset()                                     ${ms(pick('resetMs'))}`);
  console.log(`  whole process (import, 2 starts, a search, reset, stops)  ${ms(pick('processMs'))}`);
} finally {
  fs.rmSync(templateDir, { recursive: true, force: true });
}

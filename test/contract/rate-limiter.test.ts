import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { MemoryRateLimiter } from '../../src/platform/rate-limit/memory.ts';
import { RedisRateLimiter } from '../../src/platform/rate-limit/redis.ts';
import type { RateLimiter } from '../../src/platform/rate-limit/limiter.ts';

// Redis must be reachable for this suite (CI starts it); it is never skipped.
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const key = () => `test-${process.pid}-${Math.random().toString(36).slice(2)}`;

const adapters: [string, () => RateLimiter][] = [
  ['memory', () => new MemoryRateLimiter()],
  ['redis', () => new RedisRateLimiter(REDIS_URL, 'bizapi:test:rl:')],
];

for (const [name, make] of adapters) {
  describe(`rate limiter contract: ${name}`, () => {
    const limiter = make();
    after(() => limiter.close());

    test('admits the burst, then refuses with a retry time', async () => {
      const k = key();
      const now = 1_000_000;
      const out = [];
      for (let i = 0; i < 11; i++) out.push(await limiter.consume(k, 0.5, 10, now));
      assert.deepEqual(
        out.map((d) => d.allowed),
        [...Array(10).fill(true), false],
      );
      assert.equal(out[10]!.retryAfterMs, 2000);
    });

    test('refills at the rate, never above the burst', async () => {
      const k = key();
      let now = 5_000_000;
      for (let i = 0; i < 2; i++) assert.ok((await limiter.consume(k, 1, 2, now)).allowed);
      assert.equal((await limiter.consume(k, 1, 2, now)).allowed, false);
      now += 1000;
      assert.ok((await limiter.consume(k, 1, 2, now)).allowed);
      assert.equal((await limiter.consume(k, 1, 2, now)).allowed, false);
      now += 60_000;
      assert.ok((await limiter.consume(k, 1, 2, now)).allowed);
      assert.ok((await limiter.consume(k, 1, 2, now)).allowed);
      assert.equal((await limiter.consume(k, 1, 2, now)).allowed, false);
    });

    test('keys are independent', async () => {
      const a = key();
      const b = key();
      assert.ok((await limiter.consume(a, 1, 1, 0)).allowed);
      assert.equal((await limiter.consume(a, 1, 1, 0)).allowed, false);
      assert.ok((await limiter.consume(b, 1, 1, 0)).allowed);
    });

    test('concurrent calls never exceed the burst', async () => {
      const k = key();
      const results = await Promise.all(Array.from({ length: 50 }, () => limiter.consume(k, 0.001, 10, 42)));
      assert.equal(results.filter((r) => r.allowed).length, 10);
    });
  });
}

test('two processes sharing Redis admit exactly the burst of 10 between them', async () => {
  const k = key();
  const worker = fileURLToPath(new URL('./rate-limiter.worker.ts', import.meta.url));
  const run = () =>
    new Promise<number>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', worker, REDIS_URL, k, '10'], { stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      child.stdout.on('data', (d) => (out += String(d)));
      child.on('error', reject);
      child.on('exit', (code) => (code === 0 ? resolve(Number(out.trim())) : reject(new Error(`worker exited ${code}`))));
    });
  const [a, b] = await Promise.all([run(), run()]);
  assert.equal(a + b, 10, `admitted ${a} + ${b}`);
});

// Child process of rate-limiter.test.ts: takes tokens from one Redis bucket and prints how many it got.
import { RedisRateLimiter } from '../../src/platform/rate-limit/redis.ts';

const [url, key, attempts] = process.argv.slice(2);
const limiter = new RedisRateLimiter(url!, 'bizapi:test:rl:');
const now = 7_000_000;
let admitted = 0;
const results = await Promise.all(Array.from({ length: Number(attempts) }, () => limiter.consume(key!, 0.001, 10, now)));
for (const r of results) if (r.allowed) admitted++;
console.log(admitted);
await limiter.close();

import { Redis } from 'ioredis';
import type { RateDecision, RateLimiter } from './limiter.ts';

// One atomic script per call: refill by elapsed time, take a token if there is one. Several server
// processes share one bucket exactly. Tokens are kept as a float; the key expires when idle.
const SCRIPT = `
local key = KEYS[1]
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local s = redis.call('HMGET', key, 't', 'a')
local tokens = tonumber(s[1])
local at = tonumber(s[2])
if tokens == nil then tokens = burst; at = now end
local elapsed = math.max(0, now - at) / 1000
tokens = math.min(burst, tokens + elapsed * rate)
local allowed = 0
local retry = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
else
  retry = math.ceil(((1 - tokens) / rate) * 1000)
end
redis.call('HSET', key, 't', tostring(tokens), 'a', tostring(now))
redis.call('PEXPIRE', key, math.ceil(burst / rate * 1000) + 60000)
return {allowed, retry}
`;

/** Buckets in Redis, shared by every process that points at the same server. */
export class RedisRateLimiter implements RateLimiter {
  private readonly redis: Redis;
  constructor(
    url: string,
    private readonly prefix = 'bizapi:rl:',
  ) {
    this.redis = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 2, enableOfflineQueue: true });
    this.redis.defineCommand('bizapiTakeToken', { numberOfKeys: 1, lua: SCRIPT });
  }

  async consume(key: string, rate: number, burst: number, now: number): Promise<RateDecision> {
    const run = (this.redis as unknown as { bizapiTakeToken(k: string, r: number, b: number, n: number): Promise<[number, number]> })
      .bizapiTakeToken;
    const [allowed, retry] = await run.call(this.redis, this.prefix + key, rate, burst, now);
    return { allowed: allowed === 1, retryAfterMs: Number(retry) };
  }

  async reset(): Promise<void> {
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${this.prefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length) await this.redis.del(...keys);
    } while (cursor !== '0');
  }

  async ping(): Promise<void> {
    await this.redis.ping();
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => undefined);
  }
}

import { createHash, createHmac, randomBytes, randomFillSync, randomUUID, timingSafeEqual } from 'node:crypto';

// Random bytes for ids, drawn from the CSPRNG a pool at a time: one call per 4 KiB instead of one per id.
const POOL_SIZE = 4096;
const pool = Buffer.alloc(POOL_SIZE);
let poolAt = POOL_SIZE;

/** A new opaque id with a readable prefix and 96 random bits, e.g. `app_3kq…`. */
export function newId(prefix: string): string {
  if (poolAt + 12 > POOL_SIZE) {
    randomFillSync(pool);
    poolAt = 0;
  }
  const id = pool.toString('base64url', poolAt, poolAt + 12);
  poolAt += 12;
  return `${prefix}_${id}`;
}

/** A random URL-safe secret of the given number of bytes of entropy. */
export function randomSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

export const uuid = (): string => randomUUID();

/** SHA-256 of a high-entropy value (tokens, keys); the only form such values are stored in. */
export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** Keyed hash for client secrets: a database dump alone does not allow offline guessing. */
export function hmacSha256(key: string, value: string): string {
  return createHmac('sha256', key).update(value).digest('hex');
}

/** Compares two strings in time that depends only on their lengths. */
export function constantTimeEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb) && a.length === b.length;
}

/** Deterministic UUID-shaped value from a seed, for the reproducible demo world. */
export function seededUuid(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Deterministic hex of the given length from a seed. */
export function seededHex(seed: string, length: number): string {
  let out = '';
  let i = 0;
  while (out.length < length) out += createHash('sha256').update(`${seed}:${i++}`).digest('hex');
  return out.slice(0, length);
}

import { createHash, createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';

/** A new opaque id with a readable prefix, e.g. `app_3kq…`. */
export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(12).toString('base64url')}`;
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

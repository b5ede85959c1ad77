import { Prng } from './prng.ts';

/** An ASIN: ten characters, digits and upper-case letters (books use their ISBN-10). */
export const ASIN_PATTERN = /^[0-9A-Z]{10}$/;

const BASE36 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** The ASIN in canonical form (trimmed, upper case), or null when it is not ASIN-shaped. */
export function normalizeAsin(value: string): string | null {
  const asin = value.trim().toUpperCase();
  return ASIN_PATTERN.test(asin) ? asin : null;
}

/**
 * The integer the full-text index keys a product by: the ASIN read as a base-36 number.
 * 36^10 < 2^53, so every ASIN maps to a distinct safe integer and back.
 */
export function asinDocId(asin: string): number {
  return parseInt(asin, 36);
}

/** A deterministic ASIN-shaped id for a seed: `B0` and eight base-36 characters. */
export function asinFromSeed(seed: string): string {
  const prng = new Prng(`asin:${seed}`);
  let out = 'B0';
  for (let i = 0; i < 8; i++) out += BASE36[prng.int(0, 35)];
  return out;
}

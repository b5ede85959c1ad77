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

/** 36^8: the ASINs `B0` followed by eight base-36 characters. */
const B0_SPACE = 36n ** 8n;
/**
 * About 0.618 of the space (the golden ratio), odd and not a multiple of 3, so coprime to 36: then
 * i → (i × step + offset) mod 36^8 is one-to-one, and consecutive indexes land far apart (as real
 * ASINs do: a generated catalog is not loaded in key order).
 */
const B0_STEP = 1_743_540_945_341n;

/**
 * The ASIN of the `index`-th product of a generated catalog: `B0` and eight base-36 characters, spread
 * over the space by a permutation that depends on the seed. Unlike `asinFromSeed` (a hash, whose values
 * may collide: one pair did in a million-product catalog), two indexes never share an ASIN.
 */
export function asinOfIndex(seed: string, index: number): string {
  if (!Number.isSafeInteger(index) || index < 0 || BigInt(index) >= B0_SPACE) throw new RangeError(`index out of range: ${index}`);
  const prng = new Prng(`asin-offset:${seed}`);
  const offset = BigInt(prng.int(0, 2 ** 26 - 1)) * 2n ** 20n + BigInt(prng.int(0, 2 ** 20 - 1));
  return `B0${((BigInt(index) * B0_STEP + offset) % B0_SPACE).toString(36).toUpperCase().padStart(8, '0')}`;
}

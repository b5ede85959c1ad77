import { constantTimeEqual, hmacSha256 } from '../../../kernel/ids.ts';

/**
 * signedProductId: `amzn1.business.asin.` + base32 of the ASIN, the request context it was
 * returned for and a truncated HMAC, so a later call (cart, ordering) can check where it came from.
 */

export const SIGNED_PRODUCT_PREFIX = 'amzn1.business.asin.';
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function base32(bytes: Buffer): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

function unbase32(text: string): Buffer | null {
  const bytes: number[] = [];
  let bits = 0;
  let value = 0;
  for (const ch of text) {
    const i = ALPHABET.indexOf(ch);
    if (i < 0) return null;
    value = (value << 5) | i;
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Buffer.from(bytes);
}

export interface SignedProductContext {
  asin: string;
  region: string;
  locale: string;
  businessId: string | null;
}

/** Signs an ASIN with the context of the request that returned it. */
export function signProductId(key: string, ctx: SignedProductContext): string {
  const payload = [ctx.asin, ctx.region, ctx.locale, ctx.businessId ?? ''].join('|');
  const mac = hmacSha256(key, payload).slice(0, 32);
  return SIGNED_PRODUCT_PREFIX + base32(Buffer.from(`${payload}|${mac}`, 'utf8'));
}

/** The context a signedProductId was issued for, or null when it is not one of ours. */
export function verifySignedProductId(key: string, signed: string): SignedProductContext | null {
  if (!signed.startsWith(SIGNED_PRODUCT_PREFIX)) return null;
  const raw = unbase32(signed.slice(SIGNED_PRODUCT_PREFIX.length))?.toString('utf8');
  const parts = raw?.split('|');
  if (!parts || parts.length !== 5) return null;
  const [asin, region, locale, businessId, mac] = parts as [string, string, string, string, string];
  if (!constantTimeEqual(mac, hmacSha256(key, [asin, region, locale, businessId].join('|')).slice(0, 32))) return null;
  return { asin, region, locale, businessId: businessId === '' ? null : businessId };
}

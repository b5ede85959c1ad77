import { constantTimeEqual, hmacSha256 } from '../../../kernel/ids.ts';

/**
 * Presigned download URLs: the document id and an expiry instant, signed with HMAC-SHA256 under the
 * server's key. A URL whose signature does not match (any part changed) or whose expiry has passed
 * is refused. Pure: the key and the clock come in.
 */

/** How long a download URL works (the model: "This URL expires after 5 minutes"). */
export const URL_LIFETIME_MS = 5 * 60_000;

const payload = (documentId: string, expiresSeconds: number): string => `bizapi-document\n${documentId}\n${expiresSeconds}`;

/** The signature of a document's URL expiring at `expiresSeconds` (epoch seconds). */
export const signDownload = (key: string, documentId: string, expiresSeconds: number): string =>
  hmacSha256(key, payload(documentId, expiresSeconds));

export type DownloadCheck = { ok: true } | { ok: false; reason: 'malformed' | 'signature' | 'expired' };

/** Checks a URL's expiry and signature as received (strings from the query). */
export function checkDownload(key: string, documentId: string, expires: unknown, signature: unknown, now: number): DownloadCheck {
  if (typeof expires !== 'string' || !/^\d{1,13}$/.test(expires) || typeof signature !== 'string' || !/^[0-9a-f]{64}$/.test(signature))
    return { ok: false, reason: 'malformed' };
  const seconds = Number(expires);
  if (!constantTimeEqual(signature, signDownload(key, documentId, seconds))) return { ok: false, reason: 'signature' };
  if (seconds * 1000 < now) return { ok: false, reason: 'expired' };
  return { ok: true };
}

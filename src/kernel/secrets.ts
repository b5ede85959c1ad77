/**
 * The shapes of the secrets this platform issues. Logs and the request log redact a value of one
 * of these shapes wherever it appears (under any field name, in a query string, in free text), as
 * well as the values of fields known to hold secrets.
 */

/** A grant code: `AN` and 32 base64url characters (oauth/domain/tokens.ts issues them). */
export const GRANT_CODE_SHAPE = /^AN[A-Za-z0-9_-]{32}$/;

// Within text: `|` may arrive percent-encoded (%7C) in a query string or a form body.
const PATTERNS: readonly RegExp[] = [
  // Access and refresh tokens (LWA's `Atza|` and `Atzr|`).
  /Atz[ar](?:\||%7C)[A-Za-z0-9_\-+/=%|.]*/gi,
  // LWA client secrets.
  /amzn1\.oa2-cs\.[A-Za-z0-9_.-]*/gi,
  // Webhook signing secrets of client secret notice destinations.
  /bzwh_[A-Za-z0-9_-]{8,}/g,
  // Operator API keys this server generates (and the demo's).
  /bza_[A-Za-z0-9_-]{8,}/g,
  // Grant codes, standing alone (not inside a longer word).
  /(?<![A-Za-z0-9_-])AN[A-Za-z0-9_-]{32}(?![A-Za-z0-9_-])/g,
];

/** The text with every secret-shaped value in it replaced. */
export function redactSecretShapes(text: string, replacement = '[redacted]'): string {
  let out = text;
  for (const pattern of PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

// A field or header name that says it holds a secret, however it is spelled or cased
// (`client_secret`, `clientSecret`, `Client-Secret`, `pasword`, `refreshTokn`, `x-amz-acess-token`); page tokens
// are cursors, not secrets.
const SECRET_NAME = /pas+w|pwd|secre?t|to?ke?n|assertion|credential|apikey|authorization|cookie/;
const NOT_SECRET_NAME = /pagetoken$/;

/** True when a body field, query parameter or header of this name holds a secret, by its name. */
export function isSecretName(name: string): boolean {
  const n = name.toLowerCase().replace(/[^a-z0-9]/g, '');
  return SECRET_NAME.test(n) && !NOT_SECRET_NAME.test(n);
}

/** A set of field names: those named like secrets, plus any listed. */
export const secretNames = (...extra: string[]): { has(name: string): boolean } => {
  const listed = new Set(extra);
  return { has: (name) => listed.has(name) || isSecretName(name) };
};

const decodeSafe = (s: string): string => {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
};

/** A URL with the values of the named query parameters, and any secret-shaped value, replaced. */
export function redactUrl(url: string, fields: { has(name: string): boolean }, replacement = '[redacted]'): string {
  const q = url.indexOf('?');
  if (q < 0) return redactSecretShapes(url, replacement);
  const params = url
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const name = pair.split('=')[0] ?? '';
      return fields.has(decodeSafe(name)) ? `${name}=${replacement}` : pair;
    });
  return redactSecretShapes(`${url.slice(0, q)}?${params.join('&')}`, replacement);
}

import { isSecretName, redactSecretShapes, redactUrl, secretNames } from '../../../kernel/secrets.ts';

/** What stands in for a secret value in the request log. */
export const REDACTED = '[redacted]';

/** Headers whose values are never stored, besides those named like secrets (isSecretName). */
const SECRET_HEADERS = new Set(['x-amz-access-token', 'authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-api-key']);

const SECRET_FIELDS = secretNames();
/** On the token endpoint `code` is a grant code; elsewhere it is an error code and stays (unless shaped like a grant code). */
const TOKEN_REQUEST_FIELDS = secretNames('code');

export type BodyContext = 'token-request' | 'other';

const fieldsFor = (context: BodyContext): { has(name: string): boolean } =>
  context === 'token-request' ? TOKEN_REQUEST_FIELDS : SECRET_FIELDS;

/** Header names in lower case, secret values (by header name or by shape) replaced; arrays joined as HTTP would. */
export function redactHeaders(headers: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const key = name.toLowerCase();
    out[key] =
      SECRET_HEADERS.has(key) || isSecretName(key)
        ? REDACTED
        : redactSecretShapes(Array.isArray(value) ? value.join(', ') : String(value), REDACTED);
  }
  return out;
}

/**
 * A copy of a parsed JSON or form value with every secret field's value replaced, at any depth, and
 * every secret-shaped string (a token, a client secret, a grant code under any other name) too.
 */
export function redactValue(value: unknown, context: BodyContext = 'other'): unknown {
  const secret = fieldsFor(context);
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return redactSecretShapes(v, REDACTED);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) out[k] = secret.has(k) ? REDACTED : walk(x);
      return out;
    }
    return v;
  };
  return walk(value);
}

/** A path with the values of secret query parameters, and any secret-shaped value, replaced. */
export const redactPath = (url: string, context: BodyContext = 'other'): string => redactUrl(url, fieldsFor(context), REDACTED);

/**
 * A body as stored: JSON (or form fields) with secrets redacted; other text as is when it is not
 * a token call (whose raw form might hold secrets the parser did not see). Never longer than max bytes.
 */
export function storedBody(body: unknown, context: BodyContext, maxBytes: number): string | null {
  if (body === undefined || body === null || maxBytes <= 0) return null;
  let text: string;
  if (typeof body === 'string' || Buffer.isBuffer(body)) {
    const raw = String(body);
    if (raw === '') return null;
    try {
      text = JSON.stringify(redactValue(JSON.parse(raw), context));
    } catch {
      text = context === 'token-request' ? REDACTED : redactSecretShapes(raw, REDACTED);
    }
  } else {
    text = JSON.stringify(redactValue(body, context)) ?? '';
  }
  return capText(text, maxBytes);
}

/** Text cut to at most max bytes of UTF-8, saying how long it was. */
export function capText(text: string, maxBytes: number): string {
  const size = Buffer.byteLength(text);
  if (size <= maxBytes) return text;
  const marker = `…[truncated, ${size} bytes]`;
  const cut = (n: number): string =>
    Buffer.from(text)
      .subarray(0, n)
      .toString('utf8')
      .replace(/\uFFFD$/, '');
  const room = maxBytes - Buffer.byteLength(marker);
  return room > 0 ? cut(room) + marker : cut(maxBytes);
}

/** The error code of an error response: the envelope's first `code`, or the token endpoint's `error`. */
export function errorCodeOf(payload: string | Buffer | undefined): string | null {
  if (payload === undefined) return null;
  try {
    const body = JSON.parse(String(payload)) as { errors?: { code?: unknown }[]; error?: unknown };
    const code = body.errors?.[0]?.code ?? body.error;
    return typeof code === 'string' ? code.slice(0, 100) : null;
  } catch {
    return null;
  }
}

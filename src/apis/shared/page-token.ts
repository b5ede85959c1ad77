import { constantTimeEqual, hmacSha256 } from '../../kernel/ids.ts';
import { invalidParameter } from './errors.ts';

/**
 * Opaque, signed `nextPageToken`s. A token carries a cursor (any JSON value the API chooses) and is
 * bound to the operation, the business and the query that produced it: a token that was altered,
 * or is sent with another operation, business or query, is refused with a 400 naming the parameter.
 * The signature protects integrity, not secrecy: a token is the caller's own cursor, and every page
 * is still read within the caller's business.
 */

/** What a token is valid for: the same operation, business and query (without the token itself). */
export interface PageScope {
  operationId: string;
  businessId: string | null;
  /** The query that produced the first page, e.g. `JSON.stringify` of its parsed filters. */
  query: string;
}

const DEFAULT_KEY = 'bizapi-page-token';
const MAC_LENGTH = 32;

/** Encodes and decodes the `nextPageToken`s of one API. */
export class PageTokens {
  constructor(private readonly key: string = DEFAULT_KEY) {}

  private mac(scope: PageScope, payload: string): string {
    return hmacSha256(this.key, [scope.operationId, scope.businessId ?? '', scope.query, payload].join('\u0000')).slice(0, MAC_LENGTH);
  }

  /** A token for the page after the one answered. */
  encode(cursor: unknown, scope: PageScope): string {
    const payload = Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64url');
    return `${payload}.${this.mac(scope, payload)}`;
  }

  /** The cursor of a token; a token that is malformed, altered or from another scope is refused. */
  decode(token: string, scope: PageScope, name = 'nextPageToken'): unknown {
    const refuse = () =>
      invalidParameter(`Invalid value for request parameter [${name}]: it is not a token this operation answered for this query.`);
    const dot = token.lastIndexOf('.');
    if (dot <= 0 || token.length > 4096) throw refuse();
    const payload = token.slice(0, dot);
    if (!constantTimeEqual(token.slice(dot + 1), this.mac(scope, payload))) throw refuse();
    try {
      return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      throw refuse();
    }
  }
}

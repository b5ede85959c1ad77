/** Every error code the platform puts on the wire; docs/errors.md has one line for each. */
export const ERROR_CODES = {
  // Amazon Business API gateway and APIs
  Unauthorized: 403,
  AccessDenied: 403,
  QuotaExceeded: 429,
  InvalidInput: 400,
  INVALID_REQUEST_PARAMETER: 400,
  PRODUCT_NOT_FOUND: 404,
  OFFER_NOT_FOUND: 404,
  PAGE_NOT_FOUND: 404,
  EMAIL_ID_NOT_FOUND: 400,
  SERVICE_ERROR: 500,
  NotFound: 404,
  PayloadTooLarge: 413,
  UnsupportedMediaType: 415,
  RequestTimeout: 408,
  RequestHeaderFieldsTooLarge: 431,
  NotImplemented: 501,
  InternalFailure: 500,
  ServiceUnavailable: 503,
  GatewayTimeout: 504,
  // Admin and developer APIs
  ValidationError: 400,
  Unauthenticated: 401,
  Forbidden: 403,
  Conflict: 409,
  LimitExceeded: 409,
  InvalidState: 409,
  TooManyRequests: 429,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** A known failure: a code, a public message and details, and a private note for logs only. */
export class AppError extends Error {
  readonly status: number;
  readonly headers: Record<string, string>;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details = '',
    options: { status?: number; privateNote?: string; headers?: Record<string, string>; messageFirst?: boolean } = {},
  ) {
    // An AppError is an answer, not a bug: its stack would never be shown, and capturing one costs
    // more than the rest of a refused call (the gateway refuses at full request rate).
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
    this.name = 'AppError';
    this.status = options.status ?? ERROR_CODES[code];
    this.headers = options.headers ?? {};
    this.privateNote = options.privateNote;
    this.messageFirst = options.messageFirst ?? false;
  }
  readonly privateNote: string | undefined;
  /** Renders `message` before `code`, as Amazon's gateway does on its 403 and 429 bodies (byte-exact FAQ bodies). */
  readonly messageFirst: boolean;
}

export const notFound = (what: string): AppError => new AppError('NotFound', `${what} was not found.`);
export const validation = (message: string, details = ''): AppError => new AppError('ValidationError', message, details);

import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../kernel/errors.ts';

/** The Amazon Business error envelope. */
export interface ErrorBody {
  errors: { code: string; message: string; details?: string }[];
}

export const envelope = (code: string, message: string, details = '', messageFirst = false): ErrorBody => ({
  errors: [messageFirst ? { message, code, details } : { code, message, details }],
});

/** Turns any thrown value into an AppError; unknown errors become a fixed 500. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const fe = error as Partial<FastifyError> & { validation?: unknown; validationContext?: string };
  if (fe && typeof fe === 'object') {
    if (fe.validation) {
      return new AppError('ValidationError', `Invalid request: ${fe.message ?? 'validation failed'}`);
    }
    switch (fe.code) {
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return new AppError('PayloadTooLarge', 'The request size exceeded the maximum accepted size.');
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return new AppError('UnsupportedMediaType', 'The request payload is in an unsupported format.');
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        return new AppError('ValidationError', "The request body is empty but Content-Type is 'application/json'.");
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
        return new AppError('ValidationError', 'The request body is not valid JSON.');
      case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
        return new AppError('ValidationError', 'The Content-Length header does not match the body.');
    }
    if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
      if (fe.statusCode === 413) return new AppError('PayloadTooLarge', 'The request size exceeded the maximum accepted size.');
      if (fe.statusCode === 415) return new AppError('UnsupportedMediaType', 'The request payload is in an unsupported format.');
      return new AppError('ValidationError', 'The request could not be parsed.', '', { status: fe.statusCode });
    }
  }
  return new AppError('InternalFailure', 'An unexpected condition occurred that prevented the server from fulfilling the request.', '', {
    privateNote: error instanceof Error ? (error.stack ?? error.message) : String(error),
  });
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The failure this request was answered with, for its request line (LOG_REQUESTS). */
    failure?: { code: string; note?: string };
  }
}

/**
 * Logs a failure with its private note: a 5xx (but 501) at error, always; a refusal (4xx, 501) at
 * debug, since it is the client's answer, not the server's problem (LOG_REQUESTS puts its code and
 * note on the request's line at info).
 */
export function logFailure(request: FastifyRequest, err: AppError): void {
  request.failure = err.privateNote ? { code: err.code, note: err.privateNote } : { code: err.code };
  // A 501 is an expected answer (an API not built yet), not a failure of the server.
  if (err.status >= 500 && err.code !== 'NotImplemented') request.log.error({ code: err.code, note: err.privateNote }, 'request failed');
  else request.log.debug({ code: err.code, status: err.status, note: err.privateNote }, 'request refused');
}

/** Renders a failure in the Amazon envelope; the default for every route. */
export function sendAmazonError(request: FastifyRequest, reply: FastifyReply, error: unknown): FastifyReply {
  const err = toAppError(error);
  logFailure(request, err);
  for (const [k, v] of Object.entries(err.headers)) reply.header(k, v);
  return reply
    .status(err.status)
    .type('application/json')
    .send(envelope(err.code, err.message, err.details, err.messageFirst));
}

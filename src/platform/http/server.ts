import { randomUUID } from 'node:crypto';
import { STATUS_CODES, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import Fastify, { LogController, type FastifyInstance, type FastifyRequest } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Config } from '../../config/config.ts';
import { AppError, type ErrorCode } from '../../kernel/errors.ts';
import { redactSecretShapes, redactUrl, secretNames } from '../../kernel/secrets.ts';
import { holdsString } from '../../kernel/json.ts';
import { envelope, sendAmazonError, toAppError } from './errors.ts';
import { validatorCompiler } from './validation.ts';

export type Server = FastifyInstance;

/**
 * Response headers sent with Amazon's spelling. Fastify lower-cases header names, but clients that
 * read headers as a plain map (PHP arrays, some JavaScript) look up `x-amzn-RequestId` exactly.
 */
export const AMAZON_HEADER_NAMES = ['x-amzn-RequestId', 'x-amzn-RateLimit-Limit', 'x-amzn-ErrorType'] as const;
const SPELLING = new Map<string, string>(AMAZON_HEADER_NAMES.map((name) => [name.toLowerCase(), name]));
const SPELLED = Symbol('bizapi.spelledHeaders');

/** Makes one response write the Amazon header names with their spelling (renamed in the object Fastify hands to writeHead). */
function spellAmazonHeaders(res: ServerResponse & { [SPELLED]?: true }): void {
  if (res[SPELLED]) return;
  res[SPELLED] = true;
  const writeHead = res.writeHead;
  res.writeHead = function (this: ServerResponse, ...args: unknown[]) {
    const headers = args.find((a): a is Record<string, unknown> => typeof a === 'object' && a !== null && !Array.isArray(a));
    if (headers) {
      for (const [lower, spelled] of SPELLING) {
        if (lower in headers) {
          headers[spelled] = headers[lower];
          delete headers[lower];
        }
      }
    }
    return Reflect.apply(writeHead, this, args) as ServerResponse;
  } as ServerResponse['writeHead'];
}

/** Fields never written to logs, wherever they appear. */
export const LOG_REDACTIONS = [
  'req.headers["x-amz-access-token"]',
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
];

// The token endpoint's `code` is a grant code; query parameters named like secrets anywhere.
const SECRET_QUERY_FIELDS = secretNames('code');

/** A request as logged: its URL with secret query parameters redacted. */
function logRequest(req: FastifyRequest) {
  return {
    method: req.method,
    url: redactUrl(req.url, SECRET_QUERY_FIELDS),
    host: req.host,
    remoteAddress: req.ip,
    remotePort: req.socket?.remotePort,
  };
}

const CLIENT_ERRORS: Record<string, { status: number; code: ErrorCode; message: string }> = {
  HPE_HEADER_OVERFLOW: {
    status: 431,
    code: 'RequestHeaderFieldsTooLarge',
    message: 'The request headers are larger than the server accepts.',
  },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, code: 'RequestTimeout', message: 'The request was not received in time.' },
};

/** Node's HTTP parser refused a request: answer in the Amazon envelope, then close the connection. */
function answerClientError(this: FastifyInstance, err: Error & { code?: string }, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const known: { status: number; code: ErrorCode; message: string } = CLIENT_ERRORS[err.code ?? ''] ?? {
    status: 400,
    code: 'InvalidInput',
    message: 'The request is not valid HTTP and could not be parsed.',
  };
  this.log.debug({ code: err.code }, 'client error');
  if (socket.writable) {
    const body = JSON.stringify(envelope(known.code, known.message));
    socket.write(
      `HTTP/1.1 ${known.status} ${STATUS_CODES[known.status]}\r\n` +
        `x-amzn-RequestId: ${randomUUID()}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(err);
}

/** The longest path parameter the router reads (a longer one is a 414). */
const MAX_PARAM_LENGTH = 500;

/**
 * A request the router refuses before any route or hook (a malformed percent-encoding, a path
 * parameter over the router's limit): like a request Node's parser refuses, it gets InvalidInput on
 * every surface, so the admin API's ValidationError never answers on an API base URL.
 */
function refusedByRouter(error: Error & { code?: string }): AppError {
  if (error.code === 'FST_ERR_BAD_URL')
    return new AppError('InvalidInput', 'The request URL is not valid: it holds a malformed percent-encoding.');
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH')
    return new AppError('InvalidInput', `A path parameter is longer than the ${MAX_PARAM_LENGTH} characters the server accepts.`, '', {
      status: 414,
    });
  return toAppError(error);
}

/** Options of the server beyond the configuration. */
export interface ServerOptions {
  /** Path prefixes of base URLs (`/na`, `/sandbox/eu`, …) after which repeated slashes count as one. */
  basePrefixes?: readonly string[];
}

/**
 * A base URL with a trailing slash (one SDK's Far East constant has one) joined to an API path gives
 * `//products/…` or `/na//products/…`: the slashes where the base URL meets the path count as one.
 * Repeated slashes further in are kept, since an empty path parameter is a request of its own (the
 * Reporting model's canned 400 for an empty purchase order number).
 */
export function joinedBaseUrl(url: string, prefixes: readonly string[]): string {
  let out = url.replace(/^\/{2,}/, '/');
  for (const prefix of prefixes) {
    if (out.startsWith(`${prefix}//`)) {
      out = prefix + out.slice(prefix.length).replace(/^\/{2,}/, '/');
      break;
    }
  }
  return out;
}

const NUL_IN_URL = /%00/i;
// A raw JSON body holds NUL escaped; a parsed one holds the character itself.
const NUL = String.fromCharCode(0);
const ESCAPED_NUL = /\\u0000/i;
const holdsNulText = (text: string): boolean => text.includes(NUL) || ESCAPED_NUL.test(text);

/** Whether a parsed body holds a NUL character in any string, key or value (bounded depth). */
const holdsNul = (value: unknown): boolean => holdsString(value, holdsNulText, 64);

export function createServer(config: Config, logger: boolean | object = true, options: ServerOptions = {}): Server {
  const app = Fastify({
    logger:
      logger === false
        ? false
        : typeof logger === 'object'
          ? logger
          : {
              level: config.logLevel,
              redact: { paths: LOG_REDACTIONS, censor: '[redacted]' },
              serializers: { req: logRequest },
              // Whatever a line holds (a URL, an error message quoting input), a value shaped like a
              // token, a client secret, an operator key or a grant code never reaches the log.
              hooks: { streamWrite: (line: string) => redactSecretShapes(line) },
            },
    // Fastify's two lines per request (incoming, completed) are off: LOG_REQUESTS asks for one
    // compact line per request instead (below); failures are logged by the error handlers.
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: () => randomUUID(),
    // A request Node's HTTP parser refuses (malformed, headers too large) never reaches a route: it
    // still gets the envelope and a request id.
    clientErrorHandler: answerClientError,
    requestIdHeader: false,
    bodyLimit: config.bodyLimitBytes,
    // Forwarded headers only from the configured proxies (TRUST_PROXY); otherwise the client's own
    // address is its address, whatever X-Forwarded-For says.
    trustProxy: config.trustProxy ?? false,
    // No automatic HEAD routes: every API route must pass the gateway's checks explicitly.
    exposeHeadRoutes: false,
    routerOptions: { ignoreTrailingSlash: false, maxParamLength: MAX_PARAM_LENGTH },
    rewriteUrl: (req) => joinedBaseUrl(req.url ?? '/', options.basePrefixes ?? []),
    // A malformed URL (bad percent-encoding) or an over-long path parameter is refused by the router
    // before any hook runs; it still gets the envelope and a request id, not Fastify's own body.
    frameworkErrors: (error, request, reply) => {
      spellAmazonHeaders(reply.raw);
      reply.header('x-amzn-RequestId', request.id);
      return sendAmazonError(request, reply, refusedByRouter(error));
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  // Unknown fields are refused with a 400 rather than silently dropped; bodies are not type-coerced.
  app.setValidatorCompiler(validatorCompiler);
  void app.register(fastifyCookie);
  void app.register(fastifyFormbody, { bodyLimit: config.bodyLimitBytes });

  // A callback hook, not an async one: it runs on every request and awaits nothing.
  app.addHook('onRequest', (request, reply, done) => {
    spellAmazonHeaders(reply.raw);
    reply.header('x-amzn-RequestId', request.id);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-frame-options', 'DENY');
    reply.header('referrer-policy', 'no-referrer');
    done();
  });

  // LOG_REQUESTS=true: one line per request once answered, at info, with the request id of every
  // other line of it; a refusal adds its error code and private note (docs/operations.md).
  if (logger !== false && config.logRequests) {
    app.addHook('onResponse', (request, reply, done) => {
      const failure = request.failure;
      request.log.info(
        {
          method: request.method,
          url: redactUrl(request.url, SECRET_QUERY_FIELDS),
          status: reply.statusCode,
          ms: Math.round(reply.elapsedTime * 100) / 100,
          remoteAddress: request.ip,
          ...(failure ? { code: failure.code, ...(failure.note && reply.statusCode < 500 ? { note: failure.note } : {}) } : {}),
        },
        'request',
      );
      done();
    });
  }

  // No parameter or field ever holds a NUL character, and PostgreSQL refuses one in text (a 500):
  // refused up front, in the answer shape of the route (envelope, token error or page).
  app.addHook('preValidation', (request, _reply, done) => {
    if (NUL_IN_URL.test(request.url) || holdsNul(request.body))
      done(new AppError('ValidationError', 'The request contains a NUL character, which no parameter or field may hold.'));
    else done();
  });

  app.setErrorHandler((error, request, reply) => sendAmazonError(request, reply, error));
  app.setNotFoundHandler((request, reply) =>
    sendAmazonError(
      request,
      reply,
      new AppError('NotFound', 'The resource specified does not exist.', `No route for ${request.method} ${request.url.split('?')[0]}`),
    ),
  );
  return app as unknown as Server;
}

import type { IncomingHttpHeaders } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type ErrorCode } from '../../kernel/errors.ts';
import { sendAmazonError, toAppError } from '../../platform/http/errors.ts';
import { operationsOfApi, type ApiName, type HttpMethod, type Operation } from '../registry/index.ts';
import type { ApiCallContext, ApiLink } from './context.ts';

/**
 * The port between the gateway and the API implementations: what one built API hands the gateway
 * (src/apis/api-module.ts builds these from the API modules). Method and path always come from the
 * operation registry, never from the implementation.
 */

/** Query parameters as the router parsed them; a repeated key is an array. */
export type QueryParams = Record<string, string | string[] | undefined>;

/**
 * How an API takes request bodies.
 * - `json`: a body that is not `application/json` is answered 415 by the gateway; handlers get the parsed JSON.
 * - `raw`: handlers get the body text (`''` when none) and answer a non-JSON body by their own rules
 *   (Product Search: 400 InvalidInput, as the FAQ says).
 */
export type BodyPolicy = 'json' | 'raw';

/** What a handler sees of a call: the wire request, and what the gateway established about it. */
export interface ApiRequest {
  readonly operation: Operation;
  readonly query: QueryParams;
  readonly params: Readonly<Record<string, string>>;
  readonly headers: IncomingHttpHeaders;
  /** The parsed JSON (`json` policy; undefined without a body) or the body text (`raw` policy). */
  readonly body: unknown;
  readonly call: ApiCallContext;
  /** Tells the request log what the call created or read (a placeOrder: its order). */
  link(resource: ApiLink): void;
}

/** An answer other than 200 with a JSON body: a status, an optional JSON body and headers. */
export class ApiReply {
  constructor(
    readonly status: number,
    readonly body?: unknown,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {}
}

/**
 * A 200 answer whose JSON body is already serialized (an answer cache's copy): sent as it is, with
 * the headers Fastify gives a serialized object (`application/json; charset=utf-8`).
 */
export class SerializedJson {
  constructor(readonly json: Buffer) {}
}

/** One operation's handler: a JSON body to answer 200 with, a SerializedJson, or an ApiReply; refusals are thrown AppErrors. */
export type ApiHandler = (request: ApiRequest) => Promise<unknown>;

/** Calls to an operation's path with another method, answered by the API and counted against the operation. */
export interface WrongMethodRule {
  readonly methods: readonly HttpMethod[];
  readonly operations: readonly string[];
  answer(operation: Operation): AppError;
}

/** One built API, ready for the gateway. */
export interface ApiBinding {
  readonly api: ApiName;
  readonly bodyPolicy: BodyPolicy;
  /** How the API names an unexpected failure on the wire (InternalFailure unless it says otherwise). */
  readonly internalErrorCode: ErrorCode;
  /** Exactly one handler per operation of the API, by operation id. */
  readonly handlers: Readonly<Record<string, ApiHandler>>;
  readonly wrongMethod?: WrongMethodRule;
  /** Observes the latency of every successful call (2xx), in seconds. */
  readonly onSuccess?: (operationId: string, seconds: number) => void;
}

/** Checks that each API is bound at most once and that every binding has exactly its API's handlers; throws a clear Error otherwise. */
export function checkBindings(bindings: readonly ApiBinding[]): void {
  const seen = new Set<ApiName>();
  for (const b of bindings) {
    const expected = operationsOfApi(b.api).map((o) => o.operationId);
    if (expected.length === 0) throw new Error(`API module "${b.api}": no such API in the operation registry.`);
    if (seen.has(b.api)) throw new Error(`API "${b.api}" is implemented by more than one API module.`);
    seen.add(b.api);
    const given = Object.keys(b.handlers);
    const missing = expected.filter((id) => typeof b.handlers[id] !== 'function');
    const foreign = given.filter((id) => !expected.includes(id));
    if (missing.length) throw new Error(`API module "${b.api}" has no handler for ${missing.join(', ')}.`);
    if (foreign.length)
      throw new Error(`API module "${b.api}" has handlers for operations that are not ${b.api}'s: ${foreign.join(', ')}.`);
    for (const id of b.wrongMethod?.operations ?? []) {
      if (!expected.includes(id))
        throw new Error(`API module "${b.api}" declares a wrong-method answer for ${id}, which is not one of its operations.`);
    }
  }
}

/**
 * Renders a failure on an API route in the Amazon Business vocabulary: a body the framework could not
 * read is InvalidInput (never the admin API's ValidationError), and an unexpected failure carries the
 * API's own code (Product Search: SERVICE_ERROR).
 */
export function apiErrorHandler(internalErrorCode: ErrorCode) {
  return (error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply => {
    const e = toAppError(error);
    if (e.code === 'ValidationError')
      return sendAmazonError(request, reply, new AppError('InvalidInput', e.message, e.details, { status: e.status, headers: e.headers }));
    if (e.code === 'InternalFailure' && internalErrorCode !== 'InternalFailure') {
      return sendAmazonError(request, reply, new AppError(internalErrorCode, e.message, '', { privateNote: e.privateNote }));
    }
    return sendAmazonError(request, reply, e);
  };
}

const requestOf = (request: FastifyRequest, operation: Operation): ApiRequest => ({
  operation,
  query: (request.query ?? {}) as QueryParams,
  params: (request.params ?? {}) as Record<string, string>,
  headers: request.headers,
  body: request.body,
  call: request.apiCall,
  link: (resource) => {
    request.apiLink = resource;
  },
});

async function send(reply: FastifyReply, operation: Operation, result: unknown): Promise<unknown> {
  // Fastify would wait forever for a route that resolves to undefined without sending.
  if (result === undefined) throw new Error(`the handler of ${operation.operationId} answered nothing`);
  if (result instanceof SerializedJson) return reply.type('application/json; charset=utf-8').send(result.json);
  if (!(result instanceof ApiReply)) return result;
  reply.status(result.status);
  for (const [name, value] of Object.entries(result.headers)) reply.header(name, value);
  if (result.body === undefined) return reply.send();
  return reply.type('application/json').send(JSON.stringify(result.body));
}

/**
 * The routes of one built API, without any check: its body parsing, its error naming, and one route
 * per operation at the registry's method and path (plus its wrong-method answers). The gateway
 * registers this behind its checks; tests mount it alone with a fixed call context.
 */
export function apiRoutes(binding: ApiBinding) {
  return async function routes(app: FastifyInstance): Promise<void> {
    if (binding.bodyPolicy === 'raw') {
      app.removeAllContentTypeParsers();
      app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));
    }
    app.setErrorHandler(apiErrorHandler(binding.internalErrorCode));
    for (const operation of operationsOfApi(binding.api)) {
      const handler = binding.handlers[operation.operationId]!;
      app.route({
        method: operation.method,
        url: operation.path,
        config: { operationId: operation.operationId },
        handler: async (request, reply) => send(reply, operation, await handler(requestOf(request, operation))),
      });
      const wrong = binding.wrongMethod;
      if (!wrong?.operations.includes(operation.operationId)) continue;
      for (const method of wrong.methods.filter((m) => m !== operation.method)) {
        app.route({
          method,
          url: operation.path,
          config: { operationId: operation.operationId },
          handler: async () => {
            throw wrong.answer(operation);
          },
        });
      }
    }
  };
}

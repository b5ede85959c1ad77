import type { FastifyInstance } from 'fastify';
import type { TSchema } from '@sinclair/typebox';
import type { AppContext } from '../app-context.ts';
import type { AppError, ErrorCode } from '../kernel/errors.ts';
import type { Services } from '../services.ts';
import type { Metrics } from '../platform/metrics/metrics.ts';
import {
  ApiReply,
  checkBindings,
  SerializedJson,
  type ApiBinding,
  type ApiHandler,
  type ApiRequest,
  type BodyPolicy,
} from '../modules/gateway/index.ts';
import { ResponseChecker } from './response-check.ts';
import { APIS, type ApiName, type HttpMethod, type Operation, type OperationIdOf } from '../modules/registry/index.ts';

/**
 * The contract every Amazon Business API implementation fills (docs/architecture.md, "Adding an
 * API"): one folder under src/apis/, one `defineApi(...)` exported from its index.ts, one line in
 * src/apis/index.ts. The gateway registers the routes; methods and paths come from the registry.
 */

/** What an API module's dependencies are built from, once per server. */
export interface ApiRoot {
  readonly ctx: AppContext;
  readonly services: Services;
  readonly metrics: Metrics;
  /** Check every answer against the declared schemas (the test suite's servers): a drift answers 500 and logs why. */
  readonly checkResponses?: boolean;
}

/** One operation's handler: the wire request and the dependencies built by `deps`. */
export type OperationHandler<D> = (request: ApiRequest, deps: D) => Promise<unknown>;

/** The declaration of one API. */
export interface ApiModule<A extends ApiName, D> {
  /** The API's name in the operation registry. */
  readonly api: A;
  /** `json`: the gateway answers a non-JSON body 415. `raw`: the handlers read the body text themselves. */
  readonly bodyPolicy: BodyPolicy;
  /** How the API names an unexpected failure on the wire; InternalFailure when absent. */
  readonly internalErrorCode?: ErrorCode;
  /** Builds the handlers' dependencies once, from the shared context and services. */
  deps(root: ApiRoot): D;
  /** Exactly one handler per operation of the API (a missing or foreign one fails to compile, and stops the server at start). */
  readonly handlers: { readonly [K in OperationIdOf<A>]: NoInfer<OperationHandler<D>> };
  /**
   * Each operation's successful answers: HTTP status to the TypeBox schema of its JSON body (null:
   * no body). The handlers' return types are these schemas' static types; the server's OpenAPI
   * document (/openapi.json) is generated from them, and the tests check every answer against it.
   */
  readonly responses: { readonly [K in OperationIdOf<A>]: SuccessResponses };
  /** The JSON body of each operation that takes one, as a TypeBox schema (documentation: the handlers parse the body themselves). */
  readonly requestBodies?: { readonly [K in OperationIdOf<A>]?: TSchema };
  /** Calls to some operations' paths with another method, answered by the API (Product Search: GET on its POST operations). */
  readonly wrongMethod?: {
    readonly methods: readonly HttpMethod[];
    readonly operations: readonly OperationIdOf<A>[];
    answer(operation: Operation): AppError;
  };
  /** A histogram of the latency of the API's successful calls, by operation, in /metrics. */
  readonly successMetric?: { readonly name: string; readonly help: string };
  /** Routes under `/_emulator/<slug>/…` (emulator mode only, behind the operator key). */
  readonly emulatorRoutes?: (app: FastifyInstance, deps: D) => Promise<void>;
}

/** An operation's successful answers: status to the schema of the JSON body, or null for none. */
export type SuccessResponses = Readonly<Partial<Record<200 | 201 | 202 | 204, TSchema | null>>>;

/** An API module bound to one server: the gateway's binding and its emulator routes. */
export interface BoundApi {
  readonly api: ApiName;
  /** The registry's slug of the API: its folder, its sandbox file and its emulator prefix. */
  readonly slug: string;
  readonly binding: ApiBinding;
  readonly emulatorRoutes: ((app: FastifyInstance) => Promise<void>) | null;
  /** The schemas of the operations' answers and bodies, for the OpenAPI document. */
  readonly schemas: ApiSchemas;
}

/** An API's schemas by operation id. */
export interface ApiSchemas {
  readonly responses: Readonly<Record<string, SuccessResponses>>;
  readonly requestBodies: Readonly<Record<string, TSchema>>;
}

/** An API module as the list in src/apis/index.ts holds it. */
export interface ApiDefinition {
  readonly api: ApiName;
  /** Builds the dependencies from the server's context and services, and binds the handlers to them. */
  bind(root: ApiRoot): BoundApi;
}

/** A defined API module, which tests may also bind to dependencies of their own. */
export interface ApiModuleDefinition<D> extends ApiDefinition {
  /** Binds the handlers to the given dependencies (no metric): a test mounts the result with a fixed call context. */
  bindWith(deps: D): BoundApi;
}

function bindModule<A extends ApiName, D>(
  module: ApiModule<A, D>,
  deps: D,
  metrics: Metrics | null,
  checker: ResponseChecker | null,
): BoundApi {
  const declared: Readonly<Record<string, OperationHandler<D>>> = module.handlers;
  const responses: Readonly<Record<string, SuccessResponses>> = module.responses;
  const handlers: Record<string, ApiHandler> = {};
  for (const [operationId, handler] of Object.entries(declared)) {
    const schemas = responses[operationId] ?? {};
    handlers[operationId] = checker
      ? async (request) => {
          const result = await handler(request, deps);
          const [status, body] =
            result instanceof ApiReply
              ? [result.status, result.body]
              : result instanceof SerializedJson
                ? [200, JSON.parse(result.json.toString('utf8')) as unknown]
                : [200, result];
          const problems = checker.problems(operationId, schemas, status, body);
          if (problems.length) throw new Error(`the answer does not match the declared schema:\n  ${problems.join('\n  ')}`);
          return result;
        }
      : (request) => handler(request, deps);
  }
  const metric = module.successMetric && metrics ? metrics.histogram(module.successMetric.name, module.successMetric.help) : null;
  const emulatorRoutes = module.emulatorRoutes;
  return {
    api: module.api,
    slug: APIS.find((a) => a.name === module.api)?.slug ?? '',
    binding: {
      api: module.api,
      bodyPolicy: module.bodyPolicy,
      internalErrorCode: module.internalErrorCode ?? 'InternalFailure',
      handlers,
      ...(module.wrongMethod ? { wrongMethod: module.wrongMethod } : {}),
      ...(metric ? { onSuccess: (operationId: string, seconds: number) => metric.observe({ operation: operationId }, seconds) } : {}),
    },
    emulatorRoutes: emulatorRoutes ? (app) => emulatorRoutes(app, deps) : null,
    schemas: { responses, requestBodies: { ...module.requestBodies } },
  };
}

/** Declares an API module; the handler map is checked against the registry at compile time here and again when the server starts. */
export function defineApi<A extends ApiName, D>(module: ApiModule<A, D>): ApiModuleDefinition<D> {
  return {
    api: module.api,
    bind: (root) => bindModule(module, module.deps(root), root.metrics, root.checkResponses ? new ResponseChecker() : null),
    bindWith: (deps) => bindModule(module, deps, null, null),
  };
}

/** Binds every API module of the list to one server; a module whose handlers do not match its API stops the server with a clear message. */
export function bindApis(modules: readonly ApiDefinition[], root: ApiRoot): BoundApi[] {
  const bound = modules.map((m) => m.bind(root));
  checkBindings(bound.map((b) => b.binding));
  return bound;
}

import type { FastifyInstance, FastifyPluginAsync, FastifyRequest } from 'fastify';
import { sandboxPlugin, type SandboxMatching, type ScenarioSet } from '../sandbox/index.ts';
import { apiErrorHandler, apiRoutes, checkBindings, type ApiBinding, type BodyPolicy } from './api-binding.ts';
import { acceptEmptyJsonBodies, mediaType } from '../../platform/http/json-body.ts';
import type { ApiCallContext } from './context.ts';
import { injectedFault, notImplemented, type InjectedStatus } from './gateway.errors.ts';
import type { GatewayDecision, GatewayService } from './gateway.service.ts';
import { findOperation, matchOperation, OPERATIONS, USER_EMAIL_HEADER } from '../registry/index.ts';
import { PREFIX_TARGETS, SANDBOX_HOST, targetFromHost, type ApiTarget } from './targets.ts';
import { AppError } from '../../kernel/errors.ts';

/** A fault chosen for one call: added latency, then an error status (or none: latency only). */
export interface InjectedFault {
  ruleId: string;
  status: InjectedStatus | null;
  latencyMs: number;
}

/** Decides, once a call is identified, whether an emulator fault rule answers it instead. */
export interface FaultInjector {
  pick(call: Pick<ApiCallContext, 'operationId' | 'appId' | 'businessId'>): Promise<InjectedFault | null>;
}

export interface GatewayOptions {
  service: GatewayService;
  /** The built APIs; the operations of every other API answer 501 on the production base URLs. */
  apis: readonly ApiBinding[];
  scenarios: ScenarioSet;
  /** How the sandbox compares requests with scenarios (`SANDBOX_MATCHING`). */
  sandboxMatching?: SandboxMatching;
  /** Observes every API call after its response (request log, metrics). */
  onResponse?: (request: FastifyRequest, statusCode: number, elapsedMs: number) => void;
  /** Emulator fault injection (absent when emulator mode is off). */
  faults?: FaultInjector;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The rate of the usage plan applied, echoed in `x-amzn-RateLimit-Limit`. */
    appliedRate?: number;
    apiTarget?: ApiTarget;
    /** The emulator fault rule that answered or delayed this call. */
    injectedFault?: string;
    /** What the gateway's checks decided (the refusing check and why, the usage-plan bucket). */
    gatewayDecision?: GatewayDecision;
  }
}

const header = (request: FastifyRequest, name: string): string | undefined => {
  const v = request.headers[name];
  return typeof v === 'string' ? v : undefined;
};

/** Registers the checks and the API routes of one base URL (a fixed target, or resolved from Host). */
function apiScope(fixed: ApiTarget | null, opts: GatewayOptions): FastifyPluginAsync {
  const bindingOf = new Map(opts.apis.map((b) => [b.api, b]));
  // An API's body policy holds on its sandbox routes too; the APIs not built take JSON.
  const bodyPolicyOf = (api: ApiBinding['api']): BodyPolicy => bindingOf.get(api)?.bodyPolicy ?? 'json';
  // An API names an unexpected failure the same way on every route of it, sandbox routes included.
  const errorHandlerOf = new Map(opts.apis.map((b) => [b.api, apiErrorHandler(b.internalErrorCode)]));
  return async (scope: FastifyInstance) => {
    // The Amazon vocabulary on every API route, and JSON bodies as SDKs send them (an empty body
    // with `Content-Type: application/json` is no body: the operation answers by its own rules).
    scope.setErrorHandler(apiErrorHandler('InternalFailure'));
    acceptEmptyJsonBodies(scope);
    const covered = new Set<string>();
    scope.addHook('onRoute', (route) => {
      const path = route.url.slice((route.prefix ?? '').length) || '/';
      const match = matchOperation(String(route.method), path);
      if (match) {
        route.config = { ...(route.config ?? {}), operationId: route.config?.operationId ?? match.operation.operationId };
        const apiErrors = errorHandlerOf.get(match.operation.api);
        if (apiErrors && !route.errorHandler) route.errorHandler = apiErrors;
        if (!(route.constraints as { host?: unknown } | undefined)?.host) covered.add(match.operation.operationId);
      }
    });

    scope.addHook('onRequest', async (request, reply) => {
      const operation = findOperation(request.routeOptions.config.operationId ?? '');
      if (!operation) throw new AppError('NotFound', 'The resource specified does not exist.');
      const target = fixed ?? targetFromHost(request.hostname);
      request.apiTarget = target;
      const query = request.query as Record<string, unknown> | undefined;
      const decision: GatewayDecision = {};
      request.gatewayDecision = decision;
      const { call } = await opts.service.check(
        operation,
        target,
        {
          accessToken: header(request, 'x-amz-access-token'),
          userEmail: header(request, USER_EMAIL_HEADER),
          groupTag: typeof query?.groupTag === 'string' ? query.groupTag : undefined,
        },
        (rate) => {
          request.appliedRate = rate;
        },
        decision,
      );
      request.apiCall = call satisfies ApiCallContext;
      void reply;
      // Injected faults come after the checks: the call is identified, and real refusals win.
      const fault = opts.faults ? await opts.faults.pick(call) : null;
      if (fault) {
        request.injectedFault = fault.ruleId;
        if (fault.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, fault.latencyMs));
        if (fault.status !== null) {
          decision.refusedBy = 'fault';
          decision.reason = `Emulator fault rule ${fault.ruleId} answered ${fault.status}${fault.latencyMs > 0 ? ` after ${fault.latencyMs} ms` : ''}.`;
          throw injectedFault(fault.status, fault.ruleId);
        }
      }
    });

    // The JSON-bodied operations take JSON only, unless their API reads raw bodies by its own rules.
    // (Callback hooks where nothing is awaited: they run on every API call.)
    scope.addHook('preValidation', (request, _reply, done) => {
      const operation = findOperation(request.routeOptions.config.operationId ?? '');
      if (!operation || bodyPolicyOf(operation.api) === 'raw' || !operation.parameters.some((p) => p.in === 'body')) return done();
      if (request.body !== undefined && mediaType(request.headers) !== 'application/json')
        return done(new AppError('UnsupportedMediaType', 'The request payload is in an unsupported format.'));
      done();
    });

    // Every answer given once a usage plan applied carries its rate, refusals (429 included) too.
    scope.addHook('onSend', (request, reply, payload, done) => {
      if (request.appliedRate !== undefined && !reply.hasHeader('x-amzn-RateLimit-Limit'))
        reply.header('x-amzn-RateLimit-Limit', String(request.appliedRate));
      done(null, payload);
    });

    const observe = opts.onResponse;
    scope.addHook('onResponse', (request, reply, done) => {
      const s = reply.statusCode;
      if (s >= 200 && s < 300) {
        const operation = findOperation(request.routeOptions.config.operationId ?? '');
        if (operation) bindingOf.get(operation.api)?.onSuccess?.(operation.operationId, reply.elapsedTime / 1000);
      }
      observe?.(request, s, reply.elapsedTime);
      done();
    });

    const productionHere = fixed === null || fixed.environment === 'production';
    const sandboxHere = fixed === null || fixed.environment === 'sandbox';
    if (productionHere) {
      for (const binding of opts.apis) await scope.register(apiRoutes(binding));
      await scope.register(async (stubs) => {
        for (const op of OPERATIONS) {
          if (covered.has(op.operationId)) continue;
          stubs.route({
            method: op.method,
            url: op.path,
            handler: async () => {
              throw notImplemented(op.operationId, op.api, opts.scenarios.has(op.operationId));
            },
          });
        }
      });
    }
    if (sandboxHere) {
      await scope.register(sandboxPlugin, {
        scenarios: opts.scenarios,
        routes: 'all',
        matching: opts.sandboxMatching ?? 'defaults',
        ...(fixed === null ? { constraints: { host: SANDBOX_HOST } } : {}),
      });
    }
  };
}

/** The API gateway: one scope per plain base URL (`/na`, `/sandbox/eu`, …) and the root resolved by Host. */
export async function gatewayPlugin(app: FastifyInstance, opts: GatewayOptions): Promise<void> {
  checkBindings(opts.apis);
  for (const t of PREFIX_TARGETS)
    await app.register(apiScope({ region: t.region, environment: t.environment }, opts), { prefix: t.prefix });
  await app.register(apiScope(null, opts));
}

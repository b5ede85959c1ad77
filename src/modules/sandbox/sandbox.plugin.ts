import type { FastifyPluginAsync, FastifyReply, FastifyRequest, RouteShorthandOptions } from 'fastify';
import { OPERATIONS, type Operation } from '../registry/index.ts';
import { acceptEmptyJsonBodies } from '../../platform/http/json-body.ts';
import { describeNearMisses } from './domain/match.ts';
import { noMatchError } from './sandbox.errors.ts';
import { matchScenario, type SandboxMatching, type ScenarioSet } from './scenarios.ts';

export interface SandboxPluginOptions {
  scenarios: ScenarioSet;
  /**
   * Which operations get a route: those with at least one scenario when the plugin registers
   * (the default), or all of them (so scenarios added later for any operation are served).
   */
  routes?: 'with-scenarios' | 'all';
  /** How requests are compared with scenarios (`SANDBOX_MATCHING`); `defaults` when absent. */
  matching?: SandboxMatching;
  /** Route constraints for every route, e.g. `{ host: /^sandbox\./ }` beside production routes. */
  constraints?: RouteShorthandOptions['constraints'];
}

/** The route config every sandbox route carries, so hooks can find the operation. */
export interface SandboxRouteConfig {
  operationId: string;
}

const NO_BODY_STATUSES = new Set([204, 205, 304]);

function stringParams(params: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof params !== 'object' || params === null) return out;
  for (const [k, v] of Object.entries(params)) if (typeof v === 'string') out[k] = v;
  return out;
}

function answer(scenarios: ScenarioSet, operation: Operation, matching: SandboxMatching) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    const q = request.url.indexOf('?');
    const result = matchScenario(scenarios, operation.operationId, {
      pathParams: stringParams(request.params),
      rawQuery: q < 0 ? '' : request.url.slice(q + 1),
      headers: request.headers,
      body: request.body,
    }, matching);
    if (!result.matched) throw noMatchError(`${operation.operationId}: ${describeNearMisses(result.nearMisses)}`);
    const { status, headers, body } = result.scenario.response;
    reply.status(status);
    const withBody = body !== undefined && !NO_BODY_STATUSES.has(status);
    if (withBody) reply.type('application/json');
    for (const [name, value] of Object.entries(headers)) reply.header(name, value);
    return withBody ? reply.send(JSON.stringify(body)) : reply.send();
  };
}

/**
 * Serves the static sandbox: one route per operation at its wire path, answering from the
 * scenarios or with 400 InvalidInput. Authentication, roles and throttling are the gateway's
 * (its hooks find the operation in `routeOptions.config.operationId`).
 */
export const sandboxPlugin: FastifyPluginAsync<SandboxPluginOptions> = async (app, options) => {
  acceptEmptyJsonBodies(app);

  const all = options.routes === 'all';
  for (const operation of OPERATIONS) {
    if (!all && !options.scenarios.has(operation.operationId)) continue;
    const config: SandboxRouteConfig = { operationId: operation.operationId };
    app.route({
      method: operation.method,
      url: operation.path,
      config,
      ...(options.constraints ? { constraints: options.constraints } : {}),
      handler: answer(options.scenarios, operation, options.matching ?? 'defaults'),
    });
  }
};

import type { FastifyInstance } from 'fastify';
import { AppError } from '../../kernel/errors.ts';
import type { ScenarioProblem } from './scenarios.ts';
import { addScenario, removeScenario, type ScenarioSet } from './scenarios.ts';

/**
 * The operators' sandbox endpoints under /admin/v1/sandbox: list the scenarios (and the problems of
 * files skipped at start), add one at run time (it takes precedence over file scenarios), remove one.
 */
export function sandboxAdminRoutes(scenarios: ScenarioSet, problems: readonly ScenarioProblem[]) {
  return async (app: FastifyInstance): Promise<void> => {
    app.get('/sandbox/scenarios', async (request) => {
      const q = request.query as Record<string, unknown>;
      const op = typeof q.operationId === 'string' ? q.operationId : undefined;
      const list = scenarios.all().filter((s) => !op || s.operationId === op);
      return { scenarios: list, problems };
    });
    app.post('/sandbox/scenarios', async (request, reply) => {
      const result = addScenario(scenarios, request.body);
      if (!result.ok) throw new AppError('ValidationError', 'The scenario is not valid.', result.problems.join('; '));
      return reply.status(201).send(result.scenario);
    });
    app.delete('/sandbox/scenarios/:id', async (request, reply) => {
      const { id } = request.params as { id: string };
      if (!removeScenario(scenarios, id)) throw new AppError('NotFound', `Scenario ${id} was not found.`);
      return reply.status(204).send();
    });
  };
}

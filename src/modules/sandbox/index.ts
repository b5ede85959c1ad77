/** The static sandbox: scenario files, the matcher and the Fastify plugin that serves them (docs/sandbox.md). */

/** Loads the shipped scenarios and an operator directory; broken files are reported, not fatal. */
export { loadScenarios, SHIPPED_SCENARIO_DIR, type LoadedScenarios, type ScenarioProblem } from './scenarios.ts';
/** The loaded scenarios, by operation, in matching precedence. */
export { ScenarioSet } from './scenarios.ts';
/** Adds a scenario at run time (for the admin API); it takes precedence over file scenarios. */
export { addScenario } from './scenarios.ts';
/** Removes a scenario by id. */
export { removeScenario } from './scenarios.ts';
/** Matches a request against one operation's scenarios. */
export { matchScenario, type SandboxMatching } from './scenarios.ts';
/** The no-match failure (400 InvalidInput "Could not match input arguments"). */
export { noMatchError, NO_MATCH_MESSAGE } from './sandbox.errors.ts';
/** The operators' endpoints for scenarios (/admin/v1/sandbox/scenarios). */
export { sandboxAdminRoutes } from './sandbox.admin.ts';
/** The Fastify plugin that serves the sandbox routes. */
export { sandboxPlugin, type SandboxPluginOptions, type SandboxRouteConfig } from './sandbox.plugin.ts';
/** Pure matching helpers and types. */
export {
  describeNearMisses,
  parseRawQuery,
  toWireValue,
  type MatchResult,
  type Mismatch,
  type MismatchKind,
  type SandboxRequest,
} from './domain/match.ts';
/** Scenario types. */
export type {
  JsonValue,
  ParamValue,
  Scenario,
  ScenarioDefinition,
  ScenarioOrigin,
  ScenarioRequest,
  ScenarioResponse,
} from './domain/scenario.ts';

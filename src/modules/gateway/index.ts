/** The API gateway: base URLs per region and environment, token, role, email and usage-plan checks, and the routes of the built APIs. */

/** Registers every base URL's checks, the built APIs' routes, the 501s of the others, and the sandbox. */
export { gatewayPlugin, type GatewayOptions, type FaultInjector, type InjectedFault } from './gateway.plugin.ts';
/** The checks of one call (token, role, user email, usage plan), with their caches. */
export { GatewayService, type GatewayDecision, type RefusingCheck } from './gateway.service.ts';
/** The port an API implementation fills: its handlers, body policy and error naming. */
export {
  apiRoutes,
  ApiReply,
  checkBindings,
  SerializedJson,
  type ApiBinding,
  type ApiHandler,
  type ApiRequest,
  type BodyPolicy,
  type QueryParams,
  type WrongMethodRule,
} from './api-binding.ts';
/** What the gateway established about a call before its handler runs. */
export type { ApiCallContext, ApiCaller } from './context.ts';
/** Where a call is aimed, and the plain base URLs. */
export { PREFIX_TARGETS, SANDBOX_HOST, targetFromHost, type ApiTarget } from './targets.ts';
/** The gateway's refusals, in the platform's exact envelopes. */
export {
  accessDenied,
  emailNotAuthorized,
  injectedFault,
  missingParameters,
  notImplemented,
  quotaExceeded,
  tokenExpired,
  type InjectedStatus,
} from './gateway.errors.ts';

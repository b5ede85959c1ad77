/** Developer profiles, role requests and their reviews, apps and their LWA credentials. */

/** Developers and their profiles. */
export { DevelopersService, type Developer, type DeveloperProfile, type ProfileInput } from './developers.service.ts';
/** Apps, client secrets and their rotation. */
export {
  AppsService,
  NO_DESTINATION_MESSAGE,
  type AppInput,
  type AppPatch,
  type AppRecord,
  type SecretInfo,
  type SeededCredentials,
} from './apps.service.ts';
/** Operator reviews of profiles, roles, usage plans and privileged fields. */
export { ReviewsService, type Review, type ReviewKind, type UsagePlanOverride } from './reviews.service.ts';
/** The rules of roles, apps and redirect URIs (pure). */
export {
  allowedAppRoles,
  checkRedirectUri,
  MAX_APPS_PER_DEVELOPER,
  parseRoles,
  type AppStatus,
  type ProfileStatus,
} from './domain/rules.ts';
/** The developer API under /developer/v1. */
export { developerRoutes, developerFromRequest, DEVELOPER_COOKIE } from './developers.routes.ts';
/** Client secret notices: destinations, the outbox, its delivery worker and log. */
export {
  MAX_DESTINATIONS,
  NOTICE_TYPES,
  NoticesService,
  NoticeWorker,
  retryDelayMs,
  SIGNATURE_HEADER,
  signV4,
  webhookSignature,
  type DestinationInput,
  type DestinationView,
  type NoticeLogEntry,
  type RetryPolicy,
} from './notices/index.ts';

/** Login-with-Amazon compatible OAuth: consent by business admins, codes, tokens, revocation, and the App Center workflow. */

/** Authorizations, codes and tokens. */
export {
  OAuthService,
  REGION_DEFAULT_MARKETPLACE,
  rolesForNewAuthorization,
  type AccessGrant,
  type AccessLookup,
  type Authorization,
  type GrantlessTokenResponse,
  type TokenResponse,
} from './oauth.service.ts';
/** The token endpoint's and the consent page's refusals. */
export { ConsentError, OAuthError, CONSENT_REFUSAL_TEXT, type ConsentRefusal } from './oauth.errors.ts';
/** The token endpoint, the consent pages and the App Center workflow. */
export { tokenRoutes } from './token.routes.ts';
export { consentRoutes, BUSINESS_COOKIE } from './consent.routes.ts';
export { appCenterRoutes, APP_CENTER_CALLBACK } from './appcenter.routes.ts';
/** Grantless operations and the client_credentials scopes that open them. */
export { GRANTLESS_OPERATIONS, ROTATION_SCOPE, SP_API_ROTATION_SCOPE, grantlessScope, scopeAllows } from './domain/grantless.ts';

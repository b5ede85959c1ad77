/** An error of the token endpoint, rendered as `{"error_description","error"}` (spec 3.6). */
export class OAuthError extends Error {
  constructor(
    readonly error:
      | 'invalid_request'
      | 'invalid_client'
      | 'invalid_grant'
      | 'invalid_scope'
      | 'unsupported_grant_type'
      | 'unauthorized_client'
      | 'server_error',
    readonly description: string,
    readonly status = error === 'invalid_client' ? 401 : error === 'server_error' ? 500 : 400,
  ) {
    super(description);
    this.name = 'OAuthError';
  }
}

export const invalidGrant = (parameter: 'code' | 'refresh_token' | 'redirect_uri'): OAuthError =>
  new OAuthError('invalid_grant', `The request has an invalid grant parameter : ${parameter}`);
export const invalidClient = (): OAuthError => new OAuthError('invalid_client', 'Client authentication failed');
export const invalidParameter = (parameter: string): OAuthError =>
  new OAuthError('invalid_request', `The request has an invalid parameter : ${parameter}`);
/** A client_credentials request without a scope, or with one this server does not know. */
export const invalidScope = (missing: boolean): OAuthError =>
  new OAuthError('invalid_scope', missing ? 'The request has an invalid parameter : scope' : 'An unknown scope was requested');
export const unauthorizedClient = (): OAuthError => new OAuthError('unauthorized_client', 'Not authorized for requested operation');
export const unsupportedGrant = (): OAuthError =>
  new OAuthError('unsupported_grant_type', 'The authorization grant type is not supported by the authorization server');

/** Why a consent request is refused; shown on the "We can't connect this account" page, never redirected. */
export type ConsentRefusal =
  | 'unknown_application'
  | 'redirect_uri_mismatch'
  | 'sandbox_app'
  | 'no_role'
  | 'app_suspended'
  | 'app_not_published'
  | 'private_app_other_business'
  | 'not_admin'
  | 'not_admin_of_all_legal_entities'
  | 'marketplace_not_operated';

export const CONSENT_REFUSAL_TEXT: Record<ConsentRefusal, string> = {
  unknown_application: 'The applicationId does not match any registered app.',
  redirect_uri_mismatch: 'The redirect_uri does not exactly match a redirect URI registered for this app.',
  sandbox_app: 'This is a sandbox app. Sandbox apps get their tokens from "Create token" in the developer portal, not by consent.',
  no_role: 'This app has no Amazon Business role.',
  app_suspended: 'This app is suspended.',
  app_not_published: 'This app is not published yet. Its developer can test it with version=beta.',
  private_app_other_business: "This is a private app; only its developer's own business can authorize it.",
  not_admin: 'Only an administrator of the business account can authorize apps. Sign in with an administrator account.',
  not_admin_of_all_legal_entities: 'You must be an administrator of all legal entities of this business account to authorize apps.',
  marketplace_not_operated: 'Your business does not operate in this marketplace.',
};

/** Thrown by the consent checks; the consent pages render it. */
export class ConsentError extends Error {
  constructor(readonly refusal: ConsentRefusal) {
    super(CONSENT_REFUSAL_TEXT[refusal]);
    this.name = 'ConsentError';
  }
}

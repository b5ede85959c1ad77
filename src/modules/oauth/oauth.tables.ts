/**
 * One live authorization per (app, business, marketplace, environment): Amazon's tokens are unique
 * to each Amazon Business marketplace. `region` is the marketplace's region (the base URLs it is
 * served on); the roles are a snapshot taken at consent (on the refresh tokens). Every writer sets
 * `marketplace`; migration 2026-12-12T0100_authorization_marketplaces filled the rows written before.
 */
export interface AuthorizationsTable {
  id: string;
  app_id: string;
  business_id: string | null;
  region: 'NA' | 'EU' | 'FE';
  environment: 'production' | 'sandbox';
  /** The marketplace code consented in (US, UK, DE, …: the codes the APIs' `region` fields take). */
  marketplace: string;
  granted_by: string | null;
  created_at: number;
  revoked_at: number | null;
}

export interface GrantCodesTable {
  code_hash: string;
  app_id: string;
  authorization_id: string;
  redirect_uri: string;
  roles: string;
  expires_at: number;
  used_at: number | null;
  created_at: number;
}

export interface RefreshTokensTable {
  token_hash: string;
  authorization_id: string;
  app_id: string;
  roles: string;
  code_hash: string | null;
  created_at: number;
  revoked_at: number | null;
}

export interface AccessTokensTable {
  token_hash: string;
  refresh_token_hash: string;
  authorization_id: string;
  app_id: string;
  expires_at: number;
  created_at: number;
}

/** Access tokens of the client_credentials grant: an app's own, for the grantless operations of their scope. */
export interface GrantlessTokensTable {
  token_hash: string;
  app_id: string;
  scope: string;
  expires_at: number;
  created_at: number;
}

/** One authorization per (app, business, region, environment); the roles are a snapshot taken at consent. */
export interface AuthorizationsTable {
  id: string;
  app_id: string;
  business_id: string | null;
  region: 'NA' | 'EU' | 'FE';
  environment: 'production' | 'sandbox';
  marketplace: string | null;
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

export interface AdminKeysTable {
  id: string;
  name: string;
  key_hash: string;
  created_at: number;
  revoked_at: number | null;
}

/** Browser sessions of developers, business users and operators; only the hash of the cookie is stored. */
export interface SessionsTable {
  id_hash: string;
  kind: 'developer' | 'business_user' | 'operator' | 'app_center';
  subject_id: string;
  csrf_token: string;
  created_at: number;
  expires_at: number;
}

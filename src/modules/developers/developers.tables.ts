/** Kysely table types of the developers module. Role lists are JSON arrays as text. */
export interface DevelopersTable {
  id: string;
  email: string;
  name: string;
  password_hash: string | null;
  /** Kept by a conditional update so that at most 10 apps exist, also under concurrency. */
  app_count: number;
  /** The business whose administrators self-authorize this developer's private apps. */
  business_id: string | null;
  created_at: number;
}

export interface DeveloperProfilesTable {
  developer_id: string;
  status: 'draft' | 'submitted' | 'approved' | 'denied';
  organization: string;
  contact_email: string;
  use_case: string;
  requested_roles: string;
  approved_roles: string;
  /** Roles asked for after approval, waiting for review; approved roles keep working meanwhile. */
  pending_roles: string;
  review_reason: string | null;
  updated_at: number;
}

export interface AppsTable {
  id: string;
  developer_id: string;
  application_id: string;
  client_id: string;
  name: string;
  type: 'production' | 'sandbox';
  visibility: 'public' | 'private';
  environment_label: string;
  /** The roles configured on the app (Edit App). */
  roles: string;
  /** The roles new authorizations receive: changes only when a listing is approved, or at once when a role is removed. */
  published_roles: string;
  redirect_uris: string;
  login_uri: string | null;
  status: 'draft' | 'submitted' | 'published';
  suspended: number;
  created_at: number;
  updated_at: number;
}

export interface AppSecretsTable {
  id: string;
  app_id: string;
  secret_hash: string;
  created_at: number;
  expires_at: number | null;
}

export interface ReviewsTable {
  id: string;
  kind: 'profile' | 'role_request' | 'listing' | 'tps' | 'privileged_fields';
  developer_id: string;
  app_id: string | null;
  status: 'pending' | 'approved' | 'denied' | 'withdrawn';
  /** JSON: what was asked for (roles, rate and burst, fields…). */
  request: string;
  reason: string | null;
  reviewer: string | null;
  created_at: number;
  decided_at: number | null;
}

export interface UsagePlanOverridesTable {
  app_id: string;
  operation: string;
  rate: number;
  burst: number;
  updated_at: number;
}

export interface PrivilegedGrantsTable {
  app_id: string;
  field: string;
  granted_at: number;
}

/** Where an app's client secret notices go (docs/application-management.md); secrets sealed by SecretBox. */
export interface NoticeDestinationsTable {
  id: string;
  app_id: string;
  kind: 'sqs' | 'webhook';
  url: string;
  aws_access_key_id: string | null;
  aws_secret_key_enc: string | null;
  aws_region: string | null;
  signing_secret_enc: string | null;
  created_at: number;
}

/** One notice to one destination, written with the change it announces; the payload is sealed and emptied once finished. */
export interface NoticeOutboxTable {
  id: string;
  notice_id: string;
  app_id: string;
  destination_id: string;
  destination_label: string;
  notice_type: string;
  payload_enc: string | null;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  next_attempt_at: number;
  lease_owner: string | null;
  lease_until: number | null;
  last_error: string | null;
  created_at: number;
  finished_at: number | null;
}

/** The delivery log: one row per attempt. */
export interface NoticeAttemptsTable {
  id: string;
  outbox_id: string;
  app_id: string;
  attempt: number;
  started_at: number;
  duration_ms: number;
  status_code: number | null;
  error: string | null;
  outcome: 'delivered' | 'retry' | 'failed';
}

/** Kysely table types of the documents module. Times are epoch ms. */

export interface DocumentReportsTable {
  /** The reportId on the wire (digits). */
  id: string;
  business_id: string;
  /** The app that asked for it (null when an operator or a page did). */
  app_id: string | null;
  report_type: string;
  /** JSON array of marketplace ids, as asked. */
  marketplace_ids: string;
  /** JSON object of the report options, as asked. */
  options: string;
  data_start: number;
  data_end: number;
  created_at: number;
  /** Planned: processing starts (IN_QUEUE → IN_PROGRESS). */
  starts_at: number;
  /** Planned: processing ends (the outcome is produced at this instant). */
  ends_at: number;
  /** cancelReport's instant. */
  cancelled_at: number | null;
  /** What processing ended as, written once: DONE, FATAL or CANCELLED (no data). */
  outcome: string | null;
  outcome_at: number | null;
  /** Why it is FATAL or was cancelled without data (shown in the FATAL report's document). */
  outcome_reason: string | null;
  document_id: string | null;
}

export interface DocumentFilesTable {
  /** The reportDocumentId on the wire (a UUID). */
  id: string;
  report_id: string;
  business_id: string;
  content_type: string;
  file_name: string;
  /** `utf8` (the body is the text) or `base64` (a binary file). */
  encoding: string;
  body: string;
  byte_length: number;
  sha256: string;
  created_at: number;
}

export interface DocumentSigningKeysTable {
  id: string;
  /** The HMAC key of download URLs (random, made on first use, shared by every process through this row). */
  secret: string;
  created_at: number;
}

import type { Generated } from 'kysely';

/** Kysely table types of the emulator module. Times are epoch ms of the platform clock. */

/** One row (id `global`): the shared clock offset and the versions other processes poll. */
export interface EmulatorStateTable {
  id: string;
  clock_offset_ms: number;
  clock_version: number;
  faults_version: number;
  world_version: number;
  /** Moved by every change another process may have cached (every platform event a process emits). */
  cache_version: Generated<number>;
  updated_at: number;
}

/** A fault rule: which calls (null = any) and what happens to them. */
export interface EmulatorFaultsTable {
  id: string;
  operation: string | null;
  app_id: string | null;
  business_id: string | null;
  status: number | null;
  latency_ms: number;
  /** Calls left to answer; null = no limit. Decremented by a conditional UPDATE. */
  remaining: number | null;
  /** Share of the matching calls to fault, 1..100. */
  percentage: number;
  note: string | null;
  created_at: number;
}

/** One recorded API or token call. `seq` orders the entries and bounds their count. */
export interface RequestLogTable {
  seq: Generated<number>;
  at: number;
  request_id: string;
  kind: 'api' | 'token';
  method: string;
  path: string;
  region: string | null;
  environment: string | null;
  app_id: string | null;
  client_id: string | null;
  business_id: string | null;
  user_email: string | null;
  operation: string | null;
  status: number;
  latency_ms: number;
  error_code: string | null;
  fault_id: string | null;
  /** What the call created or read, `<kind>:<id>` (e.g. `order:114-1234567-1234567`). */
  resource: string | null;
  /** The gateway's decision as JSON (`GatewayDecision`): the refusing check and why, the usage-plan bucket. */
  decision: string | null;
  request_headers: string | null;
  request_body: string | null;
  response_body: string | null;
}

/** A resource kind in manual transitions: since `manual_since`, its resources move only when forced. */
export interface EmulatorTransitionModesTable {
  kind: string;
  manual_since: number;
  set_by: string;
}

/** A stage one resource was forced to (and every earlier stage with it), at `forced_at`. */
export interface EmulatorForcedStagesTable {
  kind: string;
  resource_id: string;
  stage: string;
  forced_at: number;
  forced_by: string;
}

/** The statuses a fault rule can answer with, each in its exact envelope (see the gateway's errors). */
export const FAULT_STATUSES = [429, 500, 503, 504] as const;
export type FaultStatus = (typeof FAULT_STATUSES)[number];

/** The longest latency a rule may add, in milliseconds. */
export const MAX_FAULT_LATENCY_MS = 60_000;
/** At most this many rules exist at once (they are all held in memory by every process). */
export const MAX_FAULT_RULES = 1000;

/** A fault rule: which calls (null = any) and what happens to them. */
export interface FaultRule {
  id: string;
  operation: string | null;
  appId: string | null;
  businessId: string | null;
  /** The status to answer with; null = only latency. */
  status: FaultStatus | null;
  latencyMs: number;
  /** Calls left to fault; null = until removed. */
  remaining: number | null;
  /** Share of the matching calls to fault, 1..100. */
  percentage: number;
  note: string | null;
  createdAt: number;
}

/** What identifies a call for matching. */
export interface FaultTarget {
  operationId: string;
  appId: string;
  businessId: string | null;
}

export const isFaultStatus = (n: number): n is FaultStatus => (FAULT_STATUSES as readonly number[]).includes(n);

/** True when the rule's filters all accept the call (a null filter accepts anything). */
export function ruleMatches(rule: FaultRule, call: FaultTarget): boolean {
  return (
    (rule.operation === null || rule.operation === call.operationId) &&
    (rule.appId === null || rule.appId === call.appId) &&
    (rule.businessId === null || rule.businessId === call.businessId)
  );
}

/** True when a rule still has calls to fault. */
export const ruleLive = (rule: FaultRule): boolean => rule.remaining === null || rule.remaining > 0;

/** Decides the percentage draw; `draw` is uniform in [0, 1). */
export const percentageHits = (percentage: number, draw: number): boolean => percentage >= 100 || draw * 100 < percentage;

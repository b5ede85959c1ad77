import type { Fragment } from './model.ts';

/** Guided buying: a business's policies matched against a product. */

export type Guidance = 'PREFERRED' | 'RESTRICTED' | 'BLOCKED';
export type GuidanceResult = Guidance | 'NONE' | 'UNKNOWN';

export interface BuyingPolicy {
  guidance: Guidance;
  matchType: 'asin' | 'brand' | 'category';
  value: string;
}

export interface GuidanceSubject {
  asin: string;
  brand?: string;
  department: string;
  categoryIds: readonly string[];
}

const SPECIFICITY = { asin: 0, brand: 1, category: 2 } as const;
const SEVERITY = { BLOCKED: 0, RESTRICTED: 1, PREFERRED: 2 } as const;

const eq = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/** Whether one policy applies to the product (category matches the department or any category on the path). */
export function policyMatches(policy: BuyingPolicy, p: GuidanceSubject): boolean {
  switch (policy.matchType) {
    case 'asin':
      return eq(policy.value, p.asin);
    case 'brand':
      return p.brand !== undefined && eq(policy.value, p.brand);
    case 'category':
      return eq(policy.value, p.department) || p.categoryIds.some((id) => eq(policy.value, id));
  }
}

export interface GuidanceDecision {
  guidance: GuidanceResult;
  /** Every matching policy, the deciding one first. */
  matched: BuyingPolicy[];
}

/**
 * The guidance for a product. The most specific matching policy decides (ASIN over brand over
 * category); among equally specific ones the strictest wins (BLOCKED, RESTRICTED, PREFERRED).
 * No matching policy gives NONE; policies that could not be read (null) give UNKNOWN.
 */
export function decideGuidance(policies: readonly BuyingPolicy[] | null, product: GuidanceSubject): GuidanceDecision {
  if (policies === null) return { guidance: 'UNKNOWN', matched: [] };
  const matched = policies
    .filter((p) => policyMatches(p, product))
    .sort((a, b) => SPECIFICITY[a.matchType] - SPECIFICITY[b.matchType] || SEVERITY[a.guidance] - SEVERITY[b.guidance]);
  return { guidance: matched[0]?.guidance ?? 'NONE', matched };
}

const TITLES: Record<GuidanceResult, string> = {
  PREFERRED: 'Preferred product',
  RESTRICTED: 'Restricted product',
  BLOCKED: 'Blocked product',
  NONE: 'NONE',
  UNKNOWN: 'UNKNOWN',
};

const MESSAGES: Record<Guidance, string> = {
  PREFERRED: 'Your organization prefers this product',
  RESTRICTED: 'This product does not comply with your organization\u2019s purchasing standards',
  BLOCKED: 'Your organization has blocked the purchase of this product',
};

/** buyingGuidanceV2 fragments: one per matching policy, or a single NONE/UNKNOWN fragment. */
export function guidanceFragments(decision: GuidanceDecision): Fragment[] {
  if (decision.matched.length === 0) return [{ title: TITLES[decision.guidance], type: decision.guidance, fragments: [] }];
  return decision.matched.map((p) => ({
    title: TITLES[p.guidance],
    message: `${MESSAGES[p.guidance]} (${p.matchType}: ${p.value}).`,
    type: p.guidance,
    fragments: [],
  }));
}

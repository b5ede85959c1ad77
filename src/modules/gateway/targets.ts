import type { Environment, Region } from '../../kernel/reference.ts';

/** Where an API call is aimed: a region and an environment. */
export interface ApiTarget {
  region: Region;
  environment: Environment;
}

/** The plain base URLs: a path prefix per region and environment, usable by any SDK without DNS changes. */
export const PREFIX_TARGETS: readonly (ApiTarget & { prefix: string; amazonHost: string })[] = [
  { prefix: '/na', region: 'NA', environment: 'production', amazonHost: 'na.business-api.amazon.com' },
  { prefix: '/eu', region: 'EU', environment: 'production', amazonHost: 'eu.business-api.amazon.com' },
  { prefix: '/jp', region: 'FE', environment: 'production', amazonHost: 'jp.business-api.amazon.com' },
  { prefix: '/sandbox/na', region: 'NA', environment: 'sandbox', amazonHost: 'sandbox.na.business-api.amazon.com' },
  { prefix: '/sandbox/eu', region: 'EU', environment: 'sandbox', amazonHost: 'sandbox.eu.business-api.amazon.com' },
  { prefix: '/sandbox/jp', region: 'FE', environment: 'sandbox', amazonHost: 'sandbox.jp.business-api.amazon.com' },
];

const REGION_LABEL: Record<string, Region> = { na: 'NA', eu: 'EU', jp: 'FE', fe: 'FE' };

/** Sandbox hosts as a route constraint: `sandbox.<region>.…`. */
export const SANDBOX_HOST = /^sandbox\.(na|eu|jp|fe)\./i;

/**
 * The target of a request at the root path, from its Host: Amazon's names (`na.business-api.amazon.com`,
 * `sandbox.eu.…`) or any host of the same shape mapped to this server; anything else is NA production.
 */
export function targetFromHost(host: string): ApiTarget {
  const m = /^(sandbox\.)?(na|eu|jp|fe)\./i.exec(host);
  if (!m) return { region: 'NA', environment: 'production' };
  return { region: REGION_LABEL[m[2]!.toLowerCase()]!, environment: m[1] ? 'sandbox' : 'production' };
}

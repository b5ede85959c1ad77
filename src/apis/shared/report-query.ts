import { accessDenied, type ApiRequest } from '../../modules/gateway/index.ts';
import { marketFacts } from '../../modules/catalog/index.ts';
import { MARKETPLACE_REGIONS } from '../../modules/registry/index.ts';
import { AppError } from '../../kernel/errors.ts';
import { instantParameter } from './dates.ts';
import { invalidParameter, invalidValue } from './errors.ts';
import { one } from './params.ts';

/** The longest order-date range a report covers (the models: "not more than 366 days"). */
export const MAX_RANGE_MS = 366 * 86_400_000;
/** How far past the clock's now an end date may be (a client's clock a little ahead of ours). */
export const CLOCK_SKEW_MS = 5 * 60_000;

/**
 * The stores a report covers: the token's marketplace (authorizations are per marketplace). A
 * `region` naming another store is refused as the gateway refuses a token on another region's base
 * URL (`callMarketplace`).
 */
export function reportRegions(req: ApiRequest, name = 'region'): string[] {
  const region = one(req.query, name);
  if (region === undefined || region === '') return [callMarketplace(req)];
  if (!(MARKETPLACE_REGIONS as readonly string[]).includes(region)) throw invalidValue(name, region, MARKETPLACE_REGIONS);
  return [callMarketplace(req, region)];
}

/**
 * The marketplace a call acts in: the one its token was consented in (the FAQ: tokens "are unique for
 * each Amazon Business marketplace"). A store the request names (`productRegion`, `region`, a
 * placeOrder Region attribute, marketplaceIds) that is not the token's answers the gateway's 403 for
 * a token used where it does not belong: `{"errors":[{"message":"Access to requested resource is
 * denied.","code":"Unauthorized","details":""}]}`. An operation naming none acts in the token's.
 */
export function callMarketplace(req: ApiRequest, named?: string): string {
  if (named !== undefined && named.toUpperCase() !== req.call.marketplace) throw accessDenied();
  return req.call.marketplace;
}

/** The business the call's token was authorized by (production tokens always have one); else 403 as the gateway answers. */
export function callerBusiness(req: ApiRequest): string {
  if (!req.call.businessId) throw new AppError('Unauthorized', 'The access token is not authorized by a business.');
  return req.call.businessId;
}

/** The stores an endpoint (NA, EU, FE) serves. */
export const endpointStores = (endpointRegion: string): string[] =>
  MARKETPLACE_REGIONS.filter((r) => marketFacts(r)?.marketplace.region === endpointRegion);

/** How a report API words its date-range refusals. */
export interface RangeWords {
  /** The start after the end. */
  readonly reversed: AppError;
}

/**
 * A required date range from two query parameters: both present (the sandbox's words when one is
 * missing), ISO 8601, start ≤ end, at most 366 days, the end not in the future.
 */
export function dateRange(req: ApiRequest, names: readonly [string, string], now: number, words: RangeWords): { from: number; to: number } {
  const [startName, endName] = names;
  for (const name of names) {
    const v = one(req.query, name);
    if (v === undefined || v === '')
      throw invalidParameter(`The required parameter ${name} is missing.`, `Please provide the required parameter ${name} in the request.`);
  }
  const from = instantParameter(one(req.query, startName)!, startName);
  const to = instantParameter(one(req.query, endName)!, endName);
  if (from > to) throw words.reversed;
  if (to - from > MAX_RANGE_MS)
    throw invalidParameter(
      `The range from ${startName} to ${endName} is longer than 366 days.`,
      `Please ask for at most 366 days of orders at a time.`,
    );
  if (to > now + CLOCK_SKEW_MS)
    throw invalidParameter(`The ${endName} must not be in the future.`, `The server's time is ${new Date(now).toISOString()}.`);
  return { from, to };
}

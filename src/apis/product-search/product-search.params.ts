import { MARKETPLACES, REGIONS, type Region } from '../../kernel/reference.ts';
import { marketFacts, normalizeLocale, supportsLocale, type MarketFacts } from '../../modules/catalog/index.ts';
import { invalidParameter, requireParams } from '../shared/index.ts';

/** The marketplace, locale and destination of a Product Search request; every refusal is a 400 INVALID_REQUEST_PARAMETER. */

export interface Market {
  facts: MarketFacts;
  locale: string;
}

export interface MarketContext {
  /** Region of the endpoint the call came in on (NA, EU, FE). */
  endpointRegion: Region;
  /** Marketplaces the business operates in; null when unknown (no business or no lookup). */
  businessMarketplaces: readonly string[] | null;
}

/** The marketplace and locale of a request, checked against the endpoint and the business. */
export function parseMarket(productRegion: unknown, locale: unknown, allowed: readonly string[], ctx: MarketContext): Market {
  requireParams({ productRegion, locale }, ['productRegion', 'locale']);
  const code = String(productRegion).trim().toUpperCase();
  if (typeof productRegion !== 'string' || !allowed.includes(code)) {
    throw invalidParameter(
      `Invalid value [${String(productRegion)}] for request parameter [productRegion]. Valid values: ${allowed.join(', ')}.`,
    );
  }
  const facts = marketFacts(code);
  if (!facts) throw invalidParameter(`Invalid value [${code}] for request parameter [productRegion].`);
  if (facts.marketplace.region !== ctx.endpointRegion) {
    throw invalidParameter(
      `productRegion [${code}] is served by the ${facts.marketplace.region} endpoint, not by the ${ctx.endpointRegion} endpoint this request was sent to.`,
    );
  }
  if (ctx.businessMarketplaces && !ctx.businessMarketplaces.includes(code)) {
    throw invalidParameter(
      `The business does not operate in productRegion [${code}]; it operates in [${ctx.businessMarketplaces.join(', ')}].`,
    );
  }
  const raw = typeof locale === 'string' ? locale : '';
  const normalized = /^[a-zA-Z_-]+$/.test(raw) ? normalizeLocale(raw) : null;
  if (!normalized)
    throw invalidParameter(
      `Invalid value [${String(locale)}] for request parameter [locale]: expected a locale such as ${facts.locales[0]}.`,
    );
  if (!supportsLocale(facts, normalized)) {
    throw invalidParameter(`Locale [${raw}] is not supported for productRegion [${code}]. Supported locales: ${facts.locales.join(', ')}.`);
  }
  return { facts, locale: normalized };
}

/** The destination country from `shippingRegion` (a marketplace code or an endpoint region). */
export function parseShippingRegion(value: unknown, market: MarketFacts): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const v = String(value).trim().toUpperCase();
  const country = MARKETPLACES.find((m) => m.code === v || (v === 'GB' && m.code === 'UK'));
  if (country) {
    if (country.region !== market.marketplace.region) {
      throw invalidParameter(
        `shippingRegion [${v}] conflicts with productRegion [${market.marketplace.code}]: they are in different regions.`,
      );
    }
    return country.code;
  }
  if ((REGIONS as readonly string[]).includes(v)) {
    if (v !== market.marketplace.region)
      throw invalidParameter(`shippingRegion [${v}] conflicts with productRegion [${market.marketplace.code}].`);
    return undefined;
  }
  throw invalidParameter(
    `Invalid value [${String(value)}] for request parameter [shippingRegion]: expected a marketplace code (US, UK, ...) or a region (NA, EU, FE).`,
  );
}

export function parsePostalCode(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const v = String(value).trim();
  if (v.length > 16 || !/^[A-Za-z0-9 -]+$/.test(v))
    throw invalidParameter(`Invalid value [${String(value)}] for request parameter [shippingPostalCode].`);
  return v;
}

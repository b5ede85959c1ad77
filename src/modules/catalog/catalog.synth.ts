import { marketplaceByCode } from '../../kernel/reference.ts';
import { currencyExponent } from './domain/money.ts';
import type { Condition, Fulfillment, MerchantRecord, OfferRecord, QuantityTier, SubCondition } from './domain/model.ts';
import { Prng } from './domain/prng.ts';

/**
 * Deterministic synthetic commerce data shared by the sample-catalog converter and the generator:
 * a fixed set of merchants and 1-5 offers per product and marketplace from a seeded PRNG.
 */

export interface SampleMerchant extends MerchantRecord {
  /** Marketplaces the merchant sells in (not part of the record format). */
  regions: readonly string[];
  /** SKU prefix. */
  skuPrefix: string;
  /** Sells used and refurbished goods. */
  renewed?: boolean;
  firstParty?: boolean;
}

const CERT = {
  minority: { id: 'MYC_TYPE_DIV_MIN_BUSINESS', name: 'Minority-Owned Business' },
  small: { id: 'MYC_TYPE_DIV_REG_SMALL_BUSINESS', name: 'Registered Small Business' },
  women: { id: 'MYC_TYPE_DIV_WOMEN_BUSINESS', name: 'Women-Owned Business' },
  veteran: { id: 'MYC_TYPE_DIV_VETERAN_BUSINESS', name: 'Veteran-Owned Business' },
  hubzone: { id: 'MYC_TYPE_DIV_HUBZONE_BUSINESS', name: 'HUBZone Business' },
  lgbtq: { id: 'MYC_TYPE_DIV_LGBTQ_BUSINESS', name: 'LGBTQ-Owned Business' },
} as const;

const merchant = (
  id: string,
  name: string,
  rating: number,
  count: number,
  regions: string[],
  skuPrefix: string,
  certificates: { id: string; name: string }[] = [],
  extra: Partial<SampleMerchant> = {},
): SampleMerchant => ({ type: 'merchant', id, name, meanFeedbackRating: rating, totalFeedbackCount: count, certificates, regions, skuPrefix, ...extra });

/** The merchants of the sample catalog (fictional, except Amazon as first-party seller). */
export const SAMPLE_MERCHANTS: readonly SampleMerchant[] = [
  merchant('ATVPDKIKX0DER', 'Amazon', 4.9, 1_250_000, ['US', 'CA', 'UK', 'DE'], 'AMZ', [], { firstParty: true }),
  merchant('A1SUMMITWRLS01', 'Summit Wireless Supply', 4.7, 18_432, ['US', 'CA'], 'SWS', [CERT.minority, CERT.small]),
  merchant('A2HARBOROFFC02', 'Harbor Office & Tech', 4.6, 9_812, ['US'], 'HOT', [CERT.women]),
  merchant('A3NORTHWINDM03', 'Northwind Mobile Outfitters', 4.4, 52_310, ['US', 'CA'], 'NWM'),
  merchant('A4BLUEFINELC04', 'Bluefin Electronics Direct', 4.2, 3_205, ['US', 'UK'], 'BED'),
  merchant('A5CASCADEDEV05', 'Cascade Device Outlet', 4.8, 1_204, ['US'], 'CDO', [CERT.veteran, CERT.small]),
  merchant('A6REDWOODRNW06', 'Redwood Renewed', 4.3, 7_645, ['US', 'CA', 'UK', 'DE'], 'RRW', [], { renewed: true }),
  merchant('A7LAKESIDEGC07', 'Lakeside Gadget Co.', 3.9, 612, ['US'], 'LGC', [CERT.hubzone]),
  merchant('A8PRAIRIEBUS08', 'Prairie Business Supply', 4.5, 2_390, ['US', 'CA'], 'PBS', [CERT.small, CERT.lgbtq]),
  merchant('A9METROTECHW09', 'Metro Tech Wholesale', 3.2, 845, ['US'], 'MTW'),
  merchant('A10BRITANNIA10', 'Britannia Mobile Trading Ltd', 4.6, 11_230, ['UK', 'DE'], 'BMT', [CERT.small]),
  merchant('A11RHEINELEK11', 'Rhein Elektronik Handel GmbH', 4.7, 20_511, ['DE', 'UK'], 'REH'),
  merchant('A12MAPLELEAF12', 'Maple Leaf Cellular', 4.5, 3_118, ['CA'], 'MLC', [CERT.women]),
];

/** The merchant records to import (without the synthesis-only fields). */
export function sampleMerchantRecords(): MerchantRecord[] {
  return SAMPLE_MERCHANTS.map(({ type, id, name, meanFeedbackRating, totalFeedbackCount, certificates }) => ({
    type,
    id,
    name,
    meanFeedbackRating,
    totalFeedbackCount,
    ...(certificates && certificates.length ? { certificates } : {}),
  }));
}

/** Fixed price conversion from USD, shelf tax included (VAT for UK and DE). */
const REGION_PRICE_FACTOR: Record<string, number> = { US: 1, CA: 1.37, UK: 0.79 * 1.2, DE: 0.92 * 1.19 };

export interface OfferPlan {
  /** Marketplaces and the chance the product is sold there; US is always 1. */
  regions: Record<string, number>;
  /** Every offer is refurbished (a "Refurbished Phones" product). */
  refurbished?: boolean;
}

export const DEFAULT_OFFER_PLAN: OfferPlan = { regions: { US: 1, CA: 0.2, UK: 0.15, DE: 0.15 } };

/** A price ending in .99 (or 9 in zero-decimal currencies), at least one minor unit below the next whole unit. */
function charm(minor: number, currency: string): number {
  const unit = 10 ** currencyExponent(currency);
  if (unit === 1) return Math.max(9, Math.round(minor / 10) * 10 - 1);
  if (minor < 5 * unit) return Math.max(49, Math.round(minor / 10) * 10 - 1);
  return Math.max(unit - 1, Math.floor(minor / unit) * unit + unit - 1);
}

function offerId(prng: Prng): string {
  const bytes = Buffer.from(Array.from({ length: 16 }, () => prng.int(0, 255)));
  return encodeURIComponent(bytes.toString('base64'));
}

/** 1-5 offers in the US (and sometimes CA, UK, DE) for a product with a USD reference price. */
export function synthesizeOffers(asin: string, usdMinor: number, plan: OfferPlan = DEFAULT_OFFER_PLAN): OfferRecord[] {
  const prng = new Prng(`offers:${asin}`);
  const offers: OfferRecord[] = [];
  for (const [region, chance] of Object.entries(plan.regions)) {
    if (region !== 'US' && !prng.chance(chance)) continue;
    const currency = marketplaceByCode(region)?.currency ?? 'USD';
    const scale = 10 ** (currencyExponent(currency) - 2);
    const base = Math.max(100, Math.round(usdMinor * (REGION_PRICE_FACTOR[region] ?? 1) * scale));
    const eligible = SAMPLE_MERCHANTS.filter((m) => m.regions.includes(region));
    const count = region === 'US' ? prng.pick([1, 1, 2, 2, 2, 3, 4, 5]) : prng.pick([1, 1, 2]);
    const chosen = prng.shuffle(eligible.filter((m) => !m.firstParty));
    const amazon = eligible.find((m) => m.firstParty);
    const sellers = (amazon && prng.chance(0.55) ? [amazon, ...chosen] : chosen).slice(0, count);
    for (const m of sellers) offers.push(synthesizeOffer(prng, asin, region, currency, base, m, plan));
  }
  return offers;
}

function synthesizeOffer(prng: Prng, asin: string, region: string, currency: string, base: number, m: SampleMerchant, plan: OfferPlan): OfferRecord {
  let condition: Condition = 'NEW';
  let subCondition: SubCondition = 'NEW';
  let conditionNote: string | undefined;
  if (plan.refurbished) {
    condition = 'REFURBISHED';
    subCondition = 'REFURBISHED';
    conditionNote = 'Inspected and tested. 90-day warranty.';
  } else if (m.renewed) {
    condition = prng.chance(0.5) ? 'USED' : 'REFURBISHED';
    subCondition = condition === 'USED' ? prng.pick<SubCondition>(['LIKE_NEW', 'VERY_GOOD', 'GOOD']) : 'REFURBISHED';
    conditionNote = condition === 'USED' ? 'Light cosmetic wear.' : 'Renewed. 90-day warranty.';
  }
  const factor = condition === 'NEW' ? prng.between(0.94, 1.1) : condition === 'USED' ? prng.between(0.6, 0.8) : prng.between(0.7, 0.86);
  const price = charm(Math.round(base * factor), currency);
  const scale = 10 ** (currencyExponent(currency) - 2);
  const offer: OfferRecord = { offerId: offerId(prng), region, merchantId: m.id, sku: `${m.skuPrefix}${asin.slice(2)}`, condition, currency, price, fulfillment: 'MERCHANT_FULFILLMENT', stock: 0, shipping: { cost: 0, minDays: 1, maxDays: 2 } };
  if (subCondition !== 'NEW') offer.subCondition = subCondition;
  if (conditionNote) offer.conditionNote = conditionNote;
  if (condition === 'NEW' && prng.chance(0.6)) offer.listPrice = charm(Math.round(Math.max(price, base) * prng.between(1.05, 1.3)), currency);
  if (prng.chance(0.6)) {
    const business = Math.max(1, Math.round(price * prng.between(0.92, 0.98)));
    offer.businessPrice = business;
    if (prng.chance(0.5)) {
      const starts = prng.shuffle([5, 10, 25, 50, 100]).slice(0, prng.int(2, 3)).sort((a, b) => a - b);
      let discount = 0;
      const tiers: QuantityTier[] = [];
      for (const minQuantity of starts) {
        discount += prng.between(0.02, 0.05);
        tiers.push({ minQuantity, price: Math.max(1, Math.round(business * (1 - discount))) });
      }
      offer.quantityTiers = tiers;
    }
  }
  const fba = m.firstParty || prng.chance(0.5);
  const fulfillment: Fulfillment = fba ? 'AMAZON_FULFILLMENT' : 'MERCHANT_FULFILLMENT';
  offer.fulfillment = fulfillment;
  offer.prime = fba && (m.firstParty || prng.chance(0.9));
  const roll = prng.next();
  offer.stock = roll < 0.06 ? 0 : roll < 0.16 ? prng.int(1, 5) : prng.int(6, 500);
  const max = prng.pick([5, 10, 25, 30, 50, 100, 999]);
  if (max !== 999) offer.maxQuantity = max;
  if (offer.prime) {
    const min = prng.chance(0.15) ? 0 : prng.chance(0.7) ? 1 : 2;
    offer.shipping = { cost: 0, minDays: min, maxDays: min + 1 };
  } else if (fba) {
    offer.shipping = { cost: Math.round(599 * scale), freeOver: Math.round(3500 * scale), minDays: 2, maxDays: 5 };
  } else {
    const min = prng.int(3, 5);
    const cost = Math.round(prng.pick([0, 499, 699, 999]) * scale);
    offer.shipping = { cost, ...(cost > 0 && prng.chance(0.5) ? { freeOver: Math.round(4900 * scale) } : {}), minDays: min, maxDays: min + prng.int(2, 4) };
  }
  return offer;
}

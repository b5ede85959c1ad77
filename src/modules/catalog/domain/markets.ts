import { marketplaceByCode, type Marketplace } from '../../../kernel/reference.ts';

/** Per-marketplace facts the catalog needs beyond kernel/reference: locales, time zone, tax. */
export interface MarketFacts {
  readonly marketplace: Marketplace;
  /** Locales a request may use for this marketplace (java.util.Locale style). */
  readonly locales: readonly string[];
  /** Time zone of delivery estimates and order cut-off. */
  readonly timeZone: string;
  /** Rate of the tax included in shelf prices (VAT/GST); 0 where prices are shown before tax. */
  readonly includedTaxRate: number;
  /** Label of the tax-exclusive price. */
  readonly taxLabel: string;
}

const FACTS: Record<string, Omit<MarketFacts, 'marketplace'>> = {
  US: { locales: ['en_US', 'es_US'], timeZone: 'America/New_York', includedTaxRate: 0, taxLabel: 'Excl. tax' },
  CA: { locales: ['en_CA', 'fr_CA'], timeZone: 'America/Toronto', includedTaxRate: 0, taxLabel: 'Excl. tax' },
  MX: { locales: ['es_MX', 'en_US'], timeZone: 'America/Mexico_City', includedTaxRate: 0.16, taxLabel: 'Sin IVA' },
  UK: { locales: ['en_GB'], timeZone: 'Europe/London', includedTaxRate: 0.2, taxLabel: 'Excl. VAT' },
  DE: { locales: ['de_DE', 'en_GB', 'nl_NL', 'pl_PL', 'tr_TR', 'cs_CZ'], timeZone: 'Europe/Berlin', includedTaxRate: 0.19, taxLabel: 'ohne MwSt.' },
  FR: { locales: ['fr_FR', 'en_GB'], timeZone: 'Europe/Paris', includedTaxRate: 0.2, taxLabel: 'HT' },
  ES: { locales: ['es_ES', 'en_GB'], timeZone: 'Europe/Madrid', includedTaxRate: 0.21, taxLabel: 'sin IVA' },
  IT: { locales: ['it_IT', 'en_GB'], timeZone: 'Europe/Rome', includedTaxRate: 0.22, taxLabel: 'IVA esclusa' },
  IN: { locales: ['en_IN', 'hi_IN'], timeZone: 'Asia/Kolkata', includedTaxRate: 0.18, taxLabel: 'Excl. GST' },
  JP: { locales: ['ja_JP', 'en_US', 'zh_CN'], timeZone: 'Asia/Tokyo', includedTaxRate: 0.1, taxLabel: '税抜' },
  AU: { locales: ['en_AU'], timeZone: 'Australia/Sydney', includedTaxRate: 0.1, taxLabel: 'Excl. GST' },
};

/** The facts of a marketplace by its region code (US, UK, DE, ...), or undefined. */
export function marketFacts(code: string): MarketFacts | undefined {
  const marketplace = marketplaceByCode(code);
  const facts = marketplace ? FACTS[marketplace.code] : undefined;
  return marketplace && facts ? { marketplace, ...facts } : undefined;
}

/** `en_US` or `en-US` in the canonical underscore form, or null when malformed. */
export function normalizeLocale(locale: string): string | null {
  const m = /^([a-zA-Z]{2,3})(?:[_-]([a-zA-Z]{2}))?$/.exec(locale.trim());
  if (!m) return null;
  return m[2] ? `${(m[1] as string).toLowerCase()}_${m[2].toUpperCase()}` : (m[1] as string).toLowerCase();
}

/** True when the marketplace serves content in that locale. */
export function supportsLocale(facts: MarketFacts, locale: string): boolean {
  return facts.locales.includes(locale);
}

/** `en_US` to the BCP 47 tag Intl expects (`en-US`). */
export const bcp47 = (locale: string): string => locale.replace('_', '-');

import { bcp47 } from './markets.ts';

/** Money is kept in integer minor units (cents); these helpers convert and format it. */

const exponents = new Map<string, number>();

/** Digits after the decimal point of a currency (USD 2, JPY 0). */
export function currencyExponent(currency: string): number {
  let e = exponents.get(currency);
  if (e === undefined) {
    e = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    exponents.set(currency, e);
  }
  return e;
}

/** Minor units to the decimal amount the wire carries (4999 USD -> 49.99). */
export function toAmount(minor: number, currency: string): number {
  const e = currencyExponent(currency);
  return Number((minor / 10 ** e).toFixed(e));
}

/** A whole amount in major units (a `minPrice` of 50 USD) to minor units (5000). */
export const majorToMinor = (major: number, currency: string): number => Math.round(major * 10 ** currencyExponent(currency));

/** A decimal string ("49.99") to minor units, or null when it has more decimals than the currency. */
export function parseDecimal(text: string, currency: string): number | null {
  const e = currencyExponent(currency);
  const m = /^(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!m || (m[2] ?? '').length > e) return null;
  return Number(m[1]) * 10 ** e + Number((m[2] ?? '').padEnd(e, '0') || '0');
}

const formatters = new Map<string, Intl.NumberFormat>();

/** A displayable price in the request's locale ("$49.99", "49,99 €"). */
export function formatMoney(minor: number, currency: string, locale: string): string {
  const key = `${locale}|${currency}`;
  let f = formatters.get(key);
  if (!f) {
    try {
      f = new Intl.NumberFormat(bcp47(locale), { style: 'currency', currency });
    } catch {
      f = new Intl.NumberFormat('en-US', { style: 'currency', currency });
    }
    formatters.set(key, f);
  }
  return f.format(toAmount(minor, currency));
}

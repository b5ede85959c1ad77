import { Prng } from './prng.ts';

/** Product identifiers: UPC-A, EAN-13, ISBN; check digits and normalization. */

export const digitsOnly = (value: string): string => value.replace(/[^0-9Xx]/g, '').toUpperCase();

/** The GS1 check digit for the digits of a UPC-A or EAN-13 without their last digit. */
export function gs1CheckDigit(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const d = Number(body[body.length - 1 - i]);
    sum += i % 2 === 0 ? d * 3 : d;
  }
  return (10 - (sum % 10)) % 10;
}

export const isValidUpc = (v: string): boolean => /^\d{12}$/.test(v) && gs1CheckDigit(v.slice(0, 11)) === Number(v[11]);
export const isValidEan = (v: string): boolean => /^\d{13}$/.test(v) && gs1CheckDigit(v.slice(0, 12)) === Number(v[12]);

export function isValidIsbn(v: string): boolean {
  if (/^\d{13}$/.test(v)) return isValidEan(v);
  if (!/^\d{9}[\dX]$/.test(v)) return false;
  let sum = 0;
  for (let i = 0; i < 10; i++) sum += (v[i] === 'X' ? 10 : Number(v[i])) * (10 - i);
  return sum % 11 === 0;
}

/** A deterministic, check-digit-valid UPC-A in the GS1 range for company-internal numbers (prefix 0). */
export function upcFromSeed(seed: string): string {
  const prng = new Prng(`upc:${seed}`);
  let body = '0';
  for (let i = 0; i < 10; i++) body += String(prng.int(0, 9));
  return body + String(gs1CheckDigit(body));
}

/** The EAN-13 of a UPC-A: the same number with a leading zero. */
export const eanFromUpc = (upc: string): string => `0${upc}`;

import { invalidParameter } from './errors.ts';

/**
 * ISO 8601 instants as the report APIs take them: a date (`2025-04-01`), or a date and time with or
 * without seconds, fraction and offset (`2020-12-01T00:00:00`, `2025-04-01T00:00:00Z`,
 * `…+02:00`). Without an offset the time is UTC, as the sandbox examples read.
 */
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** The instant of an ISO 8601 date or date-time, or null when it is not one (a real calendar date, hours < 24, …). */
export function parseInstant(value: string): number | null {
  const m = ISO.exec(value.trim());
  if (!m) return null;
  const [, y, mo, d, h = '00', mi = '00', s = '00', frac = '', zone = 'Z'] = m;
  const [Y, M, D, H, I, S] = [y, mo, d, h, mi, s].map(Number) as [number, number, number, number, number, number];
  if (M < 1 || M > 12 || D < 1 || H > 23 || I > 59 || S > 59) return null;
  const base = Date.UTC(Y, M - 1, D, H, I, S, Number(frac.padEnd(3, '0').slice(0, 3)));
  if (new Date(base).getUTCDate() !== D) return null;
  if (zone === 'Z') return base;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const offset = (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  return base - sign * offset;
}

/** A required instant parameter; malformed: "Input date [x] is not in the expected ISO8601 format." (the Reconciliation sandbox's words). */
export function instantParameter(value: string, name: string): number {
  const at = parseInstant(value);
  if (at === null)
    throw invalidParameter(
      `Input date [${value.length > 60 ? `${value.slice(0, 60)}…` : value}] is not in the expected ISO8601 format.`,
      `Request parameter [${name}] must be an ISO 8601 date-time such as 2025-04-01T00:00:00Z.`,
    );
  return at;
}

/** An instant as the reports write it: ISO 8601 in UTC to the millisecond, so that it can be sent back as a range bound exactly. */
export const isoInstant = (ms: number): string => new Date(ms).toISOString();

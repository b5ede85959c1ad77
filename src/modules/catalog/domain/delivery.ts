import type { Shipping } from './model.ts';

/**
 * Deterministic delivery estimates. Inputs: the time (from the injected Clock), the marketplace's
 * time zone, the destination postal code and the offer's minimum/maximum business days.
 *
 * - Orders placed before ORDER_CUTOFF_HOUR local time on a business day ship that day, otherwise
 *   on the next business day (Monday to Friday).
 * - The postal code adds zone days (0 near a fulfillment centre, up to 3 for remote areas), from a
 *   table per country keyed by the code's leading characters; no or unknown code adds 1.
 * - Shipping to another country than the marketplace's adds INTERNATIONAL_EXTRA_DAYS.
 * - Delivery = dispatch day + (offer days + zone days + extra) business days; the range starts
 *   at 08:00 on the first day and ends at 20:00 on the last, in the marketplace's time zone.
 */

export const ORDER_CUTOFF_HOUR = 14;
export const DEFAULT_ZONE_DAYS = 1;
export const INTERNATIONAL_EXTRA_DAYS = 4;

export interface Destination {
  /** Marketplace code of the offer (US, UK, ...). */
  market: string;
  timeZone: string;
  postalCode?: string;
  /** Marketplace code of the destination country, when it differs from the market. */
  country?: string;
}

/** A calendar date as days since 1970-01-01 (no time zone). */
type Day = number;
const DAY_MS = 86_400_000;
const toIso = (d: Day): string => new Date(d * DAY_MS).toISOString().slice(0, 10);
const weekday = (d: Day): number => new Date(d * DAY_MS).getUTCDay();
const isBusinessDay = (d: Day): boolean => weekday(d) !== 0 && weekday(d) !== 6;

function addBusinessDays(start: Day, n: number): Day {
  let d = start;
  while (!isBusinessDay(d)) d++;
  for (let i = 0; i < n; i++) {
    d++;
    while (!isBusinessDay(d)) d++;
  }
  return d;
}

/** Local day and hour at an instant, from the zone's offset then. */
function localParts(epochMs: number, timeZone: string): { day: Day; hour: number } {
  const local = epochMs + offsetMinutes(epochMs, timeZone) * 60_000;
  const day = Math.floor(local / DAY_MS);
  return { day, hour: Math.floor((local - day * DAY_MS) / 3_600_000) };
}

const offsetFormatters = new Map<string, Intl.DateTimeFormat>();
const OFFSET_SLOT_MS = 15 * 60_000;
const offsets = new Map<string, number>();

/**
 * Offset of the zone at an instant in minutes east of UTC. Offsets change only at transitions
 * on a quarter hour, so one answer per zone and quarter hour is exact (and Intl is slow).
 */
function offsetMinutes(epochMs: number, timeZone: string): number {
  const key = `${timeZone}|${Math.floor(epochMs / OFFSET_SLOT_MS)}`;
  const known = offsets.get(key);
  if (known !== undefined) return known;
  let f = offsetFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' });
    offsetFormatters.set(timeZone, f);
  }
  const name = f.formatToParts(new Date(epochMs)).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  const offset = m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
  if (offsets.size >= 10_000) offsets.clear();
  offsets.set(key, offset);
  return offset;
}

/** `2026-12-02T08:00:00-05:00`: a local wall-clock time on a day, with the zone's offset then. */
function localDateTime(day: Day, hour: number, timeZone: string): string {
  const wall = day * DAY_MS + hour * 3_600_000;
  let offset = offsetMinutes(wall, timeZone);
  offset = offsetMinutes(wall - offset * 60_000, timeZone);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${toIso(day)}T${String(hour).padStart(2, '0')}:00:00${sign}${hh}:${mm}`;
}

/** Zone days for a postal code in a country; null when the code is not recognised. */
export function zoneDays(country: string, postalCode: string): number | null {
  const code = postalCode.trim().toUpperCase().replace(/\s+/g, '');
  switch (country) {
    case 'US': {
      if (!/^\d{5}(-?\d{4})?$/.test(code)) return null;
      const p3 = Number(code.slice(0, 3));
      if ((p3 >= 967 && p3 <= 968) || p3 >= 995) return 3;
      return [1, 1, 0, 1, 0, 1, 1, 1, 2, 0][Number(code[0])] ?? null;
    }
    case 'CA': {
      if (!/^[ABCEGHJ-NPRSTVXY]\d[A-Z]\d[A-Z]\d$/.test(code)) return null;
      const z: Record<string, number> = { A: 3, B: 2, C: 2, E: 2, G: 1, H: 1, J: 1, K: 0, L: 0, M: 0, N: 0, P: 1, R: 1, S: 2, T: 1, V: 1, X: 3, Y: 3 };
      return z[code[0] as string] ?? null;
    }
    case 'UK': {
      const m = /^([A-Z]{1,2})\d[A-Z\d]?\d[A-Z]{2}$/.exec(code);
      if (!m) return null;
      const area = m[1] as string;
      if (['E', 'EC', 'N', 'NW', 'SE', 'SW', 'W', 'WC'].includes(area)) return 0;
      if (['IV', 'KW', 'HS', 'ZE', 'BT', 'PA', 'PH', 'GY', 'JE', 'IM'].includes(area)) return 2;
      return 1;
    }
    case 'DE':
    case 'FR':
    case 'ES':
    case 'IT':
    case 'MX': {
      if (!/^\d{5}$/.test(code)) return null;
      return [1, 1, 1, 0, 0, 0, 0, 1, 1, 1][Number(code[0])] ?? null;
    }
    default:
      return /^[A-Z\d-]{3,10}$/.test(code) ? 1 : null;
  }
}

interface Plan {
  today: Day;
  dispatch: Day;
  extra: number;
}

function plan(now: number, dest: Destination): Plan {
  const { day: today, hour } = localParts(now, dest.timeZone);
  const dispatch = isBusinessDay(today) && hour < ORDER_CUTOFF_HOUR ? today : addBusinessDays(today + 1, 0);
  const country = dest.country ?? dest.market;
  const zone = dest.postalCode ? (zoneDays(country, dest.postalCode) ?? DEFAULT_ZONE_DAYS) : DEFAULT_ZONE_DAYS;
  const extra = zone + (country !== dest.market ? INTERNATIONAL_EXTRA_DAYS : 0);
  return { today, dispatch, extra };
}

/**
 * What delivery estimates read of the instant `now`, for a marketplace time zone: the local day and
 * the dispatch day (before or after the cutoff). Two instants with the same key give every offer
 * the same estimates and the same "Get It Today/Tomorrow" limits, for any destination.
 */
export function deliveryClockKey(now: number, timeZone: string): string {
  const { day, hour } = localParts(now, timeZone);
  const dispatch = isBusinessDay(day) && hour < ORDER_CUTOFF_HOUR ? day : addBusinessDays(day + 1, 0);
  return `${toIso(day)}/${toIso(dispatch)}`;
}

export interface DeliveryEstimate {
  /** First and last delivery day, YYYY-MM-DD (local). */
  minDate: string;
  maxDate: string;
  /** ISO-8601 local date-times with offset (08:00 on the first day, 20:00 on the last). */
  min: string;
  max: string;
}

/** The delivery window of an offer for a destination at a time. */
export function estimateDelivery(now: number, dest: Destination, shipping: Pick<Shipping, 'minDays' | 'maxDays'>): DeliveryEstimate {
  const p = plan(now, dest);
  const first = addBusinessDays(p.dispatch, shipping.minDays + p.extra);
  const last = addBusinessDays(p.dispatch, Math.max(shipping.minDays, shipping.maxDays) + p.extra);
  return { minDate: toIso(first), maxDate: toIso(last), min: localDateTime(first, 8, dest.timeZone), max: localDateTime(last, 20, dest.timeZone) };
}

/**
 * The largest offer `minDays` that still arrives within `withinDays` calendar days of today
 * (0 = "Get It Today", 1 = "Get It by Tomorrow"); -1 when no offer can.
 */
export function maxMinDaysArrivingWithin(now: number, dest: Destination, withinDays: 0 | 1): number {
  const p = plan(now, dest);
  let best = -1;
  for (let d = 0; d <= 10; d++) {
    if (addBusinessDays(p.dispatch, d + p.extra) <= p.today + withinDays) best = d;
    else break;
  }
  return best;
}

import { seededHex } from '../../../kernel/ids.ts';

/**
 * The plan of an order, fixed when it is placed: when it is confirmed, how its accepted lines are
 * split into shipments (one package each), when each ships and is delivered, and the rare
 * surprises (a seller cancelling a line, a package running late). Every instant is an offset from
 * the order's confirmation, so an order that waits for approval keeps its plan and simply starts
 * later. Deterministic: the same seed (business and external id) gives the same plan.
 */

export type ShipPreference = 'FAST_FREE' | 'CONSOLIDATED' | 'EXPEDITED_PAID';

/** An accepted line as the planner sees it. */
export interface PlanLine {
  readonly lineNo: number;
  readonly merchantId: string;
  readonly quantity: number;
  /** The promised delivery window (ISO date-times with offset). */
  readonly deliveryFrom: string;
  readonly deliveryTo: string;
  /** Lines with the same key ship to the same address. */
  readonly addressKey: string;
}

export interface PlannedShipment {
  readonly position: number;
  readonly identifier: string;
  readonly packageId: string;
  readonly carrier: string;
  readonly trackingNumber: string;
  readonly items: readonly { readonly lineNo: number; readonly quantity: number }[];
  readonly shipAfterMs: number;
  readonly deliverAfterMs: number;
  /** A planned late delivery (0: on time). */
  readonly delayMs: number;
  readonly windowFrom: string;
  readonly windowTo: string;
}

export interface OrderPlan {
  readonly orderIdentifier: string;
  readonly confirmAfterMs: number;
  /** Lines the seller will cancel, with the offset from confirmation. */
  readonly cancellations: ReadonlyMap<number, number>;
  readonly shipments: readonly PlannedShipment[];
}

/** Minutes from placing (or approval) to payment confirmation. */
export const CONFIRM_AFTER_MS = 10 * 60_000;
/** Share of lines a seller cancels, and of packages that run late, by default. */
export const SELLER_CANCEL_RATE = 0.02;
export const DELAY_RATE = 0.05;
export const DELAY_MS = 86_400_000;
const HOUR = 3_600_000;

/** The carriers of a store and the shape of their tracking numbers. */
const CARRIERS: Record<string, readonly (readonly [string, (hex: string) => string])[]> = {
  NA: [
    ['UPS', (h) => `1Z${h.slice(0, 16).toUpperCase()}`],
    ['USPS', (h) => digits(h, 22)],
    ['AMZL_US', (h) => `TBA${digits(h, 12)}`],
  ],
  EU: [
    ['DHL', (h) => digits(h, 10)],
    ['DPD', (h) => digits(h, 14)],
    ['AMZL_EU', (h) => `Q${digits(h, 11)}`],
  ],
  FE: [
    ['Yamato Transport', (h) => digits(h, 12)],
    ['Australia Post', (h) => `AP${digits(h, 10)}`],
  ],
};

/** Decimal digits from hex: each hex digit taken mod 10. */
function digits(hex: string, n: number): string {
  let out = '';
  for (let i = 0; out.length < n; i++) out += (parseInt(hex[i % hex.length]!, 16) % 10).toString();
  return out;
}

/** A number in [0, 1) from a seed and a purpose. */
export function unit(seed: string, purpose: string): number {
  return parseInt(seededHex(`${seed}|${purpose}`, 12), 16) / 2 ** 48;
}

/** Numbers in [0, 1) drawn from one hash of the seed (12 hex digits each), and the rest of the hash. */
function draws(seed: string, n: number): { numbers: number[]; hex: string } {
  const hex = seededHex(seed, 12 * n + 40);
  return { numbers: Array.from({ length: n }, (_, i) => parseInt(hex.slice(12 * i, 12 * i + 12), 16) / 2 ** 48), hex: hex.slice(12 * n) };
}

/** The Amazon-style order id of a placed order (`114-1234567-1234567`). */
export function orderIdentifierFor(seed: string): string {
  const d = digits(seededHex(`${seed}|order`, 24), 17);
  return `1${d.slice(0, 2)}-${d.slice(2, 9)}-${d.slice(9, 16)}`;
}

/** Plans an order's confirmation, shipments and surprises. `region` is the endpoint region (NA, EU, FE). */
export function planOrder(
  seed: string,
  placedAt: number,
  region: string,
  lines: readonly PlanLine[],
  preference: ShipPreference,
  rates: { cancel: number; delay: number } = { cancel: SELLER_CANCEL_RATE, delay: DELAY_RATE },
): OrderPlan {
  const groups = new Map<string, PlanLine[]>();
  for (const l of lines) {
    const key = preference === 'CONSOLIDATED' ? l.addressKey : `${l.addressKey}|${l.merchantId}|${l.deliveryFrom}|${l.deliveryTo}`;
    groups.set(key, [...(groups.get(key) ?? []), l]);
  }
  const carriers = CARRIERS[region] ?? CARRIERS.NA!;
  const start = placedAt + CONFIRM_AFTER_MS;
  const shipments: PlannedShipment[] = [];
  const cancellations = new Map<number, number>();
  for (const [i, group] of [...groups.values()].entries()) {
    const position = i + 1;
    const s = `${seed}|shipment:${position}`;
    const from = Math.max(...group.map((l) => Date.parse(l.deliveryFrom)));
    const to = Math.max(...group.map((l) => Date.parse(l.deliveryTo)));
    const windowFrom = group.find((l) => Date.parse(l.deliveryFrom) === from)!.deliveryFrom;
    const windowTo = group.find((l) => Date.parse(l.deliveryTo) === to)!.deliveryTo;
    // Delivered at a seeded instant inside the promised window; shipped 1 to 20 hours after confirmation, before that.
    const {
      numbers: [deliver, ship, pick, late],
      hex,
    } = draws(s, 4);
    const deliverAt = Math.max(from + Math.floor(deliver! * Math.max(0, to - from)), start + 2 * HOUR);
    const deliverAfterMs = deliverAt - start;
    const shipAfterMs = Math.min(HOUR + Math.floor(ship! * 19 * HOUR), Math.floor(deliverAfterMs / 2));
    const [carrier, track] = carriers[Math.floor(pick! * carriers.length)]!;
    shipments.push({
      position,
      identifier: `SHP-${hex.slice(0, 12).toUpperCase()}`,
      packageId: `PKG-${hex.slice(12, 24).toUpperCase()}`,
      carrier,
      trackingNumber: track(hex.slice(24)),
      items: group.map((l) => ({ lineNo: l.lineNo, quantity: l.quantity })),
      shipAfterMs,
      deliverAfterMs,
      delayMs: late! < rates.delay ? DELAY_MS : 0,
      windowFrom,
      windowTo,
    });
    if (rates.cancel > 0)
      for (const l of group)
        if (unit(`${seed}|line:${l.lineNo}`, 'cancel') < rates.cancel) cancellations.set(l.lineNo, Math.floor(shipAfterMs / 2));
  }
  return { orderIdentifier: orderIdentifierFor(seed), confirmAfterMs: CONFIRM_AFTER_MS, cancellations, shipments };
}

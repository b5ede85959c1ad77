import { DELAY_MS, unit } from './plan.ts';

/**
 * A package's tracking timeline, derived from its shipment as it stands (shipped and delivered
 * instants, the planned delivery, a planned delay) and the clock: the carrier's scans between the
 * seller's facility, a carrier hub and the delivery station in the buyer's city, each placed at a
 * fixed share of the transit time, and only those that happened by now. A planned delay shows as a
 * package running late in transit or, for about half of them, as a failed delivery attempt and a
 * new attempt a day later. Deterministic per shipment; pure.
 */

export type TrackingStatus = 'ORDERED' | 'SHIPPED' | 'OUT_FOR_DELIVERY' | 'DELIVERED' | 'DELAYED';
export type MilestoneType = 'ORDERED' | 'SHIPPED' | 'OUT_FOR_DELIVERY' | 'DELIVERED';

/** What of a package its timeline depends on. */
export interface PackageFacts {
  /** The shipment's id: the seed of its scans' places and of how a delay shows. */
  readonly seed: string;
  /** Marketplace code of the store (US, DE, …). */
  readonly store: string;
  readonly placedAt: number;
  readonly confirmedAt: number | null;
  readonly shippedAt: number | null;
  readonly deliveredAt: number | null;
  /** When it is now planned to arrive (delay included). */
  readonly plannedDeliveryAt: number | null;
  readonly delayed: boolean;
  /** The promised window (ISO date-times). */
  readonly windowFrom: string;
  readonly windowTo: string;
  readonly destination: { readonly city: string; readonly stateOrRegion?: string; readonly countryCode: string };
}

/** What happened, in words to localize (`kind`), when and where. */
export interface TrackingEvent {
  readonly kind:
    'label' | 'left-seller' | 'arrived-hub' | 'departed-hub' | 'delayed' | 'arrived-station' | 'attempted' | 'out' | 'delivered';
  readonly at: number;
  readonly location: { readonly city: string; readonly state?: string; readonly country: string };
}

export interface Milestone {
  readonly type: MilestoneType;
  /** Reached: the instant (end only). Expected: the window. */
  readonly start: number | null;
  readonly end: number;
}

export interface Tracking {
  readonly status: TrackingStatus;
  /** Newest first, as the carrier's page shows them. */
  readonly events: readonly TrackingEvent[];
  /** Newest first. */
  readonly milestones: readonly Milestone[];
  /** When it arrived, or the window it is expected in. */
  readonly window: { readonly start: number | null; readonly end: number };
  /** How the delivery promise reads: delivered on, arriving on (or between), running late. */
  readonly promise: { readonly kind: 'delivered' | 'arriving' | 'late'; readonly from: number; readonly to: number };
}

const HOUR = 3_600_000;

/** Fulfilment centres and carrier hubs of each store (real cities; which one a package passes is seeded). */
const PLACES: Readonly<
  Record<string, { readonly centres: readonly [string, string?][]; readonly hubs: readonly [string, string?][]; readonly country: string }>
> = {
  US: {
    country: 'US',
    centres: [
      ['Kent', 'WA'],
      ['Phoenix', 'AZ'],
      ['Allentown', 'PA'],
      ['Jacksonville', 'FL'],
    ],
    hubs: [
      ['Ontario', 'CA'],
      ['Hebron', 'KY'],
      ['Fort Worth', 'TX'],
    ],
  },
  CA: {
    country: 'CA',
    centres: [
      ['Brampton', 'ON'],
      ['Calgary', 'AB'],
    ],
    hubs: [
      ['Mississauga', 'ON'],
      ['Delta', 'BC'],
    ],
  },
  MX: {
    country: 'MX',
    centres: [['Cuautitlán Izcalli', 'MEX']],
    hubs: [
      ['Tepotzotlán', 'MEX'],
      ['Monterrey', 'NL'],
    ],
  },
  UK: { country: 'GB', centres: [['Dunfermline'], ['Peterborough']], hubs: [['Coventry'], ['Warrington']] },
  DE: { country: 'DE', centres: [['Leipzig'], ['Bad Hersfeld']], hubs: [['Kassel'], ['Hamm']] },
  FR: { country: 'FR', centres: [['Saran'], ['Lauwin-Planque']], hubs: [['Brétigny-sur-Orge'], ['Lyon']] },
  IT: { country: 'IT', centres: [['Castel San Giovanni'], ['Passo Corese']], hubs: [['Milano'], ['Bologna']] },
  ES: { country: 'ES', centres: [['San Fernando de Henares'], ['El Prat de Llobregat']], hubs: [['Getafe'], ['Zaragoza']] },
  IN: { country: 'IN', centres: [['Bhiwandi'], ['Hyderabad']], hubs: [['Gurugram'], ['Bengaluru']] },
  JP: { country: 'JP', centres: [['Ichikawa'], ['Sakai']], hubs: [['Kawasaki'], ['Nagoya']] },
  AU: { country: 'AU', centres: [['Dandenong South'], ['Moorebank']], hubs: [['Brisbane'], ['Adelaide']] },
};

const pick = <T>(list: readonly T[], seed: string, purpose: string): T => list[Math.floor(unit(seed, purpose) * list.length)]!;

/** The package's timeline at `now`. */
export function trackingAt(p: PackageFacts, now: number): Tracking {
  const places = PLACES[p.store] ?? PLACES.US!;
  const [centreCity, centreState] = pick(places.centres, p.seed, 'centre');
  const [hubCity, hubState] = pick(places.hubs, p.seed, 'hub');
  const centre = { city: centreCity, ...(centreState ? { state: centreState } : {}), country: places.country };
  const hub = { city: hubCity, ...(hubState ? { state: hubState } : {}), country: places.country };
  const home = {
    city: p.destination.city,
    ...(p.destination.stateOrRegion ? { state: p.destination.stateOrRegion } : {}),
    country: p.destination.countryCode,
  };
  const windowFrom = Date.parse(p.windowFrom);
  const windowTo = Date.parse(p.windowTo);
  const ordered: Milestone = { type: 'ORDERED', start: null, end: p.placedAt };

  const S = p.shippedAt !== null && p.shippedAt <= now ? p.shippedAt : null;
  if (S === null) {
    const milestones: Milestone[] = [{ type: 'DELIVERED', start: windowFrom, end: windowTo }, ordered];
    return {
      status: 'ORDERED',
      events: [],
      milestones,
      window: { start: windowFrom, end: windowTo },
      promise: { kind: 'arriving', from: windowFrom, to: windowTo },
    };
  }
  const delivered = p.deliveredAt !== null && p.deliveredAt <= now ? p.deliveredAt : null;
  const D = delivered ?? p.plannedDeliveryAt ?? windowTo;
  const attempted = p.delayed && unit(p.seed, 'attempt') < 0.5;
  // The first delivery run: a day before the delivery when it failed, else the delivery itself.
  const B = attempted ? Math.max(S + 4 * HOUR, D - DELAY_MS) : D;
  const T = Math.max(B - S, 4 * HOUR);
  const all: TrackingEvent[] = [
    { kind: 'label', at: Math.max(p.confirmedAt ?? p.placedAt, S - HOUR), location: centre },
    { kind: 'left-seller', at: S, location: centre },
    { kind: 'arrived-hub', at: S + Math.round(0.3 * T), location: hub },
    { kind: 'departed-hub', at: S + Math.round(0.45 * T), location: hub },
    ...(p.delayed && !attempted ? [{ kind: 'delayed' as const, at: S + Math.round(0.55 * T), location: hub }] : []),
    { kind: 'arrived-station', at: Math.max(S + Math.round(0.7 * T), B - 8 * HOUR), location: home },
    { kind: 'out', at: Math.max(S + Math.round(0.8 * T), B - 3 * HOUR), location: home },
    // A failed attempt, then a new run the next day.
    ...(attempted
      ? [
          { kind: 'attempted' as const, at: B, location: home },
          { kind: 'out' as const, at: Math.max(B + HOUR, D - 3 * HOUR), location: home },
        ]
      : []),
  ];
  const events = all.filter((e) => e.at <= now && (delivered === null || e.at <= delivered));
  if (delivered !== null) events.push({ kind: 'delivered', at: delivered, location: home });
  events.sort((a, b) => b.at - a.at);

  const out = events.find((e) => e.kind === 'out');
  const late = events.find((e) => e.kind === 'delayed' || e.kind === 'attempted');
  const status: TrackingStatus =
    delivered !== null ? 'DELIVERED' : out && (!late || out.at > late.at) ? 'OUT_FOR_DELIVERY' : late ? 'DELAYED' : 'SHIPPED';
  const milestones: Milestone[] = [];
  if (delivered !== null) milestones.push({ type: 'DELIVERED', start: null, end: delivered });
  // A delay is known once it shows (a scan says the package runs late, or an attempt failed).
  else milestones.push({ type: 'DELIVERED', start: late ? D : windowFrom, end: late ? D : windowTo });
  if (out) milestones.push({ type: 'OUT_FOR_DELIVERY', start: null, end: out.at });
  milestones.push({ type: 'SHIPPED', start: null, end: S }, ordered);
  const window = delivered !== null ? { start: null, end: delivered } : late ? { start: D, end: D } : { start: windowFrom, end: windowTo };
  const promise =
    delivered !== null
      ? { kind: 'delivered' as const, from: delivered, to: delivered }
      : late
        ? { kind: 'late' as const, from: D, to: D }
        : { kind: 'arriving' as const, from: window.start ?? D, to: window.end };
  return { status, events, milestones, window, promise };
}

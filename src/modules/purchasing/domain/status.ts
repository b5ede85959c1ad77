import { stagesAt, type StageState, type TransitionOverrides } from '../../../kernel/lifecycle.ts';

/**
 * An order as it stands at an instant, derived from its stored plan, the clock and the emulator's
 * overrides; nothing is ever written to move an order forward. The order's own stages are
 * placed → approved → confirmed; each shipment's are confirmed → shipped → delivered, planned as
 * offsets from the order's confirmation. Pure.
 */

export type OrderStage = 'placed' | 'approved' | 'confirmed';
export type ShipmentStage = 'confirmed' | 'shipped' | 'delivered';

/** The order statuses of the Reporting API (2025-06-09), which every API and page shows. */
export type OrderStatus = 'PENDING_APPROVAL' | 'PENDING' | 'PAYMENT_CONFIRMED' | 'PENDING_FULFILLMENT' | 'CLOSED' | 'CANCELLED';

/** What is stored of an order that its status depends on. */
export interface OrderFacts {
  readonly id: string;
  readonly placedAt: number;
  /** Set when the order needed approval. */
  readonly approvalReason: string | null;
  readonly approvedAt: number | null;
  readonly declinedAt: number | null;
  readonly confirmAfterMs: number;
  readonly lines: readonly {
    readonly lineNo: number;
    readonly accepted: number;
    readonly cancelAfterMs: number | null;
    readonly cancelledAt: number | null;
  }[];
  readonly shipments: readonly {
    readonly id: string;
    readonly items: readonly { readonly lineNo: number; readonly quantity: number }[];
    readonly shipAfterMs: number;
    readonly deliverAfterMs: number;
    readonly delayMs: number;
  }[];
}

export interface ShipmentNow {
  readonly id: string;
  /** False when every line in it was cancelled before it shipped: it never ships. */
  readonly live: boolean;
  readonly shippedAt: number | null;
  /** When it is (now) planned to ship; null while the order is not confirmed, or when it will not ship. */
  readonly plannedShipAt: number | null;
  readonly deliveredAt: number | null;
  /** When it is (now) planned to arrive; null when it will not. */
  readonly plannedDeliveryAt: number | null;
  readonly stages: readonly StageState<ShipmentStage>[];
}

export interface OrderNow {
  readonly status: OrderStatus;
  /** A finer word for people: awaiting approval, placed, confirmed, partly shipped, shipped, delivered, cancelled, declined. */
  readonly stage: string;
  readonly confirmedAt: number | null;
  readonly orderStages: readonly StageState<OrderStage>[];
  /** When each line's cancellation by the seller took effect (absent: not cancelled). */
  readonly cancelledLines: ReadonlyMap<number, number>;
  readonly shipments: readonly ShipmentNow[];
}

/** The order's own timeline: approval waits for an administrator when the order needed it. */
export function orderTimeline(o: OrderFacts): { stage: OrderStage; at: number | null }[] {
  const approvedAt = o.declinedAt !== null ? null : o.approvalReason === null ? o.placedAt : o.approvedAt;
  return [
    { stage: 'placed', at: o.placedAt },
    { stage: 'approved', at: approvedAt },
    { stage: 'confirmed', at: approvedAt === null ? null : approvedAt + o.confirmAfterMs },
  ];
}

/** Where the order stands at `now`. `overrides` holds the emulator's overrides by resource id (the order's and each shipment's). */
export function orderAt(o: OrderFacts, now: number, overrides: ReadonlyMap<string, TransitionOverrides<string>> = new Map()): OrderNow {
  const own = overrides.get(o.id) ?? {};
  const orderStages = stagesAt(orderTimeline(o), now, own as TransitionOverrides<OrderStage>);
  const declined = o.declinedAt !== null && o.declinedAt <= now;
  const confirmedAt = declined ? null : (orderStages.find((s) => s.stage === 'confirmed')?.reachedAt ?? null);
  // Time-driven surprises stop where time-driven transitions stop (manual mode).
  const cutoff = Math.min(now, own.manualSince ?? Number.POSITIVE_INFINITY);

  const cancelledLines = new Map<number, number>();
  for (const l of o.lines) {
    const planned = confirmedAt !== null && l.cancelAfterMs !== null ? confirmedAt + l.cancelAfterMs : null;
    const at = l.cancelledAt ?? (planned !== null && planned <= cutoff ? planned : null);
    if (at !== null && at <= now) cancelledLines.set(l.lineNo, at);
  }

  const shipments = o.shipments.map((s): ShipmentNow => {
    const shipAt = confirmedAt === null ? null : confirmedAt + s.shipAfterMs;
    // A shipment whose every line was cancelled before it left never ships.
    const live = s.items.some((i) => {
      const c = cancelledLines.get(i.lineNo);
      return c === undefined || (shipAt !== null && c > shipAt);
    });
    const timeline = [
      { stage: 'confirmed' as const, at: confirmedAt },
      { stage: 'shipped' as const, at: live ? shipAt : null },
      { stage: 'delivered' as const, at: live && shipAt !== null ? confirmedAt! + s.deliverAfterMs + s.delayMs : null },
    ];
    const stages = stagesAt(timeline, now, (overrides.get(s.id) ?? {}) as TransitionOverrides<ShipmentStage>);
    const shippedAt = live ? (stages[1]!.reachedAt ?? null) : null;
    const deliveredAt = live ? (stages[2]!.reachedAt ?? null) : null;
    // Before confirmation, the plan counts from the planned confirmation (unknown while approval is awaited).
    const expectedStart = confirmedAt ?? orderStages[2]!.plannedAt;
    const planned = live && expectedStart !== null ? expectedStart + s.deliverAfterMs + s.delayMs : null;
    const plannedShipAt = live ? (shippedAt ?? stages[1]!.plannedAt ?? null) : null;
    return { id: s.id, live, shippedAt, plannedShipAt, deliveredAt, plannedDeliveryAt: deliveredAt ?? planned, stages };
  });

  const live = shipments.filter((s) => s.live);
  const approved = orderStages[1]!.reachedAt !== null;
  let status: OrderStatus;
  let stage: string;
  if (declined) [status, stage] = ['CANCELLED', 'declined'];
  else if (!approved) [status, stage] = ['PENDING_APPROVAL', 'awaiting approval'];
  else if (confirmedAt === null) [status, stage] = ['PENDING', 'placed'];
  else if (live.length === 0) [status, stage] = ['CANCELLED', 'cancelled'];
  else if (live.every((s) => s.deliveredAt !== null)) [status, stage] = ['CLOSED', 'delivered'];
  else if (live.every((s) => s.shippedAt !== null)) [status, stage] = ['CLOSED', 'shipped'];
  else if (live.some((s) => s.shippedAt !== null)) [status, stage] = ['PENDING_FULFILLMENT', 'partly shipped'];
  else [status, stage] = ['PAYMENT_CONFIRMED', 'confirmed'];
  return { status, stage, confirmedAt, orderStages, cancelledLines, shipments };
}

/** The next thing that happens to the order: its own next stage, else the earliest next stage of a live shipment. */
export function nextMilestone(o: OrderFacts, current: OrderNow): { resourceId: string; stage: string } | null {
  if (o.declinedAt !== null) return null;
  const ownNext = current.orderStages.find((s) => s.reachedAt === null);
  if (ownNext) return { resourceId: o.id, stage: ownNext.stage };
  let best: { resourceId: string; stage: string; at: number } | null = null;
  for (const s of current.shipments) {
    if (!s.live) continue;
    const next = s.stages.find((st) => st.reachedAt === null);
    if (!next) continue;
    const at = next.plannedAt ?? Number.POSITIVE_INFINITY;
    if (!best || at < best.at) best = { resourceId: s.id, stage: next.stage, at };
  }
  return best ? { resourceId: best.resourceId, stage: best.stage } : null;
}

import type { OrderView } from './purchasing.service.ts';

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** An order for operators: everything the pages show, with instants as ISO strings. */
export function orderJson(o: OrderView) {
  return {
    id: o.id,
    orderIdentifier: o.orderIdentifier,
    businessId: o.businessId,
    externalId: o.externalId,
    buyerEmail: o.buyerEmail,
    region: o.region,
    status: o.status,
    stage: o.stage,
    placedAt: iso(o.placedAt),
    approvalReason: o.approvalReason,
    approvedAt: iso(o.approvedAt),
    declinedAt: iso(o.declinedAt),
    confirmedAt: iso(o.confirmedAt),
    currency: o.currency,
    totals: { subtotalMinor: o.subtotalMinor, shippingMinor: o.shippingMinor, taxMinor: o.taxMinor, totalMinor: o.totalMinor },
    lines: o.lines.map((l) => ({
      externalId: l.externalId,
      asin: l.asin,
      title: l.title,
      requested: l.requested,
      accepted: l.accepted,
      cancelled: o.cancelled.get(l.lineNo)?.quantity ?? 0,
      unitPriceMinor: l.price.unitMinor,
    })),
    shipments: o.shipments.map((s) => ({
      identifier: s.identifier,
      carrier: s.carrier,
      trackingNumber: s.trackingNumber,
      lines: s.items.map((i) => ({
        externalId: o.lines.find((l) => l.lineNo === i.lineNo)?.externalId ?? String(i.lineNo),
        quantity: i.quantity,
      })),
      live: s.live,
      delayed: s.delayed,
      shippedAt: iso(s.shippedAt),
      deliveredAt: iso(s.deliveredAt),
      plannedDeliveryAt: iso(s.plannedDeliveryAt),
      invoiceNumber: s.invoiceNumber,
    })),
    returns: o.returns.map((r) => ({
      externalId: o.lines.find((l) => l.lineNo === r.lineNo)?.externalId ?? String(r.lineNo),
      quantity: r.quantity,
      returnedAt: iso(r.returnedAt),
      creditNumber: r.creditNumber,
      reason: r.reason,
    })),
  };
}

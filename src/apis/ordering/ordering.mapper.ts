import { toAmount } from '../../modules/catalog/index.ts';
import type { OrderView, PlacedLine, Placement, RejectedPortion, Rejection } from '../../modules/purchasing/index.ts';
import type { AcceptanceArtifact, OrderResult, RejectionArtifact, WireMoney, WirePackage, WireResultLineItem } from './ordering.wire.ts';

/**
 * Orders to the wire. Where the model places each artifact: OrderIdentifier, UnitPrice, Charge,
 * DeliveryTimeRange and ShipmentGroup on an accepted item; Signed and Shipment on the order; the
 * rejection artifacts on a rejected item. A trial carries no OrderIdentifier and no Signed: that is
 * how the answer says nothing was ordered.
 */

const money = (minor: number, currency: string): WireMoney => ({ currencyCode: currency, amount: toAmount(minor, currency) });

function rejection(r: Rejection, currency: string): RejectionArtifact {
  switch (r.type) {
    case 'BrokenUnitPriceExpectation':
      return { rejectionArtifactType: r.type, boundary: money(r.boundaryMinor, currency), actualAmount: money(r.actualMinor, currency) };
    case 'BrokenChargeExpectation':
      return {
        rejectionArtifactType: r.type,
        boundary: money(r.boundaryMinor, currency),
        actualAmount: money(r.actualMinor, currency),
        sources: [...r.sources],
      };
    case 'UnavailableQuantity':
    case 'AvailableQuantity':
      return { rejectionArtifactType: r.type, quantity: r.quantity };
    case 'RejectionCode':
      return { rejectionArtifactType: r.type, code: r.code };
    case 'RejectionMessage':
      return { rejectionArtifactType: r.type, message: r.message };
    case 'AgeRestriction':
      return { rejectionArtifactType: r.type, minimumAge: r.minimumAge };
  }
}

const rejected = (portions: readonly RejectedPortion[], currency: string) =>
  portions.map((p) => ({ quantity: p.quantity, artifacts: p.artifacts.map((a) => rejection(a, currency)) }));

/** The artifacts of an accepted quantity: order id (real orders), unit price, charges, delivery window. */
function acceptedArtifacts(line: PlacedLine, currency: string, orderIdentifier: string | null, quantity: number): AcceptanceArtifact[] {
  const p = line.price;
  // Charges scale with the quantity still accepted (a cancelled line keeps none).
  const share = (minor: number) => (quantity === line.accepted ? minor : Math.round((minor * quantity) / line.accepted));
  const out: AcceptanceArtifact[] = [];
  if (orderIdentifier) out.push({ acceptanceArtifactType: 'OrderIdentifier', identifier: orderIdentifier });
  out.push(
    { acceptanceArtifactType: 'UnitPrice', amount: money(p.unitMinor, currency) },
    { acceptanceArtifactType: 'Charge', category: 'SUBTOTAL', type: 'PRINCIPAL', amount: money(share(p.subtotalMinor), currency) },
    { acceptanceArtifactType: 'Charge', category: 'SUBTOTAL', type: 'TAX', amount: money(share(p.taxMinor), currency) },
    { acceptanceArtifactType: 'Charge', category: 'SHIPPING', type: 'PRINCIPAL', amount: money(share(p.shippingMinor), currency) },
  );
  if (line.deliveryFrom && line.deliveryTo)
    out.push({ acceptanceArtifactType: 'DeliveryTimeRange', lowerBoundary: line.deliveryFrom, upperBoundary: line.deliveryTo });
  return out;
}

const NOTHING_ACCEPTED: RejectionArtifact[] = [
  { rejectionArtifactType: 'RejectionCode', code: 'NO_ITEM_ACCEPTED' },
  { rejectionArtifactType: 'RejectionMessage', message: 'No line of the order could be accepted; nothing was ordered.' },
];

/** The answer to placeOrder: the placement as decided, the same for every replay of the request (orderDetails tells what happened since). */
export function placeOrderResult(p: Placement): OrderResult {
  const identifier = p.order?.orderIdentifier ?? null;
  const lineItems: WireResultLineItem[] = p.lines.map((l) => ({
    externalId: l.externalId,
    acceptedItems:
      l.accepted > 0
        ? [
            {
              acceptedItemType: 'SingleAcceptedItem',
              quantity: l.accepted,
              artifacts: acceptedArtifacts(l, p.currency, identifier, l.accepted),
            },
          ]
        : [],
    rejectedItems: rejected(l.rejected, p.currency),
  }));
  const anyAccepted = p.lines.some((l) => l.accepted > 0);
  return {
    lineItems,
    acceptanceArtifacts: identifier ? [{ acceptanceArtifactType: 'Signed' }] : [],
    rejectionArtifacts: anyAccepted ? [] : NOTHING_ACCEPTED,
  };
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** An order as it stands: placement, then seller cancellations, shipments and packages as they happened by now. */
export function orderDetailsResult(o: OrderView): OrderResult {
  const shipped = o.shipments.filter((s) => s.live && s.shippedAt !== null);
  const packageRef = (tracking: string) => ({ packageReferenceType: 'CarrierTrackingNumber' as const, value: tracking });
  const lineItems: WireResultLineItem[] = o.lines.map((l) => {
    const cancelled = o.cancelled.get(l.lineNo);
    const quantity = l.accepted - (cancelled?.quantity ?? 0);
    const artifacts = quantity > 0 ? acceptedArtifacts(l, o.currency, o.orderIdentifier, quantity) : [];
    if (quantity > 0)
      for (const s of shipped) {
        const item = s.items.find((i) => i.lineNo === l.lineNo);
        if (item)
          artifacts.push({
            acceptanceArtifactType: 'ShipmentGroup',
            identifier: s.identifier,
            packageReferences: [packageRef(s.trackingNumber)],
            quantity: item.quantity,
          });
      }
    const rejectedItems = rejected(l.rejected, o.currency);
    if (cancelled)
      rejectedItems.push({
        quantity: cancelled.quantity,
        artifacts: [
          { rejectionArtifactType: 'RejectionCode', code: 'SELLER_CANCELLED' },
          { rejectionArtifactType: 'RejectionMessage', message: `The seller cancelled this item on ${iso(cancelled.at)}.` },
        ],
      });
    return {
      externalId: l.externalId,
      acceptedItems: quantity > 0 ? [{ acceptedItemType: 'SingleAcceptedItem', quantity, artifacts }] : [],
      rejectedItems,
    };
  });
  const acceptanceArtifacts: AcceptanceArtifact[] = [];
  if (o.declinedAt === null) acceptanceArtifacts.push({ acceptanceArtifactType: 'Signed' });
  for (const s of shipped) {
    const range =
      s.deliveredAt !== null
        ? { startDateTime: iso(s.deliveredAt), endDateTime: iso(s.deliveredAt) }
        : s.delayed && s.plannedDeliveryAt !== null
          ? { startDateTime: iso(s.plannedDeliveryAt), endDateTime: iso(s.plannedDeliveryAt + 86_400_000) }
          : { startDateTime: s.windowFrom, endDateTime: s.windowTo };
    const pkg: WirePackage = {
      packageReference: packageRef(s.trackingNumber),
      packageAttributes: [
        { packageAttributeType: 'PackageTrackingAttribute', carrierName: s.carrier, deliveryDateRange: range, packageId: s.packageId },
      ],
    };
    acceptanceArtifacts.push({ acceptanceArtifactType: 'Shipment', identifier: s.identifier, packages: [pkg] });
  }
  const rejectionArtifacts: RejectionArtifact[] =
    o.declinedAt !== null
      ? [
          { rejectionArtifactType: 'RejectionCode', code: 'APPROVAL_DECLINED' },
          { rejectionArtifactType: 'RejectionMessage', message: 'An administrator of the business declined the order.' },
        ]
      : [];
  return { lineItems, acceptanceArtifacts, rejectionArtifacts };
}

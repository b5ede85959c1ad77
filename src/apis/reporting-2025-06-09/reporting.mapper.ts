import { toAmount } from '../../modules/catalog/index.ts';
import { carrierName, totalOf, wordsFor, type OrderView, type ShipmentView } from '../../modules/purchasing/index.ts';
import type { InvoiceLine } from '../../modules/purchasing/index.ts';
import { businessOrderInfo, isoInstant, orderAmounts, unspscOf, type ReportFacts } from '../shared/index.ts';
import type {
  ShipmentStatus,
  WireCharge,
  WireMoney,
  WireOrderLineItemReport,
  WireOrderMetadata,
  WireOrderReport,
  WireProductDetails,
  WireShipmentLineItemReport,
  WireShipmentReport,
} from './reporting.wire.ts';

/** Orders, lines and shipments as the Reporting API (2025-06-09) reports them. */

const money = (minor: number, currency: string): WireMoney => ({ currencyCode: currency, amount: toAmount(minor, currency) });

/** SUBTOTAL, SHIPPING_AND_HANDLING, TAX and NET_TOTAL (no PROMOTION: the emulator gives no promotions). */
function charges(currency: string, a: { subtotal: number; shipping: number; tax: number; total: number }): WireCharge[] {
  return [
    { type: 'SUBTOTAL', amount: money(a.subtotal, currency) },
    { type: 'SHIPPING_AND_HANDLING', amount: money(a.shipping, currency) },
    { type: 'TAX', amount: money(a.tax, currency) },
    { type: 'NET_TOTAL', amount: money(a.total, currency) },
  ];
}

const metadata = (o: OrderView): WireOrderMetadata => ({ orderDate: isoInstant(o.placedAt), orderId: o.orderIdentifier, region: o.region });
const po = (o: OrderView): { purchaseOrderNumber?: string } =>
  o.purchaseOrderNumber ? { purchaseOrderNumber: o.purchaseOrderNumber } : {};

/** A brand's short code: its letters and digits, upper case (the catalog keeps no separate code). */
export const brandCode = (brand: string): string =>
  brand
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, '')
    .slice(0, 12);

function productDetails(o: OrderView, line: OrderView['lines'][number], facts: ReportFacts): WireProductDetails {
  const p = facts.product(o, line.asin);
  const brand = p?.brand ?? '';
  return {
    productCategory: p?.categories.at(-1)?.name ?? '',
    asin: line.asin ?? '',
    title: line.title ?? p?.title ?? '',
    unspsc: { code: unspscOf(p) },
    productCondition: 'New',
    brandCode: brandCode(brand),
    brandName: brand,
    manufacturerName: p?.manufacturer ?? brand,
  };
}

/** An order's line as a report's line item id: its position in the order ("1", "2", …). */
export const lineItemId = (lineNo: number): string => String(lineNo);

const poLine = (o: OrderView, line: OrderView['lines'][number]) =>
  o.purchaseOrderNumber ? { purchaseOrderLineItemNumber: `${o.purchaseOrderNumber}-${line.externalId}` } : {};

export function orderReport(o: OrderView, facts: ReportFacts): WireOrderReport {
  const info = businessOrderInfo(o);
  const group = facts.groupName(o);
  const approver = facts.approver(o);
  return {
    orderMetadata: metadata(o),
    ...po(o),
    charges: charges(o.currency, orderAmounts(o)),
    orderStatus: o.status,
    buyingCustomer: facts.buyer(o),
    ...(group ? { buyerGroup: { name: group } } : {}),
    ...(Object.keys(info).length ? { businessOrderInfo: info } : {}),
    ...(approver ? { approverDetails: { lastOrderApproverCustomer: approver } } : {}),
  };
}

/** The lines of an order that were accepted and not cancelled by the seller. */
export const liveLines = (o: OrderView): OrderView['lines'][number][] =>
  o.lines.filter((l) => l.accepted > 0 && !o.cancelled.has(l.lineNo));

export function orderLineItemReport(o: OrderView, l: OrderView['lines'][number], facts: ReportFacts): WireOrderLineItemReport {
  return {
    orderMetadata: metadata(o),
    orderLineItemId: lineItemId(l.lineNo),
    ...po(o),
    ...poLine(o, l),
    productDetails: productDetails(o, l, facts),
    unitPrice: money(l.price.unitMinor, o.currency),
    quantity: l.accepted,
    charges: charges(o.currency, {
      subtotal: l.price.subtotalMinor,
      shipping: l.price.shippingMinor,
      tax: l.price.taxMinor,
      total: totalOf(o.region, l.price.subtotalMinor, l.price.shippingMinor, l.price.taxMinor),
    }),
    taxExemption: { applied: false, type: 'None', optOut: false },
  };
}

/**
 * Where a shipment stands in the model's words: PENDING_PAYMENT while the order awaits approval,
 * SHIPPED_PLANNED until it is confirmed, SHIPPING_SOON until it ships, SHIPPED after.
 */
export function shipmentStatus(o: OrderView, s: ShipmentView): ShipmentStatus {
  if (s.shippedAt !== null) return 'SHIPPED';
  if (o.status === 'PENDING_APPROVAL') return 'PENDING_PAYMENT';
  return o.confirmedAt === null ? 'SHIPPED_PLANNED' : 'SHIPPING_SOON';
}

/** The shipments a report shows: those that ship or will (not those whose lines were all cancelled, nor a declined order's). */
export const reportedShipments = (o: OrderView): ShipmentView[] => (o.declinedAt !== null ? [] : o.shipments.filter((s) => s.live));

const shipmentMetadata = (o: OrderView, s: ShipmentView) => ({
  shipmentId: s.identifier,
  shipmentDate: isoInstant(s.shippedAt ?? s.plannedShipAt ?? o.placedAt),
});

const sum = (lines: readonly InvoiceLine[], f: (l: InvoiceLine) => number): number => lines.reduce((n, l) => n + f(l), 0);

export function shipmentReport(o: OrderView, s: ShipmentView, lines: readonly InvoiceLine[]): WireShipmentReport {
  const a = o.shippingAddress;
  return {
    orderMetadata: metadata(o),
    shipmentMetadata: shipmentMetadata(o, s),
    ...po(o),
    shipmentStatus: shipmentStatus(o, s),
    shippingAddress: {
      fullName: a.fullName,
      addressLine1: a.addressLine1,
      ...(a.addressLine2 ? { addressLine2: a.addressLine2 } : {}),
      city: a.city,
      ...(a.stateOrRegion ? { stateOrRegion: a.stateOrRegion } : {}),
      postalCode: a.postalCode,
      countryCode: a.countryCode,
    },
    charges: charges(o.currency, {
      subtotal: sum(lines, (l) => l.subtotalMinor),
      shipping: sum(lines, (l) => l.shippingMinor),
      tax: sum(lines, (l) => l.taxMinor),
      total: sum(lines, (l) => l.totalMinor),
    }),
    deliveryInfo: {
      expectedDeliveryDate: isoInstant(s.plannedDeliveryAt ?? Date.parse(s.windowTo)),
      status: s.deliveredAt !== null ? 'DELIVERED' : 'NOT_DELIVERED',
    },
  };
}

export function shipmentLineItemReport(o: OrderView, s: ShipmentView, l: InvoiceLine, facts: ReportFacts): WireShipmentLineItemReport {
  const line = o.lines.find((x) => x.lineNo === l.lineNo)!;
  return {
    orderMetadata: metadata(o),
    shipmentMetadata: shipmentMetadata(o, s),
    ...po(o),
    orderLineItemId: lineItemId(l.lineNo),
    ...poLine(o, line),
    productDetails: productDetails(o, line, facts),
    charges: charges(o.currency, { subtotal: l.subtotalMinor, shipping: l.shippingMinor, tax: l.taxMinor, total: l.totalMinor }),
    quantity: l.quantity,
    carrierName: carrierName(s.carrier, wordsFor('en-US')),
    packages: [{ trackingId: s.trackingNumber, packageId: s.packageId }],
    receivingInfo: {
      customer: facts.buyer(o),
      ...(s.deliveredAt !== null ? { date: isoInstant(s.deliveredAt) } : {}),
      status: s.deliveredAt !== null ? 'ALL_ITEMS_RECEIVED' : 'PENDING',
      quantity: s.deliveredAt !== null ? l.quantity : 0,
    },
  };
}

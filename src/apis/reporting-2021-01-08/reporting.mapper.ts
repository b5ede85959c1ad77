import { currencyExponent } from '../../modules/catalog/index.ts';
import {
  carrierName,
  paymentTermsOf,
  totalOf,
  wordsFor,
  type InvoiceLine,
  type OrderStatus,
  type OrderView,
  type PurchasingService,
} from '../../modules/purchasing/index.ts';
import { businessOrderInfo, isoInstant, orderAmounts, unspscOf, type ReportFacts } from '../shared/index.ts';
import type { WireMoney, WireOrder } from './reporting.wire.ts';

/** Orders as the Reporting API (2021-01-08) reports them: the same orders, amounts and ids as the 2025 version, in the legacy shape. */

const money = (minor: number, currency: string): WireMoney => {
  const e = currencyExponent(currency);
  return { currencyCode: currency, amount: (minor / 10 ** e).toFixed(e) };
};

const STATUS_WORDS: Readonly<Record<OrderStatus, WireOrder['orderStatus']>> = {
  PENDING_APPROVAL: 'Pending Approval',
  PAYMENT_CONFIRMED: 'Payment Confirmed',
  PENDING_FULFILLMENT: 'Pending Fulfillment',
  PENDING: 'Pending',
  CANCELLED: 'Cancelled',
  CLOSED: 'Closed',
};

/** What to include besides the order itself. */
export interface Inclusions {
  lineItems: boolean;
  shipments: boolean;
  charges: boolean;
}

const sum = (lines: readonly InvoiceLine[], f: (l: InvoiceLine) => number): number => lines.reduce((n, l) => n + f(l), 0);

export function order(o: OrderView, facts: ReportFacts, purchasing: PurchasingService, include: Inclusions): WireOrder {
  const a = orderAmounts(o);
  const c = o.currency;
  const zero = money(0, c);
  const buyer = facts.buyer(o);
  const out: WireOrder = {
    orderDate: isoInstant(o.placedAt),
    orderId: o.orderIdentifier,
    purchaseOrderNumber: o.purchaseOrderNumber ?? '',
    orderQuantity: a.quantity,
    orderStatus: STATUS_WORDS[o.status],
    lastOrderApproverName: facts.approver(o)?.name ?? '',
    buyingCustomer: { id: '', name: buyer.name, email: buyer.email },
    buyerGroupName: facts.groupName(o) ?? '',
    businessOrderInfo: businessOrderInfo(o),
    orderSubTotal: money(a.subtotal, c),
    orderShippingAndHandling: money(a.shipping, c),
    orderPromotion: zero,
    orderTax: money(a.tax, c),
    orderNetTotal: money(a.total, c),
  };
  const transactions = include.lineItems || include.charges ? purchasing.transactions(o) : [];
  const shipped = o.declinedAt !== null ? [] : o.shipments.filter((s) => s.live && s.shippedAt !== null);
  if (include.lineItems) {
    out.lineItems = o.lines
      .filter((l) => l.accepted > 0 && !o.cancelled.has(l.lineNo))
      .map((l) => {
        const p = facts.product(o, l.asin);
        const m = facts.merchant(l.merchantId);
        const brand = p?.brand ?? '';
        return {
          productCategory: p?.categories.at(-1)?.name ?? '',
          asin: l.asin ?? '',
          title: l.title ?? p?.title ?? '',
          unspsc: unspscOf(p),
          productCondition: 'New',
          listedPricePerUnit: money(l.price.unitMinor, c),
          purchasedPricePerUnit: money(l.price.unitMinor, c),
          itemQuantity: l.accepted,
          itemSubTotal: money(l.price.subtotalMinor, c),
          itemShippingAndHandling: money(l.price.shippingMinor, c),
          itemPromotion: zero,
          itemTax: money(l.price.taxMinor, c),
          itemNetTotal: money(totalOf(o.region, l.price.subtotalMinor, l.price.shippingMinor, l.price.taxMinor), c),
          purchaseOrderLineItem: o.purchaseOrderNumber ? l.externalId : '',
          taxExemptionApplied: false,
          taxExemptionType: '',
          taxExemptOptOut: false,
          discountProgram: '',
          discountType: '',
          discountAmount: zero,
          discountRatio: '',
          seller: { sellerName: m?.name ?? l.merchantId ?? '' },
          sellerCredentials: (m?.certificates ?? []).map((x) => x.name),
          sellerCredentialDetails: (m?.certificates ?? []).map((x) => ({ certificateType: x.id })),
          brandCode: brand
            .toUpperCase()
            .replace(/[^A-Z0-9]/g, '')
            .slice(0, 12),
          brandName: brand,
          manufacturerName: p?.manufacturer ?? brand,
          transactionIds: transactions.filter((t) => t.invoice.lines.some((x) => x.lineNo === l.lineNo)).map((t) => t.id),
          carrierTrackingNumbers: shipped.filter((s) => s.items.some((i) => i.lineNo === l.lineNo)).map((s) => s.trackingNumber),
        };
      });
  }
  if (include.shipments) {
    const amounts = purchasing.shipmentAmounts(o);
    const words = wordsFor('en-US');
    const addr = o.shippingAddress;
    out.shipments = shipped.map((s) => {
      const lines = amounts.get(s.id) ?? [];
      return {
        shipmentDate: isoInstant(s.shippedAt!),
        shipmentStatus: 'Shipped',
        carrierTracking: s.trackingNumber,
        deliveryInformation: {
          expectedDeliveryDate: isoInstant(s.plannedDeliveryAt ?? Date.parse(s.windowTo)),
          deliveryStatus: s.deliveredAt !== null ? 'DELIVERED' : 'NOT DELIVERED',
        },
        shipmentQuantity: sum(lines, (l) => l.quantity),
        shipmentSubTotal: money(
          sum(lines, (l) => l.subtotalMinor),
          c,
        ),
        shipmentShippingAndHandling: money(
          sum(lines, (l) => l.shippingMinor),
          c,
        ),
        shipmentPromotion: zero,
        shipmentTax: money(
          sum(lines, (l) => l.taxMinor),
          c,
        ),
        shipmentNetTotal: money(
          sum(lines, (l) => l.totalMinor),
          c,
        ),
        carrierName: carrierName(s.carrier, words),
        shippingAddress: {
          addressLine1: addr.addressLine1,
          addressLine2: addr.addressLine2 ?? '',
          city: addr.city,
          state: addr.stateOrRegion ?? '',
          postalCode: addr.postalCode,
          countryCode: addr.countryCode,
        },
      };
    });
  }
  if (include.charges) {
    const terms = paymentTermsOf(o.paymentMethod);
    out.charges = transactions.map((t) => ({
      transactionDate: isoInstant(t.at),
      transactionId: t.id,
      amount: money(t.amountMinor, c),
      paymentInstrumentType: terms.instrumentType,
      paymentInstrumentLast4Digits: terms.last4,
    }));
  }
  return out;
}

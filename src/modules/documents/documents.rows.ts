import { currencyExponent } from '../catalog/index.ts';
import { paymentStatusAt, paymentTermsOf, totalOf, type Invoice, type OrderView, type Transaction } from '../purchasing/index.ts';
import type { CsvCell } from './domain/csv.ts';

/**
 * The rows of the CSV reports, from the purchasing module's orders, invoices and transactions as
 * they stood at the report's instant. Amounts are decimals in the currency's own digits
 * (`1234.50`, `1200` for JPY), instants ISO 8601 in UTC.
 */

/** Minor units as an exact decimal string in the currency's digits (-1234 USD → "-12.34"). */
export function decimal(minor: number, currency: string): string {
  const e = currencyExponent(currency);
  const digits = String(Math.abs(minor)).padStart(e + 1, '0');
  const whole = e === 0 ? digits : `${digits.slice(0, -e)}.${digits.slice(-e)}`;
  return minor < 0 ? `-${whole}` : whole;
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

export const ORDER_LINE_HEADER = [
  'Order Date',
  'Order ID',
  'External Order ID',
  'Purchase Order Number',
  'Order Status',
  'Marketplace',
  'Buyer Email',
  'Group',
  'Payment Method',
  'Line Number',
  'Line External ID',
  'ASIN',
  'Title',
  'Quantity Requested',
  'Quantity Accepted',
  'Quantity Cancelled',
  'Quantity Shipped',
  'Currency',
  'Unit Price',
  'Item Subtotal',
  'Shipping',
  'Tax',
  'Line Total',
] as const;

/** One row per line of an order (lines rejected whole included, with zero amounts). */
export function orderLineRows(order: OrderView, groupName: (id: string | null) => string | null): CsvCell[][] {
  const c = order.currency;
  return order.lines.map((l) => {
    const shipped = order.shipments
      .filter((s) => s.live && s.shippedAt !== null && s.shippedAt <= order.at)
      .flatMap((s) => s.items.filter((i) => i.lineNo === l.lineNo))
      .reduce((n, i) => n + i.quantity, 0);
    const p = l.price;
    return [
      iso(order.placedAt),
      order.orderIdentifier,
      order.externalId,
      order.purchaseOrderNumber,
      order.status,
      order.region,
      order.buyerEmail,
      groupName(order.groupId),
      order.paymentMethod,
      l.lineNo,
      l.externalId,
      l.asin,
      l.title,
      l.requested,
      l.accepted,
      order.cancelled.get(l.lineNo)?.quantity ?? 0,
      shipped,
      c,
      decimal(p.unitMinor, c),
      decimal(p.subtotalMinor, c),
      decimal(p.shippingMinor, c),
      decimal(p.taxMinor, c),
      decimal(totalOf(order.region, p.subtotalMinor, p.shippingMinor, p.taxMinor), c),
    ];
  });
}

export const INVOICE_HEADER = [
  'Invoice Number',
  'Invoice Type',
  'Associated Invoice Number',
  'Invoice Date',
  'Order ID',
  'Purchase Order Number',
  'Shipment ID',
  'Marketplace',
  'Currency',
  'Subtotal',
  'Shipping',
  'Tax',
  'Total',
  'Payment Method',
  'Payment Terms',
  'Due Date',
  'Payment Status',
  'Settled Date',
] as const;

/** The payment terms in words ("Net 30", "Charged at shipment"). */
export const termsText = (paymentMethod: string): string => {
  const t = paymentTermsOf(paymentMethod);
  return t.kind === 'card' ? 'Charged at shipment' : `Net ${t.netDays}`;
};

/** One row per invoice or credit memo, its payment status as of `at`. */
export function invoiceRow(order: OrderView, invoice: Invoice, at: number): CsvCell[] {
  const c = invoice.currency;
  const status = paymentStatusAt(invoice, at);
  return [
    invoice.number,
    invoice.type,
    invoice.associatedNumber,
    iso(invoice.issuedAt),
    invoice.orderIdentifier,
    order.purchaseOrderNumber,
    invoice.shipmentIdentifier,
    invoice.region,
    c,
    decimal(invoice.subtotalMinor, c),
    decimal(invoice.shippingMinor, c),
    decimal(invoice.taxMinor, c),
    decimal(invoice.totalMinor, c),
    order.paymentMethod,
    termsText(order.paymentMethod),
    iso(invoice.dueAt),
    status,
    status === 'Closed' ? iso(invoice.settlesAt) : null,
  ];
}

export const TRANSACTION_HEADER = [
  'Transaction ID',
  'Transaction Type',
  'Transaction Date',
  'Amount',
  'Currency',
  'Invoice Number',
  'Invoice Type',
  'Order ID',
  'Shipment ID',
  'Marketplace',
  'Payment Instrument Type',
  'Payment Method',
  'Card Last 4',
  'Refund Reason',
] as const;

/** One row per charge or refund (a refund's amount is negative). */
export function transactionRow(order: OrderView, t: Transaction): CsvCell[] {
  const terms = paymentTermsOf(order.paymentMethod);
  const c = t.invoice.currency;
  return [
    t.id,
    t.type,
    iso(t.at),
    decimal(t.amountMinor, c),
    c,
    t.invoice.number,
    t.invoice.type,
    t.invoice.orderIdentifier,
    t.invoice.shipmentIdentifier,
    t.invoice.region,
    terms.instrumentType,
    terms.label,
    terms.last4,
    t.refundReason,
  ];
}

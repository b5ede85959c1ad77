import { createHash } from 'node:crypto';

/**
 * What an order costs its business over time, derived from the order as it stands (its lines,
 * shipments and returns) and the clock, as the order's status is: an invoice is issued for each
 * shipment when it ships, a credit memo for each return when it is refunded, and the payment of
 * each follows the payment method's terms. Nothing is written when time passes, so moving the
 * virtual clock moves invoices and payments with the orders, and reset and snapshots need nothing
 * more than the order rows. Pure.
 */

/** How an order is paid: charged to a card when a shipment ships, or invoiced and paid within a term. */
export interface PaymentTerms {
  readonly kind: 'card' | 'invoice';
  /** The payment method's label as the group names it ("Amazon Business Visa ending in 4242"). */
  readonly label: string;
  /** The Reconciliation API's payment instrument type. */
  readonly instrumentType: 'Credit Card' | 'Pay by Invoice';
  /** The card's last four digits, when the label names them. */
  readonly last4: string | null;
  /** Days from the invoice's date to its due date (0 for a card: paid when issued). */
  readonly netDays: number;
}

const DAY = 86_400_000;
/** Pay-by-invoice terms when the label names none. */
export const DEFAULT_NET_DAYS = 30;
/** A transaction can be read through the transactions feed from this long after it happened. */
export const FEED_DELAY_MS = 3_600_000;
/** A return is refunded this long after the item is handed back. */
export const REFUND_DELAY_MS = 2 * DAY;
/**
 * How long after an order is placed its invoices, payments and refunds can happen: approval,
 * shipping, a late payment and a return all fall well within it. Reads of invoices or transactions
 * by date look at the orders placed this long before the range.
 */
export const FINANCE_LOOKBACK_MS = 180 * DAY;
/** One invoice in this many is paid late (by LATE_BY_DAYS), so that "Past Due" exists in every history. */
const LATE_ONE_IN = 12;
const LATE_BY_DAYS = 9;

/** The terms of a payment method, read from its label: "invoice" in it means pay by invoice (net N when it says so). */
export function paymentTermsOf(label: string): PaymentTerms {
  if (/invoice/i.test(label)) {
    const net = /net\s*(\d{1,3})/i.exec(label);
    return { kind: 'invoice', label, instrumentType: 'Pay by Invoice', last4: null, netDays: net ? Number(net[1]) : DEFAULT_NET_DAYS };
  }
  const digits = /(\d{4})\D*$/.exec(label);
  return { kind: 'card', label, instrumentType: 'Credit Card', last4: digits ? digits[1]! : null, netDays: 0 };
}

/** What the finances of an order are derived from (an OrderView has all of it). */
export interface FinanceOrder {
  readonly id: string;
  readonly orderIdentifier: string;
  readonly region: string;
  readonly currency: string;
  readonly paymentMethod: string;
  readonly lines: readonly {
    readonly lineNo: number;
    readonly externalId: string;
    readonly asin: string | null;
    readonly title: string | null;
    readonly accepted: number;
    readonly price: {
      readonly unitMinor: number;
      readonly subtotalMinor: number;
      readonly shippingMinor: number;
      readonly taxMinor: number;
    };
  }[];
  readonly shipments: readonly {
    readonly id: string;
    readonly position: number;
    readonly identifier: string;
    /** The number its invoice has once it ships. */
    readonly invoiceNumber: string;
    readonly live: boolean;
    readonly shippedAt: number | null;
    readonly deliveredAt: number | null;
    readonly items: readonly { readonly lineNo: number; readonly quantity: number }[];
  }[];
  readonly returns: readonly ReturnFacts[];
}

/** A return of part of a line, as stored. */
export interface ReturnFacts {
  readonly id: string;
  readonly lineNo: number;
  readonly quantity: number;
  readonly returnedAt: number;
  /** The number of the credit memo that refunds it. */
  readonly creditNumber: string;
  readonly reason: string;
}

/** One line of an invoice or credit memo (amounts in minor units; a credit memo's are positive, it credits them). */
export interface InvoiceLine {
  readonly lineNo: number;
  readonly asin: string | null;
  readonly title: string | null;
  readonly quantity: number;
  readonly unitMinor: number;
  readonly subtotalMinor: number;
  readonly shippingMinor: number;
  readonly taxMinor: number;
  readonly totalMinor: number;
}

/** The payment status words of the Reconciliation API. */
export type PaymentStatus = 'Issued' | 'Payment Processing' | 'Past Due' | 'Closed';

/** An invoice (one per shipment, issued when it ships) or a credit memo (one per return, issued when refunded). */
export interface Invoice {
  readonly number: string;
  readonly type: 'STANDARD' | 'CREDIT_MEMO';
  /** For a credit memo: the invoice it credits. */
  readonly associatedNumber: string | null;
  readonly associatedIssuedAt: number | null;
  readonly orderId: string;
  readonly orderIdentifier: string;
  readonly shipmentId: string;
  readonly shipmentIdentifier: string;
  /** The shipment's ship instant (for a credit memo: of the shipment the returned items came in). */
  readonly shippedAt: number;
  readonly issuedAt: number;
  readonly region: string;
  readonly currency: string;
  readonly lines: readonly InvoiceLine[];
  readonly subtotalMinor: number;
  readonly shippingMinor: number;
  readonly taxMinor: number;
  readonly totalMinor: number;
  readonly dueAt: number;
  /** When it is (planned to be) settled: paid by the business, charged to the card, or refunded. */
  readonly settlesAt: number;
}

/** A money movement of the transactions feed: a charge when a shipment ships, a refund when a return is refunded. */
export interface Transaction {
  readonly id: string;
  readonly type: 'CHARGE' | 'REFUND';
  readonly at: number;
  readonly feedAt: number;
  readonly invoice: Invoice;
  /** Signed: a refund is negative. */
  readonly amountMinor: number;
  readonly refundReason: string | null;
}

const ALPHABET = '0123456789ABCDEFGHJKLMNPQRSTUVWXYZ';

/** A stable, Amazon-looking document number (`1XQX-T4VG-9939`) from a seed. */
export function documentNumber(seed: string): string {
  const bytes = createHash('sha256').update(seed).digest();
  let out = '';
  for (let i = 0; i < 12; i++) {
    out += ALPHABET[bytes[i]! % ALPHABET.length];
    if (i === 3 || i === 7) out += '-';
  }
  return out;
}

/** The same seeds give the same small numbers (which invoice is paid late, by how many days early). */
const seeded = (seed: string, modulo: number): number => createHash('sha256').update(seed).digest().readUInt32BE(0) % modulo;

/** Splits `total` over parts of `whole` so that the parts always add up to it. */
function share(total: number, before: number, part: number, whole: number): number {
  if (whole <= 0) return 0;
  return Math.round((total * (before + part)) / whole) - Math.round((total * before) / whole);
}

const ADDS_TAX = new Set(['US', 'CA']);
export const lineTotal = (region: string, subtotal: number, shipping: number, tax: number): number =>
  subtotal + shipping + (ADDS_TAX.has(region) ? tax : 0);

/** When an invoice of these terms is paid: a card when issued; an invoice a few days before it is due, and one in twelve late. */
function settlement(terms: PaymentTerms, issuedAt: number, seed: string): { dueAt: number; settlesAt: number } {
  if (terms.kind === 'card') return { dueAt: issuedAt, settlesAt: issuedAt };
  const dueAt = issuedAt + terms.netDays * DAY;
  const late = seeded(`${seed}:late`, LATE_ONE_IN) === 0;
  return { dueAt, settlesAt: late ? dueAt + LATE_BY_DAYS * DAY : dueAt - seeded(`${seed}:early`, 6) * DAY };
}

/**
 * What each shipment of an order carries, in money: each line's amounts split over the shipments
 * that carry it, in proportion to quantity and so that the parts add up to the line exactly. By
 * shipment id; a line with nothing accepted carries nothing.
 */
export function shipmentLines(order: FinanceOrder): Map<string, InvoiceLine[]> {
  const byLine = new Map(order.lines.map((l) => [l.lineNo, l]));
  const carried = new Map<number, number>();
  const out = new Map<string, InvoiceLine[]>();
  for (const s of [...order.shipments].sort((a, b) => a.position - b.position)) {
    const lines: InvoiceLine[] = [];
    for (const item of s.items) {
      const line = byLine.get(item.lineNo);
      if (!line || line.accepted <= 0) continue;
      const before = carried.get(item.lineNo) ?? 0;
      carried.set(item.lineNo, before + item.quantity);
      const p = line.price;
      const subtotal = share(p.subtotalMinor, before, item.quantity, line.accepted);
      const shipping = share(p.shippingMinor, before, item.quantity, line.accepted);
      const tax = share(p.taxMinor, before, item.quantity, line.accepted);
      lines.push({
        lineNo: line.lineNo,
        asin: line.asin,
        title: line.title,
        quantity: item.quantity,
        unitMinor: p.unitMinor,
        subtotalMinor: subtotal,
        shippingMinor: shipping,
        taxMinor: tax,
        totalMinor: lineTotal(order.region, subtotal, shipping, tax),
      });
    }
    out.set(s.id, lines);
  }
  return out;
}

/** The invoices and credit memos of an order issued at or before `now`, oldest first. */
export function invoicesAt(order: FinanceOrder, now: number): Invoice[] {
  const terms = paymentTermsOf(order.paymentMethod);
  const split = shipmentLines(order);
  const invoiceOf = new Map<string, Invoice>();
  const out: Invoice[] = [];
  for (const s of [...order.shipments].sort((a, b) => a.position - b.position)) {
    const lines = split.get(s.id) ?? [];
    if (!s.live || s.shippedAt === null || s.shippedAt > now || lines.length === 0) continue;
    const invoice = invoiceFrom(order, terms, s, lines, s.invoiceNumber, s.shippedAt, null);
    invoiceOf.set(s.id, invoice);
    out.push(invoice);
  }
  for (const r of order.returns) {
    const issuedAt = r.returnedAt + REFUND_DELAY_MS;
    const s = order.shipments.find((x) => invoiceOf.has(x.id) && x.items.some((i) => i.lineNo === r.lineNo));
    const original = s ? invoiceOf.get(s.id) : undefined;
    const line = original?.lines.find((l) => l.lineNo === r.lineNo);
    if (!s || !original || !line || issuedAt > now) continue;
    const q = Math.min(r.quantity, line.quantity);
    // The items' price and tax come back; shipping does not.
    const subtotal = share(line.subtotalMinor, 0, q, line.quantity);
    const tax = share(line.taxMinor, 0, q, line.quantity);
    const credited: InvoiceLine = {
      ...line,
      quantity: q,
      subtotalMinor: subtotal,
      shippingMinor: 0,
      taxMinor: tax,
      totalMinor: lineTotal(order.region, subtotal, 0, tax),
    };
    out.push(invoiceFrom(order, terms, s, [credited], r.creditNumber, issuedAt, original));
  }
  return out.sort((a, b) => a.issuedAt - b.issuedAt || a.number.localeCompare(b.number));
}

function invoiceFrom(
  order: FinanceOrder,
  terms: PaymentTerms,
  s: FinanceOrder['shipments'][number],
  lines: readonly InvoiceLine[],
  number: string,
  issuedAt: number,
  credits: Invoice | null,
): Invoice {
  const sum = (f: (l: InvoiceLine) => number) => lines.reduce((n, l) => n + f(l), 0);
  // A credit memo is settled when it is issued: the refund goes back the way the money came.
  const { dueAt, settlesAt } = credits ? { dueAt: issuedAt, settlesAt: issuedAt } : settlement(terms, issuedAt, number);
  return {
    number,
    type: credits ? 'CREDIT_MEMO' : 'STANDARD',
    associatedNumber: credits?.number ?? null,
    associatedIssuedAt: credits?.issuedAt ?? null,
    orderId: order.id,
    orderIdentifier: order.orderIdentifier,
    shipmentId: s.id,
    shipmentIdentifier: s.identifier,
    shippedAt: s.shippedAt!,
    issuedAt,
    region: order.region,
    currency: order.currency,
    lines,
    subtotalMinor: sum((l) => l.subtotalMinor),
    shippingMinor: sum((l) => l.shippingMinor),
    taxMinor: sum((l) => l.taxMinor),
    totalMinor: sum((l) => l.totalMinor),
    dueAt,
    settlesAt,
  };
}

/** Where the payment of an invoice stands at `now`. */
export function paymentStatusAt(invoice: Invoice, now: number): PaymentStatus {
  if (invoice.settlesAt <= now) return 'Closed';
  if (invoice.settlesAt - DAY <= now) return 'Payment Processing';
  return invoice.dueAt < now ? 'Past Due' : 'Issued';
}

/** The order's transactions that happened at or before `now`: a charge per invoice, a refund per credit memo. */
export function transactionsAt(order: FinanceOrder, now: number): Transaction[] {
  return invoicesAt(order, now).map((invoice) => ({
    id: documentNumber(`transaction:${invoice.number}`).replace(/-/g, ''),
    type: invoice.type === 'CREDIT_MEMO' ? 'REFUND' : 'CHARGE',
    at: invoice.issuedAt,
    feedAt: invoice.issuedAt + FEED_DELAY_MS,
    invoice,
    amountMinor: invoice.type === 'CREDIT_MEMO' ? -invoice.totalMinor : invoice.totalMinor,
    refundReason: invoice.type === 'CREDIT_MEMO' ? (order.returns.find((r) => r.creditNumber === invoice.number)?.reason ?? null) : null,
  }));
}

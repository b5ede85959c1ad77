// pdfkit is loaded at the first PDF (it takes a noticeable share of a start otherwise).
import type PDFDocumentClass from 'pdfkit';
import { marketFacts } from '../catalog/index.ts';
import { paymentStatusAt, type Invoice, type OrderView } from '../purchasing/index.ts';
import { decimal, termsText } from './documents.rows.ts';

/**
 * Invoice and credit-memo PDFs (pdfkit, its built-in Helvetica): the business, bill-to and ship-to,
 * the document's number and date, the order, its lines (ASIN, title, quantity, unit price, tax,
 * amount), the totals, the payment terms and the payment status as of the instant the file is made.
 * Each document starts on a new page. The same input gives the same bytes (the file's dates are the
 * instant it is made as of, not the wall clock).
 */

/** What one document of a PDF shows besides the invoice itself. */
export interface InvoicePage {
  readonly invoice: Invoice;
  readonly order: OrderView;
  readonly businessName: string;
  readonly groupName: string | null;
}

// The standard fonts write WinAnsi: characters outside it would print as garbage, so they print as "?".
const WIN_ANSI_EXTRA = new Set([...'€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ']);
export const pdfText = (s: string): string =>
  [...s].map((ch) => (/[\x20-\x7e\xa0-\xff]/.test(ch) || WIN_ANSI_EXTRA.has(ch) ? ch : ch === '\n' ? ch : '?')).join('');

/** An amount as the PDFs print it: the currency code and the grouped decimal (`USD 1,234.56`, `JPY -1,200`). */
export function pdfMoney(minor: number, currency: string): string {
  const d = decimal(minor, currency);
  const negative = d.startsWith('-');
  const [whole, fraction] = (negative ? d.slice(1) : d).split('.');
  const grouped = whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${currency} ${negative ? '-' : ''}${grouped}${fraction !== undefined ? `.${fraction}` : ''}`;
}

/** A date in the store's time zone, as YYYY-MM-DD. */
const dateIn = (ms: number, region: string): string =>
  new Intl.DateTimeFormat('en-CA', {
    timeZone: marketFacts(region)?.timeZone ?? 'UTC',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(ms);

const ADDS_TAX = new Set(['US', 'CA']);
const MARGIN = 50;
const PAGE_BOTTOM = 842 - MARGIN;
const COLUMNS = [
  { title: '#', x: 50, width: 20, align: 'left' },
  { title: 'ASIN', x: 72, width: 78, align: 'left' },
  { title: 'Item', x: 152, width: 170, align: 'left' },
  { title: 'Qty', x: 324, width: 28, align: 'right' },
  { title: 'Unit price', x: 354, width: 70, align: 'right' },
  { title: 'Tax', x: 426, width: 56, align: 'right' },
  { title: 'Amount', x: 484, width: 61, align: 'right' },
] as const;

function row(doc: PDFKit.PDFDocument, cells: readonly string[], y: number, bold = false): number {
  doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(8.5);
  const heights = COLUMNS.map((c, i) => doc.heightOfString(pdfText(cells[i] ?? ''), { width: c.width }));
  COLUMNS.forEach((c, i) => doc.text(pdfText(cells[i] ?? ''), c.x, y, { width: c.width, align: c.align }));
  return y + Math.max(...heights) + 4;
}

function addressLines(o: OrderView): string[] {
  const a = o.shippingAddress;
  return [
    a.fullName,
    a.companyName,
    a.addressLine1,
    a.addressLine2,
    a.addressLine3,
    [a.city, a.stateOrRegion, a.postalCode].filter(Boolean).join(', '),
    a.countryCode,
  ].filter((x): x is string => !!x);
}

function page(doc: PDFKit.PDFDocument, p: InvoicePage, at: number): void {
  const { invoice: inv, order } = p;
  const c = inv.currency;
  const credit = inv.type === 'CREDIT_MEMO';
  doc
    .font('Helvetica-Bold')
    .fontSize(20)
    .text(credit ? 'CREDIT MEMO' : 'INVOICE', MARGIN, MARGIN);
  doc
    .font('Helvetica')
    .fontSize(9)
    .text(pdfText(p.businessName), MARGIN, MARGIN + 26);
  const facts: [string, string][] = [
    [credit ? 'Credit memo number' : 'Invoice number', inv.number],
    [credit ? 'Credit memo date' : 'Invoice date', dateIn(inv.issuedAt, inv.region)],
    ['Order ID', inv.orderIdentifier],
    ...(order.purchaseOrderNumber ? ([['Purchase order', order.purchaseOrderNumber]] as [string, string][]) : []),
    ['Shipment', inv.shipmentIdentifier],
    ...(credit && inv.associatedNumber ? ([['Credits invoice', inv.associatedNumber]] as [string, string][]) : []),
  ];
  let y = MARGIN;
  for (const [k, v] of facts) {
    doc.font('Helvetica').fontSize(9).text(`${k}:`, 330, y, { width: 95 });
    doc.font('Helvetica-Bold').text(pdfText(v), 425, y, { width: 120, align: 'right' });
    y += 13;
  }
  y = Math.max(y, MARGIN + 50) + 14;
  doc.font('Helvetica-Bold').fontSize(9).text('Bill to', MARGIN, y).text('Ship to', 300, y);
  const bill = [p.businessName, ...(p.groupName ? [`Group: ${p.groupName}`] : []), `Buyer: ${order.buyerEmail}`];
  doc.font('Helvetica').text(pdfText(bill.join('\n')), MARGIN, y + 12, { width: 230 });
  doc.text(pdfText(addressLines(order).join('\n')), 300, y + 12, { width: 245 });
  y += 12 + Math.max(bill.length, addressLines(order).length) * 11 + 16;

  y = row(
    doc,
    COLUMNS.map((col) => col.title),
    y,
    true,
  );
  doc
    .moveTo(MARGIN, y - 2)
    .lineTo(545, y - 2)
    .lineWidth(0.5)
    .stroke();
  for (const l of inv.lines) {
    if (y > PAGE_BOTTOM - 40) {
      doc.addPage();
      y = row(
        doc,
        COLUMNS.map((col) => col.title),
        MARGIN,
        true,
      );
    }
    y = row(
      doc,
      [
        String(l.lineNo),
        l.asin ?? '',
        l.title ?? '',
        String(l.quantity),
        pdfMoney(l.unitMinor, c),
        pdfMoney(l.taxMinor, c),
        pdfMoney(l.subtotalMinor, c),
      ],
      y,
    );
  }
  if (y > PAGE_BOTTOM - 150) {
    doc.addPage();
    y = MARGIN;
  }
  y += 8;
  const taxLabel = ADDS_TAX.has(inv.region) ? 'Tax' : 'Tax (included above)';
  const totals: [string, string][] = [
    ['Item subtotal', pdfMoney(inv.subtotalMinor, c)],
    ['Shipping', pdfMoney(inv.shippingMinor, c)],
    [taxLabel, pdfMoney(inv.taxMinor, c)],
    [credit ? 'Total credited' : 'Total', pdfMoney(inv.totalMinor, c)],
  ];
  for (const [k, v] of totals) {
    const last = k.startsWith('Total');
    doc.font(last ? 'Helvetica-Bold' : 'Helvetica').fontSize(last ? 11 : 9);
    doc.text(k, 330, y, { width: 110 }).text(v, 440, y, { width: 105, align: 'right' });
    y += last ? 16 : 13;
  }
  y += 10;
  const status = paymentStatusAt(inv, at);
  doc.font('Helvetica-Bold').fontSize(9).text('Payment', MARGIN, y);
  doc
    .font('Helvetica')
    .text(
      pdfText(
        [
          `Method: ${order.paymentMethod}`,
          `Terms: ${credit ? 'Refunded to the original payment method' : termsText(order.paymentMethod)}`,
          `Due date: ${dateIn(inv.dueAt, inv.region)}`,
          `Status as of ${dateIn(at, inv.region)}: ${status}`,
        ].join('\n'),
      ),
      MARGIN,
      y + 12,
      { width: 400 },
    );
}

/** One PDF of the given documents, each from a new page, made as of `at`. */
export async function invoicePdf(pages: readonly InvoicePage[], at: number, title: string): Promise<Buffer> {
  const when = new Date(at);
  const PDFDocument: typeof PDFDocumentClass = (await import('pdfkit')).default;
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    autoFirstPage: false,
    info: { Title: pdfText(title), Author: 'bizapi', Creator: 'bizapi', Producer: 'bizapi', CreationDate: when, ModDate: when },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  for (const p of pages) {
    doc.addPage();
    page(doc, p, at);
  }
  doc.end();
  return done;
}

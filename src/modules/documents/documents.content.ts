import type { AccountsService } from '../accounts/index.ts';
import { FINANCE_LOOKBACK_MS, type Invoice, type OrderView, type PurchasingService, type Transaction } from '../purchasing/index.ts';
import { csvText, type CsvCell } from './domain/csv.ts';
import { MAX_CSV_ROWS, MAX_PDF_DOCUMENTS, reportTypeSpec } from './domain/report-types.ts';
import { INVOICE_HEADER, invoiceRow, ORDER_LINE_HEADER, orderLineRows, TRANSACTION_HEADER, transactionRow } from './documents.rows.ts';
import { invoicePdf } from './documents.pdf.ts';

/**
 * What a report job produces when its processing ends: the file, made from the purchasing data as
 * it stood at that instant (orders, invoices and transactions seen at `at`), or why there is none.
 * Reading the same rows at the same instant gives the same bytes.
 */

export interface ReportInput {
  readonly id: string;
  readonly businessId: string;
  readonly reportType: string;
  /** Store codes of the asked marketplaces (US, CA, …). */
  readonly stores: ReadonlySet<string>;
  readonly dataStart: number;
  readonly dataEnd: number;
  readonly options: Readonly<Record<string, string>>;
}

export interface ProducedFile {
  readonly contentType: string;
  readonly fileName: string;
  readonly bytes: Buffer;
  /** How the bytes are stored: text as is, binary in base64. */
  readonly encoding: 'utf8' | 'base64';
}

export type Produced =
  | { readonly outcome: 'DONE'; readonly file: ProducedFile }
  | { readonly outcome: 'CANCELLED'; readonly reason: string }
  | { readonly outcome: 'FATAL'; readonly reason: string };

export interface ContentDeps {
  purchasing: PurchasingService;
  accounts: AccountsService;
}

const PAGE = 500;

/** Too much data for one report: FATAL, with what to do about it. */
class TooLarge extends Error {}

/** Orders placed within [from, to] in the asked stores, seen at `at`, oldest first; at most `max`. */
async function ordersPlaced(deps: ContentDeps, r: ReportInput, from: number, to: number, at: number, max: number): Promise<OrderView[]> {
  const orderId = r.options.orderId;
  if (orderId !== undefined) {
    const found = (await deps.purchasing.ordersByIdentifier(r.businessId, [orderId], at)).get(orderId);
    return found && r.stores.has(found.region) && found.placedAt <= at ? [found] : [];
  }
  const out: OrderView[] = [];
  let after: { placedAt: number; id: string } | undefined;
  for (;;) {
    const page = await deps.purchasing.ordersInRange({ businessId: r.businessId, from, to, ...(after ? { after } : {}), limit: PAGE }, at);
    for (const o of page) if (r.stores.has(o.region)) out.push(o);
    if (out.length > max) throw new TooLarge();
    if (page.length < PAGE) return out;
    const last = page.at(-1)!;
    after = { placedAt: last.placedAt, id: last.id };
  }
}

/** The orders whose invoices and transactions a report reads: named by an option, or placed up to the lookback before its range. */
async function ordersWithDocuments(deps: ContentDeps, r: ReportInput, at: number): Promise<OrderView[]> {
  const invoiceNumber = r.options.invoiceNumber;
  if (invoiceNumber !== undefined) {
    // Found as it stands now, then read as it stood at the report's instant.
    const hit = (await deps.purchasing.invoicesByNumber(r.businessId, [invoiceNumber])).get(invoiceNumber);
    if (!hit || (r.options.orderId !== undefined && hit.order.orderIdentifier !== r.options.orderId)) return [];
    const order = (await deps.purchasing.ordersByIdentifier(r.businessId, [hit.order.orderIdentifier], at)).get(hit.order.orderIdentifier);
    return order && r.stores.has(order.region) ? [order] : [];
  }
  return ordersPlaced(deps, r, r.dataStart - FINANCE_LOOKBACK_MS, r.dataEnd, at, Number.POSITIVE_INFINITY);
}

/** Whether an option names the documents (then the data range does not narrow them). */
const named = (r: ReportInput): boolean => r.options.invoiceNumber !== undefined || r.options.orderId !== undefined;

function invoicesOf(deps: ContentDeps, r: ReportInput, orders: readonly OrderView[]): { order: OrderView; invoice: Invoice }[] {
  const out: { order: OrderView; invoice: Invoice }[] = [];
  for (const order of orders)
    for (const invoice of deps.purchasing.invoices(order)) {
      if (r.options.invoiceNumber !== undefined && invoice.number !== r.options.invoiceNumber) continue;
      if (!named(r) && (invoice.issuedAt < r.dataStart || invoice.issuedAt > r.dataEnd)) continue;
      out.push({ order, invoice });
    }
  return out.sort((a, b) => a.invoice.issuedAt - b.invoice.issuedAt || a.invoice.number.localeCompare(b.invoice.number));
}

function transactionsOf(deps: ContentDeps, r: ReportInput, orders: readonly OrderView[]): { order: OrderView; transaction: Transaction }[] {
  const out: { order: OrderView; transaction: Transaction }[] = [];
  for (const order of orders)
    for (const transaction of deps.purchasing.transactions(order)) {
      if (!named(r) && (transaction.at < r.dataStart || transaction.at > r.dataEnd)) continue;
      out.push({ order, transaction });
    }
  return out.sort((a, b) => a.transaction.at - b.transaction.at || a.transaction.id.localeCompare(b.transaction.id));
}

const csvFile = (r: ReportInput, header: readonly string[], rows: CsvCell[][]): Produced =>
  rows.length === 0
    ? { outcome: 'CANCELLED', reason: 'There is no data to report for this range and these marketplaces.' }
    : rows.length > MAX_CSV_ROWS
      ? {
          outcome: 'FATAL',
          reason: `The report would have ${rows.length} rows; at most ${MAX_CSV_ROWS} are made. Ask for a shorter data range.`,
        }
      : {
          outcome: 'DONE',
          file: {
            contentType: 'text/csv; charset=utf-8',
            fileName: `${r.reportType}_${r.id}.csv`,
            bytes: Buffer.from(csvText(header, rows), 'utf8'),
            encoding: 'utf8',
          },
        };

/** Produces a report as of `at` (the instant its processing ends). */
export async function produceReport(deps: ContentDeps, r: ReportInput, at: number): Promise<Produced> {
  const spec = reportTypeSpec(r.reportType);
  if (!spec) return { outcome: 'FATAL', reason: `Report type ${r.reportType} is not made by this server.` };
  try {
    if (spec.basis === 'ordersPlaced') {
      const [orders, groups] = await Promise.all([
        ordersPlaced(deps, r, r.dataStart, r.dataEnd, at, MAX_CSV_ROWS),
        deps.accounts.listGroups(r.businessId),
      ]);
      const names = new Map(groups.map((g) => [g.id, g.name]));
      return csvFile(
        r,
        ORDER_LINE_HEADER,
        orders.flatMap((o) => orderLineRows(o, (id) => (id === null ? null : (names.get(id) ?? null)))),
      );
    }
    const orders = await ordersWithDocuments(deps, r, at);
    if (spec.basis === 'transactionsMade')
      return csvFile(
        r,
        TRANSACTION_HEADER,
        transactionsOf(deps, r, orders).map((t) => transactionRow(t.order, t.transaction)),
      );
    const invoices = invoicesOf(deps, r, orders);
    if (spec.format === 'csv')
      return csvFile(
        r,
        INVOICE_HEADER,
        invoices.map((i) => invoiceRow(i.order, i.invoice, at)),
      );
    if (invoices.length === 0)
      return { outcome: 'CANCELLED', reason: 'There is no invoice to report for this range, marketplaces and options.' };
    if (invoices.length > MAX_PDF_DOCUMENTS)
      return {
        outcome: 'FATAL',
        reason: `The report would hold ${invoices.length} invoices; one PDF holds at most ${MAX_PDF_DOCUMENTS}. Ask for a shorter data range or one invoice (reportOptions.invoiceNumber).`,
      };
    const [business, groups] = await Promise.all([deps.accounts.getBusiness(r.businessId), deps.accounts.listGroups(r.businessId)]);
    const names = new Map(groups.map((g) => [g.id, g.name]));
    const title = invoices.length === 1 ? `Invoice ${invoices[0]!.invoice.number}` : `Invoices ${r.reportType} ${r.id}`;
    const bytes = await invoicePdf(
      invoices.map((i) => ({
        ...i,
        businessName: business.name,
        groupName: i.order.groupId === null ? null : (names.get(i.order.groupId) ?? null),
      })),
      at,
      title,
    );
    const fileName = invoices.length === 1 ? `Invoice_${invoices[0]!.invoice.number}.pdf` : `${r.reportType}_${r.id}.pdf`;
    return { outcome: 'DONE', file: { contentType: 'application/pdf', fileName, bytes, encoding: 'base64' } };
  } catch (err) {
    if (err instanceof TooLarge)
      return { outcome: 'FATAL', reason: `The data range holds more than ${MAX_CSV_ROWS} orders; ask for a shorter data range.` };
    throw err;
  }
}

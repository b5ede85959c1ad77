/**
 * The report types the Document API makes, what each reads and the options each takes. Every type
 * reads the same purchasing data (orders, invoices, credit memos, transactions) as the Reporting and
 * Reconciliation APIs. Pure.
 */

/** How a report selects its rows from the data range. */
export type ReportBasis = 'ordersPlaced' | 'invoicesIssued' | 'transactionsMade';

export interface ReportTypeSpec {
  readonly type: string;
  readonly basis: ReportBasis;
  readonly format: 'pdf' | 'csv';
  /** The options reportOptions may carry for this type (any other is refused). */
  readonly options: readonly string[];
  readonly description: string;
}

export const INVOICE_PDF = 'GET_AB_INVOICE_PDF';

export const REPORT_TYPES: readonly ReportTypeSpec[] = [
  {
    type: INVOICE_PDF,
    basis: 'invoicesIssued',
    format: 'pdf',
    options: ['invoiceNumber', 'orderId'],
    description: 'Invoices and credit memos issued in the range, as one PDF with each document starting on a new page.',
  },
  {
    type: 'GET_AB_ORDER_LINE_ITEMS_DATA',
    basis: 'ordersPlaced',
    format: 'csv',
    options: ['orderId'],
    description: 'One row per line of every order placed in the range: quantities, prices, tax and totals as they stood.',
  },
  {
    type: 'GET_AB_INVOICES_DATA',
    basis: 'invoicesIssued',
    format: 'csv',
    options: ['invoiceNumber', 'orderId'],
    description: 'One row per invoice or credit memo issued in the range, with its totals, due date and payment status.',
  },
  {
    type: 'GET_AB_TRANSACTIONS_DATA',
    basis: 'transactionsMade',
    format: 'csv',
    options: ['orderId'],
    description: 'One row per charge or refund made in the range, with its invoice and payment instrument.',
  },
];

export const REPORT_TYPE_NAMES: readonly string[] = REPORT_TYPES.map((t) => t.type);

export const reportTypeSpec = (type: string): ReportTypeSpec | undefined => REPORT_TYPES.find((t) => t.type === type);

/** The most documents one invoice PDF report holds; more is FATAL (narrow the range or name an invoice). */
export const MAX_PDF_DOCUMENTS = 500;
/** The most rows one CSV report holds; more is FATAL. */
export const MAX_CSV_ROWS = 100_000;
/** The longest data range a report may cover (the Reporting API's limit too). */
export const MAX_RANGE_MS = 366 * 86_400_000;

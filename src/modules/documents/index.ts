/** Report jobs of the Document API over the purchasing data: their lifecycle on the virtual clock, their documents (invoice PDFs, CSV reports) and presigned download URLs. */
export {
  DocumentsService,
  REPORT_KIND,
  type DocumentInfo,
  type DownloadedDocument,
  type ReportFilter,
  type ReportSpec,
  type ReportView,
} from './documents.service.ts';
/** The report types made, their options and limits. */
export {
  INVOICE_PDF,
  MAX_CSV_ROWS,
  MAX_PDF_DOCUMENTS,
  MAX_RANGE_MS,
  REPORT_TYPE_NAMES,
  REPORT_TYPES,
  reportTypeSpec,
  type ReportTypeSpec,
} from './domain/report-types.ts';
/** Processing statuses and the planned times of a job's stages. */
export { PROCESSING_MS, PROCESSING_STATUSES, QUEUE_MS, type ProcessingStatus } from './domain/status.ts';
/** How long a download URL works. */
export { URL_LIFETIME_MS } from './domain/signing.ts';
/** The route that serves presigned download URLs (outside the API gateway). */
export { documentDownloadRoutes } from './documents.download.ts';
/** One invoice or credit memo as a PDF (the business portal's download), and how its amounts print. */
export { invoicePdf, pdfMoney, type InvoicePage } from './documents.pdf.ts';
/** RFC 4180 CSV text, and amounts as the CSV reports write them. */
export { csvText, csvField, type CsvCell } from './domain/csv.ts';
export { decimal } from './documents.rows.ts';

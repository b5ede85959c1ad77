/** Orders: placing (trial or real, idempotent per external id), reading them as they stand on the virtual clock, approvals, and the emulator's levers on their lifecycle. */
export {
  PurchasingService,
  ORDER_KIND,
  ADDED_SALES_TAX,
  storeCountry,
  totalOf,
  type HistoricalOrder,
  type LineRequest,
  type OrderRequest,
  type Orderer,
  type OrderView,
  type PackageTrackingView,
  type Placement,
  type PlacedLine,
  type Quote,
  type QuotedLine,
  type ShipTo,
  type ShipmentView,
} from './purchasing.service.ts';
export type { ChargeSource, Rejection, RejectedPortion, LinePrice } from './domain/lines.ts';
export type { ShipPreference } from './domain/plan.ts';
export type { OrderStatus } from './domain/status.ts';
export type { OrderRange } from './purchasing.repository.ts';
/** Invoices, credit memos, payments and transactions, derived from the orders on the virtual clock. */
export {
  documentNumber,
  FINANCE_LOOKBACK_MS,
  paymentStatusAt,
  paymentTermsOf,
  type Invoice,
  type InvoiceLine,
  type PaymentStatus,
  type PaymentTerms,
  type ReturnFacts,
  type Transaction,
} from './domain/finance.ts';
export type { Milestone, Tracking, TrackingEvent, TrackingStatus } from './domain/tracking.ts';
/** An order as operators and administrators read it (JSON: status, stage, lines, shipments, ISO instants). */
export { orderJson } from './purchasing.json.ts';
/** The words of tracking pages in the stores' languages (English where a language has none). */
export { carrierName, wordsFor } from './tracking.text.ts';

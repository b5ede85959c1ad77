import { defineApi, type ApiRoot } from '../api-module.ts';
import {
  getBatchInvoicePaymentDetails,
  getInvoiceDetailsByOrderLineItems,
  getTransactions,
  type ReconciliationDeps,
} from './reconciliation.handlers.ts';
import {
  GetBatchInvoicePaymentDetailsRequest,
  GetBatchInvoicePaymentDetailsResponse,
  InvoiceDetailsByOrderLineItemsRequest,
  InvoiceDetailsByOrderLineItemsResponse,
  TransactionsResponse,
} from './reconciliation.wire.ts';

/** The Reconciliation API (2021-01-08): transactions, invoices and payments of the purchasing module's orders. */
export const reconciliationApi = defineApi({
  api: 'Reconciliation',
  bodyPolicy: 'json',
  deps: ({ ctx, services }: ApiRoot): ReconciliationDeps => ({
    purchasing: services.purchasing,
    accounts: services.accounts,
    catalog: services.catalog,
    clock: ctx.clock,
  }),
  handlers: { getTransactions, getInvoiceDetailsByOrderLineItems, getBatchInvoicePaymentDetails },
  responses: {
    getTransactions: { 200: TransactionsResponse },
    getInvoiceDetailsByOrderLineItems: { 200: InvoiceDetailsByOrderLineItemsResponse },
    getBatchInvoicePaymentDetails: { 200: GetBatchInvoicePaymentDetailsResponse },
  },
  requestBodies: {
    getInvoiceDetailsByOrderLineItems: InvoiceDetailsByOrderLineItemsRequest,
    getBatchInvoicePaymentDetails: GetBatchInvoicePaymentDetailsRequest,
  },
  successMetric: { name: 'bizapi_reconciliation_duration_seconds', help: 'Latency of successful Reconciliation calls.' },
});

export type { ReconciliationDeps } from './reconciliation.handlers.ts';
export type * from './reconciliation.wire.ts';

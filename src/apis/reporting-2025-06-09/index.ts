import { defineApi, type ApiRoot } from '../api-module.ts';
import {
  getOrderLineItemReports,
  getOrderReports,
  getOrderReportsByPurchaseOrderNumber,
  getShipmentLineItemReports,
  getShipmentReports,
  type ReportingDeps,
} from './reporting.handlers.ts';
import {
  GetOrderLineItemReportsResponse,
  GetOrderReportsResponse,
  GetShipmentLineItemReportsResponse,
  GetShipmentReportsResponse,
} from './reporting.wire.ts';

/** The Reporting API (2025-06-09): orders, order lines, shipments and shipment lines over the purchasing module's orders. */
export const reporting2025Api = defineApi({
  api: 'Reporting 2025-06-09',
  bodyPolicy: 'json',
  deps: ({ ctx, services }: ApiRoot): ReportingDeps => ({
    purchasing: services.purchasing,
    accounts: services.accounts,
    catalog: services.catalog,
    clock: ctx.clock,
  }),
  handlers: {
    getOrderReports,
    getOrderLineItemReports,
    getOrderReportsByPurchaseOrderNumber,
    getShipmentReports,
    getShipmentLineItemReports,
  },
  responses: {
    getOrderReports: { 200: GetOrderReportsResponse },
    getOrderLineItemReports: { 200: GetOrderLineItemReportsResponse },
    getOrderReportsByPurchaseOrderNumber: { 200: GetOrderReportsResponse },
    getShipmentReports: { 200: GetShipmentReportsResponse },
    getShipmentLineItemReports: { 200: GetShipmentLineItemReportsResponse },
  },
  successMetric: { name: 'bizapi_reporting_2025_duration_seconds', help: 'Latency of successful Reporting (2025-06-09) calls.' },
});

export type { ReportingDeps } from './reporting.handlers.ts';
export type * from './reporting.wire.ts';

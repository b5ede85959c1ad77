import { defineApi, type ApiRoot } from '../api-module.ts';
import { getOrdersByOrderDate, getOrdersByOrderId, type LegacyReportingDeps } from './reporting.handlers.ts';
import { OrdersOutput } from './reporting.wire.ts';

/** The Reporting API (2021-01-08, order history): the purchasing module's orders in the legacy shape. */
export const reporting2021Api = defineApi({
  api: 'Reporting 2021-01-08',
  bodyPolicy: 'json',
  deps: ({ ctx, services }: ApiRoot): LegacyReportingDeps => ({
    purchasing: services.purchasing,
    accounts: services.accounts,
    catalog: services.catalog,
    clock: ctx.clock,
  }),
  handlers: { getOrdersByOrderDate, getOrdersByOrderId },
  responses: { getOrdersByOrderDate: { 200: OrdersOutput }, getOrdersByOrderId: { 200: OrdersOutput } },
  successMetric: { name: 'bizapi_reporting_2021_duration_seconds', help: 'Latency of successful Reporting (2021-01-08) calls.' },
});

export type { LegacyReportingDeps } from './reporting.handlers.ts';
export type * from './reporting.wire.ts';

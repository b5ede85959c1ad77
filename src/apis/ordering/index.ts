import { defineApi, type ApiRoot } from '../api-module.ts';
import { orderingEmulatorRoutes } from './ordering.emulator.ts';
import { orderDetails, placeOrder, type OrderingDeps } from './ordering.handlers.ts';
import { OrderResult, PlaceOrderRequest } from './ordering.wire.ts';

/** The Ordering API (2022-10-30) over the purchasing module. */
export const orderingApi = defineApi({
  api: 'Ordering',
  bodyPolicy: 'json',
  deps: ({ services }: ApiRoot): OrderingDeps & { transitions: ApiRoot['services']['transitions'] } => ({
    purchasing: services.purchasing,
    accounts: services.accounts,
    transitions: services.transitions,
  }),
  handlers: { placeOrder, orderDetails },
  responses: { placeOrder: { 200: OrderResult }, orderDetails: { 200: OrderResult } },
  requestBodies: { placeOrder: PlaceOrderRequest },
  successMetric: { name: 'bizapi_ordering_duration_seconds', help: 'Latency of successful Ordering calls, by operation.' },
  emulatorRoutes: (app, deps) => orderingEmulatorRoutes(deps)(app),
});

export type { OrderingDeps } from './ordering.handlers.ts';
export type * from './ordering.wire.ts';

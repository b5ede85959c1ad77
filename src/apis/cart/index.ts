import { defineApi, type ApiRoot } from '../api-module.ts';
import {
  addItems,
  deleteItems,
  getCart,
  getEstimatedTotalPurchaseCost,
  getItems,
  listCarts,
  modifyItems,
  type CartDeps,
} from './cart.handlers.ts';

/** The Cart API (2025-04-30) over the carts module. */
export const cartApi = defineApi({
  api: 'Cart',
  bodyPolicy: 'json',
  deps: ({ services }: ApiRoot): CartDeps => ({ carts: services.carts, accounts: services.accounts }),
  handlers: { listCarts, getCart, getItems, addItems, modifyItems, deleteItems, getEstimatedTotalPurchaseCost },
  successMetric: { name: 'bizapi_cart_duration_seconds', help: 'Latency of successful Cart calls, by operation.' },
});

export type { CartDeps } from './cart.handlers.ts';
export type * from './cart.wire.ts';

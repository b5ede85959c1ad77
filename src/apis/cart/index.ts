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
import {
  AddItemsRequest,
  CartChangeResult,
  CartDetailsResult,
  CartItemsResult,
  EstimatedTotalPurchaseCostRequest,
  EstimatedTotalPurchaseCostResult,
  ModifyItemsRequest,
  WireCart,
} from './cart.wire.ts';

/** The Cart API (2025-04-30) over the carts module. */
export const cartApi = defineApi({
  api: 'Cart',
  bodyPolicy: 'json',
  deps: ({ services }: ApiRoot): CartDeps => ({ carts: services.carts, accounts: services.accounts }),
  handlers: { listCarts, getCart, getItems, addItems, modifyItems, deleteItems, getEstimatedTotalPurchaseCost },
  responses: {
    listCarts: { 200: CartDetailsResult },
    getCart: { 200: WireCart },
    getItems: { 200: CartItemsResult },
    addItems: { 200: CartChangeResult },
    modifyItems: { 200: CartChangeResult },
    deleteItems: { 204: null },
    getEstimatedTotalPurchaseCost: { 200: EstimatedTotalPurchaseCostResult },
  },
  requestBodies: {
    addItems: AddItemsRequest,
    modifyItems: ModifyItemsRequest,
    getEstimatedTotalPurchaseCost: EstimatedTotalPurchaseCostRequest,
  },
  successMetric: { name: 'bizapi_cart_duration_seconds', help: 'Latency of successful Cart calls, by operation.' },
});

export type { CartDeps } from './cart.handlers.ts';
export type * from './cart.wire.ts';

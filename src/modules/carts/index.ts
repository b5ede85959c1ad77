/** Carts: one DEFAULT cart per buyer and store, items that merge by product and buying option, prices and estimates from the purchasing module's quote. */
export {
  CartsService,
  DEFAULT_CART,
  type CartChange,
  type CartRecord,
  type CartScope,
  type Estimate,
  type EstimatedCharge,
  type ItemAdd,
  type ItemChange,
  type ItemRefusal,
  type PricedItem,
} from './carts.service.ts';
export { MAX_CART_ITEMS, MAX_CART_QUANTITY, type CartRejection } from './domain/rules.ts';

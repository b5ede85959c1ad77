/** Kysely table types of the carts module. Times are epoch ms. */

export interface CartsTable {
  id: string;
  business_id: string;
  /** The buyer whose cart it is. */
  user_id: string;
  /** Marketplace code (US, DE, …). */
  region: string;
  /** `DEFAULT`, the only type the Cart model has. */
  cart_type: string;
  /** Moves with every change to the cart or its items. */
  version: number;
  created_at: number;
  modified_at: number;
}

export interface CartItemsTable {
  id: string;
  cart_id: string;
  asin: string;
  /** The buying option (the offer id Product Search answers). */
  offer_id: string;
  /** The order items were first added in, within the cart (1, 2, …). */
  position: number;
  quantity: number;
  added_at: number;
  modified_at: number;
}

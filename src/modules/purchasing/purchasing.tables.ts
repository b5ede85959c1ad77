/** Kysely table types of the purchasing module. Times are epoch ms; amounts are minor units of the order's currency. */

export interface PurchasingOrdersTable {
  id: string;
  business_id: string;
  /** The buyer's id for the order, unique per business. */
  external_id: string;
  /** The Amazon-style order id (`114-1234567-1234567`). */
  order_identifier: string;
  /** SHA-256 of the canonical request: a replay with the same hash gets the same answer, another is refused. */
  request_hash: string;
  app_id: string | null;
  buyer_user_id: string;
  buyer_email: string;
  group_id: string | null;
  /** Marketplace code (US, DE, …). */
  region: string;
  currency: string;
  placed_at: number;
  /** Why the order waits for approval; null: it does not. */
  approval_reason: string | null;
  approved_at: number | null;
  approved_by: string | null;
  declined_at: number | null;
  confirm_after_ms: number;
  purchase_order_number: string | null;
  blanket_purchase_order: number;
  ship_preference: string;
  price_suppressed: number;
  payment_method: string;
  /** JSON PostalAddress (the order-level one, or the group's). */
  shipping_address: string;
  billing_address: string | null;
  /** JSON: auxiliary values and cost distributions, kept as sent. */
  extras: string;
  subtotal_minor: number;
  shipping_minor: number;
  tax_minor: number;
  /** JSON: the placement as decided (every line, accepted and rejected portions), which never changes. */
  result: string;
}

export interface PurchasingOrderLinesTable {
  order_id: string;
  line_no: number;
  external_id: string;
  asin: string | null;
  offer_id: string | null;
  merchant_id: string | null;
  title: string | null;
  quantity_requested: number;
  quantity_accepted: number;
  unit_price_minor: number;
  subtotal_minor: number;
  shipping_minor: number;
  tax_minor: number;
  delivery_from: string | null;
  delivery_to: string | null;
  /** A planned cancellation by the seller, as an offset from confirmation; null: none. */
  cancel_after_ms: number | null;
  /** A cancellation forced by the emulator, at this instant. */
  cancelled_at: number | null;
}

export interface PurchasingShipmentsTable {
  id: string;
  order_id: string;
  position: number;
  identifier: string;
  package_id: string;
  carrier: string;
  tracking_number: string;
  ship_after_ms: number;
  deliver_after_ms: number;
  delay_ms: number;
  /** The promised delivery window (ISO date-times with offset). */
  window_from: string;
  window_to: string;
  /** The number of the invoice the shipment gets when it ships (derived from its id; stored to look it up). */
  invoice_number: string | null;
}

export interface PurchasingShipmentItemsTable {
  shipment_id: string;
  order_id: string;
  line_no: number;
  quantity: number;
}

/** A return of delivered items of one line; refunded by a credit memo on the virtual clock. */
export interface PurchasingReturnsTable {
  id: string;
  order_id: string;
  line_no: number;
  quantity: number;
  returned_at: number;
  /** The number of the credit memo that refunds it. */
  credit_number: string;
  reason: string;
  actor: string;
}

/** The Cart API's (2025-04-30) answers on the wire. Dates are plain ISO-8601 strings, as the model's examples send them. */

export interface WireMoney {
  currencyCode: string;
  amount: number;
}

export type WireRejection =
  | { rejectionArtifactType: 'UnavailableQuantity'; quantity: number }
  | { rejectionArtifactType: 'RejectionMessage'; message: string }
  | { rejectionArtifactType: 'TotalItemCountRestriction'; maxQuantity: number }
  | { rejectionArtifactType: 'TotalQuantityRestriction'; maxQuantity: number }
  | { rejectionArtifactType: 'UnsupportedCartItems'; message: string; cartItemIdentifiers: string[] };

export interface WireCartDetails {
  id: string;
  region: string;
  cartType: string;
}

export interface WireCart extends WireCartDetails {
  attributes: { attributeType: 'Subtotal' | 'SubtotalWithoutTax'; amount: WireMoney }[];
}

export interface WireCartItem {
  productIdentifier: string;
  itemId: string;
  buyingOptionIdentifier: string;
  quantity: number;
  isItemAvailable: boolean;
  price?: WireMoney;
  taxExclusivePrice?: WireMoney;
  addedToCartDate: string;
  modifiedDate: string;
}

export interface WireRejectedItem {
  id: string;
  rejectionArtifacts: WireRejection[];
}

export interface CartDetailsResult {
  cartDetailsList: WireCartDetails[];
  nextPageToken?: string;
}

export interface CartItemsResult {
  items: WireCartItem[];
}

export interface CartChangeResult {
  items: WireCartItem[];
  rejectedItems: WireRejectedItem[];
}

export interface EstimatedTotalPurchaseCostResult {
  charges: { category: string; type: string; amount: WireMoney }[];
  rejectionArtifacts: WireRejection[];
}

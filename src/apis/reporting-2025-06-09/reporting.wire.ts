/** Wire shapes of the Reporting API (2025-06-09). Money is a JSON number; instants are plain ISO strings as the sandbox examples send them. */

export interface WireMoney {
  currencyCode: string;
  amount: number;
}
export interface WireCharge {
  type: 'SUBTOTAL' | 'SHIPPING_AND_HANDLING' | 'PROMOTION' | 'TAX' | 'NET_TOTAL';
  amount: WireMoney;
}
export interface WireCustomer {
  name: string;
  email?: string;
}
export interface WireOrderMetadata {
  orderDate: string;
  orderId: string;
  region: string;
}
export interface WireProductDetails {
  productCategory: string;
  asin: string;
  title: string;
  unspsc: { code: string };
  productCondition: string;
  brandCode: string;
  brandName: string;
  manufacturerName: string;
}
export interface WireShippingAddress {
  fullName: string;
  addressLine1: string;
  addressLine2?: string;
  city: string;
  stateOrRegion?: string;
  postalCode: string;
  countryCode: string;
}

export interface WireOrderReport {
  orderMetadata: WireOrderMetadata;
  purchaseOrderNumber?: string;
  charges: WireCharge[];
  orderStatus: string;
  buyingCustomer: WireCustomer;
  buyerGroup?: { name: string };
  businessOrderInfo?: Record<string, string>;
  approverDetails?: { lastOrderApproverCustomer: WireCustomer };
}

export interface WireOrderLineItemReport {
  orderMetadata: WireOrderMetadata;
  orderLineItemId: string;
  purchaseOrderNumber?: string;
  purchaseOrderLineItemNumber?: string;
  productDetails: WireProductDetails;
  unitPrice: WireMoney;
  quantity: number;
  charges: WireCharge[];
  taxExemption: { applied: boolean; type: string; optOut: boolean };
}

export interface WireShipmentReport {
  orderMetadata: WireOrderMetadata;
  shipmentMetadata: { shipmentId: string; shipmentDate: string };
  purchaseOrderNumber?: string;
  shipmentStatus: ShipmentStatus;
  shippingAddress: WireShippingAddress;
  charges: WireCharge[];
  deliveryInfo: { expectedDeliveryDate: string; status: 'DELIVERED' | 'NOT_DELIVERED' | 'NOT_AVAILABLE' };
}

export interface WireShipmentLineItemReport {
  orderMetadata: WireOrderMetadata;
  shipmentMetadata: { shipmentId: string; shipmentDate: string };
  purchaseOrderNumber?: string;
  orderLineItemId: string;
  purchaseOrderLineItemNumber?: string;
  productDetails: WireProductDetails;
  charges: WireCharge[];
  quantity: number;
  carrierName: string;
  packages: { trackingId: string; packageId: string }[];
  receivingInfo: {
    customer: WireCustomer;
    date?: string;
    status: 'ALL_ITEMS_RECEIVED' | 'PARTIALLY_RECEIVED' | 'PENDING' | 'ITEMS_MISSING';
    quantity: number;
  };
}

export type ShipmentStatus = 'SHIPPED' | 'PENDING_PAYMENT' | 'SHIPPING_SOON' | 'SHIPPED_PLANNED';
export const SHIPMENT_STATUSES: readonly ShipmentStatus[] = ['SHIPPED', 'PENDING_PAYMENT', 'SHIPPING_SOON', 'SHIPPED_PLANNED'];
export const ORDER_STATUSES = ['PENDING_APPROVAL', 'PAYMENT_CONFIRMED', 'PENDING_FULFILLMENT', 'PENDING', 'CANCELLED', 'CLOSED'] as const;

export interface GetOrderReportsResponse {
  ordersReport: WireOrderReport[];
  nextPageToken?: string;
  size: number;
}
export interface GetOrderLineItemReportsResponse {
  orderLineItemsReport: WireOrderLineItemReport[];
  nextPageToken?: string;
  size: number;
}
export interface GetShipmentReportsResponse {
  shipmentsReport: WireShipmentReport[];
  nextPageToken?: string;
  size: number;
}
export interface GetShipmentLineItemReportsResponse {
  shipmentLineItemsReport: WireShipmentLineItemReport[];
  nextPageToken?: string;
  size: number;
}

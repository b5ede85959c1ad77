/** Wire shapes of the Reporting API (2021-01-08, "order history"). Money is a string ("5.99"); instants are ISO strings. */

export interface WireMoney {
  currencyCode: string;
  amount: string;
}
export interface WireCustomer {
  id: string;
  name?: string;
  email?: string;
}
export interface WireAddress {
  addressLine1: string;
  addressLine2: string;
  city: string;
  state: string;
  postalCode: string;
  countryCode: string;
}
export interface WireLineItem {
  productCategory: string;
  asin: string;
  title: string;
  unspsc: string;
  productCondition: string;
  listedPricePerUnit: WireMoney;
  purchasedPricePerUnit: WireMoney;
  itemQuantity: number;
  itemSubTotal: WireMoney;
  itemShippingAndHandling: WireMoney;
  itemPromotion: WireMoney;
  itemTax: WireMoney;
  itemNetTotal: WireMoney;
  purchaseOrderLineItem: string;
  taxExemptionApplied: boolean;
  taxExemptionType: string;
  taxExemptOptOut: boolean;
  discountProgram: string;
  discountType: string;
  discountAmount: WireMoney;
  discountRatio: string;
  seller: { sellerName: string };
  sellerCredentials: string[];
  sellerCredentialDetails: { certificateType: string }[];
  brandCode: string;
  brandName: string;
  manufacturerName: string;
  transactionIds: string[];
  carrierTrackingNumbers: string[];
}
export interface WireShipment {
  shipmentDate: string;
  shipmentStatus: 'Shipped';
  carrierTracking: string;
  deliveryInformation: { expectedDeliveryDate: string; deliveryStatus: 'DELIVERED' | 'NOT DELIVERED' | 'NOT AVAILABLE' };
  shipmentQuantity: number;
  shipmentSubTotal: WireMoney;
  shipmentShippingAndHandling: WireMoney;
  shipmentPromotion: WireMoney;
  shipmentTax: WireMoney;
  shipmentNetTotal: WireMoney;
  carrierName: string;
  shippingAddress: WireAddress;
}
export interface WireCharge {
  transactionDate: string;
  transactionId: string;
  amount: WireMoney;
  paymentInstrumentType: string;
  paymentInstrumentLast4Digits: string | null;
}
export interface WireOrder {
  orderDate: string;
  orderId: string;
  purchaseOrderNumber: string;
  orderQuantity: number;
  orderStatus: 'Pending Approval' | 'Payment Confirmed' | 'Pending Fulfillment' | 'Pending' | 'Cancelled' | 'Closed';
  lastOrderApproverName: string;
  buyingCustomer: WireCustomer;
  buyerGroupName: string;
  businessOrderInfo: Record<string, string>;
  orderSubTotal: WireMoney;
  orderShippingAndHandling: WireMoney;
  orderPromotion: WireMoney;
  orderTax: WireMoney;
  orderNetTotal: WireMoney;
  lineItems?: WireLineItem[];
  shipments?: WireShipment[];
  charges?: WireCharge[];
}
export interface OrdersOutput {
  orders: WireOrder[];
  nextPageToken?: string;
  size: number;
}

/** Wire shapes of the Reconciliation API (2021-01-08). Money is a string ("5.99"); instants are ISO strings. */

export interface WireMoney {
  currencyCode: string;
  amount: string;
}
export interface WireCustomer {
  id: string;
  name?: string;
  email?: string;
}
export interface WireTransactionLineItem {
  refundReason?: string;
  totalAmount: WireMoney;
  principalAmount: WireMoney;
  shippingCharge: WireMoney;
  tax: WireMoney;
  unitPrice: WireMoney;
  orderId: string;
  unspsc: string;
  orderLineItemId: string;
  purchaseOrderNumber: string;
  asin: string;
  productTitle: string;
  itemQuantity: number;
  shipmentId: string;
  shipmentDate: string;
  merchantLegalName: string;
  businessOrderInfo: Record<string, string>;
}
export interface WireTransaction {
  marketplaceId: string;
  transactionDate: string;
  feedDate: string;
  transactionType: 'CHARGE' | 'REFUND' | 'OVERREFUND';
  transactionId: string;
  chargeIdentifier: string;
  legalEntityName: string;
  purchasingCustomerGroupName?: string;
  invoiceNumber: string;
  amount: WireMoney;
  paymentInstrumentType: string;
  paymentInstrumentLast4Digits?: string;
  buyer: WireCustomer;
  payer: WireCustomer;
  associatedTransactionDetails?: { associatedTransactionId: string }[];
  transactionLineItems: WireTransactionLineItem[];
}
export interface TransactionsResponse {
  transactions: WireTransaction[];
  nextPageToken?: string;
}

export interface WireInvoiceDetail {
  invoiceNumber: string;
  invoiceDate: string;
  invoiceType: 'STANDARD' | 'CREDIT_MEMO';
  associatedInvoiceNumber?: string;
  associatedInvoiceDate?: string;
  orderDate: string;
  currencyCode: string;
  invoiceTotal: string;
}
export interface InvoiceDetailsByOrderLineItemsResponse {
  invoiceDetailsByOrderLineItems: {
    orderLineItem: { orderId: string; orderLineItemId: string; shipmentId: string };
    invoiceDetails: WireInvoiceDetail[];
  }[];
}
export type WirePaymentResult =
  | { invoiceId: string; resultType: 'SUCCESS'; paymentDetails: { status: string; dueDate: string } }
  | { invoiceId: string; resultType: 'ERROR'; error: { code: string; message: string; details?: string } };
export interface GetBatchInvoicePaymentDetailsResponse {
  invoicePaymentDetailsResults: WirePaymentResult[];
}

import { Type, type Static } from '@sinclair/typebox';
import { OneOf } from '../shared/schema.ts';

/**
 * Wire shapes of the Reconciliation API (2021-01-08), as TypeBox schemas: each schema and its
 * static type share a name. Money is a string ("5.99"); instants are ISO strings.
 */

const Instant = Type.String({ format: 'date-time' });

export const WireMoney = Type.Object({ currencyCode: Type.String(), amount: Type.String() });
export type WireMoney = Static<typeof WireMoney>;

export const WireCustomer = Type.Object({ id: Type.String(), name: Type.Optional(Type.String()), email: Type.Optional(Type.String()) });
export type WireCustomer = Static<typeof WireCustomer>;

export const WireTransactionLineItem = Type.Object({
  refundReason: Type.Optional(Type.String()),
  totalAmount: WireMoney,
  principalAmount: WireMoney,
  shippingCharge: WireMoney,
  tax: WireMoney,
  unitPrice: WireMoney,
  orderId: Type.String(),
  unspsc: Type.String(),
  orderLineItemId: Type.String(),
  purchaseOrderNumber: Type.String(),
  asin: Type.String(),
  productTitle: Type.String(),
  itemQuantity: Type.Integer(),
  shipmentId: Type.String(),
  shipmentDate: Instant,
  merchantLegalName: Type.String(),
  businessOrderInfo: Type.Record(Type.String(), Type.String()),
});
export type WireTransactionLineItem = Static<typeof WireTransactionLineItem>;

export const WireTransaction = Type.Object({
  marketplaceId: Type.String(),
  transactionDate: Instant,
  feedDate: Instant,
  transactionType: OneOf(['CHARGE', 'REFUND', 'OVERREFUND'] as const),
  transactionId: Type.String(),
  chargeIdentifier: Type.String(),
  legalEntityName: Type.String(),
  purchasingCustomerGroupName: Type.Optional(Type.String()),
  invoiceNumber: Type.String(),
  amount: WireMoney,
  paymentInstrumentType: Type.String(),
  paymentInstrumentLast4Digits: Type.Optional(Type.String()),
  buyer: WireCustomer,
  payer: WireCustomer,
  associatedTransactionDetails: Type.Optional(Type.Array(Type.Object({ associatedTransactionId: Type.String() }))),
  transactionLineItems: Type.Array(WireTransactionLineItem),
});
export type WireTransaction = Static<typeof WireTransaction>;

export const TransactionsResponse = Type.Object(
  { transactions: Type.Array(WireTransaction), nextPageToken: Type.Optional(Type.String()) },
  { title: 'TransactionsResponse' },
);
export type TransactionsResponse = Static<typeof TransactionsResponse>;

export const WireInvoiceDetail = Type.Object({
  invoiceNumber: Type.String(),
  invoiceDate: Instant,
  invoiceType: OneOf(['STANDARD', 'CREDIT_MEMO'] as const),
  associatedInvoiceNumber: Type.Optional(Type.String()),
  associatedInvoiceDate: Type.Optional(Instant),
  orderDate: Instant,
  currencyCode: Type.String(),
  invoiceTotal: Type.String(),
});
export type WireInvoiceDetail = Static<typeof WireInvoiceDetail>;

const OrderLineItem = Type.Object({
  orderId: Type.String({ minLength: 1, maxLength: 100 }),
  orderLineItemId: Type.String({ minLength: 1, maxLength: 100 }),
  shipmentId: Type.String({ minLength: 1, maxLength: 100 }),
});

export const InvoiceDetailsByOrderLineItemsResponse = Type.Object(
  {
    invoiceDetailsByOrderLineItems: Type.Array(
      Type.Object({
        orderLineItem: Type.Object({ orderId: Type.String(), orderLineItemId: Type.String(), shipmentId: Type.String() }),
        invoiceDetails: Type.Array(WireInvoiceDetail),
      }),
    ),
  },
  { title: 'InvoiceDetailsByOrderLineItemsResponse' },
);
export type InvoiceDetailsByOrderLineItemsResponse = Static<typeof InvoiceDetailsByOrderLineItemsResponse>;

export const WirePaymentResult = Type.Union([
  Type.Object({
    invoiceId: Type.String(),
    resultType: Type.Literal('SUCCESS'),
    paymentDetails: Type.Object({ status: Type.String(), dueDate: Instant }),
  }),
  Type.Object({
    invoiceId: Type.String(),
    resultType: Type.Literal('ERROR'),
    error: Type.Object({ code: Type.String(), message: Type.String(), details: Type.Optional(Type.String()) }),
  }),
]);
export type WirePaymentResult = Static<typeof WirePaymentResult>;

export const GetBatchInvoicePaymentDetailsResponse = Type.Object(
  { invoicePaymentDetailsResults: Type.Array(WirePaymentResult) },
  { title: 'GetBatchInvoicePaymentDetailsResponse' },
);
export type GetBatchInvoicePaymentDetailsResponse = Static<typeof GetBatchInvoicePaymentDetailsResponse>;

// ---- the bodies, as reconciliation.handlers.ts reads them ---------------------------------------

export const InvoiceDetailsByOrderLineItemsRequest = Type.Object(
  { orderLineItems: Type.Array(OrderLineItem, { minItems: 1, maxItems: 25 }) },
  { title: 'InvoiceDetailsByOrderLineItemsRequest' },
);

export const GetBatchInvoicePaymentDetailsRequest = Type.Object(
  { invoiceIds: Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { minItems: 1, maxItems: 100 }) },
  { title: 'GetBatchInvoicePaymentDetailsRequest' },
);

import { Type, type Static } from '@sinclair/typebox';
import { OneOf } from '../shared/schema.ts';

/**
 * Wire shapes of the Reporting API (2021-01-08, "order history"), as TypeBox schemas: each schema
 * and its static type share a name. The handlers return the types; /openapi.json is generated from
 * the schemas, and the tests check every answer against them. Money is a string ("5.99"); instants
 * are ISO strings in UTC.
 */

/** An instant: `new Date(ms).toISOString()`. */
const Instant = Type.String({ format: 'date-time' });

export const WireMoney = Type.Object({ currencyCode: Type.String(), amount: Type.String() });
export type WireMoney = Static<typeof WireMoney>;

export const WireCustomer = Type.Object({ id: Type.String(), name: Type.Optional(Type.String()), email: Type.Optional(Type.String()) });
export type WireCustomer = Static<typeof WireCustomer>;

export const WireAddress = Type.Object({
  addressLine1: Type.String(),
  addressLine2: Type.String(),
  city: Type.String(),
  state: Type.String(),
  postalCode: Type.String(),
  countryCode: Type.String(),
});
export type WireAddress = Static<typeof WireAddress>;

export const WireLineItem = Type.Object({
  productCategory: Type.String(),
  asin: Type.String(),
  title: Type.String(),
  unspsc: Type.String(),
  productCondition: Type.String(),
  listedPricePerUnit: WireMoney,
  purchasedPricePerUnit: WireMoney,
  itemQuantity: Type.Integer(),
  itemSubTotal: WireMoney,
  itemShippingAndHandling: WireMoney,
  itemPromotion: WireMoney,
  itemTax: WireMoney,
  itemNetTotal: WireMoney,
  purchaseOrderLineItem: Type.String(),
  taxExemptionApplied: Type.Boolean(),
  taxExemptionType: Type.String(),
  taxExemptOptOut: Type.Boolean(),
  discountProgram: Type.String(),
  discountType: Type.String(),
  discountAmount: WireMoney,
  discountRatio: Type.String(),
  seller: Type.Object({ sellerName: Type.String() }),
  sellerCredentials: Type.Array(Type.String()),
  sellerCredentialDetails: Type.Array(Type.Object({ certificateType: Type.String() })),
  brandCode: Type.String(),
  brandName: Type.String(),
  manufacturerName: Type.String(),
  transactionIds: Type.Array(Type.String()),
  carrierTrackingNumbers: Type.Array(Type.String()),
});
export type WireLineItem = Static<typeof WireLineItem>;

export const WireShipment = Type.Object({
  shipmentDate: Instant,
  shipmentStatus: Type.Literal('Shipped'),
  carrierTracking: Type.String(),
  deliveryInformation: Type.Object({
    expectedDeliveryDate: Instant,
    deliveryStatus: OneOf(['DELIVERED', 'NOT DELIVERED', 'NOT AVAILABLE'] as const),
  }),
  shipmentQuantity: Type.Integer(),
  shipmentSubTotal: WireMoney,
  shipmentShippingAndHandling: WireMoney,
  shipmentPromotion: WireMoney,
  shipmentTax: WireMoney,
  shipmentNetTotal: WireMoney,
  carrierName: Type.String(),
  shippingAddress: WireAddress,
});
export type WireShipment = Static<typeof WireShipment>;

export const WireCharge = Type.Object({
  transactionDate: Instant,
  transactionId: Type.String(),
  amount: WireMoney,
  paymentInstrumentType: Type.String(),
  paymentInstrumentLast4Digits: Type.Union([Type.String(), Type.Null()]),
});
export type WireCharge = Static<typeof WireCharge>;

export const WireOrder = Type.Object({
  orderDate: Instant,
  orderId: Type.String(),
  purchaseOrderNumber: Type.String(),
  orderQuantity: Type.Integer(),
  orderStatus: OneOf(['Pending Approval', 'Payment Confirmed', 'Pending Fulfillment', 'Pending', 'Cancelled', 'Closed'] as const),
  lastOrderApproverName: Type.String(),
  buyingCustomer: WireCustomer,
  buyerGroupName: Type.String(),
  businessOrderInfo: Type.Record(Type.String(), Type.String()),
  orderSubTotal: WireMoney,
  orderShippingAndHandling: WireMoney,
  orderPromotion: WireMoney,
  orderTax: WireMoney,
  orderNetTotal: WireMoney,
  lineItems: Type.Optional(Type.Array(WireLineItem)),
  shipments: Type.Optional(Type.Array(WireShipment)),
  charges: Type.Optional(Type.Array(WireCharge)),
});
export type WireOrder = Static<typeof WireOrder>;

/** The answer of both operations (getOrdersByOrderDate, getOrdersByOrderId). */
export const OrdersOutput = Type.Object(
  { orders: Type.Array(WireOrder), nextPageToken: Type.Optional(Type.String()), size: Type.Integer() },
  { title: 'OrdersOutput' },
);
export type OrdersOutput = Static<typeof OrdersOutput>;

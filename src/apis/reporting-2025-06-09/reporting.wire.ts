import { Type, type Static } from '@sinclair/typebox';
import { OneOf } from '../shared/schema.ts';

/**
 * Wire shapes of the Reporting API (2025-06-09), as TypeBox schemas: each schema and its static type
 * share a name. The handlers return the types; /openapi.json is generated from the schemas, and the
 * tests check every answer against them. Money is a JSON number; instants are plain ISO strings (the
 * model's DateTime objects are sent as the sandbox examples send them), always in UTC.
 */

/** An instant: `new Date(ms).toISOString()`. */
const Instant = Type.String({ format: 'date-time' });

export const WireMoney = Type.Object({ currencyCode: Type.String(), amount: Type.Number() });
export type WireMoney = Static<typeof WireMoney>;

export const WireCharge = Type.Object({
  type: OneOf(['SUBTOTAL', 'SHIPPING_AND_HANDLING', 'PROMOTION', 'TAX', 'NET_TOTAL'] as const),
  amount: WireMoney,
});
export type WireCharge = Static<typeof WireCharge>;

export const WireCustomer = Type.Object({ name: Type.String(), email: Type.Optional(Type.String()) });
export type WireCustomer = Static<typeof WireCustomer>;

export const WireOrderMetadata = Type.Object({ orderDate: Instant, orderId: Type.String(), region: Type.String() });
export type WireOrderMetadata = Static<typeof WireOrderMetadata>;

export const WireProductDetails = Type.Object({
  productCategory: Type.String(),
  asin: Type.String(),
  title: Type.String(),
  unspsc: Type.Object({ code: Type.String() }),
  productCondition: Type.String(),
  brandCode: Type.String(),
  brandName: Type.String(),
  manufacturerName: Type.String(),
});
export type WireProductDetails = Static<typeof WireProductDetails>;

export const WireShippingAddress = Type.Object({
  fullName: Type.String(),
  addressLine1: Type.String(),
  addressLine2: Type.Optional(Type.String()),
  city: Type.String(),
  stateOrRegion: Type.Optional(Type.String()),
  postalCode: Type.String(),
  countryCode: Type.String(),
});
export type WireShippingAddress = Static<typeof WireShippingAddress>;

export const ShipmentStatus = OneOf(['SHIPPED', 'PENDING_PAYMENT', 'SHIPPING_SOON', 'SHIPPED_PLANNED'] as const);
export type ShipmentStatus = Static<typeof ShipmentStatus>;
export const SHIPMENT_STATUSES: readonly ShipmentStatus[] = ['SHIPPED', 'PENDING_PAYMENT', 'SHIPPING_SOON', 'SHIPPED_PLANNED'];
export const ORDER_STATUSES = ['PENDING_APPROVAL', 'PAYMENT_CONFIRMED', 'PENDING_FULFILLMENT', 'PENDING', 'CANCELLED', 'CLOSED'] as const;

const WireShipmentMetadata = Type.Object({ shipmentId: Type.String(), shipmentDate: Instant });

export const WireOrderReport = Type.Object({
  orderMetadata: WireOrderMetadata,
  purchaseOrderNumber: Type.Optional(Type.String()),
  charges: Type.Array(WireCharge),
  orderStatus: Type.String(),
  buyingCustomer: WireCustomer,
  buyerGroup: Type.Optional(Type.Object({ name: Type.String() })),
  businessOrderInfo: Type.Optional(Type.Record(Type.String(), Type.String())),
  approverDetails: Type.Optional(Type.Object({ lastOrderApproverCustomer: WireCustomer })),
});
export type WireOrderReport = Static<typeof WireOrderReport>;

export const WireOrderLineItemReport = Type.Object({
  orderMetadata: WireOrderMetadata,
  orderLineItemId: Type.String(),
  purchaseOrderNumber: Type.Optional(Type.String()),
  purchaseOrderLineItemNumber: Type.Optional(Type.String()),
  productDetails: WireProductDetails,
  unitPrice: WireMoney,
  quantity: Type.Integer(),
  charges: Type.Array(WireCharge),
  taxExemption: Type.Object({ applied: Type.Boolean(), type: Type.String(), optOut: Type.Boolean() }),
});
export type WireOrderLineItemReport = Static<typeof WireOrderLineItemReport>;

export const WireShipmentReport = Type.Object({
  orderMetadata: WireOrderMetadata,
  shipmentMetadata: WireShipmentMetadata,
  purchaseOrderNumber: Type.Optional(Type.String()),
  shipmentStatus: ShipmentStatus,
  shippingAddress: WireShippingAddress,
  charges: Type.Array(WireCharge),
  deliveryInfo: Type.Object({
    expectedDeliveryDate: Instant,
    status: OneOf(['DELIVERED', 'NOT_DELIVERED', 'NOT_AVAILABLE'] as const),
  }),
});
export type WireShipmentReport = Static<typeof WireShipmentReport>;

export const WireShipmentLineItemReport = Type.Object({
  orderMetadata: WireOrderMetadata,
  shipmentMetadata: WireShipmentMetadata,
  purchaseOrderNumber: Type.Optional(Type.String()),
  orderLineItemId: Type.String(),
  purchaseOrderLineItemNumber: Type.Optional(Type.String()),
  productDetails: WireProductDetails,
  charges: Type.Array(WireCharge),
  quantity: Type.Integer(),
  carrierName: Type.String(),
  packages: Type.Array(Type.Object({ trackingId: Type.String(), packageId: Type.String() })),
  receivingInfo: Type.Object({
    customer: WireCustomer,
    date: Type.Optional(Instant),
    status: OneOf(['ALL_ITEMS_RECEIVED', 'PARTIALLY_RECEIVED', 'PENDING', 'ITEMS_MISSING'] as const),
    quantity: Type.Integer(),
  }),
});
export type WireShipmentLineItemReport = Static<typeof WireShipmentLineItemReport>;

// --- The operations' answers (getOrderReportsByPurchaseOrderNumber answers a GetOrderReportsResponse too).

export const GetOrderReportsResponse = Type.Object(
  { ordersReport: Type.Array(WireOrderReport), nextPageToken: Type.Optional(Type.String()), size: Type.Integer() },
  { title: 'GetOrderReportsResponse' },
);
export type GetOrderReportsResponse = Static<typeof GetOrderReportsResponse>;

export const GetOrderLineItemReportsResponse = Type.Object(
  { orderLineItemsReport: Type.Array(WireOrderLineItemReport), nextPageToken: Type.Optional(Type.String()), size: Type.Integer() },
  { title: 'GetOrderLineItemReportsResponse' },
);
export type GetOrderLineItemReportsResponse = Static<typeof GetOrderLineItemReportsResponse>;

export const GetShipmentReportsResponse = Type.Object(
  { shipmentsReport: Type.Array(WireShipmentReport), nextPageToken: Type.Optional(Type.String()), size: Type.Integer() },
  { title: 'GetShipmentReportsResponse' },
);
export type GetShipmentReportsResponse = Static<typeof GetShipmentReportsResponse>;

export const GetShipmentLineItemReportsResponse = Type.Object(
  { shipmentLineItemsReport: Type.Array(WireShipmentLineItemReport), nextPageToken: Type.Optional(Type.String()), size: Type.Integer() },
  { title: 'GetShipmentLineItemReportsResponse' },
);
export type GetShipmentLineItemReportsResponse = Static<typeof GetShipmentLineItemReportsResponse>;

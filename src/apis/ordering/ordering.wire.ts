import { Type, type Static } from '@sinclair/typebox';
import { MARKETPLACE_REGIONS } from '../../modules/registry/index.ts';
import { OneOf } from '../shared/schema.ts';

/**
 * The Ordering API's answers on the wire (2022-10-30), as TypeBox schemas: each schema and its
 * static type share a name. Dates are plain ISO-8601 strings, as Amazon's examples send them.
 */

export const WireMoney = Type.Object({ currencyCode: Type.String(), amount: Type.Number() });
export type WireMoney = Static<typeof WireMoney>;

export const WirePackageReference = Type.Object({ packageReferenceType: Type.Literal('CarrierTrackingNumber'), value: Type.String() });
export type WirePackageReference = Static<typeof WirePackageReference>;

export const WirePackage = Type.Object({
  packageReference: WirePackageReference,
  packageAttributes: Type.Array(
    Type.Object({
      packageAttributeType: Type.Literal('PackageTrackingAttribute'),
      carrierName: Type.String(),
      deliveryDateRange: Type.Object({ startDateTime: Type.String(), endDateTime: Type.String() }),
      packageId: Type.String(),
    }),
  ),
});
export type WirePackage = Static<typeof WirePackage>;

export const AcceptanceArtifact = Type.Union([
  Type.Object({ acceptanceArtifactType: Type.Literal('OrderIdentifier'), identifier: Type.String() }),
  Type.Object({ acceptanceArtifactType: Type.Literal('UnitPrice'), amount: WireMoney }),
  Type.Object({
    acceptanceArtifactType: Type.Literal('Charge'),
    amount: WireMoney,
    category: OneOf(['SUBTOTAL', 'SHIPPING', 'GIFT_WRAP', 'PAYMENT_METHOD_FEE', 'EXPORT_FEE', 'OTHER'] as const),
    type: OneOf(['PRINCIPAL', 'TAX', 'DISCOUNT'] as const),
  }),
  Type.Object({ acceptanceArtifactType: Type.Literal('DeliveryTimeRange'), lowerBoundary: Type.String(), upperBoundary: Type.String() }),
  Type.Object({ acceptanceArtifactType: Type.Literal('Signed') }),
  Type.Object({ acceptanceArtifactType: Type.Literal('Shipment'), identifier: Type.String(), packages: Type.Array(WirePackage) }),
  Type.Object({
    acceptanceArtifactType: Type.Literal('ShipmentGroup'),
    identifier: Type.String(),
    packageReferences: Type.Array(WirePackageReference),
    quantity: Type.Integer(),
  }),
]);
export type AcceptanceArtifact = Static<typeof AcceptanceArtifact>;

export const RejectionArtifact = Type.Union([
  Type.Object({ rejectionArtifactType: Type.Literal('UnavailableQuantity'), quantity: Type.Integer() }),
  Type.Object({ rejectionArtifactType: Type.Literal('AvailableQuantity'), quantity: Type.Integer() }),
  Type.Object({ rejectionArtifactType: Type.Literal('RejectionCode'), code: Type.String() }),
  Type.Object({ rejectionArtifactType: Type.Literal('RejectionMessage'), message: Type.String() }),
  Type.Object({ rejectionArtifactType: Type.Literal('AgeRestriction'), minimumAge: Type.Integer() }),
  Type.Object({ rejectionArtifactType: Type.Literal('BrokenUnitPriceExpectation'), boundary: WireMoney, actualAmount: WireMoney }),
  Type.Object({
    rejectionArtifactType: Type.Literal('BrokenChargeExpectation'),
    boundary: WireMoney,
    actualAmount: WireMoney,
    sources: Type.Array(Type.String()),
  }),
]);
export type RejectionArtifact = Static<typeof RejectionArtifact>;

export const WireAcceptedItem = Type.Object({
  acceptedItemType: Type.Literal('SingleAcceptedItem'),
  quantity: Type.Integer(),
  artifacts: Type.Array(AcceptanceArtifact),
});
export type WireAcceptedItem = Static<typeof WireAcceptedItem>;

export const WireRejectedItem = Type.Object({ quantity: Type.Integer(), artifacts: Type.Array(RejectionArtifact) });
export type WireRejectedItem = Static<typeof WireRejectedItem>;

export const WireResultLineItem = Type.Object({
  externalId: Type.String(),
  acceptedItems: Type.Array(WireAcceptedItem),
  rejectedItems: Type.Array(WireRejectedItem),
});
export type WireResultLineItem = Static<typeof WireResultLineItem>;

/** PlaceOrderResult and OrderDetailsResult (both are OrderResult). */
export const OrderResult = Type.Object(
  {
    lineItems: Type.Array(WireResultLineItem),
    acceptanceArtifacts: Type.Array(AcceptanceArtifact),
    rejectionArtifacts: Type.Array(RejectionArtifact),
  },
  { title: 'OrderResult' },
);
export type OrderResult = Static<typeof OrderResult>;

// ---- the placeOrder body (PlaceOrderRequest), as ordering.requests.ts reads it -----------------

const Text = (maxLength = 255, minLength = 1) => Type.String({ minLength, maxLength });
const RequestMoney = Type.Object({
  currencyCode: Type.String({ pattern: '^[A-Z]{3}$' }),
  amount: Type.Number({ minimum: 0 }),
});
const PhysicalAddress = Type.Object({
  addressType: Type.Literal('PhysicalAddress'),
  fullName: Text(),
  phoneNumber: Type.Optional(Text(40)),
  companyName: Type.Optional(Type.String({ maxLength: 255 })),
  addressLine1: Text(),
  addressLine2: Type.Optional(Type.String({ maxLength: 60 })),
  addressLine3: Type.Optional(Type.String({ maxLength: 60 })),
  city: Text(),
  stateOrRegion: Type.Optional(Type.String({ maxLength: 100, description: 'Required for an address in the US.' })),
  postalCode: Text(20),
  countryCode: Type.String({ pattern: '^[A-Z]{2}$' }),
});
const Address = Type.Union([
  PhysicalAddress,
  Type.Object({ addressType: Type.Literal('ExternalAddress'), addressId: Text(), address: PhysicalAddress }),
]);
const Reference = <F extends string, T extends string>(typeField: F, type: T, fields: Record<string, ReturnType<typeof Text>>) =>
  Type.Object({ [typeField]: Type.Literal(type), ...fields });
const Attribute = Type.Union([
  Type.Object({ attributeType: Type.Literal('Region'), region: OneOf(MARKETPLACE_REGIONS) }),
  Type.Object({
    attributeType: Type.Literal('DeliveryPreference'),
    shipPreference: OneOf(['FAST_FREE', 'CONSOLIDATED', 'EXPEDITED_PAID'] as const),
  }),
  Type.Object({
    attributeType: Type.Literal('SelectedProductReference'),
    productReference: Reference('productReferenceType', 'ProductIdentifier', { id: Text(40) }),
  }),
  Type.Object({
    attributeType: Type.Literal('SelectedBuyingOptionReference'),
    buyingOptionReference: Reference('buyingOptionReferenceType', 'BuyingOptionIdentifier', { id: Text(2000) }),
  }),
  Type.Object({ attributeType: Type.Literal('ShippingAddress'), address: Address }),
  Type.Object({ attributeType: Type.Literal('BillingAddress'), address: Address }),
  Type.Object({
    attributeType: Type.Literal('SelectedPaymentMethodReference'),
    paymentMethodReference: Reference('paymentMethodReferenceType', 'StoredPaymentMethod', {}),
  }),
  Type.Object({
    attributeType: Type.Literal('BuyingGroupReference'),
    groupReference: Reference('groupReferenceType', 'GroupIdentity', { identifier: Text() }),
  }),
  Type.Object({
    attributeType: Type.Literal('BuyerReference'),
    userReference: Reference('userReferenceType', 'UserEmail', { emailAddress: Text(254, 3) }),
  }),
  Type.Object({ attributeType: Type.Literal('PurchaseOrderNumber'), purchaseOrderNumber: Text() }),
  Type.Object({ attributeType: Type.Literal('BlanketPurchaseOrderNumber'), purchaseOrderNumber: Text() }),
  Type.Object({ attributeType: Type.Literal('TrialMode') }),
  Type.Object({ attributeType: Type.Literal('PriceSuppressionDirective') }),
  Type.Object({
    attributeType: Type.Literal('Auxiliary'),
    auxiliaryValues: Type.Record(Type.String({ minLength: 1, maxLength: 100 }), Type.Object({ value: Text(100) }), { maxProperties: 30 }),
  }),
  Type.Object({
    attributeType: Type.Literal('Distribution'),
    accounting: Type.Object({
      name: Text(),
      segments: Type.Array(Type.Object({ id: Text(), type: Text(), description: Text() }), { minItems: 1, maxItems: 15 }),
    }),
    charge: Type.Object({ amount: RequestMoney }),
  }),
]);
const Expectation = Type.Union([
  Type.Object({ expectationType: Type.Literal('ExpectedUnitPrice'), amount: RequestMoney }),
  Type.Object({
    expectationType: Type.Literal('ExpectedCharge'),
    amount: RequestMoney,
    source: OneOf(['SUBTOTAL', 'SHIPPING', 'TAX'] as const),
  }),
]);

/** The placeOrder body: the order needs a Region and a BuyerReference attribute; each line names a product or an offer. */
export const PlaceOrderRequest = Type.Object(
  {
    externalId: Text(),
    lineItems: Type.Array(
      Type.Object({
        externalId: Text(127),
        quantity: Type.Integer({ minimum: 1, maximum: 100_000 }),
        attributes: Type.Array(Attribute, { maxItems: 100 }),
        expectations: Type.Array(Expectation, { maxItems: 20 }),
      }),
      { minItems: 1, maxItems: 50 },
    ),
    attributes: Type.Array(Attribute, { maxItems: 100 }),
    expectations: Type.Array(Expectation, { maxItems: 20 }),
  },
  { title: 'PlaceOrderRequest' },
);

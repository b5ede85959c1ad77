import { Type, type Static } from '@sinclair/typebox';

/**
 * The Cart API's (2025-04-30) answers and bodies on the wire, as TypeBox schemas: each schema and
 * its static type share a name. Dates are plain ISO-8601 strings, as the model's examples send them.
 */

export const WireMoney = Type.Object({ currencyCode: Type.String(), amount: Type.Number() });
export type WireMoney = Static<typeof WireMoney>;

export const WireRejection = Type.Union([
  Type.Object({ rejectionArtifactType: Type.Literal('UnavailableQuantity'), quantity: Type.Integer() }),
  Type.Object({ rejectionArtifactType: Type.Literal('RejectionMessage'), message: Type.String() }),
  Type.Object({ rejectionArtifactType: Type.Literal('TotalItemCountRestriction'), maxQuantity: Type.Integer() }),
  Type.Object({ rejectionArtifactType: Type.Literal('TotalQuantityRestriction'), maxQuantity: Type.Integer() }),
  Type.Object({
    rejectionArtifactType: Type.Literal('UnsupportedCartItems'),
    message: Type.String(),
    cartItemIdentifiers: Type.Array(Type.String()),
  }),
]);
export type WireRejection = Static<typeof WireRejection>;

const cartDetailsFields = { id: Type.String(), region: Type.String(), cartType: Type.String() };
export const WireCartDetails = Type.Object(cartDetailsFields);
export type WireCartDetails = Static<typeof WireCartDetails>;

export const WireCart = Type.Object(
  {
    ...cartDetailsFields,
    attributes: Type.Array(
      Type.Union([
        Type.Object({ attributeType: Type.Literal('Subtotal'), amount: WireMoney }),
        Type.Object({ attributeType: Type.Literal('SubtotalWithoutTax'), amount: WireMoney }),
      ]),
    ),
  },
  { title: 'Cart' },
);
export type WireCart = Static<typeof WireCart>;

export const WireCartItem = Type.Object({
  productIdentifier: Type.String(),
  itemId: Type.String(),
  buyingOptionIdentifier: Type.String(),
  quantity: Type.Integer(),
  isItemAvailable: Type.Boolean(),
  price: Type.Optional(WireMoney),
  taxExclusivePrice: Type.Optional(WireMoney),
  addedToCartDate: Type.String(),
  modifiedDate: Type.String(),
});
export type WireCartItem = Static<typeof WireCartItem>;

export const WireRejectedItem = Type.Object({ id: Type.String(), rejectionArtifacts: Type.Array(WireRejection) });
export type WireRejectedItem = Static<typeof WireRejectedItem>;

export const CartDetailsResult = Type.Object(
  { cartDetailsList: Type.Array(WireCartDetails), nextPageToken: Type.Optional(Type.String()) },
  { title: 'CartDetailsResult' },
);
export type CartDetailsResult = Static<typeof CartDetailsResult>;

export const CartItemsResult = Type.Object({ items: Type.Array(WireCartItem) }, { title: 'CartItemsResult' });
export type CartItemsResult = Static<typeof CartItemsResult>;

export const CartChangeResult = Type.Object(
  { items: Type.Array(WireCartItem), rejectedItems: Type.Array(WireRejectedItem) },
  { title: 'CartChangeResult' },
);
export type CartChangeResult = Static<typeof CartChangeResult>;

export const EstimatedTotalPurchaseCostResult = Type.Object(
  {
    charges: Type.Array(Type.Object({ category: Type.String(), type: Type.String(), amount: WireMoney })),
    rejectionArtifacts: Type.Array(WireRejection),
  },
  { title: 'EstimatedTotalPurchaseCostResult' },
);
export type EstimatedTotalPurchaseCostResult = Static<typeof EstimatedTotalPurchaseCostResult>;

// ---- the bodies, as cart.requests.ts reads them ------------------------------------------------

const Text = (maxLength: number) => Type.String({ minLength: 1, maxLength });

export const AddItemsRequest = Type.Object(
  {
    items: Type.Array(
      Type.Object({
        productIdentifier: Type.String({ minLength: 1, maxLength: 20, description: 'The ASIN.' }),
        buyingOptionIdentifier: Text(500),
        quantity: Type.Integer({ minimum: 1, maximum: 9999 }),
        externalId: Type.String({ minLength: 1, maxLength: 100, description: 'Unique within the request.' }),
        metadata: Type.Optional(
          Type.Array(
            Type.Object({ artifactType: Type.Literal('CatalogMetadata'), catalogId: Text(100), catalogVersion: Type.Optional(Text(100)) }),
            { maxItems: 10 },
          ),
        ),
      }),
      { minItems: 1, maxItems: 50 },
    ),
  },
  { title: 'AddItemsRequest' },
);

export const ModifyItemsRequest = Type.Object(
  {
    items: Type.Array(Type.Object({ itemId: Text(100), quantity: Type.Integer({ minimum: 1, maximum: 9999 }) }), {
      minItems: 1,
      maxItems: 50,
    }),
  },
  { title: 'ModifyItemsRequest' },
);

export const EstimatedTotalPurchaseCostRequest = Type.Object(
  {
    address: Type.Object(
      {
        addressType: Type.Literal('PhysicalAddress'),
        fullName: Text(100),
        phoneNumber: Type.Optional(Text(40)),
        companyName: Type.Optional(Text(100)),
        addressLine1: Text(180),
        addressLine2: Type.Optional(Text(60)),
        addressLine3: Type.Optional(Text(60)),
        city: Text(100),
        stateOrRegion: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Required for an address in the US.' })),
        postalCode: Text(20),
        countryCode: Type.String({ pattern: '^[A-Z]{2}$' }),
      },
      { additionalProperties: false },
    ),
  },
  { title: 'EstimatedTotalPurchaseCostRequest' },
);

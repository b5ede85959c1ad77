import { Type, type Static, type TSchema } from '@sinclair/typebox';
import type {
  Badge,
  FilterGroup,
  Fragment,
  FragmentType,
  IdName,
  Link,
  RefinementLists,
  SearchRefinementGroup,
} from '../../modules/catalog/index.ts';
import { FACETS, MARKETPLACE_REGIONS } from '../../modules/registry/index.ts';
import { OneOf } from '../shared/schema.ts';
import type { MAX_BATCH } from './product-search.handlers.ts';

/**
 * The wire shapes of the Product Search API (model ProductSearch_API.json, platform spec 7.2.4),
 * as TypeBox schemas: each schema and its static type share a name. The handlers return the types;
 * /openapi.json is generated from the schemas, and the tests check every answer against them.
 * Optional here means the field can be absent: left out by an inclusion list, not granted as a
 * privileged field, or not in the model's `required`.
 */

/** `true` when A is assignable to B (a compile-time check: `const x: Assignable<A, B> = true`). */
type Assignable<A, B> = [A] extends [B] ? true : false;

// --- The catalog's parts that go on the wire as they are (checked against the catalog's types below).

export const WireFragmentType = OneOf([
  'SUSTAINABILITY_BADGE',
  'SUSTAINABILITY_ATTRIBUTE',
  'BUSINESS_INVOICE_BADGE',
  'JCT_BADGE',
  'PREFERRED',
  'RESTRICTED',
  'BLOCKED',
  'NONE',
  'NEGOTIATED',
  'UNKNOWN',
  'BESTSELLER_BADGE',
] as const);
export type WireFragmentType = Static<typeof WireFragmentType>;

export const WireLink = Type.Object({ text: Type.Optional(Type.String()), url: Type.String() });
export type WireLink = Static<typeof WireLink>;

/** One level of a fragment, its nested `fragments` being `inner`. */
const fragmentLevel = <T extends TSchema>(inner: T) =>
  Type.Object({
    title: Type.Optional(Type.String()),
    message: Type.Optional(Type.String()),
    link: Type.Optional(WireLink),
    type: WireFragmentType,
    fragments: Type.Optional(Type.Array(inner)),
  });

/**
 * The platform's display fragment (badges, guidance, legal notices). The model's Fragment nests
 * itself; a self-referencing schema needs an `$id` that would appear many times in one document
 * (which JSON Schema forbids), so four levels are described and anything nested deeper is not.
 */
export const WireFragment = fragmentLevel(fragmentLevel(fragmentLevel(fragmentLevel(Type.Unknown()))));
export type WireFragment = Static<typeof WireFragment>;

export const WireIdName = Type.Object({ displayName: Type.String(), id: Type.String() });
export type WireIdName = Static<typeof WireIdName>;

export const WireRefinementValue = Type.Object({ displayName: Type.String(), searchRefinementValue: Type.String() });
export type WireRefinementValue = Static<typeof WireRefinementValue>;

export const WireSearchRefinementGroup = Type.Object({
  selectionType: Type.Union([Type.String(), Type.Null()]),
  displayValue: Type.String(),
  refinementValues: Type.Array(WireRefinementValue),
});
export type WireSearchRefinementGroup = Static<typeof WireSearchRefinementGroup>;

export const WireRefinementLists = Type.Object({
  categories: Type.Array(WireIdName),
  subCategories: Type.Array(WireIdName),
  availabilityOptions: Type.Array(WireIdName),
  deliveryDayOptions: Type.Array(WireIdName),
  eligibleForFreeShippingOptions: Type.Array(WireIdName),
  primeEligible: Type.Array(WireIdName),
});
export type WireRefinementLists = Static<typeof WireRefinementLists>;

export const WireFilterGroup = Type.Object({ displayName: Type.String(), filters: Type.Array(WireIdName) });
export type WireFilterGroup = Static<typeof WireFilterGroup>;

// The catalog's types must stay what the schemas declare: each way for the flat ones, and the
// catalog's fragment into the schema's (whose deepest level is not described).
const catalogMatches: [
  Assignable<FragmentType, WireFragmentType>,
  Assignable<WireFragmentType, FragmentType>,
  Assignable<Link, WireLink>,
  Assignable<WireLink, Link>,
  Assignable<Fragment, WireFragment>,
  Assignable<keyof Fragment, keyof WireFragment>,
  Assignable<keyof WireFragment, keyof Fragment>,
  Assignable<IdName, WireIdName>,
  Assignable<WireIdName, IdName>,
  Assignable<SearchRefinementGroup, WireSearchRefinementGroup>,
  Assignable<WireSearchRefinementGroup, SearchRefinementGroup>,
  Assignable<RefinementLists, WireRefinementLists>,
  Assignable<WireRefinementLists, RefinementLists>,
  Assignable<FilterGroup, WireFilterGroup>,
  Assignable<WireFilterGroup, FilterGroup>,
] = [true, true, true, true, true, true, true, true, true, true, true, true, true, true, true];
void catalogMatches;

// --- Offers.

export const Money = Type.Object({ amount: Type.Number(), currencyCode: Type.String() });
export type Money = Static<typeof Money>;

export const Price = Type.Object({ value: Money, formattedPrice: Type.String(), priceType: Type.String() });
export type Price = Static<typeof Price>;

export const TaxExclusivePrice = Type.Object({
  taxExclusiveAmount: Money,
  displayString: Type.String(),
  formattedPrice: Type.String(),
  label: Type.String(),
});
export type TaxExclusivePrice = Static<typeof TaxExclusivePrice>;

export const WireMerchant = Type.Object({
  merchantId: Type.Optional(Type.String()),
  name: Type.Optional(Type.String()),
  meanFeedbackRating: Type.Optional(Type.Number()),
  totalFeedbackCount: Type.Optional(Type.Integer()),
  certificates: Type.Optional(Type.Array(Type.String())),
});
export type WireMerchant = Static<typeof WireMerchant>;

export const QuantityPriceTier = Type.Object({
  quantityDisplay: Type.String(),
  unitPrice: Money,
  minQuantity: Type.Integer(),
  price: Price,
  savingMessage: Type.Optional(Type.String()),
  taxExclusivePrice: TaxExclusivePrice,
});
export type QuantityPriceTier = Static<typeof QuantityPriceTier>;

export const ShippingOption = Type.Object({
  shippingCost: Type.Object({ value: Money }),
  deliveryRange: Type.Object({ min: Type.String({ format: 'date-time' }), max: Type.String({ format: 'date-time' }) }),
  deliveryInformation: Type.String(),
  thresholdCost: Type.Object({ value: Money }),
});
export type ShippingOption = Static<typeof ShippingOption>;

export const WireBadge = Type.Object({ name: Type.String(), fragment: Type.Optional(WireFragment) });
export type WireBadge = Static<typeof WireBadge>;

const badgeMatches: [Assignable<Badge, WireBadge>, Assignable<keyof WireBadge, keyof Badge>] = [true, true];
void badgeMatches;

export const WireOffer = Type.Object({
  offerId: Type.String(),
  availability: Type.Optional(Type.String()),
  buyingGuidance: Type.Optional(Type.String()),
  buyingGuidanceV2: Type.Optional(Type.Object({ buyingGuidance: Type.Array(WireFragment) })),
  buyingRestrictions: Type.Optional(Type.Array(Type.Object({ title: Type.String(), type: Type.String() }))),
  fulfillmentType: Type.Optional(Type.String()),
  merchant: Type.Optional(WireMerchant),
  fulfiller: Type.Optional(Type.Object({ name: Type.String(), fulfillmentType: Type.String() })),
  price: Type.Optional(Price),
  listPrice: Type.Optional(Price),
  quantityPrice: Type.Optional(Type.Object({ quantityPriceTiers: Type.Array(QuantityPriceTier) })),
  taxExclusivePrice: Type.Optional(TaxExclusivePrice),
  productCondition: Type.Optional(Type.String()),
  productConditionNote: Type.Optional(Type.String()),
  condition: Type.Optional(Type.Object({ conditionValue: Type.String(), conditionNote: Type.String(), subCondition: Type.String() })),
  quantityLimits: Type.Optional(Type.Object({ maxQuantity: Type.Integer(), minQuantity: Type.Integer() })),
  quantityInStock: Type.Optional(Type.Integer()),
  deliveryInformation: Type.Optional(Type.String()),
  shippingOptions: Type.Optional(Type.Array(ShippingOption)),
  badges: Type.Optional(Type.Array(WireBadge)),
});
export type WireOffer = Static<typeof WireOffer>;

// --- Products.

export const ImageData = Type.Object({ url: Type.String(), width: Type.Integer(), height: Type.Integer() });
export type ImageData = Static<typeof ImageData>;

export const ImageItem = Type.Object({
  altText: Type.String(),
  original: Type.Optional(ImageData),
  large: Type.Optional(ImageData),
  medium: Type.Optional(ImageData),
  small: Type.Optional(ImageData),
  thumbnail: Type.Optional(ImageData),
});
export type ImageItem = Static<typeof ImageItem>;

export const IncludedDataTypes = Type.Object({
  OFFERS: Type.Optional(Type.Array(WireOffer)),
  IMAGES: Type.Optional(Type.Array(ImageItem)),
});
export type IncludedDataTypes = Static<typeof IncludedDataTypes>;

const NullableString = Type.Union([Type.String(), Type.Null()]);

export const ProductsResult = Type.Object(
  {
    asin: Type.String(),
    asinType: Type.String(),
    signedProductId: Type.String(),
    includedDataTypes: IncludedDataTypes,
    url: Type.String(),
    legalInformation: Type.Optional(Type.Array(WireFragment)),
    features: Type.Optional(Type.Array(Type.String())),
    editorialReviews: Type.Optional(Type.Array(Type.Object({ content: Type.String(), source: Type.String() }))),
    taxonomies: Type.Optional(Type.Array(Type.Object({ taxonomyCode: Type.String(), title: Type.String(), type: Type.String() }))),
    packageTypeNames: Type.Optional(Type.Array(Type.Object({ displayString: Type.String() }))),
    title: Type.Optional(Type.String()),
    format: Type.Optional(NullableString),
    bookInformation: Type.Optional(
      Type.Object({
        isbn: Type.Object({ isbn10: NullableString, isbn13: NullableString }),
        // The release date at midnight UTC; a plain string: the catalog's dates are not checked here.
        publicationDate: NullableString,
        publishedLanguage: NullableString,
      }),
    ),
    byLine: Type.Optional(Type.Array(Type.Object({ name: Type.String(), roles: Type.Array(Type.String()) }))),
    mediaInformation: Type.Optional(Type.Object({ editions: Type.Array(Type.String()), mediaFormats: Type.Array(Type.String()) })),
    productDescription: Type.Optional(Type.String()),
    productOverview: Type.Optional(Type.Record(Type.String(), Type.String())),
    productDetails: Type.Optional(Type.Record(Type.String(), Type.Record(Type.String(), Type.String()))),
    customerReviewsSummary: Type.Optional(Type.Object({ numberOfRatings: Type.Integer(), starRating: Type.Number() })),
    productVariations: Type.Optional(Type.Object({ dimensions: Type.Array(Type.Unknown()), variations: Type.Array(Type.Unknown()) })),
    upcValues: Type.Optional(Type.Array(Type.String())),
    eanValues: Type.Optional(Type.Array(Type.String())),
    modelNumber: Type.Optional(Type.String()),
    manufacturerName: Type.Optional(Type.String()),
    bundleQuantity: Type.Optional(Type.Integer()),
    isCustomQuoteEligible: Type.Optional(Type.Boolean()),
    badges: Type.Optional(Type.Array(WireBadge)),
    isBundledAsin: Type.Optional(Type.Union([Type.Boolean(), Type.Null()])),
  },
  { title: 'ProductsResult' },
);
export type ProductsResult = Static<typeof ProductsResult>;

// --- The operations' answers.

export const SearchProductsResult = Type.Object(
  {
    matchingProductCount: Type.Integer(),
    numberOfPages: Type.Integer(),
    legalInformation: Type.Array(WireFragment),
    products: Type.Array(ProductsResult),
    refinements: WireRefinementLists,
    searchRefinements: Type.Array(WireSearchRefinementGroup),
    sortKey: Type.String(),
    minPrice: Type.Optional(Type.Integer()),
    maxPrice: Type.Optional(Type.Integer()),
  },
  { title: 'SearchProductsResult' },
);
export type SearchProductsResult = Static<typeof SearchProductsResult>;

export const OffersResult = Type.Object(
  {
    offerCount: Type.Integer(),
    numberOfPages: Type.Integer(),
    featuredOffer: Type.Union([WireOffer, Type.Null()]),
    offers: Type.Array(WireOffer),
    filterGroups: Type.Array(WireFilterGroup),
  },
  { title: 'OffersResult' },
);
export type OffersResult = Static<typeof OffersResult>;

export const ProductsByAsinsResponse = Type.Object(
  {
    matchingProductCount: Type.Integer(),
    products: Type.Array(ProductsResult),
    notFoundAsins: Type.Array(Type.String()),
  },
  { title: 'ProductsByAsinsResponse' },
);
export type ProductsByAsinsResponse = Static<typeof ProductsByAsinsResponse>;

export const GetOffersByOfferIdsResponse = Type.Object(
  {
    offers: Type.Array(WireOffer),
    notFoundOfferIds: Type.Array(Type.String()),
  },
  { title: 'GetOffersByOfferIdsResponse' },
);
export type GetOffersByOfferIdsResponse = Static<typeof GetOffersByOfferIdsResponse>;

// --- The request bodies (documentation: the handlers parse and check the bodies themselves).

/** At most this many ASINs or offer ids per batch call: the handlers' MAX_BATCH (checked at compile time). */
const BATCH = 30;
const batchMatches: Assignable<typeof BATCH, typeof MAX_BATCH> = true;
void batchMatches;

const marketFields = {
  productRegion: Type.Union(
    MARKETPLACE_REGIONS.map((r) => Type.Literal(r)),
    { description: 'The marketplace to buy in: the access token’s marketplace.' },
  ),
  locale: Type.String({ pattern: '^[a-zA-Z_-]+$', description: 'An IETF language tag the marketplace supports, e.g. en_US.' }),
  shippingRegion: Type.Optional(
    Type.String({
      description: 'The destination: a marketplace code (US, UK, …) or an endpoint region (NA, EU, FE) of the productRegion.',
    }),
  ),
  shippingPostalCode: Type.Optional(Type.String({ maxLength: 16, pattern: '^[A-Za-z0-9 -]*$' })),
};

export const ProductsByAsinsRequest = Type.Object(
  {
    productIds: Type.Array(Type.String({ minLength: 1, description: 'An ASIN.' }), { minItems: 1, maxItems: BATCH }),
    ...marketFields,
    quantity: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000, default: 1 })),
    facets: Type.Optional(Type.Array(OneOf(FACETS))),
  },
  { title: 'ProductsByAsinsRequest' },
);
export type ProductsByAsinsRequest = Static<typeof ProductsByAsinsRequest>;

export const GetOffersByOfferIdsRequest = Type.Object(
  {
    offersByOfferIdsRequest: Type.Array(Type.Object({ offerId: Type.String({ minLength: 1 }) }), { minItems: 1, maxItems: BATCH }),
    ...marketFields,
  },
  { title: 'getOffersByOfferIdsRequest' },
);
export type GetOffersByOfferIdsRequest = Static<typeof GetOffersByOfferIdsRequest>;

export type { IdName };

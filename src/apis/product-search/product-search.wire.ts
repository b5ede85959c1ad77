import type { Fragment, IdName, SearchRefinementGroup, RefinementLists } from '../../modules/catalog/index.ts';

/**
 * The wire shapes of the Product Search API (model ProductSearch_API.json, platform spec 7.2.4).
 * Optional (`?`) here means the field can be absent: left out by an inclusion list, not granted
 * as a privileged field, or not in the model's `required`.
 */

export interface Money {
  amount: number;
  currencyCode: string;
}

export interface Price {
  value: Money;
  formattedPrice: string;
  priceType: string;
}

export interface TaxExclusivePrice {
  taxExclusiveAmount: Money;
  displayString: string;
  formattedPrice: string;
  label: string;
}

export interface WireMerchant {
  merchantId?: string;
  name?: string;
  meanFeedbackRating?: number;
  totalFeedbackCount?: number;
  certificates?: string[];
}

export interface QuantityPriceTier {
  quantityDisplay: string;
  unitPrice: Money;
  minQuantity: number;
  price: Price;
  savingMessage?: string;
  taxExclusivePrice: TaxExclusivePrice;
}

export interface ShippingOption {
  shippingCost: { value: Money };
  deliveryRange: { min: string; max: string };
  deliveryInformation: string;
  thresholdCost: { value: Money };
}

export interface WireBadge {
  name: string;
  fragment?: Fragment;
}

export interface WireOffer {
  offerId: string;
  availability?: string;
  buyingGuidance?: string;
  buyingGuidanceV2?: { buyingGuidance: Fragment[] };
  buyingRestrictions?: { title: string; type: string }[];
  fulfillmentType?: string;
  merchant?: WireMerchant;
  fulfiller?: { name: string; fulfillmentType: string };
  price?: Price;
  listPrice?: Price;
  quantityPrice?: { quantityPriceTiers: QuantityPriceTier[] };
  taxExclusivePrice?: TaxExclusivePrice;
  productCondition?: string;
  productConditionNote?: string;
  condition?: { conditionValue: string; conditionNote: string; subCondition: string };
  quantityLimits?: { maxQuantity: number; minQuantity: number };
  quantityInStock?: number;
  deliveryInformation?: string;
  shippingOptions?: ShippingOption[];
  badges?: WireBadge[];
}

export interface ImageData {
  url: string;
  width: number;
  height: number;
}

export interface ImageItem {
  altText: string;
  original?: ImageData;
  large?: ImageData;
  medium?: ImageData;
  small?: ImageData;
  thumbnail?: ImageData;
}

export interface IncludedDataTypes {
  OFFERS?: WireOffer[];
  IMAGES?: ImageItem[];
}

export interface ProductsResult {
  asin: string;
  asinType: string;
  signedProductId: string;
  includedDataTypes: IncludedDataTypes;
  url: string;
  legalInformation?: Fragment[];
  features?: string[];
  editorialReviews?: { content: string; source: string }[];
  taxonomies?: { taxonomyCode: string; title: string; type: string }[];
  packageTypeNames?: { displayString: string }[];
  title?: string;
  format?: string | null;
  bookInformation?: {
    isbn: { isbn10: string | null; isbn13: string | null };
    publicationDate: string | null;
    publishedLanguage: string | null;
  };
  byLine?: { name: string; roles: string[] }[];
  mediaInformation?: { editions: string[]; mediaFormats: string[] };
  productDescription?: string;
  productOverview?: Record<string, string>;
  productDetails?: Record<string, Record<string, string>>;
  customerReviewsSummary?: { numberOfRatings: number; starRating: number };
  productVariations?: { dimensions: unknown[]; variations: unknown[] };
  upcValues?: string[];
  eanValues?: string[];
  modelNumber?: string;
  manufacturerName?: string;
  bundleQuantity?: number;
  isCustomQuoteEligible?: boolean;
  badges?: WireBadge[];
  isBundledAsin?: boolean | null;
}

export interface SearchProductsResult {
  matchingProductCount: number;
  numberOfPages: number;
  legalInformation: Fragment[];
  products: ProductsResult[];
  refinements: RefinementLists;
  searchRefinements: SearchRefinementGroup[];
  sortKey: string;
  minPrice?: number;
  maxPrice?: number;
}

export interface OffersResult {
  offerCount: number;
  numberOfPages: number;
  featuredOffer: WireOffer | null;
  offers: WireOffer[];
  filterGroups: { displayName: string; filters: { id: string; displayName: string }[] }[];
}

export interface ProductsByAsinsResponse {
  matchingProductCount: number;
  products: ProductsResult[];
  notFoundAsins: string[];
}

export interface GetOffersByOfferIdsResponse {
  offers: WireOffer[];
  notFoundOfferIds: string[];
}

export type { IdName };

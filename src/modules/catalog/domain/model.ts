/**
 * The catalog's records: a merchant, a product with its offers. This is both what the catalog
 * stores and the import format (docs/catalog-format.md). Money is integer minor units.
 */

export type AsinType = 'STANDARD' | 'VARIATION_PARENT' | 'VARIATION_CHILD';
export type Condition = 'NEW' | 'USED' | 'COLLECTIBLE' | 'REFURBISHED' | 'OTHER' | 'UNKNOWN';
export type SubCondition = 'ACCEPTABLE' | 'CLUB' | 'GOOD' | 'LIKE_NEW' | 'NEW' | 'OEM' | 'OPEN_BOX' | 'REFURBISHED' | 'UNKNOWN' | 'VERY_GOOD';
export type Fulfillment = 'AMAZON_FULFILLMENT' | 'MERCHANT_FULFILLMENT' | 'OTHER';
export type FragmentType =
  | 'SUSTAINABILITY_BADGE'
  | 'SUSTAINABILITY_ATTRIBUTE'
  | 'BUSINESS_INVOICE_BADGE'
  | 'JCT_BADGE'
  | 'PREFERRED'
  | 'RESTRICTED'
  | 'BLOCKED'
  | 'NONE'
  | 'NEGOTIATED'
  | 'UNKNOWN'
  | 'BESTSELLER_BADGE';

export interface Link {
  text?: string;
  url: string;
}

/** The platform's display fragment (badges, guidance, legal notices). */
export interface Fragment {
  title?: string;
  message?: string;
  link?: Link;
  type: FragmentType;
  fragments?: Fragment[];
}

export interface Badge {
  name: string;
  fragment?: Fragment;
}

export interface Certificate {
  /** Stable code, e.g. MYC_TYPE_DIV_MIN_BUSINESS; also an offer filter id. */
  id: string;
  /** Display name, e.g. "Minority-Owned Business". */
  name: string;
}

export interface MerchantRecord {
  type: 'merchant';
  id: string;
  name: string;
  meanFeedbackRating: number;
  totalFeedbackCount: number;
  certificates?: Certificate[];
}

export interface CategoryNode {
  id: string;
  name: string;
}

/** A node of the category tree; products name their leaf with `categoryId`. */
export interface CategoryRecord {
  type: 'category';
  id: string;
  name: string;
  parentId?: string;
  /** Department of the products under this node (the nearest node with one applies). */
  department?: string;
  /** Classification of the products under this node (the nearest node with some applies). */
  taxonomies?: Taxonomy[];
}

export interface ImageData {
  url: string;
  width: number;
  height: number;
}

export const IMAGE_RENDITIONS = ['original', 'large', 'medium', 'small', 'thumbnail'] as const;
export type ImageRendition = (typeof IMAGE_RENDITIONS)[number];

/** One product image: a source URL (renditions derived) or explicit renditions. */
export interface ImageRecord {
  url?: string;
  altText?: string;
  renditions?: Partial<Record<ImageRendition, ImageData>>;
}

export interface Identifiers {
  upc?: string[];
  ean?: string[];
  isbn?: string[];
  partNumber?: string;
  oemPartNumber?: string;
  modelNumber?: string;
}

export interface Taxonomy {
  type: 'UNSPSC' | 'ECLASS';
  code: string;
  title: string;
}

export interface QuantityTier {
  minQuantity: number;
  /** Unit price from this quantity on, minor units. */
  price: number;
}

export interface Shipping {
  /** Shipping cost of an order of this offer, minor units. */
  cost: number;
  /** Orders of at least this amount ship free (minor units); absent: no threshold. */
  freeOver?: number;
  /** Business days from dispatch cut-off to delivery, nearest zone. */
  minDays: number;
  maxDays: number;
}

export interface BuyingRestriction {
  type: string;
  title: string;
}

export interface OfferRecord {
  offerId: string;
  /** Marketplace code (US, CA, UK, DE, ...). */
  region: string;
  merchantId: string;
  sku?: string;
  condition: Condition;
  subCondition?: SubCondition;
  conditionNote?: string;
  currency: string;
  /** Standard unit price, minor units. */
  price: number;
  listPrice?: number;
  /** Business unit price (quantity 1), minor units. */
  businessPrice?: number;
  quantityTiers?: QuantityTier[];
  prime?: boolean;
  fulfillment: Fulfillment;
  stock: number;
  minQuantity?: number;
  maxQuantity?: number;
  shipping: Shipping;
  restrictions?: BuyingRestriction[];
}

/** One axis along which the products of a variation family differ (Color, Capacity, ...). */
export interface VariationDimension {
  /** Display name: the wire's `dimensions[].displayString`. */
  name: string;
  /** Display strings of the values, in order: a value's position is its wire `dimensionValues[].index`. */
  values: string[];
}

/** A product of a variation family and its value along each dimension. */
export interface VariationChild {
  asin: string;
  /** One value per dimension, in the order of `dimensions`, each one of that dimension's `values`. */
  values: string[];
}

/**
 * The variation family a product belongs to, as every member carries it: the dimensions and
 * every member (the product itself included) with its values. The API's `productVariations`.
 */
export interface ProductVariations {
  dimensions: VariationDimension[];
  children: VariationChild[];
}

export interface ProductRecord {
  type: 'product';
  asin: string;
  /** Default STANDARD, or VARIATION_CHILD when the product has `variations`. */
  asinType?: AsinType;
  /** The product's variation family (JSON Lines only; CSV cannot express it). */
  variations?: ProductVariations;
  title: string;
  brand?: string;
  manufacturer?: string;
  /** Department id (DEPARTMENTS), e.g. MOBILE_AND_ACCESSORIES. */
  department: string;
  /** Category path, root first. */
  categories: CategoryNode[];
  description?: string;
  features?: string[];
  images?: ImageRecord[];
  identifiers?: Identifiers;
  /** Displayable attributes (Color, Size, ...), shown in productOverview. */
  attributes?: Record<string, string>;
  taxonomies?: Taxonomy[];
  rating?: { stars: number; count: number };
  popularity?: number;
  /** First availability, YYYY-MM-DD. */
  releaseDate?: string;
  packageType?: string;
  bundleQuantity?: number;
  isBundle?: boolean;
  customQuoteEligible?: boolean;
  badges?: Badge[];
  legalInformation?: Fragment[];
  /** Where the record came from, e.g. `bestbuy:4984700`. */
  source?: string;
  offers: OfferRecord[];
}

/**
 * A product as it is imported: the category path may be given inline (`categories`) or by the
 * leaf's id (`categoryId`, resolved against category records); department and taxonomies may
 * come from the categories. Stored products are always resolved ProductRecords.
 */
export type ProductInput = Omit<ProductRecord, 'categories' | 'department'> & {
  categories?: CategoryNode[];
  categoryId?: string;
  department?: string;
};

export type CatalogRecord = MerchantRecord | CategoryRecord | ProductInput;

/** A merchant as stored. */
export type Merchant = Omit<MerchantRecord, 'type' | 'certificates'> & { certificates: Certificate[] };

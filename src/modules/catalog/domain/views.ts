import { rankOffers, selectFeaturedOffer } from './buy-box.ts';
import { estimateDelivery, type DeliveryEstimate, type Destination } from './delivery.ts';
import { decideGuidance, type BuyingPolicy, type GuidanceDecision } from './guidance.ts';
import type { Merchant, OfferRecord, ProductRecord } from './model.ts';
import { priceBands, shippingCostFor, unitPriceFor, type PriceBand, type UnitPrice } from './pricing.ts';

/** Who is looking, from where and for how many: what personalizes prices, delivery and guidance. */
export interface Shopper {
  /** Marketplace code of the request (productRegion). */
  region: string;
  locale: string;
  destination: Destination;
  quantity: number;
  /** The business's buying policies; null when the caller has no business (guidance UNKNOWN). */
  policies: readonly BuyingPolicy[] | null;
  businessId: string | null;
  /** The instant the products are seen at (delivery estimates count from it); the clock's now when absent. */
  at?: number;
}

/** An offer evaluated for a shopper. */
export interface OfferView {
  offer: OfferRecord;
  merchant: Merchant | undefined;
  unitPrice: UnitPrice;
  bands: PriceBand[];
  /** Shipping charged for the shopper's quantity (0 when free). */
  shippingCost: number;
  delivery: DeliveryEstimate;
  guidance: GuidanceDecision;
  featured: boolean;
}

/** A product evaluated for a shopper: its offers in the marketplace, featured first. */
export interface ProductView {
  product: ProductRecord;
  guidance: GuidanceDecision;
  featured: OfferView | null;
  offers: OfferView[];
}

export function viewOffer(offer: OfferRecord, merchant: Merchant | undefined, shopper: Shopper, now: number, guidance: GuidanceDecision, featured: boolean): OfferView {
  const unitPrice = unitPriceFor(offer, shopper.quantity);
  return {
    offer,
    merchant,
    unitPrice,
    bands: priceBands(offer),
    shippingCost: shippingCostFor(offer, unitPrice.minor, shopper.quantity),
    delivery: estimateDelivery(now, shopper.destination, offer.shipping),
    guidance,
    featured,
  };
}

export function guidanceFor(product: ProductRecord, shopper: Shopper): GuidanceDecision {
  return decideGuidance(shopper.policies, {
    asin: product.asin,
    brand: product.brand,
    department: product.department,
    categoryIds: product.categories.map((c) => c.id),
  });
}

/** The product with its marketplace offers ranked and the featured offer chosen for the quantity. */
export function viewProduct(product: ProductRecord, merchants: ReadonlyMap<string, Merchant>, shopper: Shopper, now: number): ProductView {
  const guidance = guidanceFor(product, shopper);
  const entries = product.offers.filter((o) => o.region === shopper.region).map((offer) => ({ offer, merchant: merchants.get(offer.merchantId) }));
  const featuredEntry = selectFeaturedOffer(entries, shopper.quantity);
  const offers = rankOffers(entries, featuredEntry, shopper.quantity).map((e) => viewOffer(e.offer, e.merchant, shopper, now, guidance, e === featuredEntry));
  return { product, guidance, featured: offers.find((o) => o.featured) ?? null, offers };
}

import type { PrivilegedField } from '../../kernel/reference.ts';
import {
  availabilityText,
  deliveryText,
  eanFromUpc,
  formatMoney,
  guidanceFragments,
  IMAGE_RENDITIONS,
  longDate,
  quantityDisplay,
  savingMessage,
  taxExclusiveMinor,
  toAmount,
  type ImageRecord,
  type MarketFacts,
  type OfferView,
  type ProductRecord,
  type ProductView,
} from '../../modules/catalog/index.ts';
import type { OfferFields, ProductFields } from './product-search.inclusions.ts';
import type {
  ImageItem,
  IncludedDataTypes,
  Money,
  Price,
  ProductsResult,
  TaxExclusivePrice,
  WireBadge,
  WireOffer,
} from './product-search.wire.ts';

/** Domain views to the exact wire shapes, honouring inclusions and privileged-field grants. */

export interface WireContext {
  facts: MarketFacts;
  locale: string;
  privileged: ReadonlySet<PrivilegedField>;
  signProductId(asin: string): string;
}

const RENDITION_SIZE: Record<(typeof IMAGE_RENDITIONS)[number], number> = {
  original: 2560,
  large: 500,
  medium: 250,
  small: 160,
  thumbnail: 40,
};
const EU_INVOICE_MARKETS = new Set(['UK', 'DE', 'FR', 'IT', 'ES']);

function money(minor: number, currency: string): Money {
  return { amount: toAmount(minor, currency), currencyCode: currency };
}

function price(minor: number, currency: string, locale: string, priceType: string): Price {
  return { value: money(minor, currency), formattedPrice: formatMoney(minor, currency, locale), priceType };
}

function taxExclusive(minor: number, currency: string, ctx: WireContext): TaxExclusivePrice {
  const excl = taxExclusiveMinor(minor, ctx.facts.includedTaxRate);
  const formatted = formatMoney(excl, currency, ctx.locale);
  return {
    taxExclusiveAmount: money(excl, currency),
    displayString: `${formatted} ${ctx.facts.taxLabel}`,
    formattedPrice: formatted,
    label: ctx.facts.taxLabel,
  };
}

function offerBadges(v: OfferView): WireBadge[] {
  const badges: WireBadge[] = [];
  if (v.offer.prime) badges.push({ name: 'PRIME_BADGE' });
  if (v.offer.fulfillment === 'AMAZON_FULFILLMENT' && EU_INVOICE_MARKETS.has(v.offer.region)) {
    badges.push({
      name: 'BUSINESS_INVOICE_BADGE',
      fragment: { title: 'Invoice by Amazon', message: 'A VAT invoice is issued for this offer.', type: 'BUSINESS_INVOICE_BADGE' },
    });
  }
  if (v.offer.region === 'JP' && v.merchant?.id === 'ATVPDKIKX0DER')
    badges.push({ name: 'JCT_BADGE', fragment: { title: '適格請求書', type: 'JCT_BADGE' } });
  return badges;
}

/** One offer on the wire. */
export function wireOffer(v: OfferView, f: OfferFields, ctx: WireContext): WireOffer {
  const o = v.offer;
  const c = o.currency;
  const out: WireOffer = { offerId: o.offerId };
  const merchantFulfilled = o.fulfillment !== 'AMAZON_FULFILLMENT';
  if (f.has('availability')) out.availability = availabilityText(ctx.locale, o.stock, o.shipping, merchantFulfilled);
  if (f.has('buyingGuidance')) out.buyingGuidance = v.guidance.guidance;
  if (f.has('buyingGuidanceV2')) out.buyingGuidanceV2 = { buyingGuidance: guidanceFragments(v.guidance) };
  if (f.has('buyingRestrictions')) out.buyingRestrictions = (o.restrictions ?? []).map((r) => ({ title: r.title, type: r.type }));
  if (f.has('fulfillmentType')) out.fulfillmentType = o.fulfillment;
  if (f.has('merchant') || f.has('merchantCertificates')) {
    const m = v.merchant;
    out.merchant = {};
    if (f.has('merchant')) {
      if (ctx.privileged.has('merchantId')) out.merchant.merchantId = o.merchantId;
      out.merchant.name = m?.name ?? o.merchantId;
      if (ctx.privileged.has('meanFeedbackRating')) out.merchant.meanFeedbackRating = m?.meanFeedbackRating ?? 0;
      if (ctx.privileged.has('totalFeedbackCount')) out.merchant.totalFeedbackCount = m?.totalFeedbackCount ?? 0;
    }
    if (f.has('merchantCertificates')) out.merchant.certificates = (m?.certificates ?? []).map((cert) => cert.name);
  }
  if (f.has('fulfiller'))
    out.fulfiller = { name: merchantFulfilled ? (v.merchant?.name ?? o.merchantId) : 'Amazon', fulfillmentType: o.fulfillment };
  if (f.has('price')) out.price = price(v.unitPrice.minor, c, ctx.locale, v.unitPrice.business ? 'BUSINESS' : o.condition);
  if (f.has('listPrice')) out.listPrice = price(o.listPrice ?? o.price, c, ctx.locale, o.listPrice !== undefined ? 'LIST' : 'STANDARD');
  if (f.has('quantityPrice')) {
    out.quantityPrice = {
      quantityPriceTiers: v.bands.map((b) => ({
        quantityDisplay: quantityDisplay(b.minQuantity, b.maxQuantity),
        unitPrice: money(b.unitMinor, c),
        minQuantity: b.minQuantity,
        price: price(b.unitMinor, c, ctx.locale, 'QUANTITY_DISCOUNT'),
        ...(b.savingPercent > 0 ? { savingMessage: savingMessage(ctx.locale, b.savingPercent) } : {}),
        taxExclusivePrice: taxExclusive(b.unitMinor, c, ctx),
      })),
    };
  }
  if (f.has('taxExclusivePrice')) out.taxExclusivePrice = taxExclusive(v.unitPrice.minor, c, ctx);
  if (f.has('productCondition')) out.productCondition = o.condition;
  if (f.has('productConditionNote')) out.productConditionNote = o.conditionNote ?? '';
  if (f.has('condition'))
    out.condition = {
      conditionValue: o.condition,
      conditionNote: o.conditionNote ?? '',
      subCondition: o.subCondition ?? (o.condition === 'NEW' ? 'NEW' : 'UNKNOWN'),
    };
  if (f.has('quantityLimits')) out.quantityLimits = { maxQuantity: o.maxQuantity ?? 999, minQuantity: o.minQuantity ?? 1 };
  if (f.has('quantityInStock')) out.quantityInStock = o.stock;
  const delivery = deliveryText(
    ctx.locale,
    v.shippingCost > 0 ? formatMoney(v.shippingCost, c, ctx.locale) : null,
    v.delivery.minDate,
    v.delivery.maxDate,
  );
  if (f.has('deliveryInformation')) out.deliveryInformation = delivery;
  if (f.has('shippingOptions')) {
    out.shippingOptions = [
      {
        shippingCost: { value: money(v.shippingCost, c) },
        deliveryRange: { min: v.delivery.min, max: v.delivery.max },
        deliveryInformation: delivery,
        thresholdCost: { value: money(o.shipping.freeOver ?? 0, c) },
      },
    ];
  }
  if (f.has('badges')) out.badges = offerBadges(v);
  return out;
}

function images(p: ProductRecord): ImageItem[] {
  return (p.images ?? []).map((img: ImageRecord) => {
    const item: ImageItem = { altText: img.altText ?? p.title };
    for (const r of IMAGE_RENDITIONS) {
      const given = img.renditions?.[r];
      if (given) item[r] = given;
      else if (img.url) item[r] = { url: img.url, width: RENDITION_SIZE[r], height: RENDITION_SIZE[r] };
    }
    return item;
  });
}

const sentences = (text: string): string[] =>
  text
    .split(/(?<=[.!?])\s+(?=[A-Z0-9"“(])/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);

const derivedFeatures = new WeakMap<ProductRecord, string[]>();

/** Bullet features: the record's, or else the sentences of the description (split once per record). */
export function featuresOf(p: ProductRecord): string[] {
  if (p.features) return p.features;
  let features = derivedFeatures.get(p);
  if (!features) {
    features = sentences(p.description ?? '').slice(0, 5);
    derivedFeatures.set(p, features);
  }
  return features;
}

/** EANs of the product, including the EAN-13 form of each UPC. */
export const eansOf = (p: ProductRecord): string[] => [
  ...new Set([...(p.identifiers?.ean ?? []), ...(p.identifiers?.upc ?? []).map(eanFromUpc)]),
];

function overview(p: ProductRecord): Record<string, string> {
  const o: Record<string, string> = {};
  if (p.brand) o.Brand = p.brand;
  if (p.manufacturer && p.manufacturer !== p.brand) o.Manufacturer = p.manufacturer;
  if (p.identifiers?.modelNumber) o['Model Name'] = p.identifiers.modelNumber;
  return { ...o, ...(p.attributes ?? {}) };
}

function details(p: ProductRecord, ctx: WireContext): Record<string, Record<string, string>> {
  const tech: Record<string, string> = {};
  tech.Manufacturer = p.manufacturer ?? p.brand ?? '';
  if (p.identifiers?.modelNumber) tech['Item model number'] = p.identifiers.modelNumber;
  if (p.identifiers?.partNumber) tech['Part Number'] = p.identifiers.partNumber;
  if (p.identifiers?.oemPartNumber) tech['OEM Part Number'] = p.identifiers.oemPartNumber;
  if (p.identifiers?.upc?.length) tech.UPC = p.identifiers.upc.join(' ');
  const extra: Record<string, string> = { ASIN: p.asin };
  if (p.releaseDate) {
    extra['Date First Available'] = longDate(ctx.locale, p.releaseDate);
  }
  if (p.categories.length) extra.Category = p.categories.map((c) => c.name).join(' › ');
  return { 'Technical Details': tech, 'Additional Information': extra };
}

export interface ProductOptions {
  fields: ProductFields;
  offerFields: OfferFields;
  facets: readonly string[];
  /** searchProducts: one (featured) offer and isCustomQuoteEligible; product lookups: up to 10 offers. */
  search: boolean;
}

export const MAX_PRODUCT_OFFERS = 10;

/** One product on the wire. */
export function wireProduct(v: ProductView, opt: ProductOptions, ctx: WireContext): ProductsResult {
  const p = v.product;
  const f = opt.fields;
  const included: IncludedDataTypes = {};
  if (opt.facets.includes('OFFERS')) {
    const offers = opt.search ? (v.featured ? [v.featured] : []) : v.offers.slice(0, MAX_PRODUCT_OFFERS);
    included.OFFERS = offers.map((o) => wireOffer(o, opt.offerFields, ctx));
  }
  if (opt.facets.includes('IMAGES')) included.IMAGES = images(p);
  const out: ProductsResult = {
    asin: p.asin,
    asinType: p.asinType ?? (p.variations ? 'VARIATION_CHILD' : 'STANDARD'),
    signedProductId: ctx.signProductId(p.asin),
    includedDataTypes: included,
    url: `https://${ctx.facts.marketplace.host}/dp/${p.asin}?ref_=ab_psdp`,
  };
  if (f.has('legalInformation')) out.legalInformation = p.legalInformation ?? [];
  if (f.has('features')) out.features = featuresOf(p);
  if (f.has('editorialReviews')) out.editorialReviews = [];
  if (f.has('taxonomies')) out.taxonomies = (p.taxonomies ?? []).map((t) => ({ taxonomyCode: t.code, title: t.title, type: t.type }));
  if (f.has('packageTypeNames')) out.packageTypeNames = [{ displayString: p.packageType ?? 'Each' }];
  if (f.has('title')) out.title = p.title;
  if (f.has('format')) out.format = null;
  if (f.has('bookInformation')) {
    const isbns = p.identifiers?.isbn ?? [];
    out.bookInformation = {
      isbn: { isbn10: isbns.find((i) => i.length === 10) ?? null, isbn13: isbns.find((i) => i.length === 13) ?? null },
      publicationDate: isbns.length && p.releaseDate ? `${p.releaseDate}T00:00:00Z` : null,
      publishedLanguage: null,
    };
  }
  if (f.has('byLine')) out.byLine = p.brand ? [{ name: p.brand, roles: ['Brand'] }] : [];
  if (f.has('mediaInformation')) out.mediaInformation = { editions: [], mediaFormats: [] };
  if (f.has('productDescription')) out.productDescription = p.description ?? '';
  if (f.has('productOverview')) out.productOverview = overview(p);
  if (f.has('productDetails')) out.productDetails = details(p, ctx);
  if (f.has('customerReviewsSummary'))
    out.customerReviewsSummary = { numberOfRatings: p.rating?.count ?? 0, starRating: p.rating?.stars ?? 0 };
  if (f.has('productVariations')) {
    // The family's dimensions, and each child's value along dimension `index` as the position of that value.
    const dims = p.variations?.dimensions ?? [];
    out.productVariations = {
      dimensions: dims.map((d, index) => ({
        index,
        displayString: d.name,
        dimensionValues: d.values.map((displayString, i) => ({ index: i, displayString })),
      })),
      // An import checks that every value is one of its dimension's; a record saved without that
      // check never answers an index that does not exist (-1): such a value is left out.
      variations: (p.variations?.children ?? []).map((c) => ({
        asin: c.asin,
        variationValues: c.values.map((v, index) => ({ index, value: dims[index]?.values.indexOf(v) ?? -1 })).filter((x) => x.value >= 0),
      })),
    };
  }
  if (f.has('upcValues')) out.upcValues = p.identifiers?.upc ?? [];
  if (f.has('eanValues')) out.eanValues = eansOf(p);
  if (f.has('modelNumber')) out.modelNumber = p.identifiers?.modelNumber ?? p.identifiers?.partNumber ?? '';
  if (f.has('manufacturerName')) out.manufacturerName = p.manufacturer ?? p.brand ?? '';
  if (f.has('bundleQuantity')) out.bundleQuantity = p.bundleQuantity ?? 1;
  if (opt.search && f.has('isCustomQuoteEligible')) out.isCustomQuoteEligible = p.customQuoteEligible ?? false;
  if (f.has('badges')) out.badges = p.badges ?? [];
  if (f.bundled === 'value') out.isBundledAsin = p.isBundle ?? false;
  else if (f.bundled === 'null') out.isBundledAsin = null;
  return out;
}

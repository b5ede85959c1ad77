import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import { Value } from '@sinclair/typebox/value';
import { marketplaceByCode } from '../../kernel/reference.ts';
import { normalizeAsin } from './domain/asin.ts';
import { departmentById } from './domain/departments.ts';
import { digitsOnly, isValidEan, isValidIsbn, isValidUpc } from './domain/identifiers.ts';
import type { CatalogRecord, CategoryRecord, MerchantRecord, OfferRecord, ProductInput } from './domain/model.ts';
import { checkVariations, MAX_VARIATION_CHILDREN, MAX_VARIATION_DIMENSIONS, MAX_VARIATION_VALUES } from './domain/variations.ts';
import { holdsString } from '../../kernel/json.ts';

/** TypeBox schemas of the catalog record format (docs/catalog-format.md) and its validation. */

const Str = (max = 500) => Type.String({ minLength: 1, maxLength: max });
const Minor = Type.Integer({ minimum: 0, maximum: 1e12 });
const Lit = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));

const FragmentSchema = Type.Recursive((Self) =>
  Type.Object(
    {
      title: Type.Optional(Type.String({ maxLength: 500 })),
      message: Type.Optional(Type.String({ maxLength: 2000 })),
      link: Type.Optional(Type.Object({ text: Type.Optional(Type.String()), url: Str(2000) }, { additionalProperties: false })),
      type: Lit([
        'SUSTAINABILITY_BADGE', 'SUSTAINABILITY_ATTRIBUTE', 'BUSINESS_INVOICE_BADGE', 'JCT_BADGE', 'PREFERRED', 'RESTRICTED', 'BLOCKED',
        'NONE', 'NEGOTIATED', 'UNKNOWN', 'BESTSELLER_BADGE',
      ] as const),
      fragments: Type.Optional(Type.Array(Self, { maxItems: 20 })),
    },
    { additionalProperties: false },
  ),
);

const ImageDataSchema = Type.Object({ url: Str(2000), width: Type.Integer({ minimum: 1 }), height: Type.Integer({ minimum: 1 }) }, { additionalProperties: false });

export const MerchantRecordSchema = Type.Object(
  {
    type: Type.Literal('merchant'),
    id: Type.String({ pattern: '^[A-Za-z0-9_-]{1,40}$' }),
    name: Str(200),
    meanFeedbackRating: Type.Number({ minimum: 0, maximum: 5 }),
    totalFeedbackCount: Type.Integer({ minimum: 0 }),
    certificates: Type.Optional(Type.Array(Type.Object({ id: Type.String({ pattern: '^[A-Z0-9_]{1,80}$' }), name: Str(200) }, { additionalProperties: false }), { maxItems: 20 })),
  },
  { additionalProperties: false },
);

const CategoryId = Type.String({ pattern: '^[A-Za-z0-9_.:-]{1,80}$' });
const TaxonomiesSchema = Type.Array(Type.Object({ type: Lit(['UNSPSC', 'ECLASS'] as const), code: Str(20), title: Str(200) }, { additionalProperties: false }), { maxItems: 10 });

export const CategoryRecordSchema = Type.Object(
  {
    type: Type.Literal('category'),
    id: CategoryId,
    name: Str(200),
    parentId: Type.Optional(CategoryId),
    department: Type.Optional(Str(80)),
    taxonomies: Type.Optional(TaxonomiesSchema),
  },
  { additionalProperties: false },
);

export const OfferRecordSchema = Type.Object(
  {
    offerId: Str(500),
    region: Type.String({ pattern: '^[A-Z]{2}$' }),
    merchantId: Type.String({ pattern: '^[A-Za-z0-9_-]{1,40}$' }),
    sku: Type.Optional(Str(100)),
    condition: Lit(['NEW', 'USED', 'COLLECTIBLE', 'REFURBISHED', 'OTHER', 'UNKNOWN'] as const),
    subCondition: Type.Optional(Lit(['ACCEPTABLE', 'CLUB', 'GOOD', 'LIKE_NEW', 'NEW', 'OEM', 'OPEN_BOX', 'REFURBISHED', 'UNKNOWN', 'VERY_GOOD'] as const)),
    conditionNote: Type.Optional(Type.String({ maxLength: 1000 })),
    currency: Type.String({ pattern: '^[A-Z]{3}$' }),
    price: Minor,
    listPrice: Type.Optional(Minor),
    businessPrice: Type.Optional(Minor),
    quantityTiers: Type.Optional(Type.Array(Type.Object({ minQuantity: Type.Integer({ minimum: 2 }), price: Minor }, { additionalProperties: false }), { maxItems: 10 })),
    prime: Type.Optional(Type.Boolean()),
    fulfillment: Lit(['AMAZON_FULFILLMENT', 'MERCHANT_FULFILLMENT', 'OTHER'] as const),
    stock: Type.Integer({ minimum: 0 }),
    minQuantity: Type.Optional(Type.Integer({ minimum: 1 })),
    maxQuantity: Type.Optional(Type.Integer({ minimum: 1 })),
    shipping: Type.Object(
      { cost: Minor, freeOver: Type.Optional(Minor), minDays: Type.Integer({ minimum: 0, maximum: 60 }), maxDays: Type.Integer({ minimum: 0, maximum: 60 }) },
      { additionalProperties: false },
    ),
    restrictions: Type.Optional(Type.Array(Type.Object({ type: Str(100), title: Str(500) }, { additionalProperties: false }), { maxItems: 10 })),
  },
  { additionalProperties: false },
);

/** A variation family (domain/variations.ts checks the rest: values known, combinations unique, the product among the children). */
const VariationsSchema = Type.Object(
  {
    dimensions: Type.Array(
      Type.Object({ name: Str(100), values: Type.Array(Str(200), { minItems: 1, maxItems: MAX_VARIATION_VALUES }) }, { additionalProperties: false }),
      { minItems: 1, maxItems: MAX_VARIATION_DIMENSIONS },
    ),
    children: Type.Array(
      Type.Object({ asin: Type.String(), values: Type.Array(Str(200), { maxItems: MAX_VARIATION_DIMENSIONS }) }, { additionalProperties: false }),
      { minItems: 1, maxItems: MAX_VARIATION_CHILDREN },
    ),
  },
  { additionalProperties: false },
);

export const ProductRecordSchema = Type.Object(
  {
    type: Type.Literal('product'),
    asin: Type.String(),
    asinType: Type.Optional(Lit(['STANDARD', 'VARIATION_PARENT', 'VARIATION_CHILD'] as const)),
    variations: Type.Optional(VariationsSchema),
    title: Str(1000),
    brand: Type.Optional(Str(200)),
    manufacturer: Type.Optional(Str(200)),
    department: Type.Optional(Str(80)),
    categories: Type.Optional(Type.Array(Type.Object({ id: CategoryId, name: Str(200) }, { additionalProperties: false }), { maxItems: 10 })),
    categoryId: Type.Optional(CategoryId),
    description: Type.Optional(Type.String({ maxLength: 20000 })),
    features: Type.Optional(Type.Array(Type.String({ maxLength: 5000 }), { maxItems: 30 })),
    images: Type.Optional(
      Type.Array(
        Type.Object(
          {
            url: Type.Optional(Str(2000)),
            altText: Type.Optional(Type.String({ maxLength: 1000 })),
            renditions: Type.Optional(
              Type.Object(
                {
                  original: Type.Optional(ImageDataSchema),
                  large: Type.Optional(ImageDataSchema),
                  medium: Type.Optional(ImageDataSchema),
                  small: Type.Optional(ImageDataSchema),
                  thumbnail: Type.Optional(ImageDataSchema),
                },
                { additionalProperties: false },
              ),
            ),
          },
          { additionalProperties: false },
        ),
        { maxItems: 20 },
      ),
    ),
    identifiers: Type.Optional(
      Type.Object(
        {
          upc: Type.Optional(Type.Array(Type.String(), { maxItems: 10 })),
          ean: Type.Optional(Type.Array(Type.String(), { maxItems: 10 })),
          isbn: Type.Optional(Type.Array(Type.String(), { maxItems: 10 })),
          partNumber: Type.Optional(Str(100)),
          oemPartNumber: Type.Optional(Str(100)),
          modelNumber: Type.Optional(Str(100)),
        },
        { additionalProperties: false },
      ),
    ),
    attributes: Type.Optional(Type.Record(Type.String({ maxLength: 100 }), Type.String({ maxLength: 1000 }))),
    taxonomies: Type.Optional(TaxonomiesSchema),
    rating: Type.Optional(Type.Object({ stars: Type.Number({ minimum: 0, maximum: 5 }), count: Type.Integer({ minimum: 0 }) }, { additionalProperties: false })),
    popularity: Type.Optional(Type.Integer({ minimum: 0 })),
    releaseDate: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })),
    packageType: Type.Optional(Str(100)),
    bundleQuantity: Type.Optional(Type.Integer({ minimum: 1 })),
    isBundle: Type.Optional(Type.Boolean()),
    customQuoteEligible: Type.Optional(Type.Boolean()),
    badges: Type.Optional(Type.Array(Type.Object({ name: Str(200), fragment: Type.Optional(FragmentSchema) }, { additionalProperties: false }), { maxItems: 10 })),
    legalInformation: Type.Optional(Type.Array(FragmentSchema, { maxItems: 10 })),
    source: Type.Optional(Str(200)),
    offers: Type.Array(OfferRecordSchema, { maxItems: 100 }),
  },
  { additionalProperties: false },
);

// The schemas must describe exactly the domain records.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameProduct: Same<Static<typeof ProductRecordSchema>, ProductInput> = true;
const sameMerchant: Same<Static<typeof MerchantRecordSchema>, MerchantRecord> = true;
const sameCategory: Same<Static<typeof CategoryRecordSchema>, CategoryRecord> = true;
void sameProduct;
void sameMerchant;
void sameCategory;

const compiled = new WeakMap<TSchema, TypeCheck<TSchema>>();

/** The first schema error of a value. Valid records (nearly all) pass a compiled check; only a failing one is walked for its message. */
function firstError(schema: TSchema, value: unknown): string | null {
  let check = compiled.get(schema);
  if (!check) {
    check = TypeCompiler.Compile(schema);
    compiled.set(schema, check);
  }
  if (check.Check(value)) return null;
  const e = Value.Errors(schema, value).First();
  return e ? `${e.path || '/'}: ${e.message}` : null;
}

/** The canonical (URL-encoded) form of an offer id, so `a/b=` and `a%2Fb%3D` name the same offer. */
export function canonicalOfferId(id: string): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(id);
  } catch {
    decoded = id;
  }
  return encodeURIComponent(decoded);
}

export type Validated<T> = { ok: true; value: T } | { ok: false; reason: string };

/** Checks one offer beyond its schema; returns it normalized. */
export function validateOffer(raw: unknown): Validated<OfferRecord> {
  const schemaError = firstError(OfferRecordSchema, raw);
  if (schemaError) return { ok: false, reason: `offer ${schemaError}` };
  const offer = structuredClone(raw as OfferRecord);
  const market = marketplaceByCode(offer.region);
  if (!market) return { ok: false, reason: `offer ${offer.offerId}: unknown region ${offer.region}` };
  if (offer.currency !== market.currency) return { ok: false, reason: `offer ${offer.offerId}: currency ${offer.currency} is not ${market.currency}, the currency of ${offer.region}` };
  if ((offer.minQuantity ?? 1) > (offer.maxQuantity ?? Infinity)) return { ok: false, reason: `offer ${offer.offerId}: minQuantity exceeds maxQuantity` };
  if (offer.shipping.maxDays < offer.shipping.minDays) return { ok: false, reason: `offer ${offer.offerId}: shipping.maxDays is less than minDays` };
  const tiers = offer.quantityTiers ?? [];
  if (new Set(tiers.map((t) => t.minQuantity)).size !== tiers.length) return { ok: false, reason: `offer ${offer.offerId}: two quantity tiers start at the same quantity` };
  offer.quantityTiers = tiers.length ? [...tiers].sort((a, b) => a.minQuantity - b.minQuantity) : undefined;
  if (offer.quantityTiers === undefined) delete offer.quantityTiers;
  offer.offerId = canonicalOfferId(offer.offerId);
  return { ok: true, value: offer };
}

function normalizeCodes(values: string[] | undefined, check: (v: string) => boolean, label: string): Validated<string[] | undefined> {
  if (values === undefined) return { ok: true, value: undefined };
  const out: string[] = [];
  for (const v of values) {
    const d = digitsOnly(v);
    if (!check(d)) return { ok: false, reason: `identifiers.${label}: ${v} is not a valid ${label.toUpperCase()}` };
    if (!out.includes(d)) out.push(d);
  }
  return { ok: true, value: out };
}

/** Checks a product's own fields (offers are checked one by one with validateOffer). */
export function validateProductFields(raw: unknown): Validated<ProductInput> {
  const withoutOffers = raw && typeof raw === 'object' ? { ...(raw as Record<string, unknown>), offers: [] } : raw;
  const schemaError = firstError(ProductRecordSchema, withoutOffers);
  if (schemaError) return { ok: false, reason: schemaError };
  const p = structuredClone(withoutOffers as ProductInput);
  const asin = normalizeAsin(p.asin);
  if (!asin) return { ok: false, reason: `asin ${JSON.stringify(p.asin)} is not 10 letters and digits` };
  p.asin = asin;
  if (p.categories && p.categoryId) return { ok: false, reason: 'give either categories or categoryId, not both' };
  if (p.department !== undefined) {
    const dept = departmentById(p.department);
    if (!dept) return { ok: false, reason: `unknown department ${p.department}` };
    p.department = dept.id;
  }
  if (p.images?.some((i) => !i.url && !i.renditions)) return { ok: false, reason: 'images: each image needs a url or renditions' };
  if (p.variations) {
    const problem = checkVariations(p.asin, p.asinType, p.variations);
    if (problem) return { ok: false, reason: problem };
    p.asinType ??= 'VARIATION_CHILD';
  }
  if (p.identifiers) {
    for (const [label, check] of [['upc', isValidUpc], ['ean', isValidEan], ['isbn', isValidIsbn]] as const) {
      const r = normalizeCodes(p.identifiers[label], check, label);
      if (!r.ok) return r;
      if (r.value) p.identifiers[label] = r.value;
    }
  }
  return { ok: true, value: p };
}

/** Validates a whole record (merchant, or product with offers); any bad offer rejects the product. */
/** Whether a parsed record holds a NUL character in any key or string (PostgreSQL refuses one in text). */
const holdsNul = (value: unknown): boolean => holdsString(value, (text) => text.includes('\u0000'), 32);

export function validateRecord(raw: unknown): Validated<CatalogRecord> {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return { ok: false, reason: 'a record must be a JSON object' };
  // Rejected here like any other bad record, not by the database with its batch (PostgreSQL).
  if (holdsNul(raw)) return { ok: false, reason: 'a record may hold no NUL character (U+0000)' };
  const type = (raw as { type?: unknown }).type;
  if (type === 'merchant') {
    const err = firstError(MerchantRecordSchema, raw);
    return err ? { ok: false, reason: err } : { ok: true, value: structuredClone(raw as MerchantRecord) };
  }
  if (type === 'category') {
    const err = firstError(CategoryRecordSchema, raw);
    if (err) return { ok: false, reason: err };
    const c = structuredClone(raw as CategoryRecord);
    if (c.department !== undefined) {
      const dept = departmentById(c.department);
      if (!dept) return { ok: false, reason: `unknown department ${c.department}` };
      c.department = dept.id;
    }
    if (c.parentId === c.id) return { ok: false, reason: 'a category cannot be its own parent' };
    return { ok: true, value: c };
  }
  if (type !== 'product') return { ok: false, reason: '/type: must be "product", "category" or "merchant"' };
  const product = validateProductFields(raw);
  if (!product.ok) return product;
  const offersRaw = (raw as { offers?: unknown }).offers;
  if (!Array.isArray(offersRaw)) return { ok: false, reason: '/offers: must be an array' };
  const seen = new Set<string>();
  for (const o of offersRaw) {
    const offer = validateOffer(o);
    if (!offer.ok) return offer;
    if (seen.has(offer.value.offerId)) return { ok: false, reason: `offer ${offer.value.offerId} appears twice` };
    seen.add(offer.value.offerId);
    product.value.offers.push(offer.value);
  }
  return product;
}

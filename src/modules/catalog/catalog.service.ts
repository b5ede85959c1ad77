import type { Kysely } from 'kysely';
import type { Database } from '../../database.ts';
import type { Clock } from '../../kernel/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import * as repo from './catalog.repository.ts';
import type { StoredProduct } from './catalog.repository.ts';
import { CatalogCache, touchCatalogVersion } from './catalog.cache.ts';
import { canonicalOfferId } from './catalog.record.ts';
import { normalizeAsin } from './domain/asin.ts';
import { maxMinDaysArrivingWithin } from './domain/delivery.ts';
import { listingsOf } from './domain/listing.ts';
import type { CatalogRecord, CategoryRecord, Merchant, MerchantRecord, ProductInput, ProductRecord } from './domain/model.ts';
import { resolveProduct } from './domain/resolve.ts';
import { emptyOfferFilters, matchesOfferFilters, offerFilterGroups, type FilterGroup, type OfferFilterSet } from './domain/offer-filters.ts';
import { MAX_PAGES, pageWindow, type PageRequest } from './domain/pagination.ts';
import { majorToMinor } from './domain/money.ts';
import { marketFacts } from './domain/markets.ts';
import { tokenize, type SortKey } from './domain/query.ts';
import {
  refinementLists,
  searchRefinementGroups,
  type AvailabilityId,
  type DeliveryDayId,
  type RefinementLists,
  type RefinementSelection,
  type SearchRefinementGroup,
} from './domain/refinements.ts';
import { signProductId, verifySignedProductId, type SignedProductContext } from './domain/signing.ts';
import { guidanceFor, viewOffer, viewProduct, type OfferView, type ProductView, type Shopper } from './domain/views.ts';
import { searchStrategyFor, type SearchCriteria, type SearchStrategy } from './search/index.ts';
import { expandQuery } from './search/expand.ts';
import { SHIPPED_SYNONYMS_DIR, SynonymError, SynonymLibrary } from './search/synonyms.ts';
import { Vocabulary } from './search/vocabulary.ts';

/** A product search as the API asks it (validated); prices in whole marketplace currency units. */
export interface ProductSearchQuery {
  keywords?: string;
  department?: string;
  subCategory?: string;
  availability?: AvailabilityId;
  deliveryDay?: DeliveryDayId;
  freeShippingOnly: boolean;
  primeOnly: boolean;
  identifiers: SearchCriteria['identifiers'];
  sku?: string;
  refinements: RefinementSelection;
  productFilters: { customQuote?: boolean; bundleQuantity?: number };
  sort: SortKey;
  minPrice?: number;
  maxPrice?: number;
  page: PageRequest;
}

/** A search with nothing asked but what `patch` sets: no filters, RELEVANCE, the first page of 24. */
export function productSearchQuery(patch: Partial<ProductSearchQuery> = {}): ProductSearchQuery {
  return {
    freeShippingOnly: false,
    primeOnly: false,
    identifiers: [],
    refinements: { departments: [], brands: [], conditions: [], certificates: [] },
    productFilters: {},
    sort: 'RELEVANCE',
    page: { pageNumber: 0, pageSize: 24 },
    ...patch,
  };
}

export type SearchOutcome =
  | {
      kind: 'ok';
      matchingProductCount: number;
      numberOfPages: number;
      products: ProductView[];
      refinements: RefinementLists;
      searchRefinements: SearchRefinementGroup[];
      /**
       * True when the products with every keyword did not fill the first page and products with
       * some of them were added after them (or, with forgiving matching off, when no product had
       * every keyword and any keyword was enough).
       */
      relaxed: boolean;
    }
  | { kind: 'page-not-found'; numberOfPages: number };

export type OffersOutcome =
  | { kind: 'ok'; offerCount: number; numberOfPages: number; featured: OfferView | null; offers: OfferView[]; filterGroups: FilterGroup[] }
  | { kind: 'product-not-found' }
  | { kind: 'page-not-found'; numberOfPages: number };

/** Records written together. */
export interface CatalogBatch {
  merchants?: readonly MerchantRecord[];
  categories?: readonly CategoryRecord[];
  products?: readonly ProductInput[];
}

export interface BatchResult {
  written: ProductRecord[];
  /** Products that could not be resolved against the category tree. */
  rejected: { asin: string; reason: string }[];
}

export interface CatalogServiceOptions {
  db: Db;
  clock: Clock;
  /** Defaults to the strategy for the database's dialect. */
  search?: SearchStrategy;
  /** Key of the signedProductId HMAC. */
  signingKey?: string;
  /**
   * Forgiving keyword matching (default on): typo corrections, split and joined words and
   * synonyms, and relaxation that fills a short first page (docs/product-search.md). Off: the
   * words must match as typed, and any word is enough only when no product has them all.
   */
  forgivingSearch?: boolean;
  /** The folder of the synonyms files (default catalog/synonyms of the package); null: none. */
  synonymsDir?: string | null;
}

export const DEFAULT_SIGNING_KEY = 'bizapi-catalog-product-signature';

/** Products read per query while building a marketplace's search vocabulary. */
const VOCABULARY_PAGE = 5_000;

/** The catalog: writes products and merchants, and answers product and offer lookups and searches. */
export class CatalogService {
  readonly db: Db;
  readonly clock: Clock;
  readonly search: SearchStrategy;
  private readonly signingKey: string;
  private readonly cache: CatalogCache;
  private readonly signatures = new Map<string, string>();
  readonly forgivingSearch: boolean;
  /** Synonyms per locale, read at start, by every import, and when the catalog changed. */
  readonly synonyms: SynonymLibrary;
  /** The vocabulary of each marketplace, under the catalog change marker it was built for. */
  private vocabularies = new Map<string, Promise<Vocabulary>>();
  private vocabularyVersion: string | null | undefined = undefined;

  constructor(options: CatalogServiceOptions) {
    this.db = options.db;
    this.cache = new CatalogCache(options.db.kysely);
    this.clock = options.clock;
    this.search = options.search ?? searchStrategyFor(options.db);
    this.signingKey = options.signingKey ?? DEFAULT_SIGNING_KEY;
    this.forgivingSearch = options.forgivingSearch ?? true;
    this.synonyms = new SynonymLibrary(options.synonymsDir === undefined ? SHIPPED_SYNONYMS_DIR : options.synonymsDir);
  }

  /**
   * The vocabulary of a marketplace's products (search/vocabulary.ts), built on the first search
   * after the catalog changed (any write, by any process, replaces the change marker) and kept
   * until the next change.
   */
  async vocabulary(region: string): Promise<Vocabulary> {
    const version = await this.cache.check();
    if (version !== this.vocabularyVersion) {
      this.vocabularies = new Map();
      // The catalog changed, perhaps by an import in another process (the CLI), which read the
      // synonyms files again: so does this one. A file broken since is the next import's or
      // start's error; until then the rules read last stay.
      if (this.vocabularyVersion !== undefined) {
        try {
          this.synonyms.reload();
        } catch (e) {
          if (!(e instanceof SynonymError)) throw e;
        }
      }
      this.vocabularyVersion = version;
    }
    let built = this.vocabularies.get(region);
    if (!built) {
      built = (async () => {
        // A page of products at a time: only the words are kept, never every text at once.
        const v = new Vocabulary();
        for (let after = -1; ; ) {
          const page = await repo.vocabularySources(this.db.kysely, region, after, VOCABULARY_PAGE);
          for (const p of page) v.add(p);
          if (page.length < VOCABULARY_PAGE) return v;
          after = page[page.length - 1]!.docId;
        }
      })();
      // A failed build is not kept: the next search tries again.
      built.catch(() => this.vocabularies.get(region) === built && this.vocabularies.delete(region));
      this.vocabularies.set(region, built);
    }
    return built;
  }

  // ---- writes ---------------------------------------------------------------------------------

  /**
   * Writes merchants, categories and whole products in the caller's transaction. Products are
   * resolved against the category tree first (category records of the batch included); those
   * that cannot be are returned as rejected and nothing of them is written. Offers must name
   * known merchants. Listings of products whose merchants changed rating are recomputed.
   */
  async writeBatch(trx: Kysely<Database>, batch: CatalogBatch): Promise<BatchResult> {
    // Readers in every process drop their cached catalog reads when this marker changes.
    await touchCatalogVersion(trx);
    const now = this.clock.now();
    const merchants = batch.merchants ?? [];
    if (merchants.length) {
      const before = await repo.findMerchants(trx, merchants.map((m) => m.id));
      await repo.upsertMerchants(trx, merchants, now);
      const latest = new Map(merchants.map((m) => [m.id, m]));
      const changed = [...latest.values()].filter((m) => before.has(m.id) && before.get(m.id)?.meanFeedbackRating !== m.meanFeedbackRating);
      if (changed.length) await this.refreshListingsOfMerchants(trx, changed.map((m) => m.id), now);
    }
    if (batch.categories?.length) await repo.upsertCategories(trx, batch.categories, now);
    const inputs = batch.products ?? [];
    if (inputs.length === 0) return { written: [], rejected: [] };
    const tree = await repo.findCategoryTree(trx, inputs.flatMap((p) => [...(p.categoryId ? [p.categoryId] : []), ...(p.categories ?? []).map((c) => c.id)]));
    const written: ProductRecord[] = [];
    const rejected: BatchResult['rejected'] = [];
    for (const input of inputs) {
      const r = resolveProduct(input, tree);
      if (r.ok) written.push(r.value);
      else rejected.push({ asin: input.asin, reason: r.reason });
    }
    const known = await repo.findMerchants(trx, written.flatMap((p) => p.offers.map((o) => o.merchantId)));
    await repo.writeProducts(
      trx,
      written.map((product) => ({ product, listings: listingsOf(product, known) })),
      now,
    );
    return { written, rejected };
  }

  /** Recomputes the listings of every product with an offer of these merchants (their rating changed). */
  private async refreshListingsOfMerchants(trx: Kysely<Database>, merchantIds: readonly string[], now: number): Promise<void> {
    const asins = new Set<string>();
    for (const id of merchantIds) for (const asin of await repo.asinsWithMerchant(trx, id)) asins.add(asin);
    const all = [...asins].sort();
    for (let i = 0; i < all.length; i += 1000) {
      const products = [...(await repo.findProducts(trx, all.slice(i, i + 1000))).values()];
      const merchants = await repo.findMerchants(trx, products.flatMap((p) => p.record.offers.map((o) => o.merchantId)));
      await repo.replaceListings(trx, products.map((p) => ({ asin: p.record.asin, listings: listingsOf(p.record, merchants) })), now);
    }
  }

  /** Writes records in one transaction (small imports, tests); large files go through the importer. */
  async save(records: readonly CatalogRecord[]): Promise<BatchResult> {
    return this.db.transaction((trx) =>
      this.writeBatch(trx, {
        merchants: records.filter((r): r is MerchantRecord => r.type === 'merchant'),
        categories: records.filter((r): r is CategoryRecord => r.type === 'category'),
        products: records.filter((r): r is ProductInput => r.type === 'product'),
      }),
    );
  }

  // ---- reads ----------------------------------------------------------------------------------

  counts(): Promise<repo.CatalogCounts> {
    return repo.countCatalog(this.db.kysely);
  }

  /** ASINs with an offer in a marketplace, in ASIN order (a stable pick of products, e.g. for a generated order history). */
  asinsInRegion(region: string, limit: number): Promise<string[]> {
    return repo.asinsInRegion(this.db.kysely, region, limit);
  }

  merchants(ids?: readonly string[]): Promise<Map<string, Merchant>> {
    return repo.findMerchants(this.db.kysely, ids);
  }

  /** Products visible in the shopper's marketplace, evaluated for the shopper; unknown ASINs are absent. */
  /** Runs `fn` reading the catalog as it is now, with one version check instead of one per read (bulk work only). */
  pinned<T>(fn: () => Promise<T>): Promise<T> {
    return this.cache.pinned(fn);
  }

  /** The catalog's version: it moves with every change to the catalog, made by any process (one small query). */
  version(): Promise<string | null> {
    return this.cache.check();
  }

  async getProducts(asins: readonly string[], shopper: Shopper): Promise<Map<string, ProductView>> {
    const valid = asins.map((a) => normalizeAsin(a)).filter((a): a is string => a !== null);
    const { products: stored, merchants } = await this.stored(valid, shopper.region);
    const now = shopper.at ?? this.clock.now();
    const out = new Map<string, ProductView>();
    for (const [asin, s] of stored) out.set(asin, viewProduct(s.record, merchants, shopper, now));
    return out;
  }

  /** Stored products of a marketplace as imported, with the merchants of their offers (reports read brands, categories and sellers); unknown ASINs are absent. */
  async productRecords(asins: readonly string[], region: string): Promise<{ products: Map<string, ProductRecord>; merchants: Map<string, Merchant> }> {
    const valid = asins.map((a) => normalizeAsin(a)).filter((a): a is string => a !== null);
    const { products, merchants } = await this.stored(valid, region);
    return { products: new Map([...products].map(([asin, p]) => [asin, p.record])), merchants };
  }

  /** Stored products of a marketplace and the merchants of their offers, through the read cache. */
  private async stored(asins: readonly string[], region: string): Promise<{ products: Map<string, StoredProduct>; merchants: Map<string, Merchant> }> {
    const seen = await this.cache.check();
    const products = await this.cache.productsOf(region, [...new Set(asins)], seen, (missing) => repo.findProducts(this.db.kysely, missing, region));
    const merchantIds = [...new Set([...products.values()].flatMap((p) => p.record.offers.map((o) => o.merchantId)))];
    const merchants = await this.cache.merchantsOf(merchantIds, seen, (missing) => repo.findMerchants(this.db.kysely, missing));
    return { products, merchants };
  }

  /** A product's offers, filtered and paged, with the (unfiltered) featured offer. */
  async getOffers(asin: string, shopper: Shopper, filters: OfferFilterSet = emptyOfferFilters(), page: PageRequest): Promise<OffersOutcome> {
    const view = (await this.getProducts([asin], shopper)).get(normalizeAsin(asin) ?? '');
    if (!view) return { kind: 'product-not-found' };
    const matching = view.offers.filter((o) => matchesOfferFilters(o, filters, shopper.quantity));
    const window = pageWindow(matching.length, page);
    if (!window) return { kind: 'page-not-found', numberOfPages: Math.min(MAX_PAGES, Math.ceil(matching.length / page.pageSize)) };
    return {
      kind: 'ok',
      offerCount: matching.length,
      numberOfPages: window.numberOfPages,
      featured: view.featured,
      offers: matching.slice(window.offset, window.offset + window.limit),
      filterGroups: offerFilterGroups(view.offers, shopper.quantity),
    };
  }

  /** Offers by id in the shopper's marketplace, each with its product; unknown ids are absent. */
  async getOffersByIds(offerIds: readonly string[], shopper: Shopper): Promise<Map<string, { view: OfferView; product: ProductRecord }>> {
    const canonical = new Map(offerIds.map((id) => [id, canonicalOfferId(id)]));
    const found = await repo.findOffers(this.db.kysely, [...canonical.values()], shopper.region);
    const { products, merchants } = await this.stored([...found.values()].map((f) => f.asin), shopper.region);
    const now = shopper.at ?? this.clock.now();
    const out = new Map<string, { view: OfferView; product: ProductRecord }>();
    for (const [asked, id] of canonical) {
      const hit = found.get(id);
      const product = hit ? products.get(hit.asin)?.record : undefined;
      if (!hit || !product) continue;
      const featuredId = viewProduct(product, merchants, { ...shopper, quantity: 1 }, now).featured?.offer.offerId;
      out.set(asked, { view: viewOffer(hit.offer, merchants.get(hit.offer.merchantId), shopper, now, guidanceFor(product, shopper), featuredId === id), product });
    }
    return out;
  }

  /** A keyword, identifier or browse search with refinements, sorted and paged. */
  async searchProducts(q: ProductSearchQuery, shopper: Shopper): Promise<SearchOutcome> {
    const facts = marketFacts(shopper.region);
    if (!facts) throw new Error(`unknown marketplace ${shopper.region}`);
    const currency = facts.marketplace.currency;
    const now = this.clock.now();
    const todayMaxDays = maxMinDaysArrivingWithin(now, shopper.destination, 0);
    const tomorrowMaxDays = maxMinDaysArrivingWithin(now, shopper.destination, 1);
    const tokens = q.keywords ? tokenize(q.keywords) : [];
    let text: SearchCriteria['text'] = tokens.length ? { tokens, mode: 'all' } : null;
    if (text && this.forgivingSearch) {
      const expanded = expandQuery(tokens, await this.vocabulary(shopper.region), this.synonyms.forLocale(shopper.locale));
      text = { tokens, mode: 'all', clauses: expanded.clauses, preferTyped: expanded.corrected };
    }
    const criteria: SearchCriteria = {
      region: shopper.region,
      text,
      department: q.department,
      departments: q.refinements.departments,
      subCategory: q.subCategory,
      brands: q.refinements.brands,
      minRating: q.refinements.minRating,
      conditions: q.refinements.conditions,
      certificates: q.refinements.certificates,
      inStockOnly: q.availability === 'InStockOnly',
      primeOnly: q.primeOnly,
      freeShippingOnly: q.freeShippingOnly,
      maxShipMinDays: q.deliveryDay === 'GetItToday' ? todayMaxDays : q.deliveryDay === 'GetItTomorrow' ? tomorrowMaxDays : undefined,
      minPriceMinor: q.minPrice === undefined ? undefined : majorToMinor(q.minPrice, currency),
      maxPriceMinor: q.maxPrice === undefined ? undefined : majorToMinor(q.maxPrice, currency),
      identifiers: q.identifiers,
      sku: q.sku,
      customQuote: q.productFilters.customQuote,
      bundleQuantity: q.productFilters.bundleQuantity,
    };
    // One statement gives the count of the matches, the page (none past MAX_PAGES) and the
    // refinement counts (over a bounded sample of the matches).
    const request = {
      sort: q.sort,
      offset: q.page.pageNumber * q.page.pageSize,
      limit: q.page.pageNumber < MAX_PAGES ? q.page.pageSize : 0,
      subCategoriesOf: q.subCategory ?? (q.department ? ('roots' as const) : null),
      todayMaxDays,
      tomorrowMaxDays,
    };
    let found = await this.search.search(criteria, request);
    let relaxed = false;
    if (this.forgivingSearch && criteria.text?.clauses) {
      // Products with some of the words fill a first page the products with all of them leave
      // short; those with all of them still come first (tiered), on every page.
      if (criteria.text.clauses.length > 1 && found.total < q.page.pageSize) {
        const strict = found;
        criteria.text = { ...criteria.text, mode: 'any', tiered: true };
        found = await this.search.search(criteria, request);
        relaxed = found.total > strict.total;
        if (!relaxed) found = strict;
      }
    } else if (found.total === 0 && criteria.text && criteria.text.tokens.length > 1) {
      criteria.text = { tokens: criteria.text.tokens, mode: 'any' };
      found = await this.search.search(criteria, request);
      relaxed = true;
    }
    const { total, counts } = found;
    const window = pageWindow(total, q.page);
    if (!window) return { kind: 'page-not-found', numberOfPages: Math.min(MAX_PAGES, Math.ceil(total / q.page.pageSize)) };
    const asins = found.asins.slice(0, window.limit);
    const [views, categoryNames, certificateNames] = await Promise.all([
      this.getProducts(asins, shopper),
      repo.findCategoryNames(this.db.kysely, counts.subCategories.map((s) => s.key)),
      repo.findCertificateNames(this.db.kysely, counts.certificates.map((c) => c.key)),
    ]);
    return {
      kind: 'ok',
      matchingProductCount: total,
      numberOfPages: window.numberOfPages,
      products: asins.map((a) => views.get(a)).filter((v): v is ProductView => v !== undefined),
      refinements: refinementLists(counts, categoryNames),
      searchRefinements: searchRefinementGroups(counts, certificateNames),
      relaxed,
    };
  }

  /** `amzn1.business.asin.…` for a product returned to a request. */
  signProductId(ctx: SignedProductContext): string {
    // Deterministic, and an HMAC per product of every answer adds up: remember recent ones.
    const key = `${ctx.asin}|${ctx.region}|${ctx.locale}|${ctx.businessId ?? ''}`;
    let signed = this.signatures.get(key);
    if (signed === undefined) {
      signed = signProductId(this.signingKey, ctx);
      if (this.signatures.size >= 10_000) this.signatures.clear();
      this.signatures.set(key, signed);
    }
    return signed;
  }

  /** The request context a signedProductId was issued for, or null when it is not genuine. */
  verifySignedProductId(signed: string): SignedProductContext | null {
    return verifySignedProductId(this.signingKey, signed);
  }
}

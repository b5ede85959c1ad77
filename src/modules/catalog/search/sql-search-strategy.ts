import { sql, type RawBuilder } from 'kysely';
import type { Db, DialectName } from '../../../platform/db/database.ts';
import type { SortKey, TextQuery } from '../domain/query.ts';
import { REFINEMENT_SAMPLE_SIZE } from '../domain/refinements.ts';
import { CONDITION_BITS, conditionMask } from '../domain/search-columns.ts';
import { MATCH_COUNT_CAP, noRefinementCounts, type Count, type SearchCriteria, type SearchRequest, type SearchResult, type SearchStrategy } from './search-strategy.ts';

/**
 * The products matching some words: the FROM items (a listing of the region joined as `l` to
 * each full-text match), the match condition, and the relevance of a match (higher is better).
 */
export interface TextSource {
  from: RawBuilder<unknown>;
  match: RawBuilder<unknown>;
  score: RawBuilder<unknown>;
}

/** Added to the relevance of products matching every clause of a relaxed ('any', tiered) query. */
export const ALL_CLAUSES_BONUS = 1e8;
/** Added to the relevance of products matching every word as typed when some word was corrected. */
export const AS_TYPED_BONUS = 1e6;

/** The listing columns a search reads: the listing's own and the copies of its product's. */
export const LISTING_COLUMNS = [
  'asin', 'region', 'doc_id', 'popularity', 'popularity_boost', 'release_date', 'star_rating', 'rating_count', 'price_minor',
  'department', 'brand_key', 'brand', 'in_stock', 'prime', 'free_shipping', 'ship_min_days', 'custom_quote', 'bundle_quantity', 'conditions',
] as const;

type Column = (typeof LISTING_COLUMNS)[number];

/** Columns the refinement counts read. */
const COUNTED: readonly Column[] = ['asin', 'department', 'brand_key', 'brand', 'star_rating', 'in_stock', 'prime', 'free_shipping', 'ship_min_days', 'conditions'];

/** Columns each sort orders by, besides relevance and the ASIN. */
const SORTED: Record<SortKey, readonly Column[]> = {
  RELEVANCE: ['popularity'],
  FEATURED: ['popularity', 'popularity_boost'],
  POPULARITY: ['popularity'],
  NEWEST_ARRIVALS: ['release_date'],
  TOP_RATED: ['star_rating', 'rating_count'],
  PRICE_LOW_TO_HIGH: ['price_minor'],
  PRICE_HIGH_TO_LOW: ['price_minor'],
};

type Row = { kind: string; k: string | null; label: string | null; n: number | string };

/**
 * The search query both dialects share: one statement per search. Everything a search filters,
 * sorts and counts on is a column of the listing (the product's are copied there), so a match
 * costs one narrow index read, and no product, offer or category row is read per match; a
 * subclass supplies the text match.
 *
 * - With keywords, the matches are materialized once (the listing columns needed, and the
 *   relevance computed once); the count and the sorted page read them, and the sample counted
 *   for refinements is their first ones in doc_id order (see textSample).
 * - Without keywords, the page reads a listing index in the sort order when it can (a
 *   department, or everything, by popularity: the default; a department by price), the count is
 *   an index range count that stops one past MATCH_COUNT_CAP, and the sample is the first matches
 *   in that index.
 * - Refinements are counted over the first REFINEMENT_SAMPLE_SIZE matches: all the one-value
 *   counts in one scan; seller credentials through an index of the offers.
 */
export abstract class SqlSearchStrategy implements SearchStrategy {
  abstract readonly dialect: DialectName;

  /** Matches counted exactly at most (MATCH_COUNT_CAP; smaller in tests). */
  protected readonly countCap: number;

  constructor(
    protected readonly db: Db,
    options: { countCap?: number } = {},
  ) {
    this.countCap = options.countCap ?? MATCH_COUNT_CAP;
  }

  protected abstract textSource(query: TextQuery, region: string): TextSource;

  /**
   * How the refinement sample (the first matches in doc_id order) is taken with keywords:
   * 'reread' reads the counted columns of the first matches again from the listing index (the
   * text source yields matches in doc_id order: FTS5); 'materialized' keeps the counted columns of
   * every match and sorts them by doc_id (where a probe costs more than carrying the columns).
   */
  protected abstract readonly textSample: 'reread' | 'materialized';

  /**
   * `EXISTS (sub)`, evaluated per row as an index probe. (PostgreSQL would otherwise turn it into a
   * semi-join, hashing every row of the subquery's table, whatever few rows it is asked for.)
   */
  protected abstract existsPerRow(sub: RawBuilder<unknown>): RawBuilder<unknown>;

  /**
   * FROM items joining each row of the sample `s` to the rows of `table` (as `alias`, with
   * `columns`) that satisfy `on`, probing an index per sample row, and the condition to add
   * to the WHERE clause.
   */
  protected abstract perSampleRow(table: string, alias: string, columns: readonly string[], on: RawBuilder<unknown>): { from: RawBuilder<unknown>; where: RawBuilder<unknown> };

  /** Conditions on the listing `l`; `driving` when the listings are not reached through a text match. */
  private filters(c: SearchCriteria, driving: boolean): RawBuilder<unknown> {
    const w: RawBuilder<unknown>[] = [sql`l.region = ${c.region}`];
    const list = (values: readonly (string | number)[]) => sql.join(values.map((v) => sql`${v}`));
    // A subquery that names a few products drives the search when there are no words (IN), and is
    // probed per match otherwise (EXISTS).
    const among = (asins: RawBuilder<unknown>, probe: RawBuilder<unknown>) => (driving ? sql`l.asin in (${asins})` : this.existsPerRow(probe));
    if (c.department) w.push(sql`l.department = ${c.department}`);
    if (c.departments.length) w.push(sql`l.department in (${list(c.departments)})`);
    if (c.subCategory) {
      w.push(among(
        sql`select pc.asin from catalog_product_categories pc where pc.category_id = ${c.subCategory}`,
        sql`select 1 from catalog_product_categories pc where pc.asin = l.asin and pc.category_id = ${c.subCategory}`,
      ));
    }
    if (c.brands.length) w.push(sql`l.brand_key in (${list(c.brands)})`);
    if (c.minRating !== undefined) w.push(sql`l.star_rating >= ${c.minRating}`);
    if (c.conditions.length) w.push(sql`(l.conditions & ${conditionMask(c.conditions)}) <> 0`);
    if (c.certificates.length) {
      // The merchants holding one of the certificates are few, and found once (not per offer).
      w.push(this.existsPerRow(sql`select 1 from catalog_offers o where o.asin = l.asin and o.region = ${c.region}
        and o.merchant_id in (select mc.merchant_id from catalog_merchant_certificates mc where mc.certificate_id in (${list(c.certificates)}))`));
    }
    if (c.inStockOnly) w.push(sql`l.in_stock = 1`);
    if (c.primeOnly) w.push(sql`l.prime = 1`);
    if (c.freeShippingOnly) w.push(sql`l.free_shipping = 1`);
    if (c.maxShipMinDays !== undefined) w.push(sql`l.ship_min_days <= ${c.maxShipMinDays}`);
    if (c.minPriceMinor !== undefined) w.push(sql`l.price_minor >= ${c.minPriceMinor}`);
    if (c.maxPriceMinor !== undefined) w.push(sql`l.price_minor <= ${c.maxPriceMinor}`);
    for (const id of c.identifiers) {
      w.push(among(
        sql`select i.asin from catalog_identifiers i where i.kind = ${id.kind} and i.value = ${id.value}`,
        sql`select 1 from catalog_identifiers i where i.asin = l.asin and i.kind = ${id.kind} and i.value = ${id.value}`,
      ));
    }
    if (c.sku) {
      w.push(among(
        sql`select o.asin from catalog_offers o where o.sku = ${c.sku} and o.region = ${c.region}`,
        sql`select 1 from catalog_offers o where o.asin = l.asin and o.region = ${c.region} and o.sku = ${c.sku}`,
      ));
    }
    if (c.customQuote !== undefined) w.push(sql`l.custom_quote = ${c.customQuote ? 1 : 0}`);
    if (c.bundleQuantity !== undefined) w.push(sql`l.bundle_quantity = ${c.bundleQuantity}`);
    return sql.join(w, sql` and `);
  }

  /** The sort order over columns named by `col`, relevance `score` when there are words, then the ASIN. */
  private order(sort: SortKey, score: RawBuilder<unknown> | null, col: (name: Column) => RawBuilder<unknown>): RawBuilder<unknown> {
    const then = score ? sql`, ${score} desc` : sql``;
    const order: Record<SortKey, RawBuilder<unknown>> = {
      // With words, equal relevance goes to the product whose featured offer is in stock.
      RELEVANCE: score ? sql`${score} desc, ${col('in_stock')} desc, ${col('popularity')} desc` : sql`${col('popularity')} desc`,
      FEATURED: score ? sql`${score} * (1 + ${col('popularity_boost')}) desc, ${col('in_stock')} desc, ${col('popularity')} desc` : sql`${col('popularity')} desc`,
      POPULARITY: sql`${col('popularity')} desc${then}`,
      NEWEST_ARRIVALS: sql`${col('release_date')} desc nulls last${then}`,
      TOP_RATED: sql`${col('star_rating')} desc nulls last, ${col('rating_count')} desc${then}`,
      PRICE_LOW_TO_HIGH: sql`${col('price_minor')} asc nulls last${then}`,
      PRICE_HIGH_TO_LOW: sql`${col('price_minor')} desc nulls last${then}`,
    };
    return sql`${order[sort]}, ${col('asin')}`;
  }

  async search(c: SearchCriteria, r: SearchRequest): Promise<SearchResult> {
    const label = sql`cast(null as text)`;
    const name = (column: Column) => sql.ref(column);
    const ofListing = (columns: readonly Column[]) => sql.join(columns.map((column) => sql.ref(`l.${column}`)));
    const sortedColumns = SORTED[r.sort].filter((column) => !COUNTED.includes(column));
    // The matches, the page of them (numbered: the order of a UNION ALL's rows is not its own),
    // their count, and the sample the refinements are counted over.
    let ctes: RawBuilder<unknown>;
    let page: RawBuilder<unknown>;
    let total: RawBuilder<unknown>;
    if (c.text) {
      const text = this.textSource(c.text, c.region);
      const matches = sql`${text.from} where ${text.match} and ${this.filters(c, false)}`;
      const order = this.order(r.sort, sql.ref('score'), name);
      // The sample: the first matches in doc_id order (the ASIN in base 36), unrelated to the sort.
      ctes =
        this.textSample === 'reread'
          ? sql`
            m as materialized (select ${ofListing(['doc_id', 'asin', 'in_stock', ...SORTED[r.sort]])}, ${text.score} as score from ${matches}),
            s as materialized (
              select ${ofListing(COUNTED)} from (select doc_id from m limit ${REFINEMENT_SAMPLE_SIZE}) d
              cross join catalog_listings l on l.doc_id = d.doc_id and l.region = ${c.region}
            )`
          : sql`
            m as materialized (select ${ofListing(['doc_id', ...COUNTED, ...sortedColumns])}, ${text.score} as score from ${matches}),
            s as materialized (select ${sql.join(COUNTED.map(name))} from m order by doc_id limit ${REFINEMENT_SAMPLE_SIZE})`;
      page = sql`select 'page' as kind, asin as k, ${label} as label, row_number() over (order by ${order}) as n
        from (select * from m order by ${order} limit ${r.limit} offset ${r.offset}) pg`;
      total = sql`select 'total', '', ${label}, count(*) from m`;
    } else {
      const listings = sql`catalog_listings l where ${this.filters(c, true)}`;
      ctes = sql`s as materialized (select ${ofListing(COUNTED)} from ${listings} limit ${REFINEMENT_SAMPLE_SIZE})`;
      page = sql`select 'page' as kind, asin as k, ${label} as label, row_number() over (order by ${this.order(r.sort, null, name)}) as n
        from (select ${ofListing(['asin', ...SORTED[r.sort]])} from ${listings}
          order by ${this.order(r.sort, null, (column) => sql.ref(`l.${column}`))} limit ${r.limit} offset ${r.offset}) pg`;
      // Counted up to one past the cap: a browse of a whole department stops there.
      total = sql`select 'total', '', ${label}, count(*) from (select 1 as one from ${listings} limit ${this.countCap + 1}) c`;
    }

    const counts = noRefinementCounts();
    // The counts of one value each, all from one scan of the sample: one row, the counts in `k`.
    const single: [RawBuilder<unknown>, (count: number) => void][] = [
      [sql`in_stock = 1`, (n) => (counts.inStock = n)],
      [sql`prime = 1`, (n) => (counts.prime = n)],
      [sql`free_shipping = 1`, (n) => (counts.freeShipping = n)],
      [sql`ship_min_days <= ${r.todayMaxDays}`, (n) => (counts.arrivingToday = n)],
      [sql`ship_min_days <= ${r.tomorrowMaxDays}`, (n) => (counts.arrivingTomorrow = n)],
      ...([4, 3, 2, 1] as const).map((stars): [RawBuilder<unknown>, (n: number) => void] => [sql`star_rating >= ${sql.lit(stars)}`, (n) => (counts.ratingAtLeast[stars] = n)]),
      ...Object.entries(CONDITION_BITS).map(([key, bit]): [RawBuilder<unknown>, (n: number) => void] => [
        sql`(conditions & ${sql.lit(bit)}) <> 0`,
        (count) => count > 0 && counts.conditions.push({ key, count }),
      ]),
    ];
    const offers = this.perSampleRow('catalog_offers', 'o', ['merchant_id'], sql`o.asin = s.asin and o.region = ${c.region}`);
    const branches: RawBuilder<unknown>[] = [
      page,
      total,
      sql`select 'single', ${sql.join(single.map(([expr]) => sql`cast(sum(case when ${expr} then 1 else 0 end) as text)`), sql` || ' ' || `)}, ${label}, count(*) from s`,
      sql`select 'dept', department, ${label}, count(*) from s group by department`,
      sql`select 'brand', brand_key, min(brand), count(*) from s where brand_key <> '' group by brand_key`,
      sql`select 'cert', mc.certificate_id, ${label}, count(distinct s.asin) from ${offers.from}
          join catalog_merchant_certificates mc on mc.merchant_id = o.merchant_id where ${offers.where} group by mc.certificate_id`,
    ];
    if (r.subCategoriesOf !== null) {
      // A root is the one category of a path without a parent (depth 0).
      const parent = r.subCategoriesOf === 'roots' ? sql`pc.parent_id is null` : sql`pc.parent_id = ${r.subCategoriesOf}`;
      const categories = this.perSampleRow('catalog_product_categories', 'pc', ['category_id'], sql`pc.asin = s.asin and ${parent}`);
      branches.push(sql`select 'sub', pc.category_id, ${label}, count(*) from ${categories.from} where ${categories.where} group by pc.category_id`);
    }
    const query = sql<Row>`with ${ctes} ${sql.join(branches, sql` union all `)}`;
    const rows = (await query.execute(this.db.kysely)).rows;

    const pageRows: { asin: string; at: number }[] = [];
    for (const row of rows) {
      const key = row.k ?? '';
      const count = Number(row.n);
      switch (row.kind) {
        case 'page': pageRows.push({ asin: key, at: count }); break;
        case 'total': counts.total = count; break;
        case 'single': key.split(' ').forEach((v, i) => single[i]?.[1](Number(v) || 0)); break;
        case 'dept': counts.departments.push({ key, count }); break;
        case 'sub': counts.subCategories.push({ key, count }); break;
        case 'brand': counts.brands.push({ key, count, label: row.label ?? key }); break;
        case 'cert': counts.certificates.push({ key, count }); break;
      }
    }
    const asins = pageRows.sort((a, b) => a.at - b.at).map((p) => p.asin);
    if (counts.total === 0) return { total: 0, totalIsFloor: false, asins, counts: noRefinementCounts() };
    const totalIsFloor = counts.total > this.countCap;
    if (totalIsFloor) counts.total = this.countCap;
    const byCount = (a: Count, b: Count) => b.count - a.count || (a.key < b.key ? -1 : 1);
    for (const list of [counts.departments, counts.subCategories, counts.brands, counts.conditions, counts.certificates]) list.sort(byCount);
    return { total: counts.total, totalIsFloor, asins, counts };
  }
}

import { sql, type RawBuilder } from 'kysely';
import type { Db, DialectName } from '../../../platform/db/database.ts';
import type { SortKey, TextQuery } from '../domain/query.ts';
import type { Count, RefineOptions, RefinementCounts, SearchCriteria, SearchStrategy } from './search-strategy.ts';

/**
 * The search queries both dialects share; a subclass supplies only the text match: a derived
 * table `(doc_id, score)` of the products matching the text, higher score = more relevant.
 */
export abstract class SqlSearchStrategy implements SearchStrategy {
  abstract readonly dialect: DialectName;

  constructor(protected readonly db: Db) {}

  protected abstract textMatch(query: TextQuery): RawBuilder<unknown>;

  private from(c: SearchCriteria): RawBuilder<unknown> {
    const text = c.text ? sql` join ${this.textMatch(c.text)} t on t.doc_id = p.doc_id` : sql``;
    return sql`catalog_products p join catalog_listings l on l.asin = p.asin and l.region = ${c.region}${text}`;
  }

  private where(c: SearchCriteria): RawBuilder<unknown> {
    const w: RawBuilder<unknown>[] = [sql`1 = 1`];
    const list = (values: readonly (string | number)[]) => sql.join(values.map((v) => sql`${v}`));
    if (c.department) w.push(sql`p.department = ${c.department}`);
    if (c.departments.length) w.push(sql`p.department in (${list(c.departments)})`);
    if (c.subCategory) w.push(sql`exists (select 1 from catalog_product_categories pc where pc.asin = p.asin and pc.category_id = ${c.subCategory})`);
    if (c.brands.length) w.push(sql`p.brand_key in (${list(c.brands)})`);
    if (c.minRating !== undefined) w.push(sql`p.star_rating >= ${c.minRating}`);
    if (c.conditions.length) {
      w.push(sql`exists (select 1 from catalog_offers o where o.asin = p.asin and o.region = ${c.region} and o.condition in (${list(c.conditions)}))`);
    }
    if (c.certificates.length) {
      w.push(sql`exists (select 1 from catalog_offers o join catalog_merchant_certificates mc on mc.merchant_id = o.merchant_id
        where o.asin = p.asin and o.region = ${c.region} and mc.certificate_id in (${list(c.certificates)}))`);
    }
    if (c.inStockOnly) w.push(sql`l.in_stock = 1`);
    if (c.primeOnly) w.push(sql`l.prime = 1`);
    if (c.freeShippingOnly) w.push(sql`l.free_shipping = 1`);
    if (c.maxShipMinDays !== undefined) w.push(sql`l.ship_min_days <= ${c.maxShipMinDays}`);
    if (c.minPriceMinor !== undefined) w.push(sql`l.price_minor >= ${c.minPriceMinor}`);
    if (c.maxPriceMinor !== undefined) w.push(sql`l.price_minor <= ${c.maxPriceMinor}`);
    for (const id of c.identifiers) {
      w.push(sql`exists (select 1 from catalog_identifiers i where i.asin = p.asin and i.kind = ${id.kind} and i.value = ${id.value})`);
    }
    if (c.sku) w.push(sql`exists (select 1 from catalog_offers o where o.asin = p.asin and o.region = ${c.region} and o.sku = ${c.sku})`);
    if (c.customQuote !== undefined) w.push(sql`p.custom_quote = ${c.customQuote ? 1 : 0}`);
    if (c.bundleQuantity !== undefined) w.push(sql`p.bundle_quantity = ${c.bundleQuantity}`);
    return sql.join(w, sql` and `);
  }

  async refine(c: SearchCriteria, o: RefineOptions): Promise<RefinementCounts> {
    const n = (expr: RawBuilder<unknown>) => sql`coalesce(sum(case when ${expr} then 1 else 0 end), 0)`;
    const subJoin =
      o.subCategoriesOf === null
        ? null
        : o.subCategoriesOf === 'roots'
          ? sql`pc.depth = 0`
          : sql`pc.parent_id = ${o.subCategoriesOf}`;
    const label = sql`cast(null as text)`;
    const branches: RawBuilder<unknown>[] = [
      sql`select 'total' as kind, '' as k, ${label} as label, count(*) as n from m`,
      sql`select 'dept', department, ${label}, count(*) from m group by department`,
      sql`select 'brand', brand_key, min(brand), count(*) from m where brand_key <> '' group by brand_key`,
      // CROSS JOIN keeps SQLite from scanning all offers and probing the matches (it has no
      // statistics for m); PostgreSQL plans it like an inner join.
      sql`select 'cond', o.condition, ${label}, count(distinct m.asin) from m cross join catalog_offers o
          where o.asin = m.asin and o.region = ${c.region} group by o.condition`,
      sql`select 'cert', mc.certificate_id, ${label}, count(distinct m.asin) from m cross join catalog_offers o
          join catalog_merchant_certificates mc on mc.merchant_id = o.merchant_id
          where o.asin = m.asin and o.region = ${c.region} group by mc.certificate_id`,
      sql`select 'in_stock', '', ${label}, ${n(sql`in_stock = 1`)} from m`,
      sql`select 'prime', '', ${label}, ${n(sql`prime = 1`)} from m`,
      sql`select 'free', '', ${label}, ${n(sql`free_shipping = 1`)} from m`,
      sql`select 'today', '', ${label}, ${n(sql`ship_min_days <= ${o.todayMaxDays}`)} from m`,
      sql`select 'tomorrow', '', ${label}, ${n(sql`ship_min_days <= ${o.tomorrowMaxDays}`)} from m`,
      ...[4, 3, 2, 1].map((r) => sql`select 'rating', ${sql.lit(String(r))}, ${label}, ${n(sql`star_rating >= ${r}`)} from m`),
    ];
    if (subJoin) {
      branches.push(sql`select 'sub', pc.category_id, ${label}, count(*) from m cross join catalog_product_categories pc where pc.asin = m.asin and ${subJoin} group by pc.category_id`);
    }
    const query = sql<{ kind: string; k: string; label: string | null; n: number | string }>`
      with m as materialized (
        select p.asin, p.department, p.brand_key, p.brand, p.star_rating, l.in_stock, l.prime, l.free_shipping, l.ship_min_days
        from ${this.from(c)} where ${this.where(c)}
      )
      ${sql.join(branches, sql` union all `)}`;
    const rows = (await query.execute(this.db.kysely)).rows;
    const out: RefinementCounts = {
      total: 0,
      departments: [],
      subCategories: [],
      brands: [],
      conditions: [],
      certificates: [],
      inStock: 0,
      prime: 0,
      freeShipping: 0,
      arrivingToday: 0,
      arrivingTomorrow: 0,
      ratingAtLeast: { 1: 0, 2: 0, 3: 0, 4: 0 },
    };
    const byCount = (a: Count, b: Count) => b.count - a.count || (a.key < b.key ? -1 : 1);
    for (const r of rows) {
      const count = Number(r.n);
      switch (r.kind) {
        case 'total': out.total = count; break;
        case 'dept': out.departments.push({ key: r.k, count }); break;
        case 'sub': out.subCategories.push({ key: r.k, count }); break;
        case 'brand': out.brands.push({ key: r.k, count, label: r.label ?? r.k }); break;
        case 'cond': out.conditions.push({ key: r.k, count }); break;
        case 'cert': out.certificates.push({ key: r.k, count }); break;
        case 'in_stock': out.inStock = count; break;
        case 'prime': out.prime = count; break;
        case 'free': out.freeShipping = count; break;
        case 'today': out.arrivingToday = count; break;
        case 'tomorrow': out.arrivingTomorrow = count; break;
        case 'rating': out.ratingAtLeast[Number(r.k) as 1 | 2 | 3 | 4] = count; break;
      }
    }
    for (const list of [out.departments, out.subCategories, out.brands, out.conditions, out.certificates]) list.sort(byCount);
    return out;
  }

  async page(c: SearchCriteria, sort: SortKey, offset: number, limit: number): Promise<string[]> {
    if (limit <= 0) return [];
    // Without text there is no relevance: the sorts fall back to their other keys.
    const relevance = c.text ? sql`, t.score desc` : sql``;
    const order: Record<SortKey, RawBuilder<unknown>> = {
      RELEVANCE: c.text ? sql`t.score desc, p.popularity desc` : sql`p.popularity desc`,
      FEATURED: c.text ? sql`t.score * (1 + p.popularity_boost) desc, p.popularity desc` : sql`p.popularity desc`,
      POPULARITY: sql`p.popularity desc${relevance}`,
      NEWEST_ARRIVALS: sql`p.release_date desc nulls last${relevance}`,
      TOP_RATED: sql`p.star_rating desc nulls last, p.rating_count desc${relevance}`,
      PRICE_LOW_TO_HIGH: sql`l.price_minor asc nulls last${relevance}`,
      PRICE_HIGH_TO_LOW: sql`l.price_minor desc nulls last${relevance}`,
    };
    const query = sql<{ asin: string }>`
      select p.asin from ${this.from(c)} where ${this.where(c)}
      order by ${order[sort]}, p.asin limit ${limit} offset ${offset}`;
    return (await query.execute(this.db.kysely)).rows.map((r) => r.asin);
  }
}

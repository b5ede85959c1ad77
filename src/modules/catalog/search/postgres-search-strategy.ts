import { sql, type RawBuilder } from 'kysely';
import type { TextQuery } from '../domain/query.ts';
import { LISTING_COLUMNS, SqlSearchStrategy, type TextSource } from './sql-search-strategy.ts';

/** ts_rank weights for D, C, B, A (rest, category names, brand, title). */
export const POSTGRES_RANK_WEIGHTS = '{0.1, 0.2, 0.4, 1.0}';

/** Search at scale: a stored tsvector (setweight per field) with a GIN index, ranked by ts_rank. */
export class PostgresSearchStrategy extends SqlSearchStrategy {
  readonly dialect = 'postgres' as const;
  /** A bitmap heap scan returns matches in the order of the table's pages, and each costs a listing probe. */
  protected readonly textSample = 'materialized';

  protected textSource(query: TextQuery, region: string): TextSource {
    const text = query.tokens.join(' ');
    // plainto_tsquery ANDs the stemmed lexemes; for "any" the same lexemes are ORed.
    const tsquery =
      query.mode === 'all'
        ? sql`plainto_tsquery('english', ${text})`
        : sql`cast(replace(cast(plainto_tsquery('english', ${text}) as text), ' & ', ' | ') as tsquery)`;
    const columns = sql.join(LISTING_COLUMNS.map((c) => sql.ref(`l0.${c}`)));
    return {
      // Each match reads its listing from the covering (doc_id, region) index. LATERAL … LIMIT 1
      // keeps it a per-match index probe: the planner otherwise tends to hash all the region's
      // listings, which costs more than the probes for any match count it sees.
      from: sql`catalog_products p cross join ${tsquery} q
        cross join lateral (select ${columns} from catalog_listings l0 where l0.doc_id = p.doc_id and l0.region = ${region} limit 1) l`,
      match: sql`p.search_vector @@ q`,
      // Relevance = the title's rank normalized by the title's length (what bm25 does per field)
      // plus the weighted rank over all fields.
      score: sql`(ts_rank(p.title_vector, q, 2) + ts_rank(cast(${sql.lit(POSTGRES_RANK_WEIGHTS)} as real[]), p.search_vector, q, 0))`,
    };
  }

  protected existsPerRow(sub: RawBuilder<unknown>): RawBuilder<unknown> {
    // OFFSET 0 keeps the planner from turning the sublink into a join.
    return sql`exists (${sub} offset 0)`;
  }

  protected perSampleRow(table: string, alias: string, columns: readonly string[], on: RawBuilder<unknown>): { from: RawBuilder<unknown>; where: RawBuilder<unknown> } {
    // LATERAL … OFFSET 0: a parameterized index probe per sample row. The planner cannot tell how
    // small the sample is and would otherwise hash the whole table.
    const selected = sql.join(columns.map((c) => sql.ref(`${alias}.${c}`)));
    return { from: sql`s cross join lateral (select ${selected} from ${sql.table(table)} ${sql.id(alias)} where ${on} offset 0) ${sql.id(alias)}`, where: sql`true` };
  }
}

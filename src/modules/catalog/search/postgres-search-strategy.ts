import { sql, type RawBuilder } from 'kysely';
import type { TextQuery } from '../domain/query.ts';
import { SqlSearchStrategy } from './sql-search-strategy.ts';

/** ts_rank weights for D, C, B, A (rest, category names, brand, title). */
export const POSTGRES_RANK_WEIGHTS = '{0.1, 0.2, 0.4, 1.0}';

/** Search at scale: a stored tsvector (setweight per field) with a GIN index, ranked by ts_rank. */
export class PostgresSearchStrategy extends SqlSearchStrategy {
  readonly dialect = 'postgres' as const;

  protected textMatch(query: TextQuery): RawBuilder<unknown> {
    const text = query.tokens.join(' ');
    // plainto_tsquery ANDs the stemmed lexemes; for "any" the same lexemes are ORed.
    const tsquery =
      query.mode === 'all'
        ? sql`plainto_tsquery('english', ${text})`
        : sql`cast(replace(cast(plainto_tsquery('english', ${text}) as text), ' & ', ' | ') as tsquery)`;
    // Relevance = the title's rank normalized by the title's length (what bm25 does per field)
    // plus the weighted rank over all fields.
    return sql`(select doc_id,
        ts_rank(title_vector, q, 2) + ts_rank(cast(${sql.lit(POSTGRES_RANK_WEIGHTS)} as real[]), search_vector, q, 0) as score
      from catalog_products, ${tsquery} q where search_vector @@ q)`;
  }
}

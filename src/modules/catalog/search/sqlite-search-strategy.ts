import { sql, type RawBuilder } from 'kysely';
import type { TextQuery } from '../domain/query.ts';
import { SqlSearchStrategy } from './sql-search-strategy.ts';

/** bm25() weights of the FTS5 columns: title, brand, category names, the rest. */
export const SQLITE_FIELD_WEIGHTS = [10, 4, 2, 1] as const;

/** Embedded search: SQLite FTS5 with the porter stemmer, ranked by weighted bm25. */
export class SqliteSearchStrategy extends SqlSearchStrategy {
  readonly dialect = 'sqlite' as const;

  protected textMatch(query: TextQuery): RawBuilder<unknown> {
    // Tokens are letters and digits only, so quoting each makes FTS5 read none as an operator.
    const expr = query.tokens.map((t) => `"${t}"`).join(query.mode === 'all' ? ' ' : ' OR ');
    const [a, b, c, d] = SQLITE_FIELD_WEIGHTS;
    return sql`(select rowid as doc_id, -bm25(catalog_products_fts, ${sql.lit(a)}, ${sql.lit(b)}, ${sql.lit(c)}, ${sql.lit(d)}) as score
      from catalog_products_fts where catalog_products_fts match ${expr})`;
  }
}

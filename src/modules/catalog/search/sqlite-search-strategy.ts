import { sql, type RawBuilder } from 'kysely';
import type { TextQuery } from '../domain/query.ts';
import { SqlSearchStrategy, type TextSource } from './sql-search-strategy.ts';

/** bm25() weights of the FTS5 columns: title, brand, category names, the rest. */
export const SQLITE_FIELD_WEIGHTS = [10, 4, 2, 1] as const;

/** Embedded search: SQLite FTS5 with the porter stemmer, ranked by weighted bm25. */
export class SqliteSearchStrategy extends SqlSearchStrategy {
  readonly dialect = 'sqlite' as const;
  /** FTS5 returns matches in row id order; a listing index probe is cheap. */
  protected readonly textSample = 'reread';

  protected textSource(query: TextQuery, region: string): TextSource {
    // Tokens are letters and digits only, so quoting each makes FTS5 read none as an operator.
    const expr = query.tokens.map((t) => `"${t}"`).join(query.mode === 'all' ? ' ' : ' OR ');
    const [a, b, c, d] = SQLITE_FIELD_WEIGHTS;
    return {
      // CROSS JOIN: the full-text matches (in row id order) drive, and each reads its listing from
      // the covering (doc_id, region, …) index; never the other way round.
      from: sql`catalog_products_fts cross join catalog_listings l on l.doc_id = catalog_products_fts.rowid and l.region = ${region}`,
      match: sql`catalog_products_fts match ${expr}`,
      score: sql`-bm25(catalog_products_fts, ${sql.lit(a)}, ${sql.lit(b)}, ${sql.lit(c)}, ${sql.lit(d)})`,
    };
  }

  protected existsPerRow(sub: RawBuilder<unknown>): RawBuilder<unknown> {
    return sql`exists (${sub})`;
  }

  protected perSampleRow(table: string, alias: string, _columns: readonly string[], on: RawBuilder<unknown>): { from: RawBuilder<unknown>; where: RawBuilder<unknown> } {
    // CROSS JOIN: SQLite has no statistics for the sample, and would otherwise scan the table and
    // probe the sample.
    return { from: sql`s cross join ${sql.table(table)} ${sql.id(alias)}`, where: on };
  }
}

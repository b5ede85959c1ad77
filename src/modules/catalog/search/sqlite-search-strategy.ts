import { sql, type RawBuilder } from 'kysely';
import { clausesOf, isPlainQuery, type Alternative, type QueryClause, type TextQuery } from '../domain/query.ts';
import { ALL_CLAUSES_BONUS, AS_TYPED_BONUS, SqlSearchStrategy, type TextSource } from './sql-search-strategy.ts';

/** bm25() weights of the FTS5 columns: title, brand, category names, the rest. */
export const SQLITE_FIELD_WEIGHTS = [10, 4, 2, 1] as const;

/** Embedded search: SQLite FTS5 with the porter stemmer, ranked by weighted bm25. */
export class SqliteSearchStrategy extends SqlSearchStrategy {
  readonly dialect = 'sqlite' as const;
  /** FTS5 returns matches in row id order; a listing index probe is cheap. */
  protected readonly textSample = 'reread';

  protected textSource(query: TextQuery, region: string): TextSource {
    const [a, b, c, d] = SQLITE_FIELD_WEIGHTS;
    const from = sql`catalog_products_fts cross join catalog_listings l on l.doc_id = catalog_products_fts.rowid and l.region = ${region}`;
    const bm25 = sql`-bm25(catalog_products_fts, ${sql.lit(a)}, ${sql.lit(b)}, ${sql.lit(c)}, ${sql.lit(d)})`;
    if (isPlainQuery(query)) {
      // Tokens are letters and digits only, so quoting each makes FTS5 read none as an operator.
      const expr = query.tokens.map((t) => `"${t}"`).join(query.mode === 'all' ? ' ' : ' OR ');
      // CROSS JOIN: the full-text matches (in row id order) drive, and each reads its listing from
      // the covering (doc_id, region, …) index; never the other way round.
      return { from, match: sql`catalog_products_fts match ${expr}`, score: bm25 };
    }
    const clauses = clausesOf(query);
    // A tier is a second full-text query, run once (an IN list of row ids), not per match.
    const tier = (expr: string, bonus: number) =>
      sql` + case when catalog_products_fts.rowid in (select rowid from catalog_products_fts where catalog_products_fts match ${expr}) then ${sql.lit(bonus)} else 0 end`;
    const all = ftsExpression(clauses, 'all', (cl) => cl.alternatives);
    const allTier = query.mode === 'any' && query.tiered ? tier(all, ALL_CLAUSES_BONUS) : sql``;
    const typedTier = query.preferTyped ? tier(ftsExpression(clauses, 'all', (cl) => [cl.typed]), AS_TYPED_BONUS) : sql``;
    return {
      from,
      match: sql`catalog_products_fts match ${query.mode === 'all' ? all : ftsExpression(clauses, 'any', (cl) => cl.alternatives)}`,
      score: sql`(${bm25}${allTier}${typedTier})`,
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

/**
 * An FTS5 query: each clause one of its alternatives (a word or phrase in double quotes: words are
 * letters and digits only, so none is read as an operator; words anywhere ANDed), the clauses ANDed
 * or ORed.
 */
export function ftsExpression(clauses: readonly QueryClause[], mode: 'all' | 'any', alternatives: (c: QueryClause) => Alternative[]): string {
  const parts = clauses.map((cl) => {
    // With 'any', words that match anywhere are each enough, as typed apart.
    const alts = alternatives(cl).flatMap((a) =>
      a.phrase || a.words.length === 1 ? [`"${a.words.join(' ')}"`] : mode === 'any' ? a.words.map((w) => `"${w}"`) : [`(${a.words.map((w) => `"${w}"`).join(' AND ')})`],
    );
    return alts.length === 1 ? alts[0]! : `(${alts.join(' OR ')})`;
  });
  return parts.join(mode === 'all' ? ' AND ' : ' OR ');
}

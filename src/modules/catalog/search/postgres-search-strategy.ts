import { sql, type RawBuilder } from 'kysely';
import { clausesOf, isPlainQuery, type Alternative, type QueryClause, type TextQuery } from '../domain/query.ts';
import { ALL_CLAUSES_BONUS, AS_TYPED_BONUS, LISTING_COLUMNS, SqlSearchStrategy, type TextSource } from './sql-search-strategy.ts';

/** ts_rank weights for D, C, B, A (rest, category names, brand, title). */
export const POSTGRES_RANK_WEIGHTS = '{0.1, 0.2, 0.4, 1.0}';

/** Search at scale: a stored tsvector (setweight per field) with a GIN index, ranked by ts_rank. */
export class PostgresSearchStrategy extends SqlSearchStrategy {
  readonly dialect = 'postgres' as const;
  /** A bitmap heap scan returns matches in the order of the table's pages, and each costs a listing probe. */
  protected readonly textSample = 'materialized';

  protected textSource(query: TextQuery, region: string): TextSource {
    let tsquery: RawBuilder<unknown>;
    let tiers = sql``;
    let tierQueries = sql``;
    if (isPlainQuery(query)) {
      const text = query.tokens.join(' ');
      // plainto_tsquery ANDs the stemmed lexemes; for "any" the same lexemes are ORed.
      tsquery =
        query.mode === 'all'
          ? sql`plainto_tsquery('english', ${text})`
          : sql`cast(replace(cast(plainto_tsquery('english', ${text}) as text), ' & ', ' | ') as tsquery)`;
    } else {
      const clauses = clausesOf(query);
      const all = tsqueryText(clauses, 'all', (cl) => cl.alternatives);
      tsquery = sql`to_tsquery('english', ${query.mode === 'all' ? all : tsqueryText(clauses, 'any', (cl) => cl.alternatives)})`;
      if (query.mode === 'any' && query.tiered) {
        tierQueries = sql`${tierQueries} cross join to_tsquery('english', ${all}) qa`;
        tiers = sql`${tiers} + case when p.search_vector @@ qa then ${sql.lit(ALL_CLAUSES_BONUS)} else 0 end`;
      }
      if (query.preferTyped) {
        tierQueries = sql`${tierQueries} cross join to_tsquery('english', ${tsqueryText(clauses, 'all', (cl) => [cl.typed])}) qt`;
        tiers = sql`${tiers} + case when p.search_vector @@ qt then ${sql.lit(AS_TYPED_BONUS)} else 0 end`;
      }
    }
    const columns = sql.join(LISTING_COLUMNS.map((c) => sql.ref(`l0.${c}`)));
    return {
      // Each match reads its listing from the covering (doc_id, region) index. LATERAL … LIMIT 1
      // keeps it a per-match index probe: the planner otherwise tends to hash all the region's
      // listings, which costs more than the probes for any match count it sees.
      from: sql`catalog_products p cross join ${tsquery} q${tierQueries}
        cross join lateral (select ${columns} from catalog_listings l0 where l0.doc_id = p.doc_id and l0.region = ${region} limit 1) l`,
      match: sql`p.search_vector @@ q`,
      // Relevance = the title's rank normalized by the title's length (what bm25 does per field)
      // plus the weighted rank over all fields.
      score: sql`(ts_rank(p.title_vector, q, 2) + ts_rank(cast(${sql.lit(POSTGRES_RANK_WEIGHTS)} as real[]), p.search_vector, q, 0)${tiers})`,
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

/**
 * PostgreSQL's English stop words (the `english` configuration indexes none of them): an
 * alternative of several words with one would lose it and match more than it says, so it is left out.
 */
const PG_STOP_WORDS: ReadonlySet<string> = new Set(
  (
    'i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she her hers herself it its itself they ' +
    'them their theirs themselves what which who whom this that these those am is are was were be been being have has had having do ' +
    'does did doing a an the and but if or because as until while of at by for with about against between into through during before ' +
    'after above below to from up down in out on off over under again further then once here there when where why how all any both ' +
    'each few more most other some such no nor not only own same so than too very s t can will just don should now'
  ).split(' '),
);

/**
 * A to_tsquery text: each clause one of its alternatives (a phrase joined by `<->`, words anywhere
 * by `&`), the clauses joined by `&` or `|`. Words are letters and digits only, so none is read as an operator.
 */
export function tsqueryText(clauses: readonly QueryClause[], mode: 'all' | 'any', alternatives: (c: QueryClause) => Alternative[]): string {
  const parts = clauses.map((cl) => {
    const all = alternatives(cl);
    // Several words of which one is a stop word are left out (unless nothing else is left).
    const kept = all.filter((a) => a.words.length === 1 || !a.words.some((w) => PG_STOP_WORDS.has(w)));
    // With 'any', words that match anywhere are each enough, as typed apart.
    const alts = (kept.length ? kept : all).flatMap((a) =>
      a.words.length === 1 ? [a.words[0]!] : !a.phrase && mode === 'any' ? a.words : [`(${a.words.join(a.phrase ? ' <-> ' : ' & ')})`],
    );
    return alts.length === 1 ? alts[0]! : `(${alts.join(' | ')})`;
  });
  return parts.join(mode === 'all' ? ' & ' : ' | ');
}

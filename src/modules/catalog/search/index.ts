import type { Db } from '../../../platform/db/database.ts';
import { PostgresSearchStrategy } from './postgres-search-strategy.ts';
import type { SearchStrategy } from './search-strategy.ts';
import { SqliteSearchStrategy } from './sqlite-search-strategy.ts';

export type { SearchStrategy, SearchCriteria, SearchRequest, SearchResult, RefinementCounts, RefineOptions, Count } from './search-strategy.ts';
export { MATCH_COUNT_CAP, noRefinementCounts } from './search-strategy.ts';
export { SqliteSearchStrategy } from './sqlite-search-strategy.ts';
export { PostgresSearchStrategy } from './postgres-search-strategy.ts';

/** The search strategy for the database's dialect. */
export function searchStrategyFor(db: Db): SearchStrategy {
  return db.dialect === 'postgres' ? new PostgresSearchStrategy(db) : new SqliteSearchStrategy(db);
}

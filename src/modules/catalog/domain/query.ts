/** Parsing of search input: keywords into tokens, csv lists, `key#value` refinements. */

/** Words that carry no meaning for product search; dropped unless the query has nothing else. */
export const STOP_WORDS: ReadonlySet<string> = new Set([
  'a', 'an', 'and', 'are', 'as', 'at', 'be', 'by', 'for', 'from', 'in', 'into', 'is', 'it', 'not', 'of', 'on', 'or',
  'the', 'to', 'with', 'without', 'w', 'vs', 'de', 'der', 'die', 'das', 'und', 'mit', 'für', 'le', 'la', 'les', 'et',
  'pour', 'avec', 'el', 'los', 'las', 'y', 'con', 'para',
]);

export const MAX_QUERY_TOKENS = 32;

/** How strictly tokens must match: every token, or any token (the fallback when none match all). */
export type MatchMode = 'all' | 'any';

export interface TextQuery {
  tokens: string[];
  mode: MatchMode;
}

/** Lower-cased word tokens of a query, stop words removed (unless only stop words were given). */
export function tokenize(keywords: string): string[] {
  const words = keywords
    .normalize('NFKC')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0);
  const meaningful = words.filter((w) => !STOP_WORDS.has(w));
  const chosen = meaningful.length > 0 ? meaningful : words;
  return [...new Set(chosen)].slice(0, MAX_QUERY_TOKENS);
}

export interface KeyValue {
  key: string;
  value: string;
}

/** `brandtextbin#Sony` into key and value; null when there is no `#` or either side is empty. */
export function parseKeyValue(item: string): KeyValue | null {
  const i = item.indexOf('#');
  if (i <= 0 || i === item.length - 1) return null;
  return { key: item.slice(0, i).trim(), value: item.slice(i + 1).trim() };
}

export const SORT_KEYS = ['FEATURED', 'NEWEST_ARRIVALS', 'POPULARITY', 'PRICE_HIGH_TO_LOW', 'PRICE_LOW_TO_HIGH', 'RELEVANCE', 'TOP_RATED'] as const;
export type SortKey = (typeof SORT_KEYS)[number];

/** The sort to apply: the given key when valid, otherwise RELEVANCE (documented behaviour). */
export function normalizeSortKey(value: string | undefined): SortKey {
  const v = value?.trim().toUpperCase();
  return (SORT_KEYS as readonly string[]).includes(v ?? '') ? (v as SortKey) : 'RELEVANCE';
}

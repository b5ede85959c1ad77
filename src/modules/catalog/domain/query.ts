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

/** A way a clause may match: one word, or several words, in a row (a phrase) or anywhere. */
export interface Alternative {
  words: string[];
  phrase: boolean;
}

/**
 * A word as typed, or adjacent typed words, and every way it may match (search/expand.ts). The
 * typed words are one of the alternatives.
 */
export interface QueryClause {
  typed: Alternative;
  alternatives: Alternative[];
  /** The alternatives include corrections of a word the catalog does not know. */
  corrected: boolean;
}

export interface TextQuery {
  tokens: string[];
  /** 'all': every clause must match; 'any': one is enough. */
  mode: MatchMode;
  /** What the query matches; without them each token is a clause of its own. */
  clauses?: QueryClause[];
  /** Products matching every clause as typed rank above those found only through corrections. */
  preferTyped?: boolean;
  /** With 'any': products matching every clause rank above those matching some. */
  tiered?: boolean;
}

/** The clauses of a text query (each token alone when it has none). */
export function clausesOf(query: TextQuery): QueryClause[] {
  return query.clauses ?? query.tokens.map((t) => ({ typed: { words: [t], phrase: false }, alternatives: [{ words: [t], phrase: false }], corrected: false }));
}

/** Whether the query needs more than the tokens ANDed or ORed (and so the expanded text match). */
export function isPlainQuery(query: TextQuery): boolean {
  return !query.preferTyped && !query.tiered && clausesOf(query).every((c) => c.typed.words.length === 1 && c.alternatives.length === 1);
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

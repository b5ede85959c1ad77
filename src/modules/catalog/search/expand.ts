import type { Alternative, QueryClause } from '../domain/query.ts';
import { MAX_SYNONYM_WORDS, type SynonymSet } from './synonyms.ts';
import type { Vocabulary } from './vocabulary.ts';

/** How many ways a clause may match at most (the typed form included). */
export const MAX_ALTERNATIVES = 6;

export interface ExpandedQuery {
  clauses: QueryClause[];
  /** Some word was corrected: products with the words as typed rank first. */
  corrected: boolean;
}

const key = (a: Alternative) => a.words.join(a.phrase ? ' ' : ' & ');
const word = (w: string): Alternative => ({ words: [w], phrase: false });
/** Synonym terms are phrases. */
const term = (words: string[]): Alternative => ({ words, phrase: words.length > 1 });
/** Words a joined word splits into, or typed words the catalog joins: anywhere, as typed words would. */
const parts = (words: string[]): Alternative => ({ words, phrase: false });

/**
 * Alternatives without repeats, in one order whatever order they were found in (twins expand
 * alike), at most MAX_ALTERNATIVES: the typed words and the first others in that order.
 */
function canonical(typed: Alternative | null, alternatives: Alternative[]): Alternative[] {
  const seen = new Map<string, Alternative>();
  for (const a of alternatives) if (a.words.length && (!typed || key(a) !== key(typed))) seen.set(key(a), a);
  const others = [...seen.keys()].sort().slice(0, typed ? MAX_ALTERNATIVES - 1 : MAX_ALTERNATIVES);
  if (typed) seen.set(key(typed), typed);
  return [...(typed ? [key(typed)] : []), ...others].sort().map((k) => seen.get(k)!);
}

/** A word's (or term's) synonyms, and how the catalog splits each one-word term (`usbc` → `usb c`). */
function synonymsOf(words: string[], vocabulary: Vocabulary, synonyms: SynonymSet): Alternative[] {
  const out: Alternative[] = [];
  for (const t of synonyms.lookup(words) ?? []) {
    out.push(term(t));
    const split = t.length === 1 ? vocabulary.split(t[0]!) : null;
    if (split) out.push(parts(split));
  }
  return out;
}

/**
 * The clauses of a query: each is a word as typed, or adjacent typed words, with every way it may
 * match. Read left to right:
 *
 * 1. Words of a synonym term (the longest that starts here, 2+ words) match every term of its rule.
 * 2. Two words the catalog writes as one (`ear buds`: `earbuds` is a word of the catalog) match
 *    the joined word, or the two words when the catalog's names also have them in a row or each
 *    is more common than the joined word.
 * 3. A word the catalog splits (`cellphone`, `iphone7`: two words that follow each other in its
 *    texts) matches itself or the two words.
 * 4. A word the catalog does not know, of 5+ letters and without digits, also matches the
 *    catalog's words within one edit (two from 9 letters); its clause is marked corrected.
 *    Numbers, model codes and identifiers (any word with a digit) are never corrected.
 *
 * Every word found (typed, joined, split, corrected) also matches its synonyms. The two words of a
 * split match anywhere in the product, as they would if typed apart, so a query and its split or
 * joined twin match the same products.
 */
export function expandQuery(tokens: readonly string[], vocabulary: Vocabulary, synonyms: SynonymSet): ExpandedQuery {
  const clauses: QueryClause[] = [];
  let corrected = false;
  let i = 0;
  while (i < tokens.length) {
    let taken = 0;
    for (let n = Math.min(MAX_SYNONYM_WORDS, tokens.length - i); n >= 2 && !taken; n--) {
      const typedWords = tokens.slice(i, i + n);
      if (!synonyms.lookup(typedWords)) continue;
      const typed = term(typedWords);
      const alternatives = synonymsOf(typedWords, vocabulary, synonyms);
      const joined = n === 2 ? vocabulary.join(typedWords[0]!, typedWords[1]!) : null;
      if (joined) alternatives.push(word(joined), parts(typedWords), ...synonymsOf([joined], vocabulary, synonyms));
      clauses.push({ typed, alternatives: canonical(typed, alternatives), corrected: false });
      taken = n;
    }
    if (taken) {
      i += taken;
      continue;
    }
    const w = tokens[i]!;
    const next = tokens[i + 1];
    const joined = next === undefined ? null : vocabulary.join(w, next);
    if (joined && next !== undefined) {
      // The two words as typed (anywhere) stay an alternative when the catalog's names also
      // write them in a row (it then splits the joined word alike), or when each is more common
      // than the joined word (`black case` is no typo of `blackcase`). Otherwise the joined word
      // stands for them (`ear buds` → `earbuds`), so the query is the same as its joined twin.
      const typed = parts([w, next]);
      const keep = vocabulary.pairCount(w, next) > 0 || Math.min(vocabulary.count(w), vocabulary.count(next)) >= vocabulary.count(joined);
      clauses.push({ typed, alternatives: canonical(keep ? typed : null, [word(joined), ...synonymsOf([joined], vocabulary, synonyms)]), corrected: false });
      i += 2;
      continue;
    }
    const typed = word(w);
    const alternatives: Alternative[] = synonymsOf([w], vocabulary, synonyms);
    const split = vocabulary.split(w);
    if (split) alternatives.push(parts(split), ...synonymsOf(split, vocabulary, synonyms));
    const fixes = split ? [] : vocabulary.corrections(w);
    for (const f of fixes) alternatives.push(word(f), ...synonymsOf([f], vocabulary, synonyms));
    if (fixes.length) corrected = true;
    clauses.push({ typed, alternatives: canonical(typed, alternatives), corrected: fixes.length > 0 });
    i++;
  }
  return { clauses, corrected };
}

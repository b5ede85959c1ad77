import fs from 'node:fs';
import path from 'node:path';
import { packagePath } from '../../../kernel/package-root.ts';
import { words } from './vocabulary.ts';

/**
 * Synonyms of product search, one file per locale (`<locale>.txt`, e.g. `en_US.txt`; a locale
 * without a file uses `<language>.txt` when there is one, e.g. `en.txt`). Format (docs/catalog-format.md):
 *
 *   # a comment; blank lines are ignored
 *   earbuds, earphones                 equivalent: a query with either matches both
 *   usb c, type c, usbc                terms may be several words (matched as a phrase)
 *   notebook => laptop                 one-way: `notebook` also matches `laptop`, not the reverse
 *
 * Terms are read as the search reads keywords (letters and digits, lower-cased; `usb-c` is
 * `usb c`). A file is read whole and checked: a bad line fails the load, naming the file and line.
 */

/** The shipped synonyms (catalog/synonyms at the package root). */
export const SHIPPED_SYNONYMS_DIR = packagePath('catalog', 'synonyms');

/** Longest term, in words. */
export const MAX_SYNONYM_WORDS = 4;

export class SynonymError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    reason: string,
  ) {
    super(`${file}:${line}: ${reason}`);
    this.name = 'SynonymError';
  }
}

/** The synonyms of one locale: a term (words joined by a space) → every term it also matches. */
export class SynonymSet {
  private readonly expansions = new Map<string, string[][]>();

  static readonly empty = new SynonymSet();

  /** Adds a rule: a query term `from` also matches each term of `to` (the terms as word lists). */
  add(from: string[], to: string[][]): void {
    const key = from.join(' ');
    const list = this.expansions.get(key) ?? [from];
    for (const t of to) if (!list.some((x) => x.join(' ') === t.join(' '))) list.push(t);
    this.expansions.set(key, list);
  }

  get size(): number {
    return this.expansions.size;
  }

  /** The terms `words` also matches (itself included), or null when it is no synonym's term. */
  lookup(words: readonly string[]): string[][] | null {
    return this.expansions.get(words.join(' ')) ?? null;
  }
}

/** Parses one synonyms file's text. */
export function parseSynonyms(text: string, file = 'synonyms'): SynonymSet {
  const set = new SynonymSet();
  const term = (raw: string, line: number): string[] => {
    const ws = words(raw);
    if (ws.length === 0) throw new SynonymError(file, line, `empty term in "${raw.trim()}"`);
    if (ws.length > MAX_SYNONYM_WORDS) throw new SynonymError(file, line, `a term has at most ${MAX_SYNONYM_WORDS} words: "${raw.trim()}"`);
    return ws;
  };
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    const content = raw.replace(/#.*$/, '').trim();
    if (!content) return;
    const arrow = content.split('=>');
    if (arrow.length > 2) throw new SynonymError(file, line, 'more than one "=>"');
    if (arrow.length === 2) {
      const from = arrow[0]!.split(',').map((t) => term(t, line));
      const to = arrow[1]!.split(',').map((t) => term(t, line));
      for (const f of from) set.add(f, to);
      return;
    }
    const group = content.split(',').map((t) => term(t, line));
    if (group.length < 2) throw new SynonymError(file, line, 'a line names at least two terms (a, b) or a rule (a => b)');
    for (const f of group) set.add(f, group);
  });
  return set;
}

/** The synonyms of every locale found in a folder, read once; `forLocale` picks a locale's. */
export class SynonymLibrary {
  private sets = new Map<string, SynonymSet>();

  constructor(readonly dir: string | null) {
    this.reload();
  }

  /** Reads the folder again (a missing folder means no synonyms); throws SynonymError on a bad file. */
  reload(): void {
    const sets = new Map<string, SynonymSet>();
    if (this.dir && fs.existsSync(this.dir)) {
      for (const name of fs.readdirSync(this.dir).sort()) {
        const m = /^([a-z]{2,3}(?:_[A-Z]{2})?)\.txt$/.exec(name);
        if (!m) continue;
        const file = path.join(this.dir, name);
        sets.set(m[1]!, parseSynonyms(fs.readFileSync(file, 'utf8'), file));
      }
    }
    this.sets = sets;
  }

  /** The locales with a file. */
  get locales(): string[] {
    return [...this.sets.keys()];
  }

  forLocale(locale: string): SynonymSet {
    return this.sets.get(locale) ?? this.sets.get(locale.split('_')[0] ?? '') ?? SynonymSet.empty;
  }
}

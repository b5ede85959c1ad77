import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  CatalogImporter,
  CatalogService,
  productSearchQuery,
  sampleMerchantRecords,
  type TextQuery,
} from '../../src/modules/catalog/index.ts';
import { SynonymError } from '../../src/modules/catalog/search/synonyms.ts';
import {
  WEDNESDAY_MORNING,
  fixedClock,
  nonceWord,
  offer,
  openTestDb,
  product,
  save,
  testCatalog,
  testDataDir,
  uniqueAsin,
} from '../support/catalog.ts';
import { US_SHOPPER } from '../support/shopper.ts';

// Forgiving keyword matching on the database under test (SQLite FTS5 or PostgreSQL tsvector):
// typos, split and joined words, synonyms, and the ranking rules that go with them. Each test has a
// database of its own: on PostgreSQL other files' products would enter the vocabulary.

const shopper = US_SHOPPER;
const query = (keywords: string, pageSize = 24) => productSearchQuery({ keywords, page: { pageNumber: 0, pageSize } });
type Outcome = Awaited<ReturnType<CatalogService['searchProducts']>>;
const asinsOf = (r: Outcome) => (r.kind === 'ok' ? r.products.map((p) => p.product.asin) : []);
const countOf = (r: Outcome) => (r.kind === 'ok' ? r.matchingProductCount : -1);

/** The products with every word (clause): a page as large as their count is never relaxed. */
async function fullMatches(catalog: CatalogService, keywords: string, locale = shopper.locale): Promise<Set<string>> {
  const count = countOf(await catalog.searchProducts(query(keywords, 1), { ...shopper, locale }));
  const r = await catalog.searchProducts(query(keywords, Math.max(1, Math.min(24, count))), { ...shopper, locale });
  assert.ok(r.kind === 'ok' && !r.relaxed, `${keywords}: relaxed`);
  return new Set(asinsOf(r));
}

/** A nonce word of 12 letters. */
const longWord = () => `${nonceWord()}kmnpqrstvwxy`.slice(0, 12);
/** `word` with the letters at `at` replaced by other letters: that many edits. */
const typos = (word: string, ...at: number[]) => [...word].map((c, i) => (at.includes(i) ? (c === 'x' ? 'y' : 'x') : c)).join('');

test('a word the catalog does not know matches its words within one edit (5+ letters) or two (9+)', async () => {
  const catalog = await testCatalog(undefined, { isolated: true });
  const w = longWord();
  const target = product(w, { title: `${w} Protective Holster` });
  await save(catalog, [target]);
  assert.deepEqual(await fullMatches(catalog, typos(w, 4, 8)), new Set([target.asin]));
  assert.deepEqual(await fullMatches(catalog, `${w} protectve`), new Set([target.asin]));
  assert.deepEqual(await fullMatches(catalog, `${w} holstr`), new Set([target.asin]));
  // Three edits are too many; two in a word of 5 to 8 letters too.
  assert.equal(countOf(await catalog.searchProducts(query(typos(w, 4, 8, 10)), shopper)), 0);
  const short = await catalog.searchProducts(query(`${w} hxlstxr`, 1), shopper);
  assert.ok(short.kind === 'ok' && short.relaxed, 'no product has both words: the page is filled with the products of one');
  const off = new CatalogService({ db: catalog.db, clock: catalog.clock, forgivingSearch: false });
  assert.equal(countOf(await off.searchProducts(query(typos(w, 4, 8)), shopper)), 0, 'off: only the words as typed match');
});

test('numbers, model codes and identifiers are never corrected', async () => {
  const catalog = await testCatalog(undefined, { isolated: true });
  const w = nonceWord();
  const a = product(w, { title: `${w} Router Model 45218`, identifiers: { upc: [], partNumber: `RX${w.slice(2, 6).toUpperCase()}7731` } });
  await save(catalog, [a]);
  // 45219 is one edit from 45218 and the part number's code one from the product's: neither is
  // corrected, so no product has both words (the page is relaxed: filled with the products of one).
  const relaxed = async (keywords: string) => {
    const r = await catalog.searchProducts(query(keywords, 1), shopper);
    assert.ok(r.kind === 'ok');
    return r.relaxed;
  };
  assert.equal(await relaxed(`${w} 45219`), true);
  assert.equal(await relaxed(`${w} rx${w.slice(2, 6)}7732`), true);
  assert.equal(await relaxed(`${w} rx${w.slice(2, 6)}7731`), false);
  assert.equal(await relaxed(`${w} 45218`), false);
});

test('split and joined words follow the catalog: two words it writes as one, one word it writes as two', async () => {
  const catalog = await testCatalog(undefined, { isolated: true });
  const [p1, p2] = [nonceWord(), nonceWord()];
  const joined = product(p1, { title: `${p1}${p2} Wireless Set` });
  const apart = product(p1, { title: `${p1} ${p2} Wireless Set`, popularity: 90 });
  await save(catalog, [joined, apart]);
  for (const keywords of [`${p1} ${p2}`, `${p1}${p2}`, `${p1}${p2} wireless`, `${p1} ${p2} wireless`]) {
    assert.deepEqual(await fullMatches(catalog, keywords), new Set([joined.asin, apart.asin]), keywords);
  }
  // Words the catalog never writes as one are not joined.
  assert.equal(countOf(await catalog.searchProducts(query(`${p2}${p1}`), shopper)), 0);
});

test('synonyms: a rule per line of the locale file, equivalent or one-way, read again by every import; a bad line is refused', async () => {
  const db = await openTestDb({ isolated: true });
  const dir = testDataDir();
  const [s1, s2, s3, s4, s5] = [nonceWord(), nonceWord(), nonceWord(), nonceWord(), nonceWord()];
  fs.writeFileSync(path.join(dir, 'en_US.txt'), `# test rules\n${s1}, ${s2} ${s3}\n${s4} => ${s1}\n`);
  const catalog = new CatalogService({ db, clock: fixedClock(WEDNESDAY_MORNING), synonymsDir: dir });
  await catalog.save(sampleMerchantRecords());
  const a = product(s1, { title: `${s1} Travel Adapter` });
  const b = product(s2, { title: `${s2} ${s3} Travel Adapter` });
  const c = product(s5, { title: `${s5} Travel Adapter` });
  await save(catalog, [a, b, c]);
  const both = new Set([a.asin, b.asin]);
  assert.deepEqual(await fullMatches(catalog, s1), both);
  assert.deepEqual(await fullMatches(catalog, `${s2}-${s3}`), both);
  assert.deepEqual(await fullMatches(catalog, `${s4} adapter`), new Set([a.asin]), 'one-way: s4 finds s1');
  assert.equal(countOf(await catalog.searchProducts(query(s1, 1), shopper)), 2, 'not the reverse');
  // Another locale of the language falls back to the language's file only; en_GB has none here.
  assert.deepEqual(await fullMatches(catalog, s1, 'en_GB'), new Set([a.asin]));

  // An operator adds a rule; the next import reads it, and another process (a server, while the
  // CLI imports) when it sees the catalog changed.
  const server = new CatalogService({ db, clock: catalog.clock, synonymsDir: dir });
  assert.deepEqual(await fullMatches(server, s5), new Set([c.asin]));
  fs.appendFileSync(path.join(dir, 'en_US.txt'), `${s5}, ${s1}\n`);
  assert.deepEqual(await fullMatches(catalog, s5), new Set([c.asin]));
  const line = JSON.stringify({ ...product(s5, { title: `${s5} Wall Plug` }), offers: undefined });
  const report = await new CatalogImporter(catalog).importText(`${line}\n`, { format: 'jsonl' });
  assert.equal(report.status, 'completed');
  assert.ok(asinsOf(await catalog.searchProducts(query(s5), shopper)).includes(a.asin));
  assert.ok((await fullMatches(server, s5)).has(a.asin));

  fs.appendFileSync(path.join(dir, 'en_US.txt'), `lonely\n`);
  await assert.rejects(
    () => new CatalogImporter(catalog).importText(`${line}\n`, { format: 'jsonl', resume: false }),
    (e: unknown) => {
      assert.ok(e instanceof SynonymError);
      assert.match(e.message, /en_US\.txt:5: a line names at least two terms/);
      return true;
    },
  );
  assert.throws(() => new CatalogService({ db, clock: catalog.clock, synonymsDir: dir }), SynonymError, 'a bad file stops the start');
});

test('ranking: products with every word as typed above those found only through a correction', async () => {
  const catalog = await testCatalog(undefined, { isolated: true });
  const [typed, fixed] = [nonceWord(), nonceWord()];
  // The typed word only in a description (weak); the corrected one in the title (strong).
  const weak = product(typed, { title: `Plain Office Item ${nonceWord()}`, description: `Works with ${typed} and more.` });
  const strong = product(fixed, { title: `${fixed} ${fixed} Organizer` });
  await save(catalog, [weak, strong]);
  const text = (preferTyped: boolean): TextQuery => ({
    tokens: [typed],
    mode: 'all',
    clauses: [
      {
        typed: { words: [typed], phrase: false },
        alternatives: [
          { words: [fixed], phrase: false },
          { words: [typed], phrase: false },
        ],
        corrected: true,
      },
    ],
    preferTyped,
  });
  const run = async (preferTyped: boolean) =>
    (
      await catalog.search.search(
        {
          region: 'US',
          text: text(preferTyped),
          departments: [],
          brands: [],
          conditions: [],
          certificates: [],
          identifiers: [],
          inStockOnly: false,
          primeOnly: false,
          freeShippingOnly: false,
        },
        { sort: 'RELEVANCE', offset: 0, limit: 10, subCategoriesOf: null, todayMaxDays: 0, tomorrowMaxDays: 1 },
      )
    ).asins;
  assert.deepEqual(await run(false), [strong.asin, weak.asin], 'by relevance alone the title match wins');
  assert.deepEqual(await run(true), [weak.asin, strong.asin]);
});

test('ranking: equal relevance goes to the product whose featured offer is in stock', async () => {
  const catalog = await testCatalog(undefined, { isolated: true });
  const w = nonceWord();
  const [first, second] = [uniqueAsin(), uniqueAsin()].sort();
  const out = product(w, { asin: first!, title: `${w} Label Maker` });
  out.offers = [offer(first!, 1, { stock: 0 })];
  const stocked = product(w, { asin: second!, title: `${w} Label Maker` });
  await save(catalog, [out, stocked]);
  assert.deepEqual(asinsOf(await catalog.searchProducts(query(`${w} label maker`, 2), shopper)), [stocked.asin, out.asin]);
});

test('the sample domain: shipped synonyms and the catalog vocabulary in the issue examples', async () => {
  const catalog = await testCatalog(undefined, { isolated: true });
  const [w, v] = [nonceWord(), nonceWord()];
  const cable = product(w, { title: `${w} USB Type-C Charging Cable` });
  const phone = product(w, { title: `${w} Holster for Cell Phones` });
  const buds = product(v, { title: `${v} Wireless Earbuds` });
  await save(catalog, [cable, phone, buds]);
  for (const k of ['usb-c', 'usb c', 'type c', 'usbc'])
    assert.deepEqual(await fullMatches(catalog, `${w} ${k} cable`), new Set([cable.asin]), k);
  for (const k of ['cell phone', 'cellphone', 'smartphone'])
    assert.deepEqual(await fullMatches(catalog, `${w} ${k} holster`), new Set([phone.asin]), k);
  for (const k of ['earbuds', 'ear buds', 'earphones']) assert.deepEqual(await fullMatches(catalog, `${v} ${k}`), new Set([buds.asin]), k);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CatalogService, loadSampleCatalog, productSearchQuery } from '../../src/modules/catalog/index.ts';
import { systemClock } from '../../src/kernel/clock.ts';
import { ESCI_JUDGMENTS_FILE, measureForgiving, measureRelevance, ndcg } from '../../scripts/bench-relevance.ts';
import { openTestDb } from '../support/catalog.ts';
import { DATASETS_SKIP } from '../support/reference.ts';
import { US_SHOPPER } from '../support/shopper.ts';

test('nDCG@10 of a ranking against graded judgments', () => {
  const gains = new Map([
    ['a', 1],
    ['b', 0.1],
    ['c', 0],
  ]);
  assert.equal(ndcg(['a', 'b', 'c'], gains), 1);
  assert.ok(ndcg(['c', 'b', 'a'], gains) < 1);
  assert.equal(ndcg(['x', 'y'], gains), 0);
});

let measured: Awaited<ReturnType<typeof measureRelevance>> | null = null;
let sample: CatalogService | null = null;

// One database for the file (closed after its last test): the tests below share the sample catalog.
// A database of its own on PostgreSQL: the figures are of the sample catalog alone, and other files
// of the run write products to the shared database while these run (CI measured 0.617 there).
const db = await openTestDb({ isolated: true });

test('the sample catalog loads once and search finds products by the words of their names', async (t) => {
  const catalog = new CatalogService({ db, clock: systemClock });
  const report = await loadSampleCatalog(db, { catalog });
  assert.ok(report.status === 'completed' || report.status === 'skipped');
  assert.equal(report.rejected, 0);
  assert.equal((await loadSampleCatalog(db, { catalog })).status, 'skipped');
  const counts = await catalog.counts();
  assert.ok(counts.products >= 3307 && counts.merchants >= 13, JSON.stringify(counts));

  const f = await measureRelevance(catalog, 200);
  measured = f;
  sample = catalog;
  t.diagnostic(`name queries: ${f.top3Hits}/${f.nameQueries} in the top 3 (${(f.top3Rate * 100).toFixed(1)} %) on ${db.dialect}`);
  assert.equal(f.nameQueries, 200);
  // 94.5 % (SQLite) and 95.0 % (PostgreSQL) before forgiving matching; it must not drop.
  assert.ok(f.top3Rate >= 0.945, `only ${f.top3Hits} of 200 name queries found their product in the top 3`);
});

// Queries that are not the products' names (scripts/bench-relevance.ts, measureForgiving): the
// floors are the targets of the issue; the figures measured are in docs/product-search.md.
test('search forgives typos, split and joined words, synonyms and partial names', async (t) => {
  const catalog = sample;
  assert.ok(catalog, 'the sample catalog was loaded first');
  const g = await measureForgiving(catalog, 200);
  const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
  t.diagnostic(`typos: ${g.typoKept}/${g.typoCleanHits} clean hits kept (${pct(g.typoKeptRate)}) on ${catalog.db.dialect}`);
  t.diagnostic(
    `split ${pct(g.split.rate)} of ${g.split.pairs}, joined ${pct(g.joined.rate)} of ${g.joined.pairs}, synonyms ${pct(g.synonyms.rate)} of ${g.synonyms.pairs}`,
  );
  t.diagnostic(`partial names: ${g.partialHits}/${g.partialQueries} (${pct(g.partialRate)})`);
  assert.equal(g.typoQueries, 200);
  assert.ok(g.typoCleanHits >= 130, `${g.typoCleanHits} clean known-item hits`);
  assert.ok(g.typoKeptRate >= 0.95, `one typo kept ${pct(g.typoKeptRate)} of the clean hits: ${JSON.stringify(g.typoMisses.slice(0, 5))}`);
  for (const [kind, f] of [
    ['split', g.split],
    ['joined', g.joined],
    ['synonym', g.synonyms],
  ] as const) {
    assert.ok(f.pairs >= 150, `${kind}: only ${f.pairs} twin queries`);
    assert.ok(f.rate >= 0.9, `${kind}: ${pct(f.rate)} match their clean twin's top 3: ${JSON.stringify(f.misses.slice(0, 5))}`);
    assert.ok(f.keepsFirst / f.pairs >= 0.97, `${kind}: the clean twin's first product kept ${f.keepsFirst}/${f.pairs}`);
  }
  assert.ok(g.partialRate >= 0.72, `partial names ${pct(g.partialRate)}`);

  // The examples, on the sample catalog.
  const top = async (keywords: string, n = 3) => {
    const r = await catalog.searchProducts({ ...productSearchQuery({ keywords }), page: { pageNumber: 0, pageSize: n } }, US_SHOPPER);
    assert.ok(r.kind === 'ok');
    return {
      count: r.matchingProductCount,
      titles: r.products.map((p) => p.product.title ?? ''),
      asins: r.products.map((p) => p.product.asin),
    };
  };
  assert.ok((await top('otterbox defnder')).titles.every((title) => /OtterBox - Defender/.test(title)));
  assert.ok((await top('i phone case')).titles.every((title) => /iPhone/.test(title) && /Case/i.test(title)));
  for (const title of (await top('iphone7 case')).titles) assert.match(title, /Case.*iPhone®? 7|iPhone®? 7.*Case/);
  assert.equal((await top('cellphone')).count, (await top('cell phone')).count);
  assert.deepEqual((await top('ear buds')).asins, (await top('earbuds')).asins);
  assert.ok((await top('galxy s7')).titles.every((title) => /Galaxy S7/i.test(title)));
});

// The reference suite: the judgments live beside the repository (../shared/datasets).
test('reference: the ESCI products rank by their relevance labels (nDCG@10)', { skip: DATASETS_SKIP }, (t) => {
  const f = measured;
  assert.ok(f, 'the name queries ran first');
  assert.ok(f.ndcgAt10 !== null && f.ndcgAt10 !== undefined, `ESCI judgments were not read from ${ESCI_JUDGMENTS_FILE}`);
  t.diagnostic(`ESCI nDCG@10: ${f.ndcgAt10?.toFixed(3)} (${f.esciTop10.map((r) => r.label).join('')})`);
  // 0.600 (SQLite) and 0.622 (PostgreSQL) before forgiving matching; it must not drop.
  assert.ok((f.ndcgAt10 ?? 0) >= (sample?.db.dialect === 'postgres' ? 0.62 : 0.6), `nDCG@10 ${f.ndcgAt10}`);
  assert.equal(f.esciTop10[0]?.label, 'E');
});

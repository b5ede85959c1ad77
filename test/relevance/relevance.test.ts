import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CatalogService, loadSampleCatalog } from '../../src/modules/catalog/index.ts';
import { systemClock } from '../../src/kernel/clock.ts';
import { ESCI_JUDGMENTS_FILE, measureRelevance, ndcg } from '../../scripts/bench-relevance.ts';
import { openTestDb } from '../support/catalog.ts';
import { DATASETS_SKIP } from '../support/reference.ts';

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

test('the sample catalog loads once and search finds products by the words of their names', async (t) => {
  const db = await openTestDb();
  const catalog = new CatalogService({ db, clock: systemClock });
  const report = await loadSampleCatalog(db, { catalog });
  assert.ok(report.status === 'completed' || report.status === 'skipped');
  assert.equal(report.rejected, 0);
  assert.equal((await loadSampleCatalog(db, { catalog })).status, 'skipped');
  const counts = await catalog.counts();
  assert.ok(counts.products >= 3307 && counts.merchants >= 13, JSON.stringify(counts));

  const f = await measureRelevance(catalog, 200);
  measured = f;
  t.diagnostic(`name queries: ${f.top3Hits}/${f.nameQueries} in the top 3 (${(f.top3Rate * 100).toFixed(1)} %) on ${db.dialect}`);
  assert.equal(f.nameQueries, 200);
  assert.ok(f.top3Rate >= 0.9, `only ${f.top3Hits} of 200 name queries found their product in the top 3`);
});

// The reference suite: the judgments live beside the repository (../shared/datasets).
test('reference: the ESCI products rank by their relevance labels (nDCG@10)', { skip: DATASETS_SKIP }, (t) => {
  const f = measured;
  assert.ok(f, 'the name queries ran first');
  assert.ok(f.ndcgAt10 !== null && f.ndcgAt10 !== undefined, `ESCI judgments were not read from ${ESCI_JUDGMENTS_FILE}`);
  t.diagnostic(`ESCI nDCG@10: ${f.ndcgAt10?.toFixed(3)} (${f.esciTop10.map((r) => r.label).join('')})`);
  assert.ok((f.ndcgAt10 ?? 0) >= 0.5, `nDCG@10 ${f.ndcgAt10}`);
  assert.equal(f.esciTop10[0]?.label, 'E');
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { CatalogService, loadSampleCatalog } from '../../src/modules/catalog/index.ts';
import { systemClock } from '../../src/kernel/clock.ts';
import { ESCI_JUDGMENTS_FILE, measureRelevance, ndcg } from '../../scripts/bench-relevance.ts';
import { openTestDb } from '../support/catalog.ts';

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
  t.diagnostic(`name queries: ${f.top3Hits}/${f.nameQueries} in the top 3 (${(f.top3Rate * 100).toFixed(1)} %) on ${db.dialect}`);
  assert.equal(f.nameQueries, 200);
  assert.ok(f.top3Rate >= 0.9, `only ${f.top3Hits} of 200 name queries found their product in the top 3`);
  // The judgments live beside the repository (../shared): the check is never skipped.
  assert.ok(fs.existsSync(ESCI_JUDGMENTS_FILE), `ESCI judgments not found at ${ESCI_JUDGMENTS_FILE} (set DATASETS_DIR)`);
  t.diagnostic(`ESCI nDCG@10: ${f.ndcgAt10?.toFixed(3)} (${f.esciTop10.map((r) => r.label).join('')})`);
  assert.ok((f.ndcgAt10 ?? 0) >= 0.5, `nDCG@10 ${f.ndcgAt10}`);
  assert.equal(f.esciTop10[0]?.label, 'E');
});

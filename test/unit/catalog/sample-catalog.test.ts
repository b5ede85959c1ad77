import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { DATASETS_DIR, DATASETS_SKIP } from '../../support/reference.ts';
import { buildSampleCatalog, serializeCatalog } from '../../../scripts/build-sample-catalog.ts';
import { SAMPLE_CATALOG_FILE, validateRecord } from '../../../src/modules/catalog/index.ts';

// The reference suite: the datasets sit beside the repository (../shared), or where DATASETS_DIR says.
test('reference: the committed sample catalog is exactly what the converter builds from the datasets', { skip: DATASETS_SKIP }, () => {
  const built = serializeCatalog(buildSampleCatalog(DATASETS_DIR));
  assert.ok(built === fs.readFileSync(SAMPLE_CATALOG_FILE, 'utf8'), 'catalog/sample-catalog.jsonl is stale: run npx tsx scripts/build-sample-catalog.ts');
});

test('every sample record is valid, ASINs are unique, offers cover US, CA, UK and DE', () => {
  const lines = fs.readFileSync(SAMPLE_CATALOG_FILE, 'utf8').trim().split('\n');
  const asins = new Set<string>();
  const regions = new Set<string>();
  let merchants = 0;
  for (const line of lines) {
    const r = validateRecord(JSON.parse(line));
    assert.ok(r.ok, r.ok ? '' : r.reason);
    if (r.value.type === 'merchant') merchants++;
    if (r.value.type !== 'product') continue;
    assert.ok(!asins.has(r.value.asin));
    asins.add(r.value.asin);
    assert.ok(r.value.offers.length >= 1 && r.value.offers.filter((o) => o.region === 'US').length <= 5);
    for (const o of r.value.offers) regions.add(o.region);
  }
  assert.equal(asins.size, 3307);
  assert.ok(asins.has('B08PB9TTKT'), 'ESCI products keep their real ASINs');
  assert.ok(merchants >= 12);
  assert.deepEqual([...regions].sort(), ['CA', 'DE', 'UK', 'US']);
  assert.ok(fs.statSync(SAMPLE_CATALOG_FILE).size < 8 * 1024 * 1024);
});

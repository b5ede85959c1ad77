import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkCsvHeader, offerFromRow, parseCsvRows, productFromRow, rowObject } from '../../../src/modules/catalog/catalog.csv.ts';

async function rows(chunks: string[]) {
  const out = [];
  for await (const r of parseCsvRows(chunks)) out.push(r);
  return out;
}

test('CSV rows: quotes, doubled quotes, commas and newlines inside quotes, CRLF, with start lines', async () => {
  const text = 'a,b,c\r\n1,"x, ""y""",3\r\n2,"multi\nline",4\n\n5,,6';
  assert.deepEqual(await rows([text]), [
    { line: 1, fields: ['a', 'b', 'c'] },
    { line: 2, fields: ['1', 'x, "y"', '3'] },
    { line: 3, fields: ['2', 'multi\nline', '4'] },
    { line: 6, fields: ['5', '', '6'] },
  ]);
});

test('CSV rows parse the same whatever the chunk boundaries', async () => {
  const text = 'a,b\n"q""uote","x\ny"\nlast,""""\n';
  const whole = await rows([text]);
  for (let i = 1; i < text.length; i++) assert.deepEqual(await rows([text.slice(0, i), text.slice(i)]), whole, `split at ${i}`);
});

test('the header must name asin and title and only known columns', () => {
  assert.deepEqual(checkCsvHeader(['asin', 'title', 'price']), []);
  assert.deepEqual(checkCsvHeader(['title', 'colour']), ['missing column asin', 'unknown column colour']);
});

test('a row maps to a product and an offer; amounts are decimals in the currency of the region', () => {
  const header = ['asin', 'title', 'categories', 'features', 'upc', 'offerId', 'region', 'merchantId', 'price', 'quantityTiers', 'prime', 'stock'];
  const row = rowObject(header, ['B0TEST0001', 'Pens', 'o:Office > p:Pens', 'Blue|Fine', '036000291452', 'off-1', 'de', 'm1', '12.5', '10:11.00|50:10', 'yes', '7']);
  const p = productFromRow(row);
  assert.ok('value' in p);
  assert.deepEqual(p.value.categories, [{ id: 'o', name: 'Office' }, { id: 'p', name: 'Pens' }]);
  assert.deepEqual(p.value.features, ['Blue', 'Fine']);
  const o = offerFromRow(row);
  assert.ok('value' in o && o.value);
  assert.equal(o.value.currency, 'EUR');
  assert.equal(o.value.price, 1250);
  assert.deepEqual(o.value.quantityTiers, [{ minQuantity: 10, price: 1100 }, { minQuantity: 50, price: 1000 }]);
  assert.equal(o.value.prime, true);
  assert.deepEqual(offerFromRow(rowObject(['asin'], ['B0TEST0001'])), { value: null });
  const bad = offerFromRow(rowObject(['offerId', 'region', 'price'], ['x', 'US', '1.999']));
  assert.ok('error' in bad && /price/.test(bad.error));
  const leaf = productFromRow(rowObject(['asin', 'title', 'categories'], ['B0TEST0001', 'T', 'abcat0811002']));
  assert.ok('value' in leaf && leaf.value.categoryId === 'abcat0811002');
});

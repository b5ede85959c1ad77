import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeSortKey, parseKeyValue, parseRefinements, tokenize } from '../../../src/modules/catalog/index.ts';

test('tokenize lower-cases, splits on punctuation, drops stop words and repeats', () => {
  assert.deepEqual(tokenize('Case for Apple® iPhone® 7 - Black, black'), ['case', 'apple', 'iphone', '7', 'black']);
  assert.deepEqual(tokenize('06 bmw 325i radio oem not navigation system'), ['06', 'bmw', '325i', 'radio', 'oem', 'navigation', 'system']);
});

test('tokenize keeps stop words when the query has nothing else', () => {
  assert.deepEqual(tokenize('the and'), ['the', 'and']);
  assert.deepEqual(tokenize('  --  '), []);
});

test('tokenize keeps letters of other scripts and strips operators', () => {
  assert.deepEqual(tokenize('Lösung "AND" NOT (x*)'), ['lösung', 'x']);
});

test('parseKeyValue reads key#value and refuses halves', () => {
  assert.deepEqual(parseKeyValue('brandtextbin#Sony'), { key: 'brandtextbin', value: 'Sony' });
  assert.deepEqual(parseKeyValue('review-rating#4#x'), { key: 'review-rating', value: '4#x' });
  assert.equal(parseKeyValue('brandtextbin'), null);
  assert.equal(parseKeyValue('#Sony'), null);
  assert.equal(parseKeyValue('brandtextbin#'), null);
});

test('a missing or unknown sortKey means RELEVANCE', () => {
  assert.equal(normalizeSortKey(undefined), 'RELEVANCE');
  assert.equal(normalizeSortKey('cheapest'), 'RELEVANCE');
  assert.equal(normalizeSortKey('price_low_to_high'), 'PRICE_LOW_TO_HIGH');
});

test('searchRefinements select departments, brands, ratings, conditions and credentials', () => {
  const r = parseRefinements([
    { key: 'search-alias', value: 'mobile' },
    { key: 'brandtextbin', value: 'OtterBox' },
    { key: 'brandtextbin', value: 'Speck' },
    { key: 'review-rating', value: '3' },
    { key: 'review-rating', value: '4' },
    { key: 'condition', value: 'used' },
    { key: 'seller-credential', value: 'MYC_TYPE_DIV_MIN_BUSINESS' },
  ]);
  assert.ok('selection' in r);
  assert.deepEqual(r.selection, {
    departments: ['MOBILE_AND_ACCESSORIES'],
    brands: ['otterbox', 'speck'],
    minRating: 4,
    conditions: ['USED'],
    certificates: ['MYC_TYPE_DIV_MIN_BUSINESS'],
  });
  assert.deepEqual(parseRefinements([{ key: 'color', value: 'red' }]), { invalid: 'color#red' });
  assert.deepEqual(parseRefinements([{ key: 'review-rating', value: '5' }]), { invalid: 'review-rating#5' });
  assert.deepEqual(parseRefinements([{ key: 'search-alias', value: 'nowhere' }]), { invalid: 'search-alias#nowhere' });
});

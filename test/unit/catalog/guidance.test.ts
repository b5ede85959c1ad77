import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decideGuidance, guidanceFragments, type BuyingPolicy } from '../../../src/modules/catalog/index.ts';

const product = { asin: 'B0TEST0001', brand: 'OtterBox', department: 'MOBILE_AND_ACCESSORIES', categoryIds: ['abcat0800000', 'abcat0811002'] };

test('no policies give NONE; unreadable policies give UNKNOWN', () => {
  assert.equal(decideGuidance([], product).guidance, 'NONE');
  assert.equal(decideGuidance(null, product).guidance, 'UNKNOWN');
  assert.equal(decideGuidance([{ guidance: 'BLOCKED', matchType: 'brand', value: 'Speck' }], product).guidance, 'NONE');
});

test('policies match by ASIN, brand (any case) and category (department or any node of the path)', () => {
  assert.equal(decideGuidance([{ guidance: 'PREFERRED', matchType: 'asin', value: 'b0test0001' }], product).guidance, 'PREFERRED');
  assert.equal(decideGuidance([{ guidance: 'RESTRICTED', matchType: 'brand', value: 'otterbox' }], product).guidance, 'RESTRICTED');
  assert.equal(decideGuidance([{ guidance: 'BLOCKED', matchType: 'category', value: 'abcat0811002' }], product).guidance, 'BLOCKED');
  assert.equal(decideGuidance([{ guidance: 'BLOCKED', matchType: 'category', value: 'MOBILE_AND_ACCESSORIES' }], product).guidance, 'BLOCKED');
});

test('the most specific policy decides: ASIN over brand over category', () => {
  const policies: BuyingPolicy[] = [
    { guidance: 'BLOCKED', matchType: 'category', value: 'abcat0800000' },
    { guidance: 'RESTRICTED', matchType: 'brand', value: 'OtterBox' },
    { guidance: 'PREFERRED', matchType: 'asin', value: 'B0TEST0001' },
  ];
  const d = decideGuidance(policies, product);
  assert.equal(d.guidance, 'PREFERRED');
  assert.deepEqual(d.matched.map((p) => p.matchType), ['asin', 'brand', 'category']);
});

test('among equally specific policies the strictest wins', () => {
  const d = decideGuidance(
    [
      { guidance: 'PREFERRED', matchType: 'category', value: 'abcat0811002' },
      { guidance: 'BLOCKED', matchType: 'category', value: 'abcat0800000' },
    ],
    product,
  );
  assert.equal(d.guidance, 'BLOCKED');
});

test('buyingGuidanceV2 lists every matching policy, or one NONE fragment', () => {
  assert.deepEqual(guidanceFragments(decideGuidance([], product)), [{ title: 'NONE', type: 'NONE', fragments: [] }]);
  const fragments = guidanceFragments(decideGuidance([{ guidance: 'RESTRICTED', matchType: 'brand', value: 'OtterBox' }], product));
  assert.equal(fragments.length, 1);
  assert.equal(fragments[0]?.type, 'RESTRICTED');
  assert.match(fragments[0]?.message ?? '', /brand: OtterBox/);
});

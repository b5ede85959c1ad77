import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { parseVariantName, variationFamilies } from '../../../scripts/build-sample-catalog.ts';
import { checkCsvHeader } from '../../../src/modules/catalog/catalog.csv.ts';
import { buildFamily } from '../../../src/modules/catalog/domain/variations.ts';
import { SAMPLE_CATALOG_FILE, validateRecord, type ProductInput, type ProductVariations } from '../../../src/modules/catalog/index.ts';

test('a Best Buy name splits into its template and its colour, capacity and carrier', () => {
  assert.deepEqual(parseVariantName('Samsung - Galaxy S7 32GB - Black Onyx (Verizon)'), {
    template: 'Samsung - Galaxy S7 {capacity} - {color} {carrier}',
    color: 'Black Onyx',
    capacity: '32GB',
    carrier: 'Verizon',
  });
  assert.deepEqual(parseVariantName('Motorola - Moto X Pure 4G with 64GB Memory Cell Phone (Unlocked) - Black'), {
    template: 'Motorola - Moto X Pure 4G with {capacity} Memory Cell Phone ({carrier}) - {color}',
    color: 'Black',
    capacity: '64GB',
    carrier: 'Unlocked',
  });
  assert.deepEqual(parseVariantName('Motorola - Moto Z Droid 4G LTE with 32GB Memory Cell Phone - Black/Lunar Grey (Verizon Wireless)'), {
    template: 'Motorola - Moto Z Droid 4G LTE with {capacity} Memory Cell Phone - {color} {carrier}',
    color: 'Black/Lunar Grey',
    capacity: '32GB',
    carrier: 'Verizon',
  });
  assert.deepEqual(parseVariantName('OtterBox - Defender Series Case for Apple® iPhone® 7 - Blue/Aqua'), {
    template: 'OtterBox - Defender Series Case for Apple® iPhone® 7 - {color}',
    color: 'Blue/Aqua',
  });
  // "(4th Generation)" is no carrier; a last segment without a colour word is no colour.
  assert.deepEqual(parseVariantName('OtterBox - Defender Series Case for Apple® iPhone® 7 - Mini Dot'), null);
  assert.equal(parseVariantName('Motorola - Moto G Plus (4th Generation) 4G LTE with 16GB Memory Cell Phone (Unlocked) - Black')?.template,
    'Motorola - Moto G Plus (4th Generation) 4G LTE with {capacity} Memory Cell Phone ({carrier}) - {color}');
  // No variation part at all; a generic model ("Wall Charger" names several different chargers).
  assert.equal(parseVariantName('Boost Mobile - Re-Boost $50 Prepaid Phone Card'), null);
  assert.equal(parseVariantName('Insignia™ - Wall Charger - Blue'), null);
  assert.equal(parseVariantName('Insignia™ - Apple MFi Certified 3\' Lightning-to-USB Charge-and-Sync Cable - Black'), null);
  assert.equal(parseVariantName('Swarovski - Case for Apple® iPhone® 7 - Black'), null);
});

const families = (names: [string, string, string?][]) =>
  variationFamilies(names.map(([asin, name, scope]) => ({ asin, name, ...(scope ? { scope } : {}) })));

test('products whose names differ only in colour, capacity or carrier form one family, in a stable order', () => {
  const out = families([
    ['B000000001', 'Samsung - Galaxy S7 32GB - Gold Platinum (Verizon)'],
    ['B000000002', 'Samsung - Galaxy S7 32GB - Black Onyx (AT&T)'],
    ['B000000003', 'Samsung - Galaxy S7 32GB - Black Onyx (Verizon)'],
    ['B000000011', 'Apple - iPhone 7 128GB - Black (Sprint)'],
    ['B000000012', 'Apple - iPhone 7 32GB - Black (Sprint)'],
    ['B000000013', 'Apple - iPhone 7 256GB - Black (Sprint)'],
    // Case and trademark signs do not matter.
    ['B000000021', 'Speck - CandyShell Grip Case for Apple® iPhone® 6 - White/Blue'],
    ['B000000022', 'Speck - Candyshell Grip Case for Apple iPhone 6 - Black/Gray'],
  ]);
  const galaxy: ProductVariations = {
    dimensions: [
      { name: 'Color', values: ['Black Onyx', 'Gold Platinum'] },
      { name: 'Wireless Carrier', values: ['AT&T', 'Verizon'] },
    ],
    children: [
      { asin: 'B000000002', values: ['Black Onyx', 'AT&T'] },
      { asin: 'B000000003', values: ['Black Onyx', 'Verizon'] },
      { asin: 'B000000001', values: ['Gold Platinum', 'Verizon'] },
    ],
  };
  for (const asin of ['B000000001', 'B000000002', 'B000000003']) assert.deepEqual(out.get(asin), galaxy);
  // Capacities by size, not alphabetically; colour and carrier are the same for all, so no dimension.
  assert.deepEqual(out.get('B000000013'), {
    dimensions: [{ name: 'Capacity', values: ['32GB', '128GB', '256GB'] }],
    children: [
      { asin: 'B000000012', values: ['32GB'] },
      { asin: 'B000000011', values: ['128GB'] },
      { asin: 'B000000013', values: ['256GB'] },
    ],
  });
  assert.deepEqual(out.get('B000000021')?.children, [
    { asin: 'B000000022', values: ['Black/Gray'] },
    { asin: 'B000000021', values: ['White/Blue'] },
  ]);
  assert.equal(out.size, 8);
});

test('names that must not be grouped are not', () => {
  const out = families([
    // Generic model words: Best Buy sells several different "Wall Charger"s.
    ['B000000101', 'Insignia™ - Wall Charger - Blue'],
    ['B000000102', 'Insignia™ - Wall Charger - Red'],
    // Two SKUs with the very same name differ in something the name does not say: the whole family goes.
    ['B000000111', 'Tech21 - Evo Tactical Case for Apple® iPhone® 7 - Black'],
    ['B000000112', 'Tech21 - Evo Tactical Case for Apple® iPhone® 7 - Black'],
    ['B000000113', 'Tech21 - Evo Tactical Case for Apple® iPhone® 7 - Blue'],
    // The same colour spelt twice is still the same colour.
    ['B000000121', 'Incase - Smart SYSTM Case for Apple iPhone 6 and 6s - Gray/Frost Clear'],
    ['B000000122', 'Incase - Smart SYSTM Case for Apple iPhone 6 and 6s - Gray/Frost clear'],
    // Different wording is a different product line ("4G LTE").
    ['B000000131', 'LG - G5 with 32GB Memory Cell Phone - Gold (AT&T)'],
    ['B000000132', 'LG - G5 4G LTE with 32GB Memory Cell Phone - Silver (AT&T)'],
    // Different models, different brands, a refurbished and a new phone.
    ['B000000141', 'Samsung - Galaxy S7 32GB - Black Onyx (Verizon)'],
    ['B000000142', 'Samsung - Galaxy S7 edge 32GB - Blue Coral (Verizon)'],
    ['B000000151', 'AT&T GoPhone - LG Phoenix 2 4G LTE with 16GB Memory Prepaid Cell Phone - Black'],
    ['B000000152', 'Cricket Wireless - LG Phoenix 2 4G LTE with 16GB Memory Prepaid Cell Phone - White'],
    ['B000000161', 'Apple - iPhone 6s 16GB - Gold (AT&T)', 'new'],
    ['B000000162', 'Apple - iPhone 6s 16GB - Silver (AT&T)', 'refurbished'],
    // A family of one is no family.
    ['B000000171', 'BLU - Life XL with 8GB Memory Cell Phone (Unlocked) - Black'],
  ]);
  assert.deepEqual([...out.keys()], []);
});

test('a family is built only when its members can be told apart by its dimensions', () => {
  const dims = [{ name: 'Color' }, { name: 'Size' }];
  assert.deepEqual(
    buildFamily(dims, [
      { asin: 'B000000201', values: { Color: 'rose gold', Size: 'M' } },
      { asin: 'B000000202', values: { Color: 'Black', Size: 'M' } },
      { asin: 'B000000203', values: { Color: 'Rose Gold', Size: 'L' } },
      { asin: 'B000000204', values: { Color: 'Rose Gold', Size: 'M ' } },
    ]),
    null,
    'B000000201 and B000000204 are both Rose Gold M',
  );
  assert.deepEqual(
    buildFamily(dims, [
      { asin: 'B000000201', values: { Color: 'rose gold', Size: 'M' } },
      { asin: 'B000000202', values: { Color: 'Black', Size: 'M' } },
      { asin: 'B000000203', values: { Color: 'Rose Gold', Size: 'L' } },
    ]),
    {
      dimensions: [
        { name: 'Color', values: ['Black', 'Rose Gold'] },
        { name: 'Size', values: ['L', 'M'] },
      ],
      children: [
        { asin: 'B000000202', values: ['Black', 'M'] },
        { asin: 'B000000203', values: ['Rose Gold', 'L'] },
        { asin: 'B000000201', values: ['Rose Gold', 'M'] },
      ],
    },
  );
  assert.equal(buildFamily(dims, [{ asin: 'B000000201', values: { Color: 'Red', Size: 'M' } }, { asin: 'B000000202', values: { Color: 'Blue' } }]), null, 'a size missing');
  assert.equal(buildFamily(dims, [{ asin: 'B000000201', values: { Color: 'Red' } }, { asin: 'B000000202', values: { Color: 'red' } }]), null, 'nothing varies');
});

const FAMILY: ProductVariations = {
  dimensions: [
    { name: 'Color', values: ['Black', 'White'] },
    { name: 'Capacity', values: ['16GB', '32GB'] },
  ],
  children: [
    { asin: 'b0var00001', values: ['Black', '16GB'] },
    { asin: 'B0VAR00002', values: ['White', '32GB'] },
  ],
};

function productWith(patch: Partial<ProductInput>): unknown {
  return { type: 'product', asin: 'B0VAR00001', title: 'Phone', department: 'MOBILE_AND_ACCESSORIES', offers: [], ...patch };
}

test('import validation: a product carries a consistent family that includes itself', () => {
  const ok = validateRecord(productWith({ variations: structuredClone(FAMILY) }));
  assert.ok(ok.ok && ok.value.type === 'product');
  assert.equal(ok.value.asinType, 'VARIATION_CHILD', 'a product with a family is a VARIATION_CHILD by default');
  assert.equal(ok.value.variations?.children[0]?.asin, 'B0VAR00001', 'child ASINs are upper-cased');
  assert.ok(validateRecord(productWith({})).ok);

  const bad = (variations: unknown, patch: Record<string, unknown> = {}) => {
    const r = validateRecord({ ...(productWith({}) as object), variations, ...patch });
    assert.ok(!r.ok, `accepted ${JSON.stringify(variations)}`);
    return r.reason;
  };
  const family = (edit: (f: ProductVariations) => void) => {
    const f = structuredClone(FAMILY);
    edit(f);
    return f;
  };
  assert.equal(bad(family((f) => (f.children[1] = { asin: 'B0VAR00002', values: ['Red', '32GB'] }))), 'variations.children[1]: "Red" is not a value of dimension "Color"');
  assert.equal(bad(family((f) => (f.children[1] = { asin: 'B0VAR00002', values: ['White'] }))), 'variations.children[1]: 1 values for 2 dimensions');
  assert.equal(bad(family((f) => (f.children[1] = { asin: 'B0VAR00002', values: ['Black', '16GB'] }))), 'variations.children[1]: B0VAR00002 has the same values as another child');
  assert.equal(bad(family((f) => (f.children[1] = { asin: 'B0VAR00001', values: ['White', '32GB'] }))), 'variations.children[1]: B0VAR00001 appears twice');
  assert.equal(bad(family((f) => (f.children[1] = { asin: 'not-an-asin', values: ['White', '32GB'] }))), 'variations.children[1]: asin "not-an-asin" is not 10 letters and digits');
  assert.equal(bad(family((f) => f.dimensions[0]?.values.push('Red'))), 'variations.dimensions[0]: no child has the value "Red"');
  assert.equal(bad(family((f) => f.dimensions[0]?.values.push('black'))), 'variations.dimensions[0]: value "black" appears twice');
  assert.equal(bad(family((f) => (f.dimensions[1] = { name: 'color', values: ['16GB', '32GB'] }))), 'variations.dimensions[1]: dimension "color" appears twice');
  assert.equal(bad(family((f) => (f.children[0] = { asin: 'B0VAR00003', values: ['Black', '16GB'] }))), "variations.children: the product's own ASIN B0VAR00001 is not among them");
  assert.equal(bad(structuredClone(FAMILY), { asinType: 'STANDARD' }), 'a STANDARD product has no variations: give asinType VARIATION_CHILD (or leave it out)');
  assert.equal(bad(structuredClone(FAMILY), { asinType: 'VARIATION_PARENT' }), 'variations.children: a VARIATION_PARENT cannot be its own child');
  // The schema: shapes, sizes and unknown fields.
  assert.equal(bad({ dimensions: [], children: FAMILY.children }), '/variations/dimensions: Expected array length to be greater or equal to 1');
  assert.match(bad({ ...FAMILY, parent: 'B0VAR00000' }), /^\/variations\/parent: /);
  assert.match(bad({ dimensions: [{ name: 'Color', values: [0, 1] }], children: [] }), /^\/variations\/(dimensions|children)/);
  assert.match(bad([FAMILY]), /^\/variations: /);
});

test('CSV cannot carry a family: a variations column is refused', () => {
  assert.deepEqual(checkCsvHeader(['asin', 'title', 'variations']), ['unknown column variations']);
});

test('the sample catalog: 367 families of 1,091 products, each member carrying the same family', () => {
  const products = fs
    .readFileSync(SAMPLE_CATALOG_FILE, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as ProductInput)
    .filter((r) => r.type === 'product');
  const byAsin = new Map(products.map((p) => [p.asin, p]));
  const grouped = products.filter((p) => p.variations);
  const familyKeys = new Set<string>();
  for (const p of grouped) {
    assert.equal(p.asinType, 'VARIATION_CHILD');
    const family = JSON.stringify(p.variations);
    familyKeys.add(family);
    assert.ok(p.variations?.children.some((c) => c.asin === p.asin), `${p.asin} is in its own family`);
    for (const c of p.variations?.children ?? []) assert.equal(JSON.stringify(byAsin.get(c.asin)?.variations), family, `${c.asin} carries the family of ${p.asin}`);
  }
  for (const p of products) if (!p.variations) assert.equal(p.asinType, undefined);
  assert.equal(familyKeys.size, 367);
  assert.equal(grouped.length, 1091);
  assert.deepEqual(byAsin.get('B0WPSVP6XN')?.variations, {
    dimensions: [
      { name: 'Color', values: ['Black', 'White'] },
      { name: 'Capacity', values: ['16GB', '32GB'] },
    ],
    children: [
      { asin: 'B0WPSVP6XN', values: ['Black', '16GB'] },
      { asin: 'B0VOTTZFHS', values: ['Black', '32GB'] },
      { asin: 'B0M7CFCX5N', values: ['White', '16GB'] },
      { asin: 'B072YYTVP9', values: ['White', '32GB'] },
    ],
  });
});

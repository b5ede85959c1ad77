import { asinOfIndex } from './domain/asin.ts';
import { eanFromUpc, upcFromSeed } from './domain/identifiers.ts';
import type { CatalogRecord, ProductRecord } from './domain/model.ts';
import { Prng } from './domain/prng.ts';
import { sampleMerchantRecords, synthesizeOffers } from './catalog.synth.ts';
import { departmentById } from './domain/departments.ts';
import { drawRank, generatorVocabulary, HEAD_RANKS, termHash, type GeneratorVocabulary, type OwnWords } from './catalog.generate-vocabulary.ts';

/**
 * A synthetic catalog of any size for load and scale tests: products whose words, types and brands
 * are drawn from a Zipf-ranked vocabulary of 50,000 terms learned from the sample catalog and
 * extended with synthesized words (catalog.generate-vocabulary.ts; docs/catalog-format.md), so that a
 * word is about as selective as in a real store; deterministic for a seed (the same seed, count
 * and sample catalog give the same records).
 */

interface ProductType {
  name: string;
  department: string;
  /** USD price range of one unit, minor units. */
  price: [number, number];
  variants: readonly string[];
  packs?: readonly number[];
}

const TYPES: readonly ProductType[] = [
  { name: 'Ballpoint Pens', department: 'OFFICE_PRODUCTS', price: [399, 2499], variants: ['Black Ink', 'Blue Ink', 'Assorted Colors', 'Red Ink'], packs: [12, 24, 60] },
  { name: 'Sticky Notes', department: 'OFFICE_PRODUCTS', price: [299, 1899], variants: ['3 x 3 in', 'Pastel', 'Neon', 'Lined 4 x 6 in'], packs: [6, 12, 24] },
  { name: 'Copy Paper', department: 'OFFICE_PRODUCTS', price: [899, 5999], variants: ['Letter 20 lb', 'Legal 20 lb', 'Letter 24 lb Bright White'], packs: [1, 5, 10] },
  { name: 'Heavy Duty Stapler', department: 'OFFICE_PRODUCTS', price: [1299, 4999], variants: ['Black', 'Silver', '100 Sheet Capacity'] },
  { name: 'Hanging File Folders', department: 'OFFICE_PRODUCTS', price: [999, 2999], variants: ['Letter Size', 'Legal Size', 'Assorted Colors'], packs: [25, 50] },
  { name: 'Label Maker', department: 'OFFICE_PRODUCTS', price: [2499, 8999], variants: ['Handheld', 'Desktop', 'Bluetooth'] },
  { name: 'Dry Erase Markers', department: 'OFFICE_PRODUCTS', price: [499, 2499], variants: ['Chisel Tip', 'Fine Tip', 'Low Odor'], packs: [4, 12, 36] },
  { name: 'Nitrile Exam Gloves', department: 'INDUSTRIAL', price: [899, 3999], variants: ['Small', 'Medium', 'Large', 'X-Large'], packs: [100, 200, 1000] },
  { name: 'Safety Glasses', department: 'INDUSTRIAL', price: [599, 2999], variants: ['Clear Lens', 'Anti-Fog', 'Tinted'], packs: [1, 12] },
  { name: 'Shop Towels', department: 'INDUSTRIAL', price: [1299, 3999], variants: ['Blue', 'White', 'Heavy Duty'], packs: [1, 6, 12] },
  { name: 'Cable Zip Ties', department: 'INDUSTRIAL', price: [499, 1999], variants: ['8 in', '12 in', 'UV Resistant'], packs: [100, 500, 1000] },
  { name: 'Cordless Drill Driver', department: 'TOOLS_AND_HOME_IMPROVEMENT', price: [4999, 19999], variants: ['12V', '18V', '20V Brushless'] },
  { name: 'Screwdriver Set', department: 'TOOLS_AND_HOME_IMPROVEMENT', price: [1499, 5999], variants: ['Magnetic', 'Precision', 'Insulated'] },
  { name: 'Tape Measure', department: 'TOOLS_AND_HOME_IMPROVEMENT', price: [799, 2999], variants: ['16 ft', '25 ft', '35 ft'] },
  { name: 'LED Work Light', department: 'TOOLS_AND_HOME_IMPROVEMENT', price: [1999, 8999], variants: ['Rechargeable', 'Tripod', 'Magnetic Base'] },
  { name: 'USB-C Charging Cable', department: 'ELECTRONICS', price: [699, 2499], variants: ['3 ft', '6 ft', '10 ft', 'Braided'], packs: [1, 2, 3] },
  { name: 'Wireless Mouse', department: 'ELECTRONICS', price: [999, 4999], variants: ['Ergonomic', 'Silent Click', 'Bluetooth'] },
  { name: 'Mechanical Keyboard', department: 'ELECTRONICS', price: [3999, 14999], variants: ['Full Size', 'Tenkeyless', 'Low Profile'] },
  { name: 'Surge Protector Power Strip', department: 'ELECTRONICS', price: [1499, 4999], variants: ['6 Outlet', '8 Outlet', '12 Outlet with USB'] },
  { name: 'Hand Sanitizer', department: 'HEALTH_PERSONAL_CARE', price: [399, 2999], variants: ['Gel', 'Foam', 'Unscented'], packs: [1, 6, 12] },
  { name: 'First Aid Kit', department: 'HEALTH_PERSONAL_CARE', price: [1999, 7999], variants: ['Office', 'Vehicle', 'Industrial 50 Person'] },
  { name: 'Disinfecting Wipes', department: 'HEALTH_PERSONAL_CARE', price: [499, 2999], variants: ['Lemon', 'Fresh Scent', 'Bleach Free'], packs: [1, 3, 6] },
  { name: 'Paper Towels', department: 'HOME_AND_KITCHEN', price: [1499, 4999], variants: ['Select-a-Size', 'Multifold', 'Roll'], packs: [6, 12, 30] },
  { name: 'Trash Bags', department: 'HOME_AND_KITCHEN', price: [999, 3999], variants: ['13 Gallon', '33 Gallon', '55 Gallon Contractor'], packs: [50, 100, 200] },
  { name: 'Coffee Filters', department: 'HOME_AND_KITCHEN', price: [399, 1499], variants: ['Basket', 'Cone #4', 'Unbleached'], packs: [200, 500] },
];

const BRANDS = [
  'Acme Office', 'Brightline', 'Corvane', 'Dura-Pro', 'Everwell', 'Fieldmark', 'Granite Works', 'Helio', 'Ironclad Supply', 'Junction',
  'Keystone Basics', 'Lumora', 'Meridian', 'Northstar Tools', 'Orbis', 'Pinecrest', 'Quillon', 'Ridgeway', 'Stratus', 'Tidewater',
];
const ADJECTIVES = ['Professional', 'Premium', 'Everyday', 'Commercial Grade', 'Eco-Friendly', 'Compact', 'Heavy Duty', 'Value', 'Ultra', 'Classic'];

const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
const capitalize = (w: string): string => w.charAt(0).toUpperCase() + w.slice(1);
const titleCase = (words: readonly string[]): string => words.map(capitalize).join(' ');

/** The generator's own words (type names, variants, adjectives), and the pairs of its type names. */
function ownWords(): OwnWords {
  const words: string[] = [];
  const pairs: [string, string][] = [];
  const add = (text: string, pair: boolean) => {
    const ws = text.toLowerCase().match(/[a-z]+/g) ?? [];
    ws.forEach((w, i) => {
      if (!words.includes(w)) words.push(w);
      if (pair && i > 0) pairs.push([ws[i - 1]!, w]);
    });
  };
  for (const t of TYPES) add(t.name, true);
  for (const a of ADJECTIVES) add(a, false);
  for (const t of TYPES) for (const v of t.variants) add(v, false);
  return { words, pairs };
}

const vocabulary = (): GeneratorVocabulary => generatorVocabulary(ownWords(), BRANDS);

/** The generator's own type a word names (its last word: "pens" → Ballpoint Pens), for department and price. */
const TYPE_BY_WORD: ReadonlyMap<string, ProductType> = new Map(TYPES.flatMap((t) => (t.name.toLowerCase().match(/[a-z]+/g) ?? []).map((w) => [w, t] as const)));

/**
 * Departments of product types that are not the generator's own (physical goods). Not the
 * sample's department (Cell Phones & Accessories): its name's words would match every product in it.
 */
const OTHER_DEPARTMENTS = [
  'ELECTRONICS', 'AUTOMOTIVE', 'HOME_AND_KITCHEN', 'SPORTS_AND_OUTDOORS', 'INDUSTRIAL', 'TOYS_AND_GAMES', 'TOOLS_AND_HOME_IMPROVEMENT',
  'OFFICE_PRODUCTS', 'HEALTH_PERSONAL_CARE', 'BEAUTY', 'GARDEN_AND_OUTDOOR', 'ARTS_AND_CRAFTS', 'PET_SUPPLIES',
] as const;
/** Middle categories per department (a product type belongs to one, by its hash). */
export const GROUPS_PER_DEPARTMENT = 40;
const PACKS = [1, 1, 1, 1, 2, 3, 6, 10, 12, 24, 50, 100] as const;

/**
 * One synthetic product (index `i` of the catalog for `seed`): a product type, brand, title
 * words, variant and description drawn from the Zipf-ranked vocabulary (catalog.generate-vocabulary.ts).
 * The category path is the department, a group of product types, and the product type.
 */
export function generateProduct(i: number, seed = 'bizapi'): ProductRecord {
  const v = vocabulary();
  const prng = new Prng(`${seed}:${i}`);
  /** A term drawn on the Zipf curve; with `pairs`, its learned follower comes along half the time. */
  const draw = (pairs = true): string[] => {
    const r = drawRank(v.cumulative, prng.next());
    const f = v.follower[r]!;
    return pairs && f >= 0 && prng.chance(0.5) ? [v.terms[r]!, v.terms[f]!] : [v.terms[r]!];
  };
  // The product type: a term and its learned follower when it has one ("ballpoint pens").
  const typeRank = drawRank(v.cumulative, prng.next());
  const typeWords = [v.terms[typeRank]!, ...(v.follower[typeRank]! >= 0 ? [v.terms[v.follower[typeRank]!]!] : [])];
  const typeName = titleCase(typeWords);
  const own = TYPE_BY_WORD.get(typeWords[typeWords.length - 1]!) ?? TYPE_BY_WORD.get(typeWords[0]!);
  const hash = termHash(typeName);
  const department =
    own?.department ??
    (v.origin[typeRank] === 'sample' && hash % 2 ? 'ELECTRONICS' : OTHER_DEPARTMENTS[hash % OTHER_DEPARTMENTS.length]!);
  const group = (hash >>> 8) % GROUPS_PER_DEPARTMENT;
  // A price band per type: from the generator's own list, or a factor of 2 in 3-500 USD by hash.
  const low = own ? own.price[0] : 299 * 2 ** ((hash >>> 16) % 8);
  const high = own ? own.price[1] : low * 4;
  const brand = v.brands[drawRank(v.brandCumulative, prng.next())]!;
  const adjectives = [...draw(), ...draw()];
  const variant = titleCase(draw());
  const pack = prng.pick(PACKS);
  const asin = asinOfIndex(`generated:${seed}`, i);
  const title = `${brand} ${titleCase(adjectives)} ${typeName}, ${variant}${pack > 1 ? `, Pack of ${pack}` : ''}`;
  const usd = prng.int(low, high);
  const upc = upcFromSeed(asin);
  const departmentName = departmentById(department)?.displayName ?? department;
  const groupName = `${capitalize(v.terms[termHash(`${department}:${group}`) % HEAD_RANKS]!)} ${departmentName.split(/[ ,&]+/)[0]}`;
  const more = [...draw(), ...draw(), ...draw()];
  const use = [...draw(), ...draw()];
  return {
    type: 'product',
    asin,
    title,
    brand,
    manufacturer: brand,
    department,
    categories: [
      { id: `gen-${slug(department)}`, name: departmentName },
      { id: `gen-${slug(department)}-${group}`, name: groupName },
      { id: `gen-type-${slug(typeName)}`, name: typeName },
    ],
    description: `${title}. ${capitalize(more.join(' '))} ${typeName.toLowerCase()} from ${brand}, for ${use.join(' ')}.`,
    features: [variant, pack > 1 ? `Pack of ${pack}` : 'Sold individually', titleCase(draw()), `Made by ${brand}`],
    identifiers: { upc: [upc], ean: [eanFromUpc(upc)], partNumber: `${slug(brand).replace(/-/g, '').slice(0, 3).toUpperCase()}-${prng.int(10000, 99999)}` },
    attributes: { Variant: variant },
    rating: { stars: Math.round(prng.between(3, 5) * 10) / 10, count: prng.int(0, 5000) },
    popularity: prng.int(0, 50000),
    releaseDate: `20${prng.int(18, 25)}-${String(prng.int(1, 12)).padStart(2, '0')}-${String(prng.int(1, 28)).padStart(2, '0')}`,
    packageType: pack > 1 ? 'Pack' : 'Each',
    bundleQuantity: pack,
    customQuoteEligible: usd * pack > 10000,
    source: `generated:${seed}:${i}`,
    offers: synthesizeOffers(asin, usd),
  };
}

/** The records of a synthetic catalog: the sample merchants, then `count` products. */
export function* generateCatalog(count: number, seed = 'bizapi'): Generator<CatalogRecord> {
  yield* sampleMerchantRecords();
  for (let i = 0; i < count; i++) yield generateProduct(i, seed);
}

/** The generator's vocabulary (for tests, the benchmark and the docs). */
export { vocabulary as generatedVocabulary };

#!/usr/bin/env -S npx tsx
/**
 * Builds catalog/sample-catalog.jsonl from the datasets in ../shared/datasets (or the directory
 * given as the first argument): 3,291 Best Buy cell-phone products, the Best Buy category tree and
 * the 16 Amazon ESCI products with their real ASINs. Everything the sources do not carry (ASINs for
 * Best Buy items, identifiers, ratings, merchants, offers, prices outside the US) is derived
 * deterministically, so running it twice gives the same file byte for byte. Best Buy products whose
 * names differ only in colour, storage capacity or carrier become variation families
 * (variationFamilies below).
 *
 *   npx tsx scripts/build-sample-catalog.ts [datasetsDir] [outFile]
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { asinFromSeed } from '../src/modules/catalog/domain/asin.ts';
import { upcFromSeed } from '../src/modules/catalog/domain/identifiers.ts';
import type {
  Badge,
  CatalogRecord,
  CategoryNode,
  CategoryRecord,
  ProductInput,
  ProductVariations,
  Taxonomy,
} from '../src/modules/catalog/domain/model.ts';
import { Prng, hashString } from '../src/modules/catalog/domain/prng.ts';
import { buildFamily, type FamilyMember } from '../src/modules/catalog/domain/variations.ts';
import { sampleMerchantRecords, synthesizeOffers, DEFAULT_OFFER_PLAN } from '../src/modules/catalog/catalog.synth.ts';
import { validateRecord } from '../src/modules/catalog/catalog.record.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

interface BestBuyProduct {
  name: string;
  description: string;
  brand: string;
  categories: string[];
  price: number;
  image: string;
  popularity: number;
}
interface BestBuyCategory {
  id: string;
  name: string;
  path: { id: string; name: string }[];
}
interface EsciProduct {
  id: string;
  title: string;
  description: string | null;
  bullets: string | null;
  brand: string | null;
  color: string | null;
}

const COLORS = new Set([
  'black',
  'white',
  'clear',
  'blue',
  'gray',
  'grey',
  'gold',
  'pink',
  'silver',
  'rose gold',
  'red',
  'purple',
  'transparent',
  'green',
  'brown',
  'multi',
  'gunmetal',
  'turquoise',
  'navy',
  'orange',
  'yellow',
  'teal',
  'charcoal',
  'tan',
  'beige',
  'mint',
  'coral',
  'space gray',
  'jet black',
]);

const PHONE_UNSPSC: Taxonomy = { type: 'UNSPSC', code: '43191501', title: 'Mobile phones' };
const ACCESSORY_UNSPSC: Taxonomy = { type: 'UNSPSC', code: '43191600', title: 'Personal communication device accessories or parts' };
const AUDIO_UNSPSC: Taxonomy = { type: 'UNSPSC', code: '52161500', title: 'Audio and visual equipment' };
const CONNECTOR_UNSPSC: Taxonomy = { type: 'UNSPSC', code: '39121400', title: 'Electrical lugs plugs and connectors' };
const FUSE_UNSPSC: Taxonomy = { type: 'UNSPSC', code: '39121600', title: 'Circuit protection devices and accessories' };

function stripHtml(text: string): string {
  return text
    .replace(/<\s*br\s*\/?>|<\/p>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/[ \t\u00a0]+/g, ' ')
    .replace(/\s*\n\s*/g, '\n')
    .trim();
}

// ---- Variation families -------------------------------------------------------------------
//
// Best Buy names a product "Brand - Model - Colour", with the storage capacity inside the model
// ("Galaxy S7 32GB", "with 16GB Memory") and the carrier in parentheses, at the end or before the
// colour ("... - Black Onyx (Verizon)", "... Cell Phone (Unlocked) - Black"). Replacing those parts
// with placeholders gives the name's template; products with the same template form a family.
// Conservative on purpose: a wrong family is worse than none (buildFamily also drops families
// whose members cannot be told apart, e.g. two SKUs with the very same name).

/** Carriers as Best Buy writes them in parentheses, and their display form ("Verizon Wireless" is Verizon). */
const CARRIERS = new Map([
  ...['Unlocked', 'AT&T', 'Sprint', 'T-Mobile', 'Verizon', 'Verizon Prepaid', 'GreatCall', 'TracFone'].map((c): [string, string] => [
    c.toLowerCase(),
    c,
  ]),
  ['verizon wireless', 'Verizon'],
  ['verizon wireless prepaid', 'Verizon Prepaid'],
]);

/** A last name segment is a colour (or a colour pattern) when it has one of these words. */
const COLOR_WORD =
  /\b(black|white|clear|blue|gr[ae]y|gold|pink|silver|rose|red|purple|transparent|green|brown|multi|gunmetal|turquoise|navy|orange|yellow|teal|charcoal|tan|beige|mint|coral|onyx|platinum|titanium|titan|graphite|slate|champagne|cream|violet|olive|aqua|cyan|magenta|lavender|plum|bronze|copper|ivory|sapphire|crystal|smoke|frost|glacier|translucent|marine|cobalt|ice|lime|peach|blush|midnight|carbon|aluminum|aluminium)\b/i;

/**
 * Words that name a kind of product, not a product line: "Insignia - Wall Charger - Blue" and
 * "- Red" may well be two different chargers (Best Buy gives several the same name), while
 * "OtterBox - Defender Series Case for ... - Black" and "- Blue" are one product in two colours.
 */
const GENERIC_WORDS = new Set(
  (
    'a and accessory adapter apple armband audio back bag band bands bank battery bluetooth c cable cables car case cases cell certified charge ' +
    'charger chargers charging clear clip clips cord cover device dock external flip folio for front glass glitter hard hardshell holder ' +
    'holster hybrid in kickstand kit leather lightning liquid micro mfi mobile mount of on pack phone portable pouch power printed protective ' +
    'protector rugged screen selfie series shell silicone skin skins sleeve slim smartphone smartwatch snap soft stand station stereo stick ' +
    'strap sync tempered thin to type ultra universal usb vehicle wall wallet watch wireless with wrist wristlet'
  ).split(' '),
);

/** Lengths, capacities and counts: "3'", "6\"", "2,200 mAh", "12W", "4-Pack", "7-Port", "4-in-1". */
const MEASURE = /\d[\d,.]*\s*(?:mah|w|v|a|ft|in|mm|'|")(?![a-z0-9])|\b\d+-(?:pack|port|piece|count|in-1)\b/gi;

export interface VariantName {
  /** The name with {color}, {capacity} and {carrier} in place of its variation parts. */
  template: string;
  color?: string;
  capacity?: string;
  carrier?: string;
}

/**
 * The variation parts of a Best Buy product name, or null when the name cannot be part of a family:
 * it has no variation part, names two carriers, or its model is only generic words.
 */
export function parseVariantName(name: string): VariantName | null {
  const out: Omit<VariantName, 'template'> = {};
  let rest = name.trim();
  const end = /\s*\(([^()]*)\)$/.exec(rest);
  const endCarrier = end ? CARRIERS.get((end[1] ?? '').toLowerCase()) : undefined;
  if (end && endCarrier) {
    out.carrier = endCarrier;
    rest = `${rest.slice(0, end.index)} {carrier}`;
  }
  const segments = rest.split(' - ');
  if (segments.length >= 3) {
    const last = segments[segments.length - 1] ?? '';
    const color = last.replace(/ \{carrier\}$/, '').trim();
    if (COLOR_WORD.test(color)) {
      out.color = color;
      segments[segments.length - 1] = last.endsWith(' {carrier}') ? '{color} {carrier}' : '{color}';
      rest = segments.join(' - ');
    }
  }
  if (!out.carrier) {
    const inner = [...rest.matchAll(/\(([^()]*)\)/g)].filter((m) => CARRIERS.has((m[1] ?? '').toLowerCase()));
    if (inner.length > 1) return null;
    const m = inner[0];
    if (m) {
      out.carrier = CARRIERS.get((m[1] ?? '').toLowerCase());
      rest = `${rest.slice(0, m.index)}({carrier})${rest.slice(m.index + m[0].length)}`;
    }
  }
  const capacities = [...rest.matchAll(/\b(\d+)\s?(GB|TB)\b/gi)];
  const cap = capacities.length === 1 ? capacities[0] : undefined;
  if (cap) {
    out.capacity = `${cap[1]}${(cap[2] ?? '').toUpperCase()}`;
    rest = `${rest.slice(0, cap.index)}{capacity}${rest.slice(cap.index + cap[0].length)}`;
  }
  if (rest === name.trim()) return null;
  // The model: the name without the brand, the colour and what the product is "for".
  const [brand = '', ...model] = rest.split(' - ').filter((s) => !s.startsWith('{color}'));
  const words = (text: string) =>
    text
      .toLowerCase()
      .replace(/\{\w+\}/g, ' ')
      .replace(MEASURE, ' ')
      .split(/[^\p{L}\p{N}]+/u)
      .filter(Boolean);
  const brandWords = new Set(words(brand));
  const line = words(model.join(' ').replace(/\s+for\s.*$/i, '')).filter((w) => !GENERIC_WORDS.has(w) && !brandWords.has(w));
  if (line.length === 0) return null;
  return { template: rest, ...out };
}

const bytesOf = (capacity: string): number => Number.parseInt(capacity, 10) * (/TB$/i.test(capacity) ? 1024 : 1);

/** The dimensions of a Best Buy family, in this order; capacities by size, the others alphabetically. */
const FAMILY_DIMENSIONS = [
  { name: 'Color', part: 'color' },
  { name: 'Capacity', part: 'capacity', compare: (a: string, b: string) => bytesOf(a) - bytesOf(b) },
  { name: 'Wireless Carrier', part: 'carrier' },
] as const;

/**
 * Variation families of products by their names: the family of each grouped product (by ASIN).
 * Products of different `scope`s (e.g. refurbished and new) never share a family.
 */
export function variationFamilies(items: readonly { asin: string; name: string; scope?: string }[]): Map<string, ProductVariations> {
  const candidates = new Map<string, FamilyMember[]>();
  for (const item of items) {
    const parsed = parseVariantName(item.name);
    if (!parsed) continue;
    // Best Buy is not consistent about case and trademark signs ("MOTO G"/"Moto G", "Apple®"/"Apple").
    const template = parsed.template.replace(/[®™]/g, '').replace(/\s+/g, ' ').toLowerCase();
    const key = `${item.scope ?? ''}\u0000${template}`;
    const values = Object.fromEntries(FAMILY_DIMENSIONS.map((d) => [d.name, parsed[d.part]]));
    candidates.set(key, [...(candidates.get(key) ?? []), { asin: item.asin, values }]);
  }
  const out = new Map<string, ProductVariations>();
  for (const members of candidates.values()) {
    const family = buildFamily(FAMILY_DIMENSIONS, members);
    if (family) for (const m of members) out.set(m.asin, family);
  }
  return out;
}

function skuOf(image: string): string {
  const m = /\/(\d+)_[^/]*\.\w+$/.exec(image);
  if (!m) throw new Error(`no SKU in ${image}`);
  return m[1] as string;
}

/** Maps a Best Buy category path (names) to ids from the 2016 tree; nodes missing from it get stable made-up ids. */
function categoryMapper(tree: BestBuyCategory[]) {
  const byPath = new Map(tree.map((c) => [c.path.map((p) => p.name).join(' > '), c.id]));
  const byNameUnder = new Map<string, string>();
  for (const c of tree) if (c.path[0]?.name === 'Cell Phones' && !byNameUnder.has(c.name)) byNameUnder.set(c.name, c.id);
  return (names: string[]): CategoryNode[] =>
    names.map((name, i) => {
      const key = names.slice(0, i + 1).join(' > ');
      const id =
        byPath.get(key) ??
        byNameUnder.get(name) ??
        `syn-${name
          .toLowerCase()
          .replace(/[^a-z0-9]+/g, '-')
          .replace(/^-|-$/g, '')}-${hashString(key).toString(36)}`;
      return { id, name };
    });
}

function brandCode(brand: string): string {
  const letters = brand.toUpperCase().replace(/[^A-Z0-9]/g, '');
  return (letters + 'XXX').slice(0, 3);
}

function ratingFor(seed: string, popularity: number): { stars: number; count: number } {
  const prng = new Prng(`rating:${seed}`);
  const stars = Math.min(4.9, Math.round((prng.between(3.1, 4.5) + Math.min(0.4, Math.log10(1 + popularity) / 12)) * 10) / 10);
  return { stars, count: Math.round(popularity / prng.between(6, 30)) };
}

function bundleOf(title: string): number {
  const m = /(\d+)[- ]?pack\b|pack of (\d+)|(\d+)[- ]?count\b/i.exec(title);
  const n = Number(m?.[1] ?? m?.[2] ?? m?.[3] ?? 1);
  return n >= 1 && n <= 1000 ? n : 1;
}

/** Category records for every node the products use, with department and classification on the nodes that decide them. */
function categoryRecords(paths: CategoryNode[][]): CategoryRecord[] {
  const nodes = new Map<string, CategoryRecord>();
  for (const path of paths) {
    path.forEach((c, i) => {
      if (!nodes.has(c.id)) nodes.set(c.id, { type: 'category', id: c.id, name: c.name, ...(i > 0 ? { parentId: path[i - 1]?.id } : {}) });
    });
  }
  const set = (name: string, extra: Partial<CategoryRecord>) => {
    for (const n of nodes.values()) if (n.name === name) Object.assign(n, extra);
  };
  set('Cell Phones', { department: 'MOBILE_AND_ACCESSORIES', taxonomies: [PHONE_UNSPSC] });
  set('Cell Phone Accessories', { taxonomies: [ACCESSORY_UNSPSC] });
  set('Samsung Galaxy Accessories', { taxonomies: [ACCESSORY_UNSPSC] });
  set('Car Electronics & GPS', { department: 'ELECTRONICS', taxonomies: [AUDIO_UNSPSC] });
  set('Car Audio Installation Parts', { department: 'AUTOMOTIVE', taxonomies: [CONNECTOR_UNSPSC] });
  set('More Car Accessories', { department: 'AUTOMOTIVE', taxonomies: [FUSE_UNSPSC] });
  return [...nodes.values()];
}

function bestBuyRecords(products: BestBuyProduct[], tree: BestBuyCategory[]): { records: ProductInput[]; paths: CategoryNode[][] } {
  const mapCategories = categoryMapper(tree);
  // Best Buy numbers its items in sequence: an item's rank among them stands in for its release date.
  const ranked = [...new Set(products.map((p) => Number(skuOf(p.image))))].sort((a, b) => a - b);
  const rankOf = new Map(ranked.map((sku, i) => [sku, i / Math.max(1, ranked.length - 1)]));
  const start = Date.UTC(2012, 0, 1);
  const end = Date.UTC(2018, 0, 1);
  const used = new Set<string>();
  const asins = products.map((p) => {
    const sku = skuOf(p.image);
    let asin = asinFromSeed(`bestbuy:${sku}`);
    for (let n = 1; used.has(asin); n++) asin = asinFromSeed(`bestbuy:${sku}:${n}`);
    used.add(asin);
    return asin;
  });
  const families = variationFamilies(
    products.map((p, i) => ({
      asin: asins[i] ?? '',
      name: p.name,
      scope: p.categories.includes('Refurbished Phones') ? 'refurbished' : 'new',
    })),
  );
  const paths: CategoryNode[][] = [];
  const records = products.map((p, i): ProductInput => {
    const sku = skuOf(p.image);
    const asin = asins[i] ?? '';
    const family = families.get(asin);
    const categories = mapCategories(p.categories);
    paths.push(categories);
    const last = p.name.includes(' - ') ? p.name.slice(p.name.lastIndexOf(' - ') + 3).trim() : '';
    const color = COLORS.has(last.toLowerCase().replace(/\s*\(.*\)$/, '')) ? last.replace(/\s*\(.*\)$/, '') : undefined;
    const upc = upcFromSeed(asin);
    const code = brandCode(p.brand);
    const description = p.description.trim();
    const releaseDate = new Date(start + (rankOf.get(Number(sku)) ?? 0) * (end - start)).toISOString().slice(0, 10);
    const priceMinor = Math.round(p.price * 100);
    return {
      type: 'product',
      asin,
      ...(family ? { asinType: 'VARIATION_CHILD' as const } : {}),
      title: p.name,
      brand: p.brand,
      categoryId: categories[categories.length - 1]?.id ?? 'abcat0800000',
      description,
      images: [{ url: p.image }],
      identifiers: { upc: [upc], partNumber: `${code}-${sku}`, modelNumber: `${code}${sku.slice(-4)}` },
      ...(color ? { attributes: { Color: color } } : {}),
      ...(family ? { variations: family } : {}),
      rating: ratingFor(asin, p.popularity),
      popularity: p.popularity,
      releaseDate,
      ...optionalFlags(p.name, priceMinor),
      source: `bestbuy:${sku}`,
      offers: synthesizeOffers(asin, priceMinor, { ...DEFAULT_OFFER_PLAN, refurbished: p.categories.includes('Refurbished Phones') }),
    };
  });
  // "#1 Best Seller" in each leaf category with at least five products: the most popular one.
  const byLeaf = new Map<string, { leaf: CategoryNode; products: ProductInput[] }>();
  records.forEach((r, i) => {
    const leaf = paths[i]?.[(paths[i]?.length ?? 1) - 1];
    if (leaf) byLeaf.set(leaf.id, { leaf, products: [...(byLeaf.get(leaf.id)?.products ?? []), r] });
  });
  for (const { leaf, products: list } of byLeaf.values()) {
    if (list.length < 5) continue;
    const top = [...list].sort((a, b) => (b.popularity ?? 0) - (a.popularity ?? 0) || (a.asin < b.asin ? -1 : 1))[0];
    if (top) {
      const badge: Badge = {
        name: 'BESTSELLER_BADGE',
        fragment: { title: '#1 Best Seller', message: `in ${leaf.name}`, type: 'BESTSELLER_BADGE' },
      };
      top.badges = [badge];
    }
  }
  return { records, paths };
}

/** Fields left out of a record when they have their default (Each, 1, false). */
function optionalFlags(title: string, priceMinor: number): Partial<ProductInput> {
  const bundle = bundleOf(title);
  return {
    ...(bundle > 1 ? { bundleQuantity: bundle, packageType: 'Pack' } : {}),
    ...(priceMinor >= 30000 ? { customQuoteEligible: true } : {}),
  };
}

const CAR = { id: 'abcat0300000', name: 'Car Electronics & GPS' };
const CAR_AUDIO = { id: 'abcat0302000', name: 'Car Audio' };
const INSTALL = { id: 'pcmcat165900050023', name: 'Car Installation Parts & Accessories' };

function esciPlacement(title: string): { categories: CategoryNode[]; price: [number, number] } {
  const t = title.toLowerCase();
  if (/speaker/.test(t)) return { categories: [CAR, CAR_AUDIO, { id: 'abcat0302005', name: 'Car Speakers' }], price: [2499, 5999] };
  if (/fuse/.test(t)) return { categories: [CAR, INSTALL, { id: 'pcmcat165900050054', name: 'More Car Accessories' }], price: [799, 1999] };
  if (/transmitter|charger/.test(t))
    return { categories: [CAR, INSTALL, { id: 'pcmcat165900050048', name: 'Bluetooth/Hands-Free Car Kits' }], price: [1499, 3499] };
  if (/harness|interface|connector/.test(t))
    return { categories: [CAR, INSTALL, { id: 'pcmcat331600050007', name: 'Car Audio Installation Parts' }], price: [999, 7999] };
  return { categories: [CAR, CAR_AUDIO, { id: 'abcat0302012', name: 'Car Stereo Receivers' }], price: [8999, 29999] };
}

function esciRecords(lines: string[]): { records: ProductInput[]; paths: CategoryNode[][] } {
  const paths: CategoryNode[][] = [];
  const records = lines.map((line): ProductInput => {
    const f = (JSON.parse(line) as { fields: EsciProduct }).fields;
    const place = esciPlacement(f.title);
    const prng = new Prng(`esci:${f.id}`);
    const bullets = f.bullets ? stripHtml(f.bullets) : '';
    const features = bullets.includes('【')
      ? bullets
          .split('【')
          .map((b) => b.trim())
          .filter(Boolean)
          .map((b) => `【${b}`)
      : bullets
        ? [bullets]
        : [];
    const description = f.description ? stripHtml(f.description) : bullets;
    const upc = upcFromSeed(f.id);
    const brand = f.brand ?? undefined;
    const popularity = prng.int(200, 6000);
    const usd = prng.int(place.price[0], place.price[1]);
    const color = f.color && /^[a-z ]+$/i.test(f.color) && f.color !== '0' ? f.color.replace(/\b\w/g, (c) => c.toUpperCase()) : undefined;
    paths.push(place.categories);
    return {
      type: 'product',
      asin: f.id,
      title: f.title,
      ...(brand ? { brand } : {}),
      categoryId: place.categories[place.categories.length - 1]?.id ?? CAR.id,
      description,
      ...(features.length ? { features } : {}),
      identifiers: { upc: [upc], partNumber: `${brandCode(brand ?? 'GEN')}-${f.id.slice(-6)}` },
      ...(color ? { attributes: { Color: color } } : {}),
      rating: ratingFor(f.id, popularity),
      popularity,
      releaseDate: `20${prng.int(10, 21)}-${String(prng.int(1, 12)).padStart(2, '0')}-${String(prng.int(1, 28)).padStart(2, '0')}`,
      ...optionalFlags(f.title, usd),
      source: `esci:${f.id}`,
      offers: synthesizeOffers(f.id, usd),
    };
  });
  return { records, paths };
}

/** The sample catalog's records, in file order: merchants, Best Buy products, ESCI products. */
export function buildSampleCatalog(datasets: string): CatalogRecord[] {
  const read = (p: string) => fs.readFileSync(path.join(datasets, p), 'utf8');
  const products = JSON.parse(read('bestbuy-cellphones-3k/products.json')) as BestBuyProduct[];
  const tree = JSON.parse(read('bestbuy-categories/categories.json')) as BestBuyCategory[];
  const esci = read('esci-fixture-vespa/products.vespa-feed.jsonl')
    .split('\n')
    .filter((l) => l.trim());
  const bestBuy = bestBuyRecords(products, tree);
  const amazon = esciRecords(esci);
  const categories = categoryRecords([...bestBuy.paths, ...amazon.paths]);
  const records: CatalogRecord[] = [...sampleMerchantRecords(), ...categories, ...bestBuy.records, ...amazon.records];
  const asins = new Set<string>();
  for (const r of records) {
    const v = validateRecord(r);
    if (!v.ok) throw new Error(`generated an invalid record ${JSON.stringify(r).slice(0, 120)}: ${v.reason}`);
    if (r.type === 'product') {
      if (asins.has(r.asin)) throw new Error(`duplicate ASIN ${r.asin}`);
      asins.add(r.asin);
    }
  }
  return records;
}

export const serializeCatalog = (records: readonly CatalogRecord[]): string => records.map((r) => JSON.stringify(r)).join('\n') + '\n';

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const datasets = path.resolve(process.argv[2] ?? path.join(root, '..', 'shared', 'datasets'));
  const out = path.resolve(process.argv[3] ?? path.join(root, 'catalog', 'sample-catalog.jsonl'));
  const records = buildSampleCatalog(datasets);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, serializeCatalog(records));
  const products = records.filter((r): r is ProductInput => r.type === 'product');
  const offers = products.reduce((n, p) => n + p.offers.length, 0);
  console.log(
    `wrote ${out}: ${records.length - products.length} merchants and categories, ${products.length} products, ${offers} offers, ${fs.statSync(out).size} bytes`,
  );
  const grouped = products.filter((p) => p.variations);
  const families = new Set(grouped.map((p) => p.variations?.children.map((c) => c.asin).join(',')));
  console.log(`variation families: ${families.size}, with ${grouped.length} products`);
}

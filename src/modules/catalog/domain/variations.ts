import { normalizeAsin } from './asin.ts';
import type { AsinType, ProductVariations, VariationChild } from './model.ts';

/**
 * Variation families: products that are the same item in another colour, capacity, carrier...
 * Every member carries the whole family (ProductVariations); these are its checks and how a
 * family is assembled from its members' values.
 */

export const MAX_VARIATION_DIMENSIONS = 5;
export const MAX_VARIATION_VALUES = 200;
export const MAX_VARIATION_CHILDREN = 500;

/** The key two spellings of one value share ("Rose Gold", "rose  gold"). */
export const variationKey = (value: string): string => value.trim().replace(/\s+/g, ' ').toLowerCase();

/**
 * Checks a product's family beyond its schema, and normalizes the child ASINs (upper case).
 * A VARIATION_CHILD (the default with a family) must be one of the children; a VARIATION_PARENT
 * must not; a STANDARD product has no family. Returns the reason it is refused, or null.
 */
export function checkVariations(asin: string, asinType: AsinType | undefined, v: ProductVariations): string | null {
  const dimensionNames = new Set<string>();
  for (const [i, d] of v.dimensions.entries()) {
    const name = variationKey(d.name);
    if (!name) return `variations.dimensions[${i}]: the name is blank`;
    if (dimensionNames.has(name)) return `variations.dimensions[${i}]: dimension ${JSON.stringify(d.name)} appears twice`;
    dimensionNames.add(name);
    const keys = d.values.map(variationKey);
    const blank = keys.indexOf('');
    if (blank >= 0) return `variations.dimensions[${i}].values[${blank}]: the value is blank`;
    const twice = keys.findIndex((k, j) => keys.indexOf(k) !== j);
    if (twice >= 0) return `variations.dimensions[${i}]: value ${JSON.stringify(d.values[twice])} appears twice`;
  }
  const asins = new Set<string>();
  const combinations = new Set<string>();
  const used = v.dimensions.map(() => new Set<string>());
  for (const [i, child] of v.children.entries()) {
    const childAsin = normalizeAsin(child.asin);
    if (!childAsin) return `variations.children[${i}]: asin ${JSON.stringify(child.asin)} is not 10 letters and digits`;
    if (asins.has(childAsin)) return `variations.children[${i}]: ${childAsin} appears twice`;
    asins.add(childAsin);
    child.asin = childAsin;
    if (child.values.length !== v.dimensions.length) return `variations.children[${i}]: ${child.values.length} values for ${v.dimensions.length} dimensions`;
    for (const [j, value] of child.values.entries()) {
      const d = v.dimensions[j];
      if (!d?.values.includes(value)) return `variations.children[${i}]: ${JSON.stringify(value)} is not a value of dimension ${JSON.stringify(d?.name)}`;
      used[j]?.add(value);
    }
    const combination = JSON.stringify(child.values);
    if (combinations.has(combination)) return `variations.children[${i}]: ${childAsin} has the same values as another child`;
    combinations.add(combination);
  }
  for (const [j, d] of v.dimensions.entries()) {
    const unused = d.values.find((value) => !used[j]?.has(value));
    if (unused !== undefined) return `variations.dimensions[${j}]: no child has the value ${JSON.stringify(unused)}`;
  }
  const type = asinType ?? 'VARIATION_CHILD';
  if (type === 'STANDARD') return 'a STANDARD product has no variations: give asinType VARIATION_CHILD (or leave it out)';
  if (type === 'VARIATION_CHILD' && !asins.has(asin)) return `variations.children: the product's own ASIN ${asin} is not among them`;
  if (type === 'VARIATION_PARENT' && asins.has(asin)) return `variations.children: a VARIATION_PARENT cannot be its own child`;
  return null;
}

/** A dimension a family may vary along; `compare` orders its values (default: alphabetical, ignoring case). */
export interface FamilyDimension {
  name: string;
  compare?: (a: string, b: string) => number;
}

/** A candidate member: its ASIN and its value for each dimension (by dimension name). */
export interface FamilyMember {
  asin: string;
  values: Readonly<Record<string, string | undefined>>;
}

const alphabetical = (a: string, b: string): number => {
  const ka = variationKey(a);
  const kb = variationKey(b);
  return ka < kb ? -1 : ka > kb ? 1 : a < b ? -1 : a > b ? 1 : 0;
};

/**
 * Assembles a family from candidate members, or null when they do not make one. Spellings of a
 * value that differ only in case or spacing are one value (shown as its most frequent spelling);
 * dimensions on which every member agrees are left out. No family when no dimension varies, when
 * a varying dimension has no value for some member, or when two members cannot be told apart
 * (they differ in something the dimensions do not say). Values and children come in a stable
 * order: values by `compare`, children by their values.
 */
export function buildFamily(dimensions: readonly FamilyDimension[], members: readonly FamilyMember[]): ProductVariations | null {
  if (members.length < 2 || new Set(members.map((m) => m.asin)).size !== members.length) return null;
  const kept: { name: string; values: string[]; keyOf: (m: FamilyMember) => string }[] = [];
  for (const d of dimensions) {
    const raw = members.map((m) => m.values[d.name]);
    const present = raw.filter((v): v is string => v !== undefined && variationKey(v) !== '');
    if (present.length === 0) continue;
    if (present.length !== members.length) return null;
    const spellings = new Map<string, Map<string, number>>();
    for (const v of present) {
      const forKey = spellings.get(variationKey(v)) ?? new Map<string, number>();
      forKey.set(v, (forKey.get(v) ?? 0) + 1);
      spellings.set(variationKey(v), forKey);
    }
    if (spellings.size < 2) continue;
    const display = new Map(
      [...spellings].map(([key, counts]) => [key, [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))[0]?.[0] ?? key]),
    );
    const values = [...display.values()].sort(d.compare ?? alphabetical);
    kept.push({ name: d.name, values, keyOf: (m) => display.get(variationKey(m.values[d.name] ?? '')) ?? '' });
  }
  if (kept.length === 0 || kept.length > MAX_VARIATION_DIMENSIONS || kept.some((d) => d.values.length > MAX_VARIATION_VALUES)) return null;
  if (members.length > MAX_VARIATION_CHILDREN) return null;
  const children: (VariationChild & { order: number[] })[] = members.map((m) => {
    const values = kept.map((d) => d.keyOf(m));
    return { asin: m.asin, values, order: values.map((v, j) => kept[j]?.values.indexOf(v) ?? -1) };
  });
  if (new Set(children.map((c) => JSON.stringify(c.values))).size !== children.length) return null;
  children.sort((a, b) => {
    for (let j = 0; j < kept.length; j++) {
      const diff = (a.order[j] ?? 0) - (b.order[j] ?? 0);
      if (diff) return diff;
    }
    return 0;
  });
  return {
    dimensions: kept.map((d) => ({ name: d.name, values: d.values })),
    children: children.map((c) => ({ asin: c.asin, values: c.values })),
  };
}

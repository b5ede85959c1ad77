import { DEPARTMENTS, departmentByAlias, departmentById } from './departments.ts';
import type { KeyValue } from './query.ts';

/**
 * Search refinements: the ids the request parameters take, the `searchRefinements` values
 * (`key#value`) and the lists a response offers, built only from values present in the matches.
 */

export const AVAILABILITY_OPTIONS = [
  { id: 'InStockOnly', displayName: 'In Stock Only' },
  { id: 'IncludeOutOfStock', displayName: 'Include Out of Stock' },
] as const;
export const DELIVERY_DAY_OPTIONS = [
  { id: 'GetItToday', displayName: 'Get It Today' },
  { id: 'GetItTomorrow', displayName: 'Get It by Tomorrow' },
] as const;
export const FREE_SHIPPING_OPTION = { id: 'FreeShipping', displayName: 'Free Shipping by Amazon Business' } as const;
export const PRIME_OPTION = { id: 'PrimeEligible', displayName: 'Prime Eligible' } as const;

export type AvailabilityId = (typeof AVAILABILITY_OPTIONS)[number]['id'];
export type DeliveryDayId = (typeof DELIVERY_DAY_OPTIONS)[number]['id'];

const findId = <T extends { id: string }>(options: readonly T[], value: string): T['id'] | undefined =>
  options.find((o) => o.id.toLowerCase() === value.trim().toLowerCase())?.id;

export const availabilityId = (v: string): AvailabilityId | undefined => findId(AVAILABILITY_OPTIONS, v);
export const deliveryDayId = (v: string): DeliveryDayId | undefined => findId(DELIVERY_DAY_OPTIONS, v);
export const isFreeShippingId = (v: string): boolean => findId([FREE_SHIPPING_OPTION], v) !== undefined;
export const isPrimeId = (v: string): boolean => findId([PRIME_OPTION], v) !== undefined;

/** The `searchRefinements` keys this catalog understands. */
export const REFINEMENT_KEYS = {
  department: 'search-alias',
  brand: 'brandtextbin',
  rating: 'review-rating',
  condition: 'condition',
  certificate: 'seller-credential',
} as const;

export interface RefinementSelection {
  departments: string[];
  /** Lower-cased. */
  brands: string[];
  minRating?: number;
  conditions: string[];
  certificates: string[];
}

const CONDITION_NAMES: Record<string, string> = { NEW: 'New', USED: 'Used', REFURBISHED: 'Renewed', COLLECTIBLE: 'Collectible', OTHER: 'Other', UNKNOWN: 'Unknown' };

/** The selection of `searchRefinements` items, or the first item that is not understood. */
export function parseRefinements(items: readonly KeyValue[]): { selection: RefinementSelection } | { invalid: string } {
  const s: RefinementSelection = { departments: [], brands: [], conditions: [], certificates: [] };
  for (const { key, value } of items) {
    switch (key.toLowerCase()) {
      case REFINEMENT_KEYS.department: {
        const d = departmentByAlias(value) ?? departmentById(value);
        if (!d) return { invalid: `${key}#${value}` };
        s.departments.push(d.id);
        break;
      }
      case REFINEMENT_KEYS.brand:
        s.brands.push(value.toLowerCase());
        break;
      case REFINEMENT_KEYS.rating: {
        const r = Number(value);
        if (!Number.isInteger(r) || r < 1 || r > 4) return { invalid: `${key}#${value}` };
        s.minRating = Math.max(s.minRating ?? 0, r);
        break;
      }
      case REFINEMENT_KEYS.condition:
        if (!(value.toUpperCase() in CONDITION_NAMES)) return { invalid: `${key}#${value}` };
        s.conditions.push(value.toUpperCase());
        break;
      case REFINEMENT_KEYS.certificate:
        s.certificates.push(value.toUpperCase());
        break;
      default:
        return { invalid: `${key}#${value}` };
    }
  }
  return { selection: s };
}

export interface IdName {
  displayName: string;
  id: string;
}

export interface RefinementValue {
  displayName: string;
  searchRefinementValue: string;
}

export interface SearchRefinementGroup {
  selectionType: string | null;
  displayValue: string;
  refinementValues: RefinementValue[];
}

export interface RefinementLists {
  categories: IdName[];
  subCategories: IdName[];
  availabilityOptions: IdName[];
  deliveryDayOptions: IdName[];
  eligibleForFreeShippingOptions: IdName[];
  primeEligible: IdName[];
}

/** How many matches one refinement value has. */
export interface Count {
  key: string;
  count: number;
}

/** How many matches there are, and how many of those counted carry each refinement value. */
export interface MatchCounts {
  total: number;
  departments: Count[];
  /** Children of the selected subcategory, or the category roots when only a department is selected. */
  subCategories: Count[];
  /** Keyed by lower-cased brand; `label` holds a display spelling. */
  brands: (Count & { label: string })[];
  conditions: Count[];
  certificates: Count[];
  inStock: number;
  prime: number;
  freeShipping: number;
  arrivingToday: number;
  arrivingTomorrow: number;
  /** Matches rated at least 4, 3, 2 and 1 stars. */
  ratingAtLeast: Record<1 | 2 | 3 | 4, number>;
}

export const MAX_BRAND_REFINEMENTS = 30;

/**
 * How many matches the refinement lists are taken from, at most. A response shows which values
 * the matches have (and the most common brands first), never how many have each, so a search
 * with more matches counts only this many, like Amazon's refinements, which are estimates too:
 * for keywords, the first matches in full-text row order (the ASIN in base 36: a sample unrelated
 * to the sort); when browsing, the most popular ones. A value only matches outside them is then
 * missing from the lists. matchingProductCount is always exact.
 */
export const REFINEMENT_SAMPLE_SIZE = 1000;

/** The `refinements` object: only values that some match has. */
export function refinementLists(c: MatchCounts, categoryNames: ReadonlyMap<string, string>): RefinementLists {
  const deptName = (id: string) => departmentById(id)?.displayName ?? id;
  const when = <T>(ok: boolean, value: T): T[] => (ok ? [value] : []);
  return {
    categories: c.departments.map((d) => ({ displayName: deptName(d.key), id: d.key })),
    subCategories: c.subCategories.map((s) => ({ displayName: categoryNames.get(s.key) ?? s.key, id: s.key })),
    availabilityOptions: c.total === 0 ? [] : [...when(c.inStock > 0, AVAILABILITY_OPTIONS[0]), AVAILABILITY_OPTIONS[1]].map((o) => ({ ...o })),
    deliveryDayOptions: [...when(c.arrivingToday > 0, DELIVERY_DAY_OPTIONS[0]), ...when(c.arrivingTomorrow > 0, DELIVERY_DAY_OPTIONS[1])].map((o) => ({ ...o })),
    eligibleForFreeShippingOptions: when(c.freeShipping > 0, { ...FREE_SHIPPING_OPTION }),
    primeEligible: when(c.prime > 0, { ...PRIME_OPTION }),
  };
}

/** The `searchRefinements` groups: Department, Brand, Customer Review, Condition, Seller Credentials. */
export function searchRefinementGroups(c: MatchCounts, certificateNames: ReadonlyMap<string, string>): SearchRefinementGroup[] {
  const groups: SearchRefinementGroup[] = [];
  const add = (selectionType: string | null, displayValue: string, values: RefinementValue[]) => {
    if (values.length) groups.push({ selectionType, displayValue, refinementValues: values });
  };
  const deptById = new Map(DEPARTMENTS.map((d) => [d.id, d]));
  add(null, 'Department', c.departments.flatMap((d) => {
    const dept = deptById.get(d.key);
    return dept ? [{ displayName: dept.displayName, searchRefinementValue: `${REFINEMENT_KEYS.department}#${dept.alias}` }] : [];
  }));
  add('MultiSelectOR', 'Brand', c.brands.slice(0, MAX_BRAND_REFINEMENTS).map((b) => ({ displayName: b.label, searchRefinementValue: `${REFINEMENT_KEYS.brand}#${b.label}` })));
  add('InsteadSelect', 'Customer Review', ([4, 3, 2, 1] as const)
    .filter((r) => c.ratingAtLeast[r] > 0)
    .map((r) => ({ displayName: `${r} Stars & Up`, searchRefinementValue: `${REFINEMENT_KEYS.rating}#${r}` })));
  add('MultiSelectOR', 'Condition', c.conditions.map((k) => ({ displayName: CONDITION_NAMES[k.key] ?? k.key, searchRefinementValue: `${REFINEMENT_KEYS.condition}#${k.key}` })));
  add('MultiSelectOR', 'Seller Credentials', c.certificates.map((k) => ({ displayName: certificateNames.get(k.key) ?? k.key, searchRefinementValue: `${REFINEMENT_KEYS.certificate}#${k.key}` })));
  return groups;
}

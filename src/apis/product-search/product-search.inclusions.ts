import type { PrivilegedField } from '../../kernel/reference.ts';
import { enumList } from '../shared/index.ts';

/**
 * Which fields a response carries: the inclusion lists of the request, intersected with the
 * privileged fields granted to the calling application (absent when not granted).
 */

/** Left out unless asked for (the model: "all inclusions except upcValues, eanValues, modelNumber, and manufacturerName"). */
const NOT_BY_DEFAULT = new Set(['upcValues', 'eanValues', 'modelNumber', 'manufacturerName']);

export interface ProductFields {
  has(field: string): boolean;
  /** isBundledAsin: 'value' when explicitly asked for, 'null' by default, 'absent' otherwise. */
  bundled: 'value' | 'null' | 'absent';
}

export interface OfferFields {
  has(field: string): boolean;
}

/** The product fields of a response. */
export function productFields(
  requested: string[] | undefined,
  allowed: readonly string[],
  privileged: ReadonlySet<PrivilegedField>,
  name = 'inclusionsForProducts',
): ProductFields {
  const list = enumList(requested, name, allowed);
  const all = list?.includes('ALL') ?? false;
  const chosen = new Set(list === undefined ? allowed.filter((f) => f !== 'ALL' && !NOT_BY_DEFAULT.has(f)) : all ? allowed : list);
  const granted = (f: string) => !isPrivilegedField(f) || privileged.has(f);
  return {
    has: (f) => chosen.has(f) && granted(f),
    bundled: list === undefined ? 'null' : all || list.includes('isBundledAsin') ? 'value' : 'absent',
  };
}

/** The offer fields of a response (merchantId and feedback figures additionally need their grants). */
export function offerFields(requested: string[] | undefined, allowed: readonly string[], name = 'inclusionsForOffers'): OfferFields {
  const list = enumList(requested, name, allowed);
  const chosen = new Set(list === undefined || list.includes('ALL') ? allowed : list);
  return { has: (f) => chosen.has(f) };
}

const PRODUCT_PRIVILEGED = new Set([
  'taxonomies',
  'customerReviewsSummary',
  'editorialReviews',
  'bookInformation',
  'byLine',
  'mediaInformation',
  'format',
]);
const isPrivilegedField = (f: string): f is PrivilegedField => PRODUCT_PRIVILEGED.has(f);

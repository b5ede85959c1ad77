import type { PostalAddress } from '../../modules/accounts/index.ts';
import type { ItemAdd, ItemChange } from '../../modules/carts/index.ts';
import { normalizeAsin } from '../../modules/catalog/index.ts';
import { integer, invalidParameterValue as invalid, missingParameter as missing, one, requireJsonObject, shown } from '../shared/index.ts';

/**
 * The Cart API's parameters and bodies, read against its model. Refusals are 400
 * INVALID_REQUEST_PARAMETER in the words of the model's own examples ("The required request
 * parameter is missing: region."), naming a body field by its JSON path.
 */

type Json = Record<string, unknown>;
type Query = Parameters<typeof one>[0];

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The `cartId` path parameter. */
export function readCartId(params: Readonly<Record<string, string>>): string {
  const id = params.cartId ?? '';
  if (id === '') throw missing('cartId');
  if (id.length > 100) throw invalid('cartId', 'it has at most 100 characters');
  return id;
}

/** listCarts' paging: `pageSize` (1 to 50, default 5) and the `pageToken` a previous page answered. */
export function readPaging(query: Query): { size: number; token: string | null } {
  const size = integer(one(query, 'pageSize'), 'pageSize', 1, 50) ?? 5;
  const token = one(query, 'pageToken');
  return { size, token: token === undefined || token === '' ? null : token };
}

function items(body: Json, operationId: string): unknown[] {
  const list = body.items;
  if (list === undefined) throw missing('items', `the ${operationId === 'addItems' ? 'add' : 'modify'} items request`);
  if (!Array.isArray(list)) throw invalid('items', 'it must be an array');
  if (list.length < 1 || list.length > 50) throw invalid('items', 'it has 1 to 50 entries');
  return list;
}

function quantity(v: unknown, path: string, where: string): number {
  if (v === undefined) throw missing(path, where);
  if (typeof v !== 'number' || !Number.isInteger(v)) throw invalid(path, 'it must be a whole number');
  if (v < 1 || v > 9999) throw invalid(path, 'it must be between 1 and 9999');
  return v;
}

function text(v: unknown, path: string, where: string, max = 100): string {
  if (v === undefined) throw missing(path, where);
  if (typeof v !== 'string') throw invalid(path, 'it must be a string');
  if (v.trim() === '') throw invalid(path, 'it must not be empty');
  if (v.length > max) throw invalid(path, `it has at most ${max} characters`);
  return v;
}

/** A MetadataAttribute list (CatalogMetadata is the model's only subtype): checked, not kept. */
function metadata(v: unknown, path: string): void {
  if (v === undefined) return;
  if (!Array.isArray(v) || v.length > 10) throw invalid(path, 'it must be an array of at most 10 entries');
  v.forEach((m, i) => {
    const p = `${path}[${i}]`;
    if (!isObject(m)) throw invalid(p, 'it must be an object');
    if (m.artifactType !== 'CatalogMetadata') throw invalid(`${p}.artifactType`, 'the only metadata type is CatalogMetadata');
    text(m.catalogId, `${p}.catalogId`, 'the add items request');
    if (m.catalogVersion !== undefined) text(m.catalogVersion, `${p}.catalogVersion`, 'the add items request');
  });
}

/** The addItems body: each item's ASIN, buying option, quantity and the caller's externalId (unique in the request). */
export function readAddItems(raw: unknown): ItemAdd[] {
  const where = 'the add items request';
  const seen = new Set<string>();
  return items(requireJsonObject('addItems', raw), 'addItems').map((entry, i) => {
    const p = `items[${i}]`;
    if (!isObject(entry)) throw invalid(p, 'it must be an object');
    if (entry.productIdentifier === undefined) throw missing('productIdentifier', where);
    const asin = normalizeAsin(text(entry.productIdentifier, `${p}.productIdentifier`, where, 20));
    if (!asin) throw invalid(`${p}.productIdentifier`, 'it is not an ASIN (10 letters and digits)');
    if (entry.buyingOptionIdentifier === undefined) throw missing('buyingOptionIdentifier', where);
    const offerId = text(entry.buyingOptionIdentifier, `${p}.buyingOptionIdentifier`, where, 500);
    const q = quantity(entry.quantity, `${p}.quantity`, where);
    if (entry.externalId === undefined) throw missing('externalId', where);
    const externalId = text(entry.externalId, `${p}.externalId`, where, 100);
    if (seen.has(externalId)) throw invalid(`${p}.externalId`, `"${shown(externalId)}" is used by another item of the request`);
    seen.add(externalId);
    metadata(entry.metadata, `${p}.metadata`);
    return { externalId, asin, offerId, quantity: q };
  });
}

/** The modifyItems body: each item's id and new quantity (an id at most once). */
export function readModifyItems(raw: unknown): ItemChange[] {
  const where = 'the modify items request';
  const seen = new Set<string>();
  return items(requireJsonObject('modifyItems', raw), 'modifyItems').map((entry, i) => {
    const p = `items[${i}]`;
    if (!isObject(entry)) throw invalid(p, 'it must be an object');
    if (entry.itemId === undefined) throw missing('itemId', where);
    const itemId = text(entry.itemId, `${p}.itemId`, where);
    if (seen.has(itemId)) throw invalid(`${p}.itemId`, `"${shown(itemId)}" is modified twice in the request`);
    seen.add(itemId);
    if (entry.quantity === undefined) throw missing('quantity', where);
    return { itemId, quantity: quantity(entry.quantity, `${p}.quantity`, where) };
  });
}

const ADDRESS_LIMITS: Readonly<Record<string, number>> = {
  fullName: 100,
  phoneNumber: 40,
  companyName: 100,
  addressLine1: 180,
  addressLine2: 60,
  addressLine3: 60,
  city: 100,
  stateOrRegion: 100,
  postalCode: 20,
  countryCode: 2,
};
const REQUIRED_ADDRESS = ['fullName', 'addressLine1', 'city', 'postalCode', 'countryCode'];

/** The getEstimatedTotalPurchaseCost body: a PhysicalAddress (the model's only Address subtype). */
export function readEstimateAddress(raw: unknown): PostalAddress {
  const where = 'the request';
  const body = requireJsonObject('getEstimatedTotalPurchaseCost', raw);
  const a = body.address;
  if (a === undefined) throw missing('address');
  if (!isObject(a)) throw invalid('address', 'it must be an object');
  if (a.addressType === undefined) throw missing('address.addressType');
  if (a.addressType !== 'PhysicalAddress') throw invalid('address.addressType', 'the only address type is PhysicalAddress');
  const out: Record<string, string> = {};
  for (const [field, max] of Object.entries(ADDRESS_LIMITS)) {
    const v = a[field];
    if (v === undefined || v === null) {
      if (REQUIRED_ADDRESS.includes(field)) throw missing(`address.${field}`, where);
      continue;
    }
    out[field] = text(v, `address.${field}`, where, max);
  }
  if (!/^[A-Z]{2}$/.test(out.countryCode!)) throw invalid('address.countryCode', 'it is an ISO 3166 alpha-2 code such as US');
  if (out.countryCode === 'US' && !out.stateOrRegion) throw missing('address.stateOrRegion', 'a US address');
  for (const key of Object.keys(a))
    if (key !== 'addressType' && !(key in ADDRESS_LIMITS)) throw invalid(`address.${shown(key)}`, 'PhysicalAddress has no such field');
  return out as unknown as PostalAddress;
}

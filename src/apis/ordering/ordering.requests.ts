import { createHash } from 'node:crypto';
import type { PostalAddress } from '../../modules/accounts/index.ts';
import { currencyExponent, marketFacts, normalizeAsin } from '../../modules/catalog/index.ts';
import type { ChargeSource, LineRequest, OrderRequest, ShipPreference, ShipTo } from '../../modules/purchasing/index.ts';
import { MARKETPLACE_REGIONS } from '../../modules/registry/index.ts';
import { invalidInput } from '../shared/index.ts';

/**
 * The placeOrder body, read against the Ordering model: every attribute and expectation type, at
 * the level the model allows it, with the reference subtypes the model leaves out
 * (`ProductIdentifier`, `BuyingOptionIdentifier`, `GroupIdentity`, `UserEmail`,
 * `StoredPaymentMethod`). A malformed body is 400 InvalidInput naming the field by its JSON path.
 */

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A refusal naming the field by its path in the body (`lineItems[0].quantity`). */
const bad = (path: string, problem: string): Error => invalidInput(`Invalid field ${path}: ${problem}.`);

function object(v: unknown, path: string): Json {
  if (!isObject(v)) throw bad(path, 'must be an object');
  return v;
}

function str(v: unknown, path: string, min = 1, max = 255): string {
  if (typeof v !== 'string') throw bad(path, v === undefined ? 'is required' : 'must be a string');
  if (v.length < min) throw bad(path, min === 1 ? 'must not be empty' : `must have at least ${min} characters`);
  if (v.length > max) throw bad(path, `must have at most ${max} characters`);
  return v;
}

function optionalStr(v: unknown, path: string, max = 255): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw bad(path, 'must be a string');
  if (v.length > max) throw bad(path, `must have at most ${max} characters`);
  return v === '' ? undefined : v;
}

function array(v: unknown, path: string, min: number, max: number): unknown[] {
  if (!Array.isArray(v)) throw bad(path, v === undefined ? 'is required' : 'must be an array');
  if (v.length < min) throw bad(path, `must have at least ${min} item${min === 1 ? '' : 's'}`);
  if (v.length > max) throw bad(path, `must have at most ${max} items`);
  return v;
}

/** The discriminator of a polymorphic object: `<base>Type` must name one of the subtypes. */
function subtype<T extends string>(v: Json, field: string, allowed: readonly T[], path: string): T {
  const t = v[field];
  if (typeof t !== 'string') throw bad(`${path}.${field}`, 'is required');
  if (!allowed.includes(t as T)) throw bad(`${path}.${field}`, `"${t.slice(0, 60)}" is not one of ${allowed.join(', ')}`);
  return t as T;
}

const ATTRIBUTE_TYPES = [
  'Region',
  'DeliveryPreference',
  'SelectedProductReference',
  'SelectedBuyingOptionReference',
  'ShippingAddress',
  'BillingAddress',
  'SelectedPaymentMethodReference',
  'BuyingGroupReference',
  'BuyerReference',
  'PurchaseOrderNumber',
  'BlanketPurchaseOrderNumber',
  'TrialMode',
  'PriceSuppressionDirective',
  'Auxiliary',
  'Distribution',
] as const;
type AttributeType = (typeof ATTRIBUTE_TYPES)[number];

/** Attributes the model allows on a line as well as on the order; the others are order-level only. */
const LINE_ATTRIBUTES: ReadonlySet<AttributeType> = new Set([
  'SelectedProductReference',
  'SelectedBuyingOptionReference',
  'ShippingAddress',
  'Auxiliary',
  'Distribution',
]);
/** Attributes that may appear more than once at one level. */
const REPEATABLE: ReadonlySet<AttributeType> = new Set(['Distribution']);

const EXPECTATION_TYPES = ['ExpectedUnitPrice', 'ExpectedCharge'] as const;
const CHARGE_SOURCES: readonly ChargeSource[] = ['SUBTOTAL', 'SHIPPING', 'TAX'];
const SHIP_PREFERENCES: readonly ShipPreference[] = ['FAST_FREE', 'CONSOLIDATED', 'EXPEDITED_PAID'];

/** At most this many units on one line. */
export const MAX_LINE_QUANTITY = 100_000;

function physicalAddress(v: unknown, path: string): PostalAddress {
  const a = object(v, path);
  subtype(a, 'addressType', ['PhysicalAddress'] as const, path);
  const country = str(a.countryCode, `${path}.countryCode`, 2, 2);
  if (!/^[A-Z]{2}$/.test(country)) throw bad(`${path}.countryCode`, 'must be two capital letters (ISO 3166 alpha-2)');
  const out: PostalAddress = {
    fullName: str(a.fullName, `${path}.fullName`),
    addressLine1: str(a.addressLine1, `${path}.addressLine1`),
    city: str(a.city, `${path}.city`),
    postalCode: str(a.postalCode, `${path}.postalCode`, 1, 20),
    countryCode: country,
  };
  const optional = {
    phoneNumber: optionalStr(a.phoneNumber, `${path}.phoneNumber`, 40),
    companyName: optionalStr(a.companyName, `${path}.companyName`),
    addressLine2: optionalStr(a.addressLine2, `${path}.addressLine2`, 60),
    addressLine3: optionalStr(a.addressLine3, `${path}.addressLine3`, 60),
    stateOrRegion: optionalStr(a.stateOrRegion, `${path}.stateOrRegion`, 100),
  };
  if (a.phoneNumber === '') throw bad(`${path}.phoneNumber`, 'must not be empty');
  for (const [k, value] of Object.entries(optional)) if (value !== undefined) (out as unknown as Record<string, string>)[k] = value;
  if (country === 'US' && !out.stateOrRegion) throw bad(`${path}.stateOrRegion`, 'is required for an address in the US');
  return out;
}

/** A PhysicalAddress, or an ExternalAddress (the buyer's id for it, and the PhysicalAddress inside). */
function shipTo(v: unknown, path: string): ShipTo {
  const a = object(v, path);
  const type = subtype(a, 'addressType', ['PhysicalAddress', 'ExternalAddress'] as const, path);
  if (type === 'PhysicalAddress') return { address: physicalAddress(a, path), addressId: null };
  return { addressId: str(a.addressId, `${path}.addressId`), address: physicalAddress(a.address, `${path}.address`) };
}

interface Money {
  currencyCode: string;
  minor: number;
}

function money(v: unknown, path: string): Money {
  const m = object(v, path);
  const currencyCode = str(m.currencyCode, `${path}.currencyCode`, 3, 3);
  if (!/^[A-Z]{3}$/.test(currencyCode)) throw bad(`${path}.currencyCode`, 'must be three capital letters (ISO 4217)');
  const amount = m.amount;
  if (typeof amount !== 'number' || !Number.isFinite(amount))
    throw bad(`${path}.amount`, amount === undefined ? 'is required' : 'must be a number');
  if (amount < 0) throw bad(`${path}.amount`, 'must not be negative');
  if (amount > 1e12) throw bad(`${path}.amount`, 'is too large');
  let exponent: number;
  try {
    exponent = currencyExponent(currencyCode);
  } catch {
    throw bad(`${path}.currencyCode`, `${currencyCode} is not a currency`);
  }
  const minor = Math.round(amount * 10 ** exponent);
  if (Math.abs(minor - amount * 10 ** exponent) > 1e-6)
    throw bad(`${path}.amount`, `has more than ${exponent} decimals for ${currencyCode}`);
  return { currencyCode, minor };
}

/** What one level (the order, or a line) says through its attributes. */
interface Attributes {
  region?: string;
  shipPreference?: ShipPreference;
  asin?: string;
  offerId?: string;
  shipTo?: ShipTo;
  billingAddress?: PostalAddress;
  storedPayment?: boolean;
  group?: string;
  buyerEmail?: string;
  purchaseOrderNumber?: string;
  blanket?: boolean;
  trial?: boolean;
  priceSuppressed?: boolean;
  auxiliary?: Json;
  distributions: Json[];
}

function auxiliaryValues(a: Json, path: string): Json {
  // The model declares the property `values` but requires `auxiliaryValues`; either name is read.
  const key = a.auxiliaryValues !== undefined ? 'auxiliaryValues' : 'values';
  const values = object(a[key], `${path}.${a[key] === undefined ? 'auxiliaryValues' : key}`);
  const entries = Object.entries(values);
  if (entries.length > 30) throw bad(`${path}.${key}`, 'must have at most 30 values');
  const out: Json = {};
  for (const [name, v] of entries) {
    if (name.length === 0 || name.length > 100) throw bad(`${path}.${key}`, 'value names have 1 to 100 characters');
    out[name] = { value: str(object(v, `${path}.${key}.${name}`).value, `${path}.${key}.${name}.value`, 1, 100) };
  }
  return out;
}

function distribution(a: Json, path: string): Json {
  const accounting = object(a.accounting, `${path}.accounting`);
  const segments = array(accounting.segments, `${path}.accounting.segments`, 1, 15).map((s, i) => {
    const seg = object(s, `${path}.accounting.segments[${i}]`);
    const p = `${path}.accounting.segments[${i}]`;
    return { id: str(seg.id, `${p}.id`), type: str(seg.type, `${p}.type`), description: str(seg.description, `${p}.description`) };
  });
  const charge = object(a.charge, `${path}.charge`);
  const amount = money(charge.amount, `${path}.charge.amount`);
  return {
    accounting: { name: str(accounting.name, `${path}.accounting.name`), segments },
    charge: { currencyCode: amount.currencyCode, minor: amount.minor },
  };
}

function reference(a: Json, field: string, typeField: string, subtypeName: string, path: string): Json {
  const ref = object(a[field], `${path}.${field}`);
  subtype(ref, typeField, [subtypeName], `${path}.${field}`);
  return ref;
}

function readAttributes(list: unknown, path: string, level: 'order' | 'line'): Attributes {
  const out: Attributes = { distributions: [] };
  const seen = new Set<AttributeType>();
  for (const [i, item] of array(list, path, 0, 100).entries()) {
    const p = `${path}[${i}]`;
    const a = object(item, p);
    const type = subtype(a, 'attributeType', ATTRIBUTE_TYPES, p);
    if (level === 'line' && !LINE_ATTRIBUTES.has(type)) throw bad(`${p}.attributeType`, `${type} can only be passed at order level`);
    if (seen.has(type) && !REPEATABLE.has(type)) throw bad(`${p}.attributeType`, `${type} is given more than once`);
    seen.add(type);
    switch (type) {
      case 'Region': {
        const region = str(a.region, `${p}.region`, 2, 2);
        if (!(MARKETPLACE_REGIONS as readonly string[]).includes(region))
          throw bad(`${p}.region`, `"${region}" is not one of ${MARKETPLACE_REGIONS.join(', ')}`);
        out.region = region;
        break;
      }
      case 'DeliveryPreference': {
        const pref = str(a.shipPreference, `${p}.shipPreference`, 1, 40);
        if (!SHIP_PREFERENCES.includes(pref as ShipPreference))
          throw bad(`${p}.shipPreference`, `"${pref}" is not one of ${SHIP_PREFERENCES.join(', ')}`);
        out.shipPreference = pref as ShipPreference;
        break;
      }
      case 'SelectedProductReference': {
        const ref = reference(a, 'productReference', 'productReferenceType', 'ProductIdentifier', p);
        const asin = normalizeAsin(str(ref.id, `${p}.productReference.id`, 1, 40));
        if (!asin) throw bad(`${p}.productReference.id`, 'is not an ASIN');
        out.asin = asin;
        break;
      }
      case 'SelectedBuyingOptionReference': {
        const ref = reference(a, 'buyingOptionReference', 'buyingOptionReferenceType', 'BuyingOptionIdentifier', p);
        out.offerId = str(ref.id, `${p}.buyingOptionReference.id`, 1, 2000);
        break;
      }
      case 'ShippingAddress':
        out.shipTo = shipTo(a.address, `${p}.address`);
        break;
      case 'BillingAddress':
        out.billingAddress = shipTo(a.address, `${p}.address`).address;
        break;
      case 'SelectedPaymentMethodReference':
        reference(a, 'paymentMethodReference', 'paymentMethodReferenceType', 'StoredPaymentMethod', p);
        out.storedPayment = true;
        break;
      case 'BuyingGroupReference':
        out.group = str(
          reference(a, 'groupReference', 'groupReferenceType', 'GroupIdentity', p).identifier,
          `${p}.groupReference.identifier`,
        );
        break;
      case 'BuyerReference':
        out.buyerEmail = str(
          reference(a, 'userReference', 'userReferenceType', 'UserEmail', p).emailAddress,
          `${p}.userReference.emailAddress`,
          3,
          254,
        );
        break;
      case 'PurchaseOrderNumber':
      case 'BlanketPurchaseOrderNumber':
        if (out.purchaseOrderNumber !== undefined)
          throw bad(`${p}.attributeType`, 'only one of PurchaseOrderNumber and BlanketPurchaseOrderNumber may be given');
        out.purchaseOrderNumber = str(a.purchaseOrderNumber, `${p}.purchaseOrderNumber`);
        out.blanket = type === 'BlanketPurchaseOrderNumber';
        break;
      case 'TrialMode':
        out.trial = true;
        break;
      case 'PriceSuppressionDirective':
        out.priceSuppressed = true;
        break;
      case 'Auxiliary':
        out.auxiliary = auxiliaryValues(a, p);
        break;
      case 'Distribution':
        out.distributions.push(distribution(a, p));
        break;
    }
  }
  return out;
}

/** Expectations of one level, keyed so that a line's own expectation replaces the order's of the same kind. */
type Expectations = Map<string, ({ kind: 'unit' } & Money) | ({ kind: 'charge'; source: ChargeSource } & Money)>;

function readExpectations(list: unknown, path: string): Expectations {
  const out: Expectations = new Map();
  for (const [i, item] of array(list, path, 0, 20).entries()) {
    const p = `${path}[${i}]`;
    const e = object(item, p);
    const type = subtype(e, 'expectationType', EXPECTATION_TYPES, p);
    const amount = money(e.amount, `${p}.amount`);
    if (type === 'ExpectedUnitPrice') {
      if (out.has('unit')) throw bad(`${p}.expectationType`, 'ExpectedUnitPrice is given more than once');
      out.set('unit', { kind: 'unit', ...amount });
    } else {
      const source = str(e.source, `${p}.source`, 1, 20);
      if (!CHARGE_SOURCES.includes(source as ChargeSource))
        throw bad(`${p}.source`, `"${source}" is not one of ${CHARGE_SOURCES.join(', ')}`);
      if (out.has(`charge:${source}`)) throw bad(`${p}.source`, `an ExpectedCharge for ${source} is given more than once`);
      out.set(`charge:${source}`, { kind: 'charge', source: source as ChargeSource, ...amount });
    }
  }
  return out;
}

/** The canonical form of a JSON value (object keys sorted), for the request digest. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (isObject(v))
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`)
      .join(',')}}`;
  return JSON.stringify(v) ?? 'null';
}

/** The parsed placeOrder request: the order for the purchasing module, and who it says is buying. */
export interface PlaceOrderInput {
  readonly order: OrderRequest;
  readonly buyerEmail: string;
  /** The BuyingGroupReference identifier (a group tag or id), or null. */
  readonly group: string | null;
}

/** Regions whose stores need numeric line ids (e-invoicing in NA and EU). */
const NUMERIC_LINE_IDS: ReadonlySet<string> = new Set(['NA', 'EU']);

/** Reads a placeOrder body. `endpointRegion` is the API endpoint's region (NA, EU, FE). */
export function readPlaceOrder(body: Json, endpointRegion: string): PlaceOrderInput {
  const externalId = str(body.externalId, 'externalId', 1, 255);
  const rawLines = array(body.lineItems, 'lineItems', 1, 50);
  const attrs = readAttributes(body.attributes, 'attributes', 'order');
  const expectations = readExpectations(body.expectations, 'expectations');
  if (!attrs.region) throw invalidInput('Invalid field attributes: a Region attribute is required (the store the order is placed in).');
  if (!attrs.buyerEmail)
    throw invalidInput('Invalid field attributes: a BuyerReference attribute is required (the buyer\u2019s email address).');
  const facts = marketFacts(attrs.region)!;
  if (facts.marketplace.region !== endpointRegion)
    throw invalidInput(`Invalid field attributes: Region ${attrs.region} is not served by the ${endpointRegion} endpoint.`);
  const currency = facts.marketplace.currency;
  const checkCurrency = (m: Money, path: string) => {
    if (m.currencyCode !== currency) throw bad(path, `the ${attrs.region} store sells in ${currency}, not ${m.currencyCode}`);
  };
  for (const [key, e] of expectations) checkCurrency(e, `expectations (${key})`);
  const checkDistributions = (list: Json[], path: string) =>
    list.forEach((d, i) => checkCurrency((d as { charge: Money }).charge, `${path} (Distribution ${i + 1}).charge.amount`));
  checkDistributions(attrs.distributions, 'attributes');

  const lineIds = new Set<string>();
  const lineExtras: Json = {};
  const lines: LineRequest[] = rawLines.map((raw, i) => {
    const p = `lineItems[${i}]`;
    const l = object(raw, p);
    const id = str(l.externalId, `${p}.externalId`, 1, 127);
    if (NUMERIC_LINE_IDS.has(endpointRegion) && !/^\d+$/.test(id))
      throw bad(`${p}.externalId`, `must be numeric in the ${endpointRegion} region (line numbers for e-invoicing, e.g. 1, 2, 3)`);
    if (lineIds.has(id)) throw bad(`${p}.externalId`, `"${id}" is used by another line of the order`);
    lineIds.add(id);
    const q = l.quantity;
    if (typeof q !== 'number' || !Number.isInteger(q))
      throw bad(`${p}.quantity`, q === undefined ? 'is required' : 'must be a whole number');
    if (q < 1) throw bad(`${p}.quantity`, 'must be at least 1');
    if (q > MAX_LINE_QUANTITY) throw bad(`${p}.quantity`, `must be at most ${MAX_LINE_QUANTITY}`);
    const own = readAttributes(l.attributes, `${p}.attributes`, 'line');
    const ownExpectations = readExpectations(l.expectations, `${p}.expectations`);
    for (const [key, e] of ownExpectations) checkCurrency(e, `${p}.expectations (${key})`);
    checkDistributions(own.distributions, `${p}.attributes`);
    const merged = new Map([...expectations, ...ownExpectations]);
    const asin = own.asin ?? (own.offerId === undefined ? attrs.asin : undefined) ?? null;
    const offerId = own.offerId ?? (own.asin === undefined ? attrs.offerId : undefined) ?? null;
    if (asin === null && offerId === null)
      throw bad(
        `${p}.attributes`,
        'the line names no product: send SelectedProductReference or SelectedBuyingOptionReference (on the line or the order)',
      );
    const unit = merged.get('unit');
    if (own.auxiliary || own.distributions.length) lineExtras[id] = { auxiliary: own.auxiliary ?? null, distributions: own.distributions };
    return {
      externalId: id,
      quantity: q,
      asin,
      offerId,
      shipTo: own.shipTo ?? attrs.shipTo ?? null,
      expectedUnitMinor: unit ? unit.minor : null,
      expectedCharges: [...merged.values()].flatMap((e) => (e.kind === 'charge' ? [{ source: e.source, boundaryMinor: e.minor }] : [])),
    };
  });
  return {
    buyerEmail: attrs.buyerEmail,
    group: attrs.group ?? null,
    order: {
      externalId,
      requestHash: createHash('sha256').update(canonical(body)).digest('hex'),
      region: attrs.region,
      trial: attrs.trial === true,
      purchaseOrderNumber: attrs.purchaseOrderNumber ?? null,
      blanketPurchaseOrder: attrs.blanket === true,
      shipPreference: attrs.shipPreference ?? 'FAST_FREE',
      priceSuppressed: attrs.priceSuppressed === true,
      billingAddress: attrs.billingAddress ?? null,
      extras: {
        ...(attrs.auxiliary ? { auxiliary: attrs.auxiliary } : {}),
        ...(attrs.distributions.length ? { distributions: attrs.distributions } : {}),
        ...(Object.keys(lineExtras).length ? { lines: lineExtras } : {}),
      },
      lines,
    },
  };
}

import type { ApiRequest, QueryParams } from '../../modules/gateway/index.ts';
import { marketFacts } from '../../modules/catalog/index.ts';
import { findParameter, MARKETPLACE_REGIONS, type OperationParameter } from '../../modules/registry/index.ts';
import { invalidParameter, invalidParameterValue, invalidValue, missingParameter, missingParameters, shown } from './errors.ts';

/** Reading query parameters; every refusal is a 400 INVALID_REQUEST_PARAMETER naming the parameter. */

/** "Missing required request parameters: [locale]" when any of the names is absent or empty. */
export function requireParams(values: Readonly<Record<string, unknown>>, names: readonly string[]): void {
  const missing = names.filter((n) => values[n] === undefined || values[n] === null || values[n] === '');
  if (missing.length) throw missingParameters(missing);
}

/** A single-valued query parameter; given twice it is refused. */
export function one(q: QueryParams, name: string): string | undefined {
  const v = q[name];
  if (Array.isArray(v)) {
    if (v.length > 1) throw invalidParameter(`Request parameter [${name}] was given more than once.`);
    return v[0];
  }
  return v;
}

/** The trimmed, non-empty items of a csv value; repeated keys are joined. */
export function parseCsv(value: string | readonly string[] | undefined): string[] {
  if (value === undefined) return [];
  const joined = typeof value === 'string' ? value : value.join(',');
  return joined
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v.length > 0);
}

/** A csv parameter (undefined when absent); repeated keys are accepted and joined. */
export const list = (q: QueryParams, name: string): string[] | undefined => (q[name] === undefined ? undefined : parseCsv(q[name]));

/** The items of a csv list, each checked against the allowed values (case as the model gives them), without repeats. */
export function enumList<T extends string>(values: readonly string[] | undefined, name: string, allowed: readonly T[]): T[] | undefined {
  if (values === undefined) return undefined;
  for (const v of values) if (!(allowed as readonly string[]).includes(v)) throw invalidValue(name, v, allowed);
  return [...new Set(values as T[])];
}

/** A whole number within bounds; undefined when absent or empty. */
export function integer(value: string | number | undefined, name: string, min: number, max: number): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = typeof value === 'number' ? value : /^-?\d+$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < min || n > max) {
    throw invalidParameter(
      `Invalid value [${String(value)}] for request parameter [${name}]: expected a whole number from ${min} to ${max}.`,
    );
  }
  return n;
}

const TRUE = new Set(['true', '1']);
const FALSE = new Set(['false', '0']);

/** A boolean written `true`, `false`, `1` or `0` (any case); undefined when absent or empty. */
export function boolean(value: string | undefined, name: string): boolean | undefined {
  if (value === undefined || value === '') return undefined;
  const v = value.trim().toLowerCase();
  if (TRUE.has(v)) return true;
  if (FALSE.has(v)) return false;
  throw invalidParameter(`Invalid value [${value}] for request parameter [${name}]: expected true, false, 1 or 0.`);
}

/** Bounds of an integer parameter (the models give none; each API chooses and documents them). */
export interface IntegerBounds {
  min: number;
  max: number;
}

/**
 * Query parameters read against the operation's declarations in the registry: a required one that
 * is absent is refused, a declared enum is checked, integers, booleans and csv arrays are parsed.
 * Asking for a parameter the operation does not declare is a programming error.
 */
export class QueryReader {
  constructor(private readonly request: Pick<ApiRequest, 'operation' | 'query'>) {}

  private declared(name: string, type: OperationParameter['type']): OperationParameter {
    const p = findParameter(this.request.operation, name, 'query');
    if (!p) throw new Error(`${this.request.operation.operationId} declares no query parameter ${name}`);
    if (p.type !== type)
      throw new Error(`${this.request.operation.operationId}'s query parameter ${name} is declared as ${p.type}, not ${type}`);
    return p;
  }

  private raw(p: OperationParameter): string | undefined {
    const v = one(this.request.query, p.name);
    if (p.required && (v === undefined || v === '')) throw missingParameters([p.name]);
    return v;
  }

  /** Every required query parameter that is absent, refused at once in one message. */
  requireDeclared(): this {
    const missing = this.request.operation.parameters.filter(
      (p) => p.in === 'query' && p.required && (this.request.query[p.name] ?? '') === '',
    );
    if (missing.length) throw missingParameters(missing.map((p) => p.name));
    return this;
  }

  string(name: string): string | undefined {
    const p = this.declared(name, 'string');
    const v = this.raw(p);
    if (v !== undefined && v !== '' && p.enum && !p.enum.includes(v)) throw invalidValue(name, v, p.enum);
    return v === '' ? undefined : v;
  }

  integer(name: string, bounds: IntegerBounds): number | undefined {
    const p = this.declared(name, 'integer');
    return integer(this.raw(p), name, bounds.min, bounds.max) ?? (typeof p.default === 'number' ? p.default : undefined);
  }

  boolean(name: string): boolean | undefined {
    const p = this.declared(name, 'boolean');
    return boolean(this.raw(p), name) ?? (typeof p.default === 'boolean' ? p.default : undefined);
  }

  list(name: string): string[] | undefined {
    const p = this.declared(name, 'array');
    if (p.required && (this.request.query[name] ?? '') === '') throw missingParameters([name]);
    const values = list(this.request.query, name);
    return p.enum ? enumList(values, name, p.enum) : values;
  }
}

/**
 * The `region` query parameter of the newer APIs (Cart, Package Tracking): a store of the models'
 * list, served by the endpoint the call came to (NA, EU, FE).
 */
export function storeRegion(query: QueryParams, endpointRegion: string): string {
  const region = one(query, 'region');
  if (region === undefined || region === '') throw missingParameter('region');
  if (!(MARKETPLACE_REGIONS as readonly string[]).includes(region))
    throw invalidParameterValue('region', `[${shown(region)}] is not one of ${MARKETPLACE_REGIONS.join(', ')}`);
  const served = marketFacts(region)!.marketplace.region;
  if (served !== endpointRegion)
    throw invalidParameterValue('region', `the ${region} store is served by the ${served} endpoint, not ${endpointRegion}`);
  return region;
}

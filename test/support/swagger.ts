import fs from 'node:fs';
import path from 'node:path';
import type { TSchema } from '@sinclair/typebox';
import { MODELS_DIR, modelsAvailable } from './models.ts';
import { ResponseChecker } from '../../src/apis/response-check.ts';
import * as ps from '../../src/apis/product-search/product-search.wire.ts';

/**
 * The response tests' check of a value: always against the server's own schema of it (the one in
 * /openapi.json, objects closed), and, in the reference suite (where Amazon's models are found),
 * against the model's definition too, with a small Swagger 2.0 checker: $ref, type, required,
 * properties, items, enum, additionalProperties. Nulls are accepted only at the paths a test allows.
 */

/** The server's schema of each model definition the tests check. */
const OWN: Readonly<Record<string, TSchema>> = {
  Offer: ps.WireOffer,
  ImageItem: ps.ImageItem,
  ProductsResult: ps.ProductsResult,
  SearchProductsResult: ps.SearchProductsResult,
  OffersResult: ps.OffersResult,
  ProductsByAsinsResponse: ps.ProductsByAsinsResponse,
  GetOffersByOfferIdsResponse: ps.GetOffersByOfferIdsResponse,
};
const own = new ResponseChecker();

type Schema = {
  $ref?: string;
  type?: string;
  format?: string;
  required?: string[];
  properties?: Record<string, Schema>;
  items?: Schema;
  enum?: unknown[];
  additionalProperties?: Schema | boolean;
};

export interface Model {
  definitions: Record<string, Schema>;
}

/** The model, or null outside the reference suite (the models are not beside the clone). */
export function loadModel(file: string): Model | null {
  return modelsAvailable ? (JSON.parse(fs.readFileSync(path.join(MODELS_DIR, file), 'utf8')) as Model) : null;
}

export interface CheckOptions {
  /** Field names whose value may be null wherever they appear (e.g. isBundledAsin). */
  nullable?: readonly string[];
  /** Required field names that may be absent (left out by inclusions or privileges). */
  optional?: readonly string[];
}

/** Problems of a value against a model definition ([] when it conforms). */
export function check(model: Model | null, definition: string, value: unknown, options: CheckOptions = {}): string[] {
  const schema = OWN[definition];
  if (!schema) throw new Error(`no schema of the server is mapped to ${definition}`);
  const problems: string[] = own.against(schema, value).map((p) => `own schema ${definition}: ${p}`);
  if (!model) return problems;
  const resolve = (s: Schema): Schema => {
    let cur = s;
    while (cur.$ref) {
      const name = cur.$ref.replace('#/definitions/', '');
      const next = model.definitions[name];
      if (!next) throw new Error(`unknown definition ${name}`);
      cur = { ...next, ...Object.fromEntries(Object.entries(cur).filter(([k]) => k !== '$ref')) };
    }
    return cur;
  };
  const walk = (raw: Schema, v: unknown, at: string, key: string): void => {
    const s = resolve(raw);
    if (v === null) {
      if (!(options.nullable ?? []).includes(key)) problems.push(`${at}: null`);
      return;
    }
    if (s.enum && !s.enum.includes(v)) problems.push(`${at}: ${JSON.stringify(v)} not in enum`);
    switch (s.type) {
      case 'string':
        if (typeof v !== 'string') problems.push(`${at}: expected string, got ${typeof v}`);
        return;
      case 'integer':
        if (!Number.isInteger(v)) problems.push(`${at}: expected integer, got ${JSON.stringify(v)}`);
        return;
      case 'number':
        if (typeof v !== 'number') problems.push(`${at}: expected number, got ${typeof v}`);
        else if (s.format === 'integer' && !Number.isInteger(v)) problems.push(`${at}: expected integer number`);
        return;
      case 'boolean':
        if (typeof v !== 'boolean') problems.push(`${at}: expected boolean`);
        return;
      case 'array':
        if (!Array.isArray(v)) problems.push(`${at}: expected array`);
        else if (s.items) v.forEach((item, i) => walk(s.items as Schema, item, `${at}[${i}]`, key));
        return;
    }
    if (s.type === 'object' || s.properties || s.additionalProperties) {
      if (typeof v !== 'object' || Array.isArray(v)) {
        problems.push(`${at}: expected object`);
        return;
      }
      const obj = v as Record<string, unknown>;
      for (const r of s.required ?? [])
        if (!(r in obj) && !(options.optional ?? []).includes(r)) problems.push(`${at}.${r}: required but absent`);
      for (const [k, val] of Object.entries(obj)) {
        const prop = s.properties?.[k];
        if (prop) walk(prop, val, `${at}.${k}`, k);
        else if (s.additionalProperties && typeof s.additionalProperties === 'object') walk(s.additionalProperties, val, `${at}.${k}`, k);
        else if (s.properties) problems.push(`${at}.${k}: not in the model`);
      }
    }
  };
  walk({ $ref: `#/definitions/${definition}` }, value, definition, '');
  return problems;
}

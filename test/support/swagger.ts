import fs from 'node:fs';
import path from 'node:path';
import { MODELS_DIR } from './models.ts';

/**
 * A small Swagger 2.0 schema checker for the response tests: $ref, type, required, properties,
 * items, enum, additionalProperties. Nulls are accepted only at the paths a test allows.
 */

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

export function loadModel(file: string): Model {
  return JSON.parse(fs.readFileSync(path.join(MODELS_DIR, file), 'utf8')) as Model;
}

export interface CheckOptions {
  /** Field names whose value may be null wherever they appear (e.g. isBundledAsin). */
  nullable?: readonly string[];
  /** Required field names that may be absent (left out by inclusions or privileges). */
  optional?: readonly string[];
}

/** Problems of a value against a model definition ([] when it conforms). */
export function check(model: Model, definition: string, value: unknown, options: CheckOptions = {}): string[] {
  const problems: string[] = [];
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

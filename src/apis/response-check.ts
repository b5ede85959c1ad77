import type { TSchema } from '@sinclair/typebox';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { SuccessResponses } from './api-module.ts';

// A CommonJS module: its function is the default export's `default` under NodeNext.
const addFormats = addFormatsModule.default;

/**
 * Checks an API's answers against its declared schemas (the ones the OpenAPI document is made of),
 * with every object closed: a field the schema does not declare is a failure too. The test suite
 * turns it on for every server it builds, so an answer cannot drift from /openapi.json unseen.
 */
export class ResponseChecker {
  private readonly ajv = addFormats(new Ajv({ allErrors: true, strict: false }));
  private readonly compiled = new Map<TSchema, ValidateFunction>();

  /** The problems of one answer (empty when it conforms). */
  problems(operationId: string, declared: SuccessResponses, status: number, body: unknown): string[] {
    if (!(status in declared))
      return [`${operationId} answered ${status}, which is not one of its declared statuses (${Object.keys(declared).join(', ')})`];
    const schema = declared[status as keyof SuccessResponses];
    if (schema === null || schema === undefined)
      return body === undefined ? [] : [`${operationId} answered a body with ${status}, which declares none`];
    return this.against(schema, body).map((p) => `${operationId} ${status}: ${p}`);
  }

  /** The problems of a value against one schema, objects closed (empty when it conforms). */
  against(schema: TSchema, value: unknown): string[] {
    let validate = this.compiled.get(schema);
    if (!validate) {
      validate = this.ajv.compile(closed(JSON.parse(JSON.stringify(schema)) as Json) as object);
      this.compiled.set(schema, validate);
    }
    if (validate(value)) return [];
    return (validate.errors ?? []).slice(0, 10).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
  }
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** The schema with each object that declares properties closed to others. */
function closed(node: Json): Json {
  if (Array.isArray(node)) return node.map(closed);
  if (node === null || typeof node !== 'object') return node;
  const out: { [key: string]: Json } = {};
  for (const [k, v] of Object.entries(node)) out[k] = closed(v);
  if (out.type === 'object' && out.properties && out.additionalProperties === undefined && out.patternProperties === undefined)
    out.additionalProperties = false;
  return out;
}

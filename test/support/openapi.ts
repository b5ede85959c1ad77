import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { Operation } from '../../src/modules/registry/index.ts';
import type { ConformanceResult } from './conformance.ts';
import type { TestApp } from './app.ts';

/**
 * Answers checked against the server's own OpenAPI 3.1 document (/openapi.json), the one generated
 * from the schemas that serve them. It runs everywhere: no reference material is needed. An answer
 * of an operation the server does not implement (501), or an error status the document does not
 * list, is checked against the error envelope (components/schemas/ErrorList).
 */

type JsonObject = { [key: string]: unknown };
const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

export class DocValidator {
  private readonly ajv: Ajv2020;
  private readonly cache = new Map<string, ValidateFunction>();
  private constructor(readonly document: JsonObject) {
    this.ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats.default(this.ajv);
    this.ajv.addSchema(document, 'openapi');
  }

  /** The document as the app serves it. */
  static async load(app: TestApp): Promise<DocValidator> {
    const res = await app.server.inject({ url: '/openapi.json' });
    if (res.statusCode !== 200) throw new Error(`/openapi.json answered ${res.statusCode}: ${res.body.slice(0, 200)}`);
    return new DocValidator(res.json() as JsonObject);
  }

  private responsesOf(op: Operation): JsonObject | undefined {
    const paths = this.document.paths;
    const item = isObject(paths) ? paths[op.modelPath] : undefined;
    const operation = isObject(item) ? item[op.method.toLowerCase()] : undefined;
    return isObject(operation) && isObject(operation.responses) ? operation.responses : undefined;
  }

  /** The operation is in the document (the server implements it). */
  documents(op: Operation): boolean {
    return this.responsesOf(op) !== undefined;
  }

  private compile(pointer: string): ValidateFunction {
    let v = this.cache.get(pointer);
    if (!v) {
      v = this.ajv.compile({ $ref: `openapi#${pointer}` });
      this.cache.set(pointer, v);
    }
    return v;
  }

  /** Checks one answer (`body`: the raw text on the wire). */
  check(op: Operation, status: number, body: string): ConformanceResult {
    const responses = this.responsesOf(op);
    const declared = responses?.[String(status)];
    let pointer: string;
    let schema: string;
    if (isObject(declared)) {
      const content = isObject(declared.content) ? declared.content['application/json'] : undefined;
      if (!isObject(content)) {
        const ok = body === '';
        return { ok, schema: `${op.operationId} ${status} (no body)`, problems: ok ? [] : [`expected no body, got ${body.slice(0, 200)}`] };
      }
      const path = op.modelPath.replace(/~/g, '~0').replace(/\//g, '~1');
      pointer = `/paths/${path}/${op.method.toLowerCase()}/responses/${status}/content/application~1json/schema`;
      schema = `openapi ${op.operationId} ${status}`;
    } else {
      if (status < 400)
        return { ok: false, schema: `openapi ${op.operationId} ${status}`, problems: [`status ${status} is not in the document`] };
      pointer = '/components/schemas/ErrorList';
      schema = 'openapi ErrorList';
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return { ok: false, schema, problems: [`not JSON: ${body.slice(0, 200)}`] };
    }
    const validate = this.compile(pointer);
    const ok = validate(parsed) === true;
    return {
      ok,
      schema,
      problems: ok
        ? []
        : (validate.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message ?? ''} ${JSON.stringify(e.params)}`),
    };
  }
}

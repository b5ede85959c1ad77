import fs from 'node:fs';
import path from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import AjvDraft04Module from 'ajv-draft-04';
import type { ErrorObject, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { MODELS_DIR, isObject, type Json, type JsonObject } from './models.ts';
import { OPERATIONS, type Operation } from '../../src/modules/registry/index.ts';
import { PRIVILEGED_FIELDS } from '../../src/kernel/reference.ts';

// A CommonJS module: its class is the default export's `default` under NodeNext.
const AjvDraft04 = AjvDraft04Module.default;
type AjvDraft04 = InstanceType<typeof AjvDraft04>;

/**
 * Response conformance against the reference models (`../shared/api-models`, Swagger 2.0).
 *
 * Each model is checked as a Swagger 2.0 document by @apidevtools/swagger-parser, then its schemas
 * are compiled by Ajv in draft-04 mode (Swagger 2.0 schema objects are a draft-04 subset; the
 * extension keywords `x-*`, `discriminator` and `example` are annotations). The known defects of
 * the models are corrected by the patches of MODEL_EXCEPTIONS before compiling; docs/conformance.md
 * lists the same exceptions with their reasons, and a test keeps the two in step.
 */

/** Where a response comes from: the production APIs, or the static sandbox (Amazon's canned answers). */
export type ResponseSource = 'production' | 'sandbox';

/** One documented exception to the models; `id` is the key used in docs/conformance.md. */
export interface ModelException {
  readonly id: string;
  /** The model files it applies to (`*`: all). */
  readonly files: readonly string[];
  /** The responses it applies to. */
  readonly sources: readonly ResponseSource[];
  readonly reason: string;
  /** Corrects the (cloned) model in place before its schemas are compiled. */
  readonly patch?: (model: JsonObject) => void;
}

const DATE_TIME_STRING: JsonObject = { type: 'string', format: 'date-time' };

/** The codes the gateway and the FAQ put in Product Search error bodies, beyond the model's enum. */
export const GATEWAY_ERROR_CODES = [
  'Unauthorized',
  'QuotaExceeded',
  'InvalidInput',
  'NotFound',
  'PayloadTooLarge',
  'UnsupportedMediaType',
  'NotImplemented',
  'InternalFailure',
  'ServiceUnavailable',
  'GatewayTimeout',
];

const PS = 'product-search/ProductSearch_API.json';
const RECONCILIATION = 'reconciliation/Reconciliation_API.json';
const REPORTING_2021 = 'reporting/Reporting_API_v2021_01_08.json';

const getPath = (root: JsonObject, pointer: string[]): JsonObject => {
  let node: Json = root;
  for (const key of pointer) {
    if (!isObject(node)) throw new Error(`no ${pointer.join('/')} in the model`);
    node = node[key] ?? null;
  }
  if (!isObject(node)) throw new Error(`no ${pointer.join('/')} in the model`);
  return node;
};

/** Visits every schema object under the definitions and the responses of a model. */
function eachSchema(model: JsonObject, visit: (schema: JsonObject) => void): void {
  const walk = (node: Json): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!isObject(node)) return;
    visit(node);
    for (const [k, v] of Object.entries(node)) if (!k.startsWith('x-') && k !== 'example') walk(v);
  };
  walk(model.definitions ?? null);
  walk(model.paths ?? null);
}

/** Makes the named properties optional wherever the model lists them as required. */
function dropRequired(model: JsonObject, optional: ReadonlySet<string>): void {
  eachSchema(model, (schema) => {
    if (!Array.isArray(schema.required)) return;
    const kept = schema.required.filter((r) => typeof r !== 'string' || !optional.has(r));
    // draft-04 does not allow an empty `required`.
    if (kept.length > 0) schema.required = kept;
    else delete schema.required;
  });
}

export const MODEL_EXCEPTIONS: readonly ModelException[] = [
  {
    id: 'datetime-object',
    files: ['ordering/Ordering_API.json', 'cart/Cart_API.json', 'reporting/Reporting_API_v2025_06_09.json'],
    sources: ['production', 'sandbox'],
    reason:
      'The models declare `DateTime` as an object `{"date": "<date-time>"}`, but every sandbox example of these APIs (and the C# SDK, which rewrites it) sends a plain ISO-8601 string. The wire form wins: `DateTime` is checked as a date-time string.',
    patch: (model) => {
      const defs = getPath(model, ['definitions']);
      if (isObject(defs.DateTime ?? null)) defs.DateTime = { ...DATE_TIME_STRING };
    },
  },
  {
    id: 'ps-bare-error-list',
    files: [PS],
    sources: ['production', 'sandbox'],
    reason:
      'Product Search declares the 400 of getProductsByAsins and getOffersByOfferIds as `ErrorList`, a bare array, while every other error of the API (and the sandbox, and the platform) sends the object `{"errors": [...]}` (`ErrorResponse`). Those two 400s are checked against `ErrorResponse`.',
    patch: (model) => {
      for (const p of ['/products/2020-08-26/products/getProductsByAsins', '/products/2020-08-26/offers/getOffersByOfferIds']) {
        getPath(model, ['paths', p, 'post', 'responses', '400']).schema = { $ref: '#/definitions/ErrorResponse' };
      }
    },
  },
  {
    id: 'ps-error-code-enum',
    files: [PS],
    sources: ['production', 'sandbox'],
    reason:
      "Product Search's `Error.code` enum lists only the API's own codes, but the gateway in front of it answers with the codes the FAQ documents byte for byte (`Unauthorized` for token, role and email refusals, `QuotaExceeded` for throttling, `InvalidInput` for a batch operation called with GET or a non-JSON body and for a sandbox miss) and the platform's generic ones (`NotFound`, `PayloadTooLarge`, `UnsupportedMediaType`, `NotImplemented`, `InternalFailure`, `ServiceUnavailable`, `GatewayTimeout`). The enum is widened by exactly those codes.",
    patch: (model) => {
      const code = getPath(model, ['definitions', 'Error', 'properties', 'code']);
      const values = Array.isArray(code.enum) ? code.enum : [];
      code.enum = [...values, ...GATEWAY_ERROR_CODES.filter((c) => !values.includes(c))];
    },
  },
  {
    id: 'undeclared-error-status',
    files: ['*'],
    sources: ['production', 'sandbox'],
    reason:
      'Some statuses the platform answers are not declared by every operation: 501 (an API not built yet) by none, 413 and 415 by some (most of Product Search, Ordering, Reconciliation), 401 by some. Such an answer is checked against the error envelope of its own model (`ErrorResponse` for Product Search, `ErrorList` elsewhere), the schema the model uses for every declared error.',
  },
  {
    id: 'sandbox-stub-nulls',
    files: [PS, REPORTING_2021],
    sources: ['sandbox'],
    reason:
      "Amazon's canned sandbox answers (copied byte for byte from the models' own stubs) send `null` for absent values (`featuredOffer`, `merchantId`, `isbn10`, `addressLine2`, …); Swagger 2.0 cannot declare a value nullable. In sandbox answers `null` is accepted wherever a value is declared. Production answers omit absent values instead.",
    patch: (model) =>
      eachSchema(model, (schema) => {
        if (typeof schema.type === 'string') schema.type = [schema.type, 'null'];
        if (Array.isArray(schema.enum)) schema.enum = [...schema.enum, null];
      }),
  },
  {
    id: 'sandbox-stub-required',
    files: [RECONCILIATION],
    sources: ['sandbox'],
    reason:
      "Amazon's canned sandbox answers of Reconciliation leave out properties their own model marks required: `registrationNumber`, `addressType`, `city`, `discount`. In sandbox answers exactly those properties are optional.",
    patch: (model) => dropRequired(model, new Set(['registrationNumber', 'addressType', 'city', 'discount'])),
  },
  {
    id: 'ps-inclusion-fields',
    files: [PS],
    sources: ['production', 'sandbox'],
    reason:
      "Product Search marks as required the fields that its own inclusion parameters control (`productInclusions`, `searchProductInclusions`, `offerInclusions`, …: a field is sent only when its inclusion is asked for, and some only by default) and the privileged fields (`merchantId`, `meanFeedbackRating`, `totalFeedbackCount`, `taxonomies`, `customerReviewsSummary`, …: sent only to apps granted them). Those properties, read from the model's own inclusion enums and the platform's privileged-field list, are optional.",
    patch: (model) => {
      const names = new Set<string>(PRIVILEGED_FIELDS);
      // The inclusion parameters (inline or hoisted) list the field names in `enum` or `items.enum`.
      const collect = (param: Json): void => {
        if (!isObject(param) || typeof param.name !== 'string' || !/inclusions/i.test(param.name)) return;
        const items = param.items ?? null;
        const values = [
          ...(Array.isArray(param.enum) ? param.enum : []),
          ...(isObject(items) && Array.isArray(items.enum) ? items.enum : []),
        ];
        for (const v of values) if (typeof v === 'string' && v !== 'ALL') names.add(v);
      };
      eachSchema(model, collect);
      for (const param of Object.values(isObject(model.parameters ?? null) ? (model.parameters as JsonObject) : {})) collect(param);
      dropRequired(model, names);
    },
  },
  {
    id: 'ps-null-values',
    files: [PS],
    sources: ['production'],
    reason:
      "Amazon's Product Search answers (its canned answers show it) send `null` for a few values it does not have: `isBundledAsin` when not asked for, `format`, `isbn10`, `isbn13`, `publicationDate`, `publishedLanguage`, and a refinement's `selectionType`; the API mirrors that, and Swagger 2.0 cannot declare a value nullable. `null` is accepted for exactly those properties.",
    patch: (model) => {
      const nullable = new Set(['isBundledAsin', 'format', 'isbn10', 'isbn13', 'publicationDate', 'publishedLanguage', 'selectionType']);
      eachSchema(model, (schema) => {
        const props = schema.properties ?? null;
        if (!isObject(props)) return;
        for (const [name, prop] of Object.entries(props)) {
          if (!nullable.has(name) || !isObject(prop)) continue;
          if (typeof prop.type === 'string') prop.type = [prop.type, 'null'];
          else if (typeof prop.$ref === 'string') props[name] = { anyOf: [{ $ref: prop.$ref }, { type: 'null' }] };
        }
      });
    },
  },
  {
    id: 'sandbox-stub-enums',
    files: [PS, REPORTING_2021],
    sources: ['sandbox'],
    reason:
      "Amazon's canned sandbox answers use values outside their model's enums: Reporting 2021 `orderStatus` `CANCELLED` and `shipmentStatus` `SHIPPED` (the enums spell `Cancelled`, `Shipped`), Product Search `legalInformation[].type` `MEDICAL`. In sandbox answers exactly those values are accepted.",
    patch: (model) => {
      // [property, extra value, a value that identifies the enum]
      const extra: [string, string, string][] = [
        ['orderStatus', 'CANCELLED', 'Cancelled'],
        ['shipmentStatus', 'SHIPPED', 'Shipped'],
        ['type', 'MEDICAL', 'SUSTAINABILITY_BADGE'],
      ];
      eachSchema(model, (schema) => {
        const props = schema.properties ?? null;
        if (!isObject(props)) return;
        for (const [name, value, marker] of extra) {
          const prop = props[name] ?? null;
          if (isObject(prop) && Array.isArray(prop.enum) && prop.enum.includes(marker)) prop.enum = [...prop.enum, value];
        }
      });
    },
  },
];

/** The definition each model uses for its error bodies. */
const errorDefinition = (file: string): string => (file === PS ? 'ErrorResponse' : 'ErrorList');

const pointerEscape = (s: string): string => s.replace(/~/g, '~0').replace(/\//g, '~1');

export interface ConformanceResult {
  ok: boolean;
  /** Which schema was applied (for messages). */
  schema: string;
  /** Ajv's errors, readable; empty when ok. */
  problems: string[];
  /** Set when the status is not declared and the error envelope was used instead. */
  exception?: string;
}

const describe = (errors: ErrorObject[] | null | undefined): string[] =>
  (errors ?? []).map(
    (e) =>
      `${e.instancePath || '(root)'} ${e.message ?? ''}${e.params && Object.keys(e.params).length ? ` ${JSON.stringify(e.params)}` : ''}`,
  );

/** Each model file is checked as a Swagger 2.0 document once per process. */
const checkedModels = new Map<string, Promise<void>>();

/** Validates API responses against the reference models. Build it once per file with `load()`. */
export class ModelValidator {
  private readonly cache = new Map<string, ValidateFunction>();
  private constructor(
    private readonly ajv: AjvDraft04,
    private readonly models: Map<string, JsonObject>,
  ) {}

  /** Reads, checks (Swagger 2.0) and registers every model used by the operation registry. */
  static async load(source: ResponseSource = 'production', options: { without?: readonly string[] } = {}): Promise<ModelValidator> {
    const ajv = new AjvDraft04({ strict: false, allErrors: true, validateFormats: true, logger: false });
    addFormats.default(ajv);
    // Swagger 2.0's numeric formats: a type refinement that JSON already expresses.
    ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 });
    ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isInteger(n) });
    ajv.addFormat('integer', { type: 'number', validate: (n: number) => Number.isInteger(n) });
    ajv.addFormat('double', { type: 'number', validate: (n: number) => Number.isFinite(n) });
    ajv.addFormat('float', { type: 'number', validate: (n: number) => Number.isFinite(n) });
    const models = new Map<string, JsonObject>();
    for (const file of [...new Set(OPERATIONS.map((o) => o.modelFile))]) {
      const raw: unknown = JSON.parse(fs.readFileSync(path.join(MODELS_DIR, file), 'utf8'));
      // Throws when the file is not a valid Swagger 2.0 document (validate() works on its own copy).
      if (!checkedModels.has(file))
        checkedModels.set(
          file,
          SwaggerParser.validate(structuredClone(raw) as never).then(() => undefined),
        );
      await checkedModels.get(file);
      const model = structuredClone(raw) as JsonObject;
      for (const ex of MODEL_EXCEPTIONS) {
        if (options.without?.includes(ex.id)) continue;
        if (ex.patch && ex.sources.includes(source) && (ex.files.includes(file) || ex.files.includes('*'))) ex.patch(model);
      }
      ajv.addSchema(model as object, file);
      models.set(file, model);
    }
    return new ModelValidator(ajv, models);
  }

  private compile(ref: string): ValidateFunction {
    let fn = this.cache.get(ref);
    if (!fn) {
      fn = this.ajv.compile({ $ref: ref });
      this.cache.set(ref, fn);
    }
    return fn;
  }

  /** The response object the model declares for an operation and status, or undefined. */
  declared(op: Operation, status: number): JsonObject | undefined {
    const model = this.models.get(op.modelFile);
    if (!model) throw new Error(`model ${op.modelFile} not loaded`);
    const responses = getPath(model, ['paths', op.modelPath, op.method.toLowerCase(), 'responses']);
    const r = responses[String(status)] ?? responses.default;
    return isObject(r ?? null) ? (r as JsonObject) : undefined;
  }

  /**
   * Checks a response body of an operation against the model: the declared schema of its status;
   * an undeclared error status against the model's error envelope; a declared status without a
   * schema must have an empty body. `body` is the raw text as sent on the wire.
   */
  check(op: Operation, status: number, body: string): ConformanceResult {
    const declared = this.declared(op, status);
    let ref: string;
    let schema: string;
    let exception: string | undefined;
    if (declared && !('schema' in declared)) {
      const ok = body === '';
      return { ok, schema: `${op.operationId} ${status} (no body)`, problems: ok ? [] : [`expected no body, got ${body.slice(0, 200)}`] };
    }
    if (declared) {
      const status_ = Object.hasOwn(
        getPath(this.models.get(op.modelFile)!, ['paths', op.modelPath, op.method.toLowerCase(), 'responses']),
        String(status),
      )
        ? String(status)
        : 'default';
      ref = `${op.modelFile}#/paths/${pointerEscape(op.modelPath)}/${op.method.toLowerCase()}/responses/${status_}/schema`;
      schema = `${op.operationId} ${status_}`;
    } else {
      if (status < 400)
        return { ok: false, schema: `${op.operationId} ${status}`, problems: [`status ${status} is not declared by the model`] };
      ref = `${op.modelFile}#/definitions/${errorDefinition(op.modelFile)}`;
      schema = `${op.modelFile} ${errorDefinition(op.modelFile)}`;
      exception = 'undeclared-error-status';
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return { ok: false, schema, problems: [`not JSON: ${body.slice(0, 200)}`], ...(exception ? { exception } : {}) };
    }
    const validate = this.compile(ref);
    const problems = validate(parsed) === true ? [] : describe(validate.errors);
    problems.push(...this.checkSubtypes(op.modelFile, parsed, ''));
    const ok = problems.length === 0;
    return { ok, schema, problems, ...(exception ? { exception } : {}) };
  }

  /**
   * Swagger 2.0's `discriminator`: an object that carries a base's discriminator property (e.g.
   * `acceptanceArtifactType: "Charge"`) must also conform to the definition it names, which must
   * extend that base. JSON Schema draft 4 has no such keyword, so each such object is checked here.
   */
  private checkSubtypes(file: string, value: unknown, at: string): string[] {
    const model = this.models.get(file)!;
    const definitions = (model.definitions ?? {}) as Record<string, JsonObject>;
    let bases = this.discriminators.get(file);
    if (!bases) {
      bases = new Map(
        Object.entries(definitions).flatMap(([name, d]) => (typeof d.discriminator === 'string' ? [[d.discriminator, name] as const] : [])),
      );
      this.discriminators.set(file, bases);
    }
    if (bases.size === 0) return [];
    const out: string[] = [];
    const extendsBase = (name: string, base: string, depth = 0): boolean => {
      if (name === base) return true;
      const all = definitions[name]?.allOf;
      if (depth > 10 || !Array.isArray(all)) return false;
      return all.some((part) => {
        const r = isObject(part) ? part.$ref : undefined;
        return typeof r === 'string' && extendsBase(r.replace('#/definitions/', ''), base, depth + 1);
      });
    };
    const walk = (v: Json | undefined, path: string): void => {
      if (Array.isArray(v)) return v.forEach((x, i) => walk(x, `${path}/${i}`));
      if (!isObject(v)) return;
      for (const [key, base] of bases!) {
        const named = v[key];
        if (typeof named !== 'string') continue;
        if (!definitions[named] || !extendsBase(named, base)) {
          out.push(`${path || '(root)'} ${key} "${named}" is not a subtype of ${base}`);
          continue;
        }
        const validate = this.compile(`${file}#/definitions/${pointerEscape(named)}`);
        if (validate(v) !== true) out.push(...describe(validate.errors).map((e) => `${path || '(root)'} as ${named}: ${e}`));
      }
      for (const [k, x] of Object.entries(v)) walk(x, `${path}/${k}`);
    };
    walk(value as Json, at);
    return out;
  }

  private readonly discriminators = new Map<string, Map<string, string>>();
}

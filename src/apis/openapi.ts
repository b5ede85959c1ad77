import type { TSchema } from '@sinclair/typebox';
import { APIS, OPERATIONS, type ApiName, type Operation, type OperationParameter } from '../modules/registry/index.ts';
import { PREFIX_TARGETS } from '../modules/gateway/index.ts';
import type { BoundApi } from './api-module.ts';
import { ErrorList } from './shared/schema.ts';

/**
 * The server's own OpenAPI 3.1 document, generated from what serves the calls: the operation
 * registry (methods, paths, parameters) and each API module's TypeBox schemas (bodies and answers),
 * so it cannot drift from them. Only the operations this server implements are in it.
 * Served at /openapi.json (every API) and /openapi/<slug>.json (one API); docs/openapi.md.
 */

type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
type JsonObject = { [key: string]: JsonValue };
export type OpenApiDocument = JsonObject;

/** The errors any operation can answer, from the gateway or the API, in the Amazon envelope. */
const ERROR_ANSWERS: readonly [status: number, description: string][] = [
  [400, 'The request is invalid: a parameter or the body is missing or malformed, or the user email is not authorized.'],
  [403, 'The access token is missing, invalid or expired, or the app lacks the role the operation needs.'],
  [404, 'The resource or the operation was not found.'],
  [413, 'The request body is larger than the server accepts.'],
  [415, 'The request body is not JSON.'],
  [429, 'The usage plan’s rate was exceeded; retry later.'],
  [500, 'An unexpected failure (Product Search names it SERVICE_ERROR, the other APIs InternalFailure).'],
  [503, 'The service is unavailable (an injected fault, or the database is unreachable).'],
];

const RESPONSE_HEADERS: JsonObject = {
  'x-amzn-RequestId': { description: 'The request’s id: quote it when you report a problem.', schema: { type: 'string' } },
  'x-amzn-RateLimit-Limit': {
    description: 'The rate (requests per second) of the operation’s usage plan for this app.',
    schema: { type: 'string' },
  },
};

/** A TypeBox schema as plain JSON (TypeBox's symbol keys are not JSON and disappear). */
const plain = (schema: TSchema): JsonValue => JSON.parse(JSON.stringify(schema)) as JsonValue;

function parameterSchema(p: OperationParameter): JsonObject {
  const withEnum = (base: JsonObject, values: readonly string[] | undefined): JsonObject =>
    values ? { ...base, enum: [...values] } : base;
  let schema: JsonObject;
  switch (p.type) {
    case 'array':
      schema = { type: 'array', items: withEnum({ type: 'string' }, p.enum) };
      break;
    case 'integer':
      schema = { type: 'integer' };
      break;
    case 'boolean':
      schema = { type: 'boolean' };
      break;
    default:
      schema = withEnum({ type: 'string', ...(p.format ? { format: p.format } : {}) }, p.enum);
  }
  return p.default === undefined ? schema : { ...schema, default: p.default };
}

function parameterOf(p: OperationParameter): JsonObject {
  return {
    name: p.name,
    in: p.in,
    required: p.required,
    ...(p.type === 'array' ? { style: 'form', explode: false } : {}),
    ...(p.type === 'boolean' ? { description: 'true or false (1 and 0 are accepted too).' } : {}),
    schema: parameterSchema(p),
  };
}

function operationObject(op: Operation, api: BoundApi): JsonObject {
  const successes = api.schemas.responses[op.operationId] ?? {};
  const responses: JsonObject = {};
  for (const [status, schema] of Object.entries(successes)) {
    if (schema === undefined) continue;
    responses[status] = {
      description: 'Success.',
      headers: RESPONSE_HEADERS,
      ...(schema === null ? {} : { content: { 'application/json': { schema: plain(schema) } } }),
    };
  }
  for (const [status, description] of ERROR_ANSWERS)
    responses[String(status)] = {
      description,
      headers: RESPONSE_HEADERS,
      content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorList' } } },
    };
  const bodyParameter = op.parameters.find((p) => p.in === 'body');
  const bodySchema = api.schemas.requestBodies[op.operationId];
  return {
    operationId: op.operationId,
    tags: [op.api],
    summary: `${op.api}: ${op.operationId}`,
    description:
      `Needs the role ${op.role ?? '(none)'}. Default usage plan: ${op.rate} requests per second, burst ${op.burst}.` +
      (op.userEmailRequired ? ' The x-amz-user-email header names the buying user.' : ''),
    parameters: op.parameters.filter((p) => p.in !== 'body').map(parameterOf),
    ...(bodyParameter
      ? {
          requestBody: {
            required: bodyParameter.required,
            content: { 'application/json': { schema: bodySchema ? plain(bodySchema) : { type: 'object' } } },
          },
        }
      : {}),
    responses,
  };
}

/**
 * The document for the given APIs (all the server's when `only` is absent), with servers under
 * `baseUrl`. Throws when `only` names an API the server does not implement.
 */
export function openApiDocument(apis: readonly BoundApi[], baseUrl: string, version: string, only?: ApiName): OpenApiDocument {
  const chosen = only ? apis.filter((a) => a.api === only) : apis;
  if (only && chosen.length === 0) throw new Error(`the server does not implement ${only}`);
  const paths: Record<string, JsonObject> = {};
  for (const op of OPERATIONS) {
    const api = chosen.find((a) => a.api === op.api);
    if (!api) continue;
    const item = (paths[op.modelPath] ??= {});
    item[op.method.toLowerCase()] = operationObject(op, api);
  }
  const descriptor = only ? APIS.find((a) => a.name === only) : undefined;
  return {
    openapi: '3.1.0',
    info: {
      title: only ? `bizapi: ${only} API` : 'bizapi: the Amazon Business APIs',
      version: descriptor ? descriptor.version : version,
      description:
        'Generated by this server from the schemas that serve its answers. Calls need an access token from the token URL ' +
        `(${baseUrl}/auth/o2/token) in the x-amz-access-token header.`,
    },
    servers: PREFIX_TARGETS.map((t) => ({
      url: `${baseUrl}${t.prefix}`,
      description: `${t.environment === 'sandbox' ? 'Sandbox' : 'Production'}, ${t.region} region (as ${t.amazonHost})`,
    })),
    security: [{ accessToken: [] }],
    tags: chosen.map((a) => ({ name: a.api })),
    paths,
    components: {
      schemas: { ErrorList: plain(ErrorList) },
      securitySchemes: {
        accessToken: { type: 'apiKey', in: 'header', name: 'x-amz-access-token', description: 'A Login with Amazon access token.' },
      },
    },
  };
}

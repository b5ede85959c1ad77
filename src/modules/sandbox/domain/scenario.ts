/**
 * Static sandbox scenarios: one canned request and the response it gets (platform spec 6.3).
 * The file format is described in docs/sandbox.md; parseScenarioFile checks it.
 */

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type Scalar = string | number | boolean;
/** A path, query or header value: arrays are sent comma-separated (`collectionFormat: csv`). */
export type ParamValue = Scalar | Scalar[];
export type RequestLocation = 'path' | 'query' | 'header' | 'body';

export interface ScenarioRequest {
  readonly path: Readonly<Record<string, ParamValue>>;
  readonly query: Readonly<Record<string, ParamValue>>;
  /** Header names compare case-insensitively; headers not listed here are ignored. */
  readonly header: Readonly<Record<string, ParamValue>>;
  /** The whole JSON body, compared for equality; undefined when the scenario lists no body. */
  readonly body?: JsonValue;
}

export interface ScenarioResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** The JSON body; undefined for an empty body. */
  readonly body?: JsonValue;
}

/** A scenario as written in a file. */
export interface ScenarioDefinition {
  readonly operationId: string;
  /** Lower first, within the same origin and status class. */
  readonly order: number;
  readonly description?: string;
  /** Written by this project where the model has no stub (its file says `"authored": true`), not extracted from a model. */
  readonly authored?: boolean;
  readonly request: ScenarioRequest;
  readonly response: ScenarioResponse;
}

/** Where a scenario comes from; also its precedence, runtime first. */
export type ScenarioOrigin = 'runtime' | 'operator' | 'shipped';

/** A loaded scenario. */
export interface Scenario extends ScenarioDefinition {
  readonly id: string;
  readonly origin: ScenarioOrigin;
  /** The file it was read from (null for runtime scenarios). */
  readonly file: string | null;
  /** Load sequence number, the last tie-breaker. */
  readonly seq: number;
}

/** What the parser needs to know of an operation: its declared parameters. */
export interface OperationShape {
  readonly parameters: readonly { readonly name: string; readonly in: RequestLocation }[];
}
export type OperationLookup = (operationId: string) => OperationShape | undefined;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isScalar = (v: unknown): v is Scalar =>
  typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const FORBIDDEN_RESPONSE_HEADERS = new Set(['content-length', 'transfer-encoding', 'connection']);

function toJson(value: unknown, at: string, problems: string[]): JsonValue | undefined {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (Number.isFinite(value)) return value;
    problems.push(`${at}: not a finite number`);
    return undefined;
  }
  if (Array.isArray(value)) return value.map((v, i) => toJson(v, `${at}/${i}`, problems) ?? null);
  if (isObject(value)) {
    const out: { [key: string]: JsonValue } = {};
    for (const [k, v] of Object.entries(value)) out[k] = toJson(v, `${at}/${k}`, problems) ?? null;
    return out;
  }
  problems.push(`${at}: not a JSON value`);
  return undefined;
}

function parseParams(
  value: unknown,
  location: 'path' | 'query' | 'header',
  at: string,
  operation: OperationShape,
  problems: string[],
): Record<string, ParamValue> {
  const out: Record<string, ParamValue> = {};
  if (value === undefined) return out;
  if (!isObject(value)) {
    problems.push(`${at}: must be an object of ${location} parameters`);
    return out;
  }
  for (const [name, v] of Object.entries(value)) {
    const here = `${at}/${name}`;
    if (location === 'header') {
      if (!HEADER_NAME.test(name)) problems.push(`${here}: not a valid header name`);
    } else if (!operation.parameters.some((p) => p.in === location && p.name === name)) {
      problems.push(`${here}: the operation declares no ${location} parameter "${name}"`);
    }
    if (isScalar(v)) out[name] = v;
    else if (Array.isArray(v) && v.every(isScalar)) out[name] = [...v];
    else problems.push(`${here}: must be a string, number, boolean or an array of them`);
  }
  return out;
}

function parseRequest(value: unknown, at: string, operation: OperationShape, problems: string[]): ScenarioRequest {
  if (!isObject(value)) {
    problems.push(`${at}: must be an object with path, query, header and/or body`);
    return { path: {}, query: {}, header: {} };
  }
  for (const key of Object.keys(value)) {
    if (!['path', 'query', 'header', 'body'].includes(key)) problems.push(`${at}/${key}: unknown request location (path, query, header, body)`);
  }
  const request = {
    path: parseParams(value.path, 'path', `${at}/path`, operation, problems),
    query: parseParams(value.query, 'query', `${at}/query`, operation, problems),
    header: parseParams(value.header, 'header', `${at}/header`, operation, problems),
  };
  if (!('body' in value)) return request;
  if (!operation.parameters.some((p) => p.in === 'body')) problems.push(`${at}/body: the operation takes no body`);
  const body = toJson(value.body, `${at}/body`, problems);
  return body === undefined ? request : { ...request, body };
}

function parseResponse(value: unknown, at: string, problems: string[]): ScenarioResponse {
  if (!isObject(value)) {
    problems.push(`${at}: must be an object with status, headers and body`);
    return { status: 500, headers: {} };
  }
  for (const key of Object.keys(value)) {
    if (!['status', 'headers', 'body'].includes(key)) problems.push(`${at}/${key}: unknown response field (status, headers, body)`);
  }
  const status = value.status;
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 200 || status > 599) {
    problems.push(`${at}/status: must be an HTTP status from 200 to 599`);
  }
  const headers: Record<string, string> = {};
  if (value.headers !== undefined) {
    if (!isObject(value.headers)) problems.push(`${at}/headers: must be an object of strings`);
    else {
      for (const [name, v] of Object.entries(value.headers)) {
        if (!HEADER_NAME.test(name)) problems.push(`${at}/headers/${name}: not a valid header name`);
        else if (FORBIDDEN_RESPONSE_HEADERS.has(name.toLowerCase())) problems.push(`${at}/headers/${name}: set by the server, not by a scenario`);
        if (typeof v === 'string') headers[name] = v;
        else problems.push(`${at}/headers/${name}: must be a string`);
      }
    }
  }
  const response = { status: typeof status === 'number' ? status : 500, headers };
  if (!('body' in value)) return response;
  const body = toJson(value.body, `${at}/body`, problems);
  return body === undefined ? response : { ...response, body };
}

/** Checks one scenario; `position` (1-based) is its default order. Problems carry JSON pointers. */
export function parseScenario(
  value: unknown,
  at: string,
  position: number,
  lookup: OperationLookup,
  problems: string[],
): ScenarioDefinition | undefined {
  const before = problems.length;
  if (!isObject(value)) {
    problems.push(`${at || '/'}: must be an object with operationId, request and response`);
    return undefined;
  }
  for (const key of Object.keys(value)) {
    if (!['operationId', 'order', 'description', 'request', 'response'].includes(key)) problems.push(`${at}/${key}: unknown field`);
  }
  const { operationId, order, description } = value;
  if (typeof operationId !== 'string') {
    problems.push(`${at}/operationId: must be a string`);
    return undefined;
  }
  const operation = lookup(operationId);
  if (!operation) {
    problems.push(`${at}/operationId: unknown operation "${operationId}"`);
    return undefined;
  }
  if (order !== undefined && (typeof order !== 'number' || !Number.isFinite(order))) problems.push(`${at}/order: must be a number`);
  if (description !== undefined && typeof description !== 'string') problems.push(`${at}/description: must be a string`);
  const request = parseRequest(value.request, `${at}/request`, operation, problems);
  const response = parseResponse(value.response, `${at}/response`, problems);
  if (problems.length > before) return undefined;
  return {
    operationId,
    order: typeof order === 'number' ? order : position,
    ...(typeof description === 'string' ? { description } : {}),
    request,
    response,
  };
}

/** Checks a whole scenario file (`{ "scenarios": [...] }`); any problem rejects the file. */
export function parseScenarioFile(value: unknown, lookup: OperationLookup): { scenarios: ScenarioDefinition[]; problems: string[] } {
  const problems: string[] = [];
  if (!isObject(value) || !Array.isArray(value.scenarios)) {
    return { scenarios: [], problems: ['/: must be an object with a "scenarios" array'] };
  }
  if (value.formatVersion !== undefined && value.formatVersion !== 1) problems.push('/formatVersion: only version 1 is known');
  if (value.authored !== undefined && typeof value.authored !== 'boolean') problems.push('/authored: must be true or false');
  const authored = value.authored === true;
  const scenarios: ScenarioDefinition[] = [];
  value.scenarios.forEach((entry: unknown, i: number) => {
    const scenario = parseScenario(entry, `/scenarios/${i}`, i + 1, lookup, problems);
    if (scenario) scenarios.push(authored ? { ...scenario, authored } : scenario);
  });
  return problems.length > 0 ? { scenarios: [], problems } : { scenarios, problems };
}

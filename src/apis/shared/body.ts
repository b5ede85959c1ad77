import { mediaType } from '../../platform/http/json-body.ts';
import { invalidInput, invalidParameter, shown } from './errors.ts';

/** Reading JSON request bodies; a body that cannot be read is 400 InvalidInput (the FAQ's answer for getProductsByAsins). */

type Headers = Readonly<Record<string, string | string[] | undefined>>;

export { mediaType };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The JSON object in the body text of an API that reads raw bodies: it must be sent as
 * `application/json`, be valid JSON and be an object.
 */
export function parseJsonObject(operationId: string, headers: Headers, text: unknown): Record<string, unknown> {
  const type = mediaType(headers);
  if (type !== 'application/json') {
    throw invalidInput(
      `${operationId} takes a JSON body: send it with Content-Type: application/json${type ? ` (got ${type})` : ' (no Content-Type was sent)'}.`,
    );
  }
  const raw = typeof text === 'string' ? text : '';
  if (raw.trim() === '') throw invalidInput(`${operationId} needs a JSON object in the request body; the body is empty.`);
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw invalidInput(`The request body of ${operationId} is not valid JSON.`);
  }
  return requireJsonObject(operationId, value);
}

/** The body the gateway parsed (`json` body policy), which must be a JSON object. */
export function requireJsonObject(operationId: string, value: unknown): Record<string, unknown> {
  if (value === undefined) throw invalidInput(`${operationId} needs a JSON object in the request body; the body is empty.`);
  if (!isObject(value)) throw invalidInput(`The request body of ${operationId} must be a JSON object.`);
  return value;
}

/** A non-empty array of at most `max` items, each mapped to a string (`item` answers null for an invalid item). */
export function stringList(value: unknown, name: string, max: number, item: (v: unknown) => string | null): string[] {
  if (!Array.isArray(value)) throw invalidParameter(`Request parameter [${name}] must be an array.`);
  if (value.length === 0) throw invalidParameter(`Request parameter [${name}] must not be empty.`);
  if (value.length > max)
    throw invalidParameter(`Request parameter [${name}] has ${value.length} items; at most ${max} are allowed per call.`);
  return value.map((v) => {
    const s = typeof v === 'string' ? (item(v.trim()) ?? '') : item(v);
    if (!s) throw invalidParameter(`Request parameter [${name}] has an invalid item: ${shown(v)}.`);
    return s;
  });
}

/** The JSON types a body field may have. */
export type FieldType = 'string' | 'integer' | 'string[]' | 'object[]';

const TYPE_CHECKS: Record<FieldType, (v: unknown) => boolean> = {
  string: (v) => typeof v === 'string',
  // A whole number, or its decimal text (clients send either).
  integer: (v) => (typeof v === 'number' && Number.isInteger(v)) || (typeof v === 'string' && /^-?\d{1,12}$/.test(v.trim())),
  'string[]': (v) => Array.isArray(v) && v.every((x) => typeof x === 'string'),
  'object[]': (v) => Array.isArray(v) && v.every((x) => typeof x === 'object' && x !== null && !Array.isArray(x)),
};
const TYPE_NAMES: Record<FieldType, string> = {
  string: 'a string',
  integer: 'a whole number',
  'string[]': 'an array of strings',
  'object[]': 'an array of objects',
};

/**
 * Checks the types of a body's fields before anything reads them: a field present with another
 * type is a 400 naming the field and the type it takes (never its value). Absent fields pass.
 */
export function checkBodyTypes(body: Record<string, unknown>, spec: Readonly<Record<string, FieldType>>): void {
  for (const [name, type] of Object.entries(spec)) {
    const v = body[name];
    if (v === undefined || v === null) continue;
    if (!TYPE_CHECKS[type](v))
      throw invalidParameter(
        `Request parameter [${name}] must be ${TYPE_NAMES[type]}; it is ${typeof v === 'string' ? 'a string' : shown(v)}.`,
      );
  }
}

import { mediaType } from '../../platform/http/json-body.ts';
import { invalidInput, invalidParameter } from './errors.ts';

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
    if (!s) throw invalidParameter(`Request parameter [${name}] has an invalid item: ${JSON.stringify(v)}.`);
    return s;
  });
}

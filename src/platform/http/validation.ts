import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

// Query strings, path parameters and headers arrive as text, so they are coerced; JSON bodies are
// not: a number where a string is expected is an error, as a client would want to be told.
const coercing = addFormats.default(new Ajv({ coerceTypes: 'array', useDefaults: true, removeAdditional: false, allErrors: false }));
const strict = addFormats.default(new Ajv({ coerceTypes: false, useDefaults: true, removeAdditional: false, allErrors: false }));

/** Fastify validator compiler: strict for bodies, coercing for the other parts. */
export function validatorCompiler({ schema, httpPart }: { schema: object; httpPart?: string }): ValidateFunction {
  return (httpPart === 'body' ? strict : coercing).compile(schema);
}

import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

// Query strings, path parameters and headers arrive as text, so they are coerced; JSON bodies are
// not: a number where a string is expected is an error, as a client would want to be told.
const coercing = addFormats.default(new Ajv({ coerceTypes: 'array', useDefaults: true, removeAdditional: false, allErrors: false }));
const strict = addFormats.default(new Ajv({ coerceTypes: false, useDefaults: true, removeAdditional: false, allErrors: false }));

/**
 * Fastify validator compiler: strict for bodies, coercing for the other parts. A route's schema is
 * compiled at its first request, not at start: compiling the few hundred route schemas of the
 * portal, admin API and controls up front took most of a start (about 0.8 s), which the in-process
 * test server (`bizapi/testing`) cannot afford. Ajv keeps what it compiled, per schema.
 */
export function validatorCompiler({ schema, httpPart }: { schema: object; httpPart?: string }): ValidateFunction {
  const ajv = httpPart === 'body' ? strict : coercing;
  let compiled: ValidateFunction | undefined;
  const validate = ((data: unknown) => {
    compiled ??= ajv.compile(schema);
    const valid = compiled(data);
    validate.errors = compiled.errors;
    return valid;
  }) as ValidateFunction;
  return validate;
}

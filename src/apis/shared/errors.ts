import { AppError } from '../../kernel/errors.ts';

/** The Amazon Business APIs' common refusals, in their error envelope (`{"errors":[{code,message,details}]}`). */

/** 400 INVALID_REQUEST_PARAMETER: a parameter is missing, malformed or out of range. */
export const invalidParameter = (message: string, details = ''): AppError => new AppError('INVALID_REQUEST_PARAMETER', message, details);

/** 400 in the words of the newer models' examples (Cart, Package Tracking): a required parameter or body field is missing. */
export const missingParameter = (name: string, where = 'the request'): AppError =>
  new AppError(
    'INVALID_REQUEST_PARAMETER',
    `The required request parameter is missing: ${name}.`,
    `Please provide the required parameter (${name}) in ${where}.`,
  );

/** 400 in the same words: a parameter or body field (named by its JSON path) has a value it cannot take. */
export const invalidParameterValue = (name: string, problem: string): AppError =>
  new AppError('INVALID_REQUEST_PARAMETER', `Invalid value for request parameter ${name}: ${problem}.`);

/** 400 InvalidInput: the request as a whole cannot be read (wrong method, a body that is not JSON). */
export const invalidInput = (message: string, details = ''): AppError => new AppError('InvalidInput', message, details);

/** 400 "Missing required request parameters: [a, b]" (the gateway's own refusal for a missing user email). */
export { missingParameters } from '../../modules/gateway/index.ts';

/**
 * A value as an error message may show it: a string cut to 60 characters, a number or boolean as
 * is, anything else by its kind. Never the whole of what a client sent.
 */
export function shown(value: unknown): string {
  if (typeof value === 'string') return value.length > 60 ? `${value.slice(0, 60)}…` : value;
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  return Array.isArray(value) ? 'an array' : typeof value === 'object' ? 'an object' : typeof value;
}

/** 400 for a value outside what the parameter accepts, naming the parameter and, when short, the valid values. */
export function invalidValue(name: string, value: unknown, allowed?: readonly string[]): AppError {
  const shownValue = shown(value);
  return invalidParameter(
    `Invalid value [${shownValue}] for request parameter [${name}].${allowed ? ` Valid values: ${allowed.join(', ')}.` : ''}`,
  );
}

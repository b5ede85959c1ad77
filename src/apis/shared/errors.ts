import { AppError } from '../../kernel/errors.ts';

/** The Amazon Business APIs' common refusals, in their error envelope (`{"errors":[{code,message,details}]}`). */

/** 400 INVALID_REQUEST_PARAMETER: a parameter is missing, malformed or out of range. */
export const invalidParameter = (message: string, details = ''): AppError => new AppError('INVALID_REQUEST_PARAMETER', message, details);

/** 400 InvalidInput: the request as a whole cannot be read (wrong method, a body that is not JSON). */
export const invalidInput = (message: string, details = ''): AppError => new AppError('InvalidInput', message, details);

/** 400 "Missing required request parameters: [a, b]" (the gateway's own refusal for a missing user email). */
export { missingParameters } from '../../modules/gateway/index.ts';

/** 400 for a value outside what the parameter accepts, naming the parameter and, when short, the valid values. */
export function invalidValue(name: string, value: unknown, allowed?: readonly string[]): AppError {
  const shown = typeof value === 'string' ? value : JSON.stringify(value);
  return invalidParameter(
    `Invalid value [${shown}] for request parameter [${name}].${allowed ? ` Valid values: ${allowed.join(', ')}.` : ''}`,
  );
}

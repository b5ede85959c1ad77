import { AppError } from '../../kernel/errors.ts';

const DENIED = 'Access to requested resource is denied.';
const ACCESS_DENIED_HEADERS = { 'x-amzn-ErrorType': 'AccessDeniedException' };

/** 403 for a missing, malformed, unknown, revoked or misplaced token, and for a missing role. */
export const accessDenied = (): AppError =>
  new AppError('Unauthorized', DENIED, '', { messageFirst: true, headers: ACCESS_DENIED_HEADERS });

/** 403 for an expired access token: byte for byte the FAQ's body. */
export const tokenExpired = (): AppError =>
  new AppError('Unauthorized', DENIED, 'The access token you provided has expired.', {
    messageFirst: true,
    headers: ACCESS_DENIED_HEADERS,
  });

/** 403 for an email that is not an active, cleared user of the business that granted the token: the FAQ's body. */
export const emailNotAuthorized = (): AppError =>
  new AppError('Unauthorized', 'Email is not authorized', 'End user email is not Authorized', { status: 403 });

const QUOTA = 'You exceeded your quota for the requested resource.';

/** 429 when the usage plan's bucket is empty. */
export const quotaExceeded = (): AppError => new AppError('QuotaExceeded', QUOTA, '', { messageFirst: true });

/** The statuses an emulator fault rule can answer with. */
export type InjectedStatus = 429 | 500 | 503 | 504;

// The models' descriptions of these statuses.
const SERVER_FAULTS = {
  500: ['InternalFailure', 'An unexpected condition occurred that prevented the server from fulfilling the request.'],
  503: ['ServiceUnavailable', 'Temporary overloading or maintenance of the server.'],
  504: ['GatewayTimeout', 'A gateway timeout occurred.'],
} as const;

/** An emulator fault in the exact envelope of the real failure (the 429 is the gateway's throttle body). */
export function injectedFault(status: InjectedStatus, ruleId: string): AppError {
  const privateNote = `injected by emulator fault rule ${ruleId}`;
  if (status === 429) return new AppError('QuotaExceeded', QUOTA, '', { messageFirst: true, privateNote });
  const [code, message] = SERVER_FAULTS[status];
  return new AppError(code, message, '', { privateNote });
}

/** 400 for a missing required parameter, in Product Search's style. */
export const missingParameters = (names: readonly string[]): AppError =>
  new AppError('INVALID_REQUEST_PARAMETER', `Missing required request parameters: [${names.join(', ')}]`);

/** 501 for an operation whose API this server does not implement yet: never a fake success. The details say whether the sandbox has canned answers for it. */
export const notImplemented = (operationId: string, api: string, cannedAnswers: boolean): AppError =>
  new AppError(
    'NotImplemented',
    `The operation ${operationId} of the ${api} API is not implemented by this server yet.`,
    cannedAnswers
      ? 'The sandbox base URL answers it from canned scenarios.'
      : 'The sandbox has no canned answer for it either (Amazon publishes none); an operator can add one (docs/sandbox.md).',
  );

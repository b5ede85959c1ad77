import { AppError } from '../../kernel/errors.ts';

/** The message of the sandbox's answer to a request no scenario matches. */
export const NO_MATCH_MESSAGE = 'Could not match input arguments';

/**
 * The no-match failure: 400 `{"errors":[{"code":"InvalidInput","message":"Could not match input
 * arguments","details":""}]}`. The near misses go to the log only.
 */
export const noMatchError = (privateNote?: string): AppError =>
  new AppError('InvalidInput', NO_MATCH_MESSAGE, '', privateNote === undefined ? {} : { privateNote });

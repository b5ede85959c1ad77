import type { FastifyRequest } from 'fastify';
import { AppError } from '../../kernel/errors.ts';
import { presentedKey } from '../../platform/http/auth.ts';
import type { OperatorsService } from './operators.service.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The name of the operator key the request presented (set by the operator guard). */
    operator?: string;
  }
}

/** An `onRequest` hook that admits only requests presenting a valid operator API key (admin API, emulator controls). */
export function operatorGuard(operators: OperatorsService): (request: FastifyRequest) => Promise<void> {
  return async (request) => {
    const name = await operators.verifyAdminKey(presentedKey(request) ?? '');
    if (!name)
      throw new AppError(
        'Unauthenticated',
        'A valid operator API key is required.',
        'Send it as "Authorization: Bearer <key>" or "x-api-key: <key>".',
      );
    request.operator = name;
  };
}

/** The audit actor of an operator's request, e.g. `operator:ci`. */
export const actorOf = (request: FastifyRequest): string => `operator:${request.operator ?? 'unknown'}`;

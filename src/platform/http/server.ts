import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Config } from '../../config/config.ts';
import { AppError } from '../../kernel/errors.ts';
import { sendAmazonError } from './errors.ts';
import { validatorCompiler } from './validation.ts';

export type Server = FastifyInstance;

/** Fields never written to logs, wherever they appear. */
export const LOG_REDACTIONS = [
  'req.headers["x-amz-access-token"]',
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
];

/** A Fastify instance with request ids, security headers, size limits and the Amazon error envelope. */
export function createServer(config: Config, logger: boolean | object = true): Server {
  const app = Fastify({
    logger:
      logger === false
        ? false
        : typeof logger === 'object'
          ? logger
          : { level: config.logLevel, redact: { paths: LOG_REDACTIONS, censor: '[redacted]' } },
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    bodyLimit: config.bodyLimitBytes,
    trustProxy: true,
    // No automatic HEAD routes: every API route must pass the gateway's checks explicitly.
    exposeHeadRoutes: false,
    routerOptions: { ignoreTrailingSlash: false, maxParamLength: 500 },
    // A malformed URL (bad percent-encoding) or an over-long path parameter is refused by the router
    // before any hook runs; it still gets the envelope and a request id, not Fastify's own body.
    frameworkErrors: (error, request, reply) => {
      reply.header('x-amzn-RequestId', request.id);
      return sendAmazonError(request, reply, error);
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  // Unknown fields are refused with a 400 rather than silently dropped; bodies are not type-coerced.
  app.setValidatorCompiler(validatorCompiler);
  void app.register(fastifyCookie);
  void app.register(fastifyFormbody, { bodyLimit: config.bodyLimitBytes });

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-amzn-RequestId', request.id);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-frame-options', 'DENY');
    reply.header('referrer-policy', 'no-referrer');
  });

  app.setErrorHandler((error, request, reply) => sendAmazonError(request, reply, error));
  app.setNotFoundHandler((request, reply) =>
    sendAmazonError(
      request,
      reply,
      new AppError('NotFound', 'The resource specified does not exist.', `No route for ${request.method} ${request.url.split('?')[0]}`),
    ),
  );
  return app as unknown as Server;
}

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../../services.ts';
import { toAppError, logFailure } from '../../platform/http/errors.ts';
import { invalidClient, invalidParameter, OAuthError, unsupportedGrant } from './oauth.errors.ts';
import { mediaType } from '../../platform/http/json-body.ts';

type Params = Record<string, string | undefined>;

function sendOAuthError(request: FastifyRequest, reply: FastifyReply, error: unknown): FastifyReply {
  let err: OAuthError;
  if (error instanceof OAuthError) err = error;
  else {
    const app = toAppError(error);
    logFailure(request, app);
    err =
      app.status >= 500
        ? new OAuthError('server_error', 'The server encountered an unexpected error')
        : new OAuthError('invalid_request', app.message);
  }
  request.log.info({ error: err.error }, 'token request refused');
  // Key order as LWA sends it: error_description first.
  return reply
    .status(err.status)
    .header('cache-control', 'no-store')
    .header('pragma', 'no-cache')
    .type('application/json;charset=UTF-8')
    .send(JSON.stringify({ error_description: err.description, error: err.error }));
}

/** Reads the parameters from a form or JSON body; only string values count. */
function readParams(body: unknown): Params {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return {};
  const out: Params = {};
  for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
    if (typeof v === 'string') out[k] = v;
    else if (v !== undefined && v !== null) out[k] = undefined; // arrays and objects are malformed
  }
  return out;
}

function basicCredentials(request: FastifyRequest): { id: string; secret: string } | null {
  const auth = request.headers.authorization;
  if (typeof auth !== 'string' || !/^Basic /i.test(auth)) return null;
  const decoded = Buffer.from(auth.slice(6).trim(), 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  if (i < 0) throw invalidClient();
  let credentials: { id: string; secret: string };
  try {
    credentials = { id: decodeURIComponent(decoded.slice(0, i)), secret: decodeURIComponent(decoded.slice(i + 1)) };
  } catch {
    // Malformed percent-encoding in the credentials is a failed client authentication, not a server error.
    throw invalidClient();
  }
  // A NUL decoded from the header (`%00`) is no client's id or secret, and PostgreSQL refuses it in text.
  if (credentials.id.includes('\u0000') || credentials.secret.includes('\u0000')) throw invalidClient();
  return credentials;
}

/** `POST /auth/o2/token`: the Login-with-Amazon token endpoint (authorization_code, refresh_token and client_credentials grants). */
export async function tokenRoutes(
  app: FastifyInstance,
  opts: { services: Services; onResponse?: (request: FastifyRequest, statusCode: number, elapsedMs: number) => void },
): Promise<void> {
  const { oauth } = opts.services;
  app.setErrorHandler((error, request, reply) => sendOAuthError(request, reply, error));
  if (opts.onResponse) {
    // Observes every token call after its response (request log, metrics).
    const observe = opts.onResponse;
    app.addHook('onResponse', async (request, reply) => observe(request, reply.statusCode, reply.elapsedTime));
  }

  app.post('/auth/o2/token', async (request, reply) => {
    const type = mediaType(request.headers);
    if (type !== 'application/x-www-form-urlencoded' && type !== 'application/json') {
      throw new OAuthError('invalid_request', 'The request has an invalid parameter : Content-Type');
    }
    const p = readParams(request.body);
    const basic = basicCredentials(request);
    const clientId = basic?.id ?? p.client_id;
    const clientSecret = basic?.secret ?? p.client_secret;
    const grantType = p.grant_type;
    if (!grantType) throw invalidParameter('grant_type');
    if (grantType !== 'authorization_code' && grantType !== 'refresh_token' && grantType !== 'client_credentials') throw unsupportedGrant();
    if (!clientId || !clientSecret) throw invalidClient();
    let tokens;
    if (grantType === 'client_credentials') {
      // Grantless: the app's own token for the operations of one scope (docs/application-management.md).
      tokens = await oauth.clientCredentials({ clientId, clientSecret, scope: p.scope });
    } else if (grantType === 'authorization_code') {
      if (!p.code) throw invalidParameter('code');
      if (!p.redirect_uri) throw invalidParameter('redirect_uri');
      tokens = await oauth.exchangeCode({ clientId, clientSecret, code: p.code, redirectUri: p.redirect_uri });
    } else {
      if (!p.refresh_token) throw invalidParameter('refresh_token');
      tokens = await oauth.refresh({ clientId, clientSecret, refreshToken: p.refresh_token });
    }
    return reply
      .header('cache-control', 'no-store')
      .header('pragma', 'no-cache')
      .type('application/json;charset=UTF-8')
      .send(JSON.stringify(tokens));
  });
}

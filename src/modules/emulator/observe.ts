import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../app-context.ts';
import { sha256 } from '../../kernel/ids.ts';
import type { Metrics } from '../../platform/metrics/metrics.ts';
import { USER_EMAIL_HEADER } from '../registry/index.ts';
import { capText, errorCodeOf, redactHeaders, redactPath, storedBody, type BodyContext } from './domain/redact.ts';
import type { RequestRecorder } from './request-log.recorder.ts';
import type { RequestLogRow } from './request-log.repository.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The payload sent, kept by reference until the response is observed (error code, optional body). */
    sentPayload?: string | Buffer;
  }
}

/** The observers the composition root hands to the gateway and the token routes. */
export interface Observers {
  /** A root `onSend` hook that keeps the payload by reference for the observers (a callback hook: it awaits nothing). */
  keepPayload(request: FastifyRequest, reply: FastifyReply, payload: unknown, done: (err: null, payload: unknown) => void): void;
  api(request: FastifyRequest, statusCode: number, elapsedMs: number): void;
  token(request: FastifyRequest, statusCode: number, elapsedMs: number): void;
}

const headerOf = (request: FastifyRequest, name: string): string | undefined => {
  const v = request.headers[name];
  return typeof v === 'string' ? v : undefined;
};

const GRANT_TYPES = new Set(['authorization_code', 'refresh_token']);

/** Records every API and token call in the request log and the metrics. */
export function createObservers(ctx: AppContext, recorder: RequestRecorder, metrics: Metrics): Observers {
  const { requestLogBodies, requestLogBodyMaxBytes } = ctx.config;
  const capture = requestLogBodies && requestLogBodyMaxBytes > 0;

  const base = (
    request: FastifyRequest,
    statusCode: number,
    elapsedMs: number,
    kind: 'api' | 'token',
    context: BodyContext,
  ): RequestLogRow => ({
    at: ctx.clock.now(),
    request_id: String(request.id),
    kind,
    method: request.method,
    path: redactPath(request.url, context).slice(0, 2000),
    region: null,
    environment: null,
    app_id: null,
    client_id: null,
    business_id: null,
    user_email: null,
    operation: null,
    status: statusCode,
    latency_ms: Math.round(elapsedMs * 1000) / 1000,
    error_code: statusCode >= 400 ? errorCodeOf(request.sentPayload) : null,
    fault_id: null,
    resource: null,
    decision: null,
    request_headers: capture ? capText(JSON.stringify(redactHeaders(request.headers)), requestLogBodyMaxBytes) : null,
    request_body: capture ? storedBody(request.body, context, requestLogBodyMaxBytes) : null,
    response_body: capture ? storedBody(request.sentPayload, 'other', requestLogBodyMaxBytes) : null,
  });

  return {
    keepPayload(request, _reply, payload, done) {
      if (typeof payload === 'string' || Buffer.isBuffer(payload)) request.sentPayload = payload;
      done(null, payload);
    },

    api(request, statusCode, elapsedMs) {
      const operationId = request.routeOptions.config.operationId ?? null;
      const call = request.apiCall as typeof request.apiCall | undefined;
      const target = request.apiTarget;
      const seconds = elapsedMs / 1000;
      const op = operationId ?? 'unknown';
      metrics.apiCall(op, statusCode, target?.environment ?? 'unknown', seconds);
      if (statusCode === 429) metrics.throttles.inc({ operation: op, source: request.injectedFault ? 'fault' : 'usage_plan' });
      if (request.injectedFault && statusCode >= 400) metrics.faultsInjected.inc({ status: String(statusCode) });
      if (!recorder.enabled) return;

      const row = base(request, statusCode, elapsedMs, 'api', 'other');
      row.operation = operationId;
      row.region = call?.region ?? target?.region ?? null;
      row.environment = call?.environment ?? target?.environment ?? null;
      row.app_id = call?.appId ?? null;
      row.business_id = call?.businessId ?? null;
      row.user_email = (call?.user?.email ?? headerOf(request, USER_EMAIL_HEADER) ?? null)?.slice(0, 254) ?? null;
      row.fault_id = request.injectedFault ?? null;
      const decision = request.gatewayDecision;
      if (decision && (decision.refusedBy || decision.plan)) row.decision = JSON.stringify(decision);
      if (request.apiLink) {
        row.resource = `${request.apiLink.kind}:${request.apiLink.id}`.slice(0, 300);
        row.user_email ??= request.apiLink.userEmail?.slice(0, 254) ?? null;
      }
      const token = headerOf(request, 'x-amz-access-token');
      recorder.record({ row, ...(!call && token ? { grant: { kind: 'access' as const, hash: sha256(token) } } : {}) });
    },

    token(request, statusCode, elapsedMs) {
      const body = (request.body && typeof request.body === 'object' ? request.body : {}) as Record<string, unknown>;
      const grantType = typeof body.grant_type === 'string' && GRANT_TYPES.has(body.grant_type) ? body.grant_type : 'other';
      metrics.tokenRequests.inc({ grant_type: grantType, status: String(statusCode) });
      if (statusCode === 200) metrics.tokensIssued.inc({ grant_type: grantType });
      if (!recorder.enabled) return;

      const row = base(request, statusCode, elapsedMs, 'token', 'token-request');
      row.operation = `token.${grantType}`;
      row.client_id = (basicClientId(request) ?? (typeof body.client_id === 'string' ? body.client_id : null))?.slice(0, 200) ?? null;
      const secret = grantType === 'authorization_code' ? body.code : grantType === 'refresh_token' ? body.refresh_token : undefined;
      const kind = grantType === 'authorization_code' ? ('code' as const) : ('refresh' as const);
      recorder.record({ row, ...(typeof secret === 'string' && secret ? { grant: { kind, hash: sha256(secret) } } : {}) });
    },
  };
}

function basicClientId(request: FastifyRequest): string | null {
  const auth = request.headers.authorization;
  if (typeof auth !== 'string' || !/^Basic /i.test(auth)) return null;
  const decoded = Buffer.from(auth.slice(6).trim(), 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  if (i < 0) return null;
  try {
    const id = decodeURIComponent(decoded.slice(0, i));
    // Never stored with a NUL (PostgreSQL refuses one in text, and the batch of log rows with it).
    return id.includes('\u0000') ? null : id;
  } catch {
    return null;
  }
}

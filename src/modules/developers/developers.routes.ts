import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Services } from '../../services.ts';
import { AppError } from '../../kernel/errors.ts';
import { constantTimeEqual } from '../../kernel/ids.ts';
import { cookieValue, presentedKey, type SignInLimits } from '../../platform/http/auth.ts';
import * as S from './developers.schemas.ts';
import { filterOf, RequestQuery, type RequestLogReader } from '../emulator/index.ts';
import { sessionCookieMaxAge } from '../operators/index.ts';

export const DEVELOPER_COOKIE = 'bizapi_dev';

declare module 'fastify' {
  interface FastifyRequest {
    developerId?: string;
  }
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Resolves the signed-in developer from a bearer session token, or from the session cookie; a
 * cookie-authenticated change must also carry the session's CSRF token in `x-csrf-token`.
 */
export async function developerFromRequest(services: Services, request: FastifyRequest): Promise<string | null> {
  const bearer = presentedKey(request);
  if (bearer) return (await services.operators.getSession(bearer, 'developer'))?.subjectId ?? null;
  const cookie = cookieValue(request, DEVELOPER_COOKIE);
  const session = await services.operators.getSession(cookie, 'developer');
  if (!session) return null;
  if (!SAFE.has(request.method)) {
    const sent = request.headers['x-csrf-token'];
    if (typeof sent !== 'string' || !constantTimeEqual(sent, session.csrfToken))
      throw new AppError('Forbidden', 'The CSRF token is missing or wrong.');
  }
  return session.subjectId;
}

/** The developers' JSON API under /developer/v1 (the portal's pages use the same services). */
export async function developerRoutes(
  app: FastifyInstance,
  opts: { services: Services; signInLimiter: SignInLimits; secureCookies: boolean; requestLog?: RequestLogReader },
): Promise<void> {
  const { developers, apps, reviews, operators, oauth } = opts.services;
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const me = (req: FastifyRequest): string => {
    if (!req.developerId) throw new AppError('Unauthenticated', 'Sign in first.');
    return req.developerId;
  };

  r.post('/register', { schema: { body: S.Register } }, async (req, reply) => reply.status(201).send(await developers.register(req.body)));

  r.post('/sessions', { schema: { body: S.SignIn } }, async (req, reply) => {
    if (!(await opts.signInLimiter.allow(req.ip, req.body.email)))
      throw new AppError('TooManyRequests', 'Too many sign-in attempts. Try again in a few minutes.');
    const dev = await developers.authenticate(req.body.email, req.body.password);
    if (!dev) throw new AppError('Unauthenticated', 'The email or password is wrong.');
    await opts.signInLimiter.succeeded(req.ip, req.body.email);
    const { token, session } = await operators.createSession('developer', dev.id);
    reply.setCookie(DEVELOPER_COOKIE, token, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: opts.secureCookies,
      maxAge: sessionCookieMaxAge(session),
    });
    return reply
      .status(201)
      .send({ token, csrfToken: session.csrfToken, expiresAt: new Date(session.expiresAt).toISOString(), developer: dev });
  });

  r.register(async (authed) => {
    const a = authed.withTypeProvider<TypeBoxTypeProvider>();
    a.addHook('onRequest', async (req) => {
      const id = await developerFromRequest(opts.services, req);
      if (!id)
        throw new AppError(
          'Unauthenticated',
          'Sign in first.',
          'Send "Authorization: Bearer <session token>" from POST /developer/v1/sessions.',
        );
      req.developerId = id;
    });
    a.delete('/sessions', async (req, reply) => {
      const token = presentedKey(req) ?? cookieValue(req, DEVELOPER_COOKIE);
      if (token) await operators.endSession(token);
      reply.clearCookie(DEVELOPER_COOKIE, { path: '/' });
      return reply.status(204).send();
    });
    a.get('/me', async (req) => ({ ...(await developers.getDeveloper(me(req))), profile: await developers.getProfile(me(req)) }));
    a.get('/profile', async (req) => developers.getProfile(me(req)));
    a.put('/profile', { schema: { body: S.Profile } }, async (req) => developers.updateProfile(me(req), req.body));
    a.post('/profile/submit', async (req) => developers.submitProfile(me(req)));
    a.post('/profile/role-requests', { schema: { body: S.RoleRequest } }, async (req, reply) =>
      reply.status(201).send(await developers.requestRoles(me(req), req.body.roles)),
    );
    a.get('/reviews', async (req) => ({ reviews: await reviews.list({ developerId: me(req) }) }));

    a.get('/apps', async (req) => {
      const list = await apps.list({ developerId: me(req) });
      return { apps: list, count: list.length, limit: 10 };
    });
    a.post('/apps', { schema: { body: S.CreateApp } }, async (req, reply) => {
      const { app: created, clientSecret } = await apps.create(me(req), req.body);
      return reply.status(201).send({ ...created, clientSecret });
    });
    a.get('/apps/:id', { schema: { params: S.AppParam } }, async (req) => apps.getOwned(me(req), req.params.id));
    a.patch('/apps/:id', { schema: { params: S.AppParam, body: S.PatchApp } }, async (req) =>
      apps.update(me(req), req.params.id, req.body),
    );
    a.delete('/apps/:id', { schema: { params: S.AppParam } }, async (req, reply) => {
      await apps.delete(me(req), req.params.id);
      return reply.status(204).send();
    });
    a.get('/apps/:id/credentials', { schema: { params: S.AppParam } }, async (req) => {
      const app = await apps.getOwned(me(req), req.params.id);
      return {
        applicationId: app.applicationId,
        clientId: app.clientId,
        secrets: await apps.listSecrets(app.id),
        note: 'Client secrets are shown once, when created or rotated; only their hashes are kept.',
      };
    });
    a.post('/apps/:id/rotate-secret', { schema: { params: S.AppParam } }, async (req) => {
      const app = await apps.getOwned(me(req), req.params.id);
      const rotated = await apps.rotateSecret(`developer:${app.developerId}`, app.id);
      return {
        clientId: app.clientId,
        clientSecret: rotated.clientSecret,
        previousSecretExpiresAt: new Date(rotated.previousSecretExpiresAt).toISOString(),
        // The same notice rotateApplicationClientSecret sends, to every destination (none: null).
        noticeId: rotated.noticeId,
      };
    });

    // Client secret notices (docs/application-management.md): destinations, test notices, the delivery log.
    a.get('/apps/:id/notice-destinations', { schema: { params: S.AppParam } }, async (req) => ({
      destinations: await apps.notices.listDestinations((await apps.getOwned(me(req), req.params.id)).id),
    }));
    a.post('/apps/:id/notice-destinations', { schema: { params: S.AppParam, body: S.CreateDestination } }, async (req, reply) => {
      const app = await apps.getOwned(me(req), req.params.id);
      const { destination, signingSecret } = await apps.notices.addDestination(`developer:${app.developerId}`, app.id, req.body);
      // A webhook's signing secret is shown this once; bizapi keeps it encrypted, to sign deliveries.
      return reply.status(201).send(signingSecret === null ? destination : { ...destination, signingSecret });
    });
    a.delete('/apps/:id/notice-destinations/:destinationId', { schema: { params: S.DestinationParam } }, async (req, reply) => {
      const app = await apps.getOwned(me(req), req.params.id);
      await apps.notices.removeDestination(`developer:${app.developerId}`, app.id, req.params.destinationId);
      return reply.status(204).send();
    });
    a.post('/apps/:id/notice-destinations/:destinationId/test', { schema: { params: S.DestinationParam } }, async (req, reply) => {
      const app = await apps.getOwned(me(req), req.params.id);
      return reply.status(202).send(await apps.notices.sendTest(`developer:${app.developerId}`, app, req.params.destinationId));
    });
    a.get('/apps/:id/notices', { schema: { params: S.AppParam, querystring: S.NoticeLogQuery } }, async (req) => ({
      notices: await apps.notices.log((await apps.getOwned(me(req), req.params.id)).id, req.query.limit ?? 50),
    }));
    a.post('/apps/:id/submit-listing', { schema: { params: S.AppParam } }, async (req) => apps.submitForListing(me(req), req.params.id));
    a.post('/apps/:id/tps-requests', { schema: { params: S.AppParam, body: S.TpsRequest } }, async (req, reply) =>
      reply.status(201).send(await reviews.requestTps(me(req), req.params.id, req.body)),
    );
    a.post('/apps/:id/privileged-field-requests', { schema: { params: S.AppParam, body: S.FieldsRequest } }, async (req, reply) =>
      reply.status(201).send(await reviews.requestPrivilegedFields(me(req), req.params.id, req.body)),
    );
    a.get('/apps/:id/usage-plans', { schema: { params: S.AppParam } }, async (req) => ({
      overrides: await reviews.usagePlans((await apps.getOwned(me(req), req.params.id)).id),
    }));
    a.get('/apps/:id/privileged-fields', { schema: { params: S.AppParam } }, async (req) => ({
      fields: await reviews.privilegedFields((await apps.getOwned(me(req), req.params.id)).id),
    }));
    a.get('/apps/:id/authorizations', { schema: { params: S.AppParam } }, async (req) => ({
      authorizations: await oauth.listAuthorizations({ appId: (await apps.getOwned(me(req), req.params.id)).id }),
    }));
    a.post('/apps/:id/sandbox-token', { schema: { params: S.AppParam, body: S.SandboxTokenBody } }, async (req, reply) =>
      reply.status(201).send(await oauth.createSandboxToken(me(req), req.params.id, req.body?.region ?? 'NA')),
    );

    // The request inspector, limited to the developer's own apps (`app` takes an app id or applicationId).
    const requestLog = opts.requestLog;
    if (requestLog) {
      a.get('/requests', { schema: { querystring: RequestQuery } }, async (req) => {
        const own = await apps.list({ developerId: me(req) });
        const wanted = req.query.app;
        const chosen = wanted === undefined ? own : own.filter((x) => x.id === wanted || x.applicationId === wanted);
        if (wanted !== undefined && chosen.length === 0) throw new AppError('NotFound', `App ${wanted} was not found.`);
        return { requests: await requestLog.list({ ...filterOf(req.query), appIds: chosen.map((x) => x.id) }) };
      });
    }
  });
}

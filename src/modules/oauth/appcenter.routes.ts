import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Services } from '../../services.ts';
import { marketplaceByCode } from '../../kernel/reference.ts';
import { html, page } from '../../platform/http/html.ts';
import { logFailure, toAppError } from '../../platform/http/errors.ts';
import { redirectBack } from './consent.routes.ts';

/** The path Amazon's App Center calls back on; the consent pages pass only this one through. */
export const APP_CENTER_CALLBACK = '/b2b/abws/appcenter/callback';
const STATE_TTL_SECONDS = 15 * 60;

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function errorPage(reply: FastifyReply, message: string, status = 400): FastifyReply {
  return reply
    .status(status)
    .type('text/html; charset=utf-8')
    .send(page('App Center', html`<div class="panel error" role="alert"><h1>We can't connect this app</h1><p>${message}</p></div>`));
}

/**
 * The App Center authorization workflow (platform spec 3.5): "Connect app" sends the customer to the
 * app's OAuth Login URI with `amazon_callback_uri` and `amazon_state`; the app posts back
 * `authentication_successful`, the customer consents, and the app finally redirects to the callback
 * with `auth_code_use_successful` or `auth_code_use_failure`.
 */
export async function appCenterRoutes(
  app: FastifyInstance,
  opts: { services: Services; baseUrl: (host: string, protocol: string) => string },
): Promise<void> {
  const { apps, operators } = opts.services;
  // These are pages: a body the parser refuses (type, size, syntax) gets a page too, not JSON.
  app.setErrorHandler((error, request, reply) => {
    const err = toAppError(error);
    logFailure(request, err);
    return errorPage(reply, err.status >= 500 ? 'Something went wrong. Please try again.' : err.message, err.status);
  });

  app.get('/b2b/abws/appcenter', async (_request, reply) => {
    const listed = (await apps.list()).filter((a) => a.status === 'published' && a.visibility === 'public' && a.loginUri && !a.suspended);
    const body = html`<h1>App Center</h1>${
      listed.length === 0
        ? html`<p class="panel">No apps are listed yet. An app appears here once it is published with an OAuth login URI.</p>`
        : html`<table><thead><tr><th scope="col">App</th><th scope="col">Roles</th><th scope="col"><span class="muted">Action</span></th></tr></thead><tbody>${listed.map(
            (a) =>
              html`<tr><td>${a.name}</td><td>${a.publishedRoles.join(', ')}</td><td><a class="button" href="/b2b/abws/appcenter/connect?applicationId=${encodeURIComponent(a.applicationId)}">Connect app</a></td></tr>`,
          )}</tbody></table>`
    }`;
    return reply.type('text/html; charset=utf-8').send(page('App Center', body));
  });

  app.get('/b2b/abws/appcenter/connect', async (request, reply) => {
    const q = request.query as Record<string, unknown>;
    const client = await apps.findByApplicationId(str(q.applicationId) ?? '');
    if (!client || client.status !== 'published' || client.visibility !== 'public' || !client.loginUri || client.suspended)
      return errorPage(reply, 'This app is not listed in the App Center.', 404);
    const marketplace = marketplaceByCode(str(q.marketplace) ?? 'US');
    if (!marketplace) return errorPage(reply, 'Unknown marketplace.');
    const { token } = await operators.createSession('app_center', client.applicationId, {
      ttlSeconds: STATE_TTL_SECONDS,
      data: marketplace.code,
    });
    const callback = `${opts.baseUrl(request.host, request.protocol)}${APP_CENTER_CALLBACK}`;
    return reply.redirect(redirectBack(client.loginUri, { amazon_callback_uri: callback, amazon_state: token }), 302);
  });

  // Step 3: the app posts here (a cross-site form post by design: the unguessable amazon_state is the check).
  app.post(APP_CENTER_CALLBACK, async (request, reply) => {
    const b = (request.body ?? {}) as Record<string, unknown>;
    const amazonState = str(b.amazon_state);
    const session = amazonState ? await operators.getSession(amazonState, 'app_center') : null;
    if (!session) return errorPage(reply, 'The App Center request expired or is unknown. Start again from the App Center.');
    if (str(b.status) !== 'authentication_successful') return errorPage(reply, 'The app did not sign you in.');
    const client = await apps.findByApplicationId(session.subjectId);
    const redirectUri = str(b.redirect_uri);
    if (!client || !redirectUri || !client.redirectUris.includes(redirectUri))
      return errorPage(reply, 'The redirect_uri is not registered for this app.');
    const params = new URLSearchParams({
      applicationId: client.applicationId,
      redirect_uri: redirectUri,
      state: str(b.state) ?? '',
      amazon_callback_uri: `${opts.baseUrl(request.host, request.protocol)}${APP_CENTER_CALLBACK}`,
    });
    return reply.redirect(`/mp/${session.csrfToken.toLowerCase()}/b2b/abws/oauth?${params.toString()}`, 303);
  });

  // Step 6: the app reports whether it could use the code.
  app.get(APP_CENTER_CALLBACK, async (request, reply) => {
    const q = request.query as Record<string, unknown>;
    const amazonState = str(q.amazon_state);
    const session = amazonState ? await operators.getSession(amazonState, 'app_center') : null;
    if (!session || !amazonState) return errorPage(reply, 'The App Center request expired or is unknown.');
    await operators.endSession(amazonState);
    const client = await apps.findByApplicationId(session.subjectId);
    if (str(q.status) === 'auth_code_use_successful') {
      return reply
        .type('text/html; charset=utf-8')
        .send(
          page(
            'App connected',
            html`<div class="panel notice"><h1>${client?.name ?? 'The app'} is connected</h1><p>You can manage it under Authorized apps.</p></div><p><a href="/b2b/abws/appcenter">Back to the App Center</a></p>`,
          ),
        );
    }
    return errorPage(reply, `${client?.name ?? 'The app'} could not complete the connection. Try again, or contact the app's developer.`);
  });
}

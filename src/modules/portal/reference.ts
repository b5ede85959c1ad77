import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { cookieValue } from '../../platform/http/auth.ts';
import { html, page, type Html } from '../../platform/http/html.ts';
import { OAuthError } from '../oauth/index.ts';
import { APIS } from '../registry/index.ts';
import type { Session } from '../operators/index.ts';
import { bodyOf, csrfField, errorSummary, hasErrors, input, select, text, type FieldErrors } from './forms.ts';
import type { PortalDeps } from './layout.ts';
import { checkSessionCsrf, DEVELOPER_AREA } from './session.ts';

/**
 * `/reference`: the server's own OpenAPI document (/openapi.json) in Swagger UI, served from the
 * swagger-ui-dist package through our routes (no CDN, no network). A signed-in developer can get an
 * access token for one of their apps here (the refresh_token grant, performed by the server through
 * the OAuth service and audited); Swagger UI is then authorized with it and "Try it out" sends real
 * calls to this server's API paths.
 */

const DIST = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
/** The files of the package the page uses, and their types; nothing else of node_modules is served. */
const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

// The page's only script of its own: reads its settings from data attributes (no inline script).
const INIT_JS = `'use strict';
(function () {
  var root = document.getElementById('swagger-ui');
  if (!root || typeof SwaggerUIBundle !== 'function') return;
  var token = root.getAttribute('data-token');
  var ui = SwaggerUIBundle({
    url: root.getAttribute('data-url'),
    dom_id: '#swagger-ui',
    deepLinking: true,
    docExpansion: root.getAttribute('data-expansion') || 'list',
    presets: [SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout',
    validatorUrl: null,
    tryItOutEnabled: !!token,
    displayRequestDuration: true,
    onComplete: function () {
      if (token) ui.preauthorizeApiKey('accessToken', token);
    }
  });
  window.ui = ui;
})();
`;

/** The API a page view shows (`?api=<slug>` of a built API), or null for every API in one document. */
function chosenApi(deps: PortalDeps, value: unknown): { slug: string; name: string } | null {
  if (typeof value !== 'string' || !value) return null;
  const found = APIS.find((a) => a.slug === value && deps.apis.includes(a.name));
  return found ? { slug: found.slug, name: found.name } : null;
}

interface TokenState {
  values: { app: string };
  errors: FieldErrors;
  token?: { value: string; expiresIn: number; appName: string };
  status?: number;
}

/** The developer signed in to the portal on this browser, if any (their session cookie). */
async function developerSession(deps: PortalDeps, request: FastifyRequest): Promise<Session | null> {
  return deps.services.operators.getSession(cookieValue(request, DEVELOPER_AREA.cookie), DEVELOPER_AREA.kind);
}

export function referencePages(app: FastifyInstance, deps: PortalDeps): void {
  const cache = new Map<string, Buffer>();

  app.get('/reference/assets/:file', async (request, reply) => {
    const file = (request.params as { file: string }).file;
    const type = Object.hasOwn(ASSETS, file) ? ASSETS[file] : undefined;
    if (!type) return reply.status(404).type('text/plain; charset=utf-8').send('Not found');
    let body = cache.get(file);
    if (!body) {
      body = await readFile(join(DIST, file));
      cache.set(file, body);
    }
    return reply.type(type).header('cache-control', 'public, max-age=86400').send(body);
  });

  app.get('/reference/init.js', async (_request, reply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'no-cache').send(INIT_JS),
  );

  const sendReference = async (
    request: FastifyRequest,
    reply: FastifyReply,
    session: Session | null,
    api: { slug: string; name: string } | null,
    state?: TokenState,
  ) => {
    let tokenPanel: Html;
    if (!session) {
      tokenPanel = html`<div class="panel"><h2>Send real calls</h2><p><a href="/portal/signin">Sign in to the developer portal</a>, then come back here: you can get an access token for one of your apps and send calls from this page. Or use <strong>Authorize</strong> below with an access token you got from <code>POST /auth/o2/token</code>.</p></div>`;
    } else {
      const apps = await deps.services.apps.list({ developerId: session.subjectId });
      const s = state ?? { values: { app: apps[0]?.id ?? '' }, errors: {} };
      const got = s.token
        ? html`<div class="panel notice" role="status"><p>Swagger UI is authorized with a new access token of <strong>${s.token.appName}</strong>, valid for ${Math.round(s.token.expiresIn / 60)} minutes on the platform clock. Choose an operation, <strong>Try it out</strong>, then <strong>Execute</strong>; pick the server (region and environment) the token was issued for.</p></div>`
        : html``;
      tokenPanel = apps.length
        ? html`${got}<section class="panel" aria-labelledby="ref-token-title"><h2 id="ref-token-title">Get an access token</h2>
          <p>The server exchanges your app's refresh token (from consent, or "Create token" for a sandbox app) for an access token, as <code>POST /auth/o2/token</code> with <code>grant_type=refresh_token</code> would. Nothing you type here is kept; the token is shown to this page only.</p>
          ${errorSummary(s.errors, 'ref-')}
          <form method="post" action="/reference/token" novalidate>${csrfField(session.csrfToken)}${api ? html`<input type="hidden" name="api" value="${api.slug}">` : ''}
            ${select({ name: 'app', idPrefix: 'ref-', label: 'App', options: apps.map((a) => ({ value: a.id, label: `${a.name} (${a.type})` })), value: s.values.app, error: s.errors.app })}
            ${input({ name: 'client_secret', idPrefix: 'ref-', label: 'Client secret', type: 'password', autocomplete: 'off', error: s.errors.client_secret, hint: 'From the app’s LWA credentials' })}
            ${input({ name: 'refresh_token', idPrefix: 'ref-', label: 'Refresh token', type: 'password', autocomplete: 'off', error: s.errors.refresh_token, hint: 'Atzr|…' })}
            <div class="actions"><button type="submit">Get an access token</button></div></form></section>`
        : html`<div class="panel"><p>You have no app yet: <a href="/portal/apps">create one in the developer portal</a> to get a token for it.</p></div>`;
    }
    const body = html`<h1>API reference</h1>
      <p>Every operation this server implements, from its own OpenAPI document (<a href="/openapi.json">/openapi.json</a>; one API: <code>/openapi/&lt;slug&gt;.json</code>). Calls need an access token in <code>x-amz-access-token</code>; the operations that act for a buyer also need <code>x-amz-user-email</code>.</p>
      ${tokenPanel}
      <nav class="tabs" aria-label="APIs"><a href="/reference"${api ? '' : html` aria-current="page"`}>All APIs</a>${APIS.filter((a) =>
        deps.apis.includes(a.name),
      ).map((a) => html`<a href="/reference?api=${a.slug}"${api?.slug === a.slug ? html` aria-current="page"` : ''}>${a.name}</a>`)}</nav>
      <link rel="stylesheet" href="/reference/assets/swagger-ui.css">
      <div id="swagger-ui" data-url="${api ? `/openapi/${api.slug}.json` : '/openapi.json'}" data-expansion="${api ? 'list' : 'none'}"${state?.token ? html` data-token="${state.token.value}"` : ''}><p class="muted">Loading the API reference…</p></div>
      <script src="/reference/assets/swagger-ui-bundle.js" defer></script><script src="/reference/init.js" defer></script>`;
    const nav = html`<nav aria-label="API reference"><a href="/portal">Developer portal</a><a href="/reference" aria-current="page">API reference</a></nav>`;
    return reply
      .status(state?.status ?? 200)
      .header('cache-control', 'no-store')
      .type('text/html; charset=utf-8')
      .send(page('API reference', body, nav));
  };

  app.get('/reference', async (request, reply) =>
    sendReference(request, reply, await developerSession(deps, request), chosenApi(deps, (request.query as Record<string, unknown>).api)),
  );

  app.post('/reference/token', async (request, reply) => {
    const session = await developerSession(deps, request);
    if (!session) return reply.redirect('/portal/signin', 303);
    if (!checkSessionCsrf(request, session))
      return reply
        .status(403)
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(
          page(
            'The form expired',
            html`<div class="panel error" role="alert"><h1>The form expired</h1><p>The security token of the form was missing or wrong, so nothing was done. <a href="/reference">Reload the API reference</a> and try again.</p></div>`,
          ),
        );
    const b = bodyOf(request);
    const api = chosenApi(deps, text(b, 'api'));
    const values = { app: text(b, 'app') };
    const secret = text(b, 'client_secret').trim();
    const refresh = text(b, 'refresh_token').trim();
    const errors: FieldErrors = {};
    const own = values.app ? await deps.services.apps.getOwned(session.subjectId, values.app).catch(() => null) : null;
    if (!own) errors.app = 'Choose one of your apps.';
    if (!secret) errors.client_secret = 'Enter the app’s client secret.';
    if (!refresh) errors.refresh_token = 'Enter a refresh token of the app.';
    if (hasErrors(errors) || !own) return sendReference(request, reply, session, api, { values, errors, status: 400 });
    try {
      const t = await deps.services.oauth.refresh({ clientId: own.clientId, clientSecret: secret, refreshToken: refresh });
      await deps.ctx.audit.record(deps.ctx.db.kysely, {
        actor: `developer:${session.subjectId}`,
        action: 'reference.access_token',
        subjectType: 'app',
        subjectId: own.id,
        after: { expiresIn: t.expires_in },
      });
      return sendReference(request, reply, session, api, {
        values,
        errors: {},
        token: { value: t.access_token, expiresIn: t.expires_in, appName: own.name },
      });
    } catch (err) {
      if (!(err instanceof OAuthError)) throw err;
      const wrong: FieldErrors =
        err.error === 'invalid_client'
          ? { client_secret: 'This client secret is not the app’s (it may have been rotated).' }
          : { refresh_token: 'This refresh token is not valid for the app: it is unknown, revoked, or the app is suspended.' };
      return sendReference(request, reply, session, api, { values, errors: wrong, status: 400 });
    }
  });
}

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SignInLimits } from '../../platform/http/auth.ts';
import type { AppContext } from '../../app-context.ts';
import type { Services } from '../../services.ts';
import type { ApiName } from '../registry/index.ts';
import type { ScenarioSet } from '../sandbox/index.ts';
import { cookieValue } from '../../platform/http/auth.ts';
import { logFailure, toAppError } from '../../platform/http/errors.ts';
import { html, page, type Html } from '../../platform/http/html.ts';
import type { Session } from '../operators/index.ts';
import { csrfField } from './forms.ts';
import { checkPreLoginCsrf, checkSessionCsrf, clearSessionCookie, takeFlash, type Area, type CookieSettings } from './session.ts';

/** What every page module of the portal receives. */
export interface PortalDeps {
  ctx: AppContext;
  services: Services;
  signInLimiter: SignInLimits;
  cookies: CookieSettings;
  /** The APIs bound to this server (live on the production base URLs). */
  apis: readonly ApiName[];
  /** The loaded sandbox scenarios. */
  scenarios: ScenarioSet;
}

const NAV: Record<Area['name'], { signedIn: [string, string][]; anonymous: [string, string][] }> = {
  developer: {
    signedIn: [
      ['/portal/apps', 'Apps'],
      ['/portal/profile', 'Developer profile'],
    ],
    anonymous: [
      ['/portal/signin', 'Sign in'],
      ['/portal/register', 'Register'],
    ],
  },
  business: {
    signedIn: [
      ['/business', 'Overview'],
      ['/business/users', 'Users'],
      ['/business/organization', 'Legal entities & groups'],
      ['/business/policies', 'Buying policies'],
      ['/business/apps', 'Authorized apps'],
      ['/business/orders', 'Orders'],
      ['/business/carts', 'Carts'],
      ['/business/invoices', 'Invoices'],
    ],
    anonymous: [['/business/signin', 'Sign in']],
  },
  operator: {
    signedIn: [
      ['/console', 'Reviews'],
      ['/console/businesses', 'Businesses'],
      ['/console/developers', 'Developers'],
      ['/console/apps', 'Apps'],
      ['/console/reports', 'Report jobs'],
      ['/console/requests', 'Requests'],
      ['/console/emulator', 'Clock & faults'],
      ['/console/audit', 'Audit log'],
    ],
    anonymous: [['/console/signin', 'Sign in']],
  },
};

function isCurrent(path: string, href: string, area: Area): boolean {
  if (href === area.prefix) return path === href || (area.name === 'operator' && path.startsWith('/console/reviews'));
  return path === href || path.startsWith(`${href}/`);
}

/** The header navigation of an area, with the signed-in person and a sign-out button. */
export function navFor(request: FastifyRequest, area: Area): Html {
  const path = request.url.split('?')[0] ?? '';
  const p = request.portal;
  const items = p ? NAV[area.name].signedIn : NAV[area.name].anonymous;
  const links = items.map(
    ([href, label]) => html`<a href="${href}"${isCurrent(path, href, area) ? html` aria-current="page"` : ''}>${label}</a>`,
  );
  const who = p
    ? html`<span class="who">${p.label}</span><form method="post" action="${area.prefix}/signout">${csrfField(p.session.csrfToken)}<button type="submit" class="link">Sign out</button></form>`
    : html``;
  return html`<nav aria-label="${area.title}"><span class="who">${area.title}</span>${links}${who}</nav>`;
}

/** Sends a page of an area in the product's one look; portal pages are never cached (they show private data). */
export function sendPage(request: FastifyRequest, reply: FastifyReply, area: Area, title: string, body: Html, status = 200): FastifyReply {
  const flash = reply.statusCode < 300 && status < 300 ? takeFlash(request, reply) : null;
  const flashHtml = flash
    ? html`<div class="panel ${flash.tone === 'error' ? 'error' : 'notice'}" role="status"><p>${flash.text}</p></div>`
    : html``;
  return reply
    .status(status)
    .header('cache-control', 'no-store')
    .type('text/html; charset=utf-8')
    .send(page(title, html`${flashHtml}${body}`, navFor(request, area)));
}

export function sendError(
  request: FastifyRequest,
  reply: FastifyReply,
  area: Area,
  status: number,
  title: string,
  message: string,
  extra: Html = html``,
): FastifyReply {
  const body = html`<div class="panel error" role="alert"><h1>${title}</h1><p>${message}</p></div>${extra}`;
  return sendPage(request, reply, area, title, body, status);
}

/** A redirect after a POST (303, so the browser follows with GET). */
export const seeOther = (reply: FastifyReply, location: string): FastifyReply => reply.redirect(location, 303);

/** What the guard learns about the session's subject: a label for the header, or why they may not enter. */
export type Resolution = { ok: true; label: string } | { ok: false; reason: 'gone' } | { ok: false; reason: 'forbidden'; message: string };

/**
 * Installs an area on an encapsulated plugin: HTML error and not-found pages, and a guard that
 * requires a live session (redirecting to sign-in otherwise) and checks the CSRF token of every
 * POST: the session's token, or for the sign-in forms the pre-login double-submit cookie.
 */
export function installArea(
  app: FastifyInstance,
  services: Services,
  area: Area,
  resolve: (session: Session) => Promise<Resolution>,
): void {
  app.setErrorHandler((error, request, reply) => {
    const err = toAppError(error);
    logFailure(request, err);
    if (err.status === 404)
      return sendError(
        request,
        reply,
        area,
        404,
        'Not found',
        'There is nothing here, or it is not yours to see.',
        html`<p><a href="${area.prefix}">Back to the ${area.title.toLowerCase()}</a></p>`,
      );
    if (err.status >= 500)
      return sendError(
        request,
        reply,
        area,
        err.status,
        'Something went wrong',
        'Please try again. If it keeps happening, tell the operator the time it happened.',
      );
    return sendError(request, reply, area, err.status, 'The request could not be completed', err.message);
  });
  app.setNotFoundHandler((request, reply) =>
    sendError(
      request,
      reply,
      area,
      404,
      'Not found',
      'There is no such page.',
      html`<p><a href="${area.prefix}">Back to the ${area.title.toLowerCase()}</a></p>`,
    ),
  );

  app.addHook('preHandler', async (request, reply) => {
    const unsafe = request.method !== 'GET' && request.method !== 'HEAD';
    if (request.routeOptions.config.portalPublic) {
      if (unsafe && !checkPreLoginCsrf(request)) return formExpired(request, reply, area);
      return;
    }
    const token = cookieValue(request, area.cookie);
    const session = await services.operators.getSession(token, area.kind);
    if (!session || !token) {
      const next = request.method === 'GET' ? `?next=${encodeURIComponent(request.url)}` : '';
      return seeOther(reply, `${area.prefix}/signin${next}`);
    }
    const who = await resolve(session);
    if (!who.ok && who.reason === 'gone') {
      await services.operators.endSession(token);
      clearSessionCookie(reply, area);
      return seeOther(reply, `${area.prefix}/signin`);
    }
    request.portal = { area, token, session, label: who.ok ? who.label : '' };
    if (unsafe && !checkSessionCsrf(request, session)) return formExpired(request, reply, area);
    if (!who.ok && who.reason === 'forbidden' && !request.url.startsWith(`${area.prefix}/signout`)) {
      return sendError(request, reply, area, 403, 'Not allowed', who.message);
    }
  });
}

function formExpired(request: FastifyRequest, reply: FastifyReply, area: Area): FastifyReply {
  return sendError(
    request,
    reply,
    area,
    403,
    'The form expired',
    'The security token of the form was missing or wrong, so nothing was changed. Go back, reload the page and try again.',
  );
}

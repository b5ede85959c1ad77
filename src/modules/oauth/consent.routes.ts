import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../../services.ts';
import { constantTimeEqual, randomSecret } from '../../kernel/ids.ts';
import { marketplaceByCode, marketplaceByHost, type Marketplace } from '../../kernel/reference.ts';
import { cookieValue, type SignInLimits } from '../../platform/http/auth.ts';
import { logFailure, toAppError } from '../../platform/http/errors.ts';
import { html, page, type Html } from '../../platform/http/html.ts';
import { rolesForNewAuthorization } from './oauth.service.ts';
import { CONSENT_REFUSAL_TEXT, ConsentError, type ConsentRefusal } from './oauth.errors.ts';
import type { AppRecord } from '../developers/index.ts';
import { sessionCookieMaxAge } from '../operators/index.ts';

export const BUSINESS_COOKIE = 'bizapi_bu';
const PRELOGIN_CSRF_COOKIE = 'bizapi_csrf';
const CANT_CONNECT = "We're sorry. We can't connect this account.";

interface ConsentQuery {
  applicationId?: string;
  redirect_uri?: string;
  state?: string;
  version?: string;
  amazon_callback_uri?: string;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

// Only our own App Center callback is passed through to the app, so the flow cannot be used to
// send a customer anywhere else.
/** The App Center callback, only when it is this server's own (same origin and path); any other is dropped. */
const ownCallback = (v: string | undefined, ownBaseUrl: string): string | undefined => {
  if (!v) return undefined;
  try {
    const url = new URL(v);
    return url.origin === new URL(ownBaseUrl).origin && url.pathname === '/b2b/abws/appcenter/callback' ? v : undefined;
  } catch {
    return undefined;
  }
};

function readConsentQuery(q: unknown, ownBaseUrl: string): ConsentQuery {
  const o = (q && typeof q === 'object' ? q : {}) as Record<string, unknown>;
  return {
    applicationId: str(o.applicationId),
    redirect_uri: str(o.redirect_uri),
    state: str(o.state),
    version: str(o.version),
    amazon_callback_uri: ownCallback(str(o.amazon_callback_uri), ownBaseUrl),
  };
}

/** The marketplace a consent request is for: the `/mp/<code>` prefix, else a mapped Amazon host, else US. */
function marketplaceOf(request: FastifyRequest): Marketplace | undefined {
  const code = (request.params as { mp?: string } | undefined)?.mp;
  if (code) return marketplaceByCode(code);
  return marketplaceByHost(request.hostname.split(':')[0] ?? '') ?? marketplaceByCode('US');
}

/** The FAQ's answer to "We're sorry. We can't connect this account.", for the refusals it describes (applicationId or redirect_uri). */
export const FAQ_CANT_CONNECT =
  "This error is caused by incorrect redirect_uri and applicationId. You must use the same redirect_uri and applicationId you've provided in SPP. Any missing or additional characters will cause an error.";

/** The refusals the FAQ's sentence is about; every other refusal says only its own reason. */
const ID_REFUSALS: readonly ConsentRefusal[] = ['unknown_application', 'redirect_uri_mismatch'];

/**
 * "We can't connect this account" with the actual reason; the FAQ's sentence about applicationId and
 * redirect_uri only where the reason is one of them. With the signed-in session's CSRF token (a
 * refusal after sign-in) it offers to sign in with another account and come back to the same consent URL.
 */
function refusalPage(
  reply: FastifyReply,
  reason: ConsentRefusal | 'unknown_marketplace',
  status = 400,
  again?: { csrfToken: string; consentPath: string },
): FastifyReply {
  const text = reason === 'unknown_marketplace' ? 'Unknown marketplace.' : CONSENT_REFUSAL_TEXT[reason];
  const faq = reason !== 'unknown_marketplace' && ID_REFUSALS.includes(reason) ? html`<p>${FAQ_CANT_CONNECT}</p>` : html``;
  const body = html`<div class="panel error" role="alert"><h1>${CANT_CONNECT}</h1><p>${text}</p>${faq}</div>${again ? signOutForm(again.csrfToken, 'Sign in with another account', again.consentPath) : ''}`;
  return reply.status(status).type('text/html; charset=utf-8').send(page("We can't connect this account", body));
}

/** A consent URL (path and query) this server serves; anything else is not a place to return to. */
// Printable ASCII but the backslash only: a real consent URL's query is percent-encoded.
const CONSENT_PATH = /^\/(?:mp\/[a-z]{2}\/)?b2b\/abws\/oauth(?:\?[\x21-\x5b\x5d-\x7e]*)?$/;
export const isConsentPath = (value: string | undefined): value is string => !!value && CONSENT_PATH.test(value);

/**
 * A button that ends the consent session: a POST with the session's CSRF token, never a link. With a
 * consent URL, the person comes back to it (signed out, at its sign-in form) instead of a dead end.
 */
const signOutForm = (csrfToken: string, label: string, consentPath?: string): Html =>
  html`<form method="post" action="/b2b/abws/signout"><input type="hidden" name="csrf" value="${csrfToken}">${isConsentPath(consentPath) ? html`<input type="hidden" name="next" value="${consentPath}">` : ''}<button type="submit" class="link">${label}</button></form>`;

/** An error page; with the signed-in session's CSRF token it offers to sign in with another account (and return to the consent URL). */
function errorPage(
  reply: FastifyReply,
  title: string,
  reason: string,
  status: number,
  again?: { csrfToken: string; consentPath?: string },
): FastifyReply {
  const body = html`<div class="panel error" role="alert"><h1>${title}</h1><p>${reason}</p></div>${again ? signOutForm(again.csrfToken, 'Sign in with another account', again.consentPath) : ''}`;
  return reply.status(status).type('text/html; charset=utf-8').send(page(title, body));
}

/** The consent URL (path and query) of a consent request, under its marketplace's path. */
function consentPathOf(q: ConsentQuery, marketplace: Marketplace): string {
  const query = new URLSearchParams(
    Object.entries({
      applicationId: q.applicationId,
      redirect_uri: q.redirect_uri,
      state: q.state,
      version: q.version,
      amazon_callback_uri: q.amazon_callback_uri,
    }).filter((e): e is [string, string] => e[1] !== undefined),
  ).toString();
  const path = marketplace.code === 'US' ? '/b2b/abws/oauth' : `/mp/${marketplace.code.toLowerCase()}/b2b/abws/oauth`;
  return query ? `${path}?${query}` : path;
}

function hiddenFields(q: ConsentQuery, marketplace: Marketplace): Html {
  const fields: [string, string | undefined][] = [
    ['applicationId', q.applicationId],
    ['redirect_uri', q.redirect_uri],
    ['state', q.state],
    ['version', q.version],
    ['amazon_callback_uri', q.amazon_callback_uri],
    ['marketplace', marketplace.code],
  ];
  return html`${fields.filter(([, v]) => v !== undefined).map(([k, v]) => html`<input type="hidden" name="${k}" value="${v}">`)}`;
}

/** Builds the redirect back to the app, keeping the registered URI exactly and appending our parameters. */
export function redirectBack(redirectUri: string, params: Record<string, string | undefined>): string {
  const url = new URL(redirectUri);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.append(k, v);
  return url.toString();
}

/** The consent pages: `/b2b/abws/oauth` (and `/mp/<marketplace>/b2b/abws/oauth`), sign-in, Allow / Deny. */
export async function consentRoutes(
  app: FastifyInstance,
  opts: { services: Services; signInLimiter: SignInLimits; secureCookies: boolean; baseUrl: (host: string, protocol: string) => string },
): Promise<void> {
  const { oauth, accounts, operators, developers } = opts.services;
  const own = (request: FastifyRequest): string => opts.baseUrl(request.host, request.protocol);
  const cookieOpts = { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: opts.secureCookies };

  // Consent pages show who is signed in and carry CSRF tokens: no cache may keep them.
  app.addHook('onRequest', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
  });

  app.setErrorHandler((error, request, reply) => {
    const err = toAppError(error);
    logFailure(request, err);
    return errorPage(
      reply,
      err.status >= 500 ? 'Something went wrong' : 'The request could not be completed',
      err.status >= 500 ? 'Please try again.' : err.message,
      err.status,
    );
  });

  async function signedInUser(request: FastifyRequest) {
    const session = await operators.getSession(cookieValue(request, BUSINESS_COOKIE), 'business_user');
    if (!session) return null;
    const user = await accounts.getUser(session.subjectId).catch(() => null);
    return user && user.status === 'active' ? { user, session } : null;
  }

  /** The consent sign-in form; after a failed attempt it is shown again with the error and the email kept. */
  function signInPage(
    reply: FastifyReply,
    appName: string,
    q: ConsentQuery,
    marketplace: Marketplace,
    failed?: { email: string; message: string; status: number },
  ): FastifyReply {
    const csrf = randomSecret(24);
    reply.setCookie(PRELOGIN_CSRF_COOKIE, csrf, cookieOpts);
    const error = failed
      ? html`<div class="panel error" role="alert" id="signin-error"><h2>There is a problem</h2><p>${failed.message}</p></div>`
      : html``;
    const invalid = failed ? html` aria-invalid="true" aria-describedby="signin-error"` : html``;
    const body = html`<h1>Sign in</h1><p>Sign in with your Amazon Business administrator account to connect <strong>${appName}</strong> in the ${marketplace.country} marketplace.</p>
        ${error}
        <form method="post" action="/b2b/abws/signin" class="panel">
          <input type="hidden" name="csrf" value="${csrf}">${hiddenFields(q, marketplace)}
          <label for="email">Email</label><input id="email" name="email" value="${failed?.email ?? ''}" type="email" autocomplete="username" required${invalid}>
          <label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required${invalid}${failed ? html` autofocus` : ''}>
          <div class="actions"><button type="submit">Sign in</button></div>
        </form>`;
    return reply
      .status(failed?.status ?? 200)
      .type('text/html; charset=utf-8')
      .send(page(failed ? 'Sign in: there is a problem' : 'Sign in', body));
  }

  async function consentPage(request: FastifyRequest, reply: FastifyReply, q: ConsentQuery) {
    const marketplace = marketplaceOf(request);
    if (!marketplace) return refusalPage(reply, 'unknown_marketplace', 404);
    const beta = q.version === 'beta';
    let checked: { app: AppRecord; redirectUri: string };
    try {
      checked = await oauth.checkConsentRequest({ applicationId: q.applicationId ?? '', redirectUri: q.redirect_uri, beta });
    } catch (err) {
      if (err instanceof ConsentError) return refusalPage(reply, err.refusal);
      throw err;
    }
    const signed = await signedInUser(request);
    if (!signed) return signInPage(reply, checked.app.name, q, marketplace);
    // "Sign in with another account" and "Not you?" come back here, signed out.
    const again = { csrfToken: signed.session.csrfToken, consentPath: consentPathOf(q, marketplace) };
    try {
      await oauth.checkConsentUser(checked.app, signed.user, marketplace, beta);
    } catch (err) {
      if (err instanceof ConsentError) {
        if (err.refusal === 'not_admin' || err.refusal === 'not_admin_of_all_legal_entities')
          return errorPage(reply, 'You cannot authorize this app', err.message, 403, again);
        return refusalPage(reply, err.refusal, 403, again);
      }
      throw err;
    }
    const developer = await developers.getDeveloper(checked.app.developerId);
    const business = await accounts.getBusiness(signed.user.businessId);
    const roles = rolesForNewAuthorization(checked.app);
    const body = html`<h1>Authorize ${checked.app.name}</h1>
      <div class="panel"><p><strong>${checked.app.name}</strong> by <strong>${developer.name}</strong> asks for access to your business <strong>${business.name}</strong> in the <strong>${marketplace.country}</strong> marketplace (${marketplace.region} region).</p>
      <p>It will get these Amazon Business roles:</p><ul>${roles.map((r) => html`<li>${r}</li>`)}</ul>
      <p class="muted">Signed in as ${signed.user.email}. You can remove this app later under Authorized apps.</p>${signOutForm(signed.session.csrfToken, 'Not you? Sign out', again.consentPath)}</div>
      <form method="post" action="/b2b/abws/oauth/decision">
        <input type="hidden" name="csrf" value="${signed.session.csrfToken}">${hiddenFields(q, marketplace)}
        <div class="actions"><button type="submit" name="decision" value="allow">Allow</button><button type="submit" name="decision" value="deny" class="secondary">Deny</button></div>
      </form>`;
    return reply.type('text/html; charset=utf-8').send(page(`Authorize ${checked.app.name}`, body));
  }

  app.get('/b2b/abws/oauth', async (request, reply) => consentPage(request, reply, readConsentQuery(request.query, own(request))));
  app.get('/mp/:mp/b2b/abws/oauth', async (request, reply) => consentPage(request, reply, readConsentQuery(request.query, own(request))));

  app.post('/b2b/abws/signin', async (request, reply) => {
    const b = (request.body ?? {}) as Record<string, unknown>;
    const q = readConsentQuery(b, own(request));
    const mp = marketplaceByCode(str(b.marketplace) ?? 'US') ?? marketplaceByCode('US')!;
    const back = `/mp/${mp.code.toLowerCase()}/b2b/abws/oauth?${new URLSearchParams(Object.entries(q).filter((e): e is [string, string] => e[1] !== undefined)).toString()}`;
    const cookieCsrf = cookieValue(request, PRELOGIN_CSRF_COOKIE);
    const sent = str(b.csrf);
    if (!cookieCsrf || !sent || !constantTimeEqual(cookieCsrf, sent))
      return errorPage(reply, 'The form expired', 'Please go back and sign in again.', 403);
    const typed = (str(b.email) ?? '').trim();
    const email = typed.toLowerCase();
    // The form is shown again in place (with the email kept) when the sign-in fails; that needs the
    // consent request to still be one this server serves.
    const again = async (message: string, status: number) => {
      try {
        const checked = await oauth.checkConsentRequest({
          applicationId: q.applicationId ?? '',
          redirectUri: q.redirect_uri,
          beta: q.version === 'beta',
        });
        return signInPage(reply, checked.app.name, q, mp, { email: typed, message, status });
      } catch (err) {
        // A consent request this server refuses shows its refusal, but the limiter's answer stays a
        // 429 whatever the request: the limit never looks different from one surface to another.
        if (err instanceof ConsentError)
          return status === 429 ? errorPage(reply, 'Too many sign-in attempts', message, 429) : refusalPage(reply, err.refusal);
        throw err;
      }
    };
    if (!(await opts.signInLimiter.allow(request.ip, email))) return again('Too many sign-in attempts. Try again in a few minutes.', 429);
    const user = await accounts.authenticate(email, str(b.password) ?? '');
    if (!user) return again('The email or password is wrong.', 401);
    await opts.signInLimiter.succeeded(request.ip, email);
    const { token, session } = await operators.createSession('business_user', user.id);
    reply.setCookie(BUSINESS_COOKIE, token, { ...cookieOpts, maxAge: sessionCookieMaxAge(session) });
    reply.clearCookie(PRELOGIN_CSRF_COOKIE, { path: '/' });
    return reply.redirect(back, 303);
  });

  // Signing out changes state, so it is a POST with the session's CSRF token; a GET (an old link,
  // or an image tag on another site) only shows the button.
  app.get('/b2b/abws/signout', async (request, reply) => {
    const signed = await signedInUser(request);
    const body = signed
      ? html`<div class="panel"><h1>Sign out</h1><p>Signed in as ${signed.user.email}.</p>${signOutForm(signed.session.csrfToken, 'Sign out')}</div>`
      : html`<div class="panel notice"><h1>You are signed out.</h1></div>`;
    return reply.type('text/html; charset=utf-8').send(page(signed ? 'Sign out' : 'Signed out', body));
  });

  app.post('/b2b/abws/signout', async (request, reply) => {
    const signed = await signedInUser(request);
    const b = (request.body ?? {}) as Record<string, unknown>;
    if (signed) {
      const sent = str(b.csrf);
      if (!sent || !constantTimeEqual(sent, signed.session.csrfToken))
        return errorPage(reply, 'The form expired', 'Please go back and try again.', 403);
      await operators.endSession(cookieValue(request, BUSINESS_COOKIE) ?? '');
    }
    reply.clearCookie(BUSINESS_COOKIE, { path: '/' });
    // Back to the consent URL the person was on (only a consent URL of this server: never elsewhere).
    const next = str(b.next);
    if (isConsentPath(next)) return reply.redirect(next, 303);
    return reply
      .type('text/html; charset=utf-8')
      .send(page('Signed out', html`<div class="panel notice"><h1>You are signed out.</h1></div>`));
  });

  app.post('/b2b/abws/oauth/decision', async (request, reply) => {
    const b = (request.body ?? {}) as Record<string, unknown>;
    const q = readConsentQuery(b, own(request));
    const signed = await signedInUser(request);
    if (!signed) return errorPage(reply, 'Your session has ended', 'Sign in again to continue.', 401);
    const sent = str(b.csrf);
    if (!sent || !constantTimeEqual(sent, signed.session.csrfToken))
      return errorPage(reply, 'The form expired', 'Please go back and try again.', 403);
    const marketplace = marketplaceByCode(str(b.marketplace) ?? '');
    if (!marketplace) return refusalPage(reply, 'unknown_marketplace');
    const beta = q.version === 'beta';
    let checked: { app: AppRecord; redirectUri: string };
    try {
      checked = await oauth.checkConsentRequest({ applicationId: q.applicationId ?? '', redirectUri: q.redirect_uri, beta });
      await oauth.checkConsentUser(checked.app, signed.user, marketplace, beta);
    } catch (err) {
      if (err instanceof ConsentError)
        return refusalPage(reply, err.refusal, 403, { csrfToken: signed.session.csrfToken, consentPath: consentPathOf(q, marketplace) });
      throw err;
    }
    const extra = q.amazon_callback_uri ? { amazon_callback_uri: q.amazon_callback_uri } : {};
    if (str(b.decision) !== 'allow') {
      return reply.redirect(
        redirectBack(checked.redirectUri, {
          error: 'access_denied',
          error_description: 'The user denied the request',
          state: q.state,
          ...extra,
        }),
        302,
      );
    }
    const code = await oauth.grantConsent(checked.app, signed.user, marketplace, checked.redirectUri);
    return reply.redirect(redirectBack(checked.redirectUri, { code, state: q.state, ...extra }), 302);
  });
}

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { cookieValue } from '../../platform/http/auth.ts';
import { html, type Html } from '../../platform/http/html.ts';
import { bodyOf, csrfField, errorSummary, input, text, type FieldErrors } from './forms.ts';
import { seeOther, sendPage, type PortalDeps } from './layout.ts';
import { clearSessionCookie, PRELOGIN_CSRF_COOKIE, preLoginCsrf, safeNext, setFlash, setSessionCookie, type Area } from './session.ts';

/** Counts a sign-in attempt against the brute-force limit; false when the limit is reached. */
/** Counts a sign-in attempt at an account from the request's address; false when a limit is reached. */
export const allowAttempt = (deps: PortalDeps, request: FastifyRequest, account: string): Promise<boolean> =>
  deps.signInLimiter.allow(request.ip, account);

/** Starts a fresh session (never reusing one presented before sign-in) and sets its cookie. */
export async function startSession(
  deps: PortalDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  area: Area,
  subjectId: string,
): Promise<void> {
  const previous = cookieValue(request, area.cookie);
  if (previous) await deps.services.operators.endSession(previous);
  const { token, session } = await deps.services.operators.createSession(area.kind, subjectId);
  setSessionCookie(reply, deps.cookies, area, token, session);
  reply.clearCookie(PRELOGIN_CSRF_COOKIE, { path: '/' });
}

/** POST <area>/signout: ends the session and returns to the sign-in page. */
export function signOutRoute(app: FastifyInstance, deps: PortalDeps, area: Area): void {
  app.post('/signout', async (request, reply) => {
    if (request.portal) await deps.services.operators.endSession(request.portal.token);
    clearSessionCookie(reply, area);
    setFlash(reply, deps.cookies, 'You are signed out.');
    return seeOther(reply, `${area.prefix}/signin`);
  });
}

export interface SignInForm {
  /** Fields of the form (after the CSRF and `next` fields). */
  fields: (values: Record<string, string>, errors: FieldErrors) => Html;
  intro: Html;
  after?: Html;
}

/** Renders a sign-in form of an area with the pre-login CSRF token, the entered values and the errors. */
export function sendSignInPage(
  deps: PortalDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  area: Area,
  form: SignInForm,
  state: { values?: Record<string, string>; errors?: FieldErrors; status?: number } = {},
): FastifyReply {
  const csrf = preLoginCsrf(request, reply, deps.cookies);
  const values = state.values ?? {};
  const errors = state.errors ?? {};
  // A repeated `next` arrives as an array: only a single string is a destination.
  const queried = (request.query as Record<string, unknown>).next;
  const next = values.next ?? (typeof queried === 'string' ? queried : '');
  const body = html`<h1>Sign in to the ${area.title.toLowerCase()}</h1>${form.intro}${errorSummary(errors)}
    <form method="post" action="${area.prefix}/signin" class="panel" novalidate>
      ${csrfField(csrf)}<input type="hidden" name="next" value="${safeNext(area, next)}">
      ${form.fields(values, errors)}
      <div class="actions"><button type="submit">Sign in</button></div>
    </form>${form.after ?? html``}`;
  return sendPage(request, reply, area, `Sign in · ${area.title}`, body, state.status ?? 200);
}

/** The email and password fields shared by the developer and business sign-in forms. */
export const emailPasswordFields = (values: Record<string, string>, errors: FieldErrors): Html =>
  html`${input({ name: 'email', label: 'Email', type: 'email', value: values.email, error: errors.email, autocomplete: 'username', required: true })}
    ${input({ name: 'password', label: 'Password', type: 'password', error: errors.password, autocomplete: 'current-password', required: true })}`;

/** The values of an email and password sign-in form, with errors for empty fields. */
export function readEmailPassword(request: FastifyRequest): { email: string; password: string; next: string; errors: FieldErrors } {
  const b = bodyOf(request);
  const email = text(b, 'email').trim().toLowerCase();
  const password = text(b, 'password');
  const errors: FieldErrors = {};
  if (!email) errors.email = 'Enter your email address.';
  if (!password) errors.password = 'Enter your password.';
  return { email, password, next: text(b, 'next'), errors };
}

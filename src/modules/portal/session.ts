import type { FastifyReply, FastifyRequest } from 'fastify';
import { constantTimeEqual, randomSecret } from '../../kernel/ids.ts';
import { cookieValue } from '../../platform/http/auth.ts';
import { sessionCookieMaxAge, type Session, type SessionKind } from '../operators/index.ts';
import { bodyOf, text } from './forms.ts';

/** The three parts of the portal; each has its own session cookie and sign-in page. */
export interface Area {
  name: 'developer' | 'business' | 'operator';
  prefix: '/portal' | '/business' | '/console';
  cookie: string;
  kind: SessionKind;
  title: string;
}

export const DEVELOPER_AREA: Area = {
  name: 'developer',
  prefix: '/portal',
  cookie: 'bizapi_dev',
  kind: 'developer',
  title: 'Developer portal',
};
export const BUSINESS_AREA: Area = {
  name: 'business',
  prefix: '/business',
  cookie: 'bizapi_bu',
  kind: 'business_user',
  title: 'Business settings',
};
export const OPERATOR_AREA: Area = {
  name: 'operator',
  prefix: '/console',
  cookie: 'bizapi_op',
  kind: 'operator',
  title: 'Operator console',
};

/** The signed-in person of a portal request, set by the area's guard. */
export interface PortalPrincipal {
  area: Area;
  token: string;
  session: Session;
  /** Shown in the header ("dev@example.com"). */
  label: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    portal?: PortalPrincipal;
  }
  interface FastifyContextConfig {
    /** A portal page reachable without a session (sign-in, register); its POST uses the pre-login CSRF cookie. */
    portalPublic?: boolean;
  }
}

/** Double-submit cookie of the pre-login forms (sign-in, register). */
export const PRELOGIN_CSRF_COOKIE = 'bizapi_portal_csrf';
const FLASH_COOKIE = 'bizapi_flash';
const REVEAL_COOKIE = 'bizapi_reveal';

export interface CookieSettings {
  secure: boolean;
}

const baseCookie = (c: CookieSettings) => ({ path: '/', httpOnly: true, sameSite: 'lax' as const, secure: c.secure });

export function setSessionCookie(reply: FastifyReply, c: CookieSettings, area: Area, token: string, session: Session): void {
  reply.setCookie(area.cookie, token, { ...baseCookie(c), maxAge: sessionCookieMaxAge(session) });
}

export function clearSessionCookie(reply: FastifyReply, area: Area): void {
  reply.clearCookie(area.cookie, { path: '/' });
}

/** The pre-login CSRF token: the cookie's value when present, else a new one set on the reply. */
export function preLoginCsrf(request: FastifyRequest, reply: FastifyReply, c: CookieSettings): string {
  const existing = cookieValue(request, PRELOGIN_CSRF_COOKIE);
  if (existing && /^[A-Za-z0-9_-]{20,64}$/.test(existing)) return existing;
  const token = randomSecret(24);
  reply.setCookie(PRELOGIN_CSRF_COOKIE, token, baseCookie(c));
  return token;
}

/** True when the form's csrf field equals the pre-login cookie (compared in constant time). */
export function checkPreLoginCsrf(request: FastifyRequest): boolean {
  const cookie = cookieValue(request, PRELOGIN_CSRF_COOKIE);
  const sent = text(bodyOf(request), 'csrf');
  return !!cookie && !!sent && constantTimeEqual(cookie, sent);
}

/** True when the form's csrf field equals the session's token (compared in constant time). */
export function checkSessionCsrf(request: FastifyRequest, session: Session): boolean {
  const sent = text(bodyOf(request), 'csrf');
  return !!sent && constantTimeEqual(sent, session.csrfToken);
}

/** The session's CSRF token for the forms of a page (the guard has run, so there is a principal). */
export function csrfOf(request: FastifyRequest): string {
  if (!request.portal) throw new Error('portal page rendered without a session');
  return request.portal.session.csrfToken;
}

/** Who a signed-in operator is in the audit log. */
export const operatorActor = (request: FastifyRequest): string => `operator:${request.portal?.session.subjectId ?? 'unknown'}`;

/** A local path inside the area to go back to after sign-in; anything else falls back to the area's home. */
export function safeNext(area: Area, next: string | undefined): string {
  if (!next) return area.prefix;
  const ok =
    (next === area.prefix || next.startsWith(`${area.prefix}/`) || next.startsWith(`${area.prefix}?`)) &&
    !next.includes('//') &&
    !next.includes('\\');
  return ok ? next : area.prefix;
}

export interface Flash {
  text: string;
  tone: 'notice' | 'error';
}

const encode = (v: unknown): string => Buffer.from(JSON.stringify(v), 'utf8').toString('base64url');
function decode(v: string | undefined): unknown {
  if (!v) return null;
  try {
    return JSON.parse(Buffer.from(v, 'base64url').toString('utf8')) as unknown;
  } catch {
    return null;
  }
}

/** A message for the page the next redirect lands on (redirect-after-post). */
export function setFlash(reply: FastifyReply, c: CookieSettings, textValue: string, tone: Flash['tone'] = 'notice'): void {
  reply.setCookie(FLASH_COOKIE, encode({ text: textValue, tone }), { ...baseCookie(c), maxAge: 60 });
}

export function takeFlash(request: FastifyRequest, reply: FastifyReply): Flash | null {
  const raw = cookieValue(request, FLASH_COOKIE);
  if (!raw) return null;
  reply.clearCookie(FLASH_COOKIE, { path: '/' });
  const v = decode(raw) as Partial<Flash> | null;
  return v && typeof v.text === 'string' ? { text: v.text.slice(0, 500), tone: v.tone === 'error' ? 'error' : 'notice' } : null;
}

/** A value shown exactly once (a new client secret or sandbox refresh token). */
export type Reveal =
  { kind: 'client_secret'; value: string; previousExpiresAt: number | null } | { kind: 'refresh_token'; value: string; region: string };

const revealPath = (appId: string): string => `/portal/apps/${encodeURIComponent(appId)}/credentials`;

/**
 * Hands a one-time value to the credentials page that the redirect lands on. The cookie is limited
 * to that page's path, lives two minutes at most and is deleted when read, so the value is shown
 * once; the server keeps only its hash.
 */
export function setReveal(reply: FastifyReply, c: CookieSettings, appId: string, reveal: Reveal): void {
  reply.setCookie(REVEAL_COOKIE, encode(reveal), { ...baseCookie(c), path: revealPath(appId), sameSite: 'strict', maxAge: 120 });
}

export function takeReveal(request: FastifyRequest, reply: FastifyReply, appId: string): Reveal | null {
  const raw = cookieValue(request, REVEAL_COOKIE);
  if (!raw) return null;
  reply.clearCookie(REVEAL_COOKIE, { path: revealPath(appId) });
  const v = decode(raw) as Partial<Reveal> | null;
  if (!v || typeof v.value !== 'string') return null;
  if (v.kind === 'client_secret')
    return {
      kind: 'client_secret',
      value: v.value,
      previousExpiresAt: typeof v.previousExpiresAt === 'number' ? v.previousExpiresAt : null,
    };
  if (v.kind === 'refresh_token') return { kind: 'refresh_token', value: v.value, region: typeof v.region === 'string' ? v.region : 'NA' };
  return null;
}

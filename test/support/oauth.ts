import assert from 'node:assert/strict';
import type { TestApp } from './app.ts';
import { ROTATION_SCOPE } from '../../src/modules/oauth/index.ts';

const cookieHeader = (cookies: { name: string; value: string }[]): string => cookies.map((c) => `${c.name}=${c.value}`).join('; ');
export const field = (body: string, name: string): string => {
  const m = new RegExp(`name="${name}" value="([^"]*)"`).exec(body);
  if (!m) throw new Error(`no field ${name} in page`);
  return m[1]!
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>');
};

/** Signs a business user in through the consent sign-in form; returns the session cookie header. */
export async function signInBusinessUser(
  app: TestApp,
  consentUrl: string,
  email: string,
  password: string,
): Promise<{ cookie: string; status: number; location?: string }> {
  const page = await app.server.inject({ method: 'GET', url: consentUrl });
  assert.equal(page.statusCode, 200, page.body);
  const pre = page.cookies;
  const form: Record<string, string> = { csrf: field(page.body, 'csrf'), email, password };
  for (const name of ['applicationId', 'redirect_uri', 'state', 'version', 'marketplace', 'amazon_callback_uri']) {
    try {
      form[name] = field(page.body, name);
    } catch {
      /* optional field */
    }
  }
  const res = await app.server.inject({
    method: 'POST',
    url: '/b2b/abws/signin',
    headers: { cookie: cookieHeader(pre), 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams(form).toString(),
  });
  const session = res.cookies.find((c) => c.name === 'bizapi_bu');
  return {
    cookie: session ? `bizapi_bu=${session.value}` : '',
    status: res.statusCode,
    location: res.headers.location as string | undefined,
  };
}

/** Opens the consent page as a signed-in user and presses Allow or Deny; returns the response. */
export async function decide(app: TestApp, consentUrl: string, cookie: string, decision: 'allow' | 'deny') {
  const page = await app.server.inject({ method: 'GET', url: consentUrl, headers: { cookie } });
  if (page.statusCode !== 200) return page;
  const form: Record<string, string> = { csrf: field(page.body, 'csrf'), decision };
  for (const name of ['applicationId', 'redirect_uri', 'state', 'version', 'marketplace', 'amazon_callback_uri']) {
    try {
      form[name] = field(page.body, name);
    } catch {
      /* optional field */
    }
  }
  return app.server.inject({
    method: 'POST',
    url: '/b2b/abws/oauth/decision',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams(form).toString(),
  });
}

export const consentUrl = (applicationId: string, redirectUri: string, state = 'xyz', extra = '', prefix = ''): string =>
  `${prefix}/b2b/abws/oauth?applicationId=${encodeURIComponent(applicationId)}&redirect_uri=${encodeURIComponent(redirectUri)}&state=${encodeURIComponent(state)}${extra}`;

/** Runs the whole browser-less consent: sign in, Allow, and returns the grant code. */
export async function consentCode(
  app: TestApp,
  applicationId: string,
  redirectUri: string,
  email: string,
  password: string,
  prefix = '',
): Promise<string> {
  const url = consentUrl(applicationId, redirectUri, 'st', '', prefix);
  const { cookie } = await signInBusinessUser(app, url, email, password);
  const res = await decide(app, url, cookie, 'allow');
  assert.equal(res.statusCode, 302, res.body);
  const code = new URL(String(res.headers.location)).searchParams.get('code');
  assert.ok(code);
  return code;
}

/** POSTs a form to the token endpoint. */
export async function tokenRequest(app: Pick<TestApp, 'server'>, params: Record<string, string>, headers: Record<string, string> = {}) {
  const res = await app.server.inject({
    method: 'POST',
    url: '/auth/o2/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    payload: new URLSearchParams(params).toString(),
  });
  return { status: res.statusCode, body: res.json(), raw: res.body, headers: res.headers };
}

/** An app's grantless access token (client_credentials with the rotation scope), for rotateApplicationClientSecret. */
export async function grantlessToken(
  app: Pick<TestApp, 'server'>,
  credentials: { client: { clientId: string }; clientSecret: string },
): Promise<string> {
  const res = await tokenRequest(app, {
    grant_type: 'client_credentials',
    client_id: credentials.client.clientId,
    client_secret: credentials.clientSecret,
    scope: ROTATION_SCOPE,
  });
  assert.equal(res.status, 200, res.raw);
  return res.body.access_token as string;
}

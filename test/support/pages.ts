import type { TestApp } from './app.ts';

interface StoredCookie {
  value: string;
  path: string;
}

export interface PageResponse {
  status: number;
  body: string;
  location: string | undefined;
  setCookies: string[];
  headers: Record<string, unknown>;
}

export type FormFields = Record<string, string | string[]>;

/**
 * A tiny cookie-keeping client over `app.server.inject`, for HTTP tests of the server-rendered
 * pages: it remembers cookies (with their paths), posts forms and reads CSRF tokens from pages.
 */
export class PageClient {
  private readonly jar = new Map<string, StoredCookie>();
  constructor(private readonly app: TestApp) {}

  private cookieHeader(url: string): string {
    const path = url.split('?')[0] ?? '/';
    return [...this.jar.entries()]
      .filter(([, c]) => path === c.path || path.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`) || c.path === '/')
      .map(([k, c]) => `${k.split('|')[0]}=${c.value}`)
      .join('; ');
  }

  private remember(setCookie: string[]): void {
    for (const line of setCookie) {
      const [pair, ...attrs] = line.split(';').map((s) => s.trim());
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq);
      const value = pair!.slice(eq + 1);
      const path = attrs.find((a) => a.toLowerCase().startsWith('path='))?.slice(5) ?? '/';
      const expires = attrs.find((a) => a.toLowerCase().startsWith('expires='));
      const maxAge = attrs.find((a) => a.toLowerCase().startsWith('max-age='));
      const gone = !value || (maxAge && Number(maxAge.slice(8)) <= 0) || (expires && Date.parse(expires.slice(8)) < Date.now());
      const key = `${name}|${path}`;
      if (gone) this.jar.delete(key);
      else this.jar.set(key, { value, path });
    }
  }

  cookie(name: string): string | undefined {
    return [...this.jar.entries()].find(([k]) => k.split('|')[0] === name)?.[1].value;
  }

  clearCookie(name: string): void {
    for (const k of [...this.jar.keys()]) if (k.split('|')[0] === name) this.jar.delete(k);
  }

  private async send(method: 'GET' | 'POST', url: string, payload?: string): Promise<PageResponse> {
    const headers: Record<string, string> = {};
    const cookie = this.cookieHeader(url);
    if (cookie) headers.cookie = cookie;
    if (payload !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
    const res = await this.app.server.inject({ method, url, headers, ...(payload === undefined ? {} : { payload }) });
    const raw = res.headers['set-cookie'];
    const setCookies = raw === undefined ? [] : Array.isArray(raw) ? raw : [String(raw)];
    this.remember(setCookies);
    const location = res.headers.location;
    return {
      status: res.statusCode,
      body: res.body,
      location: typeof location === 'string' ? location : undefined,
      setCookies,
      headers: res.headers,
    };
  }

  get(url: string): Promise<PageResponse> {
    return this.send('GET', url);
  }

  /** Posts form fields as a browser would (repeated names for arrays). */
  post(url: string, fields: FormFields): Promise<PageResponse> {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) p.append(k, one);
    return this.send('POST', url, p.toString());
  }

  /** Loads a page, takes the CSRF token of its forms and posts the fields with it. */
  async submit(pageUrl: string, action: string, fields: FormFields): Promise<PageResponse> {
    const page = await this.get(pageUrl);
    return this.post(action, { csrf: csrfOf(page.body), ...fields });
  }
}

/** The CSRF token of the first form of a page. */
export function csrfOf(body: string): string {
  const m = /name="csrf" value="([^"]+)"/.exec(body);
  if (!m) throw new Error('no CSRF field on the page');
  return m[1]!;
}

/** Text of a page without tags, with entities decoded, for readable assertions. */
export function textOf(body: string): string {
  return body
    .replace(/<style>[\s\S]*?<\/style>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

/** Signs in through a sign-in page (pre-login CSRF cookie included). */
export async function signIn(client: PageClient, area: '/portal' | '/business' | '/console', fields: FormFields): Promise<PageResponse> {
  return client.submit(`${area}/signin`, `${area}/signin`, fields);
}

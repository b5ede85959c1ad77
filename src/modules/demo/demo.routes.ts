import type { FastifyInstance } from 'fastify';
import { html, page } from '../../platform/http/html.ts';
import { GRANT_CODE_SHAPE } from '../../kernel/secrets.ts';
import { DEMO } from './demo.ts';

/** A value quoted for a POSIX shell: single quotes, with any single quote inside closed and escaped. */
export const shellQuote = (value: string): string => `'${value.replace(/'/g, `'\\''`)}'`;

/**
 * `/demo/callback`: the demo app's redirect URI; shows the grant code and the command that exchanges
 * it. The command is built only from a value shaped like a code this server issues, and quoted for
 * the shell, so a crafted link cannot put a command of its own on the page to be pasted.
 */
export async function demoRoutes(app: FastifyInstance, opts: { baseUrl: string; clientId: () => Promise<string | null> }): Promise<void> {
  app.get('/demo/callback', async (request, reply) => {
    const q = request.query as Record<string, unknown>;
    const text = (v: unknown): string => (typeof v === 'string' ? v : '');
    const code = text(q.code);
    const state = text(q.state);
    const clientId = (await opts.clientId()) ?? '<client id>';
    const redirectUri = `${opts.baseUrl}/demo/callback`;
    let body;
    if (code && GRANT_CODE_SHAPE.test(code)) {
      body = html`<h1>Authorization code received</h1>
          <div class="panel notice"><p>Code: <code>${code}</code> (state <code>${state}</code>). It is valid for 5 minutes and can be used once.</p></div>
          <p>Exchange it for tokens:</p>
          <pre class="panel"><code>curl -s -X POST ${shellQuote(`${opts.baseUrl}/auth/o2/token`)} \\
  -d grant_type=authorization_code \\
  -d code=${shellQuote(code)} \\
  --data-urlencode redirect_uri=${shellQuote(redirectUri)} \\
  -d client_id=${shellQuote(clientId)} \\
  -d client_secret=${shellQuote(DEMO.clientSecret)}</code></pre>`;
    } else if (code) {
      body = html`<div class="panel error" role="alert"><h1>Not a code of this server</h1><p>The <code>code</code> parameter does not have the shape of a grant code this server issues, so no command is shown for it.</p></div>`;
    } else {
      body = html`<div class="panel error" role="alert"><h1>No code</h1><p>error: <code>${text(q.error) || 'none'}</code> ${text(q.error_description)} (state <code>${state}</code>)</p></div>`;
    }
    // The page shows a grant code and the demo client secret: no cache may keep it.
    return reply.header('cache-control', 'no-store').type('text/html; charset=utf-8').send(page('Demo callback', body));
  });
}

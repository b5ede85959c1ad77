import type { FastifyInstance } from 'fastify';
import { html, page } from '../../platform/http/html.ts';
import { DEMO } from './demo.ts';

/** `/demo/callback`: the demo app's redirect URI; shows the grant code and the command that exchanges it. */
export async function demoRoutes(app: FastifyInstance, opts: { baseUrl: string; clientId: () => Promise<string | null> }): Promise<void> {
  app.get('/demo/callback', async (request, reply) => {
    const q = request.query as Record<string, string | undefined>;
    const clientId = (await opts.clientId()) ?? '<client id>';
    const redirectUri = `${opts.baseUrl}/demo/callback`;
    const body = q.code
      ? html`<h1>Authorization code received</h1>
          <div class="panel notice"><p>Code: <code>${q.code}</code> (state <code>${q.state ?? ''}</code>). It is valid for 5 minutes and can be used once.</p></div>
          <p>Exchange it for tokens:</p>
          <pre class="panel"><code>curl -s -X POST ${opts.baseUrl}/auth/o2/token \\
  -d grant_type=authorization_code \\
  -d code='${q.code}' \\
  --data-urlencode redirect_uri='${redirectUri}' \\
  -d client_id='${clientId}' \\
  -d client_secret='${DEMO.clientSecret}'</code></pre>`
      : html`<div class="panel error" role="alert"><h1>No code</h1><p>error: <code>${q.error ?? 'none'}</code> ${q.error_description ?? ''} (state <code>${q.state ?? ''}</code>)</p></div>`;
    return reply.type('text/html; charset=utf-8').send(page('Demo callback', body));
  });
}

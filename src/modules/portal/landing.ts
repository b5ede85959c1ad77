import type { FastifyInstance } from 'fastify';
import { html, page } from '../../platform/http/html.ts';
import { describeDemo } from '../demo/index.ts';
import type { PortalDeps } from './layout.ts';

/** `/`: what this server is, and links to the three parts of the portal and the demo consent page. */
export function landingPage(app: FastifyInstance, deps: PortalDeps): void {
  app.get('/', async (_request, reply) => {
    const demo = await describeDemo(deps.ctx, deps.services);
    // Relative, so the link works whichever host and port the server is reached on.
    const consentPath = demo.consentUrl ? `${new URL(demo.consentUrl).pathname}${new URL(demo.consentUrl).search}` : null;
    const consent = consentPath
      ? html`<p>Try the consent flow with the demo app: <a href="${consentPath}">open the demo consent page</a> and sign in as <code>${demo.admin.email}</code> (password <code>${demo.admin.password}</code>).</p>`
      : html`<p>Businesses authorize apps at <code>/b2b/abws/oauth?applicationId=…&amp;redirect_uri=…&amp;state=…</code>, exactly like Amazon’s consent URL.</p>`;
    const card = (href: string, title: string, text: string) =>
      html`<div class="panel"><h2><a href="${href}">${title}</a></h2><p>${text}</p></div>`;
    const body = html`<h1>bizapi</h1><p>A self-hosted, wire-compatible emulator of the Amazon Business API platform.</p>
      <div class="cards">
        ${card('/portal', 'Developer portal', 'Register, submit your developer profile, create apps and read their LWA credentials.')}
        ${card('/business', 'Business settings', 'Administrators manage users, groups, buying policies and the apps they authorized.')}
        ${card('/console', 'Operator console', 'Review profiles, roles, listings and TPS requests; manage usage plans; read the audit log.')}
      </div>
      <h2>Consent</h2>${consent}
      <p class="muted">The token endpoint is <code>POST /auth/o2/token</code>; the APIs answer on the regional hosts. See the docs folder for details.</p>`;
    return reply.type('text/html; charset=utf-8').send(page('Amazon Business API emulator', body));
  });
}

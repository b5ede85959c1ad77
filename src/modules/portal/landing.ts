import type { FastifyInstance } from 'fastify';
import { FAVICON_SVG, html, page } from '../../platform/http/html.ts';
import { describeDemo } from '../demo/index.ts';
import { APIS, operationsOfApi } from '../registry/index.ts';
import type { PortalDeps } from './layout.ts';
import { ownBaseUrl } from './developer.how-to-call.ts';

/** Which APIs answer on the production base URLs and which from the sandbox only, from the bound APIs and the loaded scenarios. */
export function apiAvailability(deps: Pick<PortalDeps, 'apis' | 'scenarios'>) {
  return APIS.map((api) => {
    const operations = operationsOfApi(api.name);
    const scenarios = operations.reduce((n, o) => n + deps.scenarios.forOperation(o.operationId).length, 0);
    return {
      name: api.name,
      version: api.version,
      role: api.role,
      live: deps.apis.includes(api.name),
      operations: operations.length,
      scenarios,
    };
  });
}

/** `/`: what this server is, which APIs are live, the way to a first call, and the demo world's sign-ins. */
export function landingPage(app: FastifyInstance, deps: PortalDeps): void {
  // Every page links the icon; browsers that ask for /favicon.ico get the same picture.
  for (const url of ['/favicon.svg', '/favicon.ico'])
    app.get(url, async (_request, reply) => reply.header('cache-control', 'public, max-age=86400').type('image/svg+xml').send(FAVICON_SVG));

  app.get('/', async (request, reply) => {
    const demo = await describeDemo(deps.ctx, deps.services);
    // Absolute (ready to send), on PUBLIC_URL or else the host this page was reached on.
    const consentUrl = demo.consentUrl
      ? `${ownBaseUrl(deps, request)}${new URL(demo.consentUrl).pathname}${new URL(demo.consentUrl).search}`
      : null;
    const consent = consentUrl
      ? html`<p>Try the consent flow with the demo app: <a href="${consentUrl}">open the demo consent page</a> and sign in as <code>${demo.admin.email}</code> (password <code>${demo.admin.password}</code>).</p>`
      : html`<p>Businesses authorize apps at <code>/b2b/abws/oauth?applicationId=…&amp;redirect_uri=…&amp;state=…</code>, exactly like Amazon’s consent URL.</p>`;
    const card = (href: string, title: string, text: string) =>
      html`<div class="panel"><h2><a href="${href}">${title}</a></h2><p>${text}</p></div>`;
    const firstCall =
      demo.seeded && deps.ctx.config.mode === 'local'
        ? html`<ol>
          <li><a href="/portal/signin">Sign in as the demo developer</a> <code>${demo.developer.email}</code> (password <code>${demo.developer.password}</code>), or <a href="/portal/register">register as a developer</a> of your own.</li>
          <li>Open the app <strong>Demo Procurement Connector</strong> under Apps: its <strong>How to call</strong> section shows the token URL, the base URLs, the headers and a curl command for a first call.</li>
          <li>Get a refresh token: open the app’s consent URL and allow it as <code>${demo.admin.email}</code>; the demo callback page shows the command that exchanges the code.</li>
          <li>Run the app page’s command: it exchanges the refresh token for an access token and searches the catalog.</li>
        </ol>`
        : html`<ol>
          <li><a href="/portal/register">Register as a developer</a> and create a sandbox app (a production app once an operator approved your profile).</li>
          <li>On the app’s page, <strong>How to call</strong> shows the token URL, the base URLs, the headers and a curl command for a first call.</li>
          <li>Sandbox apps get a refresh token from <strong>Create token</strong>; production apps from a business administrator’s consent.</li>
        </ol>`;
    const availability = apiAvailability(deps);
    const rows = availability.map(
      (a) =>
        html`<tr><td data-label="API">${a.name} <span class="muted">(${a.version})</span></td><td data-label="Role">${a.role ?? html`<span class="muted">none</span>`}</td>
          <td data-label="Production">${a.live ? html`<span class="badge ok">Live</span>` : html`<span class="badge warn">Sandbox only</span> <span class="hint">production answers 501</span>`}</td>
          <td data-label="Sandbox">${a.scenarios ? `${a.scenarios} canned answer${a.scenarios === 1 ? '' : 's'}` : html`<span class="muted">none published</span>`}</td></tr>`,
    );
    const live = availability.filter((a) => a.live).length;
    const body = html`<h1>bizapi</h1><p>A self-hosted, wire-compatible emulator of the Amazon Business API platform.</p>
      <div class="cards">
        ${card('/portal', 'Developer portal', 'Register, submit your developer profile, create apps and read their LWA credentials.')}
        ${card('/business', 'Business settings', 'Administrators manage users, groups, buying policies and the apps they authorized.')}
        ${card('/console', 'Operator console', 'Review profiles, roles, listings and TPS requests; manage usage plans; read the audit log.')}
        ${card('/docs', 'Documentation', 'How each API, the gateway, the sandbox, the consent flow and the emulator controls behave.')}
      </div>
      <h2>Your first API call</h2>${firstCall}
      <h2 id="apis">APIs on this server</h2>
      <p>${live} of ${availability.length} APIs are live on the production base URLs; an API marked “Sandbox only” answers from the sandbox’s canned answers and 501 on production.</p>
      <div class="table-wrap"><table><thead><tr><th scope="col">API</th><th scope="col">Role needed</th><th scope="col">Production</th><th scope="col">Sandbox</th></tr></thead><tbody>${rows}</tbody></table></div>
      <h2>Consent</h2>${consent}
      <p class="muted">The token endpoint is <code>POST /auth/o2/token</code>; the APIs answer on the regional base URLs (<a href="/docs/gateway">the gateway</a>). Everything else is in <a href="/docs">the documentation</a>.</p>`;
    // Its links are built from the request's host: never stored by a shared cache for another host.
    return reply.header('cache-control', 'no-store').type('text/html; charset=utf-8').send(page('Amazon Business API emulator', body));
  });
}

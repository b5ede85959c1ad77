import type { FastifyRequest } from 'fastify';
import { marketplaceByCode, type Region } from '../../kernel/reference.ts';
import { html, type Html } from '../../platform/http/html.ts';
import type { AppRecord } from '../developers/index.ts';
import { PREFIX_TARGETS } from '../gateway/index.ts';
import type { Authorization } from '../oauth/index.ts';
import { OPERATIONS, USER_EMAIL_HEADER, type Operation } from '../registry/index.ts';
import type { ParamValue, Scenario } from '../sandbox/index.ts';
import { csrfField, errorSummary, input, select } from './forms.ts';
import type { PortalDeps } from './layout.ts';

// The "How to call" section of an app's page (docs/portal.md): the token URL, the base URLs of the
// app's environment, the headers, and a command for a first call that runs as shown once the
// placeholders (only the secrets the page cannot know) are filled in. Sandbox apps also get the
// canned answers of their operations.

/** The server's own base URL as a client reaches it: PUBLIC_URL, else the request's scheme and host (as the consent pages build it). */
export const ownBaseUrl = (deps: PortalDeps, request: FastifyRequest): string =>
  deps.ctx.config.publicUrl?.replace(/\/$/, '') ?? `${request.protocol}://${request.host}`;

/** A value quoted for a POSIX shell: single quotes, with any single quote inside closed and escaped. */
export const shellQuote = (value: string): string => `'${value.replace(/'/g, `'\\''`)}'`;

/** A demo business user the page may name (the demo world's are public, for local use). */
export interface DemoUser {
  email: string;
  note: string;
}

export interface CallGuideInput {
  app: AppRecord;
  baseUrl: string;
  authorizations: readonly Authorization[];
  scenarios: PortalDeps['scenarios'];
  liveApis: PortalDeps['apis'];
  /** The demo business's users, when the demo world is seeded in local mode. */
  demoUsers: readonly DemoUser[];
  /** The demo business's id: an authorization by it makes the demo users valid emails. */
  demoBusinessId: string | null;
  /** The app's client secret when it is the demo app's published one; otherwise null (a placeholder). */
  knownSecret: string | null;
}

/** The scenario's value of a parameter as sent on the wire (arrays comma-separated). */
const wire = (v: ParamValue): string => (Array.isArray(v) ? v.map(String).join(',') : String(v));

/** The operations the app's roles open, in registry order. */
export const allowedOperations = (app: AppRecord): Operation[] => OPERATIONS.filter((o) => o.role === null || app.roles.includes(o.role));

/** A request to show: method, path with query, headers and an optional JSON body. */
interface ExampleCall {
  operation: Operation;
  path: string;
  headers: [string, string][];
  body?: unknown;
  /** What the call needs that the page cannot fill in. */
  note?: string;
}

/** The request of a scenario, as the sandbox matches it. */
export function scenarioCall(operation: Operation, s: Scenario): ExampleCall {
  const path = operation.path.replace(/:([A-Za-z0-9_]+)/g, (_m, name: string) =>
    encodeURIComponent(s.request.path[name] !== undefined ? wire(s.request.path[name]) : `{${name}}`),
  );
  const query = new URLSearchParams(Object.entries(s.request.query).map(([k, v]): [string, string] => [k, wire(v)])).toString();
  return {
    operation,
    path: query ? `${path}?${query}` : path,
    headers: Object.entries(s.request.header).map(([k, v]) => [k, wire(v)]),
    ...(s.request.body !== undefined ? { body: s.request.body } : {}),
  };
}

/** The first call of a production app: a product search where the role allows it, else the first canned request of an allowed operation. */
function productionCall(input: CallGuideInput, marketplaceCode: string, email: string): ExampleCall | null {
  const allowed = allowedOperations(input.app).filter((o) => input.liveApis.includes(o.api));
  const search = allowed.find((o) => o.operationId === 'searchProductsRequest');
  const mp = marketplaceByCode(marketplaceCode)!;
  if (search) {
    const q = new URLSearchParams({ keywords: 'pen', productRegion: mp.code, locale: mp.defaultLocale });
    return { operation: search, path: `${search.path}?${q.toString()}`, headers: [[USER_EMAIL_HEADER, email]] };
  }
  for (const o of allowed.filter((x) => x.method === 'GET')) {
    const s = input.scenarios.forOperation(o.operationId).find((x) => x.response.status < 300);
    if (!s) continue;
    const call = scenarioCall(o, s);
    const headers = call.headers.filter(([k]) => k.toLowerCase() !== USER_EMAIL_HEADER);
    if (o.userEmailRequired) headers.push([USER_EMAIL_HEADER, email]);
    return { ...call, headers, note: 'The parameters are those of the sandbox’s canned request; put in values of your own business.' };
  }
  return null;
}

const REFRESH_PLACEHOLDER = {
  production: '<refresh token: from the authorization code exchange after a business administrator allowed the consent URL>',
  sandbox: '<refresh token: from Create token on the LWA credentials page>',
};
const SECRET_PLACEHOLDER = '<client secret: shown once when the app was created or its secret rotated (LWA credentials page)>';

/** The command: the refresh-token exchange, then the call with the access token. POSIX shell, curl and sed only. */
export function callScript(o: { baseUrl: string; app: AppRecord; secret: string | null; call: ExampleCall; apiBase: string }): string {
  const env = o.app.type === 'sandbox' ? 'sandbox' : 'production';
  const lines = [
    `# 1. Exchange the refresh token for an access token (valid for one hour).`,
    `CLIENT_ID=${shellQuote(o.app.clientId)}`,
    `CLIENT_SECRET=${shellQuote(o.secret ?? SECRET_PLACEHOLDER)}`,
    `REFRESH_TOKEN=${shellQuote(REFRESH_PLACEHOLDER[env])}`,
    `ACCESS_TOKEN=$(curl -s -X POST ${shellQuote(`${o.baseUrl}/auth/o2/token`)} \\`,
    `  -d grant_type=refresh_token \\`,
    `  --data-urlencode "refresh_token=$REFRESH_TOKEN" \\`,
    `  --data-urlencode "client_id=$CLIENT_ID" \\`,
    `  --data-urlencode "client_secret=$CLIENT_SECRET" \\`,
    `  | sed -n 's/.*"access_token":"\\([^"]*\\)".*/\\1/p')`,
    `# 2. ${o.call.operation.api}: ${o.call.operation.operationId} (${o.call.operation.role ?? 'no role needed'}).`,
    `curl -s${o.call.operation.method === 'GET' ? '' : ` -X ${o.call.operation.method}`} ${shellQuote(`${o.apiBase}${o.call.path}`)} \\`,
    `  -H "x-amz-access-token: $ACCESS_TOKEN"${o.call.headers.length || o.call.body !== undefined ? ' \\' : ''}`,
  ];
  o.call.headers.forEach(([k, v], i) => {
    const last = i === o.call.headers.length - 1 && o.call.body === undefined;
    lines.push(`  -H ${shellQuote(`${k}: ${v}`)}${last ? '' : ' \\'}`);
  });
  if (o.call.body !== undefined) {
    lines.push(`  -H 'content-type: application/json' \\`);
    lines.push(`  --data-binary ${shellQuote(JSON.stringify(o.call.body))}`);
  }
  return lines.join('\n');
}

const REGION_COUNTRIES: Record<Region, string> = { NA: 'US, CA, MX', EU: 'UK, DE, FR, ES, IT, IN', FE: 'JP, AU' };

/** The "How to call" section of an app's page. */
export function callGuide(input: CallGuideInput): Html {
  const { app, baseUrl } = input;
  const env = app.type === 'sandbox' ? 'sandbox' : 'production';
  const targets = PREFIX_TARGETS.filter((t) => t.environment === env);
  const liveAuth = input.authorizations.find((a) => a.environment === env);
  const demoAuthorized = input.demoBusinessId !== null && input.authorizations.some((a) => a.businessId === input.demoBusinessId);
  const marketplaceCode = liveAuth?.marketplace ?? 'US';
  const region = marketplaceByCode(marketplaceCode)?.region ?? 'NA';
  const target = targets.find((t) => t.region === region) ?? targets[0]!;
  const apiBase = `${baseUrl}${target.prefix}`;
  const validUser = input.demoUsers.find((u) => u.email.startsWith('buyer@'));
  // The demo buyer is a valid email once the demo business authorized the app (the home page's
  // walkthrough has its administrator allow it); another business's users are not the page's to show.
  const demoEmail = env === 'production' && validUser && (demoAuthorized || !liveAuth);
  const email = demoEmail ? validUser.email : '<email of an active user of the business that authorized the app>';

  const baseRows = targets.map(
    (t) =>
      html`<tr><td data-label="Region">${t.region} <span class="muted">(${REGION_COUNTRIES[t.region]})</span></td><td data-label="Base URL"><code>${baseUrl}${t.prefix}</code></td><td data-label="Also by host"><code>${t.amazonHost}</code></td></tr>`,
  );
  const emailOps = allowedOperations(app).filter((o) => o.userEmailRequired);
  const usersList = input.demoUsers.length
    ? html`<p>The demo business’s users (local use only):</p><ul>${input.demoUsers.map((u) => html`<li><code>${u.email}</code>: ${u.note}</li>`)}</ul>`
    : html``;

  let call: ExampleCall | null;
  let scriptIntro: Html;
  if (env === 'sandbox') {
    const scenarioOp = allowedOperations(app)
      .filter((o) => o.method === 'GET')
      .map((o) => ({ o, s: input.scenarios.forOperation(o.operationId).find((x) => x.response.status < 300) }))
      .find((x) => x.s);
    call = scenarioOp ? scenarioCall(scenarioOp.o, scenarioOp.s!) : null;
    scriptIntro = html`<p>Get a refresh token with <strong>Create token</strong> on the <a href="/portal/apps/${app.id}/credentials">LWA credentials page</a> (region ${target.region}); the sandbox answers the canned request below with its canned answer.</p>`;
  } else {
    call = productionCall(input, marketplaceCode, email);
    scriptIntro = liveAuth
      ? html`<p>A refresh token comes from the authorization code a business administrator’s consent sends to your redirect URI (exchange it at the token URL with <code>grant_type=authorization_code</code>). This command calls the base URL of the marketplace ${marketplaceCode} that authorized the app.</p>`
      : html`<p>No business has authorized this app yet: send the consent URL above to a business administrator, then exchange the code your redirect URI receives (<code>grant_type=authorization_code</code>) for the refresh token.</p>`;
  }
  const script = call ? callScript({ baseUrl, app, secret: input.knownSecret, call, apiBase }) : null;

  return html`<h2 id="how-to-call">How to call</h2>
    <dl class="meta">
      <dt>Token URL</dt><dd><code id="token-url">${baseUrl}/auth/o2/token</code><br><span class="hint">POST, form-encoded: <code>grant_type=refresh_token</code>, <code>refresh_token</code>, <code>client_id</code>, <code>client_secret</code>. Access tokens last one hour.</span></dd>
      <dt>Client ID</dt><dd><code>${app.clientId}</code></dd>
      <dt>Client secret</dt><dd>${input.knownSecret ? html`<code>${input.knownSecret}</code> <span class="hint">(the demo app’s published secret, for local use only)</span>` : html`Shown once when the app was created or the secret rotated; lost it? <a href="/portal/apps/${app.id}/credentials">Rotate it</a>.`}</dd>
    </dl>
    <h3>Base URLs (${env})</h3>
    <div class="table-wrap"><table><thead><tr><th scope="col">Region</th><th scope="col">Base URL</th><th scope="col">Also by host</th></tr></thead><tbody>${baseRows}</tbody></table></div>
    <p class="hint">A token works on the base URL of the region of the marketplace it was authorized in.</p>
    <h3>Headers</h3>
    <ul>
      <li><code>x-amz-access-token</code>: the access token from the token URL, on every call.</li>
      <li><code>${USER_EMAIL_HEADER}</code>: the email of an active user of the business that authorized the app, on ${emailOps.length ? html`${emailOps.map((o, i) => html`${i ? ', ' : ''}<code>${o.operationId}</code>`)}` : 'the operations that require it (none of this app’s)'}.${env === 'sandbox' ? ' The sandbox answers from its canned requests and does not check it.' : ''}</li>
    </ul>
    ${usersList}
    <h3>A first call</h3>
    ${scriptIntro}
    ${
      script
        ? html`<p>Fill in the lines marked <code>&lt;…&gt;</code> (secrets the page cannot show), then run it in a POSIX shell with curl:</p>
          <pre class="code" id="first-call" tabindex="0"><code>${script}</code></pre>
          ${call?.note ? html`<p class="hint">${call.note}</p>` : ''}`
        : html`<p class="muted">This app’s roles open no operation with a request the page can show${env === 'sandbox' ? ' (no canned GET request)' : ''}; see <a href="/docs/operations">the operations</a>.</p>`
    }`;
}

/** The canned sandbox answers of the operations the app's roles open (sandbox apps). */
export function sandboxScenarioList(app: AppRecord, scenarios: PortalDeps['scenarios'], apiBase: string, tryIt: Html = html``): Html {
  const groups = allowedOperations(app)
    .map((o) => ({ o, list: scenarios.forOperation(o.operationId) }))
    .filter((g) => g.list.length > 0);
  if (groups.length === 0)
    return html`<h2 id="sandbox">Sandbox answers</h2><p class="muted">No canned answer for the operations this app’s roles open.</p>`;
  const value = (v: ParamValue) => html`<code>${wire(v)}</code>`;
  const params = (label: string, rec: Readonly<Record<string, ParamValue>>) =>
    Object.keys(rec).length
      ? html`<li>${label}: ${Object.entries(rec).map(([k, v], i) => html`${i ? ', ' : ''}${k} = ${value(v)}`)}</li>`
      : html``;
  return html`<h2 id="sandbox">Sandbox answers</h2>
    <p>The sandbox answers a request with exactly a canned request’s query parameters and body (headers and path parameters it does not list are ignored) with its canned answer; any other request answers 400 “Could not match input arguments” (<a href="/docs/sandbox">the sandbox</a>). Base URL: <code>${apiBase}</code>.</p>
    ${groups.map(
      (
        g,
      ) => html`<details><summary>${g.o.api}: <code>${g.o.operationId}</code> <span class="muted">(${g.o.method} ${g.o.modelPath}, ${g.list.length} canned request${g.list.length === 1 ? '' : 's'})</span></summary>
        <ol>${g.list.map((s) => {
          const c = scenarioCall(g.o, s);
          return html`<li>${s.description ? html`${s.description}<br>` : ''}<ul>${params('path', s.request.path)}${params('query', s.request.query)}${params('headers', s.request.header)}${s.request.body !== undefined ? html`<li>body: <code>${JSON.stringify(s.request.body)}</code></li>` : ''}</ul>
            <span class="hint">${g.o.method} <code>${c.path}</code> → HTTP ${s.response.status}</span></li>`;
        })}</ol></details>`,
    )}
    ${tryIt}`;
}

/**
 * The Try it form of a sandbox app: one canned request, sent by the server with a fresh access token
 * exchanged from the refresh token and client secret typed here (neither is kept, echoed or logged).
 */
export function tryItForm(o: { app: AppRecord; csrf: string; choices: ReturnType<typeof tryChoices>; state?: TryState }): Html {
  if (o.choices.length === 0) return html``;
  const st = o.state ?? { scenario: o.choices[0]!.value, errors: {} };
  const first = Object.keys(st.errors).find((k) => k !== '_form');
  const result = st.result
    ? html`<div class="panel notice" role="status" id="try-result" tabindex="-1" autofocus><h3>HTTP ${st.result.status}</h3>
        <p><code>${st.result.method} ${st.result.url}</code>${st.result.requestId ? html`<br><span class="hint">x-amzn-RequestId: <code>${st.result.requestId}</code></span>` : ''}</p>
        <pre class="code scroll" tabindex="0" aria-label="Answer body"><code>${st.result.body}</code></pre></div>`
    : html``;
  return html`<h3 id="try-it">Try it</h3>
    <p>The server exchanges the refresh token for an access token and sends the canned request to the sandbox. The secrets are used for this call only: never kept or shown.</p>
    ${errorSummary(st.errors, 'try-', { focus: true })}${result}
    <form method="post" action="/portal/apps/${o.app.id}/try" class="panel" novalidate autocomplete="off">${csrfField(o.csrf)}
      ${select({ name: 'scenario', idPrefix: 'try-', label: 'Canned request', options: o.choices.map((c) => ({ value: c.value, label: c.label })), value: st.scenario, error: st.errors.scenario, autofocus: first === 'scenario' })}
      ${input({ name: 'clientSecret', idPrefix: 'try-', label: 'Client secret', type: 'password', autocomplete: 'off', hint: 'Shown once when the app was created or its secret rotated.', error: st.errors.clientSecret, autofocus: first === 'clientSecret' })}
      ${input({ name: 'refreshToken', idPrefix: 'try-', label: 'Refresh token', type: 'password', autocomplete: 'off', hint: 'From Create token on the LWA credentials page.', error: st.errors.refreshToken, autofocus: first === 'refreshToken' })}
      <div class="actions"><button type="submit">Try it</button></div></form>`;
}

/** What the Try it form was sent with and what the sandbox answered. */
export interface TryState {
  scenario: string;
  errors: Record<string, string>;
  result?: { method: string; url: string; status: number; requestId: string | null; body: string };
}

/** The canned requests a sandbox app may try: `<operationId>#<n>` (n from 1, in matching precedence). */
export function tryChoices(
  app: AppRecord,
  scenarios: PortalDeps['scenarios'],
): { value: string; label: string; operation: Operation; scenario: Scenario }[] {
  return allowedOperations(app).flatMap((o) =>
    scenarios.forOperation(o.operationId).map((s, i) => ({
      value: `${o.operationId}#${i + 1}`,
      label: `${o.operationId} #${i + 1}: ${scenarioCall(o, s).path} → ${s.response.status}`,
      operation: o,
      scenario: s,
    })),
  );
}

/** Pretty JSON when the body is JSON, else the text as it came. */
export function prettyBody(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../kernel/errors.ts';
import { PRIVILEGED_FIELDS, REGIONS } from '../../kernel/reference.ts';
import { html, type Html } from '../../platform/http/html.ts';
import type { AppRecord } from '../developers/index.ts';
import { rolesForNewAuthorization } from '../oauth/index.ts';
import { OPERATIONS } from '../registry/index.ts';
import {
  actionButton,
  bodyOf,
  choices,
  csrfField,
  errorSummary,
  firstErrorField,
  hasErrors,
  input,
  select,
  text,
  textarea,
  time,
  values,
  type FieldErrors,
} from './forms.ts';
import { sendPage, seeOther, type PortalDeps } from './layout.ts';
import { csrfOf, DEVELOPER_AREA as AREA, setFlash, takeReveal } from './session.ts';
import { reviewHistory } from './developer.account.ts';
import { appActions, appStatusBadge, appStatusLabel } from './developer.apps.ts';
import { developerAppNoticePages, noticeSummary } from './developer.app-notices.ts';
import {
  callGuide,
  ownBaseUrl,
  prettyBody,
  sandboxScenarioList,
  scenarioCall,
  tryChoices,
  tryItForm,
  type TryState,
} from './developer.how-to-call.ts';
import { OAuthError } from '../oauth/index.ts';
import { DEMO, describeDemo } from '../demo/index.ts';
import { PREFIX_TARGETS } from '../gateway/index.ts';

interface TpsValues {
  operation: string;
  rate: string;
  burst: string;
  reason: string;
}
interface FieldsValues {
  fields: string[];
  reason: string;
}
interface DetailState {
  tps?: { values: TpsValues; errors: FieldErrors };
  fields?: { values: FieldsValues; errors: FieldErrors };
  tryIt?: TryState;
  status?: number;
}

/** The operations a usage plan can name, with their default plan, for the TPS forms. */
export const operationChoices = () => [
  { value: '', label: 'Choose an operation' },
  ...OPERATIONS.map((o) => ({ value: o.operationId, label: `${o.api} — ${o.operationId} (default ${o.rate}/s, burst ${o.burst})` })),
];

/** Checks a rate and burst as entered in a form; returns the numbers or errors for the fields. */
export function readPlan(rate: string, burst: string, errors: FieldErrors): { rate: number; burst: number } {
  const r = Number(rate);
  const b = Number(burst);
  if (!rate.trim() || !Number.isFinite(r) || r <= 0 || r > 10000)
    errors.rate = 'Enter requests per second above 0 and at most 10000, e.g. 2 or 0.5.';
  if (!burst.trim() || !Number.isInteger(b) || b < 1 || b > 100000) errors.burst = 'Enter a whole number from 1 to 100000.';
  return { rate: r, burst: b };
}

/** The consent URL, absolute (ready to send to an administrator); unpublished public apps need version=beta (own business only). */
function consentUrl(app: AppRecord, baseUrl: string): string {
  const q = new URLSearchParams({ applicationId: app.applicationId, redirect_uri: app.redirectUris[0] ?? '', state: 'test' });
  if (app.status !== 'published' && app.visibility === 'public') q.set('version', 'beta');
  return `${baseUrl}/b2b/abws/oauth?${q.toString()}`;
}

/** What the How to call section needs to know about the demo world: its users and, for the demo app, its published secret. */
async function demoFacts(deps: PortalDeps, a: AppRecord) {
  if (deps.ctx.config.mode !== 'local') return { users: [], businessId: null, secret: null };
  const demo = await describeDemo(deps.ctx, deps.services);
  if (!demo.seeded) return { users: [], businessId: null, secret: null };
  const users = [{ email: demo.admin.email, note: demo.admin.note }, ...demo.users];
  const secret =
    a.developerId === DEMO.developer.id && (await deps.services.apps.verifyClient(a.clientId, DEMO.clientSecret))
      ? DEMO.clientSecret
      : null;
  return { users, businessId: demo.business.id, secret };
}

/** An app's detail page (authorizations, usage plans, requests) and its LWA credentials page. */
export function developerAppDetailPages(app: FastifyInstance, deps: PortalDeps): void {
  const { apps, reviews, oauth, accounts } = deps.services;
  developerAppNoticePages(app, deps);
  const me = (request: FastifyRequest): string => request.portal!.session.subjectId;
  const appId = (request: FastifyRequest): string => (request.params as { id: string }).id;

  const sendDetail = async (request: FastifyRequest, reply: FastifyReply, a: AppRecord, state: DetailState = {}) => {
    const csrf = csrfOf(request);
    const auths = await oauth.listAuthorizations({ appId: a.id });
    const names = new Map<string, string>();
    for (const au of auths)
      if (au.businessId && !names.has(au.businessId))
        names.set(au.businessId, (await accounts.findBusiness(au.businessId))?.name ?? au.businessId);
    const plans = await reviews.usagePlans(a.id);
    const granted = await reviews.privilegedFields(a.id);
    const history = await reviews.list({ appId: a.id });
    const pendingListing = history.some((r) => r.kind === 'listing' && r.status === 'pending');
    const tps = state.tps ?? { values: { operation: '', rate: '', burst: '', reason: '' }, errors: {} };
    const fr = state.fields ?? { values: { fields: [], reason: '' }, errors: {} };
    const notGranted = PRIVILEGED_FIELDS.filter((f) => !granted.includes(f));
    // A re-rendered form moves the focus (and the view) to its first field in error.
    const tpsFocus = firstErrorField(tps.errors);
    const fieldsFocus = firstErrorField(fr.errors);
    const destinations = await apps.notices.listDestinations(a.id);
    const baseUrl = ownBaseUrl(deps, request);
    const demo = await demoFacts(deps, a);
    const guide = callGuide({
      app: a,
      baseUrl,
      authorizations: auths,
      scenarios: deps.scenarios,
      liveApis: deps.apis,
      demoUsers: demo.users,
      demoBusinessId: demo.businessId,
      knownSecret: demo.secret,
    });
    const sandboxBase = `${baseUrl}${PREFIX_TARGETS.find((t) => t.environment === 'sandbox' && t.region === 'NA')!.prefix}`;

    const authTable = auths.length
      ? html`<div class="table-wrap"><table><thead><tr><th scope="col">Business</th><th scope="col">Region</th><th scope="col">Marketplace</th><th scope="col">Environment</th><th scope="col">Since</th></tr></thead><tbody>${auths.map(
          (au) =>
            html`<tr><td data-label="Business">${au.businessId ? names.get(au.businessId) : html`<span class="muted">Your sandbox token</span>`}</td><td data-label="Region">${au.region}</td><td data-label="Marketplace">${au.marketplace}</td><td data-label="Environment">${au.environment}</td><td data-label="Since">${time(au.createdAt)}</td></tr>`,
        )}</tbody></table></div>`
      : html`<div class="panel empty"><p>No business has authorized this app yet.</p></div>`;
    const planTable = plans.length
      ? html`<table><thead><tr><th scope="col">Operation</th><th scope="col">Rate (requests/s)</th><th scope="col">Burst</th></tr></thead><tbody>${plans.map(
          (p) =>
            html`<tr><td data-label="Operation"><code>${p.operation}</code></td><td data-label="Rate">${p.rate}</td><td data-label="Burst">${p.burst}</td></tr>`,
        )}</tbody></table>`
      : html`<p class="muted">No overrides: every operation uses its default usage plan.</p>`;

    const body = html`<p><a href="/portal/apps">← Apps</a></p><h1>${a.name}</h1>
      <p>${appStatusBadge(a)} <span class="hint">${appStatusLabel(a).hint}</span></p>
      <dl class="meta">
        <dt>Application ID</dt><dd><code>${a.applicationId}</code></dd>
        <dt>LWA client ID</dt><dd><code>${a.clientId}</code></dd>
        <dt>Type</dt><dd>${a.type === 'production' ? 'Production' : 'Sandbox'}, ${a.visibility}, ${a.environmentLabel}</dd>
        <dt>Roles on the app</dt><dd>${a.roles.join(', ') || '—'}</dd>
        <dt>Roles new authorizations get</dt><dd>${a.type === 'production' ? rolesForNewAuthorization(a).join(', ') || '—' : a.roles.join(', ') || '—'}</dd>
        <dt>OAuth redirect URIs</dt><dd>${a.redirectUris.map((u) => html`<code>${u}</code><br>`)}</dd>
        <dt>OAuth login URI</dt><dd>${a.loginUri ? html`<code>${a.loginUri}</code>` : '—'}</dd>
        ${a.type === 'production' ? html`<dt>Consent URL</dt><dd><a href="${consentUrl(a, baseUrl)}" id="consent-url">${consentUrl(a, baseUrl)}</a><br><span class="hint">Send business administrators here; the consent redirects to your first redirect URI with the code. For another marketplace, insert <code>/mp/&lt;code&gt;</code> before <code>/b2b</code> (for example <code>/mp/uk/b2b/abws/oauth</code>).${a.visibility === 'public' && a.status !== 'published' ? ' Until the app is published, only your own business can use it (version=beta).' : ''}</span></dd>` : ''}
      </dl>
      ${appActions(a, csrf, pendingListing)}
      ${guide}
      ${a.type === 'sandbox' ? sandboxScenarioList(a, deps.scenarios, sandboxBase, tryItForm({ app: a, csrf, choices: tryChoices(a, deps.scenarios), ...(state.tryIt ? { state: state.tryIt } : {}) })) : ''}
      ${noticeSummary(a, destinations)}
      <h2>Authorizations</h2><p class="muted">The businesses and regions that authorized this app (one authorization per business and marketplace: tokens are per marketplace).</p>${authTable}
      <h2>Usage plans</h2>${planTable}
      <p>Privileged fields granted: ${granted.length ? granted.map((f) => html`<code>${f}</code> `) : html`<span class="muted">none</span>`}</p>
      <h2 id="tps">Ask for a higher TPS</h2>${errorSummary(tps.errors, 'tps-', { focus: true })}
      <form method="post" action="/portal/apps/${a.id}/tps-requests" class="panel" novalidate>${csrfField(csrf)}
        ${select({ name: 'operation', idPrefix: 'tps-', label: 'Operation', options: operationChoices(), value: tps.values.operation, error: tps.errors.operation, autofocus: tpsFocus === 'operation' })}
        ${input({ name: 'rate', idPrefix: 'tps-', label: 'Rate (requests per second)', type: 'number', step: 'any', min: '0', value: tps.values.rate, error: tps.errors.rate, autofocus: tpsFocus === 'rate' })}
        ${input({ name: 'burst', idPrefix: 'tps-', label: 'Burst', type: 'number', step: '1', min: '1', value: tps.values.burst, error: tps.errors.burst, autofocus: tpsFocus === 'burst' })}
        ${textarea({ name: 'reason', idPrefix: 'tps-', label: 'Why you need it', value: tps.values.reason, error: tps.errors.reason, rows: 3, autofocus: tpsFocus === 'reason' })}
        <div class="actions"><button type="submit">Send TPS request</button></div></form>
      <h2 id="fields">Ask for privileged fields</h2>${errorSummary(fr.errors, 'fields-', { focus: true })}
      ${
        notGranted.length
          ? html`<form method="post" action="/portal/apps/${a.id}/field-requests" class="panel" novalidate>${csrfField(csrf)}
            ${choices({ name: 'fields', idPrefix: 'fields-', legend: 'Product Search fields', options: notGranted.map((f) => ({ value: f, label: f })), checked: fr.values.fields, error: fr.errors.fields, autofocus: fieldsFocus === 'fields' })}
            ${textarea({ name: 'reason', idPrefix: 'fields-', label: 'Why you need them', value: fr.values.reason, error: fr.errors.reason, rows: 3, autofocus: fieldsFocus === 'reason' })}
            <div class="actions"><button type="submit">Send field request</button></div></form>`
          : html`<p class="muted">Every privileged field is granted to this app.</p>`
      }
      <h2>Requests for this app</h2>${reviewHistory(history)}`;
    return sendPage(request, reply, AREA, a.name, body, state.status ?? 200);
  };

  app.get('/apps/:id', async (request, reply) => sendDetail(request, reply, await apps.getOwned(me(request), appId(request))));

  app.post('/apps/:id/tps-requests', async (request, reply) => {
    const a = await apps.getOwned(me(request), appId(request));
    const b = bodyOf(request);
    const v: TpsValues = {
      operation: text(b, 'operation'),
      rate: text(b, 'rate'),
      burst: text(b, 'burst'),
      reason: text(b, 'reason').trim(),
    };
    const errors: FieldErrors = {};
    if (!OPERATIONS.some((o) => o.operationId === v.operation)) errors.operation = 'Choose the operation that needs more throughput.';
    const plan = readPlan(v.rate, v.burst, errors);
    if (!v.reason) errors.reason = 'Tell the reviewer why the default is not enough.';
    if (hasErrors(errors)) return sendDetail(request, reply, a, { tps: { values: v, errors }, status: 400 });
    try {
      await reviews.requestTps(me(request), a.id, { operation: v.operation, rate: plan.rate, burst: plan.burst, reason: v.reason });
    } catch (err) {
      if (err instanceof AppError && err.status < 500)
        return sendDetail(request, reply, a, { tps: { values: v, errors: { _form: err.message } }, status: err.status });
      throw err;
    }
    setFlash(reply, deps.cookies, `Your TPS request for ${v.operation} was sent to the operator for review.`);
    return seeOther(reply, `/portal/apps/${a.id}`);
  });

  app.post('/apps/:id/field-requests', async (request, reply) => {
    const a = await apps.getOwned(me(request), appId(request));
    const b = bodyOf(request);
    const v: FieldsValues = { fields: values(b, 'fields'), reason: text(b, 'reason').trim() };
    const errors: FieldErrors = {};
    if (v.fields.length === 0) errors.fields = 'Choose at least one field.';
    else if (v.fields.some((f) => !(PRIVILEGED_FIELDS as readonly string[]).includes(f))) errors.fields = 'Choose fields from the list.';
    if (!v.reason) errors.reason = 'Tell the reviewer how your app uses these fields.';
    if (hasErrors(errors)) return sendDetail(request, reply, a, { fields: { values: v, errors }, status: 400 });
    try {
      await reviews.requestPrivilegedFields(me(request), a.id, v);
    } catch (err) {
      if (err instanceof AppError && err.status < 500)
        return sendDetail(request, reply, a, { fields: { values: v, errors: { _form: err.message } }, status: err.status });
      throw err;
    }
    setFlash(reply, deps.cookies, `Your request for ${v.fields.join(', ')} was sent to the operator for review.`);
    return seeOther(reply, `/portal/apps/${a.id}`);
  });

  // Try it (sandbox apps): the refresh-token exchange with the typed secrets, then the canned request
  // through the gateway, answered on the page. Nothing typed is kept, echoed back or logged.
  app.post('/apps/:id/try', async (request, reply) => {
    const a = await apps.getOwned(me(request), appId(request));
    if (a.type !== 'sandbox')
      throw new AppError('InvalidState', 'Try it is for sandbox apps; call a production app with the command under How to call.');
    const b = bodyOf(request);
    const state: TryState = { scenario: text(b, 'scenario'), errors: {} };
    const clientSecret = text(b, 'clientSecret').trim();
    const refreshToken = text(b, 'refreshToken').trim();
    const choice = tryChoices(a, deps.scenarios).find((c) => c.value === state.scenario);
    if (!choice) state.errors.scenario = 'Choose one of the canned requests.';
    if (!clientSecret) state.errors.clientSecret = 'Enter the client secret of this app.';
    if (!refreshToken) state.errors.refreshToken = 'Enter a refresh token from Create token.';
    if (hasErrors(state.errors) || !choice) return sendDetail(request, reply, a, { tryIt: state, status: 400 });
    let accessToken: string;
    try {
      const t = await oauth.refresh({ clientId: a.clientId, clientSecret, refreshToken });
      accessToken = t.access_token;
      // Audited as the API reference's exchange is (no token in the entry).
      await deps.ctx.audit.record(deps.ctx.db.kysely, {
        actor: `developer:${me(request)}`,
        action: 'portal.try_it.access_token',
        subjectType: 'app',
        subjectId: a.id,
        after: { expiresIn: t.expires_in, scenario: choice.value },
      });
    } catch (err) {
      if (!(err instanceof OAuthError)) throw err;
      state.errors[err.error === 'invalid_client' ? 'clientSecret' : 'refreshToken'] =
        err.error === 'invalid_client'
          ? 'This client secret is not one of this app’s live secrets.'
          : 'This refresh token is not a live token of this app.';
      return sendDetail(request, reply, a, { tryIt: state, status: 400 });
    }
    const grant = await oauth.lookupAccessToken(accessToken);
    const region = grant.status === 'valid' ? grant.grant.region : 'NA';
    const prefix = PREFIX_TARGETS.find((t) => t.environment === 'sandbox' && t.region === region)!.prefix;
    const call = scenarioCall(choice.operation, choice.scenario);
    const headers: Record<string, string> = { 'x-amz-access-token': accessToken, ...Object.fromEntries(call.headers) };
    if (call.body !== undefined) headers['content-type'] = 'application/json';
    const url = `${prefix}${call.path}`;
    const res = await request.server.inject({
      method: choice.operation.method,
      url,
      headers,
      ...(call.body !== undefined ? { payload: JSON.stringify(call.body) } : {}),
    });
    const requestId = res.headers['x-amzn-requestid'];
    state.result = {
      method: choice.operation.method,
      url: `${ownBaseUrl(deps, request)}${url}`,
      status: res.statusCode,
      requestId: typeof requestId === 'string' ? requestId : null,
      body: prettyBody(res.body),
    };
    return sendDetail(request, reply, a, { tryIt: state });
  });

  app.get('/apps/:id/credentials', async (request, reply) => {
    const a = await apps.getOwned(me(request), appId(request));
    const reveal = takeReveal(request, reply, a.id);
    const secrets = await apps.listSecrets(a.id);
    const csrf = csrfOf(request);
    const revealed: Html = !reveal
      ? html``
      : reveal.kind === 'client_secret'
        ? html`<div class="panel notice" role="status"><h2>Your new client secret</h2><p><strong>Copy it now. It is shown only this once</strong>; bizapi keeps only its hash.</p>
            <code class="secret" id="client-secret">${reveal.value}</code>
            ${reveal.previousExpiresAt ? html`<p>The previous secret keeps working until ${time(reveal.previousExpiresAt)}. Switch your app to the new one before then.</p>` : ''}</div>`
        : html`<div class="panel notice" role="status"><h2>Sandbox refresh token (${reveal.region})</h2><p><strong>Copy it now. It is shown only this once.</strong> Exchange it at <code>POST /auth/o2/token</code> with <code>grant_type=refresh_token</code> and call the sandbox hosts.</p>
            <code class="secret" id="refresh-token">${reveal.value}</code><p><a href="/portal/apps/${a.id}#how-to-call">How to call this app</a> shows the command that uses it.</p></div>`;
    const secretRows = secrets.map(
      (s, i) =>
        html`<tr><td data-label="Secret"><code>${s.id}</code> ${i === 0 && s.expiresAt === null ? html`<span class="badge ok">Current</span>` : html`<span class="badge warn">Previous</span>`}</td><td data-label="Created">${time(s.createdAt)}</td><td data-label="Expires">${s.expiresAt === null ? 'Does not expire until rotated' : time(s.expiresAt)}</td></tr>`,
    );
    const body = html`<p><a href="/portal/apps">← Apps</a></p><h1>LWA credentials: ${a.name}</h1>${revealed}
      <dl class="meta"><dt>Client ID</dt><dd><code id="client-id">${a.clientId}</code></dd><dt>Application ID</dt><dd><code id="application-id">${a.applicationId}</code></dd>
        <dt>Client secret</dt><dd>Shown only once, right after the app is created or the secret is rotated. Lost it? Rotate the secret.</dd>
        <dt>Token URL</dt><dd><code>${ownBaseUrl(deps, request)}/auth/o2/token</code> <a href="/portal/apps/${a.id}#how-to-call">How to call this app</a></dd></dl>
      <h2>Secrets</h2><table><thead><tr><th scope="col">Secret</th><th scope="col">Created</th><th scope="col">Expires</th></tr></thead><tbody>${secretRows}</tbody></table>
      <div class="actions">${actionButton({ action: `/portal/apps/${a.id}/rotate-secret`, csrf, label: 'Rotate secret' })}</div>
      ${
        a.type === 'sandbox'
          ? html`<h2>Create token</h2><p>Sandbox apps get a refresh token here, without consent.</p>
            <form method="post" action="/portal/apps/${a.id}/sandbox-token" class="panel">${csrfField(csrf)}
              ${select({ name: 'region', label: 'Region', options: REGIONS.map((r) => ({ value: r, label: r })), value: 'NA' })}
              <div class="actions"><button type="submit">Create token</button></div></form>`
          : ''
      }`;
    return sendPage(request, reply, AREA, `LWA credentials · ${a.name}`, body);
  });
}

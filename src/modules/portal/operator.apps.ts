import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { PRIVILEGED_FIELDS } from '../../kernel/reference.ts';
import { html } from '../../platform/http/html.ts';
import { rolesForNewAuthorization } from '../oauth/index.ts';
import { OPERATIONS } from '../registry/index.ts';
import {
  actionButton,
  bodyOf,
  choices,
  csrfField,
  errorSummary,
  hasErrors,
  input,
  select,
  text,
  time,
  values,
  type FieldErrors,
} from './forms.ts';
import { seeOther, sendPage, type PortalDeps } from './layout.ts';
import { noticeLogTable } from './developer.app-notices.ts';
import { csrfOf, OPERATOR_AREA as AREA, operatorActor, setFlash } from './session.ts';
import { reviewHistory } from './developer.account.ts';
import { appStatusBadge } from './developer.apps.ts';
import { operationChoices, readPlan } from './developer.app-detail.ts';

interface AppState {
  plan?: { operation: string; rate: string; burst: string; errors: FieldErrors };
  grant?: { fields: string[]; errors: FieldErrors };
  status?: number;
}

/** All apps with their usage plans, privileged-field grants and authorizations; and the audit log. */
export function operatorAppPages(app: FastifyInstance, deps: PortalDeps): void {
  const { apps, developers, reviews, oauth, accounts } = deps.services;
  const appIdOf = (request: FastifyRequest): string => (request.params as { id: string }).id;

  app.get('/apps', async (request, reply) => {
    const [list, devs] = await Promise.all([apps.list(), developers.listDevelopers()]);
    const email = new Map(devs.map((d) => [d.id, d.email]));
    const body = html`<h1>Apps</h1>
      ${
        list.length
          ? html`<div class="table-wrap"><table><thead><tr><th scope="col">App</th><th scope="col">Developer</th><th scope="col">Type</th><th scope="col">Status</th><th scope="col">Roles</th></tr></thead><tbody>${list.map(
              (a) =>
                html`<tr><td data-label="App"><a href="/console/apps/${a.id}">${a.name}</a><br><code>${a.applicationId}</code></td><td data-label="Developer">${email.get(a.developerId) ?? a.developerId}</td><td data-label="Type">${a.type}, ${a.visibility}</td><td data-label="Status">${appStatusBadge(a)}</td><td data-label="Roles">${a.roles.join(', ') || '—'}</td></tr>`,
            )}</tbody></table></div>`
          : html`<div class="panel empty"><p>No apps yet.</p></div>`
      }`;
    return sendPage(request, reply, AREA, 'Apps', body);
  });

  const sendApp = async (request: FastifyRequest, reply: FastifyReply, state: AppState = {}) => {
    const a = await apps.get(appIdOf(request));
    const csrf = csrfOf(request);
    const [dev, plans, granted, auths, history] = await Promise.all([
      developers.getDeveloper(a.developerId),
      reviews.usagePlans(a.id),
      reviews.privilegedFields(a.id),
      oauth.listAuthorizations({ appId: a.id }),
      reviews.list({ appId: a.id }),
    ]);
    const notices = await apps.notices.log(a.id);
    const names = new Map<string, string>();
    for (const au of auths)
      if (au.businessId && !names.has(au.businessId))
        names.set(au.businessId, (await accounts.findBusiness(au.businessId))?.name ?? au.businessId);
    const plan = state.plan ?? { operation: '', rate: '', burst: '', errors: {} };
    const grant = state.grant ?? { fields: [], errors: {} };
    const notGranted = PRIVILEGED_FIELDS.filter((f) => !granted.includes(f));
    const back = { back: `/console/apps/${a.id}` };
    const body = html`<p><a href="/console/apps">← Apps</a></p><h1>${a.name}</h1><p>${appStatusBadge(a)}</p>
      <dl class="meta"><dt>Developer</dt><dd>${dev.name} &lt;${dev.email}&gt;</dd><dt>Application ID</dt><dd><code>${a.applicationId}</code></dd><dt>Client ID</dt><dd><code>${a.clientId}</code></dd>
        <dt>Type</dt><dd>${a.type}, ${a.visibility}, ${a.environmentLabel}</dd><dt>Roles configured</dt><dd>${a.roles.join(', ') || '—'}</dd><dt>Roles listed</dt><dd>${a.publishedRoles.join(', ') || '—'}</dd>
        <dt>Roles new authorizations get</dt><dd>${rolesForNewAuthorization(a).join(', ') || '—'}</dd><dt>Redirect URIs</dt><dd>${a.redirectUris.map((u) => html`<code>${u}</code><br>`)}</dd></dl>
      <div class="actions">${a.suspended ? actionButton({ action: `/console/apps/${a.id}/suspension`, csrf, label: 'Lift suspension', fields: { suspended: 'off' } }) : html`<a class="button danger" href="/console/apps/${a.id}/suspend">Suspend app</a>`}<a class="button secondary" href="/console/requests?app=${encodeURIComponent(a.id)}">Calls of this app</a></div>
      <h2>Usage plans</h2>
      ${
        plans.length
          ? html`<table><thead><tr><th scope="col">Operation</th><th scope="col">Rate (requests/s)</th><th scope="col">Burst</th><th scope="col">Action</th></tr></thead><tbody>${plans.map(
              (
                p,
              ) => html`<tr><td data-label="Operation"><code>${p.operation}</code></td><td data-label="Rate">${p.rate}</td><td data-label="Burst">${p.burst}</td>
              <td data-label="Action">${actionButton({ action: `/console/apps/${a.id}/usage-plans/remove`, csrf, label: html`Remove<span class="sr-only"> plan of ${p.operation}</span>`, variant: 'secondary', fields: { operation: p.operation } })}</td></tr>`,
            )}</tbody></table>`
          : html`<p class="muted">No overrides: every operation uses its default usage plan.</p>`
      }
      ${errorSummary(plan.errors, 'plan-')}<form method="post" action="/console/apps/${a.id}/usage-plans" class="panel" novalidate>${csrfField(csrf)}
        ${select({ name: 'operation', idPrefix: 'plan-', label: 'Operation', options: operationChoices(), value: plan.operation, error: plan.errors.operation })}
        ${input({ name: 'rate', idPrefix: 'plan-', label: 'Rate (requests per second)', type: 'number', step: 'any', min: '0', value: plan.rate, error: plan.errors.rate })}
        ${input({ name: 'burst', idPrefix: 'plan-', label: 'Burst', type: 'number', step: '1', min: '1', value: plan.burst, error: plan.errors.burst })}
        <div class="actions"><button type="submit">Set usage plan</button></div></form>
      <h2>Privileged fields</h2>
      ${
        granted.length
          ? html`<ul>${granted.map((f) => html`<li><code>${f}</code> ${actionButton({ action: `/console/apps/${a.id}/privileged-fields/revoke`, csrf, label: html`Revoke<span class="sr-only"> ${f}</span>`, variant: 'secondary', fields: { field: f } })}</li>`)}</ul>`
          : html`<p class="muted">No privileged field is granted.</p>`
      }
      ${
        notGranted.length
          ? html`${errorSummary(grant.errors, 'grant-')}<form method="post" action="/console/apps/${a.id}/privileged-fields" class="panel" novalidate>${csrfField(csrf)}
            ${choices({ name: 'fields', idPrefix: 'grant-', legend: 'Grant fields', options: notGranted.map((f) => ({ value: f, label: f })), checked: grant.fields, error: grant.errors.fields })}
            <div class="actions"><button type="submit">Grant</button></div></form>`
          : ''
      }
      <h2>Authorizations</h2>
      ${
        auths.length
          ? html`<div class="table-wrap"><table><thead><tr><th scope="col">Business</th><th scope="col">Marketplace</th><th scope="col">Environment</th><th scope="col">Since</th><th scope="col">Action</th></tr></thead><tbody>${auths.map(
              (
                au,
              ) => html`<tr><td data-label="Business">${au.businessId ? html`<a href="/console/businesses/${au.businessId}">${names.get(au.businessId)}</a>` : html`<span class="muted">Sandbox token</span>`}</td><td data-label="Marketplace">${au.marketplace} (${au.region})</td><td data-label="Environment">${au.environment}</td><td data-label="Since">${time(au.createdAt)}</td>
              <td data-label="Action"><a class="button danger" href="/console/authorizations/${au.id}/revoke?back=${encodeURIComponent(back.back)}">Revoke<span class="sr-only"> ${au.marketplace} ${au.businessId ?? 'sandbox'}</span></a></td></tr>`,
            )}</tbody></table></div>`
          : html`<p class="muted">No authorizations.</p>`
      }
      <h2 id="notices">Client secret notices</h2>${noticeLogTable(notices)}
      <h2>Reviews of this app</h2>${reviewHistory(history)}`;
    return sendPage(request, reply, AREA, a.name, body, state.status ?? 200);
  };
  app.get('/apps/:id', async (request, reply) => sendApp(request, reply));

  // Suspending stops every token of the app at once: the operator confirms it on its own page.
  app.get('/apps/:id/suspend', async (request, reply) => {
    const a = await apps.get(appIdOf(request));
    if (a.suspended) return seeOther(reply, `/console/apps/${a.id}`);
    const body = html`<p><a href="/console/apps/${a.id}">← ${a.name}</a></p><h1>Suspend ${a.name}?</h1>
      <div class="panel error"><p>Every refresh and access token of “${a.name}” stops working at once, for every business that authorized it, until the suspension is lifted. Its authorizations are kept.</p></div>
      <form method="post" action="/console/apps/${a.id}/suspension">${csrfField(csrfOf(request))}<input type="hidden" name="suspended" value="on"><div class="actions"><button type="submit" class="danger">Suspend the app</button><a class="button secondary" href="/console/apps/${a.id}">Cancel</a></div></form>`;
    return sendPage(request, reply, AREA, `Suspend ${a.name}`, body);
  });

  app.post('/apps/:id/suspension', async (request, reply) => {
    const a = await apps.get(appIdOf(request));
    const suspend = text(bodyOf(request), 'suspended') === 'on';
    await apps.setSuspended(operatorActor(request), a.id, suspend);
    setFlash(
      reply,
      deps.cookies,
      suspend
        ? `“${a.name}” is suspended: its tokens stop working until the suspension is lifted.`
        : `The suspension of “${a.name}” was lifted.`,
    );
    return seeOther(reply, `/console/apps/${a.id}`);
  });

  app.post('/apps/:id/usage-plans', async (request, reply) => {
    const a = await apps.get(appIdOf(request));
    const b = bodyOf(request);
    const v = { operation: text(b, 'operation'), rate: text(b, 'rate'), burst: text(b, 'burst') };
    const errors: FieldErrors = {};
    if (!OPERATIONS.some((o) => o.operationId === v.operation)) errors.operation = 'Choose an operation.';
    const p = readPlan(v.rate, v.burst, errors);
    if (hasErrors(errors)) return sendApp(request, reply, { plan: { ...v, errors }, status: 400 });
    await reviews.setUsagePlan(operatorActor(request), a.id, v.operation, p.rate, p.burst);
    setFlash(reply, deps.cookies, `${v.operation} of “${a.name}”: ${p.rate} requests/s, burst ${p.burst}.`);
    return seeOther(reply, `/console/apps/${a.id}`);
  });

  app.post('/apps/:id/usage-plans/remove', async (request, reply) => {
    const a = await apps.get(appIdOf(request));
    const operation = text(bodyOf(request), 'operation');
    await reviews.removeUsagePlan(operatorActor(request), a.id, operation);
    setFlash(reply, deps.cookies, `${operation} of “${a.name}” is back to its default usage plan.`);
    return seeOther(reply, `/console/apps/${a.id}`);
  });

  app.post('/apps/:id/privileged-fields', async (request, reply) => {
    const a = await apps.get(appIdOf(request));
    const fields = values(bodyOf(request), 'fields');
    const errors: FieldErrors = {};
    if (fields.length === 0) errors.fields = 'Choose at least one field to grant.';
    else if (fields.some((f) => !(PRIVILEGED_FIELDS as readonly string[]).includes(f))) errors.fields = 'Choose fields from the list.';
    if (hasErrors(errors)) return sendApp(request, reply, { grant: { fields, errors }, status: 400 });
    await reviews.grantPrivilegedFields(operatorActor(request), a.id, fields);
    setFlash(reply, deps.cookies, `Granted ${fields.join(', ')} to “${a.name}”.`);
    return seeOther(reply, `/console/apps/${a.id}`);
  });

  app.post('/apps/:id/privileged-fields/revoke', async (request, reply) => {
    const a = await apps.get(appIdOf(request));
    const field = text(bodyOf(request), 'field');
    if (!(PRIVILEGED_FIELDS as readonly string[]).includes(field))
      return sendApp(request, reply, { grant: { fields: [], errors: { fields: 'Unknown field.' } }, status: 400 });
    await reviews.revokePrivilegedFields(operatorActor(request), a.id, [field]);
    setFlash(reply, deps.cookies, `Revoked ${field} from “${a.name}”.`);
    return seeOther(reply, `/console/apps/${a.id}`);
  });

  app.get('/audit', async (request, reply) => {
    const q = request.query as Record<string, unknown>;
    const f = {
      actor: typeof q.actor === 'string' ? q.actor.trim() : '',
      action: typeof q.action === 'string' ? q.action.trim() : '',
      subject: typeof q.subject === 'string' ? q.subject.trim() : '',
    };
    const entries = await deps.ctx.audit.list(deps.ctx.db.kysely, {
      actor: f.actor || undefined,
      action: f.action || undefined,
      subjectId: f.subject || undefined,
      limit: 200,
    });
    const json = (v: unknown): string => (v === null || v === undefined ? '' : JSON.stringify(v, null, 1));
    const filtered = f.actor || f.action || f.subject;
    const body = html`<h1>Audit log</h1>
      <form method="get" action="/console/audit" class="panel filters" role="search">
        ${input({ name: 'actor', label: 'Actor', value: f.actor, hint: 'Exact, e.g. operator:demo or developer:dev_…' })}
        ${input({ name: 'action', label: 'Action', value: f.action, hint: 'Exact, e.g. review.approve, oauth.revoke' })}
        ${input({ name: 'subject', label: 'Subject ID', value: f.subject, hint: 'An app, business, review… id' })}
        <div class="actions"><button type="submit">Filter</button>${filtered ? html`<a class="button secondary" href="/console/audit">Clear filters</a>` : ''}</div>
      </form>
      <p class="muted">${entries.length === 200 ? 'The newest 200 entries' : `${entries.length} entries`}${filtered ? ' matching the filters' : ''}, newest first.</p>
      ${
        entries.length
          ? html`<div class="table-wrap"><table><thead><tr><th scope="col">Time</th><th scope="col">Actor</th><th scope="col">Action</th><th scope="col">Subject</th><th scope="col">Change</th></tr></thead><tbody>${entries.map(
              (
                e,
              ) => html`<tr><td data-label="Time">${time(e.at)}</td><td data-label="Actor"><a href="/console/audit?actor=${encodeURIComponent(e.actor)}">${e.actor}</a></td><td data-label="Action"><a href="/console/audit?action=${encodeURIComponent(e.action)}">${e.action}</a></td>
              <td data-label="Subject">${e.subjectType} <a href="/console/audit?subject=${encodeURIComponent(e.subjectId)}"><code>${e.subjectId}</code></a></td>
              <td data-label="Change">${e.before !== null || e.after !== null ? html`<details><summary>Show</summary>${e.before !== null ? html`<p><strong>Before</strong></p><pre>${json(e.before)}</pre>` : ''}${e.after !== null ? html`<p><strong>After</strong></p><pre>${json(e.after)}</pre>` : ''}</details>` : '—'}</td></tr>`,
            )}</tbody></table></div>`
          : html`<div class="panel empty"><p>No audit entries${filtered ? ' match these filters' : ''}.</p></div>`
      }`;
    return sendPage(request, reply, AREA, 'Audit log', body);
  });
}

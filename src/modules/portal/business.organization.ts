import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../kernel/errors.ts';
import { html } from '../../platform/http/html.ts';
import type { BusinessUser, BuyingPolicy } from '../accounts/index.ts';
import { actionButton, bodyOf, csrfField, errorSummary, hasErrors, input, select, text, type FieldErrors } from './forms.ts';
import { seeOther, sendPage, type PortalDeps } from './layout.ts';
import { BUSINESS_AREA as AREA, csrfOf, setFlash } from './session.ts';

const GUIDANCE: BuyingPolicy['guidance'][] = ['PREFERRED', 'RESTRICTED', 'BLOCKED'];
const MATCH: BuyingPolicy['matchType'][] = ['asin', 'brand', 'category'];

interface OrgState {
  le?: { name: string; errors: FieldErrors };
  group?: { name: string; groupTag: string; errors: FieldErrors };
  status?: number;
}

/** Legal entities, groups and buying policies of the administrator's business. */
export function businessOrganizationPages(
  app: FastifyInstance,
  deps: PortalDeps,
  admin: (request: FastifyRequest) => Promise<BusinessUser>,
): void {
  const { accounts } = deps.services;
  const actor = (me: BusinessUser): string => `business_user:${me.id}`;

  const sendOrg = async (request: FastifyRequest, reply: FastifyReply, state: OrgState = {}) => {
    const me = await admin(request);
    const csrf = csrfOf(request);
    const [les, groups] = await Promise.all([accounts.listLegalEntities(me.businessId), accounts.listGroups(me.businessId)]);
    const le = state.le ?? { name: '', errors: {} };
    const group = state.group ?? { name: '', groupTag: '', errors: {} };
    const body = html`<h1>Legal entities & groups</h1>
      <h2>Legal entities</h2>
      ${les.length ? html`<ul>${les.map((l) => html`<li>${l.name} <span class="muted">(${l.id})</span></li>`)}</ul>` : html`<p class="muted">No legal entities yet.</p>`}
      <p class="muted">Authorizing an app needs an administrator of every legal entity; after adding one, make the right users its administrators.</p>
      ${errorSummary(le.errors, 'le-')}<form method="post" action="/business/legal-entities" class="panel" novalidate>${csrfField(csrf)}
        ${input({ name: 'name', idPrefix: 'le-', label: 'Legal entity name', value: le.name, error: le.errors.name, required: true })}
        <div class="actions"><button type="submit">Add legal entity</button></div></form>
      <h2>Groups</h2>
      ${
        groups.length
          ? html`<table><thead><tr><th scope="col">Group</th><th scope="col">groupTag</th><th scope="col">Ordering</th></tr></thead><tbody>${groups.map(
              (g) =>
                html`<tr><td data-label="Group">${g.name}</td><td data-label="groupTag"><code>${g.groupTag}</code></td>
                <td data-label="Ordering">${g.paymentMethod ?? html`<span class="muted">No payment method: cannot order</span>`}${g.testMode ? html` · test mode` : ''}${g.approvalLimitMinor !== null ? html` · approval limit` : ''}
                <br><a href="/business/groups/${g.id}">Ordering settings<span class="sr-only"> of ${g.name}</span></a></td></tr>`,
            )}</tbody></table>`
          : html`<div class="panel empty"><p>No groups yet — add one below.</p></div>`
      }
      ${errorSummary(group.errors, 'group-')}<form method="post" action="/business/groups" class="panel" novalidate>${csrfField(csrf)}
        ${input({ name: 'name', idPrefix: 'group-', label: 'Group name', value: group.name, error: group.errors.name, required: true })}
        ${input({ name: 'groupTag', idPrefix: 'group-', label: 'groupTag', value: group.groupTag, error: group.errors.groupTag, required: true, hint: 'The tag API callers pass to pick the group, e.g. engineering.' })}
        <div class="actions"><button type="submit">Add group</button></div></form>`;
    return sendPage(request, reply, AREA, 'Legal entities & groups', body, state.status ?? 200);
  };
  app.get('/organization', async (request, reply) => sendOrg(request, reply));

  app.post('/legal-entities', async (request, reply) => {
    const me = await admin(request);
    const name = text(bodyOf(request), 'name').trim();
    if (!name) return sendOrg(request, reply, { le: { name, errors: { name: 'Enter the legal entity’s name.' } }, status: 400 });
    await accounts.addLegalEntity(actor(me), me.businessId, name);
    setFlash(reply, deps.cookies, `The legal entity “${name}” was added.`);
    return seeOther(reply, '/business/organization');
  });

  app.post('/groups', async (request, reply) => {
    const me = await admin(request);
    const b = bodyOf(request);
    const v = { name: text(b, 'name').trim(), groupTag: text(b, 'groupTag').trim() };
    const errors: FieldErrors = {};
    if (!v.name) errors.name = 'Enter the group’s name.';
    if (!v.groupTag) errors.groupTag = 'Enter a groupTag.';
    else if (!/^[A-Za-z0-9._-]{1,64}$/.test(v.groupTag)) errors.groupTag = 'Use letters, digits, dots, dashes or underscores (at most 64).';
    if (hasErrors(errors)) return sendOrg(request, reply, { group: { ...v, errors }, status: 400 });
    try {
      await accounts.addGroup(actor(me), me.businessId, v);
    } catch (err) {
      if (err instanceof AppError && err.code === 'Conflict')
        return sendOrg(request, reply, { group: { ...v, errors: { groupTag: err.message } }, status: 409 });
      throw err;
    }
    setFlash(reply, deps.cookies, `The group “${v.name}” was added.`);
    return seeOther(reply, '/business/organization');
  });

  const sendPolicies = async (
    request: FastifyRequest,
    reply: FastifyReply,
    v = { guidance: 'PREFERRED', matchType: 'brand', value: '' },
    errors: FieldErrors = {},
    status = 200,
  ) => {
    const me = await admin(request);
    const csrf = csrfOf(request);
    const policies = await accounts.listPolicies(me.businessId);
    const body = html`<h1>Buying policies</h1><p>Policies mark products as preferred, restricted or blocked for your buyers in product search.</p>
      ${
        policies.length
          ? html`<table><thead><tr><th scope="col">Guidance</th><th scope="col">Match</th><th scope="col">Value</th><th scope="col">Action</th></tr></thead><tbody>${policies.map(
              (
                p,
              ) => html`<tr><td data-label="Guidance">${p.guidance}</td><td data-label="Match">${p.matchType}</td><td data-label="Value"><code>${p.value}</code></td>
              <td data-label="Action">${actionButton({ action: `/business/policies/${p.id}/remove`, csrf, label: html`Remove<span class="sr-only"> ${p.matchType} ${p.value}</span>`, variant: 'secondary' })}</td></tr>`,
            )}</tbody></table>`
          : html`<div class="panel empty"><p>No buying policies yet — add one below.</p></div>`
      }
      <h2>Add policy</h2>${errorSummary(errors)}
      <form method="post" action="/business/policies" class="panel" novalidate>${csrfField(csrf)}
        ${select({ name: 'guidance', label: 'Guidance', options: GUIDANCE.map((g) => ({ value: g, label: g })), value: v.guidance, error: errors.guidance })}
        ${select({ name: 'matchType', label: 'Match on', options: MATCH.map((m) => ({ value: m, label: m })), value: v.matchType, error: errors.matchType })}
        ${input({ name: 'value', label: 'Value', value: v.value, error: errors.value, required: true, hint: 'An ASIN, a brand name or a category, matching the choice above.' })}
        <div class="actions"><button type="submit">Add policy</button></div></form>`;
    return sendPage(request, reply, AREA, 'Buying policies', body, status);
  };
  app.get('/policies', async (request, reply) => sendPolicies(request, reply));

  app.post('/policies', async (request, reply) => {
    const me = await admin(request);
    const b = bodyOf(request);
    const v = { guidance: text(b, 'guidance'), matchType: text(b, 'matchType'), value: text(b, 'value').trim() };
    const errors: FieldErrors = {};
    if (!(GUIDANCE as string[]).includes(v.guidance)) errors.guidance = 'Choose a guidance.';
    if (!(MATCH as string[]).includes(v.matchType)) errors.matchType = 'Choose what to match on.';
    if (!v.value) errors.value = 'Enter the value to match.';
    if (hasErrors(errors)) return sendPolicies(request, reply, v, errors, 400);
    try {
      await accounts.addPolicy(actor(me), me.businessId, {
        guidance: v.guidance as BuyingPolicy['guidance'],
        matchType: v.matchType as BuyingPolicy['matchType'],
        value: v.value,
      });
    } catch (err) {
      if (err instanceof AppError && err.status < 500) return sendPolicies(request, reply, v, { value: err.message }, err.status);
      throw err;
    }
    setFlash(reply, deps.cookies, `The ${v.guidance} policy for ${v.matchType} “${v.value}” was added.`);
    return seeOther(reply, '/business/policies');
  });

  app.post('/policies/:id/remove', async (request, reply) => {
    const me = await admin(request);
    await accounts.removePolicy(actor(me), me.businessId, (request.params as { id: string }).id);
    setFlash(reply, deps.cookies, 'The policy was removed.');
    return seeOther(reply, '/business/policies');
  });
}

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, notFound } from '../../kernel/errors.ts';
import { MARKETPLACES } from '../../kernel/reference.ts';
import { html } from '../../platform/http/html.ts';
import { orderFacts, orderTables, statusBadge } from './business.orders.ts';
import {
  badge,
  bodyOf,
  choices,
  csrfField,
  errorSummary,
  hasErrors,
  input,
  isEmail,
  lines,
  select,
  text,
  textarea,
  time,
  values,
  type FieldErrors,
} from './forms.ts';
import { seeOther, sendPage, type PortalDeps } from './layout.ts';
import { csrfOf, OPERATOR_AREA as AREA, operatorActor, setFlash } from './session.ts';
import { profileBadge } from './developer.account.ts';
import { userStatusBadge } from './business.pages.ts';

interface NewBusiness {
  name: string;
  marketplaces: string[];
  legalEntities: string;
  adminEmail: string;
  adminName: string;
}

/** Businesses (list, create, detail) and developers (list, link to a business). */
export function operatorRecordPages(app: FastifyInstance, deps: PortalDeps): void {
  const { accounts, developers, oauth } = deps.services;

  const sendBusinesses = async (request: FastifyRequest, reply: FastifyReply, v?: NewBusiness, errors: FieldErrors = {}, status = 200) => {
    const list = await accounts.listBusinesses();
    const f = v ?? { name: '', marketplaces: ['US'], legalEntities: '', adminEmail: '', adminName: '' };
    const body = html`<h1>Businesses</h1>
      ${
        list.length
          ? html`<div class="table-wrap"><table><thead><tr><th scope="col">Business</th><th scope="col">Marketplaces</th><th scope="col">Created</th></tr></thead><tbody>${list.map(
              (b) =>
                html`<tr><td data-label="Business"><a href="/console/businesses/${b.id}">${b.name}</a><br><code>${b.id}</code></td><td data-label="Marketplaces">${b.marketplaces.join(', ')}</td><td data-label="Created">${time(b.createdAt)}</td></tr>`,
            )}</tbody></table></div>`
          : html`<div class="panel empty"><p>No businesses yet — create one below.</p></div>`
      }
      <h2 id="create">Create business</h2>${errorSummary(errors)}
      <form method="post" action="/console/businesses" class="panel" novalidate>${csrfField(csrfOf(request))}
        ${input({ name: 'name', label: 'Business name', value: f.name, error: errors.name, required: true })}
        ${choices({ name: 'marketplaces', legend: 'Marketplaces', options: MARKETPLACES.map((m) => ({ value: m.code, label: `${m.code} — ${m.country} (${m.region})` })), checked: f.marketplaces, error: errors.marketplaces })}
        ${textarea({ name: 'legalEntities', label: 'Legal entities (optional)', value: f.legalEntities, error: errors.legalEntities, rows: 2, hint: 'One per line; by default one legal entity named like the business.' })}
        ${input({ name: 'adminEmail', label: 'First administrator’s email', type: 'email', value: f.adminEmail, error: errors.adminEmail, required: true, autocomplete: 'off' })}
        ${input({ name: 'adminName', label: 'First administrator’s name', value: f.adminName, error: errors.adminName, autocomplete: 'off' })}
        ${input({ name: 'adminPassword', label: 'First administrator’s password', type: 'password', error: errors.adminPassword, required: true, autocomplete: 'new-password', hint: 'At least 10 characters; they sign in at /business and on the consent page.' })}
        <div class="actions"><button type="submit">Create business</button></div></form>`;
    return sendPage(request, reply, AREA, 'Businesses', body, status);
  };
  app.get('/businesses', async (request, reply) => sendBusinesses(request, reply));

  app.post('/businesses', async (request, reply) => {
    const b = bodyOf(request);
    const v: NewBusiness = {
      name: text(b, 'name').trim(),
      marketplaces: values(b, 'marketplaces'),
      legalEntities: text(b, 'legalEntities'),
      adminEmail: text(b, 'adminEmail').trim(),
      adminName: text(b, 'adminName').trim(),
    };
    const password = text(b, 'adminPassword');
    const errors: FieldErrors = {};
    if (!v.name) errors.name = 'Enter the business name.';
    if (v.marketplaces.length === 0) errors.marketplaces = 'Choose at least one marketplace.';
    else if (v.marketplaces.some((c) => !MARKETPLACES.some((m) => m.code === c)))
      errors.marketplaces = 'Choose marketplaces from the list.';
    if (!isEmail(v.adminEmail)) errors.adminEmail = 'Enter an email address like name@example.com.';
    else if (await accounts.findUserByEmail(v.adminEmail)) errors.adminEmail = 'A business user with this email exists already.';
    if (password.length < 10) errors.adminPassword = 'Use at least 10 characters.';
    if (hasErrors(errors)) return sendBusinesses(request, reply, v, errors, 400);
    const actor = operatorActor(request);
    const business = await accounts.createBusiness(actor, {
      name: v.name,
      marketplaces: v.marketplaces,
      legalEntities: lines(v.legalEntities),
    });
    const les = await accounts.listLegalEntities(business.id);
    try {
      await accounts.addUser(actor, business.id, {
        email: v.adminEmail,
        name: v.adminName,
        role: 'Administrator',
        password,
        adminOfLegalEntityIds: les.map((l) => l.id),
      });
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500) throw err;
      setFlash(reply, deps.cookies, `The business was created, but its administrator was not: ${err.message}`, 'error');
      return seeOther(reply, `/console/businesses/${business.id}`);
    }
    setFlash(reply, deps.cookies, `“${business.name}” was created with ${v.adminEmail} as administrator of every legal entity.`);
    return seeOther(reply, `/console/businesses/${business.id}`);
  });

  app.get('/businesses/:id', async (request, reply) => {
    const business = await accounts.getBusiness((request.params as { id: string }).id);
    const [les, groups, users, policies, auths, devs, orders] = await Promise.all([
      accounts.listLegalEntities(business.id),
      accounts.listGroups(business.id),
      accounts.listUsers(business.id),
      accounts.listPolicies(business.id),
      oauth.listAuthorizations({ businessId: business.id }),
      developers.listDevelopers(),
      deps.services.purchasing.list(business.id, 100),
    ]);
    const linked = devs.filter((d) => d.businessId === business.id);
    const body = html`<p><a href="/console/businesses">← Businesses</a></p><h1>${business.name}</h1>
      <dl class="meta"><dt>ID</dt><dd><code>${business.id}</code></dd><dt>Marketplaces</dt><dd>${business.marketplaces.join(', ')}</dd><dt>Created</dt><dd>${time(business.createdAt)}</dd>
        <dt>Legal entities</dt><dd>${les.map((l) => l.name).join(', ') || '—'}</dd><dt>Groups</dt><dd>${groups.map((g) => `${g.name} (${g.groupTag})`).join(', ') || '—'}</dd>
        <dt>Developers of this business</dt><dd>${linked.map((d) => d.email).join(', ') || '—'}</dd>
        <dt>API calls</dt><dd><a href="/console/requests?business=${encodeURIComponent(business.id)}">Calls made for this business</a></dd></dl>
      <h2>Users</h2>
      ${
        users.length
          ? html`<div class="table-wrap"><table><thead><tr><th scope="col">User</th><th scope="col">Role</th><th scope="col">Status</th><th scope="col">MACE</th><th scope="col">Admin of</th></tr></thead><tbody>${users.map(
              (u) =>
                html`<tr><td data-label="User">${u.name}<br>${u.email}</td><td data-label="Role">${u.role}</td><td data-label="Status">${userStatusBadge(u.status)}</td><td data-label="MACE">${u.maceHold ? badge('Held by MACE', 'warn') : badge('Cleared', 'ok')}</td><td data-label="Admin of">${u.adminOfLegalEntityIds.length} of ${les.length} legal entities</td></tr>`,
            )}</tbody></table></div>`
          : html`<p class="muted">No users.</p>`
      }
      <h2>Buying policies</h2>${policies.length ? html`<ul>${policies.map((p) => html`<li>${p.guidance} ${p.matchType} <code>${p.value}</code></li>`)}</ul>` : html`<p class="muted">No buying policies.</p>`}
      <h2>Authorizations</h2>
      ${
        auths.length
          ? html`<div class="table-wrap"><table><thead><tr><th scope="col">App</th><th scope="col">Region</th><th scope="col">Marketplace</th><th scope="col">Since</th><th scope="col">Action</th></tr></thead><tbody>${auths.map(
              (
                a,
              ) => html`<tr><td data-label="App"><a href="/console/apps/${a.appId}">${a.appName}</a></td><td data-label="Region">${a.region}</td><td data-label="Marketplace">${a.marketplace}</td><td data-label="Since">${time(a.createdAt)}</td>
              <td data-label="Action"><a class="button danger" href="/console/authorizations/${a.id}/revoke?back=${encodeURIComponent(`/console/businesses/${business.id}`)}">Revoke<span class="sr-only"> ${a.appName} ${a.marketplace}</span></a></td></tr>`,
            )}</tbody></table></div>`
          : html`<p class="muted">No app is authorized by this business.</p>`
      }
      <h2>Orders</h2>
      ${
        orders.length
          ? html`<div class="table-wrap"><table><thead><tr><th scope="col">Order</th><th scope="col">Placed</th><th scope="col">Buyer</th><th scope="col">Status</th><th scope="col">Lines accepted</th></tr></thead><tbody>${orders.map(
              (o) =>
                html`<tr><td data-label="Order"><a href="/console/orders/${o.id}">${o.orderIdentifier}</a><br><span class="muted">${o.externalId}</span></td><td data-label="Placed">${time(o.placedAt)}</td>
                <td data-label="Buyer">${o.buyerEmail}</td><td data-label="Status">${statusBadge(o)}</td><td data-label="Lines accepted">${o.lines.filter((l) => l.accepted > 0).length} of ${o.lines.length}</td></tr>`,
            )}</tbody></table></div><p class="muted">The newest 100. The emulator's order controls are under <code>/_emulator/ordering</code> (<a href="/docs/ordering">the Ordering guide</a>).</p>`
          : html`<p class="muted">No orders placed through the Ordering API yet.</p>`
      }`;
    return sendPage(request, reply, AREA, business.name, body);
  });

  app.get('/orders/:id', async (request, reply) => {
    const o = await deps.services.purchasing.get((request.params as { id: string }).id);
    const business = await accounts.getBusiness(o.businessId);
    const body = html`<p><a href="/console/businesses/${business.id}">← ${business.name}</a></p><h1>Order ${o.orderIdentifier}</h1><p><a href="/console/requests?order=${encodeURIComponent(o.orderIdentifier)}">API calls of this order</a></p>${orderFacts(o)}${orderTables(o)}`;
    return sendPage(request, reply, AREA, `Order ${o.orderIdentifier}`, body);
  });

  app.get('/developers', async (request, reply) => {
    const csrf = csrfOf(request);
    const [devs, businesses] = await Promise.all([developers.listDevelopers(), accounts.listBusinesses()]);
    const options = [{ value: '', label: 'No business' }, ...businesses.map((b) => ({ value: b.id, label: b.name }))];
    const body = html`<h1>Developers</h1><p class="muted">Linking a developer to a business lets that business’s administrators self-authorize the developer’s private apps.</p>
      ${
        devs.length
          ? html`<div class="table-wrap"><table><thead><tr><th scope="col">Developer</th><th scope="col">Profile</th><th scope="col">Approved roles</th><th scope="col">Apps</th><th scope="col">Business</th></tr></thead><tbody>${devs.map(
              (
                d,
              ) => html`<tr><td data-label="Developer">${d.name}<br>${d.email}</td><td data-label="Profile">${profileBadge(d.profile.status)}</td><td data-label="Approved roles">${d.profile.approvedRoles.join(', ') || '—'}</td><td data-label="Apps">${d.appCount}</td>
              <td data-label="Business"><form method="post" action="/console/developers/${d.id}/business">${csrfField(csrf)}${select({ name: 'businessId', idPrefix: `${d.id}-`, label: `Business of ${d.email}`, options, value: d.businessId ?? '' })}<button type="submit" class="secondary">Save<span class="sr-only"> business of ${d.email}</span></button></form></td></tr>`,
            )}</tbody></table></div>`
          : html`<div class="panel empty"><p>No developers have registered yet.</p></div>`
      }`;
    return sendPage(request, reply, AREA, 'Developers', body);
  });

  app.post('/developers/:id/business', async (request, reply) => {
    const id = (request.params as { id: string }).id;
    const dev = await developers.getDeveloper(id);
    const businessId = text(bodyOf(request), 'businessId') || null;
    if (businessId) await accounts.getBusiness(businessId);
    await developers.setBusiness(operatorActor(request), dev.id, businessId);
    setFlash(reply, deps.cookies, `${dev.email} is ${businessId ? 'linked to the business' : 'no longer linked to a business'}.`);
    return seeOther(reply, '/console/developers');
  });

  const backOf = (value: unknown): string =>
    typeof value === 'string' && /^\/console\/(businesses|apps)\/[A-Za-z0-9_-]+$/.test(value) ? value : '/console';

  // Revoking stops the authorization's tokens at once: the operator confirms it, as a business admin does.
  app.get('/authorizations/:id/revoke', async (request, reply) => {
    const id = (request.params as { id: string }).id;
    const back = backOf((request.query as Record<string, unknown>).back);
    const a = (await oauth.listAuthorizations({})).find((x) => x.id === id);
    if (!a) throw notFound(`Authorization ${id}`);
    const business = a.businessId ? ((await accounts.findBusiness(a.businessId))?.name ?? a.businessId) : null;
    const body = html`<p><a href="${back}">← Back</a></p><h1>Revoke ${a.appName}${business ? html` for ${business}` : ''}?</h1>
      <div class="panel error"><p>${a.appName} loses access ${business ? html`to ${business} ` : 'with its sandbox token '}in the ${a.marketplace} marketplace (${a.environment}, ${a.region}) at once: its refresh tokens and access tokens stop working. It needs a new consent to get access again.</p></div>
      <form method="post" action="/console/authorizations/${a.id}/revoke">${csrfField(csrfOf(request))}<input type="hidden" name="back" value="${back}"><div class="actions"><button type="submit" class="danger">Revoke access</button><a class="button secondary" href="${back}">Cancel</a></div></form>`;
    return sendPage(request, reply, AREA, `Revoke ${a.appName}`, body);
  });

  app.post('/authorizations/:id/revoke', async (request, reply) => {
    const id = (request.params as { id: string }).id;
    await oauth.revokeAuthorization(operatorActor(request), id);
    const back = backOf(text(bodyOf(request), 'back'));
    setFlash(reply, deps.cookies, 'The authorization was revoked; its tokens stopped working.');
    return seeOther(reply, back);
  });
}

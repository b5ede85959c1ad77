import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, notFound } from '../../kernel/errors.ts';
import { BUSINESS_USER_ROLES, marketplaceByCode, REGIONS, type BusinessUserRole } from '../../kernel/reference.ts';
import { html } from '../../platform/http/html.ts';
import { mayManage, notGrantableBy, type BusinessUser, type BusinessUserStatus } from '../accounts/index.ts';
import {
  actionButton,
  badge,
  bodyOf,
  checkbox,
  choices,
  csrfField,
  errorSummary,
  hasErrors,
  input,
  isEmail,
  select,
  text,
  time,
  values,
  type FieldErrors,
} from './forms.ts';
import { installArea, seeOther, sendError, sendPage, type PortalDeps } from './layout.ts';
import { BUSINESS_AREA as AREA, csrfOf, safeNext, setFlash } from './session.ts';
import { allowAttempt, emailPasswordFields, readEmailPassword, sendSignInPage, signOutRoute, startSession } from './signin.ts';
import { businessOrganizationPages } from './business.organization.ts';
import { businessCartPages } from './business.carts.ts';
import { businessOrderPages } from './business.orders.ts';
import { businessInvoicePages } from './business.invoices.ts';

/** A marketplace as the pages show it: its code and country (UK — United Kingdom). */
const marketplaceName = (code: string): string => {
  const m = marketplaceByCode(code);
  return m ? `${m.code} — ${m.country}` : code;
};

const signInForm = {
  intro: html`<p>Sign in with your Amazon Business administrator account to manage users, groups, buying policies and the apps you authorized.</p>`,
  fields: emailPasswordFields,
};

/** 403 for a change to a user who administers a legal entity the acting administrator does not. */
const notYours = (u: BusinessUser): AppError =>
  new AppError(
    'Forbidden',
    `${u.email} administers legal entities you do not, so you cannot change this account. Ask an administrator of every legal entity.`,
  );

export const MACE_HINT =
  'While account matching (MACE) holds an email, API calls that send it in x-amz-user-email fail with “Email is not authorized”.';

export const PENDING_HINT =
  'Users created by an app through the User Management API start pending: API calls that send their email in x-amz-user-email fail with “Email is not authorized” until they are activated.';

/** A business user's status as the pages show it. */
export const userStatusBadge = (status: BusinessUserStatus) =>
  status === 'active' ? badge('Active', 'ok') : status === 'pending' ? badge('Pending', 'warn') : badge('Disabled', 'bad');

interface NewUserValues {
  name: string;
  email: string;
  role: string;
  adminOf: string[];
  groups: string[];
  maceHold: boolean;
}

/** The business admin pages under /business (Administrators of the business only). */
export async function businessAdmin(app: FastifyInstance, deps: PortalDeps): Promise<void> {
  const { accounts } = deps.services;
  installArea(app, deps.services, AREA, async (session) => {
    const user = await accounts.getUser(session.subjectId).catch(() => null);
    if (!user || user.status !== 'active') return { ok: false, reason: 'gone' };
    if (user.role !== 'Administrator')
      return {
        ok: false,
        reason: 'forbidden',
        message: 'Only administrators of the business account can use these pages. Sign out and sign in with an administrator account.',
      };
    return { ok: true, label: user.email };
  });
  signOutRoute(app, deps, AREA);

  app.get('/signin', { config: { portalPublic: true } }, async (request, reply) => sendSignInPage(deps, request, reply, AREA, signInForm));
  app.post('/signin', { config: { portalPublic: true } }, async (request, reply) => {
    const { email, password, next, errors } = readEmailPassword(request);
    const kept = { email, next };
    if (hasErrors(errors)) return sendSignInPage(deps, request, reply, AREA, signInForm, { values: kept, errors, status: 400 });
    if (!(await allowAttempt(deps, request, email)))
      return sendSignInPage(deps, request, reply, AREA, signInForm, {
        values: kept,
        errors: { _form: 'Too many sign-in attempts. Try again in a few minutes.' },
        status: 429,
      });
    const user = await accounts.authenticate(email, password);
    if (!user)
      return sendSignInPage(deps, request, reply, AREA, signInForm, {
        values: kept,
        errors: { password: 'The email or password is wrong.' },
        status: 401,
      });
    await deps.signInLimiter.succeeded(request.ip, email);
    if (user.role !== 'Administrator') {
      return sendError(
        request,
        reply,
        AREA,
        403,
        'Administrators only',
        'Your account is not an administrator of its business, so it cannot manage the business settings. Ask an administrator.',
      );
    }
    await startSession(deps, request, reply, AREA, user.id);
    return seeOther(reply, safeNext(AREA, next));
  });

  /** The signed-in administrator (the guard has checked the role). */
  const admin = async (request: FastifyRequest): Promise<BusinessUser> => accounts.getUser(request.portal!.session.subjectId);
  /** A user of the administrator's own business; anyone else's is a 404. */
  const ownUser = async (request: FastifyRequest, me: BusinessUser): Promise<BusinessUser> => {
    const id = (request.params as { id: string }).id;
    const u = await accounts.getUser(id).catch(() => null);
    if (!u || u.businessId !== me.businessId) throw notFound(`User ${id}`);
    return u;
  };

  app.get('/', async (request, reply) => {
    const me = await admin(request);
    const business = await accounts.getBusiness(me.businessId);
    const [users, les, groups, policies, auths, orders] = await Promise.all([
      accounts.listUsers(business.id),
      accounts.listLegalEntities(business.id),
      accounts.listGroups(business.id),
      accounts.listPolicies(business.id),
      deps.services.oauth.listAuthorizations({ businessId: business.id }),
      deps.services.purchasing.list(business.id, 500),
    ]);
    const card = (href: string, title: string, count: number, what: string) =>
      html`<div class="panel"><h2><a href="${href}">${title}</a></h2><p>${count} ${what}</p></div>`;
    const body = html`<h1>${business.name}</h1><p>Marketplaces: ${business.marketplaces.join(', ')}. Signed in as ${me.name} (${me.email}).</p>
      <div class="cards">${card('/business/users', 'Users', users.length, 'people')}${card('/business/organization', 'Legal entities & groups', les.length + groups.length, 'entries')}
      ${card('/business/policies', 'Buying policies', policies.length, 'policies')}${card('/business/apps', 'Authorized apps', auths.length, 'authorizations')}
      ${card('/business/orders', 'Orders', orders.length, `orders (${orders.filter((o) => o.status === 'PENDING_APPROVAL').length} waiting for approval)`)}</div>`;
    return sendPage(request, reply, AREA, business.name, body);
  });

  const sendUsers = async (request: FastifyRequest, reply: FastifyReply, v?: NewUserValues, errors: FieldErrors = {}, status = 200) => {
    const me = await admin(request);
    const csrf = csrfOf(request);
    const [users, les, groups] = await Promise.all([
      accounts.listUsers(me.businessId),
      accounts.listLegalEntities(me.businessId),
      accounts.listGroups(me.businessId),
    ]);
    const leName = new Map(les.map((l) => [l.id, l.name]));
    const groupName = new Map(groups.map((g) => [g.id, g.name]));
    const values0 = v ?? { name: '', email: '', role: 'Requisitioner', adminOf: [], groups: [], maceHold: false };
    const rows = users.map((u) => {
      const self = u.id === me.id;
      const forUser = html`<span class="sr-only"> (${u.email})</span>`;
      return html`<tr>
        <td data-label="User"><strong>${u.name}</strong><br>${u.email}${self ? html` <span class="muted">(you)</span>` : ''}</td>
        <td data-label="Role">${u.role}${u.adminOfLegalEntityIds.length ? html`<br><span class="muted">Admin of ${u.adminOfLegalEntityIds.map((id) => leName.get(id) ?? id).join(', ')}</span>` : ''}</td>
        <td data-label="Groups">${u.groupIds.map((id) => groupName.get(id) ?? id).join(', ') || '—'}</td>
        <td data-label="Status">${userStatusBadge(u.status)}</td>
        <td data-label="MACE">${u.maceHold ? badge('Held by MACE', 'warn') : badge('Cleared', 'ok')}</td>
        <td data-label="Actions"><div class="row-actions">
          ${self ? html`<span class="muted">—</span>` : !mayManage(me, u) ? html`<span class="muted">Administers legal entities you do not</span>` : u.status === 'pending' ? actionButton({ action: `/business/users/${u.id}/activate`, csrf, label: html`Activate${forUser}` }) : actionButton({ action: `/business/users/${u.id}/status`, csrf, label: html`${u.status === 'active' ? 'Disable' : 'Enable'}${forUser}`, variant: 'secondary', fields: { status: u.status === 'active' ? 'disabled' : 'active' } })}
          ${!mayManage(me, u) ? '' : actionButton({ action: `/business/users/${u.id}/mace`, csrf, label: html`${u.maceHold ? 'Clear MACE hold' : 'Hold for MACE'}${forUser}`, variant: 'secondary', fields: { maceHold: u.maceHold ? 'off' : 'on' } })}
        </div></td></tr>`;
    });
    const pending = users.some((u) => u.status === 'pending') ? html`<p class="muted">${PENDING_HINT}</p>` : '';
    const body = html`<h1>Users</h1><p class="muted">${MACE_HINT}</p>${pending}
      <div class="table-wrap"><table><thead><tr><th scope="col">User</th><th scope="col">Role</th><th scope="col">Groups</th><th scope="col">Status</th><th scope="col">MACE</th><th scope="col">Actions</th></tr></thead><tbody>${rows}</tbody></table></div>
      <h2 id="add-user">Add user</h2>${errorSummary(errors)}
      <form method="post" action="/business/users" class="panel" novalidate>${csrfField(csrf)}
        ${input({ name: 'name', label: 'Name', value: values0.name, error: errors.name, autocomplete: 'off' })}
        ${input({ name: 'email', label: 'Email', type: 'email', value: values0.email, error: errors.email, required: true, autocomplete: 'off' })}
        ${select({ name: 'role', label: 'Role', options: BUSINESS_USER_ROLES.map((r) => ({ value: r, label: r })), value: values0.role, error: errors.role })}
        ${input({ name: 'password', label: 'Password (optional)', type: 'password', error: errors.password, autocomplete: 'new-password', hint: 'At least 10 characters. Needed only for people who sign in here or to the consent page.' })}
        ${choices({ name: 'adminOf', legend: 'Administrator of legal entities', options: les.filter((l) => me.adminOfLegalEntityIds.includes(l.id)).map((l) => ({ value: l.id, label: l.name })), checked: values0.adminOf, error: errors.adminOf, hint: 'Administrators only, and only of the legal entities you administer yourself. Authorizing apps needs an administrator of every legal entity.', empty: 'No legal entities yet.' })}
        ${choices({ name: 'groups', legend: 'Groups', options: groups.map((g) => ({ value: g.id, label: `${g.name} (${g.groupTag})` })), checked: values0.groups, error: errors.groups, empty: html`No groups yet. <a href="/business/organization">Add a group</a>.` })}
        ${checkbox({ name: 'maceHold', label: 'Held by account matching (MACE)', checked: values0.maceHold, hint: MACE_HINT })}
        <div class="actions"><button type="submit">Add user</button></div>
      </form>`;
    return sendPage(request, reply, AREA, 'Users', body, status);
  };

  app.get('/users', async (request, reply) => sendUsers(request, reply));
  app.post('/users', async (request, reply) => {
    const me = await admin(request);
    const b = bodyOf(request);
    const v: NewUserValues = {
      name: text(b, 'name').trim(),
      email: text(b, 'email').trim(),
      role: text(b, 'role'),
      adminOf: values(b, 'adminOf'),
      groups: values(b, 'groups'),
      maceHold: text(b, 'maceHold') === 'on',
    };
    const password = text(b, 'password');
    const errors: FieldErrors = {};
    if (!isEmail(v.email)) errors.email = 'Enter an email address like name@example.com.';
    if (!(BUSINESS_USER_ROLES as readonly string[]).includes(v.role)) errors.role = 'Choose a role.';
    if (password && password.length < 10) errors.password = 'Use at least 10 characters, or leave it empty.';
    if (v.adminOf.length && v.role !== 'Administrator')
      errors.adminOf = 'Only an Administrator can administer legal entities; choose the Administrator role or clear these boxes.';
    const les = new Set((await accounts.listLegalEntities(me.businessId)).map((l) => l.id));
    const groups = new Set((await accounts.listGroups(me.businessId)).map((g) => g.id));
    if (v.adminOf.some((id) => !les.has(id))) errors.adminOf = 'Choose legal entities from the list.';
    else if (notGrantableBy(me, v.adminOf).length)
      errors.adminOf = 'You can make someone an administrator only of the legal entities you administer yourself.';
    if (v.groups.some((id) => !groups.has(id))) errors.groups = 'Choose groups from the list.';
    if (hasErrors(errors)) return sendUsers(request, reply, v, errors, 400);
    try {
      await accounts.addUser(`business_user:${me.id}`, me.businessId, {
        email: v.email,
        name: v.name,
        role: v.role as BusinessUserRole,
        password: password || undefined,
        maceHold: v.maceHold,
        adminOfLegalEntityIds: v.adminOf,
        groupIds: v.groups,
      });
    } catch (err) {
      if (err instanceof AppError && err.code === 'Conflict') return sendUsers(request, reply, v, { email: err.message }, 409);
      if (err instanceof AppError && err.status < 500) return sendUsers(request, reply, v, { _form: err.message }, err.status);
      throw err;
    }
    setFlash(reply, deps.cookies, `${v.email} was added.`);
    return seeOther(reply, '/business/users');
  });

  app.post('/users/:id/status', async (request, reply) => {
    const me = await admin(request);
    const u = await ownUser(request, me);
    const status = text(bodyOf(request), 'status');
    if (status !== 'active' && status !== 'disabled') throw new AppError('ValidationError', 'Choose active or disabled.');
    if (u.id === me.id) throw new AppError('ValidationError', 'You cannot disable your own account.');
    if (u.status === 'pending') throw new AppError('InvalidState', `${u.email} is pending: activate it first.`);
    if (!mayManage(me, u)) throw notYours(u);
    await accounts.updateUser(`business_user:${me.id}`, u.id, { status });
    setFlash(reply, deps.cookies, `${u.email} is ${status === 'active' ? 'enabled' : 'disabled'}.`);
    return seeOther(reply, '/business/users');
  });

  app.post('/users/:id/activate', async (request, reply) => {
    const me = await admin(request);
    const u = await ownUser(request, me);
    if (!mayManage(me, u)) throw notYours(u);
    await accounts.activateUser(`business_user:${me.id}`, u.id);
    setFlash(reply, deps.cookies, `${u.email} is activated: its email now works in x-amz-user-email.`);
    return seeOther(reply, '/business/users');
  });

  app.post('/users/:id/mace', async (request, reply) => {
    const me = await admin(request);
    const u = await ownUser(request, me);
    const hold = text(bodyOf(request), 'maceHold') === 'on';
    if (!mayManage(me, u)) throw notYours(u);
    await accounts.updateUser(`business_user:${me.id}`, u.id, { maceHold: hold });
    setFlash(reply, deps.cookies, hold ? `${u.email} is now held by account matching (MACE).` : `The MACE hold on ${u.email} was cleared.`);
    return seeOther(reply, '/business/users');
  });

  businessOrganizationPages(app, deps, admin);
  businessOrderPages(app, deps, admin);
  businessCartPages(app, deps, admin);
  businessInvoicePages(app, deps, admin);

  app.get('/apps', async (request, reply) => {
    const me = await admin(request);
    const auths = (await deps.services.oauth.listAuthorizations({ businessId: me.businessId })).filter(
      (a) => a.environment === 'production',
    );
    const developerOf = new Map<string, string>();
    for (const a of auths) {
      if (developerOf.has(a.appId)) continue;
      const record = await deps.services.apps.get(a.appId).catch(() => null);
      const dev = record ? await deps.services.developers.getDeveloper(record.developerId).catch(() => null) : null;
      developerOf.set(a.appId, dev?.name ?? '—');
    }
    const sections = REGIONS.map((region) => {
      const list = auths.filter((a) => a.region === region);
      const table = list.length
        ? html`<div class="table-wrap"><table><thead><tr><th scope="col">App</th><th scope="col">Developer</th><th scope="col">Marketplace</th><th scope="col">Authorized</th><th scope="col">Action</th></tr></thead><tbody>${list.map(
            (
              a,
            ) => html`<tr><td data-label="App"><strong>${a.appName}</strong><br><code>${a.applicationId}</code></td><td data-label="Developer">${developerOf.get(a.appId)}</td><td data-label="Marketplace">${marketplaceName(a.marketplace)}</td><td data-label="Authorized">${time(a.createdAt)}</td>
              <td data-label="Action"><a class="button danger" href="/business/apps/${a.id}/revoke">Revoke<span class="sr-only"> ${a.appName} in ${a.marketplace}</span></a></td></tr>`,
          )}</tbody></table></div>`
        : html`<p class="muted">No apps are authorized in this region.</p>`;
      return html`<h2>${region} region</h2>${table}`;
    });
    const body = html`<h1>Authorized apps</h1><p>Each authorization covers one marketplace: an app that works in several of your marketplaces was authorized in each. Revoking one stops the app’s refresh and access tokens for that marketplace at once (the others keep working); the app needs a new consent there to get access again.</p>
      ${sections}`;
    return sendPage(request, reply, AREA, 'Authorized apps', body);
  });

  const ownAuthorization = async (request: FastifyRequest, me: BusinessUser) => {
    const id = (request.params as { id: string }).id;
    const found = (await deps.services.oauth.listAuthorizations({ businessId: me.businessId })).find((a) => a.id === id);
    if (!found) throw notFound(`Authorization ${id}`);
    return found;
  };
  app.get('/apps/:id/revoke', async (request, reply) => {
    const me = await admin(request);
    const a = await ownAuthorization(request, me);
    const body = html`<p><a href="/business/apps">← Authorized apps</a></p><h1>Revoke ${a.appName}?</h1>
      <div class="panel error"><p>${a.appName} loses access to your business in the ${marketplaceName(a.marketplace)} marketplace at once: its refresh tokens and access tokens for that marketplace stop working. Its authorizations in your other marketplaces stay.</p></div>
      <form method="post" action="/business/apps/${a.id}/revoke">${csrfField(csrfOf(request))}<div class="actions"><button type="submit" class="danger">Revoke access</button><a class="button secondary" href="/business/apps">Cancel</a></div></form>`;
    return sendPage(request, reply, AREA, `Revoke ${a.appName}`, body);
  });
  app.post('/apps/:id/revoke', async (request, reply) => {
    const me = await admin(request);
    const a = await ownAuthorization(request, me);
    await deps.services.oauth.revokeAuthorization(`business_user:${me.id}`, a.id, me.businessId);
    setFlash(reply, deps.cookies, `${a.appName} no longer has access in the ${marketplaceName(a.marketplace)} marketplace.`);
    return seeOther(reply, '/business/apps');
  });
}

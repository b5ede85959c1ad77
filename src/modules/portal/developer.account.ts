import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../kernel/errors.ts';
import { ROLES, ROLE_APIS, type Role } from '../../kernel/reference.ts';
import { html, type Html } from '../../platform/http/html.ts';
import type { DeveloperProfile } from '../developers/index.ts';
import type { Review } from '../developers/index.ts';
import {
  badge,
  bodyOf,
  choices,
  csrfField,
  errorSummary,
  hasErrors,
  input,
  isEmail,
  text,
  textarea,
  time,
  values,
  type BadgeTone,
  type FieldErrors,
} from './forms.ts';
import { seeOther, sendPage, type PortalDeps } from './layout.ts';
import { csrfOf, DEVELOPER_AREA as AREA, preLoginCsrf, safeNext, setFlash } from './session.ts';
import { allowAttempt, emailPasswordFields, readEmailPassword, sendSignInPage, startSession } from './signin.ts';

const PROFILE_TONE: Record<DeveloperProfile['status'], BadgeTone> = { draft: 'neutral', submitted: 'warn', approved: 'ok', denied: 'bad' };
export const profileBadge = (status: DeveloperProfile['status']): Html =>
  badge({ draft: 'Draft', submitted: 'In review', approved: 'Approved', denied: 'Denied' }[status], PROFILE_TONE[status]);

export const REVIEW_KIND_LABEL: Record<Review['kind'], string> = {
  profile: 'Developer profile',
  role_request: 'Role request',
  listing: 'Listing',
  tps: 'Higher TPS',
  privileged_fields: 'Privileged fields',
};
/** How the pages name a review of a role that needs offline approval. */
export const OFFLINE_REVIEW_LABEL = 'Role request (offline approval required)';
export const reviewBadge = (status: Review['status']): Html =>
  badge(
    { pending: 'Pending', approved: 'Approved', denied: 'Denied', withdrawn: 'Withdrawn' }[status],
    status === 'approved' ? 'ok' : status === 'denied' ? 'bad' : status === 'pending' ? 'warn' : 'neutral',
  );

const roleOptions = (roles: readonly Role[]) => roles.map((r) => ({ value: r, label: r, hint: `Opens: ${ROLE_APIS[r].join(', ')}` }));

const signInForm = {
  intro: html`<p>Sign in with your developer account to manage your developer profile and your apps.</p>`,
  fields: emailPasswordFields,
  after: html`<p>New here? <a href="/portal/register">Register as a developer</a>.</p>`,
};

/** Register, sign in and the developer profile (roles, submission, role requests). */
export function developerAccountPages(app: FastifyInstance, deps: PortalDeps): void {
  const { developers, reviews } = deps.services;
  const me = (request: FastifyRequest): string => request.portal!.session.subjectId;

  app.get('/', async (request, reply) => seeOther(reply, request.portal ? '/portal/apps' : '/portal/signin'));

  app.get('/signin', { config: { portalPublic: true } }, async (request, reply) => sendSignInPage(deps, request, reply, AREA, signInForm));
  app.post('/signin', { config: { portalPublic: true } }, async (request, reply) => {
    const { email, password, next, errors } = readEmailPassword(request);
    const kept = { email, next };
    if (hasErrors(errors)) return sendSignInPage(deps, request, reply, AREA, signInForm, { values: kept, errors, status: 400 });
    if (!(await allowAttempt(deps, request, email))) {
      return sendSignInPage(deps, request, reply, AREA, signInForm, {
        values: kept,
        errors: { _form: 'Too many sign-in attempts. Try again in a few minutes.' },
        status: 429,
      });
    }
    const dev = await developers.authenticate(email, password);
    if (!dev)
      return sendSignInPage(deps, request, reply, AREA, signInForm, {
        values: kept,
        errors: { password: 'The email or password is wrong.' },
        status: 401,
      });
    await deps.signInLimiter.succeeded(request.ip, email);
    await startSession(deps, request, reply, AREA, dev.id);
    return seeOther(reply, safeNext(AREA, next) === AREA.prefix ? '/portal/apps' : safeNext(AREA, next));
  });

  const sendRegister = (
    request: FastifyRequest,
    reply: FastifyReply,
    v: Record<string, string> = {},
    errors: FieldErrors = {},
    status = 200,
  ) => {
    const csrf = preLoginCsrf(request, reply, deps.cookies);
    const body = html`<h1>Register as a developer</h1>
      <p>A developer account holds your developer profile (the Amazon Business roles you ask for) and up to 10 apps.</p>${errorSummary(errors)}
      <form method="post" action="/portal/register" class="panel" novalidate>${csrfField(csrf)}
        ${input({ name: 'name', label: 'Your name or organization', value: v.name, error: errors.name, autocomplete: 'organization', required: true })}
        ${input({ name: 'email', label: 'Email', type: 'email', value: v.email, error: errors.email, autocomplete: 'email', required: true, hint: 'A shared mailbox is recommended, so access survives staff changes.' })}
        ${input({ name: 'password', label: 'Password', type: 'password', error: errors.password, autocomplete: 'new-password', required: true, hint: 'At least 10 characters.' })}
        <div class="actions"><button type="submit">Register</button></div>
      </form><p>Have an account? <a href="/portal/signin">Sign in</a>.</p>`;
    return sendPage(request, reply, AREA, 'Register · Developer portal', body, status);
  };
  app.get('/register', { config: { portalPublic: true } }, async (request, reply) => sendRegister(request, reply));
  app.post('/register', { config: { portalPublic: true } }, async (request, reply) => {
    const b = bodyOf(request);
    const v = { name: text(b, 'name').trim(), email: text(b, 'email').trim() };
    const password = text(b, 'password');
    const errors: FieldErrors = {};
    if (!v.name) errors.name = 'Enter your name or your organization’s name.';
    if (!isEmail(v.email)) errors.email = 'Enter an email address like name@example.com.';
    if (password.length < 10) errors.password = 'Choose a password of at least 10 characters.';
    if (hasErrors(errors)) return sendRegister(request, reply, v, errors, 400);
    try {
      const dev = await developers.register({ name: v.name, email: v.email, password });
      await startSession(deps, request, reply, AREA, dev.id);
      setFlash(
        reply,
        deps.cookies,
        'Welcome! Fill in your developer profile and submit it for review. You can create sandbox apps meanwhile.',
      );
      return seeOther(reply, '/portal/profile');
    } catch (err) {
      if (err instanceof AppError && err.code === 'Conflict')
        return sendRegister(request, reply, v, { email: 'A developer account with this email exists already. Sign in instead.' }, 409);
      if (err instanceof AppError && err.status < 500) return sendRegister(request, reply, v, { _form: err.message }, err.status);
      throw err;
    }
  });

  const sendProfile = async (
    request: FastifyRequest,
    reply: FastifyReply,
    state: {
      values?: { organization: string; contactEmail: string; useCase: string; roles: string[] };
      errors?: FieldErrors;
      roleErrors?: FieldErrors;
      status?: number;
    } = {},
  ) => {
    const profile = await developers.getProfile(me(request));
    const history = await reviews.list({ developerId: me(request) });
    const csrf = csrfOf(request);
    const v = state.values ?? {
      organization: profile.organization,
      contactEmail: profile.contactEmail,
      useCase: profile.useCase,
      roles: profile.requestedRoles,
    };
    const errors = state.errors ?? {};
    const editable = profile.status === 'draft' || profile.status === 'denied';
    const statusText: Record<DeveloperProfile['status'], string> = {
      draft:
        'Fill in your profile, choose the roles your app needs and submit it for review. Production apps can be created once it is approved; sandbox apps right away.',
      submitted: 'Your profile is being reviewed. You can create sandbox apps with the requested roles meanwhile.',
      approved: 'Your profile is approved. Your apps can use the approved roles.',
      denied: 'Your profile was denied. Address the reviewer’s reason, then edit and submit it again.',
    };
    const reason = profile.reviewReason ? html`<p><strong>Reviewer’s reason:</strong> ${profile.reviewReason}</p>` : html``;
    const form = editable
      ? html`<h2>Profile</h2>${errorSummary(errors)}<form method="post" action="/portal/profile" class="panel" novalidate>${csrfField(csrf)}
          ${input({ name: 'organization', label: 'Organization', value: v.organization, error: errors.organization, autocomplete: 'organization', required: true })}
          ${input({ name: 'contactEmail', label: 'Contact email', type: 'email', value: v.contactEmail, error: errors.contactEmail, autocomplete: 'email', required: true })}
          ${textarea({ name: 'useCase', label: 'Use case', value: v.useCase, error: errors.useCase, rows: 4, hint: 'What your app does with Amazon Business data, and for whom.', required: true })}
          ${choices({ name: 'roles', legend: 'Roles', options: roleOptions(ROLES), checked: v.roles, error: errors.roles, hint: 'Choose only what your app needs; restricted roles take longer to review.' })}
          <div class="actions"><button type="submit" name="intent" value="submit">Submit for review</button><button type="submit" name="intent" value="save" class="secondary">Save draft</button></div>
        </form>`
      : html`<h2>Profile</h2><dl class="meta panel"><dt>Organization</dt><dd>${profile.organization}</dd><dt>Contact email</dt><dd>${profile.contactEmail}</dd><dt>Use case</dt><dd>${profile.useCase}</dd>
          <dt>Requested roles</dt><dd>${profile.requestedRoles.join(', ') || '—'}</dd><dt>Approved roles</dt><dd>${profile.approvedRoles.join(', ') || '—'}</dd>${offlineLine(profile)}</dl>`;
    const body = html`<h1>Developer profile</h1>
      <div class="panel ${profile.status === 'denied' ? 'error' : profile.status === 'approved' ? 'notice' : ''}"><p>Status: ${profileBadge(profile.status)}</p><p>${statusText[profile.status]}</p>${reason}</div>
      ${form}${profile.status === 'approved' ? roleRequestSection(profile, csrf, state.roleErrors ?? {}) : html``}
      <h2>Review history</h2>${reviewHistory(history)}`;
    return sendPage(request, reply, AREA, 'Developer profile', body, state.status ?? 200);
  };

  app.get('/profile', async (request, reply) => sendProfile(request, reply));
  app.post('/profile', async (request, reply) => {
    const b = bodyOf(request);
    const v = {
      organization: text(b, 'organization').trim(),
      contactEmail: text(b, 'contactEmail').trim(),
      useCase: text(b, 'useCase').trim(),
      roles: values(b, 'roles'),
    };
    const submit = text(b, 'intent') === 'submit';
    const errors: FieldErrors = {};
    if (v.contactEmail && !isEmail(v.contactEmail)) errors.contactEmail = 'Enter an email address like name@example.com.';
    if (submit) {
      if (!v.organization) errors.organization = 'Enter your organization.';
      if (!v.contactEmail) errors.contactEmail = 'Enter a contact email.';
      if (!v.useCase) errors.useCase = 'Describe your use case.';
      if (v.roles.length === 0) errors.roles = 'Choose at least one role.';
    }
    if (v.roles.some((r) => !(ROLES as readonly string[]).includes(r))) errors.roles = 'Choose roles from the list.';
    if (hasErrors(errors)) return sendProfile(request, reply, { values: v, errors, status: 400 });
    try {
      await developers.updateProfile(me(request), {
        organization: v.organization,
        contactEmail: v.contactEmail,
        useCase: v.useCase,
        requestedRoles: v.roles,
      });
      if (submit) await developers.submitProfile(me(request));
    } catch (err) {
      if (err instanceof AppError && err.status < 500)
        return sendProfile(request, reply, { values: v, errors: { _form: err.message }, status: err.status });
      throw err;
    }
    setFlash(reply, deps.cookies, submit ? 'Your profile was submitted for review.' : 'Your draft was saved.');
    return seeOther(reply, '/portal/profile');
  });

  app.post('/profile/role-requests', async (request, reply) => {
    const roles = values(bodyOf(request), 'roles');
    if (roles.length === 0)
      return sendProfile(request, reply, { roleErrors: { roles: 'Choose at least one role to request.' }, status: 400 });
    try {
      await developers.requestRoles(me(request), roles);
    } catch (err) {
      if (err instanceof AppError && err.status < 500)
        return sendProfile(request, reply, { roleErrors: { roles: err.message }, status: err.status });
      throw err;
    }
    setFlash(reply, deps.cookies, `Your request for ${roles.join(', ')} was sent for review. Your approved roles keep working meanwhile.`);
    return seeOther(reply, '/portal/profile');
  });
}

export const OFFLINE_APPROVAL_NOTE =
  'User Management needs offline approval: Amazon Business approves it apart from the rest of the profile, in a review of its own, which can take longer. Your other roles are not held up by it.';

/** A role as a pending list shows it: marked when it waits for offline approval. */
const pendingRole = (profile: DeveloperProfile, role: Role): string =>
  profile.offlineApprovalRoles.includes(role) ? `${role} (needs offline approval)` : role;

/** The profile's roles waiting for offline approval, if any. */
function offlineLine(profile: DeveloperProfile): Html {
  if (profile.offlineApprovalRoles.length === 0) return html``;
  return html`<dt>Needs offline approval</dt><dd>${profile.offlineApprovalRoles.join(', ')} ${badge('Needs offline approval', 'warn')}<br><span class="muted">${OFFLINE_APPROVAL_NOTE}</span></dd>`;
}

function roleRequestSection(profile: DeveloperProfile, csrf: string, errors: FieldErrors): Html {
  const waiting = new Set(profile.pendingRoles);
  const missing = ROLES.filter((r) => !profile.approvedRoles.includes(r) && !waiting.has(r));
  const regularPending = profile.pendingRoles.filter((r) => !profile.offlineApprovalRoles.includes(r));
  const pendingNote = profile.pendingRoles.length
    ? html`<div class="panel"><p>Waiting for review: <strong>${profile.pendingRoles.map((r) => pendingRole(profile, r)).join(', ')}</strong>.${regularPending.length ? ' You can ask for more once this request is decided.' : ''}</p>${profile.offlineApprovalRoles.length ? html`<p class="muted">${OFFLINE_APPROVAL_NOTE}</p>` : ''}</div>`
    : html``;
  if (regularPending.length) return html`<h2>Request another role</h2>${pendingNote}`;
  if (profile.pendingRoles.length && missing.length === 0) return html`<h2>Request another role</h2>${pendingNote}`;
  if (missing.length === 0) return html`<h2>Request another role</h2><p class="muted">Every role is approved for your profile.</p>`;
  return html`<h2>Request another role</h2>${pendingNote}
    <p>To add a role to a published app: request it here; once approved, tick it under <em>Edit App</em>, save, relist the app, and after the listing is approved ask your customers to authorize again — their new refresh tokens carry the new role.</p>
    ${errorSummary(errors, 'request-')}<form method="post" action="/portal/profile/role-requests" class="panel" novalidate>${csrfField(csrf)}
    ${choices({ name: 'roles', idPrefix: 'request-', legend: 'Roles to request', options: roleOptions(missing), checked: [], error: errors.roles })}
    <div class="actions"><button type="submit">Request roles</button></div></form>`;
}

export function reviewHistory(history: Review[]): Html {
  if (history.length === 0) return html`<p class="muted">Nothing was reviewed yet.</p>`;
  return html`<div class="table-wrap"><table><thead><tr><th scope="col">Request</th><th scope="col">Asked for</th><th scope="col">Status</th><th scope="col">Reviewer’s reason</th><th scope="col">Submitted</th><th scope="col">Decided</th></tr></thead><tbody>${history
    .slice()
    .reverse()
    .map(
      (r) =>
        html`<tr><td data-label="Request">${isOfflineApproval(r) ? OFFLINE_REVIEW_LABEL : REVIEW_KIND_LABEL[r.kind]}</td><td data-label="Asked for">${describeRequest(r)}</td><td data-label="Status">${reviewBadge(r.status)}</td><td data-label="Reviewer’s reason">${r.reason ?? '—'}</td><td data-label="Submitted">${time(r.createdAt)}</td><td data-label="Decided">${time(r.decidedAt)}</td></tr>`,
    )}</tbody></table></div>`;
}

/** A role request for roles Amazon approves offline (User Management), reviewed apart. */
export const isOfflineApproval = (r: Review): boolean => r.kind === 'role_request' && r.request.offlineApproval === true;

/** A short human description of what a review asks for. */
export function describeRequest(r: Review): string {
  const q = r.request;
  const list = (v: unknown): string => (Array.isArray(v) ? v.map(String).join(', ') : '');
  switch (r.kind) {
    case 'profile':
      return `${list(q.roles) || '—'}${Array.isArray(q.offlineApprovalRoles) ? ` (${list(q.offlineApprovalRoles)}: separate offline approval)` : ''}`;
    case 'role_request':
      return `${list(q.roles) || '—'}${isOfflineApproval(r) ? ' — needs offline approval' : ''}`;
    case 'listing':
      return `${q.relist ? 'Relist with' : 'List with'} ${list(q.roles) || 'no roles'}`;
    case 'tps':
      return `${String(q.operation)}: ${String(q.rate)} requests/s, burst ${String(q.burst)}${q.reason ? ` — “${String(q.reason)}”` : ''}`;
    case 'privileged_fields':
      return `${list(q.fields)}${q.reason ? ` — “${String(q.reason)}”` : ''}`;
  }
}

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../kernel/errors.ts';
import { ROLE_APIS, type Role } from '../../kernel/reference.ts';
import { html, type Html } from '../../platform/http/html.ts';
import type { AppRecord } from '../developers/index.ts';
import type { DeveloperProfile } from '../developers/index.ts';
import { allowedAppRoles, checkRedirectUri, MAX_APPS_PER_DEVELOPER } from '../developers/index.ts';
import {
  actionButton,
  badge,
  bodyOf,
  choices,
  csrfField,
  errorSummary,
  hasErrors,
  input,
  lines,
  text,
  textarea,
  values,
  type Choice,
  type FieldErrors,
} from './forms.ts';
import { seeOther, sendPage, type PortalDeps } from './layout.ts';
import { csrfOf, DEVELOPER_AREA as AREA, setFlash, setReveal } from './session.ts';

/** The raw values of the Add app / Edit App form, kept as entered when it is re-rendered. */
export interface AppFormValues {
  name: string;
  type: string;
  visibility: string;
  environmentLabel: string;
  roles: string[];
  redirectUris: string;
  loginUri: string;
}

/**
 * The app's status. Only public production apps are listed (draft, in review, published); a sandbox
 * app is usable at once with Create token, and a private production app by its developer's own
 * business through consent, so "Draft" would never change for them: they show what they can do.
 */
export function appStatusLabel(app: AppRecord): { label: string; tone: 'ok' | 'warn' | 'neutral'; hint: string } {
  if (app.type === 'sandbox')
    return { label: 'Sandbox: ready', tone: 'ok', hint: 'Calls the sandbox base URLs with a token from Create token.' };
  if (app.visibility === 'private')
    return { label: 'Private: ready', tone: 'ok', hint: 'Not listed; your own business can authorize it through the consent URL.' };
  if (app.status === 'published') return { label: 'Published', tone: 'ok', hint: 'Listed: any business can authorize it.' };
  if (app.status === 'submitted') return { label: 'In review', tone: 'warn', hint: 'The listing is waiting for the operator’s review.' };
  return { label: 'Draft', tone: 'neutral', hint: 'Not listed yet: Submit for listing. Your own business can test it with version=beta.' };
}

export const appStatusBadge = (app: AppRecord): Html => {
  const s = appStatusLabel(app);
  return html`${badge(s.label, s.tone)}${app.suspended ? html` ${badge('Suspended', 'bad')}` : ''}`;
};

const sameRoles = (a: readonly Role[], b: readonly Role[]): boolean => a.length === b.length && a.every((r) => b.includes(r));

/** Which listing action the app offers: only public production apps are listed. */
function listingAction(app: AppRecord, pendingListing: boolean): 'Submit for listing' | 'Relist' | null {
  if (app.type !== 'production' || app.visibility !== 'public' || pendingListing) return null;
  if (app.status === 'draft') return 'Submit for listing';
  if (app.status === 'published' && !sameRoles(app.roles, app.publishedRoles)) return 'Relist';
  return null;
}

/** The Action column: Edit App, View LWA credentials, Rotate secret, listing, Create token, Delete. */
export function appActions(app: AppRecord, csrf: string, pendingListing: boolean): Html {
  const forApp = html`<span class="sr-only"> (${app.name})</span>`;
  const base = `/portal/apps/${app.id}`;
  const listing = listingAction(app, pendingListing);
  return html`<div class="row-actions">
    <a class="button secondary" href="${base}/edit">Edit App${forApp}</a>
    <a class="button secondary" href="${base}/credentials">View LWA credentials${forApp}</a>
    ${actionButton({ action: `${base}/rotate-secret`, csrf, label: html`Rotate secret${forApp}`, variant: 'secondary' })}
    ${listing ? actionButton({ action: `${base}/submit-listing`, csrf, label: html`${listing}${forApp}` }) : ''}
    ${app.type === 'sandbox' ? actionButton({ action: `${base}/sandbox-token`, csrf, label: html`Create token${forApp}`, fields: { region: 'NA' } }) : ''}
    <a class="button secondary" href="${base}/delete">Delete${forApp}</a>
  </div>`;
}

/** Roles the form offers: for a new app the approved ones and (sandbox only) the requested ones; when editing, what the app's type allows. */
function roleChoices(profile: DeveloperProfile, type: AppRecord['type'] | null): Choice[] {
  const offered = type
    ? [...allowedAppRoles(type, profile.approvedRoles, profile.requestedRoles)]
    : [...allowedAppRoles('sandbox', profile.approvedRoles, profile.requestedRoles)];
  return offered.map((r) => ({
    value: r,
    label: r,
    hint: profile.approvedRoles.includes(r) ? `Opens: ${ROLE_APIS[r].join(', ')}` : 'Requested, not approved yet: sandbox apps only',
  }));
}

function readAppForm(request: FastifyRequest): AppFormValues {
  const b = bodyOf(request);
  return {
    name: text(b, 'name').trim(),
    type: text(b, 'type'),
    visibility: text(b, 'visibility'),
    environmentLabel: text(b, 'environmentLabel').trim(),
    roles: values(b, 'roles'),
    redirectUris: text(b, 'redirectUris'),
    loginUri: text(b, 'loginUri').trim(),
  };
}

function validateAppForm(v: AppFormValues, profile: DeveloperProfile, type: AppRecord['type'] | null): FieldErrors {
  const errors: FieldErrors = {};
  if (!v.name) errors.name = 'Enter a name for the app.';
  else if (v.name.length > 100) errors.name = 'Use at most 100 characters.';
  if (type === null) {
    if (v.type !== 'production' && v.type !== 'sandbox') errors.type = 'Choose production or sandbox.';
    else if (v.type === 'production' && profile.status !== 'approved')
      errors.type = 'Production apps can be created once your developer profile is approved. Create a sandbox app meanwhile.';
  }
  if (v.visibility !== 'public' && v.visibility !== 'private') errors.visibility = 'Choose public or private.';
  if (v.environmentLabel.length > 40) errors.environmentLabel = 'Use at most 40 characters.';
  const appType = type ?? (v.type === 'production' ? 'production' : 'sandbox');
  const allowed = allowedAppRoles(appType, profile.approvedRoles, profile.requestedRoles);
  const outside = v.roles.filter((r) => !allowed.has(r as Role));
  if (outside.length)
    errors.roles =
      appType === 'production'
        ? `Only approved roles can be used on a production app: ${outside.join(', ')} is not approved.`
        : `Choose roles from the list.`;
  const uris = lines(v.redirectUris);
  if (uris.length === 0) errors.redirectUris = 'Enter at least one OAuth redirect URI.';
  else if (uris.length > 10) errors.redirectUris = 'Enter at most 10 OAuth redirect URIs.';
  else {
    const problems = uris.map((u) => checkRedirectUri(u)).filter((p): p is string => !!p);
    if (problems.length) errors.redirectUris = problems.join(' ');
  }
  if (v.loginUri) {
    const p = checkRedirectUri(v.loginUri);
    if (p) errors.loginUri = p;
  }
  return errors;
}

function appFormFields(v: AppFormValues, errors: FieldErrors, profile: DeveloperProfile, app: AppRecord | null): Html {
  const typeField = app
    ? html`<p><strong>App type:</strong> ${app.type === 'production' ? 'Production' : 'Sandbox'} <span class="muted">(cannot be changed)</span></p>`
    : choices({
        name: 'type',
        type: 'radio',
        legend: 'App type',
        options: [
          {
            value: 'production',
            label: 'Production',
            hint:
              profile.status === 'approved'
                ? 'Calls the production APIs after a business authorizes it.'
                : 'Available once your developer profile is approved.',
            disabled: profile.status !== 'approved',
          },
          { value: 'sandbox', label: 'Sandbox', hint: 'Calls the static sandbox; tokens come from “Create token”, without consent.' },
        ],
        checked: [v.type],
        error: errors.type,
      });
  const roleOpts = roleChoices(profile, app ? app.type : null);
  return html`${input({ name: 'name', label: 'App name', value: v.name, error: errors.name, required: true })}
    ${typeField}
    ${choices({
      name: 'visibility',
      type: 'radio',
      legend: 'Visibility',
      options: [
        { value: 'public', label: 'Public', hint: 'Authorized by business customers; listed after review.' },
        { value: 'private', label: 'Private', hint: 'Only your own organization authorizes it (self-authorization).' },
      ],
      checked: [v.visibility],
      error: errors.visibility,
    })}
    ${input({ name: 'environmentLabel', label: 'Environment label', value: v.environmentLabel, error: errors.environmentLabel, hint: 'Free text to tell your apps apart, e.g. production, UAT, test.' })}
    ${choices({
      name: 'roles',
      legend: 'Roles',
      options: roleOpts,
      checked: v.roles,
      error: errors.roles,
      hint: 'Only roles approved on your developer profile are offered. To add another role, request it on your developer profile first.',
      empty: html`No role is approved on your profile yet. <a href="/portal/profile">Go to your developer profile</a>.`,
    })}
    ${textarea({ name: 'redirectUris', label: 'OAuth redirect URIs', value: v.redirectUris, error: errors.redirectUris, rows: 3, required: true, hint: 'One per line; https (http only for localhost). The consent redirects here with the code.' })}
    ${input({ name: 'loginUri', label: 'OAuth login URI (optional)', type: 'url', value: v.loginUri, error: errors.loginUri, hint: 'Needed only for the App Center workflow.' })}`;
}

/** The apps list, Add app, Edit App, delete and the one-button actions of the Action column. */
export function developerAppPages(app: FastifyInstance, deps: PortalDeps): void {
  const { apps, developers, reviews, oauth } = deps.services;
  const me = (request: FastifyRequest): string => request.portal!.session.subjectId;
  const appId = (request: FastifyRequest): string => (request.params as { id: string }).id;

  const sendList = async (request: FastifyRequest, reply: FastifyReply, error?: AppError) => {
    const list = await apps.list({ developerId: me(request) });
    const pending = new Set((await reviews.list({ developerId: me(request), kind: 'listing', status: 'pending' })).map((r) => r.appId));
    const csrf = csrfOf(request);
    const rows = list.map(
      (a) => html`<tr>
        <td data-label="App"><a href="/portal/apps/${a.id}"><strong>${a.name}</strong></a><br><code>${a.applicationId}</code></td>
        <td data-label="Type">${a.type === 'production' ? 'Production' : 'Sandbox'}, ${a.visibility}<br><span class="muted">${a.environmentLabel}</span></td>
        <td data-label="Status">${appStatusBadge(a)}${pending.has(a.id) ? html`<br><span class="muted">Listing in review</span>` : ''}</td>
        <td data-label="Roles">${a.roles.length ? a.roles.join(', ') : html`<span class="muted">none</span>`}</td>
        <td data-label="Action">${appActions(a, csrf, pending.has(a.id))}</td></tr>`,
    );
    const full = list.length >= MAX_APPS_PER_DEVELOPER;
    const body = html`<h1>Apps</h1>
      ${error ? html`<div class="panel error" role="alert"><p>${error.message}</p>${error.details ? html`<p>${error.details}</p>` : ''}</div>` : ''}
      <p><strong>${list.length} of ${MAX_APPS_PER_DEVELOPER}</strong> apps${full ? ' — the limit is reached; delete an app before adding another.' : '.'}</p>
      <p><a class="button" href="/portal/apps/new">Add app</a></p>
      ${
        list.length === 0
          ? html`<div class="panel empty"><p>No apps yet — <a href="/portal/apps/new">Add app</a>.</p></div>`
          : html`<div class="table-wrap"><table><thead><tr><th scope="col">App</th><th scope="col">Type</th><th scope="col">Status</th><th scope="col">Roles</th><th scope="col">Action</th></tr></thead><tbody>${rows}</tbody></table></div>`
      }`;
    return sendPage(request, reply, AREA, 'Apps · Developer portal', body, error?.status ?? 200);
  };
  app.get('/apps', async (request, reply) => sendList(request, reply));

  const sendForm = async (
    request: FastifyRequest,
    reply: FastifyReply,
    existing: AppRecord | null,
    v: AppFormValues,
    errors: FieldErrors = {},
    status = 200,
  ) => {
    const profile = await developers.getProfile(me(request));
    const count = existing ? 0 : (await developers.getDeveloper(me(request))).appCount;
    const title = existing ? `Edit App: ${existing.name}` : 'Add app';
    const action = existing ? `/portal/apps/${existing.id}/edit` : '/portal/apps';
    const limitNote =
      !existing && count >= MAX_APPS_PER_DEVELOPER && !hasErrors(errors)
        ? html`<div class="panel error" role="status"><p>You have ${count} of ${MAX_APPS_PER_DEVELOPER} apps, the maximum. Delete an app before adding another.</p></div>`
        : html``;
    const body = html`<p><a href="/portal/apps">← Apps</a></p><h1>${title}</h1>${limitNote}${errorSummary(errors)}
      <form method="post" action="${action}" class="panel" novalidate>${csrfField(csrfOf(request))}
        ${appFormFields(v, errors, profile, existing)}
        <div class="actions"><button type="submit">${existing ? 'Save changes' : 'Save and exit'}</button><a class="button secondary" href="/portal/apps">Cancel</a></div>
      </form>`;
    return sendPage(request, reply, AREA, title, body, status);
  };

  app.get('/apps/new', async (request, reply) => {
    const profile = await developers.getProfile(me(request));
    const type = profile.status === 'approved' ? 'production' : 'sandbox';
    return sendForm(request, reply, null, {
      name: '',
      type,
      visibility: 'public',
      environmentLabel: type,
      roles: [],
      redirectUris: '',
      loginUri: '',
    });
  });
  app.post('/apps', async (request, reply) => {
    const v = readAppForm(request);
    const profile = await developers.getProfile(me(request));
    const errors = validateAppForm(v, profile, null);
    if (hasErrors(errors)) return sendForm(request, reply, null, v, errors, 400);
    try {
      const created = await apps.create(me(request), {
        name: v.name,
        type: v.type as AppRecord['type'],
        visibility: v.visibility as AppRecord['visibility'],
        environmentLabel: v.environmentLabel || undefined,
        roles: v.roles,
        redirectUris: lines(v.redirectUris),
        loginUri: v.loginUri || null,
      });
      setReveal(reply, deps.cookies, created.app.id, { kind: 'client_secret', value: created.clientSecret, previousExpiresAt: null });
      setFlash(reply, deps.cookies, `The app “${created.app.name}” was created.`);
      return seeOther(reply, `/portal/apps/${created.app.id}/credentials`);
    } catch (err) {
      if (err instanceof AppError && err.status < 500) return sendForm(request, reply, null, v, { _form: err.message }, err.status);
      throw err;
    }
  });

  app.get('/apps/:id/edit', async (request, reply) => {
    const a = await apps.getOwned(me(request), appId(request));
    return sendForm(request, reply, a, {
      name: a.name,
      type: a.type,
      visibility: a.visibility,
      environmentLabel: a.environmentLabel,
      roles: a.roles,
      redirectUris: a.redirectUris.join('\n'),
      loginUri: a.loginUri ?? '',
    });
  });
  app.post('/apps/:id/edit', async (request, reply) => {
    const existing = await apps.getOwned(me(request), appId(request));
    const v = readAppForm(request);
    const profile = await developers.getProfile(me(request));
    const errors = validateAppForm(v, profile, existing.type);
    if (hasErrors(errors)) return sendForm(request, reply, existing, v, errors, 400);
    let updated: AppRecord;
    try {
      updated = await apps.update(me(request), existing.id, {
        name: v.name,
        visibility: v.visibility as AppRecord['visibility'],
        environmentLabel: v.environmentLabel,
        roles: v.roles,
        redirectUris: lines(v.redirectUris),
        loginUri: v.loginUri || null,
      });
    } catch (err) {
      if (err instanceof AppError && err.status < 500) return sendForm(request, reply, existing, v, { _form: err.message }, err.status);
      throw err;
    }
    const needsRelist = updated.status !== 'draft' && updated.roles.some((r) => !updated.publishedRoles.includes(r));
    setFlash(
      reply,
      deps.cookies,
      needsRelist
        ? `Saved. “${updated.name}” has roles that are not listed yet: relist the app so they can be reviewed.`
        : `Saved “${updated.name}”.`,
    );
    return seeOther(reply, '/portal/apps');
  });

  app.get('/apps/:id/delete', async (request, reply) => {
    const a = await apps.getOwned(me(request), appId(request));
    const body = html`<p><a href="/portal/apps">← Apps</a></p><h1>Delete ${a.name}?</h1>
      <div class="panel error"><p>The app’s LWA credentials stop working at once, and so do the refresh tokens businesses gave it. This cannot be undone.</p></div>
      <form method="post" action="/portal/apps/${a.id}/delete">${csrfField(csrfOf(request))}<div class="actions"><button type="submit" class="danger">Delete app</button><a class="button secondary" href="/portal/apps">Keep it</a></div></form>`;
    return sendPage(request, reply, AREA, `Delete ${a.name}`, body);
  });
  app.post('/apps/:id/delete', async (request, reply) => {
    const a = await apps.getOwned(me(request), appId(request));
    await apps.delete(me(request), a.id);
    setFlash(reply, deps.cookies, `The app “${a.name}” was deleted.`);
    return seeOther(reply, '/portal/apps');
  });

  app.post('/apps/:id/rotate-secret', async (request, reply) => {
    const a = await apps.getOwned(me(request), appId(request));
    const rotated = await apps.rotateSecret(`developer:${a.developerId}`, a.id);
    setReveal(reply, deps.cookies, a.id, {
      kind: 'client_secret',
      value: rotated.clientSecret,
      previousExpiresAt: rotated.previousSecretExpiresAt,
    });
    return seeOther(reply, `/portal/apps/${a.id}/credentials`);
  });

  app.post('/apps/:id/submit-listing', async (request, reply) => {
    const a = await apps.getOwned(me(request), appId(request));
    try {
      await apps.submitForListing(me(request), a.id);
    } catch (err) {
      if (err instanceof AppError && err.status < 500) return sendList(request, reply, err);
      throw err;
    }
    setFlash(reply, deps.cookies, `“${a.name}” was submitted for listing review.`);
    return seeOther(reply, '/portal/apps');
  });

  app.post('/apps/:id/sandbox-token', async (request, reply) => {
    const a = await apps.getOwned(me(request), appId(request));
    const region = text(bodyOf(request), 'region') || 'NA';
    if (region !== 'NA' && region !== 'EU' && region !== 'FE')
      return sendList(request, reply, new AppError('ValidationError', 'Choose the region NA, EU or FE.'));
    try {
      const token = await oauth.createSandboxToken(me(request), a.id, region);
      setReveal(reply, deps.cookies, a.id, { kind: 'refresh_token', value: token.refreshToken, region: token.region });
    } catch (err) {
      if (err instanceof AppError && err.status < 500) return sendList(request, reply, err);
      throw err;
    }
    return seeOther(reply, `/portal/apps/${a.id}/credentials`);
  });
}

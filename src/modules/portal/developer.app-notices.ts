import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../kernel/errors.ts';
import { html, type Html } from '../../platform/http/html.ts';
import type { AppRecord, DestinationView, NoticeLogEntry } from '../developers/index.ts';
import { actionButton, badge, bodyOf, csrfField, errorSummary, input, select, text, time, type FieldErrors } from './forms.ts';
import { sendPage, seeOther, type PortalDeps } from './layout.ts';
import { csrfOf, DEVELOPER_AREA as AREA, setFlash } from './session.ts';

// Client secret notices in the developer portal (docs/application-management.md): the app's
// destinations (add, test, remove) and the delivery log. The console's app page shows the same log.

interface AddValues {
  type: string;
  url: string;
  awsAccessKeyId: string;
  awsRegion: string;
}

const STATUS_TONE = { delivered: 'ok', pending: 'warn', failed: 'bad' } as const;

/** The delivery log of an app as a table (developer portal and operator console). */
export function noticeLogTable(log: readonly NoticeLogEntry[]): Html {
  if (log.length === 0) return html`<p class="muted">No notice yet.</p>`;
  return html`<div class="table-wrap"><table><thead><tr><th scope="col">Notice</th><th scope="col">Destination</th><th scope="col">Status</th><th scope="col">Attempts</th><th scope="col">Queued</th></tr></thead><tbody>${log.map(
    (
      n,
    ) => html`<tr><td data-label="Notice"><code>${n.type}</code><br><code>${n.noticeId}</code></td><td data-label="Destination">${n.destination}</td>
      <td data-label="Status">${badge(n.status, STATUS_TONE[n.status])}${n.status === 'pending' && n.nextAttemptAt ? html`<br><span class="hint">next attempt ${time(n.nextAttemptAt)}</span>` : ''}</td>
      <td data-label="Attempts">${n.log.length ? html`<ol>${n.log.map((l) => html`<li>${time(l.at)}: ${l.outcome}${l.statusCode !== null ? html`, HTTP ${l.statusCode}` : ''}${l.error ? html`, ${l.error}` : ''} (${l.durationMs} ms)</li>`)}</ol>` : html`<span class="muted">none yet</span>`}</td>
      <td data-label="Queued">${time(n.createdAt)}</td></tr>`,
  )}</tbody></table></div>`;
}

/** The section of the app's detail page that leads to its notices. */
export function noticeSummary(a: AppRecord, destinations: readonly DestinationView[]): Html {
  return html`<h2 id="notices">Client secret notices</h2>
    <p>${destinations.length ? html`${destinations.length} destination(s) receive a notice with the new client secret when it is rotated.` : html`No destination: <code>rotateApplicationClientSecret</code> answers 400 until you register one.`}
    <a href="/portal/apps/${a.id}/notices">Destinations and delivery log</a></p>`;
}

/** The notices page of an app and its forms. */
export function developerAppNoticePages(app: FastifyInstance, deps: PortalDeps): void {
  const { apps } = deps.services;
  const me = (request: FastifyRequest): string => request.portal!.session.subjectId;
  const appId = (request: FastifyRequest): string => (request.params as { id: string }).id;

  const sendNotices = async (
    request: FastifyRequest,
    reply: FastifyReply,
    a: AppRecord,
    state: { values?: AddValues; errors?: FieldErrors; signingSecret?: string; status?: number } = {},
  ) => {
    const csrf = csrfOf(request);
    const [destinations, log] = await Promise.all([apps.notices.listDestinations(a.id), apps.notices.log(a.id)]);
    const v = state.values ?? { type: 'webhook', url: '', awsAccessKeyId: '', awsRegion: '' };
    const errors = state.errors ?? {};
    const rows = destinations.map(
      (
        d,
      ) => html`<tr><td data-label="Type">${d.type === 'sqs' ? 'SQS queue' : 'Webhook'}</td><td data-label="URL"><code>${d.url}</code>${d.awsAccessKeyId ? html`<br><span class="hint">signed with ${d.awsAccessKeyId} (${d.awsRegion})</span>` : ''}</td><td data-label="Added">${time(d.createdAt)}</td>
        <td data-label="Action">${actionButton({ action: `/portal/apps/${a.id}/notices/${d.id}/test`, csrf, label: html`Send a test notice<span class="sr-only"> to ${d.url}</span>`, variant: 'secondary' })}
        ${actionButton({ action: `/portal/apps/${a.id}/notices/${d.id}/remove`, csrf, label: html`Remove<span class="sr-only"> ${d.url}</span>`, variant: 'danger' })}</td></tr>`,
    );
    const body = html`<p><a href="/portal/apps/${a.id}">← ${a.name}</a></p><h1>Client secret notices: ${a.name}</h1>
      ${state.signingSecret ? html`<div class="panel notice" role="status"><h2>Your webhook signing secret</h2><p><strong>Copy it now. It is shown only this once.</strong> Each delivery carries <code>x-bizapi-signature: t=…,v1=…</code>, the HMAC-SHA256 of <code>t + "." + body</code> with this secret.</p><code class="secret" id="signing-secret">${state.signingSecret}</code></div>` : ''}
      <p>When the client secret is rotated (here, by the API's <code>rotateApplicationClientSecret</code> or the Rotate secret button), each destination receives a JSON notice with the new secret and the old secret's expiry. Deliveries are retried with exponential backoff.</p>
      <h2>Destinations</h2>
      ${destinations.length ? html`<div class="table-wrap"><table><thead><tr><th scope="col">Type</th><th scope="col">URL</th><th scope="col">Added</th><th scope="col">Action</th></tr></thead><tbody>${rows}</tbody></table></div>` : html`<p class="muted">No destination yet.</p>`}
      <h2 id="add">Add a destination</h2>${errorSummary(errors, 'dst-')}
      <form method="post" action="/portal/apps/${a.id}/notices" class="panel" novalidate>${csrfField(csrf)}
        ${select({
          name: 'type',
          idPrefix: 'dst-',
          label: 'Type',
          options: [
            { value: 'webhook', label: 'Webhook (HTTP or HTTPS)' },
            { value: 'sqs', label: 'SQS-compatible queue' },
          ],
          value: v.type,
          error: errors.type,
        })}
        ${input({ name: 'url', idPrefix: 'dst-', label: 'Webhook URL or SQS queue URL', value: v.url, error: errors.url })}
        ${input({ name: 'awsAccessKeyId', idPrefix: 'dst-', label: 'AWS access key ID (SQS, optional)', value: v.awsAccessKeyId, error: errors.awsAccessKeyId })}
        ${input({ name: 'awsSecretAccessKey', idPrefix: 'dst-', label: 'AWS secret access key (SQS, optional; kept encrypted)', type: 'password', value: '' })}
        ${input({ name: 'awsRegion', idPrefix: 'dst-', label: 'AWS region (SQS, optional)', value: v.awsRegion })}
        <div class="actions"><button type="submit">Add destination</button></div></form>
      <h2 id="log">Delivery log</h2>${noticeLogTable(log)}`;
    return sendPage(request, reply, AREA, `Client secret notices · ${a.name}`, body, state.status ?? 200);
  };

  app.get('/apps/:id/notices', async (request, reply) => sendNotices(request, reply, await apps.getOwned(me(request), appId(request))));

  app.post('/apps/:id/notices', async (request, reply) => {
    const a = await apps.getOwned(me(request), appId(request));
    const b = bodyOf(request);
    const values: AddValues = {
      type: text(b, 'type'),
      url: text(b, 'url').trim(),
      awsAccessKeyId: text(b, 'awsAccessKeyId').trim(),
      awsRegion: text(b, 'awsRegion').trim(),
    };
    try {
      const added = await apps.notices.addDestination(
        `developer:${a.developerId}`,
        a.id,
        values.type === 'sqs'
          ? {
              type: 'sqs',
              queueUrl: values.url,
              awsAccessKeyId: values.awsAccessKeyId,
              awsSecretAccessKey: text(b, 'awsSecretAccessKey'),
              awsRegion: values.awsRegion,
            }
          : { type: 'webhook', url: values.url },
      );
      // The signing secret is shown on this answer only (no redirect keeps it in a URL or a cookie).
      if (added.signingSecret) return sendNotices(request, reply, a, { signingSecret: added.signingSecret, status: 201 });
    } catch (err) {
      if (err instanceof AppError && err.status < 500)
        return sendNotices(request, reply, a, { values, errors: { _form: err.message }, status: err.status });
      throw err;
    }
    setFlash(reply, deps.cookies, 'The destination was added.');
    return seeOther(reply, `/portal/apps/${a.id}/notices`);
  });

  app.post('/apps/:id/notices/:destinationId/test', async (request, reply) => {
    const a = await apps.getOwned(me(request), appId(request));
    const { noticeId } = await apps.notices.sendTest(
      `developer:${a.developerId}`,
      a,
      (request.params as { destinationId: string }).destinationId,
    );
    setFlash(reply, deps.cookies, `Test notice ${noticeId} queued; its delivery shows in the log below.`);
    return seeOther(reply, `/portal/apps/${a.id}/notices#log`);
  });

  app.post('/apps/:id/notices/:destinationId/remove', async (request, reply) => {
    const a = await apps.getOwned(me(request), appId(request));
    await apps.notices.removeDestination(`developer:${a.developerId}`, a.id, (request.params as { destinationId: string }).destinationId);
    setFlash(reply, deps.cookies, 'The destination was removed.');
    return seeOther(reply, `/portal/apps/${a.id}/notices`);
  });
}

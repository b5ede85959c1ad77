import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../kernel/errors.ts';
import { html, type Html } from '../../platform/http/html.ts';
import type { Review, ReviewKind } from '../developers/index.ts';
import { bodyOf, csrfField, errorSummary, hasErrors, input, text, textarea, time, type FieldErrors } from './forms.ts';
import { installArea, seeOther, sendPage } from './layout.ts';
import { csrfOf, OPERATOR_AREA as AREA, operatorActor, safeNext, setFlash } from './session.ts';
import { allowAttempt, sendSignInPage, signOutRoute, startSession } from './signin.ts';
import {
  describeRequest,
  isOfflineApproval,
  OFFLINE_APPROVAL_NOTE,
  OFFLINE_REVIEW_LABEL,
  REVIEW_KIND_LABEL,
  reviewBadge,
} from './developer.account.ts';
import { operatorRecordPages } from './operator.records.ts';
import { operatorAppPages } from './operator.apps.ts';
import { operatorReportPages } from './operator.reports.ts';
import { operatorRequestPages, type ConsoleDeps } from './operator.requests.ts';
import { operatorEmulatorPages } from './operator.emulator.ts';
import { operatorAssets } from './operator.assets.ts';

/**
 * The queues: one per review kind, and `offline`, the role requests that need Amazon's offline
 * approval (User Management), listed apart from the other role requests.
 */
type Queue = ReviewKind | 'offline';
const KINDS: Queue[] = ['profile', 'role_request', 'offline', 'listing', 'tps', 'privileged_fields'];
const QUEUE_TITLE: Record<Queue, string> = {
  profile: 'Profiles',
  role_request: 'Role requests',
  offline: 'Offline approval',
  listing: 'Listings',
  tps: 'TPS requests',
  privileged_fields: 'Privileged fields',
};

const signInForm = {
  intro: html`<p>Sign in with an operator API key (create one with <code>bizapi admin-key create --name NAME</code>; in local mode <code>bizapi demo</code> prints the demo key).</p>`,
  fields: (_values: Record<string, string>, errors: FieldErrors): Html =>
    input({
      name: 'key',
      label: 'Operator API key',
      type: 'password',
      error: errors.key,
      autocomplete: 'current-password',
      required: true,
    }),
};

/** The queue a review is listed in. */
const queueOf = (r: Review): Queue => (isOfflineApproval(r) ? 'offline' : r.kind);

interface DecisionState {
  reviewId: string;
  reason: string;
  errors: FieldErrors;
  status: number;
}

/** The operator console under /console: sign-in with an API key, the review queues and the other pages. */

const OPERATOR_CONSOLE = 'operator-console';
export async function operatorConsole(app: FastifyInstance, deps: ConsoleDeps): Promise<void> {
  const { reviews, developers, apps, operators } = deps.services;
  installArea(app, deps.services, AREA, async (session) => ({ ok: true, label: `operator ${session.subjectId}` }));
  signOutRoute(app, deps, AREA);

  app.get('/signin', { config: { portalPublic: true } }, async (request, reply) => sendSignInPage(deps, request, reply, AREA, signInForm));
  app.post('/signin', { config: { portalPublic: true } }, async (request, reply) => {
    const b = bodyOf(request);
    const key = text(b, 'key').trim();
    const next = text(b, 'next');
    if (!key)
      return sendSignInPage(deps, request, reply, AREA, signInForm, {
        values: { next },
        errors: { key: 'Enter your operator API key.' },
        status: 400,
      });
    // Operator keys have no account: every attempt counts against the console as one account.
    if (!(await allowAttempt(deps, request, OPERATOR_CONSOLE)))
      return sendSignInPage(deps, request, reply, AREA, signInForm, {
        values: { next },
        errors: { _form: 'Too many sign-in attempts. Try again in a few minutes.' },
        status: 429,
      });
    const name = await operators.verifyAdminKey(key);
    if (!name)
      return sendSignInPage(deps, request, reply, AREA, signInForm, {
        values: { next },
        errors: { key: 'This key is not a valid operator key.' },
        status: 401,
      });
    await deps.signInLimiter.succeeded(request.ip, OPERATOR_CONSOLE);
    await startSession(deps, request, reply, AREA, name);
    return seeOther(reply, safeNext(AREA, next));
  });

  const reviewContext = async (r: Review): Promise<Html> => {
    const dev = await developers.getDeveloper(r.developerId).catch(() => null);
    const who = html`<dt>Developer</dt><dd>${dev ? html`${dev.name} &lt;${dev.email}&gt;` : r.developerId}</dd>`;
    if (r.kind === 'profile') {
      const p = await developers.getProfile(r.developerId);
      return html`${who}<dt>Organization</dt><dd>${p.organization}</dd><dt>Contact</dt><dd>${p.contactEmail}</dd><dt>Use case</dt><dd>${p.useCase}</dd><dt>Roles asked for</dt><dd>${describeRequest(r)}</dd>`;
    }
    if (r.kind === 'role_request') {
      const p = await developers.getProfile(r.developerId);
      const offline = isOfflineApproval(r)
        ? html`<dt>Approval</dt><dd><strong>Offline approval required</strong>: ${OFFLINE_APPROVAL_NOTE.replace('Your other roles are not held up by it.', 'Approve it here once it is approved offline.')}</dd>`
        : html``;
      return html`${who}<dt>Roles asked for</dt><dd>${describeRequest(r)}</dd>${offline}<dt>Profile</dt><dd>${p.status}</dd><dt>Approved already</dt><dd>${p.approvedRoles.join(', ') || '—'}</dd>`;
    }
    const a = r.appId ? await apps.get(r.appId).catch(() => null) : null;
    const appLine = html`<dt>App</dt><dd>${a ? html`<a href="/console/apps/${a.id}">${a.name}</a> (${a.type}, ${a.visibility})` : (r.appId ?? '—')}</dd>`;
    return html`${who}${appLine}<dt>Asked for</dt><dd>${describeRequest(r)}</dd>`;
  };

  const sendQueue = async (request: FastifyRequest, reply: FastifyReply, kind: Queue, decision?: DecisionState) => {
    const csrf = csrfOf(request);
    const pending = await reviews.list({ status: 'pending' });
    const counts = new Map(KINDS.map((k) => [k, pending.filter((r) => queueOf(r) === k).length]));
    const queue = pending.filter((r) => queueOf(r) === kind);
    const decided = (await reviews.list({ kind: kind === 'offline' ? 'role_request' : kind }))
      .filter((r) => r.status !== 'pending' && queueOf(r) === kind)
      .slice(-10)
      .reverse();
    const emails = new Map<string, string>();
    for (const r of decided)
      if (!emails.has(r.developerId))
        emails.set(r.developerId, (await developers.getDeveloper(r.developerId).catch(() => null))?.email ?? r.developerId);
    const tabs = html`<nav class="tabs" aria-label="Review queues">${KINDS.map(
      (k) =>
        html`<a href="/console/reviews?kind=${k}"${k === kind ? html` aria-current="page"` : ''}>${QUEUE_TITLE[k]} (${counts.get(k) ?? 0})</a>`,
    )}</nav>`;
    const cards = await Promise.all(
      queue.map(async (r) => {
        const mine = decision?.reviewId === r.id ? decision : null;
        const prefix = `r-${r.id}-`;
        return html`<section class="panel" aria-labelledby="${prefix}title"><h2 id="${prefix}title">${queueOf(r) === 'offline' ? OFFLINE_REVIEW_LABEL : REVIEW_KIND_LABEL[r.kind]} <span class="muted">· submitted ${time(r.createdAt)}</span></h2>
          <dl class="meta">${await reviewContext(r)}</dl>${mine ? errorSummary(mine.errors, prefix) : ''}
          <form method="post" action="/console/reviews/${r.id}" novalidate>${csrfField(csrf)}<input type="hidden" name="kind" value="${kind}">
            ${textarea({ name: 'reason', idPrefix: prefix, label: 'Reason (required to deny; shown to the developer)', value: mine?.reason ?? '', error: mine?.errors.reason, rows: 2 })}
            <div class="actions"><button type="submit" name="decision" value="approve">Approve</button><button type="submit" name="decision" value="deny" class="danger">Deny</button></div>
          </form></section>`;
      }),
    );
    const orphan = decision && !queue.some((r) => r.id === decision.reviewId) ? errorSummary(decision.errors) : html``;
    const body = html`<h1>Review queues</h1>${orphan}${tabs}<h2 class="sr-only">${QUEUE_TITLE[kind]}</h2>
      ${queue.length ? cards : html`<div class="panel empty"><p>Nothing is waiting in ${QUEUE_TITLE[kind].toLowerCase()}.</p></div>`}
      <h2>Recently decided</h2>
      ${
        decided.length
          ? html`<div class="table-wrap"><table><thead><tr><th scope="col">Developer</th><th scope="col">Asked for</th><th scope="col">Status</th><th scope="col">Reason</th><th scope="col">Reviewer</th><th scope="col">Decided</th></tr></thead><tbody>${decided.map(
              (r) =>
                html`<tr><td data-label="Developer">${emails.get(r.developerId)}</td><td data-label="Asked for">${describeRequest(r)}</td><td data-label="Status">${reviewBadge(r.status)}</td><td data-label="Reason">${r.reason ?? '—'}</td><td data-label="Reviewer">${r.reviewer ?? '—'}</td><td data-label="Decided">${time(r.decidedAt)}</td></tr>`,
            )}</tbody></table></div>`
          : html`<p class="muted">Nothing decided yet.</p>`
      }`;
    return sendPage(request, reply, AREA, `Reviews · ${QUEUE_TITLE[kind]}`, body, decision?.status ?? 200);
  };

  const kindOf = (value: unknown): Queue => (KINDS.includes(value as Queue) ? (value as Queue) : 'profile');
  app.get('/', async (request, reply) => sendQueue(request, reply, kindOf((request.query as Record<string, unknown>).kind)));
  app.get('/reviews', async (request, reply) => sendQueue(request, reply, kindOf((request.query as Record<string, unknown>).kind)));

  app.post('/reviews/:id', async (request, reply) => {
    const id = (request.params as { id: string }).id;
    const review = await reviews.get(id);
    const b = bodyOf(request);
    const decision = text(b, 'decision');
    const reason = text(b, 'reason').trim();
    const errors: FieldErrors = {};
    if (decision !== 'approve' && decision !== 'deny') errors._form = 'Choose Approve or Deny.';
    if (decision === 'deny' && !reason) errors.reason = 'A denial needs a reason the developer can act on.';
    if (hasErrors(errors)) return sendQueue(request, reply, queueOf(review), { reviewId: id, reason, errors, status: 400 });
    try {
      await reviews.decide(operatorActor(request), id, decision === 'approve', reason || null);
    } catch (err) {
      if (err instanceof AppError && err.status < 500)
        return sendQueue(request, reply, queueOf(review), { reviewId: id, reason, errors: { _form: err.message }, status: err.status });
      throw err;
    }
    setFlash(
      reply,
      deps.cookies,
      `${queueOf(review) === 'offline' ? OFFLINE_REVIEW_LABEL : REVIEW_KIND_LABEL[review.kind]}: ${decision === 'approve' ? 'approved' : 'denied'} (${describeRequest(review)}).`,
    );
    return seeOther(reply, `/console/reviews?kind=${queueOf(review)}`);
  });

  operatorRecordPages(app, deps);
  operatorAppPages(app, deps);
  operatorReportPages(app, deps);
  operatorRequestPages(app, deps);
  operatorEmulatorPages(app, deps);
  operatorAssets(app);
}

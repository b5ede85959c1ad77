import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { notFound } from '../../kernel/errors.ts';
import { html, type Html } from '../../platform/http/html.ts';
import type { Emulator, RequestLogEntry, RequestLogFilter } from '../emulator/index.ts';
import type { GatewayDecision, RefusingCheck } from '../gateway/index.ts';
import { OPERATIONS } from '../registry/index.ts';
import { badge, errorSummary, hasErrors, input, select, time, type BadgeTone, type Choice, type FieldErrors } from './forms.ts';
import { sendPage, type PortalDeps } from './layout.ts';
import { OPERATOR_AREA as AREA } from './session.ts';

/** What the console's emulator pages need from the emulator module of this process. */
export type ConsoleEmulator = Pick<Emulator, 'requestLog' | 'clock' | 'faults'>;
export type ConsoleDeps = PortalDeps & { emulator: ConsoleEmulator };

/** The words of each refusing check in the inspector. */
export const CHECK_LABEL: Record<RefusingCheck, string> = {
  token: 'Access token',
  token_expired: 'Access token expired',
  scope: 'Grantless scope',
  region: 'Region and environment',
  role: 'Role',
  usage_plan: 'Usage plan (throttled)',
  user_email: 'User email',
  group: 'Group (groupTag)',
  fault: 'Emulator fault rule',
};

const TOKEN_OPERATIONS = ['token.authorization_code', 'token.refresh_token', 'token.other'];
const PAGE_SIZE = 100;
const STATUS_PATTERN = /^([1-5][0-9][0-9]|[1-5]xx)$/;

/** The filters as typed in the form (strings), and their errors. */
interface FilterForm {
  app: string;
  business: string;
  order: string;
  operation: string;
  status: string;
  kind: string;
  since: string;
  until: string;
}

const FILTER_NAMES = ['app', 'business', 'order', 'operation', 'status', 'kind', 'since', 'until'] as const;

/** A time typed in the form: ISO 8601; without a zone it is UTC (the console shows times in UTC). */
export function parseTime(value: string): number | null {
  const v = value.trim();
  if (!/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?)?(Z|[+-]\d{2}:\d{2})?$/.test(v)) return null;
  const withZone = /(Z|[+-]\d{2}:\d{2})$/.test(v) ? v : `${v.replace(' ', 'T')}${v.length === 10 ? 'T00:00' : ''}Z`;
  const t = Date.parse(withZone);
  return Number.isNaN(t) ? null : t;
}

/** Reads and checks the filters of a query string. */
export function readFilters(query: unknown): { form: FilterForm; filter: RequestLogFilter; errors: FieldErrors } {
  const q = (query && typeof query === 'object' ? query : {}) as Record<string, unknown>;
  const str = (k: string): string => (typeof q[k] === 'string' ? (q[k] as string).trim().slice(0, 200) : '');
  const form = Object.fromEntries(FILTER_NAMES.map((k) => [k, str(k)])) as unknown as FilterForm;
  const errors: FieldErrors = {};
  const filter: RequestLogFilter = { limit: PAGE_SIZE };
  if (form.app) filter.appIds = [form.app];
  if (form.business) filter.businessId = form.business;
  if (form.order) filter.orderId = form.order;
  if (form.operation) {
    if (OPERATIONS.some((o) => o.operationId === form.operation) || TOKEN_OPERATIONS.includes(form.operation))
      filter.operation = form.operation;
    else errors.operation = 'Choose an operation from the list.';
  }
  if (form.status) {
    if (!STATUS_PATTERN.test(form.status)) errors.status = 'Enter a status such as 403, or a class such as 4xx.';
    else
      filter.status = form.status.endsWith('xx') ? [Number(form.status[0]) * 100, Number(form.status[0]) * 100 + 99] : Number(form.status);
  }
  if (form.kind) {
    if (form.kind === 'api' || form.kind === 'token') filter.kind = form.kind;
    else errors.kind = 'Choose API calls or token calls.';
  }
  for (const k of ['since', 'until'] as const) {
    if (!form[k]) continue;
    const t = parseTime(form[k]);
    if (t === null) errors[k] = 'Enter a UTC time such as 2026-12-05T14:30 (or 2026-12-05).';
    else filter[k] = t;
  }
  if (filter.since !== undefined && filter.until !== undefined && filter.until <= filter.since && !errors.until)
    errors.until = 'The end of the range must be after its start.';
  return { form, filter, errors };
}

const statusTone = (status: number): BadgeTone => (status < 300 ? 'ok' : status === 429 || status < 500 ? 'warn' : 'bad');

/** The refusing check of an entry, or the decision's absence, as a short badge. */
function decisionBadge(e: RequestLogEntry): Html {
  const d = e.decision;
  if (d?.refusedBy) return badge(CHECK_LABEL[d.refusedBy], d.refusedBy === 'fault' ? 'bad' : 'warn');
  if (e.faultId) return badge('Fault: latency', 'neutral');
  return html``;
}

const queryOf = (form: Partial<FilterForm>): string => {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(form)) if (v) p.set(k, v);
  const s = p.toString();
  return s ? `?${s}` : '';
};

/** One row of the list; the live updates send the same rows. */
function row(e: RequestLogEntry, names: Names): Html {
  return html`<tr data-id="${e.id}"><td data-label="Time">${time(Date.parse(e.at))}<br><span class="muted">${e.at.slice(11, 23)}</span></td>
    <td data-label="Call"><a href="/console/requests/${e.id}"><strong>${e.method}</strong> <code>${e.path.length > 90 ? `${e.path.slice(0, 90)}…` : e.path}</code></a><br><span class="muted">${e.operation ?? '—'}${e.region ? ` · ${e.environment ?? ''} ${e.region}` : ''}</span></td>
    <td data-label="App">${e.appId ? html`<a href="/console/requests${queryOf({ app: e.appId })}">${names.app(e.appId)}</a>` : html`<span class="muted">—</span>`}</td>
    <td data-label="Business">${e.businessId ? html`<a href="/console/requests${queryOf({ business: e.businessId })}">${names.business(e.businessId)}</a>` : html`<span class="muted">—</span>`}</td>
    <td data-label="Status">${badge(String(e.status), statusTone(e.status))} ${e.errorCode ? html`<span class="muted">${e.errorCode}</span>` : ''}</td>
    <td data-label="Gateway">${decisionBadge(e)}</td>
    <td data-label="Latency">${e.latencyMs.toFixed(1)} ms</td></tr>`;
}

interface Names {
  app(id: string): string;
  business(id: string): string;
}

async function namesOf(deps: PortalDeps): Promise<{ names: Names; apps: Choice[]; businesses: Choice[] }> {
  const [apps, businesses] = await Promise.all([deps.services.apps.list(), deps.services.accounts.listBusinesses()]);
  const appName = new Map(apps.map((a) => [a.id, a.name]));
  const businessName = new Map(businesses.map((b) => [b.id, b.name]));
  return {
    names: { app: (id) => appName.get(id) ?? id, business: (id) => businessName.get(id) ?? id },
    apps: apps.map((a) => ({ value: a.id, label: a.name })),
    businesses: businesses.map((b) => ({ value: b.id, label: b.name })),
  };
}

const TABLE_HEAD = html`<thead><tr><th scope="col">Time (UTC)</th><th scope="col">Call</th><th scope="col">App</th><th scope="col">Business</th><th scope="col">Status</th><th scope="col">Gateway</th><th scope="col">Latency</th></tr></thead>`;

function decisionDetails(d: GatewayDecision | null, e: RequestLogEntry): Html {
  if (e.kind === 'token')
    return html`<p>Token calls do not pass the gateway: ${e.status === 200 ? 'the token endpoint issued a token.' : html`the token endpoint refused it with <code>${e.errorCode ?? String(e.status)}</code>.`}</p>`;
  const refused = d?.refusedBy
    ? html`<dt>Refused by</dt><dd>${badge(CHECK_LABEL[d.refusedBy], 'warn')}</dd><dt>Why</dt><dd>${d.reason ?? '—'}</dd>`
    : html`<dt>Checks</dt><dd>${e.status < 400 ? 'Every check passed.' : d ? 'Every check of the gateway passed; the API answered the error itself.' : 'The call did not reach the checks (no such operation).'}</dd>`;
  const plan = d?.plan
    ? html`<dt>Usage-plan bucket</dt><dd><code>${d.plan.bucket}</code><br>${d.plan.rate} requests/s, burst ${d.plan.burst}${d.plan.retryAfterMs !== undefined ? html`; empty, next request allowed in ${d.plan.retryAfterMs} ms` : ''}</dd>`
    : html`<dt>Usage-plan bucket</dt><dd class="muted">None drawn (refused before the usage plan applied)</dd>`;
  const fault = e.faultId
    ? html`<dt>Injected fault</dt><dd><code>${e.faultId}</code> (<a href="/console/emulator#faults">fault rules</a>)</dd>`
    : html`<dt>Injected fault</dt><dd class="muted">None</dd>`;
  return html`<dl class="meta">${refused}${plan}${fault}</dl>`;
}

const pretty = (value: unknown): string => {
  if (typeof value !== 'string') return JSON.stringify(value, null, 2);
  try {
    return JSON.stringify(JSON.parse(value), null, 2);
  } catch {
    return value;
  }
};

/** `/console/requests`: the request inspector (list, filters, detail, live updates). */
export function operatorRequestPages(app: FastifyInstance, deps: ConsoleDeps): void {
  const log = deps.emulator.requestLog;

  const off = (): Html =>
    log.enabled
      ? html``
      : html`<div class="panel notice" role="status"><p>Recording is off on this server (<code>REQUEST_LOG_MAX_ENTRIES=0</code>): no new calls are listed.</p></div>`;

  app.get('/requests', async (request: FastifyRequest, reply: FastifyReply) => {
    const { form, filter, errors } = readFilters(request.query);
    const { names, apps, businesses } = await namesOf(deps);
    const entries = hasErrors(errors) ? [] : await log.list(filter);
    const any: Choice = { value: '', label: 'Any' };
    const operations: Choice[] = [
      any,
      ...OPERATIONS.map((o) => ({ value: o.operationId, label: `${o.operationId} (${o.api})` })),
      ...TOKEN_OPERATIONS.map((o) => ({ value: o, label: o })),
    ];
    const filtered = FILTER_NAMES.some((k) => form[k]);
    const body = html`<h1>Requests</h1>
      <p>API and token calls to this server, newest first. Times are UTC on the platform clock. Bodies are kept only with <code>REQUEST_LOG_BODIES=true</code>, with tokens and secrets redacted. <a href="/docs/console">What the columns and the gateway's decision mean</a>.</p>${off()}
      ${errorSummary(errors, 'rq-')}
      <form method="get" action="/console/requests" class="panel filters" role="search" aria-label="Filter requests" novalidate>
        ${select({ name: 'app', idPrefix: 'rq-', label: 'App', options: [any, ...apps], value: form.app })}
        ${select({ name: 'business', idPrefix: 'rq-', label: 'Business', options: [any, ...businesses], value: form.business })}
        ${select({ name: 'operation', idPrefix: 'rq-', label: 'Operation', options: operations, value: form.operation, error: errors.operation })}
        ${input({ name: 'status', idPrefix: 'rq-', label: 'Status', value: form.status, hint: 'e.g. 403 or 4xx', error: errors.status })}
        ${select({ name: 'kind', idPrefix: 'rq-', label: 'Kind', options: [any, { value: 'api', label: 'API calls' }, { value: 'token', label: 'Token calls' }], value: form.kind, error: errors.kind })}
        ${input({ name: 'since', idPrefix: 'rq-', label: 'From (UTC)', value: form.since, hint: 'e.g. 2026-12-05T14:30', error: errors.since })}
        ${input({ name: 'until', idPrefix: 'rq-', label: 'Until (UTC)', value: form.until, hint: 'exclusive', error: errors.until })}
        ${form.order ? html`<input type="hidden" name="order" value="${form.order}">` : ''}
        <div class="actions"><button type="submit">Filter</button>${filtered ? html`<a class="button secondary" href="/console/requests">Clear filters</a>` : ''}</div>
      </form>
      ${form.order ? html`<p>Calls of order <code>${form.order}</code> (its Ordering and Package Tracking calls).</p>` : ''}
      <p class="muted" id="rq-count">${entries.length === PAGE_SIZE ? `The newest ${PAGE_SIZE} calls` : `${entries.length} calls`}${filtered ? ' matching the filters' : ''}.</p>
      ${
        hasErrors(errors)
          ? ''
          : html`<div class="check"><input type="checkbox" id="rq-live" checked aria-describedby="rq-live-hint"><div><label for="rq-live">Live updates</label><span class="hint" id="rq-live-hint">New calls appear at the top while this page is open.</span></div></div>
      <p class="sr-only" role="status" aria-live="polite" id="rq-live-status"></p>`
      }
      <div class="table-wrap"><table id="rq-table" data-live="/console/requests.json${queryOf(form)}" data-after="${entries[0]?.id ?? 0}">${TABLE_HEAD}<tbody>${entries.map((e) => row(e, names))}</tbody></table></div>
      ${entries.length ? '' : html`<div class="panel empty" id="rq-empty"><p>No calls${filtered ? ' match these filters' : ' yet'}.</p></div>`}
      <script src="/console/assets/console.js" defer></script>${hasErrors(errors) ? '' : html`<script src="/console/assets/requests.js" defer></script>`}`;
    return sendPage(request, reply, AREA, 'Requests', body, hasErrors(errors) ? 400 : 200);
  });

  // The live updates: rows newer than `after`, rendered here so the page's script inserts escaped HTML only.
  app.get('/requests.json', async (request, reply) => {
    const { filter, errors } = readFilters(request.query);
    const q = request.query as Record<string, unknown>;
    const after = typeof q.after === 'string' && /^\d{1,15}$/.test(q.after) ? Number(q.after) : null;
    if (hasErrors(errors) || after === null)
      return reply
        .status(400)
        .header('cache-control', 'no-store')
        .send({ error: after === null ? 'after must be the id of the newest entry shown' : Object.values(errors).join(' ') });
    const { names } = await namesOf(deps);
    const entries = await log.list({ ...filter, afterId: after });
    return reply
      .header('cache-control', 'no-store')
      .send({ after: entries[0]?.id ?? after, count: entries.length, rows: entries.map((e) => row(e, names).value) });
  });

  app.get('/requests/:id', async (request, reply) => {
    const raw = (request.params as { id: string }).id;
    const id = /^\d{1,15}$/.test(raw) ? Number(raw) : null;
    const [e] = id === null ? [] : await log.list({ id, limit: 1 });
    if (!e) throw notFound(`Request ${raw}`);
    const { names } = await namesOf(deps);
    const resource = e.resource ? /^order:(.+)$/.exec(e.resource) : null;
    const body = html`<p><a href="/console/requests">← Requests</a></p><h1>${e.method} ${e.operation ?? e.path}</h1>
      <p>${badge(String(e.status), statusTone(e.status))} ${e.errorCode ? html`<code>${e.errorCode}</code>` : ''} ${decisionBadge(e)}</p>
      <dl class="meta"><dt>Time</dt><dd>${time(Date.parse(e.at))} (<code>${e.at}</code>)</dd><dt>Request ID</dt><dd><code>${e.requestId}</code></dd>
        <dt>Kind</dt><dd>${e.kind === 'api' ? 'API call' : 'Token call'}</dd><dt>Path</dt><dd><code>${e.path}</code></dd>
        <dt>Base URL</dt><dd>${e.environment ?? '—'} ${e.region ?? ''}</dd>
        <dt>App</dt><dd>${e.appId ? html`<a href="/console/apps/${e.appId}">${names.app(e.appId)}</a> · <a href="/console/requests${queryOf({ app: e.appId })}">its calls</a>` : e.clientId ? html`client <code>${e.clientId}</code> (unknown)` : '—'}</dd>
        <dt>Business</dt><dd>${e.businessId ? html`<a href="/console/businesses/${e.businessId}">${names.business(e.businessId)}</a> · <a href="/console/requests${queryOf({ business: e.businessId })}">its calls</a>` : '—'}</dd>
        <dt>User email</dt><dd>${e.userEmail ?? '—'}</dd><dt>Latency</dt><dd>${e.latencyMs.toFixed(1)} ms</dd>
        <dt>Resource</dt><dd>${resource ? html`order <code>${resource[1]}</code> · <a href="/console/requests${queryOf({ order: resource[1] })}">its calls</a>` : e.resource ? html`<code>${e.resource}</code>` : '—'}</dd></dl>
      <h2>Gateway decision</h2>${decisionDetails(e.decision, e)}
      <h2>Request</h2>${
        e.request
          ? html`<h3>Headers</h3><pre>${pretty(e.request.headers)}</pre><h3>Body</h3>${e.request.body !== null ? html`<pre>${pretty(e.request.body)}</pre>` : html`<p class="muted">No body.</p>`}`
          : html`<p class="muted">Headers and bodies are not kept: body logging is off (<code>REQUEST_LOG_BODIES=true</code> turns it on).</p>`
      }
      <h2>Response</h2>${e.response?.body != null ? html`<pre>${pretty(e.response.body)}</pre>` : html`<p class="muted">${e.request ? 'No body.' : 'Not kept (body logging is off).'}</p>`}`;
    return sendPage(request, reply, AREA, `Request ${e.requestId}`, body);
  });
}

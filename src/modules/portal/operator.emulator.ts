import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../kernel/errors.ts';
import { html, type Html } from '../../platform/http/html.ts';
import type { FaultInput, FaultView } from '../emulator/index.ts';
import { OPERATIONS } from '../registry/index.ts';
import {
  actionButton,
  bodyOf,
  csrfField,
  errorSummary,
  hasErrors,
  input,
  select,
  text,
  time,
  type Choice,
  type FieldErrors,
} from './forms.ts';
import { seeOther, sendPage } from './layout.ts';
import { parseTime, type ConsoleDeps } from './operator.requests.ts';
import { csrfOf, OPERATOR_AREA as AREA, operatorActor, setFlash } from './session.ts';

// The admin API takes advanceMs within ±3.2e12 (about a hundred years).
const MAX_MOVE_MS = 3.2e12;
const UNIT_MS: Record<string, number> = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000 };

/** A duration as typed: `90s`, `1h30m`, `2d`, `-1h`, or plain seconds (`3600`); null when unreadable. */
export function parseDuration(value: string): number | null {
  const v = value.trim().replace(/\s+/g, '');
  if (/^-?\d{1,13}$/.test(v)) return Number(v) * 1000;
  const m = /^(-?)((?:\d{1,9}(?:\.\d{1,3})?[dhms])+)$/.exec(v);
  if (!m) return null;
  let ms = 0;
  for (const [, n, unit] of m[2]!.matchAll(/(\d{1,9}(?:\.\d{1,3})?)([dhms])/g)) ms += Number(n) * UNIT_MS[unit!]!;
  return Math.round(m[1] ? -ms : ms);
}

/** A duration in words for the offset ("2 h 5 min ahead of the wall clock"). */
function describeOffset(ms: number): string {
  if (Math.abs(ms) < 1000) return 'on the wall clock';
  let rest = Math.round(Math.abs(ms) / 1000);
  const parts: string[] = [];
  for (const [unit, size] of [
    ['d', 86_400],
    ['h', 3600],
    ['min', 60],
    ['s', 1],
  ] as const) {
    const n = Math.floor(rest / size);
    if (n > 0) parts.push(`${n} ${unit}`);
    rest -= n * size;
  }
  return `${parts.join(' ')} ${ms > 0 ? 'ahead of' : 'behind'} the wall clock`;
}

interface ClockState {
  form: 'advance' | 'set';
  value: string;
  errors: FieldErrors;
}
interface FaultState {
  values: Record<string, string>;
  errors: FieldErrors;
}

const FAULT_FIELDS = ['operation', 'appId', 'businessId', 'status', 'latencyMs', 'count', 'percentage', 'note'] as const;

/** Which field a message of the fault service is about (its messages name the field first). */
function faultField(message: string): string {
  if (/^status|needs a status/.test(message)) return 'status';
  if (/^latencyMs/.test(message)) return 'latencyMs';
  if (/^count/.test(message)) return 'count';
  if (/^percentage/.test(message)) return 'percentage';
  if (/operation/i.test(message)) return 'operation';
  if (/^App /.test(message)) return 'appId';
  if (/^Business /.test(message)) return 'businessId';
  return '_form';
}

/** `/console/emulator`: the virtual clock and the fault rules, through the same services as the admin API. */
export function operatorEmulatorPages(app: FastifyInstance, deps: ConsoleDeps): void {
  const { clock, faults } = deps.emulator;
  const enabled = deps.ctx.config.emulator;

  const sendEmulator = async (
    request: FastifyRequest,
    reply: FastifyReply,
    state: { clock?: ClockState; fault?: FaultState; status?: number } = {},
  ) => {
    if (!enabled)
      return sendPage(
        request,
        reply,
        AREA,
        'Clock and faults',
        html`<h1>Clock and faults</h1><div class="panel notice" role="status"><p>Emulator mode is off on this server (<code>EMULATOR=false</code>): the platform clock is the wall clock and no fault rules apply. Start the server with <code>EMULATOR=true</code> to use the virtual clock and fault rules.</p></div>`,
        state.status ?? 200,
      );
    const csrf = csrfOf(request);
    const c = state.clock;
    const view = clock?.view() ?? null;
    const clockHtml: Html =
      clock && view
        ? html`<section class="panel" aria-labelledby="clock-title"><h2 id="clock-title">Virtual clock</h2>
          <dl class="meta"><dt>Platform time</dt><dd>${time(view.epochMs)} (<code id="clock-now">${view.now}</code>)</dd><dt>Offset</dt><dd>${describeOffset(view.offsetMs)} (<code>${view.offsetMs}</code> ms)</dd></dl>
          <p class="hint">Tokens, consent codes, order stages and report jobs all follow this clock, in every process of the server. So do portal sessions: moving the clock past the end of your session signs you out.</p>
          ${c ? errorSummary(c.errors, `clock-${c.form}-`) : ''}
          <form method="post" action="/console/emulator/clock" novalidate>${csrfField(csrf)}<input type="hidden" name="action" value="advance">
            ${input({ name: 'by', idPrefix: 'clock-advance-', label: 'Advance by', value: c?.form === 'advance' ? c.value : '', hint: 'e.g. 90s, 30m, 1h1m, 2d, or -1h to move back; a plain number is seconds', error: c?.form === 'advance' ? c.errors.by : undefined })}
            <div class="actions"><button type="submit">Advance the clock</button></div></form>
          <form method="post" action="/console/emulator/clock" novalidate>${csrfField(csrf)}<input type="hidden" name="action" value="set">
            ${input({ name: 'at', idPrefix: 'clock-set-', label: 'Set to (UTC)', value: c?.form === 'set' ? c.value : '', hint: 'e.g. 2027-01-15T09:00; the clock runs on from there', error: c?.form === 'set' ? c.errors.at : undefined })}
            <div class="actions"><button type="submit">Set the clock</button></div></form>
          <form method="post" action="/console/emulator/clock">${csrfField(csrf)}<input type="hidden" name="action" value="reset"><div class="actions"><button type="submit" class="secondary">Reset to the wall clock</button></div></form>
        </section>`
        : html`<section class="panel" aria-labelledby="clock-title"><h2 id="clock-title">Virtual clock</h2><p>The platform clock of this server is not virtual, so it cannot be moved.</p></section>`;

    let faultHtml: Html = html``;
    if (faults) {
      const [rules, apps, businesses] = await Promise.all([
        faults.list(),
        deps.services.apps.list(),
        deps.services.accounts.listBusinesses(),
      ]);
      const appName = new Map(apps.map((a) => [a.id, a.name]));
      const businessName = new Map(businesses.map((b) => [b.id, b.name]));
      const f = state.fault ?? { values: { percentage: '100' }, errors: {} };
      const any: Choice = { value: '', label: 'Any' };
      const ruleRow = (r: FaultView) =>
        html`<tr><td data-label="Rule"><code>${r.id}</code>${r.note ? html`<br>${r.note}` : ''}</td>
          <td data-label="Matches">${r.operation ? html`<code>${r.operation}</code>` : 'any operation'}; ${r.appId ? html`<a href="/console/apps/${r.appId}">${appName.get(r.appId) ?? r.appId}</a>` : 'any app'}; ${r.businessId ? html`<a href="/console/businesses/${r.businessId}">${businessName.get(r.businessId) ?? r.businessId}</a>` : 'any business'}</td>
          <td data-label="Effect">${r.status ? `${r.status}` : 'no error'}${r.latencyMs ? ` after ${r.latencyMs} ms` : ''}${r.percentage < 100 ? `, ${r.percentage}% of calls` : ''}</td>
          <td data-label="Left">${r.remaining === null ? 'until removed' : `${r.remaining} calls`}${r.active ? '' : html` <span class="badge neutral">spent</span>`}</td>
          <td data-label="Created">${time(Date.parse(r.createdAt))}</td>
          <td data-label="Action">${actionButton({ action: `/console/emulator/faults/${r.id}/remove`, csrf, label: html`Remove<span class="sr-only"> rule ${r.id}</span>`, variant: 'secondary' })}</td></tr>`;
      faultHtml = html`<section aria-labelledby="faults"><h2 id="faults">Fault rules</h2>
        <p>A rule answers matching API calls with an error in the real envelope, or delays them, after the gateway's checks pass (<a href="/docs/emulator">the emulator guide</a>). <a href="/console/requests">Injected faults show in the request inspector.</a></p>
        ${
          rules.length
            ? html`<div class="table-wrap"><table><thead><tr><th scope="col">Rule</th><th scope="col">Matches</th><th scope="col">Effect</th><th scope="col">Left</th><th scope="col">Created</th><th scope="col">Action</th></tr></thead><tbody>${rules.map(ruleRow)}</tbody></table></div>
              <form method="post" action="/console/emulator/faults/remove-all">${csrfField(csrf)}<div class="actions"><button type="submit" class="danger">Remove every rule</button></div></form>`
            : html`<div class="panel empty"><p>No fault rules: every call is answered normally.</p></div>`
        }
        ${errorSummary(f.errors, 'fault-')}
        <form method="post" action="/console/emulator/faults" class="panel" novalidate aria-labelledby="fault-add-title">${csrfField(csrf)}<h3 id="fault-add-title">Add a rule</h3>
          ${select({ name: 'operation', idPrefix: 'fault-', label: 'Operation', options: [any, ...OPERATIONS.map((o) => ({ value: o.operationId, label: `${o.operationId} (${o.api})` }))], value: f.values.operation ?? '', error: f.errors.operation })}
          ${select({ name: 'appId', idPrefix: 'fault-', label: 'App', options: [any, ...apps.map((a) => ({ value: a.id, label: a.name }))], value: f.values.appId ?? '', error: f.errors.appId })}
          ${select({ name: 'businessId', idPrefix: 'fault-', label: 'Business', options: [any, ...businesses.map((b) => ({ value: b.id, label: b.name }))], value: f.values.businessId ?? '', error: f.errors.businessId })}
          ${select({ name: 'status', idPrefix: 'fault-', label: 'Answer with', options: [{ value: '', label: 'No error (latency only)' }, ...['429', '500', '503', '504'].map((s) => ({ value: s, label: s }))], value: f.values.status ?? '', error: f.errors.status })}
          ${input({ name: 'latencyMs', idPrefix: 'fault-', label: 'Added latency (ms)', type: 'number', min: '0', step: '1', value: f.values.latencyMs ?? '', error: f.errors.latencyMs, hint: 'Up to 60000' })}
          ${input({ name: 'count', idPrefix: 'fault-', label: 'Only the next N calls', type: 'number', min: '1', step: '1', value: f.values.count ?? '', error: f.errors.count, hint: 'Empty: until removed' })}
          ${input({ name: 'percentage', idPrefix: 'fault-', label: 'Share of matching calls (%)', type: 'number', min: '1', max: '100', step: '1', value: f.values.percentage ?? '', error: f.errors.percentage })}
          ${input({ name: 'note', idPrefix: 'fault-', label: 'Note', value: f.values.note ?? '', error: f.errors.note })}
          <div class="actions"><button type="submit">Add the rule</button></div></form></section>`;
    }
    const body = html`<h1>Clock and faults</h1><p class="muted">How these work: <a href="/docs/console">the console guide</a>.</p>${clockHtml}${faultHtml}<script src="/console/assets/console.js" defer></script>`;
    return sendPage(request, reply, AREA, 'Clock and faults', body, state.status ?? 200);
  };

  app.get('/emulator', async (request, reply) => sendEmulator(request, reply));

  app.post('/emulator/clock', async (request, reply) => {
    if (!enabled || !clock) return sendEmulator(request, reply, { status: 409 });
    const b = bodyOf(request);
    const action = text(b, 'action');
    const actor = operatorActor(request);
    if (action === 'advance') {
      const value = text(b, 'by').trim();
      const ms = value ? parseDuration(value) : null;
      const error = !value
        ? 'Enter how far to move the clock, e.g. 1h.'
        : ms === null
          ? 'Enter a duration such as 90s, 30m, 1h1m or 2d (a plain number is seconds).'
          : ms === 0
            ? 'Enter a duration other than zero.'
            : Math.abs(ms) > MAX_MOVE_MS
              ? 'The clock moves by at most about a hundred years at a time.'
              : null;
      if (error) return sendEmulator(request, reply, { clock: { form: 'advance', value, errors: { by: error } }, status: 400 });
      const after = await clock.advance(actor, ms!);
      request.log.info({ operator: request.portal?.session.subjectId, to: after.now, offsetMs: after.offsetMs }, 'virtual clock changed');
      setFlash(reply, deps.cookies, `The clock moved by ${value}: it is now ${after.now}.`);
    } else if (action === 'set') {
      const value = text(b, 'at').trim();
      const at = value ? parseTime(value) : null;
      const error = !value
        ? 'Enter the time to set the clock to.'
        : at === null
          ? 'Enter a UTC time such as 2027-01-15T09:00.'
          : Math.abs(at - deps.ctx.clock.now()) > MAX_MOVE_MS
            ? 'Set a time within about a hundred years of now.'
            : null;
      if (error) return sendEmulator(request, reply, { clock: { form: 'set', value, errors: { at: error } }, status: 400 });
      const after = await clock.set(actor, at!);
      request.log.info({ operator: request.portal?.session.subjectId, to: after.now, offsetMs: after.offsetMs }, 'virtual clock changed');
      setFlash(reply, deps.cookies, `The clock was set: it is now ${after.now}.`);
    } else if (action === 'reset') {
      const after = await clock.reset(actor);
      request.log.info({ operator: request.portal?.session.subjectId, to: after.now }, 'virtual clock changed');
      setFlash(reply, deps.cookies, `The clock is back on the wall clock: ${after.now}.`);
    } else
      return sendEmulator(request, reply, {
        clock: { form: 'advance', value: '', errors: { _form: 'Choose advance, set or reset.' } },
        status: 400,
      });
    return seeOther(reply, '/console/emulator');
  });

  app.post('/emulator/faults', async (request, reply) => {
    if (!faults) return sendEmulator(request, reply, { status: 409 });
    const b = bodyOf(request);
    const values = Object.fromEntries(FAULT_FIELDS.map((k) => [k, text(b, k).trim()]));
    const errors: FieldErrors = {};
    const whole = (name: string): number | undefined => {
      const v = values[name]!;
      if (!v) return undefined;
      if (!/^\d{1,10}$/.test(v)) {
        errors[name] = 'Enter a whole number.';
        return undefined;
      }
      return Number(v);
    };
    const input: FaultInput = {};
    if (values.operation) input.operation = values.operation;
    if (values.appId) input.appId = values.appId;
    if (values.businessId) input.businessId = values.businessId;
    if (values.status) {
      if (['429', '500', '503', '504'].includes(values.status!)) input.status = Number(values.status);
      else errors.status = 'Choose 429, 500, 503 or 504.';
    }
    const latencyMs = whole('latencyMs');
    if (latencyMs !== undefined) input.latencyMs = latencyMs;
    const count = whole('count');
    if (count !== undefined) input.count = count;
    const percentage = whole('percentage');
    if (percentage !== undefined) input.percentage = percentage;
    if (values.note) {
      if (values.note.length > 500) errors.note = 'Keep the note under 500 characters.';
      else input.note = values.note;
    }
    if (hasErrors(errors)) return sendEmulator(request, reply, { fault: { values, errors }, status: 400 });
    try {
      const rule = await faults.create(operatorActor(request), input);
      setFlash(reply, deps.cookies, `Fault rule ${rule.id} added.`);
    } catch (err) {
      if (err instanceof AppError && err.status < 500)
        return sendEmulator(request, reply, { fault: { values, errors: { [faultField(err.message)]: err.message } }, status: err.status });
      throw err;
    }
    return seeOther(reply, '/console/emulator#faults');
  });

  app.post('/emulator/faults/remove-all', async (request, reply) => {
    if (!faults) return sendEmulator(request, reply, { status: 409 });
    const removed = await faults.remove(operatorActor(request), null);
    setFlash(reply, deps.cookies, `${removed} fault rule${removed === 1 ? '' : 's'} removed.`);
    return seeOther(reply, '/console/emulator#faults');
  });

  app.post('/emulator/faults/:id/remove', async (request, reply) => {
    if (!faults) return sendEmulator(request, reply, { status: 409 });
    const id = (request.params as { id: string }).id;
    await faults.remove(operatorActor(request), id);
    setFlash(reply, deps.cookies, `Fault rule ${id} removed.`);
    return seeOther(reply, '/console/emulator#faults');
  });
}

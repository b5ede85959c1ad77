import type { FastifyRequest } from 'fastify';
import { html, type Html } from '../../platform/http/html.ts';

/** A parsed form body (application/x-www-form-urlencoded); repeated names arrive as arrays. */
export type FormBody = Record<string, unknown>;

/** Validation messages by field name; rendered next to the fields and in the summary. */
export type FieldErrors = Record<string, string>;

export const hasErrors = (errors: FieldErrors): boolean => Object.keys(errors).length > 0;

export function bodyOf(request: FastifyRequest): FormBody {
  const b = request.body;
  return b && typeof b === 'object' && !Array.isArray(b) ? (b as FormBody) : {};
}

/** The single text value of a field ('' when absent). */
export function text(body: FormBody, name: string): string {
  const v = body[name];
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && typeof v[0] === 'string') return v[0];
  return '';
}

/** Every value of a repeated field (checkboxes). */
export function values(body: FormBody, name: string): string[] {
  const v = body[name];
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return [];
}

/** Non-empty trimmed lines of a textarea. */
export const lines = (value: string): string[] =>
  value
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);

export { isEmail } from '../../kernel/email.ts';

export const fieldId = (name: string, prefix = ''): string => `f-${prefix}${name}`.replace(/[^A-Za-z0-9_-]/g, '-');

export const csrfField = (token: string): Html => html`<input type="hidden" name="csrf" value="${token}">`;

function describedBy(id: string, hint?: string, error?: string): Html {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return ids ? html` aria-describedby="${ids}"` : html``;
}

function hintAndError(id: string, hint?: string, error?: string): Html {
  return html`${hint ? html`<p class="hint" id="${id}-hint">${hint}</p>` : ''}${error ? html`<p class="field-error" id="${id}-error">${error}</p>` : ''}`;
}

export interface InputOptions {
  name: string;
  label: string;
  value?: string;
  type?: 'text' | 'email' | 'password' | 'url' | 'number';
  error?: string;
  hint?: string;
  required?: boolean;
  autocomplete?: string;
  /** Makes ids unique when one page holds several forms with the same field names. */
  idPrefix?: string;
  step?: string;
  min?: string;
  max?: string;
  list?: string;
  /** Focus this field when the page loads (the first field in error of a re-rendered form). */
  autofocus?: boolean;
}

/** A labelled input with its hint and its error next to it. Passwords are never echoed back. */
export function input(o: InputOptions): Html {
  const id = fieldId(o.name, o.idPrefix);
  const type = o.type ?? 'text';
  const value = type === 'password' ? '' : (o.value ?? '');
  const extra = [
    o.required ? html` required` : html``,
    o.autocomplete ? html` autocomplete="${o.autocomplete}"` : html``,
    o.step ? html` step="${o.step}"` : html``,
    o.min ? html` min="${o.min}"` : html``,
    o.max ? html` max="${o.max}"` : html``,
    o.list ? html` list="${o.list}"` : html``,
    o.error ? html` aria-invalid="true"` : html``,
    o.autofocus ? html` autofocus` : html``,
  ];
  return html`<div class="field"><label for="${id}">${o.label}</label>${hintAndError(id, o.hint, o.error)}<input id="${id}" name="${o.name}" type="${type}" value="${value}"${describedBy(id, o.hint, o.error)}${extra}></div>`;
}

export function textarea(o: Omit<InputOptions, 'type' | 'step' | 'min' | 'max' | 'list'> & { rows?: number }): Html {
  const id = fieldId(o.name, o.idPrefix);
  const extra = [
    o.required ? html` required` : html``,
    o.error ? html` aria-invalid="true"` : html``,
    o.autofocus ? html` autofocus` : html``,
  ];
  return html`<div class="field"><label for="${id}">${o.label}</label>${hintAndError(id, o.hint, o.error)}<textarea id="${id}" name="${o.name}" rows="${o.rows ?? 3}"${describedBy(id, o.hint, o.error)}${extra}>${o.value ?? ''}</textarea></div>`;
}

export interface Choice {
  value: string;
  label: string;
  hint?: string;
  disabled?: boolean;
}

export function select(o: {
  name: string;
  label: string;
  options: Choice[];
  value?: string;
  error?: string;
  hint?: string;
  idPrefix?: string;
  required?: boolean;
  autofocus?: boolean;
}): Html {
  const id = fieldId(o.name, o.idPrefix);
  return html`<div class="field"><label for="${id}">${o.label}</label>${hintAndError(id, o.hint, o.error)}<select id="${id}" name="${o.name}"${describedBy(id, o.hint, o.error)}${o.required ? html` required` : ''}${o.error ? html` aria-invalid="true"` : ''}${o.autofocus ? html` autofocus` : ''}>${o.options.map(
    (c) =>
      html`<option value="${c.value}"${c.value === o.value ? html` selected` : ''}${c.disabled ? html` disabled` : ''}>${c.label}</option>`,
  )}</select></div>`;
}

/** A group of checkboxes (or radio buttons) in a fieldset whose legend names the group. */
export function choices(o: {
  name: string;
  legend: string;
  options: Choice[];
  checked: readonly string[];
  error?: string;
  hint?: string;
  idPrefix?: string;
  type?: 'checkbox' | 'radio';
  empty?: Html | string;
  /** Focus the first choice when the page loads (the group is the first field in error). */
  autofocus?: boolean;
}): Html {
  const id = fieldId(o.name, o.idPrefix);
  const type = o.type ?? 'checkbox';
  const items = o.options.map((c, i) => {
    const cid = `${id}-${i}`;
    return html`<div class="check"><input type="${type}" id="${cid}" name="${o.name}" value="${c.value}"${o.checked.includes(c.value) ? html` checked` : ''}${c.disabled ? html` disabled` : ''}${c.hint ? html` aria-describedby="${cid}-hint"` : ''}${o.autofocus && i === 0 ? html` autofocus` : ''}><div><label for="${cid}">${c.label}</label>${c.hint ? html`<span class="hint" id="${cid}-hint">${c.hint}</span>` : ''}</div></div>`;
  });
  return html`<fieldset id="${id}"${describedBy(id, o.hint, o.error)}><legend>${o.legend}</legend>${hintAndError(id, o.hint, o.error)}${o.options.length ? items : html`<p class="muted">${o.empty ?? 'Nothing to choose from.'}</p>`}</fieldset>`;
}

/** A single checkbox with its label. */
export function checkbox(o: { name: string; label: string; checked: boolean; hint?: string; idPrefix?: string; value?: string }): Html {
  const id = fieldId(o.name, o.idPrefix);
  return html`<div class="check"><input type="checkbox" id="${id}" name="${o.name}" value="${o.value ?? 'on'}"${o.checked ? html` checked` : ''}${o.hint ? html` aria-describedby="${id}-hint"` : ''}><div><label for="${id}">${o.label}</label>${o.hint ? html`<span class="hint" id="${id}-hint">${o.hint}</span>` : ''}</div></div>`;
}

/** The first field in error (the one to focus), or null when only the form as a whole is refused. */
export const firstErrorField = (errors: FieldErrors): string | null => Object.keys(errors).find((k) => k !== '_form') ?? null;

/**
 * The list of problems above a form, each linking to its field. With `focus`, a summary of errors
 * that belong to no field takes the focus when the page loads (a field in error takes it otherwise).
 */
export function errorSummary(errors: FieldErrors, idPrefix = '', options: { focus?: boolean } = {}): Html {
  const entries = Object.entries(errors);
  if (entries.length === 0) return html``;
  const focus = options.focus && firstErrorField(errors) === null;
  return html`<div class="panel error" role="alert"${focus ? html` tabindex="-1" autofocus` : ''}><h2>There is a problem</h2><ul>${entries.map(
    ([name, message]) =>
      name === '_form' ? html`<li>${message}</li>` : html`<li><a href="#${fieldId(name, idPrefix)}">${message}</a></li>`,
  )}</ul></div>`;
}

/** A one-button form for an action on a row (rotate, delete, approve…), with its own CSRF token. */
export function actionButton(o: {
  action: string;
  csrf: string;
  label: string | Html;
  variant?: 'secondary' | 'danger';
  fields?: Record<string, string>;
  describedBy?: string;
}): Html {
  const hidden = Object.entries(o.fields ?? {}).map(([k, v]) => html`<input type="hidden" name="${k}" value="${v}">`);
  return html`<form method="post" action="${o.action}" class="inline">${csrfField(o.csrf)}${hidden}<button type="submit"${o.variant ? html` class="${o.variant}"` : ''}${o.describedBy ? html` aria-describedby="${o.describedBy}"` : ''}>${o.label}</button></form>`;
}

/** A time as a readable UTC string inside a machine-readable <time>. */
export function time(value: number | string | null | undefined): Html {
  if (value === null || value === undefined) return html`—`;
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return html`—`;
  const iso = d.toISOString();
  return html`<time datetime="${iso}">${iso.slice(0, 16).replace('T', ' ')} UTC</time>`;
}

export type BadgeTone = 'ok' | 'warn' | 'bad' | 'neutral';
export const badge = (label: string, tone: BadgeTone): Html => html`<span class="badge ${tone}">${label}</span>`;

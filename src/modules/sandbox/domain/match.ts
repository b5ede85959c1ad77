import type { ParamValue, RequestLocation, Scenario, ScenarioDefinition, ScenarioOrigin } from './scenario.ts';

/**
 * Static sandbox matching (platform spec 6.3). A scenario matches a request when
 *  - every path, query, header and body parameter it lists is present and equal;
 *  - the request has no query parameter and no body that the scenario does not list
 *    (path parameters and headers it does not list are ignored);
 *  - no query key is repeated: arrays travel comma-separated, so `facets=A&facets=B` never
 *    equals `["A","B"]` (nor anything else).
 * Values compare in their wire form: strings as they are, numbers and booleans as JSON writes
 * them, arrays joined with commas. The body compares as whole JSON (key order aside).
 * Unless matching is literal, a query parameter sent at the model's default means the same as one
 * left out, and a boolean may be written `true`, `false`, `1` or `0` in any case.
 */

/** The parts of an HTTP request the matcher looks at. */
export interface SandboxRequest {
  /** Decoded path parameters, by the operation's parameter names. */
  readonly pathParams: Readonly<Record<string, string>>;
  /** The query string as sent, without the `?` (percent-encoded; `+` is a space). */
  readonly rawQuery: string;
  /** Header names in lower case, as Node gives them. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The parsed JSON body; undefined when the request has none. */
  readonly body: unknown;
}

/** What the operation declares about its query parameters, for matching. */
export interface QueryDeclaration {
  /** The model says boolean: `1`/`0` and any case mean `true`/`false`. */
  readonly boolean: boolean;
  /** The model's default, in wire form: sent at it, a parameter means the same as left out. */
  readonly default?: string;
}

/** How requests are compared with scenarios. */
export interface MatchOptions {
  /** The operation's query parameters by name. */
  readonly query?: ReadonlyMap<string, QueryDeclaration>;
  /** Strictly literal matching: no defaults, no boolean spellings (`SANDBOX_MATCHING=literal`). */
  readonly literal?: boolean;
}

export type MismatchKind = 'missing-parameter' | 'changed-value' | 'repeated-key' | 'extra-parameter';

/** Why one scenario did not match. */
export interface Mismatch {
  readonly kind: MismatchKind;
  readonly location: RequestLocation;
  readonly name: string;
  /** For body differences: the JSON pointer of the first difference. */
  readonly detail?: string;
}

export type MatchResult<S extends ScenarioDefinition = Scenario> =
  | { readonly matched: true; readonly scenario: S }
  | { readonly matched: false; readonly nearMisses: readonly { readonly scenario: S; readonly mismatches: readonly Mismatch[] }[] };

const ORIGIN_RANK: Record<ScenarioOrigin, number> = { runtime: 0, operator: 1, shipped: 2 };
const statusRank = (status: number): number => (status >= 200 && status < 300 ? 0 : 1);

/**
 * Precedence: runtime scenarios, then operator files, then shipped files; within each, 2xx
 * responses before all others; then `order`; then load order.
 */
export function compareScenarios(a: Scenario, b: Scenario): number {
  return (
    ORIGIN_RANK[a.origin] - ORIGIN_RANK[b.origin] ||
    statusRank(a.response.status) - statusRank(b.response.status) ||
    a.order - b.order ||
    a.seq - b.seq
  );
}

/** A parameter value in its wire form. */
export function toWireValue(value: ParamValue): string {
  return Array.isArray(value) ? value.map((v) => String(v)).join(',') : String(value);
}

function decodeQueryComponent(text: string): string {
  const spaced = text.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}

/** Parses a raw query string into its keys and every value sent for each. */
export function parseRawQuery(rawQuery: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const part of rawQuery.replace(/^\?/, '').split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = decodeQueryComponent(eq < 0 ? part : part.slice(0, eq));
    const value = eq < 0 ? '' : decodeQueryComponent(part.slice(eq + 1));
    const values = out.get(key);
    if (values) values.push(value);
    else out.set(key, [value]);
  }
  return out;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const escapePointer = (key: string): string => key.replace(/~/g, '~0').replace(/\//g, '~1');

/** The JSON pointer of the first place where two JSON values differ, or null when they are equal. */
export function jsonDifference(expected: unknown, actual: unknown, at = ''): string | null {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) return at || '/';
    for (let i = 0; i < expected.length; i++) {
      const d = jsonDifference(expected[i], actual[i], `${at}/${i}`);
      if (d !== null) return d;
    }
    return null;
  }
  if (isPlainObject(expected)) {
    if (!isPlainObject(actual)) return at || '/';
    for (const key of Object.keys(expected)) {
      if (!Object.hasOwn(actual, key)) return `${at}/${escapePointer(key)}`;
      const d = jsonDifference(expected[key], actual[key], `${at}/${escapePointer(key)}`);
      if (d !== null) return d;
    }
    for (const key of Object.keys(actual)) if (!Object.hasOwn(expected, key)) return `${at}/${escapePointer(key)}`;
    return null;
  }
  return Object.is(expected, actual) || expected === actual ? null : at || '/';
}

/** A query value as the operation means it: booleans in one spelling (unless matching is literal). */
function meaning(name: string, value: string, options: MatchOptions): string {
  if (options.literal || !options.query?.get(name)?.boolean) return value;
  const v = value.trim().toLowerCase();
  return v === '1' ? 'true' : v === '0' ? 'false' : v;
}

/** The model's default of a query parameter, unless matching is literal. */
const defaultOf = (name: string, options: MatchOptions): string | undefined => (options.literal ? undefined : options.query?.get(name)?.default);

/** Everything that keeps one scenario from matching the request; empty when it matches. */
export function explainMismatch(
  scenario: ScenarioDefinition,
  request: SandboxRequest,
  query = parseRawQuery(request.rawQuery),
  options: MatchOptions = {},
): Mismatch[] {
  const out: Mismatch[] = [];
  const { path, query: listedQuery, header, body } = scenario.request;

  for (const [name, value] of Object.entries(path)) {
    const actual = request.pathParams[name];
    if (actual === undefined) out.push({ kind: 'missing-parameter', location: 'path', name });
    else if (actual !== toWireValue(value)) out.push({ kind: 'changed-value', location: 'path', name });
  }

  for (const [name, value] of Object.entries(listedQuery)) {
    const expected = meaning(name, toWireValue(value), options);
    const actual = query.get(name);
    const fallback = defaultOf(name, options);
    if (actual === undefined) {
      // Left out, it has its default: the same request as one sending the default.
      if (fallback === undefined || meaning(name, fallback, options) !== expected) out.push({ kind: 'missing-parameter', location: 'query', name });
    } else if (actual.length > 1) out.push({ kind: 'repeated-key', location: 'query', name });
    else if (meaning(name, actual[0]!, options) !== expected) out.push({ kind: 'changed-value', location: 'query', name });
  }
  for (const [name, values] of query) {
    if (Object.hasOwn(listedQuery, name)) continue;
    const fallback = defaultOf(name, options);
    if (values.length === 1 && fallback !== undefined && meaning(name, values[0]!, options) === meaning(name, fallback, options)) continue;
    out.push({ kind: values.length > 1 ? 'repeated-key' : 'extra-parameter', location: 'query', name });
  }

  for (const [name, value] of Object.entries(header)) {
    const actual = request.headers[name.toLowerCase()];
    if (actual === undefined) out.push({ kind: 'missing-parameter', location: 'header', name });
    else if (Array.isArray(actual)) out.push({ kind: 'repeated-key', location: 'header', name });
    else if (actual !== toWireValue(value)) out.push({ kind: 'changed-value', location: 'header', name });
  }

  if (body !== undefined) {
    if (request.body === undefined) out.push({ kind: 'missing-parameter', location: 'body', name: 'body' });
    else {
      const at = jsonDifference(body, request.body);
      if (at !== null) out.push({ kind: 'changed-value', location: 'body', name: 'body', detail: at });
    }
  } else if (request.body !== undefined) {
    out.push({ kind: 'extra-parameter', location: 'body', name: 'body' });
  }
  return out;
}

/** The first candidate (in the order given) that matches, or every candidate's mismatches. */
export function matchRequest<S extends ScenarioDefinition>(candidates: readonly S[], request: SandboxRequest, options: MatchOptions = {}): MatchResult<S> {
  const query = parseRawQuery(request.rawQuery);
  const nearMisses: { scenario: S; mismatches: Mismatch[] }[] = [];
  for (const scenario of candidates) {
    const mismatches = explainMismatch(scenario, request, query, options);
    if (mismatches.length === 0) return { matched: true, scenario };
    nearMisses.push({ scenario, mismatches });
  }
  return { matched: false, nearMisses };
}

/** One line per near miss, for the log (never for the wire). */
export function describeNearMisses(nearMisses: readonly { scenario: ScenarioDefinition & { id?: string }; mismatches: readonly Mismatch[] }[]): string {
  if (nearMisses.length === 0) return 'no scenario for this operation';
  return nearMisses
    .map(({ scenario, mismatches }) => {
      const what = mismatches.map((m) => `${m.kind} ${m.location} ${m.name}${m.detail ? ` at ${m.detail}` : ''}`).join(', ');
      return `${scenario.id ?? scenario.operationId} (${scenario.response.status}): ${what}`;
    })
    .join('; ');
}

import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { TestApp } from './app.ts';
import { stateDigest } from './state.ts';
import { isolatedDatabase } from './isolated.ts';
import { gatewayWorld } from './gateway.ts';
import { ROLES } from '../../src/kernel/reference.ts';

/**
 * Shared pieces of the fuzz suites (test/fuzz): the run budget and seed, input arbitraries, and
 * the response properties. FUZZ_RUNS sets the runs per property (default 40), FUZZ_SEED replays.
 */

export const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 40);
export const FUZZ_SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Date.now() % 2_147_483_647;

/** Runs one property with the suite's seed and budget; the seed is in every failure message. */
export async function checkProperty<T>(
  name: string,
  arb: fc.Arbitrary<T>,
  predicate: (value: T) => Promise<void>,
  runs = FUZZ_RUNS,
): Promise<void> {
  const details = await fc.check(
    fc.asyncProperty(arb, async (v) => {
      await predicate(v);
    }),
    { seed: FUZZ_SEED, numRuns: runs },
  );
  if (details.failed) {
    const error = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
    assert.fail(
      `${name}: falsified after ${details.numRuns} runs (replay: FUZZ_SEED=${FUZZ_SEED}, fast-check seed ${details.seed}, path ${details.counterexamplePath ?? ''})\n` +
        `counterexample: ${fc.stringify(details.counterexample).slice(0, 2000)}\n${error.slice(0, 2000)}`,
    );
  }
}

// ---- inputs ---------------------------------------------------------------------------------

const NASTY = [
  '',
  ' ',
  '%',
  '%zz',
  '%00',
  '%E0%A4%A',
  '\u0000',
  '\uFEFF',
  '\uD800',
  '😀',
  'ß',
  'Ａ',
  '../../../etc/passwd',
  '..%2f..%2f',
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'NaN',
  'Infinity',
  '-1',
  '0',
  '1e309',
  '9'.repeat(40),
  'null',
  'true',
  '[]',
  '{}',
  'Atza|',
  'Atzr|',
  'Bearer ',
  'Basic Og==',
  'a,b,,c',
  'x'.repeat(5000),
];

/** Strings a client might send, from plain text to the malformed and the absurd. */
export const fuzzString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
  { weight: 3, arbitrary: fc.constantFrom(...NASTY) },
);

/** encodeURIComponent that survives lone surrogates (they become U+FFFD, as a browser would send). */
export const encode = (s: string): string =>
  encodeURIComponent(s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD'));

/** A query string from parameter pairs (known names and random ones; repeated keys happen). */
export function queryString(knownNames: readonly string[], knownValues: readonly string[] = []): fc.Arbitrary<string> {
  const name = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...knownNames) }, { weight: 1, arbitrary: fuzzString });
  const value =
    knownValues.length > 0
      ? fc.oneof({ weight: 2, arbitrary: fc.constantFrom(...knownValues) }, { weight: 3, arbitrary: fuzzString })
      : fuzzString;
  const pair = fc.tuple(name, value, fc.constantFrom('encoded', 'raw', 'bracket'));
  return fc.array(pair, { maxLength: 8 }).map((pairs) =>
    pairs
      .map(([k, v, how]) => {
        if (how === 'raw') return `${k.replace(/[#&?=\s]/g, '')}=${v.replace(/[#&\s]/g, '')}`;
        if (how === 'bracket') return `${encode(k)}[]=${encode(v)}`;
        return `${encode(k)}=${encode(v)}`;
      })
      .join('&'),
  );
}

const deepJson = fc.tuple(fc.integer({ min: 1, max: 3000 }), fc.constantFrom('[', '{"a":')).map(([depth, open]) => {
  const close = open === '[' ? ']' : '}';
  return `${open.repeat(depth)}1${close.repeat(depth)}`;
});

/** A body as raw text: JSON of every shape, JSON that is not quite JSON, huge and deeply nested. */
export function jsonBody(knownObjects: readonly unknown[] = []): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)) },
    {
      weight: 3,
      arbitrary: fc
        .dictionary(
          fuzzString,
          fc.oneof(fuzzString, fc.constant(null), fc.integer(), fc.boolean(), fc.array(fuzzString, { maxLength: 3 })),
          { maxKeys: 6 },
        )
        .map((v) => JSON.stringify(v)),
    },
    ...(knownObjects.length > 0
      ? [
          {
            weight: 4,
            arbitrary: fc
              .constantFrom(...knownObjects)
              .chain((o) => mutateObject(o))
              .map((v) => JSON.stringify(v)),
          },
        ]
      : []),
    { weight: 1, arbitrary: deepJson },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '{"a":1,"a":2}',
        '{"__proto__":{"admin":true}}',
        '{"constructor":{"prototype":{"x":1}}}',
        'null',
        '[]',
        '""',
        '{',
        '}',
        '{"a":}',
        "{'a':1}",
        'NaN',
        '\u0000',
        '{"a":1}garbage',
      ),
    },
    { weight: 1, arbitrary: fc.integer({ min: 1000, max: 1_100_000 }).map((n) => JSON.stringify({ pad: 'x'.repeat(n) })) },
  );
}

/** A known-good object with one field replaced by a value of the wrong type, removed, or duplicated. */
/**
 * Values of the wrong type for any JSON field: objects whose keys shadow Object.prototype (a
 * `String(x)` on them throws), arrays of them, deep nesting, prototype-ish keys.
 */
export const CRAFTED_VALUES: readonly unknown[] = [
  {},
  { toString: 1 },
  { valueOf: {}, toString: 'x' },
  [{ toString: 0 }],
  JSON.parse('[[[[[[[[[[[["deep"]]]]]]]]]]]]') as unknown,
  JSON.parse('{"__proto__":{"polluted":true}}') as unknown,
  { constructor: { prototype: { polluted: true } } },
  [null, 1, 'x', true],
  1e308,
  -0.5,
];

export function mutateObject(value: unknown): fc.Arbitrary<unknown> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return fc.constant(value);
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj);
  if (keys.length === 0) return fc.constant(obj);
  const wrong = fc.oneof(
    fc.constant(null),
    fc.integer(),
    fc.boolean(),
    fuzzString,
    fc.array(fuzzString, { maxLength: 3 }),
    fc.dictionary(fc.string({ maxLength: 5 }), fuzzString, { maxKeys: 2 }),
    fc.constantFrom(...CRAFTED_VALUES),
  );
  return fc
    .tuple(fc.constantFrom(...keys), fc.constantFrom('replace', 'remove', 'extra', 'keep', 'nested'), wrong, fuzzString)
    .map(([k, how, w, extraKey]) => {
      const copy: Record<string, unknown> = { ...obj };
      if (how === 'replace') copy[k] = w;
      else if (how === 'remove') delete copy[k];
      else if (how === 'extra') copy[extraKey || 'extra'] = w;
      else if (how === 'nested') copy[k] = withNestedValue(obj[k], w);
      return copy;
    });
}

/** The value with its first nested field (in an object, or the first object of an array) replaced by `w`. */
function withNestedValue(value: unknown, w: unknown): unknown {
  if (Array.isArray(value)) return value.length ? [withNestedValue(value[0], w), ...value.slice(1)] : [w];
  if (value && typeof value === 'object') {
    const [first] = Object.keys(value);
    return first === undefined ? { x: w } : { ...(value as Record<string, unknown>), [first]: w };
  }
  return w;
}

/** A form body (application/x-www-form-urlencoded) from field pairs, known names most of the time. */
export function formBody(knownNames: readonly string[], knownValues: readonly string[] = []): fc.Arbitrary<string> {
  return queryString(knownNames, knownValues);
}

export const CONTENT_TYPES = [
  'application/json',
  'application/x-www-form-urlencoded',
  'text/plain',
  'application/xml',
  'multipart/form-data; boundary=x',
  'application/json; charset=utf-16',
  'application/json; charset=utf-8',
  'application/x-www-form-urlencoded; charset=iso-8859-1',
  '*/*',
  'garbage',
];

/** A content type: the right one, a near miss, or none. */
export const contentType: fc.Arbitrary<string | undefined> = fc.oneof(fc.constantFrom(...CONTENT_TYPES), fc.constant(undefined));

/** Header values that light-my-request and Node accept (no control characters or non-Latin-1). */
export const headerValue: fc.Arbitrary<string> = fuzzString.map((s) => s.replace(/[^\x20-\x7e]/g, '').slice(0, 2000));

// ---- response properties ----------------------------------------------------------------------

export type Envelope = 'amazon' | 'lwa' | 'html';

export interface Answer {
  statusCode: number;
  body: string;
  headers: Record<string, string | string[] | number | undefined>;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Why a body is not the Amazon envelope `{"errors":[{code,message,details?}]}` (null when it is). */
/** The JSON body of an answer, or why it has none (content type, not parseable). */
function jsonOf(res: Answer): { body: unknown } | { why: string } {
  if (!String(res.headers['content-type'] ?? '').startsWith('application/json'))
    return { why: `content type ${String(res.headers['content-type'])}` };
  try {
    return { body: JSON.parse(res.body) as unknown };
  } catch {
    return { why: 'not JSON' };
  }
}

export function notAmazonEnvelope(res: Answer): string | null {
  const json = jsonOf(res);
  if ('why' in json) return json.why;
  const { body } = json;
  if (!isRecord(body) || Object.keys(body).join() !== 'errors' || !Array.isArray(body.errors) || body.errors.length === 0)
    return 'not {"errors":[…]}';
  for (const e of body.errors) {
    if (!isRecord(e)) return 'an error is not an object';
    if (typeof e.code !== 'string' || typeof e.message !== 'string') return 'code or message is not a string';
    if (e.details !== undefined && typeof e.details !== 'string') return 'details is not a string';
    if (Object.keys(e).some((k) => !['code', 'message', 'details'].includes(k))) return `extra keys ${Object.keys(e).join(',')}`;
  }
  return null;
}

/** Why a body is not the LWA envelope `{"error_description","error"}` with no-store (null when it is). */
export function notLwaEnvelope(res: Answer): string | null {
  const json = jsonOf(res);
  if ('why' in json) return json.why;
  const { body } = json;
  if (!isRecord(body) || Object.keys(body).join() !== 'error_description,error') return 'not {"error_description","error"}';
  if (typeof body.error !== 'string' || typeof body.error_description !== 'string') return 'not strings';
  if (res.headers['cache-control'] !== 'no-store') return 'no Cache-Control: no-store';
  return null;
}

/** Why a body is not an HTML page (null when it is). */
export function notHtmlPage(res: Answer): string | null {
  if (!String(res.headers['content-type'] ?? '').startsWith('text/html')) return `content type ${String(res.headers['content-type'])}`;
  if (!res.body.startsWith('<!doctype html>')) return 'not a whole page';
  return null;
}

const CHECKS: Record<Envelope, (res: Answer) => string | null> = { amazon: notAmazonEnvelope, lwa: notLwaEnvelope, html: notHtmlPage };

/**
 * The fuzz properties every answer keeps: never a 500 (nor any 5xx but an operation's documented
 * 501), no stack trace on the wire, and every failure in one of the envelopes allowed here.
 */
export function assertWellFormed(res: Answer, allowed: readonly Envelope[], what: string, options: { allow501?: boolean } = {}): void {
  const s = res.statusCode;
  assert.ok(s < 500 || (s === 501 && options.allow501), `${what}: status ${s} ${res.body.slice(0, 500)}`);
  assert.ok(!/\.ts:\d+:\d+|node_modules\//.test(res.body), `${what}: a stack trace on the wire`);
  if (s >= 400) {
    const problems = allowed.map((e) => CHECKS[e](res));
    assert.ok(
      problems.some((p) => p === null),
      `${what}: ${s} outside the envelopes ${allowed.join('/')}: ${problems.join('; ')} — ${res.body.slice(0, 300)}`,
    );
  } else if (s >= 200 && s < 300 && res.body !== '' && String(res.headers['content-type'] ?? '').startsWith('application/json')) {
    assert.doesNotThrow(() => JSON.parse(res.body), `${what}: a 2xx that is not JSON`);
  }
}

/** Sends a request and checks that a rejected one (4xx/5xx) left the platform's state as it was. */
export async function withoutStateChangeOnRejection(app: TestApp, send: () => Promise<Answer>, what: string): Promise<Answer> {
  const before = await stateDigest(app.ctx.db);
  const res = await send();
  if (res.statusCode >= 400) {
    const after = await stateDigest(app.ctx.db);
    const changed = Object.keys(before)
      .filter((k) => before[k] !== after[k])
      .map((k) => `${k} ${before[k]} -> ${after[k]}`);
    assert.deepEqual(changed, [], `${what}: a rejected request (${res.statusCode}) changed the state: ${changed.join(', ')}`);
  }
  return res;
}

/** Headers without undefined values, for inject. */
export function definedHeaders(h: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined) out[k] = v;
  return out;
}

/**
 * What every fuzz file starts from: the seed printed (to replay a failure), an app on its own
 * database, a gateway world, and a token of an app with every role.
 */
export async function fuzzWorld() {
  console.log(`fuzz seed ${FUZZ_SEED}, ${FUZZ_RUNS} runs per property (replay: FUZZ_SEED=${FUZZ_SEED})`);
  const app = await (await isolatedDatabase()).build();
  const w = await gatewayWorld(app);
  const token = await w.tokenFor([...ROLES]);
  return { app, w, token };
}

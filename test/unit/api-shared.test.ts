import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AppError } from '../../src/kernel/errors.ts';
import { findOperation, type OperationId } from '../../src/modules/registry/index.ts';
import type { QueryParams } from '../../src/modules/gateway/index.ts';
import { boolean, PageTokens, parseCsv, parseJsonObject, QueryReader, requireJsonObject, stringList } from '../../src/apis/shared/index.ts';

// The wire helpers every API shares (src/apis/shared): their refusals are 400s in the Amazon envelope
// that name the parameter, and parameters are read as the registry declares them.

const reader = (operationId: OperationId, query: QueryParams) => new QueryReader({ operation: findOperation(operationId)!, query });

/** Asserts a 400 AppError with this code whose message matches. */
function refused(fn: () => unknown, code: string, message: RegExp): void {
  assert.throws(fn, (e: unknown) => e instanceof AppError && e.status === 400 && e.code === code && message.test(e.message));
}

test('parseCsv splits, trims and drops empty items; repeated keys are joined', () => {
  assert.deepEqual(parseCsv('OFFERS, IMAGES,,'), ['OFFERS', 'IMAGES']);
  assert.deepEqual(parseCsv(['OFFERS', 'IMAGES']), ['OFFERS', 'IMAGES']);
  assert.deepEqual(parseCsv(undefined), []);
});

test('booleans are true, false, 1 or 0, in any case; anything else is refused by name', () => {
  for (const [text, value] of [
    ['true', true],
    ['TRUE', true],
    ['1', true],
    ['false', false],
    ['False', false],
    ['0', false],
  ] as const)
    assert.equal(boolean(text, 'flag'), value);
  assert.equal(boolean(undefined, 'flag'), undefined);
  assert.equal(boolean('', 'flag'), undefined);
  refused(() => boolean('yes', 'includeLineItems'), 'INVALID_REQUEST_PARAMETER', /\[includeLineItems\].*true, false, 1 or 0/);
});

test('the query reader follows the registry: required, enums, integers, booleans, csv arrays, defaults', () => {
  const reports = reader('getOrdersByOrderDate', {
    startDate: '2026-01-01T00:00:00Z',
    endDate: '2026-02-01T00:00:00Z',
    includeLineItems: '1',
  });
  assert.equal(reports.string('startDate'), '2026-01-01T00:00:00Z');
  assert.equal(reports.boolean('includeLineItems'), true);
  assert.equal(reports.boolean('includeShipments'), false, 'absent: the model default');
  refused(
    () => reader('getOrdersByOrderDate', { endDate: 'x' }).string('startDate'),
    'INVALID_REQUEST_PARAMETER',
    /^Missing required request parameters: \[startDate\]$/,
  );
  refused(
    () => reader('getOrdersByOrderDate', {}).requireDeclared(),
    'INVALID_REQUEST_PARAMETER',
    /^Missing required request parameters: \[startDate, endDate\]$/,
  );

  const carts = reader('listCarts', { region: 'US', pageSize: '7' });
  assert.equal(carts.string('region'), 'US');
  assert.equal(carts.integer('pageSize', { min: 1, max: 50 }), 7);
  assert.equal(reader('listCarts', { region: 'US' }).integer('pageSize', { min: 1, max: 50 }), 5, 'absent: the model default');
  refused(
    () => reader('listCarts', { region: 'XX' }).string('region'),
    'INVALID_REQUEST_PARAMETER',
    /Invalid value \[XX\] for request parameter \[region\]\. Valid values: DE, FR/,
  );
  refused(
    () => reader('listCarts', { region: 'US', pageSize: '2.5' }).integer('pageSize', { min: 1, max: 50 }),
    'INVALID_REQUEST_PARAMETER',
    /\[pageSize\]: expected a whole number from 1 to 50/,
  );
  refused(
    () => reader('listCarts', { region: ['US', 'CA'] }).string('region'),
    'INVALID_REQUEST_PARAMETER',
    /\[region\] was given more than once/,
  );

  const docs = reader('getReports', { processingStatuses: 'DONE,IN_QUEUE,DONE', reportTypes: 'A, B' });
  assert.deepEqual(docs.list('processingStatuses'), ['DONE', 'IN_QUEUE']);
  assert.deepEqual(docs.list('reportTypes'), ['A', 'B']);
  refused(
    () => reader('getReports', { processingStatuses: 'DONE,LOST' }).list('processingStatuses'),
    'INVALID_REQUEST_PARAMETER',
    /Invalid value \[LOST\]/,
  );
});

test('asking the reader for a parameter the operation does not declare, or as another type, is a programming error', () => {
  assert.throws(() => reader('listCarts', {}).string('keywords'), /listCarts declares no query parameter keywords/);
  assert.throws(() => reader('listCarts', {}).boolean('pageSize'), /is declared as integer, not boolean/);
});

test('JSON bodies: a raw body must be application/json, valid JSON and an object; a parsed one an object', () => {
  const json = { 'content-type': 'application/json; charset=utf-8' };
  assert.deepEqual(parseJsonObject('op', json, '{"a":1}'), { a: 1 });
  refused(
    () => parseJsonObject('op', { 'content-type': 'text/plain' }, '{"a":1}'),
    'InvalidInput',
    /op takes a JSON body.*\(got text\/plain\)/,
  );
  refused(() => parseJsonObject('op', {}, '{"a":1}'), 'InvalidInput', /no Content-Type was sent/);
  refused(() => parseJsonObject('op', json, '  '), 'InvalidInput', /the body is empty/);
  refused(() => parseJsonObject('op', json, '{"a":'), 'InvalidInput', /not valid JSON/);
  refused(() => parseJsonObject('op', json, '[1]'), 'InvalidInput', /must be a JSON object/);
  refused(() => requireJsonObject('op', undefined), 'InvalidInput', /the body is empty/);
  refused(() => requireJsonObject('op', 'text'), 'InvalidInput', /must be a JSON object/);
});

test('string lists: an array, not empty, bounded, every item valid', () => {
  const item = (v: unknown) => (typeof v === 'string' && v ? v : null);
  assert.deepEqual(stringList([' a', 'b '], 'ids', 3, item), ['a', 'b']);
  refused(() => stringList('a', 'ids', 3, item), 'INVALID_REQUEST_PARAMETER', /\[ids\] must be an array/);
  refused(() => stringList([], 'ids', 3, item), 'INVALID_REQUEST_PARAMETER', /must not be empty/);
  refused(() => stringList(['a', 'b', 'c', 'd'], 'ids', 3, item), 'INVALID_REQUEST_PARAMETER', /has 4 items; at most 3/);
  refused(() => stringList(['a', {}], 'ids', 3, item), 'INVALID_REQUEST_PARAMETER', /invalid item: an object\./);
  // A message never carries the whole of what was sent.
  refused(() => stringList(['x'.repeat(5000)], 'ids', 3, () => null), 'INVALID_REQUEST_PARAMETER', /invalid item: x{60}…\.$/);
});

test('page tokens round-trip within their scope and are refused when altered or moved to another scope', () => {
  const tokens = new PageTokens('test-key');
  const scope = { operationId: 'getOrderReports', businessId: 'biz_1', query: '{"from":1,"to":2}' };
  const token = tokens.encode({ after: 'ord_9', n: 3 }, scope);
  assert.deepEqual(tokens.decode(token, scope), { after: 'ord_9', n: 3 });
  const refuses = (t: string, s = scope) => refused(() => tokens.decode(t, s), 'INVALID_REQUEST_PARAMETER', /\[nextPageToken\]/);
  refuses(token.replace(/^./, (c) => (c === 'e' ? 'f' : 'e')));
  refuses(`${token}x`);
  refuses('not-a-token');
  refuses('');
  refuses(token, { ...scope, businessId: 'biz_2' });
  refuses(token, { ...scope, operationId: 'getShipmentReports' });
  refuses(token, { ...scope, query: '{"from":1,"to":3}' });
  refuses(token.replace(/\.[^.]*$/, `.${'0'.repeat(32)}`));
  refused(() => new PageTokens('other-key').decode(token, scope), 'INVALID_REQUEST_PARAMETER', /nextPageToken/);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  compareScenarios,
  describeNearMisses,
  explainMismatch,
  jsonDifference,
  matchRequest,
  parseRawQuery,
  toWireValue,
  type SandboxRequest,
} from '../../src/modules/sandbox/domain/match.ts';
import type { Scenario, ScenarioDefinition, ScenarioRequest } from '../../src/modules/sandbox/domain/scenario.ts';

const scenario = (request: Partial<ScenarioRequest>, status = 200, order = 1): ScenarioDefinition => ({
  operationId: 'op',
  order,
  request: { path: {}, query: {}, header: {}, ...request },
  response: { status, headers: {}, body: { status } },
});
const req = (r: Partial<SandboxRequest>): SandboxRequest => ({ pathParams: {}, rawQuery: '', headers: {}, body: undefined, ...r });

const search = scenario({ query: { productRegion: 'US', locale: 'en_US', facets: ['OFFERS', 'IMAGES'], keywords: 'keyword' } });
const searchQuery = 'productRegion=US&locale=en_US&facets=OFFERS,IMAGES&keywords=keyword';

test('a request with exactly the listed parameters matches, in any order', () => {
  assert.deepEqual(explainMismatch(search, req({ rawQuery: searchQuery })), []);
  assert.deepEqual(explainMismatch(search, req({ rawQuery: 'keywords=keyword&facets=OFFERS%2CIMAGES&locale=en_US&productRegion=US' })), []);
});

test('near miss: an extra query parameter, even a valid one', () => {
  assert.deepEqual(explainMismatch(search, req({ rawQuery: `${searchQuery}&pageSize=10` })), [
    { kind: 'extra-parameter', location: 'query', name: 'pageSize' },
  ]);
});

test('near miss: a changed value', () => {
  assert.deepEqual(explainMismatch(search, req({ rawQuery: searchQuery.replace('en_US', 'en_GB') })), [
    { kind: 'changed-value', location: 'query', name: 'locale' },
  ]);
  // Array order is part of the value.
  assert.deepEqual(explainMismatch(search, req({ rawQuery: searchQuery.replace('OFFERS,IMAGES', 'IMAGES,OFFERS') })), [
    { kind: 'changed-value', location: 'query', name: 'facets' },
  ]);
});

test('near miss: repeated keys instead of commas', () => {
  const repeated = searchQuery.replace('facets=OFFERS,IMAGES', 'facets=OFFERS&facets=IMAGES');
  assert.deepEqual(explainMismatch(search, req({ rawQuery: repeated })), [{ kind: 'repeated-key', location: 'query', name: 'facets' }]);
  // A repeated key never matches, even one value sent twice.
  const single = scenario({ query: { facets: ['OFFERS'] } });
  assert.equal(explainMismatch(single, req({ rawQuery: 'facets=OFFERS&facets=OFFERS' }))[0]?.kind, 'repeated-key');
  // ... nor as an unlisted parameter.
  assert.equal(explainMismatch(scenario({}), req({ rawQuery: 'a=1&a=2' }))[0]?.kind, 'repeated-key');
});

test('near miss: a missing parameter', () => {
  assert.deepEqual(explainMismatch(search, req({ rawQuery: 'productRegion=US&facets=OFFERS,IMAGES&keywords=keyword' })), [
    { kind: 'missing-parameter', location: 'query', name: 'locale' },
  ]);
});

test('near miss: a body with an extra field, a changed field, or none', () => {
  const create = scenario({ body: { reportType: 'R', marketplaceIds: ['A', 'B'] } });
  assert.deepEqual(
    explainMismatch(create, req({ body: { marketplaceIds: ['A', 'B'], reportType: 'R' } })),
    [],
    'key order does not matter',
  );
  assert.deepEqual(explainMismatch(create, req({ body: { reportType: 'R', marketplaceIds: ['A', 'B'], extra: 1 } })), [
    { kind: 'changed-value', location: 'body', name: 'body', detail: '/extra' },
  ]);
  assert.deepEqual(explainMismatch(create, req({ body: { reportType: 'R', marketplaceIds: ['B', 'A'] } })), [
    { kind: 'changed-value', location: 'body', name: 'body', detail: '/marketplaceIds/0' },
  ]);
  assert.deepEqual(explainMismatch(create, req({})), [{ kind: 'missing-parameter', location: 'body', name: 'body' }]);
  assert.deepEqual(explainMismatch(scenario({}), req({ body: {} })), [{ kind: 'extra-parameter', location: 'body', name: 'body' }]);
});

test('path parameters: listed ones must be equal, unlisted ones are ignored', () => {
  const cart = scenario({ path: { cartId: 'cart-123' }, query: { region: 'US' } });
  assert.deepEqual(explainMismatch(cart, req({ pathParams: { cartId: 'cart-123' }, rawQuery: 'region=US' })), []);
  assert.deepEqual(explainMismatch(cart, req({ pathParams: { cartId: 'cart-999' }, rawQuery: 'region=US' })), [
    { kind: 'changed-value', location: 'path', name: 'cartId' },
  ]);
  assert.deepEqual(explainMismatch(scenario({}), req({ pathParams: { cartId: 'anything' } })), []);
});

test('headers: unlisted ones are ignored, listed ones compare with case-insensitive names', () => {
  const withEmail = scenario({ header: { 'X-Amz-User-Email': 'buyer@example.com' } });
  assert.deepEqual(
    explainMismatch(search, req({ rawQuery: searchQuery, headers: { 'x-amz-user-email': 'a@b.c', accept: 'application/json' } })),
    [],
  );
  assert.deepEqual(explainMismatch(withEmail, req({ headers: { 'x-amz-user-email': 'buyer@example.com' } })), []);
  assert.deepEqual(explainMismatch(withEmail, req({ headers: { 'x-amz-user-email': 'other@example.com' } })), [
    { kind: 'changed-value', location: 'header', name: 'X-Amz-User-Email' },
  ]);
  assert.deepEqual(explainMismatch(withEmail, req({})), [{ kind: 'missing-parameter', location: 'header', name: 'X-Amz-User-Email' }]);
});

test('values compare in wire form: numbers, booleans, arrays; + is a space', () => {
  const offers = scenario({ query: { pageNumber: 1, pageSize: 12, includeCharges: false, filterIds: ['NEW', 'PRIME'], q: 'a b' } });
  assert.deepEqual(
    explainMismatch(offers, req({ rawQuery: 'pageNumber=1&pageSize=12&includeCharges=false&filterIds=NEW,PRIME&q=a+b' })),
    [],
  );
  assert.equal(
    explainMismatch(offers, req({ rawQuery: 'pageNumber=01&pageSize=12&includeCharges=false&filterIds=NEW,PRIME&q=a%20b' }))[0]?.name,
    'pageNumber',
  );
  assert.equal(toWireValue(['A', 2, true]), 'A,2,true');
  assert.equal(toWireValue(0.5), '0.5');
});

test('a stub with no parameters matches only a request with no query and no body', () => {
  const empty = scenario({}, 400);
  assert.deepEqual(explainMismatch(empty, req({ headers: { 'x-amz-user-email': 'a@b.c' } })), []);
  assert.equal(explainMismatch(empty, req({ rawQuery: 'region=US' })).length, 1);
});

test('matchRequest: the first match wins; a miss lists every near miss', () => {
  const first = scenario({ query: { region: 'US' } }, 200, 1);
  const second = scenario({ query: { region: 'US' } }, 400, 2);
  const hit = matchRequest([first, second], req({ rawQuery: 'region=US' }));
  assert.equal(hit.matched && hit.scenario, first);

  const miss = matchRequest([first, second], req({ rawQuery: 'region=CA&x=1' }));
  assert.equal(miss.matched, false);
  if (!miss.matched) {
    assert.equal(miss.nearMisses.length, 2);
    assert.match(describeNearMisses(miss.nearMisses), /changed-value query region, extra-parameter query x/);
  }
  assert.equal(describeNearMisses([]), 'no scenario for this operation');
});

test('precedence: runtime, operator, shipped; then 2xx before others; then order; then load order', () => {
  const make = (id: string, origin: Scenario['origin'], status: number, order: number, seq: number): Scenario => ({
    ...scenario({}, status, order),
    id,
    origin,
    file: null,
    seq,
  });
  const list = [
    make('shipped-400-1', 'shipped', 400, 1, 1),
    make('shipped-200-2', 'shipped', 200, 2, 2),
    make('shipped-200-1b', 'shipped', 200, 1, 4),
    make('shipped-200-1a', 'shipped', 200, 1, 3),
    make('operator-404', 'operator', 404, 1, 5),
    make('runtime-500', 'runtime', 500, 9, 6),
    make('shipped-201', 'shipped', 201, 3, 7),
  ];
  assert.deepEqual(
    [...list].sort(compareScenarios).map((s) => s.id),
    ['runtime-500', 'operator-404', 'shipped-200-1a', 'shipped-200-1b', 'shipped-200-2', 'shipped-201', 'shipped-400-1'],
  );
});

test('parseRawQuery keeps every value of a repeated key and decodes components', () => {
  const q = parseRawQuery('?a=1&a=2&b=x%2Cy&c&&d=');
  assert.deepEqual(
    [...q],
    [
      ['a', ['1', '2']],
      ['b', ['x,y']],
      ['c', ['']],
      ['d', ['']],
    ],
  );
  assert.deepEqual([...parseRawQuery('bad=%E0%A4%A')], [['bad', ['%E0%A4%A']]]);
});

test('jsonDifference points at the first difference', () => {
  assert.equal(jsonDifference({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] }), null);
  assert.equal(jsonDifference({ a: [1, { b: 2 }] }, { a: [1, { b: 3 }] }), '/a/1/b');
  assert.equal(jsonDifference({ a: 1 }, { a: '1' }), '/a');
  assert.equal(jsonDifference([1], [1, 2]), '/');
  assert.equal(jsonDifference({ 'x/y': 1 }, {}), '/x~1y');
  assert.equal(jsonDifference(null, {}), '/');
});

test('a parameter sent at the model default means the same request as one left out; booleans may be 1 or 0 (unless literal)', () => {
  const declared = new Map([
    ['quantity', { boolean: false, default: '1' }],
    ['includeLineItems', { boolean: true, default: 'false' }],
    ['includeShipments', { boolean: true, default: 'false' }],
  ]);
  const options = { query: declared };
  const plain = scenario({ query: { productRegion: 'US' } });
  assert.deepEqual(explainMismatch(plain, req({ rawQuery: 'productRegion=US&quantity=1' }), undefined, options), []);
  assert.deepEqual(
    explainMismatch(plain, req({ rawQuery: 'productRegion=US&includeLineItems=false&includeShipments=0' }), undefined, options),
    [],
  );
  assert.deepEqual(
    explainMismatch(plain, req({ rawQuery: 'productRegion=US&quantity=2' }), undefined, options).map((m) => m.kind),
    ['extra-parameter'],
    'another value is another request',
  );
  assert.deepEqual(
    explainMismatch(plain, req({ rawQuery: 'productRegion=US&quantity=1&quantity=1' }), undefined, options).map((m) => m.kind),
    ['repeated-key'],
  );

  const withLines = scenario({ query: { includeLineItems: true, quantity: 1 } });
  assert.deepEqual(
    explainMismatch(withLines, req({ rawQuery: 'includeLineItems=1' }), undefined, options),
    [],
    'listed at its default, left out: a match',
  );
  assert.deepEqual(explainMismatch(withLines, req({ rawQuery: 'includeLineItems=TRUE&quantity=1' }), undefined, options), []);
  assert.deepEqual(
    explainMismatch(withLines, req({ rawQuery: 'includeLineItems=0' }), undefined, options).map((m) => m.kind),
    ['changed-value'],
  );

  const literal = { query: declared, literal: true };
  assert.deepEqual(
    explainMismatch(plain, req({ rawQuery: 'productRegion=US&quantity=1' }), undefined, literal).map((m) => m.kind),
    ['extra-parameter'],
  );
  assert.deepEqual(
    explainMismatch(withLines, req({ rawQuery: 'includeLineItems=1&quantity=1' }), undefined, literal).map((m) => m.kind),
    ['changed-value'],
  );
  assert.deepEqual(
    explainMismatch(plain, req({ rawQuery: 'productRegion=US&quantity=1' })).map((m) => m.kind),
    ['extra-parameter'],
    'without declarations: literal',
  );
});

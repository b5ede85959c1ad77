import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { assertWellFormed, checkProperty, FUZZ_RUNS, FUZZ_SEED, fuzzString, withoutStateChangeOnRejection } from '../support/fuzz.ts';
import { PlaceOrderRequest } from '../../src/apis/ordering/ordering.wire.ts';
import { line, orderingWorldOn } from '../support/ordering.ts';
import { isolatedDatabase } from '../support/isolated.ts';
import { WEDNESDAY_MORNING } from '../support/catalog.ts';

// placeOrder bodies generated from the server's declared PlaceOrderRequest schema (the one in its
// OpenAPI document, written after the Ordering model): every subtype of every union (Attribute,
// Expectation, Address, the references), valid values and
// near misses (a required field dropped, a wrong type, an out-of-range number or length), with real
// buyers, groups and ASINs mixed in so that the bodies reach the pipeline's rules. Never a 500,
// always the Amazon envelope, and a refused request changes nothing.

type Schema = {
  type?: string;
  const?: unknown;
  anyOf?: Schema[];
  properties?: Record<string, Schema>;
  patternProperties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
};

/** The placeOrder body as this server declares it in its OpenAPI document (the same TypeBox schema). */
const declared = JSON.parse(JSON.stringify(PlaceOrderRequest)) as Schema;

// A database of its own: the state digest must not see other test files' writes.
const app = await (await isolatedDatabase()).build();
app.clock.set(Date.parse(WEDNESDAY_MORNING));
const o = await orderingWorldOn(app);
console.log(`fuzz seed ${FUZZ_SEED}, ${FUZZ_RUNS} runs per property (replay: FUZZ_SEED=${FUZZ_SEED})`);
const { pen, chair, paper, wine, gone } = o.products;
const HINTS: Record<string, fc.Arbitrary<unknown>> = {
  emailAddress: fc.constantFrom(o.buyer.email, o.multi.email, o.mace.email, 'nobody@example.com'),
  identifier: fc.constantFrom(o.group.groupTag, o.group2.groupTag, 'no-such-group'),
  id: fc.constantFrom(pen.asin, chair.asin, paper.asin, wine.asin, gone.asin, pen.offers[0]!.offerId, 'B0NOTHERE0'),
  currencyCode: fc.constantFrom('USD', 'USD', 'EUR', 'usd'),
  countryCode: fc.constantFrom('US', 'US', 'CA', 'GB', 'u'),
  region: fc.constantFrom('US', 'US', 'CA', 'DE', 'XX'),
  externalId: fc.oneof(fc.integer({ min: 1, max: 60 }).map(String), fuzzString),
  quantity: fc.oneof(fc.integer({ min: 1, max: 60 }), fc.constantFrom(0, -1, 1.5, 1e9)),
  amount: fc.oneof(fc.double({ min: 0, max: 2000, noNaN: true }), fc.constantFrom(-1, 12.345, 0)),
  stateOrRegion: fc.constantFrom('WA', 'TX'),
};

/** An arbitrary for a schema: valid most of the time, with a near miss now and then. */
function arb(schema: Schema, depth: number, key = ''): fc.Arbitrary<unknown> {
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (key && HINTS[key]) return fc.oneof({ weight: 8, arbitrary: HINTS[key]! }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 1 }) });
  if (schema.anyOf) {
    // A union of literals (an enum), or of subtypes named by a literal discriminator.
    const branches = schema.anyOf.map((b) => arb(b, depth + 1));
    const near = schema.anyOf.every((b) => b.const !== undefined)
      ? fuzzString
      : fc.constant({ [Object.keys(schema.anyOf[0]?.properties ?? { type: 0 })[0]!]: 'NotAType' });
    return fc.oneof({ weight: 9, arbitrary: fc.oneof(...branches) }, { weight: 1, arbitrary: near });
  }
  if (schema.enum) return fc.oneof({ weight: 9, arbitrary: fc.constantFrom(...schema.enum) }, { weight: 1, arbitrary: fuzzString });
  if (depth > 7) return fc.constant(null);
  switch (schema.type) {
    case 'string':
      return fc.oneof(
        { weight: 8, arbitrary: fc.string({ minLength: schema.minLength ?? 1, maxLength: Math.min(schema.maxLength ?? 20, 20) }) },
        { weight: 1, arbitrary: fc.constantFrom('', 'x'.repeat((schema.maxLength ?? 300) + 1), 42) },
      );
    case 'integer':
    case 'number':
      return fc.oneof(
        { weight: 8, arbitrary: fc.integer({ min: schema.minimum ?? 0, max: 50 }) },
        { weight: 1, arbitrary: fc.constantFrom(-1, 0.5, '3') },
      );
    case 'boolean':
      return fc.boolean();
    case 'array': {
      const items = arb(schema.items ?? {}, depth + 1);
      return fc.array(items, { minLength: schema.minItems ?? 0, maxLength: Math.min(schema.maxItems ?? 4, 4) });
    }
    default: {
      const values = Object.values(schema.patternProperties ?? {})[0];
      if (values) return fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), arb(values, depth + 1), { maxKeys: 3 });
      const props = Object.entries(schema.properties ?? {});
      const required = new Set(schema.required ?? []);
      if (props.length === 0) return fc.constant({});
      const record = fc.record(Object.fromEntries(props.map(([k, s]) => [k, arb(s, depth + 1, k)])), {
        requiredKeys: props.map(([k]) => k).filter((k) => required.has(k)),
      });
      // A near miss: one required field dropped.
      return fc.oneof(
        { weight: 9, arbitrary: record },
        { weight: 1, arbitrary: record.map((r) => Object.fromEntries(Object.entries(r).slice(1))) },
      );
    }
  }
}

const fromSchema = arb(declared, 0);
// Well-aimed: a real buyer, the US store, lines naming real products with model-generated
// expectations, and model-generated order attributes now and then.
const aimedLine = fc
  .tuple(
    fc.integer({ min: 1, max: 50 }),
    fc.constantFrom(pen.asin, chair.asin, paper.asin, wine.asin, gone.asin),
    fc.integer({ min: 1, max: 60 }),
    fc.array(arb(declared.properties!.expectations!.items!, 1), { maxLength: 1 }),
  )
  .map(([n, asin, quantity, expectations]) =>
    line(String(n), quantity, { asin }, { expectations: expectations as Record<string, unknown>[] }),
  );
const aimed = fc
  .tuple(
    fc.integer({ min: 1, max: 1e9 }),
    fc.uniqueArray(aimedLine, { minLength: 1, maxLength: 4, selector: (l) => l.externalId }),
    fc.array(arb(declared.properties!.attributes!.items!, 1), { maxLength: 2 }),
  )
  .map(([n, lineItems, extra]) => ({
    externalId: `fz-${n}`,
    lineItems,
    attributes: [
      { attributeType: 'Region', region: 'US' },
      { attributeType: 'BuyerReference', userReference: { userReferenceType: 'UserEmail', emailAddress: o.buyer.email } },
      ...extra,
    ],
    expectations: [],
  }));

// Plain: aimed without model-generated expectations or attributes, products in stock, a few units.
// Aimed bodies alone are mostly refused (a generated expectation or attribute is often a near
// miss), and with some seeds all 40 were: these make sure the accepted side is reached.
const plain = fc
  .tuple(
    fc.integer({ min: 1, max: 1e9 }),
    fc.uniqueArray(
      fc
        .tuple(fc.integer({ min: 1, max: 50 }), fc.constantFrom(pen.asin, chair.asin, paper.asin), fc.integer({ min: 1, max: 5 }))
        .map(([n, asin, quantity]) => line(String(n), quantity, { asin })),
      { minLength: 1, maxLength: 3, selector: (l) => l.externalId },
    ),
  )
  .map(([n, lineItems]) => ({
    externalId: `fz-plain-${n}`,
    lineItems,
    attributes: [
      { attributeType: 'Region', region: 'US' },
      { attributeType: 'BuyerReference', userReference: { userReferenceType: 'UserEmail', emailAddress: o.buyer.email } },
    ],
    expectations: [],
  }));

test('placeOrder bodies generated from the declared schema: never a 500, the Amazon envelope, and a refused body changes nothing', async () => {
  let answered = { ok: 0, refused: 0 };
  await checkProperty(
    'placeOrder from the declared schema',
    fc.oneof({ weight: 1, arbitrary: fromSchema }, { weight: 2, arbitrary: aimed }, { weight: 1, arbitrary: plain }),
    async (body) => {
      const res = await withoutStateChangeOnRejection(o.app, () => o.place(body), `placeOrder ${JSON.stringify(body).slice(0, 300)}`);
      assertWellFormed(res, ['amazon'], `placeOrder ${JSON.stringify(body).slice(0, 300)}`);
      answered = res.statusCode === 200 ? { ...answered, ok: answered.ok + 1 } : { ...answered, refused: answered.refused + 1 };
    },
  );
  // Both sides were reached: some bodies got through every rule, others were refused.
  assert.ok(answered.ok > 0 && answered.refused > 0, JSON.stringify(answered));
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ModelValidator } from '../support/conformance.ts';
import { needsModels } from '../support/models.ts';
import { findOperation } from '../../src/modules/registry/index.ts';

// Swagger 2.0's discriminator: an object naming a subtype must conform to that subtype, and the
// name must be a subtype of the base (draft-4 JSON Schema alone checks only the base).

test(
  'reference: an artifact is checked against the subtype it names, and an unknown subtype is a problem',
  { skip: needsModels },
  async () => {
    const v = await ModelValidator.load();
    const op = findOperation('orderDetails')!;
    const result = (artifacts: unknown[], order: unknown[] = []) =>
      v.check(
        op,
        200,
        JSON.stringify({
          lineItems: [
            { externalId: '1', acceptedItems: [{ acceptedItemType: 'SingleAcceptedItem', quantity: 1, artifacts }], rejectedItems: [] },
          ],
          acceptanceArtifacts: order,
          rejectionArtifacts: [],
        }),
      );
    const good = { acceptanceArtifactType: 'Charge', amount: { currencyCode: 'USD', amount: 1 }, category: 'SUBTOTAL', type: 'PRINCIPAL' };
    assert.deepEqual(result([good], [{ acceptanceArtifactType: 'Signed' }]).problems, []);
    const bad = result([{ ...good, category: 'NOPE', type: undefined }], [{ acceptanceArtifactType: 'Bogus' }]).problems;
    assert.ok(
      bad.some((p) => /as Charge: .*required property 'type'/.test(p)),
      bad.join('\n'),
    );
    assert.ok(
      bad.some((p) => /as Charge: \/category must be equal to one of/.test(p)),
      bad.join('\n'),
    );
    assert.ok(
      bad.some((p) => /"Bogus" is not a subtype of AcceptanceArtifact/.test(p)),
      bad.join('\n'),
    );
  },
);

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertWellFormed, CRAFTED_VALUES, fuzzWorld, withoutStateChangeOnRejection } from '../support/fuzz.ts';
import { loadApiExamples } from '../support/api-examples.ts';
import { findOperation, OPERATIONS } from '../../src/modules/registry/index.ts';
import { loadSampleCatalog } from '../../src/modules/catalog/index.ts';

// Every field of every seed body of every built API (and the first field nested in each), set to
// each value of the wrong type in CRAFTED_VALUES: an answer in the Amazon envelope, never a 500,
// never a state change. This is the class of defect that made getProductsByAsins answer 500 for
// `"quantity":{}` or `"productRegion":{"toString":1}`; it is looked for on every body here.

const { app, w, token } = await fuzzWorld();
for (const op of OPERATIONS) await app.services.reviews.setUsagePlan('operator:fuzz', token.client.id, op.operationId, 10_000, 10_000);
await loadSampleCatalog(app.ctx.db, { catalog: app.services.catalog });
const examples = await loadApiExamples();

/** Every variant of a body: each top-level field, and the first field inside it, set to each crafted value. */
function variants(body: Record<string, unknown>): { path: string; body: unknown }[] {
  const out: { path: string; body: unknown }[] = [];
  for (const [k, v] of Object.entries(body)) {
    for (const c of CRAFTED_VALUES) {
      out.push({ path: k, body: { ...body, [k]: c } });
      const inner = Array.isArray(v) ? v[0] : v;
      if (inner && typeof inner === 'object' && !Array.isArray(inner)) {
        const [first] = Object.keys(inner);
        if (first === undefined) continue;
        const replaced = { ...(inner as Record<string, unknown>), [first]: c };
        out.push({ path: `${k}.${first}`, body: { ...body, [k]: Array.isArray(v) ? [replaced, ...v.slice(1)] : replaced } });
      }
    }
  }
  return out;
}

test('every body field of every built API, given a value of the wrong type: the envelope, never a 500, no state change', async () => {
  let sent = 0;
  for (const api of app.apis) {
    const bodies = (await examples.get(api.api)?.fuzzBodies?.(app)) ?? {};
    for (const [operationId, list] of Object.entries(bodies)) {
      const op = findOperation(operationId)!;
      const query = op.parameters
        .filter((p) => p.in === 'query' && p.required)
        .map((p) => `${p.name}=${encodeURIComponent(String(p.enum?.[0] ?? 'x'))}`)
        .join('&');
      for (const seed of list ?? []) {
        for (const v of variants(seed as Record<string, unknown>)) {
          const url = `/na${op.path}${query ? `?${query}` : ''}`;
          const res = await withoutStateChangeOnRejection(
            app,
            () =>
              app.server.inject({
                method: op.method,
                url,
                headers: { 'x-amz-access-token': token.accessToken, 'x-amz-user-email': w.buyer.email, 'content-type': 'application/json' },
                payload: JSON.stringify(v.body),
              }),
            `${operationId} ${v.path}`,
          );
          assertWellFormed(res, ['amazon'], `${operationId} with ${v.path} = ${JSON.stringify(v.body).slice(0, 200)}`);
          sent++;
        }
      }
    }
  }
  assert.ok(sent > 100, `${sent} variants sent`);
});

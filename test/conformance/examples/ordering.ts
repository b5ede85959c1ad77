import assert from 'node:assert/strict';
import { sampleMerchantRecords } from '../../../src/modules/catalog/index.ts';
import type { ApiExamples, ExampleHarness } from '../../support/api-examples.ts';
import { offer, product, save, nonceWord } from '../../support/catalog.ts';
import { attr, expect_, line, US_ADDRESS } from '../../support/ordering.ts';

// Ordering over a small catalog of its own: accepted, partly rejected, refused and trial placements,
// and orderDetails as the order moves (moved by the emulator's advance, not the clock, so that the
// runner's tokens stay valid).

const asins = { pen: '', chair: '', gone: '' };

const body = (h: ExampleHarness, externalId: string, lines: unknown[], attributes: unknown[] = [], expectations: unknown[] = []) => ({
  externalId,
  lineItems: lines,
  attributes: [attr.region(), attr.buyer(h.world.buyer.email), ...attributes],
  expectations,
});

const examples: ApiExamples = {
  api: 'Ordering',
  async prepare(h) {
    const s = h.app.services;
    await s.accounts.updateGroupOrdering('test', h.world.business.id, h.world.group.id, {
      paymentMethod: 'Visa ending in 4242',
      shippingAddress: US_ADDRESS,
    });
    const w = nonceWord();
    const pen = product(w, { title: `${w} Pen` });
    pen.offers = [offer(pen.asin, 1, { price: 1299, stock: 100, maxQuantity: 40 })];
    const chair = product(w, { title: `${w} Chair` });
    chair.offers = [offer(chair.asin, 1, { price: 24999, stock: 5 })];
    const gone = product(w, { title: `${w} Gone` });
    gone.offers = [offer(gone.asin, 1, { price: 999, stock: 0 })];
    await save(s.catalog, [...sampleMerchantRecords(), pen, chair, gone]);
    Object.assign(asins, { pen: pen.asin, chair: chair.asin, gone: gone.asin });
  },
  examples: [
    {
      name: 'placeOrder: accepted, partly rejected, nothing accepted, trial, and refused bodies',
      async run(h) {
        const accepted = await h.conforms(
          'placeOrder',
          { path: '/orders', method: 'POST', body: body(h, 'conf-1', [line('1', 2, { asin: asins.pen })]) },
          'accepted',
        );
        assert.equal(accepted.statusCode, 200, accepted.body);
        const partly = await h.conforms(
          'placeOrder',
          {
            path: '/orders',
            method: 'POST',
            body: body(h, 'conf-2', [
              line('1', 7, { asin: asins.chair }),
              line('2', 50, { asin: asins.pen }),
              line('3', 1, { asin: asins.pen }, { expectations: [expect_.unitPrice(1)] }),
            ]),
          },
          'partly rejected',
        );
        assert.equal(partly.statusCode, 200, partly.body);
        const none = await h.conforms(
          'placeOrder',
          { path: '/orders', method: 'POST', body: body(h, 'conf-3', [line('1', 1, { asin: asins.gone })]) },
          'nothing accepted',
        );
        assert.equal(none.statusCode, 200, none.body);
        const trial = await h.conforms(
          'placeOrder',
          { path: '/orders', method: 'POST', body: body(h, 'conf-4', [line('1', 1, { asin: asins.pen })], [attr.trial()]) },
          'trial',
        );
        assert.equal(trial.statusCode, 200, trial.body);
        for (const [what, b] of [
          ['no lines', { ...body(h, 'conf-5', []) }],
          ['other request under a used id', body(h, 'conf-1', [line('1', 3, { asin: asins.pen })])],
          [
            'unknown buyer',
            { ...body(h, 'conf-6', [line('1', 1, { asin: asins.pen })]), attributes: [attr.region(), attr.buyer('nobody@nowhere.test')] },
          ],
        ] as const) {
          const res = await h.conforms('placeOrder', { path: '/orders', method: 'POST', body: b }, what);
          assert.ok(res.statusCode === 400 || res.statusCode === 403, `${what}: ${res.body}`);
        }
      },
    },
    {
      name: 'orderDetails: as placed, shipped, delivered; an unknown order',
      async run(h) {
        const placed = await h.call('placeOrder', {
          path: '/orders',
          method: 'POST',
          body: body(h, 'conf-10', [line('1', 1, { asin: asins.pen }), line('2', 1, { asin: asins.chair })]),
        });
        assert.equal(placed.statusCode, 200, placed.body);
        const order = (await h.app.services.purchasing.findByExternalId(h.world.business.id, 'conf-10'))!;
        const first = await h.conforms('orderDetails', { path: '/orders/conf-10' }, 'as placed');
        assert.equal(first.statusCode, 200, first.body);
        // Confirmation, then every shipment shipped and delivered.
        for (let i = 0; i < 10; i++) {
          const step = await h.app.services.purchasing.advance('operator:test', order.id);
          if (!step.reached) break;
          const res = await h.conforms('orderDetails', { path: '/orders/conf-10' }, `after ${step.reached.stage}`);
          assert.equal(res.statusCode, 200, res.body);
        }
        assert.equal((await h.app.services.purchasing.get(order.id)).stage, 'delivered');
        const unknown = await h.conforms('orderDetails', { path: '/orders/never-placed' }, 'unknown order');
        assert.equal(unknown.statusCode, 404);
      },
    },
  ],
  async fuzzBodies(app) {
    const [buyer] = await app.ctx.db.kysely
      .selectFrom('business_users')
      .select('email')
      .where('role', '=', 'Requisitioner')
      .where('mace_hold', '=', 0)
      .limit(1)
      .execute();
    const asinsFound = (await app.ctx.db.kysely.selectFrom('catalog_products').select('asin').orderBy('asin').limit(2).execute()).map(
      (r) => r.asin,
    );
    return {
      placeOrder: [
        {
          externalId: 'fuzz-1',
          lineItems: asinsFound.map((asin, i) => line(String(i + 1), 1, { asin })),
          attributes: [attr.region(), attr.buyer(buyer?.email ?? 'buyer@example.test'), attr.shipTo(), attr.payment()],
          expectations: [expect_.charge('SHIPPING', 100)],
        },
      ],
    };
  },
};

export default examples;

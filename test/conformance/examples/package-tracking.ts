import assert from 'node:assert/strict';
import { sampleMerchantRecords } from '../../../src/modules/catalog/index.ts';
import type { ApiExamples } from '../../support/api-examples.ts';
import { offer, product, save, nonceWord } from '../../support/catalog.ts';
import { attr, line, US_ADDRESS } from '../../support/ordering.ts';

// A package of an order placed through the Ordering API, tracked at every stage (moved by the
// emulator's advance, not the clock, so that the runner's tokens stay valid), in two languages; and
// the refusals.

const examples: ApiExamples = {
  api: 'Package Tracking',
  async prepare(h) {
    await h.app.services.accounts.updateGroupOrdering('test', h.world.business.id, h.world.group.id, {
      paymentMethod: 'Visa ending in 4242',
      shippingAddress: US_ADDRESS,
    });
  },
  examples: [
    {
      name: 'getPackageTrackingDetails: ordered, shipped, out for delivery, delivered; another locale; unknown package and bad parameters',
      async run(h) {
        const w = nonceWord();
        const pen = product(w, { title: `${w} Pen` });
        pen.offers = [offer(pen.asin, 1, { price: 1299, stock: 100 })];
        await save(h.app.services.catalog, [...sampleMerchantRecords(), pen]);
        const placed = await h.call('placeOrder', {
          path: '/orders',
          method: 'POST',
          body: {
            externalId: 'track-conf-1',
            lineItems: [line('1', 1, { asin: pen.asin })],
            attributes: [attr.region(), attr.buyer(h.world.buyer.email)],
            expectations: [],
          },
        });
        assert.equal(placed.statusCode, 200, placed.body);
        const s = h.app.services.purchasing;
        const order = (await s.findByExternalId(h.world.business.id, 'track-conf-1'))!;
        const shipment = order.shipments[0]!;
        const path = (locale = 'en-US', region = 'US') =>
          `/orders/${order.orderIdentifier}/shipments/${shipment.identifier}/packages/${shipment.packageId}?region=${region}&locale=${locale}`;
        assert.equal((await h.conforms('getPackageTrackingDetails', { path: path() }, 'ordered')).statusCode, 200);
        for (let i = 0; i < 10; i++) {
          const step = await s.advance('operator:test', order.id);
          if (!step.reached) break;
          const res = await h.conforms('getPackageTrackingDetails', { path: path() }, `after ${step.reached.stage}`);
          assert.equal(res.statusCode, 200, res.body);
        }
        const de = await h.conforms('getPackageTrackingDetails', { path: path('de-DE') }, 'German');
        assert.equal(
          (de.json() as { packageTrackingDetails: { trackingStatus: string } }).packageTrackingDetails.trackingStatus,
          'DELIVERED',
        );
        for (const [what, p, status] of [
          ['unknown package', `/orders/${order.orderIdentifier}/shipments/${shipment.identifier}/packages/PKG-NONE?region=US`, 404],
          ['no region', `/orders/${order.orderIdentifier}/shipments/${shipment.identifier}/packages/${shipment.packageId}`, 400],
          ['bad locale', path('english'), 400],
        ] as const) {
          const res = await h.conforms('getPackageTrackingDetails', { path: p }, what);
          assert.equal(res.statusCode, status, `${what}: ${res.body}`);
        }
      },
    },
  ],
};

export default examples;

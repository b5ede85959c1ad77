import assert from 'node:assert/strict';
import { sampleMerchantRecords } from '../../src/modules/catalog/index.ts';
import type { OrderView } from '../../src/modules/purchasing/index.ts';
import type { ExampleHarness } from './api-examples.ts';
import { offer, product, save, nonceWord } from './catalog.ts';
import { attr, line, US_ADDRESS } from './ordering.ts';

/** The group of the examples' world can order: a card and an address. */
export async function canOrder(h: ExampleHarness): Promise<void> {
  await h.app.services.accounts.updateGroupOrdering('test', h.world.business.id, h.world.group.id, {
    paymentMethod: 'Visa ending in 4242',
    shippingAddress: US_ADDRESS,
  });
}

/**
 * An order placed through the Ordering API (two products, a purchase order number) and moved to
 * delivered with the emulator's advance (not the clock, so that the runner's tokens stay valid),
 * with a return of one item; and the range of order dates that holds it.
 */
export async function deliveredOrder(
  h: ExampleHarness,
  externalId: string,
): Promise<{ order: OrderView; start: string; end: () => string }> {
  const w = nonceWord();
  const pen = product(w, { title: `${w} Pen`, brand: 'Inkwell' });
  pen.offers = [offer(pen.asin, 1, { price: 1299, stock: 100 })];
  const pad = product(w, { title: `${w} Notepad` });
  pad.offers = [offer(pad.asin, 1, { price: 450, stock: 100, shipping: { cost: 0, minDays: 4, maxDays: 6 } })];
  await save(h.app.services.catalog, [...sampleMerchantRecords(), pen, pad]);
  const start = new Date(h.app.clock.now() - 1000).toISOString();
  const placed = await h.call('placeOrder', {
    path: '/orders',
    method: 'POST',
    body: {
      externalId,
      lineItems: [line('1', 3, { asin: pen.asin }), line('2', 2, { asin: pad.asin })],
      attributes: [attr.region(), attr.buyer(h.world.buyer.email), attr.po(`PO-${externalId}`)],
      expectations: [],
    },
  });
  assert.equal(placed.statusCode, 200, placed.body);
  const s = h.app.services.purchasing;
  const id = (await s.findByExternalId(h.world.business.id, externalId))!.id;
  for (let i = 0; i < 12; i++) if (!(await s.advance('operator:test', id)).reached) break;
  await s.returnItems('test', h.world.business.id, id, '1', 1, 'Arrived damaged');
  return { order: await s.get(id), start, end: () => new Date(h.app.clock.now()).toISOString() };
}

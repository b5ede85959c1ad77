import assert from 'node:assert/strict';
import { sampleMerchantRecords } from '../../../src/modules/catalog/index.ts';
import type { ApiExamples, ExampleHarness } from '../../support/api-examples.ts';
import { offer, product, save, nonceWord } from '../../support/catalog.ts';
import { US_ADDRESS } from '../../support/ordering.ts';

// The Cart API over a small catalog of its own: a cart listed, filled, changed, estimated and
// emptied, with refusals of each kind; every answer checked against the model.

const items = { pen: { asin: '', offerId: '' }, gone: { asin: '', offerId: '' } };
let cartId = '';

const cartPath = (suffix = '', region = 'US') => `/carts/${cartId}${suffix}?region=${region}`;
const address = { addressType: 'PhysicalAddress', ...US_ADDRESS };

async function ensureCart(h: ExampleHarness): Promise<void> {
  if (cartId) return;
  const res = await h.call('listCarts', { path: '/carts?region=US' });
  assert.equal(res.statusCode, 200, res.body);
  cartId = (res.json() as { cartDetailsList: { id: string }[] }).cartDetailsList[0]!.id;
}

const examples: ApiExamples = {
  api: 'Cart',
  async prepare() {
    // The harness's world orders nothing here; products only.
  },
  examples: [
    {
      name: 'listCarts, addItems (added and refused), getItems, getCart, modifyItems, estimate, deleteItems',
      async run(h) {
        const w = nonceWord();
        const pen = product(w, { title: `${w} Pen` });
        pen.offers = [offer(pen.asin, 1, { price: 1299, stock: 100 })];
        const gone = product(w, { title: `${w} Gone` });
        gone.offers = [offer(gone.asin, 1, { price: 999, stock: 0 })];
        await save(h.app.services.catalog, [...sampleMerchantRecords(), pen, gone]);
        items.pen = { asin: pen.asin, offerId: pen.offers[0]!.offerId };
        items.gone = { asin: gone.asin, offerId: gone.offers[0]!.offerId };

        const listed = await h.conforms('listCarts', { path: '/carts?region=US&pageSize=1' }, 'listed');
        assert.equal(listed.statusCode, 200, listed.body);
        await ensureCart(h);
        const add = (list: unknown[]) => ({ path: cartPath('/items'), method: 'POST' as const, body: { items: list } });
        const added = await h.conforms(
          'addItems',
          add([
            { productIdentifier: items.pen.asin, buyingOptionIdentifier: items.pen.offerId, quantity: 2, externalId: 'a' },
            { productIdentifier: items.gone.asin, buyingOptionIdentifier: items.gone.offerId, quantity: 1, externalId: 'b' },
          ]),
          'one added, one refused',
        );
        assert.equal(added.statusCode, 200, added.body);
        const itemId = (added.json() as { items: { itemId: string }[] }).items[0]!.itemId;
        assert.equal((await h.conforms('getItems', { path: cartPath('/items') }, 'items')).statusCode, 200);
        assert.equal((await h.conforms('getCart', { path: cartPath() }, 'cart')).statusCode, 200);
        const modified = await h.conforms(
          'modifyItems',
          {
            path: cartPath('/items'),
            method: 'PATCH',
            body: {
              items: [
                { itemId, quantity: 3 },
                { itemId: 'item_none', quantity: 1 },
              ],
            },
          },
          'one modified, one unknown',
        );
        assert.equal(modified.statusCode, 200, modified.body);
        const estimated = await h.conforms(
          'getEstimatedTotalPurchaseCost',
          { path: cartPath('/totalPurchaseCostEstimations'), method: 'POST', body: { address } },
          'estimated',
        );
        assert.equal(estimated.statusCode, 200, estimated.body);
        const abroad = await h.conforms(
          'getEstimatedTotalPurchaseCost',
          {
            path: cartPath('/totalPurchaseCostEstimations'),
            method: 'POST',
            body: { address: { ...address, countryCode: 'CA', stateOrRegion: 'ON' } },
          },
          'refused estimate',
        );
        assert.equal(abroad.statusCode, 200);
        const deleted = await h.conforms('deleteItems', { path: cartPath('/items'), method: 'DELETE' }, 'emptied');
        assert.equal(deleted.statusCode, 204);
      },
    },
    {
      name: 'refusals: missing and wrong parameters, bad bodies, an unknown cart',
      async run(h) {
        await ensureCart(h);
        for (const [op, request, status] of [
          ['listCarts', { path: '/carts' }, 400],
          ['getCart', { path: '/carts/cart_none?region=US' }, 404],
          ['getItems', { path: `/carts/${cartId}/items?region=XX` }, 400],
          ['addItems', { path: cartPath('/items'), method: 'POST', body: { items: [{ quantity: 1 }] } }, 400],
          ['modifyItems', { path: cartPath('/items'), method: 'PATCH', body: { items: [] } }, 400],
          ['getEstimatedTotalPurchaseCost', { path: cartPath('/totalPurchaseCostEstimations'), method: 'POST', body: {} }, 400],
        ] as const) {
          const res = await h.conforms(op, request, `${op} ${status}`);
          assert.equal(res.statusCode, status, `${op}: ${res.body}`);
        }
      },
    },
  ],
  async fuzzBodies(app) {
    const [p] = await app.ctx.db.kysely.selectFrom('catalog_offers').select(['asin', 'offer_id']).orderBy('offer_id').limit(1).execute();
    const asin = p?.asin ?? 'B000000001';
    return {
      addItems: [{ items: [{ productIdentifier: asin, buyingOptionIdentifier: p?.offer_id ?? 'x', quantity: 1, externalId: 'f1' }] }],
      modifyItems: [{ items: [{ itemId: 'item_fuzz', quantity: 2 }] }],
      getEstimatedTotalPurchaseCost: [{ address }],
    };
  },
};

export default examples;

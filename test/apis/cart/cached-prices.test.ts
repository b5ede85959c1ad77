import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isolatedDatabase } from '../../support/isolated.ts';
import { REDIS_URL } from '../../support/emulator.ts';
import { orderingWorldOn } from '../../support/ordering.ts';
import { offer, save } from '../../support/catalog.ts';
import { sampleMerchantRecords } from '../../../src/modules/catalog/index.ts';

// A process keeps each cart's priced items while neither the cart, the catalog nor the business's
// buying policies change. Two server processes on one database (with Redis and without): a change
// made through either one is what the other answers next.

type Item = { itemId: string; quantity: number; isItemAvailable: boolean; price?: { amount: number } };

for (const setup of [
  { name: 'without Redis', redisUrl: null },
  { name: 'with Redis', redisUrl: REDIS_URL },
] as const) {
  test(`cached cart prices follow every change, made in this process or another (${setup.name})`, async () => {
    const iso = await isolatedDatabase();
    const a = await iso.build({ redisUrl: setup.redisUrl });
    const b = await iso.build({ redisUrl: setup.redisUrl });
    const o = await orderingWorldOn(a);
    const headers = { ...o.headers, 'x-amz-user-email': o.buyer.email };
    const listed = await a.server.inject({ method: 'GET', url: '/na/cart/2025-04-30/carts?region=US', headers });
    const cart = `/na/cart/2025-04-30/carts/${(listed.json() as { cartDetailsList: { id: string }[] }).cartDetailsList[0]!.id}`;
    const items = async (app: typeof a): Promise<Item[]> => {
      const res = await app.server.inject({ method: 'GET', url: `${cart}/items?region=US`, headers });
      assert.equal(res.statusCode, 200, res.body);
      return (res.json() as { items: Item[] }).items;
    };
    const { pen } = o.products;
    const add = (app: typeof a, quantity: number) =>
      app.server.inject({
        method: 'POST',
        url: `${cart}/items?region=US`,
        headers,
        payload: {
          items: [{ productIdentifier: pen.asin, buyingOptionIdentifier: pen.offers[0]!.offerId, quantity, externalId: `q${quantity}` }],
        },
      });

    assert.equal((await add(a, 2)).statusCode, 200);
    for (const app of [a, b])
      assert.deepEqual(
        (await items(app)).map((i) => [i.quantity, i.price?.amount]),
        [[2, 12.99]],
      );
    // A change through the other process: the first answers it at once (the cart's version moved).
    assert.equal((await add(b, 8)).statusCode, 200);
    for (const app of [a, b])
      assert.deepEqual(
        (await items(app)).map((i) => [i.quantity, i.price?.amount]),
        [[10, 10.99]],
      );
    // The catalog changes (a new price): both answer the new price.
    pen.offers = [offer(pen.asin, 1, { price: 1499, stock: 100 })];
    await save(b.services.catalog, [...sampleMerchantRecords(), pen]);
    for (const app of [a, b])
      assert.deepEqual(
        (await items(app)).map((i) => i.price?.amount),
        [14.99],
      );
    // A buying policy blocks the product: the item is unavailable in both.
    await b.services.accounts.addPolicy('test', o.business.id, { guidance: 'BLOCKED', matchType: 'asin', value: pen.asin });
    for (const app of [b, a])
      assert.deepEqual(
        (await items(app)).map((i) => i.isItemAvailable),
        [false],
        setup.name,
      );
  });
}

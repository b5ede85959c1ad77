import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isolatedDatabase } from '../../support/isolated.ts';
import { REDIS_URL } from '../../support/emulator.ts';
import { artifacts, line, ORDERS_PATH, orderingWorldOn } from '../../support/ordering.ts';

// Two server processes on one database (and one Redis, or none): an order placed through one is
// read through the other, and moving the shared virtual clock with the HTTP control moves the order
// in both at once.

for (const setup of [
  { name: 'without Redis', redisUrl: null },
  { name: 'with Redis', redisUrl: REDIS_URL },
] as const) {
  test(`an order placed on one process is followed to delivery on the other by moving the shared clock (${setup.name})`, async () => {
    const iso = await isolatedDatabase();
    const a = await iso.build({ redisUrl: setup.redisUrl });
    const b = await iso.build({ redisUrl: setup.redisUrl });
    const o = await orderingWorldOn(a);
    const key = await a.services.operators.createAdminKey('two-processes');
    const clock = (advanceSeconds: number) =>
      a.server.inject({
        method: 'POST',
        url: '/_emulator/clock',
        headers: { authorization: `Bearer ${key}` },
        payload: { advanceSeconds },
      });
    const detailsOn = (app: typeof a) =>
      app.server.inject({ method: 'GET', url: `${ORDERS_PATH}/two-1`, headers: { ...o.headers, 'x-amz-user-email': o.buyer.email } });

    const placed = await o.place(o.body('two-1', [line('1', 1, { asin: o.products.pen.asin })]));
    assert.equal(placed.statusCode, 200, placed.body);
    const onB = await detailsOn(b);
    assert.equal(onB.statusCode, 200, onB.body);
    assert.deepEqual(artifacts(onB.json(), '1', 'OrderIdentifier'), artifacts(placed.json(), '1', 'OrderIdentifier'));
    assert.deepEqual(artifacts(onB.json(), null, 'Shipment'), []);

    assert.equal((await clock(10 * 86_400)).statusCode, 200);
    await o.refresh();
    for (const app of [b, a]) {
      const res = await detailsOn(app);
      assert.equal(res.statusCode, 200, res.body);
      const [shipment] = artifacts(res.json(), null, 'Shipment') as {
        packages: { packageAttributes: { deliveryDateRange: { startDateTime: string; endDateTime: string } }[] }[];
      }[];
      const range = shipment!.packages[0]!.packageAttributes[0]!.deliveryDateRange;
      assert.equal(range.startDateTime, range.endDateTime, 'delivered: the range is the delivery instant');
    }
    assert.equal((await b.services.purchasing.findByExternalId(o.business.id, 'two-1'))!.stage, 'delivered');
  });
}

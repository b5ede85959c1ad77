import { test } from 'node:test';
import assert from 'node:assert/strict';
import { linesFromCart, orderingWorld, summedCharges, US_ADDRESS } from '../support/ordering.ts';

// The scripted journey of issue 15, over HTTP only, as an integrator runs it: search the catalog,
// put what it found in the buyer's cart, estimate the cost, order the cart's items, move the clock,
// and track every package to its delivery. It runs on the database under test (SQLite, or
// PostgreSQL + Redis with DB=postgres).

type Json = Record<string, unknown>;
const DAY = 86_400_000;

test('search → add to cart → estimate → placeOrder with the cart’s items → advance the clock → every package delivered', async () => {
  const w = await orderingWorld();
  const buyer = { ...w.headers, 'x-amz-user-email': w.buyer.email };
  const get = (url: string, headers: Record<string, string> = buyer) => w.app.server.inject({ method: 'GET', url, headers });
  const send = (method: 'POST' | 'PATCH', url: string, payload: unknown) =>
    w.app.server.inject({ method, url, headers: buyer, payload: JSON.stringify(payload) });
  const word = w.products.pen.title.split(' ')[0]!;

  // 1. Search: two products, each with its featured offer.
  const found = await get(
    `/na/products/2020-08-26/products?productRegion=US&locale=en_US&keywords=${encodeURIComponent(word)}&facets=OFFERS`,
  );
  assert.equal(found.statusCode, 200, found.body);
  const products = (found.json() as { products: { asin: string; title: string; includedDataTypes: { OFFERS?: { offerId: string }[] } }[] })
    .products;
  const wanted = [w.products.pen.asin, w.products.chair.asin];
  const picks = wanted.map((asin) => {
    const p = products.find((x) => x.asin === asin);
    assert.ok(p, `${asin} is found by the search`);
    return { asin, offerId: p.includedDataTypes.OFFERS![0]!.offerId };
  });

  // 2. The buyer's cart, filled from the search.
  const carts = await get('/na/cart/2025-04-30/carts?region=US');
  const cartId = (carts.json() as { cartDetailsList: { id: string }[] }).cartDetailsList[0]!.id;
  const cart = `/na/cart/2025-04-30/carts/${cartId}`;
  const added = await send('POST', `${cart}/items?region=US`, {
    items: picks.map((p, i) => ({
      productIdentifier: p.asin,
      buyingOptionIdentifier: p.offerId,
      quantity: i === 0 ? 3 : 1,
      externalId: `pick-${i}`,
    })),
  });
  assert.equal(added.statusCode, 200, added.body);
  assert.deepEqual((added.json() as { rejectedItems: unknown[] }).rejectedItems, []);

  // 3. The estimate for the group's address.
  const address = { addressType: 'PhysicalAddress', ...US_ADDRESS };
  const estimate = await send('POST', `${cart}/totalPurchaseCostEstimations?region=US`, { address });
  assert.equal(estimate.statusCode, 200, estimate.body);
  const estimated = (estimate.json() as { charges: { category: string; type: string; amount: { amount: number } }[] }).charges;
  assert.equal(estimated.length, 3);

  // 4. placeOrder with the cart's items, exactly as getItems lists them.
  const items = (await get(`${cart}/items?region=US`)).json() as {
    items: { productIdentifier: string; buyingOptionIdentifier: string; quantity: number }[];
  };
  const order = await w.place(
    w.body('cart-journey-1', linesFromCart(items.items), { attributes: [{ attributeType: 'ShippingAddress', address }] }),
  );
  assert.equal(order.statusCode, 200, order.body);
  const placed = order.json() as { lineItems: { acceptedItems: { quantity: number; artifacts: Json[] }[] }[] };
  assert.ok(
    placed.lineItems.every((l) => l.acceptedItems.length === 1),
    order.body,
  );
  // The order's charges, summed, are the estimate's.
  assert.deepEqual(new Map(estimated.map((c) => [`${c.category}/${c.type}`, c.amount.amount])), summedCharges(placed));
  // The cart is the buyer's to empty once ordered.
  assert.equal((await w.app.server.inject({ method: 'DELETE', url: `${cart}/items?region=US`, headers: buyer })).statusCode, 204);

  // 5. Two weeks later, every shipment orderDetails names has a package that tracking says is delivered.
  await w.advance(14 * DAY);
  const details = await w.details('cart-journey-1');
  assert.equal(details.statusCode, 200, details.body);
  const shipments = (details.json() as { acceptanceArtifacts: Json[] }).acceptanceArtifacts.filter(
    (a) => a.acceptanceArtifactType === 'Shipment',
  ) as {
    identifier: string;
    packages: { packageReference: { value: string }; packageAttributes: { packageId: string }[] }[];
  }[];
  assert.ok(shipments.length >= 1);
  const orderId = (await w.app.services.purchasing.findByExternalId(w.business.id, 'cart-journey-1'))!.orderIdentifier;
  for (const s of shipments)
    for (const p of s.packages) {
      const tracked = await get(
        `/na/ab-tracking/2025-07-02/orders/${orderId}/shipments/${s.identifier}/packages/${p.packageAttributes[0]!.packageId}?region=US`,
        w.headers,
      );
      assert.equal(tracked.statusCode, 200, tracked.body);
      const t = (tracked.json() as { packageTrackingDetails: { trackingStatus: string; carrierDetails: { carrierTrackingId: string } } })
        .packageTrackingDetails;
      assert.equal(t.trackingStatus, 'DELIVERED');
      assert.equal(t.carrierDetails.carrierTrackingId, p.packageReference.value);
    }
});

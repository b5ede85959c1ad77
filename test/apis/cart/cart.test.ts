import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { linesFromCart, orderingWorld, orderingWorldOn, summedCharges, US_ADDRESS } from '../../support/ordering.ts';
import { MAX_CART_ITEMS, MAX_CART_QUANTITY } from '../../../src/modules/carts/index.ts';
import { offer, product, save, nonceWord } from '../../support/catalog.ts';
import { sampleMerchantRecords } from '../../../src/modules/catalog/index.ts';

const CARTS = '/na/cart/2025-04-30/carts';
type Json = Record<string, unknown>;

async function cartWorld() {
  const w = await orderingWorld();
  const h = { ...w.headers, 'x-amz-user-email': w.buyer.email };
  const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown, headers: Record<string, string> = h) =>
    w.app.server.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }) });
  const list = await call('GET', `${CARTS}?region=US`);
  assert.equal(list.statusCode, 200, list.body);
  const cartId = list.json().cartDetailsList[0].id as string;
  const at = (suffix = '', region = 'US') => `${CARTS}/${cartId}${suffix}?region=${region}`;
  const item = (p: { asin: string; offers: { offerId: string }[] }, quantity: number, externalId: string, offerIndex = 0): Json => ({
    productIdentifier: p.asin,
    buyingOptionIdentifier: p.offers[offerIndex]!.offerId,
    quantity,
    externalId,
  });
  const add = (items: Json[]) => call('POST', at('/items'), { items });
  return { ...w, h, call, cartId, at, item, add };
}

const body = (res: LightMyRequestResponse): Json => res.json() as Json;

test('listCarts: a default cart per buyer and store, created on first use, the same on every call', async () => {
  const w = await cartWorld();
  const again = body(await w.call('GET', `${CARTS}?region=US`));
  assert.deepEqual(again, { cartDetailsList: [{ id: w.cartId, region: 'US', cartType: 'DEFAULT' }] });
  // Another store of the business has its own cart, reached with that store's token (tokens are per marketplace).
  const caHeaders = { ...(await w.headersIn('CA')), 'x-amz-user-email': w.buyer.email };
  const ca = body(await w.call('GET', `${CARTS}?region=CA`, undefined, caHeaders));
  const [caCart] = ca.cartDetailsList as Json[];
  assert.equal(caCart!.region, 'CA');
  assert.notEqual(caCart!.id, w.cartId);
  // Another buyer has another.
  const other = await w.app.services.accounts.addUser('t', w.business.id, {
    email: `other-${w.cartId}@t.test`,
    name: 'O',
    role: 'Requisitioner',
    groupIds: [w.group.id],
  });
  const theirs = body(await w.call('GET', `${CARTS}?region=US`, undefined, { ...w.headers, 'x-amz-user-email': other.email }));
  assert.notEqual((theirs.cartDetailsList as Json[])[0]!.id, w.cartId);
  // Their cart is not ours to read: 404 when we say who we are.
  const mine = await w.call('GET', `${CARTS}/${(theirs.cartDetailsList as Json[])[0]!.id}?region=US`);
  assert.equal(mine.statusCode, 404);
  assert.equal(body(mine).errors instanceof Array, true);
});

test('listCarts: region and paging are checked; the page token is opaque and bound to the query', async () => {
  const w = await cartWorld();
  const missing = await w.call('GET', CARTS);
  assert.equal(missing.statusCode, 400);
  assert.deepEqual(body(missing), {
    errors: [
      {
        code: 'INVALID_REQUEST_PARAMETER',
        message: 'The required request parameter is missing: region.',
        details: 'Please provide the required parameter (region) in the request.',
      },
    ],
  });
  for (const url of [
    `${CARTS}?region=XX`,
    `${CARTS}?region=DE`,
    `${CARTS}?region=JP`,
    `${CARTS}?region=US&pageSize=0`,
    `${CARTS}?region=US&pageSize=51`,
  ]) {
    const res = await w.call('GET', url);
    assert.equal(res.statusCode, 400, url);
    assert.equal((body(res).errors as Json[])[0]!.code, 'INVALID_REQUEST_PARAMETER', url);
  }
  assert.match(String((body(await w.call('GET', `${CARTS}?region=DE`)).errors as Json[])[0]!.message), /served by the EU endpoint/);
  // A store of the NA endpoint that is not the token's marketplace (US) answers the gateway's 403 for a
  // token used where it does not belong: CA (where the business buys, with its own consent) and MX.
  for (const store of ['CA', 'MX']) {
    const other = await w.call('GET', `${CARTS}?region=${store}`);
    assert.equal(other.statusCode, 403, store);
    assert.equal(other.headers['x-amzn-errortype'], 'AccessDeniedException');
    assert.deepEqual(body(other), { errors: [{ message: 'Access to requested resource is denied.', code: 'Unauthorized', details: '' }] });
  }
  const forged = await w.call('GET', `${CARTS}?region=US&pageToken=abc.def`);
  assert.equal(forged.statusCode, 400);
  assert.match(String((body(forged).errors as Json[])[0]!.message), /pageToken/);
  // listCarts needs the buyer's email, like every Amazon Business call that acts for a buyer.
  const anonymous = await w.call('GET', `${CARTS}?region=US`, undefined, w.headers);
  assert.equal(anonymous.statusCode, 400);
});

test('addItems: prices, tax-exclusive prices, dates from the virtual clock; the same product again merges into the same item', async () => {
  const w = await cartWorld();
  const { pen, chair } = w.products;
  const first = await w.add([w.item(pen, 2, 'p1'), w.item(chair, 1, 'c1', 1)]);
  assert.equal(first.statusCode, 200, first.body);
  const r = body(first) as { items: Json[]; rejectedItems: Json[] };
  assert.deepEqual(r.rejectedItems, []);
  assert.equal(r.items.length, 2);
  const penItem = r.items.find((i) => i.productIdentifier === pen.asin)!;
  assert.deepEqual(penItem.price, { currencyCode: 'USD', amount: 12.99 });
  assert.deepEqual(penItem.taxExclusivePrice, { currencyCode: 'USD', amount: 12.99 });
  assert.equal(penItem.isItemAvailable, true);
  const nearNow = (iso: unknown) => Math.abs(Date.parse(String(iso)) - w.app.clock.now()) < 5_000;
  assert.ok(nearNow(penItem.addedToCartDate), String(penItem.addedToCartDate));
  const chairItem = r.items.find((i) => i.productIdentifier === chair.asin)!;
  assert.equal(chairItem.buyingOptionIdentifier, chair.offers[1]!.offerId);
  assert.deepEqual(chairItem.price, { currencyCode: 'USD', amount: 229.99 });

  w.app.clock.advance(60_000);
  const merged = body(await w.add([w.item(pen, 8, 'p2')])) as { items: Json[] };
  const penAgain = merged.items.find((i) => i.productIdentifier === pen.asin)!;
  assert.equal(penAgain.itemId, penItem.itemId, 'item ids are stable');
  assert.equal(penAgain.quantity, 10);
  // Ten pens reach the quantity tier.
  assert.deepEqual(penAgain.price, { currencyCode: 'USD', amount: 10.99 });
  assert.equal(penAgain.addedToCartDate, penItem.addedToCartDate);
  assert.ok(nearNow(penAgain.modifiedDate));
  assert.ok(Date.parse(String(penAgain.modifiedDate)) - Date.parse(String(penItem.addedToCartDate)) >= 60_000);

  const items = body(await w.call('GET', w.at('/items'))) as { items: Json[] };
  assert.deepEqual(items.items, merged.items);
  const cart = body(await w.call('GET', w.at()));
  assert.deepEqual(cart, {
    id: w.cartId,
    region: 'US',
    cartType: 'DEFAULT',
    attributes: [{ attributeType: 'Subtotal', amount: { currencyCode: 'USD', amount: 10 * 10.99 + 229.99 } }],
  });
});

test('addItems refuses what cannot be bought, each with the model’s rejection artifacts, and keeps the rest', async () => {
  const w = await cartWorld();
  const { pen, chair, paper, wine, gone } = w.products;
  const res = await w.add([
    w.item(pen, 1, 'ok'),
    w.item(gone, 1, 'sold-out'),
    w.item(chair, 9, 'too-many'),
    w.item(paper, 1, 'below-minimum'),
    w.item(wine, 1, 'age'),
    { ...w.item(pen, 1, 'wrong-offer'), buyingOptionIdentifier: chair.offers[0]!.offerId },
    { ...w.item(pen, 1, 'no-product'), productIdentifier: 'B0NOTHERE0' },
  ]);
  assert.equal(res.statusCode, 200, res.body);
  const r = body(res) as { items: Json[]; rejectedItems: { id: string; rejectionArtifacts: Json[] }[] };
  assert.deepEqual(
    r.items.map((i) => i.productIdentifier),
    [pen.asin],
  );
  const why = Object.fromEntries(r.rejectedItems.map((x) => [x.id, x.rejectionArtifacts]));
  assert.deepEqual(Object.keys(why).sort(), ['age', 'below-minimum', 'no-product', 'sold-out', 'too-many', 'wrong-offer']);
  assert.deepEqual(why['sold-out']![0], { rejectionArtifactType: 'UnavailableQuantity', quantity: 1 });
  assert.deepEqual(why['too-many']![0], { rejectionArtifactType: 'UnavailableQuantity', quantity: 4 });
  for (const [id, pattern] of [
    ['below-minimum', /at least 2/],
    ['age', /age-restricted/],
    ['wrong-offer', /not an offer of product/],
    // The buying option exists, but not for this product.
    ['no-product', /not an offer of product B0NOTHERE0/],
  ] as const)
    assert.ok(
      why[id]!.some((a) => a.rejectionArtifactType === 'RejectionMessage' && pattern.test(String(a.message))),
      `${id}: ${JSON.stringify(why[id])}`,
    );
  // Merging counts: 3 chairs more than the 5 in stock once 3 are in the cart.
  assert.equal((body(await w.add([w.item(chair, 3, 'c1')])) as { rejectedItems: unknown[] }).rejectedItems.length, 0);
  const over = body(await w.add([w.item(chair, 3, 'c2')])) as { rejectedItems: { rejectionArtifacts: Json[] }[] };
  assert.deepEqual(over.rejectedItems[0]!.rejectionArtifacts[0], { rejectionArtifactType: 'UnavailableQuantity', quantity: 1 });
});

test('the cart limits: distinct items and total quantity, with their restriction artifacts', async () => {
  const w = await cartWorld();
  const word = nonceWord();
  const many = Array.from({ length: MAX_CART_ITEMS + 1 }, (_, i) => {
    const p = product(word, { title: `${word} Part ${i}` });
    p.offers = [offer(p.asin, 1, { price: 100 + i, stock: 5000 })];
    return p;
  });
  await save(w.app.services.catalog, [...sampleMerchantRecords(), ...many]);
  const first = body(await w.add(many.slice(0, 50).map((p, i) => w.item(p, 1, `i${i}`)))) as { items: unknown[]; rejectedItems: unknown[] };
  assert.equal(first.items.length, MAX_CART_ITEMS);
  // Items list in the order they were added, also within one request.
  assert.deepEqual(
    (first.items as Json[]).map((i) => i.productIdentifier),
    many.slice(0, 50).map((p) => p.asin),
  );
  const full = body(await w.add([w.item(many[50]!, 1, 'one-more')])) as { rejectedItems: { id: string; rejectionArtifacts: Json[] }[] };
  assert.deepEqual(full.rejectedItems, [
    { id: 'one-more', rejectionArtifacts: [{ rejectionArtifactType: 'TotalItemCountRestriction', maxQuantity: MAX_CART_ITEMS }] },
  ]);
  const heavy = body(await w.add([w.item(many[0]!, MAX_CART_QUANTITY, 'heavy')])) as { rejectedItems: { rejectionArtifacts: Json[] }[] };
  assert.deepEqual(heavy.rejectedItems[0]!.rejectionArtifacts, [
    { rejectionArtifactType: 'TotalQuantityRestriction', maxQuantity: MAX_CART_QUANTITY },
  ]);
});

test('modifyItems sets quantities; an unknown item or an unavailable quantity is refused; deleteItems empties the cart (204)', async () => {
  const w = await cartWorld();
  const { pen, chair } = w.products;
  const added = body(await w.add([w.item(pen, 1, 'p'), w.item(chair, 1, 'c')])) as { items: Json[] };
  const penId = added.items.find((i) => i.productIdentifier === pen.asin)!.itemId as string;
  const chairId = added.items.find((i) => i.productIdentifier === chair.asin)!.itemId as string;
  const res = await w.call('PATCH', w.at('/items'), {
    items: [
      { itemId: penId, quantity: 3 },
      { itemId: chairId, quantity: 6 },
      { itemId: 'item_unknown', quantity: 1 },
    ],
  });
  assert.equal(res.statusCode, 200, res.body);
  const r = body(res) as { items: Json[]; rejectedItems: { id: string; rejectionArtifacts: Json[] }[] };
  assert.equal(r.items.find((i) => i.itemId === penId)!.quantity, 3);
  assert.equal(r.items.find((i) => i.itemId === chairId)!.quantity, 1);
  assert.deepEqual(
    r.rejectedItems.map((x) => x.id),
    [chairId, 'item_unknown'],
  );
  assert.deepEqual(r.rejectedItems[0]!.rejectionArtifacts[0], { rejectionArtifactType: 'UnavailableQuantity', quantity: 1 });
  const missingQuantity = await w.call('PATCH', w.at('/items'), { items: [{ itemId: penId }] });
  assert.equal(missingQuantity.statusCode, 400);
  assert.equal((body(missingQuantity).errors as Json[])[0]!.message, 'The required request parameter is missing: quantity.');

  const deleted = await w.call('DELETE', w.at('/items'));
  assert.equal(deleted.statusCode, 204);
  assert.equal(deleted.body, '');
  assert.deepEqual(body(await w.call('GET', w.at('/items'))), { items: [] });
  // Deleting an empty cart is still a 204; a cart that is not there a 404.
  assert.equal((await w.call('DELETE', w.at('/items'))).statusCode, 204);
  assert.equal((await w.call('DELETE', `${CARTS}/cart_nope/items?region=US`)).statusCode, 404);
});

test('bad bodies and parameters are 400s naming the field; nothing changes', async () => {
  const w = await cartWorld();
  const { pen } = w.products;
  await w.add([w.item(pen, 1, 'p')]);
  const before = await w.call('GET', w.at('/items'));
  const cases: [string, unknown, RegExp][] = [
    ['no productIdentifier', { items: [{ buyingOptionIdentifier: 'x', quantity: 1, externalId: 'e' }] }, /missing: productIdentifier/],
    ['no buying option', { items: [{ productIdentifier: pen.asin, quantity: 1, externalId: 'e' }] }, /missing: buyingOptionIdentifier/],
    ['no externalId', { items: [{ productIdentifier: pen.asin, buyingOptionIdentifier: 'x', quantity: 1 }] }, /missing: externalId/],
    ['zero quantity', { items: [w.item(pen, 0, 'e')] }, /items\[0\]\.quantity/],
    ['fractional quantity', { items: [w.item(pen, 1.5, 'e')] }, /whole number/],
    ['not an ASIN', { items: [{ ...w.item(pen, 1, 'e'), productIdentifier: 'not an asin!' }] }, /not an ASIN/],
    ['duplicate externalId', { items: [w.item(pen, 1, 'e'), w.item(pen, 1, 'e')] }, /used by another item/],
    ['empty list', { items: [] }, /1 to 50/],
    ['51 items', { items: Array.from({ length: 51 }, (_, i) => w.item(pen, 1, `e${i}`)) }, /1 to 50/],
    ['no items', {}, /missing: items/],
    ['bad metadata', { items: [{ ...w.item(pen, 1, 'e'), metadata: [{ artifactType: 'Other' }] }] }, /CatalogMetadata/],
  ];
  for (const [what, payload, message] of cases) {
    const res = await w.call('POST', w.at('/items'), payload);
    assert.equal(res.statusCode, 400, `${what}: ${res.body}`);
    const [error] = body(res).errors as Json[];
    assert.equal(error!.code, 'INVALID_REQUEST_PARAMETER', what);
    assert.match(String(error!.message), message, what);
  }
  const notJson = await w.app.server.inject({
    method: 'POST',
    url: w.at('/items'),
    headers: { ...w.h, 'content-type': 'text/plain' },
    payload: 'x',
  });
  assert.equal(notJson.statusCode, 415);
  assert.equal((await w.call('GET', `${CARTS}/${w.cartId}/items`)).statusCode, 400, 'no region');
  assert.equal((await w.call('GET', w.at('/items', 'CA'))).statusCode, 403, 'the US token is not for the CA store');
  const caHeaders = { ...(await w.headersIn('CA')), 'x-amz-user-email': w.buyer.email };
  assert.equal((await w.call('GET', w.at('/items', 'CA'), undefined, caHeaders)).statusCode, 404, 'a US cart is not in the CA store');
  assert.deepEqual(body(await w.call('GET', w.at('/items'))), body(before));
});

test('another business’s cart, a foreign or unauthorized buyer email: 404 or 403, never the cart', async () => {
  const w = await cartWorld();
  await w.add([w.item(w.products.pen, 1, 'p')]);
  // Another business on the same server, with its own app and token.
  const other = await orderingWorldOn(w.app);
  const theirs = await w.app.server.inject({
    method: 'GET',
    url: `${CARTS}?region=US`,
    headers: { ...other.headers, 'x-amz-user-email': other.buyer.email },
  });
  assert.equal(theirs.statusCode, 200);
  // Our cart id through the other business's token: not found, as if it did not exist.
  for (const method of ['GET', 'DELETE'] as const) {
    const foreign = await w.app.server.inject({ method, url: `${CARTS}/${w.cartId}/items?region=US`, headers: other.headers });
    assert.equal(foreign.statusCode, 404, foreign.body);
  }
  assert.equal((body(await w.call('GET', w.at('/items'))) as { items: unknown[] }).items.length, 1);
  // Without the optional email the business's own token reads the cart; with an email that is not a buyer of the business, 403.
  assert.equal((await w.call('GET', w.at('/items'), undefined, w.headers)).statusCode, 200);
  const stranger = await w.call('GET', w.at('/items'), undefined, { ...w.headers, 'x-amz-user-email': 'stranger@nowhere.test' });
  assert.equal(stranger.statusCode, 403);
  assert.match(stranger.body, /Email is not authorized/);
});

test('items follow the catalog: a gone offer makes the item unavailable, without a price', async () => {
  const w = await cartWorld();
  const word = nonceWord();
  const lamp = product(word, { title: `${word} Desk Lamp` });
  lamp.offers = [offer(lamp.asin, 1, { price: 3999, stock: 10 })];
  await save(w.app.services.catalog, [...sampleMerchantRecords(), lamp]);
  await w.add([w.item(lamp, 2, 'l')]);
  lamp.offers = [offer(lamp.asin, 2, { price: 4599, stock: 10 })];
  await save(w.app.services.catalog, [...sampleMerchantRecords(), lamp]);
  const [item] = (body(await w.call('GET', w.at('/items'))) as { items: Json[] }).items;
  assert.equal(item!.isItemAvailable, false);
  assert.equal(item!.price, undefined);
  // The cart's subtotal counts what can be bought.
  assert.deepEqual((body(await w.call('GET', w.at())).attributes as Json[])[0], {
    attributeType: 'Subtotal',
    amount: { currencyCode: 'USD', amount: 0 },
  });
});

test('getEstimatedTotalPurchaseCost: the charges placeOrder makes for the same items and address; refusals as artifacts', async () => {
  const w = await cartWorld();
  const { pen, chair, paper } = w.products;
  await w.add([w.item(pen, 12, 'p'), w.item(chair, 1, 'c', 1), w.item(paper, 2, 'pa')]);
  const address = { addressType: 'PhysicalAddress', ...US_ADDRESS };
  const res = await w.call('POST', w.at('/totalPurchaseCostEstimations'), { address });
  assert.equal(res.statusCode, 200, res.body);
  const est = body(res) as { charges: { category: string; type: string; amount: { amount: number } }[]; rejectionArtifacts: unknown[] };
  assert.deepEqual(est.rejectionArtifacts, []);
  // The same items ordered to the same address: the order's charges, summed, are the estimate's.
  type Listed = { items: { productIdentifier: string; buyingOptionIdentifier: string; quantity: number }[] };
  const { items } = body(await w.call('GET', w.at('/items'))) as Listed;
  const order = await w.place(
    w.body('from-cart', linesFromCart(items), {
      attributes: [{ attributeType: 'ShippingAddress', address }],
    }),
  );
  assert.equal(order.statusCode, 200, order.body);
  assert.deepEqual(new Map(est.charges.map((c) => [`${c.category}/${c.type}`, c.amount.amount])), summedCharges(order.json()));

  // Refusals: an address outside the store's country, an item that cannot be bought, an empty cart.
  const abroad = body(
    await w.call('POST', w.at('/totalPurchaseCostEstimations'), { address: { ...address, countryCode: 'CA', stateOrRegion: 'ON' } }),
  );
  assert.deepEqual(abroad.charges, []);
  assert.match(JSON.stringify(abroad.rejectionArtifacts), /delivers to US only/);
  const missing = await w.call('POST', w.at('/totalPurchaseCostEstimations'), { address: { ...address, fullName: undefined } });
  assert.equal(missing.statusCode, 400);
  assert.equal((body(missing).errors as Json[])[0]!.message, 'The required request parameter is missing: address.fullName.');
  const noState = await w.call('POST', w.at('/totalPurchaseCostEstimations'), { address: { ...address, stateOrRegion: undefined } });
  assert.equal(noState.statusCode, 400);
  await w.call('DELETE', w.at('/items'));
  const empty = body(await w.call('POST', w.at('/totalPurchaseCostEstimations'), { address }));
  assert.deepEqual(empty, {
    charges: [],
    rejectionArtifacts: [{ rejectionArtifactType: 'RejectionMessage', message: 'The cart is empty: there is nothing to estimate.' }],
  });
});

test('two addItems on one cart at once keep both items, and the same item twice at once adds both quantities', async () => {
  const w = await cartWorld();
  const { pen, chair, paper } = w.products;
  const [a, b] = await Promise.all([w.add([w.item(pen, 1, 'a')]), w.add([w.item(chair, 1, 'b')])]);
  assert.equal(a.statusCode, 200, a.body);
  assert.equal(b.statusCode, 200, b.body);
  const racing = await Promise.all(Array.from({ length: 6 }, (_, i) => w.add([w.item(paper, 2, `p${i}`)])));
  for (const r of racing) {
    assert.equal(r.statusCode, 200, r.body);
    assert.deepEqual((r.json() as { rejectedItems: unknown[] }).rejectedItems, []);
  }
  const items = (body(await w.call('GET', w.at('/items'))) as { items: Json[] }).items;
  assert.deepEqual(
    items.map((i) => [i.productIdentifier, i.quantity]).sort(),
    [
      [chair.asin, 1],
      [paper.asin, 12],
      [pen.asin, 1],
    ].sort(),
  );
});

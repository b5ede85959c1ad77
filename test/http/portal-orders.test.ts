import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PageClient, signIn, textOf } from '../support/pages.ts';
import { line, orderingWorld } from '../support/ordering.ts';
import { gatewayWorld } from '../support/gateway.ts';

// The business admin pages show the business's orders as they stand, let an administrator approve
// or decline one that waits, and set how each group orders; the operator console lists them too.

const o = await orderingWorld();
const client = new PageClient(o.app);
assert.equal((await signIn(client, '/business', { email: o.admin.email, password: o.password })).status, 303);

test('orders are listed with their status and lines; one waiting for approval is approved from its page', async () => {
  await o.app.services.accounts.updateGroupOrdering('test', o.business.id, o.group.id, { approvalLimitMinor: 1_000 });
  try {
    assert.equal(
      (await o.place(o.body('page-1', [line('1', 3, { asin: o.products.pen.asin }), line('2', 1, { asin: o.products.gone.asin })])))
        .statusCode,
      200,
    );
  } finally {
    await o.app.services.accounts.updateGroupOrdering('test', o.business.id, o.group.id, { approvalLimitMinor: null });
  }
  const order = (await o.app.services.purchasing.findByExternalId(o.business.id, 'page-1'))!;
  const list = textOf((await client.get('/business/orders')).body);
  assert.match(list, new RegExp(order.orderIdentifier));
  assert.match(list, /PENDING_APPROVAL/);
  assert.match(list, /1 waiting for your approval/);
  const page = await client.get(`/business/orders/${order.id}`);
  assert.equal(page.status, 200);
  assert.match(textOf(page.body), /Only 0 in stock|Sold Out Stapler/);
  const approved = await client.submit(`/business/orders/${order.id}`, `/business/orders/${order.id}/approve`, {});
  assert.equal(approved.status, 303);
  assert.equal((await o.app.services.purchasing.get(order.id)).status, 'PENDING');
  assert.match(textOf((await client.get(`/business/orders/${order.id}`)).body), /was approved/);
  // Without the CSRF token, nothing happens.
  const forged = await client.post(`/business/orders/${order.id}/decline`, {});
  assert.equal(forged.status, 403);
  assert.equal((await o.app.services.purchasing.get(order.id)).status, 'PENDING');
});

test('another business\u2019s order is a 404 on these pages', async () => {
  const other = await gatewayWorld(o.app);
  const theirs = await o.app.services.purchasing.list(o.business.id, 1);
  const foreign = new PageClient(o.app);
  await signIn(foreign, '/business', { email: other.admin.email, password: other.password });
  assert.equal((await foreign.get(`/business/orders/${theirs[0]!.id}`)).status, 404);
});

test('a group\u2019s ordering settings: payment method, approval limit, test mode and address, validated', async () => {
  const bad = await client.submit(`/business/groups/${o.group2.id}`, `/business/groups/${o.group2.id}`, {
    paymentMethod: 'Pay by Invoice',
    approvalLimit: '12.345',
    fullName: 'Ops',
    addressLine1: '',
    city: 'Austin',
    postalCode: '73301',
    countryCode: 'US',
  });
  assert.equal(bad.status, 400);
  assert.match(bad.body, /id="f-approvalLimit-error"/);
  assert.match(bad.body, /value="Pay by Invoice"/);
  const ok = await client.submit(`/business/groups/${o.group2.id}`, `/business/groups/${o.group2.id}`, {
    paymentMethod: 'Pay by Invoice',
    approvalLimit: '250.00',
    testMode: 'on',
    fullName: 'Ops',
    addressLine1: '2 Side St',
    city: 'Austin',
    stateOrRegion: 'TX',
    postalCode: '73301',
    countryCode: 'us',
  });
  assert.equal(ok.status, 303);
  const g = await o.app.services.accounts.getGroup(o.business.id, o.group2.id);
  assert.deepEqual(
    [g.paymentMethod, g.approvalLimitMinor, g.testMode, g.shippingAddress?.countryCode],
    ['Pay by Invoice', 25_000, true, 'US'],
  );
  assert.match(textOf((await client.get('/business/organization')).body), /Pay by Invoice · test mode · approval limit/);
});

test('the operator console lists a business\u2019s orders and shows one with its lines and shipments', async () => {
  const operator = new PageClient(o.app);
  await signIn(operator, '/console', { key: await o.app.services.operators.createAdminKey('orders-console') });
  assert.equal((await o.place(o.body('page-2', [line('1', 2, { asin: o.products.chair.asin })]))).statusCode, 200);
  const order = (await o.app.services.purchasing.findByExternalId(o.business.id, 'page-2'))!;
  const business = textOf((await operator.get(`/console/businesses/${o.business.id}`)).body);
  assert.match(business, new RegExp(order.orderIdentifier));
  const page = await operator.get(`/console/orders/${order.id}`);
  assert.equal(page.status, 200);
  const text = textOf(page.body);
  assert.match(text, /Office Chair/);
  assert.match(text, new RegExp(order.shipments[0]!.trackingNumber));
  assert.equal((await operator.get('/console/orders/ord_nope')).status, 404);
});

test("an order's page shows each package with its tracking timeline; the carts page shows every buyer's cart, priced now", async () => {
  assert.equal((await o.place(o.body('page-track-1', [line('1', 1, { asin: o.products.pen.asin })]))).statusCode, 200);
  const order = (await o.app.services.purchasing.findByExternalId(o.business.id, 'page-track-1'))!;
  const before = textOf((await client.get(`/business/orders/${order.id}`)).body);
  assert.match(before, /Packages/);
  assert.match(before, /No scans yet/);
  await o.advance(20 * 86_400_000);
  await signIn(client, '/business', { email: o.admin.email, password: o.password });
  const after = textOf((await client.get(`/business/orders/${order.id}`)).body);
  assert.match(after, new RegExp(`Package ${order.shipments[0]!.packageId} DELIVERED`));
  assert.match(after, /Package delivered\./);
  assert.match(after, /Shipping label created/);

  const headers = { ...o.headers, 'x-amz-user-email': o.buyer.email };
  const carts = await o.app.server.inject({ method: 'GET', url: '/na/cart/2025-04-30/carts?region=US', headers });
  const cartId = (carts.json() as { cartDetailsList: { id: string }[] }).cartDetailsList[0]!.id;
  const { pen } = o.products;
  await o.app.server.inject({
    method: 'POST',
    url: `/na/cart/2025-04-30/carts/${cartId}/items?region=US`,
    headers,
    payload: { items: [{ productIdentifier: pen.asin, buyingOptionIdentifier: pen.offers[0]!.offerId, quantity: 2, externalId: 'x' }] },
  });
  const page = await client.get('/business/carts');
  assert.equal(page.status, 200);
  const text = textOf(page.body);
  assert.match(text, new RegExp(o.buyer.email.replace(/[.+]/g, '\\$&')));
  assert.match(text, new RegExp(cartId));
  assert.match(text, /Gel Pen 12-pack/);
  assert.match(text, /\$25\.98/);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { artifacts, attr, expect_, line, orderingWorld, US_ADDRESS } from '../../support/ordering.ts';

const o = await orderingWorld();
const { pen, chair, paper, wine, gone } = o.products;
type Result = {
  lineItems: {
    externalId: string;
    acceptedItems: { quantity: number; artifacts: Record<string, unknown>[] }[];
    rejectedItems: { quantity: number; artifacts: Record<string, unknown>[] }[];
  }[];
  acceptanceArtifacts: Record<string, unknown>[];
  rejectionArtifacts: Record<string, unknown>[];
};
const ok = async (payload: unknown): Promise<Result> => {
  const res = await o.place(payload);
  assert.equal(res.statusCode, 200, res.body);
  return res.json() as Result;
};
const refused = async (payload: unknown, status: number, pattern: RegExp) => {
  const res = await o.place(payload);
  assert.equal(res.statusCode, status, res.body);
  const body = res.json() as { errors: { code: string; message: string; details?: string }[] };
  assert.match(`${body.errors[0]!.message} ${body.errors[0]!.details ?? ''}`, pattern);
  return body;
};
const codes = (r: Result, lineId: string) =>
  r.lineItems
    .find((l) => l.externalId === lineId)!
    .rejectedItems.flatMap((i) => i.artifacts.filter((a) => a.rejectionArtifactType === 'RejectionCode').map((a) => a.code));
const ordersOf = async () => (await o.app.services.purchasing.list(o.business.id, 500)).length;
let n = 0;
const id = () => `po-${Date.now()}-${++n}`;

test('a real order: every accepted line carries its order id, unit price, charges and delivery window; the order is Signed', async () => {
  const r = await ok(o.body(id(), [line('1', 12, { asin: pen.asin }), line('2', 1, { offer: chair.offers[0]!.offerId })]));
  const [orderId] = artifacts(r, '1', 'OrderIdentifier');
  assert.match(String(orderId!.identifier), /^\d{3}-\d{7}-\d{7}$/);
  assert.deepEqual(artifacts(r, '2', 'OrderIdentifier'), [orderId]);
  // 12 pens reach the 10+ tier: 10.99 each; tax is the US sales tax on the subtotal.
  assert.deepEqual(artifacts(r, '1', 'UnitPrice'), [
    { acceptanceArtifactType: 'UnitPrice', amount: { currencyCode: 'USD', amount: 10.99 } },
  ]);
  const charges = artifacts(r, '1', 'Charge').map((c) => [c.category, c.type, (c.amount as { amount: number }).amount]);
  assert.deepEqual(charges, [
    ['SUBTOTAL', 'PRINCIPAL', 131.88],
    ['SUBTOTAL', 'TAX', 9.56],
    ['SHIPPING', 'PRINCIPAL', 0],
  ]);
  const [range] = artifacts(r, '2', 'DeliveryTimeRange');
  assert.ok(Date.parse(String(range!.lowerBoundary)) < Date.parse(String(range!.upperBoundary)));
  assert.deepEqual(r.acceptanceArtifacts, [{ acceptanceArtifactType: 'Signed' }]);
  assert.deepEqual(r.rejectionArtifacts, []);
});

test('lines are priced as Product Search prices them for the same buyer: the featured offer, the same unit price and delivery window', async () => {
  const search = await o.app.server.inject({
    method: 'GET',
    url: `/na/products/2020-08-26/products/${chair.asin}?productRegion=US&locale=en_US&facets=OFFERS&quantity=1&shippingPostalCode=${US_ADDRESS.postalCode}`,
    headers: { ...o.headers, 'x-amz-user-email': o.buyer.email },
  });
  assert.equal(search.statusCode, 200, search.body);
  const featured = search.json().includedDataTypes.OFFERS[0];
  const r = await ok(o.body(id(), [line('1', 1, { asin: chair.asin })]));
  assert.equal((artifacts(r, '1', 'UnitPrice')[0]!.amount as { amount: number }).amount, featured.price.value.amount);
  const [range] = artifacts(r, '1', 'DeliveryTimeRange');
  assert.equal(range!.lowerBoundary, featured.deliveryInformation.estimatedDeliveryDate?.minimum ?? range!.lowerBoundary);
});

test('trial mode: the TrialMode attribute runs the whole pipeline, keeps nothing, and carries no order id and no Signed', async () => {
  const before = await ordersOf();
  const externalId = id();
  const r = await ok(
    o.body(externalId, [line('1', 2, { asin: pen.asin }), line('2', 1, { asin: gone.asin })], { attributes: [attr.trial()] }),
  );
  assert.equal(r.lineItems[0]!.acceptedItems[0]!.quantity, 2);
  assert.deepEqual(artifacts(r, '1', 'OrderIdentifier'), []);
  assert.equal(artifacts(r, '1', 'UnitPrice').length, 1);
  assert.deepEqual(codes(r, '2'), ['INSUFFICIENT_STOCK']);
  assert.deepEqual(r.acceptanceArtifacts, []);
  assert.equal(await ordersOf(), before);
  assert.equal((await o.details(externalId)).statusCode, 404);
  // The same external id can then be used for the real order.
  const real = await ok(o.body(externalId, [line('1', 2, { asin: pen.asin })]));
  assert.equal(artifacts(real, '1', 'OrderIdentifier').length, 1);
});

test('trial mode: a buying group in test mode makes every order a trial', async () => {
  await o.app.services.accounts.updateGroupOrdering('test', o.business.id, o.group.id, { testMode: true });
  try {
    const before = await ordersOf();
    const r = await ok(o.body(id()));
    assert.deepEqual(r.acceptanceArtifacts, []);
    assert.deepEqual(artifacts(r, '1', 'OrderIdentifier'), []);
    assert.equal(await ordersOf(), before);
  } finally {
    await o.app.services.accounts.updateGroupOrdering('test', o.business.id, o.group.id, { testMode: false });
  }
});

test('idempotent external ids: a replay gets the same answer and creates nothing; another request under the id is refused', async () => {
  const externalId = id();
  const payload = o.body(externalId, [line('1', 3, { asin: pen.asin })]);
  const first = await o.place(payload);
  const before = await ordersOf();
  await o.advance(2 * 86_400_000);
  const again = await o.place(payload);
  assert.equal(again.statusCode, 200);
  assert.equal(again.body, first.body, 'the replay answers byte for byte the first answer');
  assert.equal(await ordersOf(), before);
  // Key order does not make another request.
  const reordered = Object.fromEntries(Object.entries(payload).reverse());
  assert.equal((await o.place(reordered)).body, first.body);
  await refused(o.body(externalId, [line('1', 4, { asin: pen.asin })]), 400, /already used for another order request/);
});

test('the buyer must be an active user of the authorizing business, cleared by account matching (the FAQ\u2019s body)', async () => {
  for (const email of ['nobody@elsewhere.test', o.mace.email]) {
    const payload = { ...o.body(id()), attributes: [attr.region(), attr.buyer(email)] };
    const res = await o.place(payload);
    assert.equal(res.statusCode, 403, res.body);
    assert.deepEqual(res.json(), {
      errors: [{ code: 'Unauthorized', message: 'Email is not authorized', details: 'End user email is not Authorized' }],
    });
  }
});

test('groups: a buyer in two groups names one; an unknown group is refused; a group without payment method cannot order', async () => {
  const multi = { ...o.body(id()), attributes: [attr.region(), attr.buyer(o.multi.email)] };
  await refused(multi, 400, /more than one buying group/);
  await refused({ ...multi, attributes: [...multi.attributes, attr.group('no-such-group')] }, 400, /not a group of the buyer/);
  // group2 has no payment method configured.
  await refused({ ...multi, attributes: [...multi.attributes, attr.group(o.group2.groupTag)] }, 400, /has no payment method/);
  const r = await ok({ ...multi, externalId: id(), attributes: [...multi.attributes, attr.group(o.group.groupTag), attr.payment()] });
  assert.equal(artifacts(r, '1', 'OrderIdentifier').length, 1);
});

test('the store must be one of the business\u2019s and of the endpoint\u2019s region; the address must be in the store\u2019s country', async () => {
  // The token is for the US marketplace: another store of the endpoint answers the gateway's 403.
  for (const store of ['MX', 'CA']) {
    const res = await o.place({ ...o.body(id()), attributes: [attr.region(store), attr.buyer(o.buyer.email)] });
    assert.equal(res.statusCode, 403, store);
    assert.deepEqual(res.json(), { errors: [{ message: 'Access to requested resource is denied.', code: 'Unauthorized', details: '' }] });
  }
  await refused({ ...o.body(id()), attributes: [attr.region('DE'), attr.buyer(o.buyer.email)] }, 400, /not served by the NA endpoint/);
  await refused(
    o.body(id(), undefined, { attributes: [attr.shipTo({ ...US_ADDRESS, countryCode: 'CA', stateOrRegion: 'BC' })] }),
    400,
    /ships to US only/,
  );
});

test('line ids: numeric in NA and unique within the order', async () => {
  await refused(o.body(id(), [line('A1', 1, { asin: pen.asin })]), 400, /lineItems\[0\]\.externalId.*numeric/);
  await refused(
    o.body(id(), [line('1', 1, { asin: pen.asin }), line('1', 1, { asin: chair.asin })]),
    400,
    /lineItems\[1\]\.externalId.*another line/,
  );
});

test('stock, quantity limits and minimums: the accepted part is ordered, the rest is rejected with the model\u2019s artifacts', async () => {
  // 7 chairs from an offer with 5 in stock.
  const r = await ok(
    o.body(id(), [
      line('1', 7, { offer: chair.offers[0]!.offerId }),
      line('2', 50, { asin: pen.asin }),
      line('3', 1, { asin: paper.asin }),
    ]),
  );
  const chairs = r.lineItems[0]!;
  assert.equal(chairs.acceptedItems[0]!.quantity, 5);
  assert.deepEqual(
    chairs.rejectedItems.map((i) => [i.quantity, i.artifacts[0]]),
    [[2, { rejectionArtifactType: 'UnavailableQuantity', quantity: 2 }]],
  );
  // The pen offer sells at most 40 at once.
  const pens = r.lineItems[1]!;
  assert.equal(pens.acceptedItems[0]!.quantity, 40);
  assert.deepEqual(pens.rejectedItems[0]!.artifacts[0], { rejectionArtifactType: 'AvailableQuantity', quantity: 40 });
  assert.deepEqual(codes(r, '2'), ['QUANTITY_LIMIT_EXCEEDED']);
  // Paper sells from 2 units.
  assert.deepEqual(r.lineItems[2]!.acceptedItems, []);
  assert.deepEqual(codes(r, '3'), ['BELOW_MINIMUM_QUANTITY']);
  assert.equal(artifacts(r, null, 'Signed').length, 1, 'a partly accepted order is an order');
});

test('age-restricted products, unknown products and buying options are rejected lines, not refused requests', async () => {
  const r = await ok(
    o.body(id(), [
      line('1', 1, { asin: wine.asin }),
      line('2', 1, { asin: 'B0NOTHERE0' }),
      line('3', 1, { offer: 'no-such-offer' }),
      line('4', 1, { asin: pen.asin }),
    ]),
  );
  assert.deepEqual(r.lineItems[0]!.rejectedItems[0]!.artifacts[0], { rejectionArtifactType: 'AgeRestriction', minimumAge: 21 });
  assert.deepEqual(codes(r, '2'), ['PRODUCT_NOT_FOUND']);
  assert.deepEqual(codes(r, '3'), ['BUYING_OPTION_NOT_FOUND']);
  assert.equal(r.lineItems[3]!.acceptedItems[0]!.quantity, 1);
});

test('nothing accepted: no order is kept and the order-level rejection says so', async () => {
  const before = await ordersOf();
  const externalId = id();
  const r = await ok(o.body(externalId, [line('1', 1, { asin: gone.asin })]));
  assert.deepEqual(
    r.rejectionArtifacts.map((a) => a.rejectionArtifactType),
    ['RejectionCode', 'RejectionMessage'],
  );
  assert.deepEqual(r.acceptanceArtifacts, []);
  assert.equal(await ordersOf(), before);
});

test('expectations: a broken unit price or charge expectation rejects the line; order-level expectations apply to lines without their own', async () => {
  const r = await ok(
    o.body(
      id(),
      [
        line('1', 1, { asin: chair.asin }),
        line('2', 1, { asin: pen.asin }, { expectations: [expect_.unitPrice(20)] }),
        line('3', 2, { asin: paper.asin }, { expectations: [expect_.charge('SHIPPING', 5)] }),
      ],
      {
        expectations: [expect_.unitPrice(100)],
      },
    ),
  );
  assert.deepEqual(r.lineItems[0]!.rejectedItems[0]!.artifacts[0], {
    rejectionArtifactType: 'BrokenUnitPriceExpectation',
    boundary: { currencyCode: 'USD', amount: 100 },
    actualAmount: { currencyCode: 'USD', amount: 249.99 },
  });
  assert.equal(
    r.lineItems[1]!.acceptedItems[0]!.quantity,
    1,
    'the line\u2019s own 20.00 replaces the order\u2019s 100.00... and 12.99 is under both',
  );
  assert.deepEqual(r.lineItems[2]!.rejectedItems[0]!.artifacts[0], {
    rejectionArtifactType: 'BrokenChargeExpectation',
    boundary: { currencyCode: 'USD', amount: 5 },
    actualAmount: { currencyCode: 'USD', amount: 9.99 },
    sources: ['SHIPPING'],
  });
  await refused(o.body(id(), undefined, { expectations: [expect_.unitPrice(10, 'EUR')] }), 400, /sells in USD, not EUR/);
});

test('buying policies: a BLOCKED product is a rejected line; a RESTRICTED one makes the order wait for approval', async () => {
  await o.app.services.accounts.addPolicy('test', o.business.id, { guidance: 'BLOCKED', matchType: 'asin', value: wine.asin });
  await o.app.services.accounts.addPolicy('test', o.business.id, { guidance: 'BLOCKED', matchType: 'asin', value: paper.asin });
  await o.app.services.accounts.addPolicy('test', o.business.id, { guidance: 'RESTRICTED', matchType: 'category', value: 'FURNITURE' });
  const r = await ok(o.body(id(), [line('1', 2, { asin: paper.asin }), line('2', 1, { asin: chair.asin })]));
  assert.deepEqual(codes(r, '1'), ['BLOCKED_BY_BUYING_POLICY']);
  const order = (await o.app.services.purchasing.list(o.business.id, 1))[0]!;
  assert.equal(order.status, 'PENDING_APPROVAL');
  assert.match(order.approvalReason ?? '', /restricted by a buying policy/);
});

test('an order above the group\u2019s approval limit waits for approval', async () => {
  await o.app.services.accounts.updateGroupOrdering('test', o.business.id, o.group.id, { approvalLimitMinor: 5_000 });
  try {
    await ok(o.body(id(), [line('1', 10, { asin: pen.asin })]));
    const order = (await o.app.services.purchasing.list(o.business.id, 1))[0]!;
    assert.equal(order.status, 'PENDING_APPROVAL');
    assert.match(order.approvalReason ?? '', /approval limit/);
  } finally {
    await o.app.services.accounts.updateGroupOrdering('test', o.business.id, o.group.id, { approvalLimitMinor: null });
  }
});

test('every malformed body is a 400 in the Amazon envelope naming the field', async () => {
  const good = o.body(id());
  const cases: [unknown, RegExp][] = [
    [{ ...good, externalId: '' }, /externalId: must not be empty/],
    [{ ...good, externalId: 'x'.repeat(256) }, /externalId: must have at most 255/],
    [{ ...good, lineItems: [] }, /lineItems: must have at least 1 item/],
    [
      { ...good, lineItems: Array.from({ length: 51 }, (_, i) => line(String(i + 1), 1, { asin: pen.asin })) },
      /lineItems: must have at most 50/,
    ],
    [{ ...good, attributes: undefined }, /attributes: is required/],
    [{ ...good, expectations: 'none' }, /expectations: must be an array/],
    [{ ...good, lineItems: [{ ...line('1', 1, { asin: pen.asin }), quantity: 0 }] }, /lineItems\[0\]\.quantity: must be at least 1/],
    [{ ...good, lineItems: [{ ...line('1', 1, { asin: pen.asin }), quantity: 1.5 }] }, /lineItems\[0\]\.quantity: must be a whole number/],
    [{ ...good, lineItems: [line('1', 1, {})] }, /lineItems\[0\]\.attributes: the line names no product/],
    [
      { ...good, attributes: [attr.region(), attr.buyer(o.buyer.email), { attributeType: 'Nonsense' }] },
      /attributes\[2\]\.attributeType: "Nonsense" is not one of/,
    ],
    [
      { ...good, attributes: [attr.region(), attr.buyer(o.buyer.email), attr.region()] },
      /attributes\[2\]\.attributeType: Region is given more than once/,
    ],
    [{ ...good, attributes: [attr.buyer(o.buyer.email)] }, /a Region attribute is required/],
    [{ ...good, attributes: [attr.region()] }, /a BuyerReference attribute is required/],
    [{ ...good, attributes: [attr.region('XX'), attr.buyer(o.buyer.email)] }, /attributes\[0\]\.region: "XX" is not one of/],
    [
      { ...good, lineItems: [line('1', 1, { asin: pen.asin }, { attributes: [attr.trial()] })] },
      /lineItems\[0\]\.attributes\[1\]\.attributeType: TrialMode can only be passed at order level/,
    ],
    [
      { ...good, attributes: [...(good.attributes as unknown[]), attr.shipTo({ ...US_ADDRESS, postalCode: '' })] },
      /attributes\[2\]\.address\.postalCode: must not be empty/,
    ],
    [
      { ...good, attributes: [...(good.attributes as unknown[]), attr.shipTo({ ...US_ADDRESS, stateOrRegion: undefined } as never)] },
      /stateOrRegion: is required for an address in the US/,
    ],
    [
      { ...good, attributes: [...(good.attributes as unknown[]), { attributeType: 'ShippingAddress', address: { addressType: 'Mars' } }] },
      /address\.addressType: "Mars" is not one of/,
    ],
    [
      { ...good, expectations: [{ expectationType: 'ExpectedUnitPrice', amount: { currencyCode: 'USD', amount: 1.234 } }] },
      /amount: has more than 2 decimals/,
    ],
    [
      { ...good, expectations: [{ expectationType: 'ExpectedCharge', amount: { currencyCode: 'USD', amount: 1 }, source: 'GIFT' }] },
      /source: "GIFT" is not one of/,
    ],
    [
      { ...good, expectations: [{ expectationType: 'ExpectedUnitPrice', amount: { currencyCode: 'usd', amount: 1 } }] },
      /currencyCode: must be three capital letters/,
    ],
    [
      {
        ...good,
        attributes: [
          ...(good.attributes as unknown[]),
          attr.po('1'),
          { attributeType: 'BlanketPurchaseOrderNumber', purchaseOrderNumber: '2' },
        ],
      },
      /only one of PurchaseOrderNumber/,
    ],
    [
      {
        ...good,
        attributes: [...(good.attributes as unknown[]), { attributeType: 'Auxiliary', auxiliaryValues: { costCenter: { value: '' } } }],
      },
      /auxiliaryValues\.costCenter\.value: must not be empty/,
    ],
    [[], /must be a JSON object/],
  ];
  for (const [payload, pattern] of cases) {
    const res = await o.place(payload);
    assert.equal(res.statusCode, 400, `${JSON.stringify(payload).slice(0, 200)} → ${res.body}`);
    const err = (res.json() as { errors: { code: string; message: string }[] }).errors[0]!;
    assert.equal(err.code, 'InvalidInput');
    assert.match(err.message, pattern);
  }
  const notJson = await o.app.server.inject({
    method: 'POST',
    url: '/na/ordering/2022-10-30/orders',
    headers: { ...o.headers, 'content-type': 'text/plain' },
    payload: 'hello',
  });
  assert.equal(notJson.statusCode, 415);
});

test('every attribute of the model is accepted where the model allows it and kept with the order', async () => {
  const externalId = id();
  const r = await ok(
    o.body(
      externalId,
      [
        line(
          '1',
          1,
          { asin: pen.asin },
          {
            attributes: [
              {
                attributeType: 'ShippingAddress',
                address: {
                  addressType: 'ExternalAddress',
                  addressId: 'dock-7',
                  address: { addressType: 'PhysicalAddress', ...US_ADDRESS },
                },
              },
              {
                attributeType: 'Distribution',
                accounting: { name: 'CC', segments: [{ id: '4100', type: 'COST_CENTER', description: 'R&D' }] },
                charge: { amount: { currencyCode: 'USD', amount: 12.99 } },
              },
              { attributeType: 'Auxiliary', values: { project: { value: 'apollo' } } },
            ],
          },
        ),
      ],
      {
        attributes: [
          attr.group(o.group.groupTag),
          attr.payment(),
          attr.shipTo(),
          { attributeType: 'BillingAddress', address: { addressType: 'PhysicalAddress', ...US_ADDRESS, fullName: 'Accounts Payable' } },
          { attributeType: 'BlanketPurchaseOrderNumber', purchaseOrderNumber: '4500012345' },
          attr.preference('EXPEDITED_PAID'),
          { attributeType: 'PriceSuppressionDirective' },
          { attributeType: 'Auxiliary', auxiliaryValues: { requisition: { value: 'REQ-1' } } },
        ],
      },
    ),
  );
  // Expedited: a one-day window and a paid shipping charge.
  const [shipping] = artifacts(r, '1', 'Charge').filter((c) => c.category === 'SHIPPING');
  assert.equal((shipping!.amount as { amount: number }).amount, 9.99);
  const order = await o.app.services.purchasing.findByExternalId(o.business.id, externalId);
  assert.equal(order!.purchaseOrderNumber, '4500012345');
});

test('concurrent placeOrders under one external id create one order: replays get the same answer, another request is refused', async () => {
  const externalId = id();
  const payload = o.body(externalId, [line('1', 2, { asin: pen.asin })]);
  const before = await ordersOf();
  const answers = await Promise.all(Array.from({ length: 6 }, () => o.place(payload)));
  assert.deepEqual(
    answers.map((a) => a.statusCode),
    [200, 200, 200, 200, 200, 200],
  );
  assert.equal(new Set(answers.map((a) => a.body)).size, 1, 'one answer, whoever won');
  assert.equal(await ordersOf(), before + 1);

  const contested = id();
  const pair = await Promise.all([
    o.place(o.body(contested, [line('1', 1, { asin: pen.asin })])),
    o.place(o.body(contested, [line('1', 2, { asin: pen.asin })])),
  ]);
  assert.deepEqual(pair.map((a) => a.statusCode).sort(), [200, 400]);
  assert.equal(await ordersOf(), before + 2);
});

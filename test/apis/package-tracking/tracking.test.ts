import { test } from 'node:test';
import assert from 'node:assert/strict';
import { artifacts, line, orderingWorld, orderingWorldOn } from '../../support/ordering.ts';

const DAY = 86_400_000;
type Json = Record<string, unknown>;
type Details = {
  trackingStatus: string;
  localizedDeliveryPromise: string;
  deliveryWindow: { startDate?: string; endDate: string };
  carrierDetails: { localizedCarrierName: string; carrierTrackingId: string };
  packageTrackingEvents: { localizedDescription: string; localizedEventDate: string; localizedEventTime: string; location: Json }[];
  packageMilestones: { milestoneType: string; milestoneWindow: { startDate?: string; endDate: string } }[];
};

async function trackedOrder() {
  const o = await orderingWorld();
  const placed = await o.place(o.body('track-1', [line('1', 2, { asin: o.products.pen.asin })]));
  assert.equal(placed.statusCode, 200, placed.body);
  const order = (await o.app.services.purchasing.findByExternalId(o.business.id, 'track-1'))!;
  const shipment = order.shipments[0]!;
  const url = (
    region = 'US',
    locale?: string,
    ids = { order: order.orderIdentifier, shipment: shipment.identifier, pkg: shipment.packageId },
  ) =>
    `/na/ab-tracking/2025-07-02/orders/${encodeURIComponent(ids.order)}/shipments/${encodeURIComponent(ids.shipment)}/packages/${encodeURIComponent(ids.pkg)}?region=${region}${locale ? `&locale=${locale}` : ''}`;
  const track = (u = url()) => o.app.server.inject({ method: 'GET', url: u, headers: o.headers });
  const details = async (u = url()): Promise<Details> => {
    const res = await track(u);
    assert.equal(res.statusCode, 200, res.body);
    return (res.json() as { packageTrackingDetails: Details }).packageTrackingDetails;
  };
  return { o, order, shipment, url, track, details };
}

test('a package from order to delivery: status, events up to now, milestones, carrier and the ids orderDetails answers', async () => {
  const { o, shipment, details } = await trackedOrder();
  const ordered = await details();
  assert.equal(ordered.trackingStatus, 'ORDERED');
  assert.deepEqual(ordered.packageTrackingEvents, []);
  assert.deepEqual(
    ordered.packageMilestones.map((m) => m.milestoneType),
    ['DELIVERED', 'ORDERED'],
  );
  assert.deepEqual(ordered.deliveryWindow, {
    startDate: new Date(shipment.windowFrom).toISOString(),
    endDate: new Date(shipment.windowTo).toISOString(),
  });
  assert.match(ordered.localizedDeliveryPromise, /^Arriving /);

  // Shipped: orderDetails now shows the shipment; its ids and tracking number are the ones tracking answers for.
  await o.advance(DAY);
  const shipped = await details();
  const d = (await o.details('track-1')).json() as Parameters<typeof artifacts>[0];
  const [s] = artifacts(d, null, 'Shipment') as {
    identifier: string;
    packages: { packageReference: { value: string }; packageAttributes: { packageId: string }[] }[];
  }[];
  assert.equal(s!.identifier, shipment.identifier);
  assert.equal(s!.packages[0]!.packageAttributes[0]!.packageId, shipment.packageId);
  assert.equal(shipped.carrierDetails.carrierTrackingId, s!.packages[0]!.packageReference.value);
  assert.ok(['SHIPPED', 'OUT_FOR_DELIVERY', 'DELIVERED'].includes(shipped.trackingStatus), shipped.trackingStatus);
  assert.ok(shipped.packageTrackingEvents.length >= 2);

  await o.advance(14 * DAY);
  const done = await details();
  assert.equal(done.trackingStatus, 'DELIVERED');
  assert.match(done.localizedDeliveryPromise, /^Delivered [A-Z][a-z]+ \d+$/);
  assert.deepEqual(
    done.packageTrackingEvents.map((e) => e.localizedDescription),
    [
      'Package delivered.',
      'Package is out for delivery.',
      'Package arrived at the delivery station.',
      'Package departed a carrier facility.',
      'Package arrived at a carrier facility.',
      'Package left the shipper facility.',
      'Shipping label created; the seller is preparing the package.',
    ],
  );
  // The last scans are in the buyer's city; dates and times are written for people, in the store's time zone.
  assert.deepEqual(done.packageTrackingEvents[0]!.location, { city: 'Seattle', state: 'WA', country: 'US' });
  assert.match(done.packageTrackingEvents[0]!.localizedEventDate, /^[A-Z][a-z]+day, [A-Z][a-z]+ \d{1,2}$/);
  assert.match(done.packageTrackingEvents[0]!.localizedEventTime, /^\d{1,2}:\d{2}\s?[AP]M$/);
  assert.deepEqual(
    done.packageMilestones.map((m) => m.milestoneType),
    ['DELIVERED', 'OUT_FOR_DELIVERY', 'SHIPPED', 'ORDERED'],
  );
  const view = await o.app.services.purchasing.findByExternalId(o.business.id, 'track-1');
  const deliveredAt = view!.shipments[0]!.deliveredAt!;
  assert.deepEqual(done.deliveryWindow, { endDate: new Date(deliveredAt).toISOString() });
  assert.deepEqual(done.packageMilestones[0]!.milestoneWindow, { endDate: new Date(deliveredAt).toISOString() });
  // Newest first, every event at or before delivery.
  const times = done.packageMilestones.map((m) => Date.parse(m.milestoneWindow.endDate));
  assert.deepEqual(
    [...times].sort((a, b) => b - a),
    times,
  );
});

test('locale: the words of the language, dates and times of the locale; a malformed locale is a 400', async () => {
  const { o, url, details, track } = await trackedOrder();
  await o.advance(20 * DAY);
  const de = await details(url('US', 'de-DE'));
  assert.equal(de.packageTrackingEvents[0]!.localizedDescription, 'Das Paket wurde zugestellt.');
  assert.match(de.localizedDeliveryPromise, /^Zugestellt am \d{1,2}\. [A-ZÄÖÜ][a-zäöü]+$/);
  assert.match(de.packageTrackingEvents[0]!.localizedEventDate, /^[A-Z][a-z]+tag|^Mittwoch|^Sonnabend|^Samstag/);
  const ja = await details(url('US', 'ja-JP'));
  assert.equal(ja.packageTrackingEvents[0]!.localizedDescription, '配達が完了しました。');
  // A language without words here reads English, with the locale's dates.
  const pt = await details(url('US', 'pt-BR'));
  assert.equal(pt.packageTrackingEvents[0]!.localizedDescription, 'Package delivered.');
  assert.match(pt.packageTrackingEvents[0]!.localizedEventDate, /feira|sábado|domingo/);
  const bad = await track(url('US', 'english'));
  assert.equal(bad.statusCode, 400);
  assert.equal((bad.json() as { errors: Json[] }).errors[0]!.code, 'INVALID_REQUEST_PARAMETER');
});

test('unknown, foreign and mismatched packages are 404s; a missing or foreign region is a 400', async () => {
  const { o, order, shipment, url, track } = await trackedOrder();
  const ids = { order: order.orderIdentifier, shipment: shipment.identifier, pkg: shipment.packageId };
  for (const other of [
    { ...ids, pkg: 'PKG-000000000000' },
    { ...ids, shipment: 'SHP-000000000000' },
    { ...ids, order: '111-0000000-0000000' },
  ]) {
    const res = await track(url('US', undefined, other));
    assert.equal(res.statusCode, 404, JSON.stringify(other));
    assert.equal((res.json() as { errors: Json[] }).errors[0]!.code, 'NotFound');
  }
  // Tokens are per marketplace: the US token on the CA store is the gateway's 403; a CA token finds no US order there.
  const wrongStore = await track(url('CA'));
  assert.equal(wrongStore.statusCode, 403, 'the US token is not for the CA store');
  assert.deepEqual(wrongStore.json(), {
    errors: [{ message: 'Access to requested resource is denied.', code: 'Unauthorized', details: '' }],
  });
  const caHeaders = await o.headersIn('CA');
  const inCa = await o.app.server.inject({ method: 'GET', url: url('CA'), headers: caHeaders });
  assert.equal(inCa.statusCode, 404, 'a US order is not in the CA store');
  const noRegion = await track(url().replace('?region=US', ''));
  assert.equal(noRegion.statusCode, 400);
  assert.equal((noRegion.json() as { errors: Json[] }).errors[0]!.message, 'The required request parameter is missing: region.');
  assert.equal((await track(url('DE'))).statusCode, 400, 'the DE store is on the EU endpoint');

  // Another business, on the same server, cannot see this package.
  const other = await orderingWorldOn(o.app);
  const foreign = await o.app.server.inject({ method: 'GET', url: url(), headers: other.headers });
  assert.equal(foreign.statusCode, 404);
});

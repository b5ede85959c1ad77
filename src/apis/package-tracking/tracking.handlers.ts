import { AppError } from '../../kernel/errors.ts';
import { marketFacts } from '../../modules/catalog/index.ts';
import { carrierName, wordsFor, type PackageTrackingView, type PurchasingService } from '../../modules/purchasing/index.ts';
import type { ApiRequest } from '../../modules/gateway/index.ts';
import {
  callMarketplace,
  invalidParameterValue as invalid,
  missingParameter as missing,
  one,
  shown,
  storeRegion,
} from '../shared/index.ts';

import type { GetPackageTrackingDetailsResponse, WireTimeWindow } from './tracking.wire.ts';

/** What the Package Tracking API reads besides the request. */
export interface TrackingDeps {
  purchasing: PurchasingService;
}

const LOCALE = /^[a-z]{2}-[A-Z]{2}$/;
const iso = (ms: number): string => new Date(ms).toISOString();

/** A time window on the wire: the end, and the start when it is a window rather than an instant. */
const windowOf = (start: number | null, end: number): WireTimeWindow =>
  start === null || start === end ? { endDate: iso(end) } : { startDate: iso(start), endDate: iso(end) };

/** The answer, in the locale's words and its way of writing dates and times, in the store's time zone. */
function details(view: PackageTrackingView, locale: string): GetPackageTrackingDetailsResponse {
  const { order, shipment, tracking } = view;
  const words = wordsFor(locale);
  const timeZone = marketFacts(order.region)!.timeZone;
  const date = new Intl.DateTimeFormat(locale, { weekday: 'long', month: 'long', day: 'numeric', timeZone });
  const time = new Intl.DateTimeFormat(locale, { hour: 'numeric', minute: '2-digit', timeZone });
  const day = new Intl.DateTimeFormat(locale, { month: 'long', day: 'numeric', timeZone });
  const p = tracking.promise;
  const from = day.format(p.from);
  const to = day.format(p.to);
  const promise =
    p.kind === 'delivered'
      ? words.delivered(from)
      : p.kind === 'late'
        ? words.late(from)
        : from === to
          ? words.arriving(from)
          : words.arrivingBetween(from, to);
  return {
    packageTrackingDetails: {
      trackingStatus: tracking.status,
      localizedDeliveryPromise: promise,
      deliveryWindow: windowOf(tracking.window.start, tracking.window.end),
      carrierDetails: { localizedCarrierName: carrierName(shipment.carrier, words), carrierTrackingId: shipment.trackingNumber },
      packageTrackingEvents: tracking.events.map((e) => ({
        localizedDescription: words.events[e.kind],
        localizedEventDate: date.format(e.at),
        localizedEventTime: time.format(e.at),
        location: e.location,
      })),
      packageMilestones: tracking.milestones.map((m) => ({ milestoneType: m.type, milestoneWindow: windowOf(m.start, m.end) })),
    },
  };
}

/** GET /ab-tracking/2025-07-02/orders/{orderId}/shipments/{shipmentId}/packages/{packageId} */
export async function getPackageTrackingDetails(req: ApiRequest, deps: TrackingDeps): Promise<GetPackageTrackingDetailsResponse> {
  // A store of the endpoint that is not the token's marketplace is refused (403).
  const region = callMarketplace(req, storeRegion(req.query, req.call.region));
  const locale = one(req.query, 'locale') ?? 'en-US';
  if (!LOCALE.test(locale)) throw invalid('locale', `[${shown(locale)}] is not a language and country such as en-US`);
  const ids = ['orderId', 'shipmentId', 'packageId'].map((name) => {
    const v = req.params[name] ?? '';
    if (v === '') throw missing(name);
    return v;
  });
  const [orderId, shipmentId, packageId] = ids as [string, string, string];
  if (!req.call.businessId) throw new AppError('NotFound', 'The package was not found.');
  const view = await deps.purchasing.packageTracking(req.call.businessId, orderId, shipmentId, packageId);
  // A package of another store's order is not in this store.
  if (view.order.region !== region) throw new AppError('NotFound', `Order ${orderId.slice(0, 100)} was not placed in the ${region} store.`);
  req.link({ kind: 'package', id: `${view.order.orderIdentifier}/${shipmentId}/${packageId}` });
  return details(view, locale);
}

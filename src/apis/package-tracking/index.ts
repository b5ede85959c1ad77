import { defineApi, type ApiRoot } from '../api-module.ts';
import { getPackageTrackingDetails, type TrackingDeps } from './tracking.handlers.ts';
import { GetPackageTrackingDetailsResponse } from './tracking.wire.ts';

/** The Package Tracking API (2025-07-02) over the purchasing module's shipments. */
export const packageTrackingApi = defineApi({
  api: 'Package Tracking',
  bodyPolicy: 'json',
  deps: ({ services }: ApiRoot): TrackingDeps => ({ purchasing: services.purchasing }),
  handlers: { getPackageTrackingDetails },
  responses: { getPackageTrackingDetails: { 200: GetPackageTrackingDetailsResponse } },
  successMetric: { name: 'bizapi_package_tracking_duration_seconds', help: 'Latency of successful Package Tracking calls.' },
});

export type { TrackingDeps } from './tracking.handlers.ts';
export type * from './tracking.wire.ts';

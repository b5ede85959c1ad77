/** The Package Tracking API's (2025-07-02) answer on the wire. */

export interface WireTimeWindow {
  startDate?: string;
  endDate: string;
}

export interface GetPackageTrackingDetailsResponse {
  packageTrackingDetails: {
    trackingStatus: string;
    localizedDeliveryPromise: string;
    deliveryWindow?: WireTimeWindow;
    carrierDetails?: { localizedCarrierName?: string; carrierTrackingId?: string };
    packageTrackingEvents?: {
      localizedDescription?: string;
      localizedEventDate?: string;
      localizedEventTime?: string;
      location?: { city?: string; state?: string; country?: string };
    }[];
    packageMilestones?: { milestoneType: string; milestoneWindow: WireTimeWindow }[];
  };
}

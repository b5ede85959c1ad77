/** The Ordering API's answers on the wire (Ordering_API.json, 2022-10-30). Dates are plain ISO-8601 strings, as Amazon's examples send them. */

export interface WireMoney {
  currencyCode: string;
  amount: number;
}

export type AcceptanceArtifact =
  | { acceptanceArtifactType: 'OrderIdentifier'; identifier: string }
  | { acceptanceArtifactType: 'UnitPrice'; amount: WireMoney }
  | {
      acceptanceArtifactType: 'Charge';
      amount: WireMoney;
      category: 'SUBTOTAL' | 'SHIPPING' | 'GIFT_WRAP' | 'PAYMENT_METHOD_FEE' | 'EXPORT_FEE' | 'OTHER';
      type: 'PRINCIPAL' | 'TAX' | 'DISCOUNT';
    }
  | { acceptanceArtifactType: 'DeliveryTimeRange'; lowerBoundary: string; upperBoundary: string }
  | { acceptanceArtifactType: 'Signed' }
  | { acceptanceArtifactType: 'Shipment'; identifier: string; packages: WirePackage[] }
  | { acceptanceArtifactType: 'ShipmentGroup'; identifier: string; packageReferences: WirePackageReference[]; quantity: number };

export interface WirePackageReference {
  packageReferenceType: 'CarrierTrackingNumber';
  value: string;
}

export interface WirePackage {
  packageReference: WirePackageReference;
  packageAttributes: {
    packageAttributeType: 'PackageTrackingAttribute';
    carrierName: string;
    deliveryDateRange: { startDateTime: string; endDateTime: string };
    packageId: string;
  }[];
}

export type RejectionArtifact =
  | { rejectionArtifactType: 'UnavailableQuantity'; quantity: number }
  | { rejectionArtifactType: 'AvailableQuantity'; quantity: number }
  | { rejectionArtifactType: 'RejectionCode'; code: string }
  | { rejectionArtifactType: 'RejectionMessage'; message: string }
  | { rejectionArtifactType: 'AgeRestriction'; minimumAge: number }
  | { rejectionArtifactType: 'BrokenUnitPriceExpectation'; boundary: WireMoney; actualAmount: WireMoney }
  | { rejectionArtifactType: 'BrokenChargeExpectation'; boundary: WireMoney; actualAmount: WireMoney; sources: string[] };

export interface WireAcceptedItem {
  acceptedItemType: 'SingleAcceptedItem';
  quantity: number;
  artifacts: AcceptanceArtifact[];
}

export interface WireRejectedItem {
  quantity: number;
  artifacts: RejectionArtifact[];
}

export interface WireResultLineItem {
  externalId: string;
  acceptedItems: WireAcceptedItem[];
  rejectedItems: WireRejectedItem[];
}

/** PlaceOrderResult and OrderDetailsResult (both are OrderResult). */
export interface OrderResult {
  lineItems: WireResultLineItem[];
  acceptanceArtifacts: AcceptanceArtifact[];
  rejectionArtifacts: RejectionArtifact[];
}

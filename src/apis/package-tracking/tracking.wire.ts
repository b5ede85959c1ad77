import { Type, type Static } from '@sinclair/typebox';

/**
 * The Package Tracking API's (2025-07-02) answer on the wire, as TypeBox schemas: each schema and
 * its static type share a name. The handler returns the type; /openapi.json is generated from the
 * schema, and the tests check every answer against it.
 */

export const WireTimeWindow = Type.Object({
  startDate: Type.Optional(Type.String({ format: 'date-time' })),
  endDate: Type.String({ format: 'date-time' }),
});
export type WireTimeWindow = Static<typeof WireTimeWindow>;

export const GetPackageTrackingDetailsResponse = Type.Object(
  {
    packageTrackingDetails: Type.Object({
      trackingStatus: Type.String(),
      localizedDeliveryPromise: Type.String(),
      deliveryWindow: Type.Optional(WireTimeWindow),
      carrierDetails: Type.Optional(
        Type.Object({ localizedCarrierName: Type.Optional(Type.String()), carrierTrackingId: Type.Optional(Type.String()) }),
      ),
      packageTrackingEvents: Type.Optional(
        Type.Array(
          Type.Object({
            localizedDescription: Type.Optional(Type.String()),
            localizedEventDate: Type.Optional(Type.String()),
            localizedEventTime: Type.Optional(Type.String()),
            location: Type.Optional(
              Type.Object({
                city: Type.Optional(Type.String()),
                state: Type.Optional(Type.String()),
                country: Type.Optional(Type.String()),
              }),
            ),
          }),
        ),
      ),
      packageMilestones: Type.Optional(Type.Array(Type.Object({ milestoneType: Type.String(), milestoneWindow: WireTimeWindow }))),
    }),
  },
  { title: 'GetPackageTrackingDetailsResponse' },
);
export type GetPackageTrackingDetailsResponse = Static<typeof GetPackageTrackingDetailsResponse>;

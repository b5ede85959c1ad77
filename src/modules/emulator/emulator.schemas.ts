import { Type } from '@sinclair/typebox';
import { FAULT_STATUSES, MAX_FAULT_LATENCY_MS } from './domain/faults.ts';

const id = Type.String({ minLength: 1, maxLength: 200 });

/** Exactly one of: advance by seconds or milliseconds, set to an instant, or reset to the wall clock. */
export const ClockBody = Type.Union([
  Type.Object({ advanceSeconds: Type.Number({ minimum: -3.2e9, maximum: 3.2e9 }) }, { additionalProperties: false }),
  Type.Object({ advanceMs: Type.Integer({ minimum: -3.2e12, maximum: 3.2e12 }) }, { additionalProperties: false }),
  Type.Object({ set: Type.String({ format: 'date-time' }) }, { additionalProperties: false }),
  Type.Object({ reset: Type.Literal(true) }, { additionalProperties: false }),
]);

export const ResetBody = Type.Union([Type.Object({ seed: Type.Optional(Type.Boolean()) }, { additionalProperties: false }), Type.Null()]);

export const CreateFault = Type.Object(
  {
    operation: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    appId: Type.Optional(id),
    businessId: Type.Optional(id),
    status: Type.Optional(Type.Union(FAULT_STATUSES.map((s) => Type.Literal(s)))),
    latencyMs: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_FAULT_LATENCY_MS })),
    count: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000_000 })),
    percentage: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
    note: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);

export const FaultParam = Type.Object({ id });

export const RequestQuery = Type.Object(
  {
    app: Type.Optional(id),
    business: Type.Optional(id),
    operation: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    status: Type.Optional(Type.String({ pattern: '^([1-5][0-9][0-9]|[1-5]xx)$' })),
    since: Type.Optional(Type.String({ format: 'date-time' })),
    until: Type.Optional(Type.String({ format: 'date-time' })),
    requestId: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  },
  { additionalProperties: false },
);

const kind = Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z][a-z0-9_.-]*$' });

/** Switch a resource kind to manual transitions, or back to time. */
export const TransitionModeBody = Type.Object(
  { kind, mode: Type.Union([Type.Literal('time'), Type.Literal('manual')]) },
  { additionalProperties: false },
);

/** Which forced stages to forget: of one resource, of a kind, or (no filter) all. */
export const ForcedQuery = Type.Object({ kind: Type.Optional(kind), resourceId: Type.Optional(id) }, { additionalProperties: false });

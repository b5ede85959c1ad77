import { Type } from '@sinclair/typebox';
import { BUSINESS_USER_ROLES, MARKETPLACES } from '../../kernel/reference.ts';

const lit = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));

export const MarketplaceCode = lit(MARKETPLACES.map((m) => m.code));
export const UserRole = lit(BUSINESS_USER_ROLES);

export const IdParam = Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }) });
export const IdSubParam = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 200 }),
  sub: Type.String({ minLength: 1, maxLength: 200 }),
});

export const CreateBusiness = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    marketplaces: Type.Array(MarketplaceCode, { minItems: 1, maxItems: 11 }),
    legalEntities: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { minItems: 1, maxItems: 50 })),
  },
  { additionalProperties: false },
);
export const PatchBusiness = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    marketplaces: Type.Optional(Type.Array(MarketplaceCode, { minItems: 1, maxItems: 11 })),
  },
  { additionalProperties: false },
);
export const NameBody = Type.Object({ name: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false });
const Address = Type.Object(
  {
    fullName: Type.String({ minLength: 1, maxLength: 255 }),
    phoneNumber: Type.Optional(Type.String({ maxLength: 40 })),
    companyName: Type.Optional(Type.String({ maxLength: 255 })),
    addressLine1: Type.String({ minLength: 1, maxLength: 255 }),
    addressLine2: Type.Optional(Type.String({ maxLength: 60 })),
    addressLine3: Type.Optional(Type.String({ maxLength: 60 })),
    city: Type.String({ minLength: 1, maxLength: 255 }),
    stateOrRegion: Type.Optional(Type.String({ maxLength: 100 })),
    postalCode: Type.String({ minLength: 1, maxLength: 20 }),
    countryCode: Type.String({ pattern: '^[A-Z]{2}$' }),
  },
  { additionalProperties: false },
);
/** How a group orders (docs/ordering.md): test mode, stored payment method, default ship-to address, approval limit. */
const groupOrdering = {
  testMode: Type.Optional(Type.Boolean()),
  paymentMethod: Type.Optional(Type.Union([Type.String({ maxLength: 100 }), Type.Null()])),
  shippingAddress: Type.Optional(Type.Union([Address, Type.Null()])),
  approvalLimitMinor: Type.Optional(Type.Union([Type.Integer({ minimum: 0 }), Type.Null()])),
};
export const CreateGroup = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 200 }), groupTag: Type.String({ minLength: 1, maxLength: 100 }), ...groupOrdering },
  { additionalProperties: false },
);
export const PatchGroup = Type.Object(groupOrdering, { additionalProperties: false });

const userFields = {
  name: Type.String({ minLength: 1, maxLength: 200 }),
  role: UserRole,
  password: Type.String({ minLength: 10, maxLength: 200 }),
  status: lit(['active', 'disabled'] as const),
  maceHold: Type.Boolean(),
  adminOfLegalEntityIds: Type.Array(Type.String({ maxLength: 200 }), { maxItems: 50 }),
  groupIds: Type.Array(Type.String({ maxLength: 200 }), { maxItems: 50 }),
};
export const CreateUser = Type.Object(
  {
    email: Type.String({ minLength: 3, maxLength: 254 }),
    name: userFields.name,
    role: userFields.role,
    password: Type.Optional(userFields.password),
    status: Type.Optional(userFields.status),
    maceHold: Type.Optional(userFields.maceHold),
    adminOfLegalEntityIds: Type.Optional(userFields.adminOfLegalEntityIds),
    groupIds: Type.Optional(userFields.groupIds),
  },
  { additionalProperties: false },
);
export const PatchUser = Type.Partial(Type.Object(userFields), { additionalProperties: false });
export const CreatePolicy = Type.Object(
  {
    guidance: lit(['PREFERRED', 'RESTRICTED', 'BLOCKED'] as const),
    matchType: lit(['asin', 'brand', 'category'] as const),
    value: Type.String({ minLength: 1, maxLength: 200 }),
  },
  { additionalProperties: false },
);
export const Decision = Type.Object({ reason: Type.Optional(Type.String({ maxLength: 2000 })) }, { additionalProperties: false });
export const UsagePlanBody = Type.Object(
  { rate: Type.Number({ exclusiveMinimum: 0, maximum: 10000 }), burst: Type.Integer({ minimum: 1, maximum: 100000 }) },
  { additionalProperties: false },
);
export const FieldsBody = Type.Object(
  { fields: Type.Array(Type.String({ maxLength: 100 }), { minItems: 1, maxItems: 20 }) },
  { additionalProperties: false },
);
export const AuthorizeBody = Type.Object(
  {
    applicationId: Type.String({ minLength: 1, maxLength: 200 }),
    adminEmail: Type.String({ minLength: 3, maxLength: 254 }),
    marketplace: Type.Optional(MarketplaceCode),
    region: Type.Optional(lit(['NA', 'EU', 'FE'] as const)),
    beta: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export const DeveloperPatch = Type.Object(
  { businessId: Type.Union([Type.String({ maxLength: 200 }), Type.Null()]) },
  { additionalProperties: false },
);
export const AuditQuery = Type.Object(
  {
    actor: Type.Optional(Type.String({ maxLength: 200 })),
    action: Type.Optional(Type.String({ maxLength: 200 })),
    subjectType: Type.Optional(Type.String({ maxLength: 100 })),
    subjectId: Type.Optional(Type.String({ maxLength: 200 })),
    since: Type.Optional(Type.String({ format: 'date-time' })),
    until: Type.Optional(Type.String({ format: 'date-time' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  },
  { additionalProperties: false },
);
export const ReviewQuery = Type.Object(
  {
    status: Type.Optional(lit(['pending', 'approved', 'denied', 'withdrawn'] as const)),
    kind: Type.Optional(lit(['profile', 'role_request', 'listing', 'tps', 'privileged_fields'] as const)),
  },
  { additionalProperties: false },
);

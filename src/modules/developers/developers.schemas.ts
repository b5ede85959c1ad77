import { Type } from '@sinclair/typebox';

const lit = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));
const RoleList = Type.Array(Type.String({ maxLength: 100 }), { maxItems: 10 });

export const Register = Type.Object(
  {
    email: Type.String({ minLength: 3, maxLength: 254 }),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    password: Type.String({ minLength: 10, maxLength: 200 }),
  },
  { additionalProperties: false },
);
export const SignIn = Type.Object(
  { email: Type.String({ minLength: 1, maxLength: 254 }), password: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);
export const Profile = Type.Object(
  {
    organization: Type.String({ maxLength: 200 }),
    contactEmail: Type.String({ maxLength: 254 }),
    useCase: Type.String({ maxLength: 4000 }),
    requestedRoles: RoleList,
  },
  { additionalProperties: false },
);
export const RoleRequest = Type.Object(
  { roles: Type.Array(Type.String({ maxLength: 100 }), { minItems: 1, maxItems: 10 }) },
  { additionalProperties: false },
);
const UriList = Type.Array(Type.String({ minLength: 1, maxLength: 2000 }), { minItems: 1, maxItems: 10 });
export const CreateApp = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    type: lit(['production', 'sandbox'] as const),
    visibility: lit(['public', 'private'] as const),
    environmentLabel: Type.Optional(Type.String({ maxLength: 50 })),
    roles: RoleList,
    redirectUris: UriList,
    loginUri: Type.Optional(Type.Union([Type.String({ maxLength: 2000 }), Type.Null()])),
  },
  { additionalProperties: false },
);
export const PatchApp = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    visibility: Type.Optional(lit(['public', 'private'] as const)),
    environmentLabel: Type.Optional(Type.String({ maxLength: 50 })),
    roles: Type.Optional(RoleList),
    redirectUris: Type.Optional(UriList),
    loginUri: Type.Optional(Type.Union([Type.String({ maxLength: 2000 }), Type.Null()])),
  },
  { additionalProperties: false },
);
export const AppParam = Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }) });
export const TpsRequest = Type.Object(
  {
    operation: Type.String({ minLength: 1, maxLength: 100 }),
    rate: Type.Number({ exclusiveMinimum: 0, maximum: 10000 }),
    burst: Type.Integer({ minimum: 1, maximum: 100000 }),
    reason: Type.String({ minLength: 1, maxLength: 2000 }),
  },
  { additionalProperties: false },
);
export const FieldsRequest = Type.Object(
  {
    fields: Type.Array(Type.String({ maxLength: 100 }), { minItems: 1, maxItems: 20 }),
    reason: Type.String({ minLength: 1, maxLength: 2000 }),
  },
  { additionalProperties: false },
);
export const SandboxTokenBody = Type.Object({ region: Type.Optional(lit(['NA', 'EU', 'FE'] as const)) }, { additionalProperties: false });
export const DestinationParam = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 200 }),
  destinationId: Type.String({ minLength: 1, maxLength: 200 }),
});
/** A client secret notice destination: a webhook, or an SQS-compatible queue (docs/application-management.md). */
export const CreateDestination = Type.Union([
  Type.Object({ type: Type.Literal('webhook'), url: Type.String({ minLength: 1, maxLength: 2048 }) }, { additionalProperties: false }),
  Type.Object(
    {
      type: Type.Literal('sqs'),
      queueUrl: Type.String({ minLength: 1, maxLength: 2048 }),
      awsAccessKeyId: Type.Optional(Type.String({ maxLength: 128 })),
      awsSecretAccessKey: Type.Optional(Type.String({ maxLength: 256 })),
      awsRegion: Type.Optional(Type.String({ maxLength: 32 })),
    },
    { additionalProperties: false },
  ),
]);
export const NoticeLogQuery = Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })) });

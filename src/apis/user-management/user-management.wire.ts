import { Type, type Static } from '@sinclair/typebox';
import { BUSINESS_USER_ROLES } from '../../kernel/reference.ts';
import { OneOf } from '../shared/schema.ts';

/**
 * The User Management API's (2021-08-30) body and answer on the wire, as TypeBox schemas, named as
 * the model names its definitions.
 */

/** BusinessRole: the role the new user holds in the business. */
export const BUSINESS_ROLES = ['Requisitioner', 'PunchoutUser', 'Administrator', 'Finance', 'Tech'] as const;
/** Region: the stores a user account can be created in (the model's enum: no IN, MX or AU). */
export const USER_REGIONS = ['DE', 'FR', 'UK', 'IT', 'ES', 'US', 'CA', 'JP'] as const;
export const GROUP_ID_TYPES = ['GroupId', 'GroupTag'] as const;
export const NOTIFICATION_TYPES = ['EMAIL'] as const;

// The model's roles are the accounts module's business user roles, in another order.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameRoles: Same<(typeof BUSINESS_ROLES)[number], (typeof BUSINESS_USER_ROLES)[number]> = true;
void sameRoles;

export const AccountHolder = Type.Object(
  { email: Type.String(), givenName: Type.String(), familyName: Type.String() },
  { title: 'AccountHolder' },
);
export type AccountHolder = Static<typeof AccountHolder>;

export const BusinessGroupIdentifier = Type.Object(
  { idType: OneOf(GROUP_ID_TYPES), id: Type.String() },
  { title: 'BusinessGroupIdentifier' },
);
export type BusinessGroupIdentifier = Static<typeof BusinessGroupIdentifier>;

export const CreateBusinessUserAccountRequest = Type.Object(
  {
    accountHolder: AccountHolder,
    groupId: BusinessGroupIdentifier,
    role: OneOf(BUSINESS_ROLES),
    region: OneOf(USER_REGIONS),
    notificationTypesToSuppress: Type.Optional(Type.Array(OneOf(NOTIFICATION_TYPES))),
  },
  { title: 'CreateBusinessUserAccountRequest' },
);
export type CreateBusinessUserAccountRequest = Static<typeof CreateBusinessUserAccountRequest>;

/** The 201's body: an empty object. */
export const CreateBusinessUserAccountResponse = Type.Object({}, { title: 'CreateBusinessUserAccountResponse' });
export type CreateBusinessUserAccountResponse = Static<typeof CreateBusinessUserAccountResponse>;

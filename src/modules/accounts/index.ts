/** Businesses, their legal entities, groups, users and buying policies, and sign-in of business users. */
export {
  AccountsService,
  checkPostalAddress,
  mayManage,
  notGrantableBy,
  type GroupOrderingPatch,
  type PostalAddress,
  type Business,
  type BusinessFacts,
  type BusinessUser,
  type BusinessUserStatus,
  type BuyingPolicy,
  type Group,
  type LegalEntity,
  type NewUser,
  type UserPatch,
  type WelcomeEmail,
} from './accounts.service.ts';

import type * as A from './modules/accounts/accounts.tables.ts';
import type * as D from './modules/developers/developers.tables.ts';
import type * as Au from './modules/audit/audit.tables.ts';
import type * as O from './modules/operators/operators.tables.ts';
import type * as OA from './modules/oauth/oauth.tables.ts';
import type * as C from './modules/catalog/catalog.tables.ts';
import type * as E from './modules/emulator/emulator.tables.ts';

/** The whole schema as Kysely sees it; each module owns its tables' types. */
export interface Database {
  businesses: A.BusinessesTable;
  legal_entities: A.LegalEntitiesTable;
  business_groups: A.GroupsTable;
  business_users: A.BusinessUsersTable;
  user_admin_entities: A.UserAdminEntitiesTable;
  user_groups: A.UserGroupsTable;
  buying_policies: A.BuyingPoliciesTable;
  developers: D.DevelopersTable;
  developer_profiles: D.DeveloperProfilesTable;
  apps: D.AppsTable;
  app_secrets: D.AppSecretsTable;
  reviews: D.ReviewsTable;
  usage_plan_overrides: D.UsagePlanOverridesTable;
  privileged_grants: D.PrivilegedGrantsTable;
  audit_log: Au.AuditLogTable;
  admin_keys: O.AdminKeysTable;
  sessions: O.SessionsTable;
  authorizations: OA.AuthorizationsTable;
  grant_codes: OA.GrantCodesTable;
  refresh_tokens: OA.RefreshTokensTable;
  access_tokens: OA.AccessTokensTable;
  catalog_merchants: C.CatalogMerchantsTable;
  catalog_merchant_certificates: C.CatalogMerchantCertificatesTable;
  catalog_categories: C.CatalogCategoriesTable;
  catalog_products: C.CatalogProductsTable;
  catalog_product_categories: C.CatalogProductCategoriesTable;
  catalog_identifiers: C.CatalogIdentifiersTable;
  catalog_offers: C.CatalogOffersTable;
  catalog_listings: C.CatalogListingsTable;
  catalog_imports: C.CatalogImportsTable;
  catalog_state: C.CatalogStateTable;
  emulator_state: E.EmulatorStateTable;
  emulator_faults: E.EmulatorFaultsTable;
  request_log: E.RequestLogTable;
  emulator_transition_modes: E.EmulatorTransitionModesTable;
  emulator_forced_stages: E.EmulatorForcedStagesTable;
}

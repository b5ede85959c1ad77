import type { Migration } from 'kysely';
import * as core from './2026-11-27T0001_core.ts';
import * as emulator from './2026-11-27T0300_emulator.ts';
import * as catalog from './2026-11-27T0400_catalog.ts';
import * as catalogVersion from './2026-11-27T0700_catalog_version.ts';
import * as catalogSearch from './2026-11-27T0710_catalog_search.ts';
import * as emulatorTransitions from './2026-12-05T0100_emulator_transitions.ts';
import * as stateVersion from './2026-12-05T0200_state_version.ts';
import * as purchasing from './2026-12-05T0400_purchasing.ts';
import * as requestLogResource from './2026-12-05T0410_request_log_resource.ts';
import * as carts from './2026-12-05T0500_carts.ts';
import * as purchasingReturns from './2026-12-05T0600_purchasing_returns.ts';
import * as documents from './2026-12-05T0610_documents.ts';
import * as authorizationMarketplaces from './2026-12-12T0100_authorization_marketplaces.ts';
import * as clientSecretNotices from './2026-12-19T0100_client_secret_notices.ts';
import * as requestLogDecision from './2026-12-26T0200_request_log_decision.ts';
import * as catalogSearchPrice from './2027-01-02T0100_catalog_search_price.ts';

/** Every migration in order; names are frozen once landed. Add new ones at the end. */
export const migrations: Record<string, Migration> = {
  '2026-11-27T0001_core': core,
  '2026-11-27T0300_emulator': emulator,
  '2026-11-27T0400_catalog': catalog,
  '2026-11-27T0700_catalog_version': catalogVersion,
  '2026-11-27T0710_catalog_search': catalogSearch,
  '2026-12-05T0100_emulator_transitions': emulatorTransitions,
  '2026-12-05T0200_state_version': stateVersion,
  '2026-12-05T0400_purchasing': purchasing,
  '2026-12-05T0410_request_log_resource': requestLogResource,
  '2026-12-05T0500_carts': carts,
  '2026-12-05T0600_purchasing_returns': purchasingReturns,
  '2026-12-05T0610_documents': documents,
  '2026-12-12T0100_authorization_marketplaces': authorizationMarketplaces,
  '2026-12-19T0100_client_secret_notices': clientSecretNotices,
  '2026-12-26T0200_request_log_decision': requestLogDecision,
  '2027-01-02T0100_catalog_search_price': catalogSearchPrice,
};

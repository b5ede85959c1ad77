import type { ApiDefinition } from './api-module.ts';
import { applicationManagementApi } from './application-management/index.ts';
import { cartApi } from './cart/index.ts';
import { documentApi } from './document/index.ts';
import { orderingApi } from './ordering/index.ts';
import { packageTrackingApi } from './package-tracking/index.ts';
import { productSearchApi } from './product-search/index.ts';
import { reconciliationApi } from './reconciliation/index.ts';
import { reporting2021Api } from './reporting-2021-01-08/index.ts';
import { reporting2025Api } from './reporting-2025-06-09/index.ts';
import { userManagementApi } from './user-management/index.ts';

/**
 * Every built Amazon Business API, one line each (the list LocalStack calls its providers). The
 * gateway serves their operations on the production base URLs; every other API answers 501 there.
 */
export const API_MODULES: readonly ApiDefinition[] = [
  productSearchApi,
  orderingApi,
  cartApi,
  packageTrackingApi,
  reporting2025Api,
  reporting2021Api,
  reconciliationApi,
  documentApi,
  userManagementApi,
  applicationManagementApi,
];

export {
  bindApis,
  defineApi,
  type ApiDefinition,
  type ApiModule,
  type ApiModuleDefinition,
  type ApiRoot,
  type BoundApi,
  type OperationHandler,
} from './api-module.ts';

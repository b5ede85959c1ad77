import { defineApi, type ApiRoot } from '../api-module.ts';
import { userManagementEmulatorRoutes } from './user-management.emulator.ts';
import { createBusinessUserAccount, type UserManagementDeps } from './user-management.handlers.ts';
import { CreateBusinessUserAccountRequest, CreateBusinessUserAccountResponse } from './user-management.wire.ts';

/** The User Management API (2021-08-30): business users created by an app, pending until activated. */
export const userManagementApi = defineApi({
  api: 'User Management',
  bodyPolicy: 'json',
  deps: ({ services }: ApiRoot): UserManagementDeps => ({ accounts: services.accounts }),
  handlers: { createBusinessUserAccount },
  responses: { createBusinessUserAccount: { 201: CreateBusinessUserAccountResponse } },
  requestBodies: { createBusinessUserAccount: CreateBusinessUserAccountRequest },
  successMetric: {
    name: 'bizapi_user_management_duration_seconds',
    help: 'Latency of successful User Management calls, by operation.',
  },
  emulatorRoutes: (app, deps) => userManagementEmulatorRoutes(deps)(app),
});

export type { UserManagementDeps } from './user-management.handlers.ts';
export type * from './user-management.wire.ts';

import { defineApi, type ApiRoot } from '../api-module.ts';
import { rotateApplicationClientSecret, type ApplicationManagementDeps } from './application-management.handlers.ts';

/** The Application Management API (2023-11-30) over the developers module's rotation and notices. */
export const applicationManagementApi = defineApi({
  api: 'Application Management',
  bodyPolicy: 'json',
  deps: ({ services }: ApiRoot): ApplicationManagementDeps => ({ apps: services.apps }),
  handlers: { rotateApplicationClientSecret },
  responses: { rotateApplicationClientSecret: { 204: null } },
  successMetric: {
    name: 'bizapi_application_management_duration_seconds',
    help: 'Latency of successful Application Management calls, by operation.',
  },
});

export type { ApplicationManagementDeps } from './application-management.handlers.ts';

import type { AppsService } from '../../modules/developers/index.ts';
import { ApiReply, type ApiRequest } from '../../modules/gateway/index.ts';

/** What the Application Management API reads besides the request. */
export interface ApplicationManagementDeps {
  apps: AppsService;
}

/**
 * POST /applications/2023-11-30/clientSecret: a new client secret for the calling app (the
 * grantless token's), delivered to its destinations with the old secret's expiry; 400 when the app
 * has no destination. The body, if any, is ignored: the operation takes no parameter.
 */
export async function rotateApplicationClientSecret(req: ApiRequest, deps: ApplicationManagementDeps): Promise<ApiReply> {
  const rotated = await deps.apps.rotateSecret(`app:${req.call.appId}`, req.call.appId, { requireDestination: true });
  if (rotated.noticeId) req.link({ kind: 'notice', id: rotated.noticeId });
  return new ApiReply(204);
}

import type { Environment, PrivilegedField, Region, Role } from '../../kernel/reference.ts';

/** The calling user resolved from `x-amz-user-email` (null on operations that do not take it). */
export interface ApiCaller {
  id: string;
  email: string;
  groupIds: string[];
  /** The group the call acts for: from `groupTag`, or the user's only group. */
  groupId: string | null;
}

/** A resource an API call created or read, and the user it acted for when no header named one. */
export interface ApiLink {
  kind: string;
  id: string;
  userEmail?: string;
}

/** What the gateway has established about an API call before its handler runs. */
export interface ApiCallContext {
  operationId: string;
  /** The region of the base URL the call came to (always the region of the token's marketplace). */
  region: Region;
  /**
   * The marketplace the token was consented in (US, UK, DE, …). Authorizations are per marketplace:
   * an operation that names a store must name this one, and one that names none acts in this one.
   */
  marketplace: string;
  environment: Environment;
  appId: string;
  applicationId: string;
  /** The business that authorized the app (null for sandbox tokens from "Create token"). */
  businessId: string | null;
  roles: readonly Role[];
  privilegedFields: ReadonlySet<PrivilegedField>;
  user: ApiCaller | null;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The Amazon Business operation a route serves; set by the gateway when the route is added. */
    operationId?: string;
  }
  interface FastifyRequest {
    /** Set by the gateway's pre-handler on every Amazon Business API route. */
    apiCall: ApiCallContext;
    /** What the handler said the call created or read, for the request log. */
    apiLink?: ApiLink;
  }
}

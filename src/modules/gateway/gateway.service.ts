import type { AppContext } from '../../app-context.ts';
import type { Services } from '../../services.ts';
import { sha256 } from '../../kernel/ids.ts';
import { AppError } from '../../kernel/errors.ts';
import type { PrivilegedField } from '../../kernel/reference.ts';
import type { RateLimiter } from '../../platform/rate-limit/limiter.ts';
import { GRANTLESS_OPERATIONS, REGION_DEFAULT_MARKETPLACE, scopeAllows, type AccessGrant } from '../oauth/index.ts';
import type { ApiCallContext } from './context.ts';
import { accessDenied, emailNotAuthorized, missingParameters, quotaExceeded, tokenExpired } from './gateway.errors.ts';
import { SANDBOX_USAGE_PLAN, type Operation } from '../registry/index.ts';
import type { ApiTarget } from './targets.ts';

const MAX_CACHE = 50_000;

type Refuse = (check: RefusingCheck, reason: string, error: AppError) => AppError;

/** A bounded map: the oldest entry goes first when full. */
class BoundedCache<V> extends Map<string, V> {
  override set(key: string, value: V): this {
    if (this.size >= MAX_CACHE && !this.has(key)) this.delete(this.keys().next().value as string);
    return super.set(key, value);
  }
}

export interface UsagePlan {
  rate: number;
  burst: number;
}

/** The check of the gateway that refused a call (platform spec section 9's order), or the fault that answered it. */
export type RefusingCheck = 'token' | 'token_expired' | 'scope' | 'region' | 'role' | 'usage_plan' | 'user_email' | 'group' | 'fault';

/**
 * What the gateway decided about one call, for the request inspector: the check that refused it and
 * why (absent when every check passed), and the usage-plan bucket it drew from once the plan applied.
 */
export interface GatewayDecision {
  refusedBy?: RefusingCheck;
  reason?: string;
  plan?: { rate: number; burst: number; bucket: string; retryAfterMs?: number };
}

/** What the checks need from the incoming request. */
export interface GatewayRequest {
  accessToken: string | undefined;
  userEmail: string | undefined;
  groupTag: string | undefined;
}

/**
 * The gateway's checks in the order of platform spec section 9: token, region and environment,
 * role, usage plan, user email. Token lookups, plans and grants are cached here, users and groups
 * by the accounts module (one cache for every reader), all dropped on the platform events that
 * change them, so the hot path does not touch the database once warm (an unknown email is looked up
 * each time: only users found are cached).
 */
export class GatewayService {
  private readonly grants = new BoundedCache<AccessGrant>();
  private readonly plans = new BoundedCache<Map<string, UsagePlan>>();
  private readonly privileged = new BoundedCache<ReadonlySet<PrivilegedField>>();

  constructor(
    private readonly ctx: AppContext,
    private readonly services: Services,
    private readonly limiter: RateLimiter,
  ) {
    ctx.events.on((e) => {
      switch (e.type) {
        case 'authorization.revoked':
          for (const [k, g] of this.grants) if (e.authorizationIds.includes(g.authorizationId)) this.grants.delete(k);
          break;
        case 'app.changed':
          for (const [k, g] of this.grants) if (g.appId === e.appId) this.grants.delete(k);
          this.plans.delete(e.appId);
          this.privileged.delete(e.appId);
          break;
        case 'usage_plan.changed':
          this.plans.delete(e.appId);
          break;
        case 'privileged_fields.changed':
          this.privileged.delete(e.appId);
          break;
        case 'caches.stale':
          this.clear();
          break;
      }
    });
  }

  /** Drops every cached entry (emulator reset, snapshot load). */
  clear(): void {
    this.grants.clear();
    this.plans.clear();
    this.privileged.clear();
  }

  private async grantFor(token: string, refuse: Refuse): Promise<AccessGrant> {
    const key = sha256(token);
    let grant = this.grants.get(key);
    if (!grant) {
      const found = await this.services.oauth.lookupAccessToken(token);
      if (found.status === 'expired') throw refuse('token_expired', 'The access token expired (on the platform clock).', tokenExpired());
      if (found.status === 'invalid')
        throw refuse('token', 'The access token is unknown, revoked, or its app is suspended.', accessDenied());
      grant = found.grant;
      this.grants.set(key, grant);
    }
    if (this.ctx.clock.now() >= grant.expiresAt) {
      this.grants.delete(key);
      throw refuse('token_expired', 'The access token expired (on the platform clock).', tokenExpired());
    }
    return grant;
  }

  async usagePlan(appId: string, operation: Operation): Promise<UsagePlan> {
    let plans = this.plans.get(appId);
    if (!plans) {
      plans = new Map((await this.services.reviews.usagePlans(appId)).map((p) => [p.operation, { rate: p.rate, burst: p.burst }]));
      this.plans.set(appId, plans);
    }
    return plans.get(operation.operationId) ?? { rate: operation.rate, burst: operation.burst };
  }

  private async privilegedFields(appId: string): Promise<ReadonlySet<PrivilegedField>> {
    let fields = this.privileged.get(appId);
    if (!fields) {
      fields = new Set(await this.services.reviews.privilegedFields(appId));
      this.privileged.set(appId, fields);
    }
    return fields;
  }

  /**
   * Runs every check; returns the call context for the handler, and the rate that was applied.
   * `applied` hears the rate as soon as the usage plan is known, so that a refusal after it (429,
   * a missing email) carries the rate header too. `decision`, when given, is filled in with the
   * check that refused the call and the usage-plan bucket (the request inspector shows both).
   */
  async check(
    operation: Operation,
    target: ApiTarget,
    req: GatewayRequest,
    applied?: (rate: number) => void,
    decision: GatewayDecision = {},
  ): Promise<{ call: ApiCallContext; rate: number }> {
    const refuse: Refuse = (check, reason, error) => {
      decision.refusedBy = check;
      decision.reason = reason.slice(0, 500);
      return error;
    };
    if (!req.accessToken) throw refuse('token', 'No x-amz-access-token header.', accessDenied());
    const grant = await this.grantFor(req.accessToken, refuse);
    // A token works only in the region and environment it was issued for: the region of the one
    // marketplace it was consented in. An operation naming another marketplace of that region is
    // refused with the same body by the API's handler, once it has read the request (docs/gateway.md).
    // A grantless token (client_credentials) opens only its scope's operations, in any region of its
    // environment; on production those operations take no other token (the static sandbox answers
    // them for any sandbox token, as it answers every operation: docs/application-management.md).
    if (grant.scope !== undefined) {
      if (!scopeAllows(grant.scope, operation.operationId))
        throw refuse('scope', `The grantless token's scope ${grant.scope} does not open ${operation.operationId}.`, accessDenied());
      if (grant.environment !== target.environment)
        throw refuse(
          'region',
          `The token is for the ${grant.environment} environment, the call came to ${target.environment}.`,
          accessDenied(),
        );
    } else {
      if (GRANTLESS_OPERATIONS.has(operation.operationId) && target.environment === 'production')
        throw refuse('scope', `${operation.operationId} takes only a grantless (client_credentials) token on production.`, accessDenied());
      if (grant.region !== target.region || grant.environment !== target.environment)
        throw refuse(
          'region',
          `The token is for ${grant.environment} in region ${grant.region}; the call came to ${target.environment} in region ${target.region}.`,
          accessDenied(),
        );
    }
    if (operation.role && !grant.roles.includes(operation.role))
      throw refuse(
        'role',
        `${operation.operationId} needs the role ${operation.role}; the token has ${grant.roles.join(', ') || 'no role'}.`,
        accessDenied(),
      );

    const sandbox = target.environment === 'sandbox';
    const plan = sandbox ? SANDBOX_USAGE_PLAN : await this.usagePlan(grant.appId, operation);
    applied?.(plan.rate);
    // The plan is part of the key: a changed plan starts from a full bucket, so it applies at once.
    const party = sandbox ? 'sandbox' : (grant.businessId ?? '-');
    const bucket = `${grant.appId}|${party}|${operation.operationId}|${plan.rate}|${plan.burst}`;
    const drawn = await this.limiter.consume(bucket, plan.rate, plan.burst, this.ctx.clock.now());
    decision.plan = { rate: plan.rate, burst: plan.burst, bucket };
    if (!drawn.allowed) {
      decision.plan.retryAfterMs = drawn.retryAfterMs;
      throw refuse('usage_plan', `The usage plan's bucket is empty (${plan.rate} requests/s, burst ${plan.burst}).`, quotaExceeded());
    }

    let user: ApiCallContext['user'] = null;
    if (!sandbox && operation.userEmailRequired) {
      if (!req.userEmail) throw refuse('user_email', 'No x-amz-user-email header.', missingParameters(['x-amz-user-email']));
      // Users and groups come from the accounts module's caches, dropped when either changes.
      const found = await this.services.accounts.userByEmail(req.userEmail);
      if (!found || found.businessId !== grant.businessId || found.status !== 'active' || found.maceHold)
        throw refuse(
          'user_email',
          !found
            ? 'No business user has this email.'
            : found.businessId !== grant.businessId
              ? 'The user belongs to another business than the one that authorized the token.'
              : found.status !== 'active'
                ? `The user is ${found.status}, not active.`
                : 'The user is on hold (MACE).',
          emailNotAuthorized(),
        );
      let groupId: string | null;
      if (req.groupTag !== undefined) {
        const group = (await this.services.accounts.businessFacts(found.businessId)).groups.find((g) => g.groupTag === req.groupTag);
        if (!group || !found.groupIds.includes(group.id)) {
          decision.refusedBy = 'group';
          decision.reason = `The groupTag "${req.groupTag.slice(0, 100)}" is not a group of the user.`;
          throw new AppError('INVALID_REQUEST_PARAMETER', `The groupTag "${req.groupTag}" is not a group of the user ${found.email}.`);
        }
        groupId = group.id;
      } else if (found.groupIds.length > 1) {
        decision.refusedBy = 'group';
        decision.reason = 'The user belongs to more than one group and no groupTag was sent.';
        throw new AppError(
          'INVALID_REQUEST_PARAMETER',
          'The user belongs to more than one group: send groupTag to say which one this request is for.',
        );
      } else groupId = found.groupIds[0] ?? null;
      user = { id: found.id, email: found.email, groupIds: found.groupIds, groupId };
    }
    return {
      rate: plan.rate,
      call: {
        operationId: operation.operationId,
        region: target.region,
        marketplace: grant.scope !== undefined ? REGION_DEFAULT_MARKETPLACE[target.region] : grant.marketplace,
        environment: target.environment,
        appId: grant.appId,
        applicationId: grant.applicationId,
        businessId: grant.businessId,
        roles: grant.roles,
        privilegedFields: sandbox ? new Set() : await this.privilegedFields(grant.appId),
        user,
      },
    };
  }
}

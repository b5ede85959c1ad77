import type { Kysely } from 'kysely';
import type { AppContext } from '../../app-context.ts';
import type { Database } from '../../database.ts';
import { AppError, notFound } from '../../kernel/errors.ts';
import { newId, sha256 } from '../../kernel/ids.ts';
import { marketplaceByCode, type Environment, type Marketplace, type Region, type Role } from '../../kernel/reference.ts';
import type { AccountsService, BusinessUser } from '../accounts/index.ts';
import type { AppRecord, AppsService } from '../developers/index.ts';
import type { DevelopersService } from '../developers/index.ts';
import { parseRoles as toRoles } from '../developers/index.ts';
import { ConsentError, invalidClient, invalidGrant, invalidScope, unauthorizedClient } from './oauth.errors.ts';
import { grantlessScope } from './domain/grantless.ts';
import { ACCESS_TOKEN_TTL_S, effectiveRoles, GRANT_CODE_TTL_MS, newAccessToken, newGrantCode, newRefreshToken } from './domain/tokens.ts';

export interface TokenResponse {
  access_token: string;
  refresh_token: string;
  token_type: 'bearer';
  expires_in: number;
}

export interface Authorization {
  id: string;
  appId: string;
  applicationId: string;
  appName: string;
  businessId: string | null;
  region: Region;
  environment: Environment;
  /** The marketplace consented in (US, UK, DE, …): its tokens work for this marketplace only. */
  marketplace: string;
  grantedBy: string | null;
  createdAt: string;
  revokedAt: string | null;
}

/** What the gateway learns from a valid access token. */
export interface AccessGrant {
  appId: string;
  applicationId: string;
  authorizationId: string;
  businessId: string | null;
  /** The region of the token's marketplace: the base URLs it works on. */
  region: Region;
  /** The marketplace the token was consented in (US, UK, DE, …): the only one its calls may name. */
  marketplace: string;
  environment: Environment;
  roles: Role[];
  expiresAt: number;
  /** Set on a grantless token (client_credentials): its scope; it opens only that scope's operations. */
  scope?: string;
}

/** The token endpoint's answer to a client_credentials request (no refresh token). */
export interface GrantlessTokenResponse {
  access_token: string;
  token_type: 'bearer';
  expires_in: number;
}

export type AccessLookup = { status: 'valid'; grant: AccessGrant } | { status: 'expired' } | { status: 'invalid' };

/**
 * The marketplace that stands for a region where none is named: sandbox tokens from "Create token",
 * and the migration of the authorizations made when they were per region (NA→US, EU→UK, FE→JP).
 */
export const REGION_DEFAULT_MARKETPLACE: Readonly<Record<Region, string>> = { NA: 'US', EU: 'UK', FE: 'JP' };

/** The roles a new authorization of the app receives: listed roles once published, configured roles before. */
export const rolesForNewAuthorization = (app: AppRecord): Role[] => (app.status === 'published' ? app.publishedRoles : app.roles);

/** Login-with-Amazon compatible authorization: consent, grant codes, tokens and revocation. */
export class OAuthService {
  constructor(
    private readonly ctx: AppContext,
    private readonly accounts: AccountsService,
    private readonly developers: DevelopersService,
    private readonly apps: AppsService,
  ) {}
  private get db(): Kysely<Database> {
    return this.ctx.db.kysely;
  }
  private emit(e: { authorizationIds: string[] }): void {
    this.ctx.events.emit({ type: 'authorization.revoked', authorizationIds: e.authorizationIds });
  }

  /** Checks the app side of a consent request (before sign-in): throws ConsentError with the reason. */
  async checkConsentRequest(input: {
    applicationId: string;
    redirectUri: string | undefined;
    beta: boolean;
  }): Promise<{ app: AppRecord; redirectUri: string }> {
    const app = input.applicationId ? await this.apps.findByApplicationId(input.applicationId) : null;
    if (!app) throw new ConsentError('unknown_application');
    // Without redirect_uri the app's first registered URI is used (website workflow, step 1c).
    const redirectUri = input.redirectUri ?? app.redirectUris[0]!;
    if (!app.redirectUris.includes(redirectUri)) throw new ConsentError('redirect_uri_mismatch');
    if (app.type === 'sandbox') throw new ConsentError('sandbox_app');
    if (app.suspended) throw new ConsentError('app_suspended');
    // Private apps are never listed: they are self-authorized by the developer's own business.
    if (app.status !== 'published' && app.visibility === 'public' && !input.beta) throw new ConsentError('app_not_published');
    if (rolesForNewAuthorization(app).length === 0) throw new ConsentError('no_role');
    return { app, redirectUri };
  }

  /** Checks the user side of a consent: an active administrator of every legal entity, allowed for this app and marketplace. */
  async checkConsentUser(app: AppRecord, user: BusinessUser, marketplace: Marketplace, beta: boolean): Promise<void> {
    if (user.role !== 'Administrator' || user.status !== 'active') throw new ConsentError('not_admin');
    if (!(await this.accounts.isAdminOfAllLegalEntities(user))) throw new ConsentError('not_admin_of_all_legal_entities');
    const developer = await this.developers.getDeveloper(app.developerId);
    const ownBusiness = developer.businessId === user.businessId;
    if (app.visibility === 'private' && !ownBusiness) throw new ConsentError('private_app_other_business');
    if (app.status !== 'published' && app.visibility === 'public' && !(beta && ownBusiness)) throw new ConsentError('app_not_published');
    const business = await this.accounts.getBusiness(user.businessId);
    if (!business.marketplaces.includes(marketplace.code)) throw new ConsentError('marketplace_not_operated');
  }

  /** Records the admin's Allow and returns a single-use grant code bound to the app and redirect URI. */
  async grantConsent(app: AppRecord, user: BusinessUser, marketplace: Marketplace, redirectUri: string): Promise<string> {
    const code = newGrantCode();
    const now = this.ctx.clock.now();
    const roles = rolesForNewAuthorization(app);
    await this.ctx.db.transaction(async (trx) => {
      const authorizationId = await this.upsertAuthorization(trx, app, user.businessId, marketplace, 'production', user.id);
      await trx
        .insertInto('grant_codes')
        .values({
          code_hash: sha256(code),
          app_id: app.id,
          authorization_id: authorizationId,
          redirect_uri: redirectUri,
          roles: JSON.stringify(roles),
          expires_at: now + GRANT_CODE_TTL_MS,
          used_at: null,
          created_at: now,
        })
        .execute();
      await this.ctx.audit.record(trx, {
        actor: `business_user:${user.id}`,
        action: 'oauth.consent',
        subjectType: 'authorization',
        subjectId: authorizationId,
        after: { appId: app.id, region: marketplace.region, marketplace: marketplace.code, roles },
      });
    });
    return code;
  }

  /** One authorization per (app, business, marketplace, environment): an earlier live one is reused. */
  private async upsertAuthorization(
    trx: Kysely<Database>,
    app: AppRecord,
    businessId: string | null,
    marketplace: Marketplace,
    environment: Environment,
    grantedBy: string | null,
  ): Promise<string> {
    let q = trx
      .selectFrom('authorizations')
      .select('id')
      .where('app_id', '=', app.id)
      .where('marketplace', '=', marketplace.code)
      .where('environment', '=', environment)
      .where('revoked_at', 'is', null);
    q = businessId === null ? q.where('business_id', 'is', null) : q.where('business_id', '=', businessId);
    const existing = await q.executeTakeFirst();
    if (existing) return existing.id;
    const id = newId('auth');
    await trx
      .insertInto('authorizations')
      .values({
        id,
        app_id: app.id,
        business_id: businessId,
        region: marketplace.region,
        environment,
        marketplace: marketplace.code,
        granted_by: grantedBy,
        created_at: this.ctx.clock.now(),
        revoked_at: null,
      })
      .execute();
    return id;
  }

  private async issueTokens(
    trx: Kysely<Database>,
    authorizationId: string,
    appId: string,
    roles: readonly Role[],
    codeHash: string | null,
  ): Promise<TokenResponse> {
    const refresh = newRefreshToken();
    const access = newAccessToken();
    const now = this.ctx.clock.now();
    await trx
      .insertInto('refresh_tokens')
      .values({
        token_hash: sha256(refresh),
        authorization_id: authorizationId,
        app_id: appId,
        roles: JSON.stringify(roles),
        code_hash: codeHash,
        created_at: now,
        revoked_at: null,
      })
      .execute();
    await trx
      .insertInto('access_tokens')
      .values({
        token_hash: sha256(access),
        refresh_token_hash: sha256(refresh),
        authorization_id: authorizationId,
        app_id: appId,
        expires_at: now + ACCESS_TOKEN_TTL_S * 1000,
        created_at: now,
      })
      .execute();
    return { access_token: access, refresh_token: refresh, token_type: 'bearer', expires_in: ACCESS_TOKEN_TTL_S };
  }

  private async authenticateClient(clientId: string, clientSecret: string): Promise<AppRecord> {
    const app = await this.apps.verifyClient(clientId, clientSecret);
    if (!app) throw invalidClient();
    return app;
  }

  /** The authorization_code grant. */
  async exchangeCode(input: { clientId: string; clientSecret: string; code: string; redirectUri: string }): Promise<TokenResponse> {
    const app = await this.authenticateClient(input.clientId, input.clientSecret);
    const codeHash = sha256(input.code);
    const now = this.ctx.clock.now();
    type Outcome =
      | { kind: 'ok'; tokens: TokenResponse }
      | { kind: 'reused'; authorizationId: string }
      | { kind: 'fail'; parameter: 'code' | 'redirect_uri' };
    const fail = (parameter: 'code' | 'redirect_uri'): Outcome => ({ kind: 'fail', parameter });
    const outcome = await this.ctx.db.transaction(async (trx): Promise<Outcome> => {
      const row = await trx.selectFrom('grant_codes').selectAll().where('code_hash', '=', codeHash).executeTakeFirst();
      // A code presented by another client is treated as unknown (it is bound to its client).
      if (!row || row.app_id !== app.id) return fail('code');
      if (row.used_at !== null) return { kind: 'reused', authorizationId: row.authorization_id };
      if (now >= Number(row.expires_at)) return fail('code');
      if (row.redirect_uri !== input.redirectUri) return fail('redirect_uri');
      const claimed = await trx
        .updateTable('grant_codes')
        .set({ used_at: now })
        .where('code_hash', '=', codeHash)
        .where('used_at', 'is', null)
        .executeTakeFirst();
      if (Number(claimed.numUpdatedRows) === 0) return fail('code');
      const auth = await trx.selectFrom('authorizations').select(['revoked_at']).where('id', '=', row.authorization_id).executeTakeFirst();
      if (!auth || auth.revoked_at !== null) return fail('code');
      const tokens = await this.issueTokens(trx, row.authorization_id, app.id, toRoles(row.roles), codeHash);
      await this.ctx.audit.record(trx, {
        actor: `app:${app.id}`,
        action: 'oauth.code_exchange',
        subjectType: 'authorization',
        subjectId: row.authorization_id,
      });
      return { kind: 'ok', tokens };
    });
    if (outcome.kind === 'ok') return outcome.tokens;
    if (outcome.kind === 'reused') {
      // Reuse of a code revokes what it issued (RFC 6749 section 4.1.2).
      await this.revokeTokensOfCode(codeHash, outcome.authorizationId);
      throw invalidGrant('code');
    }
    throw invalidGrant(outcome.parameter);
  }

  private async revokeTokensOfCode(codeHash: string, authorizationId: string): Promise<void> {
    const now = this.ctx.clock.now();
    await this.ctx.db.transaction(async (trx) => {
      const tokens = await trx.selectFrom('refresh_tokens').select('token_hash').where('code_hash', '=', codeHash).execute();
      await trx
        .updateTable('refresh_tokens')
        .set({ revoked_at: now })
        .where('code_hash', '=', codeHash)
        .where('revoked_at', 'is', null)
        .execute();
      if (tokens.length)
        await trx
          .deleteFrom('access_tokens')
          .where(
            'refresh_token_hash',
            'in',
            tokens.map((t) => t.token_hash),
          )
          .execute();
      await this.ctx.audit.record(trx, {
        actor: 'system',
        action: 'oauth.code_reuse_revocation',
        subjectType: 'authorization',
        subjectId: authorizationId,
      });
    });
    this.emit({ authorizationIds: [authorizationId] });
  }

  /** The refresh_token grant: a new access token; the refresh token stays the same. */
  async refresh(input: { clientId: string; clientSecret: string; refreshToken: string }): Promise<TokenResponse> {
    const app = await this.authenticateClient(input.clientId, input.clientSecret);
    const hash = sha256(input.refreshToken);
    const row = await this.db
      .selectFrom('refresh_tokens as r')
      .innerJoin('authorizations as a', 'a.id', 'r.authorization_id')
      .select(['r.app_id', 'r.revoked_at', 'r.authorization_id', 'a.revoked_at as auth_revoked_at'])
      .where('r.token_hash', '=', hash)
      .executeTakeFirst();
    if (!row || row.app_id !== app.id || row.revoked_at !== null || row.auth_revoked_at !== null || app.suspended)
      throw invalidGrant('refresh_token');
    const access = newAccessToken();
    const now = this.ctx.clock.now();
    await this.db
      .insertInto('access_tokens')
      .values({
        token_hash: sha256(access),
        refresh_token_hash: hash,
        authorization_id: row.authorization_id,
        app_id: app.id,
        expires_at: now + ACCESS_TOKEN_TTL_S * 1000,
        created_at: now,
      })
      .execute();
    return { access_token: access, refresh_token: input.refreshToken, token_type: 'bearer', expires_in: ACCESS_TOKEN_TTL_S };
  }

  /**
   * The client_credentials grant: an access token of the app itself for the grantless operations of
   * one scope (docs/application-management.md), stored as its hash like every token.
   */
  async clientCredentials(input: { clientId: string; clientSecret: string; scope: string | undefined }): Promise<GrantlessTokenResponse> {
    const app = await this.authenticateClient(input.clientId, input.clientSecret);
    if (input.scope === undefined || input.scope.trim() === '') throw invalidScope(true);
    const scope = grantlessScope(input.scope);
    if (!scope) throw invalidScope(false);
    if (app.suspended) throw unauthorizedClient();
    const access = newAccessToken();
    const now = this.ctx.clock.now();
    await this.ctx.db.transaction(async (trx) => {
      await trx
        .insertInto('grantless_tokens')
        .values({ token_hash: sha256(access), app_id: app.id, scope, expires_at: now + ACCESS_TOKEN_TTL_S * 1000, created_at: now })
        .execute();
      await this.ctx.audit.record(trx, {
        actor: `app:${app.id}`,
        action: 'oauth.client_credentials',
        subjectType: 'app',
        subjectId: app.id,
        after: { scope },
      });
    });
    return { access_token: access, token_type: 'bearer', expires_in: ACCESS_TOKEN_TTL_S };
  }

  /** A grantless token, for the gateway (the app's own: no business, no marketplace, no role). */
  private async lookupGrantlessToken(token: string): Promise<AccessLookup> {
    const row = await this.db
      .selectFrom('grantless_tokens as g')
      .innerJoin('apps as p', 'p.id', 'g.app_id')
      .select(['g.app_id', 'g.scope', 'g.expires_at', 'p.application_id', 'p.suspended', 'p.type'])
      .where('g.token_hash', '=', sha256(token))
      .executeTakeFirst();
    if (!row || Number(row.suspended) === 1) return { status: 'invalid' };
    if (this.ctx.clock.now() >= Number(row.expires_at)) return { status: 'expired' };
    return {
      status: 'valid',
      grant: {
        appId: row.app_id,
        applicationId: row.application_id,
        // No authorization: revocations of authorizations never concern it.
        authorizationId: '',
        businessId: null,
        region: 'NA',
        marketplace: REGION_DEFAULT_MARKETPLACE.NA,
        environment: row.type === 'sandbox' ? 'sandbox' : 'production',
        roles: [],
        expiresAt: Number(row.expires_at),
        scope: row.scope,
      },
    };
  }

  /** Resolves an access token for the gateway: an authorization's, or a grantless one. */
  async lookupAccessToken(token: string): Promise<AccessLookup> {
    if (!token.startsWith('Atza|')) return { status: 'invalid' };
    const row = await this.db
      .selectFrom('access_tokens as t')
      .innerJoin('refresh_tokens as r', 'r.token_hash', 't.refresh_token_hash')
      .innerJoin('authorizations as a', 'a.id', 't.authorization_id')
      .innerJoin('apps as p', 'p.id', 't.app_id')
      .select([
        't.expires_at',
        't.app_id',
        't.authorization_id',
        'r.roles',
        'r.revoked_at',
        'a.revoked_at as auth_revoked_at',
        'a.business_id',
        'a.region',
        'a.marketplace',
        'a.environment',
        'p.roles as app_roles',
        'p.suspended',
        'p.application_id',
      ])
      .where('t.token_hash', '=', sha256(token))
      .executeTakeFirst();
    if (!row) return this.lookupGrantlessToken(token);
    if (row.revoked_at !== null || row.auth_revoked_at !== null || Number(row.suspended) === 1) return { status: 'invalid' };
    if (this.ctx.clock.now() >= Number(row.expires_at)) return { status: 'expired' };
    return {
      status: 'valid',
      grant: {
        appId: row.app_id,
        applicationId: row.application_id,
        authorizationId: row.authorization_id,
        businessId: row.business_id,
        region: row.region,
        marketplace: row.marketplace,
        environment: row.environment,
        roles: effectiveRoles(toRoles(row.roles), toRoles(row.app_roles)),
        expiresAt: Number(row.expires_at),
      },
    };
  }

  /** "Create token" for a sandbox app: a refresh token without consent, usable only on the sandbox. */
  async createSandboxToken(
    developerId: string,
    appId: string,
    regionCode: Region = 'NA',
  ): Promise<{ refreshToken: string; region: Region; marketplace: string }> {
    const app = await this.apps.getOwned(developerId, appId);
    if (app.type !== 'sandbox')
      throw new AppError('InvalidState', '"Create token" is only for sandbox apps; production apps are authorized by consent.');
    const mp = marketplaceByCode(REGION_DEFAULT_MARKETPLACE[regionCode])!;
    const tokens = await this.ctx.db.transaction(async (trx) => {
      const authorizationId = await this.upsertAuthorization(trx, app, null, mp, 'sandbox', `developer:${developerId}`);
      const t = await this.issueTokens(trx, authorizationId, app.id, app.roles, null);
      await this.ctx.audit.record(trx, {
        actor: `developer:${developerId}`,
        action: 'oauth.sandbox_token',
        subjectType: 'authorization',
        subjectId: authorizationId,
        after: { region: regionCode, marketplace: mp.code },
      });
      return t;
    });
    return { refreshToken: tokens.refresh_token, region: regionCode, marketplace: mp.code };
  }

  /**
   * A consent performed on behalf of a named admin, for integrators' automated tests: every consent
   * rule applies; returns the refresh token (and an access token).
   */
  async authorizeOnBehalf(input: {
    applicationId: string;
    adminEmail: string;
    marketplace?: string;
    region?: Region;
    beta?: boolean;
  }): Promise<TokenResponse & { authorizationId: string; region: Region; marketplace: string }> {
    const user = await this.accounts.findUserByEmail(input.adminEmail);
    if (!user) throw new AppError('NotFound', `No business user with the email ${input.adminEmail}.`);
    // Authorizations are per marketplace. Without one, the business's first marketplace in the
    // region (NA by default): for the demo business (US, CA) and NA, that is US.
    const region = input.region ?? 'NA';
    const code =
      input.marketplace ??
      (await this.accounts.getBusiness(user.businessId)).marketplaces.find((m) => marketplaceByCode(m)?.region === region);
    if (!code) throw new AppError('ValidationError', `The business does not operate in any marketplace of region ${region}.`);
    const mp = marketplaceByCode(code);
    if (!mp) throw new AppError('ValidationError', `Unknown marketplace "${code}".`);
    if (input.region && input.marketplace && mp.region !== input.region)
      throw new AppError('ValidationError', `The ${mp.code} marketplace is in region ${mp.region}, not ${input.region}.`);
    const app = await this.apps.findByApplicationId(input.applicationId);
    if (!app) throw new ConsentError('unknown_application');
    await this.checkConsentRequest({ applicationId: input.applicationId, redirectUri: app.redirectUris[0], beta: !!input.beta });
    await this.checkConsentUser(app, user, mp, !!input.beta);
    const roles = rolesForNewAuthorization(app);
    return this.ctx.db.transaction(async (trx) => {
      const authorizationId = await this.upsertAuthorization(trx, app, user.businessId, mp, 'production', user.id);
      const tokens = await this.issueTokens(trx, authorizationId, app.id, roles, null);
      await this.ctx.audit.record(trx, {
        actor: `business_user:${user.id}`,
        action: 'oauth.consent',
        subjectType: 'authorization',
        subjectId: authorizationId,
        after: { appId: app.id, region: mp.region, marketplace: mp.code, roles, onBehalf: true },
      });
      return { ...tokens, authorizationId, region: mp.region, marketplace: mp.code };
    });
  }

  async listAuthorizations(filter: { appId?: string; businessId?: string; includeRevoked?: boolean } = {}): Promise<Authorization[]> {
    let q = this.db
      .selectFrom('authorizations as a')
      .innerJoin('apps as p', 'p.id', 'a.app_id')
      .select([
        'a.id',
        'a.app_id',
        'p.application_id',
        'p.name',
        'a.business_id',
        'a.region',
        'a.environment',
        'a.marketplace',
        'a.granted_by',
        'a.created_at',
        'a.revoked_at',
      ]);
    if (filter.appId) q = q.where('a.app_id', '=', filter.appId);
    if (filter.businessId) q = q.where('a.business_id', '=', filter.businessId);
    if (!filter.includeRevoked) q = q.where('a.revoked_at', 'is', null);
    const rows = await q.orderBy('a.created_at').orderBy('a.id').execute();
    return rows.map((r) => ({
      id: r.id,
      appId: r.app_id,
      applicationId: r.application_id,
      appName: r.name,
      businessId: r.business_id,
      region: r.region,
      environment: r.environment,
      marketplace: r.marketplace,
      grantedBy: r.granted_by,
      createdAt: new Date(Number(r.created_at)).toISOString(),
      revokedAt: r.revoked_at === null ? null : new Date(Number(r.revoked_at)).toISOString(),
    }));
  }

  /** Revokes an authorization and every token issued under it. A businessId limits it to that business's own. */
  async revokeAuthorization(actor: string, authorizationId: string, businessId?: string): Promise<void> {
    const now = this.ctx.clock.now();
    await this.ctx.db.transaction(async (trx) => {
      let q = trx.selectFrom('authorizations').selectAll().where('id', '=', authorizationId);
      if (businessId) q = q.where('business_id', '=', businessId);
      const row = await q.executeTakeFirst();
      if (!row) throw notFound(`Authorization ${authorizationId}`);
      await trx
        .updateTable('authorizations')
        .set({ revoked_at: now })
        .where('id', '=', authorizationId)
        .where('revoked_at', 'is', null)
        .execute();
      await trx
        .updateTable('refresh_tokens')
        .set({ revoked_at: now })
        .where('authorization_id', '=', authorizationId)
        .where('revoked_at', 'is', null)
        .execute();
      await trx.deleteFrom('access_tokens').where('authorization_id', '=', authorizationId).execute();
      await this.ctx.audit.record(trx, {
        actor,
        action: 'oauth.revoke',
        subjectType: 'authorization',
        subjectId: authorizationId,
        before: { revokedAt: row.revoked_at },
      });
    });
    this.emit({ authorizationIds: [authorizationId] });
  }

  /** Removes expired access tokens and grant codes; called periodically. */
  async pruneExpired(): Promise<void> {
    const now = this.ctx.clock.now();
    await this.db
      .deleteFrom('access_tokens')
      .where('expires_at', '<', now - 24 * 3600 * 1000)
      .execute();
    await this.db
      .deleteFrom('grant_codes')
      .where('expires_at', '<', now - 24 * 3600 * 1000)
      .execute();
    await this.db
      .deleteFrom('grantless_tokens')
      .where('expires_at', '<', now - 24 * 3600 * 1000)
      .execute();
  }
}

import type { Kysely } from 'kysely';
import type { AppContext } from '../../app-context.ts';
import type { Database } from '../../database.ts';
import { AppError, notFound, validation } from '../../kernel/errors.ts';
import { insertPendingReview } from './reviews.store.ts';
import { constantTimeEqual, newId, randomSecret, seededHex, seededUuid, sha256, uuid } from '../../kernel/ids.ts';
import { parseStringArray } from '../../kernel/json.ts';
import type { Role } from '../../kernel/reference.ts';
import type { DevelopersService } from './developers.service.ts';
import {
  allowedAppRoles,
  checkRedirectUri,
  MAX_APPS_PER_DEVELOPER,
  normalizeRoles,
  parseRoles as toRoles,
  publishedRolesAfterEdit,
  type AppStatus,
} from './domain/rules.ts';
import { randomBytes } from 'node:crypto';
import { NOTICE_TYPES, NoticesService } from './notices/index.ts';

/** Why rotateApplicationClientSecret refuses an app without a destination (400). */
export const NO_DESTINATION_MESSAGE =
  "No destination is registered for this app's client secret notices; register one in the developer portal.";

export interface AppRecord {
  id: string;
  developerId: string;
  applicationId: string;
  clientId: string;
  name: string;
  type: 'production' | 'sandbox';
  visibility: 'public' | 'private';
  environmentLabel: string;
  roles: Role[];
  publishedRoles: Role[];
  redirectUris: string[];
  loginUri: string | null;
  status: AppStatus;
  suspended: boolean;
  createdAt: number;
  updatedAt: number;
}

export interface AppInput {
  name: string;
  type: 'production' | 'sandbox';
  visibility: 'public' | 'private';
  environmentLabel?: string;
  roles: string[];
  redirectUris: string[];
  loginUri?: string | null;
}

export type AppPatch = Partial<Omit<AppInput, 'type'>>;

export interface SecretInfo {
  id: string;
  createdAt: number;
  expiresAt: number | null;
}

/** Options for the reproducible demo world: fixed ids and secret. */
export interface SeededCredentials {
  seed: string;
  clientSecret: string;
}

export function toAppRecord(r: Database['apps']): AppRecord {
  return {
    id: r.id,
    developerId: r.developer_id,
    applicationId: r.application_id,
    clientId: r.client_id,
    name: r.name,
    type: r.type,
    visibility: r.visibility,
    environmentLabel: r.environment_label,
    roles: toRoles(r.roles),
    publishedRoles: toRoles(r.published_roles),
    redirectUris: parseStringArray(r.redirect_uris),
    loginUri: r.login_uri,
    status: r.status,
    suspended: Number(r.suspended) === 1,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}

/** A new LWA client secret in Amazon's shape. */
export const newClientSecret = (): string => `amzn1.oa2-cs.v1.${randomBytes(32).toString('hex')}`;

function checkUris(uris: readonly string[]): string[] {
  if (uris.length === 0) throw validation('An app needs at least one OAuth redirect URI.');
  if (uris.length > 10) throw validation('An app can register at most 10 OAuth redirect URIs.');
  for (const u of uris) {
    const problem = checkRedirectUri(u);
    if (problem) throw validation(`Invalid OAuth redirect URI: ${problem}`);
  }
  // Kept exactly as registered: matching at consent is by exact string equality.
  return [...new Set(uris)];
}

/** Apps (app clients) of developers, their LWA credentials and listing lifecycle. */
export class AppsService {
  /** The app's client secret notices: destinations, outbox and delivery log. */
  readonly notices: NoticesService;
  constructor(
    private readonly ctx: AppContext,
    private readonly developers: DevelopersService,
  ) {
    this.notices = new NoticesService(ctx);
  }
  private get db(): Kysely<Database> {
    return this.ctx.db.kysely;
  }

  private async checkAppRoles(developerId: string, type: 'production' | 'sandbox', input: readonly string[]): Promise<Role[]> {
    const { roles, unknown } = normalizeRoles(input);
    if (unknown.length) throw validation(`Unknown role(s): ${unknown.join(', ')}.`);
    const profile = await this.developers.getProfile(developerId);
    const allowed = allowedAppRoles(type, profile.approvedRoles, profile.requestedRoles);
    const outside = roles.filter((r) => !allowed.has(r));
    if (outside.length) {
      throw new AppError(
        'Forbidden',
        `The role(s) ${outside.join(', ')} are not approved on your developer profile.`,
        'An app can only carry roles approved on the developer profile.',
      );
    }
    return roles;
  }

  /** Creates an app and returns it with its client secret, shown this once. */
  async create(developerId: string, input: AppInput, seeded?: SeededCredentials): Promise<{ app: AppRecord; clientSecret: string }> {
    const profile = await this.developers.getProfile(developerId);
    if (input.type === 'production' && profile.status !== 'approved') {
      throw new AppError(
        'InvalidState',
        'Production apps can be created once the developer profile is approved.',
        'Create a sandbox app meanwhile.',
      );
    }
    if (!input.name.trim()) throw validation('The app name must not be empty.');
    const roles = await this.checkAppRoles(developerId, input.type, input.roles);
    const redirectUris = checkUris(input.redirectUris);
    if (input.loginUri) {
      const p = checkRedirectUri(input.loginUri);
      if (p) throw validation(`Invalid OAuth login URI: ${p}`);
    }
    const id = seeded ? `app_${seededHex(seeded.seed, 16)}` : newId('app');
    const applicationId = `amzn1.sp.solution.${seeded ? seededUuid(`${seeded.seed}:application`) : uuid()}`;
    const clientId = `amzn1.application-oa2-client.${seeded ? seededHex(`${seeded.seed}:client`, 32) : randomBytes(16).toString('hex')}`;
    const clientSecret = seeded?.clientSecret ?? newClientSecret();
    const now = this.ctx.clock.now();
    await this.ctx.db.transaction(async (trx) => {
      // The counter update is atomic in both engines, so concurrent creations never pass the limit.
      const counted = await trx
        .updateTable('developers')
        .set((eb) => ({ app_count: eb('app_count', '+', 1) }))
        .where('id', '=', developerId)
        .where('app_count', '<', MAX_APPS_PER_DEVELOPER)
        .executeTakeFirst();
      if (Number(counted.numUpdatedRows) === 0) {
        throw new AppError(
          'LimitExceeded',
          `You have reached the maximum of ${MAX_APPS_PER_DEVELOPER} apps for this developer account.`,
          'Delete an app before creating another one.',
        );
      }
      await trx
        .insertInto('apps')
        .values({
          id,
          developer_id: developerId,
          application_id: applicationId,
          client_id: clientId,
          name: input.name.trim(),
          type: input.type,
          visibility: input.visibility,
          environment_label: input.environmentLabel?.trim() || 'production',
          roles: JSON.stringify(roles),
          published_roles: JSON.stringify(roles),
          redirect_uris: JSON.stringify(redirectUris),
          login_uri: input.loginUri ?? null,
          status: 'draft',
          suspended: 0,
          created_at: now,
          updated_at: now,
        })
        .execute();
      await trx
        .insertInto('app_secrets')
        .values({ id: newId('sec'), app_id: id, secret_hash: sha256(clientSecret), created_at: now, expires_at: null })
        .execute();
      await this.ctx.audit.record(trx, {
        actor: `developer:${developerId}`,
        action: 'app.create',
        subjectType: 'app',
        subjectId: id,
        after: { name: input.name, type: input.type, visibility: input.visibility, roles, redirectUris },
      });
    });
    return { app: await this.get(id), clientSecret };
  }

  async get(id: string): Promise<AppRecord> {
    const r = await this.db.selectFrom('apps').selectAll().where('id', '=', id).executeTakeFirst();
    if (!r) throw notFound(`App ${id}`);
    return toAppRecord(r);
  }

  /** The app if it belongs to the developer; otherwise the same 404 as a missing app. */
  async getOwned(developerId: string, id: string): Promise<AppRecord> {
    const app = await this.get(id).catch(() => null);
    if (!app || app.developerId !== developerId) throw notFound(`App ${id}`);
    return app;
  }

  async findByApplicationId(applicationId: string): Promise<AppRecord | null> {
    const r = await this.db.selectFrom('apps').selectAll().where('application_id', '=', applicationId).executeTakeFirst();
    return r ? toAppRecord(r) : null;
  }

  async findByClientId(clientId: string): Promise<AppRecord | null> {
    const r = await this.db.selectFrom('apps').selectAll().where('client_id', '=', clientId).executeTakeFirst();
    return r ? toAppRecord(r) : null;
  }

  async list(filter: { developerId?: string } = {}): Promise<AppRecord[]> {
    let q = this.db.selectFrom('apps').selectAll();
    if (filter.developerId) q = q.where('developer_id', '=', filter.developerId);
    return (await q.orderBy('created_at').orderBy('id').execute()).map(toAppRecord);
  }

  async update(developerId: string, id: string, patch: AppPatch): Promise<AppRecord> {
    const before = await this.getOwned(developerId, id);
    const roles = patch.roles ? await this.checkAppRoles(developerId, before.type, patch.roles) : before.roles;
    const redirectUris = patch.redirectUris ? checkUris(patch.redirectUris) : before.redirectUris;
    if (patch.loginUri) {
      const p = checkRedirectUri(patch.loginUri);
      if (p) throw validation(`Invalid OAuth login URI: ${p}`);
    }
    if (patch.name !== undefined && !patch.name.trim()) throw validation('The app name must not be empty.');
    const publishedRoles = publishedRolesAfterEdit(before.status, roles, before.publishedRoles);
    await this.ctx.db.transaction(async (trx) => {
      await trx
        .updateTable('apps')
        .set({
          name: patch.name?.trim() ?? before.name,
          visibility: patch.visibility ?? before.visibility,
          environment_label: patch.environmentLabel?.trim() || before.environmentLabel,
          roles: JSON.stringify(roles),
          published_roles: JSON.stringify(publishedRoles),
          redirect_uris: JSON.stringify(redirectUris),
          login_uri: patch.loginUri === undefined ? before.loginUri : patch.loginUri,
          updated_at: this.ctx.clock.now(),
        })
        .where('id', '=', id)
        .execute();
      await this.ctx.audit.record(trx, {
        actor: `developer:${developerId}`,
        action: 'app.update',
        subjectType: 'app',
        subjectId: id,
        before,
        after: { ...patch, roles, publishedRoles },
      });
    });
    this.ctx.events.emit({ type: 'app.changed', appId: id });
    return this.get(id);
  }

  async delete(developerId: string, id: string): Promise<void> {
    const before = await this.getOwned(developerId, id);
    await this.ctx.db.transaction(async (trx) => {
      await trx.deleteFrom('apps').where('id', '=', id).execute();
      await trx
        .updateTable('developers')
        .set((eb) => ({ app_count: eb('app_count', '-', 1) }))
        .where('id', '=', developerId)
        .execute();
      await this.ctx.audit.record(trx, {
        actor: `developer:${developerId}`,
        action: 'app.delete',
        subjectType: 'app',
        subjectId: id,
        before,
      });
    });
    this.ctx.events.emit({ type: 'app.changed', appId: id });
  }

  /** Submits the app (or its changed roles) for listing review. */
  async submitForListing(developerId: string, id: string): Promise<AppRecord> {
    const app = await this.getOwned(developerId, id);
    if (app.type === 'sandbox') throw new AppError('InvalidState', 'Sandbox apps are not listed.');
    if (
      app.status === 'published' &&
      app.roles.every((r) => app.publishedRoles.includes(r)) &&
      app.publishedRoles.every((r) => app.roles.includes(r))
    ) {
      throw new AppError('InvalidState', 'The app is published and has no changes to relist.');
    }
    await this.ctx.db.transaction(async (trx) => {
      const open = await trx
        .selectFrom('reviews')
        .select('id')
        .where('app_id', '=', id)
        .where('kind', '=', 'listing')
        .where('status', '=', 'pending')
        .executeTakeFirst();
      if (open) throw new AppError('Conflict', 'This app is already waiting for listing review.');
      if (app.status === 'draft')
        await trx.updateTable('apps').set({ status: 'submitted', updated_at: this.ctx.clock.now() }).where('id', '=', id).execute();
      await insertPendingReview(trx, this.ctx.clock.now(), {
        kind: 'listing',
        developerId,
        appId: id,
        request: { roles: app.roles, relist: app.status === 'published' },
      });
      await this.ctx.audit.record(trx, {
        actor: `developer:${developerId}`,
        action: 'app.submit_listing',
        subjectType: 'app',
        subjectId: id,
        after: { roles: app.roles },
      });
    });
    return this.get(id);
  }

  /** Applied by the review service: an approved listing publishes the roles asked for (still configured). */
  async applyListingDecision(trx: Kysely<Database>, appId: string, approve: boolean, requestedRoles: Role[]): Promise<void> {
    const row = await trx.selectFrom('apps').selectAll().where('id', '=', appId).executeTakeFirst();
    if (!row) return;
    const app = toAppRecord(row);
    if (approve) {
      const published = requestedRoles.filter((r) => app.roles.includes(r));
      await trx
        .updateTable('apps')
        .set({ status: 'published', published_roles: JSON.stringify(published), updated_at: this.ctx.clock.now() })
        .where('id', '=', appId)
        .execute();
    } else if (app.status === 'submitted') {
      await trx.updateTable('apps').set({ status: 'draft', updated_at: this.ctx.clock.now() }).where('id', '=', appId).execute();
    }
  }

  async listSecrets(appId: string): Promise<SecretInfo[]> {
    const rows = await this.db
      .selectFrom('app_secrets')
      .select(['id', 'created_at', 'expires_at'])
      .where('app_id', '=', appId)
      .orderBy('created_at', 'desc')
      .execute();
    const now = this.ctx.clock.now();
    return rows
      .filter((r) => r.expires_at === null || Number(r.expires_at) > now)
      .map((r) => ({ id: r.id, createdAt: Number(r.created_at), expiresAt: r.expires_at === null ? null : Number(r.expires_at) }));
  }

  /**
   * Issues a new secret; the current ones keep working until the grace period ends. The same
   * transaction queues a CLIENT_SECRET_ROTATION notice (the new secret and the old one's expiry) to
   * every destination of the app: the portal's Rotate button, the developer API and
   * rotateApplicationClientSecret all come here. `requireDestination` (the API) refuses an app
   * without a destination, with nothing changed.
   */
  async rotateSecret(
    actor: string,
    appId: string,
    opts: { requireDestination?: boolean } = {},
  ): Promise<{ clientSecret: string; previousSecretExpiresAt: number; noticeId: string | null; notices: number }> {
    const now = this.ctx.clock.now();
    const expiresAt = now + this.ctx.config.secretRotationGraceSeconds * 1000;
    const clientSecret = newClientSecret();
    const app = await this.get(appId);
    const queued = await this.ctx.db.transaction(async (trx) => {
      const notice = await this.notices.enqueue(trx, appId, NOTICE_TYPES.rotation, {
        clientId: app.clientId,
        applicationId: app.applicationId,
        newClientSecret: clientSecret,
        oldClientSecretExpiresAt: new Date(expiresAt).toISOString(),
      });
      if (opts.requireDestination && notice.count === 0) throw new AppError('InvalidInput', NO_DESTINATION_MESSAGE);
      await trx
        .updateTable('app_secrets')
        .set({ expires_at: expiresAt })
        .where('app_id', '=', appId)
        .where('expires_at', 'is', null)
        .execute();
      await trx
        .updateTable('app_secrets')
        .set({ expires_at: now })
        .where('app_id', '=', appId)
        .where('expires_at', '>', expiresAt)
        .execute();
      await trx
        .insertInto('app_secrets')
        .values({ id: newId('sec'), app_id: appId, secret_hash: sha256(clientSecret), created_at: now, expires_at: null })
        .execute();
      await this.ctx.audit.record(trx, {
        actor,
        action: 'app.rotate_secret',
        subjectType: 'app',
        subjectId: appId,
        after: {
          previousSecretExpiresAt: new Date(expiresAt).toISOString(),
          noticeId: notice.count ? notice.noticeId : null,
          destinations: notice.count,
        },
      });
      return notice;
    });
    if (queued.count > 0) this.notices.queued();
    return {
      clientSecret,
      previousSecretExpiresAt: expiresAt,
      noticeId: queued.count > 0 ? queued.noticeId : null,
      notices: queued.count,
    };
  }

  /** The app whose client id and secret match (a secret past its expiry no longer does), else null. */
  async verifyClient(clientId: string, clientSecret: string): Promise<AppRecord | null> {
    const app = await this.findByClientId(clientId);
    const rows = app
      ? await this.db.selectFrom('app_secrets').select(['secret_hash', 'expires_at']).where('app_id', '=', app.id).execute()
      : [];
    const presented = sha256(clientSecret);
    const now = this.ctx.clock.now();
    let ok = false;
    // Compare against every live secret without stopping early, in constant time per comparison.
    for (const r of rows) {
      const live = r.expires_at === null || Number(r.expires_at) > now;
      if (constantTimeEqual(r.secret_hash, presented) && live) ok = true;
    }
    if (!app) constantTimeEqual(presented, sha256(randomSecret()));
    return ok ? app : null;
  }

  async setSuspended(actor: string, appId: string, suspended: boolean): Promise<AppRecord> {
    const before = await this.get(appId);
    await this.ctx.db.transaction(async (trx) => {
      await trx
        .updateTable('apps')
        .set({ suspended: suspended ? 1 : 0, updated_at: this.ctx.clock.now() })
        .where('id', '=', appId)
        .execute();
      await this.ctx.audit.record(trx, {
        actor,
        action: suspended ? 'app.suspend' : 'app.unsuspend',
        subjectType: 'app',
        subjectId: appId,
        before: { suspended: before.suspended },
        after: { suspended },
      });
    });
    this.ctx.events.emit({ type: 'app.changed', appId });
    return this.get(appId);
  }

  /** Sets the lifecycle state directly (operator tooling and the demo seed). */
  async forceStatus(trx: Kysely<Database>, appId: string, status: AppStatus): Promise<void> {
    await trx.updateTable('apps').set({ status, updated_at: this.ctx.clock.now() }).where('id', '=', appId).execute();
  }
}

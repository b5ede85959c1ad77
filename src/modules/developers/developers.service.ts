import type { Kysely } from 'kysely';
import type { AppContext } from '../../app-context.ts';
import type { Database } from '../../database.ts';
import { AppError, notFound, validation } from '../../kernel/errors.ts';
import { emailProblem } from '../../kernel/email.ts';
import { newId } from '../../kernel/ids.ts';
import { insertPendingReview } from './reviews.store.ts';
import type { Role } from '../../kernel/reference.ts';
import { hashPassword, verifyPassword } from '../../platform/crypto/passwords.ts';
import {
  canEditProfile,
  normalizeRoles,
  OFFLINE_APPROVAL_ROLES,
  parseRoles as roles,
  splitOfflineRoles,
  type ProfileStatus,
} from './domain/rules.ts';

export interface Developer {
  id: string;
  email: string;
  name: string;
  businessId: string | null;
  appCount: number;
}

export interface DeveloperProfile {
  developerId: string;
  status: ProfileStatus;
  organization: string;
  contactEmail: string;
  useCase: string;
  requestedRoles: Role[];
  approvedRoles: Role[];
  pendingRoles: Role[];
  /** The pending roles that wait for Amazon's offline approval (User Management), in a review of their own. */
  offlineApprovalRoles: Role[];
  reviewReason: string | null;
}

export interface ProfileInput {
  organization: string;
  contactEmail: string;
  useCase: string;
  requestedRoles: string[];
}

function toProfile(r: Database['developer_profiles']): DeveloperProfile {
  return {
    developerId: r.developer_id,
    status: r.status,
    organization: r.organization,
    contactEmail: r.contact_email,
    useCase: r.use_case,
    requestedRoles: roles(r.requested_roles),
    approvedRoles: roles(r.approved_roles),
    pendingRoles: roles(r.pending_roles),
    offlineApprovalRoles: roles(r.pending_roles).filter((role) => OFFLINE_APPROVAL_ROLES.includes(role)),
    reviewReason: r.review_reason,
  };
}

type Trx = Kysely<Database>;

/** The roles of the developer's pending role requests, those that need offline approval and the others. */
async function pendingRequests(trx: Trx, developerId: string): Promise<{ offline: Set<string>; regular: boolean }> {
  const open = await trx
    .selectFrom('reviews')
    .select('request')
    .where('developer_id', '=', developerId)
    .where('kind', '=', 'role_request')
    .where('status', '=', 'pending')
    .execute();
  const offline = new Set<string>();
  let regular = false;
  for (const r of open) {
    const req = JSON.parse(r.request) as { roles?: unknown; offlineApproval?: unknown };
    if (req.offlineApproval === true) for (const role of Array.isArray(req.roles) ? req.roles : []) offline.add(String(role));
    else regular = true;
  }
  return { offline, regular };
}

function checkRoles(input: readonly string[]): Role[] {
  const { roles: ok, unknown } = normalizeRoles(input);
  if (unknown.length)
    throw validation(`Unknown role(s): ${unknown.join(', ')}.`, 'Roles are named exactly as in the Amazon Business role catalogue.');
  return ok;
}

/** Developer accounts and their profiles (requested and approved roles). */
export class DevelopersService {
  constructor(private readonly ctx: AppContext) {}
  private get db(): Kysely<Database> {
    return this.ctx.db.kysely;
  }

  async register(input: { email: string; name: string; password: string; businessId?: string | null }, id?: string): Promise<Developer> {
    const email = input.email.trim().toLowerCase();
    const problem = emailProblem(email);
    if (problem) throw validation(problem);
    if (input.password.length < 10) throw validation('The password must have at least 10 characters.');
    const devId = id ?? newId('dev');
    const passwordHash = await hashPassword(input.password);
    const now = this.ctx.clock.now();
    await this.ctx.db.transaction(async (trx) => {
      const r = await trx
        .insertInto('developers')
        .values({
          id: devId,
          email,
          name: input.name.trim() || email,
          password_hash: passwordHash,
          app_count: 0,
          business_id: input.businessId ?? null,
          created_at: now,
        })
        .onConflict((oc) => oc.column('email').doNothing())
        .executeTakeFirst();
      if (Number(r.numInsertedOrUpdatedRows ?? 0) === 0)
        throw new AppError('Conflict', `A developer account with the email ${email} already exists.`);
      await trx
        .insertInto('developer_profiles')
        .values({
          developer_id: devId,
          status: 'draft',
          organization: '',
          contact_email: email,
          use_case: '',
          requested_roles: '[]',
          approved_roles: '[]',
          pending_roles: '[]',
          review_reason: null,
          updated_at: now,
        })
        .execute();
      await this.ctx.audit.record(trx, {
        actor: `developer:${devId}`,
        action: 'developer.register',
        subjectType: 'developer',
        subjectId: devId,
        after: { email, name: input.name },
      });
    });
    return this.getDeveloper(devId);
  }

  async authenticate(email: string, password: string): Promise<Developer | null> {
    const row = await this.db
      .selectFrom('developers')
      .select(['id', 'password_hash'])
      .where('email', '=', email.trim().toLowerCase())
      .executeTakeFirst();
    const ok = await verifyPassword(row?.password_hash, password);
    return ok && row ? this.getDeveloper(row.id) : null;
  }

  async getDeveloper(id: string): Promise<Developer> {
    const r = await this.db.selectFrom('developers').selectAll().where('id', '=', id).executeTakeFirst();
    if (!r) throw notFound(`Developer ${id}`);
    return { id: r.id, email: r.email, name: r.name, businessId: r.business_id, appCount: Number(r.app_count) };
  }

  async listDevelopers(): Promise<(Developer & { profile: DeveloperProfile })[]> {
    const rows = await this.db.selectFrom('developers').selectAll().orderBy('created_at').orderBy('id').execute();
    const profiles = await this.db.selectFrom('developer_profiles').selectAll().execute();
    return rows.map((r) => ({
      id: r.id,
      email: r.email,
      name: r.name,
      businessId: r.business_id,
      appCount: Number(r.app_count),
      profile: toProfile(profiles.find((p) => p.developer_id === r.id)!),
    }));
  }

  /** Links the developer to the business whose administrators may self-authorize its private apps. */
  async setBusiness(actor: string, developerId: string, businessId: string | null): Promise<Developer> {
    const before = await this.getDeveloper(developerId);
    await this.ctx.db.transaction(async (trx) => {
      await trx.updateTable('developers').set({ business_id: businessId }).where('id', '=', developerId).execute();
      await this.ctx.audit.record(trx, {
        actor,
        action: 'developer.set_business',
        subjectType: 'developer',
        subjectId: developerId,
        before: { businessId: before.businessId },
        after: { businessId },
      });
    });
    return this.getDeveloper(developerId);
  }

  async getProfile(developerId: string): Promise<DeveloperProfile> {
    const r = await this.db.selectFrom('developer_profiles').selectAll().where('developer_id', '=', developerId).executeTakeFirst();
    if (!r) throw notFound(`Developer ${developerId}`);
    return toProfile(r);
  }

  async updateProfile(developerId: string, input: ProfileInput): Promise<DeveloperProfile> {
    const before = await this.getProfile(developerId);
    if (!canEditProfile(before.status)) {
      throw new AppError(
        'InvalidState',
        `The profile is ${before.status} and cannot be edited.`,
        before.status === 'approved' ? 'Ask for additional roles with a role request.' : 'Wait for the review.',
      );
    }
    const requested = checkRoles(input.requestedRoles);
    await this.ctx.db.transaction(async (trx) => {
      await trx
        .updateTable('developer_profiles')
        .set({
          organization: input.organization.trim(),
          contact_email: input.contactEmail.trim(),
          use_case: input.useCase.trim(),
          requested_roles: JSON.stringify(requested),
          updated_at: this.ctx.clock.now(),
        })
        .where('developer_id', '=', developerId)
        .execute();
      await this.ctx.audit.record(trx, {
        actor: `developer:${developerId}`,
        action: 'profile.update',
        subjectType: 'developer',
        subjectId: developerId,
        before,
        after: { ...input, requestedRoles: requested },
      });
    });
    return this.getProfile(developerId);
  }

  async submitProfile(developerId: string): Promise<DeveloperProfile> {
    const profile = await this.getProfile(developerId);
    if (!canEditProfile(profile.status)) throw new AppError('InvalidState', `The profile is ${profile.status} and cannot be submitted.`);
    if (!profile.organization || !profile.useCase) throw validation('Fill in the organization and the use case before submitting.');
    if (profile.requestedRoles.length === 0) throw validation('Select at least one role before submitting.');
    await this.ctx.db.transaction(async (trx) => {
      const changed = await trx
        .updateTable('developer_profiles')
        .set({ status: 'submitted', review_reason: null, updated_at: this.ctx.clock.now() })
        .where('developer_id', '=', developerId)
        .where('status', 'in', ['draft', 'denied'])
        .executeTakeFirst();
      if (Number(changed.numUpdatedRows) === 0) throw new AppError('InvalidState', 'The profile was submitted already.');
      // A role that needs offline approval (User Management) is reviewed apart from the profile.
      const { regular, offline } = splitOfflineRoles(profile.requestedRoles);
      await insertPendingReview(trx, this.ctx.clock.now(), {
        kind: 'profile',
        developerId,
        appId: null,
        request: offline.length ? { roles: regular, offlineApprovalRoles: offline } : { roles: regular },
      });
      await this.openOfflineReview(trx, developerId, offline);
      await this.ctx.audit.record(trx, {
        actor: `developer:${developerId}`,
        action: 'profile.submit',
        subjectType: 'developer',
        subjectId: developerId,
        after: { roles: profile.requestedRoles },
      });
    });
    return this.getProfile(developerId);
  }

  /**
   * Asks for more roles on an approved profile; the roles approved so far keep working meanwhile. A
   * role that needs offline approval (User Management) gets a review of its own, marked so, and does
   * not hold up a request for the others.
   */
  async requestRoles(developerId: string, input: string[]): Promise<DeveloperProfile> {
    const profile = await this.getProfile(developerId);
    if (profile.status !== 'approved')
      throw new AppError('InvalidState', 'Only an approved profile can ask for more roles; edit and submit the profile instead.');
    const wanted = checkRoles(input).filter((r) => !profile.approvedRoles.includes(r));
    if (wanted.length === 0) throw validation('Every role asked for is approved already.');
    await this.ctx.db.transaction(async (trx) => {
      const open = await pendingRequests(trx, developerId);
      const { regular, offline } = splitOfflineRoles(wanted);
      const newOffline = offline.filter((r) => !open.offline.has(r));
      if (regular.length && open.regular) throw new AppError('Conflict', 'A role request is already waiting for review.');
      if (regular.length === 0 && newOffline.length === 0)
        throw new AppError('Conflict', `${offline.join(', ')} is already waiting for offline approval.`);
      const asked = [...regular, ...newOffline];
      await trx
        .updateTable('developer_profiles')
        .set({ pending_roles: JSON.stringify([...new Set([...profile.pendingRoles, ...asked])]), updated_at: this.ctx.clock.now() })
        .where('developer_id', '=', developerId)
        .execute();
      if (regular.length)
        await insertPendingReview(trx, this.ctx.clock.now(), {
          kind: 'role_request',
          developerId,
          appId: null,
          request: { roles: regular },
        });
      await this.openOfflineReview(trx, developerId, newOffline);
      await this.ctx.audit.record(trx, {
        actor: `developer:${developerId}`,
        action: 'profile.request_roles',
        subjectType: 'developer',
        subjectId: developerId,
        after: { roles: asked, ...(newOffline.length ? { offlineApprovalRoles: newOffline } : {}) },
      });
    });
    return this.getProfile(developerId);
  }

  /**
   * Opens the review of roles that need offline approval (a role request marked `offlineApproval`),
   * unless one is waiting for them already, and marks them pending on the profile.
   */
  private async openOfflineReview(trx: Trx, developerId: string, offline: readonly Role[]): Promise<void> {
    const open = await pendingRequests(trx, developerId);
    const asked = offline.filter((r) => !open.offline.has(r));
    if (asked.length === 0) return;
    const row = await trx
      .selectFrom('developer_profiles')
      .select('pending_roles')
      .where('developer_id', '=', developerId)
      .executeTakeFirstOrThrow();
    const pending = roles(row.pending_roles);
    await trx
      .updateTable('developer_profiles')
      .set({ pending_roles: JSON.stringify([...new Set([...pending, ...asked])]), updated_at: this.ctx.clock.now() })
      .where('developer_id', '=', developerId)
      .execute();
    await insertPendingReview(trx, this.ctx.clock.now(), {
      kind: 'role_request',
      developerId,
      appId: null,
      request: { roles: asked, offlineApproval: true },
    });
  }

  /** Applied by the review service when a profile or role review is decided. */
  async applyProfileDecision(
    trx: Kysely<Database>,
    developerId: string,
    kind: 'profile' | 'role_request',
    approve: boolean,
    reason: string | null,
    requestedRoles: Role[],
  ): Promise<void> {
    const row = await trx.selectFrom('developer_profiles').selectAll().where('developer_id', '=', developerId).executeTakeFirstOrThrow();
    const current = toProfile(row);
    const now = this.ctx.clock.now();
    if (kind === 'profile') {
      await trx
        .updateTable('developer_profiles')
        .set(
          approve
            ? {
                status: 'approved',
                approved_roles: JSON.stringify([...new Set([...current.approvedRoles, ...requestedRoles])]),
                review_reason: reason,
                updated_at: now,
              }
            : { status: 'denied', review_reason: reason, updated_at: now },
        )
        .where('developer_id', '=', developerId)
        .execute();
    } else {
      const approved = approve ? [...new Set([...current.approvedRoles, ...requestedRoles])] : current.approvedRoles;
      await trx
        .updateTable('developer_profiles')
        .set({
          approved_roles: JSON.stringify(approved),
          requested_roles: JSON.stringify([...new Set([...current.requestedRoles, ...(approve ? requestedRoles : [])])]),
          // Only the roles of this request leave the pending list (an offline approval may still wait).
          pending_roles: JSON.stringify(current.pendingRoles.filter((r) => !requestedRoles.includes(r))),
          review_reason: reason,
          updated_at: now,
        })
        .where('developer_id', '=', developerId)
        .execute();
    }
  }
}

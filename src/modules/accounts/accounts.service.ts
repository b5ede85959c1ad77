import type { Kysely } from 'kysely';
import type { Database } from '../../database.ts';
import type { AppContext } from '../../app-context.ts';
import { AppError, notFound, validation } from '../../kernel/errors.ts';
import { emailProblem, MAX_EMAIL_LENGTH } from '../../kernel/email.ts';
import { newId } from '../../kernel/ids.ts';
import { parseStringArray } from '../../kernel/json.ts';
import { marketplaceByCode, type BusinessUserRole } from '../../kernel/reference.ts';
import { hashPassword, verifyPassword } from '../../platform/crypto/passwords.ts';

export interface Business {
  id: string;
  name: string;
  marketplaces: string[];
  createdAt: number;
}
export interface LegalEntity {
  id: string;
  businessId: string;
  name: string;
}
export interface Group {
  id: string;
  businessId: string;
  name: string;
  groupTag: string;
  /** Every order of the group is a trial: it runs the whole pipeline and is never kept. */
  testMode: boolean;
  /** The group's stored payment method (a label); null: none configured, the group cannot order. */
  paymentMethod: string | null;
  /** Where the group's orders ship when a request names no address. */
  shippingAddress: PostalAddress | null;
  /** Orders whose total is above this (minor units of the order's currency) wait for approval; null: no limit. */
  approvalLimitMinor: number | null;
}

/** A postal address as the Ordering API's PhysicalAddress carries it. */
export interface PostalAddress {
  fullName: string;
  phoneNumber?: string;
  companyName?: string;
  addressLine1: string;
  addressLine2?: string;
  addressLine3?: string;
  city: string;
  stateOrRegion?: string;
  postalCode: string;
  /** ISO 3166 alpha-2. */
  countryCode: string;
}

/** What an administrator sets for a group's ordering. */
export interface GroupOrderingPatch {
  testMode?: boolean;
  paymentMethod?: string | null;
  shippingAddress?: PostalAddress | null;
  approvalLimitMinor?: number | null;
}

const ADDRESS_FIELDS = [
  'fullName',
  'phoneNumber',
  'companyName',
  'addressLine1',
  'addressLine2',
  'addressLine3',
  'city',
  'stateOrRegion',
  'postalCode',
  'countryCode',
] as const;

/** A PostalAddress from stored or submitted JSON; throws a validation error naming the first bad field. */
export function checkPostalAddress(value: unknown): PostalAddress {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw validation('An address is an object.');
  const v = value as Record<string, unknown>;
  const out: Record<string, string> = {};
  for (const key of ADDRESS_FIELDS) {
    const field = v[key];
    if (field === undefined || field === null || field === '') continue;
    if (typeof field !== 'string' || field.length > 255)
      throw validation(`The address field ${key} is a string of at most 255 characters.`);
    out[key] = field.trim();
  }
  for (const key of ['fullName', 'addressLine1', 'city', 'postalCode', 'countryCode'] as const)
    if (!out[key]) throw validation(`The address needs ${key}.`);
  if (!/^[A-Z]{2}$/.test(out.countryCode!)) throw validation('The address countryCode is two capital letters (ISO 3166 alpha-2).');
  return out as unknown as PostalAddress;
}

const groupOf = (r: {
  id: string;
  business_id: string;
  name: string;
  group_tag: string;
  test_mode: number;
  payment_method: string | null;
  shipping_address: string | null;
  approval_limit_minor: number | string | null;
}): Group => ({
  id: r.id,
  businessId: r.business_id,
  name: r.name,
  groupTag: r.group_tag,
  testMode: Number(r.test_mode) === 1,
  paymentMethod: r.payment_method,
  shippingAddress: r.shipping_address ? checkPostalAddress(JSON.parse(r.shipping_address)) : null,
  approvalLimitMinor: r.approval_limit_minor === null ? null : Number(r.approval_limit_minor),
});
/**
 * A business user's state: `pending` until activated (created through the User Management API; its
 * email is refused like an unknown one), `active`, or `disabled` by an administrator.
 */
export type BusinessUserStatus = 'active' | 'disabled' | 'pending';

export interface BusinessUser {
  id: string;
  businessId: string;
  email: string;
  name: string;
  status: BusinessUserStatus;
  role: BusinessUserRole;
  maceHold: boolean;
  adminOfLegalEntityIds: string[];
  groupIds: string[];
}
export interface BuyingPolicy {
  id: string;
  businessId: string;
  guidance: 'PREFERRED' | 'RESTRICTED' | 'BLOCKED';
  matchType: 'asin' | 'brand' | 'category';
  value: string;
}

export interface NewUser {
  email: string;
  name: string;
  role: BusinessUserRole;
  password?: string;
  status?: BusinessUserStatus;
  maceHold?: boolean;
  adminOfLegalEntityIds?: string[];
  groupIds?: string[];
  /** The welcome email to send the new user: recorded in the audit log (`user.welcome_email`), in the user's creation. */
  welcomeEmail?: WelcomeEmail;
}

/**
 * The welcome email of a user created through the User Management API. The emulator has no mail
 * transport: the message is recorded in the audit log as `user.welcome_email`, with its recipient.
 */
export interface WelcomeEmail {
  subject: string;
  text: string;
}

export type UserPatch = Partial<Pick<NewUser, 'name' | 'role' | 'password' | 'status' | 'maceHold' | 'adminOfLegalEntityIds' | 'groupIds'>>;

const normalizeEmail = (email: string): string => email.trim().toLowerCase();
const MAX_CACHED_USERS = 10_000;

function checkMarketplaces(codes: string[]): string[] {
  if (codes.length === 0) throw validation('A business operates in at least one marketplace.');
  const out = codes.map((c) => {
    const m = marketplaceByCode(c);
    if (!m) throw validation(`Unknown marketplace "${c}".`, 'Use one of US, CA, MX, UK, DE, FR, ES, IT, IN, AU, JP.');
    return m.code;
  });
  return [...new Set(out)];
}

function checkOrderingPatch(p: GroupOrderingPatch): GroupOrderingPatch {
  const out: GroupOrderingPatch = {};
  if (p.testMode !== undefined) out.testMode = p.testMode === true;
  if (p.paymentMethod !== undefined) {
    const label = p.paymentMethod === null ? '' : String(p.paymentMethod).trim();
    if (label.length > 100) throw validation('A payment method label has at most 100 characters.');
    out.paymentMethod = label || null;
  }
  if (p.shippingAddress !== undefined) out.shippingAddress = p.shippingAddress === null ? null : checkPostalAddress(p.shippingAddress);
  if (p.approvalLimitMinor !== undefined) {
    const v = p.approvalLimitMinor;
    if (v !== null && (!Number.isSafeInteger(v) || v < 0))
      throw validation('An approval limit is a whole, non-negative amount in minor units.');
    out.approvalLimitMinor = v;
  }
  return out;
}

/**
 * A business user may grant only what it holds: every legal entity it makes someone an
 * administrator of must be one it administers itself. Answers the ones it may not grant.
 */
export function notGrantableBy(actor: BusinessUser, adminOfLegalEntityIds: readonly string[]): string[] {
  return adminOfLegalEntityIds.filter((id) => !actor.adminOfLegalEntityIds.includes(id));
}

/**
 * A business user may change another user (disable, enable, hold or clear for MACE) only when that
 * user administers no legal entity the actor does not: a partial administrator cannot act on a full one.
 */
export const mayManage = (actor: BusinessUser, target: BusinessUser): boolean =>
  notGrantableBy(actor, target.adminOfLegalEntityIds).length === 0;

/** What the APIs read of a business on every call: its buying policies, its marketplaces and its groups. */
export interface BusinessFacts {
  policies: BuyingPolicy[];
  marketplaces: string[];
  groups: Group[];
}

/** Businesses, their legal entities, groups, users and buying policies. */
export class AccountsService {
  // Read on every API call, so cached per business and dropped when the business changes (in this
  // process, or in another through the event bridge) or the whole world is replaced.
  private readonly facts = new Map<string, Promise<BusinessFacts>>();
  // Users found by email (never a miss, so a user added later is found at once), dropped when the
  // user or any business changes, here or in another process.
  private readonly users = new Map<string, BusinessUser>();

  constructor(private readonly ctx: AppContext) {
    ctx.events.on((e) => {
      if (e.type === 'business.changed') {
        this.facts.delete(e.businessId);
        this.users.clear();
      }
      if (e.type === 'user.changed') this.users.delete(normalizeEmail(e.email));
      if (e.type === 'world.replaced' || e.type === 'caches.stale') {
        this.facts.clear();
        this.users.clear();
      }
    });
  }

  /** A business user by email, cached until the user or a business changes; null when there is none. */
  async userByEmail(email: string): Promise<BusinessUser | null> {
    // No user can have a longer address (every schema caps it), so one is refused before any lookup
    // or normalization: a client's header size never turns into work or memory here. The cache
    // holds found users only, keyed by their stored (capped) address: at most
    // MAX_CACHED_USERS × 254 bytes of keys, whatever clients send.
    if (email.length > MAX_EMAIL_LENGTH) return null;
    const key = normalizeEmail(email);
    const hit = this.users.get(key);
    if (hit) return hit;
    const user = await this.findUserByEmail(key);
    if (user) {
      if (this.users.size >= MAX_CACHED_USERS) this.users.clear();
      this.users.set(key, user);
    }
    return user;
  }

  /** The business's buying policies and marketplaces, cached until the business changes. */
  businessFacts(businessId: string): Promise<BusinessFacts> {
    let facts = this.facts.get(businessId);
    if (!facts) {
      facts = (async () => ({
        policies: await this.listPolicies(businessId),
        marketplaces: (await this.getBusiness(businessId)).marketplaces,
        groups: await this.listGroups(businessId),
      }))();
      facts.catch(() => this.facts.delete(businessId));
      this.facts.set(businessId, facts);
    }
    return facts;
  }
  private get db(): Kysely<Database> {
    return this.ctx.db.kysely;
  }

  async createBusiness(
    actor: string,
    input: { name: string; marketplaces: string[]; legalEntities?: string[] },
    id?: string,
  ): Promise<Business> {
    const marketplaces = checkMarketplaces(input.marketplaces);
    const names = input.legalEntities && input.legalEntities.length > 0 ? input.legalEntities : [input.name];
    const now = this.ctx.clock.now();
    const business = { id: id ?? newId('biz'), name: input.name.trim(), marketplaces, createdAt: now };
    if (!business.name) throw validation('The business name must not be empty.');
    await this.ctx.db.transaction(async (trx) => {
      await trx
        .insertInto('businesses')
        .values({ id: business.id, name: business.name, marketplaces: JSON.stringify(marketplaces), created_at: now, updated_at: now })
        .execute();
      for (const [i, name] of names.entries()) {
        await trx
          .insertInto('legal_entities')
          .values({ id: id ? `${id}_le${i + 1}` : newId('le'), business_id: business.id, name, created_at: now })
          .execute();
      }
      await this.ctx.audit.record(trx, {
        actor,
        action: 'business.create',
        subjectType: 'business',
        subjectId: business.id,
        after: { ...business, legalEntities: names },
      });
    });
    return business;
  }

  async updateBusiness(actor: string, id: string, patch: { name?: string; marketplaces?: string[] }): Promise<Business> {
    const before = await this.getBusiness(id);
    const after = {
      ...before,
      name: patch.name?.trim() || before.name,
      marketplaces: patch.marketplaces ? checkMarketplaces(patch.marketplaces) : before.marketplaces,
    };
    await this.ctx.db.transaction(async (trx) => {
      await trx
        .updateTable('businesses')
        .set({ name: after.name, marketplaces: JSON.stringify(after.marketplaces), updated_at: this.ctx.clock.now() })
        .where('id', '=', id)
        .execute();
      await this.ctx.audit.record(trx, { actor, action: 'business.update', subjectType: 'business', subjectId: id, before, after });
    });
    this.ctx.events.emit({ type: 'business.changed', businessId: id });
    return after;
  }

  async listBusinesses(): Promise<Business[]> {
    const rows = await this.db.selectFrom('businesses').selectAll().orderBy('created_at').orderBy('id').execute();
    return rows.map((r) => ({ id: r.id, name: r.name, marketplaces: parseStringArray(r.marketplaces), createdAt: Number(r.created_at) }));
  }

  async findBusiness(id: string): Promise<Business | null> {
    const r = await this.db.selectFrom('businesses').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? { id: r.id, name: r.name, marketplaces: parseStringArray(r.marketplaces), createdAt: Number(r.created_at) } : null;
  }

  async getBusiness(id: string): Promise<Business> {
    const b = await this.findBusiness(id);
    if (!b) throw notFound(`Business ${id}`);
    return b;
  }

  async listLegalEntities(businessId: string): Promise<LegalEntity[]> {
    const rows = await this.db
      .selectFrom('legal_entities')
      .selectAll()
      .where('business_id', '=', businessId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map((r) => ({ id: r.id, businessId: r.business_id, name: r.name }));
  }

  async addLegalEntity(actor: string, businessId: string, name: string): Promise<LegalEntity> {
    await this.getBusiness(businessId);
    if (!name.trim()) throw validation('The legal entity name must not be empty.');
    const le = { id: newId('le'), businessId, name: name.trim() };
    await this.ctx.db.transaction(async (trx) => {
      await trx
        .insertInto('legal_entities')
        .values({ id: le.id, business_id: businessId, name: le.name, created_at: this.ctx.clock.now() })
        .execute();
      await this.ctx.audit.record(trx, { actor, action: 'legal_entity.create', subjectType: 'business', subjectId: businessId, after: le });
    });
    return le;
  }

  async listGroups(businessId: string): Promise<Group[]> {
    const rows = await this.db
      .selectFrom('business_groups')
      .selectAll()
      .where('business_id', '=', businessId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(groupOf);
  }

  async getGroup(businessId: string, groupId: string): Promise<Group> {
    const r = await this.db
      .selectFrom('business_groups')
      .selectAll()
      .where('business_id', '=', businessId)
      .where('id', '=', groupId)
      .executeTakeFirst();
    if (!r) throw notFound(`Group ${groupId}`);
    return groupOf(r);
  }

  async addGroup(
    actor: string,
    businessId: string,
    input: { name: string; groupTag: string } & GroupOrderingPatch,
    id?: string,
  ): Promise<Group> {
    await this.getBusiness(businessId);
    if (!input.name.trim() || !input.groupTag.trim()) throw validation('A group needs a name and a groupTag.');
    const ordering = checkOrderingPatch(input);
    const group: Group = {
      id: id ?? newId('grp'),
      businessId,
      name: input.name.trim(),
      groupTag: input.groupTag.trim(),
      testMode: ordering.testMode ?? false,
      paymentMethod: ordering.paymentMethod ?? null,
      shippingAddress: ordering.shippingAddress ?? null,
      approvalLimitMinor: ordering.approvalLimitMinor ?? null,
    };
    await this.ctx.db.transaction(async (trx) => {
      const inserted = await trx
        .insertInto('business_groups')
        .values({
          id: group.id,
          business_id: businessId,
          name: group.name,
          group_tag: group.groupTag,
          created_at: this.ctx.clock.now(),
          test_mode: group.testMode ? 1 : 0,
          payment_method: group.paymentMethod,
          shipping_address: group.shippingAddress ? JSON.stringify(group.shippingAddress) : null,
          approval_limit_minor: group.approvalLimitMinor,
        })
        .onConflict((oc) => oc.columns(['business_id', 'group_tag']).doNothing())
        .executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0)
        throw new AppError('Conflict', `The groupTag "${group.groupTag}" is already used in this business.`);
      await this.ctx.audit.record(trx, { actor, action: 'group.create', subjectType: 'business', subjectId: businessId, after: group });
    });
    this.ctx.events.emit({ type: 'business.changed', businessId });
    return group;
  }

  /** Sets how a group orders: test mode, stored payment method, default ship-to address, approval limit. */
  async updateGroupOrdering(actor: string, businessId: string, groupId: string, patch: GroupOrderingPatch): Promise<Group> {
    const before = await this.getGroup(businessId, groupId);
    const p = checkOrderingPatch(patch);
    const after: Group = {
      ...before,
      ...(p.testMode !== undefined ? { testMode: p.testMode } : {}),
      ...(p.paymentMethod !== undefined ? { paymentMethod: p.paymentMethod } : {}),
      ...(p.shippingAddress !== undefined ? { shippingAddress: p.shippingAddress } : {}),
      ...(p.approvalLimitMinor !== undefined ? { approvalLimitMinor: p.approvalLimitMinor } : {}),
    };
    await this.ctx.db.transaction(async (trx) => {
      await trx
        .updateTable('business_groups')
        .set({
          test_mode: after.testMode ? 1 : 0,
          payment_method: after.paymentMethod,
          shipping_address: after.shippingAddress ? JSON.stringify(after.shippingAddress) : null,
          approval_limit_minor: after.approvalLimitMinor,
        })
        .where('id', '=', groupId)
        .execute();
      await this.ctx.audit.record(trx, { actor, action: 'group.ordering', subjectType: 'business', subjectId: businessId, before, after });
    });
    this.ctx.events.emit({ type: 'business.changed', businessId });
    return after;
  }

  private async loadUsers(where: { businessId?: string; id?: string; email?: string }): Promise<BusinessUser[]> {
    let q = this.db.selectFrom('business_users').selectAll();
    if (where.businessId) q = q.where('business_id', '=', where.businessId);
    if (where.id) q = q.where('id', '=', where.id);
    if (where.email) q = q.where('email', '=', normalizeEmail(where.email));
    const rows = await q.orderBy('created_at').orderBy('id').execute();
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const admins = await this.db.selectFrom('user_admin_entities').selectAll().where('user_id', 'in', ids).execute();
    const groups = await this.db.selectFrom('user_groups').selectAll().where('user_id', 'in', ids).execute();
    return rows.map((r) => ({
      id: r.id,
      businessId: r.business_id,
      email: r.email,
      name: r.name,
      status: r.status,
      role: r.role,
      maceHold: Number(r.mace_hold) === 1,
      adminOfLegalEntityIds: admins
        .filter((a) => a.user_id === r.id)
        .map((a) => a.legal_entity_id)
        .sort(),
      groupIds: groups
        .filter((g) => g.user_id === r.id)
        .map((g) => g.group_id)
        .sort(),
    }));
  }

  listUsers(businessId: string): Promise<BusinessUser[]> {
    return this.loadUsers({ businessId });
  }

  async findUserByEmail(email: string): Promise<BusinessUser | null> {
    return (await this.loadUsers({ email }))[0] ?? null;
  }

  async getUser(id: string): Promise<BusinessUser> {
    const u = (await this.loadUsers({ id }))[0];
    if (!u) throw notFound(`User ${id}`);
    return u;
  }

  private async checkMemberships(trx: Kysely<Database>, businessId: string, les: string[], groups: string[]): Promise<void> {
    if (les.length) {
      const found = await trx
        .selectFrom('legal_entities')
        .select('id')
        .where('business_id', '=', businessId)
        .where('id', 'in', les)
        .execute();
      if (found.length !== new Set(les).size) throw validation('adminOfLegalEntityIds names a legal entity that is not in this business.');
    }
    if (groups.length) {
      const found = await trx
        .selectFrom('business_groups')
        .select('id')
        .where('business_id', '=', businessId)
        .where('id', 'in', groups)
        .execute();
      if (found.length !== new Set(groups).size) throw validation('groupIds names a group that is not in this business.');
    }
  }

  async addUser(actor: string, businessId: string, input: NewUser, id?: string): Promise<BusinessUser> {
    await this.getBusiness(businessId);
    const email = normalizeEmail(input.email);
    const problem = emailProblem(email);
    if (problem) throw validation(problem);
    const les = [...new Set(input.adminOfLegalEntityIds ?? [])];
    if (les.length && input.role !== 'Administrator') throw validation('Only an Administrator can administer legal entities.');
    const groups = [...new Set(input.groupIds ?? [])];
    const passwordHash = input.password ? await hashPassword(input.password) : null;
    const userId = id ?? newId('usr');
    const now = this.ctx.clock.now();
    await this.ctx.db.transaction(async (trx) => {
      await this.checkMemberships(trx, businessId, les, groups);
      const inserted = await trx
        .insertInto('business_users')
        .values({
          id: userId,
          business_id: businessId,
          email,
          name: input.name.trim() || email,
          status: input.status ?? 'active',
          role: input.role,
          password_hash: passwordHash,
          mace_hold: input.maceHold ? 1 : 0,
          created_at: now,
          updated_at: now,
        })
        .onConflict((oc) => oc.column('email').doNothing())
        .executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0)
        throw new AppError('Conflict', `A business user with the email ${email} already exists.`);
      for (const le of les) await trx.insertInto('user_admin_entities').values({ user_id: userId, legal_entity_id: le }).execute();
      for (const g of groups) await trx.insertInto('user_groups').values({ user_id: userId, group_id: g }).execute();
      await this.ctx.audit.record(trx, {
        actor,
        action: 'user.create',
        subjectType: 'business_user',
        subjectId: userId,
        after: {
          email,
          role: input.role,
          status: input.status ?? 'active',
          maceHold: !!input.maceHold,
          adminOfLegalEntityIds: les,
          groupIds: groups,
        },
      });
      if (input.welcomeEmail)
        await this.ctx.audit.record(trx, {
          actor,
          action: 'user.welcome_email',
          subjectType: 'business_user',
          subjectId: userId,
          after: { to: email, ...input.welcomeEmail },
        });
    });
    // A process that looked this email up before (and found no one) learns of the new user.
    this.ctx.events.emit({ type: 'user.changed', email });
    return this.getUser(userId);
  }

  async updateUser(actor: string, userId: string, patch: UserPatch): Promise<BusinessUser> {
    const before = await this.getUser(userId);
    const role = patch.role ?? before.role;
    const les = patch.adminOfLegalEntityIds
      ? [...new Set(patch.adminOfLegalEntityIds)]
      : role === 'Administrator'
        ? before.adminOfLegalEntityIds
        : [];
    if (les.length && role !== 'Administrator') throw validation('Only an Administrator can administer legal entities.');
    const passwordHash = patch.password ? await hashPassword(patch.password) : undefined;
    await this.ctx.db.transaction(async (trx) => {
      await this.checkMemberships(trx, before.businessId, les, patch.groupIds ?? []);
      await trx
        .updateTable('business_users')
        .set({
          name: patch.name?.trim() || before.name,
          role,
          status: patch.status ?? before.status,
          mace_hold: (patch.maceHold ?? before.maceHold) ? 1 : 0,
          ...(passwordHash ? { password_hash: passwordHash } : {}),
          updated_at: this.ctx.clock.now(),
        })
        .where('id', '=', userId)
        .execute();
      await trx.deleteFrom('user_admin_entities').where('user_id', '=', userId).execute();
      for (const le of les) await trx.insertInto('user_admin_entities').values({ user_id: userId, legal_entity_id: le }).execute();
      if (patch.groupIds) {
        await trx.deleteFrom('user_groups').where('user_id', '=', userId).execute();
        for (const g of new Set(patch.groupIds)) await trx.insertInto('user_groups').values({ user_id: userId, group_id: g }).execute();
      }
      const after = {
        ...before,
        role,
        status: patch.status ?? before.status,
        maceHold: patch.maceHold ?? before.maceHold,
        adminOfLegalEntityIds: les,
        groupIds: patch.groupIds ?? before.groupIds,
        passwordChanged: !!passwordHash,
      };
      await this.ctx.audit.record(trx, { actor, action: 'user.update', subjectType: 'business_user', subjectId: userId, before, after });
    });
    this.ctx.events.emit({ type: 'user.changed', email: before.email });
    return this.getUser(userId);
  }

  /** A user by id, or by email when the reference has an @; null when there is none. */
  async findUser(ref: string): Promise<BusinessUser | null> {
    return ref.includes('@') ? this.findUserByEmail(ref) : ((await this.loadUsers({ id: ref }))[0] ?? null);
  }

  /**
   * Activates a pending user (created through the User Management API): from then on its email
   * works in x-amz-user-email. 409 InvalidState for a user that is not pending.
   */
  async activateUser(actor: string, userId: string): Promise<BusinessUser> {
    const before = await this.getUser(userId);
    await this.ctx.db.transaction(async (trx) => {
      const changed = await trx
        .updateTable('business_users')
        .set({ status: 'active', updated_at: this.ctx.clock.now() })
        .where('id', '=', userId)
        .where('status', '=', 'pending')
        .executeTakeFirst();
      if (Number(changed.numUpdatedRows) === 0)
        throw new AppError('InvalidState', `${before.email} is ${before.status}, not pending: only a pending user can be activated.`);
      await this.ctx.audit.record(trx, {
        actor,
        action: 'user.activate',
        subjectType: 'business_user',
        subjectId: userId,
        before: { email: before.email, status: 'pending' },
        after: { email: before.email, status: 'active' },
      });
    });
    this.ctx.events.emit({ type: 'user.changed', email: before.email });
    return this.getUser(userId);
  }

  /** Checks an email and password; null when they do not match an active user. */
  async authenticate(email: string, password: string): Promise<BusinessUser | null> {
    const row = await this.db
      .selectFrom('business_users')
      .select(['id', 'password_hash', 'status'])
      .where('email', '=', normalizeEmail(email))
      .executeTakeFirst();
    const ok = await verifyPassword(row?.password_hash, password);
    if (!ok || !row || row.status !== 'active') return null;
    return this.getUser(row.id);
  }

  /** True when the user is an Administrator of every legal entity of the business (the consent rule). */
  async isAdminOfAllLegalEntities(user: BusinessUser): Promise<boolean> {
    if (user.role !== 'Administrator' || user.status !== 'active') return false;
    const all = await this.listLegalEntities(user.businessId);
    return all.length > 0 && all.every((le) => user.adminOfLegalEntityIds.includes(le.id));
  }

  async listPolicies(businessId: string): Promise<BuyingPolicy[]> {
    const rows = await this.db
      .selectFrom('buying_policies')
      .selectAll()
      .where('business_id', '=', businessId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map((r) => ({ id: r.id, businessId: r.business_id, guidance: r.guidance, matchType: r.match_type, value: r.value }));
  }

  async addPolicy(actor: string, businessId: string, input: Omit<BuyingPolicy, 'id' | 'businessId'>): Promise<BuyingPolicy> {
    await this.getBusiness(businessId);
    if (!input.value.trim()) throw validation('A buying policy needs a value to match.');
    const policy: BuyingPolicy = {
      id: newId('pol'),
      businessId,
      guidance: input.guidance,
      matchType: input.matchType,
      value: input.value.trim(),
    };
    await this.ctx.db.transaction(async (trx) => {
      const r = await trx
        .insertInto('buying_policies')
        .values({
          id: policy.id,
          business_id: businessId,
          guidance: policy.guidance,
          match_type: policy.matchType,
          value: policy.value,
          created_at: this.ctx.clock.now(),
        })
        .onConflict((oc) => oc.columns(['business_id', 'match_type', 'value']).doNothing())
        .executeTakeFirst();
      if (Number(r.numInsertedOrUpdatedRows ?? 0) === 0)
        throw new AppError('Conflict', `A policy for ${policy.matchType} "${policy.value}" already exists.`);
      await this.ctx.audit.record(trx, { actor, action: 'policy.create', subjectType: 'business', subjectId: businessId, after: policy });
    });
    this.ctx.events.emit({ type: 'business.changed', businessId });
    return policy;
  }

  async removePolicy(actor: string, businessId: string, policyId: string): Promise<void> {
    await this.ctx.db.transaction(async (trx) => {
      const before = await trx
        .selectFrom('buying_policies')
        .selectAll()
        .where('id', '=', policyId)
        .where('business_id', '=', businessId)
        .executeTakeFirst();
      if (!before) throw notFound(`Buying policy ${policyId}`);
      await trx.deleteFrom('buying_policies').where('id', '=', policyId).execute();
      await this.ctx.audit.record(trx, { actor, action: 'policy.delete', subjectType: 'business', subjectId: businessId, before });
    });
    this.ctx.events.emit({ type: 'business.changed', businessId });
  }
}

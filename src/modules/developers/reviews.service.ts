import type { AppContext } from '../../app-context.ts';
import type { Database } from '../../database.ts';
import { AppError, notFound, validation } from '../../kernel/errors.ts';
import { insertPendingReview } from './reviews.store.ts';
import { PRIVILEGED_FIELDS, type PrivilegedField } from '../../kernel/reference.ts';
import type { AppsService } from './apps.service.ts';
import type { DevelopersService } from './developers.service.ts';
import { normalizeRoles } from './domain/rules.ts';

export type ReviewKind = Database['reviews']['kind'];
export interface Review {
  id: string;
  kind: ReviewKind;
  developerId: string;
  appId: string | null;
  status: Database['reviews']['status'];
  request: Record<string, unknown>;
  reason: string | null;
  reviewer: string | null;
  createdAt: string;
  decidedAt: string | null;
}

export interface UsagePlanOverride {
  appId: string;
  operation: string;
  rate: number;
  burst: number;
}

function toReview(r: Database['reviews']): Review {
  return {
    id: r.id,
    kind: r.kind,
    developerId: r.developer_id,
    appId: r.app_id,
    status: r.status,
    request: JSON.parse(r.request) as Record<string, unknown>,
    reason: r.reason,
    reviewer: r.reviewer,
    createdAt: new Date(Number(r.created_at)).toISOString(),
    decidedAt: r.decided_at === null ? null : new Date(Number(r.decided_at)).toISOString(),
  };
}

function checkFields(fields: readonly string[]): PrivilegedField[] {
  const bad = fields.filter((f) => !(PRIVILEGED_FIELDS as readonly string[]).includes(f));
  if (bad.length) throw validation(`Unknown privileged field(s): ${bad.join(', ')}.`, `Known: ${PRIVILEGED_FIELDS.join(', ')}.`);
  if (fields.length === 0) throw validation('Name at least one privileged field.');
  return [...new Set(fields)] as PrivilegedField[];
}

function checkPlan(rate: number, burst: number): void {
  if (!(rate > 0) || rate > 10000) throw validation('rate must be a number of requests per second above 0 and at most 10000.');
  if (!Number.isInteger(burst) || burst < 1 || burst > 100000) throw validation('burst must be a whole number from 1 to 100000.');
}

/** The operator's review queue (profiles, role requests, listings, TPS and privileged-field requests), usage plans and grants. */
export class ReviewsService {
  constructor(
    private readonly ctx: AppContext,
    private readonly developers: DevelopersService,
    private readonly apps: AppsService,
  ) {}

  private emit(event: { kind: 'usage_plan' | 'privileged_fields' | 'app'; appId: string }): void {
    const type = event.kind === 'usage_plan' ? 'usage_plan.changed' : event.kind === 'app' ? 'app.changed' : 'privileged_fields.changed';
    this.ctx.events.emit({ type, appId: event.appId });
  }

  async list(filter: { status?: string; kind?: string; developerId?: string; appId?: string } = {}): Promise<Review[]> {
    let q = this.ctx.db.kysely.selectFrom('reviews').selectAll();
    if (filter.status) q = q.where('status', '=', filter.status as Review['status']);
    if (filter.kind) q = q.where('kind', '=', filter.kind as ReviewKind);
    if (filter.developerId) q = q.where('developer_id', '=', filter.developerId);
    if (filter.appId) q = q.where('app_id', '=', filter.appId);
    return (await q.orderBy('created_at').orderBy('id').execute()).map(toReview);
  }

  async get(id: string): Promise<Review> {
    const r = await this.ctx.db.kysely.selectFrom('reviews').selectAll().where('id', '=', id).executeTakeFirst();
    if (!r) throw notFound(`Review ${id}`);
    return toReview(r);
  }

  /** Approves or denies a pending review; a denial needs a reason. */
  async decide(reviewer: string, id: string, approve: boolean, reason: string | null): Promise<Review> {
    const review = await this.get(id);
    if (!approve && !reason?.trim()) throw validation('A denial needs a reason the developer can act on.');
    const now = this.ctx.clock.now();
    await this.ctx.db.transaction(async (trx) => {
      const changed = await trx
        .updateTable('reviews')
        .set({ status: approve ? 'approved' : 'denied', reason: reason?.trim() || null, reviewer, decided_at: now })
        .where('id', '=', id)
        .where('status', '=', 'pending')
        .executeTakeFirst();
      if (Number(changed.numUpdatedRows) === 0) throw new AppError('InvalidState', `Review ${id} is ${review.status} already.`);
      const req = review.request;
      const roles = normalizeRoles(Array.isArray(req.roles) ? (req.roles as string[]) : []).roles;
      switch (review.kind) {
        case 'profile':
        case 'role_request':
          await this.developers.applyProfileDecision(trx, review.developerId, review.kind, approve, reason?.trim() || null, roles);
          break;
        case 'listing':
          if (review.appId) await this.apps.applyListingDecision(trx, review.appId, approve, roles);
          break;
        case 'tps':
          if (approve && review.appId) {
            await this.upsertPlan(trx, review.appId, String(req.operation), Number(req.rate), Number(req.burst));
          }
          break;
        case 'privileged_fields':
          if (approve && review.appId) await this.insertGrants(trx, review.appId, checkFields(req.fields as string[]));
          break;
      }
      await this.ctx.audit.record(trx, {
        actor: reviewer,
        action: `review.${approve ? 'approve' : 'deny'}`,
        subjectType: 'review',
        subjectId: id,
        before: { status: 'pending' },
        after: { status: approve ? 'approved' : 'denied', kind: review.kind, reason },
      });
    });
    if (review.appId && (review.kind === 'tps' || review.kind === 'privileged_fields' || review.kind === 'listing')) {
      this.emit({
        kind: review.kind === 'tps' ? 'usage_plan' : review.kind === 'listing' ? 'app' : 'privileged_fields',
        appId: review.appId,
      });
    }
    return this.get(id);
  }

  /** A developer asks for a higher rate and burst on one operation of one of their apps. */
  async requestTps(
    developerId: string,
    appId: string,
    input: { operation: string; rate: number; burst: number; reason: string },
  ): Promise<Review> {
    await this.apps.getOwned(developerId, appId);
    checkPlan(input.rate, input.burst);
    if (!input.operation.trim()) throw validation('Name the operation.');
    return this.openReview(developerId, appId, 'tps', {
      operation: input.operation,
      rate: input.rate,
      burst: input.burst,
      reason: input.reason,
    });
  }

  async requestPrivilegedFields(developerId: string, appId: string, input: { fields: string[]; reason: string }): Promise<Review> {
    await this.apps.getOwned(developerId, appId);
    return this.openReview(developerId, appId, 'privileged_fields', { fields: checkFields(input.fields), reason: input.reason });
  }

  private async openReview(developerId: string, appId: string, kind: ReviewKind, request: Record<string, unknown>): Promise<Review> {
    const id = await this.ctx.db.transaction(async (trx) => {
      const opened = await insertPendingReview(trx, this.ctx.clock.now(), { kind, developerId, appId, request });
      await this.ctx.audit.record(trx, {
        actor: `developer:${developerId}`,
        action: `review.open.${kind}`,
        subjectType: 'app',
        subjectId: appId,
        after: request,
      });
      return opened;
    });
    return this.get(id);
  }

  private async upsertPlan(
    trx: Parameters<Parameters<AppContext['db']['transaction']>[0]>[0],
    appId: string,
    operation: string,
    rate: number,
    burst: number,
  ): Promise<void> {
    await trx
      .insertInto('usage_plan_overrides')
      .values({ app_id: appId, operation, rate, burst, updated_at: this.ctx.clock.now() })
      .onConflict((oc) => oc.columns(['app_id', 'operation']).doUpdateSet({ rate, burst, updated_at: this.ctx.clock.now() }))
      .execute();
  }

  private async insertGrants(
    trx: Parameters<Parameters<AppContext['db']['transaction']>[0]>[0],
    appId: string,
    fields: PrivilegedField[],
  ): Promise<void> {
    for (const field of fields) {
      await trx
        .insertInto('privileged_grants')
        .values({ app_id: appId, field, granted_at: this.ctx.clock.now() })
        .onConflict((oc) => oc.columns(['app_id', 'field']).doNothing())
        .execute();
    }
  }

  /** The operator sets an app's rate and burst for an operation directly (the FAQ's TPS increase). */
  async setUsagePlan(actor: string, appId: string, operation: string, rate: number, burst: number): Promise<UsagePlanOverride> {
    await this.apps.get(appId);
    checkPlan(rate, burst);
    await this.ctx.db.transaction(async (trx) => {
      await this.upsertPlan(trx, appId, operation, rate, burst);
      await this.ctx.audit.record(trx, {
        actor,
        action: 'usage_plan.set',
        subjectType: 'app',
        subjectId: appId,
        after: { operation, rate, burst },
      });
    });
    this.emit({ kind: 'usage_plan', appId });
    return { appId, operation, rate, burst };
  }

  async removeUsagePlan(actor: string, appId: string, operation: string): Promise<void> {
    await this.ctx.db.transaction(async (trx) => {
      await trx.deleteFrom('usage_plan_overrides').where('app_id', '=', appId).where('operation', '=', operation).execute();
      await this.ctx.audit.record(trx, { actor, action: 'usage_plan.remove', subjectType: 'app', subjectId: appId, before: { operation } });
    });
    this.emit({ kind: 'usage_plan', appId });
  }

  async usagePlans(appId: string): Promise<UsagePlanOverride[]> {
    const rows = await this.ctx.db.kysely
      .selectFrom('usage_plan_overrides')
      .selectAll()
      .where('app_id', '=', appId)
      .orderBy('operation')
      .execute();
    return rows.map((r) => ({ appId: r.app_id, operation: r.operation, rate: Number(r.rate), burst: Number(r.burst) }));
  }

  async grantPrivilegedFields(actor: string, appId: string, fields: string[]): Promise<PrivilegedField[]> {
    await this.apps.get(appId);
    const ok = checkFields(fields);
    await this.ctx.db.transaction(async (trx) => {
      await this.insertGrants(trx, appId, ok);
      await this.ctx.audit.record(trx, {
        actor,
        action: 'privileged_fields.grant',
        subjectType: 'app',
        subjectId: appId,
        after: { fields: ok },
      });
    });
    this.emit({ kind: 'privileged_fields', appId });
    return this.privilegedFields(appId);
  }

  async revokePrivilegedFields(actor: string, appId: string, fields: string[]): Promise<PrivilegedField[]> {
    const ok = checkFields(fields);
    await this.ctx.db.transaction(async (trx) => {
      await trx.deleteFrom('privileged_grants').where('app_id', '=', appId).where('field', 'in', ok).execute();
      await this.ctx.audit.record(trx, {
        actor,
        action: 'privileged_fields.revoke',
        subjectType: 'app',
        subjectId: appId,
        before: { fields: ok },
      });
    });
    this.emit({ kind: 'privileged_fields', appId });
    return this.privilegedFields(appId);
  }

  async privilegedFields(appId: string): Promise<PrivilegedField[]> {
    const rows = await this.ctx.db.kysely
      .selectFrom('privileged_grants')
      .select('field')
      .where('app_id', '=', appId)
      .orderBy('field')
      .execute();
    return rows.map((r) => r.field as PrivilegedField);
  }
}

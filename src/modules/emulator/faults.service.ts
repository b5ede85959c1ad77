import type { AppContext } from '../../app-context.ts';
import type { Services } from '../../services.ts';
import { AppError, validation } from '../../kernel/errors.ts';
import { newId } from '../../kernel/ids.ts';
import { findOperation } from '../registry/index.ts';
import type { FaultInjector, InjectedFault } from '../gateway/index.ts';
import {
  isFaultStatus,
  MAX_FAULT_LATENCY_MS,
  MAX_FAULT_RULES,
  percentageHits,
  ruleLive,
  ruleMatches,
  type FaultRule,
  type FaultTarget,
} from './domain/faults.ts';
import { countRules, deleteRules, insertRule, listRules, takeOne } from './faults.repository.ts';
import { bumpFaultsVersion } from './state.repository.ts';

/** A new rule as the admin API and the CLI give it; every filter is optional (= any). */
export interface FaultInput {
  operation?: string;
  /** An app id (`app_…`) or its applicationId (`amzn1.sp.solution.…`). */
  appId?: string;
  businessId?: string;
  status?: number;
  latencyMs?: number;
  /** Fault the next N matching calls, then stop; without it the rule lasts until removed. */
  count?: number;
  /** Fault this share (1..100) of the matching calls. */
  percentage?: number;
  note?: string;
}

/** A rule as the admin API shows it. */
export interface FaultView {
  id: string;
  operation: string | null;
  appId: string | null;
  businessId: string | null;
  status: number | null;
  latencyMs: number;
  remaining: number | null;
  percentage: number;
  note: string | null;
  active: boolean;
  createdAt: string;
}

export const faultView = (r: FaultRule): FaultView => ({
  id: r.id,
  operation: r.operation,
  appId: r.appId,
  businessId: r.businessId,
  status: r.status,
  latencyMs: r.latencyMs,
  remaining: r.remaining,
  percentage: r.percentage,
  note: r.note,
  active: ruleLive(r),
  createdAt: new Date(r.createdAt).toISOString(),
});

/**
 * Fault rules: stored in the database (shared by every process), held in memory for the gateway's
 * hot path, reloaded when a `faults.changed` event or the state poll says they changed. A counted
 * rule is decremented in the database by a conditional UPDATE, so it faults exactly N calls.
 */
export class FaultService implements FaultInjector {
  private rules: FaultRule[] = [];

  constructor(
    private readonly ctx: AppContext,
    private readonly services: Services,
    private readonly draw: () => number = Math.random,
  ) {}

  /** Reloads the rules from the database. */
  async reload(): Promise<void> {
    this.rules = await listRules(this.ctx.db.kysely);
  }

  async list(): Promise<FaultView[]> {
    return (await listRules(this.ctx.db.kysely)).map(faultView);
  }

  async create(actor: string, input: FaultInput): Promise<FaultView> {
    const rule = await this.validate(input);
    await this.ctx.db.transaction(async (trx) => {
      if ((await countRules(trx)) >= MAX_FAULT_RULES)
        throw new AppError('LimitExceeded', `At most ${MAX_FAULT_RULES} fault rules can exist; remove some first.`);
      await insertRule(trx, rule);
      await bumpFaultsVersion(trx, rule.createdAt);
      await this.ctx.audit.record(trx, {
        actor,
        action: 'emulator.fault.create',
        subjectType: 'fault',
        subjectId: rule.id,
        after: faultView(rule),
      });
    });
    await this.changed();
    return faultView(rule);
  }

  /** Removes one rule, or every rule when id is null; returns how many went. */
  async remove(actor: string, id: string | null): Promise<number> {
    const removed = await this.ctx.db.transaction(async (trx) => {
      const n = await deleteRules(trx, id);
      if (n > 0) {
        await bumpFaultsVersion(trx, this.ctx.clock.now());
        await this.ctx.audit.record(trx, {
          actor,
          action: 'emulator.fault.remove',
          subjectType: 'fault',
          subjectId: id ?? '*',
          after: { removed: n },
        });
      }
      return n;
    });
    if (id !== null && removed === 0) throw new AppError('NotFound', `Fault rule ${id} was not found.`);
    if (removed > 0) await this.changed();
    return removed;
  }

  /** The gateway's question, after authentication: does a rule fault this call? */
  async pick(call: FaultTarget): Promise<InjectedFault | null> {
    for (const rule of this.rules) {
      if (!ruleLive(rule) || !ruleMatches(rule, call) || !percentageHits(rule.percentage, this.draw())) continue;
      if (rule.remaining !== null) {
        if (!(await takeOne(this.ctx.db.kysely, rule.id))) {
          rule.remaining = 0; // another process took the last ones
          continue;
        }
        rule.remaining -= 1;
      }
      return { ruleId: rule.id, status: rule.status, latencyMs: rule.latencyMs };
    }
    return null;
  }

  private async changed(): Promise<void> {
    await this.reload();
    this.ctx.events.emit({ type: 'faults.changed' });
  }

  private async validate(input: FaultInput): Promise<FaultRule> {
    const status = input.status ?? null;
    if (status !== null && !isFaultStatus(status)) throw validation('status must be one of 429, 500, 503 or 504.');
    const latencyMs = input.latencyMs ?? 0;
    if (!Number.isInteger(latencyMs) || latencyMs < 0 || latencyMs > MAX_FAULT_LATENCY_MS)
      throw validation(`latencyMs must be a whole number from 0 to ${MAX_FAULT_LATENCY_MS}.`);
    if (status === null && latencyMs === 0) throw validation('A fault rule needs a status, a latency, or both.');
    if (input.count !== undefined && (!Number.isInteger(input.count) || input.count < 1))
      throw validation('count must be a whole number of at least 1.');
    const percentage = input.percentage ?? 100;
    if (!Number.isInteger(percentage) || percentage < 1 || percentage > 100)
      throw validation('percentage must be a whole number from 1 to 100.');
    if (input.operation !== undefined && !findOperation(input.operation))
      throw validation(
        `Unknown operation "${input.operation}".`,
        'Use an operationId from docs/operations.md, e.g. searchProductsRequest.',
      );
    let appId: string | null = null;
    if (input.appId !== undefined) {
      const app = input.appId.startsWith('amzn1.')
        ? await this.services.apps.findByApplicationId(input.appId)
        : await this.services.apps.get(input.appId).catch(() => null);
      if (!app) throw new AppError('NotFound', `App ${input.appId} was not found.`);
      appId = app.id;
    }
    if (input.businessId !== undefined) await this.services.accounts.getBusiness(input.businessId);
    return {
      id: newId('flt'),
      operation: input.operation ?? null,
      appId,
      businessId: input.businessId ?? null,
      status,
      latencyMs,
      remaining: input.count ?? null,
      percentage,
      note: input.note ?? null,
      createdAt: this.ctx.clock.now(),
    };
  }
}

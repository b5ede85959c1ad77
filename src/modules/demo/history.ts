import { createHash } from 'node:crypto';
import type { AppContext } from '../../app-context.ts';
import type { Services } from '../../services.ts';
import { AppError } from '../../kernel/errors.ts';
import { Prng } from '../catalog/index.ts';
import type { HistoricalOrder, LineRequest, OrderRequest } from '../purchasing/index.ts';
import { DEMO } from './demo.ts';

/**
 * A generated order history: orders placed in the past by a business's buyers, through the
 * purchasing module's own rules (the same offers, prices, delivery promises, split shipments and
 * seller cancellations as live orders), with approvals, declines and returns. The same seed gives
 * the same orders, ids and invoice numbers; running it again adds nothing.
 */

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** What to generate. */
export interface HistoryOptions {
  /** How many orders. */
  readonly orders: number;
  /** Over how many days before the clock's now. */
  readonly days: number;
  /** Orders of different seeds never collide (external ids carry the seed). */
  readonly seed: string;
  /** The business (the demo business by default). */
  readonly businessId?: string;
  readonly onProgress?: (done: number, total: number) => void;
}

/** The demo world's own history: about five months of a small business's buying. */
export const DEMO_HISTORY: Pick<HistoryOptions, 'orders' | 'days' | 'seed'> = { orders: 150, days: 120, seed: 'demo' };

/** The most orders one run generates. */
export const MAX_HISTORY_ORDERS = 1_000_000;

const RETURN_REASONS = ['Arrived damaged', 'No longer needed', 'Wrong size', 'Ordered by mistake', 'Better price elsewhere'];
const COST_CENTERS = ['CC-100 Engineering', 'CC-200 Facilities', 'CC-300 Operations', 'CC-400 Research'];

/** Generates the history; answers how many orders were placed and skipped (already there, or nothing could be bought). */
export async function generateHistory(
  ctx: AppContext,
  services: Services,
  options: HistoryOptions,
): Promise<{ placed: number; skipped: number; seconds: number }> {
  const started = Date.now();
  if (!Number.isInteger(options.orders) || options.orders < 1 || options.orders > MAX_HISTORY_ORDERS)
    throw new AppError('ValidationError', `The number of orders is a whole number from 1 to ${MAX_HISTORY_ORDERS}.`);
  if (!Number.isInteger(options.days) || options.days < 1 || options.days > 366)
    throw new AppError('ValidationError', 'The history covers 1 to 366 days.');
  const businessId = options.businessId ?? DEMO.businessId;
  const business = await services.accounts.getBusiness(businessId);
  const region = business.marketplaces[0];
  if (!region) throw new AppError('ValidationError', `Business ${businessId} buys in no store.`);
  const groups = (await services.accounts.listGroups(businessId)).filter(
    (g) => g.paymentMethod !== null && g.shippingAddress !== null && !g.testMode,
  );
  if (groups.length === 0)
    throw new AppError(
      'ValidationError',
      `No group of business ${businessId} can order (each needs a payment method and a shipping address).`,
    );
  const users = (await services.accounts.listUsers(businessId)).filter((u) => u.status === 'active' && !u.maceHold);
  const admin = users.find((u) => u.role === 'Administrator');
  const buyersOf = new Map(groups.map((g) => [g.id, users.filter((u) => u.groupIds.includes(g.id))]));
  const ordering = groups.filter((g) => (buyersOf.get(g.id) ?? []).length > 0);
  if (ordering.length === 0)
    throw new AppError('ValidationError', `No active user of business ${businessId} is in a group that can order.`);
  const asins = await services.catalog.asinsInRegion(region, 500);
  if (asins.length === 0) throw new AppError('ValidationError', `The catalog has no products in the ${region} store.`);

  const now = ctx.clock.now();
  const span = options.days * DAY;
  const rng = new Prng(`history|${options.seed}|${businessId}`);
  const entries: HistoricalOrder[] = [];
  for (let i = 0; i < options.orders; i++) {
    const group = rng.pick(ordering);
    const buyer = rng.pick(buyersOf.get(group.id)!);
    // Spread over the span, oldest first, in working hours.
    const day = Math.floor(((i + rng.next()) / options.orders) * options.days);
    const placedAt = Math.min(now - HOUR, now - span + day * DAY + rng.int(13, 22) * HOUR + rng.int(0, 59) * 60_000);
    const lines: LineRequest[] = rng
      .shuffle(asins)
      .slice(0, rng.int(1, 4))
      .map((asin, k) => ({
        externalId: String(k + 1),
        quantity: rng.chance(0.7) ? rng.int(1, 3) : rng.int(4, 12),
        asin,
        offerId: null,
        shipTo: null,
        expectedUnitMinor: null,
        expectedCharges: [],
      }));
    const externalId = `history-${options.seed}-${String(i + 1).padStart(6, '0')}`;
    const extras = rng.chance(0.6) ? { auxiliary: { 'Cost center': { value: rng.pick(COST_CENTERS) } } } : {};
    const request: OrderRequest = {
      externalId,
      requestHash: createHash('sha256')
        .update(`${externalId}|${JSON.stringify(lines)}`)
        .digest('hex'),
      region,
      trial: false,
      purchaseOrderNumber: rng.chance(0.35)
        ? `PO-${new Date(placedAt).getUTCFullYear()}-${String(1000 + Math.floor(i / 3)).padStart(5, '0')}`
        : null,
      blanketPurchaseOrder: false,
      shipPreference: rng.chance(0.1) ? 'CONSOLIDATED' : 'FAST_FREE',
      priceSuppressed: false,
      billingAddress: null,
      extras,
      lines,
    };
    const roll = rng.next();
    const by = admin ? `business_user:${admin.id}` : 'system:history';
    const decision: HistoricalOrder['decision'] =
      roll < 0.85 ? { approveAfterMs: rng.int(2, 30) * HOUR, by } : roll < 0.95 ? { declineAfterMs: rng.int(2, 48) * HOUR, by } : undefined;
    const returns = rng.chance(0.06)
      ? [{ lineExternalId: '1', quantity: 1, afterDeliveryMs: rng.int(1, 14) * DAY, reason: rng.pick(RETURN_REASONS) }]
      : [];
    entries.push({
      orderer: { businessId, appId: null, userId: buyer.id, email: buyer.email, group },
      request,
      placedAt,
      ...(decision ? { decision } : {}),
      returns,
    });
  }
  const result = await services.purchasing.placeHistory('system:history', entries, options.onProgress);
  return { ...result, seconds: (Date.now() - started) / 1000 };
}

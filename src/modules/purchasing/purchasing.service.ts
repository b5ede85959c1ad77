import type { AppContext } from '../../app-context.ts';
import { AppError, notFound, validation } from '../../kernel/errors.ts';
import { newId, seededHex } from '../../kernel/ids.ts';
import type { TransitionOverrides } from '../../kernel/lifecycle.ts';
import type { AccountsService, Group, PostalAddress } from '../accounts/index.ts';
import type { AuditEntry } from '../audit/index.ts';
import {
  canonicalOfferId,
  currencyExponent,
  estimateDelivery,
  marketFacts,
  shippingCostFor,
  taxExclusiveMinor,
  unitPriceFor,
  type CatalogService,
  type OfferView,
  type ProductRecord,
  type Shopper,
} from '../catalog/index.ts';
import type { TransitionService } from '../emulator/index.ts';
import {
  decideLine,
  type ChargeSource,
  type LineDecision,
  type LinePrice,
  type OfferFacts,
  type OfferMiss,
  type RejectedPortion,
} from './domain/lines.ts';
import { DELAY_RATE, planOrder, SELLER_CANCEL_RATE, type ShipPreference } from './domain/plan.ts';
import { nextMilestone, orderAt, type OrderFacts, type OrderNow } from './domain/status.ts';
import { trackingAt, type Tracking } from './domain/tracking.ts';
import {
  documentNumber,
  invoicesAt,
  shipmentLines,
  transactionsAt,
  type Invoice,
  type InvoiceLine,
  type ReturnFacts,
  type Transaction,
} from './domain/finance.ts';
import * as repo from './purchasing.repository.ts';
import type { PurchasingReturnsTable } from './purchasing.tables.ts';
import type { Insertable } from 'kysely';
import { GroupCommit } from '../../platform/db/group-commit.ts';

/** Orders whose rows a process keeps for reads. */
const MAX_CACHED_ORDERS = 10_000;

/** The resource kind of orders and their shipments in the emulator's transition overrides. */
export const ORDER_KIND = 'order';

/** Where a line ships: a physical address, and the buyer's id for it when sent as an ExternalAddress. */
export interface ShipTo {
  readonly address: PostalAddress;
  readonly addressId: string | null;
}

/** One line of an order request, order-level attributes and expectations already applied. */
export interface LineRequest {
  readonly externalId: string;
  readonly quantity: number;
  readonly asin: string | null;
  readonly offerId: string | null;
  readonly shipTo: ShipTo | null;
  readonly expectedUnitMinor: number | null;
  readonly expectedCharges: readonly { readonly source: ChargeSource; readonly boundaryMinor: number }[];
}

/** An order request as the purchasing module takes it (the wire layer has parsed and checked its shape). */
export interface OrderRequest {
  readonly externalId: string;
  /** A digest of the canonical request: the same request replayed has the same one. */
  readonly requestHash: string;
  /** Marketplace code (US, DE, …). */
  readonly region: string;
  readonly trial: boolean;
  readonly purchaseOrderNumber: string | null;
  readonly blanketPurchaseOrder: boolean;
  readonly shipPreference: ShipPreference;
  readonly priceSuppressed: boolean;
  readonly billingAddress: PostalAddress | null;
  /** Auxiliary values and cost distributions, kept as sent. */
  readonly extras: Readonly<Record<string, unknown>>;
  readonly lines: readonly LineRequest[];
}

/** Who places the order: the buyer, resolved and authorized by the caller, and the group it buys for. */
export interface Orderer {
  readonly businessId: string;
  readonly appId: string | null;
  readonly userId: string;
  readonly email: string;
  readonly group: Group;
}

/** One line as placed: what was asked, what was accepted at which price, what was rejected and why. */
export interface PlacedLine {
  readonly lineNo: number;
  readonly externalId: string;
  readonly asin: string | null;
  readonly offerId: string | null;
  readonly title: string | null;
  readonly merchantId: string | null;
  readonly requested: number;
  readonly accepted: number;
  readonly price: LinePrice;
  readonly deliveryFrom: string | null;
  readonly deliveryTo: string | null;
  readonly rejected: readonly RejectedPortion[];
}

/** A line as priced by `quote` (and placing): also the offer's price for the whole requested quantity, when there is an offer. */
export interface QuotedLine extends PlacedLine {
  readonly offered: LinePrice | null;
}

/** Lines priced for a buyer, without placing anything. */
export interface Quote {
  readonly currency: string;
  readonly lines: readonly QuotedLine[];
}

/** What placing an order gave. */
export interface Placement {
  /** A trial: the whole pipeline ran and nothing was kept. */
  readonly trial: boolean;
  /** The same request was placed before: this is its stored answer. */
  readonly replayed: boolean;
  readonly currency: string;
  readonly lines: readonly PlacedLine[];
  /** The order placed, when at least one line was accepted and it was not a trial (orderDetails or `get` read it as it stands). */
  readonly order: { readonly id: string; readonly orderIdentifier: string } | null;
}

/** A shipment (one package) of an order as it stands. */
export interface ShipmentView {
  readonly id: string;
  readonly position: number;
  readonly identifier: string;
  readonly packageId: string;
  readonly carrier: string;
  readonly trackingNumber: string;
  readonly items: readonly { readonly lineNo: number; readonly quantity: number }[];
  readonly windowFrom: string;
  readonly windowTo: string;
  readonly live: boolean;
  readonly shippedAt: number | null;
  /** When it ships or is planned to (null while the order awaits approval or confirmation, or when it never ships). */
  readonly plannedShipAt: number | null;
  readonly deliveredAt: number | null;
  readonly plannedDeliveryAt: number | null;
  readonly delayed: boolean;
  /** The number of the invoice it gets when it ships. */
  readonly invoiceNumber: string;
}

/** An order as it stands at the clock's now. */
export interface OrderView {
  readonly id: string;
  readonly businessId: string;
  readonly externalId: string;
  readonly orderIdentifier: string;
  readonly buyerEmail: string;
  readonly groupId: string | null;
  readonly region: string;
  readonly currency: string;
  readonly placedAt: number;
  readonly approvalReason: string | null;
  readonly approvedAt: number | null;
  readonly declinedAt: number | null;
  readonly purchaseOrderNumber: string | null;
  readonly paymentMethod: string;
  readonly shippingAddress: PostalAddress;
  readonly subtotalMinor: number;
  readonly shippingMinor: number;
  readonly taxMinor: number;
  readonly totalMinor: number;
  readonly lines: readonly PlacedLine[];
  /** Accepted quantity the seller cancelled, by line number. */
  readonly cancelled: ReadonlyMap<number, { readonly quantity: number; readonly at: number }>;
  readonly shipments: readonly ShipmentView[];
  /** Returns of delivered items, oldest first. */
  readonly returns: readonly ReturnFacts[];
  readonly status: OrderNow['status'];
  readonly stage: string;
  readonly confirmedAt: number | null;
  /** The instant the order is seen at (the clock's now, or a report's instant). */
  readonly at: number;
  /** The approver's account, when an administrator approved it. */
  readonly approvedBy: string | null;
  /** Auxiliary values sent with the order (cost center, GL code, …), kept as sent. */
  readonly extras: Readonly<Record<string, unknown>>;
}

/** A package of an order with its tracking timeline as it stands now. */
export interface PackageTrackingView {
  readonly order: OrderView;
  readonly shipment: ShipmentView;
  readonly tracking: Tracking;
}

/** Sales tax added on top of shelf prices where prices are shown before tax (elsewhere the shelf price includes VAT/GST). */
export const ADDED_SALES_TAX: Readonly<Record<string, number>> = { US: 0.0725, CA: 0.13 };

/** What the buyer pays: tax is added where shelf prices exclude it, and only shown where they include it. */
export const totalOf = (region: string, subtotal: number, shipping: number, tax: number): number =>
  subtotal + shipping + (ADDED_SALES_TAX[region] ? tax : 0);

/** The flat surcharge of EXPEDITED_PAID delivery per line, in major units of the store's currency. */
export const EXPEDITE_FEE: Readonly<Record<string, number>> = {
  USD: 9.99,
  CAD: 12.99,
  MXN: 199,
  GBP: 7.99,
  EUR: 8.99,
  INR: 799,
  JPY: 1000,
  AUD: 14.99,
};

const ISO_COUNTRY: Readonly<Record<string, string>> = { UK: 'GB' };
/** The ISO 3166 country of a store (the UK store is GB). */
export const storeCountry = (region: string): string => ISO_COUNTRY[region] ?? region;

const invalid = (message: string, details = ''): AppError => new AppError('InvalidInput', message, details);

const parseLines = (json: string): PlacedLine[] => JSON.parse(json) as PlacedLine[];

/**
 * Orders: placing them (trial or real, idempotent per external id), reading them as they stand on
 * the virtual clock, approving them, and the emulator's levers on their lifecycle. The one source
 * of truth that every API and page reads orders from.
 */
export class PurchasingService {
  // What a read of an order needs besides the clock (its rows and the emulator's overrides), by order
  // id, and the id by business and external id. An order's rows change only through this service's
  // levers and overrides only through the TransitionService; both emit an event, which drops the
  // cache here and, through the shared cache version, in every other process.
  private readonly cache = new Map<string, { parts: repo.OrderRows; overrides: ReadonlyMap<string, TransitionOverrides<string>> }>();
  private readonly byExternalId = new Map<string, string>();
  private readonly writer: GroupCommit;

  constructor(
    private readonly ctx: AppContext,
    private readonly deps: { catalog: CatalogService; accounts: AccountsService; transitions: TransitionService },
  ) {
    this.writer = new GroupCommit(ctx.db);
    ctx.events.on((e) => {
      if (e.type === 'orders.changed' || e.type === 'transitions.changed' || e.type === 'world.replaced' || e.type === 'caches.stale') {
        this.cache.clear();
        this.byExternalId.clear();
      }
    });
  }

  /** How often the seller cancels a line and a package runs late (never with ORDER_SURPRISES=false). */
  private get rates(): { cancel: number; delay: number } {
    return this.ctx.config.orderSurprises ? { cancel: SELLER_CANCEL_RATE, delay: DELAY_RATE } : { cancel: 0, delay: 0 };
  }

  private get db() {
    return this.ctx.db.kysely;
  }

  /**
   * Places an order. Rules: the store is one of the business's; the group has a payment method;
   * every line ships inside the store's country; each line is decided by `decideLine`. A trial (the
   * request's or the group's test mode) runs the same pipeline and keeps nothing. An order with no
   * accepted line is not kept either. A request replayed under its external id gets the stored
   * answer; another request under a used id is refused.
   */
  async place(orderer: Orderer, request: OrderRequest): Promise<Placement> {
    try {
      return await this.placeOnce(orderer, request);
    } catch (err) {
      // A request placed before answers its stored result even if a rule would refuse it now (the
      // group lost its payment method, the business left the store): a replay never changes.
      if (!(err instanceof AppError) || request.trial || orderer.group.testMode) throw err;
      const existing = await repo.findByExternalId(this.db, orderer.businessId, request.externalId);
      if (existing?.request_hash === request.requestHash) return this.replay(existing, request.requestHash);
      throw err;
    }
  }

  private async placeOnce(orderer: Orderer, request: OrderRequest): Promise<Placement> {
    const prepared = await this.prepare(orderer, request, this.ctx.clock.now());
    if ('answer' in prepared) return prepared.answer;
    const { rows, placement, audit } = prepared;
    // Concurrent orders share a commit (group commit); each is acknowledged once it is committed.
    const inserted = await this.writer.submit(async (trx) => {
      const ok = await repo.insertOrder(trx, rows);
      if (ok) await this.ctx.audit.record(trx, audit);
      return ok;
    });
    if (inserted) return placement;
    // Another request under the same id won the race: answer as a replay of it.
    const row = await repo.findByExternalId(this.db, orderer.businessId, request.externalId);
    if (!row) throw new Error(`order ${request.externalId} was neither written nor found`);
    return this.replay(row, request.requestHash);
  }

  /**
   * Everything placing an order decides, as of `now`, without writing: either the answer at once
   * (a trial, nothing accepted, a replay) or the rows to write, the answer once they are written,
   * and the audit entry. Live orders are placed at the clock's now; the order history is placed at
   * instants in the past through the same rules.
   */
  private async prepare(
    orderer: Orderer,
    request: OrderRequest,
    now: number,
    idSeed: string | null = null,
    rates: { cancel: number; delay: number } = this.rates,
  ): Promise<{ answer: Placement } | { rows: repo.OrderInsert; placement: Placement; audit: AuditEntry }> {
    const trial = request.trial || orderer.group.testMode;
    const facts = marketFacts(request.region);
    if (!facts) throw invalid(`Unknown region ${request.region}.`);
    const business = await this.deps.accounts.businessFacts(orderer.businessId);
    if (!business.marketplaces.includes(facts.marketplace.code))
      throw invalid(
        `The business does not buy in the ${facts.marketplace.code} store.`,
        `Its stores are ${business.marketplaces.join(', ')}; send one of them as the Region attribute.`,
      );
    const paymentMethod = orderer.group.paymentMethod;
    if (!paymentMethod)
      throw invalid(
        `The buying group "${orderer.group.groupTag}" has no payment method.`,
        'An administrator sets one under Legal entities & groups, Ordering settings, on the business pages (or PATCH /admin/v1/businesses/{id}/groups/{groupId}).',
      );
    const country = storeCountry(facts.marketplace.code);
    const orderShipTo = request.lines.map(
      (l) => l.shipTo ?? (orderer.group.shippingAddress ? { address: orderer.group.shippingAddress, addressId: null } : null),
    );
    for (const [i, shipTo] of orderShipTo.entries()) {
      if (!shipTo)
        throw invalid(
          `Line ${request.lines[i]!.externalId} has no shipping address.`,
          'Send a ShippingAddress attribute at order or line level, or set a default address for the group.',
        );
      if (shipTo.address.countryCode !== country)
        throw invalid(
          `The ${facts.marketplace.code} store ships to ${country} only; line ${request.lines[i]!.externalId} ships to ${shipTo.address.countryCode}.`,
        );
    }

    const currency = facts.marketplace.currency;
    const priced = await this.priceLines(
      orderer.businessId,
      facts,
      business.policies,
      request.lines,
      orderShipTo,
      request.shipPreference,
      now,
    );
    const decisions = priced.decisions;
    // What is kept and answered of a placed line (the offer's price for refused quantities is the quote's only).
    const lines: PlacedLine[] = priced.lines.map((l) => {
      const { offered, ...placed } = l;
      void offered;
      return placed;
    });

    const accepted = lines.filter((l) => l.accepted > 0);
    if (trial) return { answer: { trial, replayed: false, currency, lines, order: null } };
    if (accepted.length === 0) {
      // Nothing to write, so the unique index cannot say whether the id was used: ask.
      const existing = await repo.findByExternalId(this.db, orderer.businessId, request.externalId);
      return { answer: existing ? this.replay(existing, request.requestHash) : { trial, replayed: false, currency, lines, order: null } };
    }

    const totals = {
      subtotal: accepted.reduce((s, l) => s + l.price.subtotalMinor, 0),
      shipping: accepted.reduce((s, l) => s + l.price.shippingMinor, 0),
      tax: accepted.reduce((s, l) => s + l.price.taxMinor, 0),
    };
    const total = totalOf(facts.marketplace.code, totals.subtotal, totals.shipping, totals.tax);
    const limit = orderer.group.approvalLimitMinor;
    const approvalReason =
      decisions.find((d) => d.approvalReason !== null)?.approvalReason ??
      (limit !== null && total > limit ? `the order total is above the group's approval limit` : null);

    const seed = `${orderer.businessId}|${request.externalId}`;
    const plan = planOrder(
      seed,
      now,
      facts.marketplace.region,
      accepted.map((l) => ({
        lineNo: l.lineNo,
        merchantId: l.merchantId ?? '',
        quantity: l.accepted,
        deliveryFrom: l.deliveryFrom!,
        deliveryTo: l.deliveryTo!,
        addressKey: JSON.stringify(orderShipTo[l.lineNo - 1]),
      })),
      request.shipPreference,
      rates,
    );
    // Live orders get random ids; the generated history, ids from its seed (the same history every time).
    const orderId = idSeed === null ? newId('ord') : `ord_${seededHex(`${idSeed}|order`, 16)}`;
    const shipmentIds = plan.shipments.map((_, i) => (idSeed === null ? newId('shp') : `shp_${seededHex(`${idSeed}|shipment|${i}`, 16)}`));
    const orderShipping = orderShipTo.find((s) => s !== null)!;
    return {
      rows: {
        order: {
          id: orderId,
          business_id: orderer.businessId,
          external_id: request.externalId,
          order_identifier: plan.orderIdentifier,
          request_hash: request.requestHash,
          app_id: orderer.appId,
          buyer_user_id: orderer.userId,
          buyer_email: orderer.email,
          group_id: orderer.group.id,
          region: facts.marketplace.code,
          currency,
          placed_at: now,
          approval_reason: approvalReason,
          approved_at: null,
          approved_by: null,
          declined_at: null,
          confirm_after_ms: plan.confirmAfterMs,
          purchase_order_number: request.purchaseOrderNumber,
          blanket_purchase_order: request.blanketPurchaseOrder ? 1 : 0,
          ship_preference: request.shipPreference,
          price_suppressed: request.priceSuppressed ? 1 : 0,
          payment_method: paymentMethod,
          shipping_address: JSON.stringify(orderShipping.address),
          billing_address: request.billingAddress ? JSON.stringify(request.billingAddress) : null,
          extras: JSON.stringify(request.extras),
          subtotal_minor: totals.subtotal,
          shipping_minor: totals.shipping,
          tax_minor: totals.tax,
          result: JSON.stringify(lines),
        },
        lines: lines.map((l) => ({
          order_id: orderId,
          line_no: l.lineNo,
          external_id: l.externalId,
          asin: l.asin,
          offer_id: l.offerId,
          merchant_id: l.merchantId,
          title: l.title,
          quantity_requested: l.requested,
          quantity_accepted: l.accepted,
          unit_price_minor: l.price.unitMinor,
          subtotal_minor: l.price.subtotalMinor,
          shipping_minor: l.price.shippingMinor,
          tax_minor: l.price.taxMinor,
          delivery_from: l.deliveryFrom,
          delivery_to: l.deliveryTo,
          cancel_after_ms: plan.cancellations.get(l.lineNo) ?? null,
          cancelled_at: null,
        })),
        shipments: plan.shipments.map((s, i) => ({
          id: shipmentIds[i]!,
          order_id: orderId,
          position: s.position,
          identifier: s.identifier,
          package_id: s.packageId,
          carrier: s.carrier,
          tracking_number: s.trackingNumber,
          ship_after_ms: s.shipAfterMs,
          deliver_after_ms: s.deliverAfterMs,
          delay_ms: s.delayMs,
          window_from: s.windowFrom,
          window_to: s.windowTo,
          invoice_number: documentNumber(`invoice:${shipmentIds[i]!}`),
        })),
        items: plan.shipments.flatMap((s, i) =>
          s.items.map((it) => ({ shipment_id: shipmentIds[i]!, order_id: orderId, line_no: it.lineNo, quantity: it.quantity })),
        ),
      },
      placement: { trial: false, replayed: false, currency, lines, order: { id: orderId, orderIdentifier: plan.orderIdentifier } },
      audit: {
        actor: `user:${orderer.userId}`,
        action: 'order.place',
        subjectType: 'order',
        subjectId: orderId,
        after: { externalId: request.externalId, orderIdentifier: plan.orderIdentifier, businessId: orderer.businessId, total, currency },
      },
    };
  }

  /**
   * Places orders in the past, through the same rules as live orders (each is prepared as of its
   * own instant: the offers, prices, delivery promises and plan of that moment), then records what
   * happened to them since: an administrator's approval or decline, and returns of delivered
   * items. Written in chunks, each in one transaction with one audit entry; ids come from the
   * orders' seeds, so the same history is the same rows, and orders already there are skipped.
   * Orders whose lines were all refused are skipped too.
   */
  async placeHistory(
    actor: string,
    entries: readonly HistoricalOrder[],
    onProgress: (done: number, total: number) => void = () => undefined,
  ): Promise<{ placed: number; skipped: number }> {
    let [placed, skipped] = [0, 0];
    const now = this.ctx.clock.now();
    for (let i = 0; i < entries.length; i += HISTORY_CHUNK) {
      const chunk = entries.slice(i, i + HISTORY_CHUNK);
      const existing = await repo.existingExternalIds(
        this.db,
        [...new Set(chunk.map((e) => e.orderer.businessId))],
        chunk.map((e) => e.request.externalId),
      );
      const orders: repo.OrderInsert[] = [];
      const returns: Insertable<PurchasingReturnsTable>[] = [];
      // One catalog version check per chunk, not one per order.
      await this.deps.catalog.pinned(async () => {
        for (const e of chunk) {
          if (existing.has(`${e.orderer.businessId}|${e.request.externalId}`) || e.placedAt > now) {
            skipped++;
            continue;
          }
          // The history has its seller cancellations and late packages whatever ORDER_SURPRISES says (it is seeded: the same every time).
          const prepared = await this.prepare(e.orderer, e.request, e.placedAt, `history|${e.orderer.businessId}|${e.request.externalId}`, {
            cancel: SELLER_CANCEL_RATE,
            delay: DELAY_RATE,
          });
          if ('answer' in prepared) {
            skipped++;
            continue;
          }
          const rows = prepared.rows;
          const order = rows.order;
          if (order.approval_reason !== null && e.decision) {
            const at = e.placedAt + ('approveAfterMs' in e.decision ? e.decision.approveAfterMs : e.decision.declineAfterMs);
            if (at <= now) {
              if ('approveAfterMs' in e.decision) rows.order = { ...order, approved_at: at, approved_by: e.decision.by };
              else rows.order = { ...order, declined_at: at, approved_by: e.decision.by };
            }
          }
          orders.push(rows);
          if (e.returns?.length) returns.push(...historicalReturns(rows, e, now));
          placed++;
        }
      });
      if (orders.length)
        await this.ctx.db.transaction(async (trx) => {
          await repo.insertOrders(trx, orders, returns);
          await this.ctx.audit.record(trx, {
            actor,
            action: 'order.history',
            subjectType: 'business',
            subjectId: orders[0]!.order.business_id,
            after: { orders: orders.length, returns: returns.length },
          });
        });
      onProgress(Math.min(i + HISTORY_CHUNK, entries.length), entries.length);
    }
    if (placed) this.ctx.events.emit({ type: 'orders.changed' });
    return { placed, skipped };
  }

  /**
   * Prices lines for a buyer exactly as placing them would (the same offers, rules, prices, shipping
   * and tax), without placing anything: the Cart API's item prices and purchase-cost estimates.
   * A line whose shipping address is null is priced without a destination postal code.
   */
  async quote(
    businessId: string,
    region: string,
    lines: readonly LineRequest[],
    shipPreference: ShipPreference = 'FAST_FREE',
  ): Promise<Quote> {
    const facts = marketFacts(region);
    if (!facts) throw invalid(`Unknown region ${region}.`);
    const business = await this.deps.accounts.businessFacts(businessId);
    const shipTo = lines.map((l) => l.shipTo);
    const priced = await this.priceLines(businessId, facts, business.policies, lines, shipTo, shipPreference, this.ctx.clock.now());
    return { currency: facts.marketplace.currency, lines: priced.lines };
  }

  /** Each line decided against its offer for this buyer: what is accepted at which price, what is rejected and why. */
  private async priceLines(
    businessId: string,
    facts: NonNullable<ReturnType<typeof marketFacts>>,
    policies: Shopper['policies'],
    requested: readonly LineRequest[],
    shipTo: readonly (ShipTo | null)[],
    shipPreference: ShipPreference,
    now: number,
  ): Promise<{ lines: QuotedLine[]; decisions: LineDecision[] }> {
    const lines: QuotedLine[] = [];
    const decisions: LineDecision[] = [];
    const shoppers = requested.map((line, i): Shopper => ({
      region: facts.marketplace.code,
      locale: facts.marketplace.defaultLocale,
      destination: { market: facts.marketplace.code, timeZone: facts.timeZone, postalCode: shipTo[i]?.address.postalCode },
      quantity: line.quantity,
      policies,
      businessId,
      at: now,
    }));
    const offers = await this.offersFor(requested, shoppers, shipPreference, now);
    for (const [i, line] of requested.entries()) {
      const offer = offers[i]!;
      const decision = decideLine(offer, {
        quantity: line.quantity,
        expectedUnitMinor: line.expectedUnitMinor,
        expectedCharges: line.expectedCharges,
      });
      decisions.push(decision);
      const found = 'miss' in offer ? null : offer;
      lines.push({
        lineNo: i + 1,
        externalId: line.externalId,
        asin: found?.asin ?? line.asin,
        offerId: found?.offerId ?? line.offerId,
        title: found?.title ?? null,
        merchantId: found?.merchantId ?? null,
        requested: line.quantity,
        accepted: decision.accepted,
        price: decision.price,
        deliveryFrom: decision.accepted > 0 ? (found?.deliveryFrom ?? null) : null,
        deliveryTo: decision.accepted > 0 ? (found?.deliveryTo ?? null) : null,
        rejected: decision.rejected,
        offered: found ? found.priceFor(line.quantity) : null,
      });
    }
    return { lines, decisions };
  }

  private replay(row: repo.OrderRow, requestHash: string): Placement {
    if (row.request_hash !== requestHash)
      throw invalid(
        `The externalId ${row.external_id} was already used for another order request.`,
        'An externalId is unique per business: resend the same request to get its result again, or use a new externalId.',
      );
    return {
      trial: false,
      replayed: true,
      currency: row.currency,
      lines: parseLines(row.result),
      order: { id: row.id, orderIdentifier: row.order_identifier },
    };
  }

  /**
   * The offer each line orders, evaluated for its shopper, or why there is none. Lines that look up
   * the catalog the same way (by offer or by product, for the same quantity and destination) share
   * one catalog call.
   */
  private async offersFor(
    lines: readonly LineRequest[],
    shoppers: readonly Shopper[],
    preference: ShipPreference,
    now: number,
  ): Promise<(OfferFacts | OfferMiss)[]> {
    const batches = new Map<string, number[]>();
    lines.forEach((line, i) => {
      // A line naming its product is read through the product (the catalog's read cache), its
      // offer looked up among the product's; one naming only an offer is looked up by offer id.
      const kind = line.asin !== null ? 'product' : 'offer';
      const key = `${kind}|${shoppers[i]!.quantity}|${shoppers[i]!.destination.postalCode ?? ''}`;
      batches.set(key, [...(batches.get(key) ?? []), i]);
    });
    const out: (OfferFacts | OfferMiss)[] = [];
    // Lines whose offer is not among its product's offers: looked up by offer id, which tells a
    // missing offer from an offer of another product.
    const byOffer: number[] = [];
    for (const [key, indexes] of batches) {
      const shopper = shoppers[indexes[0]!]!;
      if (key.startsWith('offer|')) {
        byOffer.push(...indexes);
        continue;
      }
      const views = await this.deps.catalog.getProducts(
        indexes.map((i) => lines[i]!.asin ?? ''),
        shopper,
      );
      for (const i of indexes) {
        const line = lines[i]!;
        const asin = line.asin ?? '';
        const p = views.get(asin.toUpperCase());
        if (line.offerId !== null) {
          const wanted = canonicalOfferId(line.offerId);
          const hit = p?.offers.find((o) => o.offer.offerId === wanted);
          if (p && hit) out[i] = this.offerFacts(hit, p.product, shopper, preference, now);
          else byOffer.push(i);
          continue;
        }
        // No offer can sell the whole quantity: the best-ranked one decides what part can be had.
        const best = p ? (p.featured ?? p.offers[0]) : undefined;
        out[i] = !p
          ? { miss: 'product-not-found', asin }
          : !best
            ? { miss: 'no-buying-option', asin }
            : this.offerFacts(best, p.product, shopper, preference, now);
      }
    }
    const offerBatches = new Map<string, number[]>();
    for (const i of byOffer) {
      const key = `${shoppers[i]!.quantity}|${shoppers[i]!.destination.postalCode ?? ''}`;
      offerBatches.set(key, [...(offerBatches.get(key) ?? []), i]);
    }
    for (const indexes of offerBatches.values()) {
      const shopper = shoppers[indexes[0]!]!;
      const hits = await this.deps.catalog.getOffersByIds(
        indexes.map((i) => lines[i]!.offerId!),
        shopper,
      );
      for (const i of indexes) {
        const line = lines[i]!;
        const hit = hits.get(line.offerId!);
        if (!hit) out[i] = { miss: 'offer-not-found', offerId: line.offerId! };
        else if (line.asin !== null && hit.product.asin !== line.asin.toUpperCase())
          out[i] = { miss: 'offer-product-mismatch', asin: line.asin, offerId: line.offerId! };
        else out[i] = this.offerFacts(hit.view, hit.product, shopper, preference, now);
      }
    }
    return out;
  }

  /** An offer as the buyer would order it: its limits, guidance, delivery window and prices for any quantity. */
  private offerFacts(view: OfferView, product: ProductRecord, shopper: Shopper, preference: ShipPreference, now: number): OfferFacts {
    const offer = view.offer;
    const facts = marketFacts(shopper.region)!;
    const expedited = preference === 'EXPEDITED_PAID';
    const window = expedited
      ? estimateDelivery(now, shopper.destination, { minDays: offer.shipping.minDays, maxDays: offer.shipping.minDays })
      : view.delivery;
    const added = ADDED_SALES_TAX[shopper.region] ?? 0;
    const fee = expedited ? Math.round((EXPEDITE_FEE[offer.currency] ?? 9.99) * 10 ** currencyExponent(offer.currency)) : 0;
    const deciding = view.guidance.matched[0];
    return {
      offerId: offer.offerId,
      asin: product.asin,
      title: product.title,
      merchantId: offer.merchantId,
      stock: offer.stock,
      minQuantity: offer.minQuantity ?? null,
      maxQuantity: offer.maxQuantity ?? null,
      restrictions: offer.restrictions ?? [],
      guidance: view.guidance.guidance,
      guidanceRule: deciding ? `${deciding.matchType}: ${deciding.value}` : null,
      deliveryFrom: window.min,
      deliveryTo: window.max,
      priceFor(quantity) {
        const unit = unitPriceFor(offer, quantity).minor;
        const subtotal = unit * quantity;
        const tax = added > 0 ? Math.round(subtotal * added) : subtotal - taxExclusiveMinor(subtotal, facts.includedTaxRate);
        return { unitMinor: unit, subtotalMinor: subtotal, shippingMinor: shippingCostFor(offer, unit, quantity) + fee, taxMinor: tax };
      },
    };
  }

  /** The order a business placed under an external id, as it stands now; null when there is none. */
  async findByExternalId(businessId: string, externalId: string): Promise<OrderView | null> {
    const id = this.byExternalId.get(`${businessId}|${externalId}`);
    const hit = id === undefined ? undefined : this.cache.get(id);
    if (hit) return toView(hit.parts, this.ctx.clock.now(), hit.overrides);
    const row = await repo.findByExternalId(this.db, businessId, externalId);
    return row ? this.view(row) : null;
  }

  /** An order by its id or Amazon-style order id, as it stands now. */
  async get(ref: string): Promise<OrderView> {
    const hit = this.cache.get(ref);
    if (hit) return toView(hit.parts, this.ctx.clock.now(), hit.overrides);
    const row = await repo.findByRef(this.db, ref);
    if (!row) throw notFound(`Order ${ref}`);
    return this.view(row);
  }

  /**
   * The tracking of one package of a business's order, as it stands now: the order by its
   * Amazon-style id (or own id), the shipment by the identifier orderDetails answers, the package by
   * its id. Another business's order, or a package that never shipped (its lines were cancelled or
   * the order declined), is as unknown as one that does not exist.
   */
  async packageTracking(businessId: string, orderRef: string, shipmentIdentifier: string, packageId: string): Promise<PackageTrackingView> {
    const unknown = () =>
      notFound(`Package ${packageId.slice(0, 100)} of shipment ${shipmentIdentifier.slice(0, 100)} of order ${orderRef.slice(0, 100)}`);
    const order = orderRef.length <= 100 ? await this.get(orderRef).catch(() => null) : null;
    if (!order || order.businessId !== businessId || order.declinedAt !== null) throw unknown();
    const shipment = order.shipments.find((s) => s.identifier === shipmentIdentifier && s.packageId === packageId && s.live);
    if (!shipment) throw unknown();
    const tracking = trackingAt(
      {
        seed: shipment.id,
        store: order.region,
        placedAt: order.placedAt,
        confirmedAt: order.confirmedAt,
        shippedAt: shipment.shippedAt,
        deliveredAt: shipment.deliveredAt,
        plannedDeliveryAt: shipment.plannedDeliveryAt,
        delayed: shipment.delayed,
        windowFrom: shipment.windowFrom,
        windowTo: shipment.windowTo,
        destination: order.shippingAddress,
      },
      this.ctx.clock.now(),
    );
    return { order, shipment, tracking };
  }

  /** Orders of a business (null: of every business), newest first. */
  async list(businessId: string | null, limit = 50): Promise<OrderView[]> {
    const rows = await repo.listOrders(this.db, { businessId, limit: Math.min(Math.max(1, limit), 500) });
    return this.views(rows);
  }

  /** How many orders each business has. */
  countByBusiness(): Promise<Map<string, number>> {
    return repo.countOrders(this.db);
  }

  private async view(row: repo.OrderRow): Promise<OrderView> {
    return (await this.views([row]))[0]!;
  }

  private async views(rows: readonly repo.OrderRow[], at: number = this.ctx.clock.now()): Promise<OrderView[]> {
    if (rows.length === 0) return [];
    const missing = rows.filter((r) => !this.cache.has(r.id));
    if (missing.length > 0) {
      const parts = await repo.loadParts(this.db, missing);
      const ids = parts.flatMap((p) => [p.order.id, ...p.shipments.map((s) => s.id)]);
      const overrides = await this.deps.transitions.overridesFor<string>(ORDER_KIND, ids);
      if (this.cache.size + parts.length > MAX_CACHED_ORDERS) {
        this.cache.clear();
        this.byExternalId.clear();
      }
      for (const p of parts) {
        const own = new Map([p.order.id, ...p.shipments.map((s) => s.id)].map((id) => [id, overrides.get(id) ?? {}]));
        this.cache.set(p.order.id, { parts: p, overrides: own });
        this.byExternalId.set(`${p.order.business_id}|${p.order.external_id}`, p.order.id);
      }
    }
    return rows.map((r) => {
      const c = this.cache.get(r.id);
      if (!c) throw new Error(`order ${r.id} was not loaded`);
      return toView(c.parts, at, c.overrides);
    });
  }

  /**
   * A business's orders within a range of order dates as they stood at `at`, oldest first, after
   * the cursor, at most `limit`. The reports page through this: orders placed later only ever come
   * after the pages already read.
   */
  async ordersInRange(range: repo.OrderRange, at: number): Promise<OrderView[]> {
    return this.views(await repo.ordersInRange(this.db, range), at);
  }

  /** A business's orders by their Amazon-style ids, as they stood at `at` (unknown ids and other businesses' orders are absent). */
  async ordersByIdentifier(businessId: string, identifiers: readonly string[], at: number): Promise<Map<string, OrderView>> {
    const rows = await repo.ordersByIdentifier(this.db, businessId, identifiers);
    return new Map((await this.views(rows, at)).map((v) => [v.orderIdentifier, v]));
  }

  /** The invoices and credit memos of an order issued by the instant it is seen at, oldest first. */
  invoices(order: OrderView): Invoice[] {
    return invoicesAt(order, order.at);
  }

  /** What each shipment of an order carries in money (each line's amounts split over its shipments), by shipment id. */
  shipmentAmounts(order: OrderView): Map<string, InvoiceLine[]> {
    return shipmentLines(order);
  }

  /** The charges and refunds of an order made by the instant it is seen at, oldest first. */
  transactions(order: OrderView): Transaction[] {
    return transactionsAt(order, order.at);
  }

  /**
   * A business's invoices and credit memos by number, as they stand now: each with its order. A
   * number not issued yet (its shipment has not shipped), unknown or of another business is absent.
   */
  async invoicesByNumber(businessId: string, numbers: readonly string[]): Promise<Map<string, { invoice: Invoice; order: OrderView }>> {
    const rows = await repo.ordersByDocumentNumber(this.db, businessId, numbers);
    const wanted = new Set(numbers);
    const out = new Map<string, { invoice: Invoice; order: OrderView }>();
    for (const order of await this.views(rows))
      for (const invoice of this.invoices(order)) if (wanted.has(invoice.number)) out.set(invoice.number, { invoice, order });
    return out;
  }

  /**
   * The buyer hands back `quantity` delivered items of a line: the refund (a credit memo for the
   * items and their tax, not the shipping) follows on the virtual clock. Refused before the items
   * are delivered, and beyond what was delivered and not returned yet.
   */
  async returnItems(
    actor: string,
    businessId: string | null,
    ref: string,
    lineExternalId: string,
    quantity: number,
    reason: string,
  ): Promise<OrderView> {
    if (!Number.isInteger(quantity) || quantity < 1) throw validation('A return is a whole number of items, at least 1.');
    const order = await this.get(ref);
    if (businessId !== null && order.businessId !== businessId) throw notFound(`Order ${ref}`);
    const line = order.lines.find((l) => l.externalId === lineExternalId);
    if (!line) throw notFound(`Line ${lineExternalId} of order ${order.orderIdentifier}`);
    const delivered = order.shipments
      .filter((s) => s.live && s.deliveredAt !== null)
      .flatMap((s) => s.items.filter((i) => i.lineNo === line.lineNo))
      .reduce((n, i) => n + i.quantity, 0);
    const id = newId('ret');
    const at = this.ctx.clock.now();
    const text = reason.trim().slice(0, 200) || 'Returned by the buyer';
    await this.ctx.db.transaction(async (trx) => {
      // Under the order's lock: two returns at once cannot both take the last items.
      await repo.lockOrder(trx, order.id);
      const returned = await repo.returnedQuantity(trx, order.id, line.lineNo);
      if (delivered - returned < quantity)
        throw new AppError(
          'InvalidState',
          `Line ${lineExternalId} has ${delivered - returned} delivered item(s) that can be returned; ${quantity} were asked for.`,
        );
      await repo.insertReturn(trx, {
        id,
        order_id: order.id,
        line_no: line.lineNo,
        quantity,
        returned_at: at,
        credit_number: documentNumber(`credit:${id}`),
        reason: text,
        actor,
      });
      await this.ctx.audit.record(trx, {
        actor,
        action: 'order.return',
        subjectType: 'order',
        subjectId: order.id,
        after: { line: lineExternalId, quantity, reason: text },
      });
    });
    this.ctx.events.emit({ type: 'orders.changed' });
    return this.get(order.id);
  }

  /** Approves an order that waits for approval; it is confirmed shortly after, and its plan starts then. */
  async approve(actor: string, businessId: string | null, ref: string): Promise<OrderView> {
    return this.decide(actor, businessId, ref, 'approve');
  }

  /** Declines an order that waits for approval: it is cancelled and never ships. */
  async decline(actor: string, businessId: string | null, ref: string): Promise<OrderView> {
    return this.decide(actor, businessId, ref, 'decline');
  }

  private async decide(actor: string, businessId: string | null, ref: string, what: 'approve' | 'decline'): Promise<OrderView> {
    const row = await this.owned(businessId, ref);
    const at = this.ctx.clock.now();
    await this.ctx.db.transaction(async (trx) => {
      const ok = await repo.decideApproval(trx, row.id, what === 'approve' ? { approvedAt: at, by: actor } : { declinedAt: at, by: actor });
      if (!ok) throw new AppError('InvalidState', `Order ${row.order_identifier} is not waiting for approval.`);
      await this.ctx.audit.record(trx, {
        actor,
        action: `order.${what}`,
        subjectType: 'order',
        subjectId: row.id,
        after: { at: new Date(at).toISOString() },
      });
    });
    this.ctx.events.emit({ type: 'orders.changed' });
    return this.get(row.id);
  }

  private async owned(businessId: string | null, ref: string): Promise<repo.OrderRow> {
    const row = await repo.findByRef(this.db, ref);
    if (!row || (businessId !== null && row.business_id !== businessId)) throw notFound(`Order ${ref}`);
    return row;
  }

  /** Moves an order to its next milestone now (approval, confirmation, a shipment shipping or arriving); null when it has none left. */
  async advance(actor: string, ref: string): Promise<{ order: OrderView; reached: { resourceId: string; stage: string } | null }> {
    const row = await this.owned(null, ref);
    const [p] = await repo.loadParts(this.db, [row]);
    const ids = [row.id, ...p!.shipments.map((s) => s.id)];
    const overrides = await this.deps.transitions.overridesFor<string>(ORDER_KIND, ids);
    const facts = factsOf(p!);
    const next = nextMilestone(facts, orderAt(facts, this.ctx.clock.now(), overrides));
    if (!next) return { order: await this.get(row.id), reached: null };
    if (next.resourceId === row.id && next.stage === 'approved' && row.approval_reason !== null && row.approved_at === null)
      return { order: await this.approve(actor, null, row.id), reached: next };
    await this.deps.transitions.force(actor, ORDER_KIND, next.resourceId, next.stage);
    return { order: await this.get(row.id), reached: next };
  }

  /** The seller cancels a line now (its whole accepted quantity); refused once its shipment has shipped. */
  async cancelLine(actor: string, ref: string, lineExternalId: string): Promise<OrderView> {
    const before = await this.get(ref);
    const line = before.lines.find((l) => l.externalId === lineExternalId);
    if (!line) throw notFound(`Line ${lineExternalId} of order ${before.orderIdentifier}`);
    if (line.accepted === 0) throw new AppError('InvalidState', `Line ${lineExternalId} has no accepted quantity to cancel.`);
    const shipment = before.shipments.find((s) => s.items.some((i) => i.lineNo === line.lineNo));
    if (shipment?.shippedAt != null)
      throw new AppError('InvalidState', `Line ${lineExternalId} has shipped already; it can no longer be cancelled.`);
    if (before.status === 'CANCELLED') throw new AppError('InvalidState', `Order ${before.orderIdentifier} is cancelled.`);
    const at = this.ctx.clock.now();
    await this.ctx.db.transaction(async (trx) => {
      if (await repo.cancelLine(trx, before.id, line.lineNo, at))
        await this.ctx.audit.record(trx, {
          actor,
          action: 'order.line.cancel',
          subjectType: 'order',
          subjectId: before.id,
          after: { line: lineExternalId },
        });
    });
    this.ctx.events.emit({ type: 'orders.changed' });
    return this.get(before.id);
  }

  /** Makes one shipment (or every shipment not delivered yet) arrive later by `days` days. */
  async delay(actor: string, ref: string, days: number, shipmentIdentifier: string | null): Promise<OrderView> {
    if (!Number.isInteger(days) || days < 1 || days > 60) throw validation('A delay is a whole number of days from 1 to 60.');
    const before = await this.get(ref);
    const targets = before.shipments.filter(
      (s) =>
        s.live &&
        s.deliveredAt === null &&
        (shipmentIdentifier === null || s.identifier === shipmentIdentifier || s.id === shipmentIdentifier),
    );
    if (targets.length === 0)
      throw new AppError('InvalidState', 'No shipment of this order is on its way or waiting to ship (or the one named is delivered).');
    await this.ctx.db.transaction(async (trx) => {
      for (const s of targets) await repo.addDelay(trx, s.id, days * 86_400_000);
      await this.ctx.audit.record(trx, {
        actor,
        action: 'order.delay',
        subjectType: 'order',
        subjectId: before.id,
        after: { shipments: targets.map((s) => s.identifier), days },
      });
    });
    this.ctx.events.emit({ type: 'orders.changed' });
    return this.get(before.id);
  }
}

/** Orders of the generated history written per transaction. */
const HISTORY_CHUNK = 250;

/** An order of the past, and what happened to it after it was placed. */
export interface HistoricalOrder {
  readonly orderer: Orderer;
  readonly request: OrderRequest;
  readonly placedAt: number;
  /** When the order needs approval: an administrator (`by`, an actor) approves or declines it this long after it was placed. */
  readonly decision?: { readonly approveAfterMs: number; readonly by: string } | { readonly declineAfterMs: number; readonly by: string };
  /** Items handed back this long after their shipment was delivered (returns not due by the clock's now are left out). */
  readonly returns?: readonly {
    readonly lineExternalId: string;
    readonly quantity: number;
    readonly afterDeliveryMs: number;
    readonly reason: string;
  }[];
}

/** The returns of a historical order that happened by `now`, as rows (its delivery instants read from its plan). */
function historicalReturns(rows: repo.OrderInsert, e: HistoricalOrder, now: number): Insertable<PurchasingReturnsTable>[] {
  const parts: repo.OrderRows = {
    order: rows.order as repo.OrderRow,
    lines: rows.lines as repo.LineRow[],
    shipments: rows.shipments as repo.ShipmentRow[],
    items: rows.items as repo.ItemRow[],
    returns: [],
  };
  const view = toView(parts, now, new Map());
  const out: Insertable<PurchasingReturnsTable>[] = [];
  for (const [k, r] of (e.returns ?? []).entries()) {
    const line = view.lines.find((l) => l.externalId === r.lineExternalId);
    const shipment = line && view.shipments.find((s) => s.live && s.deliveredAt !== null && s.items.some((i) => i.lineNo === line.lineNo));
    if (!line || !shipment) continue;
    const delivered = shipment.items.find((i) => i.lineNo === line.lineNo)!.quantity;
    const at = shipment.deliveredAt! + r.afterDeliveryMs;
    if (at > now) continue;
    const id = `ret_${seededHex(`${rows.order.id}|return|${k}`, 16)}`;
    out.push({
      id,
      order_id: rows.order.id,
      line_no: line.lineNo,
      quantity: Math.min(r.quantity, delivered),
      returned_at: at,
      credit_number: documentNumber(`credit:${id}`),
      reason: r.reason,
      actor: `user:${e.orderer.userId}`,
    });
  }
  return out;
}

function factsOf(p: repo.OrderRows): OrderFacts {
  const o = p.order;
  return {
    id: o.id,
    placedAt: Number(o.placed_at),
    approvalReason: o.approval_reason,
    approvedAt: o.approved_at === null ? null : Number(o.approved_at),
    declinedAt: o.declined_at === null ? null : Number(o.declined_at),
    confirmAfterMs: Number(o.confirm_after_ms),
    lines: p.lines.map((l) => ({
      lineNo: l.line_no,
      accepted: l.quantity_accepted,
      cancelAfterMs: l.cancel_after_ms === null ? null : Number(l.cancel_after_ms),
      cancelledAt: l.cancelled_at === null ? null : Number(l.cancelled_at),
    })),
    shipments: p.shipments.map((s) => ({
      id: s.id,
      items: p.items.filter((i) => i.shipment_id === s.id).map((i) => ({ lineNo: i.line_no, quantity: i.quantity })),
      shipAfterMs: Number(s.ship_after_ms),
      deliverAfterMs: Number(s.deliver_after_ms),
      delayMs: Number(s.delay_ms),
    })),
  };
}

/** The JSON columns of an order row, parsed once per row object (rows are kept in the read cache and never change). */
const parsedRows = new WeakMap<repo.OrderRow, { lines: PlacedLine[]; shippingAddress: PostalAddress; extras: Record<string, unknown> }>();
function parsedOf(o: repo.OrderRow): { lines: PlacedLine[]; shippingAddress: PostalAddress; extras: Record<string, unknown> } {
  let parsed = parsedRows.get(o);
  if (!parsed) {
    parsed = {
      lines: parseLines(o.result),
      shippingAddress: JSON.parse(o.shipping_address) as PostalAddress,
      extras: JSON.parse(o.extras) as Record<string, unknown>,
    };
    parsedRows.set(o, parsed);
  }
  return parsed;
}

function toView(p: repo.OrderRows, now: number, overrides: ReadonlyMap<string, TransitionOverrides<string>>): OrderView {
  const o = p.order;
  const facts = factsOf(p);
  const state = orderAt(facts, now, overrides);
  const { lines, shippingAddress, extras } = parsedOf(o);
  const cancelled = new Map<number, { quantity: number; at: number }>();
  for (const [lineNo, at] of state.cancelledLines) {
    const line = lines.find((l) => l.lineNo === lineNo);
    if (line && line.accepted > 0) cancelled.set(lineNo, { quantity: line.accepted, at });
  }
  const subtotal = Number(o.subtotal_minor);
  const shipping = Number(o.shipping_minor);
  const tax = Number(o.tax_minor);
  return {
    id: o.id,
    businessId: o.business_id,
    externalId: o.external_id,
    orderIdentifier: o.order_identifier,
    buyerEmail: o.buyer_email,
    groupId: o.group_id,
    region: o.region,
    currency: o.currency,
    placedAt: Number(o.placed_at),
    approvalReason: o.approval_reason,
    approvedAt: o.approved_at === null ? null : Number(o.approved_at),
    declinedAt: o.declined_at === null ? null : Number(o.declined_at),
    purchaseOrderNumber: o.purchase_order_number,
    paymentMethod: o.payment_method,
    shippingAddress,
    subtotalMinor: subtotal,
    shippingMinor: shipping,
    taxMinor: tax,
    totalMinor: totalOf(o.region, subtotal, shipping, tax),
    lines,
    cancelled,
    shipments: p.shipments.map((s, i) => {
      const now_ = state.shipments[i]!;
      return {
        id: s.id,
        position: s.position,
        identifier: s.identifier,
        packageId: s.package_id,
        carrier: s.carrier,
        trackingNumber: s.tracking_number,
        items: facts.shipments[i]!.items,
        windowFrom: s.window_from,
        windowTo: s.window_to,
        live: now_.live,
        shippedAt: now_.shippedAt,
        plannedShipAt: now_.plannedShipAt,
        deliveredAt: now_.deliveredAt,
        plannedDeliveryAt: now_.plannedDeliveryAt,
        delayed: Number(s.delay_ms) > 0,
        invoiceNumber: s.invoice_number ?? documentNumber(`invoice:${s.id}`),
      };
    }),
    returns: p.returns.map((r) => ({
      id: r.id,
      lineNo: r.line_no,
      quantity: r.quantity,
      returnedAt: Number(r.returned_at),
      creditNumber: r.credit_number,
      reason: r.reason,
    })),
    at: now,
    approvedBy: o.approved_by,
    extras,
    status: state.status,
    stage: state.stage,
    confirmedAt: state.confirmedAt,
  };
}

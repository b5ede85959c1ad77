import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { actorOf } from '../../modules/operators/index.ts';
import { ORDER_KIND, type OrderView, type PurchasingService } from '../../modules/purchasing/index.ts';
import type { TransitionService } from '../../modules/emulator/index.ts';

/**
 * `/_emulator/ordering/…`: the operator's levers on orders (emulator mode, operator key). Orders
 * are named by their internal id or their Amazon-style order id. Answers are the order as the
 * admin pages show it (status, stage, shipments), not the Ordering wire shape.
 */

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** An order for operators: everything the pages show, with instants as ISO strings. */
export function orderSummary(o: OrderView) {
  return {
    id: o.id,
    orderIdentifier: o.orderIdentifier,
    businessId: o.businessId,
    externalId: o.externalId,
    buyerEmail: o.buyerEmail,
    region: o.region,
    status: o.status,
    stage: o.stage,
    placedAt: iso(o.placedAt),
    approvalReason: o.approvalReason,
    approvedAt: iso(o.approvedAt),
    declinedAt: iso(o.declinedAt),
    confirmedAt: iso(o.confirmedAt),
    currency: o.currency,
    totals: { subtotalMinor: o.subtotalMinor, shippingMinor: o.shippingMinor, taxMinor: o.taxMinor, totalMinor: o.totalMinor },
    lines: o.lines.map((l) => ({
      externalId: l.externalId,
      asin: l.asin,
      title: l.title,
      requested: l.requested,
      accepted: l.accepted,
      cancelled: o.cancelled.get(l.lineNo)?.quantity ?? 0,
      unitPriceMinor: l.price.unitMinor,
    })),
    shipments: o.shipments.map((s) => ({
      identifier: s.identifier,
      carrier: s.carrier,
      trackingNumber: s.trackingNumber,
      lines: s.items.map((i) => ({
        externalId: o.lines.find((l) => l.lineNo === i.lineNo)?.externalId ?? String(i.lineNo),
        quantity: i.quantity,
      })),
      live: s.live,
      delayed: s.delayed,
      shippedAt: iso(s.shippedAt),
      deliveredAt: iso(s.deliveredAt),
      plannedDeliveryAt: iso(s.plannedDeliveryAt),
    })),
  };
}

const Ref = Type.Object({ ref: Type.String({ minLength: 1, maxLength: 200 }) });

export function orderingEmulatorRoutes(deps: { purchasing: PurchasingService; transitions: TransitionService }) {
  return async (app: FastifyInstance): Promise<void> => {
    const r = app.withTypeProvider<TypeBoxTypeProvider>();
    const { purchasing, transitions } = deps;
    r.get(
      '/orders',
      {
        schema: {
          querystring: Type.Object(
            {
              businessId: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
              limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
            },
            { additionalProperties: false },
          ),
        },
      },
      async (req) => ({ orders: (await purchasing.list(req.query.businessId ?? null, req.query.limit ?? 50)).map(orderSummary) }),
    );
    r.get('/orders/:ref', { schema: { params: Ref } }, async (req) => orderSummary(await purchasing.get(req.params.ref)));
    r.post('/orders/:ref/advance', { schema: { params: Ref } }, async (req) => {
      const { order, reached } = await purchasing.advance(actorOf(req), req.params.ref);
      return { reached, order: orderSummary(order) };
    });
    r.post('/orders/:ref/approve', { schema: { params: Ref } }, async (req) =>
      orderSummary(await purchasing.approve(actorOf(req), null, req.params.ref)),
    );
    r.post('/orders/:ref/decline', { schema: { params: Ref } }, async (req) =>
      orderSummary(await purchasing.decline(actorOf(req), null, req.params.ref)),
    );
    r.post(
      '/orders/:ref/cancel-line',
      {
        schema: {
          params: Ref,
          body: Type.Object({ lineExternalId: Type.String({ minLength: 1, maxLength: 127 }) }, { additionalProperties: false }),
        },
      },
      async (req) => orderSummary(await purchasing.cancelLine(actorOf(req), req.params.ref, req.body.lineExternalId)),
    );
    r.post(
      '/orders/:ref/delay',
      {
        schema: {
          params: Ref,
          body: Type.Object(
            {
              days: Type.Optional(Type.Integer({ minimum: 1, maximum: 60 })),
              shipment: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
            },
            { additionalProperties: false },
          ),
        },
      },
      async (req) => orderSummary(await purchasing.delay(actorOf(req), req.params.ref, req.body?.days ?? 1, req.body?.shipment ?? null)),
    );
    r.get('/transitions', async () => transitions.mode(ORDER_KIND));
    r.post(
      '/transitions',
      {
        schema: {
          body: Type.Object({ mode: Type.Union([Type.Literal('time'), Type.Literal('manual')]) }, { additionalProperties: false }),
        },
      },
      async (req) => transitions.setMode(actorOf(req), ORDER_KIND, req.body.mode),
    );
  };
}

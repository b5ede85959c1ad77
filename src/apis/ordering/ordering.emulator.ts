import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { actorOf } from '../../modules/operators/index.ts';
import { ORDER_KIND, orderJson, type PurchasingService } from '../../modules/purchasing/index.ts';
import type { TransitionService } from '../../modules/emulator/index.ts';

/**
 * `/_emulator/ordering/…`: the operator's levers on orders (emulator mode, operator key). Orders
 * are named by their internal id or their Amazon-style order id. Answers are the order as the
 * admin pages show it (`orderJson`: status, stage, shipments), not the Ordering wire shape.
 */

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
      async (req) => ({ orders: (await purchasing.list(req.query.businessId ?? null, req.query.limit ?? 50)).map(orderJson) }),
    );
    r.get('/orders/:ref', { schema: { params: Ref } }, async (req) => orderJson(await purchasing.get(req.params.ref)));
    r.post('/orders/:ref/advance', { schema: { params: Ref } }, async (req) => {
      const { order, reached } = await purchasing.advance(actorOf(req), req.params.ref);
      return { reached, order: orderJson(order) };
    });
    r.post('/orders/:ref/approve', { schema: { params: Ref } }, async (req) =>
      orderJson(await purchasing.approve(actorOf(req), null, req.params.ref)),
    );
    r.post('/orders/:ref/decline', { schema: { params: Ref } }, async (req) =>
      orderJson(await purchasing.decline(actorOf(req), null, req.params.ref)),
    );
    r.post(
      '/orders/:ref/cancel-line',
      {
        schema: {
          params: Ref,
          body: Type.Object({ lineExternalId: Type.String({ minLength: 1, maxLength: 127 }) }, { additionalProperties: false }),
        },
      },
      async (req) => orderJson(await purchasing.cancelLine(actorOf(req), req.params.ref, req.body.lineExternalId)),
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
      async (req) => orderJson(await purchasing.delay(actorOf(req), req.params.ref, req.body?.days ?? 1, req.body?.shipment ?? null)),
    );
    r.post(
      '/orders/:ref/returns',
      {
        schema: {
          params: Ref,
          body: Type.Object(
            {
              lineExternalId: Type.String({ minLength: 1, maxLength: 127 }),
              quantity: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
              reason: Type.Optional(Type.String({ maxLength: 200 })),
            },
            { additionalProperties: false },
          ),
        },
      },
      async (req) =>
        orderJson(
          await purchasing.returnItems(
            actorOf(req),
            null,
            req.params.ref,
            req.body.lineExternalId,
            req.body.quantity ?? 1,
            req.body.reason ?? '',
          ),
        ),
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

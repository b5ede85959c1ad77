import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Services } from '../../services.ts';
import { AppError } from '../../kernel/errors.ts';
import { actorOf, operatorGuard } from '../operators/index.ts';
import type { ClockService } from './clock.service.ts';
import type { FaultService } from './faults.service.ts';
import type { RequestRecorder } from './request-log.recorder.ts';
import { filterOf } from './request-log.query.ts';
import type { TransitionService } from './transitions.service.ts';
import type { WorldService } from './world.service.ts';
import * as S from './emulator.schemas.ts';

// A snapshot carries the whole catalog, so its upload may be far larger than an API body.
const SNAPSHOT_BODY_LIMIT = 512 * 1024 * 1024;

/** Routes another module adds under `/_emulator<prefix>/…` (an API's controls), behind the same operator key. */
export interface EmulatorExtension {
  /** `/<slug>` of the API. */
  prefix: string;
  routes(app: FastifyInstance): Promise<void>;
}

export interface EmulatorRouteOptions {
  services: Services;
  clock: ClockService | null;
  world: WorldService;
  transitions: TransitionService;
  /** Seeds the demo world (returns false when it existed). */
  seed: () => Promise<boolean>;
  /** Whether a reset seeds when its body does not say (the SEED_DEMO setting). */
  seedByDefault: boolean;
  extensions: readonly EmulatorExtension[];
}

/** `/_emulator/*`: the virtual clock, reset and snapshots (registered only in emulator mode). */
export async function emulatorRoutes(app: FastifyInstance, opts: EmulatorRouteOptions): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  r.addHook('onRequest', operatorGuard(opts.services.operators));
  for (const extension of opts.extensions) await r.register(extension.routes, { prefix: extension.prefix });

  const clock = (): ClockService => {
    if (!opts.clock) throw new AppError('InvalidState', 'The platform clock of this server is not virtual.');
    return opts.clock;
  };
  r.get('/clock', async () => clock().view());
  r.post('/clock', { schema: { body: S.ClockBody } }, async (req) => {
    const body = req.body;
    const c = clock();
    const before = c.view();
    let after;
    const actor = actorOf(req);
    if ('advanceSeconds' in body) after = await c.advance(actor, body.advanceSeconds * 1000);
    else if ('advanceMs' in body) after = await c.advance(actor, body.advanceMs);
    else if ('set' in body) after = await c.set(actor, Date.parse(body.set));
    else after = await c.reset(actor);
    req.log.info({ operator: req.operator, from: before.now, to: after.now, offsetMs: after.offsetMs }, 'virtual clock changed');
    return after;
  });

  // Transition overrides of stateful resources; the APIs add their own "advance one resource" routes.
  r.get('/transitions', async () => ({ manual: await opts.transitions.manualKinds() }));
  r.post('/transitions', { schema: { body: S.TransitionModeBody } }, async (req) => {
    const mode = await opts.transitions.setMode(actorOf(req), req.body.kind, req.body.mode);
    req.log.info({ operator: req.operator, kind: mode.kind, mode: mode.mode }, 'transition mode changed');
    return mode;
  });
  r.delete('/transitions/forced', { schema: { querystring: S.ForcedQuery } }, async (req) => ({
    removed: await opts.transitions.clearForced(actorOf(req), req.query.kind ?? null, req.query.resourceId ?? null),
  }));

  r.post('/reset', { schema: { body: S.ResetBody } }, async (req) => {
    const seed = req.body?.seed ?? opts.seedByDefault;
    const result = await opts.world.reset(seed ? opts.seed : null);
    req.log.warn({ operator: req.operator, seeded: result.seeded }, 'emulator reset');
    return { reset: true, ...result };
  });

  r.get('/snapshot', async (req, reply) => {
    const snapshot = await opts.world.save();
    const name = `bizapi-snapshot-${snapshot.createdAt.replace(/[:.]/g, '-')}.json`;
    req.log.info({ operator: req.operator }, 'snapshot saved');
    return reply
      .header('content-disposition', `attachment; filename="${name}"`)
      .header('cache-control', 'no-store')
      .type('application/json')
      .send(JSON.stringify(snapshot));
  });
  r.post('/snapshot', { bodyLimit: SNAPSHOT_BODY_LIMIT }, async (req) => {
    const result = await opts.world.load(req.body);
    req.log.warn({ operator: req.operator, tables: Object.keys(result.tables).length }, 'snapshot loaded');
    return { loaded: true, ...result };
  });
}

export interface EmulatorAdminOptions {
  services: Services;
  requestLog: RequestRecorder;
  /** Fault rules; null when emulator mode is off (the routes are then absent). */
  faults: FaultService | null;
}

/** Routes added to the admin API (`/admin/v1`, behind its operator key): fault rules and the request log. */
export function emulatorAdminRoutes(opts: EmulatorAdminOptions) {
  return async function emulatorAdmin(app: FastifyInstance): Promise<void> {
    const r = app.withTypeProvider<TypeBoxTypeProvider>();
    r.get('/requests', { schema: { querystring: S.RequestQuery } }, async (req) => {
      let appIds: string[] | undefined;
      if (req.query.app) {
        const found = req.query.app.startsWith('amzn1.') ? await opts.services.apps.findByApplicationId(req.query.app) : null;
        appIds = [found?.id ?? req.query.app];
      }
      return { requests: await opts.requestLog.list({ ...filterOf(req.query), ...(appIds ? { appIds } : {}) }) };
    });

    const faults = opts.faults;
    if (!faults) return;
    r.get('/faults', async () => ({ faults: await faults.list() }));
    r.post('/faults', { schema: { body: S.CreateFault } }, async (req, reply) =>
      reply.status(201).send(await faults.create(actorOf(req), req.body)),
    );
    r.delete('/faults', async (req) => ({ removed: await faults.remove(actorOf(req), null) }));
    r.delete('/faults/:id', { schema: { params: S.FaultParam } }, async (req, reply) => {
      await faults.remove(actorOf(req), req.params.id);
      return reply.status(204).send();
    });
  };
}

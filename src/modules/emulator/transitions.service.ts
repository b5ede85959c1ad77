import type { AppContext } from '../../app-context.ts';
import { validation } from '../../kernel/errors.ts';
import type { TransitionOverrides } from '../../kernel/lifecycle.ts';
import { deleteForced, forcedOf, insertForced, listManualKinds, manualSince, setManual, setTimed } from './transitions.repository.ts';

const KIND = /^[a-z][a-z0-9_.-]{0,63}$/;
const MAX_RESOURCE_ID = 200;

/** How the resources of a kind move: with the clock, or only when forced (since an instant). */
export interface TransitionMode {
  kind: string;
  mode: 'time' | 'manual';
  /** When the kind went manual (ISO), null in time mode. */
  manualSince: string | null;
}

const checkKind = (kind: string): string => {
  if (!KIND.test(kind))
    throw validation(
      `Invalid resource kind "${kind.slice(0, 80)}".`,
      'A kind is lower-case letters, digits, ".", "_" or "-", starting with a letter, at most 64 characters (e.g. "order", "package").',
    );
  return kind;
};

const checkResourceId = (id: string): string => {
  if (id.length === 0 || id.length > MAX_RESOURCE_ID) throw validation(`A resource id has 1 to ${MAX_RESOURCE_ID} characters.`);
  return id;
};

/**
 * The emulator's transition overrides of stateful resources (orders, shipments, packages, report
 * jobs): switch a kind to manual transitions, or force one resource to a stage now. They are rows,
 * read from the database on every call (no cache), so every process sees a change at once, and
 * reset and snapshots cover them. Every change emits `transitions.changed`, so a module that caches
 * what it read (purchasing) drops it, here and, through the shared cache version, in every process. The domain modules combine them with their timelines through
 * `statusAt` (src/kernel/lifecycle.ts).
 */
export class TransitionService {
  constructor(private readonly ctx: AppContext) {}

  private get db() {
    return this.ctx.db.kysely;
  }

  /** Every kind in manual mode. */
  async manualKinds(): Promise<TransitionMode[]> {
    return (await listManualKinds(this.db)).map((k) => ({
      kind: k.kind,
      mode: 'manual',
      manualSince: new Date(k.manualSince).toISOString(),
    }));
  }

  /** The mode of one kind. */
  async mode(kind: string): Promise<TransitionMode> {
    const since = await manualSince(this.db, checkKind(kind));
    return { kind, mode: since === null ? 'time' : 'manual', manualSince: since === null ? null : new Date(since).toISOString() };
  }

  /** Switches a kind to manual transitions from now (a kind already manual keeps its instant), or back to time. */
  async setMode(actor: string, kind: string, mode: 'time' | 'manual'): Promise<TransitionMode> {
    checkKind(kind);
    const changed = await this.ctx.db.transaction(async (trx) => {
      const changed = mode === 'manual' ? await setManual(trx, kind, this.ctx.clock.now(), actor) : await setTimed(trx, kind);
      if (changed)
        await this.ctx.audit.record(trx, {
          actor,
          action: 'emulator.transitions.mode',
          subjectType: 'resource_kind',
          subjectId: kind,
          after: { mode },
        });
      return changed;
    });
    if (changed) this.ctx.events.emit({ type: 'transitions.changed' });
    return this.mode(kind);
  }

  /** Records that a resource reached `stage` now (and every earlier stage with it); a stage forced before keeps its first instant. */
  async force(actor: string, kind: string, resourceId: string, stage: string): Promise<{ forcedAt: string }> {
    checkKind(kind);
    checkResourceId(resourceId);
    if (!stage || stage.length > 64) throw validation('A stage name has 1 to 64 characters.');
    const at = this.ctx.clock.now();
    const inserted = await this.ctx.db.transaction(async (trx) => {
      const inserted = await insertForced(trx, { kind, resourceId, stage, at, by: actor });
      if (inserted) {
        await this.ctx.audit.record(trx, {
          actor,
          action: 'emulator.transitions.force',
          subjectType: kind,
          subjectId: resourceId,
          after: { stage, at: new Date(at).toISOString() },
        });
      }
      return inserted;
    });
    if (inserted) this.ctx.events.emit({ type: 'transitions.changed' });
    return { forcedAt: new Date(at).toISOString() };
  }

  /** The overrides of some resources of a kind, for `statusAt`: the kind's manual instant and each resource's forced stages. */
  async overridesFor<S extends string>(kind: string, resourceIds: readonly string[]): Promise<Map<string, TransitionOverrides<S>>> {
    checkKind(kind);
    const [since, forced] = await Promise.all([manualSince(this.db, kind), forcedOf(this.db, kind, resourceIds)]);
    const byResource = new Map<string, { stage: S; at: number }[]>();
    for (const f of forced) byResource.set(f.resourceId, [...(byResource.get(f.resourceId) ?? []), { stage: f.stage as S, at: f.at }]);
    return new Map(resourceIds.map((id) => [id, { manualSince: since, forced: byResource.get(id) ?? [] }]));
  }

  /** Forgets the forced stages of one resource, of a kind, or of everything; returns how many went. */
  async clearForced(actor: string, kind: string | null, resourceId: string | null = null): Promise<number> {
    if (kind !== null) checkKind(kind);
    if (resourceId !== null) checkResourceId(resourceId);
    const removed = await this.ctx.db.transaction(async (trx) => {
      const n = await deleteForced(trx, kind, resourceId);
      if (n > 0)
        await this.ctx.audit.record(trx, {
          actor,
          action: 'emulator.transitions.clear',
          subjectType: kind ?? 'resource_kind',
          subjectId: resourceId ?? kind ?? '*',
          after: { removed: n },
        });
      return n;
    });
    if (removed > 0) this.ctx.events.emit({ type: 'transitions.changed' });
    return removed;
  }
}

/** Changes that caches elsewhere (in this process or, through Redis, in others) must hear about. */
export type PlatformEvent =
  | { type: 'authorization.revoked'; authorizationIds: string[] }
  | { type: 'app.changed'; appId: string }
  | { type: 'usage_plan.changed'; appId: string }
  | { type: 'privileged_fields.changed'; appId: string }
  | { type: 'user.changed'; email: string }
  | { type: 'business.changed'; businessId: string }
  | { type: 'clock.changed'; offsetMs: number }
  | { type: 'faults.changed' }
  /** An order was approved, declined, had a line cancelled or a package delayed. */
  | { type: 'orders.changed' }
  /** A transition override changed (a kind's mode, a forced stage). */
  | { type: 'transitions.changed' }
  /** The whole world was replaced (emulator reset, snapshot load): drop every cache. */
  | { type: 'world.replaced' }
  /** Another process (a server, the CLI) changed something this process may have cached: drop every cache (buckets stay). */
  | { type: 'caches.stale' };

export type EventListener = (event: PlatformEvent) => void;

/** A synchronous in-process event bus; a bridge may forward events between processes. */
export class EventBus {
  private readonly listeners = new Set<EventListener>();
  private readonly emitHooks = new Set<(event: PlatformEvent) => Promise<void>>();
  private readonly pending = new Set<Promise<void>>();
  private forwarder: EventListener | null = null;

  on(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Emits to local listeners, to the bridge (if any), and starts the asynchronous emit hooks. */
  emit(event: PlatformEvent): void {
    this.deliver(event);
    this.forwarder?.(event);
    for (const hook of this.emitHooks) {
      // A hook reports its own failures; the bus only waits for it.
      const run: Promise<void> = hook(event)
        .catch(() => undefined)
        .finally(() => this.pending.delete(run));
      this.pending.add(run);
    }
  }

  /** Asynchronous work to start for every event this process emits (not for those delivered from others). */
  onEmitted(hook: (event: PlatformEvent) => Promise<void>): () => void {
    this.emitHooks.add(hook);
    return () => this.emitHooks.delete(hook);
  }

  /** True when no work of the emit hooks is running (then `settled()` has nothing to wait for). */
  get idle(): boolean {
    return this.pending.size === 0;
  }

  /** Resolves once the work the emit hooks started so far is done. */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  /** Delivers an event that came from another process, without forwarding it back. */
  deliver(event: PlatformEvent): void {
    for (const l of this.listeners) {
      try {
        l(event);
      } catch {
        // A failing cache listener must not break the write that emitted the event.
      }
    }
  }

  setForwarder(forwarder: EventListener | null): void {
    this.forwarder = forwarder;
  }
}

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
  /** The whole world was replaced (emulator reset, snapshot load): drop every cache. */
  | { type: 'world.replaced' };

export type EventListener = (event: PlatformEvent) => void;

/** A synchronous in-process event bus; a bridge may forward events between processes. */
export class EventBus {
  private readonly listeners = new Set<EventListener>();
  private forwarder: EventListener | null = null;

  on(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Emits to local listeners and to the bridge (if any). */
  emit(event: PlatformEvent): void {
    this.deliver(event);
    this.forwarder?.(event);
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

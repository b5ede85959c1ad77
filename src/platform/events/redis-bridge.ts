import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { EventBus, PlatformEvent } from '../../kernel/events.ts';

const CHANNEL = 'bizapi:events';

/** Forwards platform events between the server processes that share one Redis. */
export class RedisEventBridge {
  private readonly pub: Redis;
  private readonly sub: Redis;
  private readonly origin = randomUUID();

  private constructor(
    url: string,
    private readonly bus: EventBus,
  ) {
    this.pub = new Redis(url, { maxRetriesPerRequest: 2 });
    this.sub = new Redis(url, { maxRetriesPerRequest: 2 });
  }

  static async connect(url: string, bus: EventBus): Promise<RedisEventBridge> {
    const bridge = new RedisEventBridge(url, bus);
    await bridge.sub.subscribe(CHANNEL);
    bridge.sub.on('message', (_channel, message) => {
      try {
        const { origin, event } = JSON.parse(message) as { origin: string; event: PlatformEvent };
        if (origin !== bridge.origin) bus.deliver(event);
      } catch {
        // Not one of ours.
      }
    });
    bus.setForwarder((event) => void bridge.pub.publish(CHANNEL, JSON.stringify({ origin: bridge.origin, event })).catch(() => undefined));
    return bridge;
  }

  async ping(): Promise<void> {
    await this.pub.ping();
  }

  async close(): Promise<void> {
    this.bus.setForwarder(null);
    await Promise.all([this.pub.quit().catch(() => undefined), this.sub.quit().catch(() => undefined)]);
  }
}

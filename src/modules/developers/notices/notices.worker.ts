import { newId } from '../../../kernel/ids.ts';
import { redactSecretShapes } from '../../../kernel/secrets.ts';
import type { ClaimedNotice, NoticesService, RetryPolicy } from './notices.service.ts';
import { deliverSqs, deliverWebhook, type AttemptResult } from './transports.ts';

/** Where the worker reports what it did (the server's logger); never given a secret. */
export interface WorkerLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/** How many notices one pass claims. */
const BATCH = 10;

/**
 * Delivers the notice outbox: polls every `pollMs`, and at once when this process queues a notice.
 * Started with the server; several processes on one database share the work through leases.
 */
export class NoticeWorker {
  readonly owner = newId('wrk');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = true;
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly notices: NoticesService,
    private readonly opts: RetryPolicy & { pollMs: number; log?: WorkerLog },
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.unsubscribe = this.notices.onQueued(() => this.wake());
    this.wake();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  /** Runs a pass now (or right after the one running). */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.running = this.loop().finally(() => {
      this.running = null;
      if (!this.stopped) this.timer = setTimeout(() => this.wake(), this.again ? 0 : this.opts.pollMs);
      this.again = false;
    });
  }

  private async loop(): Promise<void> {
    try {
      // Passes until nothing is due (a full batch may hide more).
      while (!this.stopped && (await this.runOnce()) === BATCH);
    } catch (err) {
      this.opts.log?.warn({ err: redactSecretShapes(String(err)) }, 'notice delivery pass failed');
    }
  }

  /** One pass: claims the due notices and attempts each once; returns how many were claimed. */
  async runOnce(): Promise<number> {
    const claimed = await this.notices.claimDue(this.owner, Date.now(), BATCH);
    await Promise.all(claimed.map((n) => this.attempt(n)));
    return claimed.length;
  }

  private async attempt(n: ClaimedNotice): Promise<void> {
    const startedAt = Date.now();
    let result: AttemptResult;
    let final = false;
    const destination = await this.notices.openDestination(n.destinationId).catch(() => undefined);
    let body: string | null;
    try {
      body = this.notices.openPayload(n);
    } catch {
      body = null;
    }
    if (destination === null) {
      result = { ok: false, statusCode: null, error: 'the destination was removed' };
      final = true;
    } else if (destination === undefined || body === null) {
      // Sealed with another key (SECRET_ENCRYPTION_KEY changed): no later attempt can do better.
      result = { ok: false, statusCode: null, error: 'the notice or its destination cannot be decrypted with this server key' };
      final = true;
    } else if (destination.kind === 'webhook') {
      result = await deliverWebhook(destination, body, { noticeId: n.noticeId, type: n.type });
    } else {
      result = await deliverSqs(destination, body);
    }
    const outcome = await this.notices.recordAttempt(this.owner, n, result, startedAt, Date.now() - startedAt, this.opts, final);
    const fields = {
      notice: n.noticeId,
      outbox: n.id,
      app: n.appId,
      attempt: n.attempts + 1,
      outcome,
      statusCode: result.statusCode,
      error: result.error,
    };
    if (outcome === 'delivered') this.opts.log?.info(fields, 'notice delivered');
    else this.opts.log?.warn(fields, outcome === 'failed' ? 'notice delivery given up' : 'notice delivery failed; will retry');
  }
}

import type { Transaction } from 'kysely';
import type { Database } from '../../database.ts';
import type { Db } from './database.ts';

/** One unit of work of a group commit: writes in the shared transaction, and its result. */
type Work<R> = (trx: Transaction<Database>) => Promise<R>;

interface Pending {
  work: Work<unknown>;
  resolve(value: unknown): void;
  reject(reason: unknown): void;
}

/**
 * Group commit: units of work submitted while a batch is forming run one after the other in one
 * transaction, and each caller hears its result only once that transaction has committed. Writers
 * that arrive together (concurrent requests) pay for one commit instead of one each, and the index
 * pages they share are written once. When the batch's transaction fails, every unit runs again in a
 * transaction of its own, so one unit's failure is only its own. Nothing is acknowledged before it
 * is committed, and a unit never sees half of another's writes.
 */
export class GroupCommit {
  private queue: Pending[] = [];
  private scheduled = false;

  constructor(
    private readonly db: Db,
    private readonly maxBatch = 64,
  ) {}

  /** Runs `work` in the next batch's transaction; resolves after the commit. */
  submit<R>(work: Work<R>): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (v: unknown) => void, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        // Let the requests already in the event loop's queue join before the batch starts.
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    const batch = this.queue.splice(0, this.maxBatch);
    try {
      if (batch.length === 1) {
        const only = batch[0]!;
        await this.db.transaction(only.work).then(only.resolve, only.reject);
        return;
      }
      let results: unknown[];
      try {
        results = await this.db.transaction(async (trx) => {
          const out: unknown[] = [];
          for (const p of batch) out.push(await p.work(trx));
          return out;
        });
      } catch {
        // One unit (or the commit) failed: each runs again alone, and fails or succeeds by itself.
        for (const p of batch) await this.db.transaction(p.work).then(p.resolve, p.reject);
        return;
      }
      batch.forEach((p, i) => p.resolve(results[i]));
    } finally {
      if (this.queue.length > 0) setImmediate(() => void this.flush());
      else this.scheduled = false;
    }
  }
}

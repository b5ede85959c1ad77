import { performance } from 'node:perf_hooks';
import type { AppContext } from '../../app-context.ts';
import {
  clearEntries,
  countEntries,
  insertEntries,
  pruneEntries,
  queryEntries,
  resolveIdentities,
  type RequestLogEntry,
  type RequestLogFilter,
  type RequestLogRow,
} from './request-log.repository.ts';

/** A call waiting to be written, with what may identify it when the gateway could not. */
export interface PendingEntry {
  row: RequestLogRow;
  /** SHA-256 of the access token, grant code or refresh token the call presented (never the value). */
  grant?: { kind: 'access' | 'code' | 'refresh'; hash: string };
}

export interface RecorderOptions {
  /** Entries kept at most (0 turns recording off). */
  maxEntries: number;
  maxAgeSeconds: number;
  flushIntervalMs?: number;
  /** A flush starts as soon as this many entries wait. */
  flushAt?: number;
  /** Entries beyond this many waiting are dropped (and counted) rather than held in memory. */
  maxPending?: number;
}

// With no new entries, the table is still pruned by age this often (wall time: it is scheduling).
const IDLE_PRUNE_MS = 10_000;

/** Reads the request log; the admin and developer APIs depend on this, not on the recorder. */
export interface RequestLogReader {
  list(filter: RequestLogFilter): Promise<RequestLogEntry[]>;
}

/**
 * The request inspector's writer. Calls are recorded off the hot path: `record` only appends to a
 * small buffer, which is written in batches every flush interval (or at once when full), then the
 * table is pruned to its bounds of count and age. Memory and disk stay bounded under any load.
 */
export class RequestRecorder implements RequestLogReader {
  private pending: PendingEntry[] = [];
  private chain: Promise<void> = Promise.resolve();
  private readonly timer: NodeJS.Timeout | null;
  private readonly flushAt: number;
  private readonly maxPending: number;
  private closed = false;
  private lastPrune = 0;
  /** Entries dropped because the buffer was full or a write failed. */
  dropped = 0;

  constructor(
    private readonly ctx: AppContext,
    private readonly options: RecorderOptions,
    private readonly onError: (err: unknown) => void = () => undefined,
    private readonly onDrop: (n: number) => void = () => undefined,
  ) {
    this.flushAt = options.flushAt ?? 500;
    this.maxPending = options.maxPending ?? 10_000;
    this.timer = options.maxEntries > 0 ? setInterval(() => void this.flush(), options.flushIntervalMs ?? 200) : null;
    this.timer?.unref();
  }

  get enabled(): boolean {
    return this.options.maxEntries > 0 && !this.closed;
  }

  /** How many entries wait in memory. */
  get pendingCount(): number {
    return this.pending.length;
  }

  record(entry: PendingEntry): void {
    if (!this.enabled) return;
    if (this.pending.length >= this.maxPending) {
      this.drop(1);
      return;
    }
    this.pending.push(entry);
    if (this.pending.length === this.flushAt) void this.flush();
  }

  /** Writes everything waiting and prunes; flushes run one after another. */
  flush(): Promise<void> {
    const run = this.chain.then(() => this.write());
    this.chain = run.catch(() => undefined);
    return run.catch((err: unknown) => this.onError(err));
  }

  async list(filter: RequestLogFilter): Promise<RequestLogEntry[]> {
    await this.flush(); // read your own writes
    return queryEntries(this.ctx.db.kysely, filter);
  }

  async count(): Promise<number> {
    await this.flush();
    return countEntries(this.ctx.db.kysely);
  }

  /** Forgets what is waiting and everything stored (emulator reset). */
  async clear(): Promise<void> {
    await this.chain;
    this.pending = [];
    await clearEntries(this.ctx.db.kysely);
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.flush();
    this.closed = true;
  }

  private drop(n: number): void {
    this.dropped += n;
    this.onDrop(n);
  }

  private async write(): Promise<void> {
    const idle = this.pending.length === 0;
    if (idle && (this.options.maxEntries === 0 || performance.now() - this.lastPrune < IDLE_PRUNE_MS)) return;
    const batch = this.pending;
    this.pending = [];
    try {
      await this.resolve(batch);
      await this.ctx.db.transaction(async (trx) => {
        if (batch.length)
          await insertEntries(
            trx,
            batch.map((e) => e.row),
          );
        await pruneEntries(trx, this.ctx.clock.now() - this.options.maxAgeSeconds * 1000, this.options.maxEntries);
      });
      this.lastPrune = performance.now();
    } catch (err) {
      // A failed write loses its batch rather than growing memory while the database is away.
      this.drop(batch.length);
      throw err;
    }
  }

  /** Fills in the app, business and region of calls the gateway could not identify. */
  private async resolve(batch: PendingEntry[]): Promise<void> {
    const unresolved = batch.filter((e) => e.row.app_id === null && (e.grant || e.row.client_id));
    if (unresolved.length === 0) return;
    const hashes = (kind: 'access' | 'code' | 'refresh') => [
      ...new Set(unresolved.filter((e) => e.grant?.kind === kind).map((e) => e.grant!.hash)),
    ];
    const { apps, grants } = await resolveIdentities(this.ctx.db.kysely, {
      clientIds: [...new Set(unresolved.map((e) => e.row.client_id).filter((c): c is string => !!c))],
      accessTokenHashes: hashes('access'),
      codeHashes: hashes('code'),
      refreshTokenHashes: hashes('refresh'),
    });
    for (const e of unresolved) {
      const grant = e.grant ? grants.get(e.grant.hash) : undefined;
      // A token call belongs to the client it named; its grant only adds the business and region.
      const appId = e.row.client_id ? (apps.get(e.row.client_id) ?? null) : (grant?.appId ?? null);
      e.row.app_id = appId;
      if (grant && grant.appId === appId) {
        e.row.business_id ??= grant.businessId;
        e.row.region ??= grant.region;
        e.row.environment ??= grant.environment;
      }
    }
  }
}

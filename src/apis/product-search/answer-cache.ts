import type { Clock } from '../../kernel/clock.ts';
import { deliveryClockKey } from '../../modules/catalog/index.ts';
import { SerializedJson, type ApiRequest, type QueryParams } from '../../modules/gateway/index.ts';

/**
 * An exact cache of Product Search answers (searchProductsRequest; usable by any read-only operation
 * whose answer is a function of the request, the caller's business and the catalog): the serialized
 * 200 body, sent again as it is. An answer is stored under everything it depends on, so a stored
 * answer is exactly the one the handler would compute now:
 *
 * - the operation, its path parameters and every query parameter as sent (names sorted: the handlers
 *   read parameters by name, so their order never changes an answer; values are kept exactly);
 * - the call as the gateway established it: endpoint region, marketplace of the token, environment,
 *   business, privileged-field grants, and the caller's group (no answer depends on the group today;
 *   it is in the key so that a group-level rule added later cannot show one group another's answer);
 * - the business's buying policies (guided buying), by content, and whatever else the operation
 *   names (`context`: searchProductsRequest gives the business's marketplaces, which its checks read);
 * - the catalog change marker (`catalog_state`, replaced in the transaction of every catalog write by
 *   any process: a server, the CLI's import, a reset or a snapshot load), read once per call;
 * - the clock as delivery estimates read it (deliveryClockKey: the marketplace's local day and the
 *   dispatch day, which moves at the order cutoff): an answer is never shown on another day, or on
 *   the other side of the cutoff, than the one it was computed for.
 *
 * A stored answer was computed, checks included, from the same inputs: so a hit is sent without
 * running the checks again, and a call the checks would refuse never finds an entry (its key never
 * got one). Refusals (errors) are not stored. Concurrent calls with one key share one computation. Memory is
 * bounded by entries and by bytes (least recently used first out), and everything stored under an
 * older marker is dropped as soon as a newer marker is read.
 */

/** What the cache reads besides the request: the catalog change marker and the clock. */
export interface AnswerCacheSource {
  /** The catalog change marker; moves with every catalog write by any process. */
  version(): Promise<string | null>;
  readonly clock: Clock;
}

export interface AnswerCacheOptions {
  /** Most bytes of answers (and their keys) kept; at least 1. */
  maxBytes: number;
  /** Most answers kept; at least 1. */
  maxEntries: number;
}

/**
 * `hit`: sent from the cache. `miss`: computed and stored. `shared`: waited for the same answer
 * computed by a concurrent call. `unstored`: computed, not stored (the marker or the delivery day
 * moved while it was computed, or the answer is too large).
 */
export type AnswerOutcome = 'hit' | 'miss' | 'shared' | 'unstored';

/** What an answer depends on besides the request and the catalog. */
export interface AnswerScope {
  /** The operation id (part of the key). */
  operation: string;
  request: ApiRequest;
  /** The marketplace's time zone (delivery estimates count days in it). */
  timeZone: string;
  /** The business's buying policies as the handler applies them; null when the caller has none. */
  policies: readonly { guidance: string; matchType: string; value: string }[] | null;
  /** Anything else the answer or the operation's checks read, as text (part of the key). */
  context?: string;
}

export interface AnswerCacheStats extends Record<AnswerOutcome, number> {
  entries: number;
  bytes: number;
  /** Calls by operation and outcome since the start (the totals are the fields named after the outcomes). */
  byOperation: Record<string, Record<AnswerOutcome, number>>;
  /** Answers dropped to stay within the bounds. */
  evictions: number;
  /** Times every answer was dropped because the catalog changed. */
  resets: number;
}

interface Entry {
  json: Buffer;
  size: number;
}

/** Bytes counted per entry besides its body and key (map slot, objects). */
const ENTRY_OVERHEAD = 160;
/** An answer larger than this share of the byte budget is not stored (it would push out many others). */
const LARGEST_SHARE = 8;

const SEP = '\u0000';
/**
 * deliveryClockKey is constant within each quarter hour of UTC: every zone's offset is a whole
 * number of quarter hours and changes on one, so local midnight and the cutoff fall on one too.
 */
const QUARTER_HOUR_MS = 15 * 60_000;

/** Every query parameter, names sorted, values as sent (a repeated name keeps its values in order). */
export function canonicalQuery(query: QueryParams): string {
  const names = Object.keys(query).sort();
  let out = '';
  for (const name of names) {
    const v = query[name];
    if (v === undefined) continue;
    out += `${JSON.stringify(name)}=${JSON.stringify(v)}&`;
  }
  return out;
}

function policiesKey(policies: AnswerScope['policies']): string {
  if (policies === null) return 'none';
  // Order kept: equally specific and severe policies are reported in the order given.
  return JSON.stringify(policies.map((p) => [p.guidance, p.matchType, p.value]));
}

export class AnswerCache {
  private readonly entries = new Map<string, Entry>();
  private readonly pending = new Map<string, Promise<Buffer>>();
  private bytes = 0;
  /** The marker the stored answers belong to; undefined before the first call. */
  private version: string | null | undefined = undefined;
  private readonly counts = { evictions: 0, resets: 0 };
  private readonly outcomes = new Map<string, Record<AnswerOutcome, number>>();
  /** The delivery clock key of each time zone for the quarter hour it was computed in. */
  private readonly days = new Map<string, { slot: number; key: string }>();
  private readonly maxBytes: number;
  private readonly maxEntries: number;

  constructor(
    private readonly source: AnswerCacheSource,
    private readonly options: AnswerCacheOptions,
  ) {
    if (!(options.maxBytes >= 1) || !(options.maxEntries >= 1)) throw new Error('AnswerCache: maxBytes and maxEntries must be at least 1');
    this.maxBytes = options.maxBytes;
    this.maxEntries = options.maxEntries;
  }

  /**
   * The answer for `scope`: the stored copy when there is one for the current marker and delivery
   * day, else `compute()`'s answer, serialized, stored and returned. `compute` must be the handler's
   * own computation of the 200 body (refusals are thrown and pass through, never stored).
   */
  async serve(scope: AnswerScope, compute: () => Promise<unknown>): Promise<SerializedJson> {
    const version = await this.source.version();
    if (version !== this.version) {
      if (this.version !== undefined) this.counts.resets++;
      this.clear();
      this.version = version;
    }
    const day = this.deliveryDay(scope.timeZone);
    const key = this.key(scope, version, day);
    const hit = this.entries.get(key);
    if (hit) {
      // Most recently used last.
      this.entries.delete(key);
      this.entries.set(key, hit);
      this.count(scope.operation, 'hit');
      return new SerializedJson(hit.json);
    }
    const running = this.pending.get(key);
    if (running) {
      const json = await running;
      this.count(scope.operation, 'shared');
      return new SerializedJson(json);
    }
    const work = (async () => Buffer.from(JSON.stringify(await compute()), 'utf8'))();
    this.pending.set(key, work);
    let json: Buffer;
    try {
      json = await work;
    } finally {
      this.pending.delete(key);
    }
    // Kept only when nothing it depends on moved while it was computed: a newer marker read by
    // another call meanwhile, or the delivery day.
    const stable = this.version === version && this.deliveryDay(scope.timeZone) === day;
    const size = json.length + key.length * 2 + ENTRY_OVERHEAD;
    if (stable && size <= this.maxBytes / LARGEST_SHARE) {
      this.store(key, { json, size });
      this.count(scope.operation, 'miss');
    } else this.count(scope.operation, 'unstored');
    return new SerializedJson(json);
  }

  /** Drops every stored answer. */
  clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }

  stats(): AnswerCacheStats {
    const byOperation = Object.fromEntries([...this.outcomes].map(([op, c]) => [op, { ...c }]));
    const total = (o: AnswerOutcome) => [...this.outcomes.values()].reduce((n, c) => n + c[o], 0);
    return {
      entries: this.entries.size,
      bytes: this.bytes,
      hit: total('hit'),
      miss: total('miss'),
      shared: total('shared'),
      unstored: total('unstored'),
      ...this.counts,
      byOperation,
    };
  }

  private count(operation: string, outcome: AnswerOutcome): void {
    let c = this.outcomes.get(operation);
    if (!c) this.outcomes.set(operation, (c = { hit: 0, miss: 0, shared: 0, unstored: 0 }));
    c[outcome]++;
  }

  private deliveryDay(timeZone: string): string {
    const now = this.source.clock.now();
    const slot = Math.floor(now / QUARTER_HOUR_MS);
    const known = this.days.get(timeZone);
    if (known?.slot === slot) return known.key;
    const key = deliveryClockKey(now, timeZone);
    this.days.set(timeZone, { slot, key });
    return key;
  }

  private key(scope: AnswerScope, version: string | null, day: string): string {
    const r = scope.request;
    const c = r.call;
    const privileged = c.privilegedFields.size ? [...c.privilegedFields].sort().join(',') : '';
    return [
      scope.operation,
      version ?? '',
      day,
      c.region,
      c.marketplace,
      c.environment,
      c.businessId ?? '',
      c.user?.groupId ?? '',
      privileged,
      policiesKey(scope.policies),
      scope.context ?? '',
      canonicalQuery(r.params),
      canonicalQuery(r.query),
    ].join(SEP);
  }

  private store(key: string, entry: Entry): void {
    const old = this.entries.get(key);
    if (old) {
      this.entries.delete(key);
      this.bytes -= old.size;
    }
    while (this.entries.size && (this.entries.size >= this.maxEntries || this.bytes + entry.size > this.maxBytes)) {
      const [oldestKey, oldest] = this.entries.entries().next().value as [string, Entry];
      this.entries.delete(oldestKey);
      this.bytes -= oldest.size;
      this.counts.evictions++;
    }
    this.entries.set(key, entry);
    this.bytes += entry.size;
  }
}

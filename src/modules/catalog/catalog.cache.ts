import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { sql, type CompiledQuery, type Kysely } from 'kysely';
import type { Database } from '../../database.ts';
import type { StoredProduct } from './catalog.repository.ts';
import type { Merchant } from './domain/model.ts';

/**
 * Catalog reads cached in the process, kept exact by the catalog's change marker (`catalog_state`):
 * every catalog write replaces the marker in its own transaction, and every cached read first asks
 * for the marker (one primary-key lookup, compiled once). When it differs from the one the cache was
 * filled under, everything cached is dropped. So a write by this process, by the CLI's importer, by
 * another server process, an emulator reset or a snapshot load is seen by the very next call.
 */

type Q = Kysely<Database>;

/** Replaces the change marker; call inside the transaction that changes the catalog. */
export async function touchCatalogVersion(trx: Q): Promise<void> {
  await sql`insert into catalog_state (id, version) values (1, ${randomUUID()}) on conflict (id) do update set version = excluded.version`.execute(trx);
}

/** How many products (per marketplace) and merchants the cache keeps; the oldest go first. */
export const CACHED_PRODUCTS = 5_000;
export const CACHED_MERCHANTS = 20_000;

class Bounded<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly max: number) {}
  get(key: string): V | undefined {
    return this.map.get(key);
  }
  has(key: string): boolean {
    return this.map.has(key);
  }
  set(key: string, value: V): void {
    if (this.map.size >= this.max && !this.map.has(key)) this.map.delete(this.map.keys().next().value as string);
    this.map.set(key, value);
  }
  clear(): void {
    this.map.clear();
  }
  get size(): number {
    return this.map.size;
  }
}

export class CatalogCache {
  /** `region|asin` → the product with that marketplace's offers, or null: not sold there. */
  private readonly products = new Bounded<StoredProduct | null>(CACHED_PRODUCTS);
  private readonly merchants = new Bounded<Merchant | null>(CACHED_MERCHANTS);
  private readonly versionQuery: CompiledQuery<{ version: string }>;
  /** The marker the cached entries belong to; undefined before the first check. */
  private version: string | null | undefined = undefined;

  constructor(private readonly db: Q) {
    this.versionQuery = db.selectFrom('catalog_state').select('version').where('id', '=', 1).compile();
  }

  /** Inside `pinned`: the marker read when it began (reads see the catalog as of that instant). */
  private readonly pin = new AsyncLocalStorage<string | null>();

  /**
   * Runs `fn` with the marker read once at its start: every cached read inside it skips the marker
   * query, and sees the catalog as it was then (a write meanwhile is seen by the next call outside).
   * For bulk work that reads the catalog thousands of times in a row (the generated order history).
   */
  async pinned<T>(fn: () => Promise<T>): Promise<T> {
    const version = await this.check();
    return this.pin.run(version, fn);
  }

  /** Marker reads run one after another; `queued` is the next one, not sent yet. */
  private readChain: Promise<unknown> = Promise.resolve();
  private queued: Promise<string | null> | null = null;

  /**
   * Reads the marker and drops every entry when it changed; returns the marker for `fill`.
   * Concurrent calls share a read that had not been sent when they asked (it starts after every
   * one of them, so it sees every write committed before any of them began): under load, one
   * primary-key read serves many calls instead of one each (a round trip per call on PostgreSQL).
   */
  check(): Promise<string | null> {
    const pinned = this.pin.getStore();
    if (pinned !== undefined) return Promise.resolve(pinned);
    if (this.queued) return this.queued;
    const run: Promise<string | null> = this.readChain.then(async () => {
      if (this.queued === run) this.queued = null;
      const row = (await this.db.executeQuery(this.versionQuery)).rows[0];
      const version = row?.version ?? null;
      if (version !== this.version) {
        this.products.clear();
        this.merchants.clear();
        this.version = version;
      }
      return version;
    });
    this.queued = run;
    this.readChain = run.catch(() => undefined);
    return run;
  }

  /**
   * Products of a marketplace: cached ones, and the others loaded by `load` and kept when the
   * catalog did not change meanwhile (`seen` is what `check` returned before loading).
   */
  async productsOf(region: string, asins: readonly string[], seen: string | null, load: (missing: string[]) => Promise<Map<string, StoredProduct>>): Promise<Map<string, StoredProduct>> {
    const out = new Map<string, StoredProduct>();
    const missing: string[] = [];
    for (const asin of asins) {
      const key = `${region}|${asin}`;
      if (!this.products.has(key)) missing.push(asin);
      else {
        const hit = this.products.get(key);
        if (hit) out.set(asin, hit);
      }
    }
    if (missing.length) {
      const loaded = await load(missing);
      const keep = this.version === seen;
      for (const asin of missing) {
        const p = loaded.get(asin) ?? null;
        if (keep) this.products.set(`${region}|${asin}`, p);
        if (p) out.set(asin, p);
      }
    }
    return out;
  }

  /** Merchants by id, like `productsOf`. */
  async merchantsOf(ids: readonly string[], seen: string | null, load: (missing: string[]) => Promise<Map<string, Merchant>>): Promise<Map<string, Merchant>> {
    const out = new Map<string, Merchant>();
    const missing: string[] = [];
    for (const id of ids) {
      if (!this.merchants.has(id)) missing.push(id);
      else {
        const hit = this.merchants.get(id);
        if (hit) out.set(id, hit);
      }
    }
    if (missing.length) {
      const loaded = await load([...new Set(missing)]);
      const keep = this.version === seen;
      for (const id of missing) {
        const m = loaded.get(id) ?? null;
        if (keep) this.merchants.set(id, m);
        if (m) out.set(id, m);
      }
    }
    return out;
  }
}

import type { AppContext } from '../../app-context.ts';
import { AppError } from '../../kernel/errors.ts';
import { newId } from '../../kernel/ids.ts';
import type { PostalAddress } from '../accounts/index.ts';
import { marketFacts, taxExclusiveMinor, type CatalogService } from '../catalog/index.ts';
import { ADDED_SALES_TAX, storeCountry, totalOf, type LineRequest, type PurchasingService, type QuotedLine } from '../purchasing/index.ts';
import { cartRejections, limitBroken, type CartRejection } from './domain/rules.ts';
import * as repo from './carts.repository.ts';
import type { Transaction } from 'kysely';
import type { Database } from '../../database.ts';
import { GroupCommit } from '../../platform/db/group-commit.ts';

/** The only cart type of the Cart model. */
export const DEFAULT_CART = 'DEFAULT';

/** A cart: whose it is, in which store. */
export interface CartRecord {
  readonly id: string;
  readonly businessId: string;
  readonly userId: string;
  /** Marketplace code (US, DE, …). */
  readonly region: string;
  readonly cartType: string;
  /** Moves with every change to the cart or its items. */
  readonly version: number;
  readonly createdAt: number;
  readonly modifiedAt: number;
}

/** An item of a cart, priced for its buyer now from the catalog. */
export interface PricedItem {
  readonly id: string;
  readonly asin: string;
  readonly offerId: string;
  readonly quantity: number;
  readonly addedAt: number;
  readonly modifiedAt: number;
  readonly currency: string;
  /** The whole quantity can be bought now (offer still there, in stock, allowed by the buying policies). */
  readonly available: boolean;
  /** Unit price for this quantity (quantity tiers applied), as the store shows it; null when the offer is gone. */
  readonly unitMinor: number | null;
  readonly taxExclusiveUnitMinor: number | null;
  readonly title: string | null;
  /** Why the item cannot be bought whole (empty when available). */
  readonly rejections: readonly CartRejection[];
}

/** An item to add: a product and one of its buying options. */
export interface ItemAdd {
  readonly externalId: string;
  readonly asin: string;
  readonly offerId: string;
  readonly quantity: number;
}

/** A new quantity for an item of the cart. */
export interface ItemChange {
  readonly itemId: string;
  readonly quantity: number;
}

/** A refused add or change: the id the caller sent (externalId or itemId) and why. */
export interface ItemRefusal {
  readonly id: string;
  readonly rejections: readonly CartRejection[];
}

/** What adding or changing items gave: every item of the cart now, and what was refused. */
export interface CartChange {
  readonly items: readonly PricedItem[];
  readonly refused: readonly ItemRefusal[];
}

/** A charge of an estimate, as placeOrder charges it (sums over the cart's items). */
export interface EstimatedCharge {
  readonly category: 'SUBTOTAL' | 'SHIPPING';
  readonly type: 'PRINCIPAL' | 'TAX';
  readonly amountMinor: number;
}

/** A purchase-cost estimate: charges, or why there are none. */
export interface Estimate {
  readonly currency: string;
  readonly charges: readonly EstimatedCharge[];
  readonly totalMinor: number;
  /** Items that cannot be bought as they are (with each one's reasons). */
  readonly unsupported: readonly ItemRefusal[];
  /** Why nothing could be estimated at all (an empty cart, an address outside the store's country). */
  readonly refusal: string | null;
}

/** Who asks for a cart: the token's business, and the buyer when the caller names one. */
export interface CartScope {
  readonly businessId: string;
  readonly userId: string | null;
}

// A concurrent change to the same items between pricing and writing: price again. Each round
// one of the writers racing on an item wins, so N racing requests need at most N rounds.
class Stale extends Error {}
const ATTEMPTS = 25;

const keyOf = (asin: string, offerId: string): string => `${asin}|${offerId}`;
/** Carts whose priced items a process keeps. */
const MAX_CACHED_CARTS = 10_000;

const toCart = (r: repo.CartRow): CartRecord => ({
  id: r.id,
  businessId: r.business_id,
  userId: r.user_id,
  region: r.region,
  cartType: r.cart_type,
  version: Number(r.version),
  createdAt: Number(r.created_at),
  modifiedAt: Number(r.modified_at),
});

/**
 * Carts: one DEFAULT cart per buyer and store, created on first use; items that merge by product
 * and buying option; and prices, availability and purchase-cost estimates that come from the
 * purchasing module's quote, the same code that prices placeOrder.
 */
export class CartsService {
  private readonly writer: GroupCommit;
  // Priced items per cart, valid while the cart's version and the catalog's version are the ones
  // they were priced at, and until a business's buying policies change (here or, through the shared
  // cache version, in another process). Item prices and availability depend on nothing else.
  private readonly pricedItems = new Map<string, { version: number; catalog: string | null; items: PricedItem[] }>();
  // Moves whenever the cache is emptied by a change of policies or of the world.
  private generation = 0;

  constructor(
    private readonly ctx: AppContext,
    private readonly deps: { purchasing: PurchasingService; catalog: CatalogService },
  ) {
    this.writer = new GroupCommit(ctx.db);
    ctx.events.on((e) => {
      if (e.type === 'business.changed' || e.type === 'world.replaced' || e.type === 'caches.stale') {
        this.pricedItems.clear();
        this.generation++;
      }
    });
  }

  /**
   * Keeps a cart's priced items, unless the policies (or the world) changed since their pricing
   * began (`generation` then): they may have been priced under the old ones.
   */
  private remember(cartId: string, version: number, catalog: string | null, items: PricedItem[], generation: number): void {
    if (generation !== this.generation) return;
    if (this.pricedItems.size >= MAX_CACHED_CARTS) this.pricedItems.clear();
    this.pricedItems.set(cartId, { version, catalog, items });
  }

  private get db() {
    return this.ctx.db.kysely;
  }

  /** The buyer's carts in a store, paged by id; the default cart is created on first use. */
  async listCarts(
    owner: { businessId: string; userId: string },
    region: string,
    page: { size: number; afterId: string | null },
  ): Promise<{ carts: CartRecord[]; more: boolean }> {
    let rows = await repo.listCarts(this.db, owner.userId, region, page.afterId, page.size + 1);
    if (rows.length === 0 && page.afterId === null) {
      // First use: the default cart is created (a concurrent first use creating it too is no error).
      const now = this.ctx.clock.now();
      await repo.ensureCart(this.db, {
        id: newId('cart'),
        business_id: owner.businessId,
        user_id: owner.userId,
        region,
        cart_type: DEFAULT_CART,
        version: 0,
        created_at: now,
        modified_at: now,
      });
      rows = await repo.listCarts(this.db, owner.userId, region, null, page.size + 1);
    }
    return { carts: rows.slice(0, page.size).map(toCart), more: rows.length > page.size };
  }

  /** A cart the caller may see: of the token's business, of the named buyer when one is named, in this store; else 404. */
  async getCart(scope: CartScope, cartId: string, region: string): Promise<CartRecord> {
    const row = cartId.length <= 100 ? await repo.findCart(this.db, cartId) : undefined;
    if (!row || row.business_id !== scope.businessId || (scope.userId !== null && row.user_id !== scope.userId) || row.region !== region)
      throw new AppError('NotFound', `No cart ${cartId.slice(0, 100)} was found in region ${region}.`);
    return toCart(row);
  }

  /** A cart the caller may see (as `getCart`) with its items priced now; the two versions are read at once. */
  async cartWithItems(scope: CartScope, cartId: string, region: string): Promise<{ cart: CartRecord; items: PricedItem[] }> {
    // In parallel: on PostgreSQL two round trips cost one.
    const [cart, catalog] = await Promise.all([this.getCart(scope, cartId, region), this.deps.catalog.version()]);
    return { cart, items: await this.itemsAt(cart, catalog) };
  }

  /** The cart's items, priced now (from the cache while neither the cart nor the catalog changed). */
  async items(cart: CartRecord): Promise<PricedItem[]> {
    return this.itemsAt(cart, await this.deps.catalog.version());
  }

  private async itemsAt(cart: CartRecord, catalog: string | null): Promise<PricedItem[]> {
    const hit = this.pricedItems.get(cart.id);
    if (hit && hit.version === cart.version && hit.catalog === catalog) return hit.items;
    const generation = this.generation;
    const items = await this.price(cart, await repo.listItems(this.db, cart.id));
    this.remember(cart.id, cart.version, catalog, items, generation);
    return items;
  }

  /**
   * Adds items. An item whose product and buying option the cart holds already merges into it (the
   * quantities add up, the item keeps its id). An item is refused whole, with its reasons, when its
   * (merged) quantity cannot be bought now or would break the cart's limits; the others are added.
   */
  async addItems(cart: CartRecord, adds: readonly ItemAdd[]): Promise<CartChange> {
    // change() works out the quantity each add leaves, merging with the cart and with earlier adds.
    return this.change(cart, async () => {
      return adds.map((a) => {
        const key = keyOf(a.asin, a.offerId);
        return { refusalId: a.externalId, key, asin: a.asin, offerId: a.offerId, delta: a.quantity };
      });
    });
  }

  /** Sets items' quantities; an unknown item, or a quantity that cannot be bought or breaks a limit, is refused. */
  async modifyItems(cart: CartRecord, changes: readonly ItemChange[]): Promise<CartChange> {
    return this.change(cart, async (current) => {
      const byId = new Map([...current.values()].map((r) => [r.id, r]));
      return changes.map((c) => {
        const row = byId.get(c.itemId);
        return row
          ? {
              refusalId: c.itemId,
              key: keyOf(row.asin, row.offer_id),
              asin: row.asin,
              offerId: row.offer_id,
              set: c.quantity,
              itemId: row.id,
            }
          : { refusalId: c.itemId, unknown: true as const };
      });
    });
  }

  /** Empties the cart. */
  async clear(cart: CartRecord): Promise<void> {
    const now = this.ctx.clock.now();
    await this.ctx.db.transaction(async (trx) => {
      if ((await repo.lockCart(trx, cart.id, now)) === null) throw new AppError('NotFound', `No cart ${cart.id} was found.`);
      await repo.deleteItems(trx, cart.id);
    });
  }

  /**
   * What ordering the cart's items to an address would cost: the charges placeOrder would make for
   * the same items and address (summed over items), or why it cannot be estimated.
   */
  async estimate(cart: CartRecord, address: PostalAddress): Promise<Estimate> {
    const facts = marketFacts(cart.region)!;
    const currency = facts.marketplace.currency;
    const none = (refusal: string): Estimate => ({ currency, charges: [], totalMinor: 0, unsupported: [], refusal });
    const country = storeCountry(cart.region);
    if (address.countryCode !== country)
      return none(`The ${cart.region} store delivers to ${country} only; the address is in ${address.countryCode}.`);
    const rows = await repo.listItems(this.db, cart.id);
    if (rows.length === 0) return none('The cart is empty: there is nothing to estimate.');
    const quote = await this.deps.purchasing.quote(
      cart.businessId,
      cart.region,
      rows.map((r) => lineOf(r, { address, addressId: null })),
    );
    const unsupported = quote.lines
      .map((l, i) => ({ line: l, row: rows[i]! }))
      .filter(({ line }) => line.accepted < line.requested)
      .map(({ line, row }) => ({ id: row.id, rejections: cartRejections(line.rejected) }));
    if (unsupported.length) return { currency, charges: [], totalMinor: 0, unsupported, refusal: null };
    const sum = (pick: (l: QuotedLine) => number) => quote.lines.reduce((s, l) => s + pick(l), 0);
    const subtotal = sum((l) => l.price.subtotalMinor);
    const shipping = sum((l) => l.price.shippingMinor);
    const tax = sum((l) => l.price.taxMinor);
    return {
      currency,
      charges: [
        { category: 'SUBTOTAL', type: 'PRINCIPAL', amountMinor: subtotal },
        { category: 'SHIPPING', type: 'PRINCIPAL', amountMinor: shipping },
        { category: 'SUBTOTAL', type: 'TAX', amountMinor: tax },
      ],
      totalMinor: totalOf(cart.region, subtotal, shipping, tax),
      unsupported: [],
      refusal: null,
    };
  }

  /** Carts of a business with their buyers' items, for the business pages (most recently changed first). */
  async listForBusiness(businessId: string, limit = 100): Promise<{ cart: CartRecord; items: PricedItem[] }[]> {
    const carts = (await repo.listBusinessCarts(this.db, businessId, limit)).map(toCart);
    return Promise.all(carts.map(async (cart) => ({ cart, items: await this.items(cart) })));
  }

  /**
   * One add or modify. One quote prices each step's target quantity and the cart's items this
   * process has not priced yet (outside any transaction: the catalog is read); then, under the
   * cart's lock, the write checks the items it touches did not move since, applies the limits and
   * writes; the answer is built from that quote and the cached prices. A change that raced another on the same cart is priced again. Writes of concurrent
   * requests share a commit (group commit).
   */
  private async change(cart: CartRecord, plan: (current: ReadonlyMap<string, repo.CartItemRow>) => Promise<Step[]>): Promise<CartChange> {
    for (let attempt = 1; ; attempt++) {
      const rows = await repo.listItems(this.db, cart.id);
      const current = new Map(rows.map((r) => [keyOf(r.asin, r.offer_id), r]));
      const steps = await plan(current);
      // The quantity each step asks for: a set quantity, or the cart's plus every earlier add of the same item.
      const wanted = new Map<string, number>();
      const asks = steps.map((s) => {
        if ('unknown' in s) return null;
        const base = wanted.get(s.key) ?? current.get(s.key)?.quantity ?? 0;
        const quantity = 'set' in s ? s.set! : base + s.delta!;
        wanted.set(s.key, quantity);
        return quantity;
      });
      const targets = steps.flatMap((s, i) =>
        'unknown' in s ? [] : [{ id: s.refusalId, asin: s.asin, offer_id: s.offerId, quantity: asks[i]! }],
      );
      // Items this process priced before at their current quantity, with the catalog as it is now,
      // are not priced again: a price depends only on the item, its quantity, the catalog and the
      // business's buying policies (whose changes empty the cache).
      const generation = this.generation;
      const catalog = await this.deps.catalog.version();
      const hit = this.pricedItems.get(cart.id);
      const known = new Map<string, PricedItem>();
      if (hit && hit.catalog === catalog)
        for (const item of hit.items) known.set(`${keyOf(item.asin, item.offerId)}|${item.quantity}`, item);
      const unknownRows = rows.filter((r) => !known.has(`${keyOf(r.asin, r.offer_id)}|${r.quantity}`));
      const quoted = [...unknownRows, ...targets];
      const quote = await this.deps.purchasing.quote(
        cart.businessId,
        cart.region,
        quoted.map((r) => lineOf(r, null)),
      );
      // Priced lines by item and quantity: what the answer is built from once written.
      const priced = new Map<string, QuotedLine>();
      quoted.forEach((r, i) => priced.set(`${keyOf(r.asin, r.offer_id)}|${r.quantity}`, quote.lines[i]!));
      let n = unknownRows.length;
      const verdicts = steps.map((s): CartRejection[] | null => {
        if ('unknown' in s) return [{ type: 'RejectionMessage', message: `The cart has no item ${s.refusalId.slice(0, 100)}.` }];
        const line = quote.lines[n++]!;
        return line.accepted < line.requested ? cartRejections(line.rejected) : null;
      });
      try {
        const written = await this.writer.submit((trx) => this.write(trx, cart, rows, steps, asks, verdicts));
        const items: PricedItem[] = [];
        for (const r of written.rows) {
          const key = `${keyOf(r.asin, r.offer_id)}|${r.quantity}`;
          const line = priced.get(key);
          const before = known.get(key);
          if (line) items.push(this.priced(cart, r, line, quote.currency));
          else if (before) items.push({ ...before, id: r.id, addedAt: Number(r.added_at), modifiedAt: Number(r.modified_at) });
          else return { items: await this.items({ ...cart, version: written.version }), refused: written.refused };
        }
        this.remember(cart.id, written.version, catalog, items, generation);
        return { items, refused: written.refused };
      } catch (err) {
        if (!(err instanceof Stale)) throw err;
        if (attempt >= ATTEMPTS)
          throw new AppError('ServiceUnavailable', 'The cart is being changed by many requests at once; send the request again.');
      }
    }
  }

  /** The write of a change, in the (shared) transaction: its refusals and the cart's rows after it. */
  private async write(
    trx: Transaction<Database>,
    cart: CartRecord,
    seen: readonly repo.CartItemRow[],
    steps: readonly Step[],
    asks: readonly (number | null)[],
    verdicts: readonly (CartRejection[] | null)[],
  ): Promise<{ refused: ItemRefusal[]; rows: repo.CartItemRow[]; version: number }> {
    const now = this.ctx.clock.now();
    const version = await repo.lockCart(trx, cart.id, now);
    if (version === null) throw new AppError('NotFound', `No cart ${cart.id} was found.`);
    const rows = await repo.listItems(trx, cart.id);
    // Only the items this change touches must be as they were priced; others may have changed
    // meanwhile (the limits below are checked against the cart as it is now).
    const touched = new Set(steps.flatMap((st) => ('unknown' in st ? [] : [st.key])));
    const quantityOf = (list: readonly repo.CartItemRow[], key: string) => list.find((r) => keyOf(r.asin, r.offer_id) === key)?.quantity;
    for (const key of touched) if (quantityOf(rows, key) !== quantityOf(seen, key)) throw new Stale();
    const byKey = new Map(rows.map((r) => [keyOf(r.asin, r.offer_id), { ...r }]));
    let position = rows.reduce((max, r) => Math.max(max, r.position), 0);
    const contents = new Map(rows.map((r) => [keyOf(r.asin, r.offer_id), r.quantity]));
    const refused: ItemRefusal[] = [];
    for (const [i, s] of steps.entries()) {
      const verdict = verdicts[i];
      if (verdict) {
        refused.push({ id: s.refusalId, rejections: verdict });
        continue;
      }
      if ('unknown' in s) continue;
      // An add counts on what this request already added of the same item.
      const quantity = 'set' in s ? s.set! : (contents.get(s.key) ?? 0) + s.delta!;
      const broken = limitBroken(contents, s.key, quantity);
      // The cart did not change since pricing, so a different quantity means an earlier entry of
      // this request for the same item was refused: this one was priced for a quantity that is not coming.
      if (broken || quantity !== asks[i]) {
        const message = 'An earlier entry of this request for the same item was refused, so this one was too.';
        refused.push({ id: s.refusalId, rejections: broken ? [broken] : [{ type: 'RejectionMessage', message }] });
        continue;
      }
      const row = byKey.get(s.key);
      if (row) {
        await repo.setQuantity(trx, row.id, quantity, now);
        Object.assign(row, { quantity, modified_at: now });
      } else {
        const added = {
          id: newId('item'),
          cart_id: cart.id,
          asin: s.asin,
          offer_id: s.offerId,
          position: ++position,
          quantity,
          added_at: now,
          modified_at: now,
        };
        await repo.insertItem(trx, added);
        byKey.set(s.key, added);
      }
      contents.set(s.key, quantity);
    }
    return { refused, rows: [...byKey.values()], version };
  }

  private async price(cart: CartRecord, rows: readonly repo.CartItemRow[]): Promise<PricedItem[]> {
    if (rows.length === 0) return [];
    const quote = await this.deps.purchasing.quote(
      cart.businessId,
      cart.region,
      rows.map((r) => lineOf(r, null)),
    );
    return rows.map((r, i) => this.priced(cart, r, quote.lines[i]!, quote.currency));
  }

  /** An item with the price and availability its quoted line says. */
  private priced(cart: CartRecord, r: repo.CartItemRow, line: QuotedLine, currency: string): PricedItem {
    const unit = line.offered?.unitMinor ?? null;
    const available = line.accepted === line.requested;
    return {
      id: r.id,
      asin: r.asin,
      offerId: r.offer_id,
      quantity: r.quantity,
      addedAt: Number(r.added_at),
      modifiedAt: Number(r.modified_at),
      currency,
      available,
      unitMinor: unit,
      taxExclusiveUnitMinor:
        unit === null ? null : ADDED_SALES_TAX[cart.region] ? unit : taxExclusiveMinor(unit, marketFacts(cart.region)!.includedTaxRate),
      title: line.title,
      rejections: available ? [] : cartRejections(line.rejected),
    };
  }
}

/** One planned add or change of `change`. */
type Step =
  { refusalId: string; key: string; asin: string; offerId: string; delta?: number; set?: number } | { refusalId: string; unknown: true };

/** A cart item as an order line: its product and buying option, its quantity, shipped to the address (if any). */
function lineOf(r: { id: string; asin: string; offer_id: string; quantity: number }, shipTo: LineRequest['shipTo']): LineRequest {
  return {
    externalId: r.id,
    quantity: r.quantity,
    asin: r.asin,
    offerId: r.offer_id,
    shipTo,
    expectedUnitMinor: null,
    expectedCharges: [],
  };
}

import type { OrderRange, OrderView, PurchasingService } from '../../modules/purchasing/index.ts';
import { invalidParameter } from './errors.ts';
import type { PageScope, PageTokens } from './page-token.ts';

/**
 * Pages of report rows over a business's orders (Reporting, Reconciliation): orders are read oldest
 * first and each expands to its rows (itself, its lines, its shipments, …). A page holds up to
 * `pageSize` rows and may end inside an order. The whole walk is seen at one instant, the first
 * page's, and covers the orders placed by then: orders placed later, or the clock moving between
 * pages, never shift a page, repeat a row or skip one.
 */

/** Where the next page starts: the order (placed at, id), how many of its rows were given, and the walk's instant. */
interface ReportCursor {
  readonly p: number;
  readonly i: string;
  readonly s: number;
  readonly at: number;
}

const isCursor = (v: unknown): v is ReportCursor => {
  if (typeof v !== 'object' || v === null) return false;
  const c = v as Record<string, unknown>;
  return (
    Number.isSafeInteger(c.p) &&
    typeof c.i === 'string' &&
    c.i.length <= 100 &&
    Number.isSafeInteger(c.s) &&
    (c.s as number) >= 0 &&
    Number.isSafeInteger(c.at)
  );
};

/** What a report page is read from. */
export interface ReportPageRequest<T> {
  readonly purchasing: PurchasingService;
  readonly tokens: PageTokens;
  readonly scope: PageScope;
  /** The `nextPageToken` sent, if any. */
  readonly token: string | undefined;
  readonly range: Omit<OrderRange, 'after' | 'limit'>;
  readonly pageSize: number;
  /** The instant of a first page (the clock's now). */
  readonly now: number;
  /** The rows an order gives, in a stable order. */
  expand(order: OrderView): readonly T[];
}

/** One page of rows and the token of the next, if there is more. */
export async function reportPage<T>(r: ReportPageRequest<T>): Promise<{ rows: T[]; nextPageToken: string | undefined }> {
  let cursor: ReportCursor | null = null;
  if (r.token !== undefined) {
    const decoded = r.tokens.decode(r.token, r.scope);
    if (!isCursor(decoded)) throw invalidParameter('Invalid value for request parameter [nextPageToken].');
    cursor = decoded;
  }
  const at = cursor?.at ?? r.now;
  const to = Math.min(r.range.to, at);
  const rows: T[] = [];
  let after: OrderRange['after'] = cursor ? { placedAt: cursor.p, id: cursor.i, inclusive: true } : undefined;
  let skip = cursor?.s ?? 0;
  // One more order than a page needs, so that a page ending on an order boundary usually knows from
  // the same read whether anything follows.
  const batch = Math.min(Math.max(r.pageSize + 1, 20), 201);
  let full: { order: OrderView; rows: number } | null = null;
  for (;;) {
    const orders = await r.purchasing.ordersInRange({ ...r.range, to, ...(after ? { after } : {}), limit: batch }, at);
    for (const order of orders) {
      const all = r.expand(order);
      if (full) {
        // The page is full: a next page exists if this order (or a later one) has rows.
        if (all.length > 0)
          return { rows, nextPageToken: r.tokens.encode({ p: full.order.placedAt, i: full.order.id, s: full.rows, at }, r.scope) };
        after = { placedAt: order.placedAt, id: order.id };
        continue;
      }
      const rest = all.slice(skip);
      skip = 0;
      const room = r.pageSize - rows.length;
      if (rest.length > room) {
        rows.push(...rest.slice(0, room));
        const next: ReportCursor = { p: order.placedAt, i: order.id, s: all.length - rest.length + room, at };
        return { rows, nextPageToken: r.tokens.encode(next, r.scope) };
      }
      rows.push(...rest);
      after = { placedAt: order.placedAt, id: order.id };
      if (rows.length === r.pageSize) full = { order, rows: all.length };
    }
    if (orders.length < batch) return { rows, nextPageToken: undefined };
  }
}

import type { Insertable, Kysely, Selectable } from 'kysely';
import type { Database } from '../../database.ts';
import { dialectOf, insertRow, insertRows } from '../../platform/db/bulk.ts';
import type {
  PurchasingOrderLinesTable,
  PurchasingOrdersTable,
  PurchasingReturnsTable,
  PurchasingShipmentItemsTable,
  PurchasingShipmentsTable,
} from './purchasing.tables.ts';

/** The purchasing module's SQL, and the only place it lives. Writes never read first: uniqueness is the index's job. */

export type OrderRow = Selectable<PurchasingOrdersTable>;
export type LineRow = Selectable<PurchasingOrderLinesTable>;
export type ShipmentRow = Selectable<PurchasingShipmentsTable>;
export type ItemRow = Selectable<PurchasingShipmentItemsTable>;
export type ReturnRow = Selectable<PurchasingReturnsTable>;

/** An order with everything under it. */
export interface OrderRows {
  order: OrderRow;
  lines: LineRow[];
  shipments: ShipmentRow[];
  items: ItemRow[];
  returns: ReturnRow[];
}

const IDS_PER_QUERY = 500;

type Columns<T> = (keyof T & string)[];
const ORDER_COLUMNS: Columns<PurchasingOrdersTable> = [
  'id',
  'business_id',
  'external_id',
  'order_identifier',
  'request_hash',
  'app_id',
  'buyer_user_id',
  'buyer_email',
  'group_id',
  'region',
  'currency',
  'placed_at',
  'approval_reason',
  'approved_at',
  'approved_by',
  'declined_at',
  'confirm_after_ms',
  'purchase_order_number',
  'blanket_purchase_order',
  'ship_preference',
  'price_suppressed',
  'payment_method',
  'shipping_address',
  'billing_address',
  'extras',
  'subtotal_minor',
  'shipping_minor',
  'tax_minor',
  'result',
];
const LINE_COLUMNS: Columns<PurchasingOrderLinesTable> = [
  'order_id',
  'line_no',
  'external_id',
  'asin',
  'offer_id',
  'merchant_id',
  'title',
  'quantity_requested',
  'quantity_accepted',
  'unit_price_minor',
  'subtotal_minor',
  'shipping_minor',
  'tax_minor',
  'delivery_from',
  'delivery_to',
  'cancel_after_ms',
  'cancelled_at',
];
const SHIPMENT_COLUMNS: Columns<PurchasingShipmentsTable> = [
  'id',
  'order_id',
  'position',
  'identifier',
  'package_id',
  'carrier',
  'tracking_number',
  'ship_after_ms',
  'deliver_after_ms',
  'delay_ms',
  'window_from',
  'window_to',
  'invoice_number',
];
const ITEM_COLUMNS: Columns<PurchasingShipmentItemsTable> = ['shipment_id', 'order_id', 'line_no', 'quantity'];

/**
 * Inserts an order and its lines, shipments and shipment items. False, and nothing written, when
 * the business already has an order under that external id (the unique index decides, so two
 * concurrent requests with one id create one order).
 */
/** The rows of one order as placing writes them. */
export interface OrderInsert {
  order: Insertable<PurchasingOrdersTable>;
  lines: Insertable<PurchasingOrderLinesTable>[];
  shipments: Insertable<PurchasingShipmentsTable>[];
  items: Insertable<PurchasingShipmentItemsTable>[];
}

export async function insertOrder(trx: Kysely<Database>, rows: OrderInsert): Promise<boolean> {
  // Written as plain statements (platform/db/bulk.ts): building them with Kysely costs more than running them.
  const dialect = dialectOf(trx);
  const suffix = 'on conflict (business_id, external_id) do nothing';
  if ((await insertRow(trx, dialect, { table: 'purchasing_orders', columns: ORDER_COLUMNS, suffix }, rows.order)) === 0) return false;
  await insertRows(trx, dialect, { table: 'purchasing_order_lines', columns: LINE_COLUMNS }, rows.lines);
  await insertRows(trx, dialect, { table: 'purchasing_shipments', columns: SHIPMENT_COLUMNS }, rows.shipments);
  await insertRows(trx, dialect, { table: 'purchasing_shipment_items', columns: ITEM_COLUMNS }, rows.items);
  return true;
}

const RETURN_COLUMNS: Columns<PurchasingReturnsTable> = [
  'id',
  'order_id',
  'line_no',
  'quantity',
  'returned_at',
  'credit_number',
  'reason',
  'actor',
];

/** Many orders (and returns) at once, with as few statements as the parameter limit allows (the generated history). */
export async function insertOrders(
  trx: Kysely<Database>,
  orders: readonly OrderInsert[],
  returns: readonly Insertable<PurchasingReturnsTable>[],
): Promise<void> {
  const dialect = dialectOf(trx);
  await insertRows(
    trx,
    dialect,
    { table: 'purchasing_orders', columns: ORDER_COLUMNS },
    orders.map((o) => o.order),
  );
  await insertRows(
    trx,
    dialect,
    { table: 'purchasing_order_lines', columns: LINE_COLUMNS },
    orders.flatMap((o) => o.lines),
  );
  await insertRows(
    trx,
    dialect,
    { table: 'purchasing_shipments', columns: SHIPMENT_COLUMNS },
    orders.flatMap((o) => o.shipments),
  );
  await insertRows(
    trx,
    dialect,
    { table: 'purchasing_shipment_items', columns: ITEM_COLUMNS },
    orders.flatMap((o) => o.items),
  );
  await insertRows(trx, dialect, { table: 'purchasing_returns', columns: RETURN_COLUMNS }, returns);
}

/** Which of these external ids the businesses have used (as `businessId|externalId`). */
export async function existingExternalIds(
  db: Kysely<Database>,
  businessIds: readonly string[],
  externalIds: readonly string[],
): Promise<Set<string>> {
  if (businessIds.length === 0 || externalIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('purchasing_orders')
    .select(['business_id', 'external_id'])
    .where('business_id', 'in', [...businessIds])
    .where('external_id', 'in', [...externalIds])
    .execute();
  return new Set(rows.map((r) => `${r.business_id}|${r.external_id}`));
}

/** The order a business placed under an external id. */
export async function findByExternalId(db: Kysely<Database>, businessId: string, externalId: string): Promise<OrderRow | undefined> {
  return db
    .selectFrom('purchasing_orders')
    .selectAll()
    .where('business_id', '=', businessId)
    .where('external_id', '=', externalId)
    .executeTakeFirst();
}

/** An order by its internal id or its Amazon-style order id. */
export async function findByRef(db: Kysely<Database>, ref: string): Promise<OrderRow | undefined> {
  return db
    .selectFrom('purchasing_orders')
    .selectAll()
    .where((eb) => eb.or([eb('id', '=', ref), eb('order_identifier', '=', ref)]))
    .executeTakeFirst();
}

/** The lines, shipments and shipment items of some orders. */
export async function loadParts(db: Kysely<Database>, orders: readonly OrderRow[]): Promise<OrderRows[]> {
  const ids = orders.map((o) => o.id);
  const lines: LineRow[] = [];
  const shipments: ShipmentRow[] = [];
  const items: ItemRow[] = [];
  const returns: ReturnRow[] = [];
  for (let i = 0; i < ids.length; i += IDS_PER_QUERY) {
    const chunk = ids.slice(i, i + IDS_PER_QUERY);
    const [l, s, it, r] = await Promise.all([
      db.selectFrom('purchasing_order_lines').selectAll().where('order_id', 'in', chunk).orderBy('order_id').orderBy('line_no').execute(),
      db.selectFrom('purchasing_shipments').selectAll().where('order_id', 'in', chunk).orderBy('order_id').orderBy('position').execute(),
      db
        .selectFrom('purchasing_shipment_items')
        .selectAll()
        .where('order_id', 'in', chunk)
        .orderBy('order_id')
        .orderBy('line_no')
        .execute(),
      db.selectFrom('purchasing_returns').selectAll().where('order_id', 'in', chunk).orderBy('returned_at').orderBy('id').execute(),
    ]);
    lines.push(...l);
    shipments.push(...s);
    items.push(...it);
    returns.push(...r);
  }
  const group = <T extends { order_id: string }>(rows: T[]) => {
    const m = new Map<string, T[]>();
    for (const r of rows) m.set(r.order_id, [...(m.get(r.order_id) ?? []), r]);
    return m;
  };
  const [ls, ss, is, rs] = [group(lines), group(shipments), group(items), group(returns)];
  return orders.map((order) => ({
    order,
    lines: ls.get(order.id) ?? [],
    shipments: ss.get(order.id) ?? [],
    items: is.get(order.id) ?? [],
    returns: rs.get(order.id) ?? [],
  }));
}

/** Orders of a business (or of every business), newest first, at most `limit`, placed before `before` when given. */
export async function listOrders(
  db: Kysely<Database>,
  filter: { businessId: string | null; limit: number; before?: { placedAt: number; id: string } },
): Promise<OrderRow[]> {
  let q = db.selectFrom('purchasing_orders').selectAll();
  if (filter.businessId !== null) q = q.where('business_id', '=', filter.businessId);
  const before = filter.before;
  if (before)
    q = q.where((eb) =>
      eb.or([eb('placed_at', '<', before.placedAt), eb.and([eb('placed_at', '=', before.placedAt), eb('id', '<', before.id)])]),
    );
  return q.orderBy('placed_at', 'desc').orderBy('id', 'desc').limit(filter.limit).execute();
}

/** What the reports select orders by: a business, a range of order dates, and optional narrowing. */
export interface OrderRange {
  businessId: string;
  /** Inclusive bounds of the order date, epoch ms. */
  from: number;
  to: number;
  /** Stores (US, DE, …) the orders were placed in. */
  regions?: readonly string[];
  orderIdentifiers?: readonly string[];
  purchaseOrderNumbers?: readonly string[];
  /** Orders after this one in (placed_at, id) order (and this one too when `inclusive`). */
  after?: { placedAt: number; id: string; inclusive?: boolean };
  limit: number;
}

/** A business's orders within a range of order dates, oldest first (orders placed later come after: pages stay stable). */
export async function ordersInRange(db: Kysely<Database>, r: OrderRange): Promise<OrderRow[]> {
  let q = db
    .selectFrom('purchasing_orders')
    .selectAll()
    .where('business_id', '=', r.businessId)
    .where('placed_at', '>=', r.from)
    .where('placed_at', '<=', r.to);
  if (r.regions !== undefined) q = q.where('region', 'in', r.regions.length ? [...r.regions] : ['']);
  if (r.orderIdentifiers !== undefined) q = q.where('order_identifier', 'in', r.orderIdentifiers.length ? [...r.orderIdentifiers] : ['']);
  if (r.purchaseOrderNumbers !== undefined)
    q = q.where('purchase_order_number', 'in', r.purchaseOrderNumbers.length ? [...r.purchaseOrderNumbers] : ['']);
  const after = r.after;
  if (after)
    q = q.where((eb) =>
      eb.or([
        eb('placed_at', '>', after.placedAt),
        eb.and([eb('placed_at', '=', after.placedAt), eb('id', after.inclusive ? '>=' : '>', after.id)]),
      ]),
    );
  return q.orderBy('placed_at').orderBy('id').limit(r.limit).execute();
}

/** A business's orders by their Amazon-style ids. */
export async function ordersByIdentifier(db: Kysely<Database>, businessId: string, identifiers: readonly string[]): Promise<OrderRow[]> {
  if (identifiers.length === 0) return [];
  return db
    .selectFrom('purchasing_orders')
    .selectAll()
    .where('business_id', '=', businessId)
    .where('order_identifier', 'in', [...identifiers])
    .orderBy('placed_at')
    .orderBy('id')
    .execute();
}

/** A business's orders that have an invoice (a shipment) or a credit memo (a return) with one of these numbers. */
export async function ordersByDocumentNumber(db: Kysely<Database>, businessId: string, numbers: readonly string[]): Promise<OrderRow[]> {
  if (numbers.length === 0) return [];
  const list = [...numbers];
  return db
    .selectFrom('purchasing_orders')
    .selectAll()
    .where('business_id', '=', businessId)
    .where((eb) =>
      eb.or([
        eb('id', 'in', eb.selectFrom('purchasing_shipments').select('order_id').where('invoice_number', 'in', list)),
        eb('id', 'in', eb.selectFrom('purchasing_returns').select('order_id').where('credit_number', 'in', list)),
      ]),
    )
    .execute();
}

/**
 * Takes an order's write lock for the rest of the transaction (PostgreSQL locks the row; SQLite
 * writes one transaction at a time), so that a check and the write it allows cannot interleave
 * with another's.
 */
export async function lockOrder(trx: Kysely<Database>, orderId: string): Promise<void> {
  await trx
    .updateTable('purchasing_orders')
    .set((eb) => ({ id: eb.ref('id') }))
    .where('id', '=', orderId)
    .execute();
}

/** How many items of a line were returned so far. */
export async function returnedQuantity(trx: Kysely<Database>, orderId: string, lineNo: number): Promise<number> {
  const r = await trx
    .selectFrom('purchasing_returns')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('quantity'), eb.lit(0)).as('n'))
    .where('order_id', '=', orderId)
    .where('line_no', '=', lineNo)
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}

/** Records a return. */
export async function insertReturn(db: Kysely<Database>, row: Insertable<PurchasingReturnsTable>): Promise<void> {
  await db.insertInto('purchasing_returns').values(row).execute();
}

/** How many orders each business has placed. */
export async function countOrders(db: Kysely<Database>): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('purchasing_orders')
    .select(['business_id', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('business_id')
    .execute();
  return new Map(rows.map((r) => [r.business_id, Number(r.n)]));
}

/** Records an approval or a decline of an order that waits for one; false when it does not (any more). */
export async function decideApproval(
  db: Kysely<Database>,
  orderId: string,
  decision: { approvedAt: number; by: string } | { declinedAt: number; by: string },
): Promise<boolean> {
  const set =
    'approvedAt' in decision
      ? { approved_at: decision.approvedAt, approved_by: decision.by }
      : { declined_at: decision.declinedAt, approved_by: decision.by };
  const r = await db
    .updateTable('purchasing_orders')
    .set(set)
    .where('id', '=', orderId)
    .where('approval_reason', 'is not', null)
    .where('approved_at', 'is', null)
    .where('declined_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Records that the seller cancelled a line at an instant (a line already cancelled keeps its instant). */
export async function cancelLine(db: Kysely<Database>, orderId: string, lineNo: number, at: number): Promise<boolean> {
  const r = await db
    .updateTable('purchasing_order_lines')
    .set({ cancelled_at: at })
    .where('order_id', '=', orderId)
    .where('line_no', '=', lineNo)
    .where('cancelled_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Makes a shipment's delivery later by `ms`. */
export async function addDelay(db: Kysely<Database>, shipmentId: string, ms: number): Promise<void> {
  await db
    .updateTable('purchasing_shipments')
    .set((eb) => ({ delay_ms: eb('delay_ms', '+', ms) }))
    .where('id', '=', shipmentId)
    .execute();
}

import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';

// Frozen once landed. Returns of delivered items (each refunded by a credit memo on the virtual
// clock; invoices and payments are derived from the order rows), the number of the invoice each
// shipment gets when it ships (and of the credit memo of each return), so that both can be looked
// up by number, and the indexes the reports read (by order date; by purchase order). Times are epoch ms.

const ALPHABET = '0123456789ABCDEFGHJKLMNPQRSTUVWXYZ';
/** The document number of a seed, as purchasing/domain/finance.ts makes it (copied: a migration never changes). */
function documentNumber(seed: string): string {
  const bytes = createHash('sha256').update(seed).digest();
  let out = '';
  for (let i = 0; i < 12; i++) {
    out += ALPHABET[bytes[i]! % ALPHABET.length];
    if (i === 3 || i === 7) out += '-';
  }
  return out;
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('purchasing_returns')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('order_id', 'text', (c) => c.notNull().references('purchasing_orders.id').onDelete('cascade'))
    .addColumn('line_no', 'integer', (c) => c.notNull())
    .addColumn('quantity', 'integer', (c) => c.notNull())
    .addColumn('returned_at', 'bigint', (c) => c.notNull())
    .addColumn('credit_number', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('purchasing_returns_order').on('purchasing_returns').columns(['order_id', 'line_no']).execute();
  await db.schema.createIndex('purchasing_returns_credit').unique().on('purchasing_returns').column('credit_number').execute();

  await db.schema.alterTable('purchasing_shipments').addColumn('invoice_number', 'text').execute();
  const shipments = await sql<{ id: string }>`select id from purchasing_shipments`.execute(db);
  for (const { id } of shipments.rows)
    await sql`update purchasing_shipments set invoice_number = ${documentNumber(`invoice:${id}`)} where id = ${id}`.execute(db);
  await db.schema.createIndex('purchasing_shipments_invoice').on('purchasing_shipments').column('invoice_number').execute();
  // The reports read a business's orders by order date, oldest first, with the id breaking ties:
  // this index gives that order, so a page reads its 100 orders and stops.
  await db.schema.createIndex('purchasing_orders_report').on('purchasing_orders').columns(['business_id', 'placed_at', 'id']).execute();
  await db.schema
    .createIndex('purchasing_orders_purchase_order')
    .on('purchasing_orders')
    .columns(['business_id', 'purchase_order_number'])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}

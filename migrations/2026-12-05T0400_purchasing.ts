import type { Kysely } from 'kysely';

// Frozen once landed. What a group needs to order (a stored payment method, a default ship-to
// address, an approval limit, test mode), and the purchasing module's orders: lines, shipments (one
// package each) and which quantity of which line travels in which shipment. Times are epoch ms;
// amounts are minor units of the order's currency.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('business_groups')
    .addColumn('test_mode', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('business_groups').addColumn('payment_method', 'text').execute();
  await db.schema.alterTable('business_groups').addColumn('shipping_address', 'text').execute();
  await db.schema.alterTable('business_groups').addColumn('approval_limit_minor', 'bigint').execute();

  await db.schema
    .createTable('purchasing_orders')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('business_id', 'text', (c) => c.notNull().references('businesses.id').onDelete('cascade'))
    .addColumn('external_id', 'text', (c) => c.notNull())
    .addColumn('order_identifier', 'text', (c) => c.notNull())
    .addColumn('request_hash', 'text', (c) => c.notNull())
    .addColumn('app_id', 'text')
    .addColumn('buyer_user_id', 'text', (c) => c.notNull())
    .addColumn('buyer_email', 'text', (c) => c.notNull())
    .addColumn('group_id', 'text')
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('placed_at', 'bigint', (c) => c.notNull())
    .addColumn('approval_reason', 'text')
    .addColumn('approved_at', 'bigint')
    .addColumn('approved_by', 'text')
    .addColumn('declined_at', 'bigint')
    .addColumn('confirm_after_ms', 'bigint', (c) => c.notNull())
    .addColumn('purchase_order_number', 'text')
    .addColumn('blanket_purchase_order', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('ship_preference', 'text', (c) => c.notNull())
    .addColumn('price_suppressed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('payment_method', 'text', (c) => c.notNull())
    .addColumn('shipping_address', 'text', (c) => c.notNull())
    .addColumn('billing_address', 'text')
    .addColumn('extras', 'text', (c) => c.notNull())
    .addColumn('subtotal_minor', 'bigint', (c) => c.notNull())
    .addColumn('shipping_minor', 'bigint', (c) => c.notNull())
    .addColumn('tax_minor', 'bigint', (c) => c.notNull())
    .addColumn('result', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('purchasing_orders_external_id')
    .unique()
    .on('purchasing_orders')
    .columns(['business_id', 'external_id'])
    .execute();
  await db.schema.createIndex('purchasing_orders_identifier').unique().on('purchasing_orders').column('order_identifier').execute();
  await db.schema.createIndex('purchasing_orders_placed').on('purchasing_orders').columns(['business_id', 'placed_at']).execute();

  await db.schema
    .createTable('purchasing_order_lines')
    .addColumn('order_id', 'text', (c) => c.notNull().references('purchasing_orders.id').onDelete('cascade'))
    .addColumn('line_no', 'integer', (c) => c.notNull())
    .addColumn('external_id', 'text', (c) => c.notNull())
    .addColumn('asin', 'text')
    .addColumn('offer_id', 'text')
    .addColumn('merchant_id', 'text')
    .addColumn('title', 'text')
    .addColumn('quantity_requested', 'integer', (c) => c.notNull())
    .addColumn('quantity_accepted', 'integer', (c) => c.notNull())
    .addColumn('unit_price_minor', 'bigint', (c) => c.notNull())
    .addColumn('subtotal_minor', 'bigint', (c) => c.notNull())
    .addColumn('shipping_minor', 'bigint', (c) => c.notNull())
    .addColumn('tax_minor', 'bigint', (c) => c.notNull())
    .addColumn('delivery_from', 'text')
    .addColumn('delivery_to', 'text')
    .addColumn('cancel_after_ms', 'bigint')
    .addColumn('cancelled_at', 'bigint')
    .addPrimaryKeyConstraint('purchasing_order_lines_pk', ['order_id', 'line_no'])
    .execute();

  await db.schema
    .createTable('purchasing_shipments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('order_id', 'text', (c) => c.notNull().references('purchasing_orders.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('identifier', 'text', (c) => c.notNull())
    .addColumn('package_id', 'text', (c) => c.notNull())
    .addColumn('carrier', 'text', (c) => c.notNull())
    .addColumn('tracking_number', 'text', (c) => c.notNull())
    .addColumn('ship_after_ms', 'bigint', (c) => c.notNull())
    .addColumn('deliver_after_ms', 'bigint', (c) => c.notNull())
    .addColumn('delay_ms', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('window_from', 'text', (c) => c.notNull())
    .addColumn('window_to', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('purchasing_shipments_order').on('purchasing_shipments').columns(['order_id', 'position']).execute();
  await db.schema.createIndex('purchasing_shipments_tracking').on('purchasing_shipments').column('tracking_number').execute();

  await db.schema
    .createTable('purchasing_shipment_items')
    .addColumn('shipment_id', 'text', (c) => c.notNull().references('purchasing_shipments.id').onDelete('cascade'))
    .addColumn('order_id', 'text', (c) => c.notNull().references('purchasing_orders.id').onDelete('cascade'))
    .addColumn('line_no', 'integer', (c) => c.notNull())
    .addColumn('quantity', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('purchasing_shipment_items_pk', ['shipment_id', 'line_no'])
    .execute();
  await db.schema.createIndex('purchasing_shipment_items_order').on('purchasing_shipment_items').column('order_id').execute();
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}

import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database } from '../../database.ts';
import type { CartItemsTable, CartsTable } from './carts.tables.ts';

/** The carts module's only SQL. */

export type CartRow = Selectable<CartsTable>;
export type CartItemRow = Selectable<CartItemsTable>;
type Q = Kysely<Database>;

/** Creates the buyer's cart of a type in a store unless it exists (a concurrent creation is not an error). */
export async function ensureCart(db: Q, row: CartRow): Promise<void> {
  await db
    .insertInto('carts')
    .values(row)
    .onConflict((oc) => oc.columns(['user_id', 'region', 'cart_type']).doNothing())
    .execute();
}

/** The buyer's carts in a store, by id, after a cursor. */
export function listCarts(db: Q, userId: string, region: string, afterId: string | null, limit: number): Promise<CartRow[]> {
  let q = db.selectFrom('carts').selectAll().where('user_id', '=', userId).where('region', '=', region);
  if (afterId !== null) q = q.where('id', '>', afterId);
  return q.orderBy('id').limit(limit).execute();
}

export const findCart = (db: Q, id: string): Promise<CartRow | undefined> =>
  db.selectFrom('carts').selectAll().where('id', '=', id).executeTakeFirst();

/** Carts of a business (every buyer's), most recently changed first. */
export function listBusinessCarts(db: Q, businessId: string, limit: number): Promise<CartRow[]> {
  return db
    .selectFrom('carts')
    .selectAll()
    .where('business_id', '=', businessId)
    .orderBy('modified_at', 'desc')
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** A cart's items in the order they were first added. */
export const listItems = (db: Q, cartId: string): Promise<CartItemRow[]> =>
  db.selectFrom('cart_items').selectAll().where('cart_id', '=', cartId).orderBy('position').execute();

/**
 * Takes the cart's write lock for the rest of the transaction and moves its version (answered, or
 * null when there is no such cart): PostgreSQL locks the row; SQLite writes one transaction at a
 * time already, and the update makes this transaction a writer at once.
 */
export async function lockCart(trx: Transaction<Database>, cartId: string, now: number): Promise<number | null> {
  const r = await trx
    .updateTable('carts')
    .set((eb) => ({ modified_at: now, version: eb('version', '+', 1) }))
    .where('id', '=', cartId)
    .returning('version')
    .executeTakeFirst();
  return r ? Number(r.version) : null;
}

export const insertItem = (trx: Transaction<Database>, row: CartItemRow) => trx.insertInto('cart_items').values(row).execute();

export const setQuantity = (trx: Transaction<Database>, itemId: string, quantity: number, now: number) =>
  trx.updateTable('cart_items').set({ quantity, modified_at: now }).where('id', '=', itemId).execute();

export const deleteItems = (trx: Transaction<Database>, cartId: string) =>
  trx.deleteFrom('cart_items').where('cart_id', '=', cartId).execute();

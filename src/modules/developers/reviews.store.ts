import type { Kysely } from 'kysely';
import type { Database } from '../../database.ts';
import { newId } from '../../kernel/ids.ts';

/** What opens a review: its kind, whose it is, the app it is about (if any) and what is asked. */
export interface PendingReview {
  kind: Database['reviews']['kind'];
  developerId: string;
  appId: string | null;
  request: Record<string, unknown>;
}

/** Writes a pending review (in the caller's transaction); returns its id. */
export async function insertPendingReview(trx: Kysely<Database>, now: number, review: PendingReview): Promise<string> {
  const id = newId('rev');
  await trx
    .insertInto('reviews')
    .values({
      id,
      kind: review.kind,
      developer_id: review.developerId,
      app_id: review.appId,
      status: 'pending',
      request: JSON.stringify(review.request),
      reason: null,
      reviewer: null,
      created_at: now,
      decided_at: null,
    })
    .execute();
  return id;
}

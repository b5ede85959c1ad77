import type { Kysely } from 'kysely';
import type { AppContext } from '../../../app-context.ts';
import type { Database } from '../../../database.ts';
import { AppError, notFound, validation } from '../../../kernel/errors.ts';
import { newId, randomSecret } from '../../../kernel/ids.ts';
import { secretBoxFor, type SecretBox } from '../../../platform/crypto/secret-box.ts';
import { regionOfQueueUrl, type AttemptResult, type OpenDestination } from './transports.ts';

/** At most this many destinations per app. */
export const MAX_DESTINATIONS = 5;
/** The notice types (the `notificationType` of a message). */
export const NOTICE_TYPES = { rotation: 'CLIENT_SECRET_ROTATION', test: 'CLIENT_SECRET_NOTICE_TEST' } as const;
export type NoticeType = (typeof NOTICE_TYPES)[keyof typeof NOTICE_TYPES];
/** A claimed notice is another process's to retry only after this long (longer than an attempt may take: 10 s). */
export const LEASE_MS = 15_000;
/** The delay after a failed attempt never exceeds this. */
export const MAX_RETRY_DELAY_MS = 3_600_000;
/** Prefix of webhook signing secrets (redacted from logs by shape). */
export const SIGNING_SECRET_PREFIX = 'bzwh_';

/** A destination as shown to its developer (its secrets never are, after creation). */
export interface DestinationView {
  id: string;
  type: 'sqs' | 'webhook';
  url: string;
  awsAccessKeyId: string | null;
  awsRegion: string | null;
  hasAwsSecretKey: boolean;
  createdAt: string;
}

export type DestinationInput =
  | { type: 'webhook'; url: string }
  | { type: 'sqs'; queueUrl: string; awsAccessKeyId?: string; awsSecretAccessKey?: string; awsRegion?: string };

/** One notice to one destination, with its attempts: the delivery log. */
export interface NoticeLogEntry {
  id: string;
  noticeId: string;
  type: string;
  destinationId: string;
  destination: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  createdAt: string;
  finishedAt: string | null;
  log: { attempt: number; at: string; durationMs: number; statusCode: number | null; error: string | null; outcome: string }[];
}

/** A notice claimed by a worker. */
export interface ClaimedNotice {
  id: string;
  noticeId: string;
  appId: string;
  destinationId: string;
  type: string;
  attempts: number;
  payloadEnc: string | null;
}

/** The delivery policy: how many attempts, and the first retry's delay (doubling after each failure). */
export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
}

/** The delay after the n-th failed attempt (1-based): base × 2^(n−1), at most an hour. */
export const retryDelayMs = (policy: RetryPolicy, failedAttempts: number): number =>
  Math.min(policy.baseDelayMs * 2 ** Math.max(0, failedAttempts - 1), MAX_RETRY_DELAY_MS);

const MAX_URL = 2048;

function checkUrl(raw: unknown, what: string): URL {
  if (typeof raw !== 'string' || raw.length === 0) throw validation(`Enter the ${what}.`);
  if (raw.length > MAX_URL) throw validation(`The ${what} is longer than ${MAX_URL} characters.`);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw validation(`The ${what} is not a URL.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw validation(`The ${what} must be an http:// or https:// URL.`);
  if (url.username || url.password) throw validation(`The ${what} must not carry a user name or password.`);
  if (url.hash) throw validation(`The ${what} must not have a #fragment.`);
  return url;
}

const optional = (v: string | undefined): string | undefined => (v === undefined || v.trim() === '' ? undefined : v.trim());

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(Number(ms)).toISOString());

function toView(r: Database['notice_destinations']): DestinationView {
  return {
    id: r.id,
    type: r.kind,
    url: r.url,
    awsAccessKeyId: r.aws_access_key_id,
    awsRegion: r.aws_region,
    hasAwsSecretKey: r.aws_secret_key_enc !== null,
    createdAt: new Date(Number(r.created_at)).toISOString(),
  };
}

/**
 * Client secret notices: the destinations of an app, the outbox written with each rotation, and the
 * delivery log. The worker (notices.worker.ts) delivers what the outbox holds.
 */
export class NoticesService {
  private readonly queuedListeners = new Set<() => void>();
  private boxCache: SecretBox | null = null;
  constructor(private readonly ctx: AppContext) {}
  private get db(): Kysely<Database> {
    return this.ctx.db.kysely;
  }
  private get box(): SecretBox {
    return (this.boxCache ??= secretBoxFor(this.ctx.config));
  }

  /** Hears that notices were queued in this process (the worker wakes up). */
  onQueued(listener: () => void): () => void {
    this.queuedListeners.add(listener);
    return () => this.queuedListeners.delete(listener);
  }
  /** Called once the transaction that queued notices committed. */
  queued(): void {
    for (const l of this.queuedListeners) l();
  }

  async listDestinations(appId: string): Promise<DestinationView[]> {
    const rows = await this.db
      .selectFrom('notice_destinations')
      .selectAll()
      .where('app_id', '=', appId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(toView);
  }

  /** Registers a destination; a webhook's signing secret is returned this once. */
  async addDestination(
    actor: string,
    appId: string,
    input: DestinationInput,
  ): Promise<{ destination: DestinationView; signingSecret: string | null }> {
    const id = newId('dst');
    const now = this.ctx.clock.now();
    let row: Database['notice_destinations'];
    let signingSecret: string | null = null;
    if (input.type === 'webhook') {
      const url = checkUrl(input.url, 'webhook URL');
      signingSecret = `${SIGNING_SECRET_PREFIX}${randomSecret(32)}`;
      row = {
        id,
        app_id: appId,
        kind: 'webhook',
        url: url.href,
        aws_access_key_id: null,
        aws_secret_key_enc: null,
        aws_region: null,
        signing_secret_enc: this.box.seal(signingSecret, `notice_destinations:${id}:signing_secret`),
        created_at: now,
      };
    } else if (input.type === 'sqs') {
      const url = checkUrl(input.queueUrl, 'SQS queue URL');
      const keyId = optional(input.awsAccessKeyId);
      const secret = optional(input.awsSecretAccessKey);
      const region = optional(input.awsRegion);
      if ((keyId === undefined) !== (secret === undefined))
        throw validation('Enter both the AWS access key ID and the secret access key, or neither (an unsigned queue).');
      if (keyId !== undefined && !/^[A-Za-z0-9]{1,128}$/.test(keyId))
        throw validation('The AWS access key ID is letters and digits (e.g. AKIA…).');
      if (secret !== undefined && (secret.length > 256 || /\s/.test(secret)))
        throw validation('The AWS secret access key is at most 256 characters without spaces.');
      if (region !== undefined && !/^[a-z]{2}(-[a-z0-9]+){1,3}$/.test(region)) throw validation('The AWS region looks like us-east-1.');
      row = {
        id,
        app_id: appId,
        kind: 'sqs',
        url: url.href,
        aws_access_key_id: keyId ?? null,
        aws_secret_key_enc: secret === undefined ? null : this.box.seal(secret, `notice_destinations:${id}:aws_secret_key`),
        aws_region: region ?? (keyId === undefined ? null : regionOfQueueUrl(url.href)),
        signing_secret_enc: null,
        created_at: now,
      };
    } else {
      throw validation('The destination type is "sqs" or "webhook".');
    }
    await this.ctx.db.transaction(async (trx) => {
      const count = await trx
        .selectFrom('notice_destinations')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('app_id', '=', appId)
        .executeTakeFirstOrThrow();
      if (Number(count.n) >= MAX_DESTINATIONS)
        throw new AppError(
          'LimitExceeded',
          `An app has at most ${MAX_DESTINATIONS} notice destinations.`,
          'Remove one before adding another.',
        );
      await trx.insertInto('notice_destinations').values(row).execute();
      await this.ctx.audit.record(trx, {
        actor,
        action: 'app.notice_destination.add',
        subjectType: 'app',
        subjectId: appId,
        after: { destinationId: id, type: row.kind, url: row.url, awsAccessKeyId: row.aws_access_key_id, awsRegion: row.aws_region },
      });
    });
    return { destination: toView(row), signingSecret };
  }

  async removeDestination(actor: string, appId: string, destinationId: string): Promise<void> {
    await this.ctx.db.transaction(async (trx) => {
      const gone = await trx
        .deleteFrom('notice_destinations')
        .where('id', '=', destinationId)
        .where('app_id', '=', appId)
        .executeTakeFirst();
      if (Number(gone.numDeletedRows) === 0) throw notFound(`Notice destination ${destinationId}`);
      await this.ctx.audit.record(trx, {
        actor,
        action: 'app.notice_destination.remove',
        subjectType: 'app',
        subjectId: appId,
        before: { destinationId },
      });
    });
  }

  /**
   * Queues one notice to every destination of the app (or to the one named), in the caller's
   * transaction; returns how many rows were written (0: the app has no destination).
   */
  async enqueue(
    trx: Kysely<Database>,
    appId: string,
    type: NoticeType,
    fields: Record<string, unknown>,
    onlyDestination?: string,
  ): Promise<{ noticeId: string; count: number }> {
    let q = trx.selectFrom('notice_destinations').select(['id', 'kind', 'url']).where('app_id', '=', appId);
    if (onlyDestination) q = q.where('id', '=', onlyDestination);
    const destinations = await q.execute();
    const noticeId = newId('ntc');
    if (destinations.length === 0) return { noticeId, count: 0 };
    const body = JSON.stringify({ notificationType: type, noticeId, ...fields, issuedAt: new Date(this.ctx.clock.now()).toISOString() });
    const now = Date.now();
    for (const d of destinations) {
      const id = newId('nob');
      await trx
        .insertInto('notice_outbox')
        .values({
          id,
          notice_id: noticeId,
          app_id: appId,
          destination_id: d.id,
          destination_label: `${d.kind === 'sqs' ? 'SQS' : 'Webhook'} ${d.url}`,
          notice_type: type,
          payload_enc: this.box.seal(body, `notice_outbox:${id}`),
          status: 'pending',
          attempts: 0,
          next_attempt_at: now,
          lease_owner: null,
          lease_until: null,
          last_error: null,
          created_at: now,
          finished_at: null,
        })
        .execute();
    }
    return { noticeId, count: destinations.length };
  }

  /** Queues a test notice to one destination of the app. */
  async sendTest(
    actor: string,
    app: { id: string; clientId: string; applicationId: string },
    destinationId: string,
  ): Promise<{ noticeId: string }> {
    const out = await this.ctx.db.transaction(async (trx) => {
      const queued = await this.enqueue(
        trx,
        app.id,
        NOTICE_TYPES.test,
        {
          clientId: app.clientId,
          applicationId: app.applicationId,
          message: 'A test notice: this destination receives client secret notices.',
        },
        destinationId,
      );
      if (queued.count === 0) throw notFound(`Notice destination ${destinationId}`);
      await this.ctx.audit.record(trx, {
        actor,
        action: 'app.notice_destination.test',
        subjectType: 'app',
        subjectId: app.id,
        after: { destinationId, noticeId: queued.noticeId },
      });
      return queued;
    });
    this.queued();
    return { noticeId: out.noticeId };
  }

  /** The delivery log of an app, newest first. */
  async log(appId: string, limit = 50): Promise<NoticeLogEntry[]> {
    const rows = await this.db
      .selectFrom('notice_outbox')
      .selectAll()
      .where('app_id', '=', appId)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    if (rows.length === 0) return [];
    const attempts = await this.db
      .selectFrom('notice_attempts')
      .selectAll()
      .where(
        'outbox_id',
        'in',
        rows.map((r) => r.id),
      )
      .orderBy('attempt')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      noticeId: r.notice_id,
      type: r.notice_type,
      destinationId: r.destination_id,
      destination: r.destination_label,
      status: r.status,
      attempts: Number(r.attempts),
      nextAttemptAt: r.status === 'pending' ? iso(Number(r.next_attempt_at)) : null,
      lastError: r.last_error,
      createdAt: iso(Number(r.created_at))!,
      finishedAt: r.finished_at === null ? null : iso(Number(r.finished_at)),
      log: attempts
        .filter((a) => a.outbox_id === r.id)
        .map((a) => ({
          attempt: Number(a.attempt),
          at: iso(Number(a.started_at))!,
          durationMs: Number(a.duration_ms),
          statusCode: a.status_code === null ? null : Number(a.status_code),
          error: a.error,
          outcome: a.outcome,
        })),
    }));
  }

  // ----- the worker's side -----

  /**
   * Claims up to `limit` due notices for `owner` until now + LEASE_MS. Each claim is one
   * conditional UPDATE, so two processes never hold the same notice at once.
   */
  async claimDue(owner: string, now: number, limit: number): Promise<ClaimedNotice[]> {
    const due = await this.db
      .selectFrom('notice_outbox')
      .select('id')
      .where('status', '=', 'pending')
      .where('next_attempt_at', '<=', now)
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
      .orderBy('next_attempt_at')
      .limit(limit)
      .execute();
    const claimed: ClaimedNotice[] = [];
    for (const { id } of due) {
      const res = await this.db
        .updateTable('notice_outbox')
        .set({ lease_owner: owner, lease_until: now + LEASE_MS })
        .where('id', '=', id)
        .where('status', '=', 'pending')
        .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) !== 1) continue;
      const r = await this.db.selectFrom('notice_outbox').selectAll().where('id', '=', id).executeTakeFirst();
      if (r)
        claimed.push({
          id: r.id,
          noticeId: r.notice_id,
          appId: r.app_id,
          destinationId: r.destination_id,
          type: r.notice_type,
          attempts: Number(r.attempts),
          payloadEnc: r.payload_enc,
        });
    }
    return claimed;
  }

  /** The destination with its secrets opened, or null when it was removed. */
  async openDestination(id: string): Promise<OpenDestination | null> {
    const r = await this.db.selectFrom('notice_destinations').selectAll().where('id', '=', id).executeTakeFirst();
    if (!r) return null;
    if (r.kind === 'webhook')
      return {
        kind: 'webhook',
        url: r.url,
        signingSecret: this.box.open(r.signing_secret_enc ?? '', `notice_destinations:${r.id}:signing_secret`),
      };
    return {
      kind: 'sqs',
      url: r.url,
      aws:
        r.aws_access_key_id !== null && r.aws_secret_key_enc !== null
          ? {
              accessKeyId: r.aws_access_key_id,
              secretAccessKey: this.box.open(r.aws_secret_key_enc, `notice_destinations:${r.id}:aws_secret_key`),
              region: r.aws_region ?? 'us-east-1',
            }
          : null,
    };
  }

  /** The message of a claimed notice. */
  openPayload(n: ClaimedNotice): string {
    return this.box.open(n.payloadEnc ?? '', `notice_outbox:${n.id}`);
  }

  /**
   * Records an attempt and its consequence: delivered, retried later (exponential backoff), or
   * failed for good once the attempts are used up. A finished notice's payload is erased.
   */
  async recordAttempt(
    owner: string,
    n: ClaimedNotice,
    result: AttemptResult,
    startedAt: number,
    durationMs: number,
    policy: RetryPolicy,
    final = false,
  ): Promise<'delivered' | 'retry' | 'failed'> {
    const attempt = n.attempts + 1;
    const outcome = result.ok ? 'delivered' : final || attempt >= policy.maxAttempts ? 'failed' : 'retry';
    const now = Date.now();
    await this.ctx.db.transaction(async (trx) => {
      await trx
        .insertInto('notice_attempts')
        .values({
          id: newId('nat'),
          outbox_id: n.id,
          app_id: n.appId,
          attempt,
          started_at: startedAt,
          duration_ms: Math.round(durationMs),
          status_code: result.statusCode,
          error: result.error,
          outcome,
        })
        .execute();
      await trx
        .updateTable('notice_outbox')
        .set({
          attempts: attempt,
          status: outcome === 'retry' ? 'pending' : outcome,
          next_attempt_at: outcome === 'retry' ? now + retryDelayMs(policy, attempt) : now,
          lease_owner: null,
          lease_until: null,
          last_error: result.error,
          ...(outcome === 'retry' ? {} : { finished_at: now, payload_enc: null }),
        })
        .where('id', '=', n.id)
        .where('lease_owner', '=', owner)
        .execute();
    });
    return outcome;
  }
}

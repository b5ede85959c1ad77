import type { AppContext } from '../../app-context.ts';
import { newId, randomSecret, sha256 } from '../../kernel/ids.ts';

export type SessionKind = 'developer' | 'business_user' | 'operator' | 'app_center';
export interface Session {
  kind: SessionKind;
  subjectId: string;
  csrfToken: string;
  expiresAt: number;
  /** When it was created, on the same clock. */
  createdAt: number;
}

/**
 * A session cookie's lifetime as Max-Age, never as Expires: the session's instants are on the
 * platform clock, which in emulator mode may be far from the browser's, and a browser drops a
 * cookie whose Expires is before its own now.
 */
export const sessionCookieMaxAge = (session: Session): number => Math.max(1, Math.round((session.expiresAt - session.createdAt) / 1000));

/** Operator API keys and browser sessions; only hashes of keys and session ids are stored. */
export class OperatorsService {
  constructor(private readonly ctx: AppContext) {}

  /** Creates an operator key and returns it (shown once). A given key is stored as is (hashed). */
  async createAdminKey(name: string, key = `bza_${randomSecret(32)}`): Promise<string> {
    await this.ctx.db.kysely
      .insertInto('admin_keys')
      .values({ id: newId('key'), name, key_hash: sha256(key), created_at: this.ctx.clock.now(), revoked_at: null })
      .onConflict((oc) => oc.column('key_hash').doNothing())
      .execute();
    return key;
  }

  async hasAdminKeys(): Promise<boolean> {
    const r = await this.ctx.db.kysely.selectFrom('admin_keys').select('id').where('revoked_at', 'is', null).executeTakeFirst();
    return !!r;
  }

  /** The key's name when it is a live operator key; lookup by hash, so no secret comparison leaks timing. */
  async verifyAdminKey(key: string): Promise<string | null> {
    if (!key) return null;
    const r = await this.ctx.db.kysely
      .selectFrom('admin_keys')
      .select(['name', 'revoked_at'])
      .where('key_hash', '=', sha256(key))
      .executeTakeFirst();
    return r && r.revoked_at === null ? r.name : null;
  }

  /** A new session; `ttlSeconds` overrides the configured lifetime and `data` the CSRF slot (App Center states keep their marketplace there). */
  async createSession(
    kind: SessionKind,
    subjectId: string,
    options: { ttlSeconds?: number; data?: string } = {},
  ): Promise<{ token: string; session: Session }> {
    const token = randomSecret(32);
    const now = this.ctx.clock.now();
    const ttl = options.ttlSeconds ?? this.ctx.config.sessionTtlSeconds;
    const session: Session = { kind, subjectId, csrfToken: options.data ?? randomSecret(24), expiresAt: now + ttl * 1000, createdAt: now };
    await this.ctx.db.kysely
      .insertInto('sessions')
      .values({
        id_hash: sha256(token),
        kind,
        subject_id: subjectId,
        csrf_token: session.csrfToken,
        created_at: now,
        expires_at: session.expiresAt,
      })
      .execute();
    return { token, session };
  }

  async getSession(token: string | undefined, kind: SessionKind): Promise<Session | null> {
    if (!token) return null;
    const r = await this.ctx.db.kysely.selectFrom('sessions').selectAll().where('id_hash', '=', sha256(token)).executeTakeFirst();
    if (!r || r.kind !== kind || Number(r.expires_at) <= this.ctx.clock.now()) return null;
    return {
      kind: r.kind,
      subjectId: r.subject_id,
      csrfToken: r.csrf_token,
      expiresAt: Number(r.expires_at),
      createdAt: Number(r.created_at),
    };
  }

  async endSession(token: string): Promise<void> {
    await this.ctx.db.kysely.deleteFrom('sessions').where('id_hash', '=', sha256(token)).execute();
  }

  /** Removes expired sessions; called periodically. */
  async pruneSessions(): Promise<number> {
    const r = await this.ctx.db.kysely.deleteFrom('sessions').where('expires_at', '<=', this.ctx.clock.now()).executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}

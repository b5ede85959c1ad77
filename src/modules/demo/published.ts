import type { Kysely } from 'kysely';
import type { Database } from '../../database.ts';
import type { AppContext } from '../../app-context.ts';
import { sha256 } from '../../kernel/ids.ts';
import { verifyPassword } from '../../platform/crypto/passwords.ts';
import { DEMO } from './demo.ts';

/**
 * Credentials whose secrets are published in this repository (the demo world's): in production
 * mode none of them may authenticate. A database first used in local mode, or a local snapshot,
 * brings them along; the server refuses to start on it, or to load such a snapshot, unless told to
 * disable them (DISABLE_DEMO_CREDENTIALS=true), and then says which it disabled.
 */
export interface PublishedCredential {
  kind: 'operator key' | 'client secret' | 'password';
  /** What it opens, for the operator: a key's name, an app's name, an account's email. */
  subject: string;
}

// A function, not a constant: demo.ts imports this module, so DEMO is read at call time.
const demoAccounts = () => [
  ...Object.values(DEMO.users).map((u) => ({ table: 'business_users' as const, email: u.email, password: u.password })),
  { table: 'developers' as const, email: DEMO.developer.email, password: DEMO.developer.password },
];

/** The published credentials that still authenticate in this database (or transaction). */
export async function findPublishedCredentials(db: Kysely<Database>, now: number): Promise<PublishedCredential[]> {
  const found: PublishedCredential[] = [];
  const keys = await db
    .selectFrom('admin_keys')
    .select('name')
    .where('key_hash', '=', sha256(DEMO.operatorKey))
    .where('revoked_at', 'is', null)
    .execute();
  for (const k of keys) found.push({ kind: 'operator key', subject: `operator key "${k.name}"` });
  const secrets = await db
    .selectFrom('app_secrets')
    .innerJoin('apps', 'apps.id', 'app_secrets.app_id')
    .select(['apps.name', 'app_secrets.expires_at'])
    .where('app_secrets.secret_hash', '=', sha256(DEMO.clientSecret))
    .execute();
  for (const s of secrets)
    if (s.expires_at === null || s.expires_at > now) found.push({ kind: 'client secret', subject: `client secret of the app "${s.name}"` });
  for (const account of await accountsWithDemoPasswords(db)) found.push({ kind: 'password', subject: `password of ${account.email}` });
  return found;
}

/** The demo accounts (business users and the developer) whose password is still the published one. */
async function accountsWithDemoPasswords(
  db: Kysely<Database>,
): Promise<{ table: 'business_users' | 'developers'; id: string; email: string }[]> {
  const out: { table: 'business_users' | 'developers'; id: string; email: string }[] = [];
  for (const account of demoAccounts()) {
    const query =
      account.table === 'business_users'
        ? db.selectFrom('business_users').select(['id', 'password_hash']).where('email', '=', account.email)
        : db.selectFrom('developers').select(['id', 'password_hash']).where('email', '=', account.email);
    const row = await query.executeTakeFirst();
    if (row?.password_hash && (await verifyPassword(row.password_hash, account.password)))
      out.push({ table: account.table, id: row.id, email: account.email });
  }
  return out;
}

/**
 * Disables every published credential: the operator key is revoked, the client secret expires now
 * (the app's developer or an operator issues a new one), and the demo accounts lose their password
 * (an operator sets a new one). Audited. Returns what it disabled.
 */
export async function disablePublishedCredentials(ctx: AppContext, db: Kysely<Database>): Promise<PublishedCredential[]> {
  const now = ctx.clock.now();
  const found = await findPublishedCredentials(db, now);
  if (!found.length) return found;
  await db
    .updateTable('admin_keys')
    .set({ revoked_at: now })
    .where('key_hash', '=', sha256(DEMO.operatorKey))
    .where('revoked_at', 'is', null)
    .execute();
  await db
    .updateTable('app_secrets')
    .set({ expires_at: now })
    .where('secret_hash', '=', sha256(DEMO.clientSecret))
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
    .execute();
  for (const account of await accountsWithDemoPasswords(db)) {
    if (account.table === 'business_users')
      await db.updateTable('business_users').set({ password_hash: null }).where('id', '=', account.id).execute();
    else await db.updateTable('developers').set({ password_hash: null }).where('id', '=', account.id).execute();
  }
  for (const f of found)
    await ctx.audit.record(db, {
      actor: 'system:production-guard',
      action: 'credential.disable_published',
      subjectType: f.kind.replace(' ', '_'),
      subjectId: f.subject,
    });
  return found;
}

/** What the operator reads when a published credential was found (refused) or disabled. */
export function describePublished(found: PublishedCredential[], disabled: boolean): string {
  const list = found.map((f) => `  - ${f.subject}`).join('\n');
  return disabled
    ? `WARNING: disabled ${found.length} credential(s) whose secrets are published in bizapi's repository (the demo world's):\n${list}\n` +
        'The demo accounts can no longer sign in with a password (an operator sets a new one), the app needs a new client secret ' +
        '(its developer rotates it, or an operator), and the demo operator key no longer works.'
    : `This database holds ${found.length} credential(s) whose secrets are published in bizapi's repository (the demo world's):\n${list}\n` +
        'Anyone could use them, so production mode refuses them. Set DISABLE_DEMO_CREDENTIALS=true to disable them ' +
        '(the server then says which), or use BIZAPI_MODE=local.';
}

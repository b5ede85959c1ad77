import { parseStringArray } from '../../../kernel/json.ts';
import { isRole, type Role } from '../../../kernel/reference.ts';

/** At most this many apps per developer account. */
export const MAX_APPS_PER_DEVELOPER = 10;

export type ProfileStatus = 'draft' | 'submitted' | 'approved' | 'denied';
export type AppStatus = 'draft' | 'submitted' | 'published';

/** Keeps only known roles, in input order, without duplicates; returns the unknown ones separately. */
export function normalizeRoles(input: readonly string[]): { roles: Role[]; unknown: string[] } {
  const unknown = input.filter((r) => !isRole(r));
  const roles = [...new Set(input.filter(isRole))];
  return { roles, unknown };
}

/** The known roles of a JSON text column holding a role list. */
export const parseRoles = (text: string): Role[] => normalizeRoles(parseStringArray(text)).roles;

/**
 * The roles Amazon approves offline, apart from the profile review (the platform spec's role
 * catalogue: User Management, "offline approval required"). A profile or role request asking for
 * one opens a separate review for it, marked `offlineApproval`.
 */
export const OFFLINE_APPROVAL_ROLES: readonly Role[] = ['User Management'];

/** The roles that go through the usual review, and those that need offline approval. */
export function splitOfflineRoles(roles: readonly Role[]): { regular: Role[]; offline: Role[] } {
  return {
    regular: roles.filter((r) => !OFFLINE_APPROVAL_ROLES.includes(r)),
    offline: roles.filter((r) => OFFLINE_APPROVAL_ROLES.includes(r)),
  };
}

/** The profile can be edited while it is a draft or after a denial (then resubmitted). */
export const canEditProfile = (status: ProfileStatus): boolean => status === 'draft' || status === 'denied';

/**
 * The roles an app may carry: production apps only approved roles; sandbox apps may also use the
 * roles requested on a profile still under review (the sandbox works before approval).
 */
export function allowedAppRoles(type: 'production' | 'sandbox', approved: readonly Role[], requested: readonly Role[]): Set<Role> {
  return new Set(type === 'sandbox' ? [...approved, ...requested] : approved);
}

/**
 * The roles new authorizations receive after an edit of the app's roles. A draft app follows its
 * configuration; a submitted or published app keeps its listed roles until a relisting is approved,
 * except that a removed role is removed at once.
 */
export function publishedRolesAfterEdit(status: AppStatus, newRoles: readonly Role[], published: readonly Role[]): Role[] {
  if (status === 'draft') return [...newRoles];
  return published.filter((r) => newRoles.includes(r));
}

/** A redirect URI must be an absolute https URL (http only for loopback hosts), with no fragment. */
export function checkRedirectUri(uri: string): string | null {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return `"${uri}" is not an absolute URL.`;
  }
  if (url.hash || uri.includes('#')) return `"${uri}" must not contain a fragment.`;
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback))
    return `"${uri}" must use https (http is allowed only for localhost).`;
  return null;
}

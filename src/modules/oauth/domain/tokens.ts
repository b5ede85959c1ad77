import { randomBytes } from 'node:crypto';

/** A grant code lives this long (spec 3.3, FAQ: five minutes) and is single use. */
export const GRANT_CODE_TTL_MS = 5 * 60 * 1000;
/** Access tokens last one hour (spec 3.6). */
export const ACCESS_TOKEN_TTL_S = 3600;

/** An opaque access token: `Atza|` and at least 350 characters, like LWA's. */
export const newAccessToken = (): string => `Atza|${randomBytes(270).toString('base64url')}`;
/** An opaque refresh token: `Atzr|`; it never expires but dies when revoked. */
export const newRefreshToken = (): string => `Atzr|${randomBytes(270).toString('base64url')}`;
/** A grant code in LWA's style. */
export const newGrantCode = (): string => `AN${randomBytes(24).toString('base64url')}`;

export const isExpired = (expiresAt: number, now: number): boolean => now >= expiresAt;

/** The roles a token may use now: those captured at consent that the app still carries. */
export function effectiveRoles<T extends string>(snapshot: readonly T[], appRoles: readonly T[]): T[] {
  return snapshot.filter((r) => appRoles.includes(r));
}

import { isEmail, MAX_EMAIL_LENGTH } from '../../kernel/email.ts';
import type { BusinessUserRole } from '../../kernel/reference.ts';
import { invalidParameter, invalidParameterValue as invalid, requireJsonObject, shown } from '../shared/index.ts';
import { BUSINESS_ROLES, GROUP_ID_TYPES, NOTIFICATION_TYPES, USER_REGIONS } from './user-management.wire.ts';

/**
 * The createBusinessUserAccount body, read against its model. Refusals are 400
 * INVALID_REQUEST_PARAMETER: a missing field in the words of the model's own example ("The required
 * request parameter is missing: accountHolder.", details empty as there), a wrong value naming the
 * field by its JSON path and what it takes.
 */

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The longest given or family name accepted (the model is silent; the portal's names are as long). */
export const MAX_NAME_LENGTH = 100;

/** What a valid request asks for. */
export interface AccountRequest {
  email: string;
  givenName: string;
  familyName: string;
  group: { idType: (typeof GROUP_ID_TYPES)[number]; id: string };
  role: BusinessUserRole;
  region: (typeof USER_REGIONS)[number];
  /** notificationTypesToSuppress holds EMAIL: no welcome email. */
  suppressEmail: boolean;
}

/** 400 in the model's words: `{"code":"INVALID_REQUEST_PARAMETER","message":"The required request parameter is missing: accountHolder.","details":""}`. */
export const missing = (name: string) => invalidParameter(`The required request parameter is missing: ${name}.`);

const absent = (v: unknown): boolean => v === undefined || v === null;

function text(v: unknown, path: string, max: number): string {
  if (absent(v)) throw missing(path);
  if (typeof v !== 'string') throw invalid(path, 'it must be a string');
  const t = v.trim();
  if (t === '') throw invalid(path, 'it must not be empty');
  if (t.length > max) throw invalid(path, `it has at most ${max} characters`);
  return t;
}

function oneOf<T extends string>(v: unknown, path: string, allowed: readonly T[], what: string): T {
  if (absent(v)) throw missing(path);
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v))
    throw invalid(path, `${typeof v === 'string' ? `"${shown(v)}"` : shown(v)} is not a ${what} (one of ${allowed.join(', ')})`);
  return v as T;
}

/** The createBusinessUserAccount body. */
export function readAccountRequest(raw: unknown): AccountRequest {
  const body = requireJsonObject('createBusinessUserAccount', raw);
  for (const name of ['accountHolder', 'groupId', 'role', 'region']) if (absent(body[name])) throw missing(name);

  const holder = body.accountHolder;
  if (!isObject(holder)) throw invalid('accountHolder', 'it must be an object');
  const email = text(holder.email, 'accountHolder.email', MAX_EMAIL_LENGTH).toLowerCase();
  if (!isEmail(email)) throw invalid('accountHolder.email', `"${shown(email)}" is not an email address`);
  const givenName = text(holder.givenName, 'accountHolder.givenName', MAX_NAME_LENGTH);
  const familyName = text(holder.familyName, 'accountHolder.familyName', MAX_NAME_LENGTH);

  const group = body.groupId;
  if (!isObject(group)) throw invalid('groupId', 'it must be an object');
  const idType = oneOf(group.idType, 'groupId.idType', GROUP_ID_TYPES, 'group identifier type');
  const id = text(group.id, 'groupId.id', 100);

  const role = oneOf(body.role, 'role', BUSINESS_ROLES, 'BusinessRole');
  const region = oneOf(body.region, 'region', USER_REGIONS, 'Region of the User Management API');

  const suppress = body.notificationTypesToSuppress;
  let suppressEmail = false;
  if (!absent(suppress)) {
    if (!Array.isArray(suppress)) throw invalid('notificationTypesToSuppress', 'it must be an array');
    if (suppress.length > 10) throw invalid('notificationTypesToSuppress', 'it has at most 10 entries');
    suppress.forEach((t, i) => oneOf(t, `notificationTypesToSuppress[${i}]`, NOTIFICATION_TYPES, 'NotificationType'));
    suppressEmail = suppress.includes('EMAIL');
  }
  return { email, givenName, familyName, group: { idType, id }, role, region, suppressEmail };
}

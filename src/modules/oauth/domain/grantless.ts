/**
 * Grantless operations (docs/application-management.md): called with an access token of the
 * client_credentials grant, which an app gets with its own credentials and a scope, without any
 * business's consent. Amazon Business documents no scope string; bizapi uses
 * `businessapi::client_credential:rotation`, and accepts SP-API's spelling of the same scope so
 * that SP-API SDKs work unchanged.
 */
export const ROTATION_SCOPE = 'businessapi::client_credential:rotation';
/** SP-API's name of the same scope (an alias). */
export const SP_API_ROTATION_SCOPE = 'sellingpartnerapi::client_credential:rotation';

/** Each scope and the operations its tokens may call (and the only ones). */
const SCOPE_OPERATIONS: Readonly<Record<string, readonly string[]>> = {
  [ROTATION_SCOPE]: ['rotateApplicationClientSecret'],
};
const ALIASES: Readonly<Record<string, string>> = { [SP_API_ROTATION_SCOPE]: ROTATION_SCOPE };

/** The scope a requested `scope` parameter names (one scope; aliases resolved), or null if unknown. */
export function grantlessScope(requested: string): string | null {
  const s = requested.trim();
  const scope = ALIASES[s] ?? s;
  return SCOPE_OPERATIONS[scope] ? scope : null;
}

/** The operations that take only grantless tokens. */
export const GRANTLESS_OPERATIONS: ReadonlySet<string> = new Set(Object.values(SCOPE_OPERATIONS).flat());

/** True when a grantless token of this scope may call the operation. */
export const scopeAllows = (scope: string, operationId: string): boolean => SCOPE_OPERATIONS[scope]?.includes(operationId) ?? false;

/** The longest email address there can be (RFC 5321's path limit less its angle brackets); every form and schema uses it. */
export const MAX_EMAIL_LENGTH = 254;

/** True when the value (trimmed) has the shape of an email address and is not longer than one can be. */
export const isEmail = (value: string): boolean => {
  const v = value.trim();
  return v.length <= MAX_EMAIL_LENGTH && /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(v);
};

/** Why a value is not an email address, quoting it only when it is short enough to be one; null when it is one. */
export function emailProblem(value: string): string | null {
  if (isEmail(value)) return null;
  return value.length > MAX_EMAIL_LENGTH
    ? `An email address has at most ${MAX_EMAIL_LENGTH} characters.`
    : `"${value}" is not an email address.`;
}

/** True when the value (trimmed) has the shape of an email address. */
export const isEmail = (value: string): boolean => /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(value.trim());

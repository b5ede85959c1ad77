/** Parses a JSON text column holding a string array. */
export function parseStringArray(text: string): string[] {
  const value: unknown = JSON.parse(text);
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/**
 * Whether a parsed JSON value holds a string (a value or an object key) for which `test` is true,
 * looking `maxDepth` levels deep at most.
 */
export function holdsString(value: unknown, test: (text: string) => boolean, maxDepth: number, depth = 0): boolean {
  if (typeof value === 'string') return test(value);
  if (value === null || typeof value !== 'object' || depth > maxDepth) return false;
  if (Array.isArray(value)) return value.some((v) => holdsString(v, test, maxDepth, depth + 1));
  return Object.entries(value).some(([k, v]) => test(k) || holdsString(v, test, maxDepth, depth + 1));
}

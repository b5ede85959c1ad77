import type { RequestLogFilter } from './request-log.repository.ts';

/** The request inspector's query string, as the admin and developer APIs take it. */
export interface RequestQueryInput {
  app?: string;
  business?: string;
  operation?: string;
  /** `429`, or a class such as `5xx`. */
  status?: string;
  since?: string;
  until?: string;
  requestId?: string;
  limit?: number;
}

/** The filter of a query, without the app (each API decides which apps a caller may see). */
export function filterOf(q: RequestQueryInput): Omit<RequestLogFilter, 'appIds'> {
  const f: Omit<RequestLogFilter, 'appIds'> = {};
  if (q.business) f.businessId = q.business;
  if (q.operation) f.operation = q.operation;
  if (q.status) f.status = /xx$/.test(q.status) ? [Number(q.status[0]) * 100, Number(q.status[0]) * 100 + 99] : Number(q.status);
  if (q.since) f.since = Date.parse(q.since);
  if (q.until) f.until = Date.parse(q.until);
  if (q.requestId) f.requestId = q.requestId;
  if (q.limit) f.limit = q.limit;
  return f;
}

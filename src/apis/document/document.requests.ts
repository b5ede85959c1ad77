import { AppError } from '../../kernel/errors.ts';
import { MARKETPLACES } from '../../kernel/reference.ts';
import {
  MAX_RANGE_MS,
  PROCESSING_STATUSES,
  REPORT_TYPE_NAMES,
  reportTypeSpec,
  type ProcessingStatus,
  type ReportSpec,
} from '../../modules/documents/index.ts';
import type { ApiRequest } from '../../modules/gateway/index.ts';
import { CLOCK_SKEW_MS, list, one, parseInstant, shown } from '../shared/index.ts';

/**
 * Reading the Document API's requests. Every refusal is a 400 in the words of the model's sandbox
 * examples: message `Invalid input`, and details that say what is wrong (for a processing status,
 * exactly the sandbox's `Invalid input in processing status`).
 */

/** 400 InvalidInput "Invalid input", with details. */
export const badInput = (details: string): AppError => new AppError('InvalidInput', 'Invalid input', details);

const MARKETPLACE = new Map(MARKETPLACES.map((m) => [m.marketplaceId, m]));
const REPORT_ID = /^\d{1,20}$/;
const DOCUMENT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const DAY = 86_400_000;
/** How long reports are kept and listed by default (the model: "Reports are retained for a maximum of 90 days"). */
export const CREATED_SINCE_DEFAULT_MS = 90 * DAY;
const MAX_OPTION_LENGTH = 100;

/** A path's reportId: digits, as this server makes them (`badReportId1` is the sandbox's 400). */
export function reportIdOf(req: ApiRequest): string {
  const id = req.params.reportId ?? '';
  if (!REPORT_ID.test(id)) throw badInput(`reportId [${shown(id)}] is not a report id: report ids are digits.`);
  return id;
}

/** A path's reportDocumentId: a UUID, as this server makes them. */
export function documentIdOf(req: ApiRequest): string {
  const id = req.params.reportDocumentId ?? '';
  if (!DOCUMENT_ID.test(id)) throw badInput(`reportDocumentId [${shown(id)}] is not a report document id: they are lower-case UUIDs.`);
  return id;
}

/** Marketplace ids: known ones, 1 to `max`, without repeats. */
function marketplaceIds(values: readonly unknown[], name: string, max: number): string[] {
  if (values.length === 0) throw badInput(`${name} must name at least one marketplace.`);
  if (values.length > max) throw badInput(`${name} has ${values.length} items; at most ${max} are allowed.`);
  const out: string[] = [];
  for (const v of values) {
    if (typeof v !== 'string' || !MARKETPLACE.has(v))
      throw badInput(`${name} has [${shown(v)}], which is not a marketplace id (e.g. ATVPDKIKX0DER for the US store).`);
    if (!out.includes(v)) out.push(v);
  }
  return out;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function instantField(body: Record<string, unknown>, name: string, now: number): number | null {
  const v = body[name];
  if (v === undefined || v === null) return null;
  const at = typeof v === 'string' ? parseInstant(v) : null;
  if (at === null) throw badInput(`${name} [${shown(v)}] is not an ISO 8601 date-time such as 2025-04-01T00:00:00Z.`);
  if (at > now + CLOCK_SKEW_MS)
    throw badInput(`${name} must be prior to or equal to the current date and time (${new Date(now).toISOString()}).`);
  return Math.min(at, now);
}

/** createReport's body: a known report type, its options, marketplaces of the endpoint's region, a valid data range. */
export function createReportSpec(req: ApiRequest, now: number): ReportSpec {
  const body = req.body;
  if (!isObject(body)) throw badInput('The request body must be a JSON object (CreateReportSpecification).');
  const type = body.reportType;
  if (type === undefined || type === null || type === '') throw badInput('reportType is required.');
  const spec = typeof type === 'string' ? reportTypeSpec(type) : undefined;
  if (!spec)
    throw badInput(`reportType [${shown(type)}] is not a report type of this API; the report types are ${REPORT_TYPE_NAMES.join(', ')}.`);

  if (body.marketplaceIds === undefined || body.marketplaceIds === null) throw badInput('marketplaceIds is required.');
  if (!Array.isArray(body.marketplaceIds)) throw badInput('marketplaceIds must be an array of marketplace ids.');
  const ids = marketplaceIds(body.marketplaceIds, 'marketplaceIds', 25);
  const regions = new Set(ids.map((id) => MARKETPLACE.get(id)!.region));
  if (regions.size > 1) throw badInput(`marketplaceIds must all be of one region; these are of ${[...regions].join(' and ')}.`);
  const region = [...regions][0]!;
  if (region !== req.call.region) throw badInput(`marketplaceIds are of the ${region} region; this endpoint serves ${req.call.region}.`);

  const givenStart = instantField(body, 'dataStartTime', now);
  const givenEnd = instantField(body, 'dataEndTime', now);
  const start = givenStart ?? now;
  const end = givenEnd ?? now;
  if (start > end) throw badInput('dataStartTime must be prior to or equal to dataEndTime.');
  if (end - start > MAX_RANGE_MS) throw badInput('The range from dataStartTime to dataEndTime is longer than 366 days.');

  const options: Record<string, string> = {};
  const raw = body.reportOptions;
  if (raw !== undefined && raw !== null) {
    if (!isObject(raw)) throw badInput('reportOptions must be an object of string values.');
    for (const [key, value] of Object.entries(raw)) {
      if (!spec.options.includes(key))
        throw badInput(
          `reportOptions.${shown(key)} is not an option of ${spec.type}${spec.options.length ? `; its options are ${spec.options.join(', ')}` : ''}.`,
        );
      if (typeof value !== 'string' || value.trim() === '' || value.length > MAX_OPTION_LENGTH)
        throw badInput(`reportOptions.${key} must be a non-empty string of at most ${MAX_OPTION_LENGTH} characters.`);
      options[key] = value.trim();
    }
  }
  return { reportType: spec.type, marketplaceIds: ids, dataStart: givenStart, dataEnd: givenEnd, options };
}

/** getReports' filters, as the first page is asked for and as its tokens carry them. */
export interface ReportsQuery {
  reportTypes: string[];
  statuses: ProcessingStatus[] | null;
  marketplaceIds: string[] | null;
  createdFrom: number;
  createdTo: number;
  pageSize: number;
}

const QUERY_NAMES = ['reportTypes', 'processingStatuses', 'marketplaceIds', 'pageSize', 'createdSince', 'createdUntil'] as const;

/** getReports' query: either `nextToken` alone or the filters (`reportTypes` required then). */
export function reportsQuery(req: ApiRequest, now: number): { token: string } | { query: ReportsQuery } {
  const token = one(req.query, 'nextToken');
  if (token !== undefined && token !== '') {
    const others = QUERY_NAMES.filter((n) => req.query[n] !== undefined);
    if (others.length) throw badInput(`nextToken must be the only parameter; this request also has ${others.join(', ')}.`);
    return { token };
  }
  const types = list(req.query, 'reportTypes');
  if (types === undefined || types.length === 0) throw badInput('Either reportTypes or nextToken is required.');
  if (types.length > 10) throw badInput(`reportTypes has ${types.length} items; at most 10 are allowed.`);
  for (const t of types)
    if (!REPORT_TYPE_NAMES.includes(t))
      throw badInput(`Invalid input in report type: [${shown(t)}] is not one of ${REPORT_TYPE_NAMES.join(', ')}.`);
  const statuses = list(req.query, 'processingStatuses');
  if (statuses !== undefined) {
    if (statuses.length === 0) throw badInput('processingStatuses must name at least one status.');
    if (statuses.some((s) => !(PROCESSING_STATUSES as readonly string[]).includes(s))) throw badInput('Invalid input in processing status');
  }
  const markets = list(req.query, 'marketplaceIds');
  const pageSizeText = one(req.query, 'pageSize');
  let pageSize = 10;
  if (pageSizeText !== undefined) {
    if (!/^\d{1,3}$/.test(pageSizeText) || Number(pageSizeText) < 1 || Number(pageSizeText) > 100)
      throw badInput(`pageSize [${shown(pageSizeText)}] must be a whole number from 1 to 100.`);
    pageSize = Number(pageSizeText);
  }
  const instant = (name: string, fallback: number): number => {
    const v = one(req.query, name);
    if (v === undefined || v === '') return fallback;
    const at = parseInstant(v);
    if (at === null) throw badInput(`${name} [${shown(v)}] is not an ISO 8601 date-time such as 2025-04-01T00:00:00Z.`);
    return at;
  };
  const createdFrom = instant('createdSince', now - CREATED_SINCE_DEFAULT_MS);
  const createdTo = instant('createdUntil', now);
  if (createdFrom > createdTo) throw badInput('createdSince must be prior to or equal to createdUntil.');
  return {
    query: {
      reportTypes: [...new Set(types)],
      statuses: statuses === undefined ? null : [...new Set(statuses as ProcessingStatus[])],
      marketplaceIds: markets === undefined ? null : marketplaceIds(markets, 'marketplaceIds', 10),
      createdFrom,
      createdTo,
      pageSize,
    },
  };
}

/** A token's cursor, checked field by field (a signed token is ours, but never trusted to be well formed). */
export function cursorOf(value: unknown): { query: ReportsQuery; before: { createdAt: number; id: string } } | null {
  if (!isObject(value) || !isObject(value.q) || !Array.isArray(value.b) || value.b.length !== 2) return null;
  const q = value.q;
  const [createdAt, id] = value.b as unknown[];
  const strings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');
  const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
  if (!strings(q.reportTypes) || !(q.statuses === null || strings(q.statuses)) || !(q.marketplaceIds === null || strings(q.marketplaceIds)))
    return null;
  if (!num(q.createdFrom) || !num(q.createdTo) || !num(q.pageSize) || !num(createdAt) || typeof id !== 'string') return null;
  return {
    query: {
      reportTypes: q.reportTypes,
      statuses: q.statuses as ProcessingStatus[] | null,
      marketplaceIds: q.marketplaceIds,
      createdFrom: q.createdFrom,
      createdTo: q.createdTo,
      pageSize: q.pageSize,
    },
    before: { createdAt, id },
  };
}

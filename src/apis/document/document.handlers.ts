import { AppError, notFound } from '../../kernel/errors.ts';
import { MARKETPLACES } from '../../kernel/reference.ts';
import type { DocumentsService, ReportView } from '../../modules/documents/index.ts';
import { ApiReply, type ApiRequest } from '../../modules/gateway/index.ts';
import { callMarketplace, PageTokens } from '../shared/index.ts';
import { badInput, createReportSpec, cursorOf, documentIdOf, reportIdOf, reportsQuery, type ReportsQuery } from './document.requests.ts';
import type { CreateReportResponse, GetReportsResponse, ReportDocument, WireReport } from './document.wire.ts';

/** What the Document API reads besides the request. */
export interface DocumentDeps {
  documents: DocumentsService;
  now(): number;
  /** This server's public origin for download URLs (PUBLIC_URL, else the request's host). */
  publicUrl: string | null;
}

const pages = new PageTokens('bizapi-document-reports');
const iso = (ms: number): string => new Date(ms).toISOString();

/** A report job as the model's Report. */
export function wireReport(r: ReportView): WireReport {
  return {
    marketplaceIds: [...r.marketplaceIds],
    reportId: r.id,
    reportType: r.reportType,
    dataStartTime: iso(r.dataStart),
    dataEndTime: iso(r.dataEnd),
    createdTime: iso(r.createdAt),
    processingStatus: r.status,
    ...(r.processingStartAt !== null ? { processingStartTime: iso(r.processingStartAt) } : {}),
    ...(r.processingEndAt !== null ? { processingEndTime: iso(r.processingEndAt) } : {}),
    ...(r.documentId !== null ? { reportDocumentId: r.documentId } : {}),
  };
}

/** The calling business; a sandbox token reaching here (it never does: sandbox calls get canned answers) owns nothing. */
const businessOf = (req: ApiRequest, what: string): string => {
  if (!req.call.businessId) throw notFound(what);
  return req.call.businessId;
};
const actorOf = (req: ApiRequest): string => `app:${req.call.appId}`;

/** POST /reports/2021-09-30/reports */
export async function createReport(req: ApiRequest, deps: DocumentDeps): Promise<ApiReply> {
  const spec = createReportSpec(req, deps.now());
  // Every marketplace the report covers must be the token's (403 otherwise): tokens are per marketplace.
  for (const id of spec.marketplaceIds) callMarketplace(req, MARKETPLACES.find((m) => m.marketplaceId === id)?.code ?? id);
  if (!req.call.businessId) throw badInput('Reports are made for the business that authorized the app; this token has none.');
  const report = await deps.documents.create(actorOf(req), { businessId: req.call.businessId, appId: req.call.appId }, spec);
  req.link({ kind: 'report', id: report.id });
  const body: CreateReportResponse = { reportId: report.id };
  return new ApiReply(202, body);
}

/** GET /reports/2021-09-30/reports */
export async function getReports(req: ApiRequest, deps: DocumentDeps): Promise<GetReportsResponse> {
  const parsed = reportsQuery(req, deps.now());
  const businessId = businessOf(req, 'Reports');
  const scope = { operationId: 'getReports', businessId, query: '' };
  let query: ReportsQuery;
  let before: { createdAt: number; id: string } | undefined;
  if ('token' in parsed) {
    let cursor: ReturnType<typeof cursorOf> = null;
    try {
      cursor = cursorOf(pages.decode(parsed.token, scope, 'nextToken'));
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
    }
    if (!cursor) throw badInput('nextToken is not a token getReports answered to this business.');
    ({ query, before } = cursor);
  } else query = parsed.query;
  const { reports, next } = await deps.documents.list(
    businessId,
    {
      reportTypes: query.reportTypes,
      ...(query.statuses ? { statuses: query.statuses } : {}),
      ...(query.marketplaceIds ? { marketplaceIds: query.marketplaceIds } : {}),
      createdFrom: query.createdFrom,
      createdTo: query.createdTo,
    },
    query.pageSize,
    before,
  );
  return {
    reports: reports.map(wireReport),
    ...(next ? { nextToken: pages.encode({ q: query, b: [next.createdAt, next.id] }, scope) } : {}),
  };
}

/** GET /reports/2021-09-30/reports/{reportId} */
export async function getReport(req: ApiRequest, deps: DocumentDeps): Promise<WireReport> {
  const id = reportIdOf(req);
  const report = await deps.documents.get(businessOf(req, `Report ${id}`), id);
  req.link({ kind: 'report', id });
  return wireReport(report);
}

/** DELETE /reports/2021-09-30/reports/{reportId}: only a report IN_QUEUE or IN_PROGRESS; the model has no body for its 200. */
export async function cancelReport(req: ApiRequest, deps: DocumentDeps): Promise<ApiReply> {
  const id = reportIdOf(req);
  try {
    await deps.documents.cancel(actorOf(req), businessOf(req, `Report ${id}`), id);
  } catch (err) {
    if (err instanceof AppError && err.code === 'InvalidState') throw badInput(err.message);
    throw err;
  }
  req.link({ kind: 'report', id });
  return new ApiReply(200);
}

/** GET /reports/2021-09-30/documents/{reportDocumentId}: a presigned URL on this server, valid for 5 minutes. */
export async function getReportDocument(req: ApiRequest, deps: DocumentDeps): Promise<ReportDocument> {
  const id = documentIdOf(req);
  const info = await deps.documents.document(businessOf(req, `Report document ${id}`), id);
  const host = typeof req.headers.host === 'string' && /^[A-Za-z0-9.:[\]-]{1,255}$/.test(req.headers.host) ? req.headers.host : 'localhost';
  const { url } = await deps.documents.downloadUrl(info.id, deps.publicUrl ?? `http://${host}`);
  req.link({ kind: 'report', id: info.reportId });
  return { reportDocumentId: info.id, url };
}

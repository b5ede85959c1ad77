import { defineApi, type ApiRoot } from '../api-module.ts';
import type { TransitionService } from '../../modules/emulator/index.ts';
import { documentEmulatorRoutes } from './document.emulator.ts';
import { cancelReport, createReport, getReport, getReportDocument, getReports, type DocumentDeps } from './document.handlers.ts';
import { CreateReportResponse, CreateReportSpecification, GetReportsResponse, ReportDocument, WireReport } from './document.wire.ts';

/** The Document API (reports 2021-09-30): report jobs over the purchasing data, invoice PDFs and CSV reports, presigned download URLs. */
export const documentApi = defineApi({
  api: 'Document',
  bodyPolicy: 'json',
  deps: ({ ctx, services }: ApiRoot): DocumentDeps & { transitions: TransitionService } => ({
    documents: services.documents,
    now: () => ctx.clock.now(),
    publicUrl: ctx.config.publicUrl,
    transitions: services.transitions,
  }),
  handlers: { getReports, createReport, cancelReport, getReport, getReportDocument },
  responses: {
    getReports: { 200: GetReportsResponse },
    createReport: { 202: CreateReportResponse },
    cancelReport: { 200: null },
    getReport: { 200: WireReport },
    getReportDocument: { 200: ReportDocument },
  },
  requestBodies: { createReport: CreateReportSpecification },
  successMetric: { name: 'bizapi_document_duration_seconds', help: 'Latency of successful Document API calls, by operation.' },
  emulatorRoutes: (app, deps) => documentEmulatorRoutes(deps)(app),
});

export type { DocumentDeps } from './document.handlers.ts';
export type * from './document.wire.ts';

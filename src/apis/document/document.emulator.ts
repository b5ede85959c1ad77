import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { actorOf } from '../../modules/operators/index.ts';
import { REPORT_KIND, type DocumentsService, type ReportView } from '../../modules/documents/index.ts';
import type { TransitionService } from '../../modules/emulator/index.ts';

/**
 * `/_emulator/document/…`: the operator's levers on report jobs (emulator mode, operator key):
 * list and read them, move one to its next stage now (processing starts, or ends and its document is
 * made), end one as FATAL, and switch report jobs to manual transitions (they then move only when
 * advanced). Answers are the job as operators read it, with its business and reason.
 */

const Ref = Type.Object({ id: Type.String({ minLength: 1, maxLength: 40 }) });
const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

export const reportJson = (r: ReportView) => ({
  reportId: r.id,
  businessId: r.businessId,
  appId: r.appId,
  reportType: r.reportType,
  marketplaceIds: r.marketplaceIds,
  reportOptions: r.options,
  dataStartTime: iso(r.dataStart),
  dataEndTime: iso(r.dataEnd),
  createdTime: iso(r.createdAt),
  processingStatus: r.status,
  processingStartTime: iso(r.processingStartAt),
  processingEndTime: iso(r.processingEndAt),
  reportDocumentId: r.documentId,
  reason: r.reason,
});

export function documentEmulatorRoutes(deps: { documents: DocumentsService; transitions: TransitionService }) {
  return async (app: FastifyInstance): Promise<void> => {
    const r = app.withTypeProvider<TypeBoxTypeProvider>();
    const { documents, transitions } = deps;
    r.get(
      '/reports',
      {
        schema: {
          querystring: Type.Object(
            {
              businessId: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
              limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
            },
            { additionalProperties: false },
          ),
        },
      },
      async (req) => {
        const { reports } = await documents.list(
          req.query.businessId ?? null,
          { createdFrom: 0, createdTo: Number.MAX_SAFE_INTEGER },
          req.query.limit ?? 50,
        );
        return { reports: reports.map(reportJson) };
      },
    );
    r.get('/reports/:id', { schema: { params: Ref } }, async (req) => reportJson(await documents.get(null, req.params.id)));
    r.post('/reports/:id/advance', { schema: { params: Ref } }, async (req) => {
      const { report, reached } = await documents.advance(actorOf(req), req.params.id);
      return { reached, report: reportJson(report) };
    });
    r.post(
      '/reports/:id/fail',
      {
        schema: {
          params: Ref,
          body: Type.Optional(Type.Object({ reason: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false })),
        },
      },
      async (req) => reportJson(await documents.fail(actorOf(req), req.params.id, req.body?.reason ?? '')),
    );
    r.get('/transitions', async () => transitions.mode(REPORT_KIND));
    r.post(
      '/transitions',
      {
        schema: {
          body: Type.Object({ mode: Type.Union([Type.Literal('time'), Type.Literal('manual')]) }, { additionalProperties: false }),
        },
      },
      async (req) => transitions.setMode(actorOf(req), REPORT_KIND, req.body.mode),
    );
  };
}

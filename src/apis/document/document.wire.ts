import { Type, type Static } from '@sinclair/typebox';
import { OneOf } from '../shared/schema.ts';

/** The Document API's (reports 2021-09-30) answers and body on the wire, as TypeBox schemas: each schema and its static type share a name. */

const Instant = Type.String({ format: 'date-time' });

export const WireReport = Type.Object(
  {
    marketplaceIds: Type.Optional(Type.Array(Type.String())),
    reportId: Type.String(),
    reportType: Type.String(),
    dataStartTime: Type.Optional(Instant),
    dataEndTime: Type.Optional(Instant),
    createdTime: Instant,
    processingStatus: OneOf(['CANCELLED', 'DONE', 'FATAL', 'IN_PROGRESS', 'IN_QUEUE'] as const),
    processingStartTime: Type.Optional(Instant),
    processingEndTime: Type.Optional(Instant),
    reportDocumentId: Type.Optional(Type.String()),
  },
  { title: 'Report' },
);
export type WireReport = Static<typeof WireReport>;

export const CreateReportResponse = Type.Object({ reportId: Type.String() }, { title: 'CreateReportResponse' });
export type CreateReportResponse = Static<typeof CreateReportResponse>;

export const GetReportsResponse = Type.Object(
  { reports: Type.Array(WireReport), nextToken: Type.Optional(Type.String()) },
  { title: 'GetReportsResponse' },
);
export type GetReportsResponse = Static<typeof GetReportsResponse>;

export const ReportDocument = Type.Object(
  { reportDocumentId: Type.String(), url: Type.String({ format: 'uri' }), compressionAlgorithm: Type.Optional(Type.Literal('GZIP')) },
  { title: 'ReportDocument' },
);
export type ReportDocument = Static<typeof ReportDocument>;

/** The createReport body, as document.requests.ts reads it. */
export const CreateReportSpecification = Type.Object(
  {
    reportType: Type.String({ minLength: 1, description: 'One of the report types listed in docs/documents.md.' }),
    marketplaceIds: Type.Array(Type.String(), { minItems: 1, maxItems: 25, description: 'Marketplace ids of one region, the endpoint’s.' }),
    dataStartTime: Type.Optional(Instant),
    dataEndTime: Type.Optional(Instant),
    reportOptions: Type.Optional(Type.Record(Type.String(), Type.String({ minLength: 1 }))),
  },
  { title: 'CreateReportSpecification' },
);

/** The Document API's (reports 2021-09-30) answers on the wire. */

export interface WireReport {
  marketplaceIds?: string[];
  reportId: string;
  reportType: string;
  dataStartTime?: string;
  dataEndTime?: string;
  createdTime: string;
  processingStatus: 'CANCELLED' | 'DONE' | 'FATAL' | 'IN_PROGRESS' | 'IN_QUEUE';
  processingStartTime?: string;
  processingEndTime?: string;
  reportDocumentId?: string;
}

export interface CreateReportResponse {
  reportId: string;
}

export interface GetReportsResponse {
  reports: WireReport[];
  nextToken?: string;
}

export interface ReportDocument {
  reportDocumentId: string;
  url: string;
  compressionAlgorithm?: 'GZIP';
}

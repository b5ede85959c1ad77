import { createHash, randomInt } from 'node:crypto';
import type { AppContext } from '../../app-context.ts';
import { AppError, notFound } from '../../kernel/errors.ts';
import { randomSecret, uuid } from '../../kernel/ids.ts';
import { MARKETPLACES } from '../../kernel/reference.ts';
import type { AccountsService } from '../accounts/index.ts';
import type { TransitionService } from '../emulator/index.ts';
import type { PurchasingService } from '../purchasing/index.ts';
import { produceReport, type ReportInput } from './documents.content.ts';
import * as repo from './documents.repository.ts';
import { checkDownload, signDownload, URL_LIFETIME_MS, type DownloadCheck } from './domain/signing.ts';
import {
  cancellable,
  jobAt,
  nextStageOf,
  PROCESSING_MS,
  QUEUE_MS,
  type JobFacts,
  type Outcome,
  type ProcessingStatus,
  type ReportStage,
} from './domain/status.ts';
import type { TransitionOverrides } from '../../kernel/lifecycle.ts';

/** The resource kind of report jobs in the emulator's transition overrides. */
export const REPORT_KIND = 'report';

/** What createReport asks for, checked by the caller (known type and options, marketplaces of one region, a valid range). */
export interface ReportSpec {
  readonly reportType: string;
  readonly marketplaceIds: readonly string[];
  /** Null: the job's creation instant (the model: "The default is now"). */
  readonly dataStart: number | null;
  readonly dataEnd: number | null;
  readonly options: Readonly<Record<string, string>>;
}

/** A report job as it stands at the clock's now. */
export interface ReportView {
  readonly id: string;
  readonly businessId: string;
  readonly appId: string | null;
  readonly reportType: string;
  readonly marketplaceIds: readonly string[];
  readonly options: Readonly<Record<string, string>>;
  readonly dataStart: number;
  readonly dataEnd: number;
  readonly createdAt: number;
  readonly status: ProcessingStatus;
  readonly processingStartAt: number | null;
  readonly processingEndAt: number | null;
  readonly documentId: string | null;
  /** Why it is FATAL, or CANCELLED without anyone cancelling it (no data). */
  readonly reason: string | null;
}

/** getReports' filters (statuses and marketplaces are matched after reading: statuses are derived). */
export interface ReportFilter {
  readonly reportTypes?: readonly string[];
  readonly statuses?: readonly ProcessingStatus[];
  readonly marketplaceIds?: readonly string[];
  readonly createdFrom: number;
  readonly createdTo: number;
}

/** A document's facts, without its bytes. */
export interface DocumentInfo {
  readonly id: string;
  readonly reportId: string;
  readonly businessId: string;
  readonly contentType: string;
  readonly fileName: string;
  readonly byteLength: number;
  readonly sha256: string;
  readonly createdAt: number;
}

/** A document's bytes, as a download answers them. */
export interface DownloadedDocument {
  readonly contentType: string;
  readonly fileName: string;
  readonly bytes: Buffer;
}

const STORE_OF = new Map(MARKETPLACES.map((m) => [m.marketplaceId, m.code]));

/** A new report id: 16 digits, as Amazon's report ids read. */
const newReportId = (): string => `${randomInt(10_000_000, 100_000_000)}${String(randomInt(0, 100_000_000)).padStart(8, '0')}`;

const factsOf = (r: repo.ReportRow): JobFacts => ({
  createdAt: Number(r.created_at),
  startsAt: Number(r.starts_at),
  endsAt: Number(r.ends_at),
  cancelledAt: r.cancelled_at === null ? null : Number(r.cancelled_at),
  outcome: r.outcome as Outcome | null,
  outcomeAt: r.outcome_at === null ? null : Number(r.outcome_at),
});

/**
 * The Document API's report jobs and their documents. A job's status follows the virtual clock
 * (IN_QUEUE → IN_PROGRESS → its outcome) and the emulator's overrides of kind `report`; nothing runs
 * in the background. The first read after a job's processing ends produces its document as of that
 * instant and writes it once: a document never changes after. Documents download through short-lived
 * URLs signed with a key kept in the database (every process shares it).
 */
export class DocumentsService {
  constructor(
    private readonly ctx: AppContext,
    private readonly deps: { purchasing: PurchasingService; accounts: AccountsService; transitions: TransitionService },
  ) {}

  private get db() {
    return this.ctx.db.kysely;
  }

  /** Starts a report job for a business; it is IN_QUEUE now. */
  async create(actor: string, owner: { businessId: string; appId: string | null }, spec: ReportSpec): Promise<ReportView> {
    const now = this.ctx.clock.now();
    const startsAt = now + QUEUE_MS;
    const row: repo.ReportRow = {
      id: newReportId(),
      business_id: owner.businessId,
      app_id: owner.appId,
      report_type: spec.reportType,
      marketplace_ids: JSON.stringify(spec.marketplaceIds),
      options: JSON.stringify(spec.options),
      data_start: Math.min(spec.dataStart ?? now, now),
      data_end: Math.min(spec.dataEnd ?? now, now),
      created_at: now,
      starts_at: startsAt,
      ends_at: startsAt + PROCESSING_MS,
      cancelled_at: null,
      outcome: null,
      outcome_at: null,
      outcome_reason: null,
      document_id: null,
    };
    await this.ctx.db.transaction(async (trx) => {
      await repo.insertReport(trx, row);
      await this.ctx.audit.record(trx, {
        actor,
        action: 'report.create',
        subjectType: 'report',
        subjectId: row.id,
        after: { reportType: spec.reportType, marketplaceIds: spec.marketplaceIds },
      });
    });
    return (await this.views([row]))[0]!;
  }

  /** A business's report (null business: any), as it stands now. */
  async get(businessId: string | null, reportId: string): Promise<ReportView> {
    const row = await repo.findReport(this.db, reportId);
    if (!row || (businessId !== null && row.business_id !== businessId)) throw notFound(`Report ${reportId.slice(0, 100)}`);
    return (await this.views([row]))[0]!;
  }

  /**
   * A page of a business's reports (null: every business's), newest first, after the cursor; and
   * the cursor of the next page when there may be one.
   */
  async list(
    businessId: string | null,
    filter: ReportFilter,
    limit: number,
    before?: { createdAt: number; id: string },
  ): Promise<{ reports: ReportView[]; next: { createdAt: number; id: string } | null }> {
    const matches: ReportView[] = [];
    const batch = limit + 1;
    let cursor = before;
    // Statuses are derived and marketplaces are a JSON list: both are matched after reading, so a page may take several reads.
    for (;;) {
      const rows = await repo.listReports(this.db, {
        businessId,
        ...(filter.reportTypes ? { reportTypes: filter.reportTypes } : {}),
        createdFrom: filter.createdFrom,
        createdTo: filter.createdTo,
        ...(cursor ? { before: cursor } : {}),
        limit: batch,
      });
      for (const v of await this.views(rows)) {
        if (filter.statuses && !filter.statuses.includes(v.status)) continue;
        if (filter.marketplaceIds && !v.marketplaceIds.some((m) => filter.marketplaceIds!.includes(m))) continue;
        matches.push(v);
        if (matches.length > limit) {
          const last = matches[limit - 1]!;
          return { reports: matches.slice(0, limit), next: { createdAt: last.createdAt, id: last.id } };
        }
      }
      if (rows.length < batch) return { reports: matches, next: null };
      const lastRow = rows.at(-1)!;
      cursor = { createdAt: Number(lastRow.created_at), id: lastRow.id };
    }
  }

  /** Cancels a job that is IN_QUEUE or IN_PROGRESS; any other status is refused with InvalidState. */
  async cancel(actor: string, businessId: string | null, reportId: string): Promise<ReportView> {
    const before = await this.get(businessId, reportId);
    if (!cancellable(before.status))
      throw new AppError(
        'InvalidState',
        `Report ${before.id} is ${before.status}; only a report IN_QUEUE or IN_PROGRESS can be cancelled.`,
      );
    const done = await this.ctx.db.transaction(async (trx) => {
      const ok = await repo.cancelReport(trx, before.id, this.ctx.clock.now());
      if (ok)
        await this.ctx.audit.record(trx, {
          actor,
          action: 'report.cancel',
          subjectType: 'report',
          subjectId: before.id,
          after: { status: 'CANCELLED' },
        });
      return ok;
    });
    const after = await this.get(businessId, reportId);
    if (!done && after.status !== 'CANCELLED')
      throw new AppError('InvalidState', `Report ${after.id} is ${after.status}; only a report IN_QUEUE or IN_PROGRESS can be cancelled.`);
    return after;
  }

  /** Emulator: moves a job to its next stage now (processing starts, or ends and produces its outcome); null when it has ended. */
  async advance(actor: string, reportId: string): Promise<{ report: ReportView; reached: ReportStage | null }> {
    const row = await repo.findReport(this.db, reportId);
    if (!row) throw notFound(`Report ${reportId.slice(0, 100)}`);
    const overrides = (await this.overrides([row.id])).get(row.id) ?? {};
    const next = nextStageOf(factsOf(row), this.ctx.clock.now(), overrides);
    if (next !== null) await this.deps.transitions.force(actor, REPORT_KIND, row.id, next);
    return { report: await this.get(null, reportId), reached: next };
  }

  /** Emulator: ends a job that is still IN_QUEUE or IN_PROGRESS as FATAL now, with a reason its error document gives. */
  async fail(actor: string, reportId: string, reason: string): Promise<ReportView> {
    const before = await this.get(null, reportId);
    if (!cancellable(before.status))
      throw new AppError(
        'InvalidState',
        `Report ${before.id} is ${before.status}; only a report IN_QUEUE or IN_PROGRESS can be made FATAL.`,
      );
    const text = reason.trim().slice(0, 500) || 'The report was aborted by the emulator.';
    const at = this.ctx.clock.now();
    await this.ctx.db.transaction(async (trx) => {
      if (
        await repo.finishReport(
          trx,
          before.id,
          { outcome: 'FATAL', at, reason: text },
          this.errorFile(before.id, before.businessId, text, at),
        )
      )
        await this.ctx.audit.record(trx, {
          actor,
          action: 'report.fail',
          subjectType: 'report',
          subjectId: before.id,
          after: { reason: text },
        });
    });
    return this.get(null, reportId);
  }

  /** A business's document's facts (another business's, or an unknown id, is not found). */
  async document(businessId: string | null, documentId: string): Promise<DocumentInfo> {
    const f = await repo.findFileInfo(this.db, documentId);
    if (!f || (businessId !== null && f.business_id !== businessId)) throw notFound(`Report document ${documentId.slice(0, 100)}`);
    return {
      id: f.id,
      reportId: f.report_id,
      businessId: f.business_id,
      contentType: f.content_type,
      fileName: f.file_name,
      byteLength: Number(f.byte_length),
      sha256: f.sha256,
      createdAt: Number(f.created_at),
    };
  }

  /** A presigned URL of a document on this server (`base` is its public origin), valid for 5 minutes of the server's clock. */
  async downloadUrl(documentId: string, base: string): Promise<{ url: string; expiresAt: number }> {
    const expiresSeconds = Math.floor((this.ctx.clock.now() + URL_LIFETIME_MS) / 1000);
    const signature = signDownload(await this.key(), documentId, expiresSeconds);
    return {
      url: `${base.replace(/\/$/, '')}/documents/${encodeURIComponent(documentId)}?expires=${expiresSeconds}&token=${signature}`,
      expiresAt: expiresSeconds * 1000,
    };
  }

  /** The bytes behind a presigned URL; a URL that was altered or has expired is refused (403 AccessDenied). */
  async download(documentId: string, expires: unknown, signature: unknown): Promise<DownloadedDocument> {
    const check: DownloadCheck = checkDownload(await this.key(), documentId, expires, signature, this.ctx.clock.now());
    if (!check.ok)
      throw new AppError(
        'AccessDenied',
        check.reason === 'expired' ? 'Request has expired' : 'The request signature does not match',
        check.reason === 'expired'
          ? 'This download URL has expired; call getReportDocument for a new one.'
          : 'The URL was altered or is not a URL this server signed.',
      );
    const f = await repo.findFile(this.db, documentId);
    if (!f) throw notFound(`Report document ${documentId.slice(0, 100)}`);
    return { contentType: f.content_type, fileName: f.file_name, bytes: Buffer.from(f.body, f.encoding === 'base64' ? 'base64' : 'utf8') };
  }

  private key(): Promise<string> {
    return repo.signingKey(this.db, () => randomSecret(32), this.ctx.clock.now());
  }

  private async overrides(ids: readonly string[]): Promise<Map<string, TransitionOverrides<ReportStage>>> {
    return this.deps.transitions.overridesFor<ReportStage>(REPORT_KIND, ids);
  }

  /** Rows as they stand now; a job whose processing has ended without an outcome gets it first. */
  private async views(rows: readonly repo.ReportRow[]): Promise<ReportView[]> {
    if (rows.length === 0) return [];
    const overrides = await this.overrides(rows.map((r) => r.id));
    const now = this.ctx.clock.now();
    const out: ReportView[] = [];
    for (let row of rows) {
      const own = overrides.get(row.id) ?? {};
      let state = jobAt(factsOf(row), now, own);
      if (state.dueAt !== null) {
        await this.finish(row, state.dueAt);
        row = (await repo.findReport(this.db, row.id))!;
        state = jobAt(factsOf(row), now, own);
      }
      out.push({
        id: row.id,
        businessId: row.business_id,
        appId: row.app_id,
        reportType: row.report_type,
        marketplaceIds: JSON.parse(row.marketplace_ids) as string[],
        options: JSON.parse(row.options) as Record<string, string>,
        dataStart: Number(row.data_start),
        dataEnd: Number(row.data_end),
        createdAt: Number(row.created_at),
        status: state.status,
        processingStartAt: state.processingStartAt,
        processingEndAt: state.processingEndAt,
        documentId: state.status === 'DONE' || state.status === 'FATAL' ? row.document_id : null,
        reason: state.status === 'FATAL' || (state.status === 'CANCELLED' && row.outcome === 'CANCELLED') ? row.outcome_reason : null,
      });
    }
    return out;
  }

  /** Produces a job's outcome as of the instant its processing ended and writes it, unless another process or a cancellation did first. */
  private async finish(row: repo.ReportRow, at: number): Promise<void> {
    const marketplaceIds = JSON.parse(row.marketplace_ids) as string[];
    const input: ReportInput = {
      id: row.id,
      businessId: row.business_id,
      reportType: row.report_type,
      stores: new Set(marketplaceIds.flatMap((m) => STORE_OF.get(m) ?? [])),
      dataStart: Number(row.data_start),
      dataEnd: Number(row.data_end),
      options: JSON.parse(row.options) as Record<string, string>,
    };
    const produced = await produceReport(this.deps, input, at);
    const file =
      produced.outcome === 'DONE'
        ? this.fileRow(
            row.id,
            row.business_id,
            produced.file.contentType,
            produced.file.fileName,
            produced.file.bytes,
            produced.file.encoding,
            at,
          )
        : produced.outcome === 'FATAL'
          ? this.errorFile(row.id, row.business_id, produced.reason, at)
          : null;
    await this.ctx.db.transaction((trx) =>
      repo.finishReport(trx, row.id, { outcome: produced.outcome, at, reason: produced.outcome === 'DONE' ? null : produced.reason }, file),
    );
  }

  private fileRow(
    reportId: string,
    businessId: string,
    contentType: string,
    fileName: string,
    bytes: Buffer,
    encoding: 'utf8' | 'base64',
    at: number,
  ): repo.FileRow {
    return {
      id: uuid(),
      report_id: reportId,
      business_id: businessId,
      content_type: contentType,
      file_name: fileName,
      encoding,
      body: bytes.toString(encoding),
      byte_length: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      created_at: at,
    };
  }

  /** A FATAL report's document: its error details as JSON, as the Selling Partner reports give them. */
  private errorFile(reportId: string, businessId: string, reason: string, at: number): repo.FileRow {
    const bytes = Buffer.from(JSON.stringify({ errorDetails: reason }), 'utf8');
    return this.fileRow(reportId, businessId, 'application/json', `report_${reportId}_error.json`, bytes, 'utf8', at);
  }
}

import { stagesAt, type Timeline, type TransitionOverrides } from '../../../kernel/lifecycle.ts';

/**
 * A report job's processing status at an instant, derived from its planned instants, the
 * emulator's overrides and what was written once (a cancellation, the outcome). Pure.
 */

export const PROCESSING_STATUSES = ['CANCELLED', 'DONE', 'FATAL', 'IN_PROGRESS', 'IN_QUEUE'] as const;
export type ProcessingStatus = (typeof PROCESSING_STATUSES)[number];
/** The stages of the timeline: queued, processing, processing ended (the outcome is produced then). */
export type ReportStage = 'IN_QUEUE' | 'IN_PROGRESS' | 'DONE';
export type Outcome = 'DONE' | 'FATAL' | 'CANCELLED';

/** A short wait in the queue, then a short processing time, on the virtual clock. */
export const QUEUE_MS = 5_000;
export const PROCESSING_MS = 25_000;

export interface JobFacts {
  readonly createdAt: number;
  readonly startsAt: number;
  readonly endsAt: number;
  readonly cancelledAt: number | null;
  readonly outcome: Outcome | null;
  readonly outcomeAt: number | null;
}

export const timelineOf = (job: JobFacts): Timeline<ReportStage> => [
  { stage: 'IN_QUEUE', at: job.createdAt },
  { stage: 'IN_PROGRESS', at: job.startsAt },
  { stage: 'DONE', at: job.endsAt },
];

export interface JobNow {
  readonly status: ProcessingStatus;
  readonly processingStartAt: number | null;
  readonly processingEndAt: number | null;
  /** Processing ended at this instant and the outcome is not written yet: produce it (as of this instant). */
  readonly dueAt: number | null;
}

/** Where a job stands at `now`. */
export function jobAt(job: JobFacts, now: number, overrides: TransitionOverrides<ReportStage> = {}): JobNow {
  const stages = stagesAt(timelineOf(job), now, overrides);
  const started = stages[1]!.reachedAt;
  const ended = stages[2]!.reachedAt;
  if (job.cancelledAt !== null && job.cancelledAt <= now)
    return {
      status: 'CANCELLED',
      processingStartAt: started !== null && started <= job.cancelledAt ? started : null,
      processingEndAt: job.cancelledAt,
      dueAt: null,
    };
  if (job.outcome !== null && job.outcomeAt !== null && job.outcomeAt <= now)
    return {
      status: job.outcome,
      processingStartAt: started !== null && started <= job.outcomeAt ? started : null,
      processingEndAt: job.outcomeAt,
      dueAt: null,
    };
  if (ended !== null) return { status: 'IN_PROGRESS', processingStartAt: started, processingEndAt: null, dueAt: ended };
  if (started !== null) return { status: 'IN_PROGRESS', processingStartAt: started, processingEndAt: null, dueAt: null };
  return { status: 'IN_QUEUE', processingStartAt: null, processingEndAt: null, dueAt: null };
}

/** The next stage forcing would reach, or null when processing has ended. */
export function nextStageOf(job: JobFacts, now: number, overrides: TransitionOverrides<ReportStage> = {}): ReportStage | null {
  const state = jobAt(job, now, overrides);
  if (state.status !== 'IN_QUEUE' && state.status !== 'IN_PROGRESS') return null;
  if (state.dueAt !== null) return null;
  return state.status === 'IN_QUEUE' ? 'IN_PROGRESS' : 'DONE';
}

/** Whether cancelReport may cancel a job in this status. */
export const cancellable = (status: ProcessingStatus): boolean => status === 'IN_QUEUE' || status === 'IN_PROGRESS';

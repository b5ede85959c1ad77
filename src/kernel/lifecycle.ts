/**
 * The timeline of a stateful resource (an order, a shipment, a package, a report job): its stages in
 * order, each with the instant it is planned to be reached. Nothing moves a resource forward: its
 * status is derived from the timeline and the clock whenever it is read, so moving the virtual clock
 * moves every resource at once, in every process, and reset and snapshots need nothing more than the
 * rows that hold the planned instants. Pure: no I/O, time comes in as `now`.
 */

/** One stage and the instant it is planned for; null: never reached by time alone (only when forced). */
export interface Milestone<S extends string> {
  readonly stage: S;
  readonly at: number | null;
}

/** The stages of a resource, in the order they are reached. */
export type Timeline<S extends string> = readonly Milestone<S>[];

/** What the emulator's transition overrides say about one resource. */
export interface TransitionOverrides<S extends string> {
  /** Its kind is in manual mode since this instant: a stage not reached by then is reached only when forced. */
  readonly manualSince?: number | null;
  /** Stages it was forced to, each at an instant: that stage and every earlier one count as reached then, if not before. */
  readonly forced?: readonly { readonly stage: S; readonly at: number }[];
}

/** A stage as it stands: planned, and when it was reached (null: not yet), and whether forcing reached it. */
export interface StageState<S extends string> {
  readonly stage: S;
  readonly plannedAt: number | null;
  readonly reachedAt: number | null;
  readonly forced: boolean;
}

/** Throws when a timeline is not well formed: no stage twice, planned instants never going back. */
export function checkTimeline<S extends string>(timeline: Timeline<S>): void {
  const seen = new Set<S>();
  let last: number | null = null;
  for (const m of timeline) {
    if (seen.has(m.stage)) throw new Error(`timeline: stage ${m.stage} appears twice`);
    seen.add(m.stage);
    if (m.at === null) continue;
    if (!Number.isFinite(m.at)) throw new Error(`timeline: stage ${m.stage} has no finite planned instant`);
    if (last !== null && m.at < last) throw new Error(`timeline: stage ${m.stage} is planned before the stage that precedes it`);
    last = m.at;
  }
}

/**
 * Every stage with the instant it was reached by `now`. A stage is reached by time at its planned
 * instant, but never before the stage that precedes it (a stage waiting on another follows it at
 * once), and not after the kind went manual; forcing a stage reaches it and every earlier stage at
 * the instant it was forced, unless time reached them first.
 */
export function stagesAt<S extends string>(timeline: Timeline<S>, now: number, overrides: TransitionOverrides<S> = {}): StageState<S>[] {
  checkTimeline(timeline);
  const cutoff = Math.min(now, overrides.manualSince ?? Number.POSITIVE_INFINITY);
  const index = new Map(timeline.map((m, i) => [m.stage, i]));
  // The earliest forcing that covers each stage: forcing stage j covers every stage i <= j.
  const forcedAt: (number | null)[] = timeline.map(() => null);
  for (const f of overrides.forced ?? []) {
    const j = index.get(f.stage);
    if (j === undefined || f.at > now) continue;
    for (let i = 0; i <= j; i++) forcedAt[i] = forcedAt[i] === null ? f.at : Math.min(forcedAt[i]!, f.at);
  }
  const out: StageState<S>[] = [];
  let previous: number | null = 0;
  for (let i = 0; i < timeline.length; i++) {
    const m = timeline[i]!;
    const byTime: number | null = m.at !== null && previous !== null ? Math.max(m.at, previous) : null;
    const timeReach: number | null = byTime !== null && byTime <= cutoff ? byTime : null;
    const forced: number | null = forcedAt[i] ?? null;
    const reached: number | null = timeReach === null ? forced : forced === null ? timeReach : Math.min(timeReach, forced);
    out.push({
      stage: m.stage,
      plannedAt: m.at,
      reachedAt: reached,
      forced: forced !== null && reached === forced && (timeReach === null || forced < timeReach),
    });
    previous = reached;
  }
  return out;
}

/** The stage a resource is in at `now` (the last one reached) and since when; null before the first stage. */
export function statusAt<S extends string>(
  timeline: Timeline<S>,
  now: number,
  overrides?: TransitionOverrides<S>,
): { stage: S; since: number } | null {
  const reached = stagesAt(timeline, now, overrides).filter((s) => s.reachedAt !== null);
  const last = reached.at(-1);
  return last ? { stage: last.stage, since: last.reachedAt! } : null;
}

/** When a stage was reached by `now`, or null. */
export function reachedAt<S extends string>(
  timeline: Timeline<S>,
  stage: S,
  now: number,
  overrides?: TransitionOverrides<S>,
): number | null {
  return stagesAt(timeline, now, overrides).find((s) => s.stage === stage)?.reachedAt ?? null;
}

/** The first stage not reached by `now` (what forcing "the next milestone" reaches), or null when all are. */
export function nextStage<S extends string>(
  timeline: Timeline<S>,
  now: number,
  overrides?: TransitionOverrides<S>,
): { stage: S; plannedAt: number | null } | null {
  const next = stagesAt(timeline, now, overrides).find((s) => s.reachedAt === null);
  return next ? { stage: next.stage, plannedAt: next.plannedAt } : null;
}

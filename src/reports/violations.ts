/**
 * Violations of the regulation in a month: every step deadline missed — done late, not done by
 * the month's end though already due, or ended not done after its deadline (the post routed
 * elsewhere, answered, closed or returned by its lead; a co-executor's part withdrawn). A late step
 * belongs to the month its deadline passed in.
 * For a month still running the period ends at the moment it is reported as of: a step not yet
 * due then is no violation, and one overdue is late up to that moment.
 */
import type { WorkingTime } from "../domain/calendar/index.js";
import type { StepId } from "../domain/regulation/index.js";
import type { MonthBounds } from "./month.js";
import { decidedAt, isLate, type StepInstance } from "./replay.js";

export interface Violation {
  incidentId: number;
  /** The post's link: the workbook's hyperlink to it. */
  link: string;
  step: StepId;
  clause: string;
  /** The curators' own step (routing, the decision, passing a part on): charged to no organization. */
  curatorStep: boolean;
  organizationId: number | null;
  personId: number | null;
  start: Date;
  deadline: Date;
  /** Null when the step was not done: still owed at the period's end, or ended (`endedAt`). */
  completedAt: Date | null;
  /** When a step not done stopped being owed (see StepInstance.endedAt); null if done or still owed. */
  endedAt: Date | null;
  /** Working minutes past the deadline (for a step not done, up to its end or the period's end). */
  lateMinutes: number;
  /**
   * The deadline passed while the database was being restored from a backup (app/restores.ts,
   * lostWindows): the step done then may have been lost, so the violation is listed, in no figure.
   */
  lostWithRestore?: true;
  /**
   * An organization's step whose post nobody of it had taken into work when its time ran out; `by`:
   * who of it took it after, if anyone did in the period.
   */
  notTaken?: { by: number | null };
  /** A step still owed at the period's end while the post waited for its author's reply to this question. */
  awaitingAuthorSince?: Date;
}

/**
 * The steps of an earlier month, late and still owed at its end, done or ended in the period: that
 * month's report counted them, not knowing how late they would be; this one can tell.
 */
export function carriedInto(steps: readonly StepInstance[], bounds: MonthBounds): StepInstance[] {
  const start = bounds.start.getTime();
  const end = bounds.end.getTime();
  return steps.filter((s) => {
    const outcome = (s.completedAt ?? s.endedAt)?.getTime();
    return outcome !== undefined && outcome >= start && outcome < end && decidedAt(s).getTime() < start;
  });
}

/** The steps whose outcome became known in the period (the month, or the month so far). */
export function stepsOfMonth(steps: readonly StepInstance[], bounds: MonthBounds): StepInstance[] {
  const start = bounds.start.getTime();
  const end = bounds.end.getTime();
  return steps.filter((s) => {
    const at = decidedAt(s).getTime();
    return at >= start && at < end;
  });
}

export function violationOf(
  step: StepInstance,
  bounds: MonthBounds,
  wt: WorkingTime,
  link: string,
): Violation | undefined {
  if (!isLate(step)) return undefined;
  const completedAt = step.completedAt && step.completedAt < bounds.end ? step.completedAt : null;
  const endedAt = step.endedAt && step.endedAt < bounds.end ? step.endedAt : null;
  const until = completedAt ?? endedAt ?? bounds.end;
  // Whole minutes, as the text says them: the workbook's figures and sheets then agree with it.
  const lateMinutes = Math.floor(Math.max(0, wt.workingMinutesBetween(step.deadline, until)));
  return {
    incidentId: step.incidentId,
    link,
    step: step.step,
    clause: step.clause,
    curatorStep: step.curatorStep,
    organizationId: step.organizationId,
    personId: step.personId,
    start: step.start,
    deadline: step.deadline,
    completedAt,
    endedAt,
    lateMinutes,
  };
}

/** Incident number first, then the order the deadlines passed. */
export function sortViolations<V extends Violation>(violations: V[]): V[] {
  return violations.sort(
    (a, b) => a.incidentId - b.incidentId || a.deadline.getTime() - b.deadline.getTime(),
  );
}

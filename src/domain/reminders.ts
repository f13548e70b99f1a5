/**
 * When the deadline sweep must speak about an incident. Pure: given the incident, the regulation,
 * the working time and `now`, it says which alerts are due and when to look again.
 */
import type { WorkingTime } from "./calendar/index.js";
import {
  activeAssignments,
  type IncidentView,
  isWindow,
  passOnDeadlines,
  type RunningDeadline,
  runningDeadlines,
} from "./incident.js";
import { type Actor, type Regulation, reminderMoments, type StepId } from "./regulation/index.js";

export interface DueAlert {
  step: StepId;
  kind: "reminder" | "overdue" | "escalation";
  /**
   * For an escalation: who hears it. `urgent`: a significant post's answer not posted in time — the
   * heads with «Срочные» hear at once, not a working day later (Orenburg p.21, Georgievsk p.24).
   */
  to?: "curators" | "heads" | "urgent";
  /** The moment this alert answers: a reminder point, or the deadline itself. */
  dueAt: Date;
  deadline: Date;
  clause: string;
  actor: Actor;
  /** A co-executor organization's own step (its part, its return window); absent for the incident's. */
  organizationId?: number;
}

export interface AlertPlan {
  due: DueAlert[];
  /** A window (see isWindow) is over: the cards drop its line now. */
  windowOver?: boolean;
  /** When to look at the incident again; undefined when nothing is pending. */
  nextAt: Date | undefined;
  /**
   * Only while alerts are held for working time (or for a restore's grace): the latest deadline (or
   * window end) already past, which the cards show passed at once, silently, though nobody is told
   * of it until then.
   */
  lastPassed?: Date;
}

/**
 * A span whose deadlines a restore from a backup made pass (app/restores.ts): from the backup's last
 * write to an hour of working time after the first start on the copy, for the steps begun before
 * that start (`startedBefore`); one begun after it was never lost.
 */
export interface LostWindow {
  from: Date;
  until: Date;
  startedBefore: Date;
}

/**
 * The end of the lost window a step's deadline fell in, the step begun (`start`) before the first
 * start on the copy, if any: its alerts wait until then.
 */
export function restoreGraceUntil(
  windows: readonly LostWindow[],
  deadline: Date,
  start: Date,
): Date | undefined {
  return windows.find((w) => deadline >= w.from && deadline < w.until && start < w.startedBefore)?.until;
}

/** The steps whose deadline is the whole answer's, which the other steps of the post lead up to. */
const UMBRELLA: ReadonlySet<StepId> = new Set<StepId>(["answer", "finalAfterInterim"]);

/** A running step of the incident, a co-executor's own or the curators' passing on of its part. */
type RunningStep = RunningDeadline & { organizationId?: number | undefined };

/**
 * The incident's steps, then each co-executor's own, counted from its own receipt, then the
 * curators' passing on of the parts that came.
 */
function runningSteps(incident: IncidentView, reg: Regulation, wt: WorkingTime): RunningStep[] {
  const coexecutors = activeAssignments(incident).filter((a) => a.role === "coexecutor");
  const views = [undefined, ...coexecutors.map((a) => a.organizationId)];
  return [
    ...views.flatMap((organizationId) =>
      runningDeadlines(incident, reg, wt, organizationId).map((r) => ({ ...r, organizationId })),
    ),
    ...passOnDeadlines(incident, reg, wt),
  ];
}

/**
 * The whole answer's reminder (Orenburg p.8, Georgievsk p.16; the final answer's) waits while a step
 * of the post due before it is still ahead: the draft, the decision, the posting are what to act on,
 * as the cards' «Срок:» says, and one message does not carry two «осталось».
 */
function waitsForNearer(steps: RunningStep[], alert: DueAlert, now: Date): boolean {
  return (
    alert.kind === "reminder" &&
    UMBRELLA.has(alert.step) &&
    steps.some(
      (r) => r.organizationId === undefined && !isWindow(r.step) && r.at > now && r.at < alert.deadline,
    )
  );
}

/**
 * For each running step, only the latest point that has passed is due: after a night, a weekend or
 * a restart, one current alert per step goes out instead of every missed one. Outside working time
 * nothing is due unless the post is significant; the plan then waits for the next working moment.
 * A deadline in a restore's lost window (`lost`) is alerted, and escalated, as if it were the
 * window's end: the step done meanwhile was lost, and is to be done again first.
 */
export function planAlerts(
  incident: IncidentView,
  reg: Regulation,
  wt: WorkingTime,
  now: Date,
  lost: readonly LostWindow[] = [],
): AlertPlan {
  const due: DueAlert[] = [];
  let nextAt: Date | undefined;
  let windowOver = false;
  const later = (at: Date) => {
    if (!nextAt || at < nextAt) nextAt = at;
  };
  // The deadlines on either side of now: while alerts are held, the cards still change as one passes.
  let lastPassed: Date | undefined;
  let nextDeadline: Date | undefined;
  /** A passed deadline's alerts wait for a restore's grace: the cards show it at once, silently. */
  let held = false;
  const steps = runningSteps(incident, reg, wt);
  for (const running of steps) {
    const base = alertBase(reg, running);
    if (!base) continue;
    const points = reminderMoments(reg, running.step, running.start, running.at, wt);
    if (running.at <= now) {
      if (!lastPassed || running.at > lastPassed) lastPassed = running.at;
      if (isWindow(running.step)) {
        windowOver = true;
        continue;
      }
      const overdueAt = restoreGraceUntil(lost, running.at, running.start) ?? running.at;
      if (overdueAt > now) {
        held = true;
        later(overdueAt);
        continue;
      }
      due.push({ ...base, kind: "overdue", dueAt: overdueAt });
      if (lateSignificantAnswer(incident, running))
        due.push({ ...base, kind: "escalation", dueAt: overdueAt, to: "urgent" });
      const levels = reg.escalation.levels.map((level) => ({
        ...level,
        at: wt.addWorkingMinutes(overdueAt, level.afterWorkingMinutes),
      }));
      const reached = levels.filter((level) => level.at <= now).at(-1);
      if (reached) due.push({ ...base, kind: "escalation", dueAt: reached.at, to: reached.to });
      const next = levels.find((level) => level.at > now);
      if (next) later(next.at);
      continue;
    }
    if (!nextDeadline || running.at < nextDeadline) nextDeadline = running.at;
    const passed = points.filter((p) => p <= now).at(-1);
    if (passed) due.push({ ...base, kind: "reminder", dueAt: passed });
    later(points.find((p) => p > now) ?? running.at);
  }
  const told = due.filter((alert) => !waitsForNearer(steps, alert, now));
  if ((told.length > 0 || windowOver) && !mayAlert(incident, wt, now)) {
    // Looked at again in the morning, or as the next deadline passes meanwhile (its cards then change).
    const morning = wt.nextWorkingMoment(now);
    const next = nextDeadline && nextDeadline < morning ? nextDeadline : morning;
    return { due: [], nextAt: next, ...(lastPassed ? { lastPassed } : {}) };
  }
  return {
    due: told,
    nextAt,
    ...(windowOver ? { windowOver } : {}),
    ...(held && lastPassed ? { lastPassed } : {}),
  };
}

/**
 * Every reminder point of the running steps in (now, until], judged as the post stands now (the
 * whole answer's waits while a nearer step is ahead now, see waitsForNearer): the reminders a chat
 * reminded now may hear early. Every point, not only the last: each one said early is not said again
 * as it comes due. None while nobody may be alerted.
 */
export function upcomingReminders(
  incident: IncidentView,
  reg: Regulation,
  wt: WorkingTime,
  now: Date,
  until: Date,
): DueAlert[] {
  if (!mayAlert(incident, wt, now)) return [];
  const steps = runningSteps(incident, reg, wt);
  return steps.flatMap((running) => {
    const base = alertBase(reg, running);
    if (!base || running.at <= now) return [];
    return reminderMoments(reg, running.step, running.start, running.at, wt)
      .filter((point) => point > now && point <= until)
      .map((dueAt): DueAlert => ({ ...base, kind: "reminder", dueAt }))
      .filter((alert) => !waitsForNearer(steps, alert, now));
  });
}

/** What every alert of a running step says: the step, its deadline, clause and actor, the co-executor. */
function alertBase(reg: Regulation, { organizationId, ...running }: RunningStep) {
  const rule = reg.steps[running.step];
  if (!rule) return undefined;
  return {
    step: running.step,
    deadline: running.at,
    clause: running.clause,
    actor: rule.actor,
    ...(organizationId !== undefined ? { organizationId } : {}),
  };
}

/** The answer of a significant post (the whole one's, not a co-executor's part) is what its heads must hear is late. */
function lateSignificantAnswer(incident: IncidentView, running: RunningStep): boolean {
  return (
    incident.importance === "significant" && running.step === "answer" && running.organizationId === undefined
  );
}

/** Nobody is pinged at night: alerts wait for working time unless the post is significant. */
export function mayAlert(incident: IncidentView, wt: WorkingTime, now: Date): boolean {
  return incident.importance === "significant" || wt.isWorking(now);
}

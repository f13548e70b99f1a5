import { TZDate } from "@date-fns/tz";
import { addDays } from "date-fns/addDays";
import { startOfDay } from "date-fns/startOfDay";
import type { WorkingTime } from "../calendar/index.js";
import type { Anchor, Regulation, StepId, StepRule } from "./schema.js";

export interface DeadlineOptions {
  /** A shorter deadline set by the curator (Orenburg p.6), in working minutes; only for steps with curatorMayShorten. */
  shortenedAnswerMinutes?: number;
}

export type Anchors = Partial<Record<Anchor, Date>>;

/** The moment a step's clock starts from, or undefined if that event has not happened. */
export function stepStart(rule: StepRule, anchors: Anchors): Date | undefined {
  return anchors[rule.anchor] ?? (rule.fallbackAnchor ? anchors[rule.fallbackAnchor] : undefined);
}

function addDuration(wt: WorkingTime, start: Date, rule: StepRule, duration: number): Date {
  switch (rule.unit) {
    case "workingMinutes":
      return wt.addWorkingMinutes(start, duration);
    case "workingHours":
      return wt.addWorkingMinutes(start, duration * 60);
    case "workingDays":
      return rule.dayCounting === "endOfLastDay"
        ? wt.endOfNthWorkingDayAfter(start, duration)
        : wt.addWorkingDays(start, duration);
    case "calendarHours":
      return new Date(start.getTime() + duration * 3_600_000);
    case "calendarDays": {
      const local = new TZDate(start.getTime(), wt.timezone);
      const end =
        rule.dayCounting === "endOfLastDay"
          ? startOfDay(addDays(local, duration + 1))
          : addDays(local, duration);
      return new Date(end.getTime());
    }
    default:
      throw new Error(`step has no unit: ${rule.clause}`);
  }
}

function durationOf(rule: StepRule, opts: DeadlineOptions): number {
  const full = rule.duration ?? 0;
  const shortened = opts.shortenedAnswerMinutes;
  if (!rule.curatorMayShorten || shortened === undefined || shortened <= 0) return full;
  const fullMinutes =
    rule.unit === "workingHours" ? full * 60 : rule.unit === "workingMinutes" ? full : Number.NaN;
  if (!(shortened < fullMinutes)) return full;
  return rule.unit === "workingHours" ? shortened / 60 : shortened;
}

/**
 * The working minutes a step timed before another gets when that one is due already at its start: a
 * draft's hour, as Georgievsk p.11 gives it, and as Orenburg p.11 gives its rework.
 */
const AFTER_TARGET_GONE_MINUTES = 60;

/**
 * When `step` is due, given the incident's events so far; undefined when the preset has no such step or
 * the event its clock starts from has not happened. "N hours before another step's deadline" steps
 * (Orenburg p.9) falling at or before their own start are due halfway from it to the target instead,
 * or an hour after it when the target is gone already.
 */
export function stepDeadline(
  reg: Regulation,
  step: StepId,
  anchors: Anchors,
  wt: WorkingTime,
  opts: DeadlineOptions = {},
): Date | undefined {
  const rule = reg.steps[step];
  if (!rule) return undefined;
  const start = stepStart(rule, anchors);
  let deadline: Date | undefined;
  if (rule.before) {
    const target = stepDeadline(reg, rule.before.step, anchors, wt, opts);
    if (!target) return undefined;
    const minutes = rule.before.duration * (rule.before.unit === "workingHours" ? 60 : 1);
    // The latest moment that still leaves them: counted back onto a break or a night, the step is
    // due when work resumes (14:00 after lunch, 09:00 the next morning), not when it stopped.
    deadline = minutes === 0 ? target : wt.nextWorkingMoment(wt.addWorkingMinutes(target, -minutes));
    // A target too close for the rule (an answer shortened below it, Orenburg p.6) leaves the step
    // half of the working time from its start to the target, rather than none (also when it arrives in
    // the break before the moment work resumes: no working time before it). A target already gone
    // at the start (the post came to this organization after its answer was due) leaves it an hour:
    // it is not late the moment it gets the post.
    if (start && wt.workingMinutesBetween(start, deadline) <= 0) {
      const left = wt.workingMinutesBetween(start, target);
      deadline = wt.addWorkingMinutes(start, left > 0 ? left / 2 : AFTER_TARGET_GONE_MINUTES);
    }
  } else {
    if (!start) return undefined;
    deadline = addDuration(wt, start, rule, durationOf(rule, opts));
  }
  return deadline;
}

/**
 * Reminder instants of a step, in working time: each fraction of the step's working time after `start`,
 * and each "minutes before the end"; only those strictly between the clock's start and the deadline,
 * each in working time (one that falls on a working interval's end moves to the next one's start).
 */
export function reminderMoments(
  reg: Regulation,
  step: StepId,
  start: Date,
  deadline: Date,
  wt: WorkingTime,
): Date[] {
  const rule = reg.steps[step];
  if (!rule) return [];
  const total = wt.workingMinutesBetween(start, deadline);
  if (total <= 0) return [];
  const clockStart = wt.nextWorkingMoment(start).getTime();
  const moments = [
    ...rule.reminders.fractions.map((f) => wt.addWorkingMinutes(start, f * total)),
    ...rule.reminders.beforeEndMinutes
      .filter((m) => m < total)
      .map((m) => wt.addWorkingMinutes(deadline, -m)),
  ]
    // A point on the end of a working interval (18:00, or the lunch's start) is the same working
    // moment as the next interval's start: it is due then, not a night or a lunch early.
    .map((d) => wt.nextWorkingMoment(d).getTime())
    .filter((t) => t > clockStart && t < deadline.getTime());
  return [...new Set(moments)].sort((a, b) => a - b).map((t) => new Date(t));
}

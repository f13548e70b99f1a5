import { localYear, type ProductionCalendar, type WorkingTime } from "../calendar/index.js";
import type { Regulation, StepId, StepRule } from "./schema.js";
import { STEP_IDS } from "./schema.js";

/** What a finding is about, with its figures: the admins are told it in their own words. */
export type SelfCheckProblem =
  | { kind: "beforeStepWithoutDuration"; step: StepId; target: StepId }
  | { kind: "dueWithStep"; step: StepId; target: StepId }
  | { kind: "beforeLongerThanStep"; step: StepId; target: StepId; gap: number; targetMinutes: number }
  | { kind: "noTimeAfterDraft"; need: number; left: number }
  | { kind: "noTimeForAnswer"; need: number; answer: number }
  | { kind: "partLate" }
  | { kind: "returnReminded" }
  | { kind: "partReworkUntimed" }
  | { kind: "timezone"; timezone: string; expected: string }
  | { kind: "calendarMissing"; year: number }
  | { kind: "calendarDraft"; year: number; source: string };

export interface SelfCheckFinding {
  level: "warn" | "error";
  /** For the log. */
  message: string;
  problem: SelfCheckProblem;
}

/** A step's length in working minutes, or undefined if it is relative or counted in days / calendar time. */
function workingMinutes(rule: StepRule | undefined): number | undefined {
  if (!rule || rule.duration === undefined) return undefined;
  if (rule.unit === "workingMinutes") return rule.duration;
  if (rule.unit === "workingHours") return rule.duration * 60;
  return undefined;
}

function stepChecks(reg: Regulation): SelfCheckFinding[] {
  const findings: SelfCheckFinding[] = [];
  const { steps } = reg;
  for (const id of STEP_IDS) {
    const before = steps[id]?.before;
    if (!before) continue;
    const target = steps[before.step];
    if (!target || target.before) {
      findings.push({
        level: "error",
        message: `steps.${id}: "before" refers to ${before.step}, which has no own duration`,
        problem: { kind: "beforeStepWithoutDuration", step: id, target: before.step },
      });
      continue;
    }
    const gap = before.duration * (before.unit === "workingHours" ? 60 : 1);
    if (gap === 0) {
      findings.push({
        level: "warn",
        message: `steps.${id} is due when ${before.step} is: the same deadline would be reminded, alerted and reported twice; leave steps.${id} out`,
        problem: { kind: "dueWithStep", step: id, target: before.step },
      });
    }
    const targetMinutes = workingMinutes(target);
    if (targetMinutes !== undefined && gap >= targetMinutes) {
      findings.push({
        level: "error",
        message: `steps.${id} is due ${gap} min before ${before.step}, which itself lasts only ${targetMinutes} min`,
        problem: { kind: "beforeLongerThanStep", step: id, target: before.step, gap, targetMinutes },
      });
    }
  }
  const answer = workingMinutes(steps.answer);
  const decision = workingMinutes(steps.decision) ?? 0;
  const afterDraft =
    2 * decision + (workingMinutes(steps.rework) ?? 0) + (workingMinutes(steps.publication) ?? 0);
  const draftGap = steps.draft?.before;
  if (draftGap && draftGap.step === "answer") {
    const gap = draftGap.duration * (draftGap.unit === "workingHours" ? 60 : 1);
    if (afterDraft > gap) {
      findings.push({
        level: "warn",
        message: `approval, one rework and publication need ${afterDraft} min, more than the ${gap} min left after the draft deadline`,
        problem: { kind: "noTimeAfterDraft", need: afterDraft, left: gap },
      });
    }
  } else if (answer !== undefined) {
    const routing = steps.answer.anchor === "detection" ? (workingMinutes(steps.routing) ?? 0) : 0;
    const chain = routing + (workingMinutes(steps.draft) ?? 0) + afterDraft;
    if (chain > answer) {
      findings.push({
        level: "warn",
        message: `draft, approval, one rework and publication need ${chain} min, more than the ${answer} min answer deadline`,
        problem: { kind: "noTimeForAnswer", need: chain, answer },
      });
    }
  }
  const part = workingMinutes(steps.coexecutorPart);
  if (
    answer !== undefined &&
    part !== undefined &&
    part + (workingMinutes(steps.coexecutorPassOn) ?? 0) > answer
  ) {
    findings.push({
      level: "warn",
      message: "a co-executor's part cannot reach the lead executor before the answer deadline",
      problem: { kind: "partLate" },
    });
  }
  const window = steps.return?.reminders;
  if (window && window.fractions.length + window.beforeEndMinutes.length > 0) {
    findings.push({
      level: "warn",
      message:
        "steps.return has reminders: returning a post is a right, not a task, and a reminder would read as an order to return a post that is the organization's own; leave them out",
      problem: { kind: "returnReminded" },
    });
  }
  if (steps.coexecutorPassOn && !steps.coexecutorRework) {
    findings.push({
      level: "warn",
      message:
        "curators approve co-executors' parts (coexecutorPassOn), but a part they return has no deadline (coexecutorRework)",
      problem: { kind: "partReworkUntimed" },
    });
  }
  return findings;
}

function calendarChecks(calendar: ProductionCalendar, year: number): SelfCheckFinding[] {
  const entry = calendar.years[year];
  if (!entry) {
    return [
      {
        level: "warn",
        message: `production calendar has no ${year}: only weekends are days off, holidays are ignored; add the year's calendar file`,
        problem: { kind: "calendarMissing", year },
      },
    ];
  }
  if (entry.status === "draft") {
    return [
      {
        level: "warn",
        message: `production calendar for ${year} is a draft (${entry.source}); replace it when the decree appears`,
        problem: { kind: "calendarDraft", year, source: entry.source },
      },
    ];
  }
  return [];
}

/** Consistency of a preset with itself, the deployment and the calendar's coverage of this and next year. */
export function selfCheck(
  reg: Regulation,
  wt: WorkingTime,
  calendar: ProductionCalendar,
  now: Date,
): SelfCheckFinding[] {
  const findings = stepChecks(reg);
  if (wt.timezone !== reg.timezone) {
    findings.push({
      level: "warn",
      message: `TIMEZONE is ${wt.timezone} but the regulation ${reg.id} expects ${reg.timezone}`,
      problem: { kind: "timezone", timezone: wt.timezone, expected: reg.timezone },
    });
  }
  const year = localYear(now, wt.timezone);
  return [...findings, ...calendarChecks(calendar, year), ...calendarChecks(calendar, year + 1)];
}

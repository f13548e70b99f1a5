import { describe, expect, it } from "vitest";
import { bundledCalendar, createWorkingTime } from "../../../src/domain/calendar/index.js";
import { loadRegulation, type StepRule, selfCheck } from "../../../src/domain/regulation/index.js";

/** Orenburg p.7, Georgievsk p.10: an organization may return a post within 30 minutes; it need not. */
describe("the return window is a right, not a task", () => {
  const calendar = bundledCalendar();
  const now = new Date("2025-06-01T06:00:00Z");

  it.each(["orenburg", "georgievsk"])("%s reminds nobody of it", (name) => {
    const reg = loadRegulation(name);
    expect(reg.steps.return?.reminders).toEqual({ fractions: [], beforeEndMinutes: [] });
  });

  it("a preset that reminds of it is warned about at start", () => {
    const reg = loadRegulation("georgievsk");
    const reminding = {
      ...reg,
      steps: {
        ...reg.steps,
        return: { ...(reg.steps.return as StepRule), reminders: { fractions: [], beforeEndMinutes: [10] } },
      },
    };
    const wt = createWorkingTime({ timezone: reg.timezone, calendar });
    expect(selfCheck(reminding, wt, calendar, now)).toEqual([
      {
        level: "warn",
        message:
          "steps.return has reminders: returning a post is a right, not a task, and a reminder would read as an order to return a post that is the organization's own; leave them out",
        problem: { kind: "returnReminded" },
      },
    ]);
  });
});

import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Person } from "../../../src/domain/access.js";
import {
  bundledCalendar,
  createWorkingTime,
  mergeCalendars,
  parseProductionCalendar,
} from "../../../src/domain/calendar/index.js";
import { actionRules, checkDraft, type IncidentView } from "../../../src/domain/incident.js";
import {
  loadRegulation,
  RegulationError,
  type StepRule,
  selfCheck,
  stepDeadline,
} from "../../../src/domain/regulation/index.js";
import { local, wall } from "../calendar/helpers.js";

const dir = mkdtempSync(join(tmpdir(), "osm-preset-"));
const VLADIVOSTOK = "Asia/Vladivostok";

function writePreset(name: string, preset: unknown): string {
  writeFileSync(join(dir, name), JSON.stringify(preset));
  return `./${name}`;
}

function thirdRegion(): Record<string, unknown> & { steps: Record<string, unknown> } {
  const base = JSON.parse(JSON.stringify(loadRegulation("georgievsk")));
  return {
    ...base,
    id: "primorye",
    title: "A third region (test preset)",
    timezone: VLADIVOSTOK,
    steps: {
      routing: { actor: "curator", anchor: "detection", duration: 2, unit: "calendarHours", clause: "п. 3" },
      answer: { actor: "executor", anchor: "routing", duration: 2, unit: "workingDays", clause: "п. 5" },
      finalAfterInterim: {
        actor: "executor",
        anchor: "interimPublication",
        duration: 10,
        unit: "calendarDays",
        dayCounting: "endOfLastDay",
        clause: "п. 7",
      },
    },
  };
}

describe("loading presets", () => {
  it("loads a third region's preset from a path: data, not code", () => {
    const reg = loadRegulation(writePreset("primorye.json", thirdRegion()), { cwd: dir });
    const wt = createWorkingTime({ timezone: reg.timezone });
    const at = (text: string) => local(text, VLADIVOSTOK);
    // 2 calendar hours from Friday 17:30 is 19:30 the same evening.
    expect(
      wall(stepDeadline(reg, "routing", { detection: at("2025-10-17 17:30") }, wt) as Date, VLADIVOSTOK),
    ).toBe("2025-10-17 19:30");
    // 2 working days at the same time of day: Friday 11:00 → Tuesday 11:00.
    expect(
      wall(stepDeadline(reg, "answer", { routing: at("2025-10-17 11:00") }, wt) as Date, VLADIVOSTOK),
    ).toBe("2025-10-21 11:00");
    // 10 calendar days counted from the next day: to the end of 27.10 (midnight 28.10).
    expect(
      wall(
        stepDeadline(reg, "finalAfterInterim", { interimPublication: at("2025-10-17 15:00") }, wt) as Date,
        VLADIVOSTOK,
      ),
    ).toBe("2025-10-28 00:00");
    expect(stepDeadline(reg, "draft", { receipt: at("2025-10-17 15:00") }, wt)).toBeUndefined();
  });

  it("keeps escalation levels in order of delay, however the preset lists them", () => {
    const preset = {
      ...thirdRegion(),
      escalation: {
        levels: [
          { afterWorkingMinutes: 240, to: "heads" },
          { afterWorkingMinutes: 60, to: "curators" },
        ],
        clause: "п. 9",
      },
    };
    const reg = loadRegulation(writePreset("levels.json", preset), { cwd: dir });
    expect(reg.escalation.levels.map((level) => level.to)).toEqual(["curators", "heads"]);
  });

  it("names the bad field: steps.answer.duration", () => {
    const preset = thirdRegion();
    preset.steps.answer = {
      actor: "executor",
      anchor: "routing",
      duration: -4,
      unit: "workingHours",
      clause: "п. 5",
    };
    expect(() => loadRegulation(writePreset("x.json", preset), { cwd: dir })).toThrow(
      "REGULATION file ./x.json: steps.answer.duration: expected a positive number",
    );
  });

  it.each([
    [{ anchor: "sunrise" }, "steps.routing.anchor: expected one of postDate, detection"],
    [{ unit: "fortnights" }, "steps.routing.unit: expected one of workingMinutes"],
    [{ durration: 3 }, "steps.routing"],
    [{ clause: undefined }, 'steps.routing.clause: expected the clause of the regulation, e.g. "п. 8"'],
    [
      { before: { step: "answer", duration: 1, unit: "workingHours" } },
      "steps.routing.before: expected either before or duration + unit",
    ],
    [
      { pausesForClarification: true },
      "steps.routing.pausesForClarification: pausing a deadline while the author is asked is not supported yet; leave it out",
    ],
  ])("rejects a bad step %o", (patch, message) => {
    const preset = thirdRegion();
    preset.steps.routing = { ...(preset.steps.routing as object), ...patch };
    expect(() => loadRegulation(writePreset("bad-step.json", preset), { cwd: dir })).toThrow(message);
  });

  it("rejects an unknown time zone, a before-step without its own duration, a missing file and a bad name", () => {
    expect(() =>
      loadRegulation(writePreset("tz.json", { ...thirdRegion(), timezone: "Asia/Atlantis" }), { cwd: dir }),
    ).toThrow('REGULATION file ./tz.json: timezone: "Asia/Atlantis" is not an IANA time zone');
    const chained = thirdRegion();
    chained.steps.draft = {
      actor: "executor",
      anchor: "receipt",
      before: { step: "rework", duration: 1, unit: "workingHours" },
      clause: "п. 9",
    };
    expect(() => loadRegulation(writePreset("chain.json", chained), { cwd: dir })).toThrow(
      'steps.draft.before.step: expected a step with its own duration, got "rework"',
    );
    expect(() => loadRegulation("./nowhere.json", { cwd: dir })).toThrow(RegulationError);
    expect(() => loadRegulation("moscow")).toThrow(
      "REGULATION: expected orenburg or georgievsk or a path to a .json preset",
    );
  });
});

describe("a preset without finalAfterInterim", () => {
  const at = new Date("2025-10-17T02:00:00Z");
  const executor: Person = {
    id: 1,
    telegramId: 1,
    firstName: "Иван",
    lastName: null,
    username: null,
    officialName: null,
    roles: new Set(),
    organizationIds: [10],
  };
  const inWork: IncidentView = {
    id: 1,
    state: "in_work",
    importance: "normal",
    detectedAt: at,
    postedAt: null,
    routedAt: at,
    shortenedAnswerMinutes: null,
    holderId: 1,
    assignments: [{ organizationId: 10, role: "lead", position: 0, state: "accepted", receivedAt: at }],
  };

  it("offers no interim answer: nothing would be due after it, while the answer and a question are drafted", () => {
    const preset = thirdRegion();
    delete preset.steps.finalAfterInterim;
    const rules = actionRules(loadRegulation(writePreset("no-final.json", preset), { cwd: dir }));
    expect(checkDraft(inWork, "interim", executor, rules)).toBe("wrong_state");
    expect(checkDraft(inWork, "answer", executor, rules)).toBeUndefined();
    expect(checkDraft(inWork, "clarification", executor, rules)).toBeUndefined();
    for (const name of ["orenburg", "georgievsk", writePreset("final.json", thirdRegion())]) {
      const reg = loadRegulation(name, { cwd: dir });
      expect(checkDraft(inWork, "interim", executor, actionRules(reg))).toBeUndefined();
    }
  });
});

describe("selfCheck", () => {
  const calendar = bundledCalendar();

  it.each(["orenburg", "georgievsk"])(
    "finds nothing wrong with %s in 2025 (2025 and 2026 are official)",
    (name) => {
      const reg = loadRegulation(name);
      const wt = createWorkingTime({ timezone: reg.timezone, calendar });
      expect(selfCheck(reg, wt, calendar, new Date("2025-06-01T06:00:00Z"))).toEqual([]);
    },
  );

  it("warns in 2026 that next year's calendar is a draft, and in 2027 that 2028 is missing", () => {
    const reg = loadRegulation("orenburg");
    const wt = createWorkingTime({ timezone: reg.timezone, calendar });
    const in2026 = selfCheck(reg, wt, calendar, new Date("2026-06-01T06:00:00Z"));
    expect(in2026).toEqual([
      {
        level: "warn",
        message: expect.stringContaining("2027 is a draft"),
        problem: { kind: "calendarDraft", year: 2027, source: expect.stringMatching(/^проект Минтруда/) },
      },
    ]);
    const in2027 = selfCheck(reg, wt, calendar, new Date("2027-06-01T06:00:00Z")).map((f) => f.message);
    expect(in2027).toEqual([
      expect.stringContaining("2027 is a draft"),
      expect.stringContaining("has no 2028"),
    ]);
  });

  it("stops warning about 2028 once an admin adds its calendar", () => {
    const extra = parseProductionCalendar({
      years: {
        "2028": { status: "official", source: "test", holidays: [], workingWeekends: [], shortDays: [] },
      },
    });
    const merged = mergeCalendars(calendar, extra);
    const reg = loadRegulation("georgievsk");
    const wt = createWorkingTime({ timezone: reg.timezone, calendar: merged });
    const messages = selfCheck(reg, wt, merged, new Date("2027-06-01T06:00:00Z")).map((f) => f.message);
    expect(messages).toEqual([expect.stringContaining("2027 is a draft")]);
  });

  it("reports a draft deadline that leaves no time and a time zone mismatch", () => {
    const reg = loadRegulation("orenburg");
    const broken = {
      ...reg,
      steps: {
        ...reg.steps,
        draft: {
          ...(reg.steps.draft as StepRule),
          before: { step: "answer" as const, duration: 10, unit: "workingHours" as const },
        },
      },
    };
    const wt = createWorkingTime({ timezone: "Europe/Moscow", calendar });
    const findings = selfCheck(broken, wt, calendar, new Date("2025-06-01T06:00:00Z"));
    expect(findings).toContainEqual({
      level: "error",
      message: "steps.draft is due 600 min before answer, which itself lasts only 540 min",
      problem: {
        kind: "beforeLongerThanStep",
        step: "draft",
        target: "answer",
        gap: 600,
        targetMinutes: 540,
      },
    });
    expect(findings).toContainEqual({
      level: "warn",
      message: "TIMEZONE is Europe/Moscow but the regulation orenburg expects Asia/Yekaterinburg",
      problem: { kind: "timezone", timezone: "Europe/Moscow", expected: "Asia/Yekaterinburg" },
    });
  });

  it("warns when approval, rework and publication cannot fit into the answer deadline", () => {
    const reg = loadRegulation("georgievsk");
    const slow = {
      ...reg,
      steps: { ...reg.steps, draft: { ...(reg.steps.draft as StepRule), duration: 3 } },
    };
    const wt = createWorkingTime({ timezone: reg.timezone, calendar });
    expect(selfCheck(slow, wt, calendar, new Date("2025-06-01T06:00:00Z"))).toEqual([
      {
        level: "warn",
        message:
          "draft, approval, one rework and publication need 270 min, more than the 240 min answer deadline",
        problem: { kind: "noTimeForAnswer", need: 270, answer: 240 },
      },
    ]);
  });

  it("warns when a step is due with another one: the same deadline would be alerted and reported twice", () => {
    const reg = loadRegulation("georgievsk");
    const twice = {
      ...reg,
      steps: {
        ...reg.steps,
        publication: {
          actor: "executor" as const,
          anchor: "approval" as const,
          before: { step: "answer" as const, duration: 0, unit: "workingMinutes" as const },
          clause: "п. 12, 16",
        } as StepRule,
      },
    };
    const wt = createWorkingTime({ timezone: reg.timezone, calendar });
    expect(selfCheck(reg, wt, calendar, new Date("2025-06-01T06:00:00Z"))).toEqual([]);
    expect(selfCheck(twice, wt, calendar, new Date("2025-06-01T06:00:00Z"))).toEqual([
      {
        level: "warn",
        message:
          "steps.publication is due when answer is: the same deadline would be reminded, alerted and reported twice; leave steps.publication out",
        problem: { kind: "dueWithStep", step: "publication", target: "answer" },
      },
    ]);
  });
});

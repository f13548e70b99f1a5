import { describe, expect, it } from "vitest";
import {
  createWorkingTime,
  DEFAULT_SCHEDULE,
  parseSchedule,
  ScheduleError,
} from "../../../src/domain/calendar/index.js";
import { local, MOSCOW, wall } from "./helpers.js";

describe("parseSchedule", () => {
  it("keeps the default Mon-Fri 09:00-18:00 with lunch 13:00-14:00 when nothing is set", () => {
    expect(parseSchedule({})).toEqual(DEFAULT_SCHEDULE);
  });

  it("reads ranges, lists and no lunch", () => {
    expect(
      parseSchedule({ WORK_DAYS: "1,2,3,4,5", WORK_HOURS: "09:00-18:00", LUNCH: "13:00-14:00" }),
    ).toEqual(DEFAULT_SCHEDULE);
    expect(parseSchedule({ WORK_DAYS: "1-4, 6", WORK_HOURS: "8:30-17:15", LUNCH: "none" })).toEqual({
      workDays: [1, 2, 3, 4, 6],
      start: 8 * 60 + 30,
      end: 17 * 60 + 15,
    });
  });

  it.each([
    [
      { WORK_DAYS: "Mon-Fri" },
      "WORK_DAYS: expected ISO weekdays 1-7 (1 = Monday) as a range or a list, e.g. 1-5",
    ],
    [{ WORK_DAYS: "5-1" }, "WORK_DAYS: expected ISO weekdays"],
    [{ WORK_DAYS: "0,8" }, "WORK_DAYS: expected ISO weekdays"],
    [{ WORK_HOURS: "9-18" }, "WORK_HOURS: expected HH:MM-HH:MM, e.g. 09:00-18:00"],
    [
      { WORK_HOURS: "09:00-25:00" },
      'WORK_HOURS: expected HH:MM-HH:MM, e.g. 09:00-18:00; "09:00-25:00" is not a valid time',
    ],
    [{ WORK_HOURS: "18:00-09:00" }, "WORK_HOURS: the end must be after the start"],
    [{ LUNCH: "lunch" }, "LUNCH: expected HH:MM-HH:MM, e.g. 13:00-14:00 or none"],
    [{ LUNCH: "08:00-09:30" }, "LUNCH: expected a break strictly inside WORK_HOURS (09:00-18:00), or none"],
  ])("rejects %o with a message naming the variable", (env, message) => {
    expect(() => parseSchedule(env)).toThrow(ScheduleError);
    expect(() => parseSchedule(env)).toThrow(message);
  });

  it("a custom schedule drives the engine: 08:00-17:00 without lunch, short day ends 16:00", () => {
    const schedule = parseSchedule({ WORK_HOURS: "08:00-17:00", LUNCH: "none" });
    const wt = createWorkingTime({ timezone: MOSCOW, schedule });
    expect(wall(wt.addWorkingMinutes(local("2025-10-15 12:30", MOSCOW), 60), MOSCOW)).toBe(
      "2025-10-15 13:30",
    );
    expect(
      wt.workingMinutesBetween(local("2026-04-30 00:00", MOSCOW), local("2026-05-01 00:00", MOSCOW)),
    ).toBe(480);
  });

  // 03.11.2026 is a pre-holiday short day (04.11 is a holiday); Monday 02.11 is a full one.
  it.each([
    ["09:00-14:30", "13:00-14:00", "12:30"],
    ["08:00-17:00", "15:45-16:30", "15:15"],
    ["09:00-18:00", "17:30-17:45", "16:45"],
  ])("WORK_HOURS=%s, LUNCH=%s: a short day has one working hour less, ending at %s", (hours, lunch, end) => {
    const wt = createWorkingTime({
      timezone: MOSCOW,
      schedule: parseSchedule({ WORK_HOURS: hours, LUNCH: lunch }),
    });
    const worked = (day: string) =>
      wt.workingMinutesBetween(local(`${day} 00:00`, MOSCOW), local(`${day} 23:59`, MOSCOW));
    expect(worked("2026-11-03")).toBe(worked("2026-11-02") - 60);
    expect(wall(wt.addWorkingMinutes(local("2026-11-03 00:00", MOSCOW), worked("2026-11-03")), MOSCOW)).toBe(
      `2026-11-03 ${end}`,
    );
  });
});

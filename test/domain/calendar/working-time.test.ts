import { describe, expect, it } from "vitest";
import {
  bundledCalendar,
  createWorkingTime,
  parseProductionCalendar,
  WorkingTimeError,
} from "../../../src/domain/calendar/index.js";
import { local, MOSCOW, moscow, wall, YEKATERINBURG, yekaterinburg } from "./helpers.js";

const at = (text: string) => local(text, MOSCOW);
const show = (d: Date) => wall(d, MOSCOW);

describe("working time in Moscow on the production calendar", () => {
  it("Friday 17:30 + 1 working hour is Monday 09:30", () => {
    expect(show(moscow.addWorkingMinutes(at("2025-10-17 17:30"), 60))).toBe("2025-10-20 09:30");
  });

  it("a step crossing lunch skips 13:00-14:00: 12:30 + 60 min is 14:30", () => {
    expect(show(moscow.addWorkingMinutes(at("2025-10-15 12:30"), 60))).toBe("2025-10-15 14:30");
    expect(moscow.isWorking(at("2025-10-15 13:30"))).toBe(false);
  });

  it("the working day's span takes in its lunch break, not the night, a short day's last hour or a day off", () => {
    expect(moscow.isWorkingDaySpan(at("2025-10-15 13:30"))).toBe(true);
    expect(moscow.isWorkingDaySpan(at("2025-10-15 08:59"))).toBe(false);
    expect(moscow.isWorkingDaySpan(at("2025-10-15 18:00"))).toBe(false);
    expect(moscow.isWorkingDaySpan(at("2026-04-30 17:30"))).toBe(false);
    expect(moscow.isWorkingDaySpan(at("2026-01-09 13:30"))).toBe(false);
  });

  it("detection at 23:00 starts the clock at 09:00 of the next working day", () => {
    expect(show(moscow.nextWorkingMoment(at("2025-10-15 23:00")))).toBe("2025-10-16 09:00");
    expect(show(moscow.addWorkingMinutes(at("2025-10-15 23:00"), 30))).toBe("2025-10-16 09:30");
  });

  it("09.01.2026 is a holiday: the New Year break runs to Monday 12.01.2026", () => {
    expect(moscow.isWorking(at("2026-01-09 10:00"))).toBe(false);
    expect(show(moscow.nextWorkingMoment(at("2026-01-09 10:00")))).toBe("2026-01-12 09:00");
  });

  it("New Year holidays: 30.12.2025 17:00 + 2 working hours is 12.01.2026 10:00 (31.12 and 1-11.01 are off)", () => {
    expect(show(moscow.addWorkingMinutes(at("2025-12-30 17:00"), 120))).toBe("2026-01-12 10:00");
  });

  it("New Year 2025: Saturday 28.12.2024 is worked, then nothing until Thursday 09.01.2025", () => {
    expect(show(moscow.addWorkingMinutes(at("2024-12-27 17:00"), 120))).toBe("2024-12-28 10:00");
    expect(show(moscow.addWorkingMinutes(at("2024-12-28 17:00"), 120))).toBe("2025-01-09 10:00");
  });

  it("01.11.2025 is a transferred working Saturday and a short day ending at 17:00", () => {
    expect(moscow.isWorking(at("2025-11-01 10:00"))).toBe(true);
    expect(moscow.isWorking(at("2025-11-01 17:00"))).toBe(false);
    expect(show(moscow.addWorkingMinutes(at("2025-10-31 17:30"), 60))).toBe("2025-11-01 09:30");
    // 16:30-17:00 on Saturday, then 02.11 Sunday, 03-04.11 holidays → Wednesday 05.11.
    expect(show(moscow.addWorkingMinutes(at("2025-11-01 16:30"), 60))).toBe("2025-11-05 09:30");
  });

  it("short day 30.04.2026 ends at 17:00 and has 7 working hours", () => {
    expect(moscow.workingMinutesBetween(at("2026-04-30 00:00"), at("2026-05-01 00:00"))).toBe(7 * 60);
    expect(show(moscow.addWorkingMinutes(at("2026-04-30 16:30"), 30))).toBe("2026-04-30 17:00");
    expect(show(moscow.addWorkingMinutes(at("2026-04-30 16:30"), 60))).toBe("2026-05-04 09:30");
  });

  it("a deadline ending exactly at 18:00 is 18:00 that day, not 09:00 next day", () => {
    expect(show(moscow.addWorkingMinutes(at("2025-10-15 17:00"), 60))).toBe("2025-10-15 18:00");
    expect(moscow.isWorking(at("2025-10-15 18:00"))).toBe(false);
  });

  it("7 working days across the May 2025 holidays (01-04.05 and 08-11.05 off)", () => {
    // Legal counting from the next day: 30.04 (1), 05.05-07.05 (2-4), 12.05-14.05 (5-7).
    expect(show(moscow.endOfNthWorkingDayAfter(at("2025-04-29 10:00"), 7))).toBe("2025-05-14 18:00");
    expect(show(moscow.addWorkingDays(at("2025-04-29 10:00"), 7))).toBe("2025-05-14 10:00");
  });

  it("addWorkingDays keeps the offset into the day, capped at the end of a short day", () => {
    // 17:30 is 7.5 working hours into 29.04; 30.04.2025 is a short day of 7 hours → its end, 17:00.
    expect(show(moscow.addWorkingDays(at("2025-04-29 17:30"), 1))).toBe("2025-04-30 17:00");
    expect(show(moscow.addWorkingDays(at("2025-10-17 20:00"), 1))).toBe("2025-10-21 09:00");
    expect(show(moscow.addWorkingDays(at("2025-10-15 14:30"), -2))).toBe("2025-10-13 14:30");
  });

  it("workingMinutesBetween is negative when b is before a", () => {
    expect(moscow.workingMinutesBetween(at("2025-10-15 11:00"), at("2025-10-15 10:00"))).toBe(-60);
  });

  it("counts backwards with negative minutes", () => {
    expect(show(moscow.addWorkingMinutes(at("2025-10-14 11:00"), -240))).toBe("2025-10-13 16:00");
  });
});

describe("time zones", () => {
  it("the same wall-clock rule gives different instants in Yekaterinburg and Moscow", () => {
    const ekb = yekaterinburg.addWorkingMinutes(local("2025-10-17 17:30", YEKATERINBURG), 60);
    const msk = moscow.addWorkingMinutes(local("2025-10-17 17:30", MOSCOW), 60);
    expect(wall(ekb, YEKATERINBURG)).toBe("2025-10-20 09:30");
    expect(ekb.toISOString()).toBe("2025-10-20T04:30:00.000Z");
    expect(msk.toISOString()).toBe("2025-10-20T06:30:00.000Z");
  });

  it("Friday 16:00 in Moscow is 18:00 in Yekaterinburg: already after hours there", () => {
    expect(yekaterinburg.isWorking(local("2025-10-17 16:00", MOSCOW))).toBe(false);
    expect(moscow.isWorking(local("2025-10-17 16:00", MOSCOW))).toBe(true);
  });

  it("follows DST in a zone that has it (Berlin, 30.03.2025): days keep 09:00-18:00 local", () => {
    const berlin = createWorkingTime({ timezone: "Europe/Berlin" });
    const friday = local("2025-03-28 17:00", "Europe/Berlin");
    expect(wall(berlin.addWorkingMinutes(friday, 120), "Europe/Berlin")).toBe("2025-03-31 10:00");
    expect(berlin.workingMinutesBetween(friday, local("2025-03-31 10:00", "Europe/Berlin"))).toBe(120);
  });

  it("rejects a time zone that is not IANA with a clear message", () => {
    expect(() => createWorkingTime({ timezone: "Mars/Olympus" })).toThrow(WorkingTimeError);
    expect(() => createWorkingTime({ timezone: "Mars/Olympus" })).toThrow(
      'TIMEZONE: "Mars/Olympus" is not an IANA time zone, e.g. Europe/Moscow',
    );
  });
});

describe("years missing from the calendar", () => {
  const only2025 = parseProductionCalendar({ years: { "2025": bundledCalendar().years[2025] } });

  it("fall back to weekends only and are reported once", () => {
    const seen: number[] = [];
    const wt = createWorkingTime({
      timezone: MOSCOW,
      calendar: only2025,
      onMissingYear: (y) => seen.push(y),
    });
    // 01.01.2026 would be a holiday; without the 2026 calendar it is an ordinary Thursday.
    expect(wt.isWorking(local("2026-01-01 10:00", MOSCOW))).toBe(true);
    expect(wt.isWorking(local("2026-01-03 10:00", MOSCOW))).toBe(false);
    wt.isWorking(local("2026-02-23 10:00", MOSCOW));
    expect(wt.missingYearsSeen()).toEqual([2026]);
    expect(seen).toEqual([2026]);
  });

  it("are not reported when not met", () => {
    const wt = createWorkingTime({ timezone: MOSCOW, calendar: only2025 });
    wt.addWorkingMinutes(local("2025-06-02 10:00", MOSCOW), 600);
    expect(wt.missingYearsSeen()).toEqual([]);
  });

  it("are met when a deadline crosses into them", () => {
    const wt = createWorkingTime({ timezone: MOSCOW, calendar: only2025 });
    // 31.12.2025 is a holiday, then 01.01.2026 counts as a working Thursday.
    expect(wall(wt.addWorkingMinutes(local("2025-12-30 17:00", MOSCOW), 120), MOSCOW)).toBe(
      "2026-01-01 10:00",
    );
    expect(wt.missingYearsSeen()).toEqual([2026]);
  });
});

import { describe, expect, it } from "vitest";
import {
  bundledCalendar,
  CalendarError,
  createWorkingTime,
  mergeCalendars,
  parseProductionCalendar,
  yearStatus,
} from "../../../src/domain/calendar/index.js";
import { local, MOSCOW } from "./helpers.js";

const year2028 = {
  years: {
    "2028": {
      status: "official",
      source: "Decree No. 0000 (test)",
      holidays: ["2028-01-03"],
      workingWeekends: [],
      shortDays: [],
    },
  },
};

describe("production calendar", () => {
  it("ships 2024-2026 as official and 2027 as a draft", () => {
    const cal = bundledCalendar();
    expect([2024, 2025, 2026, 2027, 2028].map((y) => yearStatus(cal, y))).toEqual([
      "official",
      "official",
      "official",
      "draft",
      "missing",
    ]);
    expect(cal.years[2025]?.source).toContain("1335");
  });

  it("merges a new year added by an admin; the new file wins for a year in both", () => {
    const merged = mergeCalendars(bundledCalendar(), parseProductionCalendar(year2028));
    expect(yearStatus(merged, 2028)).toBe("official");
    expect(yearStatus(merged, 2025)).toBe("official");
    const wt = createWorkingTime({ timezone: MOSCOW, calendar: merged });
    expect(wt.isWorking(local("2028-01-03 10:00", MOSCOW))).toBe(false);
    expect(wt.missingYearsSeen()).toEqual([]);
    const official2027 = { years: { "2027": { ...year2028.years["2028"], holidays: [] } } };
    expect(yearStatus(mergeCalendars(bundledCalendar(), parseProductionCalendar(official2027)), 2027)).toBe(
      "official",
    );
  });

  it.each([
    [
      { years: { "2028": { ...year2028.years["2028"], status: "final" } } },
      'years.2028.status: expected "official" or "draft"',
    ],
    [
      { years: { "2028": { ...year2028.years["2028"], holidays: ["2028-02-30"] } } },
      "years.2028.holidays.0: expected an existing calendar date",
    ],
    [
      { years: { "2028": { ...year2028.years["2028"], shortDays: ["2029-01-01"] } } },
      "years.2028.shortDays.0: date is not in 2028",
    ],
    [{ years: { "2028": { ...year2028.years["2028"], source: undefined } } }, "years.2028.source"],
    [{ calendar: {} }, "years: expected an object of years"],
  ])("rejects a bad file naming the field (%#)", (json, message) => {
    expect(() => parseProductionCalendar(json)).toThrow(CalendarError);
    expect(() => parseProductionCalendar(json)).toThrow(message);
  });
});

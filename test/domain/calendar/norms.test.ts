import { describe, expect, it } from "vitest";
import { bundledCalendar, createWorkingTime } from "../../../src/domain/calendar/index.js";
import { local, MOSCOW, YEKATERINBURG } from "./helpers.js";

const calendar = bundledCalendar();

describe.each([MOSCOW, YEKATERINBURG])("monthly norms of the production calendar in %s", (timezone) => {
  const wt = createWorkingTime({ timezone, calendar });
  for (const year of [2024, 2025, 2026]) {
    const monthly = calendar.years[year]?.norms?.monthly ?? [];
    it(`${year} has official monthly norms for 12 months`, () => expect(monthly).toHaveLength(12));
    monthly.forEach(([days, hours], index) => {
      const month = String(index + 1).padStart(2, "0");
      it(`${year}-${month}: ${days} working days and ${hours} hours (lunch excluded)`, () => {
        const from = local(`${year}-${month}-01 00:00`, timezone);
        const next =
          index === 11 ? `${year + 1}-01-01 00:00` : `${year}-${String(index + 2).padStart(2, "0")}-01 00:00`;
        const to = local(next, timezone);
        expect(wt.workingMinutesBetween(from, to)).toBe(hours * 60);
        let counted = 0;
        for (let at = wt.nextWorkingMoment(from); at < to; at = wt.addWorkingDays(at, 1)) counted++;
        expect(counted).toBe(days);
      });
    });
  }
});

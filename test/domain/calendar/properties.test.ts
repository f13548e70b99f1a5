import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { moscow, yekaterinburg } from "./helpers.js";

const FROM = Date.UTC(2024, 0, 1);
const TO = Date.UTC(2026, 11, 31);
const instant = fc.integer({ min: FROM, max: TO }).map((t) => new Date(t));
const minutes = fc.integer({ min: 1, max: 7 * 9 * 60 });

describe.each([
  ["Moscow", moscow],
  ["Yekaterinburg", yekaterinburg],
])("working-time properties in %s", (_name, wt) => {
  it("adding N working minutes and measuring gives N back", () => {
    fc.assert(
      fc.property(instant, minutes, (start, n) => {
        expect(wt.workingMinutesBetween(start, wt.addWorkingMinutes(start, n))).toBe(n);
      }),
    );
  });

  it("a deadline is inside working time or exactly at the end of a working interval", () => {
    fc.assert(
      fc.property(instant, minutes, (start, n) => {
        const end = wt.addWorkingMinutes(start, n);
        const inside = wt.isWorking(end);
        const atIntervalEnd = !inside && wt.isWorking(new Date(end.getTime() - 1));
        expect(inside || atIntervalEnd).toBe(true);
      }),
    );
  });

  it("is monotonic in the start instant", () => {
    fc.assert(
      fc.property(instant, instant, minutes, (a, b, n) => {
        const [early, late] = a <= b ? [a, b] : [b, a];
        expect(wt.addWorkingMinutes(early, n).getTime()).toBeLessThanOrEqual(
          wt.addWorkingMinutes(late, n).getTime(),
        );
      }),
    );
  });

  it("two steps in a row equal one step of their sum", () => {
    fc.assert(
      fc.property(instant, minutes, minutes, (start, m, n) => {
        expect(wt.addWorkingMinutes(wt.addWorkingMinutes(start, m), n).getTime()).toBe(
          wt.addWorkingMinutes(start, m + n).getTime(),
        );
      }),
    );
  });

  it("measuring is additive: a→b plus b→c is a→c", () => {
    fc.assert(
      fc.property(instant, instant, instant, (a, b, c) => {
        const sum = wt.workingMinutesBetween(a, b) + wt.workingMinutesBetween(b, c);
        expect(sum).toBeCloseTo(wt.workingMinutesBetween(a, c), 6);
      }),
    );
  });

  it("a legal N-working-day deadline ends a working day, after the clock's start day + N-1 working days", () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 1, max: 30 }), (start, days) => {
        const end = wt.endOfNthWorkingDayAfter(start, days);
        expect(wt.isWorking(end)).toBe(false);
        expect(wt.isWorking(new Date(end.getTime() - 1))).toBe(true);
        expect(end.getTime()).toBeGreaterThan(wt.addWorkingDays(start, days - 1).getTime());
        expect(wt.workingMinutesBetween(wt.addWorkingDays(start, days - 1), end)).toBeLessThanOrEqual(
          2 * 8 * 60,
        );
      }),
    );
  });
});

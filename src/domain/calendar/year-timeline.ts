import { TZDate } from "@date-fns/tz";
import type { CalendarYear } from "./production-calendar.js";
import { SHORT_DAY_MINUTES, type WorkSchedule } from "./schedule.js";

/**
 * One local calendar year of working time, precomputed so that every query is a binary search.
 * All instants are UTC epoch milliseconds. Interval i is [ivStart[i], ivEnd[i]); ivCumEnd[i] is the
 * working time from the start of the year to ivEnd[i]. Working day k owns intervals
 * wdFirstIv[k] … wdFirstIv[k + 1] - 1.
 */
export interface YearTimeline {
  readonly year: number;
  /** Local midnight of each day of the year, plus the next year's first midnight (length days + 1). */
  readonly dayStart: Float64Array;
  readonly ivStart: Float64Array;
  readonly ivEnd: Float64Array;
  readonly ivCumEnd: Float64Array;
  readonly ivWorkingDay: Int32Array;
  readonly wdFirstIv: Int32Array;
  /** For each day ordinal d (0 … days), the first working day whose ordinal is ≥ d. */
  readonly wdByDay: Int32Array;
  readonly total: number;
  readonly workingDays: number;
}

const MINUTE = 60_000;

/** The local working minute ranges of one day, or none if the day is not worked. */
export function dayRanges(
  schedule: WorkSchedule,
  calendarYear: CalendarYear | undefined,
  iso: string,
  isoWeekday: number,
): [number, number][] {
  let working = schedule.workDays.includes(isoWeekday);
  let short = false;
  if (calendarYear) {
    if (calendarYear.holidays.includes(iso)) working = false;
    else if (calendarYear.workingWeekends.includes(iso)) working = true;
    short = calendarYear.shortDays.includes(iso);
  }
  if (!working) return [];
  const { start, end, lunch } = schedule;
  const ranges: [number, number][] = lunch
    ? [
        [start, lunch.start],
        [lunch.end, end],
      ]
    : [[start, end]];
  // A short day is one working hour shorter: its end moves earlier until an hour of work is gone,
  // past the lunch break when the break lies within the last hour (09:00-14:30, lunch 13:00-14:00 → 12:30).
  let cut = short ? SHORT_DAY_MINUTES : 0;
  for (let i = ranges.length - 1; i >= 0 && cut > 0; i--) {
    const range = ranges[i] as [number, number];
    const taken = Math.min(cut, range[1] - range[0]);
    range[1] -= taken;
    cut -= taken;
  }
  return ranges.filter(([from, to]) => to > from);
}

function localInstant(year: number, month: number, day: number, minute: number, timezone: string): number {
  return new TZDate(year, month, day, Math.floor(minute / 60), minute % 60, timezone).getTime();
}

export function yearStartInstant(year: number, timezone: string): number {
  return localInstant(year, 0, 1, 0, timezone);
}

export function buildYearTimeline(
  year: number,
  timezone: string,
  schedule: WorkSchedule,
  calendarYear: CalendarYear | undefined,
): YearTimeline {
  const days = Math.round((Date.UTC(year + 1, 0, 1) - Date.UTC(year, 0, 1)) / 86_400_000);
  const dayStart = new Float64Array(days + 1);
  const starts: number[] = [];
  const ends: number[] = [];
  const cumEnds: number[] = [];
  const ivWorkingDay: number[] = [];
  const wdFirstIv: number[] = [];
  const wdByDay = new Int32Array(days + 1);
  let total = 0;
  for (let d = 0; d < days; d++) {
    const utc = new Date(Date.UTC(year, 0, 1 + d));
    const month = utc.getUTCMonth();
    const date = utc.getUTCDate();
    dayStart[d] = localInstant(year, month, date, 0, timezone);
    wdByDay[d] = wdFirstIv.length;
    const ranges = dayRanges(schedule, calendarYear, utc.toISOString().slice(0, 10), utc.getUTCDay() || 7);
    if (ranges.length === 0) continue;
    const workingDay = wdFirstIv.length;
    wdFirstIv.push(starts.length);
    for (const [from, to] of ranges) {
      const start = localInstant(year, month, date, from, timezone);
      const end = localInstant(year, month, date, to, timezone);
      if (end <= start) continue;
      total += end - start;
      starts.push(start);
      ends.push(end);
      cumEnds.push(total);
      ivWorkingDay.push(workingDay);
    }
  }
  dayStart[days] = yearStartInstant(year + 1, timezone);
  wdByDay[days] = wdFirstIv.length;
  const workingDays = wdFirstIv.length;
  wdFirstIv.push(starts.length);
  return {
    year,
    dayStart,
    ivStart: Float64Array.from(starts),
    ivEnd: Float64Array.from(ends),
    ivCumEnd: Float64Array.from(cumEnds),
    ivWorkingDay: Int32Array.from(ivWorkingDay),
    wdFirstIv: Int32Array.from(wdFirstIv),
    wdByDay,
    total,
    workingDays,
  };
}

/** Index of the last element ≤ value, or -1. */
export function lastAtOrBefore(sorted: Float64Array, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** Index of the first element ≥ value, or the length. */
export function firstAtOrAfter(sorted: Float64Array, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Working time from the start of the year up to instant t (t inside this year). */
export function workedBefore(tl: YearTimeline, t: number): number {
  const i = lastAtOrBefore(tl.ivStart, t);
  if (i < 0) return 0;
  const end = tl.ivEnd[i] as number;
  const cumEnd = tl.ivCumEnd[i] as number;
  return t >= end ? cumEnd : cumEnd - (end - t);
}

/** The earliest instant at which `position` (0 < position ≤ total) of the year's working time is reached. */
export function instantAtPosition(tl: YearTimeline, position: number): number {
  const i = firstAtOrAfter(tl.ivCumEnd, position);
  return (tl.ivEnd[i] as number) - ((tl.ivCumEnd[i] as number) - position);
}

/** Working time before the first interval of working day k. */
export function workedBeforeDay(tl: YearTimeline, k: number): number {
  const i = tl.wdFirstIv[k] as number;
  return (tl.ivCumEnd[i] as number) - ((tl.ivEnd[i] as number) - (tl.ivStart[i] as number));
}

export { MINUTE };

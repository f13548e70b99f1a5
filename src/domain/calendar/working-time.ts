import { TZDate } from "@date-fns/tz";
import { bundledCalendar, type ProductionCalendar } from "./production-calendar.js";
import { DEFAULT_SCHEDULE, type WorkSchedule } from "./schedule.js";
import {
  buildYearTimeline,
  instantAtPosition,
  lastAtOrBefore,
  MINUTE,
  workedBefore,
  workedBeforeDay,
  type YearTimeline,
  yearStartInstant,
} from "./year-timeline.js";

export class WorkingTimeError extends Error {
  override name = "WorkingTimeError";
}

/** Guards against walking forever through years without working time (e.g. an empty WORK_DAYS). */
const MAX_YEARS_WALKED = 50;

export interface WorkingTimeOptions {
  timezone: string;
  schedule?: WorkSchedule;
  calendar?: ProductionCalendar;
  /** Called once per year that the engine had to compute without a production calendar. */
  onMissingYear?: (year: number) => void;
}

/** Throws WorkingTimeError unless `timezone` is an IANA zone known to the runtime. */
export function assertTimezone(timezone: string, what = "TIMEZONE"): void {
  try {
    new Intl.DateTimeFormat("en", { timeZone: timezone });
  } catch {
    throw new WorkingTimeError(`${what}: "${timezone}" is not an IANA time zone, e.g. Europe/Moscow`);
  }
  if (!timezone.trim()) throw new WorkingTimeError(`${what}: expected an IANA time zone, e.g. Europe/Moscow`);
}

/**
 * Working time of one deployment: its schedule in its time zone on the production calendar.
 * Boundary convention: working intervals are half-open [09:00, 13:00) … but a deadline that falls
 * exactly on an interval end is that end (18:00 stays 18:00 of the same day, never 09:00 next day).
 */
export class WorkingTime {
  readonly timezone: string;
  readonly schedule: WorkSchedule;
  readonly calendar: ProductionCalendar;
  private readonly years = new Map<number, YearTimeline>();
  private readonly yearStarts = new Map<number, number>();
  private readonly missing = new Set<number>();
  private readonly onMissingYear: ((year: number) => void) | undefined;

  constructor(opts: WorkingTimeOptions) {
    assertTimezone(opts.timezone);
    this.timezone = opts.timezone;
    this.schedule = opts.schedule ?? DEFAULT_SCHEDULE;
    this.calendar = opts.calendar ?? bundledCalendar();
    this.onMissingYear = opts.onMissingYear;
  }

  /** Years that had no production calendar, so only the schedule's weekdays were used. */
  missingYearsSeen(): number[] {
    return [...this.missing].sort((a, b) => a - b);
  }

  /** Working minutes of an ordinary (not shortened) working day of the schedule. */
  get fullDayMinutes(): number {
    const { start, end, lunch } = this.schedule;
    return end - start - (lunch ? lunch.end - lunch.start : 0);
  }

  isWorking(at: Date): boolean {
    const t = at.getTime();
    const tl = this.timeline(this.yearOf(t));
    const i = lastAtOrBefore(tl.ivStart, t);
    return i >= 0 && t < (tl.ivEnd[i] as number);
  }

  /**
   * Whether `at` falls within a working day's span, from its start to its end, the lunch break
   * included: people are at work then, so a notice may ring (outside it, nobody is pinged).
   */
  isWorkingDaySpan(at: Date): boolean {
    const t = at.getTime();
    const tl = this.timeline(this.yearOf(t));
    const i = lastAtOrBefore(tl.ivStart, t);
    if (i < 0) return false;
    const k = tl.ivWorkingDay[i] as number;
    return t < (tl.ivEnd[(tl.wdFirstIv[k + 1] as number) - 1] as number);
  }

  /** `at` itself when it is working time, otherwise the start of the next working interval. */
  nextWorkingMoment(at: Date): Date {
    const t = at.getTime();
    let tl = this.timeline(this.yearOf(t));
    const i = lastAtOrBefore(tl.ivStart, t);
    if (i >= 0 && t < (tl.ivEnd[i] as number)) return at;
    if (i + 1 < tl.ivStart.length) return new Date(tl.ivStart[i + 1] as number);
    for (let walked = 0; walked < MAX_YEARS_WALKED; walked++) {
      tl = this.timeline(tl.year + 1);
      if (tl.ivStart.length > 0) return new Date(tl.ivStart[0] as number);
    }
    throw this.noWorkingTime();
  }

  /** The clock starts at nextWorkingMoment(start); negative minutes count backwards from `start`. */
  addWorkingMinutes(start: Date, minutes: number): Date {
    if (!Number.isFinite(minutes))
      throw new WorkingTimeError(`minutes: expected a finite number, got ${minutes}`);
    if (minutes === 0) return this.nextWorkingMoment(start);
    const t = start.getTime();
    const tl = this.timeline(this.yearOf(t));
    return this.instantAt(tl, workedBefore(tl, t) + minutes * MINUTE);
  }

  /**
   * The same working-time offset into the working day, `days` working days later: the clock starts at
   * nextWorkingMoment(start); if the start is 2 working hours into its day, the result is 2 working
   * hours into the target day (11:00, or 12:00 after a lunch). If the target day is shorter than the
   * offset, the result is the end of that day.
   */
  addWorkingDays(start: Date, days: number): Date {
    if (!Number.isInteger(days)) throw new WorkingTimeError(`days: expected an integer, got ${days}`);
    const s = this.nextWorkingMoment(start);
    if (days === 0) return s;
    const t = s.getTime();
    let tl = this.timeline(this.yearOf(t));
    const i = lastAtOrBefore(tl.ivStart, t);
    let k = tl.ivWorkingDay[i] as number;
    const offset = workedBefore(tl, t) - workedBeforeDay(tl, k);
    [tl, k] = this.walkWorkingDays(tl, k + days);
    if (offset === 0) return new Date(tl.ivStart[tl.wdFirstIv[k] as number] as number);
    const dayStart = workedBeforeDay(tl, k);
    const dayEnd = tl.ivCumEnd[(tl.wdFirstIv[k + 1] as number) - 1] as number;
    return new Date(instantAtPosition(tl, Math.min(dayStart + offset, dayEnd)));
  }

  /**
   * Legal day counting (Civil Code art. 191, 193): the period starts on the day after the local date of
   * `at`, and ends when working time ends on the `days`-th working day (days ≥ 1).
   */
  endOfNthWorkingDayAfter(at: Date, days: number): Date {
    if (!Number.isInteger(days) || days < 1)
      throw new WorkingTimeError(`days: expected an integer ≥ 1, got ${days}`);
    const t = at.getTime();
    const from = this.timeline(this.yearOf(t));
    const ordinal = lastAtOrBefore(from.dayStart, t);
    const [tl, k] = this.walkWorkingDays(from, (from.wdByDay[ordinal + 1] as number) + days - 1);
    return new Date(tl.ivEnd[(tl.wdFirstIv[k + 1] as number) - 1] as number);
  }

  /**
   * Whether something done at `at` meets a deadline: no working time passed after it. Done at the
   * weekend after a deadline that ran out at Friday's close (or during the lunch break after one at
   * 13:00), it is on time: not a working minute went by, as the clock that set the deadline counts.
   */
  meets(deadline: Date, at: Date): boolean {
    return at.getTime() <= deadline.getTime() || this.workingMinutesBetween(deadline, at) <= 0;
  }

  /** Working minutes from a to b (may be fractional when the instants have seconds); negative if b < a. */
  workingMinutesBetween(a: Date, b: Date): number {
    const ta = a.getTime();
    const tb = b.getTime();
    if (tb < ta) return -this.workingMinutesBetween(b, a);
    const ya = this.yearOf(ta);
    const yb = this.yearOf(tb);
    const tla = this.timeline(ya);
    if (ya === yb) return (workedBefore(tla, tb) - workedBefore(tla, ta)) / MINUTE;
    let sum = tla.total - workedBefore(tla, ta);
    for (let y = ya + 1; y < yb; y++) sum += this.timeline(y).total;
    return (sum + workedBefore(this.timeline(yb), tb)) / MINUTE;
  }

  /** The local year an instant belongs to. */
  private yearOf(t: number): number {
    const guess = new Date(t).getUTCFullYear();
    if (t < this.yearStart(guess)) return guess - 1;
    if (t >= this.yearStart(guess + 1)) return guess + 1;
    return guess;
  }

  private yearStart(year: number): number {
    let start = this.yearStarts.get(year);
    if (start === undefined) {
      start = yearStartInstant(year, this.timezone);
      this.yearStarts.set(year, start);
    }
    return start;
  }

  private timeline(year: number): YearTimeline {
    let tl = this.years.get(year);
    if (!tl) {
      const calendarYear = this.calendar.years[year];
      if (!calendarYear && !this.missing.has(year)) {
        this.missing.add(year);
        this.onMissingYear?.(year);
      }
      tl = buildYearTimeline(year, this.timezone, this.schedule, calendarYear);
      this.years.set(year, tl);
    }
    return tl;
  }

  /** The instant of a working-time position counted from the start of `tl`'s year (may leave the year). */
  private instantAt(from: YearTimeline, position: number): Date {
    let tl = from;
    let pos = position;
    for (let walked = 0; walked < MAX_YEARS_WALKED; walked++) {
      if (pos > tl.total) {
        pos -= tl.total;
        tl = this.timeline(tl.year + 1);
      } else if (pos <= 0) {
        tl = this.timeline(tl.year - 1);
        pos += tl.total;
      } else {
        return new Date(instantAtPosition(tl, pos));
      }
    }
    throw this.noWorkingTime();
  }

  /** Resolves working day index k (possibly outside the year) to its year and index there. */
  private walkWorkingDays(from: YearTimeline, index: number): [YearTimeline, number] {
    let tl = from;
    let k = index;
    for (let walked = 0; walked < MAX_YEARS_WALKED; walked++) {
      if (k >= tl.workingDays) {
        k -= tl.workingDays;
        tl = this.timeline(tl.year + 1);
      } else if (k < 0) {
        tl = this.timeline(tl.year - 1);
        k += tl.workingDays;
      } else {
        return [tl, k];
      }
    }
    throw this.noWorkingTime();
  }

  private noWorkingTime(): WorkingTimeError {
    return new WorkingTimeError(
      `no working time within ${MAX_YEARS_WALKED} years: check WORK_DAYS and WORK_HOURS`,
    );
  }
}

export function createWorkingTime(opts: WorkingTimeOptions): WorkingTime {
  return new WorkingTime(opts);
}

/** The local calendar year of an instant in a time zone. */
export function localYear(at: Date, timezone: string): number {
  return new TZDate(at.getTime(), timezone).getFullYear();
}

/** Thrown for a bad WORK_DAYS / WORK_HOURS / LUNCH value; the message names the variable and the expected form. */
export class ScheduleError extends Error {
  override name = "ScheduleError";
}

/** Minutes from local midnight. */
export interface MinuteRange {
  readonly start: number;
  readonly end: number;
}

/** The office's ordinary week: ISO weekdays (1 = Monday … 7 = Sunday), hours and an optional lunch break. */
export interface WorkSchedule extends MinuteRange {
  readonly workDays: readonly number[];
  readonly lunch?: MinuteRange;
}

export const DEFAULT_SCHEDULE: WorkSchedule = {
  workDays: [1, 2, 3, 4, 5],
  start: 9 * 60,
  end: 18 * 60,
  lunch: { start: 13 * 60, end: 14 * 60 },
};

/** A pre-holiday short day ends this many minutes earlier (Labour Code art. 95). */
export const SHORT_DAY_MINUTES = 60;

const RANGE = /^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$/;

function parseRange(name: string, value: string): MinuteRange {
  const expected = `${name}: expected HH:MM-HH:MM, e.g. ${name === "LUNCH" ? "13:00-14:00 or none" : "09:00-18:00"}`;
  const m = RANGE.exec(value);
  if (!m) throw new ScheduleError(`${expected}; got "${value}"`);
  const [h1, m1, h2, m2] = m.slice(1).map(Number) as [number, number, number, number];
  if (h1 > 23 || h2 > 24 || m1 > 59 || m2 > 59 || (h2 === 24 && m2 > 0)) {
    throw new ScheduleError(`${expected}; "${value}" is not a valid time`);
  }
  const range = { start: h1 * 60 + m1, end: h2 * 60 + m2 };
  if (range.end <= range.start)
    throw new ScheduleError(`${name}: the end must be after the start; got "${value}"`);
  return range;
}

function parseWorkDays(value: string): number[] {
  const expected = `WORK_DAYS: expected ISO weekdays 1-7 (1 = Monday) as a range or a list, e.g. 1-5 or 1,2,3,4,5; got "${value}"`;
  const days = new Set<number>();
  for (const part of value.split(",")) {
    const m = /^\s*([1-7])\s*(?:-\s*([1-7])\s*)?$/.exec(part);
    if (!m) throw new ScheduleError(expected);
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    if (to < from) throw new ScheduleError(expected);
    for (let d = from; d <= to; d++) days.add(d);
  }
  return [...days].sort((a, b) => a - b);
}

/** Reads the schedule from environment-style strings; an unset variable keeps the default. */
export function parseSchedule(env: {
  WORK_DAYS?: string;
  WORK_HOURS?: string;
  LUNCH?: string;
}): WorkSchedule {
  const workDays = env.WORK_DAYS?.trim() ? parseWorkDays(env.WORK_DAYS) : DEFAULT_SCHEDULE.workDays;
  const hours = env.WORK_HOURS?.trim() ? parseRange("WORK_HOURS", env.WORK_HOURS) : DEFAULT_SCHEDULE;
  const lunchText = env.LUNCH?.trim();
  let lunch: MinuteRange | undefined;
  if (lunchText === undefined || lunchText === "") lunch = DEFAULT_SCHEDULE.lunch;
  else if (lunchText.toLowerCase() !== "none") lunch = parseRange("LUNCH", lunchText);
  if (lunch && (lunch.start <= hours.start || lunch.end >= hours.end)) {
    throw new ScheduleError(
      `LUNCH: expected a break strictly inside WORK_HOURS (${formatMinutes(hours.start)}-${formatMinutes(hours.end)}), or none`,
    );
  }
  if (hours.end - hours.start - (lunch ? lunch.end - lunch.start : 0) <= SHORT_DAY_MINUTES) {
    throw new ScheduleError(
      "WORK_HOURS: the working day must be longer than one hour (a short day is one hour shorter)",
    );
  }
  const schedule = { workDays, start: hours.start, end: hours.end };
  return lunch ? { ...schedule, lunch } : schedule;
}

export function formatMinutes(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
}

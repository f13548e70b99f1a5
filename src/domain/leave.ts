/**
 * A person's leave («в отпуске до …»): its first and last days, local calendar days kept as
 * `yyyy-MM-dd`, which sort and compare as the days do. A leave with no first day is on from the day it
 * was set; one planned ahead begins on its first day. Either is on through its last day.
 */

import { formatDeadline } from "./time-format.js";

/** A leave is set at most this far ahead: a longer absence is a matter of access (/people). */
export const LEAVE_MAX_DAYS = 366;

/** A leave not over: `from` named only while it is still ahead (planned), null once it is on. */
export interface Leave {
  from: string | null;
  until: string;
}

/** The local day of an instant, `yyyy-MM-dd`. */
export function localDay(at: Date, timezone: string): string {
  const [day, month, year] = formatDeadline(at, timezone).slice(0, 10).split(".");
  return `${year}-${month}-${day}`;
}

/** The leave as it stands on `today` (see Leave): none once over. */
export function leaveAsOf(from: string | null, until: string | null, today: string): Leave | null {
  if (until === null || until < today) return null;
  return { from: from !== null && from > today ? from : null, until };
}

/** `14.05.2026`, or `14.05` for a short mention. */
export function formatDay(day: string, short = false): string {
  const [year, month, date] = day.split("-");
  return short ? `${date}.${month}` : `${date}.${month}.${year}`;
}

export type LeaveRefusal = "junk" | "past" | "started" | "reversed" | "too_far";
export type ParsedLeave = { ok: true; leave: Leave } | { ok: false; reason: LeaveRefusal };

const DAY_MS = 86_400_000;
const DATE = String.raw`(\d{1,2})\.(\d{1,2})(?:\.(\d{4}))?`;
/** «14.05.2026», «до 14.05»: the last day, the leave on from today. */
const UNTIL = new RegExp(`^(?:до\\s+|по\\s+)?${DATE}$`, "iu");
/** «04.05–14.05», «с 04.05 по 14.05», «04.05.2026 14.05.2026»: the first day and the last. */
const RANGE = new RegExp(`^(?:с\\s+)?${DATE}(?:\\s*[-–—]\\s*|\\s+(?:по|до)\\s+|\\s+)${DATE}$`, "iu");

/** The day typed (`yyyy-MM-dd`) in `year`, or undefined for no such day (31.11). */
function dayOf(date: string, month: string, year: number): string | undefined {
  const at = new Date(Date.UTC(year, Number(month) - 1, Number(date)));
  const real = at.getUTCFullYear() === year && at.getUTCMonth() === Number(month) - 1;
  return real && at.getUTCDate() === Number(date) ? at.toISOString().slice(0, 10) : undefined;
}

/**
 * A day typed as `D.M.YYYY`, or `D.M` taken in the year that puts it first on or after `after`, else
 * nearest to `near`: «28.12–10.01» runs into the next year, «20.11» in late November is this one's.
 */
function readDay(
  [date, month, year]: (string | undefined)[],
  near: string,
  after?: string,
): string | undefined {
  if (date === undefined || month === undefined) return undefined;
  if (year !== undefined) return dayOf(date, month, Number(year));
  const base = Number(near.slice(0, 4));
  const days = [base - 1, base, base + 1, base + 2].flatMap((y) => dayOf(date, month, y) ?? []);
  if (after !== undefined) return days.find((day) => day >= after);
  const distance = (day: string) => Math.abs(Date.parse(day) - Date.parse(near));
  return days.sort((a, b) => distance(a) - distance(b))[0];
}

/** The days typed: the last alone (`from` undefined), or the first and the last; undefined for junk. */
function typedDays(text: string, today: string): { from?: string; until: string } | undefined {
  const single = UNTIL.exec(text);
  if (single) {
    const until = readDay(single.slice(1, 4), today);
    return until === undefined ? undefined : { until };
  }
  const range = RANGE.exec(text);
  const from = range ? readDay(range.slice(1, 4), today) : undefined;
  const until = range && from !== undefined ? readDay(range.slice(4, 7), today, from) : undefined;
  return from === undefined || until === undefined ? undefined : { from, until };
}

/**
 * A leave as typed, checked against today: its last day, or its first and last; from today to a year
 * ahead. A first day of today is no plan: the leave is on from now, as with the last day alone.
 */
export function parseLeave(text: string, today: string): ParsedLeave {
  const days = typedDays(text.trim(), today);
  if (!days) return { ok: false, reason: "junk" };
  const { from, until } = days;
  if (from !== undefined && from > until) return { ok: false, reason: "reversed" };
  if (until < today) return { ok: false, reason: "past" };
  if (from !== undefined && from < today) return { ok: false, reason: "started" };
  const latest = new Date(Date.parse(today) + LEAVE_MAX_DAYS * DAY_MS).toISOString().slice(0, 10);
  if (until > latest) return { ok: false, reason: "too_far" };
  return { ok: true, leave: { from: from !== undefined && from > today ? from : null, until } };
}

/**
 * Whom the bot writes to privately unasked, of these chats (a group chat is kept): nobody `away`, on
 * leave. One who must still hear (`last`: the curators, whom nobody stands in for) hears all the same
 * when every one of them is away; an organization's executors are not the last, the curators hear
 * instead of them.
 */
export function withoutAway(chatIds: number[], away: ReadonlySet<number>, last = false): number[] {
  const present = chatIds.filter((chatId) => !away.has(chatId));
  return present.length === 0 && last ? chatIds : present;
}

/**
 * A person's leave («в отпуске до …»): its last day, a local calendar day kept as `yyyy-MM-dd`, which
 * sorts and compares as the days do. The leave is on from the day it is set through that day.
 */

import { formatDeadline } from "./time-format.js";

/** A leave is set at most this far ahead: a longer absence is a matter of access (/people). */
export const LEAVE_MAX_DAYS = 366;

/** The local day of an instant, `yyyy-MM-dd`. */
export function localDay(at: Date, timezone: string): string {
  const [day, month, year] = formatDeadline(at, timezone).slice(0, 10).split(".");
  return `${year}-${month}-${day}`;
}

/** Whether a leave ending on `until` is on on `today` (both `yyyy-MM-dd`). */
export function onLeave(until: string | null | undefined, today: string): boolean {
  return until != null && until >= today;
}

/** `14.05.2026`, or `14.05` for a short mention. */
export function formatDay(day: string, short = false): string {
  const [year, month, date] = day.split("-");
  return short ? `${date}.${month}` : `${date}.${month}.${year}`;
}

export type LeaveEnd = { ok: true; day: string } | { ok: false; reason: "junk" | "past" | "too_far" };

/** The leave's last day as typed, `DD.MM.YYYY` (or `D.M.YYYY`), checked against today. */
export function parseLeaveEnd(text: string, today: string): LeaveEnd {
  const match = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(text.trim());
  if (!match) return { ok: false, reason: "junk" };
  const [year, month, date] = [Number(match[3]), Number(match[2]), Number(match[1])];
  const at = new Date(Date.UTC(year, month - 1, date));
  if (at.getUTCFullYear() !== year || at.getUTCMonth() !== month - 1 || at.getUTCDate() !== date)
    return { ok: false, reason: "junk" };
  const day = at.toISOString().slice(0, 10);
  if (day < today) return { ok: false, reason: "past" };
  const latest = new Date(Date.parse(today) + LEAVE_MAX_DAYS * 86_400_000).toISOString().slice(0, 10);
  return day > latest ? { ok: false, reason: "too_far" } : { ok: true, day };
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

import type { WorkingTime } from "./calendar/index.js";

const formatters = new Map<string, Intl.DateTimeFormat>();
/** The same deadline is printed in an alert to each chat and on each card: recent ones are kept. */
const printed = new Map<string, string>();
const PRINTED_KEPT = 10_000;

/**
 * A deadline as people see it: local time of the deployment, "dd.MM.yyyy HH:mm". Every card and
 * alert prints several, so the zone's formatter is built once (date-fns' TZDate recomputes the
 * zone's offset for each date).
 */
export function formatDeadline(at: Date, timezone: string): string {
  const key = `${timezone} ${at.getTime()}`;
  let text = printed.get(key);
  if (text === undefined) {
    if (printed.size >= PRINTED_KEPT) printed.clear();
    text = formatLocal(at, timezone);
    printed.set(key, text);
  }
  return text;
}

/**
 * A deadline passed, as an alert says it: today's by its time alone («в 10:00»), an earlier day's
 * in full (see formatDeadline).
 */
export function formatPassedDeadline(at: Date, now: Date, timezone: string): string {
  const deadline = formatDeadline(at, timezone);
  const [day, time] = deadline.split(" ");
  return day === formatDeadline(now, timezone).split(" ")[0] ? `в ${time}` : deadline;
}

function formatLocal(at: Date, timezone: string): string {
  let formatter = formatters.get(timezone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-GB", {
      timeZone: timezone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    });
    formatters.set(timezone, formatter);
  }
  const part: Partial<Record<Intl.DateTimeFormatPartTypes, string>> = {};
  for (const { type, value } of formatter.formatToParts(at)) part[type] = value;
  return `${part.day}.${part.month}.${part.year} ${part.hour}:${part.minute}`;
}

/**
 * Below this many working days a duration is told in hours: «1 раб. дн. 30 мин» for 8 h 30 min of a
 * step counted in hours reads as a calendar day and a half hour.
 */
const DAYS_FROM = 2;

/**
 * Working time as "2 раб. дн. 3 ч 15 мин" / "9 ч 20 мин" / "45 мин": in working days from two of
 * them, in hours below. A "day" here is an ordinary full working day of the schedule (8 h by
 * default), so the figure stays exact on short days too.
 */
export function formatWorkingDuration(minutes: number, fullDayMinutes: number): string {
  const whole = Math.floor(minutes);
  const days = inDays(whole, fullDayMinutes) ? Math.floor(whole / fullDayMinutes) : 0;
  const withinDay = whole - days * fullDayMinutes;
  const hours = Math.floor(withinDay / 60);
  const rest = withinDay % 60;
  const parts = [
    days > 0 ? `${days} раб. дн.` : "",
    hours > 0 ? `${hours} ч` : "",
    rest > 0 ? `${rest} мин` : "",
  ];
  return parts.filter(Boolean).join(" ");
}

/** Whether a duration is told in working days (see DAYS_FROM); in hours, it says «рабочего времени». */
function inDays(minutes: number, fullDayMinutes: number): boolean {
  return minutes >= DAYS_FROM * fullDayMinutes;
}

/**
 * What is left until a deadline, or how far it is overdue — both measured in working time. `bare`:
 * without «рабочего времени», where the text says so once for many lines (a list).
 */
export function formatRemaining(wt: WorkingTime, deadline: Date, now: Date, bare = false): string {
  const minutes = wt.workingMinutesBetween(now, deadline);
  const said = (text: string, days: boolean) => (days || bare ? text : `${text} рабочего времени`);
  if (deadline.getTime() > now.getTime()) {
    if (minutes < 1) return said("осталось меньше минуты", false);
    const text = formatWorkingDuration(minutes, wt.fullDayMinutes);
    return said(`осталось ${text}`, inDays(minutes, wt.fullDayMinutes));
  }
  if (-minutes < 1) return "срок истёк";
  const text = formatWorkingDuration(-minutes, wt.fullDayMinutes);
  return said(`просрочено на ${text}`, inDays(-minutes, wt.fullDayMinutes));
}

/** A deadline on a list's line: its time alone when it falls today (in the deployment's zone). */
export function formatDeadlineShort(at: Date, now: Date, timezone: string): string {
  const deadline = formatDeadline(at, timezone);
  return deadline.slice(0, 10) === formatDeadline(now, timezone).slice(0, 10) ? deadline.slice(11) : deadline;
}

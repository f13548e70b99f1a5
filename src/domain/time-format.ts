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
 * Working time as "2 раб. дн. 3 ч 15 мин" / "1 ч 20 мин" / "45 мин". A "day" here is an ordinary full
 * working day of the schedule (8 h by default), so the figure stays exact on short days too.
 */
export function formatWorkingDuration(minutes: number, fullDayMinutes: number): string {
  const whole = Math.floor(minutes);
  const days = Math.floor(whole / fullDayMinutes);
  const withinDay = whole % fullDayMinutes;
  const hours = Math.floor(withinDay / 60);
  const rest = withinDay % 60;
  const parts = [
    days > 0 ? `${days} раб. дн.` : "",
    hours > 0 ? `${hours} ч` : "",
    rest > 0 ? `${rest} мин` : "",
  ];
  return parts.filter(Boolean).join(" ");
}

/** What is left until a deadline, or how far it is overdue — both measured in working time. */
export function formatRemaining(wt: WorkingTime, deadline: Date, now: Date): string {
  const minutes = wt.workingMinutesBetween(now, deadline);
  if (deadline.getTime() > now.getTime()) {
    if (minutes < 1) return "осталось меньше минуты рабочего времени";
    const text = formatWorkingDuration(minutes, wt.fullDayMinutes);
    return minutes >= wt.fullDayMinutes ? `осталось ${text}` : `осталось ${text} рабочего времени`;
  }
  if (-minutes < 1) return "срок истёк";
  const text = formatWorkingDuration(-minutes, wt.fullDayMinutes);
  return -minutes >= wt.fullDayMinutes ? `просрочено на ${text}` : `просрочено на ${text} рабочего времени`;
}

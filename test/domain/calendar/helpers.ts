import { TZDate } from "@date-fns/tz";
import { createWorkingTime } from "../../../src/domain/calendar/index.js";

export const YEKATERINBURG = "Asia/Yekaterinburg";
export const MOSCOW = "Europe/Moscow";

/** A local wall-clock instant: local("2025-11-01 09:00", zone). */
export function local(text: string, timezone: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})$/.exec(text);
  if (!m) throw new Error(`bad local time ${text}`);
  const [y, mo, d, h, mi] = m.slice(1).map(Number) as [number, number, number, number, number];
  return new Date(new TZDate(y, mo - 1, d, h, mi, timezone).getTime());
}

/** The local wall clock of an instant as "yyyy-MM-dd HH:mm". */
export function wall(at: Date, timezone: string): string {
  const z = new TZDate(at.getTime(), timezone);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${z.getFullYear()}-${p(z.getMonth() + 1)}-${p(z.getDate())} ${p(z.getHours())}:${p(z.getMinutes())}`;
}

export const moscow = createWorkingTime({ timezone: MOSCOW });
export const yekaterinburg = createWorkingTime({ timezone: YEKATERINBURG });

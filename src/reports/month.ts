/** A report's month in the deployment's time zone: its bounds, its neighbours, how people type it. */
import { TZDate } from "@date-fns/tz";

export interface ReportMonth {
  year: number;
  /** 1–12. */
  month: number;
}

export interface MonthBounds {
  start: Date;
  /** The first instant of the next month (exclusive). */
  end: Date;
}

export function monthBounds(m: ReportMonth, timezone: string): MonthBounds {
  const start = new TZDate(m.year, m.month - 1, 1, timezone);
  const end = new TZDate(m.year, m.month, 1, timezone);
  return { start: new Date(start.getTime()), end: new Date(end.getTime()) };
}

export function shiftMonth(m: ReportMonth, delta: number): ReportMonth {
  const index = m.year * 12 + (m.month - 1) + delta;
  return { year: Math.floor(index / 12), month: (index % 12) + 1 };
}

/** The month an instant falls in, locally. */
export function monthOf(at: Date, timezone: string): ReportMonth {
  const local = new TZDate(at.getTime(), timezone);
  return { year: local.getFullYear(), month: local.getMonth() + 1 };
}

/** The day of its month an instant falls on, locally (1–31). */
export function dayOfMonth(at: Date, timezone: string): number {
  return new TZDate(at.getTime(), timezone).getDate();
}

/** "2026-10": file names and notice keys. */
export function monthKey(m: ReportMonth): string {
  return `${m.year}-${String(m.month).padStart(2, "0")}`;
}

/** "10.2026": how the bot shows a month. */
export function monthLabel(m: ReportMonth): string {
  return `${String(m.month).padStart(2, "0")}.${m.year}`;
}

const MONTH_NAMES = [
  "январь",
  "февраль",
  "март",
  "апрель",
  "май",
  "июнь",
  "июль",
  "август",
  "сентябрь",
  "октябрь",
  "ноябрь",
  "декабрь",
];

/** "ноябрь 2026 г.": how a report names its month («Отчёт за ноябрь 2026 г.»). */
export function monthName(m: ReportMonth): string {
  return `${MONTH_NAMES[m.month - 1]} ${m.year} г.`;
}

/** "10.2026", "10/2026", "2026-10"; undefined for anything else. */
export function parseMonth(text: string): ReportMonth | undefined {
  const trimmed = text.trim();
  const dotted = /^(\d{1,2})[./](\d{4})$/.exec(trimmed);
  const iso = /^(\d{4})-(\d{1,2})$/.exec(trimmed);
  const month = Number(dotted?.[1] ?? iso?.[2]);
  const year = Number(dotted?.[2] ?? iso?.[1]);
  if (!Number.isInteger(month) || month < 1 || month > 12 || year < 2000 || year > 2100) return undefined;
  return { year, month };
}

import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { z } from "zod";

/** Thrown when a production calendar file does not match the expected format; the message names the field. */
export class CalendarError extends Error {
  override name = "CalendarError";
}

export type YearStatus = "official" | "draft" | "missing";

const isoDate = z
  .string({ error: "expected a date string yyyy-MM-dd" })
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: "expected a date string yyyy-MM-dd" })
  .refine((s) => isRealDate(s), { error: "expected an existing calendar date yyyy-MM-dd" });

const monthNorm = z.tuple([z.number().int().nonnegative(), z.number().nonnegative()], {
  error: "expected [workingDays, hours]",
});

const yearSchema = z.object({
  status: z.enum(["official", "draft"], { error: 'expected "official" or "draft"' }),
  source: z.string({ error: "expected a text naming the source" }).min(1, { error: "expected a source" }),
  holidays: z.array(isoDate, { error: "expected a list of dates" }),
  workingWeekends: z.array(isoDate, { error: "expected a list of dates" }),
  shortDays: z.array(isoDate, { error: "expected a list of dates" }),
  norms: z
    .object({
      workingDays: z.number().int().nonnegative(),
      hours: z.number().nonnegative(),
      monthly: z.array(monthNorm).length(12, { error: "expected 12 months" }).optional(),
    })
    .optional(),
});

const calendarSchema = z.object({
  description: z.string().optional(),
  crossChecks: z.string().optional(),
  years: z.record(z.string().regex(/^\d{4}$/, { error: "expected a four-digit year" }), yearSchema, {
    error: "expected an object of years",
  }),
});

export type CalendarYear = Readonly<z.infer<typeof yearSchema>>;

/** Parsed production calendar: year → its holidays, transferred working weekend days and short days. */
export interface ProductionCalendar {
  readonly years: Readonly<Record<number, CalendarYear>>;
}

function isRealDate(iso: string): boolean {
  const [y, m, d] = iso.split("-").map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

function formatIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.map(String).join(".");
  return path ? `${path}: ${issue.message}` : issue.message;
}

/** Validates a calendar in the JSON format of production-calendar-ru.json; throws CalendarError naming the bad field. */
export function parseProductionCalendar(json: unknown): ProductionCalendar {
  const parsed = calendarSchema.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new CalendarError(`production calendar: ${first ? formatIssue(first) : "invalid"}`);
  }
  const years: Record<number, CalendarYear> = {};
  for (const [key, year] of Object.entries(parsed.data.years)) {
    for (const field of ["holidays", "workingWeekends", "shortDays"] as const) {
      const index = year[field].findIndex((d) => !d.startsWith(`${key}-`));
      if (index >= 0) {
        throw new CalendarError(`production calendar: years.${key}.${field}.${index}: date is not in ${key}`);
      }
    }
    years[Number(key)] = year;
  }
  return { years };
}

/** Reads and validates a calendar file (for example next year's calendar added by an admin). */
export function loadCalendarFile(path: string): ProductionCalendar {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new CalendarError(`production calendar file ${path}: ${(error as Error).message}`);
  }
  try {
    return parseProductionCalendar(json);
  } catch (error) {
    throw new CalendarError(`${path}: ${(error as Error).message}`);
  }
}

let bundled: ProductionCalendar | undefined;

/** The Russian production calendar shipped with the bot (src/domain/calendar/production-calendar-ru.json). */
export function bundledCalendar(): ProductionCalendar {
  bundled ??= loadCalendarFile(fileURLToPath(new URL("./production-calendar-ru.json", import.meta.url)));
  return bundled;
}

/** Joins two calendars; for a year present in both, `extra` wins. */
export function mergeCalendars(base: ProductionCalendar, extra: ProductionCalendar): ProductionCalendar {
  return { years: { ...base.years, ...extra.years } };
}

export function yearStatus(cal: ProductionCalendar, year: number): YearStatus {
  return cal.years[year]?.status ?? "missing";
}

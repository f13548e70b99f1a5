import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { z } from "zod";

/** What is wrong with a calendar file, for a message in the admin's language (the bot words it). */
export type CalendarProblem =
  | "not_object"
  | "no_years"
  | "bad_year"
  | "bad_year_block"
  | "bad_status"
  | "no_source"
  | "not_date_list"
  | "bad_date"
  | "no_such_date"
  | "date_not_in_year"
  | "bad_norms"
  | "invalid";

/** Where the problem is: the year (as written in the file), its field and the bad value, when known. */
export interface CalendarProblemPlace {
  year?: string;
  field?: string;
  value?: unknown;
}

/**
 * Thrown when a production calendar file does not match the expected format; the message (for logs)
 * names the field, `problem` and `place` say the same for the admin who sent the file.
 */
export class CalendarError extends Error {
  override name = "CalendarError";
  constructor(
    message: string,
    readonly problem: CalendarProblem = "invalid",
    readonly place: CalendarProblemPlace = {},
  ) {
    super(message);
  }
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

const DATE_LISTS: readonly string[] = ["holidays", "workingWeekends", "shortDays"];

/** The problem of a schema issue, told by where it is: each field has one kind of mistake. */
function problemOf(issue: z.core.$ZodIssue): CalendarProblem {
  const [top, , field, index] = issue.path.map(String);
  if (top === undefined) return "not_object";
  if (top !== "years") return "invalid";
  if (issue.code === "invalid_key") return "bad_year";
  if (issue.path.length === 1) return "no_years";
  if (field === undefined) return "bad_year_block";
  if (field === "status") return "bad_status";
  if (field === "source") return "no_source";
  if (field === "norms") return "bad_norms";
  if (!DATE_LISTS.includes(field)) return "invalid";
  if (index === undefined) return "not_date_list";
  return issue.code === "custom" ? "no_such_date" : "bad_date";
}

function placeOf(json: unknown, path: readonly PropertyKey[]): CalendarProblemPlace {
  const [top, year, field] = path.map(String);
  if (top !== "years" || year === undefined) return {};
  let value: unknown = json;
  for (const key of path) value = (value as Record<PropertyKey, unknown> | undefined)?.[key];
  return { year, ...(field === undefined ? {} : { field, value }) };
}

/** Validates a calendar in the JSON format of production-calendar-ru.json; throws CalendarError naming the bad field. */
export function parseProductionCalendar(json: unknown): ProductionCalendar {
  const parsed = calendarSchema.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    if (!first) throw new CalendarError("production calendar: invalid");
    throw new CalendarError(
      `production calendar: ${formatIssue(first)}`,
      problemOf(first),
      placeOf(json, first.path),
    );
  }
  const years: Record<number, CalendarYear> = {};
  for (const [key, year] of Object.entries(parsed.data.years)) {
    for (const field of ["holidays", "workingWeekends", "shortDays"] as const) {
      const index = year[field].findIndex((d) => !d.startsWith(`${key}-`));
      if (index >= 0) {
        throw new CalendarError(
          `production calendar: years.${key}.${field}.${index}: date is not in ${key}`,
          "date_not_in_year",
          { year: key, field, value: year[field][index] },
        );
      }
    }
    years[Number(key)] = year;
  }
  return { years };
}

const YEAR_KEY = /^\d{4}$/;

/**
 * The calendar in a JSON file an admin sends, in the full format, or undefined when the file is not
 * a calendar. Besides the full format ("years"), the years keyed without that wrapper are taken, and
 * one year's block alone (copied out of a full file): its year is that of its first holiday.
 */
export function asCalendarDocument(json: unknown): unknown {
  if (!json || typeof json !== "object" || Array.isArray(json)) return undefined;
  if ("years" in json) return json;
  const keys = Object.keys(json);
  if (keys.length > 0 && keys.every((key) => YEAR_KEY.test(key))) return { years: json };
  if (!("holidays" in json || "status" in json)) return undefined;
  const { holidays } = json as { holidays?: unknown };
  const first: unknown = Array.isArray(holidays) ? holidays[0] : undefined;
  const year = typeof first === "string" ? first.slice(0, 4) : "";
  return YEAR_KEY.test(year) ? { years: { [year]: json } } : json;
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
    if (!(error instanceof CalendarError)) throw error;
    throw new CalendarError(`${path}: ${error.message}`, error.problem, error.place);
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

/** The day lists of a year, as the file names them. */
export type CalendarDayList = "holidays" | "workingWeekends" | "shortDays";

/** How one version of a year differs from another: its status, and the days each list gains or loses. */
export interface CalendarYearChanges {
  status?: { from: CalendarYear["status"]; to: CalendarYear["status"] };
  days: { list: CalendarDayList; added: string[]; removed: string[] }[];
}

/** What `to` changes of `from`; no status and no days when they count the same working time. */
export function calendarYearChanges(from: CalendarYear, to: CalendarYear): CalendarYearChanges {
  const days = (["holidays", "workingWeekends", "shortDays"] as const)
    .map((list) => ({
      list,
      added: to[list].filter((day) => !from[list].includes(day)).sort(),
      removed: from[list].filter((day) => !to[list].includes(day)).sort(),
    }))
    .filter((change) => change.added.length > 0 || change.removed.length > 0);
  return { ...(from.status !== to.status ? { status: { from: from.status, to: to.status } } : {}), days };
}

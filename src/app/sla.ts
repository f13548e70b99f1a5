import { createHash } from "node:crypto";
import { and, desc, eq, gt, isNull, notInArray, or } from "drizzle-orm";
import type { Db, Tx } from "../db/client.js";
import { auditEvents, calendarYears, incidents, noticesSent } from "../db/schema.js";
import {
  bundledCalendar,
  type CalendarYear,
  createWorkingTime,
  DEFAULT_SCHEDULE,
  localYear,
  mergeCalendars,
  type ProductionCalendar,
  parseProductionCalendar,
  type WorkingTime,
  type WorkSchedule,
  yearStatus,
} from "../domain/calendar/index.js";
import { loadRegulation, type Regulation } from "../domain/regulation/index.js";
import { audit } from "./audit.js";
import { noticeClaimed, releaseNotice } from "./notices.js";

/**
 * The deployment's regulation and working time. The calendar can be replaced while the bot runs
 * (an admin loads next year's file), so callers read `workingTime` when they need it.
 */
export class SlaRuntime {
  #workingTime: WorkingTime;
  constructor(
    readonly regulation: Regulation,
    readonly timezone: string,
    readonly schedule: WorkSchedule,
    calendar: ProductionCalendar,
    private readonly onMissingYear: (year: number) => void,
  ) {
    this.#workingTime = this.#build(calendar);
  }

  get workingTime(): WorkingTime {
    return this.#workingTime;
  }

  get calendar(): ProductionCalendar {
    return this.#workingTime.calendar;
  }

  replaceCalendar(calendar: ProductionCalendar): void {
    this.#workingTime = this.#build(calendar);
  }

  #build(calendar: ProductionCalendar): WorkingTime {
    return createWorkingTime({
      timezone: this.timezone,
      schedule: this.schedule,
      calendar,
      onMissingYear: this.onMissingYear,
    });
  }
}

/** A built-in preset on the default schedule with the database's calendar: for tests and benchmarks. */
export function presetRuntime(db: Db, preset: "orenburg" | "georgievsk"): SlaRuntime {
  const regulation = loadRegulation(preset);
  return new SlaRuntime(regulation, regulation.timezone, DEFAULT_SCHEDULE, effectiveCalendar(db), () => {});
}

/** The bundled calendar with the years an admin loaded after the release on top. */
export function effectiveCalendar(db: Db): ProductionCalendar {
  const loaded: Record<string, unknown> = {};
  for (const row of db.select().from(calendarYears).all()) loaded[row.year] = row.data;
  const base = bundledCalendar();
  return Object.keys(loaded).length === 0
    ? base
    : mergeCalendars(base, parseProductionCalendar({ years: loaded }));
}

/** Stores the years of a calendar file an admin sent; they take effect at once and after restarts. */
export function saveCalendarYears(
  db: Db,
  calendar: ProductionCalendar,
  actorId: number,
  now: Date,
): number[] {
  return db.transaction((tx) => {
    const years = Object.keys(calendar.years).map(Number);
    for (const year of years) {
      const data = calendar.years[year] as CalendarYear;
      tx.insert(calendarYears)
        .values({ year, data, loadedBy: actorId, loadedAt: now })
        .onConflictDoUpdate({ target: calendarYears.year, set: { data, loadedBy: actorId, loadedAt: now } })
        .run();
      audit(tx, now, {
        actorId,
        entity: "calendar",
        entityId: year,
        action: "year_loaded",
        details: { status: data.status, source: data.source },
      });
    }
    // Days off moved: every deadline still ahead may have moved.
    replanAll(tx, now);
    return years;
  });
}

/**
 * Deadlines are counted by the regulation, the time zone, the schedule and the production calendar
 * in force. When a start brings others than the last one (an admin changed WORK_HOURS or REGULATION
 * and restarted, or an upgrade brought a calendar with days off moved), every reminder planned ahead
 * was planned by the old ones: the sweep plans each post anew at its next tick, and the open posts'
 * cards are owed a refresh (cardsRefreshOwed) until one runs to the end. Returns whether the settings
 * changed; each change is an audit event with what was and what is.
 */
export function replanOnChangedSettings(db: Db, sla: SlaRuntime, now: Date): boolean {
  const settings = {
    regulation: sla.regulation.id,
    timezone: sla.timezone,
    schedule: sla.schedule,
    fingerprint: createHash("sha256")
      .update(JSON.stringify([sla.regulation, sla.timezone, sla.schedule, sla.calendar]))
      .digest("hex")
      .slice(0, 16),
  };
  return db.transaction((tx) => {
    const last = tx
      .select({ details: auditEvents.details })
      .from(auditEvents)
      .where(and(eq(auditEvents.entity, "settings"), eq(auditEvents.action, "in_force")))
      .orderBy(desc(auditEvents.id))
      .limit(1)
      .get();
    if (last?.details?.fingerprint === settings.fingerprint) return false;
    replanAll(tx, now);
    const { before: _, ...previous } = last?.details ?? {};
    audit(tx, now, {
      actorId: null,
      entity: "settings",
      entityId: "sla",
      action: "in_force",
      details: { ...settings, before: last ? previous : null },
    });
    tx.insert(noticesSent).values({ key: CARDS_REFRESH_OWED, sentAt: now }).onConflictDoNothing().run();
    return true;
  });
}

/** The notices ledger's line of a refresh of the open posts' cards the settings in force still owe. */
const CARDS_REFRESH_OWED = "settings:cards-refresh-owed";

/**
 * Whether the open posts' cards still owe the settings in force a refresh: set with the settings,
 * kept through a stop that cuts the refresh short (every start runs one still owed, from the beginning).
 */
export function cardsRefreshOwed(db: Db): boolean {
  return noticeClaimed(db, CARDS_REFRESH_OWED);
}

/** A refresh went through every open post: the settings in force are owed none. */
export function cardsRefreshed(db: Db): void {
  releaseNotice(db, CARDS_REFRESH_OWED);
}

/**
 * Every reminder planned ahead is planned anew by the sweep at its next tick; so is every open post
 * with none left (its deadlines all past, alerts sent), whose deadline new hours may move ahead again.
 */
function replanAll(tx: Tx, now: Date): void {
  tx.update(incidents)
    .set({ nextActionAt: now })
    .where(
      or(
        gt(incidents.nextActionAt, now),
        and(isNull(incidents.nextActionAt), notInArray(incidents.state, ["answered", "closed"])),
      ),
    )
    .run();
}

export interface YearCoverage {
  year: number;
  status: "official" | "draft" | "missing";
  source: string | null;
}

/** The current and the next year as the calendar covers them: what admins must keep up to date. */
export function calendarCoverage(calendar: ProductionCalendar, now: Date, timezone: string): YearCoverage[] {
  const current = localYear(now, timezone);
  return [current, current + 1].map((year) => ({
    year,
    status: yearStatus(calendar, year),
    source: calendar.years[year]?.source ?? null,
  }));
}

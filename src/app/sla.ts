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
import { loadRegulation, parseRegulation, type Regulation } from "../domain/regulation/index.js";
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

/** The settings deadlines are counted by, whole: what a report rebuilds the SLA engine of another time from. */
interface SettingsRecord {
  regulation: Regulation;
  timezone: string;
  schedule: WorkSchedule;
  calendar: ProductionCalendar;
}

function settingsRecord(sla: SlaRuntime): SettingsRecord {
  return {
    regulation: sla.regulation,
    timezone: sla.timezone,
    schedule: sla.schedule,
    calendar: sla.calendar,
  };
}

/** Tells settings apart: the same settings give the same fingerprint, whenever and wherever computed. */
function fingerprintOf(sla: SlaRuntime): string {
  return createHash("sha256")
    .update(JSON.stringify([sla.regulation, sla.timezone, sla.schedule, sla.calendar]))
    .digest("hex")
    .slice(0, 16);
}

/** The years an admin loaded, each with the bot's own version of it (none when the bot lacks the year). */
export function loadedCalendarYears(
  db: Db,
): { year: number; loaded: CalendarYear; bundled?: CalendarYear }[] {
  const rows = db.select({ year: calendarYears.year, data: calendarYears.data }).from(calendarYears).all();
  const loaded = parseProductionCalendar({ years: Object.fromEntries(rows.map((r) => [r.year, r.data])) });
  const bundled = bundledCalendar().years;
  return rows
    .map(({ year }) => ({
      year,
      loaded: loaded.years[year] as CalendarYear,
      ...(bundled[year] ? { bundled: bundled[year] } : {}),
    }))
    .sort((a, b) => a.year - b.year);
}

/**
 * Drops the year an admin loaded, so that the bot's own one counts again (and an upgrade's newer one
 * after it), as a loaded calendar does: at once, audited, every deadline ahead planned anew. False
 * when the year was not loaded (a second press) or the bot has no year of its own to go back to.
 */
export function restoreBundledYear(db: Db, year: number, actorId: number, now: Date): boolean {
  const bundled = bundledCalendar().years[year];
  if (!bundled) return false;
  return db.transaction((tx) => {
    const removed = tx.delete(calendarYears).where(eq(calendarYears.year, year)).run().changes;
    if (removed === 0) return false;
    audit(tx, now, {
      actorId,
      entity: "calendar",
      entityId: year,
      action: "bundled_year_restored",
      details: { status: bundled.status, source: bundled.source },
    });
    replanAll(tx, now);
    return true;
  });
}

/**
 * Deadlines are counted by the regulation, the time zone, the schedule and the production calendar
 * in force. When a start brings others than the last one (an admin changed WORK_HOURS or REGULATION
 * and restarted, or an upgrade brought a calendar with days off moved), every reminder planned ahead
 * was planned by the old ones: the sweep plans each post anew at its next tick, and the open posts'
 * cards are owed a refresh (cardsRefreshOwed) until one runs to the end. Returns whether the settings
 * changed; each change is an audit event with what was and what is, the settings in full (`full`)
 * for the reports to judge the posts received under them by (settingsHistory). Settings recorded
 * before they were kept in full are recorded once more, in full, with nothing planned anew.
 */
export function replanOnChangedSettings(db: Db, sla: SlaRuntime, now: Date): boolean {
  const settings = {
    regulation: sla.regulation.id,
    timezone: sla.timezone,
    schedule: sla.schedule,
    fingerprint: fingerprintOf(sla),
  };
  return db.transaction((tx) => {
    const last = tx
      .select({ details: auditEvents.details })
      .from(auditEvents)
      .where(and(eq(auditEvents.entity, "settings"), eq(auditEvents.action, "in_force")))
      .orderBy(desc(auditEvents.id))
      .limit(1)
      .get();
    const changed = last?.details?.fingerprint !== settings.fingerprint;
    if (!changed && last?.details?.full !== undefined) return false;
    if (changed) replanAll(tx, now);
    const { before: _, full: __, ...previous } = last?.details ?? {};
    audit(tx, now, {
      actorId: null,
      entity: "settings",
      entityId: "sla",
      action: "in_force",
      details: { ...settings, full: settingsRecord(sla), before: last ? previous : null },
    });
    if (changed)
      tx.insert(noticesSent).values({ key: CARDS_REFRESH_OWED, sentAt: now }).onConflictDoNothing().run();
    return changed;
  });
}

/** The SLA engine of settings recorded in full, by fingerprint: rebuilt once per process. */
const recordedRuntimes = new Map<string, SlaRuntime>();

function recordedRuntime(fingerprint: string, full: SettingsRecord): SlaRuntime {
  let sla = recordedRuntimes.get(fingerprint);
  if (!sla) {
    sla = new SlaRuntime(
      parseRegulation(full.regulation, "recorded settings"),
      full.timezone,
      full.schedule,
      parseProductionCalendar(full.calendar),
      () => {},
    );
    recordedRuntimes.set(fingerprint, sla);
  }
  return sla;
}

/** The settings an instant was under: `recorded` false where they are not known and those in force now stand in. */
export interface SettingsAt {
  sla: SlaRuntime;
  recorded: boolean;
}

export interface SettingsHistory {
  at(instant: Date): SettingsAt;
  /** Where settings not known end: before it the settings in force now may stand in; null if none do. */
  knownFrom: Date | null;
}

/**
 * The settings in force over time, from the audit's `in_force` events: each from its start on. A
 * record without the settings in full (made before they were kept) is known by its fingerprint when
 * a later full record or the settings in force now have the same; otherwise, and before the first
 * record, the settings in force now stand in. With nothing recorded, they are all there is.
 */
export function settingsHistory(db: Db, current: SlaRuntime): SettingsHistory {
  const rows = db
    .select({ at: auditEvents.at, details: auditEvents.details })
    .from(auditEvents)
    .where(and(eq(auditEvents.entity, "settings"), eq(auditEvents.action, "in_force")))
    .orderBy(auditEvents.at, auditEvents.id)
    .all();
  const currentFingerprint = fingerprintOf(current);
  const full = new Map<string, SettingsRecord>();
  for (const { details } of rows)
    if (typeof details?.fingerprint === "string" && details.full)
      full.set(details.fingerprint, details.full as SettingsRecord);
  const versions = rows.map(({ at, details }) => {
    const fingerprint = typeof details?.fingerprint === "string" ? details.fingerprint : "";
    const record = full.get(fingerprint);
    const sla =
      fingerprint === currentFingerprint ? current : record ? recordedRuntime(fingerprint, record) : null;
    return { from: at.getTime(), sla };
  });
  // Before the first record nothing is known either.
  const knownFrom = versions[versions.findLastIndex((v) => v.sla === null) + 1]?.from ?? null;
  return {
    at(instant) {
      const t = instant.getTime();
      for (let i = versions.length - 1; i >= 0; i--) {
        const version = versions[i] as (typeof versions)[number];
        if (version.from <= t)
          return version.sla ? { sla: version.sla, recorded: true } : { sla: current, recorded: false };
      }
      return { sla: current, recorded: versions.length === 0 };
    },
    knownFrom: knownFrom === null ? null : new Date(knownFrom),
  };
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

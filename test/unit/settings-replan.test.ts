/**
 * Reminders planned ahead are planned anew when a start brings other settings than the last one:
 * a new production calendar (an upgrade moved days off) as much as other working hours.
 */
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cardsRefreshed, cardsRefreshOwed, replanOnChangedSettings, SlaRuntime } from "../../src/app/sla.js";
import { incidents } from "../../src/db/schema.js";
import {
  DEFAULT_SCHEDULE,
  mergeCalendars,
  parseProductionCalendar,
} from "../../src/domain/calendar/index.js";
import { Harness } from "../support/bot-harness.js";
import { seedOffice, seedRegistered } from "../support/workflow.js";

let h: Harness;
beforeEach(async () => {
  h = await Harness.start({ now: "2026-11-24T05:00:00Z" });
  seedOffice(h);
});
afterEach(() => h.close());

const later = new Date("2026-11-24T08:00:00Z");
const planAhead = () => h.db.update(incidents).set({ nextActionAt: later }).run();
const planned = () => h.db.select().from(incidents).get()?.nextActionAt?.toISOString();

const upgraded = () => {
  const moved = mergeCalendars(
    h.sla.calendar,
    parseProductionCalendar({
      years: {
        "2026": {
          status: "official",
          source: "test",
          holidays: ["2026-12-31"],
          workingWeekends: [],
          shortDays: [],
        },
      },
    }),
  );
  return new SlaRuntime(h.sla.regulation, h.sla.timezone, DEFAULT_SCHEDULE, moved, () => {});
};

describe("settings in force at a start", () => {
  it("a calendar with another day off plans the reminders anew; the same settings again do not", () => {
    seedRegistered(h);
    const now = h.clock.now();
    replanOnChangedSettings(h.db, h.sla, now);
    planAhead();
    expect(replanOnChangedSettings(h.db, h.sla, now)).toBe(false);
    expect(planned()).toBe(later.toISOString());

    expect(replanOnChangedSettings(h.db, upgraded(), now)).toBe(true);
    expect(planned()).toBe(now.toISOString());
  });

  it("an open post with no reminder left is looked at again; a closed one is not", () => {
    const open = seedRegistered(h);
    const closed = seedRegistered(h, { link: "https://vk.com/wall-1_77" });
    const now = h.clock.now();
    replanOnChangedSettings(h.db, h.sla, now);
    h.db.update(incidents).set({ nextActionAt: null }).run();
    h.db.update(incidents).set({ state: "closed" }).where(eq(incidents.id, closed)).run();
    replanOnChangedSettings(h.db, upgraded(), now);
    const plannedOf = (id: number) =>
      h.db.select().from(incidents).where(eq(incidents.id, id)).get()?.nextActionAt?.toISOString();
    expect([plannedOf(open), plannedOf(closed)]).toEqual([now.toISOString(), undefined]);
  });

  it("a change owes the open posts' cards a refresh until one runs to the end, through starts under the same settings", () => {
    const now = h.clock.now();
    replanOnChangedSettings(h.db, h.sla, now);
    cardsRefreshed(h.db);
    expect(cardsRefreshOwed(h.db)).toBe(false);

    replanOnChangedSettings(h.db, upgraded(), now);
    // A stop cut the refresh short: the next start, under the same settings, still owes it.
    expect([replanOnChangedSettings(h.db, upgraded(), now), cardsRefreshOwed(h.db)]).toEqual([false, true]);
    cardsRefreshed(h.db);
    expect([replanOnChangedSettings(h.db, upgraded(), now), cardsRefreshOwed(h.db)]).toEqual([false, false]);
  });
});

/**
 * The month's incidents and their events are read as two streams side by side (load.ts): each
 * incident must get exactly its own events, oldest first, whatever order they were written in, and
 * incident numbers of different lengths must not be paired by their text order ('10' before '9').
 */
import { afterEach, describe, expect, it } from "vitest";
import { presetRuntime } from "../../src/app/sla.js";
import { applyMigrations, type DatabaseHandle, openDatabase } from "../../src/db/client.js";
import { forEachMonthActivity } from "../../src/reports/load.js";
import { monthBounds } from "../../src/reports/month.js";

let database: DatabaseHandle;
afterEach(() => database.close());

const MINUTE = 60_000;

function seeded() {
  database = openDatabase(":memory:");
  applyMigrations(database.db);
  const { sqlite } = database;
  const sla = presetRuntime(database.db, "orenburg");
  const bounds = monthBounds({ year: 2026, month: 11 }, sla.timezone);
  const start = bounds.start.getTime();
  const end = bounds.end.getTime();
  sqlite.exec(
    "insert into people (telegram_id, first_name, created_at) values (1, 'Куратор', 0), (2, 'Исполнитель', 0)",
  );
  sqlite.exec("insert into organizations (name, name_key, created_at) values ('Орган', 'орган', 0)");
  const incident = sqlite.prepare(
    `insert into incidents (id, link, link_key, network, state, detected_at, registered_by, created_at, updated_at)
     values (?, ?, ?, 'vk', ?, ?, 1, ?, ?)`,
  );
  const add = (id: number, state: string, detected: number, updated: number) =>
    incident.run(
      id,
      `https://vk.com/wall-1_${id}`,
      `vk.com/wall-1_${id}`,
      state,
      detected,
      detected,
      updated,
    );
  const day = start + 24 * 60 * MINUTE;
  // Numbers of one, two and three digits; № 11 answered before the month (no candidate); № 12 without events.
  add(9, "answered", day, day + 90 * MINUTE);
  add(10, "in_work", day - 3 * 24 * 60 * MINUTE, day);
  add(11, "answered", start - 10 * 24 * 60 * MINUTE, start - 9 * 24 * 60 * MINUTE);
  add(12, "registered", day, day);
  add(100, "assigned", day + 60 * MINUTE, day + 70 * MINUTE);
  const event = sqlite.prepare(
    `insert into audit_events (at, actor_id, entity, entity_id, action, from_state, to_state, details)
     values (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const route = JSON.stringify({ leadId: 1, coexecutorIds: [] });
  // Written out of order: later events first, two at the same instant, another entity with the same ids.
  event.run(day + 90 * MINUTE, 2, "incident", "9", "publish", "approved", "answered", null);
  event.run(end + MINUTE, 1, "incident", "100", "markToxic", "assigned", "closed", null);
  event.run(day + 70 * MINUTE, 1, "incident", "100", "route", "registered", "assigned", route);
  event.run(day, 1, "incident", "9", "registered", null, "registered", null);
  event.run(day - 3 * 24 * 60 * MINUTE, 1, "incident", "10", "registered", null, "registered", null);
  event.run(day + 10 * MINUTE, 1, "incident", "9", "route", "registered", "assigned", route);
  event.run(day + 10 * MINUTE, 2, "incident", "9", "accept", "assigned", "in_work", null);
  event.run(day + 5 * MINUTE, 1, "person", "9", "grantRole", null, null, '{"role":"curator"}');
  event.run(day - 2 * 24 * 60 * MINUTE, 1, "incident", "10", "route", "registered", "assigned", route);
  event.run(day, 2, "incident", "10", "accept", "assigned", "in_work", null);
  event.run(start - 10 * 24 * 60 * MINUTE, 1, "incident", "11", "registered", null, "registered", null);
  event.run(day + 60 * MINUTE, 1, "incident", "100", "registered", null, "registered", null);
  return { sla, bounds };
}

describe("a month's activity", () => {
  it("gives each candidate incident its own events before the period's end, oldest first", () => {
    const { sla, bounds } = seeded();
    const seen: { id: number; month: string[]; lead: number | null }[] = [];
    forEachMonthActivity(database.db, sla, bounds, ({ incident, events, replay }) => {
      seen.push({ id: incident.id, month: events.map((e) => e.action), lead: replay.leadOrganizationId });
    });
    expect(seen.map((s) => s.id)).toEqual([9, 10, 100]);
    expect(seen.map((s) => s.month)).toEqual([
      ["registered", "route", "accept", "publish"],
      // № 10's registration and routing were before the month: the replay saw them, the month did not.
      ["accept"],
      ["registered", "route"],
    ]);
    expect(seen.map((s) => s.lead)).toEqual([1, 1, 1]);
  });

  it("reads the routing details, and no others", () => {
    const { sla, bounds } = seeded();
    const details: unknown[] = [];
    forEachMonthActivity(database.db, sla, bounds, ({ incident, events }) => {
      if (incident.id === 9) details.push(...events.map((e) => e.details));
    });
    expect(details).toEqual([null, { leadId: 1, coexecutorIds: [] }, null, null]);
  });

  it("lets the connection go when a visit throws", () => {
    const { sla, bounds } = seeded();
    expect(() =>
      forEachMonthActivity(database.db, sla, bounds, () => {
        throw new Error("visit failed");
      }),
    ).toThrow("visit failed");
    // A statement still being read would make this write fail: the connection is busy.
    database.sqlite.prepare("update incidents set updated_at = updated_at + 1 where id = 9").run();
  });
});

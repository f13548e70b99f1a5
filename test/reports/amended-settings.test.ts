/**
 * A month already past keeps its figures when the regulation is amended after it: each post is
 * judged by the settings in force when it was received, recorded in full with each change.
 */
import { and, eq, sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { registerIncident, routeIncident } from "../../src/app/incidents.js";
import { replanOnChangedSettings, SlaRuntime } from "../../src/app/sla.js";
import { tr } from "../../src/bot/texts-reports.js";
import { auditEvents, incidents } from "../../src/db/schema.js";
import { buildMonthlyReport } from "../../src/reports/figures.js";
import { Harness } from "../support/bot-harness.js";
import { local, must, seedNovember } from "./seed-month.js";

let h: Harness;
beforeEach(async () => {
  h = await Harness.start({ now: "2026-11-02T04:00:00Z" });
});
afterEach(() => h.close());

const NOVEMBER = { year: 2026, month: 11 };
const AMENDED_AT = local("2026-12-05 09:00");
const STAND_IN = "Сроки по сообщениям, поступившим до 05.12.2026, пересчитаны по действующему регламенту.";

/** Orenburg with p.6 amended: a post is routed within 5 working minutes, not 30. */
function amended(): SlaRuntime {
  const reg = h.sla.regulation;
  const routing = { ...reg.steps.routing, duration: 5 };
  return new SlaRuntime(
    { ...reg, steps: { ...reg.steps, routing } },
    h.sla.timezone,
    h.sla.schedule,
    h.sla.calendar,
    () => {},
  );
}

/** A start under the amended regulation, on 05.12. */
function amend(): SlaRuntime {
  const sla = amended();
  h.clock.set(AMENDED_AT);
  expect(replanOnChangedSettings(h.db, sla, h.clock.now())).toBe(true);
  return sla;
}

/** The settings in force recorded as before they were kept in full: the fingerprint alone. */
function forgetFullSettings(): void {
  h.db
    .update(auditEvents)
    .set({ details: sql`json_remove(${auditEvents.details}, '$.full')` })
    .where(and(eq(auditEvents.entity, "settings"), eq(auditEvents.action, "in_force")))
    .run();
}

const routingLate = (report: ReturnType<typeof buildMonthlyReport>) =>
  report.violations.filter((v) => v.step === "routing").map((v) => v.incidentId);

describe("a month reported after the regulation changed", () => {
  it("keeps the violations it had, and the posts received since are judged by the amended one", () => {
    replanOnChangedSettings(h.db, h.sla, h.clock.now());
    const { curator, health } = seedNovember(h);
    const before = buildMonthlyReport(h.db, h.sla, NOVEMBER);
    const sla = amend();

    const after = buildMonthlyReport(h.db, sla, NOVEMBER);
    expect(after.violations).toEqual(before.violations);
    expect(after.overall).toEqual(before.overall);
    expect(tr.summary(after)).not.toContain("пересчитаны");

    // Received after the amendment and routed in 20 minutes: late under the new p.6.
    h.clock.set(local("2026-12-07 10:00"));
    const result = registerIncident(h.db, {
      link: "https://vk.com/wall-1_100",
      linkKey: "vk.com/wall-1_100",
      network: "vk",
      text: null,
      author: null,
      topic: null,
      place: null,
      importance: "normal",
      postedAt: null,
      repeatOfId: null,
      actorId: curator.id,
      now: h.clock.now(),
    });
    if (!result.ok) throw new Error("duplicate");
    h.clock.set(local("2026-12-07 10:20"));
    must(
      routeIncident(h.db, {
        incidentId: result.incident.id,
        leadId: health,
        coexecutorIds: [],
        actor: curator,
        now: h.clock.now(),
      }),
    );
    const december = buildMonthlyReport(h.db, sla, { year: 2026, month: 12 }, local("2026-12-07 12:00"));
    expect(routingLate(december)).toEqual([result.incident.id]);
  });

  it("settings recorded before they were kept in full: the summary says the current ones stood in", () => {
    replanOnChangedSettings(h.db, h.sla, h.clock.now());
    forgetFullSettings();
    seedNovember(h);
    const sla = amend();

    const report = buildMonthlyReport(h.db, sla, NOVEMBER);
    // № 1 and № 2, routed in 10 and 20 minutes, late only by the amended p.6 standing in (№ 4 and № 7 are by any).
    expect(routingLate(report)).toEqual([1, 2, 4, 7]);
    expect(tr.summary(report).split("\n").slice(0, 2)).toEqual([
      "Отчёт за ноябрь 2026 г.: сообщения из открытых источников",
      STAND_IN,
    ]);
  });

  it("a start under the same settings records them in full, plans nothing anew, and the month is judged by them", () => {
    replanOnChangedSettings(h.db, h.sla, h.clock.now());
    forgetFullSettings();
    seedNovember(h);
    const before = buildMonthlyReport(h.db, h.sla, NOVEMBER);
    h.clock.set(local("2026-12-01 09:00"));
    const ahead = local("2026-12-01 15:00");
    h.db.update(incidents).set({ nextActionAt: ahead }).run();
    expect(replanOnChangedSettings(h.db, h.sla, h.clock.now())).toBe(false);
    // № 7, still open, keeps its reminder as planned.
    expect(h.db.select().from(incidents).where(eq(incidents.id, 7)).get()?.nextActionAt).toEqual(ahead);
    const sla = amend();

    const after = buildMonthlyReport(h.db, sla, NOVEMBER);
    expect(after.violations).toEqual(before.violations);
    expect(tr.summary(after)).not.toContain(STAND_IN);
  });
});

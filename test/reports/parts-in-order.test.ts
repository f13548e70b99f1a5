/**
 * Co-executors one after another (Orenburg p.14: «очередность подготовки информации определяет
 * куратор»), replayed from the audit events alone: a co-executor waiting its turn has no part clock
 * until the previous part reaches the lead or its organization returns the post; from then its two
 * working hours run, as its card counted them.
 */
import { describe, expect, it } from "vitest";
import { createWorkingTime } from "../../src/domain/calendar/index.js";
import { loadRegulation } from "../../src/domain/regulation/index.js";
import { type IncidentEvent, replayIncident, type StepInstance } from "../../src/reports/replay.js";
import { local } from "./seed-month.js";

const orenburg = loadRegulation("orenburg");
const yekaterinburg = createWorkingTime({ timezone: "Asia/Yekaterinburg" });
const HEALTH = 10;
const CULTURE = 20;
const SPORT = 30;
const CURATOR = 1;
const LEAD_EXECUTOR = 5;
const CULTURE_EXECUTOR = 7;
const SPORT_EXECUTOR = 8;

/** Monday 09.11.2026 at a Yekaterinburg time, or another day given in full. */
const at = (time: string) => local(time.includes(" ") ? time : `2026-11-09 ${time}`);

function event(
  when: Date,
  actorId: number,
  action: string,
  details: Record<string, unknown> = {},
): IncidentEvent {
  return { at: when, actorId, action, fromState: "assigned", toState: "assigned", details };
}

/** Routed by the curator at `when` to health, with culture then sport as co-executors. */
function routed(when: Date, order: { inOrder?: true } = {}): IncidentEvent {
  return {
    ...event(when, CURATOR, "route", { leadId: HEALTH, coexecutorIds: [CULTURE, SPORT], ...order }),
    fromState: "registered",
  };
}

const facts = {
  id: 1,
  importance: "normal" as const,
  detectedAt: at("09:50"),
  postedAt: null,
  shortenedAnswerMinutes: null,
};

const parts = (steps: StepInstance[]) => steps.filter((s) => s.step === "coexecutorPart");

describe("Orenburg p.14: co-executors in the curator's order, replayed", () => {
  it("the next co-executor's two working hours run from when the previous part reached the lead, across lunch", () => {
    const events = [
      routed(at("10:00"), { inOrder: true }),
      event(at("10:05"), CULTURE_EXECUTOR, "accept", { organizationId: CULTURE }),
      event(at("12:30"), CULTURE_EXECUTOR, "sendPart", { organizationId: CULTURE, released: SPORT }),
      event(at("12:40"), SPORT_EXECUTOR, "accept", { organizationId: SPORT }),
    ];
    const { steps } = replayIncident(facts, events, orenburg, yekaterinburg);
    expect(parts(steps)).toMatchObject([
      { organizationId: CULTURE, start: at("10:00"), deadline: at("12:00"), completedAt: at("12:30") },
      // 30 minutes before lunch (13:00–14:00) and 90 after it.
      {
        organizationId: SPORT,
        start: at("12:30"),
        deadline: at("15:30"),
        completedAt: null,
        personId: SPORT_EXECUTOR,
      },
    ]);
  });

  it("a co-executor's return out of competence hands the post to the next, whose part runs on into the next morning; its own part, overdue by then, is not done", () => {
    const events = [
      routed(at("10:00"), { inOrder: true }),
      event(at("17:00"), CULTURE_EXECUTOR, "return", {
        reason: "Не наша компетенция.",
        organizationId: CULTURE,
        role: "coexecutor",
        released: SPORT,
      }),
    ];
    const { steps } = replayIncident(facts, events, orenburg, yekaterinburg);
    expect(parts(steps)).toMatchObject([
      { organizationId: CULTURE, deadline: at("12:00"), completedAt: null, endedAt: at("17:00") },
      { organizationId: SPORT, start: at("17:00"), deadline: at("2026-11-10 10:00"), completedAt: null },
    ]);
  });

  it("a part in its turn that a merge of organizations withdraws hands the post to the next at once", () => {
    const events = [
      routed(at("10:00"), { inOrder: true }),
      event(at("10:30"), CURATOR, "organizationMerged", {
        organizationId: CULTURE,
        into: HEALTH,
        role: "coexecutor",
        withdrawn: CULTURE,
        released: SPORT,
      }),
    ];
    const { steps } = replayIncident(facts, events, orenburg, yekaterinburg);
    expect(parts(steps)).toMatchObject([
      { organizationId: SPORT, start: at("10:30"), deadline: at("12:30"), completedAt: null },
    ]);
  });

  it("a co-executor whose turn never came by the month's end owes no part: it never received the post", () => {
    const events = [
      routed(at("2026-11-30 14:00"), { inOrder: true }),
      event(at("2026-11-30 14:10"), CULTURE_EXECUTOR, "accept", { organizationId: CULTURE }),
    ];
    const { steps } = replayIncident(facts, events, orenburg, yekaterinburg);
    expect(parts(steps)).toMatchObject([
      { organizationId: CULTURE, deadline: at("2026-11-30 16:00"), completedAt: null },
    ]);
  });

  it("a new routing takes the turn away: a release after it starts nothing", () => {
    const events = [
      routed(at("10:00"), { inOrder: true }),
      {
        ...event(at("10:30"), CURATOR, "route", { leadId: HEALTH, coexecutorIds: [CULTURE] }),
        fromState: "assigned",
      },
      event(at("11:00"), CULTURE_EXECUTOR, "sendPart", { organizationId: CULTURE, released: SPORT }),
    ];
    const { steps } = replayIncident(facts, events, orenburg, yekaterinburg);
    expect(parts(steps)).toMatchObject([
      { organizationId: CULTURE, start: at("10:30"), deadline: at("12:30"), completedAt: at("11:00") },
    ]);
  });

  it("without inOrder every co-executor receives at the routing, and a release names nobody waiting", () => {
    const events = [
      routed(at("10:00")),
      event(at("10:05"), CULTURE_EXECUTOR, "accept", { organizationId: CULTURE }),
      // Odd data: nobody waits, so neither sport's clock restarts nor an unknown organization's starts.
      event(at("12:30"), CULTURE_EXECUTOR, "sendPart", { organizationId: CULTURE, released: SPORT }),
      event(at("12:40"), CURATOR, "passOnPart", { organizationId: CULTURE, released: 99 }),
    ];
    const { steps } = replayIncident(facts, events, orenburg, yekaterinburg);
    expect(parts(steps)).toMatchObject([
      { organizationId: CULTURE, start: at("10:00"), deadline: at("12:00"), completedAt: at("12:30") },
      { organizationId: SPORT, start: at("10:00"), deadline: at("12:00"), completedAt: null },
    ]);
  });
});

describe("the lead's draft after parts in order, replayed", () => {
  // Only Georgievsk p.18 has the lead's draft wait for the parts; the replay follows the events'
  // order of co-executors whatever the preset, so the waiting shows there.
  const georgievsk = loadRegulation("georgievsk");
  const moscow = createWorkingTime({ timezone: "Europe/Moscow" });
  const msk = (time: string) => new Date(`2026-11-09T${time}:00+03:00`);
  const step = (time: string, actorId: number, action: string, details: Record<string, unknown> = {}) =>
    event(msk(time), actorId, action, details);
  const queued: IncidentEvent[] = [
    {
      ...step("10:00", CURATOR, "route", { leadId: HEALTH, coexecutorIds: [CULTURE, SPORT], inOrder: true }),
      fromState: "registered",
    },
    { ...step("10:05", LEAD_EXECUTOR, "accept", { organizationId: HEALTH }), toState: "in_work" },
    step("10:10", CULTURE_EXECUTOR, "accept", { organizationId: CULTURE }),
    step("10:30", CULTURE_EXECUTOR, "sendPart", { organizationId: CULTURE, forApproval: true }),
    step("10:40", CURATOR, "passOnPart", { organizationId: CULTURE, released: SPORT }),
  ];

  it("waits for the part of the co-executor whose turn came when the previous part was passed on", () => {
    const { steps } = replayIncident(facts, queued, georgievsk, moscow);
    expect(steps.filter((s) => s.step === "draft")).toEqual([]);
    expect(parts(steps).at(-1)).toMatchObject({
      organizationId: SPORT,
      start: msk("10:40"),
      deadline: msk("12:40"),
      completedAt: null,
    });
  });

  it("waits for a co-executor still waiting its turn: its part is owed from the routing", () => {
    // The release missing from the pass-on: sport never received the post, yet the lead waits for it.
    const events = [
      ...queued.slice(0, -1),
      step("10:40", CURATOR, "passOnPart", { organizationId: CULTURE }),
    ];
    const { steps } = replayIncident(facts, events, georgievsk, moscow);
    expect(steps.filter((s) => s.step === "draft")).toEqual([]);
    expect(parts(steps).map((s) => s.organizationId)).toEqual([CULTURE]);
  });

  it("runs from when the last co-executor's part reached the lead", () => {
    const events = [
      ...queued,
      step("11:30", SPORT_EXECUTOR, "sendPart", { organizationId: SPORT, forApproval: true }),
      step("11:45", CURATOR, "passOnPart", { organizationId: SPORT }),
    ];
    const { steps } = replayIncident(facts, events, georgievsk, moscow);
    expect(steps.filter((s) => s.step === "draft")).toMatchObject([
      { start: msk("11:45"), deadline: msk("12:45"), completedAt: null, personId: LEAD_EXECUTOR },
    ]);
  });
});

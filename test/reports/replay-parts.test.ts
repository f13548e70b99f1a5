/**
 * The replay of a co-executor's part returned for rework (Georgievsk p.18, p.14 by analogy), on the
 * audit events alone: whose the late rework is, and that a part sent again always waits for the
 * curators, whatever the preset says about its rework.
 */
import { describe, expect, it } from "vitest";
import { createWorkingTime } from "../../src/domain/calendar/index.js";
import { loadRegulation } from "../../src/domain/regulation/index.js";
import { type IncidentEvent, replayIncident } from "../../src/reports/replay.js";

const georgievsk = loadRegulation("georgievsk");
const moscow = createWorkingTime({ timezone: "Europe/Moscow" });
const HEALTH = 10;
const CULTURE = 20;
const CURATOR = 1;
const TAKER = 7;
const COLLEAGUE = 8;
const LEAD_EXECUTOR = 5;

/** Monday 09.11.2026 at a Moscow time. */
const at = (time: string) => new Date(`2026-11-09T${time}:00+03:00`);

function event(
  time: string,
  actorId: number,
  action: string,
  details: Record<string, unknown> = {},
): IncidentEvent {
  return { at: at(time), actorId, action, fromState: "assigned", toState: "assigned", details };
}

const facts = {
  id: 1,
  importance: "normal" as const,
  detectedAt: at("09:50"),
  postedAt: null,
  shortenedAnswerMinutes: null,
};

/** Routed at 10:00 to health (lead) and culture; culture's part taken, sent at 11:00, returned at 11:10. */
const returned: IncidentEvent[] = [
  {
    ...event("10:00", CURATOR, "route", { leadId: HEALTH, coexecutorIds: [CULTURE] }),
    fromState: "registered",
  },
  event("10:05", TAKER, "accept"),
  event("11:00", COLLEAGUE, "sendPart", { organizationId: CULTURE, forApproval: true }),
  event("11:10", CURATOR, "returnPart", { organizationId: CULTURE, comment: "Нужны сроки." }),
];

describe("a co-executor's part returned for rework, replayed", () => {
  it("a rework still owed is the one who took the part, as the alerts were", () => {
    const { steps } = replayIncident(facts, returned, georgievsk, moscow);
    expect(steps.filter((s) => s.step.startsWith("coexecutor"))).toMatchObject([
      { step: "coexecutorPart", completedAt: at("11:00"), personId: COLLEAGUE },
      { step: "coexecutorPassOn", deadline: at("11:30"), completedAt: at("11:10"), personId: CURATOR },
      {
        step: "coexecutorRework",
        deadline: at("11:40"),
        completedAt: null,
        personId: TAKER,
        organizationId: CULTURE,
      },
    ]);
  });

  it("a rework whose time ran out while its taker held the part is his, though a colleague sent it after he left", () => {
    const events = [
      ...returned,
      event("12:00", CURATOR, "holderRemoved", { personId: TAKER, organizationId: CULTURE }),
      event("12:10", COLLEAGUE, "sendPart", { organizationId: CULTURE, forApproval: true }),
    ];
    const { steps } = replayIncident(facts, events, georgievsk, moscow);
    expect(steps.find((s) => s.step === "coexecutorRework")).toMatchObject({
      deadline: at("11:40"),
      completedAt: at("12:10"),
      late: true,
      organizationId: CULTURE,
      personId: TAKER,
    });
  });

  it("a part sent again waits for the curators even where the preset sets no rework deadline", () => {
    const { coexecutorRework: _, ...steps } = georgievsk.steps;
    const withoutRework = { ...georgievsk, steps };
    const events = [
      ...returned,
      event("11:30", TAKER, "sendPart", { organizationId: CULTURE, forApproval: true }),
    ];
    const replayed = replayIncident(facts, events, withoutRework, moscow).steps;
    expect(replayed.filter((s) => s.step === "coexecutorRework")).toEqual([]);
    expect(replayed.filter((s) => s.step === "coexecutorPassOn").at(-1)).toMatchObject({
      start: at("11:30"),
      deadline: at("12:00"),
      completedAt: null,
    });
  });
});

describe("Georgievsk p.18: the lead's draft after the parts, replayed", () => {
  it("a part sent before the curators passed parts on, and before the audit named its organization, reached the lead at once", () => {
    const events: IncidentEvent[] = [
      {
        ...event("10:00", CURATOR, "route", { leadId: HEALTH, coexecutorIds: [CULTURE] }),
        fromState: "registered",
      },
      { ...event("10:05", TAKER, "accept"), toState: "in_work" },
      event("11:00", COLLEAGUE, "sendPart"),
    ];
    const { steps } = replayIncident(facts, events, georgievsk, moscow);
    expect(steps.filter((s) => s.step === "draft")).toMatchObject([
      { start: at("11:00"), deadline: at("12:00"), completedAt: null, personId: TAKER },
    ]);
  });
});

describe("Georgievsk p.18: a co-executor returns the post, replayed", () => {
  it("the lead's hour for the draft runs from the return, as its card counted: not a violation from before", () => {
    const events: IncidentEvent[] = [
      {
        ...event("10:00", CURATOR, "route", { leadId: HEALTH, coexecutorIds: [CULTURE] }),
        fromState: "registered",
      },
      { ...event("10:05", TAKER, "accept"), toState: "in_work" },
      event("10:10", COLLEAGUE, "accept", { organizationId: CULTURE }),
      event("11:50", COLLEAGUE, "return", { organizationId: CULTURE, role: "coexecutor", reason: "Не наше" }),
    ];
    const { steps } = replayIncident(facts, events, georgievsk, moscow);
    expect(steps.filter((s) => s.step === "draft")).toMatchObject([
      { start: at("11:50"), deadline: at("12:50"), completedAt: null },
    ]);
  });
});

describe("Georgievsk: the final answer after an interim one, replayed", () => {
  const on = (iso: string) => new Date(`${iso}+03:00`);
  const step = (iso: string, actorId: number, action: string): IncidentEvent => ({
    at: on(iso),
    actorId,
    action,
    fromState: "in_work",
    toState: "in_work",
    details: {},
  });
  const events: IncidentEvent[] = [
    { ...event("10:00", CURATOR, "route", { leadId: HEALTH, coexecutorIds: [] }), fromState: "registered" },
    event("10:05", TAKER, "accept"),
    step("2026-11-10T10:00:00", CURATOR, "publishInterim"),
    step("2026-11-12T10:00:00", CURATOR, "publishInterim"), // a second one moves nothing
    step("2026-11-18T10:00:00", TAKER, "submitDraft"), // within 7 working days of 10.11
    step("2026-11-20T10:00:00", CURATOR, "approve"), // after 19.11 18:00
    step("2026-11-23T10:00:00", TAKER, "publish"),
  ];

  it("is met by its draft (p.15), and neither its approval nor its publication is counted against the first deadline", () => {
    const { steps } = replayIncident(facts, events, georgievsk, moscow);
    expect(steps.filter((s) => s.step === "finalAfterInterim")).toMatchObject([
      { deadline: on("2026-11-19T18:00:00"), completedAt: on("2026-11-18T10:00:00"), personId: TAKER },
    ]);
    expect(steps.filter((s) => s.step === "publication")).toEqual([]);
  });
});

describe("steps the lead's return ends, replayed", () => {
  /** Culture's part sent at 10:30, to pass on by 11:00; the lead returns the post at 11:20, routed again at 11:30. */
  const returnedWhileWaiting = (routedAgain: Record<string, unknown>): IncidentEvent[] => [
    {
      ...event("10:00", CURATOR, "route", { leadId: HEALTH, coexecutorIds: [CULTURE] }),
      fromState: "registered",
    },
    { ...event("10:05", LEAD_EXECUTOR, "accept"), toState: "in_work" },
    event("10:10", TAKER, "accept", { organizationId: CULTURE }),
    event("10:30", TAKER, "sendPart", { organizationId: CULTURE, forApproval: true }),
    { ...event("11:20", LEAD_EXECUTOR, "return"), fromState: "in_work", toState: "registered" },
    { ...event("11:30", CURATOR, "route", { leadId: HEALTH, ...routedAgain }), fromState: "registered" },
  ];
  const passingsOn = (events: IncidentEvent[]) =>
    replayIncident(facts, events, georgievsk, moscow).steps.filter((s) => s.step === "coexecutorPassOn");

  it("a passing on overdue then is the curators' miss at the return; kept waiting through the routing after, it is judged once, when done", () => {
    const dropped = returnedWhileWaiting({ coexecutorIds: [] });
    expect(passingsOn(dropped)).toMatchObject([
      { deadline: at("11:00"), completedAt: null, endedAt: at("11:20"), curatorStep: true },
    ]);
    const kept = [
      ...returnedWhileWaiting({ coexecutorIds: [CULTURE], keptForApproval: [CULTURE] }),
      event("11:40", CURATOR, "passOnPart", { organizationId: CULTURE }),
    ];
    expect(passingsOn(kept)).toMatchObject([
      { deadline: at("11:00"), completedAt: at("11:40"), endedAt: null, personId: CURATOR },
    ]);
  });

  it("Georgievsk p.16: the lead's return stops the answer clock, missed if already past, as the lead's; the next routing starts it again", () => {
    const events: IncidentEvent[] = [
      { ...event("10:00", CURATOR, "route", { leadId: HEALTH, coexecutorIds: [] }), fromState: "registered" },
      { ...event("10:05", LEAD_EXECUTOR, "accept"), toState: "in_work" },
      { ...event("15:30", LEAD_EXECUTOR, "return"), fromState: "in_work", toState: "registered" },
      {
        ...event("15:40", CURATOR, "route", { leadId: CULTURE, coexecutorIds: [] }),
        fromState: "registered",
      },
    ];
    const { steps } = replayIncident(facts, events, georgievsk, moscow);
    expect(steps.filter((s) => s.step === "answer")).toMatchObject([
      {
        deadline: at("15:00"),
        completedAt: null,
        endedAt: at("15:30"),
        organizationId: HEALTH,
        personId: LEAD_EXECUTOR,
      },
      { start: at("15:40"), completedAt: null, endedAt: null, organizationId: CULTURE },
    ]);
  });

  it("Georgievsk p.16: returned before its answer deadline and routed again after it, nobody missed the answer", () => {
    const events: IncidentEvent[] = [
      { ...event("10:00", CURATOR, "route", { leadId: HEALTH, coexecutorIds: [] }), fromState: "registered" },
      { ...event("10:20", LEAD_EXECUTOR, "return"), fromState: "assigned", toState: "registered" },
      {
        ...event("16:00", CURATOR, "route", { leadId: CULTURE, coexecutorIds: [] }),
        fromState: "registered",
      },
    ];
    const { steps } = replayIncident(facts, events, georgievsk, moscow);
    expect(steps.filter((s) => s.step === "answer")).toMatchObject([
      { start: at("16:00"), completedAt: null, endedAt: null, organizationId: CULTURE },
    ]);
  });
});

describe("a person leaving the organization, replayed", () => {
  const routed: IncidentEvent[] = [
    {
      ...event("10:00", CURATOR, "route", { leadId: HEALTH, coexecutorIds: [CULTURE] }),
      fromState: "registered",
    },
    { ...event("10:05", TAKER, "accept"), toState: "in_work" },
    event("10:10", COLLEAGUE, "accept", { organizationId: CULTURE }),
  ];

  it("steps still owed are no longer charged to the one who left, nor to whoever does them after they ran out: the organization's", () => {
    const events = [
      ...routed,
      event("10:20", CURATOR, "holderRemoved", { personId: TAKER, organizationId: HEALTH }),
      event("10:20", CURATOR, "holderRemoved", { personId: COLLEAGUE, organizationId: CULTURE }),
    ];
    const { steps } = replayIncident(facts, events, georgievsk, moscow);
    expect(steps.find((s) => s.step === "coexecutorPart")).toMatchObject({
      completedAt: null,
      personId: null,
    });
    const late = [
      ...events,
      event("14:00", LEAD_EXECUTOR, "sendPart", { organizationId: CULTURE, forApproval: true }),
    ];
    expect(
      replayIncident(facts, late, georgievsk, moscow).steps.find((s) => s.step === "coexecutorPart"),
    ).toMatchObject({ completedAt: at("14:00"), organizationId: CULTURE, personId: null });
  });

  it("whoever sends the lead's draft holds the post: a late rework is theirs", () => {
    const events = [
      ...routed,
      event("10:20", CURATOR, "holderRemoved", { personId: TAKER, organizationId: HEALTH }),
      { ...event("10:30", LEAD_EXECUTOR, "submitDraft"), toState: "on_approval" },
      { ...event("10:40", CURATOR, "requestRework", { comment: "Уточните." }), toState: "in_work" },
    ];
    const { steps } = replayIncident(facts, events, georgievsk, moscow);
    expect(steps.find((s) => s.step === "rework")).toMatchObject({
      completedAt: null,
      personId: LEAD_EXECUTOR,
    });
  });
});

describe("a person leaving after the rework was asked, replayed", () => {
  it("a late rework of the draft of one who left, due with nobody holding the post, is the organization's, not the colleague's who sends it", () => {
    const events: IncidentEvent[] = [
      {
        ...event("10:00", CURATOR, "route", { leadId: HEALTH, coexecutorIds: [] }),
        fromState: "registered",
      },
      { ...event("10:05", TAKER, "accept"), toState: "in_work" },
      { ...event("10:30", TAKER, "submitDraft"), toState: "on_approval" },
      { ...event("10:40", CURATOR, "requestRework", { comment: "Уточните." }), toState: "in_work" },
      event("10:45", CURATOR, "holderRemoved", { personId: TAKER, organizationId: HEALTH }),
      { ...event("12:00", LEAD_EXECUTOR, "submitDraft"), toState: "on_approval" },
    ];
    const { steps } = replayIncident(facts, events, georgievsk, moscow);
    expect(steps.find((s) => s.step === "rework")).toMatchObject({
      completedAt: at("12:00"),
      organizationId: HEALTH,
      personId: null,
    });
  });
});

describe("Georgievsk p.10: a part in rework carried through a routing again, replayed", () => {
  it("keeps its window to return the post from its first receipt: a return after it is late", () => {
    const events: IncidentEvent[] = [
      ...returned,
      event("11:20", CURATOR, "route", {
        leadId: HEALTH,
        coexecutorIds: [CULTURE],
        leadKept: true,
        keptInRework: [CULTURE],
      }),
      event("11:25", TAKER, "return", { organizationId: CULTURE, role: "coexecutor", reason: "Не наше" }),
    ];
    const { steps } = replayIncident(facts, events, georgievsk, moscow);
    expect(steps.filter((s) => s.step === "return")).toMatchObject([
      { start: at("10:00"), deadline: at("10:30"), completedAt: at("11:25"), organizationId: CULTURE },
    ]);
  });
});

describe("Orenburg p.6: a shortened answer deadline, replayed for a month before the routing that set it", () => {
  it("is not applied: the month saw no routing, and its cards the full 9 hours", () => {
    const orenburg = loadRegulation("orenburg");
    const yekaterinburg = createWorkingTime({ timezone: "Asia/Yekaterinburg" });
    // Detected Monday 09.11 10:00; routed (and shortened to 2 h) only after the month's end.
    const shortened = {
      ...facts,
      detectedAt: new Date("2026-11-09T10:00:00+05:00"),
      shortenedAnswerMinutes: 120,
    };
    const { steps } = replayIncident(shortened, [], orenburg, yekaterinburg);
    expect(steps.filter((s) => s.step === "answer").map((s) => s.deadline)).toEqual([
      new Date("2026-11-10T11:00:00+05:00"),
    ]);
  });
});

describe("Georgievsk p.18: a part waiting for the curators, dropped and named again, replayed", () => {
  it("its passing on is judged once, when done, as the card and the alerts had it", () => {
    const events: IncidentEvent[] = [
      {
        ...event("10:00", CURATOR, "route", { leadId: HEALTH, coexecutorIds: [CULTURE] }),
        fromState: "registered",
      },
      event("10:05", TAKER, "accept"),
      event("10:30", COLLEAGUE, "sendPart", { organizationId: CULTURE, forApproval: true }),
      event("11:30", CURATOR, "route", { leadId: HEALTH, coexecutorIds: [], leadKept: true }),
      event("11:40", CURATOR, "route", {
        leadId: HEALTH,
        coexecutorIds: [CULTURE],
        leadKept: true,
        keptForApproval: [CULTURE],
      }),
      event("12:00", CURATOR, "passOnPart", { organizationId: CULTURE }),
    ];
    const { steps } = replayIncident(facts, events, georgievsk, moscow);
    expect(steps.filter((s) => s.step === "coexecutorPassOn")).toMatchObject([
      { deadline: at("11:00"), completedAt: at("12:00"), endedAt: null },
    ]);
  });

  it("dropped for good, it is the curators' miss at the drop", () => {
    const events: IncidentEvent[] = [
      {
        ...event("10:00", CURATOR, "route", { leadId: HEALTH, coexecutorIds: [CULTURE] }),
        fromState: "registered",
      },
      event("10:05", TAKER, "accept"),
      event("10:30", COLLEAGUE, "sendPart", { organizationId: CULTURE, forApproval: true }),
      event("11:30", CURATOR, "route", { leadId: HEALTH, coexecutorIds: [], leadKept: true }),
    ];
    const { steps } = replayIncident(facts, events, georgievsk, moscow);
    expect(steps.filter((s) => s.step === "coexecutorPassOn")).toMatchObject([
      { deadline: at("11:00"), completedAt: null, endedAt: at("11:30") },
    ]);
  });
});

describe("Georgievsk p.18: a part passed on, dropped by a routing and kept by the next, replayed", () => {
  it("reached the lead when it was passed on: the lead's hour runs from then, as its card counted", () => {
    const events: IncidentEvent[] = [
      {
        ...event("10:05", CURATOR, "route", { leadId: HEALTH, coexecutorIds: [CULTURE] }),
        fromState: "registered",
      },
      { ...event("10:10", TAKER, "accept"), toState: "in_work" },
      event("10:15", COLLEAGUE, "accept", { organizationId: CULTURE }),
      event("10:30", COLLEAGUE, "sendPart", { organizationId: CULTURE, forApproval: true }),
      event("10:40", CURATOR, "passOnPart", { organizationId: CULTURE }),
      event("10:50", CURATOR, "route", { leadId: HEALTH, coexecutorIds: [], leadKept: true }),
      event("10:55", CURATOR, "route", {
        leadId: HEALTH,
        coexecutorIds: [CULTURE],
        leadKept: true,
        kept: [CULTURE],
      }),
      event("11:50", TAKER, "submitDraft"),
    ];
    const { steps } = replayIncident(facts, events, georgievsk, moscow);
    expect(steps.filter((s) => s.step === "draft")).toMatchObject([
      { start: at("10:40"), deadline: at("11:40"), completedAt: at("11:50") },
    ]);
  });
});

describe("Orenburg p.6: a shortening undone by one routing and made again by the next, replayed", () => {
  it("the answer's one deadline is judged once", () => {
    const orenburg = loadRegulation("orenburg");
    const yekaterinburg = createWorkingTime({ timezone: "Asia/Yekaterinburg" });
    const local = (time: string) => new Date(`2026-11-09T${time}:00+05:00`);
    const step = (time: string, actorId: number, action: string, details: Record<string, unknown> = {}) => ({
      at: local(time),
      actorId,
      action,
      fromState: "in_work",
      toState: "in_work",
      details,
    });
    const ROADS = 30;
    const events: IncidentEvent[] = [
      {
        ...step("10:05", CURATOR, "route", {
          leadId: HEALTH,
          coexecutorIds: [],
          shortenedAnswerMinutes: 120,
        }),
        fromState: "registered",
      },
      step("10:10", TAKER, "accept"),
      step("12:30", CURATOR, "route", { leadId: ROADS, coexecutorIds: [], shortenedAnswerMinutes: null }),
      step("13:00", CURATOR, "route", { leadId: HEALTH, coexecutorIds: [], shortenedAnswerMinutes: 120 }),
      step("13:05", TAKER, "accept"),
      step("14:30", TAKER, "publish"),
    ];
    const important = { ...facts, importance: "important" as const, detectedAt: local("10:00") };
    const { steps } = replayIncident(important, events, orenburg, yekaterinburg);
    expect(steps.filter((s) => s.step === "answer")).toMatchObject([
      { deadline: local("12:00"), completedAt: local("14:30") },
    ]);
  });
});

describe("Georgievsk p.18: a part passed on late, replayed", () => {
  const NEW_CURATOR = 2;
  /** The curators' terms: CURATOR's all along, NEW_CURATOR's from 11:20. */
  const curatorAt = (personId: number, when: Date) =>
    personId === CURATOR || (personId === NEW_CURATOR && when > at("11:20"));
  /** Culture's part sent at 10:30, to pass on by 11:00, passed on at 11:40 by `curator`. */
  const passedOnBy = (curator: number): IncidentEvent[] => [
    {
      ...event("10:00", CURATOR, "route", { leadId: HEALTH, coexecutorIds: [CULTURE] }),
      fromState: "registered",
    },
    { ...event("10:05", LEAD_EXECUTOR, "accept"), toState: "in_work" },
    event("10:10", TAKER, "accept", { organizationId: CULTURE }),
    event("10:30", TAKER, "sendPart", { organizationId: CULTURE, forApproval: true }),
    event("11:40", curator, "passOnPart", { organizationId: CULTURE }),
  ];
  const passingOn = (events: IncidentEvent[]) =>
    replayIncident(facts, events, georgievsk, moscow, curatorAt).steps.find(
      (s) => s.step === "coexecutorPassOn",
    );

  it("names the curator who did it if he was one when it fell due; one who joined after is not named: «кураторы»", () => {
    expect(passingOn(passedOnBy(CURATOR))).toMatchObject({ completedAt: at("11:40"), personId: CURATOR });
    expect(passingOn(passedOnBy(NEW_CURATOR))).toMatchObject({
      completedAt: at("11:40"),
      curatorStep: true,
      personId: null,
    });
  });
});

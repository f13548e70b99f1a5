import { describe, expect, it } from "vitest";
import type { Person } from "../../src/domain/access.js";
import { createWorkingTime } from "../../src/domain/calendar/index.js";
import {
  type AssignmentView,
  actionRules,
  assignmentFor,
  checkAction,
  finalClockMet,
  type IncidentView,
  nextDeadline,
  nextInOrder,
  passOnDeadlines,
  receivedAssignments,
  runningDeadlines,
} from "../../src/domain/incident.js";
import { loadRegulation } from "../../src/domain/regulation/index.js";

const orenburg = loadRegulation("orenburg");
const georgievsk = loadRegulation("georgievsk");
const yekaterinburg = createWorkingTime({ timezone: "Asia/Yekaterinburg" });
const moscow = createWorkingTime({ timezone: "Europe/Moscow" });

function person(roles: ("admin" | "curator" | "head")[], organizationIds: number[] = []): Person {
  return {
    id: 1,
    telegramId: 1,
    firstName: "А",
    lastName: null,
    username: null,
    officialName: null,
    roles: new Set(roles),
    organizationIds,
  };
}

const curator = person(["curator"]);
const health = person([], [10]);
const culture = person([], [20]);
const head = person(["head"]);

// Tuesday 24.11.2026 10:00 in Yekaterinburg (UTC+5).
const detected = new Date("2026-11-24T05:00:00Z");

function incident(state: IncidentView["state"], assignments: Partial<AssignmentView>[] = []): IncidentView {
  return {
    id: 1,
    state,
    importance: "normal",
    detectedAt: detected,
    postedAt: null,
    routedAt: state === "registered" ? null : detected,
    shortenedAnswerMinutes: null,
    holderId: null,
    assignments: assignments.map((a, position) => ({
      organizationId: 10,
      role: "lead",
      position,
      state: "assigned",
      receivedAt: detected,
      ...a,
    })),
  };
}

describe("incident state machine", () => {
  it("only a curator routes, and only an open incident", () => {
    expect(checkAction(incident("registered"), "route", curator)).toBeUndefined();
    expect(checkAction(incident("registered"), "route", health)).toBe("forbidden");
    expect(checkAction(incident("registered"), "route", head)).toBe("forbidden");
    expect(checkAction(incident("closed"), "route", curator)).toBe("wrong_state");
  });

  it("only an executor of an assigned organization takes it into work, once", () => {
    const assigned = incident("assigned", [{ organizationId: 10 }]);
    expect(checkAction(assigned, "accept", health)).toBeUndefined();
    expect(checkAction(assigned, "accept", culture)).toBe("forbidden");
    expect(checkAction(assigned, "accept", curator)).toBe("forbidden");
    const accepted = incident("in_work", [{ organizationId: 10, state: "accepted" }]);
    expect(checkAction(accepted, "accept", health)).toBe("wrong_state");
  });

  it("a withdrawn organization has no rights left on the incident", () => {
    const rerouted = incident("assigned", [
      { organizationId: 10, state: "withdrawn" },
      { organizationId: 20, state: "assigned" },
    ]);
    expect(checkAction(rerouted, "accept", health)).toBe("forbidden");
    expect(checkAction(rerouted, "accept", culture)).toBeUndefined();
  });

  it("toxic and threats are marked by curators before the work starts", () => {
    expect(checkAction(incident("registered"), "markThreat", curator)).toBeUndefined();
    expect(checkAction(incident("registered"), "markToxic", health)).toBe("forbidden");
    expect(checkAction(incident("closed"), "markToxic", curator)).toBe("wrong_state");
  });

  it("only an accepted co-executor sends its part", () => {
    const parts = incident("in_work", [
      { organizationId: 10, role: "lead", state: "accepted" },
      { organizationId: 20, role: "coexecutor", state: "accepted" },
    ]);
    expect(checkAction(parts, "sendPart", culture)).toBeUndefined();
    expect(checkAction(parts, "sendPart", health)).toBe("forbidden");
    // Once the answer is out a part serves nobody.
    const answered = incident("answered", [
      { organizationId: 10, role: "lead", state: "accepted" },
      { organizationId: 20, role: "coexecutor", state: "accepted" },
    ]);
    expect(checkAction(answered, "sendPart", culture)).toBe("wrong_state");
  });

  it("Georgievsk: only a curator passes a co-executor's part on, and only one that waits (p.18)", () => {
    const georgievskRules = { curatorMayPublish: true, curatorPassesParts: true };
    const waiting = incident("in_work", [
      { organizationId: 10, role: "lead", state: "accepted" },
      { organizationId: 20, role: "coexecutor", state: "part_sent" },
    ]);
    expect(checkAction(waiting, "passOnPart", curator, georgievskRules)).toBeUndefined();
    expect(checkAction(waiting, "passOnPart", health, georgievskRules)).toBe("forbidden");
    expect(checkAction(waiting, "passOnPart", culture, georgievskRules)).toBe("forbidden");
    // Orenburg p.14: parts go to the lead at once; there is nothing for a curator to pass on.
    expect(checkAction(waiting, "passOnPart", curator)).toBe("forbidden");
    const passed = incident("in_work", [
      { organizationId: 10, role: "lead", state: "accepted" },
      { organizationId: 20, role: "coexecutor", state: "part_passed" },
    ]);
    expect(checkAction(passed, "passOnPart", curator, georgievskRules)).toBe("wrong_state");
    // Returning it for rework is the same decision, with the same rights.
    expect(checkAction(waiting, "returnPart", curator, georgievskRules)).toBeUndefined();
    expect(checkAction(waiting, "returnPart", culture, georgievskRules)).toBe("forbidden");
    expect(checkAction(waiting, "returnPart", curator)).toBe("forbidden");
    expect(checkAction(passed, "returnPart", curator, georgievskRules)).toBe("wrong_state");
    expect(actionRules(georgievsk).curatorPassesParts).toBe(true);
    expect(actionRules(orenburg).curatorPassesParts).toBe(false);
  });

  it("a person of two organizations on one incident acts for the part the action fits", () => {
    const both = person([], [10, 20]);
    const routed = incident("assigned", [
      { organizationId: 10, role: "lead", state: "accepted" },
      { organizationId: 20, role: "coexecutor", state: "assigned" },
    ]);
    // The lead's part is taken: «Взять в работу» takes the co-executor's, not «already taken».
    expect(checkAction(routed, "accept", both)).toBeUndefined();
    expect(assignmentFor(routed, "accept", both)?.organizationId).toBe(20);
    const working = incident("in_work", [
      { organizationId: 10, role: "lead", state: "accepted" },
      { organizationId: 20, role: "coexecutor", state: "accepted" },
    ]);
    expect(assignmentFor(working, "sendPart", both)?.organizationId).toBe(20);
    expect(assignmentFor(working, "submitDraft", both)?.organizationId).toBe(10);
    // Both parts may be returned: the lead's first.
    expect(assignmentFor(working, "return", both)?.organizationId).toBe(10);
    const sent = incident("in_work", [
      { organizationId: 10, role: "lead", state: "accepted" },
      { organizationId: 20, role: "coexecutor", state: "part_sent" },
    ]);
    expect(checkAction(sent, "sendPart", both)).toBe("wrong_state");
  });
});

describe("co-executors in order (Orenburg p.14)", () => {
  const routed = () =>
    incident("assigned", [
      { organizationId: 10 },
      { organizationId: 20, role: "coexecutor" },
      { organizationId: 30, role: "coexecutor", state: "queued" },
      { organizationId: 40, role: "coexecutor", state: "queued" },
    ]);
  const building = person([], [30]);

  it("the one waiting for its turn may neither take the post nor return it, and has no clock running", () => {
    const waiting = routed();
    expect(checkAction(waiting, "accept", building)).toBe("wrong_state");
    expect(checkAction(waiting, "return", building)).toBe("wrong_state");
    expect(runningDeadlines(waiting, orenburg, yekaterinburg, 30)).toEqual([]);
    expect(runningDeadlines(waiting, orenburg, yekaterinburg, 20).map((d) => d.step)).toEqual([
      "return",
      "coexecutorPart",
    ]);
  });

  it("the next to get the post is the lowest position waiting; the others have it; Georgievsk sets no order", () => {
    const waiting = routed();
    expect(nextInOrder(waiting)?.organizationId).toBe(30);
    expect(receivedAssignments(waiting).map((a) => a.organizationId)).toEqual([10, 20]);
    expect(actionRules(orenburg).coexecutorsInOrder).toBe(true);
    expect(actionRules(georgievsk).coexecutorsInOrder).toBe(false);
  });
});

describe("the card's next deadline", () => {
  it("Orenburg: a new post must be routed within 30 working minutes of detection (p.6)", () => {
    const next = nextDeadline(incident("registered"), orenburg, yekaterinburg);
    expect(next).toMatchObject({ step: "routing", clause: "п. 6" });
    expect(next?.at.toISOString()).toBe("2026-11-24T05:30:00.000Z");
  });

  it("Orenburg: once routed, the organization may return it within 30 minutes of receipt (p.7)", () => {
    const next = nextDeadline(incident("assigned", [{ organizationId: 10 }]), orenburg, yekaterinburg);
    expect(next).toMatchObject({ step: "return", clause: "п. 7" });
  });

  it("Orenburg: in work, the draft is due 4 working hours before the 9-hour answer deadline (p.8, p.9)", () => {
    const next = nextDeadline(incident("in_work", [{ state: "accepted" }]), orenburg, yekaterinburg);
    // 10:00 + 5 working hours across lunch → 16:00 local.
    expect(next?.step).toBe("draft");
    expect(next?.at.toISOString()).toBe("2026-11-24T11:00:00.000Z");
  });

  it("Orenburg: a co-executor's card shows its own clock: its part within 2 hours of receipt (p.14)", () => {
    const routed = incident("in_work", [
      { organizationId: 10, role: "lead", state: "accepted" },
      { organizationId: 20, role: "coexecutor", state: "accepted" },
    ]);
    const own = nextDeadline(routed, orenburg, yekaterinburg, 20);
    expect(own).toMatchObject({ step: "coexecutorPart", clause: "п. 14" });
    expect(own?.at.toISOString()).toBe("2026-11-24T07:00:00.000Z");
    expect(nextDeadline(routed, orenburg, yekaterinburg, 10)?.step).toBe("draft");
  });

  it("Georgievsk: a part returned for rework runs on its own 30 working minutes from the return (p.14, 18)", () => {
    const returnedAt = new Date(detected.getTime() + 3 * 60 * 60_000);
    const returned = incident("in_work", [
      { organizationId: 10, role: "lead", state: "accepted" },
      { organizationId: 20, role: "coexecutor", state: "accepted", partReturnedAt: returnedAt },
    ]);
    const own = nextDeadline(returned, georgievsk, moscow, 20);
    expect(own).toMatchObject({ step: "coexecutorRework", clause: "п. 14, 18" });
    expect(own?.at.getTime()).toBe(moscow.addWorkingMinutes(returnedAt, 30).getTime());
    // Sent again, the rework is done: the curators' pass-on clock runs instead.
    const resent = incident("in_work", [
      { organizationId: 10, role: "lead", state: "accepted" },
      {
        organizationId: 20,
        role: "coexecutor",
        state: "part_sent",
        partReturnedAt: returnedAt,
        partSentAt: returnedAt,
      },
    ]);
    expect(nextDeadline(resent, georgievsk, moscow, 20)).toBeUndefined();
    expect(passOnDeadlines(resent, georgievsk, moscow).map((d) => d.step)).toEqual(["coexecutorPassOn"]);
  });

  it("a part returned under Georgievsk keeps a clock under a preset without its rework: the part's own", () => {
    const returned = incident("in_work", [
      { organizationId: 10, role: "lead", state: "accepted" },
      { organizationId: 20, role: "coexecutor", state: "accepted", partReturnedAt: detected },
    ]);
    expect(nextDeadline(returned, orenburg, yekaterinburg, 20)).toMatchObject({
      step: "coexecutorPart",
      clause: "п. 14",
    });
  });

  it("Georgievsk p.18: with co-executors the lead's draft clock waits for their parts, then runs 1 working hour from the last", () => {
    const owed = incident("in_work", [
      { organizationId: 10, role: "lead", state: "accepted" },
      { organizationId: 20, role: "coexecutor", state: "part_sent", partSentAt: detected },
    ]);
    expect(runningDeadlines(owed, georgievsk, moscow, 10).map((d) => d.step)).toEqual(["answer"]);
    const passedAt = new Date(detected.getTime() + 2 * 60 * 60_000);
    const passed = incident("in_work", [
      { organizationId: 10, role: "lead", state: "accepted" },
      {
        organizationId: 20,
        role: "coexecutor",
        state: "part_passed",
        partSentAt: detected,
        partPassedAt: passedAt,
      },
    ]);
    expect(nextDeadline(passed, georgievsk, moscow, 10)).toMatchObject({ step: "draft", clause: "п. 11" });
    expect(nextDeadline(passed, georgievsk, moscow, 10)?.at.getTime()).toBe(
      moscow.addWorkingMinutes(passedAt, 60).getTime(),
    );
    // Orenburg's draft is counted back from the answer deadline (p.9), parts or not.
    expect(runningDeadlines(owed, orenburg, yekaterinburg, 10).map((d) => d.step)).toEqual([
      "draft",
      "answer",
    ]);
  });

  it("Georgievsk p.18: a co-executor that returns the post owes nothing more: the lead's hour runs from the return, not from before", () => {
    const returnedAt = new Date(detected.getTime() + 3 * 60 * 60_000);
    const dropped = incident("in_work", [
      { organizationId: 10, role: "lead", state: "accepted" },
      { organizationId: 20, role: "coexecutor", state: "returned", returnedAt },
    ]);
    expect(nextDeadline(dropped, georgievsk, moscow, 10)).toMatchObject({ step: "draft", clause: "п. 11" });
    expect(nextDeadline(dropped, georgievsk, moscow, 10)?.at.getTime()).toBe(
      moscow.addWorkingMinutes(returnedAt, 60).getTime(),
    );
  });

  it("an interim answer changes the lead's clocks, not a co-executor's: it still owes its part", () => {
    const interim = {
      ...incident("in_work", [
        { organizationId: 10, role: "lead", state: "accepted" },
        { organizationId: 20, role: "coexecutor", state: "accepted" },
      ]),
      answer: {
        draftId: null,
        draftSubmittedAt: null,
        draftAuthorId: null,
        reworkRequestedAt: null,
        approvedAt: null,
        interimPublishedAt: detected,
        awaitingClarification: false,
      },
    };
    expect(runningDeadlines(interim, orenburg, yekaterinburg, 20).map((d) => d.step)).toEqual([
      "coexecutorPart",
    ]);
    expect(runningDeadlines(interim, orenburg, yekaterinburg, 10).map((d) => d.step)).toEqual([
      "finalAfterInterim",
    ]);
  });

  it("routed again to the same lead with its draft in rework, the rework's clock runs on, not a new draft's", () => {
    const rerouted = {
      ...incident("assigned", [{ organizationId: 10 }]),
      answer: {
        draftId: 1,
        draftSubmittedAt: new Date("2026-11-24T05:15:00Z"),
        draftAuthorId: 1,
        reworkRequestedAt: new Date("2026-11-24T05:20:00Z"),
        approvedAt: null,
        interimPublishedAt: null,
        awaitingClarification: false,
      },
    };
    const running = runningDeadlines(rerouted, orenburg, yekaterinburg);
    expect(running.map((d) => d.step)).toEqual(["return", "rework", "answer"]);
    // An hour from the rework request (p.11): 11:20 in Yekaterinburg.
    expect(running[1]?.at).toEqual(new Date("2026-11-24T06:20:00Z"));
    expect(
      runningDeadlines(incident("assigned", [{ organizationId: 10 }]), orenburg, yekaterinburg).map(
        (d) => d.step,
      ),
    ).toEqual(["return", "draft", "answer"]);
  });

  it("an approved answer: Orenburg p.12 has its own publication clock; Georgievsk's is the answer's (p.16), alerted once", () => {
    const approved = {
      ...incident("approved", [{ organizationId: 10, state: "accepted" }]),
      answer: {
        draftId: 1,
        draftSubmittedAt: detected,
        draftAuthorId: 1,
        reworkRequestedAt: null,
        approvedAt: detected,
        interimPublishedAt: null,
        awaitingClarification: false,
      },
    };
    expect(runningDeadlines(approved, orenburg, yekaterinburg).map((d) => d.step)).toEqual([
      "publication",
      "answer",
    ]);
    expect(runningDeadlines(approved, georgievsk, moscow).map((d) => d.step)).toEqual(["answer"]);
  });

  it("Georgievsk p.15: a final draft sent meets the final answer's clock; a question to the author sent after it does not start it again", () => {
    const interimAt = new Date("2026-11-24T08:00:00Z");
    const finalAt = new Date("2026-11-26T08:00:00Z");
    const questionAt = new Date("2026-11-27T08:00:00Z");
    const answer = {
      draftId: 3,
      draftKind: "clarification" as const,
      draftSubmittedAt: questionAt,
      draftAuthorId: 1,
      reworkRequestedAt: null,
      approvedAt: null,
      interimPublishedAt: interimAt,
      awaitingClarification: false,
    };
    const steps = (finalDraftSubmittedAt: Date | null) =>
      runningDeadlines(
        {
          ...incident("on_approval", [{ organizationId: 10, state: "accepted" }]),
          answer: { ...answer, finalDraftSubmittedAt },
        },
        georgievsk,
        moscow,
      ).map((d) => d.step);
    expect(steps(finalAt)).toEqual(["decision"]);
    expect(steps(null)).toEqual(["decision", "finalAfterInterim"]);
  });

  it("Georgievsk p.15: the cards say when the final draft went, on time or late; Orenburg's final clock is the answer's", () => {
    const interimAt = new Date("2026-11-24T08:00:00Z"); // Tuesday: the 7th working day after is Thursday 03.12
    const approved = (finalDraftSubmittedAt: Date | null) => ({
      ...incident("approved", [{ organizationId: 10, state: "accepted" }]),
      answer: {
        draftId: 3,
        draftKind: "final" as const,
        draftSubmittedAt: finalDraftSubmittedAt,
        draftAuthorId: 1,
        reworkRequestedAt: null,
        approvedAt: new Date("2026-12-07T08:00:00Z"),
        interimPublishedAt: interimAt,
        finalDraftSubmittedAt,
        awaitingClarification: false,
      },
    });
    const onTime = new Date("2026-12-03T14:00:00Z"); // 17:00 in Moscow
    const late = new Date("2026-12-04T07:00:00Z");
    expect(finalClockMet(approved(onTime), georgievsk, moscow)).toEqual({
      at: onTime,
      onTime: true,
      clause: "п. 15",
    });
    expect(finalClockMet(approved(late), georgievsk, moscow)).toMatchObject({ onTime: false });
    expect(finalClockMet(approved(null), georgievsk, moscow)).toBeUndefined();
    expect(finalClockMet(approved(onTime), orenburg, yekaterinburg)).toBeUndefined();
  });

  it("Georgievsk: routing within 1 working hour; no answer clock before routing (p.9, p.16)", () => {
    const next = nextDeadline(incident("registered"), georgievsk, moscow);
    expect(next).toMatchObject({ step: "routing", clause: "п. 9" });
  });
});

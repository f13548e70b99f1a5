/**
 * Whose a late answer is when the curators held the post at its deadline (Georgievsk p.12, 16): a
 * curator's «Размещу лично» holds it until he gives it up or his link question closes (30 minutes).
 */
import { describe, expect, it } from "vitest";
import { createWorkingTime } from "../../src/domain/calendar/index.js";
import { loadRegulation } from "../../src/domain/regulation/index.js";
import { type IncidentEvent, replayIncident } from "../../src/reports/replay.js";

const georgievsk = loadRegulation("georgievsk");
const moscow = createWorkingTime({ timezone: "Europe/Moscow" });
const HEALTH = 10;
const CURATOR = 1;
const EXECUTOR = 5;

const minutes = (n: number) => n * 60_000;
/** Monday 09.11.2026 at a Moscow time. */
const at = (time: string) => new Date(`2026-11-09T${time}:00+03:00`);

const facts = {
  id: 1,
  importance: "normal" as const,
  detectedAt: at("09:50"),
  postedAt: null,
  shortenedAnswerMinutes: null,
};

function event(
  when: Date,
  actorId: number,
  action: string,
  from: string | null,
  to: string | null,
): IncidentEvent {
  return {
    at: when,
    actorId,
    action,
    fromState: from,
    toState: to,
    details: action === "route" ? { leadId: HEALTH, coexecutorIds: [] } : {},
  };
}

/** Routed at 10:00, drafted and approved in time; the curator claims the posting `claimed` before the deadline. */
function claimed(beforeDeadline: number, gaveUpAfter?: number): IncidentEvent[] {
  const deadline = answerDeadline();
  const claim = new Date(deadline.getTime() - minutes(beforeDeadline));
  const events = [
    event(at("09:50"), CURATOR, "registered", null, "registered"),
    event(at("10:00"), CURATOR, "route", "registered", "assigned"),
    event(at("10:05"), EXECUTOR, "accept", "assigned", "in_work"),
    event(at("10:30"), EXECUTOR, "submitDraft", "in_work", "on_approval"),
    event(at("10:40"), CURATOR, "approve", "on_approval", "approved"),
    event(claim, CURATOR, "curatorPosts", null, null),
  ];
  if (gaveUpAfter !== undefined)
    events.push(
      event(new Date(claim.getTime() + minutes(gaveUpAfter)), CURATOR, "curatorGaveUp", null, null),
    );
  events.push(event(new Date(deadline.getTime() + minutes(60)), EXECUTOR, "publish", "approved", "answered"));
  return events;
}

function answerDeadline(): Date {
  const { steps } = replayIncident(
    facts,
    [event(at("10:00"), CURATOR, "route", "registered", "assigned")],
    georgievsk,
    moscow,
  );
  const answer = steps.find((s) => s.step === "answer");
  if (answer) return answer.deadline;
  // Still owed: the replay reports it at the end of what it saw.
  throw new Error("no answer step");
}

const answerOf = (events: IncidentEvent[]) =>
  replayIncident(facts, events, georgievsk, moscow).steps.find((s) => s.step === "answer");

describe("a late answer while the curator posts it himself", () => {
  it("his claim over the deadline makes it the curators'", () => {
    expect(answerOf(claimed(10))).toMatchObject({ curatorStep: true, organizationId: null, personId: null });
  });

  it("a claim given up, or whose question closed, before the deadline leaves it the organization's", () => {
    expect(answerOf(claimed(20, 5))).toMatchObject({ curatorStep: false, organizationId: HEALTH });
    expect(answerOf(claimed(40))).toMatchObject({ curatorStep: false, organizationId: HEALTH });
  });
});

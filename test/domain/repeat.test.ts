/** Marking a post as a repeat (Orenburg p.15; Georgievsk p.19): who may, and when. */
import { describe, expect, it } from "vitest";
import type { Person } from "../../src/domain/access.js";
import { checkAction, type IncidentState, type IncidentView } from "../../src/domain/incident.js";

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

const detected = new Date("2026-11-24T05:00:00Z");

/** An incident of the health ministry (10), its lead executor having accepted it where it is in work. */
function incident(state: IncidentState): IncidentView {
  return {
    id: 2,
    state,
    importance: "normal",
    detectedAt: detected,
    postedAt: null,
    routedAt: state === "registered" ? null : detected,
    shortenedAnswerMinutes: null,
    holderId: null,
    assignments:
      state === "registered"
        ? []
        : [
            {
              organizationId: 10,
              role: "lead",
              position: 0,
              state: state === "assigned" ? "assigned" : "accepted",
              receivedAt: detected,
            },
          ],
  };
}

const OPEN: IncidentState[] = [
  "registered",
  "assigned",
  "in_work",
  "on_approval",
  "approved",
  "answered",
  "awaiting_final",
];

describe("marking a repeat", () => {
  it("a curator marks a post as a repeat at any step until it is closed without an answer", () => {
    const curator = person(["curator"]);
    for (const state of OPEN)
      expect(checkAction(incident(state), "markRepeat", curator), state).toBeUndefined();
    expect(checkAction(incident("closed"), "markRepeat", curator)).toBe("wrong_state");
  });

  it("nobody else marks one: not the post's own executor, nor the head, nor an admin", () => {
    for (const someone of [person([], [10]), person(["head"]), person(["admin"]), undefined]) {
      for (const state of [...OPEN, "closed" as const])
        expect(checkAction(incident(state), "markRepeat", someone), state).toBe("forbidden");
    }
  });
});

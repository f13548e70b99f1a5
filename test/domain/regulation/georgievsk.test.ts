import { describe, expect, it } from "vitest";
import { loadRegulation, reminderMoments, stepDeadline } from "../../../src/domain/regulation/index.js";
import { local, MOSCOW, wall, moscow as wt } from "../calendar/helpers.js";

const reg = loadRegulation("georgievsk");
const at = (text: string) => local(text, MOSCOW);
const show = (d: Date | undefined) => (d ? wall(d, MOSCOW) : undefined);

// 13.10.2025 is a Monday; 17.10.2025 a Friday. Schedule 09:00-18:00, lunch 13:00-14:00, Europe/Moscow.
describe("Georgievsk 132 preset", () => {
  it("runs in Europe/Moscow", () => expect(reg.timezone).toBe("Europe/Moscow"));

  it("p.9: detection Friday 17:30 must be routed by Monday 09:30 (1 working hour)", () => {
    expect(show(stepDeadline(reg, "routing", { detection: at("2025-10-17 17:30") }, wt))).toBe(
      "2025-10-20 09:30",
    );
  });

  it("p.10: received at 10:00, a foreign post is returned with a reason by 10:30", () => {
    expect(show(stepDeadline(reg, "return", { receipt: at("2025-10-13 10:00") }, wt))).toBe(
      "2025-10-13 10:30",
    );
  });

  it("p.11: received at 12:15, the draft is due at 14:15 (45 min + 15 min after lunch)", () => {
    // With no co-executors the lead has all it needs at its receipt (anchor partsReceived).
    const received = at("2025-10-13 12:15");
    expect(show(stepDeadline(reg, "draft", { receipt: received, partsReceived: received }, wt))).toBe(
      "2025-10-13 14:15",
    );
  });

  it("p.12-13: a draft received at 10:00 is approved or returned by 10:30", () => {
    expect(show(stepDeadline(reg, "decision", { draftSubmission: at("2025-10-13 10:00") }, wt))).toBe(
      "2025-10-13 10:30",
    );
  });

  it("p.14: rework requested at 17:50 is due at 09:20 next day (10 + 20 min)", () => {
    expect(show(stepDeadline(reg, "rework", { reworkRequest: at("2025-10-13 17:50") }, wt))).toBe(
      "2025-10-14 09:20",
    );
  });

  it("p.16: post routed at 16:30 on a Friday must be answered by Monday 11:30 (1.5 h + 2.5 h)", () => {
    expect(show(stepDeadline(reg, "answer", { routing: at("2025-10-17 16:30") }, wt))).toBe(
      "2025-10-20 11:30",
    );
  });

  it("p.16 counts from routing, not detection", () => {
    const anchors = { detection: at("2025-10-13 09:00"), routing: at("2025-10-13 09:50") };
    expect(show(stepDeadline(reg, "answer", anchors, wt))).toBe("2025-10-13 14:50");
  });

  it("p.12, p.16: an approved answer has no publication deadline of its own, only the answer's; the curator may publish", () => {
    const anchors = { routing: at("2025-10-17 16:30"), approval: at("2025-10-20 10:00") };
    expect(stepDeadline(reg, "publication", anchors, wt)).toBeUndefined();
    expect(show(stepDeadline(reg, "answer", anchors, wt))).toBe("2025-10-20 11:30");
    expect(reg.curatorMayPublish.value).toBe(true);
  });

  it("p.24: the head hears at once of socially significant posts and of those needing an urgent decision («Важное»)", () => {
    expect(reg.significantRecipients.importance).toEqual(["significant", "important"]);
    expect(loadRegulation("orenburg").significantRecipients.importance).toEqual(["significant"]);
  });

  it("p.18: a co-executor who received the post at 11:30 sends its part by 14:30 (2 working hours)", () => {
    expect(show(stepDeadline(reg, "coexecutorPart", { receipt: at("2025-10-15 11:30") }, wt))).toBe(
      "2025-10-15 14:30",
    );
  });

  it("p.18: the curator passes a part received at 12:40 on to the lead executor by 14:10", () => {
    expect(show(stepDeadline(reg, "coexecutorPassOn", { partSubmission: at("2025-10-15 12:40") }, wt))).toBe(
      "2025-10-15 14:10",
    );
  });

  it("p.15: interim answer 30.04.2026 → final draft by 13.05.2026 18:00 (04-08.05 are days 1-5, 09-11.05 off, 12-13.05 days 6-7)", () => {
    expect(
      show(stepDeadline(reg, "finalAfterInterim", { interimPublication: at("2026-04-30 16:00") }, wt)),
    ).toBe("2026-05-13 18:00");
  });

  it("p.22-24: toxic posts are closed without forwarding; violations by the 5th to the head", () => {
    expect(reg.toxic).toMatchObject({ noAnswer: true, forwardThreats: false, clause: "п. 22" });
    expect(reg.violationsReport).toMatchObject({ day: 5, clause: "п. 23" });
    expect(reg.significantRecipients.clause).toBe("п. 24");
    expect(reg.surge).toMatchObject({ posts: 5, windowHours: 24 });
    expect(reg.repeatWindow.days).toBe(90);
  });

  it("reminds about the 4 h answer at 50 %, 80 %, 30 and 10 min before the end", () => {
    const start = at("2025-10-17 16:30");
    const deadline = stepDeadline(reg, "answer", { routing: start }, wt);
    if (!deadline) throw new Error("no deadline");
    // 50 % = 120 min: 90 on Friday + 30 → Monday 09:30; 80 % = 192 min: 09:00 + 102 → 10:42; 11:30 - 30 → 11:00.
    expect(reminderMoments(reg, "answer", start, deadline, wt).map(show)).toEqual([
      "2025-10-20 09:30",
      "2025-10-20 10:42",
      "2025-10-20 11:00",
      "2025-10-20 11:20",
    ]);
  });
});

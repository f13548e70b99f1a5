import { describe, expect, it } from "vitest";
import { loadRegulation, reminderMoments, stepDeadline } from "../../../src/domain/regulation/index.js";
import { local, wall, yekaterinburg as wt, YEKATERINBURG } from "../calendar/helpers.js";

const reg = loadRegulation("orenburg");
const at = (text: string) => local(text, YEKATERINBURG);
const show = (d: Date | undefined) => (d ? wall(d, YEKATERINBURG) : undefined);

// 13.10.2025 is a Monday; 17.10.2025 a Friday. Schedule 09:00-18:00, lunch 13:00-14:00, Asia/Yekaterinburg.
describe("Orenburg 156-ук preset", () => {
  it("runs in Asia/Yekaterinburg", () => expect(reg.timezone).toBe("Asia/Yekaterinburg"));

  it("p.6: detection Friday 17:45 must be routed by Monday 09:15 (30 working min: 15 + 15)", () => {
    expect(show(stepDeadline(reg, "routing", { detection: at("2025-10-17 17:45") }, wt))).toBe(
      "2025-10-20 09:15",
    );
    expect(reg.steps.routing.clause).toBe("п. 6");
  });

  it("p.7: received at 12:45, a foreign post is returned by 14:15 (15 min before lunch, 15 after)", () => {
    expect(show(stepDeadline(reg, "return", { receipt: at("2025-10-13 12:45") }, wt))).toBe(
      "2025-10-13 14:15",
    );
  });

  it("p.8: detection Friday 15:00 → answer by Monday 16:00 (3 h Friday + 4 h morning + 2 h afternoon = 9 h)", () => {
    expect(show(stepDeadline(reg, "answer", { detection: at("2025-10-17 15:00") }, wt))).toBe(
      "2025-10-20 16:00",
    );
  });

  it("p.8 counts from detection, not routing", () => {
    const anchors = { detection: at("2025-10-13 10:00"), routing: at("2025-10-13 10:25") };
    expect(show(stepDeadline(reg, "answer", anchors, wt))).toBe("2025-10-14 11:00");
  });

  it("p.9: detection Monday 10:00 → answer Tuesday 11:00, draft 4 working hours earlier: Monday 16:00", () => {
    const anchors = { detection: at("2025-10-13 10:00"), receipt: at("2025-10-13 10:20") };
    expect(show(stepDeadline(reg, "draft", anchors, wt))).toBe("2025-10-13 16:00");
  });

  it("p.9: 4 working hours before an answer due at 18:00 is 14:00, after lunch; before one due at 13:00, 09:00 that morning", () => {
    // Detection Monday 17:00 → answer Tuesday 18:00: the draft leaves 14:00–18:00, not 13:00.
    const evening = { detection: at("2025-10-13 17:00"), receipt: at("2025-10-13 17:05") };
    expect(show(stepDeadline(reg, "answer", evening, wt))).toBe("2025-10-14 18:00");
    expect(show(stepDeadline(reg, "draft", evening, wt))).toBe("2025-10-14 14:00");
    // Detection Monday 12:00 → answer Tuesday 13:00: the draft by 09:00 Tuesday, not 18:00 Monday.
    const noon = { detection: at("2025-10-13 12:00"), receipt: at("2025-10-13 12:05") };
    expect(show(stepDeadline(reg, "answer", noon, wt))).toBe("2025-10-14 13:00");
    expect(show(stepDeadline(reg, "draft", noon, wt))).toBe("2025-10-14 09:00");
  });

  it("p.9: received in the lunch break or at night before such a draft deadline, the executor still gets half the time left", () => {
    // Answer due Tuesday 18:00, received Tuesday 13:30: «14:00» would leave no working time; half of 14:00–18:00.
    const lunch = { detection: at("2025-10-13 17:00"), receipt: at("2025-10-14 13:30") };
    expect(show(stepDeadline(reg, "draft", lunch, wt))).toBe("2025-10-14 16:00");
    // Answer due Tuesday 13:00, received Monday 18:30: half of 09:00–13:00.
    const night = { detection: at("2025-10-13 12:00"), receipt: at("2025-10-13 18:30") };
    expect(show(stepDeadline(reg, "draft", night, wt))).toBe("2025-10-14 11:00");
  });

  it("p.6 + p.9: a curator's shortened 6 h answer (Monday 17:00) moves the draft to 12:00", () => {
    const anchors = { detection: at("2025-10-13 10:00"), receipt: at("2025-10-13 10:20") };
    const opts = { shortenedAnswerMinutes: 360 };
    expect(show(stepDeadline(reg, "answer", anchors, wt, opts))).toBe("2025-10-13 17:00");
    expect(show(stepDeadline(reg, "draft", anchors, wt, opts))).toBe("2025-10-13 12:00");
  });

  it("p.9: if the answer is shortened to 4 h or less, the draft is due halfway from receipt to the answer, not at once", () => {
    const anchors = { detection: at("2025-10-13 10:00"), receipt: at("2025-10-13 10:20") };
    // Answer at 13:00; 160 working minutes from receipt, half of them → 11:40.
    expect(show(stepDeadline(reg, "draft", anchors, wt, { shortenedAnswerMinutes: 180 }))).toBe(
      "2025-10-13 11:40",
    );
    // Answer at 15:00 (4 h across lunch); «4 h before» is detection itself → half of 3 h 40 min after 10:20.
    expect(show(stepDeadline(reg, "draft", anchors, wt, { shortenedAnswerMinutes: 240 }))).toBe(
      "2025-10-13 12:10",
    );
  });

  it("p.9: a post received after its answer was due (returned and routed again late) gives the draft an hour, not none", () => {
    // Answer due Tuesday 11:00; the next organization gets the post at 11:30 → its draft by 12:30.
    const anchors = { detection: at("2025-10-13 10:00"), receipt: at("2025-10-14 11:30") };
    expect(show(stepDeadline(reg, "answer", anchors, wt))).toBe("2025-10-14 11:00");
    expect(show(stepDeadline(reg, "draft", anchors, wt))).toBe("2025-10-14 12:30");
  });

  it("p.6: a 'shortened' deadline longer than 9 h is ignored", () => {
    const anchors = { detection: at("2025-10-13 10:00") };
    expect(show(stepDeadline(reg, "answer", anchors, wt, { shortenedAnswerMinutes: 900 }))).toBe(
      "2025-10-14 11:00",
    );
    expect(reg.steps.answer.curatorMayShorten).toBe(true);
  });

  it("p.10: a draft submitted at 17:45 is approved or returned by 09:15 next day", () => {
    expect(show(stepDeadline(reg, "decision", { draftSubmission: at("2025-10-13 17:45") }, wt))).toBe(
      "2025-10-14 09:15",
    );
  });

  it("p.11: rework requested at 12:30 is back by 14:30 (1 working hour across lunch)", () => {
    expect(show(stepDeadline(reg, "rework", { reworkRequest: at("2025-10-13 12:30") }, wt))).toBe(
      "2025-10-13 14:30",
    );
  });

  it("p.12: approved at 11:00, published by 11:30; only the executor publishes", () => {
    expect(show(stepDeadline(reg, "publication", { approval: at("2025-10-13 11:00") }, wt))).toBe(
      "2025-10-13 11:30",
    );
    expect(reg.curatorMayPublish.value).toBe(false);
  });

  it("p.14: a co-executor who received the post at 16:30 sends its part by 09:30 next day (2 working hours)", () => {
    expect(show(stepDeadline(reg, "coexecutorPart", { receipt: at("2025-10-13 16:30") }, wt))).toBe(
      "2025-10-14 09:30",
    );
    expect(reg.steps.coexecutorPassOn).toBeUndefined();
  });

  it("p.13: post published Tuesday 29.04.2025 22:00 → final answer by 14.05.2025 18:00 (7 working days after the post's day, May holidays skipped)", () => {
    const anchors = { postDate: at("2025-04-29 22:00"), detection: at("2025-04-30 09:10") };
    expect(show(stepDeadline(reg, "finalAfterInterim", anchors, wt))).toBe("2025-05-14 18:00");
  });

  it("p.13: without the post's date, the detection date is used", () => {
    expect(show(stepDeadline(reg, "finalAfterInterim", { detection: at("2025-04-30 09:10") }, wt))).toBe(
      "2025-05-15 18:00",
    );
  });

  it("a step whose event has not happened has no deadline", () => {
    expect(stepDeadline(reg, "publication", { detection: at("2025-10-13 10:00") }, wt)).toBeUndefined();
  });

  it("p.17, p.19-p.21: toxic posts, threats, reports and surge settings", () => {
    expect(reg.toxic).toMatchObject({ noAnswer: true, forwardThreats: true, clause: "п. 17" });
    expect(reg.toxic.threatsRecipient).toContain("государственные органы");
    expect(reg.significantRecipients).toMatchObject({
      recipients: ["Губернатор Оренбургской области"],
      clause: "п. 21",
    });
    expect(reg.monthlySummary.clause).toBe("п. 20");
    expect(reg.violationsReport).toMatchObject({ day: null, clause: "п. 19" });
    expect(reg.surge).toMatchObject({ posts: 5, windowHours: 24 });
    expect(reg.repeatWindow.days).toBe(90);
  });

  it("reminds about the answer at 50 % and 80 % of the 9 h and 1 h before the end", () => {
    const start = at("2025-10-13 10:00");
    const deadline = stepDeadline(reg, "answer", { detection: start }, wt);
    if (!deadline) throw new Error("no deadline");
    // 270 min → Monday 15:30; 432 min → Tuesday 09:12; 60 min before Tuesday 11:00 → 10:00.
    expect(reminderMoments(reg, "answer", start, deadline, wt).map(show)).toEqual([
      "2025-10-13 15:30",
      "2025-10-14 09:12",
      "2025-10-14 10:00",
    ]);
  });

  it("a reminder an hour before a deadline at 10:00 comes at 09:00 that morning, not at 18:00 the evening before", () => {
    const start = at("2025-10-13 09:00");
    const deadline = stepDeadline(reg, "answer", { detection: start }, wt);
    expect(deadline && show(deadline)).toBe("2025-10-14 10:00");
    if (!deadline) throw new Error("no deadline");
    // 270 min → Monday 14:30 (after the lunch); 432 min → Monday 17:12.
    expect(reminderMoments(reg, "answer", start, deadline, wt).map(show)).toEqual([
      "2025-10-13 14:30",
      "2025-10-13 17:12",
      "2025-10-14 09:00",
    ]);
  });

  it("a reminder that falls on the lunch's start comes when the lunch ends", () => {
    const start = at("2025-10-13 12:40");
    const deadline = stepDeadline(reg, "routing", { detection: start }, wt);
    expect(deadline && show(deadline)).toBe("2025-10-13 14:10");
    if (!deadline) throw new Error("no deadline");
    expect(reminderMoments(reg, "routing", start, deadline, wt).map(show)).toEqual(["2025-10-13 14:00"]);
  });
});

import { and, eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { auditEvents } from "../../src/db/schema.js";
import { Harness } from "../support/bot-harness.js";
import { updates } from "../support/updates.js";
import { OFFICE, seedDraft, seedIncidentInWork, seedOffice } from "../support/workflow.js";

let h: Harness;
let incidentId: number;

beforeEach(async () => {
  h = await Harness.start({ now: "2026-11-24T05:00:00Z" });
  const { health } = seedOffice(h);
  incidentId = await seedIncidentInWork(h, health);
  await seedDraft(h, incidentId);
});
afterEach(() => h.close());

const approvals = () =>
  h.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.entity, "incident"), eq(auditEvents.action, "approve")))
    .all();

describe("the same update twice", () => {
  it("Telegram re-delivering «Согласовать» after a crash approves once", async () => {
    const { message, callbackData } = h.fake.findButton(OFFICE.curatorsChat, "Согласовать");
    const update = h.fake.pushUpdate(
      updates.callback(h.user(OFFICE.curator, "Ольга").tg, message, callbackData),
    );
    await h.bot.handleUpdate(update);
    await h.bot.handleUpdate(update);
    expect(approvals()).toHaveLength(1);
  });

  it("two curators pressing «Согласовать» at once: exactly one approval", async () => {
    const { message, callbackData } = h.fake.findButton(OFFICE.curatorsChat, "Согласовать");
    const first = h.fake.pushUpdate(
      updates.callback(h.user(OFFICE.curator, "Ольга").tg, message, callbackData),
    );
    const second = h.fake.pushUpdate(
      updates.callback(h.user(OFFICE.curator2, "Светлана").tg, message, callbackData),
    );
    await Promise.all([h.bot.handleUpdate(first), h.bot.handleUpdate(second)]);
    expect(approvals()).toHaveLength(1);
    const answers = [first, second].map((u) => h.fake.callbackAnswer(u.callback_query?.id ?? "")?.text);
    expect(answers.filter((text) => String(text).startsWith("Уже согласовано"))).toHaveLength(1);
  });
});

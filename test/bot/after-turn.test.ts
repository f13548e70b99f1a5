/**
 * A press announces its change (pop-up, cards in three chats, notices) after its chat's turn: the
 * curators' next press need not wait for Telegram to take the first one's messages, and the first
 * still counts as handled only once they are all sent.
 */
import { and, eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { auditEvents, inbox } from "../../src/db/schema.js";
import { Harness } from "../support/bot-harness.js";
import { updates } from "../support/updates.js";
import { OFFICE, seedDraft, seedIncidentInWork, seedOffice } from "../support/workflow.js";

/** Long enough that a press waiting for it would be seen waiting. */
const SLOW = 700;

let h: Harness;
let first: number;
let second: number;

beforeEach(async () => {
  h = await Harness.start({ now: "2026-11-24T05:00:00Z" });
  const { health } = seedOffice(h);
  first = await seedIncidentInWork(h, health, { link: "https://vk.com/wall-1_1" });
  second = await seedIncidentInWork(h, health, { link: "https://vk.com/wall-1_2" });
  await seedDraft(h, first);
  await seedDraft(h, second);
});
afterEach(() => h.close());

/** A curator's «Согласовать» on the incident's card in the curators' chat. */
function approval(id: number) {
  const button = h.fake
    .buttons(OFFICE.curatorsChat)
    .find((b) => b.label === "Согласовать" && b.message.text?.startsWith(`Сообщение № ${id} `));
  if (!button?.callbackData) throw new Error(`no «Согласовать» for № ${id}`);
  return h.fake.pushUpdate(
    updates.callback(h.user(OFFICE.curator, "Ольга").tg, button.message, button.callbackData),
  );
}

/** Telegram takes the edits of this incident's cards slowly. */
function slowCardsOf(id: number) {
  h.fake.delayNext("editMessageText", SLOW, {
    times: 3,
    match: (params) => String(params.text).startsWith(`Сообщение № ${id} `),
  });
}

const running = async (handling: Promise<unknown>) =>
  Promise.race([handling.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), 50))]);

const popupOf = (update: { callback_query?: { id: string } }) =>
  h.fake.callbackAnswer(update.callback_query?.id ?? "")?.text;

const doneAt = (updateId: number) =>
  h.db.select({ doneAt: inbox.doneAt }).from(inbox).where(eq(inbox.updateId, updateId)).get()?.doneAt;

const cardText = (chatId: number, id: number) =>
  h.fake.messages(chatId).find((m) => m.text?.startsWith(`Сообщение № ${id} `))?.text;

describe("a press's announcements, after its chat's turn", () => {
  it("do not hold the curators' chat: the next press is approved and answered meanwhile", async () => {
    slowCardsOf(first);
    const firstPress = approval(first);
    const firstHandling = h.bot.handleUpdate(firstPress);
    const secondPress = approval(second);
    const started = Date.now();
    await h.bot.handleUpdate(secondPress);
    expect(Date.now() - started).toBeLessThan(SLOW);
    expect(popupOf(secondPress)).toBe("Ответ по сообщению № 2 согласован.");
    expect(cardText(OFFICE.curatorsChat, second)).toContain("Состояние: согласовано, ждёт размещения");
    expect(await running(firstHandling)).toBe(true);

    await firstHandling;
    expect(cardText(OFFICE.curatorsChat, first)).toContain("Состояние: согласовано, ждёт размещения");
    expect(popupOf(firstPress)).toBe("Ответ по сообщению № 1 согласован.");
  });

  it("keep the press unhandled until they are sent: a crash meanwhile has it handled again at start", async () => {
    slowCardsOf(first);
    const press = approval(first);
    const handling = h.bot.handleUpdate(press);
    expect(await running(handling)).toBe(true);
    expect(doneAt(press.update_id)).toBeNull();
    await handling;
    expect(doneAt(press.update_id)).not.toBeNull();
  });

  it("a press Telegram delivers twice meanwhile approves and announces once", async () => {
    slowCardsOf(first);
    const press = approval(first);
    await Promise.all([h.bot.handleUpdate(press), h.bot.handleUpdate(press)]);
    const approvals = h.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.entityId, String(first)), eq(auditEvents.action, "approve")))
      .all();
    expect(approvals).toHaveLength(1);
    const notices = h
      .texts(OFFICE.executor)
      .filter((text) => text.startsWith("Ответ по сообщению № 1 согласован"));
    expect(notices).toHaveLength(1);
    expect(h.fake.callsOf("answerCallbackQuery")).toHaveLength(1);
  });
});

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadIncident } from "../../src/app/incidents.js";
import { syncCards } from "../../src/bot/cards.js";
import { cards } from "../../src/db/schema.js";
import { Harness } from "../support/bot-harness.js";
import { seedOffice, seedRegistered } from "../support/workflow.js";

let h: Harness;

beforeEach(async () => {
  h = await Harness.start({ now: "2026-11-24T05:00:00Z" });
  seedOffice(h);
  seedRegistered(h, { text: "Нет света в подъезде.", author: null });
  await sync();
});
afterEach(() => h.close());

async function sync(): Promise<void> {
  const incident = loadIncident(h.db, 1);
  if (!incident) throw new Error("no incident");
  await syncCards(h.deps(), incident);
}

const cardMessage = (chatId: number) =>
  h.db
    .select()
    .from(cards)
    .all()
    .find((c) => c.chatId === chatId)?.messageId;

describe("cards", () => {
  it("are edited in place: the deadline line moves with the clock, no new message", async () => {
    const before = h.fake.messages(-200);
    expect(before).toHaveLength(1);
    expect(h.lastText(-200)).toMatch(/осталось 30 мин рабочего времени$/m);
    h.clock.advance(40 * 60_000);
    await sync();
    expect(h.fake.messages(-200)).toHaveLength(1);
    expect(h.lastText(-200)).toMatch(/просрочено на 10 мин рабочего времени$/m);
  });

  it("a card that can no longer be edited is sent afresh and remembered", async () => {
    const old = cardMessage(-200);
    h.fake.failNext("editMessageText", {
      error_code: 400,
      description: "Bad Request: message to edit not found",
    });
    h.clock.advance(5 * 60_000);
    await sync();
    const fresh = cardMessage(-200);
    expect(fresh).not.toBe(old);
    expect(h.fake.lastMessage(-200)?.message_id).toBe(fresh);
    expect(h.lastText(-200)).toMatch(/осталось 25 мин рабочего времени$/m);
  });

  it("«message is not modified» is not an error and sends nothing new", async () => {
    h.fake.failNext("editMessageText", {
      error_code: 400,
      description:
        "Bad Request: message is not modified: specified new message content and reply markup are exactly the same",
    });
    await sync();
    expect(h.fake.messages(-200)).toHaveLength(1);
    expect(h.fake.callsOf("sendMessage").filter((c) => c.params.chat_id === -200)).toHaveLength(1);
  });

  it("a chat that refuses (the bot was kicked) is logged, not thrown: the change is already made", async () => {
    h.fake.failNext("editMessageText", {
      error_code: 403,
      description: "Forbidden: bot was kicked from the group chat",
    });
    h.clock.advance(5 * 60_000);
    await expect(sync()).resolves.toBeUndefined();
    expect(h.lastText(-200)).toMatch(/осталось 30 мин рабочего времени$/m);
  });
});

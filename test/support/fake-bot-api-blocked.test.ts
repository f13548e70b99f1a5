import { Bot, GrammyError, InlineKeyboard } from "grammy";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeBotApi } from "./fake-bot-api.js";
import { privateChat, tgUser, updates } from "./updates.js";

const alice = tgUser(501, "Алиса", { username: "alice" });
const aliceChat = privateChat(alice);
const BLOCKED = "Forbidden: bot was blocked by the user";

let fake: FakeBotApi;
let bot: Bot;

beforeEach(async () => {
  fake = await FakeBotApi.start();
  bot = new Bot(fake.token, { client: { apiRoot: fake.apiRoot }, botInfo: fake.botInfo });
});

afterEach(() => fake.close());

/** The bot's message in Alice's chat, sent while she still took them; then she blocks the bot. */
async function sentThenBlocked(): Promise<number> {
  const sent = await bot.api.sendMessage(aliceChat.id, "Карточка", {
    reply_markup: new InlineKeyboard().text("Взять", "take"),
  });
  fake.pushUpdate(updates.myChatMember(aliceChat, alice, "member", "kicked"));
  return sent.message_id;
}

async function refusal(call: Promise<unknown>): Promise<{ code: number; description: string }> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof GrammyError)) throw new Error(`expected a GrammyError, got ${String(error)}`);
  return { code: error.error_code, description: error.description };
}

describe("FakeBotApi: a private chat whose user blocked the bot", () => {
  it("refuses edits, deletions and chat actions there with 403, as it refuses new messages", async () => {
    const id = await sentThenBlocked();
    const calls = [
      bot.api.sendMessage(aliceChat.id, "Ещё"),
      bot.api.editMessageText(aliceChat.id, id, "Изменено"),
      bot.api.editMessageReplyMarkup(aliceChat.id, id, { reply_markup: new InlineKeyboard() }),
      bot.api.deleteMessage(aliceChat.id, id),
      bot.api.sendChatAction(aliceChat.id, "typing"),
    ];
    for (const call of calls) expect(await refusal(call)).toEqual({ code: 403, description: BLOCKED });
    expect(fake.lastMessage(aliceChat.id)).toMatchObject({ text: "Карточка" });
  });

  it("still lets the bot read the chat", async () => {
    await sentThenBlocked();
    expect(await bot.api.getChat(aliceChat.id)).toMatchObject({ id: aliceChat.id, type: "private" });
  });

  it("takes edits again once the user unblocks the bot", async () => {
    const id = await sentThenBlocked();
    fake.pushUpdate(updates.myChatMember(aliceChat, alice, "kicked", "member"));
    await bot.api.editMessageText(aliceChat.id, id, "Изменено");
    expect(fake.lastMessage(aliceChat.id)?.text).toBe("Изменено");
  });
});

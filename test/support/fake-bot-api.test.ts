import { Bot, GrammyError, HttpError, InlineKeyboard, InputFile } from "grammy";
import type { Update } from "grammy/types";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeBotApi } from "./fake-bot-api.js";
import { parseHtml, parseMarkdownV2 } from "./tg-format.js";
import { groupChat, privateChat, tgUser, updates } from "./updates.js";

const alice = tgUser(501, "Алиса", { username: "alice" });
const aliceChat = privateChat(alice);

let fake: FakeBotApi;
let bot: Bot;

beforeEach(async () => {
  fake = await FakeBotApi.start();
  bot = new Bot(fake.token, { client: { apiRoot: fake.apiRoot }, botInfo: fake.botInfo });
});

afterEach(async () => {
  if (bot.isRunning()) await bot.stop();
  await fake.close();
});

describe("FakeBotApi", () => {
  it("answers getMe and rejects unknown tokens with 404", async () => {
    expect(await bot.api.getMe()).toMatchObject({ id: 999000, is_bot: true, username: "osm_test_bot" });
    const res = await fetch(`${fake.apiRoot}/bot1:wrong/getMe`, { method: "POST" });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ ok: false, error_code: 404, description: "Not Found" });
  });

  it("refuses a keyboard of more than 100 buttons, as Telegram does, and sends nothing", async () => {
    const keyboard = (buttons: number) => {
      const k = new InlineKeyboard();
      for (let i = 1; i <= buttons; i++) k.text(`№ ${i}`, `open:${i}`).row();
      return k;
    };
    await bot.api.sendMessage(aliceChat.id, "Сто", { reply_markup: keyboard(100) });
    await expect(
      bot.api.sendMessage(aliceChat.id, "Сто одна", { reply_markup: keyboard(101) }),
    ).rejects.toThrow("Bad Request: reply markup is too long");
    expect(fake.messages(aliceChat.id).map((m) => m.text)).toEqual(["Сто"]);
  });

  it("stores sent messages and applies editMessageText; 'not modified' surfaces as GrammyError 400", async () => {
    const sent = await bot.api.sendMessage(aliceChat.id, "<b>Привет</b>, мир", {
      parse_mode: "HTML",
      reply_markup: new InlineKeyboard().text("Да", "yes").text("Нет", "no"),
    });
    expect(sent.text).toBe("Привет, мир");
    expect(sent.entities).toEqual([{ type: "bold", offset: 0, length: 6 }]);
    expect(fake.lastMessage(aliceChat.id)?.reply_markup).toEqual({
      inline_keyboard: [
        [
          { text: "Да", callback_data: "yes" },
          { text: "Нет", callback_data: "no" },
        ],
      ],
    });

    const edited = await bot.api.editMessageText(aliceChat.id, sent.message_id, "Готово");
    expect(edited).toMatchObject({ message_id: sent.message_id, text: "Готово" });
    const stored = fake.lastMessage(aliceChat.id);
    expect(stored?.text).toBe("Готово");
    expect(stored?.reply_markup).toBeUndefined(); // editing without reply_markup drops the keyboard, like Telegram
    expect(stored?.edit_date).toBeTypeOf("number");

    const err = await bot.api
      .editMessageText(aliceChat.id, sent.message_id, "Готово")
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GrammyError);
    expect((err as GrammyError).error_code).toBe(400);
    expect((err as GrammyError).description).toMatch(/^Bad Request: message is not modified/);
    await expect(bot.api.editMessageText(aliceChat.id, 424242, "x")).rejects.toThrow(
      "message to edit not found",
    );
    await expect(bot.api.sendMessage(aliceChat.id, "<b>oops", { parse_mode: "HTML" })).rejects.toThrow(
      "can't parse entities",
    );

    await bot.api.deleteMessage(aliceChat.id, sent.message_id);
    expect(fake.messages(aliceChat.id)).toEqual([]);
    expect(fake.callsOf("sendMessage")).toHaveLength(2);
  });

  it("plays scripted errors in order: 429 then success; drops and 502 become HttpError", async () => {
    fake.failNext("sendMessage", {
      error_code: 429,
      description: "Too Many Requests: retry after 1",
      parameters: { retry_after: 1 },
    });
    const err = await bot.api.sendMessage(aliceChat.id, "раз").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GrammyError);
    expect((err as GrammyError).error_code).toBe(429);
    expect((err as GrammyError).parameters.retry_after).toBe(1);
    await expect(bot.api.sendMessage(aliceChat.id, "раз")).resolves.toMatchObject({ text: "раз" });
    expect(fake.callsOf("sendMessage").map((c) => c.response.ok)).toEqual([false, true]);
    expect(fake.messages(aliceChat.id)).toHaveLength(1);

    fake.failNext(
      "sendMessage",
      { error_code: 403, description: "Forbidden: bot was blocked by the user" },
      { match: (p) => p.chat_id === 777 },
    );
    await expect(bot.api.sendMessage(aliceChat.id, "ok")).resolves.toBeDefined();
    await expect(bot.api.sendMessage(777, "blocked")).rejects.toThrow("bot was blocked by the user");

    fake.dropNext("sendChatAction");
    await expect(bot.api.sendChatAction(aliceChat.id, "typing")).rejects.toBeInstanceOf(HttpError);
    fake.httpErrorNext("sendChatAction");
    await expect(bot.api.sendChatAction(aliceChat.id, "typing")).rejects.toBeInstanceOf(HttpError);
    await expect(bot.api.sendChatAction(aliceChat.id, "typing")).resolves.toBe(true);
  });

  it("delivers pushed updates via long polling and confirms them by offset", async () => {
    const seen: string[] = [];
    bot.command("start", async (ctx) => {
      seen.push(ctx.match);
      await ctx.reply(`Привет, ${ctx.from?.first_name}!`);
    });
    void bot.start({ drop_pending_updates: false, timeout: 5 });
    await fake.waitForPolling();
    const since = fake.mark();
    fake.pushUpdate(updates.text(aliceChat, alice, "/start abc"));
    const reply = await fake.waitForCall("sendMessage", undefined, { since });
    expect(reply.params).toMatchObject({ chat_id: aliceChat.id, text: "Привет, Алиса!" });
    expect(seen).toEqual(["abc"]);
    await bot.stop();
    expect(fake.pendingUpdates()).toBe(0);

    const pushed = fake.pushUpdate(updates.text(aliceChat, alice, "ещё"));
    expect(fake.pendingUpdates()).toBe(1);
    const batch: Update[] = await bot.api.getUpdates({ offset: 0, timeout: 0 });
    expect(batch.map((u) => u.update_id)).toEqual([pushed.update_id]);
    await bot.api.getUpdates({ offset: pushed.update_id + 1, timeout: 0 });
    expect(fake.pendingUpdates()).toBe(0);
  });

  it("parses multipart uploads (InputFile) and serves uploaded files via getFile + download", async () => {
    const csv = "id;текст\n1;привет\n";
    const msg = await bot.api.sendDocument(aliceChat.id, new InputFile(Buffer.from(csv), "отчёт 1.csv"), {
      caption: "Выгрузка",
      reply_markup: new InlineKeyboard().text("Ещё", "more"),
    });
    const call = fake.callsOf("sendDocument")[0];
    expect(call?.files).toMatchObject([
      { field: "document", filename: "отчёт 1.csv", size: Buffer.byteLength(csv) },
    ]);
    expect(call?.files[0]?.data.toString()).toBe(csv);
    expect(call?.params.reply_markup).toEqual({
      inline_keyboard: [[{ text: "Ещё", callback_data: "more" }]],
    });
    expect(msg.document).toMatchObject({ file_name: "отчёт 1.csv", mime_type: "text/csv" });

    const file = await bot.api.getFile(msg.document?.file_id ?? "");
    const res = await fetch(`${fake.apiRoot}/file/bot${fake.token}/${file.file_path}`);
    expect(await res.text()).toBe(csv);

    // A user's upload: addFile → update → bot downloads it.
    const ref = fake.addFile("PDF-1.4 fake", "scan.pdf");
    const update = fake.pushUpdate(updates.document(aliceChat, alice, ref, "scan.pdf", "application/pdf"));
    const info = await bot.api.getFile(update.message?.document?.file_id ?? "");
    expect(info).toMatchObject({ file_id: ref.file_id, file_size: ref.file_size });
    const body = await fetch(`${fake.apiRoot}/file/bot${fake.token}/${info.file_path}`);
    expect(await body.text()).toBe("PDF-1.4 fake");
    expect((await fetch(`${fake.apiRoot}/file/bot${fake.token}/documents/nope.pdf`)).status).toBe(404);
    await expect(bot.api.getFile("bogus")).rejects.toThrow("invalid file_id");
  });

  it("finds inline buttons, and a pressed button reaches the bot as callback_query", async () => {
    const group = groupChat(-4001, "Рабочая группа");
    fake.addChat(group);
    await bot.api.sendMessage(group.id, "Сообщение №1", {
      reply_markup: new InlineKeyboard()
        .text("Взять в работу", "take:1")
        .url("Источник", "https://example.org"),
    });
    expect(fake.findButton(group.id, /в работу/)).toMatchObject({ callbackData: "take:1" });
    expect(() => fake.findButton(group.id, "Отклонить")).toThrow(/Available: "Взять в работу", "Источник"/);

    bot.callbackQuery(/^take:(\d+)$/, async (ctx) => {
      await ctx.answerCallbackQuery("Взято");
      await ctx.editMessageReplyMarkup();
    });
    const since = fake.mark();
    const u = fake.clickButton(group.id, "Взять в работу", alice);
    await bot.handleUpdate(u);
    expect(fake.callbackAnswer(u.callback_query?.id ?? "")).toMatchObject({ text: "Взято" });
    await fake.waitForCall("editMessageReplyMarkup", undefined, { since });
    expect(fake.lastMessage(group.id)?.reply_markup).toBeUndefined();
  });

  it("tracks membership, migration and commands", async () => {
    const group = groupChat(-4002, "Старая группа");
    expect(await bot.api.getChatMember(group.id, fake.botUser.id)).toMatchObject({ status: "administrator" });
    fake.pushUpdate(updates.migrateToChat(group, alice, -1009876543210));
    const err = await bot.api.sendMessage(group.id, "x").catch((e: unknown) => e);
    expect((err as GrammyError).parameters.migrate_to_chat_id).toBe(-1009876543210);
    fake.pushUpdate(updates.myChatMember(aliceChat, alice, "member", "kicked"));
    await expect(bot.api.sendMessage(aliceChat.id, "x")).rejects.toThrow(
      "Forbidden: bot was blocked by the user",
    );

    await bot.api.setMyCommands([{ command: "start", description: "Начать" }], {
      scope: { type: "all_private_chats" },
    });
    expect(await bot.api.getMyCommands({ scope: { type: "all_private_chats" } })).toHaveLength(1);
    expect(await bot.api.getMyCommands()).toEqual([]);
    await expect(fake.waitForCall("leaveChat", undefined, { timeoutMs: 50 })).rejects.toThrow(
      /setMyCommands/,
    );
  });

  it("sends media groups and copies/forwards users' messages", async () => {
    const photo = fake.addFile("jpeg-bytes", "photo.jpg", { kind: "photo" });
    const incoming = fake.pushUpdate(updates.photo(aliceChat, alice, photo, "Фото с места"));
    const group = groupChat(-1001234567890, "Архив");
    const sent = await bot.api.sendMediaGroup(group.id, [
      { type: "photo", media: incoming.message?.photo?.at(-1)?.file_id ?? "", caption: "Первое" },
      { type: "photo", media: new InputFile(Buffer.from("png-bytes"), "chart.png") },
    ]);
    expect(sent).toHaveLength(2);
    const stored = fake.messages(group.id);
    expect(stored.map((m) => m.media?.type)).toEqual(["photo", "photo"]);
    expect(stored[0]?.media_group_id).toBe(stored[1]?.media_group_id);
    expect(stored[0]?.caption).toBe("Первое");
    expect(fake.callsOf("sendMediaGroup")[0]?.files).toMatchObject([
      { field: "media[1].media", filename: "chart.png" },
    ]);

    const copy = await bot.api.copyMessage(group.id, aliceChat.id, incoming.message?.message_id ?? 0, {
      caption: "<i>Копия</i>",
      parse_mode: "HTML",
    });
    expect(fake.lastMessage(group.id)).toMatchObject({ message_id: copy.message_id, caption: "Копия" });
    const fwd = await bot.api.forwardMessage(group.id, aliceChat.id, incoming.message?.message_id ?? 0);
    expect(fwd.forward_origin).toMatchObject({ type: "user", sender_user: { id: alice.id } });
    await expect(bot.api.forwardMessage(group.id, aliceChat.id, 99999)).rejects.toThrow(
      "message to forward not found",
    );
    await expect(bot.api.sendPhoto(group.id, "no-such-file-id")).rejects.toThrow("wrong file identifier");
  });

  it("parses HTML and MarkdownV2 like Telegram", () => {
    expect(parseHtml('<a href="https://x.ru">ссылка</a> &lt;3')).toEqual({
      text: "ссылка <3",
      entities: [{ type: "text_link", offset: 0, length: 6, url: "https://x.ru" }],
    });
    expect(parseMarkdownV2("*жирный* \\. _курсив_")).toEqual({
      text: "жирный . курсив",
      entities: [
        { type: "bold", offset: 0, length: 6 },
        { type: "italic", offset: 9, length: 6 },
      ],
    });
    expect(() => parseMarkdownV2("Итого: 5.")).toThrow("Character '.' is reserved");
  });
});

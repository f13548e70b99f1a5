import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { latestDrafts, loadDraftWork, publishAnswer, requestRework } from "../../src/app/answers.js";
import { unbindChat } from "../../src/app/chats.js";
import { closeUnanswered, routeIncident } from "../../src/app/incidents.js";
import { findPerson, grantRole, isBlocked } from "../../src/app/people.js";
import { roleGrants } from "../../src/db/schema.js";
import { Harness, type HarnessOptions, type TestUser } from "../support/bot-harness.js";
import { type FileRef, messageUpdate, updates } from "../support/updates.js";
import {
  OFFICE,
  seedDraft,
  seedIncidentInWork,
  seedOffice,
  seedRegistered,
  showCards,
} from "../support/workflow.js";

/** Tuesday 24.11.2026 10:00 in Yekaterinburg (Orenburg preset). */
const TUESDAY_10 = "2026-11-24T05:00:00Z";
const ANSWER = "Здравствуйте! Снег во дворе на Ленина, 5 вывезут до пятницы.";

let h: Harness;
let health: number;
let executor: TestUser;

async function office(options: HarnessOptions = {}): Promise<number> {
  h = await Harness.start({ now: TUESDAY_10, ...options });
  ({ health } = seedOffice(h));
  executor = h.user(OFFICE.executor, "Иван");
  return seedIncidentInWork(h, health);
}

afterEach(async () => {
  await h?.close();
});

const healthChat = () => h.group(OFFICE.healthChat, "Минздрав: обращения");

function person(telegramId: number) {
  const found = findPerson(h.db, telegramId);
  if (!found) throw new Error(`no person ${telegramId}`);
  return found;
}

function photoFile(name: string): FileRef {
  return h.fake.addFile(`jpeg ${name}`, name, { kind: "photo" });
}

async function sendPhoto(user: TestUser, name: string, album?: string): Promise<void> {
  await h.deliver(updates.photo(user.chat, user.tg, photoFile(name), undefined, album));
}

async function sendAlbum(user: TestUser, count: number, album = "album-1"): Promise<void> {
  for (let i = 1; i <= count; i++) await sendPhoto(user, `${album}-${i}.jpg`, album);
}

/** The albums sent to a chat, as the number of items in each. */
function albumSizes(chatId: number): number[] {
  return h.fake
    .callsOf("sendMediaGroup")
    .filter((call) => Number(call.params.chat_id) === chatId)
    .map((call) => {
      const media = call.params.media;
      return (typeof media === "string" ? JSON.parse(media) : media).length;
    });
}

/** The draft the curators got: the message with «Согласовать» that is not the card. */
function curatorsDraft(chatId: number = OFFICE.curatorsChat) {
  return h.fake.messages(chatId).filter((m) => m.text?.startsWith("Проект ") ?? false);
}

function buttonsOf(message: { reply_markup?: Record<string, unknown> }): string[] {
  const rows = (message.reply_markup?.inline_keyboard ?? []) as { text: string; callback_data?: string }[][];
  return rows.flat().map((b) => `${b.text}=${b.callback_data}`);
}

/** From the card in the private chat to the preview of a text-only draft. */
async function writeDraft(text = ANSWER): Promise<void> {
  await executor.press("Подготовить ответ");
  await executor.send(text);
  await executor.press("Готово");
}

const FINAL = `${ANSWER} Ремонт кровли закончен 02.12.2026.`;

/**
 * Orenburg: the answer's draft (a text and 3 photos) returned with «give an interim answer», which
 * is approved and posted on Tuesday 24.11; nine days later, Thursday 03.12, the final answer is due.
 */
async function answerReturnedThenInterimPosted(): Promise<number> {
  const id = await office();
  await executor.press("Подготовить ответ");
  await executor.send(ANSWER);
  for (const name of ["roof-1.jpg", "roof-2.jpg", "roof-3.jpg"]) await sendPhoto(executor, name);
  await executor.press("Готово");
  await executor.press("Отправить на согласование");
  returnedForRework(id, "Ремонт может затянуться — дайте промежуточный ответ, окончательный потом.");
  await seedDraft(h, id, { purpose: "interim", text: "Разбираемся, ответим до 03.12.", approve: true });
  await executor.press("Размещено");
  await executor.send("https://vk.com/wall-1_1?reply=2");
  h.clock.set("2026-12-03T05:00:00Z");
  await showCards(h, id);
  return id;
}

/** The executor's draft of the answer, sent and returned by the curator with this comment. */
function returnedForRework(id: number, comment: string): void {
  const returned = requestRework(h.db, {
    incidentId: id,
    actor: person(OFFICE.curator),
    now: h.clock.now(),
    comment,
  });
  if (!returned.ok) throw new Error(`not returned: ${returned.refusal}`);
}

describe("preparing a draft answer", () => {
  it("the only curator's own draft: he is told nobody can approve it, and the admins to invite a curator", async () => {
    const id = await office({ adminIds: [1001] });
    h.seedPerson(1001, "Анна", ["admin"]);
    // The executor is the office's only curator now.
    h.db.delete(roleGrants).where(eq(roleGrants.role, "curator")).run();
    h.seedPerson(OFFICE.executor, "Иван", ["curator"], [health]);
    await executor.press("Подготовить ответ");
    await executor.send(ANSWER);
    await executor.press("Готово");
    await executor.press("Отправить на согласование");
    expect(executor.lastText()).toBe(
      `Проект отправлен на согласование: сообщение № ${id}. Спасибо!\n` +
        "Но согласовать собственный проект нельзя, а других кураторов нет. Администратор извещён: нужен ещё один куратор.",
    );
    expect(h.lastText(1001)).toBe(
      `Автор проекта по сообщению № ${id} — Иван, единственный куратор. Согласовать собственный проект нельзя: ` +
        "пригласите ещё одного куратора (/invite → «Куратор»).",
    );
  });

  it("a draft sent after the answer deadline: the executor is told when the curator decides, and that the answer is late", async () => {
    for (const [regulation, start, late, decided, missed] of [
      // Orenburg: the answer 9 working hours from detection (p.8), the decision in 30 minutes (p.10).
      ["orenburg", TUESDAY_10, "2026-11-25T06:30:00Z", "25.11.2026 12:00", "25.11.2026 11:00"],
      // Georgievsk: the answer 4 working hours from routing (p.16), the decision in 30 minutes (p.12, 13).
      ["georgievsk", "2026-11-24T07:00:00Z", "2026-11-24T12:30:00Z", "24.11.2026 16:00", "24.11.2026 15:00"],
    ] as const) {
      if (regulation === "georgievsk") await h.close();
      const id = await office({ regulation, now: start });
      h.clock.set(late);
      await writeDraft();
      await executor.press("Отправить на согласование");
      expect(executor.lastText()).toBe(
        `Проект отправлен на согласование: сообщение № ${id}. Спасибо!\n` +
          `Куратор рассмотрит его до ${decided}. Срок ответа истёк ${missed}: после согласования разместите его сразу.`,
      );
    }
  });

  it("sends a text-only draft from the private chat to the curators' chat with the decision buttons", async () => {
    const id = await office();
    await executor.press("Подготовить ответ");
    expect(executor.lastText()).toBe(
      `Сообщение № ${id}: пришлите текст ответа одним сообщением (до 4096 символов). Отмена — /cancel.`,
    );
    await executor.send(ANSWER);
    expect(executor.lastText()).toBe(
      "Пришлите фото, видео или документы (можно альбомом) или нажмите «Готово».",
    );
    await executor.press("Готово");
    const header = `Проект ответа по сообщению № ${id} (исполнитель: Иван, Министерство здравоохранения)`;
    expect(executor.lastText()).toBe(`Предпросмотр: так проект увидят кураторы.\n\n${header}\n\n${ANSWER}`);
    await executor.press("Отправить на согласование");

    expect(executor.lastText()).toMatch(
      new RegExp(
        `^Проект отправлен на согласование: сообщение № ${id}\\. Спасибо!\\nКуратор рассмотрит его до 24\\.11\\.2026 10:30\\.$`,
      ),
    );
    const [draft, ...more] = curatorsDraft();
    expect(more).toEqual([]);
    expect(draft?.text).toBe(`${header}\n\n${ANSWER}`);
    expect(buttonsOf(draft ?? {})).toEqual([`Согласовать=inc.ok:${id}:1`, `На доработку=inc.rework:${id}:1`]);
    const card = h.texts(OFFICE.curatorsChat).find((text) => text.startsWith(`Сообщение № ${id}`));
    expect(card).toContain("Состояние: на согласовании");
    expect(card).toMatch(/Срок: 24\.11\.2026 10:30 — согласовать или вернуть на доработку/);
    expect(loadDraftWork(h.db, id, person(OFFICE.executor).id, "answer")).toBeUndefined();
  });

  it("a significant post's draft sent on a holiday rings for the curators; another post's comes quietly", async () => {
    // Saturday 02.01.2027 10:00 in Yekaterinburg: the New Year holidays.
    const HOLIDAY = "2027-01-02T05:00:00Z";
    const sound = (id: number) =>
      h.fake.calls
        .filter((c) => c.method.startsWith("send") && Number(c.params.chat_id) === OFFICE.curatorsChat)
        .filter(
          (c) =>
            String(c.params.text ?? c.params.caption).includes(`проекту ответа по сообщению № ${id}`) ||
            String(c.params.text).startsWith(`Проект ответа по сообщению № ${id}`),
        )
        .map((c) => [c.method, c.params.disable_notification]);

    await h?.close();
    h = await Harness.start({ now: HOLIDAY });
    ({ health } = seedOffice(h));
    executor = h.user(OFFICE.executor, "Иван");
    const significant = await seedIncidentInWork(h, health, { importance: "significant" });
    await executor.press("Подготовить ответ");
    await executor.send(ANSWER);
    await sendPhoto(executor, "hospital.jpg");
    await executor.press("Готово");
    await executor.press("Отправить на согласование");
    // The photo quietly, then the draft with «Согласовать | На доработку», which rings.
    expect(sound(significant)).toEqual([
      ["sendPhoto", true],
      ["sendMessage", false],
    ]);

    const normal = await seedIncidentInWork(h, health, { link: "https://vk.com/wall-1_2" });
    await executor.press("Подготовить ответ");
    await executor.send(ANSWER);
    await executor.press("Готово");
    await executor.press("Отправить на согласование");
    expect(sound(normal)).toEqual([["sendMessage", true]]);
  });

  it("a curator writing his own answer who forwards a channel's post gets it to register, not in the draft", async () => {
    const id = await office();
    grantRole(h.db, person(OFFICE.executor).id, "curator", null, h.clock.now());
    await executor.press("Подготовить ответ");
    await h.deliver(
      updates.forwarded(executor.chat, executor.tg, "В парке сломаны качели", {
        type: "channel",
        chat: { id: -1009, type: "channel", title: "Город", username: "city_news" },
        message_id: 77,
      }),
    );
    const said = h.texts(OFFICE.executor).slice(-2);
    expect(said[0]).toBe(
      "Пересланный пост не добавлен в проект ответа — ниже его можно зарегистрировать. Проект остаётся открытым: продолжайте, когда будете готовы.",
    );
    expect(said[1]).toMatch(/^Распознано сообщение:\nTelegram: https:\/\/t\.me\/city_news\/77\n/);
    await executor.press("Зарегистрировать");
    expect(executor.lastText()).toMatch(/^Сообщение № 2 · Telegram/);
    // The draft goes on where it was: the text is still asked for.
    await executor.send(ANSWER);
    expect(executor.lastText()).toBe(
      "Пришлите фото, видео или документы (можно альбомом) или нажмите «Готово».",
    );
    await executor.press("Готово");
    expect(executor.lastText()).toContain(ANSWER);
    expect(executor.lastText()).toContain(`Проект ответа по сообщению № ${id}`);
  });

  it("a curator asked for the answer's link who forwards a channel's post gets it to register; the question stays", async () => {
    const id = await office();
    grantRole(h.db, person(OFFICE.executor).id, "curator", null, h.clock.now());
    await seedDraft(h, id, { approve: true });
    await executor.press("Размещено");
    await h.deliver(
      updates.forwarded(executor.chat, executor.tg, "В парке сломаны качели", {
        type: "channel",
        chat: { id: -1009, type: "channel", title: "Город", username: "city_news" },
        message_id: 77,
      }),
    );
    const said = h.texts(OFFICE.executor).slice(-2);
    expect(said[0]).toBe(
      "Пересланный пост не принят как ссылка на ответ — ниже его можно зарегистрировать. " +
        "Вопрос о ссылке остаётся открытым: пришлите её, когда ответ будет размещён.",
    );
    expect(said[1]).toMatch(/^Распознано сообщение:\nTelegram: https:\/\/t\.me\/city_news\/77\n/);
    await executor.send("https://vk.com/wall-1_1?reply=5");
    expect(executor.lastText()).toBe("Ответ по сообщению № 1 размещён в срок. Спасибо!");
  });

  it("an executor who is no curator forwarding a channel's post into his draft has it taken as ever", async () => {
    await office();
    await executor.press("Подготовить ответ");
    await h.deliver(
      updates.forwarded(executor.chat, executor.tg, ANSWER, {
        type: "channel",
        chat: { id: -1009, type: "channel", title: "Минздрав", username: "minzdrav" },
        message_id: 5,
      }),
    );
    expect(executor.lastText()).toBe(
      "Пришлите фото, видео или документы (можно альбомом) или нажмите «Готово».",
    );
  });

  it("moves the dialogue to the private chat when the button is pressed in the work chat", async () => {
    const id = await office();
    const before = h.texts(OFFICE.healthChat);
    const popup = await executor.press("Подготовить ответ", healthChat());
    expect(popup).toBe("Продолжим в личном чате с ботом.");
    expect(h.texts(OFFICE.healthChat)).toEqual(before);
    expect(executor.lastText()).toBe(`Сообщение № ${id}: подготовим проект ответа здесь. Нажмите «Начать».`);
    // Typed at once, before «Начать»: pointed to the button, not «не удалось разобрать».
    await executor.send("Здравствуйте! Снег вывезут до пятницы.");
    expect(executor.lastText()).toBe(
      `Чтобы подготовить проект ответа по сообщению № ${id}, сначала нажмите «Начать», затем пришлите текст и фото.`,
    );
    await executor.press("Начать");
    expect(executor.lastText()).toMatch(/^Сообщение № 1: пришлите текст ответа/);
  });

  it("a link question open privately takes its link though «Начать» of another post waits", async () => {
    const one = await office();
    await seedDraft(h, one, { approve: true });
    const two = await seedIncidentInWork(h, health, { link: "https://vk.com/wall-1_2" });
    const firstCard = h.fake
      .messages(OFFICE.executor)
      .find((m) => m.text?.startsWith(`Сообщение № ${one} · `));
    if (!firstCard) throw new Error("no card");
    await h.deliver(updates.callback(executor.tg, firstCard, `inc.pub:${one}`));
    expect(executor.lastText()).toMatch(/пришлите ссылку на размещённый ответ/);
    const secondCard = h.fake
      .messages(OFFICE.healthChat)
      .find((m) => m.text?.startsWith(`Сообщение № ${two} · `));
    if (!secondCard) throw new Error("no card");
    await h.deliver(updates.callback(executor.tg, secondCard, `inc.draft:${two}`));
    expect(executor.lastText()).toMatch(/Нажмите «Начать»\.$/);
    await executor.send("https://vk.com/wall-1_1?reply=9");
    expect(executor.lastText()).toBe("Ответ по сообщению № 1 размещён в срок. Спасибо!");
  });

  it("a draft dialogue of another post left open does not take the text typed after «Подготовить ответ» in the work chat", async () => {
    const one = await office();
    await executor.press("Подготовить ответ");
    expect(executor.lastText()).toMatch(/^Сообщение № 1: пришлите текст ответа/);
    const two = await seedIncidentInWork(h, health, { link: "https://vk.com/wall-1_2" });
    await executor.press("Подготовить ответ", healthChat());
    // A look at a post's history privately meanwhile opens no dialogue: the offer still stands.
    const shown = h.fake.lastMessage(OFFICE.executor);
    if (!shown) throw new Error("no message");
    await h.deliver(updates.callback(executor.tg, shown, `inc.hist:${one}`));
    await executor.send(ANSWER);
    expect(executor.lastText()).toBe(
      `Чтобы подготовить проект ответа по сообщению № ${two}, сначала нажмите «Начать», затем пришлите текст и фото.`,
    );
    expect(loadDraftWork(h.db, one, person(OFFICE.executor).id, "answer")).toBeUndefined();
    await executor.press("Начать");
    await executor.send(ANSWER);
    expect(loadDraftWork(h.db, two, person(OFFICE.executor).id, "answer")?.text).toBe(ANSWER);
    expect(loadDraftWork(h.db, one, person(OFFICE.executor).id, "answer")).toBeUndefined();
  });

  it("a restart keeps the «Начать» offered: the text typed after it is not taken by another post's draft left open", async () => {
    const dir = mkdtempSync(join(tmpdir(), "drafts-"));
    const databasePath = join(dir, "bot.db");
    try {
      const one = await office({ databasePath });
      await executor.press("Подготовить ответ");
      const two = await seedIncidentInWork(h, health, { link: "https://vk.com/wall-1_2" });
      await executor.press("Подготовить ответ", healthChat());
      expect(executor.lastText()).toMatch(/Нажмите «Начать»\.$/);
      await h.close();

      h = await Harness.start({ now: TUESDAY_10, databasePath });
      executor = h.user(OFFICE.executor, "Иван");
      await executor.send(ANSWER);
      expect(executor.lastText()).toBe(
        `Чтобы подготовить проект ответа по сообщению № ${two}, сначала нажмите «Начать», затем пришлите текст и фото.`,
      );
      expect(loadDraftWork(h.db, one, person(OFFICE.executor).id, "answer")).toBeUndefined();
      await executor.press("Начать");
      await executor.send(ANSWER);
      expect(loadDraftWork(h.db, two, person(OFFICE.executor).id, "answer")?.text).toBe(ANSWER);
    } finally {
      await h.close();
      h = undefined as unknown as Harness;
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a dialogue opened privately after «Начать» was offered takes its own answers: the offer is forgotten", async () => {
    const one = await office();
    await seedDraft(h, one, { approve: true });
    const two = await seedIncidentInWork(h, health, { link: "https://vk.com/wall-1_2" });
    await executor.press("Подготовить ответ", healthChat());
    expect(executor.lastText()).toBe(`Сообщение № ${two}: подготовим проект ответа здесь. Нажмите «Начать».`);
    // The executor posts № 1's approved answer first, from its card in the private chat.
    await executor.send(`/find ${one}`);
    await executor.press("Размещено");
    await executor.send("https://vk.com/wall-1_1?reply=5");
    expect(executor.lastText()).toBe(`Ответ по сообщению № ${one} размещён в срок. Спасибо!`);
  });

  it("a command after «Начать» was offered forgets the offer: /new's dialogue takes the link typed next", async () => {
    const id = await office();
    grantRole(h.db, person(OFFICE.executor).id, "curator", null, h.clock.now());
    await executor.press("Подготовить ответ", healthChat());
    expect(executor.lastText()).toBe(`Сообщение № ${id}: подготовим проект ответа здесь. Нажмите «Начать».`);
    await executor.send("/new");
    await executor.send("https://vk.com/wall-1_9");
    expect(executor.lastText()).toBe(
      "Пришлите текст сообщения (можно скопировать из поста) или нажмите «Нет текста».",
    );
  });

  it("refuses someone who is not the lead executor, and nothing changes", async () => {
    const id = await office();
    const curator = h.user(OFFICE.curator, "Ольга");
    const popup = await curator.press("Подготовить ответ", healthChat());
    expect(popup).toBe(
      `Проект ответа по сообщению № ${id} готовит исполнитель органа, который взял его в работу.`,
    );
    expect(curator.texts()).toEqual([]);
  });

  it("asks again for a text over 4096 characters, saying the limit and its length", async () => {
    await office();
    await executor.press("Подготовить ответ");
    await executor.send("а".repeat(4100));
    expect(executor.lastText()).toBe(
      "Текст длиннее 4096 символов (сейчас 4100). Сократите его и пришлите ещё раз.",
    );
    await executor.send(ANSWER);
    expect(executor.lastText()).toMatch(/^Пришлите фото, видео или документы/);
  });

  it("explains what can be attached when a sticker or a voice note comes", async () => {
    await office();
    await executor.press("Подготовить ответ");
    await executor.send(ANSWER);
    const sticker = {
      file_id: "CAACsticker",
      file_unique_id: "st1",
      type: "regular",
      width: 512,
      height: 512,
    };
    await h.deliver(
      messageUpdate(executor.chat, executor.tg, {
        sticker: { ...sticker, is_animated: false, is_video: false },
      } as never),
    );
    const explanation =
      "Это нельзя приложить к проекту. Можно: фото, видео, GIF-анимации и документы. " +
      "Стикеры, голосовые, видеосообщения, геопозицию и контакты — нельзя.";
    expect(executor.lastText()).toBe(explanation);
    await h.deliver(
      messageUpdate(executor.chat, executor.tg, {
        voice: { file_id: "AwACvoice", file_unique_id: "v1", duration: 3 },
      } as never),
    );
    expect(executor.lastText()).toBe(explanation);
    await executor.press("Готово");
    expect(executor.lastText()).toMatch(/^Предпросмотр/);
  });
});

describe("attachments and albums", () => {
  it("collects an album of 3 photos as one, and the curators get one album of 3, then the text", async () => {
    const id = await office();
    await executor.press("Подготовить ответ");
    await executor.send(ANSWER);
    await sendAlbum(executor, 3);
    const confirmations = executor.texts().filter((text) => text.startsWith("Альбом получен"));
    expect(confirmations).toEqual(["Альбом получен: 3 вложения (всего 3). Ещё — или нажмите «Готово»."]);
    await executor.press("Готово");
    expect(albumSizes(OFFICE.executor)).toEqual([3]);
    await executor.press("Отправить на согласование");

    expect(albumSizes(OFFICE.curatorsChat)).toEqual([3]);
    const messages = h.fake.messages(OFFICE.curatorsChat);
    const firstPhoto = messages.findIndex((m) => m.media?.type === "photo");
    const text = messages.findIndex((m) => m.text?.startsWith(`Проект ответа по сообщению № ${id}`));
    expect(firstPhoto).toBeGreaterThanOrEqual(0);
    expect(text).toBe(firstPhoto + 3);
    expect(messages[text]?.text).toContain(ANSWER);
  });

  it("an album sent first with its caption: the caption is the text, every photo is kept, one reply", async () => {
    const id = await office();
    await executor.press("Подготовить ответ");
    const mark = h.fake.mark();
    await h.deliver(updates.photo(executor.chat, executor.tg, photoFile("a-1.jpg"), ANSWER, "album-c"));
    await sendPhoto(executor, "a-2.jpg", "album-c");
    await sendPhoto(executor, "a-3.jpg", "album-c");
    const replies = h.fake.calls
      .slice(mark)
      .filter((call) => call.method === "sendMessage" || call.method === "editMessageText")
      .map((call) => call.params.text);
    expect(replies).toEqual([
      "Сейчас 1 вложение. Пришлите фото, видео или документы (можно альбомом) или нажмите «Готово».",
      "Альбом получен: 2 вложения (всего 2). Ещё — или нажмите «Готово».",
      "Альбом получен: 3 вложения (всего 3). Ещё — или нажмите «Готово».",
    ]);
    await executor.press("Готово");
    expect(albumSizes(OFFICE.executor)).toEqual([3]);
    expect(executor.lastText()).toContain(`Проект ответа по сообщению № ${id}`);
    expect(executor.lastText()).toContain(ANSWER);
  });

  it("photos sent before the text are kept, with one reply per album asking for the text", async () => {
    const id = await office();
    await executor.press("Подготовить ответ");
    const mark = h.fake.mark();
    await sendAlbum(executor, 2, "album-d");
    expect(
      h.fake.calls
        .slice(mark)
        .filter((call) => call.method === "sendMessage")
        .map((c) => c.params.text),
    ).toEqual(["Вложения сохранены. Теперь пришлите текст ответа одним сообщением."]);
    // The same photo again is not «сохранено» again.
    const single = photoFile("single.jpg");
    await h.deliver(updates.photo(executor.chat, executor.tg, single));
    expect(executor.lastText()).toBe("Вложения сохранены. Теперь пришлите текст ответа одним сообщением.");
    await h.deliver(updates.photo(executor.chat, executor.tg, single));
    expect(executor.lastText()).toBe("Это вложение уже добавлено.");
    await executor.send(ANSWER);
    await executor.press("Готово");
    expect(albumSizes(OFFICE.executor)).toEqual([3]);
    expect(executor.lastText()).toContain(`Проект ответа по сообщению № ${id}`);
  });

  it("a question to the author: each prompt of its dialogue speaks of the question, not of an answer", async () => {
    await office();
    await executor.press("Запрос автору");
    await sendPhoto(executor, "map.jpg");
    expect(executor.lastText()).toBe(
      "Вложения сохранены. Теперь пришлите текст запроса автору одним сообщением.",
    );
    await executor.send("Уточните, пожалуйста, адрес.");
    await executor.send("И номер дома.");
    expect(executor.lastText()).toBe(
      "Текст запроса автору уже есть. Это сообщение заменит его или дополнит? " +
        "Если оно попало сюда случайно, просто пришлите фото, видео или документы или нажмите «Готово».",
    );
    await executor.press("Дописать к тексту");
    expect(executor.lastText()).toBe(
      "Текст запроса автору дополнен. Пришлите фото, видео или документы или нажмите «Готово».",
    );
    await executor.press("Готово");
    expect(executor.lastText()).toContain("Уточните, пожалуйста, адрес.\nИ номер дома.");
  });

  it("a text corrected after the bot said it does not see edits: «Заменить текст» takes the new one; ignored («Готово» twice), the first stands", async () => {
    await office();
    await executor.press("Подготовить ответ");
    await executor.send("Здравствуйте! Снег вывезут до пятницы.");
    await executor.send("Здравствуйте! Снег вывезут до среды.");
    await executor.press("Заменить текст");
    expect(executor.lastText()).toBe(
      "Текст ответа заменён. Пришлите фото, видео или документы или нажмите «Готово».",
    );
    await executor.send("Спасибо за обращение.");
    await executor.press("Готово");
    expect(executor.lastText()).toMatch(/^Присланный текст ещё не учтён/);
    await executor.press("Готово");
    const shown = executor.lastText();
    expect(shown).toContain("Здравствуйте! Снег вывезут до среды.");
    expect(shown).not.toContain("до пятницы");
    expect(shown).not.toContain("Спасибо за обращение.");
  });

  it("an answer typed in three messages: «Дописать 2 сообщения к тексту» adds both after the first, in order", async () => {
    await office();
    await executor.press("Подготовить ответ");
    await executor.send("Здравствуйте!");
    await executor.send("Уборка снега во дворе на Ленина, 5 будет проведена до 27.11.2026.");
    const first = h.fake.messages(executor.tg.id).at(-1);
    await executor.send("С уважением, Министерство здравоохранения.");
    expect(executor.lastText()).toMatch(/^Текст ответа уже есть\. Эти 2 сообщения заменят его или дополнят/);
    // One question for both: the first one's buttons, which would take only its own text, are gone.
    const earlier = h.fake.messages(executor.tg.id).find((m) => m.message_id === first?.message_id);
    expect(earlier?.text).toMatch(/^Текст ответа уже есть\. Это сообщение заменит его/);
    expect(earlier?.reply_markup).toBeUndefined();
    await executor.press("Дописать 2 сообщения к тексту");
    expect(executor.lastText()).toMatch(/^Текст ответа дополнен/);
    await executor.press("Готово");
    await executor.press("Отправить на согласование");
    expect(curatorsDraft()[0]?.text).toMatch(
      /\n\nЗдравствуйте!\nУборка снега во дворе на Ленина, 5 будет проведена до 27\.11\.2026\.\nС уважением, Министерство здравоохранения\.$/,
    );
  });

  it("«Готово» while a typed text waits for the choice asks for it first: the second part is not lost", async () => {
    await office();
    await executor.press("Подготовить ответ");
    await executor.send("Здравствуйте!");
    await executor.send("Вторая часть ответа, важная.");
    await executor.press("Готово");
    expect(executor.lastText()).toBe(
      "Присланный текст ещё не учтён: выберите «Заменить текст» или «Дописать к тексту» под вопросом выше. " +
        "Если он не нужен, нажмите «Готово» ещё раз.",
    );
    await executor.press("Дописать к тексту");
    await executor.press("Готово");
    await executor.press("Отправить на согласование");
    expect(curatorsDraft()[0]?.text).toMatch(/\n\nЗдравствуйте!\nВторая часть ответа, важная\.$/);
  });

  it("«Готово» pressed twice while a typed text waits: the text is left out, the kept one goes", async () => {
    await office();
    await executor.press("Подготовить ответ");
    await executor.send("Здравствуйте!");
    await executor.send("Лишнее.");
    await executor.press("Готово");
    expect(executor.lastText()).toMatch(/^Присланный текст ещё не учтён/);
    await executor.press("Готово");
    await executor.press("Отправить на согласование");
    expect(curatorsDraft()[0]?.text).toMatch(/\n\nЗдравствуйте!$/);
  });

  it("«Изменить текст» answered with a captioned album: the caption is the new text, every photo is added", async () => {
    const id = await office();
    await writeDraft();
    await executor.press("Изменить текст");
    await h.deliver(
      updates.photo(executor.chat, executor.tg, photoFile("b-1.jpg"), "Новый текст.", "album-e"),
    );
    await sendPhoto(executor, "b-2.jpg", "album-e");
    await sendPhoto(executor, "b-3.jpg", "album-e");
    await executor.press("Готово");
    expect(executor.lastText()).toContain(`Проект ответа по сообщению № ${id}`);
    expect(executor.lastText()).toContain("Новый текст.");
    expect(albumSizes(OFFICE.executor).at(-1)).toBe(3);
  });

  it("sends 12 photos as two albums, 10 and 2, and the preview says so", async () => {
    await office();
    await executor.press("Подготовить ответ");
    await executor.send(ANSWER);
    await sendAlbum(executor, 10, "first");
    await sendAlbum(executor, 2, "second");
    expect(executor.texts().filter((text) => text.startsWith("Альбом получен"))).toEqual([
      "Альбом получен: 10 вложений (всего 10). Ещё — или нажмите «Готово».",
      "Альбом получен: 2 вложения (всего 12). Ещё — или нажмите «Готово».",
    ]);
    await executor.press("Готово");
    expect(executor.lastText()).toContain(
      "Вложений больше 10: Telegram показывает в одном альбоме до 10, поэтому куратор получит их 2 альбомами (10 + 2).",
    );
    await executor.press("Отправить на согласование");
    expect(albumSizes(OFFICE.curatorsChat)).toEqual([10, 2]);
  });

  it("6 photos and 6 documents: the preview says documents come apart, not that there are over 10", async () => {
    await office();
    await executor.press("Подготовить ответ");
    await executor.send(ANSWER);
    await sendAlbum(executor, 6);
    for (let i = 1; i <= 6; i++) {
      const file = h.fake.addFile("%PDF", `акт-${i}.pdf`);
      await h.deliver(updates.document(executor.chat, executor.tg, file, `акт-${i}.pdf`, "application/pdf"));
    }
    await executor.press("Готово");
    expect(executor.lastText()).toContain("Документы придут отдельно от фото и видео");
    expect(executor.lastText()).not.toContain("Вложений больше 10");
  });

  it("sends documents apart from photos, and a single photo as a photo", async () => {
    await office();
    await executor.press("Подготовить ответ");
    await executor.send(ANSWER);
    await sendPhoto(executor, "one.jpg");
    expect(executor.lastText()).toBe("Получено, всего 1 вложение. Ещё — или нажмите «Готово».");
    for (const name of ["акт.pdf", "план.pdf"]) {
      const file = h.fake.addFile("%PDF", name);
      await h.deliver(updates.document(executor.chat, executor.tg, file, name, "application/pdf"));
    }
    await executor.press("Готово");
    expect(executor.lastText()).toContain("Документы придут отдельно от фото и видео");
    await executor.press("Отправить на согласование");
    expect(albumSizes(OFFICE.curatorsChat)).toEqual([2]);
    const photos = h.fake
      .callsOf("sendPhoto")
      .filter((c) => Number(c.params.chat_id) === OFFICE.curatorsChat);
    expect(photos).toHaveLength(1);
    // Several drafts may come to the curators at once: the attachments say whose they are.
    expect(photos[0]?.params.caption).toBe("Вложения к проекту ответа по сообщению № 1");
  });

  it("a draft with files names itself and rings once: its albums come quietly, captioned as its attachments", async () => {
    const id = await office();
    await executor.press("Подготовить ответ");
    await executor.send(ANSWER);
    await sendAlbum(executor, 2);
    const file = h.fake.addFile("%PDF", "акт.pdf");
    await h.deliver(updates.document(executor.chat, executor.tg, file, "акт.pdf", "application/pdf"));
    /** What was sent to the chat since `mark`: each message's first line (an album's caption) and sound. */
    const sent = (chatId: number, mark: number) =>
      h.fake.calls
        .slice(mark)
        .filter((c) => c.method.startsWith("send") && Number(c.params.chat_id) === chatId)
        .map((c) => {
          const media = typeof c.params.media === "string" ? JSON.parse(c.params.media) : c.params.media;
          const first = String(c.params.text ?? c.params.caption ?? media?.[0]?.caption).split("\n")[0] ?? "";
          return [c.method, first, c.params.disable_notification] as const;
        });
    const caption = `Вложения к проекту ответа по сообщению № ${id}`;
    const header = `Проект ответа по сообщению № ${id} (исполнитель: Иван, Министерство здравоохранения)`;

    const atPreview = h.fake.mark();
    await executor.press("Готово");
    expect(sent(OFFICE.executor, atPreview)).toEqual([
      ["sendMediaGroup", caption, true],
      ["sendDocument", caption, true],
      ["sendMessage", "Предпросмотр: так проект увидят кураторы.", undefined],
    ]);

    const atSending = h.fake.mark();
    await executor.press("Отправить на согласование");
    expect(
      sent(OFFICE.curatorsChat, atSending).filter(([, line]) => !line.startsWith("Сообщение №")),
    ).toEqual([
      ["sendMediaGroup", caption, true],
      ["sendDocument", caption, true],
      ["sendMessage", header, undefined],
    ]);
  });

  it("«Убрать вложения» drops them and asks for attachments again", async () => {
    await office();
    await executor.press("Подготовить ответ");
    await executor.send(ANSWER);
    await sendAlbum(executor, 2);
    await executor.press("Готово");
    await executor.press("Убрать вложения");
    expect(executor.texts().slice(-2)).toEqual([
      "Вложения убраны.",
      "Пришлите фото, видео или документы (можно альбомом) или нажмите «Готово».",
    ]);
    await executor.press("Готово");
    expect(h.fake.findButton(OFFICE.executor, "Отправить на согласование")).toBeDefined();
    expect(() => h.fake.findButton(OFFICE.executor, "Убрать вложения")).toThrow();
    await executor.press("Отправить на согласование");
    expect(albumSizes(OFFICE.curatorsChat)).toEqual([]);
    expect(curatorsDraft()).toHaveLength(1);
  });

  it("«Изменить текст» asks for the text again and shows the new preview", async () => {
    await office();
    await writeDraft();
    await executor.press("Изменить текст");
    expect(executor.lastText()).toMatch(/пришлите текст ответа/);
    await executor.send("Здравствуйте! Снег вывезут завтра.");
    expect(executor.lastText()).toMatch(/^Предпросмотр.*\n\n.*\n\nЗдравствуйте! Снег вывезут завтра\.$/s);
    await executor.press("Отправить на согласование");
    expect(curatorsDraft()[0]?.text).toMatch(/Снег вывезут завтра\.$/);
  });
});

describe("an interrupted draft", () => {
  it("keeps the partial draft after /cancel and brings it back with «Продолжить черновик»", async () => {
    const id = await office();
    await executor.press("Подготовить ответ");
    await executor.send(ANSWER);
    await sendPhoto(executor, "yard.jpg");
    await executor.send("/cancel");
    expect(executor.lastText()).toBe(
      `Отменено. Черновик сохранён: чтобы продолжить, нажмите «Подготовить ответ» на карточке сообщения № ${id}.`,
    );

    await executor.press("Подготовить ответ");
    expect(executor.lastText()).toBe(
      `По сообщению № ${id} есть начатый черновик: текст (${ANSWER.length} симв.) и 1 вложение.\n` +
        "Продолжить его или начать заново?",
    );
    await executor.press("Продолжить черновик");
    expect(executor.texts().slice(-2)).toEqual([
      `Текст ответа — нажмите на него, чтобы скопировать:\n${ANSWER}`,
      "Сейчас 1 вложение. Пришлите фото, видео или документы (можно альбомом) или нажмите «Готово». " +
        "Чтобы изменить текст, пришлите новый: бот спросит, заменить им прежний или дописать к нему.",
    ]);
    await executor.press("Готово");
    expect(executor.lastText()).toContain(ANSWER);
    await executor.press("Отправить на согласование");
    expect(curatorsDraft()[0]?.text).toContain(ANSWER);
    expect(h.fake.callsOf("sendPhoto").some((c) => Number(c.params.chat_id) === OFFICE.curatorsChat)).toBe(
      true,
    );
  });

  /** A draft with its text, left with /cancel and resumed: at the attachments step, its text kept. */
  async function resumedDraft(): Promise<number> {
    const id = await office();
    await executor.press("Подготовить ответ");
    await executor.send(ANSWER);
    await executor.send("/cancel");
    await executor.press("Подготовить ответ");
    await executor.press("Продолжить черновик");
    return id;
  }

  it("a link alone sent at the attachments step of a resumed draft does not replace its text", async () => {
    const id = await resumedDraft();
    await executor.send("https://vk.com/wall-1_7?reply=3");
    expect(executor.lastText()).toBe(
      "Это ссылка, а не текст ответа: текст не заменён. Если это ссылка на размещённый ответ по другому " +
        "сообщению, нажмите «Размещено» на его карточке. Чтобы заменить текст, пришлите новый.",
    );
    await executor.press("Готово");
    expect(executor.lastText()).toContain(ANSWER);
    expect(executor.lastText()).toContain(`Проект ответа по сообщению № ${id}`);
  });

  it("a link alone sent where the text is asked is not taken as the text: the text is asked again", async () => {
    await office();
    await executor.press("Подготовить ответ");
    await executor.send("https://vk.com/wall-1_7?reply=3");
    expect(executor.lastText()).toBe(
      "Это ссылка, а не текст ответа. Если это ссылка на размещённый ответ по другому сообщению, " +
        "нажмите «Размещено» на его карточке. Пришлите текст ответа.",
    );
    await executor.send(ANSWER);
    expect(executor.lastText()).toMatch(/^Пришлите фото, видео или документы/);
  });

  it("a captioned photo at the attachments step: its caption replaces a kept text, or is said not taken", async () => {
    const id = await resumedDraft();
    await h.deliver(updates.photo(executor.chat, executor.tg, photoFile("a.jpg"), "Снег вывезен 25.11."));
    expect(executor.texts().at(-2)).toBe("Подпись к файлу стала текстом ответа: прежний текст заменён.");
    await executor.press("Готово");
    expect(executor.lastText()).toContain("Снег вывезен 25.11.");
    expect(executor.lastText()).toContain(`Проект ответа по сообщению № ${id}`);

    // A text typed in this dialogue is not replaced by a caption: that is said, not dropped unsaid.
    await executor.send("/cancel");
    await executor.press("Подготовить ответ");
    await executor.press("Начать заново");
    await executor.send(ANSWER);
    await h.deliver(updates.photo(executor.chat, executor.tg, photoFile("b.jpg"), "Ещё подпись"));
    expect(executor.texts().at(-2)).toBe(
      "Подпись к файлу не добавлена: текст ответа уже есть — его можно изменить в предпросмотре.",
    );
  });

  it("«Начать заново» drops the saved text: a photo sent, then /cancel, keeps the photo without the old text", async () => {
    const id = await office();
    await executor.press("Подготовить ответ");
    await executor.send(ANSWER);
    await executor.send("/cancel");
    await executor.press("Подготовить ответ");
    await executor.press("Начать заново");
    await sendPhoto(executor, "new.jpg");
    await executor.send("/cancel");
    expect(loadDraftWork(h.db, id, person(OFFICE.executor).id, "answer")).toMatchObject({ text: null });
    await executor.press("Подготовить ответ");
    expect(executor.lastText()).toMatch(/1 вложение/);
    expect(executor.lastText()).not.toContain(ANSWER);

    // Left at once after «Начать заново»: nothing is kept, and nothing is said to be.
    await executor.press("Начать заново");
    await executor.send("/cancel");
    expect(executor.lastText()).toBe("Отменено.");
    expect(loadDraftWork(h.db, id, person(OFFICE.executor).id, "answer")).toBeUndefined();
    await executor.press("Подготовить ответ");
    expect(executor.lastText()).not.toMatch(/Продолжить черновик|вложение/);
  });

  /** The curators' final draft begun from the answer's earlier one: what changed since it. */
  const finalSinceEarlier = (id: number) =>
    [
      `Проект окончательного ответа по сообщению № ${id} (исполнитель: Иван, Министерство здравоохранения)`,
      "Промежуточный ответ размещён 24.11.2026 10:00: https://vk.com/wall-1_1?reply=2",
      "",
      "За основу взят прежний проект ответа от 24.11.2026 10:00.",
      "Изменено в тексте:",
      "Было: «…вывезут до пятницы.»",
      "Стало: «…вывезут до пятницы. Ремонт кровли закончен 02.12.2026.»",
      "",
      "Текст окончательного ответа:",
      "",
      FINAL,
    ].join("\n");

  it("the final answer begun from the answer returned before the interim one: no rework comment, and the curators see what changed since it", async () => {
    const id = await answerReturnedThenInterimPosted();
    const before = executor.texts().length;
    await executor.press("Подготовить окончательный ответ");
    expect(executor.texts().slice(before)).toEqual([
      `Сообщение № ${id}: взять за основу прежний проект (текст и 3 фото) или начать заново?`,
    ]);
    await executor.press("Взять прежний проект");
    await executor.press("Готово");
    await executor.press("Изменить текст");
    await executor.send(FINAL);
    await executor.press("Отправить на согласование");

    expect(curatorsDraft().at(-1)?.text).toBe(finalSinceEarlier(id));
    const [final] = latestDrafts(h.db, id, 1);
    expect([final?.kind, final?.round]).toEqual(["final", 2]);
  });

  it("the final answer begun from the answer's earlier draft, left and resumed later: the curators still see what changed since it", async () => {
    const id = await answerReturnedThenInterimPosted();
    await executor.press("Подготовить окончательный ответ");
    await executor.press("Взять прежний проект");
    await executor.press("Готово");
    await executor.press("Изменить текст");
    await executor.send(FINAL);
    await executor.send("/cancel");
    h.clock.set("2026-12-03T08:00:00Z");
    await executor.press("Подготовить окончательный ответ");
    await executor.press("Продолжить черновик");
    await executor.press("Готово");
    await executor.press("Отправить на согласование");

    expect(curatorsDraft().at(-1)?.text).toBe(finalSinceEarlier(id));
  });

  it("the final answer begun anew after the interim one: the curators get it as the final answer after the interim one, with no version and no changes; its own rework is then offered back with the comment", async () => {
    const id = await answerReturnedThenInterimPosted();
    await executor.press("Подготовить окончательный ответ");
    await executor.press("Начать заново");
    await executor.send(FINAL);
    await executor.press("Готово");
    await executor.press("Отправить на согласование");

    expect(curatorsDraft().at(-1)?.text).toBe(
      [
        `Проект окончательного ответа по сообщению № ${id} (исполнитель: Иван, Министерство здравоохранения)`,
        "Промежуточный ответ размещён 24.11.2026 10:00: https://vk.com/wall-1_1?reply=2",
        "",
        FINAL,
      ].join("\n"),
    );

    // The final answer's own rework is offered back with its comment, as its next version.
    returnedForRework(id, "Укажите дату ремонта");
    await showCards(h, id);
    await executor.press("Подготовить окончательный ответ");
    expect(executor.texts().slice(-2)).toEqual([
      "Куратор вернул проект на доработку: «Укажите дату ремонта»",
      `Сообщение № ${id}: взять за основу проект, который вернули на доработку, или начать заново?`,
    ]);
    await executor.press("Доработать прежний проект");
    await executor.press("Готово");
    await executor.press("Отправить на согласование");
    expect(curatorsDraft().at(-1)?.text).toMatch(
      /^Проект окончательного ответа по сообщению № \d+ \(исполнитель: Иван, Министерство здравоохранения\)\nДоработанный проект, версия 3\. Комментарий куратора: «Укажите дату ремонта»\n\nИзменений нет/,
    );
  });

  it("a colleague's draft sent first: «Отправить» says whose draft waits and that this text was not kept", async () => {
    const id = await office();
    h.seedPerson(3002, "Пётр", [], [health]);
    const petr = h.user(3002, "Пётр");
    await petr.press("Подготовить ответ", healthChat());
    await petr.press("Начать");
    await petr.send("Снег вывезут в среду.");
    await petr.press("Готово");
    await seedDraft(h, id, { text: "Ответ Ивана." });
    await petr.press("Отправить на согласование");
    expect(petr.lastText()).toBe(
      `Не отправлено. Сообщение № ${id}: на согласовании, автор проекта — Иван. ` +
        "Ваш текст не сохранён: скопируйте его из предпросмотра выше, если он нужен.",
    );
  });

  it("a post closed while its draft was written: «Отправить» says it was closed and why, not that the executor lost it", async () => {
    const id = await office();
    await writeDraft();
    closeUnanswered(h.db, {
      incidentId: id,
      actor: person(OFFICE.curator),
      now: h.clock.now(),
      reason: "void",
    });
    await executor.press("Отправить на согласование");
    expect(executor.lastText()).toBe(
      `Не отправлено. Сообщение № ${id} закрыто без ответа: пост удалён или зарегистрирован ошибочно. ` +
        "Готовить ответ не нужно.",
    );
    expect(curatorsDraft()).toEqual([]);
  });

  it("photos sent before the text are kept when the dialogue is left before the text", async () => {
    const id = await office();
    await executor.press("Подготовить ответ");
    await sendPhoto(executor, "yard.jpg");
    await executor.send("/cancel");
    expect(executor.lastText()).toBe(
      `Отменено. Черновик сохранён: чтобы продолжить, нажмите «Подготовить ответ» на карточке сообщения № ${id}.`,
    );
    await executor.press("Подготовить ответ");
    expect(executor.lastText()).toMatch(/1 вложение/);
    await executor.press("Продолжить черновик");
    await executor.send(ANSWER);
    await executor.press("Готово");
    expect(executor.lastText()).toContain(ANSWER);
    await executor.press("Отправить на согласование");
    expect(h.fake.callsOf("sendPhoto").some((c) => Number(c.params.chat_id) === OFFICE.curatorsChat)).toBe(
      true,
    );
  });

  /** His draft of № N saved, the post routed anew to Минобр with Минздрав as co-executor: «Отправить информацию» opened. */
  async function partOfferedFromDraft(): Promise<number> {
    const id = await office();
    await writeDraft();
    const education = h.seedOrganization("Министерство образования", "Минобр");
    routeIncident(h.db, {
      incidentId: id,
      leadId: education,
      coexecutorIds: [health],
      actor: person(OFFICE.curator),
      now: h.clock.now(),
    });
    await showCards(h, id);
    await executor.press("Отправить на согласование");
    expect(executor.lastText()).toBe(
      `Не отправлено: вы больше не основной исполнитель сообщения № ${id}. Черновик сохранён.`,
    );
    await executor.press("Взять в работу");
    await executor.press("Отправить информацию");
    return id;
  }

  it("routed anew with his organization made a co-executor, the draft he could not send is offered as its part", async () => {
    const id = await partOfferedFromDraft();
    expect(executor.lastText()).toBe(
      `По сообщению № ${id} у вас сохранён черновик ответа:\n\n«${ANSWER}»\n\n` +
        "Ваш орган теперь соисполнитель. Нажмите «Отправить», чтобы отправить этот текст как информацию " +
        "для основного исполнителя (Министерство образования). Или пришлите информацию заново текстом, " +
        "одним сообщением. Отмена — /cancel.",
    );
    await executor.press("Отправить");
    expect(h.texts(OFFICE.curatorsChat)).toContain(
      `Информация соисполнителя по сообщению № ${id} — Министерство здравоохранения:\n\n${ANSWER}`,
    );
    expect(loadDraftWork(h.db, id, person(OFFICE.executor).id, "answer")).toBeUndefined();
  });

  it("a part written anew instead of the saved draft uses the draft up too: a rework is not offered the old answer", async () => {
    const id = await partOfferedFromDraft();
    await executor.send("Проверка назначена на пятницу.");
    expect(h.texts(OFFICE.curatorsChat)).toContain(
      `Информация соисполнителя по сообщению № ${id} — Министерство здравоохранения:\n\nПроверка назначена на пятницу.`,
    );
    expect(loadDraftWork(h.db, id, person(OFFICE.executor).id, "answer")).toBeUndefined();
  });

  it("goes on after a restart of the bot in the middle of the dialogue", async () => {
    const dir = mkdtempSync(join(tmpdir(), "drafts-"));
    const databasePath = join(dir, "bot.db");
    try {
      const id = await office({ databasePath });
      await executor.press("Подготовить ответ");
      await executor.send(ANSWER);
      await h.close();

      h = await Harness.start({ now: TUESDAY_10, databasePath });
      executor = h.user(OFFICE.executor, "Иван");
      await sendPhoto(executor, "after-restart.jpg");
      expect(executor.lastText()).toBe("Получено, всего 1 вложение. Ещё — или нажмите «Готово».");
      await executor.press("Готово");
      await executor.press("Отправить на согласование");
      expect(executor.lastText()).toMatch(/^Проект отправлен на согласование/);
      expect(curatorsDraft()[0]?.text).toBe(
        `Проект ответа по сообщению № ${id} (исполнитель: Иван, Министерство здравоохранения)\n\n${ANSWER}`,
      );
    } finally {
      await h.close();
      h = undefined as unknown as Harness;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("a reworked draft and a repeat", () => {
  it("shows the curators what changed since the returned version and the earlier comment", async () => {
    const id = await office();
    await seedDraft(h, id, { text: ANSWER });
    returnedForRework(id, "Укажите точную дату");
    await showCards(h, id);

    await executor.press("Подготовить ответ");
    expect(executor.texts().slice(-2)).toEqual([
      "Куратор вернул проект на доработку: «Укажите точную дату»",
      `Сообщение № ${id}: взять за основу проект, который вернули на доработку, или начать заново?`,
    ]);
    await executor.press("Доработать прежний проект");
    await sendPhoto(executor, "yard.jpg");
    await executor.press("Готово");
    await executor.press("Изменить текст");
    await executor.send(ANSWER.replace("до пятницы.", "до 27.11.2026."));
    await executor.press("Отправить на согласование");

    const [draft] = curatorsDraft();
    expect(draft?.text).toBe(
      [
        `Проект ответа по сообщению № ${id} (исполнитель: Иван, Министерство здравоохранения)`,
        "Доработанный проект, версия 2. Комментарий куратора: «Укажите точную дату»",
        "",
        "Изменено в тексте:",
        "Было: «…5 вывезут до пятницы.»",
        "Стало: «…5 вывезут до 27.11.2026.»",
        "Вложения: добавлено — фото.",
        "",
        "Текст ответа:",
        "",
        ANSWER.replace("до пятницы.", "до 27.11.2026."),
      ].join("\n"),
    );
  });

  it("pressed under the rework notice, the dialogue does not repeat the comment the notice has just given", async () => {
    const id = await office();
    await seedDraft(h, id, { text: ANSWER });
    const curators = h.group(OFFICE.curatorsChat, "Кураторы");
    await h.user(OFFICE.curator, "Ольга").press("На доработку", curators);
    await h.user(OFFICE.curator, "Ольга").send("Укажите точную дату.", curators);
    const notice = executor.lastText();
    expect(notice).toMatch(/\nКомментарий куратора: «Укажите точную дату»\.\n/);

    await executor.press("Подготовить ответ");
    expect(executor.texts().slice(-2)).toEqual([
      notice,
      `Сообщение № ${id}: взять за основу проект, который вернули на доработку, или начать заново?`,
    ]);
  });

  it("an answer returned for rework, then a question to the author posted: the returned answer is still offered back, and the curators see what changed", async () => {
    const id = await office();
    await seedDraft(h, id, { text: ANSWER });
    returnedForRework(id, "Уточните дом");
    await seedDraft(h, id, { purpose: "clarification", text: "Уточните номер дома.", approve: true });
    await showCards(h, id);
    await executor.press("Размещено");
    await executor.send("https://vk.com/wall-1_1?reply=2");

    await executor.press("Подготовить ответ");
    expect(executor.texts().slice(-2)).toEqual([
      "Куратор вернул проект на доработку: «Уточните дом»",
      `Сообщение № ${id}: взять за основу проект, который вернули на доработку, или начать заново?`,
    ]);
    await executor.press("Доработать прежний проект");
    await executor.press("Готово");
    await executor.press("Изменить текст");
    await executor.send(`${ANSWER} Дом 5.`);
    await executor.press("Отправить на согласование");
    expect(curatorsDraft()[0]?.text).toMatch(
      /^Проект ответа по сообщению № \d+ \(исполнитель: Иван, Министерство здравоохранения\)\nДоработанный проект, версия 2\. Комментарий куратора: «Уточните дом»/,
    );
  });

  it("reworking, one corrected sentence is asked about, not taken for the whole answer: «Дописать к тексту» keeps the returned text", async () => {
    const id = await office();
    await seedDraft(h, id, { text: ANSWER });
    returnedForRework(id, "Дата?");
    await showCards(h, id);
    await executor.press("Подготовить ответ");
    await executor.press("Доработать прежний проект");
    // The returned text comes as a block one tap copies whole, to correct it on a phone.
    const [shown] = h.fake.messages(executor.tg.id).slice(-2);
    const title = "Текст ответа — нажмите на него, чтобы скопировать:\n";
    expect(shown?.text).toBe(`${title}${ANSWER}`);
    expect(shown?.entities).toEqual([{ type: "pre", offset: title.length, length: ANSWER.length }]);
    expect(executor.lastText()).toBe(
      "Пришлите фото, видео или документы (можно альбомом) или нажмите «Готово». " +
        "Чтобы изменить текст, пришлите новый: бот спросит, заменить им прежний или дописать к нему.",
    );

    await executor.send("Снег вывезут до 27.11.2026.");
    expect(executor.lastText()).toBe(
      "Текст ответа уже есть. Это сообщение заменит его или дополнит? " +
        "Если оно попало сюда случайно, просто пришлите фото, видео или документы или нажмите «Готово».",
    );
    await executor.press("Дописать к тексту");
    await executor.press("Готово");
    await executor.press("Отправить на согласование");
    expect(curatorsDraft()[0]?.text).toMatch(
      /\n\nЗдравствуйте! [^\n]+ до пятницы\.\nСнег вывезут до 27\.11\.2026\.$/,
    );
  });

  it("reworking, the new text typed in two messages or followed by a captioned photo: «Заменить текст на 2 сообщения» takes both", async () => {
    const id = await office();
    await seedDraft(h, id, { text: ANSWER });
    returnedForRework(id, "Дата?");
    await showCards(h, id);
    await executor.press("Подготовить ответ");
    await executor.press("Доработать прежний проект");
    await executor.send("Снег вывезут до 27.11.2026.");
    await executor.send("Приносим извинения за задержку.");
    expect(executor.lastText()).toBe(
      "Текст ответа уже есть. Эти 2 сообщения заменят его или дополнят (по порядку)? " +
        "Если они попали сюда случайно, просто пришлите фото, видео или документы или нажмите «Готово».",
    );
    // A caption does not replace the returned text while the typed ones wait for the choice.
    await h.deliver(updates.photo(executor.chat, executor.tg, photoFile("yard.jpg"), "Двор после уборки"));
    expect(executor.texts().some((text) => text.startsWith("Подпись к файлу не добавлена"))).toBe(true);
    await executor.press("Заменить текст на 2 сообщения");
    expect(executor.lastText()).toMatch(/^Текст ответа заменён/);
    await executor.press("Готово");
    await executor.press("Отправить на согласование");
    expect(curatorsDraft()[0]?.text).toMatch(
      /\n\nСнег вывезут до 27\.11\.2026\.\nПриносим извинения за задержку\.$/,
    );
  });

  it("a voice note with a caption where the text is asked: told it cannot be attached, its caption not taken as the text", async () => {
    const id = await office();
    await executor.press("Подготовить ответ");
    const voice = {
      voice: { file_id: "AwACvoice", file_unique_id: "v1", duration: 3 },
      caption: "Ответ надиктовал",
    };
    await h.deliver(messageUpdate(executor.chat, executor.tg, voice as never));
    expect(executor.lastText()).toMatch(
      /^Это нельзя приложить к проекту\..*Сначала пришлите текст ответа сообщением/,
    );
    expect(loadDraftWork(h.db, id, person(OFFICE.executor).id, "answer")?.text ?? null).toBeNull();
  });

  it("a voice note without a caption where the text is asked: told it cannot be attached at any step", async () => {
    await office();
    await executor.press("Подготовить ответ");
    const voice = { voice: { file_id: "AwACvoice", file_unique_id: "v1", duration: 3 } };
    await h.deliver(messageUpdate(executor.chat, executor.tg, voice as never));
    expect(executor.lastText()).toMatch(
      /^Это нельзя приложить к проекту\..*Сначала пришлите текст ответа сообщением/,
    );
  });

  it("a text replying under another post's card is not this draft's text: told which post's draft waits", async () => {
    const id = await office();
    await executor.press("Подготовить ответ");
    const other = await seedIncidentInWork(h, health, { link: "https://vk.com/wall-1_2" });
    const cardOf = (n: number) => {
      const card = h.fake
        .messages(OFFICE.executor)
        .findLast((m) => m.text?.startsWith(`Сообщение № ${n} · `));
      if (!card) throw new Error(`no private card of № ${n}`);
      return card;
    };
    await h.deliver(updates.replyTo(executor.chat, executor.tg, "Яму заделают завтра.", cardOf(other)));
    expect(executor.lastText()).toBe(
      `Бот не принял это за ответ: сейчас он ждёт ответа на свой вопрос по сообщению № ${id}. ` +
        "Ответьте на этот вопрос или напишите, не отвечая ни на чьё сообщение.",
    );
    expect(loadDraftWork(h.db, id, person(OFFICE.executor).id, "answer")?.text ?? null).toBeNull();
    // A reply under the card of the post drafted is its text.
    await h.deliver(updates.replyTo(executor.chat, executor.tg, ANSWER, cardOf(id)));
    expect(loadDraftWork(h.db, id, person(OFFICE.executor).id, "answer")?.text).toBe(ANSWER);
  });

  it("an album sent before «Начать» is answered once, not per photo", async () => {
    await office();
    await executor.press("Подготовить ответ", healthChat());
    await sendAlbum(executor, 5, "early");
    expect(executor.texts().filter((text) => text.startsWith("Чтобы подготовить проект"))).toHaveLength(1);
  });

  it("at the preview, photos forgotten till then are added; a text says how to change the text", async () => {
    await office();
    await executor.press("Подготовить ответ");
    await executor.send(ANSWER);
    await executor.press("Готово");
    await executor.send("Снег вывезут до 28.11.2026.");
    expect(executor.lastText()).toBe(
      "Текст не изменён. Чтобы заменить его, нажмите «Изменить текст» под предпросмотром и пришлите новый.",
    );
    await sendAlbum(executor, 3, "late");
    await executor.press("Готово");
    await executor.press("Отправить на согласование");
    expect(albumSizes(OFFICE.curatorsChat)).toEqual([3]);
    expect(curatorsDraft()[0]?.text).toContain(ANSWER);
  });

  /** A repeat of `first`, routed to Минздрав, its cards shown. */
  async function repeatRoutedToHealth(first: number): Promise<number> {
    const second = seedRegistered(h, {
      link: "https://vk.com/wall-1_2",
      text: "Снова не убирают снег на Ленина, 5.",
      repeatOfId: first,
    });
    routeIncident(h.db, {
      incidentId: second,
      leadId: health,
      coexecutorIds: [],
      actor: person(OFFICE.curator),
      now: h.clock.now(),
    });
    await showCards(h, second);
    return second;
  }

  it("a question to the earlier post's author is not shown as its answer", async () => {
    const first = await office();
    await seedDraft(h, first, { text: "Уточните номер дома.", approve: true, purpose: "clarification" });
    const second = await repeatRoutedToHealth(first);
    const card = h.fake
      .messages(OFFICE.executor)
      .findLast((m) => m.text?.startsWith(`Сообщение № ${second} `));
    if (!card) throw new Error("no card");
    await h.deliver(updates.callback(executor.tg, card, `inc.accept:${second}`));
    await executor.press("Подготовить ответ");
    expect(executor.texts().join("\n")).not.toContain("Уточните номер дома.");
  });

  it("shows the earlier incident's answer for a repeat, to the executor and to the curators", async () => {
    const first = await office();
    await seedDraft(h, first, { text: "Снег вывезли 20.11.", approve: true });
    const published = publishAnswer(h.db, {
      incidentId: first,
      actor: person(OFFICE.executor),
      now: h.clock.now(),
      link: "https://vk.com/wall-1_1?reply=7",
      onTime: true,
      rules: { curatorMayPublish: false },
    });
    expect(published.ok).toBe(true);
    const second = await repeatRoutedToHealth(first);
    // Every card of the repeat tells how the earlier post went (Orenburg p.15).
    const repeatCard = h.fake
      .messages(OFFICE.curatorsChat)
      .findLast((m) => m.text?.startsWith(`Сообщение № ${second} `));
    expect(repeatCard?.text).toMatch(
      new RegExp(
        `Повторное к сообщению № ${first} — ответ размещён \\d\\d\\.\\d\\d\\.\\d{4} \\d\\d:\\d\\d: https://vk\\.com/wall-1_1\\?reply=7\n`,
      ),
    );
    await executor.press("Взять в работу");

    await executor.press("Подготовить ответ");
    const earlier = `Прежний ответ: https://vk.com/wall-1_1?reply=7\n«Снег вывезли 20.11.»`;
    expect(executor.texts().at(-2)).toBe(
      `Это повторное сообщение — к № ${first}. В ответе укажите, что сделано с прошлого раза.\n${earlier}`,
    );
    await executor.send("Снег вывезен повторно, двор убирают ежедневно.");
    await executor.press("Готово");
    await executor.press("Отправить на согласование");
    expect(curatorsDraft()[0]?.text).toBe(
      [
        `Проект ответа по сообщению № ${second} (исполнитель: Иван, Министерство здравоохранения)`,
        "",
        `Повторное к сообщению № ${first}. ${earlier}`,
        "",
        "Текст ответа:",
        "",
        "Снег вывезен повторно, двор убирают ежедневно.",
      ].join("\n"),
    );
  });
});

describe("curators the draft cannot reach", () => {
  const ADMIN = 1001;
  const sendsTo = (chatId: number) =>
    h.fake.callsOf("sendMessage").filter((call) => call.params.chat_id === chatId).length;
  const isDraft = (params: Record<string, unknown>) => String(params.text).startsWith("Проект ");

  it("the curators' chat refusing the draft: the admins hear the bot cannot write there, and each curator gets it privately", async () => {
    await office({ adminIds: [ADMIN] });
    h.fake.failNext(
      "sendMessage",
      { error_code: 403, description: "Forbidden: bot was kicked from the group chat" },
      { match: (params) => params.chat_id === OFFICE.curatorsChat && isDraft(params) },
    );
    await writeDraft();
    await executor.press("Отправить на согласование");
    expect(curatorsDraft()).toEqual([]);
    expect(curatorsDraft(OFFICE.curator)).toHaveLength(1);
    expect(curatorsDraft(OFFICE.curator2)).toHaveLength(1);
    expect(h.texts(ADMIN)).toEqual([
      expect.stringMatching(/^Бот не может писать в чат «Кураторы» \(кураторы, -200\)/),
    ]);
    expect(executor.lastText()).toMatch(
      /^Проект отправлен на согласование: сообщение № 1\. Спасибо!\nКуратор рассмотрит/,
    );
  });

  it("the connection to the curators' chat dropping: each curator gets the draft privately, and the executor hears it was sent", async () => {
    await office({ adminIds: [ADMIN] });
    h.fake.dropNext("sendMessage", {
      match: (params) => params.chat_id === OFFICE.curatorsChat && isDraft(params),
    });
    await writeDraft();
    await executor.press("Отправить на согласование");
    expect(curatorsDraft()).toEqual([]);
    expect(curatorsDraft(OFFICE.curator)).toHaveLength(1);
    expect(curatorsDraft(OFFICE.curator2)).toHaveLength(1);
    expect(executor.lastText()).toMatch(/^Проект отправлен на согласование: сообщение № 1\. Спасибо!/);
    expect(h.texts(ADMIN)).toEqual([]);
  });

  it("no curator can be shown the draft: the executor is told so, and the admins that it waits unseen", async () => {
    await office({ adminIds: [ADMIN] });
    h.fake.failNext(
      "sendMessage",
      { error_code: 403, description: "Forbidden: bot was kicked from the group chat" },
      { match: (params) => params.chat_id === OFFICE.curatorsChat && isDraft(params) },
    );
    h.fake.failNext(
      "sendMessage",
      { error_code: 403, description: "Forbidden: bot was blocked by the user" },
      { times: 2, match: (params) => params.chat_id !== OFFICE.curatorsChat && isDraft(params) },
    );
    await writeDraft();
    await executor.press("Отправить на согласование");
    expect(h.texts(ADMIN)).toEqual([
      expect.stringMatching(/^Бот не может писать в чат «Кураторы»/),
      "Проект ответа по сообщению № 1 (Министерство здравоохранения) не удалось показать ни одному куратору: " +
        "ни в чате кураторов, ни лично. Проект ждёт согласования: пригласите куратора (/invite → «Куратор») " +
        "или проверьте, что бот может писать в чат кураторов.",
    ]);
    expect(executor.lastText()).toBe(
      "Проект отправлен на согласование: сообщение № 1. Спасибо!\n" +
        "Но показать его сейчас некому: ни одному куратору бот не смог его отправить. Администратор извещён.",
    );
  });

  it("without a curators' chat: a curator known to block the bot is not sent it, one whose account is deleted is marked", async () => {
    await office();
    unbindChat(h.db, { chatId: OFFICE.curatorsChat, actorId: null, reason: "admin", now: h.clock.now() });
    const svetlana = h.user(OFFICE.curator2, "Светлана");
    h.fake.setChatMember(OFFICE.curator2, h.bot.botInfo.id, "kicked");
    await h.deliver(updates.myChatMember(svetlana.chat, svetlana.tg, "member", "kicked", h.fake.botUser));
    const tried = sendsTo(OFFICE.curator2);
    h.fake.failNext(
      "sendMessage",
      { error_code: 400, description: "Bad Request: user is deactivated" },
      { match: (params) => params.chat_id === OFFICE.curator && isDraft(params) },
    );

    await writeDraft();
    await executor.press("Отправить на согласование");
    expect(isBlocked(h.db, OFFICE.curator)).toBe(true);
    expect(sendsTo(OFFICE.curator2)).toBe(tried);
    // Nobody could be shown it, and this office has no admin the bot can write to.
    expect(executor.lastText()).toMatch(
      /Но показать его сейчас некому: .* Пожалуйста, сообщите об этом администратору\.$/,
    );
  });
});

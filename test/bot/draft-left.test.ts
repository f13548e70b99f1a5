import { afterEach, describe, expect, it } from "vitest";
import { loadDraftWork } from "../../src/app/answers.js";
import { findPerson } from "../../src/app/people.js";
import { CONVERSATIONS_VERSION } from "../../src/conversations-version.js";
import { dialogueArgs } from "../../src/db/conversation-storage.js";
import { conversationStates } from "../../src/db/schema.js";
import { Harness, type TestUser } from "../support/bot-harness.js";
import { updates } from "../support/updates.js";
import { OFFICE, seedIncidentInWork, seedOffice } from "../support/workflow.js";

/** Tuesday 24.11.2026 10:00 in Yekaterinburg (Orenburg preset). */
const TUESDAY_10 = "2026-11-24T05:00:00Z";
const ANSWER = "Здравствуйте! Снег во дворе на Ленина, 5 вывезут до пятницы.";

let h: Harness;
let health: number;
let executor: TestUser;

async function office(): Promise<number> {
  h = await Harness.start({ now: TUESDAY_10 });
  ({ health } = seedOffice(h));
  executor = h.user(OFFICE.executor, "Иван");
  return seedIncidentInWork(h, health);
}

afterEach(async () => {
  await h?.close();
});

async function sendPhoto(name: string, album?: string): Promise<void> {
  const file = h.fake.addFile(`jpeg ${name}`, name, { kind: "photo" });
  await h.deliver(updates.photo(executor.chat, executor.tg, file, undefined, album));
}

/** What the bot said to the executor since `from` messages were there. */
const saidSince = (from: number) => executor.texts().slice(from);

function buttonsOfLast(): string[] {
  const last = h.fake.messages(executor.id).at(-1);
  const rows = (last?.reply_markup?.inline_keyboard ?? []) as { text: string }[][];
  return rows.flat().map((b) => b.text);
}

function keptWork(id: number) {
  const person = findPerson(h.db, OFFICE.executor);
  return person && loadDraftWork(h.db, id, person.id, "answer");
}

const KEPT = (id: number) =>
  `Черновик ответа по сообщению № ${id} сохранён. Чтобы вернуться к нему, нажмите «Подготовить ответ» ` +
  "на карточке и выберите «Продолжить черновик».";

const NOT_ADDED = (id: number) =>
  `Не добавлено: черновик ответа по сообщению № ${id} сохранён, но закрыт. Откройте его кнопкой ниже, ` +
  "выберите «Продолжить черновик» и пришлите ещё раз.";

describe("a draft left for a command", () => {
  it("/list in the middle of a draft says the draft is kept and how to come back, then lists the posts", async () => {
    const id = await office();
    // Nothing kept yet: nothing said of a draft.
    await executor.press("Подготовить ответ");
    let before = executor.texts().length;
    await executor.send("/list");
    expect(saidSince(before)).toEqual([expect.stringMatching(/^Открытые сообщения: 1\n/)]);

    await executor.press("Подготовить ответ");
    await executor.send(ANSWER);
    before = executor.texts().length;
    await executor.send("/list");
    expect(saidSince(before)).toEqual([KEPT(id), expect.stringMatching(/^Открытые сообщения: 1\n/)]);
  });

  it("a draft's dialogue stored by the version before an upgrade is not named as kept: the upgrade dropped it", async () => {
    const id = await office();
    await executor.press("Подготовить ответ");
    await executor.send(ANSWER);
    const draftArgs = () => dialogueArgs(h.db, executor.id, executor.id, "incident.draft");
    expect(draftArgs()).toEqual([id]);
    // The dialogue as the bot before the upgrade stored it: its dialogues' version one lower.
    for (const row of h.db.select().from(conversationStates).all()) {
      const stored = JSON.parse(row.value);
      stored.version[1] = CONVERSATIONS_VERSION - 1;
      h.db
        .update(conversationStates)
        .set({ value: JSON.stringify(stored) })
        .run();
    }
    expect(draftArgs()).toBeUndefined();
    const before = executor.texts().length;
    await executor.send("/list");
    expect(saidSince(before)).toEqual([expect.stringMatching(/^Открытые сообщения: 1\n/)]);
  });

  it("a photo after the command is not attached: it points to the draft, whose button opens it with the earlier text", async () => {
    const id = await office();
    await executor.press("Подготовить ответ");
    await executor.send(ANSWER);
    await executor.send("/list");
    await sendPhoto("snow.jpg");
    expect(executor.lastText()).toBe(NOT_ADDED(id));
    expect(buttonsOfLast()).toEqual([`Черновик ответа по № ${id}`]);
    expect(keptWork(id)?.attachments).toEqual([]);

    await executor.press(`Черновик ответа по № ${id}`);
    expect(executor.lastText()).toMatch(new RegExp(`^По сообщению № ${id} есть начатый черновик: текст \\(`));
    await executor.press("Продолжить черновик");
    await sendPhoto("snow.jpg");
    const atPreview = executor.texts().length;
    await executor.press("Готово");
    expect(saidSince(atPreview)).toEqual([
      `Вложение к проекту ответа по сообщению № ${id}`,
      expect.stringMatching(new RegExp(`^Предпросмотр: [\\s\\S]*\n\n${ANSWER}$`)),
    ]);
  });

  it("an album arriving after the dialogue ended is answered once", async () => {
    const id = await office();
    await executor.press("Подготовить ответ");
    await executor.send(ANSWER);
    await executor.send("/find 1");
    const before = executor.texts().length;
    for (let i = 1; i <= 3; i++) await sendPhoto(`yard-${i}.jpg`, "album-1");
    expect(saidSince(before)).toEqual([NOT_ADDED(id)]);
  });

  it("several drafts left: each has its button, the latest first", async () => {
    const one = await office();
    await executor.press("Подготовить ответ");
    await executor.send(ANSWER);
    h.clock.advance(10 * 60_000);
    const two = await seedIncidentInWork(h, health, { link: "https://vk.com/wall-1_2" });
    await executor.press("Подготовить ответ");
    await executor.send("Ответ по второму сообщению.");
    await executor.send("/list");
    await executor.send("Ещё одна мысль к ответу.");
    expect(executor.lastText()).toBe(
      `Не добавлено: черновики по сообщениям № ${two}, № ${one} сохранены, но закрыты. ` +
        "Откройте нужный кнопкой ниже, выберите «Продолжить черновик» и пришлите ещё раз.",
    );
    expect(buttonsOfLast()).toEqual([`Черновик ответа по № ${two}`, `Черновик ответа по № ${one}`]);
  });

  it("only a draft left lately is pointed to: hours later a photo gets the usual hint", async () => {
    const id = await office();
    await executor.press("Подготовить ответ");
    await executor.send(ANSWER);
    await executor.send("/list");
    h.clock.advance(3 * 60 * 60_000);
    await sendPhoto("snow.jpg");
    expect(executor.lastText()).toBe(NOT_ADDED(id));
    h.clock.advance(2 * 60 * 60_000);
    await sendPhoto("snow.jpg");
    expect(executor.lastText()).toMatch(/^Не удалось разобрать\./);
  });
});

/**
 * A post from monitoring software may repeat an earlier one (Orenburg p.15; Georgievsk p.19). Nobody
 * registered it in Telegram to be asked, so after its card the curators are asked, with buttons, as
 * a curator registering a post is: the same author, topic or place, recently.
 */
import { and, eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { receiveUpdate } from "../../src/app/inbox.js";
import { closeAsToxic, loadIncident, markRepeat } from "../../src/app/incidents.js";
import { findPerson } from "../../src/app/people.js";
import { withinUpdate } from "../../src/app/update-scope.js";
import { auditEvents } from "../../src/db/schema.js";
import { Harness } from "../support/bot-harness.js";
import type { StoredMessage } from "../support/fake-bot-api.js";
import { type IntakeServer, serveIntake } from "../support/intake-server.js";
import { updates } from "../support/updates.js";
import { OFFICE, seedOffice } from "../support/workflow.js";

let h: Harness;
let intake: IntakeServer;

afterEach(async () => {
  await intake.close();
  await h.close();
});

/** Tuesday 10:00 in Yekaterinburg; `office: false` has two curators and no curators' chat. */
async function start(office = true): Promise<void> {
  h = await Harness.start({ now: "2026-11-24T05:00:00Z" });
  if (office) seedOffice(h);
  else {
    h.seedPerson(OFFICE.curator, "Ольга", ["curator"]);
    h.seedPerson(OFFICE.curator2, "Светлана", ["curator"]);
  }
  intake = await serveIntake(h);
}

const post = (body: unknown, headers?: Record<string, string>) => intake.post(body, headers);

const CURATORS = OFFICE.curatorsChat;
const curatorsChat = () => h.group(CURATORS, "Кураторы");
const ivan = { author: "Иван Петров" };

/** The first post, and the second by the same author: the one the curators are asked about. */
async function twoPostsByOneAuthor(): Promise<void> {
  await post({ link: "https://vk.com/wall-1_1", text: "Яма на дороге у школы № 3.", ...ivan });
  await post({ link: "https://vk.com/wall-1_2", text: "Яму так и не заделали!", ...ivan });
}

const card = (chatId: number, id: number) =>
  h.fake.messages(chatId).find((m) => m.text?.startsWith(`Сообщение № ${id} · `));
const questions = (chatId: number) =>
  h.fake.messages(chatId).filter((m) => /^Сообщение № \d+ (похоже|отмечено)/.test(m.text ?? ""));
const buttonsOf = (message: StoredMessage | undefined) =>
  ((message?.reply_markup?.inline_keyboard ?? []) as { text: string }[][]).flat().map((b) => b.text);
const repeatOf = (id: number) => loadIncident(h.db, id)?.row.repeatOfId;
const marks = (id: number) =>
  h.db
    .select()
    .from(auditEvents)
    .where(
      and(
        eq(auditEvents.entity, "incident"),
        eq(auditEvents.entityId, String(id)),
        eq(auditEvents.action, "markRepeat"),
      ),
    )
    .all();

/** Presses `data` on the message as it is now (a forged press, or a second tap on a stale copy). */
async function pressData(telegramId: number, message: StoredMessage, data: string) {
  const update = await h.deliver(updates.callback(h.user(telegramId, "Кто-то").tg, message, data));
  return h.fake.callbackAnswer(update.callback_query?.id ?? "");
}

describe("the repeat question after a post from monitoring software", () => {
  it("a post by the author of an open incident: after its card the curators are asked, and «Повторное к № 1» links it", async () => {
    await start();
    await twoPostsByOneAuthor();
    const texts = h.texts(CURATORS);
    expect(texts.map((text) => text.split("\n")[0])).toEqual([
      "Сообщение № 1 · ВКонтакте",
      "Сообщение № 2 · ВКонтакте",
      "Сообщение № 2 похоже на повторное. Недавно уже были:",
    ]);
    const [question] = questions(CURATORS);
    expect(question?.text).toBe(
      "Сообщение № 2 похоже на повторное. Недавно уже были:\n№ 1 — Яма на дороге у школы № 3.\n\nЭто повторное?",
    );
    expect(question?.message.reply_to_message?.message_id).toBe(card(CURATORS, 2)?.message_id);
    expect(buttonsOf(question)).toEqual(["Повторное к № 1", "Не повторное"]);

    const olga = h.user(OFFICE.curator, "Ольга");
    expect(await olga.press("Повторное к № 1", curatorsChat())).toBe("Отмечено: повторное к № 1.");
    expect(repeatOf(2)).toBe(1);
    expect(questions(CURATORS)[0]?.text).toBe("Сообщение № 2 отмечено как повторное к № 1 (Ольга).");
    expect(buttonsOf(questions(CURATORS)[0])).toEqual([]);
    expect(card(CURATORS, 2)?.text).toContain("Повторное к сообщению № 1");
    expect(marks(2).map((event) => [event.actorId, event.details?.repeatOfId])).toEqual([
      [findPerson(h.db, OFFICE.curator)?.id, 1],
    ]);
    expect(loadIncident(h.db, 2)?.row.version).toBe(2);
    await pressData(OFFICE.curator, card(CURATORS, 2) as StoredMessage, "inc.hist:2");
    expect(olga.lastText().split("\n").at(-1)).toBe(
      "24.11.2026 10:00 — Ольга — отмечено как повторное к № 1",
    );

    // A second tap on the question as it was, or another curator's: what was decided, and nothing more.
    for (const telegramId of [OFFICE.curator, OFFICE.curator2]) {
      const answer = await pressData(telegramId, question as StoredMessage, "int.rep:2:1");
      expect(answer).toMatchObject({ text: "Уже отмечено: повторное к № 1.", show_alert: true });
    }
    expect(marks(2)).toHaveLength(1);
    expect(loadIncident(h.db, 2)?.row.version).toBe(2);
  });

  it("two curators pressing at once, each on their own question: one links, the other hears it is done", async () => {
    await start(false);
    await twoPostsByOneAuthor();
    const olga = h.user(OFFICE.curator, "Ольга");
    const svetlana = h.user(OFFICE.curator2, "Светлана");
    expect(questions(olga.id)).toHaveLength(1);
    expect(questions(svetlana.id)).toHaveLength(1);
    const answers = await Promise.all([olga.press("Повторное к № 1"), svetlana.press("Повторное к № 1")]);
    expect(answers.sort()).toEqual(["Отмечено: повторное к № 1.", "Уже отмечено: повторное к № 1."]);
    expect(marks(2)).toHaveLength(1);
    expect(repeatOf(2)).toBe(1);
    for (const curator of [olga, svetlana]) {
      expect(questions(curator.id)[0]?.text).toMatch(/^Сообщение № 2 отмечено как повторное к № 1/);
      expect(buttonsOf(questions(curator.id)[0])).toEqual([]);
      expect(card(curator.id, 2)?.text).toContain("Повторное к сообщению № 1");
    }
  });

  it("an executor or the head pressing it is refused, and nothing changes", async () => {
    await start();
    await twoPostsByOneAuthor();
    for (const [telegramId, name] of [
      [OFFICE.executor, "Иван"],
      [OFFICE.head, "Глава"],
    ] as const) {
      const someone = h.user(telegramId, name);
      for (const label of ["Повторное к № 1", "Не повторное"]) {
        expect(await someone.press(label, curatorsChat())).toBe(
          "Регистрировать сообщения и помечать их могут только кураторы.",
        );
      }
    }
    expect(repeatOf(2)).toBeNull();
    expect(marks(2)).toEqual([]);
    expect(buttonsOf(questions(CURATORS)[0])).toEqual(["Повторное к № 1", "Не повторное"]);
  });

  it("forged buttons are refused: no such post, a later post, the post itself, a post already closed", async () => {
    await start();
    await twoPostsByOneAuthor();
    await post({ link: "https://vk.com/wall-1_3", text: "Другое." });
    const question = questions(CURATORS)[0] as StoredMessage;
    const refusals = [];
    for (const data of ["int.rep:2:99", "int.rep:2:3", "int.rep:2:2", "int.rep:99:1", "int.new:99"])
      refusals.push((await pressData(OFFICE.curator, question, data))?.text);
    expect(refusals).toEqual([
      "Сообщение № 99 не подходит: повторное отмечают только к более раннему сообщению.",
      "Сообщение № 3 не подходит: повторное отмечают только к более раннему сообщению.",
      "Сообщение № 2 не подходит: повторное отмечают только к более раннему сообщению.",
      "Такого сообщения нет.",
      "Такого сообщения нет.",
    ]);
    const curator = findPerson(h.db, OFFICE.curator);
    if (!curator) throw new Error("no curator");
    closeAsToxic(h.db, { incidentId: 2, actor: curator, now: h.clock.now(), threat: false });
    expect((await pressData(OFFICE.curator, question, "int.rep:2:1"))?.text).toBe("Уже закрыто.");
    expect(repeatOf(2)).toBeNull();
    expect(marks(2)).toEqual([]);
  });

  it("«Не повторное» takes the buttons away and says so; the post stays unlinked", async () => {
    await start();
    await twoPostsByOneAuthor();
    const olga = h.user(OFFICE.curator, "Ольга");
    expect(await olga.press("Не повторное", curatorsChat())).toBe("Отмечено как новое.");
    expect(questions(CURATORS)[0]?.text).toBe("Сообщение № 2 отмечено как новое (Ольга).");
    expect(buttonsOf(questions(CURATORS)[0])).toEqual([]);
    expect(repeatOf(2)).toBeNull();
    expect(loadIncident(h.db, 2)?.row.version).toBe(1);
  });

  it("a post with nothing in common with recent ones, or sent again, brings no question", async () => {
    await start();
    await post({ link: "https://vk.com/wall-1_1", text: "Яма на дороге.", ...ivan, topic: "дороги" });
    await post({ link: "https://vk.com/wall-1_2", author: "Мария", topic: "ЖКХ", place: "ул. Мира" });
    expect(questions(CURATORS)).toEqual([]);
    await post({ link: "https://vk.com/wall-1_3", author: "Пётр", topic: "дороги" });
    expect(questions(CURATORS)).toHaveLength(1);
    expect((await post({ link: "https://vk.com/wall-1_3", author: "Пётр" })).body.duplicate).toBe(true);
    expect(questions(CURATORS)).toHaveLength(1);
  });

  it("the question follows the card: a card that did not go out is followed by it at the catch-up", async () => {
    await start();
    await post({ link: "https://vk.com/wall-1_1", ...ivan });
    h.fake.httpErrorNext("sendMessage", { status: 502 });
    await post({ link: "https://vk.com/wall-1_2", ...ivan });
    expect(card(CURATORS, 2)).toBeUndefined();
    expect(questions(CURATORS)).toEqual([]);
    await intake.endpoint.catchUp();
    expect(h.texts(CURATORS).map((text) => text.split("\n")[0])).toEqual([
      "Сообщение № 1 · ВКонтакте",
      "Сообщение № 2 · ВКонтакте",
      "Сообщение № 2 похоже на повторное. Недавно уже были:",
    ]);
    await intake.endpoint.catchUp();
    expect(questions(CURATORS)).toHaveLength(1);
  });

  it("a press handled again after a crash reports the link it made, not «Уже отмечено»", async () => {
    await start();
    await twoPostsByOneAuthor();
    const { message, callbackData } = h.fake.findButton(CURATORS, "Повторное к № 1");
    const update = h.fake.pushUpdate(
      updates.callback(h.user(OFFICE.curator, "Ольга").tg, message, callbackData),
    );
    // The first handling died right after its transaction: linked, nobody told, the cards as they were.
    const curator = findPerson(h.db, OFFICE.curator);
    if (!curator) throw new Error("no curator");
    receiveUpdate(h.db, update, h.clock.now());
    withinUpdate({ updateId: update.update_id, again: false }, () =>
      markRepeat(h.db, { incidentId: 2, repeatOfId: 1, actor: curator, now: h.clock.now() }),
    );
    expect(card(CURATORS, 2)?.text).not.toContain("Повторное к сообщению");

    await h.bot.handleUpdate(update); // at start, the unfinished update is handled again
    expect(h.fake.callbackAnswer(update.callback_query?.id ?? "")?.text).toBe("Отмечено: повторное к № 1.");
    expect(marks(2)).toHaveLength(1);
    expect(questions(CURATORS)[0]?.text).toBe("Сообщение № 2 отмечено как повторное к № 1 (Ольга).");
    expect(card(CURATORS, 2)?.text).toContain("Повторное к сообщению № 1");
  });
});

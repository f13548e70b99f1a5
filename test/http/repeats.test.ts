/**
 * A post from monitoring software may repeat an earlier one (Orenburg p.15; Georgievsk p.19). Nobody
 * registered it in Telegram to be asked, so after its card the curators are asked, with buttons, as
 * a curator registering a post is: the same author, topic or place, recently.
 */
import { and, eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { publishAnswer } from "../../src/app/answers.js";
import { receiveUpdate } from "../../src/app/inbox.js";
import {
  acceptIncident,
  closeAsToxic,
  loadIncident,
  markRepeat,
  routeIncident,
} from "../../src/app/incidents.js";
import { findPerson } from "../../src/app/people.js";
import { withinUpdate } from "../../src/app/update-scope.js";
import { t } from "../../src/bot/texts.js";
import { auditEvents, incidents } from "../../src/db/schema.js";
import { Harness } from "../support/bot-harness.js";
import type { StoredMessage } from "../support/fake-bot-api.js";
import { type IntakeServer, serveIntake } from "../support/intake-server.js";
import { updates } from "../support/updates.js";
import { OFFICE, seedDraft, seedOffice, showCards } from "../support/workflow.js";

let h: Harness;
let intake: IntakeServer;
/** Минздрав of seedOffice. */
let healthId = 0;

afterEach(async () => {
  await intake.close();
  await h.close();
});

/** Tuesday 10:00 in Yekaterinburg; `office: false` has two curators and no curators' chat. */
async function start(office = true): Promise<void> {
  h = await Harness.start({ now: "2026-11-24T05:00:00Z" });
  if (office) healthId = seedOffice(h).health;
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
/** Long enough to be told by its words alone. */
const POTHOLE = "Во дворе дома Ленина, 5 яма на дороге, машины бьются, всё разбито";

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

/** Everything «История» knows of the incident, and its row: what a refused press must leave as it was. */
const stateOf = (id: number) => ({
  row: loadIncident(h.db, id)?.row,
  events: h.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.entity, "incident"), eq(auditEvents.entityId, String(id))))
    .all(),
});

/** Ольга registers with /new a post on the first post's topic: she is asked whether it repeats it. */
async function olgaRegistersARepeat() {
  const olga = h.user(OFFICE.curator, "Ольга");
  for (const step of ["/new", "https://vk.com/wall-1_2", "Опять яма"]) await olga.send(step);
  await olga.press("Пропустить");
  await olga.send("дороги");
  await olga.press("Пропустить");
  await olga.press("Обычное");
  await olga.press("Сейчас");
  return olga;
}

function person(telegramId: number) {
  const found = findPerson(h.db, telegramId);
  if (!found) throw new Error(`no person ${telegramId}`);
  return found;
}

/** The bot's message as it reads now, edits and all. */
const asNow = (message: StoredMessage) =>
  h.fake.messages(message.chat_id).find((m) => m.message_id === message.message_id);

/** Presses `data` on the message as it is now (a forged press, or a second tap on a stale copy). */
async function pressData(telegramId: number, message: StoredMessage, data: string) {
  const update = await h.deliver(updates.callback(h.user(telegramId, "Кто-то").tg, message, data));
  return h.fake.callbackAnswer(update.callback_query?.id ?? "");
}

describe("the repeat question after a post from monitoring software", () => {
  it("a post by the author of an open incident: after its card the curators are asked, without sound, why, and «Повторное к № 1» links it", async () => {
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
      "Сообщение № 2 похоже на повторное. Недавно уже были:\n№ 1 — тот же автор: Яма на дороге у школы № 3.\n\nЭто повторное?",
    );
    // The card above it rang: the question adds no sound.
    const asked = h.fake
      .callsOf("sendMessage")
      .find((call) => String(call.params.text).startsWith("Сообщение № 2 похоже"));
    expect(asked?.params.disable_notification).toBe(true);
    expect(question?.message.reply_to_message?.message_id).toBe(card(CURATORS, 2)?.message_id);
    expect(buttonsOf(question)).toEqual(["Повторное к № 1", "Нет, новое"]);

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
      for (const label of ["Повторное к № 1", "Нет, новое"]) {
        expect(await someone.press(label, curatorsChat())).toBe(
          "Регистрировать сообщения и помечать их могут только кураторы.",
        );
      }
    }
    expect(repeatOf(2)).toBeNull();
    expect(marks(2)).toEqual([]);
    expect(buttonsOf(questions(CURATORS)[0])).toEqual(["Повторное к № 1", "Нет, новое"]);
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

  it("pressed once the post's answer is out, the question links nothing and says why; its buttons go", async () => {
    await start();
    await twoPostsByOneAuthor();
    const question = questions(CURATORS)[0] as StoredMessage;
    const now = h.clock.now();
    for (const step of [
      routeIncident(h.db, {
        incidentId: 2,
        leadId: healthId,
        coexecutorIds: [],
        actor: person(OFFICE.curator),
        now,
      }),
      acceptIncident(h.db, { incidentId: 2, actor: person(OFFICE.executor), now }),
    ])
      expect(step.ok).toBe(true);
    await seedDraft(h, 2, { approve: true });
    const published = publishAnswer(h.db, {
      incidentId: 2,
      actor: person(OFFICE.executor),
      now,
      link: "https://vk.com/wall-1_2?reply=5",
      onTime: true,
      rules: { curatorMayPublish: false },
    });
    expect(published.ok).toBe(true);
    const before = stateOf(2);
    for (const data of ["int.rep:2:1", "int.new:2"])
      expect(await pressData(OFFICE.curator, question, data)).toMatchObject({
        text: "Ответ на сообщение № 2 уже размещён: отмечать повторное поздно.",
        show_alert: true,
      });
    expect(stateOf(2)).toEqual(before);
    expect(repeatOf(2)).toBeNull();
    expect(buttonsOf(questions(CURATORS)[0])).toEqual([]);
  });

  it("«Нет, новое» takes the buttons away and says so; the post stays unlinked", async () => {
    await start();
    await twoPostsByOneAuthor();
    const olga = h.user(OFFICE.curator, "Ольга");
    expect(await olga.press("Нет, новое", curatorsChat())).toBe("Отмечено как новое.");
    expect(questions(CURATORS)[0]?.text).toBe("Сообщение № 2 отмечено как новое (Ольга).");
    expect(buttonsOf(questions(CURATORS)[0])).toEqual([]);
    expect(repeatOf(2)).toBeNull();
    expect(loadIncident(h.db, 2)?.row.version).toBe(1);
    await olga.press("История", curatorsChat());
    expect(h.lastText(OFFICE.curator)).toMatch(/^История сообщения № 2:/);
    expect(h.lastText(OFFICE.curator)).toMatch(/ — Ольга — отмечено как новое, не повторное$/m);
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

  it("answered by one curator in a private chat, the other curator's copy says so and loses its buttons", async () => {
    await start(false);
    await twoPostsByOneAuthor();
    const olga = h.user(OFFICE.curator, "Ольга");
    const svetlana = h.user(OFFICE.curator2, "Светлана");
    expect(buttonsOf(questions(svetlana.id)[0])).toEqual(["Повторное к № 1", "Нет, новое"]);

    expect(await olga.press("Повторное к № 1")).toBe("Отмечено: повторное к № 1.");
    for (const curator of [olga, svetlana]) {
      expect(questions(curator.id).map((question) => question.text)).toEqual([
        "Сообщение № 2 отмечено как повторное к № 1 (Ольга).",
      ]);
      expect(buttonsOf(questions(curator.id)[0])).toEqual([]);
    }
  });

  it("«Нет, новое» in one curator's chat settles the other's copy; a press there after is refused and changes nothing", async () => {
    await start(false);
    await twoPostsByOneAuthor();
    const olga = h.user(OFFICE.curator, "Ольга");
    const svetlana = h.user(OFFICE.curator2, "Светлана");

    expect(await olga.press("Нет, новое")).toBe("Отмечено как новое.");
    expect(questions(svetlana.id)[0]?.text).toBe("Сообщение № 2 отмечено как новое (Ольга).");
    expect(buttonsOf(questions(svetlana.id)[0])).toEqual([]);
    const decided = stateOf(2);

    // She tapped as Olga answered: told it is decided, and the post is not linked.
    for (const data of ["int.rep:2:1", "int.new:2"]) {
      const answer = await pressData(OFFICE.curator2, questions(svetlana.id)[0] as StoredMessage, data);
      expect(answer).toMatchObject({ text: "Уже отмечено как новое.", show_alert: true });
    }
    expect(stateOf(2)).toEqual(decided);
    expect(repeatOf(2)).toBeNull();
    expect(marks(2)).toEqual([]);
    expect(questions(svetlana.id)[0]?.text).toBe("Сообщение № 2 отмечено как новое (Ольга).");
    expect(questions(olga.id)[0]?.text).toBe("Сообщение № 2 отмечено как новое (Ольга).");
  });

  it("after «Повторное к № 1» a press of «Нет, новое» on another copy is refused with what was decided", async () => {
    await start(false);
    await twoPostsByOneAuthor();
    await h.user(OFFICE.curator, "Ольга").press("Повторное к № 1");
    expect(buttonsOf(questions(OFFICE.curator2)[0])).toEqual([]);
    const decided = stateOf(2);
    const answer = await pressData(
      OFFICE.curator2,
      questions(OFFICE.curator2)[0] as StoredMessage,
      "int.new:2",
    );
    expect(answer).toMatchObject({ text: "Уже отмечено: повторное к № 1.", show_alert: true });
    expect(stateOf(2)).toEqual(decided);
    expect(repeatOf(2)).toBe(1);
  });

  it("linked from the card's «Повторное к …», every copy of the question says so and loses its buttons", async () => {
    await start(false);
    await twoPostsByOneAuthor();
    const olga = h.user(OFFICE.curator, "Ольга");
    const svetlana = h.user(OFFICE.curator2, "Светлана");
    await pressData(OFFICE.curator, card(OFFICE.curator, 2) as StoredMessage, "inc.edit:2");
    await olga.press("Повторное к …");
    await olga.send("1");
    expect(repeatOf(2)).toBe(1);
    for (const curator of [olga, svetlana]) {
      const [question] = questions(curator.id);
      expect(question?.text).toBe("Сообщение № 2 отмечено как повторное к № 1 (Ольга).");
      expect(buttonsOf(question)).toEqual([]);
    }
  });

  it("«Нет, новое», then linked from the card after all: the question no longer says «новое»", async () => {
    await start();
    await twoPostsByOneAuthor();
    const olga = h.user(OFFICE.curator, "Ольга");
    await olga.press("Нет, новое", curatorsChat());
    await pressData(OFFICE.curator, card(CURATORS, 2) as StoredMessage, "inc.edit:2");
    await olga.press("Повторное к …", curatorsChat());
    await olga.send("1", curatorsChat());
    expect(repeatOf(2)).toBe(1);
    expect(questions(CURATORS)[0]?.text).toBe("Сообщение № 2 отмечено как повторное к № 1 (Ольга).");
  });

  it("the post closed as offensive: the question left unanswered says so and loses its buttons", async () => {
    await start();
    await twoPostsByOneAuthor();
    const question = questions(CURATORS)[0] as StoredMessage;
    const olga = h.user(OFFICE.curator, "Ольга");
    await olga.press("Оскорбительное", curatorsChat());
    await olga.press(/Да/, curatorsChat());
    expect(loadIncident(h.db, 2)?.row.state).toBe("closed");
    expect(asNow(question)?.text).toBe("Сообщение № 2 закрыто без ответа как оскорбительное.");
    expect(buttonsOf(asNow(question))).toEqual([]);
    expect(await pressData(OFFICE.curator, question, "int.rep:2:1")).toMatchObject({ text: "Уже закрыто." });
    expect(repeatOf(2)).toBeNull();
  });

  it("closed while Telegram could not edit the question for now: the next sync says so and takes its buttons", async () => {
    await start();
    await twoPostsByOneAuthor();
    const question = questions(CURATORS)[0] as StoredMessage;
    h.fake.failNext(
      "editMessageText",
      { error_code: 502, description: "Bad Gateway" },
      { match: (params) => Number(params.message_id) === question.message_id },
    );
    const olga = h.user(OFFICE.curator, "Ольга");
    await olga.press("Оскорбительное", curatorsChat());
    await olga.press(/Да/, curatorsChat());
    expect(loadIncident(h.db, 2)?.row.state).toBe("closed");
    expect(buttonsOf(asNow(question))).toEqual(["Повторное к № 1", "Нет, новое"]);

    await showCards(h, 2);
    expect(asNow(question)?.text).toBe("Сообщение № 2 закрыто без ответа как оскорбительное.");
    expect(buttonsOf(asNow(question))).toEqual([]);
    // Settled now, it is left alone by the syncs after.
    const since = h.fake.mark();
    await showCards(h, 2);
    expect(
      h.fake.calls.slice(since).filter((c) => Number(c.params.message_id) === question.message_id),
    ).toEqual([]);
  });

  it("the post's answer published while nobody answered the question: every copy says so and loses its buttons", async () => {
    await start(false);
    const health = h.seedOrganization("Министерство здравоохранения", "Минздрав");
    const healthChat = h.group(OFFICE.healthChat, "Минздрав: обращения");
    h.seedChat(healthChat, health);
    h.seedPerson(OFFICE.executor, "Иван", [], [health]);
    await twoPostsByOneAuthor();
    const copies = [OFFICE.curator, OFFICE.curator2].map((id) => questions(id)[0] as StoredMessage);
    const svetlanas = copies[1] as StoredMessage;
    for (const copy of copies) expect(buttonsOf(copy)).toEqual(["Повторное к № 1", "Нет, новое"]);
    const now = h.clock.now();
    for (const step of [
      routeIncident(h.db, {
        incidentId: 2,
        leadId: health,
        coexecutorIds: [],
        actor: person(OFFICE.curator),
        now,
      }),
      acceptIncident(h.db, { incidentId: 2, actor: person(OFFICE.executor), now }),
    ])
      expect(step.ok).toBe(true);
    await seedDraft(h, 2, { approve: true });

    const executor = h.user(OFFICE.executor, "Иван");
    await executor.press("Размещено", healthChat);
    await executor.send("https://vk.com/wall-1_2?reply=5", healthChat);
    expect(loadIncident(h.db, 2)?.row.state).toBe("answered");
    for (const copy of copies) {
      expect(asNow(copy)?.text).toBe("Ответ на сообщение № 2 уже размещён: отмечать повторное поздно.");
      expect(buttonsOf(asNow(copy))).toEqual([]);
    }

    // A tap on a copy as it was on a phone not yet refreshed: told why, and nothing is linked.
    const before = stateOf(2);
    for (const data of ["int.rep:2:1", "int.new:2"])
      expect(await pressData(OFFICE.curator2, svetlanas, data)).toMatchObject({
        text: "Ответ на сообщение № 2 уже размещён: отмечать повторное поздно.",
        show_alert: true,
      });
    expect(stateOf(2)).toEqual(before);
    expect(repeatOf(2)).toBeNull();
    expect(asNow(svetlanas)?.text).toBe("Ответ на сообщение № 2 уже размещён: отмечать повторное поздно.");
  });

  it("«Нет, новое» reads the same in a curator's own registration and in the question after a monitored post", async () => {
    await start();
    await post({ link: "https://vk.com/wall-1_1", text: "Яма на дороге.", topic: "дороги" });
    const olga = await olgaRegistersARepeat();
    expect(olga.lastText()).toMatch(/^Сообщение № 2 похоже на повторное\./);
    const own = buttonsOf(h.fake.messages(olga.id).at(-1));
    await post({ link: "https://vk.com/wall-1_3", text: "И снова яма.", topic: "дороги" });
    const asked = buttonsOf(questions(CURATORS)[0]);
    expect(own.at(-1)).toBe("Нет, новое");
    expect(asked.at(-1)).toBe(own.at(-1));
  });

  it("a post a curator registered, sent again by monitoring software, brings no second question to the curators' chat", async () => {
    await start();
    await post({ link: "https://vk.com/wall-1_1", text: "Яма на дороге.", topic: "дороги" });
    const olga = await olgaRegistersARepeat();
    expect(olga.lastText()).toMatch(/^Сообщение № 2 похоже на повторное\./);
    expect((await post({ link: "https://vk.com/wall-1_2", text: "Опять яма" })).body.duplicate).toBe(true);
    expect(questions(CURATORS)).toEqual([]);
  });

  it("a question Telegram could not take for now goes out at the next catch-up, only where it is missing", async () => {
    await start(false);
    await post({ link: "https://vk.com/wall-1_1", ...ivan });
    const question = (params: Record<string, unknown>) =>
      String(params.text).startsWith("Сообщение № 2 похоже");
    h.fake.httpErrorNext("sendMessage", { status: 502, match: question });
    await post({ link: "https://vk.com/wall-1_2", ...ivan });
    expect(questions(OFFICE.curator)).toEqual([]);
    expect(questions(OFFICE.curator2)).toHaveLength(1);

    await intake.endpoint.catchUp();
    expect(questions(OFFICE.curator)).toHaveLength(1);
    expect(questions(OFFICE.curator2)).toHaveLength(1);
    // Both copies are known: an answer settles the one sent late too.
    await h.user(OFFICE.curator2, "Светлана").press("Нет, новое");
    expect(buttonsOf(questions(OFFICE.curator)[0])).toEqual([]);
    await intake.endpoint.catchUp();
    expect(questions(OFFICE.curator)).toHaveLength(1);
    expect(questions(OFFICE.curator2)).toHaveLength(1);
  });

  it("a surge on a place asks no post of it about the others, only about a post on the place before it", async () => {
    await start();
    h.clock.set("2026-11-14T05:00:00Z");
    await post({ link: "https://vk.com/wall-1_1", text: "Мост размыло.", place: "с. Ивановка" });
    h.clock.set("2026-11-24T05:00:00Z");
    // Monitoring software sends the flood's posts one by one, a few minutes apart.
    const flood = async (n: number) => {
      h.clock.advance(5 * 60_000);
      await post({
        link: `https://vk.com/wall-1_${n}`,
        text: `Затопило дома, пост ${n}.`,
        place: "с. Ивановка",
      });
    };
    for (let n = 2; n <= 5; n++) await flood(n);
    // Not a surge yet: each may repeat an earlier post on the place.
    expect(questions(CURATORS).map((q) => q.text?.split("\n")[0])).toEqual([
      "Сообщение № 2 похоже на повторное. Недавно уже были:",
      "Сообщение № 3 похоже на повторное. Недавно уже были:",
      "Сообщение № 4 похоже на повторное. Недавно уже были:",
      "Сообщение № 5 похоже на повторное. Недавно уже были:",
    ]);
    for (let n = 6; n <= 8; n++) await flood(n);
    expect(h.texts(CURATORS).filter((text) => text.startsWith("⚠️ Всплеск"))).toEqual([
      "⚠️ Всплеск сообщений за 24 ч (п. 21 регламента): с. Ивановка — 5 (№ 2, № 3, № 4, № 5, № 6).",
    ]);
    // The surge's posts are the same news told at once: none is offered as another's repeat.
    const asked = questions(CURATORS).slice(4);
    expect(asked.map((q) => q.text)).toEqual(
      [6, 7, 8].map(
        (n) =>
          `Сообщение № ${n} похоже на повторное. Недавно уже были:\n№ 1 — то же место «с. Ивановка»: Мост размыло.\n\nЭто повторное?`,
      ),
    );
    expect(asked.map(buttonsOf)).toEqual(Array(3).fill(["Повторное к № 1", "Нет, новое"]));
  });

  it("a post on the place answered the day before stays offered to a surge counting it: that issue was handled", async () => {
    await start();
    await post({ link: "https://vk.com/wall-1_1", text: "Мост размыло.", place: "с. Ивановка" });
    h.db.update(incidents).set({ state: "answered" }).where(eq(incidents.id, 1)).run();
    h.clock.set("2026-11-25T03:00:00Z"); // Wednesday 08:00, 22 hours later: the flood
    for (let n = 2; n <= 7; n++) {
      h.clock.advance(5 * 60_000);
      await post({
        link: `https://vk.com/wall-1_${n}`,
        text: `Мост не починили, пост ${n}.`,
        place: "с. Ивановка",
      });
    }
    expect(h.texts(CURATORS).filter((text) => text.startsWith("⚠️ Всплеск"))).toEqual([
      "⚠️ Всплеск сообщений за 24 ч (п. 21 регламента): с. Ивановка — 5 (№ 1, № 2, № 3, № 4, № 5).",
    ]);
    // Once the surge is told, its unanswered posts are no repeat of each other, but № 1 is still offered.
    expect(
      questions(CURATORS)
        .slice(-3)
        .map((q) => q.text),
    ).toEqual(
      [5, 6, 7].map(
        (n) =>
          `Сообщение № ${n} похоже на повторное. Недавно уже были:\n№ 1 — то же место «с. Ивановка»: Мост размыло.\n\nЭто повторное?`,
      ),
    );
  });

  it("a surge with no post on its place before it asks nothing once recognized", async () => {
    await start();
    for (let n = 1; n <= 7; n++)
      await post({ link: `https://vk.com/wall-1_${n}`, text: `Нет света, пост ${n}.`, place: "ул. Мира" });
    expect(questions(CURATORS).map((q) => q.text?.split("\n")[0])).toEqual([
      "Сообщение № 2 похоже на повторное. Недавно уже были:",
      "Сообщение № 3 похоже на повторное. Недавно уже были:",
      "Сообщение № 4 похоже на повторное. Недавно уже были:",
    ]);
  });

  it("a question lost to a network error goes out at the next catch-up, once", async () => {
    await start();
    await post({ link: "https://vk.com/wall-1_1", ...ivan });
    h.fake.dropNext("sendMessage", {
      match: (params) => String(params.text).startsWith("Сообщение № 2 похоже"),
    });
    await post({ link: "https://vk.com/wall-1_2", ...ivan });
    expect(card(CURATORS, 2)).toBeDefined();
    expect(questions(CURATORS)).toEqual([]);
    await intake.endpoint.catchUp();
    expect(questions(CURATORS)).toHaveLength(1);
    expect(questions(CURATORS)[0]?.message.reply_to_message?.message_id).toBe(card(CURATORS, 2)?.message_id);
    await intake.endpoint.catchUp();
    expect(questions(CURATORS)).toHaveLength(1);
  });

  it("the same words under another link, however cased and punctuated, are asked about with nothing else in common; «Дубль № 1 — закрыть» closes the post as its duplicate", async () => {
    await start();
    await post({ link: "https://vk.com/wall-1_10", text: POTHOLE });
    await post({
      link: "https://ok.ru/group/55/topic/777",
      text: "ВО ДВОРЕ дома Ленина 5 — яма на дороге!!! Машины бьются, все разбито 😡",
      ...ivan,
      place: "Ленина, 5",
    });
    const [question] = questions(CURATORS);
    expect(question?.text).toBe(
      `Сообщение № 2 похоже на повторное. Недавно уже были:\n№ 1 — тот же текст: ${POTHOLE}\n\nЭто повторное?`,
    );
    expect(buttonsOf(question)).toEqual(["Повторное к № 1", "Дубль № 1 — закрыть", "Нет, новое"]);
    const routed = routeIncident(h.db, {
      incidentId: 2,
      leadId: healthId,
      coexecutorIds: [],
      actor: person(OFFICE.curator),
      now: h.clock.now(),
    });
    expect(routed.ok).toBe(true);
    await showCards(h, 2);

    const olga = h.user(OFFICE.curator, "Ольга");
    await olga.press("Дубль № 1 — закрыть", curatorsChat());
    expect(h.lastText(CURATORS)).toBe(
      "Закрыть сообщение № 2 без ответа как дубль № 1 — тот же пост под другой ссылкой? " +
        "Оно будет отмечено как повторное к № 1, сроки по нему остановятся, в месячный отчёт оно не войдёт. " +
        "Отменить это будет нельзя.",
    );
    expect(await olga.press("Да, закрыть", curatorsChat())).toBe(
      "Сообщение № 2 закрыто без ответа как дубль № 1.",
    );
    expect(loadIncident(h.db, 2)?.row).toMatchObject({
      state: "closed",
      closedReason: "void",
      repeatOfId: 1,
    });
    expect(asNow(question as StoredMessage)?.text).toBe(
      "Сообщение № 2 закрыто без ответа как дубль № 1 (Ольга).",
    );
    expect(buttonsOf(asNow(question as StoredMessage))).toEqual([]);
    expect(h.lastText(OFFICE.healthChat)).toBe(
      "Сообщение № 2 закрыто куратором без ответа: дубль сообщения № 1. Готовить ответ не нужно.",
    );
    await pressData(OFFICE.curator, card(CURATORS, 2) as StoredMessage, "inc.hist:2");
    expect(olga.lastText().split("\n").slice(-2)).toEqual([
      "24.11.2026 10:00 — Ольга — отмечено как повторное к № 1",
      "24.11.2026 10:00 — Ольга — закрыто без ответа как дубль № 1 (направлено → закрыто)",
    ]);
  });

  it("«Да, закрыть» whose closing fails links nothing either: pressed again, the post is linked and closed at once", async () => {
    await start(false);
    await post({ link: "https://vk.com/wall-1_10", text: POTHOLE });
    await post({ link: "https://ok.ru/group/55/topic/777", text: POTHOLE });
    const olga = h.user(OFFICE.curator, "Ольга");
    await olga.press("Дубль № 1 — закрыть");
    const before = stateOf(2);
    // The closing's write fails: the link made with it goes too.
    h.database.sqlite.exec(
      "CREATE TRIGGER killed BEFORE UPDATE OF state ON incidents WHEN NEW.state = 'closed' BEGIN SELECT RAISE(ABORT, 'killed'); END",
    );
    expect(await olga.press("Да, закрыть")).toBe(t.error);
    h.database.sqlite.exec("DROP TRIGGER killed");
    expect(stateOf(2)).toEqual(before);

    await olga.press("Дубль № 1 — закрыть");
    expect(await olga.press("Да, закрыть")).toBe("Сообщение № 2 закрыто без ответа как дубль № 1.");
    expect(loadIncident(h.db, 2)?.row).toMatchObject({
      state: "closed",
      closedReason: "void",
      repeatOfId: 1,
    });
    expect(
      stateOf(2)
        .events.slice(before.events.length)
        .map((event) => [event.action, event.details?.duplicateOf]),
    ).toEqual([
      ["markRepeat", undefined],
      ["markVoid", 1],
    ]);
  });

  it("copies of one text marked as repeats are offered as the first post of their chain alone, saying how many repeat it", async () => {
    await start();
    const links = [
      "https://vk.com/wall-1_10",
      "https://ok.ru/group/55/topic/1",
      "https://ok.ru/group/56/topic/1",
    ];
    for (const link of links) await post({ link, text: POTHOLE });
    const olga = person(OFFICE.curator);
    // № 2 repeats № 1, and № 3 was linked to № 2: one chain of the same words.
    markRepeat(h.db, { incidentId: 2, repeatOfId: 1, actor: olga, now: h.clock.now() });
    markRepeat(h.db, { incidentId: 3, repeatOfId: 2, actor: olga, now: h.clock.now() });
    await post({ link: "https://ok.ru/group/57/topic/1", text: POTHOLE });
    const question = questions(CURATORS).at(-1);
    expect(question?.text).toBe(
      `Сообщение № 4 похоже на повторное. Недавно уже были:\n№ 1 (уже 2 повторных) — тот же текст: ${POTHOLE}\n\nЭто повторное?`,
    );
    expect(buttonsOf(question)).toEqual([
      "Повторное к № 1 (уже 2 повторных)",
      "Дубль № 1 — закрыть",
      "Нет, новое",
    ]);
    await h.user(OFFICE.curator, "Ольга").press("Повторное к № 1 (уже 2 повторных)", curatorsChat());
    expect(repeatOf(4)).toBe(1);
  });

  it("only the same words are a duplicate: a short text sent twice, or the text with a word changed, brings no question", async () => {
    await start();
    await post({ link: "https://vk.com/wall-1_10", text: POTHOLE });
    await post({ link: "https://vk.com/wall-1_11", text: "Когда починят дорогу?" });
    await post({ link: "https://ok.ru/group/55/topic/1", text: "Когда починят дорогу?" });
    await post({ link: "https://ok.ru/group/55/topic/2", text: POTHOLE.replace("Ленина, 5", "Ленина, 7") });
    expect(questions(CURATORS)).toEqual([]);
    await post({ link: "https://ok.ru/group/55/topic/3", text: POTHOLE.replaceAll("ё", "е").toLowerCase() });
    expect(questions(CURATORS).map((q) => q.text)).toEqual([
      `Сообщение № 5 похоже на повторное. Недавно уже были:\n№ 1 — тот же текст: ${POTHOLE}\n\nЭто повторное?`,
    ]);
  });

  it("«Да, закрыть» after another curator called the post new closes nothing; «Отмена» leaves the question to answer", async () => {
    await start(false);
    await post({ link: "https://vk.com/wall-1_10", text: POTHOLE });
    await post({ link: "https://ok.ru/group/55/topic/777", text: POTHOLE });
    const olga = h.user(OFFICE.curator, "Ольга");
    const svetlana = h.user(OFFICE.curator2, "Светлана");

    await olga.press("Дубль № 1 — закрыть");
    await olga.press("Отмена");
    expect(olga.lastText()).toBe("Отменено, сообщение не закрыто.");
    expect(buttonsOf(questions(olga.id)[0])).toEqual([
      "Повторное к № 1",
      "Дубль № 1 — закрыть",
      "Нет, новое",
    ]);

    await olga.press("Дубль № 1 — закрыть");
    const before = stateOf(2).events.length;
    expect(await svetlana.press("Нет, новое")).toBe("Отмечено как новое.");
    expect(await olga.press("Да, закрыть")).toBe("Уже отмечено как новое.");
    expect(loadIncident(h.db, 2)?.row).toMatchObject({ state: "registered", repeatOfId: null });
    expect(
      stateOf(2)
        .events.slice(before)
        .map((event) => event.action),
    ).toEqual(["markNotRepeat"]);
    expect(questions(olga.id)[0]?.text).toBe("Сообщение № 2 отмечено как новое (Светлана).");
  });
});

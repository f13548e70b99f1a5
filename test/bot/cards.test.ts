import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { approveDraft, submitDraft } from "../../src/app/answers.js";
import { acceptIncident, loadIncident, returnIncident, routeIncident } from "../../src/app/incidents.js";
import { findPerson, markBlocked } from "../../src/app/people.js";
import { syncCards } from "../../src/bot/cards.js";
import { cards } from "../../src/db/schema.js";
import { sweep } from "../../src/jobs/sweep.js";
import { Harness } from "../support/bot-harness.js";
import { updates } from "../support/updates.js";
import { OFFICE, seedOffice, seedRegistered } from "../support/workflow.js";

let h: Harness;
let health: number;

beforeEach(async () => {
  h = await Harness.start({ now: "2026-11-24T05:00:00Z" });
  ({ health } = seedOffice(h));
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
  it("a long post cut for the card keeps an emoji at the cut whole: Telegram would refuse the card", async () => {
    // The card keeps the post's first 1199 characters: the emoji's two halves are the 1199th and 1200th.
    const text = `${"а".repeat(1198)}😡 ${"и ещё ".repeat(100)}`;
    seedRegistered(h, { text, author: null, link: "https://vk.com/wall-1_77" });
    const incident = loadIncident(h.db, 2);
    if (!incident) throw new Error("no incident");
    await syncCards(h.deps(), incident);
    const card = h.lastText(-200);
    expect(card).toContain(`${"а".repeat(1198)}…`);
    expect(card).toContain("№ 2");
  });

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

  it("a card that would read as it does is not edited: no call to Telegram; the next change is", async () => {
    const edits = () => h.fake.callsOf("editMessageText").filter((c) => c.params.chat_id === -200).length;
    await sync();
    await sync();
    expect(edits()).toBe(0);
    h.clock.advance(5 * 60_000);
    await sync();
    expect(edits()).toBe(1);
    expect(h.lastText(-200)).toMatch(/осталось 25 мин рабочего времени$/m);
  });

  it("«message is not modified» is not an error and sends nothing new", async () => {
    // A card recorded before the bot kept what its message shows is edited as ever.
    h.db.update(cards).set({ shown: null }).run();
    h.fake.failNext("editMessageText", {
      error_code: 400,
      description:
        "Bad Request: message is not modified: specified new message content and reply markup are exactly the same",
    });
    await sync();
    expect(h.fake.messages(-200)).toHaveLength(1);
    expect(h.fake.callsOf("sendMessage").filter((c) => c.params.chat_id === -200)).toHaveLength(1);
    // Taken as shown: the next sync that changes nothing makes no call.
    const edits = h.fake.callsOf("editMessageText").length;
    await sync();
    expect(h.fake.callsOf("editMessageText")).toHaveLength(edits);
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

  it("a work chat unbound by the admin gets no more of the card: its old card stays as it was", async () => {
    route();
    await sync();
    const shown = h.lastText(OFFICE.healthChat);
    expect(shown).toMatch(/Автор|Состояние/);
    const admin = h.seedPerson(9001, "Анна", ["admin"]);
    await admin.send("/unbind", h.group(OFFICE.healthChat, "Минздрав: обращения"));
    const calls = callsTo(OFFICE.healthChat);
    accept();
    await sync();
    expect(callsTo(OFFICE.healthChat)).toBe(calls);
    expect(h.texts(OFFICE.healthChat).at(-2)).toBe(shown);
  });

  it("a work chat rebound to another organization gets no more of the first one's cards", async () => {
    route();
    await sync();
    h.seedOrganization("Министерство транспорта", "Минтранс");
    const chat = h.group(OFFICE.healthChat, "Минздрав: обращения");
    const admin = h.seedPerson(9001, "Анна", ["admin"]);
    await admin.send("/bind", chat);
    await admin.press(/Минтранс/, chat);
    await admin.press("Да, привязать", chat);
    const calls = callsTo(OFFICE.healthChat);
    accept();
    await sync();
    expect(callsTo(OFFICE.healthChat)).toBe(calls);
  });

  it("the curators' card offers «Изменить сведения» while the post is open; the executors' does not", async () => {
    const labels = (chatId: number) => h.fake.buttons(chatId).map((b) => b.label);
    expect(labels(-200)).toContain("Изменить сведения");
    route();
    accept();
    await sync();
    expect(labels(-200)).toEqual([
      "Переназначить",
      "Оскорбительное",
      "Угроза",
      "Изменить сведения",
      "История",
    ]);
    expect(labels(OFFICE.healthChat)).not.toContain("Изменить сведения");
  });

  it("taken into work, the card names who holds it, and «Вернуть» stays: the post may still not be theirs", async () => {
    route();
    await sync();
    expect(h.lastText(OFFICE.healthChat)).not.toContain("Ответственный");
    accept();
    await sync();
    expect(h.lastText(OFFICE.healthChat)).toContain("\nОтветственный: Иван\n");
    expect(h.lastText(-200)).toContain("\nОтветственный: Иван\n");
    expect(h.fake.buttons(OFFICE.healthChat).map((b) => b.callbackData)).toContain(`inc.return:1:${health}`);
  });

  it("a new post's card lists the duties first, the nearest first, and the return window after them as an option", async () => {
    h.clock.advance(5 * 60_000);
    route();
    await sync();
    // Routed 10:05: the return window is 30 working minutes (p.7), the draft 4 working hours before the answer (p.9).
    for (const chatId of [OFFICE.healthChat, OFFICE.executor, OFFICE.curatorsChat]) {
      const lines = h.lastText(chatId).split("\n");
      expect(lines.slice(lines.findIndex((line) => line.startsWith("Срок: ")))).toEqual([
        "Срок: 24.11.2026 16:00 — прислать проект ответа куратору (п. 9), осталось 4 ч 55 мин рабочего времени",
        "Ответ разместить до: 25.11.2026 11:00",
        "Вернуть не по компетенции можно до 24.11.2026 10:35 (п. 7), осталось 30 мин рабочего времени.",
      ]);
    }
  });

  it("a card too long for Telegram loses the end of long reasons, never its deadlines", async () => {
    const reason = "Очень длинная причина возврата. ".repeat(40);
    for (let i = 0; i < 3; i++) {
      route();
      const returned = returnIncident(h.db, {
        incidentId: 1,
        actor: person(OFFICE.executor),
        now: h.clock.now(),
        reason,
      });
      if (!returned.ok) throw new Error(returned.refusal);
    }
    route();
    await sync();
    const card = h.lastText(-200);
    expect(card.length).toBeLessThanOrEqual(4096);
    expect(card).toMatch(/\nВернуть не по компетенции можно до 24\.11\.2026 \d\d:\d\d \(п\. 7\)/);
    expect(card.match(/Возвращено \(Министерство здравоохранения\): /g)).toHaveLength(3);
  });

  it("a card too long with organizations' full names names them by their short names, losing no line", async () => {
    const school = (n: number) =>
      h.seedOrganization(
        `Муниципальное бюджетное общеобразовательное учреждение «Средняя общеобразовательная школа № ${n} ` +
          `с углублённым изучением отдельных предметов имени Героя Советского Союза ${"И".repeat(20)}» города`,
        `Школа № ${n}`,
      );
    const returning = school(100);
    h.seedPerson(3301, "Анна", [], [returning]);
    const taken = routeIncident(h.db, {
      incidentId: 1,
      leadId: returning,
      coexecutorIds: [],
      actor: person(OFFICE.curator),
      now: h.clock.now(),
    });
    if (!taken.ok) throw new Error(taken.refusal);
    const returned = returnIncident(h.db, {
      incidentId: 1,
      actor: person(3301),
      now: h.clock.now(),
      reason: "Не наша",
    });
    if (!returned.ok) throw new Error(returned.refusal);
    await sync();
    // A card that fits names organizations in full.
    expect(h.lastText(OFFICE.curatorsChat)).toContain(
      "Возвращено (Муниципальное бюджетное общеобразовательное",
    );
    const routed = routeIncident(h.db, {
      incidentId: 1,
      leadId: health,
      coexecutorIds: Array.from({ length: 16 }, (_, i) => school(i + 1)),
      actor: person(OFFICE.curator),
      now: h.clock.now(),
    });
    if (!routed.ok) throw new Error(routed.refusal);
    await sync();
    const card = h.lastText(OFFICE.curatorsChat);
    expect(card.length).toBeLessThanOrEqual(4096);
    expect(card).toContain("Соисполнители: Школа № 1 (ещё не взято в работу), Школа № 2");
    expect(card).toContain("Школа № 16 (ещё не взято в работу)");
    expect(card).toContain("Возвращено (Школа № 100): Не наша");
  });

  it("an organization's long name is shortened on its buttons", async () => {
    const east = h.seedOrganization(
      `Министерство ${"очень ".repeat(12)}длинного названия — Восток`,
      "Минвосток",
    );
    const west = h.seedOrganization(
      `Министерство ${"очень ".repeat(12)}длинного названия — Запад`,
      "Минзапад",
    );
    h.seedPerson(3300, "Пётр", [], [east, west]);
    const routed = routeIncident(h.db, {
      incidentId: 1,
      leadId: east,
      coexecutorIds: [west],
      actor: person(OFFICE.curator),
      now: h.clock.now(),
    });
    if (!routed.ok) throw new Error(routed.refusal);
    await sync();
    expect(h.fake.buttons(3300).map((b) => b.label)).toEqual([
      "Взять в работу: Минвосток",
      "Вернуть: Минвосток",
      "Взять в работу: Минзапад",
      "Вернуть: Минзапад",
      "История",
    ]);
  });

  it("an executor marked blocked gets private cards again once they unblock the bot", async () => {
    markBlocked(h.db, OFFICE.executor, h.clock.now());
    route();
    await sync();
    expect(h.texts(OFFICE.executor)).toEqual([]);
    const executor = h.user(OFFICE.executor, "Иван");
    await h.deliver(updates.myChatMember(executor.chat, executor.tg, "kicked", "member", h.fake.botUser));
    await sync();
    expect(executor.lastText()).toMatch(/^Сообщение № 1/);
  });

  it("an executor marked blocked gets private cards again once they write to the bot", async () => {
    markBlocked(h.db, OFFICE.executor, h.clock.now());
    route();
    await sync();
    const executor = h.user(OFFICE.executor, "Иван");
    await executor.send("/start");
    await sync();
    expect(executor.texts().some((text) => /^Сообщение № 1/.test(text))).toBe(true);
  });
});

describe("a card's deadlines", () => {
  /** The card's deadline lines in a chat, as the bot last left them. */
  const deadlines = (chatId: number) =>
    (h.texts(chatId).find((text) => text.startsWith("Сообщение № 1 · ")) ?? "")
      .split("\n")
      .filter((line) => /^(Срок|Ответ разместить до):/.test(line));
  const executor = () => h.user(OFFICE.executor, "Иван");

  it("the answer deadline passed says so, beside a step overdue before it (Orenburg)", async () => {
    route();
    accept();
    h.clock.set("2026-11-25T06:30:00Z"); // Wednesday 11:30: the answer was due at 11:00 (p.8)
    await sync();
    expect(deadlines(OFFICE.healthChat)).toEqual([
      "Срок: 24.11.2026 16:00 — прислать проект ответа куратору (п. 9), просрочено на 4 ч 30 мин рабочего времени",
      "Ответ разместить до: 25.11.2026 11:00, просрочено на 30 мин рабочего времени",
    ]);
  });

  it("once the answer deadline has passed, the card shows the step still ahead, the one reminded of (Orenburg)", async () => {
    route();
    accept();
    h.clock.set("2026-11-25T04:12:00Z"); // Wednesday 09:12: the draft was due at 16:00 yesterday (p.9)
    await sync();
    expect(deadlines(OFFICE.healthChat)).toEqual([
      "Срок: 25.11.2026 11:00 — разместить ответ (п. 8), осталось 1 ч 48 мин рабочего времени",
      "Срок: 24.11.2026 16:00 — прислать проект ответа куратору (п. 9), просрочено на 2 ч 12 мин рабочего времени",
    ]);

    h.clock.set("2026-11-25T06:30:00Z"); // 11:30: the answer was due at 11:00 (p.8); the draft comes
    submitDraft(h.db, {
      incidentId: 1,
      actor: person(OFFICE.executor),
      now: h.clock.now(),
      content: { text: "Здравствуйте! Свет починят сегодня.", attachments: [] },
    });
    await sweep(h.deps()); // the missed deadlines' alerts
    h.clock.set("2026-11-25T06:50:00Z"); // 11:50
    await sweep(h.deps());
    expect(h.lastText(OFFICE.curatorsChat)).toBe(
      "⏰ Сообщение № 1: согласовать или вернуть на доработку до 25.11.2026 12:00 (п. 10 регламента) — осталось 10 мин рабочего времени.",
    );
    expect(deadlines(OFFICE.curatorsChat)).toEqual([
      "Срок: 25.11.2026 12:00 — согласовать или вернуть на доработку (п. 10), осталось 10 мин рабочего времени",
      "Ответ разместить до: 25.11.2026 11:00, просрочено на 50 мин рабочего времени",
    ]);

    approveDraft(h.db, { incidentId: 1, actor: person(OFFICE.curator), now: h.clock.now() });
    h.clock.set("2026-11-25T07:10:00Z"); // 12:10: posting is due at 12:20 (p.12)
    await sweep(h.deps());
    expect(executor().lastText()).toBe(
      "⏰ Сообщение № 1: разместить согласованный ответ до 25.11.2026 12:20 (п. 12 регламента) — осталось 10 мин рабочего времени.",
    );
    for (const chatId of [OFFICE.healthChat, OFFICE.executor, OFFICE.curatorsChat])
      expect(deadlines(chatId)).toEqual([
        "Срок: 25.11.2026 12:20 — разместить согласованный ответ (п. 12), осталось 10 мин рабочего времени",
        "Ответ разместить до: 25.11.2026 11:00, просрочено на 1 ч 10 мин рабочего времени",
      ]);
  });

  it("once the answer deadline has passed, the card shows the decision still ahead, the one reminded of (Georgievsk)", async () => {
    await h.close();
    h = await Harness.start({ regulation: "georgievsk", now: "2026-11-24T08:40:00Z" }); // 11:40, Moscow
    ({ health } = seedOffice(h));
    seedRegistered(h);
    route();
    accept();
    h.clock.set("2026-11-24T13:50:00Z"); // 16:50: the answer was due at 16:40 (p.16); the draft comes
    submitDraft(h.db, {
      incidentId: 1,
      actor: person(OFFICE.executor),
      now: h.clock.now(),
      content: { text: "Здравствуйте! Свет починят сегодня.", attachments: [] },
    });
    await sweep(h.deps()); // the missed deadlines' alerts
    h.clock.set("2026-11-24T14:10:00Z"); // 17:10
    await sweep(h.deps());
    expect(h.lastText(OFFICE.curatorsChat)).toBe(
      "⏰ Сообщение № 1: согласовать или вернуть на доработку до 24.11.2026 17:20 (п. 12, 13 регламента) — осталось 10 мин рабочего времени.",
    );
    expect(deadlines(OFFICE.curatorsChat)).toEqual([
      "Срок: 24.11.2026 17:20 — согласовать или вернуть на доработку (п. 12, 13), осталось 10 мин рабочего времени",
      "Ответ разместить до: 24.11.2026 16:40, просрочено на 30 мин рабочего времени",
    ]);
  });

  it("routed anew after a return, the curators' card says since when the post has waited (Georgievsk p.16)", async () => {
    await h.close();
    h = await Harness.start({ regulation: "georgievsk", now: "2026-11-24T08:40:00Z" }); // 11:40, Moscow
    ({ health } = seedOffice(h));
    const education = h.seedOrganization("Министерство образования", "Минобр");
    seedRegistered(h);
    route();
    await sync();
    const waited = "Пост ждёт ответа с 24.11.2026 11:40";
    expect(h.texts(OFFICE.curatorsChat).at(-1)).not.toContain(waited);
    h.clock.set("2026-11-24T10:00:00Z"); // 13:00
    returnIncident(h.db, {
      incidentId: 1,
      actor: person(OFFICE.executor),
      now: h.clock.now(),
      reason: "Не наше",
    });
    h.clock.set("2026-11-24T10:20:00Z"); // 13:20: the answer's 4 working hours start anew (p.16) at 14:00
    const rerouted = routeIncident(h.db, {
      incidentId: 1,
      leadId: education,
      coexecutorIds: [],
      actor: person(OFFICE.curator),
      now: h.clock.now(),
    });
    if (!rerouted.ok) throw new Error(rerouted.refusal);
    await sync();
    const card = h.texts(OFFICE.curatorsChat).find((text) => text.startsWith("Сообщение № 1 · ")) ?? "";
    expect(card).toContain(`\n${waited}\n`);
    expect(card).toContain("\nОтвет разместить до: 24.11.2026 18:00"); // the deadline, from 13:20 (the lunch break)
  });

  it("the answer deadline passed says so, beside a step overdue before it (Georgievsk)", async () => {
    await h.close();
    h = await Harness.start({ regulation: "georgievsk", now: "2026-11-24T08:40:00Z" }); // 11:40, Moscow
    ({ health } = seedOffice(h));
    seedRegistered(h);
    route();
    accept();
    h.clock.set("2026-11-25T10:40:00Z"); // next day 13:40
    await sync();
    expect(deadlines(OFFICE.healthChat)).toEqual([
      "Срок: 24.11.2026 12:40 — прислать проект ответа куратору (п. 11), просрочено на 8 ч 20 мин рабочего времени",
      "Ответ разместить до: 24.11.2026 16:40, просрочено на 5 ч 20 мин рабочего времени",
    ]);
  });
});

describe("cards in a forum group's topics", () => {
  const forum = (id: number, title: string) => ({
    id,
    type: "supergroup" as const,
    title,
    is_forum: true as const,
  });
  const inTopic = (thread: number) => ({ message_thread_id: thread, is_topic_message: true });
  /** The topic each message of the bot's in the chat went to, with what it is (a card, a list). */
  const topics = (chatId: number) =>
    h.fake
      .messages(chatId)
      .map((m) => `${m.message.message_thread_id ?? "main"}: ${m.text?.split(/ ·|:/)[0]}`);

  it("a card asked for in a topic goes to that topic and is the chat's card from then on", async () => {
    const curators = forum(OFFICE.curatorsChat, "Кураторы");
    const curator = h.user(OFFICE.curator, "Ольга");
    await h.deliver(updates.text(curators, curator.tg, "/list", inTopic(7)));
    await curator.press("№ 1", curators);
    expect(topics(OFFICE.curatorsChat)).toEqual([
      "main: Сообщение № 1",
      "7: Открытые сообщения",
      "7: Сообщение № 1",
    ]);
    // The card in the main topic lost its buttons; the one in the topic is kept up to date there.
    expect(h.fake.messages(OFFICE.curatorsChat)[0]?.reply_markup).toBeUndefined();
    h.clock.advance(40 * 60_000);
    await sync();
    expect(cardMessage(OFFICE.curatorsChat)).toBe(h.fake.messages(OFFICE.curatorsChat)[2]?.message_id);
    expect(h.lastText(OFFICE.curatorsChat)).toMatch(/просрочено на 10 мин рабочего времени$/m);

    // An organization's work chat: /find typed in another topic.
    route();
    const work = forum(OFFICE.healthChat, "Минздрав: обращения");
    await h.deliver(updates.text(work, h.user(OFFICE.executor, "Иван").tg, "/find 1", inTopic(9)));
    expect(topics(OFFICE.healthChat)).toEqual(["9: Сообщение № 1"]);
  });

  it("a routing begun in a topic and overtaken meanwhile shows the card as it is in that topic", async () => {
    const curators = forum(OFFICE.curatorsChat, "Кураторы");
    const curator = h.user(OFFICE.curator, "Ольга");
    await h.deliver(updates.text(curators, curator.tg, "/find 1", inTopic(7)));
    await curator.press("Направить", curators);
    await curator.press(/Минздрав/, curators);
    route();
    await curator.press("Готово", curators);
    expect(topics(OFFICE.curatorsChat).slice(-2)).toEqual([
      "7: Пока вы выбирали, сообщение № 1 изменилось (его направили, взяли в работу, прислали информацию или поменяли важность, тему, повтор). Ничего не направлено. Вот карточка в нынешнем виде — проверьте и направьте заново",
      "7: Сообщение № 1",
    ]);
  });
});

describe("one incident's cards, synced twice at once", () => {
  it("show the latest state, even when the older sync's edits are slower", async () => {
    const before = snapshot();
    route();
    // The sync announcing the older state started first, and Telegram is slow to take its edit.
    h.fake.delayNext("editMessageText", 300);
    await Promise.all([syncCards(h.deps(), before), syncCards(h.deps(), snapshot())]);
    expect(h.fake.messages(-200)).toHaveLength(1);
    expect(h.lastText(-200)).toContain("Состояние: направлено исполнителю");
  });

  it("send a chat that has none one card, not two", async () => {
    const curatorPrivately = [{ chatId: OFFICE.curator, audience: { kind: "curators" as const } }];
    h.fake.delayNext("sendMessage", 300);
    await Promise.all([
      syncCards(h.deps(), snapshot(), curatorPrivately),
      syncCards(h.deps(), snapshot(), curatorPrivately),
    ]);
    expect(h.fake.messages(OFFICE.curator).filter((m) => m.text?.startsWith("Сообщение № 1"))).toHaveLength(
      1,
    );
  });
});

function snapshot() {
  const incident = loadIncident(h.db, 1);
  if (!incident) throw new Error("no incident");
  return incident;
}

function person(telegramId: number) {
  const found = findPerson(h.db, telegramId);
  if (!found) throw new Error(`no person ${telegramId}`);
  return found;
}

function route(): void {
  const routed = routeIncident(h.db, {
    incidentId: 1,
    leadId: health,
    coexecutorIds: [],
    actor: person(OFFICE.curator),
    now: h.clock.now(),
  });
  if (!routed.ok) throw new Error(routed.refusal);
}

function accept(): void {
  const accepted = acceptIncident(h.db, {
    incidentId: 1,
    actor: person(OFFICE.executor),
    now: h.clock.now(),
  });
  if (!accepted.ok) throw new Error(accepted.refusal);
}

const callsTo = (chatId: number) => h.fake.calls.filter((c) => c.params.chat_id === chatId).length;

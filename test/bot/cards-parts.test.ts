import { afterEach, describe, expect, it } from "vitest";
import { approveDraft, publishAnswer, submitDraft } from "../../src/app/answers.js";
import { returnIncident } from "../../src/app/incidents.js";
import { findPerson } from "../../src/app/people.js";
import type { Person } from "../../src/domain/access.js";
import { sweep } from "../../src/jobs/sweep.js";
import { Harness, type HarnessOptions } from "../support/bot-harness.js";
import { updates } from "../support/updates.js";
import { seedRegistered, showCards } from "../support/workflow.js";

/**
 * The cards of a post with a co-executor (Orenburg p.14, Georgievsk p.18): each audience sees its own
 * part — who holds it, where it stands, when it is due — and the curators see every holder.
 */

const CURATOR = 2001;
const LEAD_EXECUTOR = 3001;
const PART_EXECUTOR = 3002;
const CURATORS_CHAT = -200;
const LEAD_CHAT = -100;
const PART_CHAT = -300;

let h: Harness;

const curatorsChat = () => h.group(CURATORS_CHAT, "Кураторы");
const leadChat = () => h.group(LEAD_CHAT, "Минздрав: обращения");
const partChat = () => h.group(PART_CHAT, "Благоустройство: обращения");
const curator = () => h.user(CURATOR, "Ольга");
const sergey = () => h.user(LEAD_EXECUTOR, "Сергей");
const maria = () => h.user(PART_EXECUTOR, "Мария");

/** Tuesday 24.11.2026 10:00 in Yekaterinburg (Orenburg preset). */
const TUESDAY_10 = "2026-11-24T05:00:00Z";
/** The same Tuesday 10:00 in Moscow (Georgievsk preset). */
const TUESDAY_10_MOSCOW = "2026-11-24T07:00:00Z";
const GEORGIEVSK: HarnessOptions = { now: TUESDAY_10_MOSCOW, regulation: "georgievsk" };

/** № 1 registered at 10:00, its card in the curators' chat. */
async function office(options: HarnessOptions = { now: TUESDAY_10 }): Promise<number> {
  h = await Harness.start(options);
  const health = h.seedOrganization("Министерство здравоохранения", "Минздрав");
  const yards = h.seedOrganization("Благоустройство");
  h.seedChat(curatorsChat(), null);
  h.seedChat(leadChat(), health);
  h.seedChat(partChat(), yards);
  h.seedPerson(CURATOR, "Ольга", ["curator"]);
  h.seedPerson(LEAD_EXECUTOR, "Сергей", [], [health]);
  h.seedPerson(PART_EXECUTOR, "Мария", [], [yards]);
  const id = seedRegistered(h, { link: "https://vk.com/wall-1_1" });
  await showCards(h, id);
  return id;
}

/** The curator routes № id to the health ministry, with «Благоустройство» as the co-executor. */
async function routeWithPart(id: number): Promise<void> {
  await route(id, [/Минздрав/, /Благоустройство/]);
}

async function route(id: number, picks: RegExp[]): Promise<void> {
  const data = `inc.route:${id}`;
  const button = h.fake.buttons(CURATORS_CHAT).find((b) => b.callbackData === data);
  if (!button) throw new Error("no route button");
  await h.deliver(updates.callback(curator().tg, button.message, data));
  for (const pick of picks) await curator().press(pick, curatorsChat());
  await curator().press("Готово", curatorsChat());
}

/** The card of № 1 in a chat, as it looks now. */
function cardIn(chatId: number): string {
  return h.texts(chatId).findLast((text) => text.startsWith("Сообщение № 1 · ")) ?? "";
}

/** The card's last lines: its deadlines. */
const ending = (chatId: number, lines: number) => cardIn(chatId).split("\n").slice(-lines);

afterEach(() => h.close());

describe("who holds each organization's part", () => {
  it("a co-executor's chat and its executor see their own holder, not the lead's; the curators and the lead see both", async () => {
    const id = await office();
    await routeWithPart(id);
    await sergey().press("Взять в работу", leadChat());
    expect(cardIn(CURATORS_CHAT)).toContain(
      "Исполнитель: Министерство здравоохранения\nОтветственный: Сергей\n" +
        "Соисполнители: Благоустройство (ещё не взято в работу)\n",
    );

    await maria().press("Взять в работу", partChat());
    for (const chatId of [PART_CHAT, PART_EXECUTOR]) {
      expect(cardIn(chatId)).toContain(
        "Соисполнители: Благоустройство\nОтветственный (Благоустройство): Мария\n",
      );
      expect(cardIn(chatId)).not.toContain("Сергей");
    }
    expect(cardIn(CURATORS_CHAT)).toContain(
      "Исполнитель: Министерство здравоохранения\nОтветственный: Сергей\nСоисполнители: Благоустройство (Мария)\n",
    );
    for (const chatId of [LEAD_CHAT, LEAD_EXECUTOR]) {
      expect(cardIn(chatId)).toContain("Ответственный: Сергей\nСоисполнители: Благоустройство (Мария)\n");
    }
  });
});

describe("the parts the lead waits for, on its cards", () => {
  it("Orenburg: the lead's chat and executor see where each co-executor's part stands, and when it is overdue (p.14)", async () => {
    const id = await office();
    await routeWithPart(id);
    await sergey().press("Взять в работу", leadChat());
    for (const chatId of [LEAD_CHAT, LEAD_EXECUTOR])
      expect(cardIn(chatId)).toContain("Соисполнители: Благоустройство (ещё не взято в работу)\n");

    h.clock.set(new Date("2026-11-24T07:01:00Z")); // 12:01: the part (2 working hours) is overdue
    await sweep(h.deps());
    for (const chatId of [LEAD_CHAT, LEAD_EXECUTOR])
      expect(cardIn(chatId)).toContain(
        "Соисполнители: Благоустройство (ещё не взято в работу; срок информации истёк 24.11.2026 12:00)\n",
      );
    await maria().press("Взять в работу", partChat());
    expect(cardIn(LEAD_CHAT)).toContain(
      "Соисполнители: Благоустройство (Мария; срок информации истёк 24.11.2026 12:00)\n",
    );
    // Its own cards say it in their deadline line: no note beside its name.
    expect(cardIn(PART_CHAT)).toContain("Соисполнители: Благоустройство\n");

    await maria().press("Отправить информацию", partChat());
    await maria().send("Двор очистят до пятницы.", partChat());
    expect(cardIn(LEAD_CHAT)).toContain(
      "Соисполнители: Благоустройство (Мария)\nИнформация соисполнителя получена: Благоустройство\n",
    );
  });

  it("Georgievsk: the lead's card says the part is late, then that the curators have it (p.18)", async () => {
    const id = await office(GEORGIEVSK);
    await routeWithPart(id);
    await sergey().press("Взять в работу", leadChat());
    await maria().press("Взять в работу", partChat());
    h.clock.set(new Date("2026-11-24T09:01:00Z")); // 12:01 in Moscow: the part is overdue
    await sweep(h.deps());
    expect(cardIn(LEAD_CHAT)).toContain(
      "Соисполнители: Благоустройство (Мария; срок информации истёк 24.11.2026 12:00)\n",
    );
    await maria().press("Отправить информацию", partChat());
    await maria().send("Двор очистят до пятницы.", partChat());
    expect(cardIn(LEAD_CHAT)).toContain(
      "Соисполнители: Благоустройство (Мария)\nИнформация соисполнителя у куратора на согласовании: Благоустройство\n",
    );
  });
});

describe("a co-executor's own part on its cards", () => {
  it("Orenburg: its card shows where its part stands, not the lead's state", async () => {
    const id = await office();
    await routeWithPart(id);
    await sergey().press("Взять в работу", leadChat());
    expect(cardIn(LEAD_CHAT)).toContain("Состояние: в работе\n");
    expect(cardIn(PART_CHAT)).toContain("Состояние: направлено, ещё не взято в работу\n");
    expect(cardIn(PART_CHAT)).not.toContain("Ответственный");

    await maria().press("Взять в работу", partChat());
    expect(cardIn(PART_CHAT)).toContain("Состояние: в работе\n");
    await maria().press("Отправить информацию", partChat());
    await maria().send("Двор очистят до пятницы.", partChat());
    expect(cardIn(PART_CHAT)).toContain("Состояние: информация передана основному исполнителю\n");
  });

  it("Georgievsk: the same, with its part waiting for the curators, then passed on by them (p.18)", async () => {
    const id = await office(GEORGIEVSK);
    await routeWithPart(id);
    await sergey().press("Взять в работу", leadChat());
    expect(cardIn(PART_CHAT)).toContain("Состояние: направлено, ещё не взято в работу\n");
    await maria().press("Взять в работу", partChat());
    await maria().press("Отправить информацию", partChat());
    await maria().send("Двор очистят до пятницы.", partChat());
    expect(cardIn(PART_CHAT)).toContain("Состояние: информация отправлена, у куратора на согласовании\n");
    await curator().press("Согласовать и передать: Благоустройство", curatorsChat());
    expect(cardIn(PART_CHAT)).toContain("Состояние: информация передана основному исполнителю\n");
  });

  it("Orenburg: its part's deadline is shown above the return window, and alone once taken (p.7, 14)", async () => {
    const id = await office();
    await routeWithPart(id);
    expect(ending(PART_CHAT, 3)).toEqual([
      "Срок: 24.11.2026 12:00 — прислать информацию соисполнителя (п. 14), осталось 2 ч рабочего времени",
      "Ответ разместить до: 25.11.2026 11:00",
      "Вернуть не по компетенции можно до 24.11.2026 10:30 (п. 7), осталось 30 мин рабочего времени.",
    ]);
    await maria().press("Взять в работу", partChat());
    expect(ending(PART_CHAT, 2)).toEqual([
      "Срок: 24.11.2026 12:00 — прислать информацию соисполнителя (п. 14), осталось 2 ч рабочего времени",
      "Ответ разместить до: 25.11.2026 11:00",
    ]);
  });

  it("Georgievsk: its part's deadline is shown above the return window (p.10, 18)", async () => {
    const id = await office(GEORGIEVSK);
    await routeWithPart(id);
    expect(ending(PART_EXECUTOR, 3)).toEqual([
      "Срок: 24.11.2026 12:00 — прислать информацию соисполнителя (п. 18), осталось 2 ч рабочего времени",
      "Ответ разместить до: 24.11.2026 15:00",
      "Вернуть не по компетенции можно до 24.11.2026 10:30 (п. 10), осталось 30 мин рабочего времени.",
    ]);
  });
});

describe("the curators' own deadline", () => {
  it("Georgievsk: a part waiting to be passed on shows the curators' deadline for it (p.18)", async () => {
    const id = await office(GEORGIEVSK);
    await routeWithPart(id);
    await sergey().press("Взять в работу", leadChat());
    await maria().press("Взять в работу", partChat());
    h.clock.set(new Date("2026-11-24T07:40:00Z"));
    await maria().press("Отправить информацию", partChat());
    await maria().send("Двор очистят до пятницы.", partChat());

    expect(ending(CURATORS_CHAT, 2)).toEqual([
      "Срок: 24.11.2026 11:10 — передать основному исполнителю информацию соисполнителя (п. 18), осталось 30 мин рабочего времени",
      "Ответ разместить до: 24.11.2026 15:00",
    ]);
    // The curators' step is not the lead's: its card keeps its own deadline.
    expect(cardIn(LEAD_CHAT)).not.toContain("передать основному исполнителю");

    await curator().press("Согласовать и передать: Благоустройство", curatorsChat());
    expect(cardIn(CURATORS_CHAT)).not.toContain("передать основному исполнителю");
  });
});

describe("a post returned by its organization", () => {
  function returnedByLead(id: number): void {
    const returned = returnIncident(h.db, {
      incidentId: id,
      actor: findPerson(h.db, LEAD_EXECUTOR) as Person,
      now: h.clock.now(),
      reason: "Не наша компетенция.",
    });
    if (!returned.ok) throw new Error(returned.refusal);
  }

  it("Georgievsk: the answer deadline of the routing returned is gone; the next routing starts it again (p.16)", async () => {
    const id = await office(GEORGIEVSK);
    await route(id, [/Минздрав/]);
    expect(cardIn(CURATORS_CHAT)).toContain("Ответ разместить до: 24.11.2026 15:00");
    h.clock.set(new Date("2026-11-24T07:20:00Z"));
    returnedByLead(id);
    await showCards(h, id);

    expect(ending(CURATORS_CHAT, 1)).toEqual([
      "Срок: 24.11.2026 11:20 — направить исполнителю (п. 9), осталось 1 ч рабочего времени",
    ]);
    expect(cardIn(CURATORS_CHAT)).not.toContain("Ответ разместить до");

    h.clock.set(new Date("2026-11-24T07:40:00Z"));
    await route(id, [/Минздрав/]);
    expect(cardIn(CURATORS_CHAT)).toContain("Ответ разместить до: 24.11.2026 15:40");
  });

  it("Orenburg: the answer deadline counts from detection (p.8), so it still applies", async () => {
    const id = await office();
    await route(id, [/Минздрав/]);
    h.clock.set(new Date("2026-11-24T05:20:00Z"));
    returnedByLead(id);
    await showCards(h, id);
    expect(ending(CURATORS_CHAT, 1)).toEqual(["Ответ разместить до: 25.11.2026 11:00"]);
  });

  it("the organization that returned it is told where the post went, not another's holder and deadlines", async () => {
    const id = await office();
    await route(id, [/Минздрав/]);
    await sergey().press("Взять в работу", leadChat());
    h.clock.set(new Date("2026-11-24T05:20:00Z"));
    returnedByLead(id);
    await showCards(h, id);
    expect(cardIn(LEAD_CHAT)).toContain("Состояние: возвращено куратору, ждёт направления\n");
    expect(cardIn(LEAD_CHAT)).toContain("Возвращено (Министерство здравоохранения): Не наша компетенция.");
    expect(cardIn(LEAD_CHAT)).not.toContain("Срок");

    await route(id, [/Благоустройство/]);
    await maria().press("Взять в работу", partChat());
    expect(cardIn(LEAD_CHAT)).toContain("Состояние: передано другому органу (Благоустройство)\n");
    expect(cardIn(LEAD_CHAT)).not.toMatch(/Ответственный|Срок|Ответ разместить до/);
    expect(cardIn(PART_CHAT)).toContain("Ответственный: Мария");
  });
});

describe("once the answer is out", () => {
  it("a co-executor that never took the post has no buttons left, and an old «Вернуть» changes nothing", async () => {
    const id = await office();
    await routeWithPart(id);
    await sergey().press("Взять в работу", leadChat());
    const stale = h.fake.buttons(PART_CHAT).find((b) => b.callbackData?.startsWith("inc.return:"));
    if (!stale?.callbackData) throw new Error("no «Вернуть» on the co-executor's card");
    const now = h.clock.now();
    const as = (telegramId: number) => findPerson(h.db, telegramId) as Person;
    const content = { text: "Здравствуйте! Двор очистят до пятницы.", attachments: [] };
    for (const done of [
      submitDraft(h.db, { incidentId: id, actor: as(LEAD_EXECUTOR), now, content }),
      approveDraft(h.db, { incidentId: id, actor: as(CURATOR), now }),
      publishAnswer(h.db, {
        incidentId: id,
        actor: as(LEAD_EXECUTOR),
        now,
        link: "https://vk.com/wall-1_1?reply=2",
        onTime: true,
        rules: { curatorMayPublish: true },
      }),
    ])
      if (!done.ok) throw new Error(done.refusal);
    await showCards(h, id);
    expect(cardIn(PART_CHAT)).toContain("Состояние: ответ размещён");
    const actions = h.fake.buttons(PART_CHAT).map((b) => b.callbackData?.split(":")[0]);
    expect(actions).toEqual(["inc.hist"]);
    expect(cardIn(PART_CHAT)).not.toContain("Ответ разместить до");
    expect(cardIn(CURATORS_CHAT)).not.toContain("Ответ разместить до");

    const curatorsSaid = h.texts(CURATORS_CHAT).length;
    const press = updates.callback(maria().tg, stale.message, stale.callbackData);
    await h.deliver(press);
    expect(h.fake.callbackAnswer(press.callback_query?.id ?? "")?.text).toBe(
      "Сообщение № 1: ответ размещён. Это действие уже недоступно.",
    );
    expect(h.texts(CURATORS_CHAT)).toHaveLength(curatorsSaid);
  });
});

/**
 * «Взять себе»: the executor who took a post falls ill or goes on leave, and a colleague of the same
 * organization carries it on — asked once, then the holder changes in one transition; the reminders,
 * the draft and the report follow the new holder. Tuesday 24.11.2026 under the Orenburg preset.
 */
import { afterEach, describe, expect, it } from "vitest";
import { submitDraft } from "../../src/app/answers.js";
import { acceptIncident, routeIncident } from "../../src/app/incidents.js";
import { findPerson } from "../../src/app/people.js";
import { tr } from "../../src/bot/texts-reports.js";
import type { Person } from "../../src/domain/access.js";
import { sweep } from "../../src/jobs/sweep.js";
import { buildMonthlyReport } from "../../src/reports/figures.js";
import { Harness, type TestUser } from "../support/bot-harness.js";
import { updates } from "../support/updates.js";
import {
  diedAfter,
  OFFICE,
  seedIncidentInWork,
  seedOffice,
  seedRegistered,
  showCards,
} from "../support/workflow.js";

/** Tuesday 24.11.2026 10:00 in Yekaterinburg: the draft is due at 16:00 (p.9). */
const TUESDAY_10 = "2026-11-24T05:00:00Z";
const PETR = 3002;

let h: Harness;
let ivan: TestUser;
let petr: TestUser;

afterEach(async () => {
  await h?.close();
});

/** Минздрав with two executors; Иван has taken post № 1 into work. */
async function office(): Promise<number> {
  h = await Harness.start({ now: TUESDAY_10 });
  const { health } = seedOffice(h);
  petr = h.seedPerson(PETR, "Пётр", [], [health]);
  ivan = h.user(OFFICE.executor, "Иван");
  return seedIncidentInWork(h, health);
}

/** Минобр leads post № 1, Минздрав (Иван and Пётр) its co-executor; Иван has taken the part. */
async function partOffice(): Promise<number> {
  h = await Harness.start({ now: TUESDAY_10 });
  const { health } = seedOffice(h);
  petr = h.seedPerson(PETR, "Пётр", [], [health]);
  const education = h.seedOrganization("Министерство образования", "Минобр");
  h.seedPerson(3003, "Мария", [], [education]);
  const curator = findPerson(h.db, OFFICE.curator) as Person;
  const ivanPerson = findPerson(h.db, OFFICE.executor) as Person;
  ivan = h.user(OFFICE.executor, "Иван");
  const id = seedRegistered(h);
  const now = h.clock.now();
  routeIncident(h.db, { incidentId: id, leadId: education, coexecutorIds: [health], actor: curator, now });
  acceptIncident(h.db, { incidentId: id, actor: ivanPerson, now, organizationId: health });
  await showCards(h, id);
  return id;
}

const healthChat = () => h.group(OFFICE.healthChat, "Минздрав: обращения");
const labels = (chatId: number) => h.fake.buttons(chatId).map((b) => b.label);
const reminders = (chatId: number) => h.texts(chatId).filter((text) => text.startsWith("⏰"));

/** Пётр takes the post over from his private card, confirming. */
async function petrTakesOver(): Promise<string | undefined> {
  await petr.press("Взять себе");
  return petr.press("Да, взять себе");
}

describe("«Взять себе»: a colleague takes over a post another holds", () => {
  it("asks once, then the post is the colleague's: the cards name him, «История» shows it, the former holder is told quietly", async () => {
    const id = await office();
    expect(labels(OFFICE.executor)).not.toContain("Взять себе");
    expect(labels(OFFICE.healthChat)).toContain("Взять себе");

    expect(await petr.press("Взять себе")).toBeUndefined();
    expect(petr.lastText()).toBe(
      `Взять себе сообщение № ${id}? Сейчас ответственный — Иван. Сроки не изменятся; напоминания и ответственность перейдут к вам.`,
    );
    expect(h.texts(OFFICE.curatorsChat).at(-1)).toContain("Ответственный: Иван");
    expect(await petr.press("Да, взять себе")).toBe(`Сообщение № ${id} теперь ваше.`);

    expect(petr.texts().at(-1)).toBe(`Сообщение № ${id} передано: Иван → Пётр.`);
    for (const chatId of [OFFICE.curatorsChat, OFFICE.healthChat, OFFICE.executor, PETR]) {
      const card = h.texts(chatId).find((text) => text.startsWith(`Сообщение № ${id}`)) ?? "";
      expect(card).toContain("Ответственный: Пётр");
    }
    // The deadlines stay as they were.
    expect(h.texts(OFFICE.healthChat)[0]).toContain(
      "Срок: 24.11.2026 16:00 — прислать проект ответа куратору",
    );
    // Now Иван may take it back, and Пётр has nothing to take.
    expect(labels(OFFICE.executor)).toContain("Взять себе");
    expect(labels(PETR)).not.toContain("Взять себе");

    const toIvan = h.fake
      .callsOf("sendMessage")
      .filter((call) => Number(call.params.chat_id) === OFFICE.executor);
    expect(toIvan.at(-1)?.params).toMatchObject({
      text: `Сообщение № ${id} передано: Иван → Пётр. Напоминания по нему теперь получает Пётр, вам делать ничего не нужно.`,
      disable_notification: true,
    });

    await petr.press("История");
    expect(petr.lastText()).toMatch(/24\.11\.2026 10:00 — Пётр — передано: Иван → Пётр$/m);
  });

  it("handled again after a crash once its notices went out, the former holder is told once", async () => {
    await office();
    await petr.press("Взять себе");
    const { message, callbackData } = h.fake.findButton(PETR, "Да, взять себе");
    const update = await h.deliver(updates.callback(petr.tg, message, callbackData));
    diedAfter(h, update, "the notices");
    await h.bot.handleUpdate(update);
    expect(h.texts(OFFICE.executor).filter((text) => text.includes("передано: Иван → Пётр"))).toHaveLength(1);
  });

  it("the holder pressing it in the work chat is told the post is his; «Отмена» leaves it as it was", async () => {
    const id = await office();
    expect(await ivan.press("Взять себе", healthChat())).toBe(`Сообщение № ${id} и так у вас в работе.`);
    expect(h.texts(OFFICE.healthChat)).toHaveLength(1);

    await petr.press("Взять себе", healthChat());
    // Only the one asked answers the question.
    expect(await ivan.press("Да, взять себе", healthChat())).toBe("Этот вопрос задан другому сотруднику.");
    await petr.press("Отмена", healthChat());
    expect(h.lastText(OFFICE.healthChat)).toBe("Отменено: ответственный прежний.");
    expect(h.texts(OFFICE.healthChat)[0]).toContain("Ответственный: Иван");
  });

  it("a second «Да», or one asked before the post moved on, changes nothing", async () => {
    const id = await office();
    await petr.press("Взять себе");
    const { message, callbackData } = h.fake.findButton(PETR, "Да, взять себе");
    expect(await petr.press("Да, взять себе")).toBe(`Сообщение № ${id} теперь ваше.`);
    const again = await h.deliver({
      callback_query: {
        id: "again",
        from: petr.tg,
        chat_instance: "1",
        message: message as never,
        data: callbackData,
      },
    });
    expect(h.fake.callbackAnswer(again.callback_query?.id ?? "")?.text).toBe(
      `Сообщение № ${id} и так у вас в работе.`,
    );

    // Иван would take it back, but Пётр sends the draft before he confirms: the question was about the post as it was.
    await ivan.press("Взять себе");
    const content = { text: "Здравствуйте! Снег вывезут до пятницы.", attachments: [] };
    const actor = findPerson(h.db, PETR) as Person;
    expect(submitDraft(h.db, { incidentId: id, actor, now: h.clock.now(), content }).ok).toBe(true);
    expect(await ivan.press("Да, взять себе")).toBe(
      `Пока вы подтверждали, сообщение № ${id} изменилось, поэтому ничего не сделано. Посмотрите карточку и нажмите «Взять себе» ещё раз, если нужно.`,
    );
  });

  it("the reminders go to the colleague from then on, not to the former holder", async () => {
    await office();
    h.clock.set("2026-11-24T06:00:00Z"); // 11:00
    await petrTakesOver();
    h.clock.set("2026-11-24T09:30:00Z"); // 14:30, past half of the draft's time
    await sweep(h.deps());
    expect(reminders(PETR)).toEqual([
      "⏰ Сообщение № 1: прислать проект ответа куратору до 24.11.2026 16:00 (п. 9 регламента) — осталось 1 ч 30 мин рабочего времени.",
    ]);
    expect(reminders(OFFICE.executor)).toEqual([]);
  });

  it("the former holder's draft dialogue left open is not sent; his saved draft is offered to the colleague", async () => {
    const id = await office();
    await ivan.press("Подготовить ответ");
    await ivan.send("Здравствуйте! Снег вывезут до пятницы.");
    await ivan.press("Готово");
    await petrTakesOver();
    expect(petr.texts().at(-1)).toBe(
      `Сообщение № ${id} передано: Иван → Пётр. Начатый черновик передан тоже: «Подготовить ответ» предложит продолжить его.`,
    );
    expect(ivan.lastText()).toContain("Ваш начатый черновик передан вместе с ним.");

    await ivan.press("Отправить на согласование");
    expect(ivan.lastText()).toBe(
      `Не отправлено: сообщение № ${id} теперь в работе у коллеги — Пётр. Ваш начатый черновик передан вместе с сообщением.`,
    );
    expect(h.texts(OFFICE.curatorsChat).some((text) => text.startsWith("Проект "))).toBe(false);

    await petr.press("Подготовить ответ");
    expect(petr.lastText()).toContain(`По сообщению № ${id} есть начатый черновик: текст (38 симв.)`);
  });

  it("a co-executor's part: the colleague takes it over, and its card and «История» say whose part it is", async () => {
    const id = await partOffice();

    await petr.press("Взять себе");
    expect(petr.lastText()).toBe(
      `Взять себе информацию соисполнителя (Минздрав) по сообщению № ${id}? Сейчас ответственный — Иван. ` +
        "Сроки не изменятся; напоминания и ответственность перейдут к вам.",
    );
    expect(await petr.press("Да, взять себе")).toBe(
      `Информация соисполнителя (Минздрав) по сообщению № ${id} теперь ваша.`,
    );
    expect(h.texts(OFFICE.healthChat)[0]).toContain("Ответственный (Министерство здравоохранения): Пётр");
    expect(h.lastText(OFFICE.executor)).toBe(
      `Сообщение № ${id} (информация соисполнителя: Минздрав) передано: Иван → Пётр. ` +
        "Напоминания по нему теперь получает Пётр, вам делать ничего не нужно.",
    );
    await petr.press("История");
    expect(petr.lastText()).toContain(
      "Пётр — передано: Иван → Пётр (информация соисполнителя: Министерство здравоохранения)",
    );
  });

  it("a co-executor's part dialogue the former holder left open is not sent once a colleague took the part over", async () => {
    const id = await partOffice();

    await ivan.press("Отправить информацию");
    h.clock.set("2026-11-24T05:10:00Z");
    await petrTakesOver();
    await ivan.send("В поликлинике № 2 открыта запись к терапевту.");
    expect(ivan.lastText()).toBe(
      `Не отправлено: информацию соисполнителя по сообщению № ${id} теперь готовит коллега — Пётр. ` +
        "Если ваш текст нужен, перешлите его коллеге.",
    );
    expect(h.texts(OFFICE.curatorsChat).some((text) => text.includes("открыта запись к терапевту"))).toBe(
      false,
    );
  });

  it("the report charges a step due after the hand-over to the colleague, not to the former holder", async () => {
    const id = await office();
    h.clock.set("2026-11-24T06:00:00Z"); // 11:00, the draft due at 16:00
    await petrTakesOver();
    h.clock.set("2026-12-01T05:00:00Z");
    const report = buildMonthlyReport(h.db, h.sla, { year: 2026, month: 11 });
    expect(tr.violations(report).split("\n")).toEqual([
      "Нарушения регламента за ноябрь 2026 г.: 2",
      `№ ${id} · Минздрав · Пётр — прислать проект ответа куратору (п. 9): срок 24.11.2026 16:00, не выполнено к концу месяца, опоздание 4 раб. дн. 2 ч`,
      `№ ${id} · Минздрав · Пётр — ответ на сообщение (п. 8): срок 25.11.2026 11:00, не выполнено к концу месяца, опоздание 3 раб. дн. 6 ч`,
    ]);
  });
});

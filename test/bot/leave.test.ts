/**
 * «В отпуске до …»: an executor on leave is pinged privately no more, his colleagues hear once which
 * posts he holds, the cards and /people say so, and the leave ends by itself after its last day.
 * Tuesday 24.11.2026 under the Orenburg preset; Иван (Минздрав) holds post № 1.
 */
import { afterEach, describe, expect, it } from "vitest";
import { announceLeaves } from "../../src/bot/leave.js";
import { sweep } from "../../src/jobs/sweep.js";
import { Harness, type TestUser } from "../support/bot-harness.js";
import { OFFICE, seedIncidentInWork, seedOffice } from "../support/workflow.js";

/** Tuesday 24.11.2026 10:00 in Yekaterinburg: the draft is due at 16:00 (p.9). */
const TUESDAY_10 = "2026-11-24T05:00:00Z";
/** 14:30, past half of the draft's time: the reminder is due. */
const TUESDAY_1430 = "2026-11-24T09:30:00Z";
const ADMIN = 1001;
const PETR = 3002;

let h: Harness;
let ivan: TestUser;

afterEach(async () => {
  await h?.close();
});

/** Минздрав (Иван, and Пётр unless `alone`) with a work chat; Иван has taken post № 1 into work. */
async function office(alone = false): Promise<number> {
  h = await Harness.start({ now: TUESDAY_10, adminIds: [ADMIN] });
  const { health } = seedOffice(h);
  if (!alone) h.seedPerson(PETR, "Пётр", [], [health]);
  h.seedPerson(ADMIN, "Анна", ["admin"]);
  ivan = h.user(OFFICE.executor, "Иван");
  return seedIncidentInWork(h, health);
}

const admin = () => h.user(ADMIN, "Анна");
const reminders = (chatId: number) => h.texts(chatId).filter((text) => text.startsWith("⏰"));
const leaveNotices = (chatId: number) => h.texts(chatId).filter((text) => text.includes("в отпуске до"));
const CHAT_NOTICE =
  "Иван в отпуске до 14.12.2026. В работе у сотрудника: № 1 — возьмите его себе кнопкой «Взять себе» на карточке.";

describe("«В отпуске до …»", () => {
  it("the executor sets his own leave: the work chat hears once which posts he holds, the card names him on leave", async () => {
    await office();
    await ivan.send("/leave 14.12.2026");
    expect(ivan.lastText()).toMatch(/^Готово: вы в отпуске до 14\.12\.2026 включительно\./);
    expect(leaveNotices(OFFICE.healthChat)).toContain(CHAT_NOTICE);
    expect(h.fake.buttons(OFFICE.healthChat).map((b) => b.label)).toContain("№ 1");
    const card = h.texts(OFFICE.healthChat).find((text) => text.startsWith("Сообщение № 1"));
    expect(card).toContain("Иван (в отпуске до 14.12)");

    // The minute job comes again later: the chat is not told twice.
    h.clock.set("2026-11-24T06:00:00Z");
    await announceLeaves(h.deps(), h.deps().api);
    expect(leaveNotices(OFFICE.healthChat).filter((text) => text === CHAT_NOTICE)).toHaveLength(1);
  });

  it("reads only a date from today to a year ahead, in Russian", async () => {
    await office();
    await ivan.send("/leave");
    expect(ivan.lastText()).toMatch(/^Укажите последний день отпуска в формате ДД\.ММ\.ГГГГ/);
    await ivan.send("до конца месяца");
    expect(ivan.lastText()).toBe(
      "Не удалось прочитать дату. Напишите последний день отпуска так: 14.05.2026.",
    );
    await ivan.send("31.11.2026");
    expect(ivan.lastText()).toBe(
      "Не удалось прочитать дату. Напишите последний день отпуска так: 14.05.2026.",
    );
    await ivan.send("23.11.2026");
    expect(ivan.lastText()).toBe("Эта дата уже прошла. Укажите последний день отпуска: сегодня или позже.");
    await ivan.send("01.01.2028");
    expect(ivan.lastText()).toBe("Отпуск можно указать не больше чем на год вперёд. Проверьте дату.");
    await ivan.send("30.11.2026");
    expect(ivan.lastText()).toMatch(/^Готово: вы в отпуске до 30\.11\.2026 включительно\./);
  });

  it("while on leave the private reminder is muted; the work chat's goes as ever", async () => {
    await office();
    await ivan.send("/leave 14.12.2026");
    h.clock.set(TUESDAY_1430);
    await sweep(h.deps());
    expect(reminders(OFFICE.healthChat)).toHaveLength(1);
    expect(reminders(OFFICE.executor)).toEqual([]);
  });

  it("a card he asks for on leave (/find) is shown to him", async () => {
    await office();
    await ivan.send("/leave 14.12.2026");
    await ivan.send("/find 1");
    expect(ivan.lastText()).toMatch(/^Сообщение № 1/);
  });

  it("ends by itself after its last day: the next day's reminder reaches him privately again", async () => {
    await office();
    await ivan.send("/leave 24.11.2026");
    h.clock.set(TUESDAY_1430);
    await sweep(h.deps());
    expect(reminders(OFFICE.executor)).toEqual([]);
    h.clock.set("2026-11-25T05:00:00Z"); // Wednesday 10:00: the draft is overdue
    await sweep(h.deps());
    expect(h.texts(OFFICE.executor).some((text) => text.includes("❗ Сообщение № 1"))).toBe(true);
    await ivan.send("/leave");
    expect(ivan.lastText()).toMatch(/^Укажите последний день отпуска/);
  });

  it("an admin sets it in /people: the list and the card say so, and «Отменить отпуск» ends it", async () => {
    await office();
    await admin().send("/people");
    await admin().press(/Иван/);
    await admin().press("Указать отпуск");
    await admin().send("14.12.2026");
    expect(admin().lastText()).toMatch(/^Готово: Иван в отпуске до 14\.12\.2026 включительно\./);
    expect(leaveNotices(OFFICE.healthChat)).toContain(CHAT_NOTICE);
    await admin().send("/people");
    expect(admin().lastText()).toContain("Иван (в отпуске до 14.12) — исполнитель");
    await admin().press(/Иван/);
    expect(admin().lastText()).toContain("В отпуске до 14.12.2026 включительно: лично бот не пишет.");
    await admin().press("Отменить отпуск");
    expect(admin().lastText()).not.toContain("В отпуске до");
    h.clock.set(TUESDAY_1430);
    await sweep(h.deps());
    expect(reminders(OFFICE.executor)).toHaveLength(1);
  });

  it("the organization's only executor on leave: the curators are told too", async () => {
    await office(true);
    await ivan.send("/leave 14.12.2026");
    expect(h.texts(OFFICE.curatorsChat)).toContain(
      "Иван, единственный исполнитель органа «Министерство здравоохранения», в отпуске до 14.12.2026. " +
        "В работе: № 1 — взять некому. Направьте его другому органу кнопкой «Переназначить» на карточке " +
        "или попросите администратора пригласить исполнителя.",
    );
  });
});

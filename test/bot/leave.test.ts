/**
 * «В отпуске до …»: an executor on leave is pinged privately no more, his colleagues hear once which
 * posts he holds, the cards and /people say so, and the leave ends by itself after its last day.
 * Tuesday 24.11.2026 under the Orenburg preset; Иван (Минздрав) holds post № 1.
 */
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { findPerson, setHeadPurpose } from "../../src/app/people.js";
import { announceLeaves, welcomeBack } from "../../src/bot/leave.js";
import { boundChats, HEAD_PURPOSES, headSettings, type PersonRole } from "../../src/db/schema.js";
import { curatorsDigest } from "../../src/jobs/digest.js";
import { sweep } from "../../src/jobs/sweep.js";
import { Harness, type TestUser } from "../support/bot-harness.js";
import {
  OFFICE,
  routeTo,
  seedDraft,
  seedIncidentInWork,
  seedOffice,
  seedRegistered,
  showCards,
} from "../support/workflow.js";

/** Tuesday 24.11.2026 10:00 in Yekaterinburg: the draft is due at 16:00 (p.9). */
const TUESDAY_10 = "2026-11-24T05:00:00Z";
/** 14:30, past half of the draft's time: the reminder is due. */
const TUESDAY_1430 = "2026-11-24T09:30:00Z";
const ADMIN = 1001;
const PETR = 3002;

let h: Harness;
let ivan: TestUser;
let healthId: number;

afterEach(async () => {
  await h?.close();
});

/** Минздрав (Иван, and Пётр unless `alone`) with a work chat; Иван has taken post № 1 into work. */
async function office(alone = false): Promise<number> {
  h = await Harness.start({ now: TUESDAY_10, adminIds: [ADMIN] });
  const { health } = seedOffice(h);
  healthId = health;
  if (!alone) h.seedPerson(PETR, "Пётр", [], [health]);
  h.seedPerson(ADMIN, "Анна", ["admin"]);
  ivan = h.user(OFFICE.executor, "Иван");
  return seedIncidentInWork(h, health);
}

const admin = () => h.user(ADMIN, "Анна");
const curator = () => h.user(OFFICE.curator, "Ольга");
const curatorsChat = () => h.group(OFFICE.curatorsChat, "Кураторы");
/** An organization's (or the curators') chat unbound, as an admin's /unbind leaves it. */
const unbind = (chatId: number) => h.db.delete(boundChats).where(eq(boundChats.chatId, chatId)).run();
/** The messages sent to a chat that start so, with whether they ring. */
const sent = (chatId: number, start: string) =>
  h.fake
    .callsOf("sendMessage")
    .filter((c) => Number(c.params.chat_id) === chatId && String(c.params.text).startsWith(start))
    .map((c) => ({ text: String(c.params.text), quiet: c.params.disable_notification === true }));
const REWORK = "Сообщение № 1: проект ответа возвращён на доработку.";
const APPROVED = "Ответ по сообщению № 1 согласован.";
const reminders = (chatId: number) => h.texts(chatId).filter((text) => text.startsWith("⏰"));
const leaveNotices = (chatId: number) => h.texts(chatId).filter((text) => text.includes("в отпуске до"));
/** A new post routed to Минздрав, its cards sent (Иван has not taken it). */
async function newPost(n: number): Promise<void> {
  const id = seedRegistered(h, { link: `https://vk.com/wall-1_${n}` });
  routeTo(h, id, healthId);
  await showCards(h, id);
}
/** The card of post № n in a chat, as it looks now. */
const cardIn = (chatId: number, n: number) =>
  h
    .texts(chatId)
    .find((text) => text.startsWith(`Сообщение № ${n}\n`) || text.startsWith(`Сообщение № ${n} `));
const chatNotices = () => h.texts(OFFICE.healthChat).filter((text) => text.startsWith("Иван в отпуске"));
const announce = () => announceLeaves(h.deps(), h.deps().api);
const JUNK =
  "Не удалось прочитать дату. Напишите последний день отпуска так: 14.05.2026 — или первый и последний: 04.05–14.05.";
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
    expect(ivan.lastText()).toBe(JUNK);
    await ivan.send("31.11.2026");
    expect(ivan.lastText()).toBe(JUNK);
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

  it("a colleague's «Взять себе» names him as on leave", async () => {
    await office();
    await ivan.send("/leave 14.12.2026");
    const petr = h.user(PETR, "Пётр");
    await petr.press("Взять себе", h.group(OFFICE.healthChat, "Минздрав"));
    expect(h.texts(OFFICE.healthChat).at(-1)).toContain("Сейчас ответственный — Иван (в отпуске до 14.12).");
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

  it("an admin sets it: the person hears so privately without sound, and again when the admin cancels it", async () => {
    await office();
    await ivan.send("/leave 14.12.2026");
    await ivan.send("/leave");
    await ivan.press("Отменить отпуск");
    expect(sent(OFFICE.executor, "Администратор")).toEqual([]);

    await admin().send("/people");
    await admin().press(/Иван/);
    await admin().press("Указать отпуск");
    await admin().send("14.12.2026");
    expect(sent(OFFICE.executor, "Администратор")).toEqual([
      {
        text: "Администратор отметил ваш отпуск до 14.12.2026: лично бот не будет писать до его конца. Отменить — /leave.",
        quiet: true,
      },
    ]);
    await admin().send("/people");
    await admin().press(/Иван/);
    await admin().press("Отменить отпуск");
    expect(sent(OFFICE.executor, "Администратор отменил")).toEqual([
      {
        text: "Администратор отменил ваш отпуск: бот снова пишет вам лично — напоминания и карточки новых сообщений.",
        quiet: true,
      },
    ]);
  });

  it("the curator's rework and approval of his draft go to the work chat, not to him on leave", async () => {
    const id = await office();
    await seedDraft(h, id);
    await ivan.send("/leave 14.12.2026");
    await curator().press("На доработку", curatorsChat());
    await curator().send("Уточните сроки вывоза.", curatorsChat());
    expect(sent(OFFICE.healthChat, REWORK)).toHaveLength(1);
    expect(sent(OFFICE.executor, REWORK)).toEqual([]);

    await seedDraft(h, id);
    await curator().press("Согласовать", curatorsChat());
    expect(sent(OFFICE.healthChat, APPROVED)).toHaveLength(1);
    expect(sent(OFFICE.executor, APPROVED)).toEqual([]);
  });

  it("without a work chat his colleague hears privately instead of him; with no colleague, the curators", async () => {
    const id = await office();
    unbind(OFFICE.healthChat);
    await seedDraft(h, id);
    await ivan.send("/leave 14.12.2026");
    await curator().press("На доработку", curatorsChat());
    await curator().send("Уточните сроки вывоза.", curatorsChat());
    expect(sent(PETR, REWORK)).toHaveLength(1);
    expect(sent(OFFICE.executor, REWORK)).toEqual([]);

    await h.close();
    const alone = await office(true);
    unbind(OFFICE.healthChat);
    await seedDraft(h, alone);
    await ivan.send("/leave 14.12.2026");
    await curator().press("На доработку", curatorsChat());
    await curator().send("Уточните сроки вывоза.", curatorsChat());
    expect(sent(OFFICE.executor, REWORK)).toEqual([]);
    expect(sent(OFFICE.curatorsChat, REWORK).map((notice) => notice.text)).toEqual([
      expect.stringContaining(
        "Органу «Министерство здравоохранения» не доставлено: бот не смог написать ни в его рабочий чат, ни его исполнителям.",
      ),
    ]);
  });

  it("with no curators' chat, the curators' digest skips a curator on leave; all of them away, all get it", async () => {
    await office();
    unbind(OFFICE.curatorsChat);
    seedRegistered(h, { link: "https://vk.com/wall-1_9" });
    await curator().send("/leave 14.12.2026");
    expect(await curatorsDigest(h.deps())).toBe(1);
    expect(sent(OFFICE.curator2, "Доброе утро!")).toHaveLength(1);
    expect(sent(OFFICE.curator, "Доброе утро!")).toEqual([]);

    h.clock.set("2026-11-25T05:00:00Z"); // Wednesday: the other curator away too
    await h.user(OFFICE.curator2, "Светлана").send("/leave 14.12.2026");
    expect(await curatorsDigest(h.deps())).toBe(2);
    expect(sent(OFFICE.curator, "Доброе утро!")).toHaveLength(1);
  });

  it("/help names /leave", async () => {
    await office();
    await ivan.send("/help");
    expect(ivan.lastText()).toContain(
      "/leave [ДД.ММ.ГГГГ или ДД.ММ–ДД.ММ] — отпуск: в эти дни бот не пишет вам лично",
    );
  });

  it("back on his first working day, he hears once, as it begins, which posts he holds", async () => {
    await office();
    await ivan.send("/leave 27.11.2026"); // to Friday
    const welcome = () => sent(OFFICE.executor, "С возвращением!").map((notice) => notice.text);
    h.clock.set("2026-11-27T05:00:00Z"); // Friday: still away
    await welcomeBack(h.deps(), h.deps().api);
    h.clock.set("2026-11-28T05:00:00Z"); // Saturday
    await welcomeBack(h.deps(), h.deps().api);
    h.clock.set("2026-11-30T03:59:00Z"); // Monday 08:59, before work
    await welcomeBack(h.deps(), h.deps().api);
    expect(welcome()).toEqual([]);

    h.clock.set("2026-11-30T04:00:00Z"); // Monday 09:00
    await welcomeBack(h.deps(), h.deps().api);
    h.clock.set("2026-11-30T04:01:00Z");
    await welcomeBack(h.deps(), h.deps().api);
    expect(welcome()).toEqual(["С возвращением! У вас в работе: № 1."]);
    expect(h.fake.buttons(OFFICE.executor)[0]?.label).toBe("Открыть № 1");
  });

  it("a colleague takes his post over while he is away: not a word of it privately, and no greeting back", async () => {
    await office();
    await ivan.send("/leave 24.11.2026");
    const healthChat = h.group(OFFICE.healthChat, "Минздрав: обращения");
    const petr = h.user(PETR, "Пётр");
    await petr.press("Взять себе", healthChat);
    expect(await petr.press("Да, взять себе", healthChat)).toBe("Сообщение № 1 теперь ваше.");
    expect(sent(OFFICE.executor, "Сообщение № 1 передано")).toEqual([]);
    h.clock.set("2026-11-25T04:00:00Z"); // Wednesday 09:00
    await welcomeBack(h.deps(), h.deps().api);
    expect(sent(OFFICE.executor, "С возвращением!")).toEqual([]);
  });

  it("planned ahead: till its first day he gets new cards privately; from it no more, his card names him away and the work chat hears once", async () => {
    await office();
    await ivan.send("/leave 01.12.2026 04.12.2026");
    expect(ivan.lastText()).toMatch(/^Готово: отпуск с 01\.12\.2026 по 04\.12\.2026 включительно\./);
    await announce();
    expect(chatNotices()).toEqual([]);
    expect(cardIn(OFFICE.healthChat, 1)).not.toContain("в отпуске");
    await newPost(2);
    expect(cardIn(OFFICE.executor, 2)).toBeDefined();
    await ivan.send("/leave");
    expect(ivan.lastText()).toMatch(/^Отпуск с 01\.12\.2026 по 04\.12\.2026 включительно: в эти дни бот/);

    h.clock.set("2026-11-30T19:30:00Z"); // Tuesday 01.12, 00:30: the leave begins, before working time
    await announce();
    expect(cardIn(OFFICE.healthChat, 1)).toContain("Иван (в отпуске до 04.12)");
    expect(chatNotices()).toEqual([]);
    h.clock.set("2026-12-01T04:00:00Z"); // 09:00
    await announce();
    h.clock.set("2026-12-01T04:01:00Z");
    await announce();
    expect(chatNotices()).toEqual([
      "Иван в отпуске до 04.12.2026. В работе у сотрудника: № 1 — возьмите его себе кнопкой «Взять себе» на карточке.",
    ]);
    await newPost(3);
    expect(cardIn(OFFICE.healthChat, 3)).toBeDefined();
    expect(cardIn(OFFICE.executor, 3)).toBeUndefined();

    h.clock.set("2026-12-04T19:30:00Z"); // Saturday 05.12, 00:30: the leave is over
    await announce();
    expect(cardIn(OFFICE.healthChat, 1)).toContain("Иван");
    expect(cardIn(OFFICE.healthChat, 1)).not.toContain("в отпуске");
  });

  it("planned ahead by an admin in /people: the list, the card and the person say so; «Отменить отпуск» cancels it before it begins", async () => {
    await office();
    await admin().send("/people");
    await admin().press(/Иван/);
    await admin().press("Указать отпуск");
    await admin().send("с 1.12 по 4.12");
    expect(admin().lastText()).toMatch(
      /^Готово: Иван в отпуске с 01\.12\.2026 по 04\.12\.2026 включительно\./,
    );
    expect(sent(OFFICE.executor, "Администратор")).toEqual([
      {
        text: "Администратор отметил ваш отпуск с 01.12.2026 по 04.12.2026: в эти дни лично бот не будет писать. Отменить — /leave.",
        quiet: true,
      },
    ]);
    expect(chatNotices()).toEqual([]);
    await admin().send("/people");
    expect(admin().lastText()).toContain("Иван (отпуск с 01.12 по 04.12) — исполнитель");
    await admin().press(/Иван/);
    expect(admin().lastText()).toContain(
      "Отпуск с 01.12.2026 по 04.12.2026 включительно: в эти дни лично бот не пишет.",
    );
    await admin().press("Отменить отпуск");
    expect(admin().lastText()).not.toContain("Отпуск с");
    expect(sent(OFFICE.executor, "Администратор отменил")).toHaveLength(1);

    h.clock.set("2026-12-01T04:00:00Z"); // its first day, 09:00
    await announce();
    expect(chatNotices()).toEqual([]);
    await newPost(2);
    expect(cardIn(OFFICE.executor, 2)).toBeDefined();
  });

  it("his own planned leave cancelled under /leave: on its first day he is pinged as ever", async () => {
    await office();
    await ivan.send("/leave 01.12–04.12");
    await ivan.send("/leave");
    await ivan.press("Отменить отпуск");
    expect(ivan.lastText()).toBe(
      "Отпуск отменён. Бот снова пишет вам лично: напоминания и карточки новых сообщений.",
    );
    h.clock.set("2026-12-01T04:00:00Z");
    await announce();
    await newPost(2);
    expect(chatNotices()).toEqual([]);
    expect(cardIn(OFFICE.executor, 2)).toBeDefined();
  });

  it("reads its first and last days in one answer, and refuses a leave begun, reversed or too long, in Russian", async () => {
    await office();
    await ivan.send("/leave 04.12.2026 01.12.2026");
    expect(ivan.texts().at(-2)).toBe(
      "Первый день отпуска позже последнего. Укажите сначала первый день, затем последний: 04.05–14.05.",
    );
    expect(ivan.lastText()).toContain("если отпуск начнётся позже — первый и последний дни: 04.05–14.05");
    await ivan.send("с 14.12");
    expect(ivan.lastText()).toBe(JUNK);
    await ivan.send("20.11–30.11");
    expect(ivan.lastText()).toBe(
      "Первый день отпуска уже прошёл. Если отпуск уже идёт, укажите только последний день.",
    );
    await ivan.send("16.11–23.11");
    expect(ivan.lastText()).toBe("Эта дата уже прошла. Укажите последний день отпуска: сегодня или позже.");
    await ivan.send("с 01.12.2026 по 01.01.2028");
    expect(ivan.lastText()).toBe("Отпуск можно указать не больше чем на год вперёд. Проверьте дату.");
    await ivan.send("28.12 - 10.01");
    expect(ivan.lastText()).toMatch(/^Готово: отпуск с 28\.12\.2026 по 10\.01\.2027 включительно\./);

    // A first day of today is a leave from now: the work chat hears at once.
    await ivan.send("/leave 24.11.2026 30.11.2026");
    expect(ivan.lastText()).toMatch(/^Готово: вы в отпуске до 30\.11\.2026 включительно\./);
    expect(chatNotices()).toHaveLength(1);
  });
});

describe("a head or a curator going on leave hears what stops for him", () => {
  const MINISTER = 6003;
  const DEPUTY = 6004;

  /** Минздрав's minister (Срочные and Нарушения) and his deputy (Нарушения), beside the head of all. */
  async function heads(ministerRoles: PersonRole[] = ["head"]): Promise<void> {
    await office();
    h.seedPerson(MINISTER, "Министр", ministerRoles);
    h.seedPerson(DEPUTY, "Заместитель", ["head"]);
    const actorId = person(ADMIN);
    for (const [telegramId, purposes] of [
      [MINISTER, ["urgent", "violations"]],
      [DEPUTY, ["violations"]],
    ] as const) {
      const personId = person(telegramId);
      setHeadOrganization(telegramId, healthId);
      for (const purpose of HEAD_PURPOSES)
        setHeadPurpose(h.db, {
          actorId,
          personId,
          purpose,
          enabled: (purposes as readonly string[]).includes(purpose),
          now: h.clock.now(),
        });
    }
  }

  const person = (telegramId: number) => {
    const found = findPerson(h.db, telegramId);
    if (!found) throw new Error(`no person ${telegramId}`);
    return found.id;
  };
  const setHeadOrganization = (telegramId: number, organizationId: number) =>
    h.db
      .update(headSettings)
      .set({ organizationId })
      .where(eq(headSettings.personId, person(telegramId)))
      .run();

  it("a head: no significant posts nor escalations, and who of his organization still gets them; a significant post then reaches the head of all, not him", async () => {
    await heads();
    const minister = h.user(MINISTER, "Министр");
    await minister.send("/leave 14.12.2026");
    expect(minister.texts().at(-1)).toBe(
      "Готово: вы в отпуске до 14.12.2026 включительно. До конца отпуска бот не будет присылать вам лично " +
        "срочные сообщения о социально значимых постах и эскалации нарушений регламента. " +
        "Их по-прежнему получает: Заместитель. Вернуться раньше — /leave.",
    );
    const before = minister.texts().length;
    await curator().send("/new");
    await curator().send("https://vk.com/wall-1_9");
    await curator().send("Пожар в школе");
    for (let i = 0; i < 3; i++) await curator().press("Пропустить");
    await curator().press("Социально значимое");
    await curator().press("Сейчас");
    expect(h.lastText(OFFICE.head)).toMatch(/^Социально значимое сообщение № 2/);
    expect(minister.texts()).toHaveLength(before);
  });

  it("a head who is a curator too hears what a head stops getting, not only the curators' text", async () => {
    await heads(["head", "curator"]);
    const minister = h.user(MINISTER, "Министр");
    await minister.send("/leave 14.12.2026");
    expect(minister.texts().at(-1)).toMatch(/срочные сообщения о социально значимых постах/);
  });

  it("a head with «Срочные» no other head has is told he still hears of significant posts", async () => {
    await heads();
    const deputy = h.user(DEPUTY, "Заместитель");
    await h.user(OFFICE.head, "Глава").send("/leave 14.12.2026");
    const minister = h.user(MINISTER, "Министр");
    await minister.send("/leave 14.12.2026");
    expect(minister.texts().at(-1)).toBe(
      "Готово: вы в отпуске до 14.12.2026 включительно. До конца отпуска бот не будет присылать вам лично " +
        "эскалации нарушений регламента. Их по-прежнему получает: Заместитель. О социально значимых сообщениях " +
        "бот сообщит вам и в отпуске: других руководителей, получающих их, нет. Вернуться раньше — /leave.",
    );
    expect(deputy.texts()).toEqual([]);
  });

  it("a curator: the curators' chat goes on as ever; an executor's text is not his", async () => {
    await office();
    const svetlana = h.user(OFFICE.curator2, "Светлана");
    await svetlana.send("/leave 14.12.2026");
    expect(svetlana.texts().at(-1)).toBe(
      "Готово: вы в отпуске до 14.12.2026 включительно. До конца отпуска бот не будет писать вам лично: " +
        "ни карточек, ни напоминаний, ни сводок кураторов; в чате кураторов всё как обычно. Вернуться раньше — /leave.",
    );
  });
});

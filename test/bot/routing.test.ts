import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { approveDraft, publishAnswer, publishInterim, submitDraft } from "../../src/app/answers.js";
import { incidentEvents } from "../../src/app/audit.js";
import { changePostDetail } from "../../src/app/importance.js";
import { receiveUpdate } from "../../src/app/inbox.js";
import {
  acceptIncident,
  closeAsToxic,
  type Incident,
  loadIncident,
  routeIncident,
} from "../../src/app/incidents.js";
import { createInvite } from "../../src/app/invites.js";
import { changeAccess, findPerson } from "../../src/app/people.js";
import { withinUpdate } from "../../src/app/update-scope.js";
import { syncCards } from "../../src/bot/cards.js";
import { t } from "../../src/bot/texts.js";
import { auditEvents, inbox, people } from "../../src/db/schema.js";
import { type Importance, partVersion } from "../../src/domain/incident.js";
import { Harness, type HarnessOptions, type TestUser } from "../support/bot-harness.js";
import { updates } from "../support/updates.js";
import { seedDraft, seedIncidentInWork, seedRegistered, showCards } from "../support/workflow.js";

const CURATOR = 2001;
const HEALTH_EXECUTOR = 3001;
const EDUCATION_EXECUTOR = 3002;
const HEALTH_EXECUTOR_2 = 3003;
const STRANGER = 4001;

let h: Harness;
let health: number;
let education: number;
let building: number;

const curatorsChat = () => h.group(-200, "Кураторы");
const healthChat = () => h.group(-100, "Минздрав: обращения");
const educationChat = () => h.group(-300, "Минобр: обращения");
const curator = () => h.user(CURATOR, "Ольга");
const healthExecutor = () => h.user(HEALTH_EXECUTOR, "Иван");
const healthExecutor2 = () => h.user(HEALTH_EXECUTOR_2, "Пётр");
const educationExecutor = () => h.user(EDUCATION_EXECUTOR, "Мария");

/** Tuesday 24.11.2026 10:00 in Yekaterinburg (Orenburg preset). */
const TUESDAY_10 = "2026-11-24T05:00:00Z";

async function office(options: HarnessOptions = { now: TUESDAY_10 }): Promise<void> {
  h = await Harness.start(options);
  health = h.seedOrganization("Министерство здравоохранения", "Минздрав");
  education = h.seedOrganization("Министерство образования", "Минобр");
  building = h.seedOrganization("Министерство строительства", "Минстрой");
  h.seedChat(curatorsChat(), null);
  h.seedChat(healthChat(), health);
  h.seedChat(educationChat(), education);
  h.seedPerson(CURATOR, "Ольга", ["curator"]);
  h.seedPerson(HEALTH_EXECUTOR, "Иван", [], [health]);
  h.seedPerson(EDUCATION_EXECUTOR, "Мария", [], [education]);
}

afterEach(() => h.close());

/** Registers a post as the intake would (its UI is another feature) and shows its card to the curators. */
async function register(
  n: number,
  opts: { importance?: Importance; text?: string; topic?: string; place?: string; author?: string } = {},
): Promise<number> {
  const id = seedRegistered(h, { link: `https://vk.com/wall-1_${n}`, ...opts });
  await showCards(h, id);
  return id;
}

/** Presses the button with exactly this callback data (e.g. on one incident's card among several). */
async function pressData(user: TestUser, chatId: number, data: string): Promise<string | undefined> {
  const button = h.fake.buttons(chatId).find((b) => b.callbackData === data);
  if (!button) throw new Error(`no button ${data} in chat ${chatId}`);
  const update = await h.deliver(updates.callback(user.tg, button.message, data));
  return h.fake.callbackAnswer(update.callback_query?.id ?? "")?.text as string | undefined;
}

/**
 * The curator routes from the curators' chat: organizations in this order, the first the lead unless
 * another is named (made so by «Изменить основного исполнителя»).
 */
async function route(id: number, organizations: RegExp[], lead?: RegExp): Promise<void> {
  await pressData(curator(), -200, `inc.route:${id}`);
  for (const org of organizations) await curator().press(org, curatorsChat());
  if (lead) {
    await curator().press("Изменить основного исполнителя", curatorsChat());
    await curator().press(lead, curatorsChat());
  }
  await curator().press("Готово", curatorsChat());
}

/** Пётр works for both the health ministry (the lead) and the education ministry (a co-executor) of № 1. */
async function routedToBothOfPetr(): Promise<number> {
  await office();
  h.seedPerson(HEALTH_EXECUTOR_2, "Пётр", [], [health, education]);
  const id = await register(1);
  await route(id, [/Минздрав/, /Минобр/], /Министерство здравоохранения/);
  return id;
}

function cardIn(chatId: number, id: number) {
  const card = h.fake.messages(chatId).find((m) => m.text?.startsWith(`Сообщение № ${id} · `));
  if (!card) throw new Error(`no card of № ${id} in chat ${chatId}`);
  return card;
}

function labels(chatId: number, messageId: number): string[] {
  return h.fake
    .buttons(chatId)
    .filter((b) => b.message.message_id === messageId)
    .map((b) => b.label);
}

function state(id: number) {
  return loadIncident(h.db, id)?.row.state;
}

describe("routing", () => {
  it("in the curators' chat, another curator's press in one's routing menu is told whose it is, and routes nothing", async () => {
    await office();
    const id = await register(1);
    const svetlana = h.seedPerson(2002, "Светлана", ["curator"]);
    await pressData(curator(), -200, `inc.route:${id}`);
    // The menu names her curator, a mention Telegram knows.
    expect(h.fake.lastMessage(-200)?.entities).toContainEqual(
      expect.objectContaining({
        type: "text_mention",
        offset: 0,
        length: 5,
        user: expect.objectContaining({ id: CURATOR }),
      }),
    );
    expect(await svetlana.press(/Минобр/, curatorsChat())).toBe(
      "Это меню открыто куратором: Ольга. Чтобы направить, нажмите «Направить» на карточке.",
    );
    await curator().press(/Минздрав/, curatorsChat());
    await curator().press("Готово", curatorsChat());
    expect(h.lastText(-200)).toBe(
      "Сообщение № 1 направлено.\nОсновной исполнитель: Министерство здравоохранения",
    );
    expect(state(id)).toBe("assigned");
  });

  it("routes to one organization: its work chat and executor get the card with the deadlines", async () => {
    await office();
    const id = await register(1);
    const curatorsCard = cardIn(-200, id);
    expect(labels(-200, curatorsCard.message_id)).toContain("Направить");

    h.clock.advance(10 * 60_000);
    await pressData(curator(), -200, `inc.route:${id}`);
    expect(h.lastText(-200)).toMatch(/^Ольга направляет № 1: кому направить\?/);
    await curator().press(/Минздрав/, curatorsChat());
    expect(h.lastText(-200)).toMatch(/Выбрано: 1\. Министерство здравоохранения/);
    await curator().press("Готово", curatorsChat());
    expect(h.lastText(-200)).toBe(
      "Сообщение № 1 направлено.\nОсновной исполнитель: Министерство здравоохранения",
    );

    for (const chatId of [-100, HEALTH_EXECUTOR]) {
      const card = cardIn(chatId, id);
      expect(card.text).toContain("Исполнитель: Министерство здравоохранения");
      expect(card.text).toContain("Состояние: направлено исполнителю");
      // Received 10:10; return within 30 working minutes (p.7); answer 9 working hours from detection (p.8).
      expect(card.text).toContain(
        "Вернуть не по компетенции можно до 24.11.2026 10:40 (п. 7), осталось 30 мин рабочего времени.",
      );
      expect(card.text).toContain("Ответ разместить до: 25.11.2026 11:00");
      expect(labels(chatId, card.message_id)).toEqual(["Взять в работу", "Вернуть", "История"]);
    }
    const updated = cardIn(-200, id);
    expect(updated.message_id).toBe(curatorsCard.message_id);
    expect(labels(-200, updated.message_id)).toEqual([
      "Переназначить",
      "Оскорбительное",
      "Угроза",
      "Изменить сведения",
      "История",
    ]);
    expect(h.fake.messages(-300)).toHaveLength(0);
    expect(h.fake.messages(EDUCATION_EXECUTOR)).toHaveLength(0);
  });

  it("an organization with neither a work chat nor an executor in the bot: the curator is told at once", async () => {
    await office();
    const id = await register(1);
    await route(id, [/Минздрав/, /Минстрой/], /Министерство здравоохранения/);
    expect(h.lastText(-200)).toBe(
      "Сообщение № 1 направлено.\nОсновной исполнитель: Министерство здравоохранения\n" +
        "Соисполнители: Министерство строительства\n\n" +
        "⚠️ В органе «Министерство строительства» некому получить сообщение: нет ни рабочего чата, ни " +
        "исполнителей в боте. Попросите администратора пригласить исполнителя (/invite) или привязать " +
        "рабочий чат (/bind) — или направьте сообщение другому органу.",
    );
  });

  it("an organization whose only executor blocks the bot (no work chat): the curator is told whom to ask", async () => {
    await office();
    const BUILDER = 3009;
    h.seedPerson(BUILDER, "Олег", [], [building]);
    h.db.update(people).set({ blockedAt: h.clock.now() }).where(eq(people.telegramId, BUILDER)).run();
    const id = await register(1);
    await route(id, [/Минздрав/, /Минстрой/], /Министерство здравоохранения/);
    expect(h.lastText(-200).split("\n\n")[1]).toBe(
      "⚠️ В органе «Министерство строительства» некому получить сообщение: рабочего чата нет, а исполнитель " +
        "(Олег) заблокировал бота. Попросите его открыть чат с ботом и нажать «Старт» или администратора — " +
        "привязать рабочий чат (/bind); либо направьте сообщение другому органу.",
    );
  });

  it("an organization without a work chat whose executors the bot reaches: the curator hears who gets the card privately", async () => {
    await office();
    h.seedPerson(3009, "Олег", [], [building]);
    h.seedPerson(3010, "Нина", [], [building]);
    const id = await register(1);
    await route(id, [/Минздрав/, /Минстрой/], /Министерство здравоохранения/);
    expect(h.lastText(-200).split("\n\n")[1]).toBe(
      "⚠️ У органа «Министерство строительства» нет рабочего чата — карточку получат лично: Олег, Нина.",
    );
    expect(h.fake.messages(3009).at(-1)?.text).toMatch(/^Сообщение № 1/);
  });

  it("an organization without a work chat whose only executor is on leave: the curator is told nobody there gets it", async () => {
    await office();
    const builder = h.seedPerson(3009, "Олег", [], [building]);
    await builder.send("/leave 14.12.2026");
    const id = await register(1);
    await route(id, [/Минздрав/, /Минстрой/], /Министерство здравоохранения/);
    expect(h.lastText(-200).split("\n\n")[1]).toBe(
      "⚠️ В органе «Министерство строительства» некому получить сообщение: рабочего чата нет, а исполнитель " +
        "(Олег) в отпуске. Попросите администратора привязать рабочий чат (/bind) — или направьте сообщение " +
        "другому органу.",
    );
    expect(h.texts(3009).some((text) => text.startsWith("Сообщение № 1 · "))).toBe(false);
  });

  it("Georgievsk: routed on Friday 16:30, the answer is due on Monday 11:30 (4 working hours, p.16)", async () => {
    await office({ regulation: "georgievsk", now: "2026-11-27T13:30:00Z" });
    const id = await register(1);
    await route(id, [/Минздрав/]);
    const card = cardIn(-100, id).text ?? "";
    // The window is a right, not a deadline: the draft's hour is, as /list shows it (p.11).
    expect(card).toContain("Срок: 27.11.2026 17:30 — прислать проект ответа куратору (п. 11)");
    expect(card).toContain(
      "Вернуть не по компетенции можно до 27.11.2026 17:00 (п. 10), осталось 30 мин рабочего времени.",
    );
    expect(card).toContain("Ответ разместить до: 30.11.2026 11:30");
  });

  it("Georgievsk: the lead question does not speak of an order the co-executors do not keep", async () => {
    await office({ regulation: "georgievsk", now: "2026-11-24T07:00:00Z" });
    const id = await register(1);
    await pressData(curator(), -200, `inc.route:${id}`);
    for (const org of [/Минобр/, /Минстрой/, /Минздрав/]) await curator().press(org, curatorsChat());
    await curator().press("Изменить основного исполнителя", curatorsChat());
    expect(h.lastText(-200)).toBe(
      "Ольга, сообщение № 1. Кто основной исполнитель? Остальные станут соисполнителями:\n" +
        "1. Министерство образования\n2. Министерство строительства\n3. Министерство здравоохранения",
    );
  });

  it("a returning executor's reason ending in a full stop gets no second one after the quotes", async () => {
    await office();
    const id = await register(1);
    await route(id, [/Минздрав/]);
    await healthExecutor().press("Вернуть", healthChat());
    await healthExecutor().press("Не наша компетенция", healthChat());
    await healthExecutor().send("Это вопрос управляющей компании (ЖКХ).", healthChat());
    expect(h.lastText(-200)).toBe(
      "Сообщение № 1 возвращено: Министерство здравоохранения — «Не наша компетенция: Это вопрос управляющей " +
        "компании (ЖКХ)». Его нужно направить заново.",
    );
  });

  it("routes to a lead and two co-executors in the order chosen, with a shortened deadline", async () => {
    await office();
    const id = await register(1, { importance: "important" });
    await pressData(curator(), -200, `inc.route:${id}`);
    await curator().press(/Минобр/, curatorsChat());
    await curator().press(/Минстрой/, curatorsChat());
    await curator().press(/Минздрав/, curatorsChat());
    expect(h.lastText(-200)).toBe(
      "Ольга направляет № 1: кому направить? Нажмите на органы (можно несколько), затем «Готово».\n" +
        "Выбрано: 1. Министерство образования, 2. Министерство строительства, 3. Министерство здравоохранения\n" +
        "Основной исполнитель — Министерство образования, остальные — соисполнители.",
    );
    await curator().press("Изменить основного исполнителя", curatorsChat());
    expect(h.lastText(-200)).toBe(
      "Ольга, сообщение № 1. Кто основной исполнитель? Остальные станут соисполнителями в порядке выбора:\n" +
        "1. Министерство образования\n2. Министерство строительства\n3. Министерство здравоохранения",
    );
    await curator().press("Министерство здравоохранения", curatorsChat());
    // Back to the list, the lead first and the others in the order chosen.
    expect(h.lastText(-200)).toBe(
      "Ольга направляет № 1: кому направить? Нажмите на органы (можно несколько), затем «Готово».\n" +
        "Выбрано: 1. Министерство здравоохранения, 2. Министерство образования, 3. Министерство строительства\n" +
        "Основной исполнитель — Министерство здравоохранения, остальные — соисполнители.",
    );
    await curator().press("Готово", curatorsChat());
    expect(h.lastText(-200)).toMatch(
      /^Ольга, сообщение № 1 — важное\. Сократить срок ответа \(п\. 6\)\? Обычный срок \(п\. 8\) — 9 раб\. ч\./,
    );
    const question = h.fake.messages(-200).at(-1)?.message_id;
    expect(
      h.fake
        .buttons(-200)
        .filter((b) => b.message.message_id === question)
        .map((b) => b.label),
    ).toEqual([
      "1 раб. ч — до 24.11 11:00",
      "2 раб. ч — до 24.11 12:00",
      "3 раб. ч — до 24.11 13:00",
      "4 раб. ч — до 24.11 15:00",
      "6 раб. ч — до 24.11 17:00",
      "Без сокращения",
      "Отмена",
    ]);
    await curator().press(/^4 раб\. ч/, curatorsChat());
    // Orenburg p.14: with two co-executors the curator says whether they go one after another.
    expect(h.lastText(-200)).toMatch(
      /^Ольга, сообщение № 1\. Как соисполнителям готовить информацию \(п\. 14 регламента\)\?\n1\. Министерство образования\n2\. Министерство строительства\n/,
    );
    await curator().press("Одновременно", curatorsChat());
    // Then that nobody at the building ministry can get it (see below).
    expect(h.lastText(-200).split("\n\n")[0]).toBe(
      [
        "Сообщение № 1 направлено.",
        "Основной исполнитель: Министерство здравоохранения",
        "Соисполнители: Министерство образования, Министерство строительства",
        "Срок ответа сокращён до 4 раб. ч.",
      ].join("\n"),
    );
    const card = cardIn(-300, id).text ?? "";
    expect(card).toContain("Исполнитель: Министерство здравоохранения");
    expect(card).toContain("Соисполнители: Министерство образования, Министерство строительства");
    // 10:00 + 4 working hours with the 13:00–14:00 lunch.
    expect(card).toContain("Ответ разместить до: 24.11.2026 15:00");
    expect(loadIncident(h.db, id)?.assignments.map((a) => [a.organizationId, a.role, a.position])).toEqual([
      [health, "lead", 0],
      [education, "coexecutor", 1],
      [building, "coexecutor", 2],
    ]);
  });

  it("two curators routing one post at once: each menu names its curator, and a press on the other's says whose it is", async () => {
    await office();
    const id = await register(1);
    const svetlana = h.seedPerson(2002, "Светлана", ["curator"]);
    await pressData(curator(), -200, `inc.route:${id}`);
    const olgasMenu = h.fake.lastMessage(-200);
    await pressData(svetlana, -200, `inc.route:${id}`);
    expect(h.texts(-200).slice(-2)).toEqual([
      "Ольга направляет № 1: кому направить? Нажмите на органы (можно несколько), затем «Готово».",
      "Светлана направляет № 1: кому направить? Нажмите на органы (можно несколько), затем «Готово».",
    ]);
    // Светлана, her own menu open, presses on Ольга's: told whose it is, not that it is old.
    const onOlgas = h.fake
      .buttons(-200)
      .find((b) => b.message.message_id === olgasMenu?.message_id && /Минобр/.test(b.label));
    if (!onOlgas?.callbackData) throw new Error("no Минобр on Ольга's menu");
    const pressed = await h.deliver(updates.callback(svetlana.tg, onOlgas.message, onOlgas.callbackData));
    expect(h.fake.callbackAnswer(pressed.callback_query?.id ?? "")?.text).toBe(
      "Это меню открыто куратором: Ольга. Чтобы направить, нажмите «Направить» на карточке.",
    );
    // Ольга's menu chose nothing; a choice on it keeps the mention.
    expect(h.fake.messages(-200).find((m) => m.message_id === olgasMenu?.message_id)?.text).not.toMatch(
      /Выбрано/,
    );
    await curator().press(/Минздрав/, curatorsChat());
    expect(
      h.fake.messages(-200).find((m) => m.message_id === olgasMenu?.message_id)?.entities,
    ).toContainEqual(expect.objectContaining({ type: "text_mention", offset: 0, length: 5 }));
    expect(state(id)).toBe("registered");
  });

  it("the menu of an earlier routing dialogue, pressed while another post's is open, routes nothing", async () => {
    await office();
    const one = await register(1);
    const two = await register(2);
    await pressData(curator(), -200, `inc.route:${one}`);
    const menuOne = h.fake.messages(-200).at(-1);
    expect(menuOne?.text).toMatch(/^Ольга направляет № 1: кому направить\?/);
    await pressData(curator(), -200, `inc.route:${two}`);
    expect(h.lastText(-200)).toMatch(/^Ольга направляет № 2: кому направить\?/);

    const onMenuOne = (label: RegExp) => {
      const button = h.fake
        .buttons(-200)
        .find((b) => b.message.message_id === menuOne?.message_id && label.test(b.label));
      if (!button?.callbackData) throw new Error(`no ${label} on the first menu`);
      return h.deliver(updates.callback(curator().tg, button.message, button.callbackData));
    };
    const pressed = await onMenuOne(/Минобр/);
    expect(h.fake.callbackAnswer(pressed.callback_query?.id ?? "")?.text).toBe(
      "Эта кнопка относится к прошлому вопросу.",
    );
    await onMenuOne(/^Готово$/);
    expect([state(one), state(two)]).toEqual(["registered", "registered"]);

    // The open menu of № 2 still routes № 2.
    await curator().press(/Минздрав/, curatorsChat());
    await curator().press("Готово", curatorsChat());
    expect([state(one), state(two)]).toEqual(["registered", "assigned"]);
    expect(cardIn(-100, two).text).toContain("Исполнитель: Министерство здравоохранения");
  });

  it("the list's buttons show short names, else the names without the ending all share, cut between words", async () => {
    h = await Harness.start({ now: TUESDAY_10, regulation: "georgievsk" });
    const ending = "администрации Георгиевского муниципального округа";
    h.seedOrganization(`Управление жилищно-коммунального хозяйства ${ending}`, "УЖКХ");
    h.seedOrganization(`Комитет по физической культуре и спорту ${ending}`);
    h.seedOrganization(`Отдел муниципального заказа, закупок и контроля за исполнением контрактов ${ending}`);
    h.seedChat(curatorsChat(), null);
    h.seedPerson(CURATOR, "Ольга", ["curator"]);
    const id = await register(1);
    await pressData(curator(), -200, `inc.route:${id}`);
    expect(labels(-200, h.fake.lastMessage(-200)?.message_id ?? 0).slice(0, 3)).toEqual([
      "Комитет по физической культуре и спорту",
      "Отдел муниципального заказа, закупок и контроля…",
      "УЖКХ",
    ]);
    // The curator hears the full name of what was chosen.
    await curator().press("Комитет по физической культуре и спорту", curatorsChat());
    expect(h.lastText(-200)).toMatch(
      /Выбрано: 1\. Комитет по физической культуре и спорту администрации Георгиевского/,
    );
  });

  it("names alike in their beginning keep on their buttons what tells them apart, cut in the middle", async () => {
    h = await Harness.start({ now: TUESDAY_10, regulation: "georgievsk" });
    const school = (n: number) =>
      `Муниципальное бюджетное общеобразовательное учреждение «Средняя общеобразовательная школа № ${n}» города Георгиевска`;
    h.seedOrganization(school(1));
    h.seedOrganization(school(2));
    h.seedOrganization(
      "Управление образования администрации Георгиевского муниципального округа",
      "Управление образования",
    );
    h.seedChat(curatorsChat(), null);
    h.seedPerson(CURATOR, "Ольга", ["curator"]);
    const id = await register(1);
    await pressData(curator(), -200, `inc.route:${id}`);
    const [first, second, third] = labels(-200, h.fake.lastMessage(-200)?.message_id ?? 0);
    expect(first).toBe("Муниципальное бюджетное…1» города Георгиевска");
    expect(second).toBe("Муниципальное бюджетное…2» города Георгиевска");
    expect(third).toBe("Управление образования");
  });

  it("«Переназначить» says where the post is now and marks those organizations in the list", async () => {
    await office();
    const id = await register(1);
    await route(id, [/Минздрав/, /Минобр/]);
    await pressData(curator(), -200, `inc.route:${id}`);
    const menu = h.fake.lastMessage(-200);
    expect(menu?.text).toBe(
      "Ольга переназначает № 1, сейчас у: Минздрав, Минобр. Кому передать? Нажмите на органы (можно несколько), затем «Готово».",
    );
    expect(labels(-200, menu?.message_id ?? 0).slice(0, 3)).toEqual(["📍 Минздрав", "📍 Минобр", "Минстрой"]);
    await curator().press(/Минстрой/, curatorsChat());
    await curator().press("Готово", curatorsChat());
    expect(
      loadIncident(h.db, id)
        ?.assignments.filter((a) => a.state !== "withdrawn")
        .map((a) => a.organizationId),
    ).toEqual([building]);
  });

  it("a search by part of a name narrows the list", async () => {
    await office();
    for (let i = 1; i <= 9; i++) h.seedOrganization(`Администрация района № ${i}`);
    const id = await register(1);
    await pressData(curator(), -200, `inc.route:${id}`);
    expect(h.fake.buttons(-200).map((b) => b.label)).toContain("▶");
    await curator().press("Найти по названию", curatorsChat());
    expect(h.lastText(-200)).toBe("Ольга, напишите часть названия органа.");
    // Addressed to her by a mention Telegram knows; having no buttons, it opens her reply to it.
    const asked = h.fake.lastMessage(-200);
    expect(asked?.entities).toContainEqual(
      expect.objectContaining({
        type: "text_mention",
        offset: 0,
        length: 5,
        user: expect.objectContaining({ id: CURATOR }),
      }),
    );
    expect(asked?.reply_markup).toEqual({ force_reply: true, selective: true });
    await curator().send("ЗДРАВ", curatorsChat());
    const picker = h.fake.lastMessage(-200);
    expect(picker?.text).toMatch(/Поиск: «ЗДРАВ»/);
    expect(labels(-200, picker?.message_id ?? 0)).toEqual(["Минздрав", "Показать все", "Готово", "Отмена"]);
    await curator().press(/Минздрав/, curatorsChat());
    await curator().press("Готово", curatorsChat());
    expect(state(id)).toBe("assigned");
  });

  it("the routing menu lets the curators' chat talk; a reply to a colleague is not the search the curator was asked for", async () => {
    await office();
    const id = await register(1);
    await pressData(curator(), -200, `inc.route:${id}`);
    const colleague = await h.deliver(
      updates.text(curatorsChat(), h.user(2002, "Светлана").tg, "Оля, это Минздрав."),
    );
    if (!colleague.message) throw new Error("no colleague's message");
    const mark = h.fake.mark();
    await h.deliver(updates.replyTo(curatorsChat(), curator().tg, "Спасибо!", colleague.message));
    expect(h.fake.calls.slice(mark).filter((call) => call.method === "sendMessage")).toEqual([]);
    await curator().press("Найти по названию", curatorsChat());
    await h.deliver(updates.replyTo(curatorsChat(), curator().tg, "Минздрав, да?", colleague.message));
    expect(h.lastText(-200)).toMatch(/^Бот не принял это за ответ на свой вопрос/);
    await curator().send("здрав", curatorsChat());
    expect(h.lastText(-200)).toMatch(/Поиск: «здрав»/);
  });

  it("a menu deleted from the chat meanwhile is sent anew, and the routing goes on under it", async () => {
    await office();
    const id = await register(1);
    await pressData(curator(), -200, `inc.route:${id}`);
    const menu = h.fake.lastMessage(-200);
    await curator().press(/Минздрав/, curatorsChat());
    await curator().press("Найти по названию", curatorsChat());
    // A group's admin tidies the chat up: the menu is gone.
    await h.bot.api.deleteMessage(-200, menu?.message_id ?? 0);
    await curator().send("ЗДРАВ", curatorsChat());
    expect(h.lastText(-200)).toMatch(/Поиск: «ЗДРАВ»/);
    await curator().press("Готово", curatorsChat());
    expect(state(id)).toBe("assigned");
    expect(h.lastText(-200)).toBe(
      "Сообщение № 1 направлено.\nОсновной исполнитель: Министерство здравоохранения",
    );
  });

  it("in a private chat the curator just types part of a name; /cancel and other commands leave the dialogue", async () => {
    await office();
    const id = await register(1);
    await curator().send("/find 1");
    await curator().press("Направить");
    await curator().send("/cancel");
    expect(curator().lastText()).toBe("Отменено.");
    await curator().press("Направить");
    await curator().send("/list");
    expect(curator().lastText()).toMatch(/^Открытые сообщения: 1/);
    expect(await curator().press(/Минобр/)).toBe(
      "Этот выбор уже завершён. Нажмите кнопку на карточке сообщения заново.",
    );
    await curator().press("Направить");
    // A new post's link pasted meanwhile is not searched for as a name, nor lost: it is asked again after.
    await curator().send("https://vk.com/wall-1_555");
    expect(curator().lastText()).toBe(
      "Сначала закончите направление сообщения № 1: выберите органы и нажмите «Готово» или «Отмена». " +
        "Затем пришлите ссылку или перешлите пост ещё раз.",
    );
    await curator().send("обр");
    expect(labels(CURATOR, h.fake.lastMessage(CURATOR)?.message_id ?? 0)[0]).toBe("Минобр");
    await curator().press(/Минобр/);
    await curator().press("Готово");
    expect(curator().lastText()).toBe(
      "Сообщение № 1 направлено.\nОсновной исполнитель: Министерство образования",
    );
    expect(labels(CURATOR, cardIn(CURATOR, id).message_id)).toContain("Переназначить");
    expect(state(id)).toBe("assigned");
  });

  it("a post's link pasted after the routing question expired is offered for registration, not lost", async () => {
    await office();
    await register(1);
    await curator().send("/find 1");
    await curator().press("Направить");
    h.clock.advance(31 * 60_000);
    const before = curator().texts().length;
    await curator().send("https://vk.com/wall-1_555");
    const said = curator().texts().slice(before);
    expect(said[0]).toMatch(/^Вопрос бота ждал ответа дольше 30 минут/);
    expect(said[1]).toMatch(/^Распознано сообщение:\nВКонтакте: https:\/\/vk\.com\/wall-1_555\n/);
    expect(said).toHaveLength(2);
  });

  it("a routing that another curator overtook changes nothing, says who routed it where, and posts no second card", async () => {
    await office();
    h.seedPerson(2002, "Сергей", ["curator"]);
    const other = h.user(2002, "Сергей");
    const id = await register(1);
    await pressData(curator(), -200, `inc.route:${id}`);
    const menu = h.fake.lastMessage(-200)?.message_id;
    await curator().press(/Минобр/, curatorsChat());
    await pressData(other, -200, `inc.route:${id}`);
    await other.press(/Минздрав/, curatorsChat());
    await other.press("Готово", curatorsChat());
    const cards = () => h.texts(-200).filter((text) => text.startsWith("Сообщение № 1 · ")).length;
    const before = cards();
    await curator().press("Готово", curatorsChat());
    expect(h.fake.messages(-200).find((m) => m.message_id === menu)?.text).toBe(
      "Сообщение № 1 уже направлено: Минздрав (Сергей). Ваш выбор не применён.",
    );
    // The chat's card, kept up to date, already shows it.
    expect(cards()).toBe(before);
    expect(cardIn(-200, id).text).toMatch(/Исполнитель: Министерство здравоохранения/);
    expect(loadIncident(h.db, id)?.assignments.map((a) => a.organizationId)).toEqual([health]);
  });

  it("a post changed otherwise while the curator chose: nothing routed, the chat's card above is the one to check", async () => {
    await office();
    const id = await register(1);
    await pressData(curator(), -200, `inc.route:${id}`);
    await curator().press(/Минобр/, curatorsChat());
    changePostDetail(h.db, {
      incidentId: id,
      detail: { field: "topic", value: "Дороги" },
      actor: findPerson(h.db, CURATOR) as NonNullable<ReturnType<typeof findPerson>>,
      now: h.clock.now(),
    });
    const messages = h.fake.messages(-200).length;
    await curator().press("Готово", curatorsChat());
    expect(h.lastText(-200)).toBe(
      "Пока вы выбирали, сообщение № 1 изменилось (его направили, взяли в работу, прислали информацию " +
        "или поменяли важность, тему, повтор). Ничего не направлено. Карточка выше — в нынешнем виде: " +
        "проверьте и направьте заново.",
    );
    expect(h.fake.messages(-200)).toHaveLength(messages);
    expect(state(id)).toBe("registered");
  });

  it("an organization switched off while the curator was choosing is not routed to: the curator is told and chooses again", async () => {
    await office();
    const id = await register(1);
    await pressData(curator(), -200, `inc.route:${id}`);
    await curator().press(/Минздрав/, curatorsChat());
    await curator().press(/Минобр/, curatorsChat());
    // An admin switches the education ministry off while the curator chooses.
    const admin = h.seedPerson(1001, "Анна", ["admin"]);
    await admin.send("/orgs");
    await admin.press(/Министерство образования/);
    await admin.press("Отключить");
    await curator().press("Готово", curatorsChat());

    expect(state(id)).toBe("registered");
    expect(h.texts(-200).at(-2)).toBe(
      "Пока вы выбирали, администратор отключил орган «Министерство образования»: направить ему сообщение нельзя. Выберите заново.",
    );
    expect(h.lastText(-200)).toBe(
      "Ольга направляет № 1: кому направить? Нажмите на органы (можно несколько), затем «Готово».\n" +
        "Выбрано: 1. Министерство здравоохранения",
    );
    const menu = h.fake.messages(-200).at(-1);
    const offered = h.fake.buttons(-200).filter((b) => b.message.message_id === menu?.message_id);
    expect(offered.map((b) => b.label).filter((label) => /Мин/.test(label))).toEqual([
      "✅ Минздрав",
      "Минстрой",
    ]);
    await curator().press("Готово", curatorsChat());
    expect(h.lastText(-200)).toBe(
      "Сообщение № 1 направлено.\nОсновной исполнитель: Министерство здравоохранения",
    );
    expect(loadIncident(h.db, id)?.assignments.map((a) => a.organizationId)).toEqual([health]);
    expect(h.fake.messages(-300)).toHaveLength(0);
  });

  it("routed again, the shortening question says what the deadline is cut to now; «Снять сокращение» restores it, and the summary says so", async () => {
    await office();
    const id = await register(1, { importance: "important" });
    await route(id, [/Минздрав/]);
    await curator().press(/^2 раб\. ч/, curatorsChat());
    expect(cardIn(-200, id).text).toContain("Ответ разместить до: 24.11.2026 12:00");
    await route(id, [/Минздрав/, /Минобр/], /Министерство здравоохранения/);
    expect(h.lastText(-200)).toBe(
      "Ольга, сообщение № 1 — важное. Срок ответа сейчас сокращён до 2 раб. ч (п. 6). Обычный срок (п. 8) — 9 раб. ч.",
    );
    const question = h.fake.messages(-200).at(-1)?.message_id ?? 0;
    expect(labels(-200, question)).toEqual([
      "1 раб. ч — до 24.11 11:00",
      "Оставить 2 раб. ч — до 24.11 12:00",
      "3 раб. ч — до 24.11 13:00",
      "4 раб. ч — до 24.11 15:00",
      "6 раб. ч — до 24.11 17:00",
      "Снять сокращение",
      "Отмена",
    ]);
    await curator().press("Снять сокращение", curatorsChat());
    expect(h.lastText(-200)).toBe(
      "Сообщение № 1 направлено.\nОсновной исполнитель: Министерство здравоохранения\n" +
        "Соисполнители: Министерство образования\nСокращение срока ответа снято: обычный срок.",
    );
    expect(loadIncident(h.db, id)?.row.shortenedAnswerMinutes).toBeNull();
    expect(cardIn(-200, id).text).not.toContain("24.11.2026 12:00");
  });

  it("a post shortened and then made «обычное»: routed again, the curator is asked only to keep or lift the shortening", async () => {
    await office();
    const id = await register(1, { importance: "important" });
    await route(id, [/Минздрав/]);
    await curator().press(/^2 раб\. ч/, curatorsChat());
    await pressData(curator(), -200, `inc.edit:${id}`);
    const version = loadIncident(h.db, id)?.row.version;
    expect(await pressData(curator(), -200, `imp.set:${id}:normal:${version}`)).toBe(
      "Сообщение № 1: важность — обычное. Срок ответа по-прежнему сокращён до 2 раб. ч: " +
        "снять сокращение можно, направив сообщение заново («Переназначить»).",
    );
    await route(id, [/Минздрав/]);
    expect(h.lastText(-200)).toMatch(
      /^Ольга, сообщение № 1 — обычное\. Срок ответа сейчас сокращён до 2 раб\. ч/,
    );
    const question = h.fake.messages(-200).at(-1)?.message_id ?? 0;
    expect(labels(-200, question)).toEqual([
      "Оставить 2 раб. ч — до 24.11 12:00",
      "Снять сокращение",
      "Отмена",
    ]);
    await curator().press(/^Оставить 2 раб\. ч/, curatorsChat());
    expect(h.lastText(-200)).toContain("Срок ответа сокращён до 2 раб. ч.");
    expect(loadIncident(h.db, id)?.row.shortenedAnswerMinutes).toBe(120);
  });

  it("a shortening whose deadline is already over is not offered: the post would reach its organization overdue", async () => {
    await office();
    const early = await register(1, { importance: "important" });
    const overnight = await register(2, { importance: "important" });
    h.clock.set("2026-11-24T07:30:00Z"); // 12:30: one and two hours from detection (10:00) are over
    await route(early, [/Минздрав/]);
    const question = h.fake.messages(-200).at(-1)?.message_id ?? 0;
    expect(labels(-200, question)).toEqual([
      "3 раб. ч — до 24.11 13:00",
      "4 раб. ч — до 24.11 15:00",
      "6 раб. ч — до 24.11 17:00",
      "Без сокращения",
      "Отмена",
    ]);
    await curator().press("Без сокращения", curatorsChat());
    // Wednesday 10:05: every shortening would be over; the question is not asked.
    h.clock.set("2026-11-25T05:05:00Z");
    await route(overnight, [/Минздрав/]);
    expect(h.lastText(-200)).toBe(
      "Сообщение № 2 направлено.\nОсновной исполнитель: Министерство здравоохранения",
    );
    expect(loadIncident(h.db, overnight)?.row.shortenedAnswerMinutes).toBeNull();
  });

  it("after an interim answer the shortening is not asked: the final answer's clock runs (p.13), not p.8's", async () => {
    await office();
    const id = await register(1, { importance: "important" });
    await route(id, [/Минздрав/]);
    await curator().press("Без сокращения", curatorsChat());
    const ivan = findPerson(h.db, HEALTH_EXECUTOR);
    const olga = findPerson(h.db, CURATOR);
    if (!ivan || !olga) throw new Error("not seeded");
    const now = h.clock.now();
    acceptIncident(h.db, { incidentId: id, actor: ivan, now });
    const content = { text: "Вопрос изучается.", attachments: [] };
    submitDraft(h.db, { incidentId: id, actor: ivan, now, content, purpose: "interim" });
    approveDraft(h.db, { incidentId: id, actor: olga, now });
    publishInterim(h.db, { incidentId: id, actor: ivan, now, link: "https://vk.com/wall-1_1?reply=3" });
    await showCards(h, id);
    await route(id, [/Минобр/]);
    expect(h.lastText(-200)).toBe(
      "Сообщение № 1 направлено.\nОсновной исполнитель: Министерство образования",
    );
  });

  it("routed at night, the new cards arrive without sound; those of a significant post ring", async () => {
    await office({ now: "2026-11-24T18:00:00Z" }); // Tuesday 23:00 in Yekaterinburg
    const cardSent = (chatId: number, id: number) =>
      h.fake
        .callsOf("sendMessage")
        .find(
          (c) =>
            Number(c.params.chat_id) === chatId && String(c.params.text).startsWith(`Сообщение № ${id} · `),
        );
    const normal = await register(1);
    await route(normal, [/Минздрав/]);
    const significant = await register(2, { importance: "significant" });
    await route(significant, [/Минздрав/]);
    expect(h.lastText(-200)).toMatch(/^Ольга, сообщение № 2 — социально значимое\. Сократить срок ответа/);
    await curator().press("Без сокращения", curatorsChat());

    for (const chatId of [-100, HEALTH_EXECUTOR]) {
      expect(cardSent(chatId, normal)?.params.disable_notification).toBe(true);
      expect(cardSent(chatId, significant)?.params.disable_notification).toBe(false);
    }
  });

  it("routed during the lunch break, the card rings: the executor back from lunch hears it", async () => {
    await office({ now: "2026-11-24T08:30:00Z" }); // Tuesday 13:30 in Yekaterinburg
    const id = await register(1);
    await route(id, [/Минздрав/]);
    for (const chatId of [-100, HEALTH_EXECUTOR]) {
      const card = h.fake
        .callsOf("sendMessage")
        .find(
          (c) => Number(c.params.chat_id) === chatId && String(c.params.text).startsWith("Сообщение № 1 · "),
        );
      expect(card).toBeDefined();
      expect(card?.params.disable_notification).not.toBe(true);
    }
  });

  it("a closed incident cannot be routed: the stale button gives a pop-up", async () => {
    await office();
    const id = await register(1);
    const actor = findPerson(h.db, CURATOR);
    if (!actor) throw new Error("no curator");
    closeAsToxic(h.db, { incidentId: id, actor, now: h.clock.now(), threat: false });
    expect(await pressData(curator(), -200, `inc.route:${id}`)).toBe("Сообщение № 1 уже закрыто.");
    expect(h.lastText(-200)).toMatch(/^Сообщение № 1 · /);
  });
});

describe("routing several posts alike", () => {
  const ALIKE = { topic: "ЖКХ / водоснабжение", place: "Оренбург, Промышленный район" };

  /** The labels of the post's card in the curators' chat. */
  const cardLabels = (id: number) => labels(-200, cardIn(-200, id).message_id);

  /** The callback data of «Направить так же» on the post's card in the curators' chat. */
  function alikeData(id: number): string {
    const data = h.fake
      .buttons(-200)
      .find(
        (b) => b.message.message_id === cardIn(-200, id).message_id && b.label.startsWith("Направить так же"),
      )?.callbackData;
    if (!data) throw new Error(`no «Направить так же» on the card of № ${id}`);
    return data;
  }

  /** Presses this button on the post's card in the curators' chat, whatever the card shows now. */
  async function pressOnCard(id: number, data: string): Promise<string | undefined> {
    const update = await h.deliver(updates.callback(curator().tg, cardIn(-200, id), data));
    return h.fake.callbackAnswer(update.callback_query?.id ?? "")?.text as string | undefined;
  }

  it("with several organizations chosen, the first is the lead without a question", async () => {
    await office();
    const id = await register(1);
    await pressData(curator(), -200, `inc.route:${id}`);
    await curator().press(/Минобр/, curatorsChat());
    await curator().press(/Минздрав/, curatorsChat());
    await curator().press("Готово", curatorsChat());
    expect(h.lastText(-200)).toBe(
      "Сообщение № 1 направлено.\nОсновной исполнитель: Министерство образования\n" +
        "Соисполнители: Министерство здравоохранения",
    );
    expect(loadIncident(h.db, id)?.assignments.map((a) => [a.organizationId, a.role])).toEqual([
      [education, "lead"],
      [health, "coexecutor"],
    ]);
  });

  it("a post on the topic and place of one routed within a day is routed the same way in one tap: the lead, the co-executors in order, not the shortened deadline", async () => {
    await office();
    const first = await register(1, { importance: "important", ...ALIKE });
    await route(first, [/Минздрав/, /Минобр/, /Минстрой/]);
    await curator().press(/^2 раб\. ч/, curatorsChat());
    await curator().press("По очереди", curatorsChat());
    h.clock.advance(30 * 60_000);
    // The same topic and place, written otherwise; another place is another matter.
    const second = await register(2, {
      importance: "important",
      topic: "жкх / Водоснабжение",
      place: "оренбург, промышленный район",
    });
    const elsewhere = await register(3, { ...ALIKE, place: "Оренбург, Ленинский район" });
    expect(cardLabels(second)).toEqual([
      "Направить",
      "Направить так же: Минздрав, Минобр, Минстрой",
      "Оскорбительное",
      "Угроза",
      "Изменить сведения",
      "История",
    ]);
    expect(cardLabels(elsewhere)).not.toContain("Направить так же: Минздрав, Минобр, Минстрой");

    const button = alikeData(second);
    const popup = await pressData(curator(), -200, button);
    expect(popup).toBe(
      "Сообщение № 2 направлено как № 1. Основной исполнитель: Минздрав; соисполнители: Минобр, Минстрой.",
    );
    const routed = loadIncident(h.db, second);
    expect(routed?.row.state).toBe("assigned");
    expect(routed?.row.shortenedAnswerMinutes).toBeNull();
    // In order (Orenburg p.14): the building ministry waits for the education ministry's part.
    expect(routed?.assignments.map((a) => [a.organizationId, a.role, a.position, a.state])).toEqual([
      [health, "lead", 0, "assigned"],
      [education, "coexecutor", 1, "assigned"],
      [building, "coexecutor", 2, "queued"],
    ]);
    // 9 working hours from detection (p.8), not the 2 the curator gave № 1.
    expect(cardIn(-100, second).text).toContain("Ответ разместить до: 25.11.2026 11:30");
    expect(h.texts(-300).some((text) => text.startsWith("Сообщение № 2 · "))).toBe(true);
    expect(cardLabels(second)).toEqual([
      "Не ждать очереди: Минстрой",
      "Переназначить",
      "Оскорбительное",
      "Угроза",
      "Изменить сведения",
      "История",
    ]);
    // «История» names the curator who routed it, as a routing through «Направить».
    expect(incidentEvents(h.db, second, "route").map((e) => [e.actorId, e.details?.inOrder])).toEqual([
      [findPerson(h.db, CURATOR)?.id, true],
    ]);

    // A second tap on a card not yet updated (or a colleague's) routes nothing anew.
    expect(await pressOnCard(second, button)).toBe(
      "Сообщение № 2 уже направлено: Минздрав. Передать его другому органу — «Переназначить» на карточке.",
    );
  });

  it("a post waiting to be routed is offered the routing of one on its topic and place routed after it came", async () => {
    await office();
    const first = await register(1, ALIKE);
    const second = await register(2, ALIKE);
    expect(cardLabels(second)).not.toContain("Направить так же: Минздрав");
    await route(first, [/Минздрав/]);
    expect(cardLabels(second)).toContain("Направить так же: Минздрав");
    // A day on, that routing is no longer offered.
    h.clock.advance(24 * 3_600_000 + 60_000);
    const third = await register(3, ALIKE);
    expect(cardLabels(third)).toEqual([
      "Направить",
      "Оскорбительное",
      "Угроза",
      "Изменить сведения",
      "История",
    ]);
  });

  it("«Направить так же» once the post routed so was returned routes nothing, says to route it with «Направить», and leaves the card", async () => {
    await office();
    const first = await register(1, ALIKE);
    await route(first, [/Минздрав/]);
    const second = await register(2, ALIKE);
    const button = alikeData(second);
    await healthExecutor().press("Вернуть", healthChat());
    await healthExecutor().press("Не наша компетенция", healthChat());
    await healthExecutor().send("Это вопрос водоканала.", healthChat());
    expect(await pressOnCard(second, button)).toBe(
      "Похожее сообщение уже не у этих органов. Направьте № 2 кнопкой «Направить».",
    );
    expect(state(second)).toBe("registered");
    expect(cardLabels(second)).not.toContain("Направить так же: Минздрав");
  });

  it("«Направить так же» after the routing it offers changed routes nothing; the card then offers the routing there is now", async () => {
    await office();
    const first = await register(1, ALIKE);
    await route(first, [/Минздрав/, /Минобр/]);
    const second = await register(2, ALIKE);
    const offered = alikeData(second);
    expect(cardLabels(second)).toContain("Направить так же: Минздрав, Минобр");
    // The co-executor returns its part: № 1 is with the health ministry alone now.
    await educationExecutor().press("Вернуть", educationChat());
    await educationExecutor().send("Это вопрос управляющей компании", educationChat());
    expect(await pressOnCard(second, offered)).toBe(
      "Сообщение № 2 изменилось. Проверьте карточку и нажмите кнопку ещё раз.",
    );
    expect(state(second)).toBe("registered");
    expect(cardLabels(second)).toContain("Направить так же: Минздрав");
    expect(await pressData(curator(), -200, alikeData(second))).toBe(
      "Сообщение № 2 направлено как № 1. Основной исполнитель: Минздрав.",
    );
    expect(loadIncident(h.db, second)?.assignments.map((a) => a.organizationId)).toEqual([health]);
  });

  it("in a surge a tap routes its post and edits no other waiting card; a routing elsewhere changes their offer", async () => {
    await office();
    const first = await register(1, ALIKE);
    await route(first, [/Минздрав/]);
    const waiting: number[] = [];
    for (let n = 2; n <= 7; n++) waiting.push(await register(n, ALIKE));
    for (const id of waiting.slice(0, 3)) {
      expect(cardLabels(id)).toContain("Направить так же: Минздрав");
      const since = h.fake.mark();
      await pressData(curator(), -200, alikeData(id));
      expect(state(id)).toBe("assigned");
      const edited = h.fake.calls
        .slice(since)
        .filter((c) => c.method.startsWith("edit") && c.params.chat_id === -200)
        .map((c) => c.params.message_id);
      expect(edited.filter((messageId) => messageId !== cardIn(-200, id).message_id)).toEqual([]);
    }
    await route(waiting[3] ?? 0, [/Минобр/]);
    for (const id of waiting.slice(4)) expect(cardLabels(id)).toContain("Направить так же: Минобр");
  });

  it("«Направить так же» committed just before a crash: handled again, the organizations get their cards and the curator hears where it went", async () => {
    await office();
    const first = await register(1, ALIKE);
    await route(first, [/Минздрав/, /Минобр/]);
    const second = await register(2, ALIKE);
    const update = h.fake.pushUpdate(updates.callback(curator().tg, cardIn(-200, second), alikeData(second)));
    // The first handling died right after its transaction: the post is routed, nobody was told.
    const actor = findPerson(h.db, CURATOR);
    if (!actor) throw new Error("no curator");
    receiveUpdate(h.db, update, h.clock.now());
    withinUpdate({ updateId: update.update_id, again: false }, () =>
      routeIncident(h.db, {
        incidentId: second,
        expectedVersion: 1,
        leadId: health,
        coexecutorIds: [education],
        actor,
        now: h.clock.now(),
      }),
    );
    const cards = (chatId: number) =>
      h.fake.messages(chatId).filter((m) => m.text?.startsWith(`Сообщение № ${second} · `));
    expect(cards(-100)).toEqual([]);

    await h.bot.handleUpdate(update); // at start, the unfinished update is handled again
    expect(h.fake.callbackAnswer(update.callback_query?.id ?? "")?.text).toBe(
      "Сообщение № 2 направлено как № 1. Основной исполнитель: Минздрав; соисполнители: Минобр.",
    );
    for (const chatId of [-100, -300, HEALTH_EXECUTOR, EDUCATION_EXECUTOR])
      expect(cards(chatId)).toHaveLength(1);
    expect(incidentEvents(h.db, second, "route")).toHaveLength(1);
  });
});

describe("executors on the card", () => {
  it("«Взять в работу» updates the card in place everywhere", async () => {
    await office();
    const id = await register(1);
    await route(id, [/Минздрав/]);
    const before = cardIn(-100, id);
    const beforeText = before.text;
    expect(await healthExecutor().press("Взять в работу", healthChat())).toBe(
      "Вы взяли сообщение № 1 в работу.",
    );
    const after = cardIn(-100, id);
    expect(after.message_id).toBe(before.message_id);
    expect(after.text).not.toBe(beforeText);
    expect(after.text).toContain("Состояние: в работе");
    expect(after.text).toContain("Исполнитель: Министерство здравоохранения\nОтветственный: Иван");
    expect(labels(-100, after.message_id)).toEqual([
      "Подготовить ответ",
      "Промежуточный ответ",
      "Запрос автору",
      "Вернуть",
      "История",
    ]);
    expect(cardIn(HEALTH_EXECUTOR, id).text).toContain("Состояние: в работе");
    expect(cardIn(-200, id).text).toContain("Состояние: в работе");
  });

  it("someone else's button in a group: a pop-up refusal, nothing changes", async () => {
    await office();
    const id = await register(1);
    await route(id, [/Минздрав/]);
    const messagesBefore = h.fake.messages(-100).length;
    expect(await educationExecutor().press("Взять в работу", healthChat())).toBe(
      "Сообщение № 1 направлено другому органу: взять его в работу может только его исполнитель.",
    );
    expect(await h.user(STRANGER, "Гость").press("Взять в работу", healthChat())).toBe(
      "У вас нет доступа к боту. Доступ выдаёт администратор по ссылке-приглашению.",
    );
    expect(await curator().press("Взять в работу", healthChat())).toBe(
      "Это делает исполнитель органа, которому направлено сообщение № 1.",
    );
    expect(await educationExecutor().press("Вернуть", healthChat())).toMatch(/направлено другому органу/);
    expect(state(id)).toBe("assigned");
    expect(h.fake.messages(-100)).toHaveLength(messagesBefore);
    expect(labels(-100, cardIn(-100, id).message_id)).toContain("Взять в работу");
  });

  it("a stale «Взять в работу» after the incident was taken says who took it", async () => {
    await office();
    const id = await register(1);
    await route(id, [/Минздрав/]);
    const stale = h.fake.findButton(HEALTH_EXECUTOR, "Взять в работу");
    await healthExecutor().press("Взять в работу", healthChat());
    const update = await h.deliver(updates.callback(healthExecutor().tg, stale.message, stale.callbackData));
    expect(h.fake.callbackAnswer(update.callback_query?.id ?? "")?.text).toBe(
      "Сообщение уже взято в работу: Иван, Минздрав.",
    );
  });

  it("two executors pressing at once: exactly one takes it, the other is told who did", async () => {
    await office();
    h.seedPerson(HEALTH_EXECUTOR_2, "Пётр", [], [health]);
    const id = await register(1);
    await route(id, [/Минздрав/]);
    const { message, callbackData } = h.fake.findButton(-100, "Взять в работу");
    const [a, b] = await Promise.all([
      h.deliver(updates.callback(healthExecutor().tg, message, callbackData)),
      h.deliver(updates.callback(healthExecutor2().tg, message, callbackData)),
    ]);
    const answers = [a, b].map((u) => h.fake.callbackAnswer(u.callback_query?.id ?? "")?.text);
    expect(answers.filter((text) => text === "Вы взяли сообщение № 1 в работу.")).toHaveLength(1);
    expect(
      answers.filter((text) => /^Сообщение уже взято в работу: (Иван|Пётр), Минздрав\.$/.test(String(text))),
    ).toHaveLength(1);
    const accepts = h.db
      .select()
      .from(auditEvents)
      .all()
      .filter((e) => e.entity === "incident" && e.action === "accept");
    expect(accepts).toHaveLength(1);
  });

  it("a co-executor dropped at a new routing hears it owes nothing; the lead kept hears nothing of it", async () => {
    await office();
    const id = await register(1);
    await route(id, [/Минздрав/, /Минобр/], /Министерство здравоохранения/);
    await educationExecutor().press("Взять в работу", educationChat());
    const healthBefore = h.texts(-100).length;
    await route(id, [/Минздрав/]);
    const dropped =
      "Сообщение № 1: ваш орган больше не соисполнитель, информацию по нему присылать не нужно.";
    expect(h.lastText(-300)).toBe(dropped);
    // Мария took it into work: she hears it privately too.
    expect(h.lastText(EDUCATION_EXECUTOR)).toBe(dropped);
    expect(h.texts(-100).slice(healthBefore)).not.toContain(dropped);
    // Its card says the lead stays, not that the post went elsewhere.
    expect(cardIn(-300, id).text).toContain(
      "Состояние: ваш орган больше не соисполнитель; ответ готовит Министерство здравоохранения",
    );
  });

  it("the lead's return takes the post from its co-executors too: they hear it", async () => {
    await office();
    const id = await register(1);
    await route(id, [/Минздрав/, /Минобр/], /Министерство здравоохранения/);
    await healthExecutor().press("Вернуть", healthChat());
    await healthExecutor().press("Не наша компетенция", healthChat());
    await healthExecutor().press("Вернуть без уточнения", healthChat());
    expect(state(id)).toBe("registered");
    expect(h.lastText(-300)).toBe(
      "Сообщение № 1 ответственный исполнитель вернул куратору: информацию по нему присылать не нужно, " +
        "пока куратор не направит его заново.",
    );
  });

  it("routed anew without a co-executor its lead's return left waiting: that one hears, quietly, its information is not needed", async () => {
    await office();
    const returned = async (id: number) => {
      await route(id, [/Минздрав/, /Минобр/], /Министерство здравоохранения/);
      await pressData(educationExecutor(), -300, `inc.accept:${id}:${education}`);
      await pressData(healthExecutor(), -100, `inc.return:${id}:${health}`);
      await healthExecutor().press("Не наша компетенция", healthChat());
      await healthExecutor().press("Вернуть без уточнения", healthChat());
    };
    const dropped = "Сообщение № 1 направлено заново без вашего органа: информация по нему больше не нужна.";
    const first = await register(1);
    await returned(first);
    await route(first, [/Минстрой/]);
    for (const chatId of [-300, EDUCATION_EXECUTOR]) {
      const told = h.fake
        .callsOf("sendMessage")
        .filter((c) => c.params.chat_id === chatId)
        .at(-1);
      expect(told?.params.text).toBe(dropped);
      expect(told?.params.disable_notification).toBe(true);
    }

    // Routed anew with it, it gets the post again: nothing of the kind.
    const second = await register(2);
    await returned(second);
    const before = h.texts(-300).length;
    await route(second, [/Минстрой/, /Минобр/], /Министерство строительства/);
    expect(h.texts(-300).slice(before).join("\n")).not.toContain("без вашего органа");
    expect(h.texts(-300).slice(before)).toContainEqual(expect.stringMatching(/^Сообщение № 2 · /));
  });

  it("closed instead of routed anew, a co-executor its lead's return left waiting hears it, quietly, once", async () => {
    await office();
    const id = await register(1);
    await route(id, [/Минздрав/, /Минобр/], /Министерство здравоохранения/);
    await pressData(educationExecutor(), -300, `inc.accept:${id}:${education}`);
    await pressData(healthExecutor(), -100, `inc.return:${id}:${health}`);
    await healthExecutor().press("Не наша компетенция", healthChat());
    await healthExecutor().press("Вернуть без уточнения", healthChat());
    await pressData(curator(), -200, `inc.toxic:${id}`);
    const { message, callbackData } = h.fake.findButton(-200, "Да, закрыть");
    const press = await h.deliver(updates.callback(curator().tg, message, callbackData));
    expect(state(id)).toBe("closed");
    // Handled again after a crash before it was marked handled: told once all the same.
    h.db.update(inbox).set({ doneAt: null }).where(eq(inbox.updateId, press.update_id)).run();
    await h.bot.handleUpdate(press);
    const closed = h.fake
      .callsOf("sendMessage")
      .filter((c) => c.params.chat_id === -300 && String(c.params.text).includes("закрыто куратором"));
    expect(closed.map((c) => [c.params.text, c.params.disable_notification])).toEqual([
      ["Сообщение № 1 закрыто куратором без ответа: оскорбительное (п. 17). Готовить ответ не нужно.", true],
    ]);
  });

  it("the lead returns with a reason; the curators see it and route again", async () => {
    await office();
    const id = await register(1);
    await route(id, [/Минздрав/]);
    await healthExecutor().press("Вернуть", healthChat());
    expect(h.lastText(-100)).toBe(
      "Иван, почему вы возвращаете сообщение № 1? Выберите причину или напишите её. Отмена — /cancel.\n" +
        "Вернуть можно сообщение не по компетенции органа (п. 7). Если не хватает сведений, не " +
        "возвращайте: задайте вопрос автору кнопкой «Запрос автору» (она на карточке, когда сообщение " +
        "взято в работу).",
    );
    expect(labels(-100, h.fake.lastMessage(-100)?.message_id ?? 0)).toEqual([
      "Не наша компетенция",
      "Нужна другая организация",
      "Отмена",
    ]);
    await healthExecutor().press("Не наша компетенция", healthChat());
    // Whose competence it is, if the executor knows: the curator routes it at once.
    expect(h.lastText(-100)).toBe(
      "Иван, «Не наша компетенция». Уточните, к чьей компетенции относится сообщение (например: «управляющая " +
        "компания», «Минстрой»), — так куратор быстрее направит его. Или нажмите «Вернуть без уточнения». " +
        "Сообщение вернётся куратору после вашего ответа.",
    );
    await healthExecutor().send("Минстрой", healthChat());
    expect(h.lastText(-100)).toBe("Сообщение № 1 возвращено куратору.");
    expect(h.lastText(-200)).toBe(
      "Сообщение № 1 возвращено: Министерство здравоохранения — «Не наша компетенция: Минстрой». Его нужно направить заново.",
    );
    expect(state(id)).toBe("registered");
    const curatorsCard = cardIn(-200, id);
    expect(curatorsCard.text).toContain("Возвращено (Министерство здравоохранения): Не наша компетенция");
    expect(labels(-200, curatorsCard.message_id)).toContain("Направить");
    expect(labels(-100, cardIn(-100, id).message_id)).toEqual(["История"]);

    // The notice itself carries the button: the curator routes again from where he read it.
    const notice = h.fake.lastMessage(-200);
    if (!notice) throw new Error("no return notice");
    expect(labels(-200, notice.message_id)).toEqual(["Направить"]);
    await h.deliver(updates.callback(curator().tg, notice, `inc.routenew:${id}`));
    for (const org of [/Минобр/, "Готово"]) await curator().press(org, curatorsChat());
    expect(cardIn(-300, id).text).toContain("Исполнитель: Министерство образования");
    expect(labels(-300, cardIn(-300, id).message_id)).toContain("Взять в работу");

    // The notice's «Направить» pressed again later routes nothing anew: the curator is told where it went.
    const late = await h.deliver(updates.callback(curator().tg, notice, `inc.routenew:${id}`));
    expect(h.fake.callbackAnswer(late.callback_query?.id ?? "")?.text).toBe(
      "Сообщение № 1 уже направлено: Минобр. Передать его другому органу — «Переназначить» на карточке.",
    );
  });

  it("in the work chat, the executor's remark replying to a colleague is not the reason: he is told to answer the question", async () => {
    await office();
    const id = await register(1);
    await route(id, [/Минздрав/]);
    await healthExecutor().press("Вернуть", healthChat());
    const question = h.fake.lastMessage(-100);
    if (!question) throw new Error("no question");
    const colleague = await h.deliver(
      updates.text(healthChat(), healthExecutor2().tg, "Не возвращай, это наше — я возьму."),
    );
    if (!colleague.message) throw new Error("no colleague's message");
    await h.deliver(
      updates.replyTo(healthChat(), healthExecutor().tg, "Ок, тогда оставляю", colleague.message),
    );
    expect(h.lastText(-100)).toBe(
      "Бот не принял это за ответ на свой вопрос: это ответ на другое сообщение. Ответьте на вопрос бота " +
        "или напишите, не отвечая ни на чьё сообщение.",
    );
    expect(state(id)).toBe("assigned");
    // The question stays open: a reply to it is the reason.
    await h.deliver(
      updates.replyTo(healthChat(), healthExecutor().tg, "Это вопрос управляющей компании", question),
    );
    expect(state(id)).toBe("registered");
    expect(h.lastText(-200)).toBe(
      "Сообщение № 1 возвращено: Министерство здравоохранения — «Это вопрос управляющей компании». Его нужно направить заново.",
    );
  });

  it("in the work chat, a colleague's reply to the return question asked of the executor is told whose it is; nothing changes", async () => {
    await office();
    h.seedPerson(HEALTH_EXECUTOR_2, "Пётр", [], [health]);
    const id = await register(1);
    await route(id, [/Минздрав/]);
    await healthExecutor().press("Вернуть", healthChat());
    const question = h.fake.lastMessage(-100);
    if (!question) throw new Error("no question");
    await h.deliver(
      updates.replyTo(healthChat(), healthExecutor2().tg, "Не возвращай, это наше — я возьму.", question),
    );
    expect(h.lastText(-100)).toBe(
      "Извините, этот вопрос бот задал не вам: ответить на него может только Иван.",
    );
    expect(state(id)).toBe("assigned");
    // Иван's question is still his to answer.
    await h.deliver(
      updates.replyTo(healthChat(), healthExecutor().tg, "Это вопрос управляющей компании", question),
    );
    expect(state(id)).toBe("registered");
  });

  it("the private card of an executor whose organization returned the post says where it went, not the next one's holder and deadlines", async () => {
    await office();
    const id = await register(1);
    await route(id, [/Минздрав/]);
    await healthExecutor().press("Вернуть", healthChat());
    await healthExecutor().press("Не наша компетенция", healthChat());
    await healthExecutor().press("Вернуть без уточнения", healthChat());
    const privateCard = () => cardIn(HEALTH_EXECUTOR, id);
    expect(privateCard().text).toContain("Состояние: возвращено куратору, ждёт направления");
    expect(privateCard().text).not.toContain("Срок:");

    await route(id, [/Минобр/]);
    await educationExecutor().press("Взять в работу", educationChat());
    expect(privateCard().text).toContain("Состояние: передано другому органу (Министерство образования)");
    expect(privateCard().text).not.toMatch(/Мария|Срок:/);
    expect(labels(HEALTH_EXECUTOR, privateCard().message_id)).toEqual(["История"]);
  });

  it("an executor removed from the organization hears no more of its post on his old card", async () => {
    await office();
    const id = await register(1);
    await route(id, [/Минздрав/]);
    await healthExecutor().press("Взять в работу", healthChat());
    const before = cardIn(HEALTH_EXECUTOR, id).text;
    h.seedPerson(1001, "Анна", ["admin"]);
    const idOf = (telegramId: number) => findPerson(h.db, telegramId)?.id ?? 0;
    const removed = changeAccess(h.db, {
      actorId: idOf(1001),
      personId: idOf(HEALTH_EXECUTOR),
      change: { kind: "membership", organizationId: health },
      configuredAdmins: [],
      now: h.clock.now(),
    });
    expect(removed.ok).toBe(true);

    await route(id, [/Минобр/]);
    expect(cardIn(-100, id).text).toContain("передано другому органу");
    expect(cardIn(HEALTH_EXECUTOR, id).text).toBe(before);
  });

  it("a card sync queued from before an executor's removal does not name him again as the holder", async () => {
    await office();
    const id = await register(1);
    await route(id, [/Минздрав/]);
    await healthExecutor().press("Взять в работу", healthChat());
    const asItWas = loadIncident(h.db, id) as Incident;
    expect(cardIn(-100, id).text).toContain("Ответственный: ");
    h.seedPerson(1001, "Анна", ["admin"]);
    const idOf = (telegramId: number) => findPerson(h.db, telegramId)?.id ?? 0;
    const removed = changeAccess(h.db, {
      actorId: idOf(1001),
      personId: idOf(HEALTH_EXECUTOR),
      change: { kind: "membership", organizationId: health },
      configuredAdmins: [],
      now: h.clock.now(),
    });
    expect(removed.ok).toBe(true);
    // An announcement from before the removal (an accept's, the sweep's) comes to its turn now.
    await syncCards(h.deps(), asItWas);
    expect(cardIn(-100, id).text).not.toContain("Ответственный: ");
  });

  it("a late return is still allowed, in the executor's own words, and the curators see it was late", async () => {
    await office();
    const id = await register(1);
    await route(id, [/Минздрав/]);
    h.clock.advance(60 * 60_000);
    await healthExecutor().press("Вернуть", healthChat());
    expect(h.lastText(-100)).toMatch(/Срок возврата истёк 24\.11\.2026 10:30\. Вернуть всё ещё можно/);
    await healthExecutor().send("ок", healthChat());
    expect(h.lastText(-100)).toMatch(/от 3 до 500 символов/);
    await healthExecutor().send("Это вопрос управляющей компании", healthChat());
    expect(h.lastText(-200)).toBe(
      "Сообщение № 1 возвращено с опозданием: Министерство здравоохранения — «Это вопрос управляющей компании». Его нужно направить заново.",
    );
  });

  it("a return at the weekend after a window that ran out at Friday's close is not late: no working minute went by", async () => {
    await office({ now: "2026-11-27T12:30:00Z" }); // Friday 17:30: 30 minutes to return it (p.7)
    const id = await register(1);
    await route(id, [/Минздрав/]);
    h.clock.set("2026-11-28T05:00:00Z"); // Saturday 10:00
    await healthExecutor().press("Вернуть", healthChat());
    expect(h.lastText(-100)).not.toMatch(/Срок возврата истёк/);
    await healthExecutor().send("Это вопрос управляющей компании", healthChat());
    expect(h.lastText(-200)).toBe(
      "Сообщение № 1 возвращено: Министерство здравоохранения — «Это вопрос управляющей компании». Его нужно направить заново.",
    );
  });

  it("a co-executor sends its part: the curators and the lead organization get it", async () => {
    await office();
    const id = await register(1);
    await route(id, [/Минздрав/, /Минобр/], /Министерство здравоохранения/);
    expect(await educationExecutor().press("Взять в работу", educationChat())).toBe(
      "Вы взяли сообщение № 1 в работу.",
    );
    expect(state(id)).toBe("assigned");
    await educationExecutor().press("Отправить информацию", educationChat());
    expect(h.lastText(-300)).toMatch(/для основного исполнителя \(Министерство здравоохранения\)/);
    await educationExecutor().send("Снег во дворе школы № 5 уберут до пятницы.", educationChat());
    expect(h.lastText(-300)).toBe("Информация по сообщению № 1 отправлена куратору и основному исполнителю.");
    const notice =
      "Информация соисполнителя по сообщению № 1 — Министерство образования:\n\nСнег во дворе школы № 5 уберут до пятницы.";
    expect(h.texts(-200)).toContain(notice);
    expect(h.texts(-100)).toContain(notice);
    expect(cardIn(-200, id).text).toContain("Информация соисполнителя получена: Министерство образования");
  });

  it("Georgievsk: the co-executor's part goes to the curators, who pass it on to the lead with one tap (p.18)", async () => {
    await office({ now: "2026-11-24T07:00:00Z", regulation: "georgievsk" }); // Tuesday 10:00 in Moscow
    const id = await register(1);
    await route(id, [/Минздрав/, /Минобр/], /Министерство здравоохранения/);
    await educationExecutor().press("Взять в работу", educationChat());
    await educationExecutor().press("Отправить информацию", educationChat());
    await educationExecutor().send("Снег во дворе школы № 5 уберут до пятницы.", educationChat());
    expect(h.lastText(-300)).toBe(
      "Информация по сообщению № 1 отправлена куратору на согласование; он передаст её основному исполнителю.",
    );
    expect(h.lastText(-200)).toBe(
      "Информация соисполнителя по сообщению № 1 — Министерство образования — на согласование:\n\n" +
        "Снег во дворе школы № 5 уберут до пятницы.\n\n" +
        "Согласуйте и передайте основному исполнителю до 24.11.2026 10:30 (п. 18 регламента).",
    );
    // The lead does not have it yet; the curators' card says it waits for them.
    expect(h.texts(-100).some((text) => text.includes("уберут до пятницы"))).toBe(false);
    expect(cardIn(-200, id).text).toContain(
      "Информация соисполнителя у куратора на согласовании: Министерство образования",
    );
    const part = loadIncident(h.db, id)?.assignments.find((a) => a.organizationId === education);
    const data = `inc.passon:${id}:${part?.id}:${part && partVersion(part)}`;
    const notice = h.fake
      .buttons(-200)
      .find((b) => b.callbackData === data && !b.message.text?.startsWith("Сообщение №"));
    if (!notice) throw new Error("no button on the notice");

    // Callback data is not trusted: an executor cannot pass it on, even with the button's data.
    const forged = await h.deliver(updates.callback(healthExecutor().tg, notice.message, data));
    expect(h.fake.callbackAnswer(forged.callback_query?.id ?? "")?.text).toBe(
      "Согласовать или вернуть информацию соисполнителя может только куратор.",
    );

    // A button sent before parts could be returned names no version of the part: it still works.
    const legacy = await h.deliver(
      updates.callback(curator().tg, notice.message, `inc.passon:${id}:${part?.id}`),
    );
    expect(h.fake.callbackAnswer(legacy.callback_query?.id ?? "")?.text).toBe(
      "Информация по сообщению № 1 передана основному исполнителю.",
    );
    expect(h.lastText(-100)).toBe(
      "Информация соисполнителя по сообщению № 1 — Министерство образования:\n\nСнег во дворе школы № 5 уберут до пятницы.",
    );
    expect(h.fake.buttons(-200).filter((b) => b.callbackData === data)).toEqual([]);
    expect(cardIn(-200, id).text).toContain("Информация соисполнителя получена: Министерство образования");

    // A second curator's press on the same button, a moment late: told it is done, nothing sent twice.
    const late = await h.deliver(updates.callback(curator().tg, notice.message, data));
    expect(h.fake.callbackAnswer(late.callback_query?.id ?? "")?.text).toBe(
      "Эта информация по сообщению № 1 уже передана основному исполнителю или больше не нужна.",
    );
    expect(h.texts(-100).filter((text) => text.includes("уберут до пятницы"))).toHaveLength(1);
    await curator().press("История", curatorsChat());
    expect(curator().lastText().split("\n").slice(-2)).toEqual([
      "24.11.2026 10:00 — Мария — отправлена информация соисполнителя: Министерство образования",
      "24.11.2026 10:00 — Ольга — информация соисполнителя (Министерство образования) передана основному исполнителю",
    ]);
  });

  it("Georgievsk: a curator returns a co-executor's part for rework with a comment; the reworked part comes back to him (p.14, 18)", async () => {
    await office({ now: "2026-11-24T07:00:00Z", regulation: "georgievsk" }); // Tuesday 10:00 in Moscow
    const id = await register(1);
    await route(id, [/Минздрав/, /Минобр/], /Министерство здравоохранения/);
    await educationExecutor().press("Взять в работу", educationChat());
    await educationExecutor().press("Отправить информацию", educationChat());
    await educationExecutor().send("Снег уберут.", educationChat());
    const part = loadIncident(h.db, id)?.assignments.find((a) => a.organizationId === education);
    const version = `${id}:${part?.id}:${part && partVersion(part)}`;
    const passOn = `inc.passon:${version}`;
    const rework = `inc.partrw:${version}`;
    const onNotice = (data: string) =>
      h.fake.buttons(-200).find((b) => b.callbackData === data && !b.message.text?.startsWith("Сообщение №"));
    const notice = onNotice(rework);
    if (!notice) throw new Error("no rework button on the notice");
    expect(labels(-200, notice.message.message_id)).toEqual([
      "Согласовать и передать: Минобр",
      "На доработку: Минобр",
    ]);
    expect(labels(-200, cardIn(-200, id).message_id)).toContain("На доработку: Минобр");

    // Callback data is not trusted: an executor cannot return it either.
    const forged = await h.deliver(updates.callback(healthExecutor().tg, notice.message, rework));
    expect(h.fake.callbackAnswer(forged.callback_query?.id ?? "")?.text).toBe(
      "Согласовать или вернуть информацию соисполнителя может только куратор.",
    );

    h.clock.advance(5 * 60_000);
    await h.deliver(updates.callback(curator().tg, notice.message, rework));
    expect(h.lastText(-200)).toMatch(
      /^Ольга, сообщение № 1: что доработать в информации соисполнителя \(Министерство образования\)\?/,
    );
    await curator().send("ок", curatorsChat());
    expect(h.lastText(-200)).toMatch(/от 3 до 1000 символов/);
    await curator().send("Укажите, к какому дню уберут снег.", curatorsChat());
    expect(h.lastText(-200)).toBe(
      "Информация по сообщению № 1 возвращена на доработку: Министерство образования, срок — 24.11.2026 10:35.",
    );
    expect(h.lastText(-300)).toBe(
      "Информация соисполнителя по сообщению № 1 (Министерство образования) возвращена куратором на доработку: " +
        "Укажите, к какому дню уберут снег.\n\n" +
        "Пришлите исправленную информацию до 24.11.2026 10:35 (п. 14, 18 регламента) кнопкой «Отправить информацию».",
    );
    const returnNotice = h.fake.lastMessage(-300);
    if (!returnNotice) throw new Error("no part return notice");
    expect(labels(-300, returnNotice.message_id)).toEqual(["Отправить информацию"]);
    // The lead never saw the returned part; the notice's buttons are spent, the card's are gone.
    expect(h.texts(-100).some((text) => text.includes("Снег уберут"))).toBe(false);
    expect(onNotice(rework)).toBeUndefined();
    expect(onNotice(passOn)).toBeUndefined();
    expect(labels(-200, cardIn(-200, id).message_id)).not.toContain("На доработку: Минобр");
    const educationCard = cardIn(-300, id);
    expect(educationCard.text).toContain(
      "Информация соисполнителя на доработке (Министерство образования): Укажите, к какому дню уберут снег.",
    );
    expect(educationCard.text).toContain(
      "Срок: 24.11.2026 10:35 — доработать информацию соисполнителя (п. 14, 18)",
    );
    expect(labels(-300, educationCard.message_id)).toContain("Отправить информацию");

    // A second curator on the old notice's pass-on, a moment late: told what happened.
    const late = await h.deliver(updates.callback(curator().tg, notice.message, passOn));
    expect(h.fake.callbackAnswer(late.callback_query?.id ?? "")?.text).toBe(
      "Эта информация по сообщению № 1 уже возвращена соисполнителю на доработку.",
    );

    // The reworked part goes to the curators again, with a new 30-minute clock, and on to the lead.
    h.clock.advance(20 * 60_000);
    await h.deliver(updates.callback(educationExecutor().tg, returnNotice, `inc.part:${id}:${education}`));
    await educationExecutor().send("Снег уберут до пятницы.", educationChat());
    expect(h.lastText(-200)).toBe(
      "Информация соисполнителя по сообщению № 1 — Министерство образования — на согласование:\n\n" +
        "Снег уберут до пятницы.\n\n" +
        "Согласуйте и передайте основному исполнителю до 24.11.2026 10:55 (п. 18 регламента).",
    );
    expect(cardIn(-300, id).text).not.toContain("на доработке");
    // The old notice's button does not approve the new text unseen, nor does one from before
    // buttons named the sending.
    for (const old of [passOn, `inc.passon:${id}:${part?.id}`]) {
      const unseen = await h.deliver(updates.callback(curator().tg, notice.message, old));
      expect(h.fake.callbackAnswer(unseen.callback_query?.id ?? "")?.text).toBe(
        "Соисполнитель уже прислал новую версию этой информации по сообщению № 1: решите по ней, она ниже.",
      );
    }
    const resent = loadIncident(h.db, id)?.assignments.find((a) => a.id === part?.id);
    await pressData(curator(), -200, `inc.passon:${id}:${part?.id}:${resent && partVersion(resent)}`);
    expect(h.lastText(-100)).toBe(
      "Информация соисполнителя по сообщению № 1 — Министерство образования:\n\nСнег уберут до пятницы.",
    );
    await curator().press("История", curatorsChat());
    expect(curator().lastText().split("\n").slice(-4)).toEqual([
      "24.11.2026 10:00 — Мария — отправлена информация соисполнителя: Министерство образования",
      "24.11.2026 10:05 — Ольга — информация соисполнителя (Министерство образования) возвращена на доработку: «Укажите, к какому дню уберут снег.»",
      "24.11.2026 10:25 — Мария — отправлена информация соисполнителя: Министерство образования",
      "24.11.2026 10:25 — Ольга — информация соисполнителя (Министерство образования) передана основному исполнителю",
    ]);
  });

  it("Georgievsk: a co-executor dropped while reworking its part is told so by the rework notice's button", async () => {
    await office({ now: "2026-11-24T07:00:00Z", regulation: "georgievsk" });
    const id = await register(1);
    await route(id, [/Минздрав/, /Минобр/], /Министерство здравоохранения/);
    await educationExecutor().press("Взять в работу", educationChat());
    await educationExecutor().press("Отправить информацию", educationChat());
    await educationExecutor().send("Снег уберут.", educationChat());
    const part = loadIncident(h.db, id)?.assignments.find((a) => a.organizationId === education);
    await pressData(curator(), -200, `inc.partrw:${id}:${part?.id}:${part && partVersion(part)}`);
    await curator().send("Укажите, к какому дню уберут снег.", curatorsChat());
    const returnNotice = h.fake.lastMessage(-300);
    if (!returnNotice) throw new Error("no part return notice");
    const curatorPerson = findPerson(h.db, CURATOR);
    if (!curatorPerson) throw new Error("no curator");
    routeIncident(h.db, {
      incidentId: id,
      leadId: health,
      coexecutorIds: [],
      actor: curatorPerson,
      now: h.clock.now(),
    });
    const press = await h.deliver(
      updates.callback(educationExecutor().tg, returnNotice, `inc.part:${id}:${education}`),
    );
    expect(h.fake.callbackAnswer(press.callback_query?.id ?? "")?.text).toBe(
      "Сообщение № 1 больше не направлено вашему органу.",
    );
  });

  it("Orenburg: nobody returns a co-executor's part, which goes to the lead at once (p.14)", async () => {
    await office();
    const id = await register(1);
    await route(id, [/Минздрав/, /Минобр/], /Министерство здравоохранения/);
    await educationExecutor().press("Взять в работу", educationChat());
    const part = loadIncident(h.db, id)?.assignments.find((a) => a.organizationId === education);
    const rework = await h.deliver(
      updates.callback(curator().tg, cardIn(-200, id), `inc.partrw:${id}:${part?.id}`),
    );
    expect(h.fake.callbackAnswer(rework.callback_query?.id ?? "")?.text).toBe(
      "По этому регламенту информация соисполнителя идёт основному исполнителю сразу, без согласования куратором.",
    );
    expect(loadIncident(h.db, id)?.assignments.find((a) => a.id === part?.id)?.state).toBe("accepted");
  });

  it("a co-executor that took its part may return it whatever the lead's work is at: before the lead takes the post, and while its draft is on approval", async () => {
    await office();
    const returnLabels = () =>
      labels(-300, cardIn(-300, 1).message_id).filter((label) => label.startsWith("Вернуть"));
    const id = await register(1);
    await route(id, [/Минздрав/, /Минобр/], /Министерство здравоохранения/);
    await educationExecutor().press("Взять в работу", educationChat());
    expect(state(id)).toBe("assigned");
    expect(returnLabels()).toEqual(["Вернуть"]);
    // The lead takes it and sends its draft: the co-executor's «Вернуть» stays.
    const executor = findPerson(h.db, HEALTH_EXECUTOR);
    if (!executor) throw new Error("no executor");
    acceptIncident(h.db, { incidentId: id, actor: executor, now: h.clock.now() });
    submitDraft(h.db, {
      incidentId: id,
      actor: executor,
      now: h.clock.now(),
      content: { text: "Здравствуйте! Снег вывезут.", attachments: [] },
    });
    await showCards(h, id);
    expect(state(id)).toBe("on_approval");
    expect(returnLabels()).toEqual(["Вернуть"]);
    await educationExecutor().press("Вернуть", educationChat());
    await educationExecutor().send("Это вопрос управляющей компании", educationChat());
    expect(loadIncident(h.db, id)?.assignments.map((a) => [a.organizationName, a.state])).toEqual([
      ["Министерство здравоохранения", "accepted"],
      ["Министерство образования", "returned"],
    ]);
    expect(state(id)).toBe("on_approval");
  });

  it("a person of both the lead and a co-executor returns from the co-executor's card only that part", async () => {
    const id = await routedToBothOfPetr();
    await healthExecutor2().press("Взять в работу", healthChat());
    await healthExecutor2().press("Вернуть", educationChat());
    await healthExecutor2().press("Не наша компетенция", educationChat());
    await healthExecutor2().press("Вернуть без уточнения", educationChat());
    expect(state(id)).toBe("in_work");
    expect(loadIncident(h.db, id)?.assignments.map((a) => [a.organizationName, a.state])).toEqual([
      ["Министерство здравоохранения", "accepted"],
      ["Министерство образования", "returned"],
    ]);
    // Then the lead's part from the lead's card (taken, it may still be returned): the curators hear
    // of the lead's return.
    await h.deliver(updates.callback(healthExecutor2().tg, cardIn(-100, id), `inc.return:${id}:${health}`));
    await healthExecutor2().press("Не наша компетенция", healthChat());
    await healthExecutor2().press("Вернуть без уточнения", healthChat());
    expect(state(id)).toBe("registered");
    expect(h.lastText(-200)).toBe(
      "Сообщение № 1 возвращено: Министерство здравоохранения — «Не наша компетенция». Его нужно направить заново.",
    );
  });

  it("a person of two organizations gets one private card with each one's buttons, named", async () => {
    const id = await routedToBothOfPetr();
    const cards = h.fake.messages(HEALTH_EXECUTOR_2).filter((m) => m.text?.startsWith("Сообщение № 1 · "));
    expect(cards).toHaveLength(1);
    expect(labels(HEALTH_EXECUTOR_2, cardIn(HEALTH_EXECUTOR_2, id).message_id)).toEqual([
      "Взять в работу: Минздрав",
      "Вернуть: Минздрав",
      "Взять в работу: Минобр",
      "Вернуть: Минобр",
      "История",
    ]);
    expect(await healthExecutor2().press("Взять в работу: Минобр")).toBe("Вы взяли сообщение № 1 в работу.");
    expect(loadIncident(h.db, id)?.assignments.map((a) => a.state)).toEqual(["assigned", "accepted"]);
    expect(labels(HEALTH_EXECUTOR_2, cardIn(HEALTH_EXECUTOR_2, id).message_id)).toContain(
      "Отправить информацию: Минобр",
    );
  });

  it("a person of both the lead and a co-executor sees the lead's draft deadline and the part's, the return window below", async () => {
    const id = await routedToBothOfPetr();
    const deadlines = (chatId: number) =>
      (cardIn(chatId, id).text ?? "").split("\n").filter((line) => line.startsWith("Срок: "));
    // The lead's work chat has the draft's deadline; his own card has it too, and his part's.
    expect(deadlines(-100).join("\n")).toContain("— прислать проект ответа куратору (п. 9)");
    expect(deadlines(HEALTH_EXECUTOR_2).map((line) => line.split(" — ")[1]?.split(",")[0])).toEqual([
      "прислать проект ответа куратору (п. 9)",
      "прислать информацию соисполнителя (п. 14)",
    ]);
  });

  it("a button names its organization: a forged one is refused; a card sent before buttons named it acts for its chat's", async () => {
    const id = await routedToBothOfPetr();
    const forged = await h.deliver(
      updates.callback(healthExecutor().tg, cardIn(-100, id), `inc.accept:${id}:${education}`),
    );
    expect(h.fake.callbackAnswer(forged.callback_query?.id ?? "")?.text).toBe(
      "Сообщение № 1 направлено другому органу: взять его в работу может только его исполнитель.",
    );
    await healthExecutor2().press("Взять в работу", healthChat());
    // An old card's button in the co-executor's chat, without the organization: that chat's part.
    const old = h.fake.buttons(-300).find((b) => b.label === "Взять в работу");
    if (!old) throw new Error("no button");
    const update = await h.deliver(updates.callback(healthExecutor2().tg, old.message, `inc.accept:${id}`));
    expect(h.fake.callbackAnswer(update.callback_query?.id ?? "")?.text).toBe(
      "Вы взяли сообщение № 1 в работу.",
    );
    expect(loadIncident(h.db, id)?.assignments.map((a) => a.state)).toEqual(["accepted", "accepted"]);
  });

  it("a person of both the lead and a co-executor takes each part and sends the co-executor's in its name", async () => {
    const id = await routedToBothOfPetr();
    expect(await healthExecutor2().press("Взять в работу", healthChat())).toBe(
      "Вы взяли сообщение № 1 в работу.",
    );
    expect(state(id)).toBe("in_work");
    // The lead's part is taken; the same button in the co-executor's chat takes the co-executor's.
    expect(await healthExecutor2().press("Взять в работу", educationChat())).toBe(
      "Вы взяли сообщение № 1 в работу.",
    );
    expect(loadIncident(h.db, id)?.assignments.map((a) => [a.organizationName, a.state])).toEqual([
      ["Министерство здравоохранения", "accepted"],
      ["Министерство образования", "accepted"],
    ]);
    await healthExecutor2().press("Отправить информацию", educationChat());
    await healthExecutor2().send("Снег во дворе школы № 5 уберут до пятницы.", educationChat());
    expect(h.texts(-200)).toContain(
      "Информация соисполнителя по сообщению № 1 — Министерство образования:\n\nСнег во дворе школы № 5 уберут до пятницы.",
    );
  });
});

describe("lists, search and history", () => {
  it("/list shows an executor their open incidents, the nearest deadline first", async () => {
    await office();
    const first = await register(1);
    const second = await register(2);
    await register(3);
    h.clock.advance(20 * 60_000);
    await route(first, [/Минздрав/]);
    h.clock.advance(-15 * 60_000);
    await route(second, [/Минздрав/]);
    h.clock.set("2026-11-24T05:30:00Z");
    await healthExecutor().send("/list");
    expect(healthExecutor().lastText()).toBe(
      [
        "Открытые сообщения: 2",
        "Осталось и просрочено — в рабочем времени.",
        "",
        // The draft's deadline (p.9), not the return window closing sooner (10:35, 10:50): nobody has
        // to return a post, and the line does not say which step its deadline is of.
        // Due today: the time alone.
        "№ 1 · ВКонтакте · «Во дворе на Ленина, 5 третью неделю не убирают снег.» · до 16:00 (осталось 4 ч 30 мин) · направлено",
        "№ 2 · ВКонтакте · «Во дворе на Ленина, 5 третью неделю не убирают снег.» · до 16:00 (осталось 4 ч 30 мин) · направлено",
      ].join("\n"),
    );
    await healthExecutor().press("№ 1");
    expect(healthExecutor().lastText()).toMatch(/^Сообщение № 1 · ВКонтакте/);
    expect(labels(HEALTH_EXECUTOR, h.fake.lastMessage(HEALTH_EXECUTOR)?.message_id ?? 0)).toContain(
      "Взять в работу",
    );
  });

  it("/list of an executor in two organizations names which of his has each post", async () => {
    await office();
    h.seedPerson(HEALTH_EXECUTOR_2, "Пётр", [], [health, education]);
    const first = await register(1);
    const second = await register(2);
    await route(first, [/Минздрав/]);
    await route(second, [/Минобр/]);
    await healthExecutor2().send("/list");
    const lines = healthExecutor2().lastText().split("\n").slice(3);
    expect(lines.map((line) => line.split(" · ").slice(0, 4).join(" · "))).toEqual([
      "№ 1 · ВКонтакте · «Во дворе на Ленина, 5 третью неделю не убирают снег.» · Минздрав",
      "№ 2 · ВКонтакте · «Во дворе на Ленина, 5 третью неделю не убирают снег.» · Минобр",
    ]);
  });

  it("/list of a person of both the lead and a co-executor names the one whose deadline the line has", async () => {
    await routedToBothOfPetr();
    await healthExecutor2().send("/list");
    // The co-executor's part is due first (p.14), not the lead's draft (16:00): the line says whose it is.
    expect(healthExecutor2().lastText().split("\n")[3]).toBe(
      "№ 1 · ВКонтакте · «Во дворе на Ленина, 5 третью неделю не убирают снег.» · Минобр · информация соисполнителя до 12:00 (осталось 2 ч) · направлено, ещё не взято в работу",
    );
    await healthExecutor2().press("Взять в работу: Минобр");
    await healthExecutor2().press("Отправить информацию: Минобр");
    await healthExecutor2().send("Снег во дворе школы № 5 уберут до пятницы.");
    await healthExecutor2().send("/list");
    expect(healthExecutor2().lastText().split("\n")[3]).toBe(
      "№ 1 · ВКонтакте · «Во дворе на Ленина, 5 третью неделю не убирают снег.» · Минздрав · до 16:00 (осталось 5 ч) · направлено",
    );
  });

  it("/list shows a co-executor its own part's deadline and state, and curators its lateness among the overdue", async () => {
    await office();
    const id = await register(1);
    await route(id, [/Минздрав/, /Минобр/], /Министерство здравоохранения/);
    await healthExecutor().press("Взять в работу", healthChat());
    await educationExecutor().press("Взять в работу", educationChat());
    await educationExecutor().send("/list", educationChat());
    expect(h.lastText(-300)).toBe(
      `Открытые сообщения: 1\nОсталось и просрочено — в рабочем времени.\n\n№ 1 · ВКонтакте · «Во дворе на Ленина, 5 третью неделю не убирают снег.» · до 12:00 (осталось 2 ч) · в работе`,
    );
    // The lead's draft is due later than the co-executor's part: the curators' overdue list has the
    // post, with the draft's deadline ahead as their card's «Срок:», and the part's missed one, whose.
    h.clock.advance(3 * 60 * 60_000);
    await curator().send("/list", curatorsChat());
    await curator().press("Просрочены", curatorsChat());
    expect(h.lastText(-200)).toBe(
      [
        "Открытые сообщения (просрочены): 1",
        "Осталось и просрочено — в рабочем времени.",
        "",
        "№ 1 · ВКонтакте · «Во дворе на Ленина, 5 третью неделю не убирают снег.» · Минздрав · до 16:00 (осталось 2 ч) · пропущен срок «прислать информацию соисполнителя (Минобр)» · в работе",
      ].join("\n"),
    );
  });

  it("the curators' /list names the co-executor whose part's deadline a line shows, not the lead waiting for it", async () => {
    await office();
    const id = await register(1);
    await route(id, [/Минздрав/, /Минобр/], /Министерство здравоохранения/);
    await healthExecutor().press("Взять в работу", healthChat());
    await curator().send("/list", curatorsChat());
    // The part (p.14) is due before the lead's draft: the line is about Минобр.
    expect(h.lastText(-200).split("\n")[3]).toBe(
      "№ 1 · ВКонтакте · «Во дворе на Ленина, 5 третью неделю не убирают снег.» · Минобр · информация соисполнителя до 12:00 (осталось 2 ч) · в работе",
    );
  });

  it("/list of a busy office with long names fits in one message: the names are cut", async () => {
    await office();
    const ministry = h.seedOrganization(
      "Министерство жилищно-коммунального хозяйства, энергетики и транспорта Оренбургской области",
    );
    const actor = findPerson(h.db, CURATOR);
    if (!actor) throw new Error("no curator");
    for (let n = 1; n <= 30; n++) {
      const incidentId = seedRegistered(h, { link: `https://vk.com/wall-1_${n}` });
      routeIncident(h.db, { incidentId, leadId: ministry, coexecutorIds: [], actor, now: h.clock.now() });
    }
    await curator().send("/list", curatorsChat());
    const text = h.lastText(-200);
    expect(text.length).toBeLessThanOrEqual(4096);
    expect(text).toMatch(
      /^Открытые сообщения: 30, показаны 1–\d+\nОсталось и просрочено — в рабочем времени\.\n\n№ 1 · ВКонтакте · «[^»]+» · Министерство жилищно-коммунального хозя… · до /,
    );
  });

  it("/list tells posts apart: the topic and place of each, if known, and the start of its text", async () => {
    await office();
    await register(1, { topic: "Уборка снега", place: "ул. Ленина, 5" });
    await register(2, {
      text: "Третий день нет горячей воды в доме на Советской, 12, управляющая компания не отвечает.",
    });
    await curator().send("/list");
    const lines = curator().lastText().split("\n").slice(3);
    expect(lines.map((line) => line.split(" · ").slice(0, 3).join(" · "))).toEqual([
      "№ 1 · ВКонтакте · Уборка снега, ул. Ленина, 5: «Во дворе на Ленина, 5 третью неделю не убирают снег.»",
      "№ 2 · ВКонтакте · «Третий день нет горячей воды в доме на Советской, 12, управ…»",
    ]);
  });

  it("/list counts and orders every open post, however many: the nearest deadline first", async () => {
    await office();
    for (let n = 1; n <= 200; n++) seedRegistered(h, { link: `https://vk.com/wall-1_${n}` });
    h.clock.advance(-10 * 60_000); // the 201st post was detected earlier: its routing is due first
    seedRegistered(h, { link: "https://vk.com/wall-1_201" });
    h.clock.set(TUESDAY_10);
    await curator().send("/list");
    expect(curator().lastText()).toMatch(
      /^Открытые сообщения: 201, показаны 1–20\nОсталось и просрочено — в рабочем времени\.\n\n№ 201 · /,
    );
  });

  it("/list pages through every open post in the same message: «▶ Ещё» the next, «◀» back, the filter kept", async () => {
    await office();
    for (let n = 1; n <= 45; n++) seedRegistered(h, { link: `https://vk.com/wall-1_${n}` });
    const actor = findPerson(h.db, CURATOR);
    if (!actor) throw new Error("no curator");
    routeIncident(h.db, { incidentId: 45, leadId: health, coexecutorIds: [], actor, now: h.clock.now() });
    await curator().send("/list", curatorsChat());
    await curator().press("Ждут направления", curatorsChat());
    const list = h.fake.lastMessage(-200);
    const shown = () => {
      const message = h.fake.messages(-200).find((m) => m.message_id === list?.message_id);
      const numbers = (message?.text ?? "").match(/^№ \d+/gm) ?? [];
      return { title: message?.text?.split("\n")[0], first: numbers[0], last: numbers.at(-1) };
    };
    expect(shown()).toEqual({
      title: "Открытые сообщения (ждут направления): 44, показаны 1–20",
      first: "№ 1",
      last: "№ 20",
    });
    expect(labels(-200, list?.message_id ?? 0)).not.toContain("◀");
    await curator().press("▶ Ещё 24", curatorsChat());
    expect(shown()).toEqual({
      title: "Открытые сообщения (ждут направления): 44, показаны 21–40",
      first: "№ 21",
      last: "№ 40",
    });
    await curator().press("▶ Ещё 4", curatorsChat());
    expect(shown()).toEqual({
      title: "Открытые сообщения (ждут направления): 44, показаны 41–44",
      first: "№ 41",
      last: "№ 44",
    });
    expect(labels(-200, list?.message_id ?? 0).filter((label) => /^[◀▶]/.test(label))).toEqual(["◀"]);
    // Each card of the page is a tap away, the routed post on none.
    expect(labels(-200, list?.message_id ?? 0)).toEqual(expect.arrayContaining(["№ 41", "№ 44"]));
    await curator().press("◀", curatorsChat());
    expect(shown().title).toBe("Открытые сообщения (ждут направления): 44, показаны 21–40");
    expect(h.fake.messages(-200).at(-1)?.message_id).toBe(list?.message_id);
  });

  it("a /list page whose posts were routed meanwhile is read anew, not refused", async () => {
    await office();
    for (let n = 1; n <= 25; n++) seedRegistered(h, { link: `https://vk.com/wall-1_${n}` });
    await curator().send("/list", curatorsChat());
    await curator().press("Ждут направления", curatorsChat());
    const actor = findPerson(h.db, CURATOR);
    if (!actor) throw new Error("no curator");
    for (let id = 1; id <= 15; id++)
      routeIncident(h.db, { incidentId: id, leadId: health, coexecutorIds: [], actor, now: h.clock.now() });
    expect(await curator().press("▶ Ещё 5", curatorsChat())).toBeUndefined();
    const text = h.lastText(-200);
    expect(text.split("\n")[0]).toBe("Открытые сообщения (ждут направления): 10");
    expect(text.match(/^№ \d+/gm)).toEqual(Array.from({ length: 10 }, (_, i) => `№ ${16 + i}`));
  });

  it("an executor's /list has pages too, but no filters", async () => {
    await office();
    const actor = findPerson(h.db, CURATOR);
    if (!actor) throw new Error("no curator");
    for (let n = 1; n <= 22; n++) {
      const incidentId = seedRegistered(h, { link: `https://vk.com/wall-1_${n}` });
      routeIncident(h.db, { incidentId, leadId: health, coexecutorIds: [], actor, now: h.clock.now() });
    }
    await healthExecutor().send("/list");
    expect(healthExecutor().lastText()).toMatch(/^Открытые сообщения: 22, показаны 1–20\n/);
    await healthExecutor().press("▶ Ещё 2");
    expect(healthExecutor().lastText()).toMatch(/^Открытые сообщения: 22, показаны 21–22\n[\s\S]*\n№ 22 · /);
    expect(labels(HEALTH_EXECUTOR, h.fake.lastMessage(HEALTH_EXECUTOR)?.message_id ?? 0)).toEqual([
      "№ 21",
      "№ 22",
      "◀",
    ]);
    await healthExecutor().press("◀");
    expect(healthExecutor().lastText()).toMatch(/^Открытые сообщения: 22, показаны 1–20\n/);
  });

  it("the list of one organization's posts he gets on joining it pages over that organization, not all of his", async () => {
    await office();
    const actor = findPerson(h.db, CURATOR);
    if (!actor) throw new Error("no curator");
    for (let n = 1; n <= 24; n++) {
      const incidentId = seedRegistered(h, { link: `https://vk.com/wall-1_${n}` });
      const leadId = n <= 2 ? health : education;
      routeIncident(h.db, { incidentId, leadId, coexecutorIds: [], actor, now: h.clock.now() });
    }
    h.seedPerson(9001, "Анна", ["admin"]);
    const { token } = createInvite(h.db, {
      actorId: findPerson(h.db, 9001)?.id ?? 0,
      role: "executor",
      organizationId: education,
      ttlDays: 7,
      now: h.clock.now(),
    });
    await healthExecutor().send(`/start ${token}`);
    const list = () =>
      healthExecutor()
        .texts()
        .find((text) => text.startsWith("Открытые сообщения"));
    expect(list()).toMatch(/^Открытые сообщения: 22, показаны 1–20\n/);
    await healthExecutor().press("▶ Ещё 2");
    expect(healthExecutor().lastText()).toMatch(/^Открытые сообщения: 22, показаны 21–22\n[\s\S]*\n№ 24 · /);
    // A page of an organization that is not his is refused.
    const data = `inc.list:all:0:${building}`;
    const message = h.fake.lastMessage(HEALTH_EXECUTOR);
    if (!message) throw new Error("no list");
    const update = await h.deliver(updates.callback(healthExecutor().tg, message, data));
    expect(h.fake.callbackAnswer(update.callback_query?.id ?? "")?.text).toBe(t.refusal);
  });

  it("/list with no open posts says only so; a filter with none names the filter", async () => {
    await office();
    await curator().send("/list");
    expect(curator().lastText()).toBe("Открытых сообщений нет.");
    await register(1);
    await curator().press("Просрочены");
    expect(curator().lastText()).toBe("Открытые сообщения (просрочены): нет.");
  });

  it("/list for a curator filters by state", async () => {
    await office();
    const first = await register(1);
    await register(2);
    await route(first, [/Минздрав/]);
    await curator().send("/list");
    expect(curator().lastText()).toMatch(/^Открытые сообщения: 2\n/);
    await curator().press("Ждут направления");
    expect(curator().lastText()).toMatch(
      /^Открытые сообщения \(ждут направления\): 1\nОсталось и просрочено — в рабочем времени\.\n\n№ 2 · /,
    );
    await curator().press("Направлены");
    expect(curator().lastText()).toMatch(
      /^Открытые сообщения \(направлены\): 1\nОсталось и просрочено — в рабочем времени\.\n\n№ 1 · /,
    );
  });

  it("/list for a curator names who holds each post, and shows those awaiting approval and the overdue apart", async () => {
    await office();
    const first = await register(1);
    await register(2);
    await route(first, [/Минздрав/]);
    await curator().send("/list");
    expect(curator().lastText()).toMatch(/^№ 1 · ВКонтакте · «[^»]+» · Минздрав · до /m);
    expect(curator().lastText()).toMatch(/^№ 2 · ВКонтакте · «[^»]+» · до /m);

    // № 1 goes to the curators for approval; № 2 waits for routing past its deadline; № 3 has time.
    const executor = findPerson(h.db, HEALTH_EXECUTOR);
    if (!executor) throw new Error("no executor");
    const now = h.clock.now();
    acceptIncident(h.db, { incidentId: first, actor: executor, now });
    submitDraft(h.db, {
      incidentId: first,
      actor: executor,
      now,
      content: { text: "Здравствуйте! Снег вывезут.", attachments: [] },
    });
    h.clock.advance(60 * 60_000);
    await register(3);
    await curator().send("/list");
    await curator().press("На согласовании");
    expect(curator().lastText()).toMatch(
      /^Открытые сообщения \(на согласовании\): 1\nОсталось и просрочено — в рабочем времени\.\n\n№ 1 · /,
    );
    await curator().press("Просрочены");
    const overdue = curator().lastText();
    expect(overdue).toMatch(/^Открытые сообщения \(просрочены\): 2\n/);
    // Its routing (p.6) missed, the answer (p.8) is still ahead: the line has both, as its card.
    expect(overdue).toMatch(
      /^№ 2 · ВКонтакте · «[^»]+» · до 25\.11\.2026 11:00 \(осталось 8 ч\) · пропущен срок «направить исполнителю» · ждёт направления$/m,
    );
    expect(overdue).not.toMatch(/№ 3/);
  });

  it("in an organization's work chat, /find of another's post and /list by someone not of it say so, and where to look instead", async () => {
    await office();
    const id = await register(1);
    await route(id, [/Минобр/]);
    await curator().send("/find 1", healthChat());
    expect(curator().lastText()).toBe(
      "Сообщение № 1 не направлялось органу этого чата: откройте его в личном чате с ботом или в чате кураторов.",
    );
    await educationExecutor().send("/list", healthChat());
    expect(educationExecutor().lastText()).toBe(
      "Список этого чата — сообщения его органа, для его исполнителей. Свой список откройте в личном чате с ботом: /list.",
    );
  });

  it("/find by number and by link shows the card to whoever may see it", async () => {
    await office();
    const id = await register(1);
    await route(id, [/Минздрав/]);
    await healthExecutor().send("/find 1");
    expect(healthExecutor().lastText()).toMatch(/^Сообщение № 1 · ВКонтакте/);
    await healthExecutor().send("/find https://m.vk.com/wall-1_1?utm_source=share");
    expect(healthExecutor().lastText()).toMatch(/^Сообщение № 1 · ВКонтакте/);
    expect(
      h.fake.messages(HEALTH_EXECUTOR).filter((m) => m.text?.startsWith("Сообщение № 1 ·")),
    ).toHaveLength(3);
    const notFound =
      "Сообщение не найдено: проверьте номер или ссылку. Если сообщение ещё не зарегистрировано, " +
      "куратор регистрирует его командой /new.";
    await healthExecutor().send("/find 99");
    expect(healthExecutor().lastText()).toBe(notFound);
    await healthExecutor().send("/find vk.com/wall-1_404");
    expect(healthExecutor().lastText()).toBe(notFound);
    await healthExecutor().send("/find ab");
    expect(healthExecutor().lastText()).toMatch(
      /^Пришлите номер сообщения, ссылку на пост или слова из его текста/,
    );
    await educationExecutor().send("/find 1");
    expect(educationExecutor().lastText()).toBe("Сообщение № 1 не направлялось вашему органу.");
    await h.user(STRANGER, "Гость").send("/find 1");
    expect(h.lastText(STRANGER)).toBe(
      "У вас нет доступа к боту. Доступ выдаёт администратор по ссылке-приглашению.",
    );
  });

  it("/find by words lists the posts whose text, topic or place has them all, in any case, newest first, each a tap away", async () => {
    await office();
    const cold = await register(1, { text: "В ШКОЛЕ № 5 на Ленина холодно, дети сидят в куртках." });
    const topic = await register(2, { topic: "Холодно в школе", text: "Третий день мёрзнем." });
    const place = await register(3, { place: "Школа № 7", text: "Холодно на уроках." });
    await register(4, { text: "Холодно в детском саду." });
    for (const id of [cold, topic, place]) await route(id, [/Минздрав/]);
    await healthExecutor().send("/find школ Холодно");
    const [title, note, blank, ...lines] = healthExecutor().lastText().split("\n");
    expect([title, note, blank]).toEqual([
      "Найдено по словам «школ Холодно», новые сверху:",
      "Осталось и просрочено — в рабочем времени.",
      "",
    ]);
    expect(lines.map((line) => line.split(" · ").slice(0, 3).join(" · "))).toEqual([
      "№ 3 · ВКонтакте · Школа № 7: «Холодно на уроках.»",
      "№ 2 · ВКонтакте · Холодно в школе: «Третий день мёрзнем.»",
      "№ 1 · ВКонтакте · «В ШКОЛЕ № 5 на Ленина холодно, дети сидят в куртках.»",
    ]);
    expect(lines[0]).toMatch(/ · до \d\d:\d\d \(осталось .*\) · направлено$/);
    await healthExecutor().press("№ 1");
    expect(healthExecutor().lastText()).toMatch(/^Сообщение № 1 · ВКонтакте/);
  });

  it("/find by words shows an executor only his organization's posts; a curator sees every one", async () => {
    await office();
    await route(await register(1, { text: "Нет горячей воды в школе." }), [/Минобр/]);
    await route(await register(2, { text: "Нет горячей воды в доме." }), [/Минздрав/]);
    await healthExecutor().send("/find горячей воды");
    expect(
      healthExecutor()
        .lastText()
        .split("\n")
        .slice(3)
        .map((line) => line.split(" · ")[0]),
    ).toEqual(["№ 2"]);
    await healthExecutor().send("/find воды в школе");
    expect(healthExecutor().lastText()).toMatch(/^По словам «воды в школе» сообщений не найдено\./);
    await curator().send("/find горячей воды");
    expect(
      curator()
        .lastText()
        .split("\n")
        .slice(3)
        .map((line) => line.split(" · ")[0]),
    ).toEqual(["№ 2", "№ 1"]);
  });

  it("/find by words lists the newest ten and says there are more", async () => {
    await office();
    for (let n = 1; n <= 12; n++)
      seedRegistered(h, { link: `https://vk.com/wall-1_${n}`, text: `Яма на дороге, ${n}` });
    await curator().send("/find яма");
    const lines = curator().lastText().split("\n").slice(3);
    expect(lines.map((line) => line.split(" · ")[0])).toEqual([
      ...Array.from({ length: 10 }, (_, i) => `№ ${12 - i}`),
      "…найдены и другие. Чтобы сузить поиск, добавьте слова.",
    ]);
  });

  it("/find by words: an answered or closed post says when it was answered or closed, not «без срока», found behind others' newer posts", async () => {
    await office();
    const answered = await seedIncidentInWork(h, health, {
      link: "https://vk.com/wall-1_1",
      text: "Яма на дороге у школы.",
    });
    await seedDraft(h, answered, { approve: true });
    h.clock.advance(30 * 60_000);
    const rules = { curatorMayPublish: false };
    const link = "https://vk.com/wall-1_1?reply=5";
    const executor = findPerson(h.db, HEALTH_EXECUTOR);
    const actor = findPerson(h.db, CURATOR);
    if (!executor || !actor) throw new Error("no people");
    publishAnswer(h.db, {
      incidentId: answered,
      actor: executor,
      now: h.clock.now(),
      link,
      onTime: true,
      rules,
    });
    const closed = await register(2, { text: "Яма во дворе." });
    await route(closed, [/Минздрав/]);
    h.clock.advance(15 * 60_000);
    closeAsToxic(h.db, { incidentId: closed, actor, now: h.clock.now(), threat: false });
    // More than a page of newer matches he may not see: his are read on.
    for (let n = 3; n <= 63; n++)
      seedRegistered(h, { link: `https://vk.com/wall-1_${n}`, text: `Яма, ${n}` });
    await healthExecutor().send("/find яма");
    expect(healthExecutor().lastText()).toBe(
      [
        "Найдено по словам «яма», новые сверху:",
        "",
        "№ 2 · ВКонтакте · «Яма во дворе.» · закрыто без ответа 24.11.2026 10:45",
        "№ 1 · ВКонтакте · «Яма на дороге у школы.» · ответ размещён 24.11.2026 10:30",
      ].join("\n"),
    );
  });

  it("/find by words names the author of a post whose text, topic and place lack some of the words; the place is on every line", async () => {
    await office();
    await register(1, { text: "Холодно в классе.", place: "Школа № 7" });
    await register(2, { text: "В школе холодно.", place: "ул. Ленина, 5" });
    await register(3, { topic: "Отопление", text: "Холодно.", author: "Анна Школьникова" });
    const found = async (query: string) => {
      await curator().send(`/find ${query}`);
      return curator()
        .lastText()
        .split("\n")
        .slice(3)
        .map((line) => line.replace(/ · до .*$/, ""));
    };
    expect(await found("школ холодно")).toEqual([
      "№ 3 · ВКонтакте · Отопление: «Холодно.» · автор: «Анна Школьникова»",
      "№ 2 · ВКонтакте · ул. Ленина, 5: «В школе холодно.»",
      "№ 1 · ВКонтакте · Школа № 7: «Холодно в классе.»",
    ]);
    // A place corrected by a curator is found by its new words, no longer by the old ones.
    const actor = findPerson(h.db, CURATOR);
    if (!actor) throw new Error("no curator");
    changePostDetail(h.db, {
      incidentId: 1,
      detail: { field: "place", value: "Гимназия № 2, ул. Ёлочная" },
      actor,
      now: h.clock.now(),
    });
    expect(await found("гимназия елочная")).toEqual([
      "№ 1 · ВКонтакте · Гимназия № 2, ул. Ёлочная: «Холодно в классе.»",
    ]);
    expect(await found("школ холодно")).toEqual([
      "№ 3 · ВКонтакте · Отопление: «Холодно.» · автор: «Анна Школьникова»",
      "№ 2 · ВКонтакте · ул. Ленина, 5: «В школе холодно.»",
    ]);
  });

  it("/find by words that match nothing says so and how else to search; a query too short asks for more", async () => {
    await office();
    await register(1, { place: "ул.Ленина, 5" });
    await curator().send("/find школа");
    expect(curator().lastText()).toBe(
      "По словам «школа» сообщений не найдено. Найти можно и по номеру или ссылке на пост: " +
        "/find 12, /find https://vk.com/wall-1_2; открытые сообщения — /list.",
    );
    await curator().send("/find сн");
    expect(curator().lastText()).toBe(
      "Пришлите номер сообщения, ссылку на пост или слова из его текста, например: /find 12, " +
        "/find https://vk.com/wall-1_2 или /find горячая вода",
    );
    await curator().send("/find ул.Ленина");
    expect(curator().lastText()).toMatch(
      /^Найдено по словам «ул\.Ленина», новые сверху:\nОсталось и просрочено — в рабочем времени\.\n\n№ 1 · /,
    );
  });

  it("a curator who is also the organization's executor gets, privately, the executor's card and can take the post", async () => {
    await office();
    const MARINA = 3009;
    h.seedPerson(MARINA, "Марина", ["curator"], [health]);
    const marina = h.user(MARINA, "Марина");
    const id = await register(1);
    await route(id, [/Минздрав/]);
    await marina.send("/find 1");
    const card = h.fake.lastMessage(MARINA);
    expect(card?.text).toMatch(/^Сообщение № 1 · ВКонтакте/);
    expect(labels(MARINA, card?.message_id ?? 0)).toContain("Взять в работу");
    await marina.press("Взять в работу");
    expect(state(id)).toBe("in_work");
  });

  it("«История» lists who did what and when, in local time", async () => {
    await office();
    const id = await register(1);
    h.clock.advance(10 * 60_000);
    await route(id, [/Минздрав/]);
    h.clock.advance(5 * 60_000);
    await healthExecutor().press("Взять в работу", healthChat());
    await healthExecutor().press("История");
    expect(healthExecutor().lastText()).toBe(
      [
        "История сообщения № 1:",
        "24.11.2026 10:00 — Ольга — зарегистрировано (— → ждёт направления)",
        "24.11.2026 10:10 — Ольга — направлено: Министерство здравоохранения (ждёт направления → направлено)",
        "24.11.2026 10:15 — Иван — взято в работу (направлено → в работе)",
      ].join("\n"),
    );
    expect(await educationExecutor().press("История", healthChat())).toBe(
      "Сообщение № 1 не направлялось вашему органу.",
    );
  });

  it("«Весь текст» sends a long post in parts", async () => {
    await office();
    const long = `${"Очень длинный пост. ".repeat(300)}Конец.`;
    await register(1, { text: long });
    expect(await curator().press("Весь текст", curatorsChat())).toBe("Отправлено вам в личные сообщения.");
    const parts = curator().texts();
    expect(parts).toHaveLength(2);
    expect(parts.join("")).toContain("Конец.");
    expect(parts.every((p) => p.length <= 4096)).toBe(true);
  });
});

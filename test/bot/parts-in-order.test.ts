import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { approveDraft, publishAnswer, submitDraft } from "../../src/app/answers.js";
import { acceptIncident, loadIncident, type TransitionResult } from "../../src/app/incidents.js";
import { addMembership, findPerson } from "../../src/app/people.js";
import { auditEvents, organizations } from "../../src/db/schema.js";
import type { Person } from "../../src/domain/access.js";
import { handTurnOn, tellTurnCame } from "../../src/flows/incident-answers.js";
import { sweep } from "../../src/jobs/sweep.js";
import { Harness, type HarnessOptions } from "../support/bot-harness.js";
import { updates } from "../support/updates.js";
import { seedRegistered, showCards } from "../support/workflow.js";

/**
 * Orenburg p.14: the curator sets the order in which co-executors prepare their information. Routed
 * «по очереди», the next co-executor gets the post (its card, the parts before it, its own 2 hours)
 * only when the one before gives its part or returns the post.
 */

const CURATOR = 2001;
const HEALTH_EXECUTOR = 3001;
const EDUCATION_EXECUTOR = 3002;
const BUILDING_EXECUTOR = 3003;

let h: Harness;
let health: number;
let education: number;
let building: number;

const curatorsChat = () => h.group(-200, "Кураторы");
const healthChat = () => h.group(-100, "Минздрав: обращения");
const educationChat = () => h.group(-300, "Минобр: обращения");
const buildingChat = () => h.group(-400, "Минстрой: обращения");
const curator = () => h.user(CURATOR, "Ольга");
const educationExecutor = () => h.user(EDUCATION_EXECUTOR, "Мария");

/** Tuesday 24.11.2026 10:00 in Yekaterinburg (Orenburg preset). */
const TUESDAY_10 = "2026-11-24T05:00:00Z";
/** The same Tuesday 10:00 in Moscow (Georgievsk preset). */
const TUESDAY_10_MOSCOW = "2026-11-24T07:00:00Z";

async function office(options: HarnessOptions = { now: TUESDAY_10 }): Promise<number> {
  h = await Harness.start(options);
  health = h.seedOrganization("Министерство здравоохранения", "Минздрав");
  education = h.seedOrganization("Министерство образования", "Минобр");
  building = h.seedOrganization("Министерство строительства", "Минстрой");
  h.seedChat(curatorsChat(), null);
  h.seedChat(healthChat(), health);
  h.seedChat(educationChat(), education);
  h.seedChat(buildingChat(), building);
  h.seedPerson(CURATOR, "Ольга", ["curator"]);
  h.seedPerson(HEALTH_EXECUTOR, "Иван", [], [health]);
  h.seedPerson(EDUCATION_EXECUTOR, "Мария", [], [education]);
  h.seedPerson(BUILDING_EXECUTOR, "Пётр", [], [building]);
  const id = seedRegistered(h, { link: "https://vk.com/wall-1_1" });
  await showCards(h, id);
  return id;
}

/** The curator routes № id to the health ministry with education, then building, as co-executors. */
async function routeToThree(id: number, order?: "По очереди" | "Одновременно"): Promise<void> {
  await routeTo(id, [/Минздрав/, /Минобр/, /Минстрой/], /Министерство здравоохранения/, order);
}

/** The curator routes (or, with «Переназначить», routes again) № id: the organizations in order, and the lead. */
async function routeTo(
  id: number,
  picks: RegExp[],
  lead: RegExp,
  order?: "По очереди" | "Одновременно",
): Promise<void> {
  const button = h.fake.buttons(-200).find((b) => b.callbackData === `inc.route:${id}`);
  if (!button) throw new Error("no route button");
  await h.deliver(updates.callback(curator().tg, button.message, `inc.route:${id}`));
  for (const pick of picks) await curator().press(pick, curatorsChat());
  if (picks.length > 1) {
    await curator().press("Изменить основного исполнителя", curatorsChat());
    await curator().press(lead, curatorsChat());
  }
  await curator().press("Готово", curatorsChat());
  if (order) await curator().press(order, curatorsChat());
}

/** Five minutes on: the steps of a test happen one after another, as in an office. */
function later(): void {
  h.clock.set(new Date(h.clock.now().getTime() + 5 * 60_000));
}

/** The education ministry takes № id and, five minutes later, gives its part; five more minutes pass. */
async function educationGives(text = "Школа № 5 отремонтирована в 2025 году."): Promise<void> {
  await educationExecutor().press("Взять в работу", educationChat());
  later();
  await educationExecutor().press("Отправить информацию", educationChat());
  await educationExecutor().send(text, educationChat());
  later();
}

const states = (id: number) =>
  Object.fromEntries(loadIncident(h.db, id)?.assignments.map((a) => [a.organizationId, a.state]) ?? []);

function cardIn(chatId: number): string {
  const cards = h.fake.messages(chatId).filter((m) => m.text?.startsWith("Сообщение № 1 · "));
  return cards.at(-1)?.text ?? "";
}

afterEach(() => h.close());

function must(result: TransitionResult): void {
  if (!result.ok) throw new Error(`transition refused: ${result.refusal}`);
}

/** The lead answers: its executor takes the post, drafts, the curator approves, the answer is posted. */
function leadAnswers(id: number): void {
  const ivan = findPerson(h.db, HEALTH_EXECUTOR) as Person;
  const olga = findPerson(h.db, CURATOR) as Person;
  const now = h.clock.now();
  must(acceptIncident(h.db, { incidentId: id, actor: ivan, now }));
  const content = { text: "Здравствуйте! Работы запланированы.", attachments: [] };
  must(submitDraft(h.db, { incidentId: id, actor: ivan, now, content }));
  must(approveDraft(h.db, { incidentId: id, actor: olga, now }));
  const link = "https://vk.com/wall-1_1?reply=1";
  const rules = { curatorMayPublish: false };
  must(publishAnswer(h.db, { incidentId: id, actor: ivan, now, link, onTime: true, rules }));
}

describe("co-executors one after another (Orenburg p.14)", () => {
  it("the second co-executor gets the post, the first one's part and its own 2 hours only once the first gives its part", async () => {
    const id = await office();
    await routeToThree(id, "По очереди");
    expect(h.lastText(-200)).toBe(
      [
        "Сообщение № 1 направлено.",
        "Основной исполнитель: Министерство здравоохранения",
        "Соисполнители по очереди: 1. Министерство образования, 2. Министерство строительства",
        "Первым информацию готовит Министерство образования; следующий получит сообщение, когда предыдущий пришлёт свою.",
      ].join("\n"),
    );
    expect(states(id)).toEqual({ [health]: "assigned", [education]: "assigned", [building]: "queued" });
    // The building ministry has not got the post: no card, nothing to press.
    expect(h.fake.messages(-400)).toHaveLength(0);
    expect(cardIn(-200)).toContain(
      "Соисполнители: Министерство образования (ещё не взято в работу), Министерство строительства (ждёт своей очереди)",
    );
    expect(cardIn(-300)).toContain("Вернуть не по компетенции можно до 24.11.2026 10:30 (п. 7)");

    // The education ministry takes it and, at 11:30, gives its part.
    await educationExecutor().press("Взять в работу", educationChat());
    h.clock.set(new Date("2026-11-24T06:30:00Z"));
    await educationExecutor().press("Отправить информацию", educationChat());
    await educationExecutor().send("Школа № 5 отремонтирована в 2025 году.", educationChat());

    expect(states(id)[building]).toBe("assigned");
    const buildingCard = cardIn(-400);
    expect(buildingCard).toContain("Соисполнители: Министерство образования, Министерство строительства\n");
    // Its clocks run from 11:30, not from the routing at 10:00: 30 minutes to return the post (p.7),
    // then 2 working hours for its part (p.14), with the lunch break between.
    expect(buildingCard).toContain("Вернуть не по компетенции можно до 24.11.2026 12:00 (п. 7)");
    expect(h.fake.buttons(-400).map((b) => b.label)).toEqual(["Взять в работу", "Вернуть", "История"]);
    expect(h.texts(-400).at(-1)).toBe(
      "Сообщение № 1: до вас информацию прислал соисполнитель Министерство образования. Учтите её в своей:\n\n" +
        "Школа № 5 отремонтирована в 2025 году.",
    );
    await h.user(BUILDING_EXECUTOR, "Пётр").press("Взять в работу", buildingChat());
    expect(cardIn(-400)).toContain("Срок: 24.11.2026 14:30 — прислать информацию соисполнителя (п. 14)");
    const sent = h.db
      .select()
      .from(auditEvents)
      .all()
      .find((e) => e.action === "sendPart");
    expect(sent?.details).toMatchObject({ organizationId: education, released: building });
    const route = h.db
      .select()
      .from(auditEvents)
      .all()
      .find((e) => e.action === "route");
    expect(route?.details).toMatchObject({ coexecutorIds: [education, building], inOrder: true });

    // «История» tells the order and whose turn came when.
    await curator().press("История", curatorsChat());
    const history = h.texts(CURATOR).at(-1) ?? "";
    expect(history).toContain(
      "направлено: Министерство здравоохранения; соисполнители по очереди: Министерство образования, Министерство строительства",
    );
    expect(history).toContain(
      "отправлена информация соисполнителя: Министерство образования; сообщение получил следующий соисполнитель: Министерство строительства",
    );
  });

  it("a co-executor that returns the post passes the turn on; nothing given before, so just the card", async () => {
    const id = await office();
    await routeToThree(id, "По очереди");
    h.clock.set(new Date("2026-11-24T05:15:00Z"));
    await educationExecutor().press("Вернуть", educationChat());
    await educationExecutor().send("Не наша компетенция", educationChat());
    await educationExecutor().press("Вернуть без уточнения", educationChat());
    expect(states(id)).toMatchObject({ [education]: "returned", [building]: "assigned" });
    expect(h.texts(-400)).toHaveLength(1);
    const card = cardIn(-400);
    expect(card).toContain("Возвращено (Министерство образования): Не наша компетенция");
    expect(card).toContain("Вернуть не по компетенции можно до 24.11.2026 10:45 (п. 7)");
    const returned = h.db
      .select()
      .from(auditEvents)
      .all()
      .find((e) => e.action === "return");
    expect(returned?.details).toMatchObject({ organizationId: education, released: building });
  });

  it("routed in order late in the day, the curator is told which part may come after the lead's draft is due; at once, nothing is said", async () => {
    const id = await office();
    // Routed at 12:00 the post detected at 10:00: the lead's draft is due at 16:00 (p.9: 4 hours
    // before the answer's 11:00 next day); education owes its part by 15:00, building then by 17:00.
    h.clock.set(new Date("2026-11-24T07:00:00Z"));
    await routeToThree(id, "По очереди");
    const warning =
      "⚠️ Проект ответа основной исполнитель должен прислать до 24.11.2026 16:00 (п. 9 регламента), а по очереди " +
      "информация соисполнителей может прийти позже: Министерство строительства — до 24.11.2026 17:00. " +
      "Регламент срок проекта не переносит. Если ждать нельзя, нажмите на карточке «Переназначить» и выберите «Одновременно».";
    expect(h.lastText(-200)).toBe(
      [
        "Сообщение № 1 направлено.",
        "Основной исполнитель: Министерство здравоохранения",
        "Соисполнители по очереди: 1. Министерство образования, 2. Министерство строительства",
        "Первым информацию готовит Министерство образования; следующий получит сообщение, когда предыдущий пришлёт свою.",
        "",
        warning,
      ].join("\n"),
    );
    // Nothing is blocked: the post is routed in order as chosen.
    expect(states(id)).toEqual({ [health]: "assigned", [education]: "assigned", [building]: "queued" });

    // The curator routes it again at once: both parts are due by 15:05, before the draft.
    later();
    await routeToThree(id, "Одновременно");
    expect(h.lastText(-200)).not.toContain("⚠️");
    expect(states(id)).toMatchObject({ [education]: "assigned", [building]: "assigned" });
  });

  it("«Одновременно»: both co-executors get the post at once, as before", async () => {
    const id = await office();
    await routeToThree(id, "Одновременно");
    expect(states(id)).toEqual({ [health]: "assigned", [education]: "assigned", [building]: "assigned" });
    expect(cardIn(-400)).toContain("Вернуть не по компетенции можно до 24.11.2026 10:30 (п. 7)");
    expect(h.fake.messages(-400)).toHaveLength(1);
  });

  it("«Одновременно», a co-executor added after the lead took the post is not sent another's part as «до вас»: parts go to the lead", async () => {
    const id = await office();
    await routeTo(id, [/Минздрав/, /Минобр/], /Министерство здравоохранения/);
    await h.user(HEALTH_EXECUTOR, "Иван").press("Взять в работу", healthChat());
    later();
    await routeToThree(id, "Одновременно");
    later();
    await educationGives();
    expect(h.texts(-400).filter((text) => text.includes("до вас информацию прислал"))).toEqual([]);
    expect(h.texts(-100).some((text) => text.startsWith("Информация соисполнителя по сообщению № 1"))).toBe(
      true,
    );
  });

  it("Georgievsk sets no order: the curator is not asked and all co-executors get the post", async () => {
    const id = await office({ regulation: "georgievsk", now: TUESDAY_10_MOSCOW });
    await routeToThree(id);
    expect(h.lastText(-200)).toMatch(/^Сообщение № 1 направлено\./);
    expect(states(id)).toEqual({ [health]: "assigned", [education]: "assigned", [building]: "assigned" });
  });

  it("the parts before a turn go to it once, however often the action that brought the turn is handled", async () => {
    const id = await office();
    await routeToThree(id, "По очереди");
    await educationExecutor().press("Взять в работу", educationChat());
    await educationExecutor().press("Отправить информацию", educationChat());
    await educationExecutor().send("Школа № 5 отремонтирована в 2025 году.", educationChat());
    const told = h.texts(-400).length;
    const incident = loadIncident(h.db, id);
    if (!incident) throw new Error("no incident");
    await tellTurnCame(h.app, h.bot.api, incident);
    expect(h.texts(-400)).toHaveLength(told);
  });

  it("a part given after working hours brings the next one's card without sound", async () => {
    const id = await office();
    await routeToThree(id, "По очереди");
    await educationExecutor().press("Взять в работу", educationChat());
    h.clock.set(new Date("2026-11-24T14:00:00Z")); // 19:00 in Yekaterinburg
    await educationExecutor().press("Отправить информацию", educationChat());
    await educationExecutor().send("Школа № 5 отремонтирована в 2025 году.", educationChat());
    const card = h.fake
      .callsOf("sendMessage")
      .find((c) => Number(c.params.chat_id) === -400 && String(c.params.text).startsWith("Сообщение № 1 · "));
    expect(card?.params.disable_notification).toBe(true);
  });

  it("once the answer is out, nobody's turn comes: a return is too late to pass anything on, and the card no longer lists the one waiting", async () => {
    const id = await office();
    await routeToThree(id, "По очереди");
    const button = h.fake.buttons(-300).find((b) => b.label === "Вернуть");
    if (!button?.callbackData) throw new Error("no «Вернуть» on the card");
    leadAnswers(id);
    await showCards(h, id);
    const update = await h.deliver(
      updates.callback(educationExecutor().tg, button.message, button.callbackData),
    );
    expect(h.fake.callbackAnswer(update.callback_query?.id ?? "")?.text).toBe(
      "Сообщение № 1: ответ размещён. Это действие уже недоступно.",
    );
    expect(states(id)[building]).toBe("queued");
    expect(h.fake.messages(-400)).toHaveLength(0);
    expect(cardIn(-200)).not.toContain("Возвращено");
    expect(cardIn(-200)).not.toContain("Министерство строительства");
  });

  it("an organization whose turn has not come, pressing a button from an earlier card, is told so", async () => {
    const id = await office();
    await routeToThree(id, "По очереди");
    const stale = {
      message_id: 999,
      date: 0,
      chat: { id: -400, type: "group" as const, title: "Минстрой: обращения" },
    };
    const update = await h.deliver(
      updates.callback(h.user(BUILDING_EXECUTOR, "Пётр").tg, stale, `inc.accept:${id}:${building}`),
    );
    expect(h.fake.callbackAnswer(update.callback_query?.id ?? "")?.text).toBe(
      "Сообщение № 1 соисполнители готовят по очереди, и ваша очередь ещё не наступила: карточка придёт, когда предыдущий пришлёт информацию.",
    );
    expect(states(id)[building]).toBe("queued");
  });

  it("«Не ждать очереди»: the curator gives the next co-executor the post now; the one before still owes its part, which reaches the next when given", async () => {
    const id = await office();
    await routeToThree(id, "По очереди");
    const label = "Не ждать очереди: Минстрой";
    const button = h.fake.buttons(-200).find((b) => b.label === label);
    const data = button?.callbackData;
    if (!button || !data) throw new Error("no button");
    h.clock.set(new Date("2026-11-24T05:30:00Z"));
    const update = await h.deliver(updates.callback(curator().tg, button.message, data));
    expect(h.fake.callbackAnswer(update.callback_query?.id ?? "")?.text).toBe(
      "Сообщение № 1 передано соисполнителю: Минстрой. Предыдущий по-прежнему должен прислать свою информацию.",
    );
    expect(states(id)).toMatchObject({ [education]: "assigned", [building]: "assigned" });
    expect(cardIn(-400)).toContain("Вернуть не по компетенции можно до 24.11.2026 11:00 (п. 7)");
    expect(h.fake.buttons(-200).some((b) => b.label === label)).toBe(false);

    // A second curator's press on the old button: nothing more to pass on.
    const again = await h.deliver(updates.callback(curator().tg, button.message, data));
    expect(h.fake.callbackAnswer(again.callback_query?.id ?? "")?.text).toBe(
      "Очередь по сообщению № 1 уже передана дальше или больше не нужна.",
    );

    // The education ministry's part, when it comes, still reaches the building ministry.
    await educationExecutor().press("Взять в работу", educationChat());
    await educationExecutor().press("Отправить информацию", educationChat());
    await educationExecutor().send("Школа № 5 отремонтирована в 2025 году.", educationChat());
    expect(h.texts(-400).at(-1)).toMatch(
      /^Сообщение № 1: до вас информацию прислал соисполнитель Министерство образования/,
    );

    await curator().press("История", curatorsChat());
    expect(h.texts(CURATOR).at(-1)).toContain(
      "очередь соисполнителей передана дальше, не дожидаясь информации; сообщение получил следующий соисполнитель: Министерство строительства",
    );
  });

  it("after «Не ждать очереди» the one let go ahead holds the turn: the one before giving its part does not release the next yet", async () => {
    const id = await office();
    const transport = h.seedOrganization("Министерство транспорта", "Минтранс");
    h.seedChat(h.group(-500, "Минтранс: обращения"), transport);
    await routeTo(
      id,
      [/Минздрав/, /Минобр/, /Минстрой/, /Минтранс/],
      /Министерство здравоохранения/,
      "По очереди",
    );
    const button = h.fake.buttons(-200).find((b) => b.label === "Не ждать очереди: Минстрой");
    if (!button?.callbackData) throw new Error("no button");
    await h.deliver(updates.callback(curator().tg, button.message, button.callbackData));
    later();
    await educationGives();
    expect(states(id)).toMatchObject({ [building]: "assigned", [transport]: "queued" });
    const builder = h.user(BUILDING_EXECUTOR, "Пётр");
    await builder.press("Взять в работу", buildingChat());
    await builder.press("Отправить информацию", buildingChat());
    await builder.send("Стройка закончится в декабре.", buildingChat());
    expect(states(id)).toMatchObject({ [transport]: "assigned" });
  });

  it("routed again in order with a new co-executor before one already working: the new one's turn comes when the one before it gives its part", async () => {
    const id = await office();
    const transport = h.seedOrganization("Министерство транспорта", "Минтранс");
    h.seedChat(h.group(-500, "Минтранс: обращения"), transport);
    await routeToThree(id, "Одновременно");
    await h.user(BUILDING_EXECUTOR, "Пётр").press("Взять в работу", buildingChat());
    later();
    await routeTo(
      id,
      [/Минздрав/, /Минобр/, /Минтранс/, /Минстрой/],
      /Министерство здравоохранения/,
      "По очереди",
    );
    expect(states(id)).toMatchObject({ [transport]: "queued", [building]: "accepted" });
    await educationGives();
    expect(states(id)).toMatchObject({ [transport]: "assigned", [building]: "accepted" });
  });

  it("routed again in order after the first co-executor gave its part: the summary names the one whose turn it is now", async () => {
    const id = await office();
    await routeToThree(id, "По очереди");
    later();
    await educationGives();
    await routeToThree(id, "По очереди");
    expect(
      h
        .texts(-200)
        .filter((text) => text.includes("Первым информацию готовит"))
        .at(-1),
    ).toContain("Первым информацию готовит Министерство строительства;");
  });

  it("the curators' card shows a co-executor's part gone overdue, naming whose it is, as their alert does", async () => {
    const id = await office();
    await routeTo(id, [/Минздрав/, /Минобр/], /Министерство здравоохранения/);
    await educationExecutor().press("Взять в работу", educationChat());
    h.clock.set(new Date("2026-11-24T07:05:00Z")); // 12:05: the part was due at 12:00
    await sweep(h.deps());
    expect(cardIn(-200)).toContain(
      "Срок: 24.11.2026 12:00 — прислать информацию соисполнителя (Минобр) (п. 14), просрочено на 5 мин рабочего времени",
    );
  });

  it("a pop-up naming a long official name with no short name is cut to Telegram's 200 characters, not refused", async () => {
    const id = await office();
    const long = `Министерство строительства, жилищно-коммунального хозяйства, дорожного хозяйства и транспорта ${"области ".repeat(4)}`;
    await routeToThree(id, "По очереди");
    const button = h.fake.buttons(-200).find((b) => b.label === "Не ждать очереди: Минстрой");
    h.db
      .update(organizations)
      .set({ name: long.trim(), shortName: null })
      .where(eq(organizations.id, building))
      .run();
    if (!button?.callbackData) throw new Error("no button");
    const update = await h.deliver(updates.callback(curator().tg, button.message, button.callbackData));
    const popUp = h.fake.callbackAnswer(update.callback_query?.id ?? "")?.text ?? "";
    expect(popUp).toMatch(/^Сообщение № 1 передано соисполнителю: Министерство строительства, .*…$/);
    expect(popUp).toHaveLength(200);
    expect(states(id)[building]).toBe("assigned");
  });

  it("only a curator may stop waiting", async () => {
    const id = await office();
    await routeToThree(id, "По очереди");
    const assignment = loadIncident(h.db, id)?.assignments.find((a) => a.organizationId === building);
    const card = h.fake.messages(-300).at(-1);
    if (!card || !assignment) throw new Error("no card");
    const update = await h.deliver(
      updates.callback(educationExecutor().tg, card, `inc.turn:${id}:${assignment.id}`),
    );
    expect(h.fake.callbackAnswer(update.callback_query?.id ?? "")?.text).toBe(
      "Передавать очередь соисполнителей может только куратор.",
    );
    expect(states(id)[building]).toBe("queued");
  });

  it("an alert about a part others wait for says who waits", async () => {
    await office();
    await routeToThree(1, "По очереди");
    await educationExecutor().press("Взять в работу", educationChat());
    h.clock.set(new Date("2026-11-24T07:01:00Z")); // 12:01: the part was due at 12:00
    await sweep(h.deps());
    expect(h.texts(-300).at(-1)).toBe(
      "❗ Сообщение № 1: срок «прислать информацию соисполнителя» истёк в 12:00 " +
        "(п. 14 регламента) — просрочено на 1 мин рабочего времени. Пришлите информацию соисполнителя сейчас.\n" +
        "Этой информации ждёт следующий соисполнитель: Минстрой.",
    );
  });
});

describe("a routing again keeps the parts given", () => {
  it("a co-executor routed again is not asked for its part twice; the next one in order gets the post at once", async () => {
    const id = await office();
    await routeTo(id, [/Минздрав/, /Минобр/], /Министерство здравоохранения/);
    await educationGives();
    const leadTold = h.texts(-100).filter((text) => text.startsWith("Информация соисполнителя")).length;

    // The curator adds the building ministry, after the education ministry, in order.
    await routeTo(id, [/Минздрав/, /Минобр/, /Минстрой/], /Министерство здравоохранения/, "По очереди");
    expect(states(id)).toEqual({ [health]: "assigned", [education]: "part_passed", [building]: "assigned" });
    expect(cardIn(-300)).toContain("Информация соисполнителя получена: Министерство образования");
    expect(h.fake.buttons(-300).map((b) => b.label)).toEqual(["История"]);
    expect(cardIn(-400)).toContain("Вернуть не по компетенции можно до 24.11.2026 10:40 (п. 7)");
    // In order, the building ministry is next after the education ministry: it gets its part.
    expect(h.texts(-400).at(-1)).toBe(
      "Сообщение № 1: до вас информацию прислал соисполнитель Министерство образования. Учтите её в своей:\n\n" +
        "Школа № 5 отремонтирована в 2025 году.",
    );
    // The same lead has the part already.
    expect(h.texts(-100).filter((text) => text.startsWith("Информация соисполнителя"))).toHaveLength(
      leadTold,
    );
    const route = h.db
      .select()
      .from(auditEvents)
      .all()
      .filter((e) => e.action === "route")
      .at(-1);
    expect(route?.details).toMatchObject({ kept: [education] });
    await curator().press("История", curatorsChat());
    expect(h.texts(CURATOR).at(-1)).toContain(
      "соисполнители по очереди: Министерство образования, Министерство строительства; " +
        "информация, полученная раньше, сохранена: Министерство образования",
    );
  });

  it("a co-executor that had the post before gets its card anew, below, when its turn comes", async () => {
    const id = await office();
    await routeTo(id, [/Минстрой/], /Министерство строительства/);
    await routeToThree(id, "По очереди");
    expect(states(id)[building]).toBe("queued");
    const cardsIn = (chatId: number) =>
      h.fake.messages(chatId).filter((m) => m.text?.startsWith(`Сообщение № ${id} · `));
    expect(cardsIn(-400)).toHaveLength(1);

    await educationGives();
    const [old, renewed] = cardsIn(-400);
    expect(renewed?.text).toContain("Вернуть не по компетенции можно до 24.11.2026 10:35 (п. 7)");
    const labelsOf = (messageId: number | undefined) =>
      h.fake
        .buttons(-400)
        .filter((b) => b.message.message_id === messageId)
        .map((b) => b.label);
    expect(labelsOf(renewed?.message_id)).toEqual(["Взять в работу", "Вернуть", "История"]);
    expect(labelsOf(old?.message_id)).toEqual([]);
  });

  it("a new lead gets the parts given to the one before", async () => {
    const id = await office();
    await routeTo(id, [/Минздрав/, /Минобр/], /Министерство здравоохранения/);
    await educationGives();
    await routeTo(id, [/Минстрой/, /Минобр/], /Министерство строительства/);
    expect(states(id)).toMatchObject({ [education]: "part_passed", [building]: "assigned" });
    expect(h.texts(-400)).toContain(
      "Информация соисполнителя по сообщению № 1 — Министерство образования:\n\nШкола № 5 отремонтирована в 2025 году.",
    );
  });

  it("a lead that never had a kept part gets it, also when it was lead in the routing before; once", async () => {
    const id = await office();
    await routeTo(id, [/Минздрав/, /Минобр/], /Министерство здравоохранения/);
    await educationGives();
    await routeTo(id, [/Минстрой/], /Министерство строительства/);
    later();
    await routeTo(id, [/Минстрой/, /Минобр/], /Министерство строительства/);
    const notice =
      "Информация соисполнителя по сообщению № 1 — Министерство образования:\n\nШкола № 5 отремонтирована в 2025 году.";
    expect(h.texts(-400).filter((text) => text === notice)).toHaveLength(1);
    later();
    await routeTo(id, [/Минстрой/, /Минобр/], /Министерство строительства/);
    expect(h.texts(-400).filter((text) => text === notice)).toHaveLength(1);
  });

  it("a lead that returned the post and is routed it again is not told the parts it had twice", async () => {
    const id = await office();
    await routeTo(id, [/Минздрав/, /Минобр/], /Министерство здравоохранения/);
    await educationGives();
    const notice = (text: string) => text.startsWith("Информация соисполнителя по сообщению № 1");
    expect(h.texts(-100).filter(notice)).toHaveLength(1);
    await h.user(HEALTH_EXECUTOR, "Иван").press("Вернуть", healthChat());
    await h.user(HEALTH_EXECUTOR, "Иван").send("Нужна другая организация", healthChat());
    await h.user(HEALTH_EXECUTOR, "Иван").press("Вернуть без уточнения", healthChat());
    expect(loadIncident(h.db, id)?.row.state).toBe("registered");
    later();
    await routeTo(id, [/Минздрав/, /Минобр/], /Министерство здравоохранения/);
    expect(states(id)[education]).toBe("part_passed");
    expect(h.texts(-100).filter(notice)).toHaveLength(1);
  });

  it("Georgievsk: a part waiting for the curators keeps waiting; the button on its notice still passes it on", async () => {
    const id = await office({ regulation: "georgievsk", now: TUESDAY_10_MOSCOW });
    await routeTo(id, [/Минздрав/, /Минобр/], /Министерство здравоохранения/);
    await educationGives();
    const notice = h.fake
      .messages(-200)
      .find((m) =>
        m.text?.startsWith(
          "Информация соисполнителя по сообщению № 1 — Министерство образования — на согласование",
        ),
      );
    const passOn = h.fake
      .buttons(-200)
      .find(
        (b) => b.message.message_id === notice?.message_id && b.label.startsWith("Согласовать и передать"),
      );
    if (!passOn?.callbackData) throw new Error("no pass-on button");

    await routeTo(id, [/Минздрав/, /Минобр/, /Минстрой/], /Министерство здравоохранения/);
    expect(states(id)).toMatchObject({ [education]: "part_sent", [building]: "assigned" });
    expect(h.fake.buttons(-300).map((b) => b.label)).toEqual(["История"]);

    // «На доработку» on the notice still asks for the comment; the curator thinks better of it.
    const rework = h.fake
      .buttons(-200)
      .find((b) => b.message.message_id === notice?.message_id && b.label.startsWith("На доработку"));
    if (!rework?.callbackData) throw new Error("no rework button");
    await h.deliver(updates.callback(curator().tg, rework.message, rework.callbackData));
    expect(h.texts(-200).at(-1)).toMatch(
      /^Ольга, сообщение № 1: что доработать в информации соисполнителя \(Министерство образования\)\?/,
    );
    await curator().send("/cancel", curatorsChat());

    await h.deliver(updates.callback(curator().tg, passOn.message, passOn.callbackData));
    expect(states(id)[education]).toBe("part_passed");
    expect(h.texts(-100)).toContain(
      "Информация соисполнителя по сообщению № 1 — Министерство образования:\n\nШкола № 5 отремонтирована в 2025 году.",
    );
  });
  it("Georgievsk: a part in rework goes on being reworked by whoever took it; sent again, it waits for the curators", async () => {
    const id = await office({ regulation: "georgievsk", now: TUESDAY_10_MOSCOW });
    await routeTo(id, [/Минздрав/, /Минобр/], /Министерство здравоохранения/);
    await educationGives(); // 10:10
    await curator().press(/^На доработку/, curatorsChat());
    await curator().send("Укажите сроки ремонта.", curatorsChat());
    later(); // 10:15

    await routeTo(id, [/Минздрав/, /Минобр/, /Минстрой/], /Министерство здравоохранения/);
    expect(states(id)).toMatchObject({ [education]: "accepted", [building]: "assigned" });
    // Not asked to take the post again: the rework goes on, 30 working minutes from the routing (p.18).
    expect(h.fake.buttons(-300).map((b) => b.label)).not.toContain("Взять в работу");
    expect(cardIn(-300)).toContain("Срок: 24.11.2026 10:45 — доработать информацию соисполнителя");
    await curator().press("История", curatorsChat());
    expect(h.texts(CURATOR).at(-1)).toContain("доработка информации продолжается: Министерство образования");

    await educationExecutor().press("Отправить информацию", educationChat());
    await educationExecutor().send("Ремонт школы № 5 — до 1 июня.", educationChat());
    expect(states(id)[education]).toBe("part_sent");
    expect(h.texts(-200).at(-1)).toMatch(
      /^Информация соисполнителя по сообщению № 1 — Министерство образования — на согласование/,
    );
  });
});

describe("an executor of two co-executors in order", () => {
  it("keeps one private card of the post: edited into both parts when the second one's turn comes, its buttons named", async () => {
    const id = await office();
    addMembership(h.db, (findPerson(h.db, BUILDING_EXECUTOR) as Person).id, education, null, h.clock.now());
    await routeToThree(id, "По очереди");
    const privateCards = () =>
      h.fake.messages(BUILDING_EXECUTOR).filter((m) => m.text?.startsWith(`Сообщение № ${id} · `));
    const labels = () => h.fake.buttons(BUILDING_EXECUTOR).map((b) => b.label);
    expect(labels()).toEqual(["Взять в работу: Минобр", "Вернуть: Минобр", "История"]);

    await educationGives();
    expect(privateCards()).toHaveLength(1);
    expect(privateCards()[0]?.text).toContain("Состояние (Министерство строительства): направлено");
    expect(labels()).toEqual(["Взять в работу: Минстрой", "Вернуть: Минстрой", "История"]);
  });

  it("is told, with sound, in reply to his edited private card, when his other organization's turn comes; once", async () => {
    const id = await office();
    const peter = h.user(BUILDING_EXECUTOR, "Пётр");
    addMembership(h.db, (findPerson(h.db, BUILDING_EXECUTOR) as Person).id, education, null, h.clock.now());
    await routeToThree(id, "По очереди");
    const card = h.fake.messages(BUILDING_EXECUTOR).find((m) => m.text?.startsWith(`Сообщение № ${id} · `));
    const routed = loadIncident(h.db, id);

    await educationGives();
    const notice = h.fake.lastMessage(BUILDING_EXECUTOR);
    expect(notice?.text).toBe(
      "Сообщение № 1 теперь и у вашего органа «Министерство строительства»: кнопки для него — на карточке выше.",
    );
    expect(notice?.message.reply_to_message?.message_id).toBe(card?.message_id);
    const sent = h.fake
      .callsOf("sendMessage")
      .filter(
        (c) => Number(c.params.chat_id) === BUILDING_EXECUTOR && c.params.reply_parameters !== undefined,
      );
    expect(sent).toHaveLength(1);
    expect(sent[0]?.params.disable_notification).toBeUndefined();

    // The turn's announcement handled again tells him nothing more.
    const told = peter.texts().length;
    const incident = loadIncident(h.db, id);
    if (!incident) throw new Error("no incident");
    await handTurnOn(h.app, h.bot.api, incident, routed);
    expect(peter.texts()).toHaveLength(told);
  });

  it("routed again with his other organization added, his private card is edited into both parts, not sent a second time", async () => {
    const id = await office();
    addMembership(h.db, (findPerson(h.db, BUILDING_EXECUTOR) as Person).id, education, null, h.clock.now());
    await routeTo(id, [/Минздрав/, /Минобр/], /Министерство здравоохранения/);
    await educationExecutor().press("Взять в работу", educationChat());
    later();
    await routeToThree(id, "Одновременно");
    const privateCards = h.fake
      .messages(BUILDING_EXECUTOR)
      .filter((m) => m.text?.startsWith(`Сообщение № ${id} · `));
    expect(privateCards).toHaveLength(1);
    expect(privateCards[0]?.text).toContain("Состояние (Министерство образования): в работе");
    expect(privateCards[0]?.text).toContain("Состояние (Министерство строительства): направлено");
    expect(h.fake.lastMessage(BUILDING_EXECUTOR)?.text).toMatch(
      /^Сообщение № 1 теперь и у вашего органа «Министерство строительства»/,
    );
    expect(h.fake.messages(-400).filter((m) => m.text?.startsWith(`Сообщение № ${id} · `))).toHaveLength(1);
  });
});

import { and, eq } from "drizzle-orm";
import type { Update } from "grammy/types";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { approveDraft } from "../../src/app/answers.js";
import { receiveUpdate } from "../../src/app/inbox.js";
import { registerIncident, routeIncident } from "../../src/app/incidents.js";
import { createInvite, redeemInvite } from "../../src/app/invites.js";
import { setOrganizationActive } from "../../src/app/organizations.js";
import { changeAccess, findPerson } from "../../src/app/people.js";
import { withinUpdate } from "../../src/app/update-scope.js";
import { cb } from "../../src/bot/callback-data.js";
import { auditEvents, conversationStates, inbox } from "../../src/db/schema.js";
import { Harness } from "../support/bot-harness.js";
import { updates } from "../support/updates.js";
import {
  diedAfter,
  OFFICE,
  seedDraft,
  seedIncidentInWork,
  seedOffice,
  seedRegistered,
  showCards,
} from "../support/workflow.js";

let h: Harness;
let incidentId: number;

beforeEach(async () => {
  h = await Harness.start({ now: "2026-11-24T05:00:00Z" });
  const { health } = seedOffice(h);
  incidentId = await seedIncidentInWork(h, health);
  await seedDraft(h, incidentId);
});
afterEach(() => h.close());

const approvals = () =>
  h.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.entity, "incident"), eq(auditEvents.action, "approve")))
    .all();

describe("the same update twice", () => {
  it("Telegram re-delivering «Согласовать» after a crash approves once", async () => {
    const { message, callbackData } = h.fake.findButton(OFFICE.curatorsChat, "Согласовать");
    const update = h.fake.pushUpdate(
      updates.callback(h.user(OFFICE.curator, "Ольга").tg, message, callbackData),
    );
    await h.bot.handleUpdate(update);
    await h.bot.handleUpdate(update);
    expect(approvals()).toHaveLength(1);
  });

  it("an approval committed just before a crash: handled again at start, it is reported done and the executor is told", async () => {
    const { message, callbackData } = h.fake.findButton(OFFICE.curatorsChat, "Согласовать");
    const update = h.fake.pushUpdate(
      updates.callback(h.user(OFFICE.curator, "Ольга").tg, message, callbackData),
    );
    // The first handling died right after its transaction: the change is made, nobody was told.
    const curator = findPerson(h.db, OFFICE.curator);
    if (!curator) throw new Error("no curator");
    receiveUpdate(h.db, update, h.clock.now());
    withinUpdate({ updateId: update.update_id, again: false }, () =>
      approveDraft(h.db, { incidentId, actor: curator, now: h.clock.now() }),
    );
    const notice = `Ответ по сообщению № ${incidentId} согласован. Разместите его`;
    const told = (chatId: number) => h.texts(chatId).filter((text) => text.startsWith(notice));
    expect(told(OFFICE.executor)).toEqual([]);

    await h.bot.handleUpdate(update); // at start, the unfinished update is handled again
    expect(approvals()).toHaveLength(1);
    expect(h.fake.callbackAnswer(update.callback_query?.id ?? "")?.text).toBe(
      `Ответ по сообщению № ${incidentId} согласован.`,
    );
    expect(told(OFFICE.executor)).toHaveLength(1);
    expect(told(OFFICE.healthChat)).toHaveLength(1);
    expect(h.fake.findButton(OFFICE.healthChat, "Размещено").callbackData).toBe(`inc.pub:${incidentId}`);
  });

  it("a routing dialogue's last press committed before a crash: handled again, it completes, not «changed meanwhile»", async () => {
    const id = seedRegistered(h, { link: "https://vk.com/wall-1_5" });
    await showCards(h, id);
    const curator = h.user(OFFICE.curator, "Ольга");
    const curators = h.group(OFFICE.curatorsChat, "Кураторы");
    const data = `inc.route:${id}`;
    const route = h.fake.buttons(OFFICE.curatorsChat).find((b) => b.callbackData === data);
    if (!route) throw new Error("no «Направить» button");
    await h.deliver(updates.callback(curator.tg, route.message, data));
    await curator.press(/Минздрав/, curators);
    const dialogue = h.db.select().from(conversationStates).all();
    const { message, callbackData } = h.fake.findButton(OFFICE.curatorsChat, "Готово");
    const done = await h.deliver(updates.callback(curator.tg, message, callbackData));
    // The process died after the routing's commit: the dialogue's state and the inbox are as before.
    h.db.delete(conversationStates).run();
    for (const row of dialogue) h.db.insert(conversationStates).values(row).run();
    h.db.update(inbox).set({ doneAt: null }).where(eq(inbox.updateId, done.update_id)).run();
    const since = h.fake.mark();

    await h.bot.handleUpdate(done);
    const routes = h.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.entityId, String(id)), eq(auditEvents.action, "route")))
      .all();
    expect(routes).toHaveLength(1);
    const said = h.fake.calls.slice(since).map((c) => String(c.params.text ?? ""));
    expect(said.join("\n")).not.toMatch(/изменилось/);
    const accept = h.fake
      .buttons(OFFICE.healthChat)
      .find((b) => b.callbackData?.startsWith(`inc.accept:${id}:`));
    expect(accept?.label).toBe("Взять в работу");
  });

  it("another curator's approval is still refused when an update is handled again", async () => {
    const { message, callbackData } = h.fake.findButton(OFFICE.curatorsChat, "Согласовать");
    const first = h.fake.pushUpdate(
      updates.callback(h.user(OFFICE.curator, "Ольга").tg, message, callbackData),
    );
    await h.bot.handleUpdate(first);
    const second = h.fake.pushUpdate(
      updates.callback(h.user(OFFICE.curator2, "Светлана").tg, message, callbackData),
    );
    receiveUpdate(h.db, second, h.clock.now()); // received, then the process died before handling it
    await h.bot.handleUpdate(second);
    expect(approvals()).toHaveLength(1);
    expect(String(h.fake.callbackAnswer(second.callback_query?.id ?? "")?.text)).toMatch(/^Уже согласовано/);
  });

  it("a registration committed before a crash is found again by its update, and stays a duplicate for any other", () => {
    const curator = findPerson(h.db, OFFICE.curator);
    if (!curator) throw new Error("no curator");
    const post = {
      link: "https://vk.com/wall-1_77",
      linkKey: "vk.com/wall-1_77",
      network: "vk",
      text: "Во дворе не вывозят мусор.",
      author: null,
      topic: null,
      place: null,
      importance: "significant",
      postedAt: null,
      repeatOfId: null,
      actorId: curator.id,
      now: h.clock.now(),
    } as const;
    const first = withinUpdate({ updateId: 777, again: false }, () => registerIncident(h.db, post));
    if (!first.ok) throw new Error("not registered");
    // Handled again at start: the same incident, so the heads are told about it now.
    const again = withinUpdate({ updateId: 777, again: true }, () => registerIncident(h.db, post));
    expect(again).toMatchObject({ ok: true, incident: { id: first.incident.id } });
    const other = withinUpdate({ updateId: 778, again: true }, () => registerIncident(h.db, post));
    expect(other).toEqual({ ok: false, reason: "duplicate", existingId: first.incident.id });
  });

  it("two curators pressing «Согласовать» at once: exactly one approval", async () => {
    const { message, callbackData } = h.fake.findButton(OFFICE.curatorsChat, "Согласовать");
    const first = h.fake.pushUpdate(
      updates.callback(h.user(OFFICE.curator, "Ольга").tg, message, callbackData),
    );
    const second = h.fake.pushUpdate(
      updates.callback(h.user(OFFICE.curator2, "Светлана").tg, message, callbackData),
    );
    await Promise.all([h.bot.handleUpdate(first), h.bot.handleUpdate(second)]);
    expect(approvals()).toHaveLength(1);
    const answers = [first, second].map((u) => h.fake.callbackAnswer(u.callback_query?.id ?? "")?.text);
    expect(answers.filter((text) => String(text).startsWith("Уже согласовано"))).toHaveLength(1);
  });
});

/**
 * Delivers the press or message that makes a change; the process dies after it (see diedAfter),
 * before its step is recorded: the dialogue is as before it.
 */
async function crashedAfter(
  step: Omit<Update, "update_id">,
  point: "the commit" | "the notices",
): Promise<Update> {
  const dialogue = h.db.select().from(conversationStates).all();
  const update = await h.deliver(step);
  h.db.delete(conversationStates).run();
  for (const row of dialogue) h.db.insert(conversationStates).values(row).run();
  diedAfter(h, update, point);
  return update;
}

/** The update handled again at start: the messages it sends, each as «chat: text». */
async function handledAgain(update: Update): Promise<string[]> {
  const since = h.fake.mark();
  await h.bot.handleUpdate(update);
  return h.fake.calls
    .slice(since)
    .filter((c) => c.method === "sendMessage")
    .map((c) => `${c.params.chat_id}: ${c.params.text}`);
}

function press(telegramId: number, chatId: number, label: string | RegExp) {
  const { message, callbackData } = h.fake.findButton(chatId, label);
  return updates.callback(h.user(telegramId, "").tg, message, callbackData);
}

const ROADS_CHAT = -300;
const curatorsChat = () => h.group(OFFICE.curatorsChat, "Кураторы");
const healthChat = () => h.group(OFFICE.healthChat, "Минздрав: обращения");

function person(telegramId: number) {
  const found = findPerson(h.db, telegramId);
  if (!found) throw new Error(`no person ${telegramId}`);
  return found;
}

/** The post raised to «социально значимое» from its details menu: the head is told of it. */
async function raisedToSignificant(id: number): Promise<void> {
  const data = `inc.edit:${id}`;
  const menu = h.fake.buttons(OFFICE.curatorsChat).find((b) => b.callbackData === data);
  if (!menu) throw new Error("no «Изменить сведения» button");
  await h.deliver(updates.callback(h.user(OFFICE.curator, "Ольга").tg, menu.message, data));
  await h.user(OFFICE.curator, "Ольга").press("Социально значимое", curatorsChat());
}

/** The approved answer routed to the roads ministry instead: the «Готово» of the routing. */
async function routingAway(): Promise<Omit<Update, "update_id">> {
  approveDraft(h.db, { incidentId, actor: person(OFFICE.curator), now: h.clock.now() });
  await showCards(h, incidentId);
  const roads = h.seedOrganization("Министерство дорожного хозяйства", "Миндор");
  h.seedChat(h.group(ROADS_CHAT, "Миндор: обращения"), roads);
  const olga = h.user(OFFICE.curator, "Ольга");
  await olga.press("Переназначить", curatorsChat());
  await olga.press(/Миндор/, curatorsChat());
  return press(OFFICE.curator, OFFICE.curatorsChat, "Готово");
}

/** The post in work closed as offensive: the confirming «Да, закрыть». */
async function closingAsOffensive(): Promise<Omit<Update, "update_id">> {
  await h.user(OFFICE.curator, "Ольга").press("Оскорбительное", curatorsChat());
  return press(OFFICE.curator, OFFICE.curatorsChat, "Да, закрыть");
}

/** The approved answer's link, given 45 minutes after the approval (past Orenburg p.12's 30). */
async function linkGivenLate(): Promise<Omit<Update, "update_id">> {
  approveDraft(h.db, { incidentId, actor: person(OFFICE.curator), now: h.clock.now() });
  await showCards(h, incidentId);
  h.clock.advance(45 * 60_000);
  const ivan = h.user(OFFICE.executor, "Иван");
  await ivan.press("Размещено", healthChat());
  return updates.text(healthChat(), ivan.tg, "https://vk.com/wall-1_1?reply=5");
}

/** № 2 routed to the ministry with the roads one as its co-executor; the lead returns it. */
async function leadReturning(): Promise<Omit<Update, "update_id">> {
  const roads = h.seedOrganization("Министерство дорожного хозяйства", "Миндор");
  h.seedChat(h.group(ROADS_CHAT, "Миндор: обращения"), roads);
  const health = person(OFFICE.executor).organizationIds[0] ?? 0;
  const id = seedRegistered(h, { link: "https://vk.com/wall-1_9" });
  routeIncident(h.db, {
    incidentId: id,
    leadId: health,
    coexecutorIds: [roads],
    actor: person(OFFICE.curator),
    now: h.clock.now(),
  });
  await showCards(h, id);
  const ivan = h.user(OFFICE.executor, "Иван");
  await ivan.press("Вернуть", healthChat());
  await ivan.press("Не наша компетенция", healthChat());
  return press(OFFICE.executor, OFFICE.healthChat, "Вернуть без уточнения");
}

describe("a change committed just before a crash, handled again: the people hear what it did then", () => {
  it("an approved answer routed to another organization: the first one is told not to post it", async () => {
    const update = await crashedAfter(await routingAway(), "the commit");
    const taken =
      "Сообщение № 1 передано другому органу (Миндор): готовить ответ по нему больше не нужно. " +
      "Согласованный ответ не размещайте.";
    expect(await handledAgain(update)).toEqual(
      expect.arrayContaining([`${OFFICE.healthChat}: ${taken}`, `${OFFICE.executor}: ${taken}`]),
    );
  });

  it("a post in work closed as offensive: its organization hears it need not answer", async () => {
    const update = await crashedAfter(await closingAsOffensive(), "the commit");
    expect(await handledAgain(update)).toContain(
      `${OFFICE.healthChat}: Сообщение № 1 закрыто куратором без ответа: оскорбительное (п. 17). Готовить ответ не нужно.`,
    );
  });

  it("an answer's link given after the time to post it: told late, as it was given", async () => {
    const update = await crashedAfter(await linkGivenLate(), "the commit");
    const late = "в срок ответа, но позже срока размещения после согласования по п. 12";
    expect(await handledAgain(update)).toEqual([
      `${OFFICE.curatorsChat}: Ответ по сообщению № 1 размещён (${late}): https://vk.com/wall-1_1?reply=5\nКто разместил: Иван`,
      `${OFFICE.healthChat}: Ответ по сообщению № 1 размещён ${late}. Спасибо!`,
    ]);
  });

  it("the lead's return: its co-executor hears the post is no longer to be worked on", async () => {
    const update = await crashedAfter(await leadReturning(), "the commit");
    expect(await handledAgain(update)).toContain(
      `${ROADS_CHAT}: Сообщение № 2 ответственный исполнитель вернул куратору: информацию по нему ` +
        "присылать не нужно, пока куратор не направит его заново.",
    );
  });
});

/**
 * A dialogue's step handled again answers the person's message again (or asks its next question
 * again): only that comes twice, in the chat where he wrote.
 */
describe("a change whose notices went out before the crash, handled again: nobody hears them twice", () => {
  it("an approved answer routed to another organization", async () => {
    const update = await crashedAfter(await routingAway(), "the notices");
    expect(await handledAgain(update)).toEqual([]);
  });

  it("a significant post closed as offensive: its organization and the head", async () => {
    await raisedToSignificant(incidentId);
    const update = await crashedAfter(await closingAsOffensive(), "the notices");
    expect(h.texts(OFFICE.head).at(-1)).toBe("Сообщение № 1 закрыто без ответа как оскорбительное.");
    expect(await handledAgain(update)).toEqual([]);
  });

  it("a significant post's answer posted: the curators and the head", async () => {
    await raisedToSignificant(incidentId);
    const update = await crashedAfter(await linkGivenLate(), "the notices");
    expect(h.texts(OFFICE.head).at(-1)).toBe(
      "Ответ на сообщение № 1 размещён (в срок ответа, но позже срока размещения после согласования по п. 12): https://vk.com/wall-1_1?reply=5",
    );
    expect(await handledAgain(update)).toEqual([
      `${OFFICE.healthChat}: Ответ по сообщению № 1 размещён в срок ответа, но позже срока размещения после согласования по п. 12. Спасибо!`,
    ]);
  });

  it("the lead's return: the curators and its co-executor", async () => {
    const update = await crashedAfter(await leadReturning(), "the notices");
    expect(await handledAgain(update)).toEqual([`${OFFICE.healthChat}: Сообщение № 2 возвращено куратору.`]);
  });

  it("a draft sent for approval: the curators get it once", async () => {
    await h.close();
    h = await Harness.start({ now: "2026-11-24T05:00:00Z" });
    seedOffice(h);
    await seedIncidentInWork(h, person(OFFICE.executor).organizationIds[0] ?? 0);
    const ivan = h.user(OFFICE.executor, "Иван");
    await ivan.press("Подготовить ответ");
    await ivan.send("Здравствуйте! Снег вывезут до пятницы.");
    await ivan.press("Готово");
    const update = await crashedAfter(
      press(OFFICE.executor, OFFICE.executor, "Отправить на согласование"),
      "the notices",
    );
    expect(h.texts(OFFICE.curatorsChat).at(-1)).toMatch(/^Проект ответа по сообщению № 1/);
    expect(await handledAgain(update)).toEqual([
      `${OFFICE.executor}: Проект отправлен на согласование: сообщение № 1. Спасибо!\nКуратор рассмотрит его до 24.11.2026 10:30.`,
    ]);
  });

  it("«Согласовать»: the executor and the organization", async () => {
    const update = await crashedAfter(
      press(OFFICE.curator, OFFICE.curatorsChat, "Согласовать"),
      "the notices",
    );
    expect(h.texts(OFFICE.executor).at(-1)).toMatch(/^Ответ по сообщению № 1 согласован\. Разместите/);
    expect(await handledAgain(update)).toEqual([]);
  });

  it("«На доработку» with its comment: the executor and the organization", async () => {
    await h.user(OFFICE.curator, "Ольга").press("На доработку", curatorsChat());
    const comment = updates.text(curatorsChat(), h.user(OFFICE.curator, "Ольга").tg, "Добавьте сроки.");
    const update = await crashedAfter(comment, "the notices");
    expect(h.texts(OFFICE.executor).at(-1)).toMatch(/^Сообщение № 1: проект ответа возвращён на доработку/);
    expect(await handledAgain(update)).toEqual([
      `${OFFICE.curatorsChat}: Проект ответа по сообщению № 1 возвращён на доработку, исполнитель доработает до 24.11.2026 11:00.`,
    ]);
  });

  it("a post routed: its organization's card comes once", async () => {
    const id = seedRegistered(h, { link: "https://vk.com/wall-1_5" });
    await showCards(h, id);
    const route = h.fake.buttons(OFFICE.curatorsChat).find((b) => b.callbackData === `inc.route:${id}`);
    if (!route) throw new Error("no «Направить» button");
    await h.deliver(updates.callback(h.user(OFFICE.curator, "Ольга").tg, route.message, `inc.route:${id}`));
    await h.user(OFFICE.curator, "Ольга").press(/Минздрав/, curatorsChat());
    const update = await crashedAfter(press(OFFICE.curator, OFFICE.curatorsChat, "Готово"), "the notices");
    expect(await handledAgain(update)).toEqual([]);
  });

  it("a significant post's topic set: the head's note", async () => {
    await raisedToSignificant(incidentId);
    await h.user(OFFICE.curator, "Ольга").press("Тема", curatorsChat());
    const topic = updates.text(curatorsChat(), h.user(OFFICE.curator, "Ольга").tg, "здравоохранение");
    const update = await crashedAfter(topic, "the notices");
    expect(h.texts(OFFICE.head).at(-1)).toBe("Тема сообщения № 1 уточнена куратором: «здравоохранение»");
    expect(await handledAgain(update)).toEqual([]);
  });

  it("Georgievsk p.12: «Размещу лично» and the claim given up: the executors hear each once", async () => {
    await h.close();
    h = await Harness.start({ now: "2026-11-24T07:00:00Z", regulation: "georgievsk" });
    seedOffice(h);
    incidentId = await seedIncidentInWork(h, person(OFFICE.executor).organizationIds[0] ?? 0);
    await seedDraft(h, incidentId, { approve: true });
    const claim = await crashedAfter(
      press(OFFICE.curator, OFFICE.curatorsChat, "Размещу лично"),
      "the notices",
    );
    expect(h.texts(OFFICE.executor).at(-1)).toMatch(
      /^Согласованный ответ по сообщению № 1 размещает куратор Ольга/,
    );
    expect(await handledAgain(claim)).toEqual([
      `${OFFICE.curatorsChat}: Ольга, сообщение № 1: пришлите ссылку на размещённый ответ во ВКонтакте. Отмена — /cancel.`,
    ]);
    const cancel = updates.text(curatorsChat(), h.user(OFFICE.curator, "Ольга").tg, "/cancel");
    const gaveUp = await crashedAfter(cancel, "the notices");
    expect(h.texts(OFFICE.executor).at(-1)).toMatch(
      /^Согласованный ответ по сообщению № 1 куратор Ольга размещать не будет/,
    );
    expect(await handledAgain(gaveUp)).toEqual([`${OFFICE.curatorsChat}: Отменено.`]);
  });

  it("Georgievsk p.12: «Размещу лично» committed just before a crash: handled again, the executors still hear it", async () => {
    await h.close();
    h = await Harness.start({ now: "2026-11-24T07:00:00Z", regulation: "georgievsk" });
    seedOffice(h);
    incidentId = await seedIncidentInWork(h, person(OFFICE.executor).organizationIds[0] ?? 0);
    await seedDraft(h, incidentId, { approve: true });
    const claim = await crashedAfter(
      press(OFFICE.curator, OFFICE.curatorsChat, "Размещу лично"),
      "the commit",
    );
    expect(await handledAgain(claim)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          new RegExp(`^${OFFICE.healthChat}: Согласованный ответ по сообщению № 1 размещает куратор Ольга`),
        ),
      ]),
    );
  });

  it("a threat passed on (Orenburg p.17): the competent bodies get one report", async () => {
    await h.close();
    h = await Harness.start({ now: "2026-11-24T05:00:00Z", lawEnforcementChatId: -500 });
    seedOffice(h);
    incidentId = await seedIncidentInWork(h, person(OFFICE.executor).organizationIds[0] ?? 0);
    await h.user(OFFICE.curator, "Ольга").press("Угроза", curatorsChat());
    const update = await crashedAfter(
      press(OFFICE.curator, OFFICE.curatorsChat, "Да, угроза — передать"),
      "the notices",
    );
    expect(h.texts(-500)).toHaveLength(1);
    expect(await handledAgain(update)).toEqual([]);
  });
});

describe("an admin's change committed just before a crash, handled again at start", () => {
  const ADMIN = 1001;

  /** The first handling of `update` died right after `change` committed: nobody was told. */
  function madeThenCrashed(update: ReturnType<typeof h.fake.pushUpdate>, change: () => unknown): void {
    receiveUpdate(h.db, update, h.clock.now());
    withinUpdate({ updateId: update.update_id, again: false }, change);
  }

  it("access taken away: reported done, and the curators hear of the post he held (nobody is left there)", async () => {
    const admin = h.seedPerson(ADMIN, "Анна", ["admin"]);
    await admin.send("/help");
    const executor = findPerson(h.db, OFFICE.executor);
    const health = executor?.organizationIds[0];
    if (!executor || health === undefined) throw new Error("no executor");
    const message = h.fake.lastMessage(ADMIN);
    if (!message) throw new Error("no message");
    const update = h.fake.pushUpdate(
      updates.callback(admin.tg, message, cb("ppl.do", executor.id, `o:${health}`)),
    );
    madeThenCrashed(update, () =>
      changeAccess(h.db, {
        actorId: findPerson(h.db, ADMIN)?.id ?? 0,
        personId: executor.id,
        change: { kind: "membership", organizationId: health },
        configuredAdmins: [],
        now: h.clock.now(),
      }),
    );
    const before = h.texts(OFFICE.curatorsChat).length;
    await h.bot.handleUpdate(update);
    expect(h.lastText(ADMIN)).toMatch(
      /^Готово\. Иван больше не исполнитель органа «Министерство здравоохранения»/,
    );
    expect(h.texts(OFFICE.curatorsChat).slice(before).join("\n")).toContain(`№ ${incidentId}`);
  });

  it("an organization switched off: reported, and the curators get its open posts to route anew", async () => {
    const admin = h.seedPerson(ADMIN, "Анна", ["admin"]);
    await admin.send("/help");
    const health = findPerson(h.db, OFFICE.executor)?.organizationIds[0] ?? 0;
    const message = h.fake.lastMessage(ADMIN);
    if (!message) throw new Error("no message");
    const update = h.fake.pushUpdate(updates.callback(admin.tg, message, cb("org.off", health)));
    madeThenCrashed(update, () =>
      setOrganizationActive(h.db, {
        id: health,
        active: false,
        actorId: findPerson(h.db, ADMIN)?.id ?? 0,
        now: h.clock.now(),
      }),
    );
    await h.bot.handleUpdate(update);
    expect(h.lastText(OFFICE.curatorsChat)).toMatch(
      /^Орган «Министерство здравоохранения» отключён администратором, но ему ещё направлены открытые сообщения \(1\)/,
    );
  });

  it("an invite used: the newcomer gets the welcome, not «already used»", async () => {
    h.seedPerson(ADMIN, "Анна", ["admin"]);
    const invite = createInvite(h.db, {
      actorId: findPerson(h.db, ADMIN)?.id ?? 0,
      role: "curator",
      organizationId: null,
      ttlDays: 7,
      now: h.clock.now(),
    });
    const newcomer = h.user(7007, "Семён");
    const update = h.fake.pushUpdate(updates.text(newcomer.chat, newcomer.tg, `/start ${invite.token}`));
    madeThenCrashed(update, () => redeemInvite(h.db, invite.token, newcomer.tg, h.clock.now()));
    await h.bot.handleUpdate(update);
    expect(newcomer.lastText()).not.toMatch(/уже использована|уже зарегистрированы/);
    expect(newcomer.lastText()).toMatch(/куратор/i);
  });
});

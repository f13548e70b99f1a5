import { and, eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { submitDraft } from "../../src/app/answers.js";
import { acceptIncident, routeIncident, sendPart } from "../../src/app/incidents.js";
import { findPerson } from "../../src/app/people.js";
import { auditEvents, drafts, people, roleGrants } from "../../src/db/schema.js";
import type { Person } from "../../src/domain/access.js";
import { Harness } from "../support/bot-harness.js";
import { updates } from "../support/updates.js";
import {
  diedAfter,
  OFFICE,
  pressCrafted,
  seedIncidentInWork,
  seedOffice,
  seedRegistered,
  showCards,
} from "../support/workflow.js";

const ADMIN = 1001;
/** Where the curators can be written to: their chat, and each of them. */
const curatorChats: number[] = [OFFICE.curatorsChat, OFFICE.curator, OFFICE.curator2];
let h: Harness;
let health: number;

const admin = () => h.user(ADMIN, "Анна");
const roles = (telegramId: number) => [...(findPerson(h.db, telegramId)?.roles ?? [])].sort();
const organizationsOf = (telegramId: number) => findPerson(h.db, telegramId)?.organizationIds ?? [];
/** The buttons under the bot's newest message in the chat. */
const lastLabels = (chatId: number) =>
  h.fake
    .buttons(chatId)
    .filter((b) => b.message.message_id === h.fake.lastMessage(chatId)?.message_id)
    .map((b) => b.label);
/** The admin's last message of /people, as the paragraphs it is made of (other notices may follow it). */
const paragraphs = () =>
  (
    admin()
      .texts()
      .findLast((text) => text.startsWith("Готово.")) ?? admin().lastText()
  ).split("\n\n");

/** Said before taking a person out of his only organization when he has no role either. */
const onlyOrganization =
  "Это его единственный орган: он останется без доступа к боту и не будет получать сообщения. " +
  "Если орган указан неверно, сначала добавьте нужный: «Добавить в орган…».";

async function start(adminIds: number[] = [ADMIN]): Promise<void> {
  h = await Harness.start({ adminIds });
  ({ health } = seedOffice(h));
}
afterEach(() => h.close());

/** The admin opens /people and the person's card. */
async function openCard(as: ReturnType<typeof admin>, name: RegExp): Promise<void> {
  await as.send("/people");
  await as.press(name);
}

/** A post routed to the organization, nobody having taken it yet: its number. */
function routedTo(organizationId: number, link: string): number {
  const id = seedRegistered(h, { link });
  routeIncident(h.db, {
    incidentId: id,
    leadId: organizationId,
    coexecutorIds: [],
    actor: findPerson(h.db, OFFICE.curator) as Person,
    now: h.clock.now(),
  });
  return id;
}

/** The admin's one-time link for an executor of Минздрав: its token. */
async function executorInvite(): Promise<string> {
  await admin().send("/invite");
  await admin().press("Исполнитель");
  await admin().press(/Минздрав/);
  const token = /\?start=([\w-]+)/.exec(admin().lastText())?.[1];
  if (!token) throw new Error(`no invite link in: ${admin().lastText()}`);
  return token;
}

describe("/people: who has access", () => {
  beforeEach(() => start());

  it("lists everybody with access, their roles and organizations", async () => {
    await admin().send("/people");
    expect(admin().lastText()).toBe(
      [
        "Сотрудники с доступом к боту. Нажмите на имя, чтобы снять роль, исключить из органа, закрыть доступ или выбрать, что получает руководитель:",
        "1. Анна — администратор",
        "2. Глава — руководитель",
        "3. Иван — исполнитель (Минздрав)",
        "4. Ольга — куратор",
        "5. Светлана — куратор",
      ].join("\n"),
    );
    await admin().press(/^3\. Иван/);
    expect(admin().lastText()).toBe(
      [
        "Иван",
        `Telegram id: ${OFFICE.executor}`,
        "Роли: исполнитель",
        "Органы: Министерство здравоохранения",
      ].join("\n"),
    );
  });

  it("pages a long list and keeps each message within Telegram's limit", async () => {
    const longName = (i: number) => `Государственное бюджетное учреждение номер ${i} `.repeat(4).trim();
    const many = Array.from({ length: 30 }, (_, i) => h.seedOrganization(longName(i)));
    for (let i = 0; i < 12; i++) h.seedPerson(7000 + i, `Сотрудник ${String(i).padStart(2, "0")}`, [], many);
    await admin().send("/people");
    expect(admin().lastText()).toMatch(/^Сотрудники с доступом к боту \(стр\. 1 из 3\)/);
    expect(admin().lastText().length).toBeLessThanOrEqual(4096);
    await admin().press("▶");
    expect(admin().lastText()).toMatch(/\(стр\. 2 из 3\)/);
    await admin().press(/^9\. Сотрудник/);
    expect(admin().lastText()).toMatch(/^Сотрудник \d\d\nTelegram id/);
    expect(admin().lastText().length).toBeLessThanOrEqual(4096);
    await admin().press("К списку");
    expect(admin().lastText()).toMatch(/\(стр\. 2 из 3\)/);
    // After taking their access away the list goes back to where they stood.
    await admin().press(/^9\. Сотрудник/);
    await admin().press("Закрыть доступ полностью");
    await admin().press("Да, закрыть доступ");
    await admin().press("К списку");
    expect(admin().lastText()).toMatch(/\(стр\. 2 из 2\)/);
  });

  it("is the admin's alone", async () => {
    const curator = h.user(OFFICE.curator, "Ольга");
    await curator.send("/people");
    expect(curator.lastText()).toBe("Это действие вам недоступно.");
    const ivan = findPerson(h.db, OFFICE.executor)?.id;
    const popup = await pressCrafted(h, OFFICE.curator, "Ольга", `ppl.do:${ivan}:a`);
    expect(popup).toBe("Это действие вам недоступно.");
    expect(organizationsOf(OFFICE.executor)).toEqual([health]);
  });
});

describe("taking access away", () => {
  beforeEach(() => start());

  it("closed in the middle of a draft: what the person sends next is answered as a stranger's, not taken as the draft", async () => {
    await seedIncidentInWork(h, health);
    const ivan = h.user(OFFICE.executor, "Иван");
    await ivan.press("Подготовить ответ");
    await openCard(admin(), /Иван/);
    await admin().press("Закрыть доступ полностью");
    await admin().press("Да, закрыть доступ");
    await ivan.send("Здравствуйте! Снег вывезут до пятницы.");
    expect(ivan.lastText()).toMatch(/ссылку-приглашение/);
    expect(h.db.select().from(drafts).all()).toEqual([]);
  });

  it("a role goes after a confirmation; the person is told and their menu follows", async () => {
    await openCard(admin(), /Ольга/);
    await admin().press("Снять роль: куратор");
    expect(admin().lastText()).toBe("Ольга: снять роль «куратор»?");
    await admin().press("Отмена");
    expect(roles(OFFICE.curator)).toEqual(["curator"]);

    await admin().press("Снять роль: куратор");
    await admin().press("Да, снять роль");
    expect(admin().lastText()).toBe(
      [
        "Готово. Ольга: снята роль «куратор».",
        "Доступа к боту у сотрудника больше нет.",
        "Если сотрудник состоит в рабочих чатах («Кураторы»), удалите его оттуда: бот этого не делает.",
        "Сотруднику сообщено лично.",
      ].join("\n\n"),
    );
    expect(roles(OFFICE.curator)).toEqual([]);
    expect(h.lastText(OFFICE.curator)).toBe(
      "Администратор снял с вас роль «куратор».\n" +
        "Доступа к боту у вас больше нет. Если это ошибка, обратитесь к администратору.",
    );
    expect(h.fake.commands({ type: "chat", chat_id: OFFICE.curator })?.map((c) => c.command)).toEqual([
      "start",
      "help",
    ]);
    const olga = h.user(OFFICE.curator, "Ольга");
    await olga.send("/new");
    expect(olga.lastText()).toBe(
      "У вас нет доступа к боту. Доступ выдаёт администратор по ссылке-приглашению.",
    );

    const event = h.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.entity, "person"), eq(auditEvents.action, "role_revoked")))
      .get();
    expect(event?.details).toMatchObject({ roles: ["curator"] });
  });

  it("taking an executor out of an organization tells its chat which posts need someone to continue", async () => {
    h.seedPerson(3002, "Пётр", [], [health]);
    const id = await seedIncidentInWork(h, health);
    await openCard(admin(), /Иван/);
    expect(admin().lastText()).toMatch(/^В работе: «Министерство здравоохранения» — № 1$/m);
    await admin().press("Исключить из: Минздрав");
    expect(admin().lastText()).toBe(
      "Иван: исключить из органа «Министерство здравоохранения»? Сообщения органа ему станут недоступны.\n\n" +
        `${onlyOrganization}\n\n` +
        "Сейчас в работе у сотрудника 1 сообщение: «Министерство здравоохранения» — № 1. " +
        "Органу сообщим, что его нужно передать другому исполнителю.",
    );
    await admin().press("Да, исключить");
    expect(admin().lastText()).toMatch(
      /^Готово\. Иван больше не исполнитель органа «Министерство здравоохранения»\./,
    );
    expect(paragraphs()).toContain(
      "В работе у сотрудника было 1 сообщение: «Министерство здравоохранения» — № 1. " +
        "Органу сообщено, что его нужно передать другому исполнителю.",
    );
    expect(admin().lastText()).toMatch(/рабочих чатах \(«Минздрав: обращения»\)/);
    expect(organizationsOf(OFFICE.executor)).toEqual([]);
    expect(h.lastText(OFFICE.healthChat)).toBe(
      "Иван больше не исполнитель органа «Министерство здравоохранения». Сообщения, которые были у этого " +
        `сотрудника в работе, нужно передать другому исполнителю органа: № ${id}. Карточки — кнопками ниже: ` +
        "кто пришлёт следующий проект ответа, станет ответственным.",
    );
    expect(lastLabels(OFFICE.healthChat)).toEqual([`№ ${id}`]);
    expect(h.lastText(OFFICE.executor)).toMatch(
      /^Администратор исключил вас из органа «Министерство здравоохранения»/,
    );
    // The cards no longer name him as holding the post; the post's history says he stopped.
    const card = (chatId: number) => h.texts(chatId).find((text) => text.startsWith(`Сообщение № ${id} · `));
    expect(card(OFFICE.healthChat)).not.toMatch(/Ответственный/);
    expect(card(OFFICE.curatorsChat)).not.toMatch(/Ответственный/);
    const released = h.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.entity, "incident"), eq(auditEvents.action, "holderRemoved")))
      .all();
    expect(released).toMatchObject([
      {
        entityId: String(id),
        details: { personId: findPerson(h.db, OFFICE.executor)?.id, organizationId: health },
      },
    ]);
    const olga = h.user(OFFICE.curator, "Ольга");
    await olga.press("История", h.group(OFFICE.curatorsChat, "Кураторы"));
    expect(olga.lastText()).toMatch(
      /Анна — ответственный исключён из органа «Министерство здравоохранения»: сообщение ждёт другого исполнителя/,
    );
    // Another executor of the organization carries the post on, and holds it once his draft is sent.
    const petr = h.user(3002, "Пётр");
    const popup = await petr.press("Подготовить ответ", h.group(OFFICE.healthChat, "Минздрав: обращения"));
    expect(popup ?? "").not.toMatch(/недоступ/);
    expect(h.lastText(3002)).toBe(`Сообщение № ${id}: подготовим проект ответа здесь. Нажмите «Начать».`);
    const petrPerson = findPerson(h.db, 3002);
    if (!petrPerson) throw new Error("no Пётр");
    submitDraft(h.db, {
      incidentId: id,
      actor: petrPerson,
      now: h.clock.now(),
      content: { text: "Ответ.", attachments: [] },
    });
    await showCards(h, id);
    expect(card(OFFICE.curatorsChat)).toMatch(/^Ответственный: Пётр$/m);
    // The people row stays for the history; the person is gone from the list.
    expect(h.db.select().from(people).where(eq(people.telegramId, OFFICE.executor)).get()).toBeDefined();
    await admin().send("/people");
    expect(admin().lastText()).not.toMatch(/Иван/);
  });

  it("someone whose access was closed is a stranger again: their old buttons and messages say how to get access", async () => {
    await seedIncidentInWork(h, health);
    await openCard(admin(), /Иван/);
    await admin().press("Закрыть доступ полностью");
    await admin().press("Да, закрыть доступ");
    const ivan = h.user(OFFICE.executor, "Иван");
    const popup = await ivan.press("Подготовить ответ");
    expect(popup).toBe("У вас нет доступа к боту. Доступ выдаёт администратор по ссылке-приглашению.");
    await ivan.send("Здравствуйте, вот ответ");
    expect(ivan.lastText()).toMatch(/^Здравствуйте! Это служебный бот/);
    expect(ivan.lastText()).toMatch(/попросите у него ссылку-приглашение/);
    // Whatever they try, the same answer: not «только кураторам и исполнителям», nor «недоступно».
    for (const command of ["/list", "/find 1", "/new", "/report"]) {
      await ivan.send(command);
      expect([command, ivan.lastText()]).toEqual([
        command,
        "У вас нет доступа к боту. Доступ выдаёт администратор по ссылке-приглашению.",
      ]);
    }
  });

  it("the organization's last executor taken out: its work chat has nobody to carry the post on, so the curators hear it", async () => {
    const id = await seedIncidentInWork(h, health);
    await openCard(admin(), /Иван/);
    await admin().press("Исключить из: Минздрав");
    await admin().press("Да, исключить");
    expect(paragraphs()).toContain(
      "В органе «Министерство здравоохранения» не осталось исполнителей (в рабочем чате некому взять сообщения). " +
        `Открытое сообщение органа: было в работе у сотрудника — № ${id}. Об этом сообщено кураторам. ` +
        "Пригласите исполнителя — /invite.",
    );
    expect(h.lastText(OFFICE.curatorsChat)).toBe(
      "Иван больше не исполнитель органа «Министерство здравоохранения», а других исполнителей у органа нет " +
        `(в рабочем чате некому взять сообщения). Открытое сообщение органа: было в работе у сотрудника — № ${id}. ` +
        "Направьте его другому органу кнопкой «Переназначить» на карточке (карточка — кнопкой ниже) " +
        "или попросите администратора пригласить исполнителя.",
    );
  });

  it("the last executor taken out while holding a post: the admin is told before confirming that the curators, not the organization, will get it", async () => {
    const id = await seedIncidentInWork(h, health);
    await openCard(admin(), /Иван/);
    await admin().press("Исключить из: Минздрав");
    expect(admin().lastText()).toBe(
      "Иван: исключить из органа «Министерство здравоохранения»? Сообщения органа ему станут недоступны.\n\n" +
        `${onlyOrganization}\n\n` +
        "В органе «Министерство здравоохранения» не останется исполнителей. " +
        `Открытое сообщение органа: в работе у сотрудника — № ${id}. ` +
        "Кураторам сообщим, чтобы направили его другому органу; или пригласите исполнителя — /invite.",
    );
  });

  it("the last executor taken out while a post waits to be taken: the admin is warned and the curators told", async () => {
    const waiting = routedTo(health, "https://vk.com/wall-1_7");
    await openCard(admin(), /Иван/);
    await admin().press("Исключить из: Минздрав");
    expect(admin().lastText()).toContain(
      "В органе «Министерство здравоохранения» не останется исполнителей. " +
        `Открытое сообщение органа: не взято в работу — № ${waiting}. ` +
        "Кураторам сообщим, чтобы направили его другому органу; или пригласите исполнителя — /invite.",
    );
    await admin().press("Да, исключить");
    expect(paragraphs()).toContain(
      "В органе «Министерство здравоохранения» не осталось исполнителей (в рабочем чате некому взять сообщения). " +
        `Открытое сообщение органа: не взято в работу — № ${waiting}. Об этом сообщено кураторам. ` +
        "Пригласите исполнителя — /invite.",
    );
    expect(h.lastText(OFFICE.curatorsChat)).toBe(
      "Иван больше не исполнитель органа «Министерство здравоохранения», а других исполнителей у органа нет " +
        `(в рабочем чате некому взять сообщения). Открытое сообщение органа: не взято в работу — № ${waiting}. ` +
        "Направьте его другому органу кнопкой «Переназначить» на карточке (карточка — кнопкой ниже) " +
        "или попросите администратора пригласить исполнителя.",
    );
    expect(lastLabels(OFFICE.curatorsChat)).toEqual([`№ ${waiting}`]);
  });

  it("the last executor taken out holding one post while others wait: one paragraph to the admin, one message to the curators", async () => {
    const held = await seedIncidentInWork(h, health);
    const waiting = routedTo(health, "https://vk.com/wall-1_7");
    const another = routedTo(health, "https://vk.com/wall-1_8");
    await openCard(admin(), /Иван/);
    await admin().press("Исключить из: Минздрав");
    expect(admin().lastText()).toBe(
      "Иван: исключить из органа «Министерство здравоохранения»? Сообщения органа ему станут недоступны.\n\n" +
        `${onlyOrganization}\n\n` +
        "В органе «Министерство здравоохранения» не останется исполнителей. Открытые сообщения органа: " +
        `в работе у сотрудника — № ${held}; не взяты в работу — № ${waiting}, № ${another}. ` +
        "Кураторам сообщим, чтобы направили их другому органу; или пригласите исполнителя — /invite.",
    );
    const curatorsBefore = h.texts(OFFICE.curatorsChat).length;
    await admin().press("Да, исключить");
    expect(paragraphs()).toEqual([
      "Готово. Иван больше не исполнитель органа «Министерство здравоохранения».",
      "Доступа к боту у сотрудника больше нет.",
      "В органе «Министерство здравоохранения» не осталось исполнителей (в рабочем чате некому взять сообщения). " +
        `Открытые сообщения органа: было в работе у сотрудника — № ${held}; не взяты в работу — № ${waiting}, ` +
        `№ ${another}. Об этом сообщено кураторам. Пригласите исполнителя — /invite.`,
      "Если сотрудник состоит в рабочих чатах («Минздрав: обращения»), удалите его оттуда: бот этого не делает.",
      "Сотруднику сообщено лично.",
    ]);
    expect(h.texts(OFFICE.curatorsChat).slice(curatorsBefore)).toEqual([
      "Иван больше не исполнитель органа «Министерство здравоохранения», а других исполнителей у органа нет " +
        "(в рабочем чате некому взять сообщения). Открытые сообщения органа: было в работе у сотрудника — " +
        `№ ${held}; не взяты в работу — № ${waiting}, № ${another}. Направьте их другому органу кнопкой ` +
        "«Переназначить» на карточке (карточки — кнопками ниже) или попросите администратора пригласить исполнителя.",
    ]);
    expect(lastLabels(OFFICE.curatorsChat)).toEqual([`№ ${held}`, `№ ${waiting}`, `№ ${another}`]);
  });

  it("a post whose holder left reads «в работе, ответственного нет» on its cards and in /list", async () => {
    const petr = h.seedPerson(3002, "Пётр", [], [health]);
    const id = await seedIncidentInWork(h, health);
    await openCard(admin(), /Иван/);
    await admin().press("Исключить из: Минздрав");
    await admin().press("Да, исключить");
    const card = (chatId: number) => h.texts(chatId).find((text) => text.startsWith(`Сообщение № ${id} · `));
    expect(card(OFFICE.healthChat)).toMatch(/^Состояние: в работе, ответственного нет$/m);
    expect(card(OFFICE.curatorsChat)).toMatch(/^Состояние: в работе, ответственного нет$/m);
    await petr.send("/list");
    expect(petr.lastText()).toMatch(new RegExp(`^№ ${id} · .* · в работе, ответственного нет$`, "m"));
  });

  it("the last executor taken out after giving the organization's part: nothing is left to do, nobody is warned", async () => {
    const education = h.seedOrganization("Министерство образования", "Минобр");
    const given = seedRegistered(h, { link: "https://vk.com/wall-1_7" });
    const now = h.clock.now();
    const ivan = findPerson(h.db, OFFICE.executor) as Person;
    routeIncident(h.db, {
      incidentId: given,
      leadId: education,
      coexecutorIds: [health],
      actor: findPerson(h.db, OFFICE.curator) as Person,
      now,
    });
    acceptIncident(h.db, { incidentId: given, actor: ivan, now, organizationId: health });
    sendPart(h.db, { incidentId: given, actor: ivan, now, text: "Врач принимает по вторникам." });
    const curatorsTold = h.texts(OFFICE.curatorsChat).length;
    await openCard(admin(), /Иван/);
    await admin().press("Исключить из: Минздрав");
    expect(admin().lastText()).not.toContain("не останется исполнителей");
    await admin().press("Да, исключить");
    expect(paragraphs().join("\n")).not.toContain("не осталось исполнителей");
    expect(h.texts(OFFICE.curatorsChat)).toHaveLength(curatorsTold);
  });

  it("the only curator's role taken: the admin is warned that nobody will route or approve", async () => {
    h.db
      .delete(roleGrants)
      .where(eq(roleGrants.personId, findPerson(h.db, OFFICE.curator2)?.id ?? 0))
      .run();
    await openCard(admin(), /Ольга/);
    await admin().press("Снять роль: куратор");
    expect(admin().lastText()).toBe(
      "Ольга: снять роль «куратор»?\n\nЭто единственный куратор: без него направлять сообщения и согласовывать " +
        "ответы будет некому. Пригласите другого куратора — /invite → «Куратор».",
    );
  });

  it("the organization's work chat refusing the notice: the admin hears it was not told, and the curators get it", async () => {
    h.seedPerson(3002, "Пётр", [], [health]);
    await seedIncidentInWork(h, health);
    await openCard(admin(), /Иван/);
    await admin().press("Исключить из: Минздрав");
    h.fake.failNext(
      "sendMessage",
      { error_code: 403, description: "Forbidden: bot was kicked from the group chat" },
      { match: (params) => params.chat_id === OFFICE.healthChat },
    );
    await admin().press("Да, исключить");
    expect(paragraphs()).toContain(
      "Органу «Министерство здравоохранения» сообщить не удалось: бот не смог написать ни в его рабочий чат, " +
        "ни его исполнителям. Об этом сообщено кураторам.",
    );
    expect(h.lastText(OFFICE.curatorsChat)).toMatch(
      /^Иван больше не исполнитель органа «Министерство здравоохранения»\. .*\nОргану «Министерство здравоохранения» не доставлено: бот не смог написать ни в его рабочий чат, ни его исполнителям\.$/s,
    );
  });

  it("when the curators cannot be told of stranded posts either, the admin hears it is theirs to pass on", async () => {
    const education = h.seedOrganization("Министерство образования", "Минобр");
    h.seedPerson(3003, "Пётр", ["head"], [education]);
    const post = seedRegistered(h);
    const curator = findPerson(h.db, OFFICE.curator);
    const petr = findPerson(h.db, 3003);
    if (!curator || !petr) throw new Error("not seeded");
    routeIncident(h.db, {
      incidentId: post,
      leadId: education,
      coexecutorIds: [],
      actor: curator,
      now: h.clock.now(),
    });
    acceptIncident(h.db, { incidentId: post, actor: petr, now: h.clock.now() });
    // Nor can they be told privately (the curators' chat refusing, each is tried).
    h.fake.failNext(
      "sendMessage",
      { error_code: 403, description: "Forbidden: bot was kicked from the group chat" },
      { match: (params) => curatorChats.includes(Number(params.chat_id)), times: 10 },
    );

    await openCard(admin(), /Пётр/);
    await admin().press("Закрыть доступ полностью");
    await admin().press("Да, закрыть доступ");
    // The admin also hears that the curators' chat refuses the bot (once per chat).
    expect(admin().texts().join("\n")).toMatch(
      /В органе «Министерство образования» не осталось исполнителей и нет рабочего чата\. Открытое сообщение органа: было в работе у сотрудника — № \d+\. Кураторам сообщить не удалось \(бот не может им писать\) — передайте им это сами\./,
    );
  });

  it("without a chat or anyone else in the organization, the curators hear the posts are stranded", async () => {
    const education = h.seedOrganization("Министерство образования", "Минобр");
    h.seedPerson(3003, "Пётр", ["head"], [education]);
    await seedIncidentInWork(h, health);
    // Пётр takes the second post into work for Минобр.
    const second = seedRegistered(h, { link: "https://vk.com/wall-1_2" });
    const curator = findPerson(h.db, OFFICE.curator);
    const petr = findPerson(h.db, 3003);
    if (!curator || !petr) throw new Error("not seeded");
    routeIncident(h.db, {
      incidentId: second,
      leadId: education,
      coexecutorIds: [],
      actor: curator,
      now: h.clock.now(),
    });
    acceptIncident(h.db, { incidentId: second, actor: petr, now: h.clock.now() });
    await showCards(h, second);

    await openCard(admin(), /Пётр/);
    await admin().press("Закрыть доступ полностью");
    expect(admin().lastText()).toMatch(
      /^Пётр: закрыть доступ к боту полностью\?\nБудут сняты роли: руководитель\./,
    );
    await admin().press("Да, закрыть доступ");
    // The organization could not be told: the admin hears nothing saying it was.
    expect(paragraphs()).toEqual([
      "Готово. Пётр: доступ к боту закрыт. Запись о сотруднике и история его действий сохранены.",
      "Доступа к боту у сотрудника больше нет.",
      "В органе «Министерство образования» не осталось исполнителей и нет рабочего чата. " +
        `Открытое сообщение органа: было в работе у сотрудника — № ${second}. Об этом сообщено кураторам. ` +
        "Пригласите исполнителя — /invite.",
      "Сотруднику сообщено лично.",
    ]);
    expect(h.lastText(OFFICE.curatorsChat)).toBe(
      "Пётр больше не исполнитель органа «Министерство образования», а других исполнителей и рабочего чата " +
        `у органа нет. Открытое сообщение органа: было в работе у сотрудника — № ${second}. Направьте его ` +
        "другому органу кнопкой «Переназначить» на карточке (карточка — кнопкой ниже) или попросите " +
        "администратора пригласить исполнителя.",
    );
    // The card, one tap away, carries «Переназначить».
    await h.user(OFFICE.curator, "Ольга").press(`№ ${second}`, h.group(OFFICE.curatorsChat, "Кураторы"));
    expect(h.lastText(OFFICE.curatorsChat)).toMatch(new RegExp(`^Сообщение № ${second} · `));
    expect(lastLabels(OFFICE.curatorsChat)).toContain("Переназначить");
    expect(h.lastText(3003)).toBe(
      "Администратор закрыл ваш доступ к боту. Если это ошибка, обратитесь к администратору.",
    );
    expect(roles(3003)).toEqual([]);
    expect(organizationsOf(3003)).toEqual([]);
    const event = h.db.select().from(auditEvents).where(eq(auditEvents.action, "access_removed")).get();
    expect(event?.details).toMatchObject({
      roles: ["head"],
      organizationIds: [education],
      heldIncidents: [{ organizationId: education, incidentIds: [second] }],
    });
  });

  it("a person who blocked the bot is no error to the admin", async () => {
    h.fake.setChatMember(OFFICE.head, h.bot.botInfo.id, "kicked");
    await openCard(admin(), /Глава/);
    await admin().press("Закрыть доступ полностью");
    await admin().press("Да, закрыть доступ");
    expect(admin().lastText()).toMatch(/^Готово\. Глава: доступ к боту закрыт\./);
    expect(admin().lastText()).toMatch(
      /Лично сообщить не удалось: сотрудник не открывал бота или заблокировал его\.$/,
    );
    expect(roles(OFFICE.head)).toEqual([]);
    expect(
      h.db.select().from(people).where(eq(people.telegramId, OFFICE.head)).get()?.blockedAt,
    ).not.toBeNull();
  });
});

describe("an executor joining", () => {
  beforeEach(() => start());

  it("gets the organization's open posts, each card a tap away", async () => {
    const held = await seedIncidentInWork(h, health);
    const waiting = routedTo(health, "https://vk.com/wall-1_7");
    const token = await executorInvite();
    const nina = h.user(3005, "Нина");
    await nina.send(`/start ${token}`);
    const [welcome, list] = nina.texts();
    expect(welcome).toMatch(
      /^Готово! Вы зарегистрированы как исполнитель органа «Министерство здравоохранения»/,
    );
    expect(list).toMatch(/^Открытые сообщения: 2\nОсталось и просрочено — в рабочем времени\.\n\n/);
    expect(list).toMatch(new RegExp(`^№ ${held} · .* · в работе$`, "m"));
    expect(list).toMatch(new RegExp(`^№ ${waiting} · .* · направлено$`, "m"));
    expect(lastLabels(nina.id)).toEqual([`№ ${held}`, `№ ${waiting}`]);
    await nina.press(`№ ${waiting}`);
    expect(nina.lastText()).toMatch(new RegExp(`^Сообщение № ${waiting} · `));
    expect(lastLabels(nina.id)).toContain("Взять в работу");
    // Иван is still there: the curators were never told the organization had nobody.
    expect(h.texts(OFFICE.curatorsChat).join("\n")).not.toContain("снова есть исполнитель");
  });

  it("the first after the last one left: the curators hear the organization has an executor again, quietly at night", async () => {
    const held = await seedIncidentInWork(h, health);
    const waiting = routedTo(health, "https://vk.com/wall-1_7");
    await openCard(admin(), /Иван/);
    await admin().press("Исключить из: Минздрав");
    await admin().press("Да, исключить");
    const token = await executorInvite();
    h.clock.set("2026-11-23T16:00:00Z"); // 21:00 in Yekaterinburg
    const nina = h.user(3005, "Нина");
    await nina.send(`/start ${token}`);
    expect(nina.lastText()).toMatch(new RegExp(`^№ ${held} · .* · в работе, ответственного нет$`, "m"));
    const notice =
      "В органе «Министерство здравоохранения» снова есть исполнитель: Нина. " +
      `Открытые сообщения органа теперь есть кому взять в работу: № ${held}, № ${waiting}.`;
    expect(h.lastText(OFFICE.curatorsChat)).toBe(notice);
    expect(lastLabels(OFFICE.curatorsChat)).toEqual([`№ ${held}`, `№ ${waiting}`]);
    const sent = h.fake.callsOf("sendMessage").filter((call) => call.params.text === notice);
    expect(sent.map((call) => call.params.disable_notification)).toEqual([true]);
  });
  /** Иван, Минздрав's only executor, taken out of it by the admin. */
  async function lastExecutorTakenOut(): Promise<void> {
    await openCard(admin(), /Иван/);
    await admin().press("Исключить из: Минздрав");
    await admin().press("Да, исключить");
  }

  const executorBack = (held: number) =>
    "В органе «Министерство здравоохранения» снова есть исполнитель: Нина. " +
    `Открытое сообщение органа теперь есть кому взять в работу: № ${held}.`;

  it("the first after the last one left, where older data has no record of the executors' joining: the curators still hear it", async () => {
    const held = await seedIncidentInWork(h, health);
    h.db.delete(auditEvents).where(eq(auditEvents.action, "membership_added")).run();
    await lastExecutorTakenOut();
    const token = await executorInvite();
    await h.user(3005, "Нина").send(`/start ${token}`);
    expect(h.lastText(OFFICE.curatorsChat)).toBe(executorBack(held));
  });

  it("its /start handled again after a crash: he gets the open posts once, the curators hear of him once", async () => {
    const held = await seedIncidentInWork(h, health);
    await lastExecutorTakenOut();
    const token = await executorInvite();
    const nina = h.user(3005, "Нина");
    const update = await h.deliver(updates.text(nina.chat, nina.tg, `/start ${token}`));
    expect(h.lastText(OFFICE.curatorsChat)).toBe(executorBack(held));
    diedAfter(h, update, "the notices");
    const since = h.fake.mark();
    await h.bot.handleUpdate(update);
    const again = h.fake.calls.slice(since).filter((c) => c.method === "sendMessage");
    expect(again.map((c) => [c.params.chat_id, c.params.text])).toEqual([
      [nina.id, expect.stringMatching(/^Готово! Вы зарегистрированы как исполнитель органа/)],
    ]);
  });
});

describe("adding to an organization", () => {
  beforeEach(() => start());

  it("«Добавить в орган…» makes him its executor: audited, told quietly, and given its open posts", async () => {
    for (let i = 0; i < 8; i++) h.seedOrganization(`Агентство ${i}`);
    const education = h.seedOrganization("Министерство образования", "Минобр");
    const waiting = routedTo(education, "https://vk.com/wall-1_7");
    await openCard(admin(), /Иван/);
    await admin().press("Добавить в орган…");
    expect(admin().lastText()).toBe("Иван: в какой орган добавить исполнителем?");
    await admin().press("▶");
    await admin().press(/^Минобр/);
    expect(admin().lastText()).toBe(
      [
        "Готово. Иван теперь исполнитель органа «Министерство образования».",
        "Роли теперь: исполнитель.",
        "Сотруднику сообщено лично.",
      ].join("\n\n"),
    );
    expect([...organizationsOf(OFFICE.executor)].sort()).toEqual([health, education].sort());
    const event = h.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.entity, "person"), eq(auditEvents.action, "membership_added")))
      .all()
      .at(-1);
    expect(event?.actorId).toBe(findPerson(h.db, ADMIN)?.id);
    expect(event?.details).toMatchObject({ organizationId: education });

    const [notice, list] = h.texts(OFFICE.executor).slice(-2);
    expect(notice).toBe(
      "Администратор добавил вас в орган «Министерство образования»: теперь вы получаете его сообщения.\n" +
        "Ваши роли теперь: исполнитель. Справка — /help.",
    );
    expect(list).toMatch(/^Открытые сообщения: 1\nОсталось и просрочено — в рабочем времени\.\n\n/);
    expect(lastLabels(OFFICE.executor)).toEqual([`№ ${waiting}`]);
    const toIvan = h.fake.callsOf("sendMessage").filter((call) => call.params.chat_id === OFFICE.executor);
    expect(toIvan.slice(-2).map((call) => call.params.disable_notification)).toEqual([true, true]);
    // The card offers the new organization to take him out of, as any other.
    await openCard(admin(), /Иван/);
    expect(lastLabels(ADMIN)).toContain("Исключить из: Минобр");
  });

  it("an organization he is in already changes nothing", async () => {
    await openCard(admin(), /Иван/);
    await admin().press("Добавить в орган…");
    expect(await admin().press(/^Минздрав/)).toBe("Сотрудник уже в этом органе.");
    expect(admin().lastText()).toMatch(/^Иван\nTelegram id/);
    expect(organizationsOf(OFFICE.executor)).toEqual([health]);
  });

  it("taking him out of another organization than his only one asks no more than before", async () => {
    const education = h.seedOrganization("Министерство образования", "Минобр");
    await openCard(admin(), /Иван/);
    await admin().press("Добавить в орган…");
    await admin().press(/^Минобр/);
    await openCard(admin(), /Иван/);
    await admin().press("Исключить из: Минздрав");
    expect(admin().lastText()).toBe(
      "Иван: исключить из органа «Министерство здравоохранения»? Сообщения органа ему станут недоступны.",
    );
    await admin().press("Да, исключить");
    expect(organizationsOf(OFFICE.executor)).toEqual([education]);
    await openCard(admin(), /Иван/);
    await admin().press("Исключить из: Минобр");
    expect(admin().lastText()).toContain(onlyOrganization);
  });
});

describe("people who block the bot, told of an access change", () => {
  beforeEach(() => start());

  const sendsTo = (chatId: number) =>
    h.fake.callsOf("sendMessage").filter((call) => call.params.chat_id === chatId).length;
  const blocked = (telegramId: number) =>
    h.db.select().from(people).where(eq(people.telegramId, telegramId)).get()?.blockedAt != null;

  /** The person blocks the bot: Telegram refuses the bot in their chat from now on, and tells the bot so. */
  async function blocks(telegramId: number, name: string): Promise<void> {
    h.fake.setChatMember(telegramId, h.bot.botInfo.id, "kicked");
    const person = h.user(telegramId, name);
    await h.deliver(updates.myChatMember(person.chat, person.tg, "member", "kicked", h.fake.botUser));
  }

  /** Минобр, without a work chat: Пётр has a post of it in work, Мария is its other executor. */
  async function educationPostHeldByPetr(): Promise<number> {
    const education = h.seedOrganization("Министерство образования", "Минобр");
    h.seedPerson(3003, "Пётр", [], [education]);
    h.seedPerson(3004, "Мария", [], [education]);
    const id = seedRegistered(h, { link: "https://vk.com/wall-1_2" });
    const curator = findPerson(h.db, OFFICE.curator);
    const petr = findPerson(h.db, 3003);
    if (!curator || !petr) throw new Error("not seeded");
    const now = h.clock.now();
    routeIncident(h.db, { incidentId: id, leadId: education, coexecutorIds: [], actor: curator, now });
    acceptIncident(h.db, { incidentId: id, actor: petr, now });
    await showCards(h, id);
    return id;
  }

  it("a person whose account is deleted (a Bad Request) is marked, as one who blocked the bot is", async () => {
    h.fake.failNext(
      "sendMessage",
      { error_code: 400, description: "Bad Request: user is deactivated" },
      { match: (params) => params.chat_id === OFFICE.head },
    );
    await openCard(admin(), /Глава/);
    await admin().press("Закрыть доступ полностью");
    await admin().press("Да, закрыть доступ");
    expect(admin().lastText()).toMatch(
      /Лично сообщить не удалось: сотрудник не открывал бота или заблокировал его\.$/,
    );
    expect(blocked(OFFICE.head)).toBe(true);
  });

  it("a person known to block the bot is not written to; the admin hears they were not told", async () => {
    await blocks(OFFICE.curator2, "Светлана");
    await openCard(admin(), /Светлана/);
    await admin().press("Снять роль: куратор");
    await admin().press("Да, снять роль");
    expect(admin().lastText()).toMatch(/^Готово\. Светлана: снята роль «куратор»\./);
    expect(admin().lastText()).toMatch(
      /Лично сообщить не удалось: сотрудник не открывал бота или заблокировал его\.$/,
    );
    expect(sendsTo(OFFICE.curator2)).toBe(0);
  });

  it("the organization's one other executor blocks the bot and it has no chat: the curators hear the posts are stranded, naming them", async () => {
    const id = await educationPostHeldByPetr();
    await blocks(3004, "Мария");
    const tried = sendsTo(3004);
    await openCard(admin(), /Пётр/);
    await admin().press("Исключить из: Минобр");
    await admin().press("Да, исключить");

    expect(paragraphs()).toEqual([
      "Готово. Пётр больше не исполнитель органа «Министерство образования».",
      "Доступа к боту у сотрудника больше нет.",
      `В работе у сотрудника было 1 сообщение: «Министерство образования» — № ${id}.`,
      "У органа «Министерство образования» нет рабочего чата, а оставшемуся исполнителю (Мария) бот писать " +
        "не может: исполнитель заблокировал бота или удалил аккаунт. Об этом сообщено кураторам.",
      "Сотруднику сообщено лично.",
    ]);
    expect(h.lastText(OFFICE.curatorsChat)).toBe(
      "Пётр больше не исполнитель органа «Министерство образования». Рабочего чата у органа нет, а оставшемуся " +
        "исполнителю (Мария) бот писать не может: исполнитель заблокировал бота или удалил аккаунт. Сообщения, " +
        `которые были у этого сотрудника в работе, не переданы: № ${id}. Свяжитесь с исполнителем органа ` +
        "или направьте сообщения другому органу кнопкой «Переназначить» на карточке (карточки — кнопками ниже).",
    );
    expect(sendsTo(3004)).toBe(tried);
  });

  it("several other executors all block the bot: the admin and the curators hear of them as several", async () => {
    const id = await educationPostHeldByPetr();
    const education = organizationsOf(3004)[0];
    if (education === undefined) throw new Error("not seeded");
    h.seedPerson(3005, "Олег", [], [education]);
    await blocks(3004, "Мария");
    await blocks(3005, "Олег");
    // Nor can they be told privately (the curators' chat refusing, each is tried).
    h.fake.failNext(
      "sendMessage",
      { error_code: 403, description: "Forbidden: bot was kicked from the group chat" },
      { match: (params) => curatorChats.includes(Number(params.chat_id)), times: 10 },
    );
    await openCard(admin(), /Пётр/);
    await admin().press("Исключить из: Минобр");
    await admin().press("Да, исключить");

    expect(paragraphs()).toContain(
      "У органа «Министерство образования» нет рабочего чата, а остальным его исполнителям (Мария, Олег) бот " +
        "писать не может: они заблокировали бота или удалили аккаунт. Кураторам сообщить не удалось (бот не " +
        "может им писать) — передайте им это сами.",
    );
    const toCurators = h.fake.callsOf("sendMessage").filter((c) => c.params.chat_id === OFFICE.curatorsChat);
    expect(toCurators.at(-1)?.params.text).toBe(
      "Пётр больше не исполнитель органа «Министерство образования». Рабочего чата у органа нет, а остальным " +
        "его исполнителям (Мария, Олег) бот писать не может: они заблокировали бота или удалили аккаунт. " +
        `Сообщения, которые были у этого сотрудника в работе, им не переданы: № ${id}. Свяжитесь с ` +
        "исполнителями органа или направьте сообщения другому органу кнопкой «Переназначить» на карточке " +
        "(карточки — кнопками ниже).",
    );
  });

  it("posts of two organizations, one of which cannot be told: the admin hears which one was", async () => {
    // Минздрав has its work chat; Минобр has none, and its other executor blocks the bot.
    const education = h.seedOrganization("Министерство образования", "Минобр");
    h.seedPerson(3003, "Пётр", [], [health, education]);
    h.seedPerson(3004, "Мария", [], [education]);
    await blocks(3004, "Мария");
    const curator = findPerson(h.db, OFFICE.curator);
    const petr = findPerson(h.db, 3003);
    if (!curator || !petr) throw new Error("not seeded");
    const now = h.clock.now();
    const [healthPost, educationPost] = [health, education].map((leadId, i) => {
      const id = seedRegistered(h, { link: `https://vk.com/wall-1_${i + 2}` });
      routeIncident(h.db, { incidentId: id, leadId, coexecutorIds: [], actor: curator, now });
      acceptIncident(h.db, { incidentId: id, actor: petr, now });
      return id;
    });

    await openCard(admin(), /Пётр/);
    await admin().press("Закрыть доступ полностью");
    await admin().press("Да, закрыть доступ");

    const told = paragraphs();
    expect(told).toContain(
      "В работе у сотрудника было 2 сообщения: «Министерство здравоохранения» — " +
        `№ ${healthPost}; «Министерство образования» — № ${educationPost}.`,
    );
    expect(told).toContain(
      `Органу «Министерство здравоохранения» сообщено, что сообщение № ${healthPost} нужно передать ` +
        "другому исполнителю.",
    );
    expect(told).toContain(
      "У органа «Министерство образования» нет рабочего чата, а оставшемуся исполнителю (Мария) бот писать " +
        "не может: исполнитель заблокировал бота или удалил аккаунт. Об этом сообщено кураторам.",
    );
    expect(told.join("\n")).not.toMatch(/Органам сообщено/);
  });
});

describe("admins", () => {
  it("an admin from ADMIN_IDS keeps the admin role, and is told why", async () => {
    await start();
    await openCard(admin(), /Анна/);
    expect(admin().lastText()).toMatch(
      /Роль администратора задана в настройках бота \(ADMIN_IDS\): здесь её не снять, она возвращается при каждом сообщении сотрудника\. Чтобы снять, уберите id из ADMIN_IDS, перезапустите бота и снимите роль здесь\./,
    );
    expect(h.fake.buttons(ADMIN).map((b) => b.label)).not.toContain("Снять роль: администратор");
    const self = findPerson(h.db, ADMIN)?.id;
    const popup = await pressCrafted(h, ADMIN, "Анна", `ppl.do:${self}:r:admin`);
    expect(popup).toMatch(/^Роль администратора задана в ADMIN_IDS/);
    expect(roles(ADMIN)).toEqual(["admin"]);
  });

  it("removed from ADMIN_IDS and restarted, the admin keeps the role until another admin takes it in /people", async () => {
    await start();
    await admin().send("/people");
    const boris = h.seedPerson(1002, "Борис", ["admin"]);
    // The bot restarted with ADMIN_IDS cleared: the grant stays, as the texts say.
    h.app.config.adminIds = [];
    await admin().send("/help");
    expect(roles(ADMIN)).toEqual(["admin"]);
    await openCard(boris, /Анна/);
    await boris.press("Снять роль: администратор");
    await boris.press("Да, снять роль");
    expect(roles(ADMIN)).toEqual([]);
  });

  it("the last admin cannot take their own admin role away; with another admin they can", async () => {
    await start([]);
    const anna = h.seedPerson(ADMIN, "Анна", ["admin", "curator"]);
    await openCard(anna, /Анна/);
    expect(await anna.press("Снять роль: администратор")).toMatch(/^Вы единственный администратор/);
    expect(await anna.press("Закрыть доступ полностью")).toMatch(/^Вы единственный администратор/);
    expect(roles(ADMIN)).toEqual(["admin", "curator"]);

    h.seedPerson(1002, "Борис", ["admin"]);
    await openCard(anna, /Анна/);
    await anna.press("Снять роль: администратор");
    await anna.press("Да, снять роль");
    expect(anna.lastText()).toMatch(/^Готово\. Анна: снята роль «администратор»\.\n\nРоли теперь: куратор\./);
    expect(roles(ADMIN)).toEqual(["curator"]);
    await anna.send("/people");
    expect(anna.lastText()).toBe("Это действие вам недоступно.");
  });

  it("rights are read again at the confirming press: an admin demoted meanwhile changes nothing", async () => {
    await start();
    const boris = h.seedPerson(1002, "Борис", ["admin"]);
    await openCard(boris, /Ольга/);
    await boris.press("Снять роль: куратор");

    await openCard(admin(), /Борис/);
    await admin().press("Снять роль: администратор");
    await admin().press("Да, снять роль");

    expect(await boris.press("Да, снять роль")).toBe(
      "У вас нет доступа к боту. Доступ выдаёт администратор по ссылке-приглашению.",
    );
    expect(roles(OFFICE.curator)).toEqual(["curator"]);
  });
});

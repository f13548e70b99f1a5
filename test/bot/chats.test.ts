import { and, eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadIncident, routeIncident } from "../../src/app/incidents.js";
import { claimNotice } from "../../src/app/notices.js";
import { findPerson } from "../../src/app/people.js";
import { auditEvents, boundChats, inbox, noticesSent, organizations, people } from "../../src/db/schema.js";
import type { Person } from "../../src/domain/access.js";
import { Harness } from "../support/bot-harness.js";
import type { StoredMessage } from "../support/fake-bot-api.js";
import { channelChat, type MemberStatus, tgUser, updates } from "../support/updates.js";
import { OFFICE, seedDraft, seedIncidentInWork, seedRegistered, showCards } from "../support/workflow.js";

const ADMIN = 1001;
let h: Harness;

beforeEach(async () => {
  h = await Harness.start({ adminIds: [ADMIN] });
  const admin = h.user(ADMIN, "Анна");
  await admin.send("/org_add");
  await admin.send("Министерство здравоохранения");
  await admin.send("Минздрав");
});
afterEach(() => h.close());

const admin = () => h.user(ADMIN, "Анна");
const boundChatIds = () =>
  h.db
    .select()
    .from(boundChats)
    .all()
    .map((c) => c.chatId);
const workChat = () => h.group(-100, "Минздрав: обращения");

describe("group chats", () => {
  it("an admin binds a work chat to an organization from the group itself", async () => {
    await admin().send("/bind", workChat());
    expect(h.lastText(-100)).toMatch(/К какому органу привязать этот чат\?/);
    await admin().press(/Минздрав/, workChat());
    expect(h.lastText(-100)).toBe(
      "Этот чат привязан к органу «Министерство здравоохранения». Сюда будут приходить карточки сообщений.",
    );
    await admin().send("/orgs");
    await admin().press(/Минздрав/);
    expect(admin().lastText()).toMatch(/Рабочий чат: Минздрав: обращения/);
    await admin().send("/chats");
    expect(admin().lastText()).toBe(
      "Привязанные чаты:\n• Минздрав: обращения — «Министерство здравоохранения»",
    );
  });

  it("/bind with no organization to offer says how to add one, and still offers «Чат кураторов»", async () => {
    // A new office: no organization yet.
    h.db.delete(organizations).run();
    await admin().send("/bind", workChat());
    expect(h.lastText(-100)).toBe(
      "Органов пока нет, поэтому этот чат можно сделать только чатом кураторов. Чтобы привязать его к органу, " +
        "добавьте орган в личном чате с ботом (/org_add или файл со списком) и отправьте здесь /bind снова.",
    );
    expect(h.fake.buttons(-100).map((b) => b.label)).toEqual(["Чат кураторов"]);
    await admin().press("Чат кураторов", workChat());
    expect(h.lastText(-100)).toBe("Этот чат привязан как чат кураторов.");

    // Only switched-off ones: said so, with where to switch one on.
    h.seedOrganization("Министерство культуры");
    h.db.update(organizations).set({ active: false }).run();
    await admin().send("/bind", h.group(-300, "Минкульт: обращения"));
    expect(h.lastText(-300)).toBe(
      "Все органы отключены, поэтому этот чат можно сделать только чатом кураторов. Чтобы привязать его к органу, " +
        "включите нужный в личном чате с ботом (/orgs) или добавьте новый (/org_add) и отправьте здесь /bind снова.",
    );
  });

  it("an organization switched off after the picker was shown is named so, not «Такого органа нет»", async () => {
    await admin().send("/bind", workChat());
    h.db.update(organizations).set({ active: false }).run();
    expect(await admin().press(/Минздрав/, workChat())).toBe(
      "Орган «Минздрав» отключён. Включить его можно в /orgs (в личном чате с ботом).",
    );
    expect(boundChatIds()).toEqual([]);
  });

  it("/chats with many chats of long titles: every one listed, in messages Telegram takes", async () => {
    for (let i = 1; i <= 40; i++) {
      const organizationId = h.seedOrganization(`Организация ${i}`, `Орг ${i}`);
      h.seedChat(
        h.group(-1000 - i, `Рабочий чат ${i}: ${"обращения граждан ".repeat(6)}`.slice(0, 128)),
        organizationId,
      );
    }
    const before = admin().texts().length;
    await admin().send("/chats");
    const sent = admin().texts().slice(before);
    expect(sent.length).toBeGreaterThan(1);
    for (const text of sent) expect(text.length).toBeLessThanOrEqual(4096);
    expect(sent.join("\n").match(/^• Рабочий чат/gm)).toHaveLength(40);
  });

  it("binds the curators' chat and unbinds on request", async () => {
    const curators = h.group(-200, "Кураторы");
    await admin().send("/bind", curators);
    await admin().press("Чат кураторов", curators);
    expect(h.lastText(-200)).toBe("Этот чат привязан как чат кураторов.");
    await admin().send("/unbind", curators);
    expect(h.lastText(-200)).toBe("Чат отвязан: карточки сюда больше не приходят.");
    await admin().send("/unbind", curators);
    expect(h.lastText(-200)).toBe("Этот чат ни к чему не привязан.");
  });

  it("a work chat bound while the organization has open posts gets their list, each card a tap away", async () => {
    const health = h.db.select().from(organizations).get()?.id ?? 0;
    h.seedPerson(OFFICE.curator, "Ольга", ["curator"]);
    const id = seedRegistered(h);
    const curator = findPerson(h.db, OFFICE.curator) as Person;
    routeIncident(h.db, {
      incidentId: id,
      leadId: health,
      coexecutorIds: [],
      actor: curator,
      now: h.clock.now(),
    });
    await admin().send("/bind", workChat());
    await admin().press(/Минздрав/, workChat());
    expect(h.texts(-100).slice(-2)).toEqual([
      "Этот чат привязан к органу «Министерство здравоохранения». Сюда будут приходить карточки сообщений.",
      expect.stringMatching(
        new RegExp(`^Открытые сообщения: 1\\nОсталось и просрочено — в рабочем времени\\.\\n\\n№ ${id} `),
      ),
    ]);
    h.seedPerson(OFFICE.executor, "Иван", [], [health]);
    await h.user(OFFICE.executor, "Иван").press(`№ ${id}`, workChat());
    expect(h.lastText(-100)).toMatch(new RegExp(`^Сообщение № ${id} · `));

    // The curators' chat gets every open post, each naming its organization.
    const curatorsChat = h.group(-200, "Кураторы");
    await admin().send("/bind", curatorsChat);
    await admin().press("Чат кураторов", curatorsChat);
    expect(h.texts(-200).at(-1)).toMatch(
      new RegExp(
        `^Открытые сообщения: 1\\nОсталось и просрочено — в рабочем времени\\.\\n\\n№ ${id} .*Минздрав`,
      ),
    );
  });

  it("binding another chat to the same organization moves the binding and tells the old chat", async () => {
    await admin().send("/bind", workChat());
    await admin().press(/Минздрав/, workChat());
    const newChat = h.group(-300, "Минздрав: новый чат");
    await admin().send("/bind", newChat);
    await admin().press(/Минздрав/, newChat);
    // One tap would take the organization's chat away: a second one confirms.
    expect(h.lastText(-300)).toBe(
      "Сейчас для этого привязан чат «Минздрав: обращения» — он будет отвязан. " +
        "Сделать его рабочим чатом органа «Министерство здравоохранения»?",
    );
    expect(boundChatIds()).toEqual([-100]);
    await admin().press("Да, привязать", newChat);
    expect(h.lastText(-100)).toBe("Чат отвязан: карточки сюда больше не приходят.");
    expect(boundChatIds()).toEqual([-300]);
  });

  it("someone without rights pressing the admin's button gets a pop-up only they see; nothing changes", async () => {
    await admin().send("/bind", workChat());
    const member = h.user(2002, "Пётр");
    const popup = await member.press(/Минздрав/, workChat());
    // Someone with no access at all is told so, whatever the button.
    expect(popup).toBe("У вас нет доступа к боту. Доступ выдаёт администратор по ссылке-приглашению.");
    expect(h.lastText(-100)).toMatch(/К какому органу привязать этот чат\?/);
    expect(h.db.select().from(boundChats).all()).toEqual([]);
  });

  it("someone without rights sending /bind in a group is refused briefly, nothing changes", async () => {
    const curator = h.seedPerson(2003, "Ольга", ["curator"]);
    await curator.send("/bind", workChat());
    expect([...h.texts(2003), ...h.texts(-100)]).toEqual([
      "Команда /bind доступна только администратору бота.",
    ]);
    // Someone with no access at all hears that instead.
    const member = h.user(2002, "Пётр");
    await member.send("/bind", workChat());
    expect([...h.texts(2002), ...h.texts(-100)]).toEqual([
      "У вас нет доступа к боту. Доступ выдаёт администратор по ссылке-приглашению.",
    ]);
    expect(h.db.select().from(boundChats).all()).toEqual([]);
  });

  it("follows a group upgraded to a supergroup", async () => {
    await admin().send("/bind", workChat());
    await admin().press(/Минздрав/, workChat());
    await h.deliver(updates.migrateToChat(workChat(), admin().tg, -1001234567890));
    expect(boundChatIds()).toEqual([-1001234567890]);
    const supergroup = { id: -1001234567890, type: "supergroup" as const, title: "Минздрав: обращения" };
    await h.deliver(updates.migrateFromChat(supergroup, admin().tg, -100));
    expect(boundChatIds()).toEqual([-1001234567890]);
  });

  it("a group upgraded to a supergroup takes along its lines of the notices ledger, of every kind that names a chat", async () => {
    await admin().send("/bind", workChat());
    await admin().press(/Минздрав/, workChat());
    const lines = [
      "morning:-100:25.11.2026",
      "morning:-100:26.11.2026:sending",
      "curator-posting:7:-100",
      "chat-unreachable:-100",
      "report:violations:2026-10:to:-100",
      "report:violations:2026-10:to:-100:sent:0",
      "surge:topic:снег:1764000000000:to:-100",
    ];
    // Not the chat's: another chat whose id begins alike, and the notices of no chat.
    const others = ["morning:-1001:25.11.2026", "report:violations:2026-10", "surge:topic:снег"];
    for (const key of [...lines, ...others]) claimNotice(h.db, key, h.clock.now());
    await h.deliver(updates.migrateToChat(workChat(), admin().tg, -1001234567890));
    const keys = h.db
      .select()
      .from(noticesSent)
      .all()
      .map((row) => row.key);
    // A send under way keeps a note of where its lease went, to end it there (notices.ts).
    const moved = "moved:morning:-100:26.11.2026>morning:-1001234567890:26.11.2026";
    expect(keys.sort()).toEqual(
      [...lines.map((key) => key.replace(/(^|:)-100(?=:|$)/, "$1-1001234567890")), ...others, moved].sort(),
    );
  });

  it("a send refused because the group became a supergroup moves the binding; the admins hear of the move, not of a refusal", async () => {
    await admin().send("/bind", workChat());
    await admin().press(/Минздрав/, workChat());
    // Telegram's service message has not reached the bot yet: a card goes to the old id first.
    h.fake.pushUpdate(updates.migrateToChat(workChat(), admin().tg, -1001234567890));
    h.seedPerson(2001, "Ольга", ["curator"]);
    const id = seedRegistered(h);
    const health = h.db.select().from(boundChats).all()[0]?.organizationId ?? 0;
    const curator = findPerson(h.db, 2001) as Person;
    routeIncident(h.db, {
      incidentId: id,
      leadId: health,
      coexecutorIds: [],
      actor: curator,
      now: h.clock.now(),
    });
    await showCards(h, id);
    expect(boundChatIds()).toEqual([-1001234567890]);
    expect(
      admin()
        .texts()
        .filter((text) => text.startsWith("Бот не может писать")),
    ).toEqual([]);
    expect(admin().lastText()).toBe("Чат «Минздрав: обращения» стал супергруппой; привязка сохранена.");
  });

  it("a bound chat renamed in Telegram is listed under its new title", async () => {
    await admin().send("/bind", workChat());
    await admin().press(/Минздрав/, workChat());
    await h.deliver(updates.newChatTitle(workChat(), admin().tg, "Минздрав: сообщения граждан"));
    expect(
      h.db
        .select()
        .from(boundChats)
        .all()
        .map((c) => c.title),
    ).toEqual(["Минздрав: сообщения граждан"]);
    await admin().send("/chats");
    expect(admin().lastText()).toContain("Минздрав: сообщения граждан");
  });

  it("unbinds a chat the bot was removed from and tells the admins", async () => {
    await admin().send("/bind", workChat());
    await admin().press(/Минздрав/, workChat());
    const kicker = h.user(2002, "Пётр");
    await h.deliver(updates.myChatMember(workChat(), kicker.tg, "member", "kicked", h.fake.botUser));
    expect(h.db.select().from(boundChats).all()).toEqual([]);
    expect(admin().lastText()).toBe(
      "Бота удалили из чата «Минздрав: обращения» («Министерство здравоохранения»). Кто удалил: Пётр. " +
        "Чат отвязан. Привяжите новый рабочий чат: добавьте бота и отправьте в нём /bind.",
    );
  });

  it("the bot removed from a work chat: the curators hear who gets the organization's cards privately now, and its open posts", async () => {
    const health = h.db.select().from(organizations).get()?.id ?? 0;
    h.seedChat(h.group(-200, "Кураторы"), null);
    h.seedPerson(OFFICE.curator, "Ольга", ["curator"]);
    h.seedPerson(OFFICE.executor, "Иван", [], [health]);
    await admin().send("/bind", workChat());
    await admin().press(/Минздрав/, workChat());
    const id = await seedIncidentInWork(h, health);
    const kicker = tgUser(2002, "Пётр", { last_name: "Сидоров", username: "petr_s" });
    await h.deliver(updates.myChatMember(workChat(), kicker, "member", "kicked", h.fake.botUser));
    expect(admin().lastText()).toBe(
      "Бота удалили из чата «Минздрав: обращения» («Министерство здравоохранения»). " +
        `Кто удалил: Пётр Сидоров (@petr_s). Чат отвязан. Открытые сообщения органа: № ${id}. ` +
        "Привяжите новый рабочий чат: добавьте бота и отправьте в нём /bind.",
    );
    expect(h.lastText(-200)).toBe(
      "Бота удалили из рабочего чата органа «Министерство здравоохранения», другого чата у органа нет. " +
        `Карточки органа получат лично: Иван. Открытые сообщения органа: № ${id}.`,
    );
  });

  it("the bot removed from a work chat of an organization nobody of which the bot reaches privately: the curators hear so", async () => {
    const health = h.db.select().from(organizations).get()?.id ?? 0;
    h.seedPerson(OFFICE.curator, "Ольга", ["curator"]);
    h.seedPerson(OFFICE.executor, "Иван", [], [health]);
    h.db.update(people).set({ blockedAt: h.clock.now() }).where(eq(people.telegramId, OFFICE.executor)).run();
    await admin().send("/bind", workChat());
    await admin().press(/Минздрав/, workChat());
    // An anonymous administrator: Telegram names its bot, not a person.
    const anonymous = tgUser(1087968824, "Group", { is_bot: true, username: "GroupAnonymousBot" });
    await h.deliver(updates.myChatMember(workChat(), anonymous, "member", "kicked", h.fake.botUser));
    expect(admin().lastText()).toMatch(
      /^Бота удалили из чата «Минздрав: обращения» \(«Министерство здравоохранения»\)\. Чат отвязан\./,
    );
    // No curators' chat: each curator hears it privately.
    expect(h.user(OFFICE.curator, "Ольга").lastText()).toBe(
      "Бота удалили из рабочего чата органа «Министерство здравоохранения», другого чата у органа нет. " +
        "Лично получить карточки органа некому: у него нет исполнителей, которым бот может написать.",
    );
  });

  it("the removal handled again after a crash before the admins and the curators were told: they are told then", async () => {
    await admin().send("/bind", workChat());
    await admin().press(/Минздрав/, workChat());
    h.seedPerson(OFFICE.curator, "Ольга", ["curator"]);
    const kicker = h.user(2002, "Пётр");
    // The process died after the unbinding's commit, before the admins' and the curators' notices went out.
    h.fake.failNext(
      "sendMessage",
      { error_code: 502, description: "Bad Gateway" },
      { match: (p) => p.chat_id === ADMIN || p.chat_id === OFFICE.curator, times: 2 },
    );
    const removal = await h.deliver(
      updates.myChatMember(workChat(), kicker.tg, "member", "kicked", h.fake.botUser),
    );
    h.db.update(inbox).set({ doneAt: null }).where(eq(inbox.updateId, removal.update_id)).run();
    await h.bot.handleUpdate(removal);
    expect(admin().lastText()).toMatch(
      /^Бота удалили из чата «Минздрав: обращения» \(«Министерство здравоохранения»\)/,
    );
    expect(h.user(OFFICE.curator, "Ольга").lastText()).toMatch(
      /^Бота удалили из рабочего чата органа «Министерство здравоохранения»/,
    );
    const unbound = h.db.select().from(auditEvents).where(eq(auditEvents.action, "unbound")).all();
    expect(unbound).toHaveLength(1);
  });

  it("/unbind handled again after a crash before its reply says the chat is unbound, not that it never was", async () => {
    await admin().send("/bind", workChat());
    await admin().press(/Минздрав/, workChat());
    h.fake.failNext(
      "sendMessage",
      { error_code: 502, description: "Bad Gateway" },
      { match: (p) => p.chat_id === -100 },
    );
    const unbind = await h.deliver(updates.text(workChat(), admin().tg, "/unbind"));
    h.db.update(inbox).set({ doneAt: null }).where(eq(inbox.updateId, unbind.update_id)).run();
    await h.bot.handleUpdate(unbind);
    expect(h.lastText(-100)).toBe("Чат отвязан: карточки сюда больше не приходят.");
  });

  it("a bound chat that takes the bot's right to write: the admins hear at once, and again each time after the right came back", async () => {
    await admin().send("/bind", workChat());
    await admin().press(/Минздрав/, workChat());
    const told = () =>
      admin()
        .texts()
        .filter((text) => text.startsWith("Бот не может писать в чат")).length;
    const change = (from: MemberStatus, to: MemberStatus) =>
      h.deliver(updates.myChatMember(workChat(), admin().tg, from, to, h.fake.botUser));
    await change("administrator", "restricted");
    expect(told()).toBe(1);
    await change("restricted", "administrator");
    await change("administrator", "restricted");
    expect(told()).toBe(2);
  });

  it("a bound chat that takes the bot's administrator rights: the chat and the admins hear it no longer sees reasons typed there", async () => {
    await admin().send("/bind", workChat());
    await admin().press(/Минздрав/, workChat());
    await h.deliver(updates.myChatMember(workChat(), admin().tg, "administrator", "member", h.fake.botUser));
    expect(h.lastText(-100)).toBe(
      "Бот больше не администратор этого чата и не видит обычных сообщений: причины и комментарии, " +
        "написанные здесь, до него не дойдут. Сделайте бота снова администратором чата.",
    );
    expect(admin().lastText()).toMatch(
      /^В чате «Минздрав: обращения» \(«Министерство здравоохранения»\) бот больше не администратор/,
    );
  });

  it("the curators' chat the bot was removed from: the admins hear the curators are told privately meanwhile", async () => {
    const curators = h.group(-400, "Кураторы");
    await admin().send("/bind", curators);
    await admin().press("Чат кураторов", curators);
    await h.deliver(
      updates.myChatMember(curators, h.user(2002, "Пётр").tg, "member", "kicked", h.fake.botUser),
    );
    expect(admin().lastText()).toMatch(
      /Чат отвязан\. Пока чата кураторов нет, уведомления кураторам приходят каждому лично\. Привяжите новый чат кураторов/,
    );
  });

  it("binding a second curators' chat replaces the first, names it to the admin and is audited", async () => {
    const first = h.group(-200, "Кураторы");
    await admin().send("/bind", first);
    await admin().press("Чат кураторов", first);
    const second = h.group(-5, "Кураторы (новый)");
    await admin().send("/bind", second);
    await admin().press("Чат кураторов", second);
    expect(h.lastText(-5)).toBe(
      "Сейчас для этого привязан чат «Кураторы» — он будет отвязан. Сделать его чатом кураторов?",
    );
    await admin().press("Отмена", second);
    expect(boundChatIds()).toEqual([-200]);
    await admin().send("/bind", second);
    await admin().press("Чат кураторов", second);
    await admin().press("Да, привязать", second);
    expect(h.lastText(-5)).toBe(
      "Этот чат привязан как чат кураторов.\n\nПрежний чат кураторов («Кураторы») отвязан.",
    );
    expect(h.lastText(-200)).toBe("Чат отвязан: карточки сюда больше не приходят.");
    expect(boundChatIds()).toEqual([-5]);
    const unbound = h.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.entityId, "-200"), eq(auditEvents.action, "unbound")))
      .all();
    expect(unbound.map((e) => e.details)).toEqual([
      expect.objectContaining({ reason: "replaced", title: "Кураторы", replacedBy: -5 }),
    ]);

    h.seedPerson(OFFICE.curator, "Ольга", ["curator"]);
    const cardsBefore = h.texts(-200).length;
    await showCards(h, seedRegistered(h));
    expect(h.lastText(-5)).toMatch(/^Сообщение № 1/);
    expect(h.texts(-200)).toHaveLength(cardsBefore);
  });

  it("rebinding a work chat to another organization tells the admin the first has no work chat now", async () => {
    await admin().send("/org_add");
    await admin().send("Министерство транспорта");
    await admin().send("Минтранс");
    await admin().send("/bind", workChat());
    await admin().press(/Минздрав/, workChat());
    await admin().send("/bind", workChat());
    await admin().press(/Минтранс/, workChat());
    await admin().press("Да, привязать", workChat());
    expect(h.lastText(-100)).toBe(
      "Этот чат привязан к органу «Министерство транспорта». Сюда будут приходить карточки сообщений.\n\n" +
        "У органа «Министерство здравоохранения» больше нет рабочего чата. Чтобы привязать ему чат, отправьте /bind в нужном чате.",
    );
  });

  it("binding a chat where the bot is not an administrator binds it and asks to make the bot one", async () => {
    h.fake.setChatMember(-100, h.fake.botUser.id, "member");
    await admin().send("/bind", workChat());
    await admin().press(/Минздрав/, workChat());
    expect(h.lastText(-100)).toBe(
      "Этот чат привязан к органу «Министерство здравоохранения». Сюда будут приходить карточки сообщений.\n\n" +
        "Бот не администратор этого чата и поэтому не видит обычных сообщений: причины и комментарии, " +
        "написанные здесь, до него не дойдут. Сделайте бота администратором чата.",
    );
    expect(boundChatIds()).toEqual([-100]);
  });

  it("the hint on joining a group as a member names the curators' chat and asks to make the bot an administrator; /bind asks again while it is not one", async () => {
    const adder = h.user(2002, "Пётр");
    h.fake.setChatMember(-100, h.fake.botUser.id, "member");
    await h.deliver(updates.myChatMember(workChat(), adder.tg, "left", "member", h.fake.botUser));
    expect(h.texts(-100)).toEqual([
      "Здравствуйте! Администратор может привязать этот чат к органу или сделать его чатом кураторов командой /bind. " +
        "Сделайте также бота администратором чата: иначе он не увидит причин и комментариев, написанных здесь.",
    ]);
    await admin().send("/bind", workChat());
    await admin().press("Чат кураторов", workChat());
    expect(h.lastText(-100)).toMatch(
      /^Этот чат привязан как чат кураторов\.\n\nБот не администратор этого чата/,
    );
    // Added as an administrator: nothing to ask.
    const curators = h.group(-200, "Кураторы");
    await h.deliver(updates.myChatMember(curators, adder.tg, "left", "administrator", h.fake.botUser));
    expect(h.texts(-200)).toEqual([
      "Здравствуйте! Администратор может привязать этот чат к органу или сделать его чатом кураторов командой /bind.",
    ]);
  });

  it("the bot made an administrator of a bound chat: the chat hears once that it sees every message now", async () => {
    h.fake.setChatMember(-100, h.fake.botUser.id, "member");
    await admin().send("/bind", workChat());
    await admin().press(/Минздрав/, workChat());
    expect(h.lastText(-100)).toMatch(/Сделайте бота администратором чата\.$/);
    const change = (from: MemberStatus, to: MemberStatus, chat = workChat()) =>
      h.deliver(updates.myChatMember(chat, admin().tg, from, to, h.fake.botUser));
    const mark = h.texts(-100).length;
    await change("member", "administrator");
    // Its rights as an administrator changed: no promotion, nothing said again.
    await change("administrator", "administrator");
    expect(h.texts(-100).slice(mark)).toEqual([
      "Теперь бот видит все сообщения чата: причины и комментарии, написанные здесь, до него дойдут.",
    ]);
    // A chat bound to nothing hears nothing of it.
    const other = h.group(-300, "Флудилка");
    await change("member", "administrator", other);
    expect(h.texts(-300)).toEqual([]);
  });

  it("the bot added to a channel posts no bind hint to its subscribers", async () => {
    const channel = channelChat(-100777, "Администрация города — официально", "gorod_official");
    await h.deliver(updates.myChatMember(channel, admin().tg, "left", "administrator", h.fake.botUser));
    expect(h.texts(channel.id)).toEqual([]);
  });

  it("a group upgraded to a supergroup keeps its binding: no bind hint there, the admins are told", async () => {
    await admin().send("/bind", workChat());
    await admin().press(/Минздрав/, workChat());
    const supergroup = { id: -1001234567890, type: "supergroup" as const, title: "Минздрав: обращения" };
    await h.deliver(updates.migrateToChat(workChat(), admin().tg, supergroup.id));
    await h.deliver(updates.myChatMember(supergroup, admin().tg, "left", "member", h.fake.botUser));
    await h.deliver(updates.migrateFromChat(supergroup, admin().tg, -100));
    expect(h.texts(supergroup.id)).toEqual([]);
    expect(
      admin()
        .texts()
        .filter((text) => /супергруппой/.test(text)),
    ).toEqual(["Чат «Минздрав: обращения» стал супергруппой; привязка сохранена."]);
  });

  it("an anonymous group administrator sending /bind is told to write from their own account", async () => {
    const anonymous = tgUser(1087968824, "Group", { is_bot: true, username: "GroupAnonymousBot" });
    await h.deliver(updates.text(workChat(), anonymous, "/bind", { sender_chat: workChat() }));
    expect(h.texts(-100)).toEqual([
      "Бот не может узнать, кто из администраторов пишет анонимно. Чтобы отправить /bind, " +
        "отключите для себя «Анонимность» в правах администратора или напишите от своего аккаунта.",
    ]);
    expect(boundChatIds()).toEqual([]);
  });

  it("an anonymous administrator's or a channel's command is told the bot cannot tell who writes, not that they have no access; their chatter is left alone", async () => {
    await admin().send("/bind", workChat());
    await admin().press(/Минздрав/, workChat());
    const anonymous = tgUser(1087968824, "Group", { is_bot: true, username: "GroupAnonymousBot" });
    const asGroup = { sender_chat: workChat() };
    const mark = h.texts(-100).length;
    await h.deliver(updates.text(workChat(), anonymous, "/list", asGroup));
    await h.deliver(updates.text(workChat(), anonymous, "/find@osm_test_bot 1", asGroup));
    await h.deliver(updates.text(workChat(), anonymous, "Коллеги, добрый день!", asGroup));
    await h.deliver(updates.text(workChat(), anonymous, "/list@other_bot", asGroup));
    const channel = { id: -1009, type: "channel" as const, title: "Новости Минздрава" };
    const channelBot = tgUser(136817688, "Channel", { is_bot: true, username: "Channel_Bot" });
    await h.deliver(updates.text(workChat(), channelBot, "/list", { sender_chat: channel }));
    expect(h.texts(-100).slice(mark)).toEqual([
      "Бот не может узнать, кто из администраторов пишет анонимно. Чтобы отправить /list, " +
        "отключите для себя «Анонимность» в правах администратора или напишите от своего аккаунта.",
      "Бот не может узнать, кто из администраторов пишет анонимно. Чтобы отправить /find, " +
        "отключите для себя «Анонимность» в правах администратора или напишите от своего аккаунта.",
      "Бот не может узнать, кто пишет от имени канала. Чтобы отправить /list, напишите от своего аккаунта.",
    ]);
  });

  it("someone with no access sending an admin's command in a group, or in private, is told they have no access", async () => {
    const member = h.user(2002, "Пётр");
    await member.send("/unbind", workChat());
    expect([...h.texts(2002), ...h.texts(-100)]).toEqual([
      "У вас нет доступа к боту. Доступ выдаёт администратор по ссылке-приглашению.",
    ]);
    await member.send("/chats");
    expect(member.lastText()).toBe(
      "У вас нет доступа к боту. Доступ выдаёт администратор по ссылке-приглашению.",
    );
  });

  it("/bind in a bound chat says what it is now and changes the binding only on a confirming tap", async () => {
    const curators = h.group(-200, "Кураторы");
    await admin().send("/bind", curators);
    await admin().press("Чат кураторов", curators);
    await admin().send("/bind", curators);
    expect(h.lastText(-200)).toBe(
      "Сейчас этот чат: чат кураторов.\n\n" +
        "К какому органу привязать этот чат? В него будут приходить карточки сообщений.",
    );
    await admin().press(/Минздрав/, curators);
    expect(h.lastText(-200)).toBe(
      "Сейчас этот чат: чат кураторов. Сделать его рабочим чатом органа «Министерство здравоохранения»?",
    );
    await admin().press("Отмена", curators);
    expect(h.lastText(-200)).toBe("Привязка не изменена.");
    expect(h.db.select().from(boundChats).all()).toEqual([
      expect.objectContaining({ chatId: -200, purpose: "curators", organizationId: null }),
    ]);

    await admin().send("/bind", curators);
    await admin().press(/Минздрав/, curators);
    await admin().press("Да, привязать", curators);
    expect(h.lastText(-200)).toMatch(/^Этот чат привязан к органу «Министерство здравоохранения»\./);
    expect(h.db.select().from(boundChats).all()).toEqual([
      expect.objectContaining({ chatId: -200, purpose: "organization" }),
    ]);
    await admin().send("/bind", curators);
    expect(h.lastText(-200)).toMatch(/^Сейчас этот чат: рабочий чат органа «Министерство здравоохранения»\./);
  });

  it("bound in a forum topic: what the bot sends there of itself goes to that topic; a topic gone, to the general one, the admins told once", async () => {
    const forum = {
      id: -100,
      type: "supergroup" as const,
      title: "Минздрав: обращения",
      is_forum: true as const,
    };
    await h.deliver(
      updates.text(forum, admin().tg, "/bind", { message_thread_id: 5, is_topic_message: true }),
    );
    await admin().press(/Минздрав/, forum);
    expect(h.lastText(-100)).toBe(
      "Этот чат привязан к органу «Министерство здравоохранения». Сюда будут приходить карточки сообщений.\n\n" +
        "Карточки, уведомления и напоминания бот будет присылать в эту тему.",
    );
    const health = h.db.select().from(organizations).get()?.id ?? 0;
    h.seedPerson(OFFICE.curator, "Ольга", ["curator"]);
    const curator = findPerson(h.db, OFFICE.curator) as Person;
    const routed = async (n: number) => {
      const id = seedRegistered(h, { link: `https://vk.com/wall-1_${n}` });
      routeIncident(h.db, {
        incidentId: id,
        leadId: health,
        coexecutorIds: [],
        actor: curator,
        now: h.clock.now(),
      });
      await showCards(h, id);
      return id;
    };
    const topicOf = (id: number) =>
      h.fake.messages(-100).find((m) => m.text?.startsWith(`Сообщение № ${id} `))?.message.message_thread_id;

    expect(topicOf(await routed(1))).toBe(5);
    // Written to in the general topic, the bot answers there.
    await h.deliver(updates.text(forum, admin().tg, "/bind"));
    expect(h.fake.lastMessage(-100)?.text).toMatch(/^Сейчас этот чат: рабочий чат органа/);
    expect(h.fake.lastMessage(-100)?.message.message_thread_id).toBeUndefined();

    // The topic deleted in Telegram: the card goes to the general topic, the admins hear it once.
    h.fake.failNext(
      "sendMessage",
      { error_code: 400, description: "Bad Request: message thread not found" },
      { match: (params) => params.chat_id === -100 && params.message_thread_id === 5 },
    );
    const second = await routed(2);
    expect(h.fake.messages(-100).some((m) => m.text?.startsWith(`Сообщение № ${second} `))).toBe(true);
    expect(topicOf(second)).toBeUndefined();
    const told = admin()
      .texts()
      .filter((text) => text.includes("тема, в которой его привязали, удалена или закрыта"));
    expect(told).toEqual([
      "В чате «Минздрав: обращения» тема, в которой его привязали, удалена или закрыта для бота: бот пишет в общую тему. " +
        "Чтобы бот писал в другую тему, отправьте /bind в ней.",
    ]);
    const lost = h.db.select().from(auditEvents).where(eq(auditEvents.action, "topic_lost")).all();
    expect(lost.map((e) => e.details)).toEqual([{ threadId: 5 }]);
    const tries = h.fake.callsOf("sendMessage").filter((c) => c.params.chat_id === -100).length;
    const third = await routed(3);
    expect(topicOf(third)).toBeUndefined();
    expect(h.fake.callsOf("sendMessage").filter((c) => c.params.chat_id === -100)).toHaveLength(tries + 1);
  });

  it("the /bind picker says that switched-off organizations are not shown", async () => {
    await admin().send("/bind", workChat());
    expect(h.lastText(-100)).not.toMatch(/Отключённые/);
    h.seedOrganization("Министерство культуры", "Минкульт");
    await admin().send("/orgs");
    await admin().press(/Минкульт/);
    await admin().press("Отключить");
    await admin().send("/bind", workChat());
    expect(h.lastText(-100)).toBe(
      "К какому органу привязать этот чат? В него будут приходить карточки сообщений.\n\n" +
        "Отключённые органы не показаны; список — /orgs.",
    );
    expect(() => h.fake.findButton(-100, /Минкульт/)).toThrow();
  });
});

describe("cards left in a chat no longer bound", () => {
  const executor = () => h.user(OFFICE.executor, "Иван");

  /** Минздрав's work chat with a post's card whose answer is approved: «Размещено», and that button as it is now. */
  async function approvedCardInWorkChat() {
    const health = h.db.select().from(organizations).get()?.id ?? 0;
    h.seedPerson(OFFICE.curator, "Ольга", ["curator"]);
    h.seedPerson(OFFICE.executor, "Иван", [], [health]);
    await admin().send("/bind", workChat());
    await admin().press(/Минздрав/, workChat());
    const id = await seedIncidentInWork(h, health);
    await seedDraft(h, id, { approve: true });
    return { id, kept: h.fake.findButton(-100, "Размещено") };
  }

  /** A press on the button as it was (an app that has not redrawn the message yet): its pop-up. */
  async function pressKept(kept: { message: StoredMessage; callbackData: string }, by = executor()) {
    const update = await h.deliver(updates.callback(by.tg, kept.message, kept.callbackData));
    return h.fake.callbackAnswer(update.callback_query?.id ?? "")?.text;
  }

  const buttonsOf = (chatId: number, messageId: number) =>
    h.fake.buttons(chatId).filter((button) => button.message.message_id === messageId);

  it("the work chat moved to another chat: the old chat's cards lose their buttons; a press there acts on nothing and names the new chat", async () => {
    const { id, kept } = await approvedCardInWorkChat();
    const newChat = h.group(-300, "Минздрав: дежурная группа");
    await admin().send("/bind", newChat);
    await admin().press(/Минздрав/, newChat);
    await admin().press("Да, привязать", newChat);
    expect(buttonsOf(-100, kept.message.message_id)).toEqual([]);
    expect(await pressKept(kept)).toBe(
      "Чат отвязан: карточки органа «Минздрав» теперь в чате «Минздрав: дежурная группа».",
    );
    // No link asked for in the old chat: the answer is still to be posted, from the new one.
    expect(h.lastText(-100)).toBe("Чат отвязан: карточки сюда больше не приходят.");
    expect(loadIncident(h.db, id)?.row.state).toBe("approved");
  });

  it("/unbind: a card Telegram will not edit keeps its buttons, a press on one is refused; the chat is unbound all the same", async () => {
    await approvedCardInWorkChat();
    h.fake.failNext("editMessageReplyMarkup", {
      error_code: 400,
      description: "Bad Request: message can't be edited",
    });
    await admin().send("/unbind", workChat());
    expect(h.lastText(-100)).toBe("Чат отвязан: карточки сюда больше не приходят.");
    expect(boundChatIds()).toEqual([]);
    expect(await executor().press("Размещено", workChat())).toBe(
      "Чат отвязан: карточки органа «Минздрав» теперь приходят его исполнителям лично, в чат с ботом.",
    );
    expect(h.lastText(-100)).toBe("Чат отвязан: карточки сюда больше не приходят.");
  });

  it("a work chat bound to another organization: the first one's cards lose their buttons; a press there names where they are now", async () => {
    await admin().send("/org_add");
    await admin().send("Министерство транспорта");
    await admin().send("Минтранс");
    const { id, kept } = await approvedCardInWorkChat();
    await admin().send("/bind", workChat());
    await admin().press(/Минтранс/, workChat());
    await admin().press("Да, привязать", workChat());
    expect(buttonsOf(-100, kept.message.message_id)).toEqual([]);
    expect(await pressKept(kept)).toBe(
      "Этот чат теперь рабочий чат органа «Минтранс»: карточки органа «Минздрав» теперь приходят " +
        "его исполнителям лично, в чат с ботом.",
    );
    expect(loadIncident(h.db, id)?.row.state).toBe("approved");
  });

  it("the bot removed from the curators' chat: «Направить» on a card left there routes nothing", async () => {
    const curators = h.group(-200, "Кураторы");
    await admin().send("/bind", curators);
    await admin().press("Чат кураторов", curators);
    const curator = h.seedPerson(OFFICE.curator, "Ольга", ["curator"]);
    const id = seedRegistered(h);
    await showCards(h, id);
    const kept = h.fake.findButton(-200, "Направить");
    await h.deliver(updates.myChatMember(curators, admin().tg, "member", "kicked", h.fake.botUser));
    expect(await pressKept(kept, curator)).toBe(
      "Чат отвязан: карточки кураторов теперь приходят каждому куратору лично, в чат с ботом.",
    );
    expect(loadIncident(h.db, id)?.row.state).toBe("registered");
  });
});

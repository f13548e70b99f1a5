import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { unbindChat } from "../../src/app/chats.js";
import {
  acceptIncident,
  closeAsToxic,
  returnIncident,
  routeIncident,
  sendPart,
} from "../../src/app/incidents.js";
import { findPerson } from "../../src/app/people.js";
import { auditEvents, organizations } from "../../src/db/schema.js";
import { Harness } from "../support/bot-harness.js";
import { updates } from "../support/updates.js";
import { OFFICE, seedIncidentInWork, seedOffice, seedRegistered, showCards } from "../support/workflow.js";

const ADMIN = 1001;
let h: Harness;

beforeEach(async () => {
  h = await Harness.start({ adminIds: [ADMIN] });
});
afterEach(() => h.close());

const admin = () => h.user(ADMIN, "Анна");

describe("organizations", () => {
  it("a post forwarded, or a link pasted, where a name is asked is not taken as the name: the question ends, nothing renamed", async () => {
    await admin().send("/org_add");
    await admin().send("Министерство культуры");
    await admin().press("Пропустить");
    await admin().send("/orgs");
    await admin().press("Министерство культуры");
    await admin().press("Переименовать");
    await h.deliver(
      updates.forwarded(admin().chat, admin().tg, "Мусор не вывозят неделю", {
        type: "hidden_user",
        sender_user_name: "Мария К.",
      }),
    );
    expect(admin().texts()).toContain(
      "Вопрос о названии закрыт: пересланное сообщение, ссылка или файл — не название. Ничего не изменено.",
    );
    await admin().send("/org_add");
    await admin().send("https://vk.com/wall-1_555");
    expect(admin().texts().at(-2)).toBe(
      "Вопрос о названии закрыт: пересланное сообщение, ссылка или файл — не название. Ничего не изменено.",
    );
    expect(
      h.db
        .select()
        .from(organizations)
        .all()
        .map((o) => o.name),
    ).toEqual(["Министерство культуры"]);
  });

  it("long official names alike in their beginning keep on their buttons what tells them apart", async () => {
    const school = (n: number) =>
      `Муниципальное бюджетное общеобразовательное учреждение «Средняя общеобразовательная школа № ${n}» г. Георгиевска`;
    h.seedOrganization(school(1));
    h.seedOrganization(school(2));
    await admin().send("/orgs");
    const shown = h.fake.lastMessage(ADMIN)?.message_id;
    const labels = h.fake
      .buttons(ADMIN)
      .filter((b) => b.message.message_id === shown && b.label.startsWith("Муниципальное"))
      .map((b) => b.label);
    expect(labels).toHaveLength(2);
    expect(labels[0]).not.toBe(labels[1]);
    expect(labels.every((label) => [...label].length <= 48 && label.includes("…"))).toBe(true);
    expect(labels.map((label) => label.slice(label.indexOf("…")))).toEqual([
      "…№ 1» г. Георгиевска",
      "…№ 2» г. Георгиевска",
    ]);
  });

  it("an admin adds one in a short dialogue, and a taken name is asked again", async () => {
    await admin().send("/org_add");
    expect(admin().lastText()).toMatch(/Пришлите полное название органа/);
    await admin().send("Министерство здравоохранения");
    await admin().send("Минздрав");
    expect(admin().lastText()).toBe(
      "Орган «Министерство здравоохранения» добавлен. Пригласить исполнителя — /invite.",
    );

    await admin().send("/org_add");
    await admin().send("министерство ЗДРАВООХРАНЕНИЯ");
    expect(admin().lastText()).toMatch(/Орган с таким названием уже есть/);
    await admin().send("Х");
    expect(admin().lastText()).toMatch(/от 2 до 200 символов/);
    await admin().send("/cancel");
    expect(admin().lastText()).toBe("Отменено.");
    expect(h.db.select().from(organizations).all()).toHaveLength(1);
  });

  it("a name pasted with line breaks is kept on one line, as the buttons, lists and cards show it", async () => {
    await admin().send("/org_add");
    await admin().send("Министерство социального развития\n  Оренбургской области");
    await admin().send("Минсоц\n");
    expect(admin().lastText()).toBe(
      "Орган «Министерство социального развития Оренбургской области» добавлен. Пригласить исполнителя — /invite.",
    );
    expect(
      h.db.select({ name: organizations.name, shortName: organizations.shortName }).from(organizations).all(),
    ).toEqual([{ name: "Министерство социального развития Оренбургской области", shortName: "Минсоц" }]);
  });

  it("an imported name with line breaks (Excel's Alt+Enter) or doubled spaces is stored on one line, as /org_add stores it", async () => {
    h.seedOrganization("Министерство культуры");
    const csv =
      "Название;Краткое название\n" +
      '"Муниципальное бюджетное учреждение\nСОШ № 1";"СОШ\n№ 1"\n' +
      "Министерство  культуры ;Минкульт\n" +
      "Муниципальное бюджетное  учреждение СОШ № 1;;\n";
    await admin().upload(csv, "orgs.csv");
    expect(admin().lastText()).toBe(
      [
        "Загрузка «orgs.csv»:",
        "Создано: 1 — Муниципальное бюджетное учреждение СОШ № 1",
        "Обновлено: 1 — Министерство культуры (краткое название)",
        "Без изменений: 0",
        "Отклонено: 1",
        "• строка 6 («Муниципальное бюджетное учреждение СОШ № 1»): название повторяется в файле",
      ].join("\n"),
    );
    expect(
      h.db.select({ name: organizations.name, shortName: organizations.shortName }).from(organizations).all(),
    ).toEqual([
      { name: "Министерство культуры", shortName: "Минкульт" },
      { name: "Муниципальное бюджетное учреждение СОШ № 1", shortName: "СОШ № 1" },
    ]);
  });

  it("a name typed after /org_add is taken as the full name; a taken one is refused and asked for", async () => {
    await admin().send("/org_add Министерство культуры");
    expect(admin().lastText()).toMatch(/Пришлите краткое название/);
    await admin().press("Пропустить");
    expect(admin().lastText()).toBe(
      "Орган «Министерство культуры» добавлен. Пригласить исполнителя — /invite.",
    );

    await admin().send("/org_add министерство КУЛЬТУРЫ");
    const texts = admin().texts();
    expect(texts.at(-2)).toMatch(/Орган с таким названием уже есть/);
    expect(texts.at(-1)).toMatch(/Пришлите полное название органа/);
    await admin().send("Министерство спорта");
    await admin().press("Пропустить");
    expect(h.db.select({ name: organizations.name }).from(organizations).all()).toEqual([
      { name: "Министерство культуры" },
      { name: "Министерство спорта" },
    ]);
  });

  it("a command in the middle of a dialogue leaves it and is handled", async () => {
    await admin().send("/org_add");
    await admin().send("/help");
    expect(admin().lastText()).toMatch(/Ваша роль: администратор/);
    await admin().send("Министерство культуры");
    expect(admin().lastText()).toBe(
      "Бот не передаёт сообщения сотрудникам: напишите куратору напрямую. Что умеет бот — /help.",
    );
  });

  it("buttons of other messages work while a dialogue waits for a name, and the name is still taken", async () => {
    await admin().send("/org_add");
    await admin().send("Министерство культуры");
    await admin().press("Пропустить");
    await admin().send("/orgs");
    await admin().send("/org_add");
    await admin().press("Министерство культуры");
    const toast = await admin().press("Отключить");
    expect(toast).toMatch(/^Орган «Министерство культуры» отключён/);
    await admin().send("Министерство спорта");
    await admin().press("Пропустить");
    const names = h.db.select({ name: organizations.name }).from(organizations).all();
    expect(names.map((o) => o.name).sort()).toEqual(["Министерство культуры", "Министерство спорта"]);
  });

  it("an admin renames, deactivates and re-activates from the list", async () => {
    await admin().send("/org_add");
    await admin().send("Министерство культуры");
    await admin().press("Пропустить");
    await admin().send("/orgs");
    await admin().press("Министерство культуры");
    expect(admin().lastText()).toMatch(
      /^«Министерство культуры»\nДействует\nРабочий чат не привязан\nИсполнителей: 0$/,
    );
    await admin().press("Переименовать");
    await admin().send("Министерство культуры и туризма");
    expect(admin().lastText()).toBe("Готово: орган теперь называется «Министерство культуры и туризма».");

    await admin().send("/orgs");
    await admin().press("Министерство культуры и туризма");
    const toast = await admin().press("Отключить");
    expect(toast).toBe(
      "Орган «Министерство культуры и туризма» отключён: новые сообщения ему не направляются.",
    );
    expect(admin().lastText()).toMatch(/Отключён/);
    await admin().press("Включить");
    expect(admin().lastText()).toMatch(/Действует/);
  });

  it("an admin gives a short name, is refused one another organization bears, and removes it", async () => {
    h.seedOrganization("Министерство здравоохранения", "Минздрав");
    await admin().send("/org_add");
    await admin().send("Министерство культуры");
    await admin().press("Пропустить");
    await admin().send("/orgs");
    await admin().press("Министерство культуры");
    await admin().press("Краткое название");
    expect(admin().lastText()).toBe(
      "Пришлите краткое название для органа «Министерство культуры» (например: «Минздрав»): его показывают кнопки и карточки. Отмена — /cancel.",
    );
    await admin().send("минздрав");
    expect(admin().lastText()).toBe(
      "Это название уже носит другой орган, и на кнопках их не различить. Пришлите другое или /cancel.",
    );
    await admin().send("Минкульт");
    expect(admin().lastText()).toBe("Готово: краткое название органа «Министерство культуры» — «Минкульт».");
    await admin().send("/orgs");
    await admin().press("Минкульт — Министерство культуры");
    expect(admin().lastText()).toMatch(/^«Министерство культуры» \(Минкульт\)\n/);
    await admin().press("Краткое название");
    expect(admin().lastText()).toMatch(/Сейчас — «Минкульт»; убрать его можно кнопкой ниже\./);
    await admin().press("Убрать краткое название");
    expect(admin().lastText()).toBe(
      "Готово: у органа «Министерство культуры» больше нет краткого названия, кнопки и карточки показывают полное.",
    );
    const culture = h.db
      .select()
      .from(organizations)
      .all()
      .find((o) => o.name === "Министерство культуры");
    expect(culture?.shortName).toBeNull();
    const changes = h.db
      .select()
      .from(auditEvents)
      .all()
      .filter((e) => e.action === "shortNameSet")
      .map((e) => e.details);
    expect(changes).toEqual([
      expect.objectContaining({ from: null, to: "Минкульт" }),
      expect.objectContaining({ from: "Минкульт", to: null }),
    ]);
  });

  it("a «Убрать краткое название» or «Пропустить» left under an earlier question removes and skips nothing now", async () => {
    h.seedOrganization("Министерство здравоохранения", "Минздрав");
    h.seedOrganization("Министерство культуры", "Минкульт");
    const shortNames = () => h.db.select({ short: organizations.shortName }).from(organizations).all();
    const pressUnder = async (button: ReturnType<typeof h.fake.findButton>) => {
      const update = await h.deliver(updates.callback(admin().tg, button.message, button.callbackData));
      return h.fake.callbackAnswer(update.callback_query?.id ?? "")?.text;
    };

    await admin().send("/org_add");
    await admin().send("Министерство спорта");
    const skipOfAdding = h.fake.findButton(ADMIN, "Пропустить");
    await admin().send("/orgs");
    await admin().press(/Министерство здравоохранения/);
    await admin().press("Краткое название");
    const removeHealths = h.fake.findButton(ADMIN, "Убрать краткое название");
    await admin().send("/orgs");
    await admin().press(/Министерство культуры/);
    await admin().press("Краткое название");
    expect(admin().lastText()).toMatch(/органа «Министерство культуры»/);

    expect(await pressUnder(removeHealths)).toBe("Эта кнопка относится к прошлому вопросу.");
    expect(await pressUnder(skipOfAdding)).toBe("Эта кнопка относится к прошлому вопросу.");
    expect(shortNames()).toEqual([{ short: "Минздрав" }, { short: "Минкульт" }]);
    expect(h.db.select().from(organizations).all()).toHaveLength(2);

    await admin().press("Убрать краткое название");
    expect(admin().lastText()).toMatch(/у органа «Министерство культуры» больше нет краткого названия/);
    expect(shortNames()).toEqual([{ short: "Минздрав" }, { short: null }]);
  });

  it("renamed, or given a new short name, an organization is named so on its open posts' cards at once", async () => {
    const { health } = seedOffice(h);
    const id = await seedIncidentInWork(h, health);
    const card = () =>
      h.fake.messages(OFFICE.curatorsChat).find((m) => m.text?.startsWith(`Сообщение № ${id} · `))?.text;
    expect(card()).toContain("Исполнитель: Министерство здравоохранения\n");
    await admin().send("/orgs");
    await admin().press(/Министерство здравоохранения/);
    await admin().press("Переименовать");
    await admin().send("Министерство здравоохранения края");
    expect(card()).toContain("Исполнитель: Министерство здравоохранения края\n");
  });

  it("after a rename the admin is asked whether to change the short name too: «Изменить» asks it, «Оставить» keeps it", async () => {
    const education = h.seedOrganization("Министерство образования", "Минобр");
    await admin().send("/orgs");
    await admin().press(/Министерство образования/);
    await admin().press("Переименовать");
    await admin().send("Министерство просвещения");
    expect(admin().texts().slice(-2)).toEqual([
      "Готово: орган теперь называется «Министерство просвещения».",
      "Краткое название сейчас «Минобр» — изменить?",
    ]);
    await admin().press("Изменить");
    expect(admin().lastText()).toMatch(/^Пришлите краткое название для органа «Министерство просвещения»/);
    await admin().send("Минпрос");
    expect(admin().lastText()).toBe(
      "Готово: краткое название органа «Министерство просвещения» — «Минпрос».",
    );

    await admin().send("/orgs");
    await admin().press(/Министерство просвещения/);
    await admin().press("Переименовать");
    await admin().send("Министерство просвещения края");
    await admin().press("Оставить");
    expect(admin().lastText()).toBe("Краткое название осталось прежним: «Минпрос».");
    const row = h.db.select().from(organizations).where(eq(organizations.id, education)).get();
    expect([row?.name, row?.shortName]).toEqual(["Министерство просвещения края", "Минпрос"]);
  });

  it("renamed after losing the post's holder and returning the post, an organization is named on its card and in «История» as it was called then", async () => {
    const { health } = seedOffice(h);
    const education = h.seedOrganization("Министерство образования", "Минобр");
    const id = seedRegistered(h);
    h.seedPerson(3002, "Мария", [], [education]);
    h.seedPerson(3003, "Пётр", [], [education]);
    const olga = findPerson(h.db, OFFICE.curator);
    const maria = findPerson(h.db, 3002);
    const petr = findPerson(h.db, 3003);
    if (!olga || !maria || !petr) throw new Error("not seeded");
    const now = h.clock.now();
    routeIncident(h.db, { incidentId: id, leadId: education, coexecutorIds: [], actor: olga, now });
    acceptIncident(h.db, { incidentId: id, actor: maria, now });
    // Мария, who held it, leaves the organization; her colleague returns the post.
    await admin().send("/people");
    await admin().press(/Мария/);
    await admin().press("Исключить из: Минобр");
    await admin().press("Да, исключить");
    returnIncident(h.db, { incidentId: id, actor: petr, now, reason: "Не наш вопрос" });
    routeIncident(h.db, { incidentId: id, leadId: health, coexecutorIds: [], actor: olga, now });
    await admin().send("/orgs");
    await admin().press(/Министерство образования/);
    await admin().press("Переименовать");
    await admin().send("Министерство просвещения");
    await admin().press("Оставить");
    await showCards(h, id);

    const card = h.fake.messages(OFFICE.curatorsChat).find((m) => m.text?.startsWith(`Сообщение № ${id} · `));
    expect(card?.text).toContain("\nВозвращено (Министерство образования): Не наш вопрос");
    await h.user(OFFICE.curator, "Ольга").press("История", h.group(OFFICE.curatorsChat, "Кураторы"));
    const history = h.lastText(OFFICE.curator);
    expect(history).toMatch(
      /— Ольга — направлено: Министерство образования \(ждёт направления → направлено\)\n/,
    );
    expect(history).toMatch(
      /— Анна — ответственный исключён из органа «Министерство образования»: сообщение ждёт другого исполнителя\n/,
    );
  });

  it("switching off an organization with open incidents tells the admin which, and the curators which to route anew", async () => {
    const { health } = seedOffice(h);
    const education = h.seedOrganization("Министерство образования", "Минобр");
    const inWork = await seedIncidentInWork(h, health);
    const asCoexecutor = seedRegistered(h, { link: "https://vk.com/wall-1_2" });
    const curator = findPerson(h.db, OFFICE.curator);
    if (!curator) throw new Error("no curator");
    const now = h.clock.now();
    routeIncident(h.db, {
      incidentId: asCoexecutor,
      leadId: education,
      coexecutorIds: [health],
      actor: curator,
      now,
    });
    const partGiven = seedRegistered(h, { link: "https://vk.com/wall-1_4" });
    routeIncident(h.db, {
      incidentId: partGiven,
      leadId: education,
      coexecutorIds: [health],
      actor: curator,
      now,
    });
    const executor = findPerson(h.db, OFFICE.executor);
    if (!executor) throw new Error("no executor");
    acceptIncident(h.db, { incidentId: partGiven, actor: executor, now, organizationId: health });
    sendPart(h.db, { incidentId: partGiven, actor: executor, now, text: "Врач принимает по вторникам." });
    const closed = seedRegistered(h, { link: "https://vk.com/wall-1_3" });
    routeIncident(h.db, { incidentId: closed, leadId: health, coexecutorIds: [], actor: curator, now });
    expect(closeAsToxic(h.db, { incidentId: closed, actor: curator, now, threat: false }).ok).toBe(true);

    await admin().send("/orgs");
    await admin().press(/Министерство здравоохранения/);
    expect(await admin().press("Отключить")).toBe(
      "Орган «Минздрав» отключён: новые сообщения ему не направляются.",
    );
    expect(admin().lastText()).toBe(
      `У органа «Министерство здравоохранения» остались открытые сообщения (2): № ${inWork}, № ${asCoexecutor}. ` +
        "Они по-прежнему направлены ему. Кураторы получили список, чтобы направить их заново.",
    );
    expect(h.lastText(OFFICE.curatorsChat)).toBe(
      "Орган «Министерство здравоохранения» отключён администратором, но ему ещё направлены открытые сообщения (2):\n" +
        `№ ${inWork} — основной исполнитель, в работе\n` +
        `№ ${asCoexecutor} — соисполнитель, направлено\n\n` +
        "Проверьте их и, где нужно, направьте другому органу кнопкой «Переназначить» на карточке. " +
        "Карточку откроет кнопка с номером.",
    );

    // One tap on the number brings the card, with «Переназначить», to the bottom of the curators' chat.
    const curators = h.group(OFFICE.curatorsChat, "Кураторы");
    await h.user(OFFICE.curator, "Ольга").press(`№ ${inWork}`, curators);
    expect(h.lastText(OFFICE.curatorsChat)).toMatch(new RegExp(`^Сообщение № ${inWork} · `));
    expect(h.fake.findButton(OFFICE.curatorsChat, "Переназначить").callbackData).toBe(`inc.route:${inWork}`);

    // Switched on and off again: told again; a second press on «Отключить» tells nobody twice.
    const told = () => h.texts(OFFICE.curatorsChat).filter((text) => text.startsWith("Орган «")).length;
    await admin().press("Включить");
    await admin().press("Отключить");
    expect(told()).toBe(2);
    const stale = h.fake.findButton(ADMIN, "Включить");
    await h.deliver(
      updates.callback(admin().tg, stale.message, stale.callbackData.replace("org.on", "org.off")),
    );
    expect(told()).toBe(2);
  });

  it("switched off without a curators' chat: a curator known to block the bot is not sent the list; the other is, and the admin hears they were told", async () => {
    const { health } = seedOffice(h);
    const inWork = await seedIncidentInWork(h, health);
    unbindChat(h.db, { chatId: OFFICE.curatorsChat, actorId: null, reason: "admin", now: h.clock.now() });
    const svetlana = h.user(OFFICE.curator2, "Светлана");
    h.fake.setChatMember(OFFICE.curator2, h.bot.botInfo.id, "kicked");
    await h.deliver(updates.myChatMember(svetlana.chat, svetlana.tg, "member", "kicked", h.fake.botUser));
    const tried = h.fake.calls.filter((call) => call.params.chat_id === OFFICE.curator2).length;

    await admin().send("/orgs");
    await admin().press(/Министерство здравоохранения/);
    await admin().press("Отключить");
    expect(h.lastText(OFFICE.curator)).toMatch(
      /^Орган «Министерство здравоохранения» отключён администратором/,
    );
    expect(h.fake.calls.filter((call) => call.params.chat_id === OFFICE.curator2)).toHaveLength(tried);
    expect(admin().lastText()).toBe(
      `У органа «Министерство здравоохранения» остались открытые сообщения (1): № ${inWork}. ` +
        "Они по-прежнему направлены ему. Кураторы получили список, чтобы направить их заново.",
    );
  });

  it("an admin whose role is taken away in the middle of a dialogue adds or renames nothing", async () => {
    const boris = h.seedPerson(1002, "Борис", ["admin"]);
    const culture = h.seedOrganization("Министерство культуры");
    const demoteBoris = async () => {
      await admin().send("/people");
      await admin().press(/Борис/);
      await admin().press("Снять роль: администратор");
      await admin().press("Да, снять роль");
    };
    await boris.send("/org_add");
    await boris.send("Министерство спорта");
    await boris.send("/orgs");
    await boris.press("Министерство культуры");
    await boris.press("Переименовать");
    await demoteBoris();
    await boris.send("Министерство культуры и туризма");
    // A stranger to the bot now: told how to get access, the dialogue over.
    expect(boris.lastText()).toMatch(/Доступ выдаёт администратор: попросите у него ссылку-приглашение/);

    h.seedPerson(1002, "Борис", ["admin"]);
    await boris.send("/org_add");
    await boris.send("Министерство спорта");
    await demoteBoris();
    expect(await boris.press("Пропустить")).toBe(
      "У вас нет доступа к боту. Доступ выдаёт администратор по ссылке-приглашению.",
    );
    expect(h.db.select().from(organizations).all()).toEqual([
      expect.objectContaining({ id: culture, name: "Министерство культуры" }),
    ]);
  });

  it("pages through a long list", async () => {
    const rows = Array.from({ length: 12 }, (_, i) => `Орган ${String(i + 1).padStart(2, "0")}`);
    await admin().upload(["name", ...rows].join("\n"), "orgs.csv");
    await admin().send("/orgs");
    expect(admin().lastText()).toBe("Органы и организации (стр. 1 из 2):");
    await admin().press("▶");
    expect(admin().lastText()).toBe("Органы и организации (стр. 2 из 2):");
    await admin().press("Орган 12");
    expect(admin().lastText()).toMatch(/^«Орган 12»/);
    await admin().press("К списку");
    expect(admin().lastText()).toBe("Органы и организации (стр. 2 из 2):");
  });

  it("imports a file with a per-row report; bad rows are rejected with the reason", async () => {
    await admin().send("/org_add");
    await admin().send("Министерство образования");
    await admin().send("Минобр");
    const csv = [
      "Название;Краткое название;Родитель;Контакт",
      "Министерство образования;МО;;+7 3532 00-00-00",
      "Школа № 5;;Министерство образования;",
      ";;;",
      "Школа № 7;;Министерство спорта;",
      "Школа № 5;;;",
    ].join("\n");
    await admin().upload(csv, "список.csv");
    expect(admin().lastText()).toBe(
      [
        "Загрузка «список.csv»:",
        "Создано: 1 — Школа № 5",
        "Обновлено: 1 — Министерство образования (краткое название, контакт)",
        "Без изменений: 0",
        "Отклонено: 2",
        "• строка 5 («Школа № 7»): вышестоящий орган не найден ни в файле, ни в справочнике",
        "• строка 6 («Школа № 5»): название повторяется в файле",
      ].join("\n"),
    );
    const school = () =>
      h.db
        .select()
        .from(organizations)
        .all()
        .find((o) => o.name === "Школа № 5");
    expect(school()?.parentId).toBe(1);

    // Only the parent changes: that is an update too, named and audited.
    const moved = [
      "Название;Краткое название;Родитель;Контакт",
      "Министерство спорта;;;",
      "Министерство образования;МО;;+7 3532 00-00-00",
      "Школа № 5;;Министерство спорта;",
    ].join("\n");
    await admin().upload(moved, "перенос.csv");
    expect(admin().lastText()).toBe(
      [
        "Загрузка «перенос.csv»:",
        "Создано: 1 — Министерство спорта",
        "Обновлено: 1 — Школа № 5 (вышестоящий орган)",
        "Без изменений: 1",
        "Отклонено: 0",
      ].join("\n"),
    );
    expect(school()?.parentId).not.toBe(1);
    const audited = h.db
      .select()
      .from(auditEvents)
      .all()
      .filter((e) => e.action === "updated_by_import")
      .map((e) => e.details?.fields);
    expect(audited).toEqual([["shortName", "contact"], ["parent"]]);
  });

  it("a list of names alone keeps the short names and contacts; a new short name in the file is taken", async () => {
    const health = h.seedOrganization("Министерство здравоохранения", "Минздрав");
    h.db.update(organizations).set({ contact: "+7 000" }).where(eq(organizations.id, health)).run();
    await admin().upload("Название\nМинистерство здравоохранения", "имена.csv");
    expect(admin().lastText()).toMatch(/Без изменений: 1/);
    const row = () => h.db.select().from(organizations).where(eq(organizations.id, health)).get();
    expect(row()).toMatchObject({ shortName: "Минздрав", contact: "+7 000" });

    await admin().upload("Название;Краткое название\nМинистерство здравоохранения;МЗ", "краткие.csv");
    expect(admin().lastText()).toMatch(/Обновлено: 1 — Министерство здравоохранения \(краткое название\)/);
    expect(row()).toMatchObject({ shortName: "МЗ", contact: "+7 000" });
  });

  it("an executor's file outside a dialogue gets the hint for his role, not a refusal", async () => {
    const health = h.seedOrganization("Министерство здравоохранения", "Минздрав");
    const ivan = h.seedPerson(3001, "Иван", [], [health]);
    await ivan.upload("name\nОрган", "orgs.csv");
    expect(ivan.lastText()).toMatch(/^Не удалось разобрать\. С сообщениями работают кнопками на карточках/);
  });

  it("a malformed file changes nothing and says what is expected", async () => {
    await admin().upload('[{"name": "Орган А"}, oops', "orgs.json", "application/json");
    expect(admin().lastText()).toMatch(/^Файл не загружен, ничего не изменено: это не JSON\./);
    await admin().upload("title;phone\nОрган;1", "orgs.csv");
    expect(admin().lastText()).toMatch(/нет столбца «название»/);
    await admin().upload("name\nА", "orgs.xlsx", "application/vnd.ms-excel");
    expect(admin().lastText()).toBe(
      "Загрузить можно только файл .csv или .json: список органов или производственный календарь (/calendar).",
    );
    expect(h.db.select().from(organizations).all()).toHaveLength(0);
  });

  it("someone who is not an admin cannot import", async () => {
    const stranger = h.user(2002, "Пётр");
    await stranger.upload("name\nОрган", "orgs.csv");
    // As any message from a stranger: how to get access.
    expect(stranger.lastText()).toMatch(/^Здравствуйте! Это служебный бот.*\n\nДоступ выдаёт администратор/s);
    expect(h.db.select().from(organizations).all()).toHaveLength(0);
  });

  it("a short name another organization bears is asked again; buttons would not tell them apart", async () => {
    h.seedOrganization("Министерство здравоохранения", "Минздрав");
    await admin().send("/org_add");
    await admin().send("Министерство здравоохранения и спорта");
    await admin().send("МИНЗДРАВ");
    expect(admin().lastText()).toBe(
      "Это название уже носит другой орган, и на кнопках их не различить. Пришлите другое краткое название, " +
        "нажмите «Пропустить» или /cancel.",
    );
    await admin().send("Министерство здравоохранения");
    expect(admin().lastText()).toMatch(/^Это название уже носит другой орган/);
    await admin().send("Минздравспорт");
    expect(admin().lastText()).toBe(
      "Орган «Министерство здравоохранения и спорта» добавлен. Пригласить исполнителя — /invite.",
    );
    expect(
      h.db
        .select()
        .from(organizations)
        .all()
        .map((o) => o.shortName),
    ).toEqual(["Минздрав", "Минздравспорт"]);
  });

  it("an import refuses a row whose short name another organization or row bears", async () => {
    h.seedOrganization("Министерство здравоохранения", "Минздрав");
    const json = [
      { name: "Министерство транспорта", short_name: "Минтранс" },
      { name: "Министерство транспорта и дорог", short_name: "минтранс" },
      { name: "Министерство здоровья", short_name: "Минздрав" },
    ];
    await admin().upload(JSON.stringify(json), "orgs.json", "application/json");
    expect(admin().lastText()).toBe(
      [
        "Загрузка «orgs.json»:",
        "Создано: 1 — Министерство транспорта",
        "Обновлено: 0",
        "Без изменений: 0",
        "Отклонено: 2",
        "• строка 2 («Министерство транспорта и дорог»): краткое название совпадает с названием другой строки файла",
        "• строка 3 («Министерство здоровья»): краткое название уже носит другой орган — на кнопках их не различить",
      ].join("\n"),
    );
    expect(h.db.select().from(organizations).all()).toHaveLength(2);
  });

  it("reads a CSV that Excel saved in Windows-1251", async () => {
    const csv = "Название;Краткое название\r\nМинистерство здравоохранения;Минздрав\r\nОтдел учёта;\r\n";
    const file = h.fake.addFile(windows1251(csv), "orgs.csv");
    await h.deliver(updates.document(admin().chat, admin().tg, file, "orgs.csv", "text/csv"));
    expect(admin().lastText()).toBe(
      [
        "Загрузка «orgs.csv»:",
        "Создано: 2 — Министерство здравоохранения, Отдел учёта",
        "Обновлено: 0",
        "Без изменений: 0",
        "Отклонено: 0",
      ].join("\n"),
    );
  });
});

/** Cyrillic and ASCII as Windows-1251 bytes (А–я are 0xC0–0xFF there, Ё 0xA8, ё 0xB8). */
function windows1251(text: string): Buffer {
  return Buffer.from(
    [...text].map((ch) => {
      const code = ch.charCodeAt(0);
      if (code < 0x80) return code;
      if (code >= 0x410 && code <= 0x44f) return code - 0x410 + 0xc0;
      if (ch === "Ё") return 0xa8;
      if (ch === "ё") return 0xb8;
      throw new Error(`no Windows-1251 byte for ${ch}`);
    }),
  );
}

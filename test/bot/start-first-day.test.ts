/**
 * A new office's first day: posts that come before there is a curator, the curator and executors
 * who join later, and the admin's /start checklist of what the office still lacks.
 */
import { afterEach, describe, expect, it } from "vitest";
import { Harness } from "../support/bot-harness.js";
import { type IntakeServer, serveIntake } from "../support/intake-server.js";
import {
  OFFICE,
  routeTo,
  seedDraft,
  seedIncidentInWork,
  seedOffice,
  seedRegistered,
} from "../support/workflow.js";

const ADMIN = 1001;
/** Tuesday 10:00 in Yekaterinburg (Orenburg's preset). */
const NOW = "2026-11-24T05:00:00Z";
let h: Harness;
let intake: IntakeServer | undefined;

afterEach(async () => {
  await intake?.close();
  intake = undefined;
  await h.close();
});

const admin = () => h.user(ADMIN, "Анна");

/** The buttons under each of the bot's messages in the chat, oldest first, by their text's start. */
const cardsIn = (chatId: number) =>
  h.fake
    .messages(chatId)
    .filter((m) => m.text?.startsWith("Сообщение № "))
    .map((m) => ({
      head: m.text?.split(" · ")[0],
      buttons: h.fake
        .buttons(chatId)
        .filter((b) => b.message.message_id === m.message_id)
        .map((b) => b.label),
    }));

async function inviteLink(role: string, organization?: string): Promise<string> {
  await admin().send("/invite");
  await admin().press(role);
  if (organization) await admin().press(new RegExp(organization));
  const link = admin()
    .lastText()
    .match(/https:\/\/t\.me\/\S+\?start=([\w-]+)/);
  if (!link?.[1]) throw new Error(`no invite link in: ${admin().lastText()}`);
  return link[1];
}

const noCurators = (id: number) =>
  `Сообщение № ${id} зарегистрировано, но кураторов нет — его некому направить. Пригласите куратора: /invite`;

describe("a post that comes before there is a curator", () => {
  it("is told to the admins once for a stream of posts, also after a restart of the intake", async () => {
    h = await Harness.start({ adminIds: [ADMIN], now: NOW });
    h.seedOrganization("Министерство здравоохранения", "Минздрав");
    intake = await serveIntake(h);
    for (const n of [1, 2, 3])
      expect((await intake.post({ link: `https://vk.com/wall-1_${n}` })).status).toBe(201);
    expect(h.texts(ADMIN)).toEqual([noCurators(1)]);

    await intake.close();
    intake = await serveIntake(h);
    await intake.post({ link: "https://vk.com/wall-1_4" });
    expect(h.texts(ADMIN)).toEqual([noCurators(1)]);
  });

  it("a curator who joins later gets the waiting posts' cards to route; the next post reaches him", async () => {
    h = await Harness.start({ adminIds: [ADMIN], now: NOW });
    intake = await serveIntake(h);
    await intake.post({ link: "https://vk.com/wall-1_1" });
    await intake.post({ link: "https://vk.com/wall-1_2" });
    const token = await inviteLink("Куратор");
    const olga = h.user(2001, "Ольга");
    await olga.send(`/start ${token}`);
    expect(olga.texts()[0]).toMatch(/^Готово! Вы зарегистрированы как куратор/);
    expect(olga.texts()[1]).toBe(
      "Сообщения уже ждут кураторов: направить исполнителям — 2. Карточки — ниже.",
    );
    expect(cardsIn(olga.id)).toEqual([
      { head: "Сообщение № 1", buttons: expect.arrayContaining(["Направить"]) },
      { head: "Сообщение № 2", buttons: expect.arrayContaining(["Направить"]) },
    ]);
    await intake.post({ link: "https://vk.com/wall-1_3" });
    expect(cardsIn(olga.id).map((card) => card.head)).toEqual([
      "Сообщение № 1",
      "Сообщение № 2",
      "Сообщение № 3",
    ]);
    expect(h.texts(ADMIN).filter((text) => text.includes("кураторов нет"))).toEqual([noCurators(1)]);
  });
});

describe("a curator who joins later", () => {
  it("without a curators' chat, gets the cards of the posts to route and of the drafts to decide on", async () => {
    h = await Harness.start({ adminIds: [ADMIN], now: NOW });
    const health = h.seedOrganization("Министерство здравоохранения", "Минздрав");
    h.seedChat(h.group(OFFICE.healthChat, "Минздрав: обращения"), health);
    h.seedPerson(OFFICE.curator, "Ольга", ["curator"]);
    h.seedPerson(OFFICE.executor, "Иван", [], [health]);
    const drafted = await seedIncidentInWork(h, health, { link: "https://vk.com/wall-1_1" });
    await seedDraft(h, drafted);
    const waiting = seedRegistered(h, { link: "https://vk.com/wall-1_2" });

    const token = await inviteLink("Куратор");
    const sveta = h.user(2002, "Светлана");
    await sveta.send(`/start ${token}`);
    expect(sveta.texts()[1]).toBe(
      "Сообщения уже ждут кураторов: направить исполнителям — 1, решить по проекту ответа — 1. Карточки — ниже.",
    );
    expect(cardsIn(sveta.id)).toEqual([
      { head: `Сообщение № ${drafted}`, buttons: expect.arrayContaining(["Согласовать", "На доработку"]) },
      { head: `Сообщение № ${waiting}`, buttons: expect.arrayContaining(["Направить"]) },
    ]);
  });

  it("with a curators' chat, is pointed there", async () => {
    h = await Harness.start({ adminIds: [ADMIN], now: NOW });
    seedOffice(h);
    seedRegistered(h);
    const token = await inviteLink("Куратор");
    const nina = h.user(2003, "Нина");
    await nina.send(`/start ${token}`);
    expect(nina.texts()).toHaveLength(2);
    expect(nina.lastText()).toBe(
      "Сообщения уже ждут кураторов: направить исполнителям — 1. " +
        "Карточки — в чате кураторов «Кураторы»; если вас там нет, попросите администратора добавить вас.",
    );
  });
});

describe("an organization's first executor", () => {
  it("joining after posts were routed to it with nobody to get them: the curators hear it", async () => {
    h = await Harness.start({ adminIds: [ADMIN], now: NOW });
    seedOffice(h);
    const education = h.seedOrganization("Министерство образования", "Минобр");
    const id = seedRegistered(h);
    routeTo(h, id, education);
    const token = await inviteLink("Исполнитель", "Минобр");
    await h.user(3005, "Нина").send(`/start ${token}`);
    expect(h.lastText(OFFICE.curatorsChat)).toBe(
      "В органе «Министерство образования» появился исполнитель: Нина. " +
        `Сообщение органа, которое некому было получить, теперь есть кому взять в работу: № ${id}.`,
    );
  });
});

describe("an admin's /start in a new office", () => {
  const checklist = async () => {
    await admin().send("/start");
    const text = admin().lastText();
    return text.includes("Чтобы начать работу:") ? text.slice(text.indexOf("Чтобы начать работу:")) : "";
  };
  const preset =
    "Регламент: Указ Губернатора Оренбургской области от 31.03.2020 № 156-ук, " +
    "часовой пояс Asia/Yekaterinburg, рабочее время 09:00–18:00.";

  it("lists each thing the office still lacks until it is done, with the preset in force", async () => {
    h = await Harness.start({ adminIds: [ADMIN], now: NOW });
    expect(await checklist()).toBe(
      [
        "Чтобы начать работу:",
        "1. Добавьте органы: /org_add или пришлите файл CSV/JSON со списком.",
        "2. Пригласите куратора: /invite.",
        "3. По желанию: добавьте бота в чат кураторов, сделайте его администратором и отправьте там /bind. " +
          "Без такого чата карточки приходят каждому куратору лично.",
        "",
        preset,
      ].join("\n"),
    );

    const health = h.seedOrganization("Министерство здравоохранения", "Минздрав");
    for (const n of [1, 2, 3, 4, 5, 6]) h.seedOrganization(`Администрация района № ${n}`);
    expect(await checklist()).toMatch(
      /^Чтобы начать работу:\n1\. Пригласите куратора: \/invite\.\n2\. Пригласите исполнителей \(\/invite\) или привяжите рабочие чаты \(\/bind\) органов, чьи сообщения пока некому получить: «Администрация района № 1», «Администрация района № 2», «Администрация района № 3», «Администрация района № 4», «Администрация района № 5» и ещё 2\.\n3\. По желанию/,
    );

    h.seedPerson(OFFICE.curator, "Ольга", ["curator"]);
    // A work chat or an executor: either way its posts reach someone.
    h.seedChat(h.group(OFFICE.healthChat, "Минздрав: обращения"), health);
    for (const n of [1, 2, 3, 4, 5]) {
      const district = h.seedOrganization(`Поселение № ${n}`);
      h.seedPerson(4000 + n, `Исполнитель ${n}`, [], [district]);
    }
    expect(await checklist()).not.toContain("Пригласите куратора");
    expect(await checklist()).not.toContain("Министерство здравоохранения");
    expect(await checklist()).not.toContain("Поселение");
    expect(await checklist()).toContain("и ещё 1.");
    for (const n of [1, 2, 3, 4, 5, 6]) h.seedChat(h.group(-500 - n, `Район ${n}`), health + n);
    expect(await checklist()).toBe(
      [
        "Чтобы начать работу:",
        "1. По желанию: добавьте бота в чат кураторов, сделайте его администратором и отправьте там /bind. " +
          "Без такого чата карточки приходят каждому куратору лично.",
        "",
        preset,
      ].join("\n"),
    );

    h.seedChat(h.group(OFFICE.curatorsChat, "Кураторы"), null);
    await admin().send("/start");
    expect(admin().lastText()).toMatch(/Ваша роль: администратор/);
    expect(admin().lastText()).not.toMatch(/Чтобы начать работу|Регламент:/);
  });

  it("counts a head alone as no curator", async () => {
    h = await Harness.start({ adminIds: [ADMIN], now: NOW });
    h.seedPerson(OFFICE.head, "Глава", ["head"]);
    expect(await checklist()).toContain("Пригласите куратора: /invite.");
  });
});

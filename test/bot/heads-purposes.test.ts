/**
 * What each head receives, as the admin sets it: one tap per purpose in «Сотрудники», a head invite
 * for an organization, and the head told what the bot will send them.
 */
import { and, eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { headOf } from "../../src/app/heads.js";
import { findPerson, setHeadPurpose } from "../../src/app/people.js";
import { auditEvents } from "../../src/db/schema.js";
import { Harness } from "../support/bot-harness.js";
import { OFFICE, pressCrafted, seedIncidentInWork, seedOffice, seedRegistered } from "../support/workflow.js";

const ADMIN = 1001;
let h: Harness;
let health: number;
afterEach(() => h.close());

const admin = () => h.user(ADMIN, "Анна");

async function start(regulation: "orenburg" | "georgievsk" = "orenburg"): Promise<void> {
  h = await Harness.start({ adminIds: [ADMIN], regulation });
  ({ health } = seedOffice(h));
}

function headSettings(telegramId: number) {
  const person = findPerson(h.db, telegramId);
  const head = person && headOf(h.db, person.id);
  return head && { purposes: head.purposes, organizationId: head.organizationId };
}

const purposeEvents = () =>
  h.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.entity, "person"), eq(auditEvents.action, "head_purpose_set")))
    .all();

/** The admin makes an invite through /invite and the person opens it. */
async function invited(telegramId: number, name: string, ...presses: (string | RegExp)[]): Promise<void> {
  await admin().send("/invite");
  for (const label of presses) await admin().press(label);
  const token = /https:\/\/t\.me\/\S+\?start=([\w-]+)/.exec(admin().lastText())?.[1];
  if (!token) throw new Error(`no invite link in: ${admin().lastText()}`);
  await h.user(telegramId, name).send(`/start ${token}`);
}

/** The admin's invite, as it reads once used (the admin is told of its use after it). */
const inviteText = () =>
  admin()
    .texts()
    .findLast((text) => text.startsWith("Приглашение для роли")) ?? "";

describe("«Сотрудники»: what a head receives", () => {
  it("the card names each purpose as the regulation does; one tap switches it, audited", async () => {
    await start();
    await admin().send("/people");
    await admin().press(/Глава/);
    expect(admin().lastText()).toBe(
      [
        "Глава",
        `Telegram id: ${OFFICE.head}`,
        "Роли: руководитель",
        "Что получает как руководитель (кнопки ниже включают и выключают):",
        "✅ Срочные (п. 21): Губернатор Оренбургской области — социально значимые сообщения и всплески сообщений, сразу",
        "✅ Сводка (п. 20): заместитель министра региональной и информационной политики Оренбургской области — отчёт за месяц",
        "✅ Нарушения (п. 19): руководители органов исполнительной власти Оренбургской области — нарушения регламента за месяц и долгие просрочки",
      ].join("\n"),
    );

    expect(await admin().press("✅ Сводка (п. 20)")).toBe("Выключено: Сводка");
    expect(admin().lastText()).toMatch(/^⬜ Сводка \(п\. 20\): заместитель министра/m);
    expect(headSettings(OFFICE.head)).toEqual({ purposes: ["urgent", "violations"], organizationId: null });
    const admins = findPerson(h.db, ADMIN);
    expect(purposeEvents()).toEqual([
      expect.objectContaining({
        actorId: admins?.id,
        details: expect.objectContaining({
          purpose: "summary",
          enabled: false,
          before: ["urgent", "summary", "violations"],
          after: ["urgent", "violations"],
        }),
      }),
    ]);

    expect(await admin().press("⬜ Сводка (п. 20)")).toBe("Включено: Сводка");
    expect(headSettings(OFFICE.head)?.purposes).toEqual(["urgent", "summary", "violations"]);
    expect(purposeEvents()).toHaveLength(2);
  });

  it("Georgievsk: the purposes carry its clauses and the head of the district", async () => {
    await start("georgievsk");
    await admin().send("/people");
    await admin().press(/Глава/);
    expect(admin().lastText().split("\n").slice(4)).toEqual([
      "✅ Срочные (п. 24): Глава Георгиевского городского округа — социально значимые и важные сообщения и всплески сообщений, сразу",
      "✅ Сводка — отчёт за месяц",
      "✅ Нарушения (п. 23): Глава Георгиевского городского округа — нарушения регламента за месяц и долгие просрочки",
    ]);
  });

  it("Georgievsk: a head is told that «Срочные» brings the «Важное» posts too (p.24), on joining and in /help", async () => {
    await start("georgievsk");
    await invited(6001, "Заместитель", "Руководитель");
    const urgent = "• социально значимые и важные сообщения и всплески сообщений, сразу (п. 24)";
    expect(inviteText()).toContain(`\n${urgent}\n`);
    expect(h.texts(6001)[0]?.split("\n")[2]).toBe(urgent);
    await h.user(6001, "Заместитель").send("/help");
    expect(h.texts(6001).at(-1)).toContain(`Как руководитель вы получаете:\n${urgent}\n`);
  });

  it("a press delivered twice, or an old card's button, changes nothing more", async () => {
    await start();
    const head = findPerson(h.db, OFFICE.head);
    await admin().send("/people");
    await admin().press(/Глава/);
    await admin().press("✅ Срочные (п. 21)");
    const popup = await pressCrafted(h, ADMIN, "Анна", `ppl.hp:${head?.id}:urgent:0`);
    expect(popup).toBe("Уже выключено: Срочные");
    expect(headSettings(OFFICE.head)?.purposes).toEqual(["summary", "violations"]);
    expect(purposeEvents()).toHaveLength(1);
  });

  it("the head is told privately of each change and what he receives now; a press that changes nothing tells nothing", async () => {
    await start();
    await invited(6001, "Губернатор", "Руководитель");
    const governor = findPerson(h.db, 6001);
    await admin().send("/people");
    await admin().press(/Губернатор/);
    await admin().press("✅ Сводка (п. 20)");
    await admin().press("✅ Нарушения (п. 19)");
    expect(h.texts(6001).slice(1)).toEqual([
      [
        "Администратор изменил рассылку: бот больше не будет присылать вам отчёт за месяц (п. 20).",
        "Теперь бот присылает вам:",
        "• социально значимые сообщения и всплески сообщений, сразу (п. 21)",
        "• нарушения регламента за месяц и долгие просрочки (п. 19)",
      ].join("\n"),
      [
        "Администратор изменил рассылку: бот больше не будет присылать вам нарушения регламента за месяц и долгие просрочки (п. 19).",
        "Теперь бот присылает вам:",
        "• социально значимые сообщения и всплески сообщений, сразу (п. 21)",
      ].join("\n"),
    ]);
    // A second press, or another admin's old card: nothing changed, nothing told.
    await pressCrafted(h, ADMIN, "Анна", `ppl.hp:${governor?.id}:violations:0`);
    expect(h.texts(6001)).toHaveLength(3);

    // A head who blocks the bot: the change is made, the admin sees it, the head shows as blocked.
    await admin().press("✅ Срочные (п. 21)");
    expect(h.texts(6001).at(-1)).toBe(
      "Администратор изменил рассылку: бот больше не будет присылать вам социально значимые сообщения и всплески сообщений, сразу (п. 21).\nТеперь бот ничего вам не присылает.",
    );
    h.fake.setChatMember(6001, h.bot.botInfo.id, "kicked");
    expect(await admin().press("⬜ Сводка (п. 20)")).toBe("Включено: Сводка");
    expect(headSettings(6001)?.purposes).toEqual(["summary"]);
    await admin().send("/people");
    await admin().press(/Губернатор/);
    expect(admin().lastText()).toMatch(/бот не может писать сотруднику: бот заблокирован/);
  });

  it("is the admin's alone: a curator's or a head's forged press changes nothing", async () => {
    await start();
    const head = findPerson(h.db, OFFICE.head);
    for (const [telegramId, name] of [
      [OFFICE.curator, "Ольга"],
      [OFFICE.head, "Глава"],
    ] as const) {
      const popup = await pressCrafted(h, telegramId, name, `ppl.hp:${head?.id}:urgent:0`);
      expect(popup).toBe("Это действие вам недоступно.");
    }
    expect(headSettings(OFFICE.head)?.purposes).toEqual(["urgent", "summary", "violations"]);
    expect(purposeEvents()).toEqual([]);
  });

  it("a forged press for someone who is no head makes nobody a head", async () => {
    await start();
    const executor = findPerson(h.db, OFFICE.executor);
    const popup = await pressCrafted(h, ADMIN, "Анна", `ppl.hp:${executor?.id}:urgent:1`);
    expect(popup).toBe("Сотрудник больше не руководитель. Показываю, как сейчас.");
    expect(headSettings(OFFICE.executor)).toBeUndefined();
    expect(purposeEvents()).toEqual([]);
  });

  it("the head role taken away and given again by an invite starts from the invite's purposes", async () => {
    await start();
    await admin().send("/people");
    await admin().press(/Глава/);
    await admin().press("✅ Срочные (п. 21)");
    await admin().press("Снять роль: руководитель");
    await admin().press("Да, снять роль");
    expect(headSettings(OFFICE.head)).toBeUndefined();
    await invited(OFFICE.head, "Глава", "Руководитель");
    expect(headSettings(OFFICE.head)).toEqual({
      purposes: ["urgent", "summary", "violations"],
      organizationId: null,
    });
  });
});

describe("a head invite", () => {
  it("for an organization: its head gets that organization's violations only, and is told so", async () => {
    await start();
    seedRegistered(h, { importance: "significant" });
    await invited(6003, "Министр", "Руководитель органа", /Минздрав/);
    expect(inviteText()).toMatch(
      /\n\nРуководитель органа «Министерство здравоохранения» будет получать:\n• нарушения регламента за месяц и долгие просрочки — только органа «Министерство здравоохранения» \(п\. 19\)\nИзменить это можно в \/people, когда руководитель откроет ссылку\.$/,
    );
    expect(headSettings(6003)).toEqual({ purposes: ["violations"], organizationId: health });
    // The welcome, and no catch-up of the significant posts: those are not his.
    expect(h.texts(6003)).toEqual([
      [
        "Готово! Вы зарегистрированы как руководитель органа «Министерство здравоохранения».",
        "Бот будет присылать вам:",
        "• нарушения регламента за месяц и долгие просрочки — только органа «Министерство здравоохранения» (п. 19)",
        "Что присылать, настраивает администратор.",
        "",
        "Справка — /help.",
        "",
        "Как вас указывать в отчётах? Пришлите фамилию, имя и отчество командой /name, например: " +
          "/name Иванов Иван Иванович. Можно и позже.",
      ].join("\n"),
    ]);
    const granted = h.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, "role_granted"))
      .all()
      .at(-1);
    expect(granted?.details).toMatchObject({
      role: "head",
      purposes: ["violations"],
      organizationId: health,
    });

    await admin().send("/people");
    await admin().press(/Министр/);
    expect(admin().lastText()).toMatch(
      /^⬜ Срочные \(п\. 21\)[^\n]*\n⬜ Сводка \(п\. 20\)[^\n]*\n✅ Нарушения \(п\. 19\)[^\n]*\nРуководитель органа «Министерство здравоохранения»: нарушения и просрочки — только этого органа\.$/m,
    );

    // «Срочные» switched on later: in one message, the change and the significant post still open,
    // as one who joins hears of it.
    await admin().press("⬜ Срочные (п. 21)");
    expect(h.texts(6003)).toHaveLength(2);
    expect(h.texts(6003).at(-1)).toMatch(
      /^Администратор изменил рассылку: бот будет присылать вам также социально значимые сообщения и всплески сообщений, сразу \(п\. 21\)\.\nТеперь бот присылает вам:\n• социально значимые[^\n]*\n• нарушения[^\n]*\n\nСейчас открыто сообщений, о которых вам сообщается сразу: 1\.[^\n]*\n\nСоциально значимое сообщение № 1 /,
    );
    await admin().press("✅ Срочные (п. 21)");
    await admin().press("⬜ Срочные (п. 21)");
    expect(h.texts(6003)).toHaveLength(4);
  });

  it("for an organization: /help tells its head what he receives, not every head's purposes", async () => {
    await start();
    await invited(6003, "Министр", "Руководитель органа", /Минздрав/);
    await admin().send("/people");
    expect(admin().lastText()).toMatch(/\n\d+\. Министр — руководитель органа \(Минздрав\)(\n|$)/);
    await h.user(6003, "Министр").send("/help");
    expect(h.texts(6003).at(-1)).toMatch(
      /^Ваша роль: руководитель\.\n\nКак руководитель вы получаете:\n• нарушения регламента за месяц и долгие просрочки — только органа «Министерство здравоохранения» \(п\. 19\)\n/,
    );
    // The commands a head of one organization may use: its posts, and without «Сводка» its violations.
    expect(h.texts(6003).at(-1)).toContain(
      "/list — сообщения вашего органа\n/find — найти по номеру, ссылке или словам\n" +
        "/report нарушения [месяц] — нарушения регламента вашего органа",
    );
  });

  it("for an organization: /list and /find show its head that organization's posts only", async () => {
    await start();
    const ours = await seedIncidentInWork(h, health, { link: "https://vk.com/wall-1_1" });
    const other = seedRegistered(h, { link: "https://vk.com/wall-1_2" });
    await invited(6003, "Министр", "Руководитель органа", /Минздрав/);
    const minister = h.user(6003, "Министр");
    await minister.send("/list");
    expect(minister.lastText()).toMatch(
      new RegExp(`^Открытые сообщения: 1\nОсталось и просрочено — в рабочем времени\\.\n\n№ ${ours} · `),
    );
    await minister.send(`/find ${other}`);
    expect(minister.lastText()).toBe(`Сообщение № ${other} не направлялось вашему органу.`);
    await minister.send(`/find ${ours}`);
    expect(minister.lastText()).toMatch(new RegExp(`^Сообщение № ${ours} · ВКонтакте`));
    // A head of all sees every post.
    await h.user(OFFICE.head, "Глава").send("/list");
    expect(h.lastText(OFFICE.head)).toMatch(/^Открытые сообщения: 2\n/);

    // Given «Срочные», he opens the significant posts he is told of, whoever's they are.
    const significant = seedRegistered(h, { link: "https://vk.com/wall-1_3", importance: "significant" });
    await minister.send(`/find ${significant}`);
    expect(minister.lastText()).toBe(`Сообщение № ${significant} не направлялось вашему органу.`);
    const ministerId = findPerson(h.db, 6003)?.id ?? 0;
    const adminId = findPerson(h.db, ADMIN)?.id ?? 0;
    setHeadPurpose(h.db, {
      actorId: adminId,
      personId: ministerId,
      purpose: "urgent",
      enabled: true,
      now: h.clock.now(),
    });
    await minister.send(`/find ${significant}`);
    expect(minister.lastText()).toMatch(new RegExp(`^Сообщение № ${significant} · ВКонтакте`));
    await minister.send(`/find ${other}`);
    expect(minister.lastText()).toBe(`Сообщение № ${other} не направлялось вашему органу.`);
  });

  it("for an organization, opened by a head of all: his settings stay, and he is told so", async () => {
    await start();
    await invited(OFFICE.head, "Глава", "Руководитель органа", /Минздрав/);
    expect(headSettings(OFFICE.head)).toEqual({
      purposes: ["urgent", "summary", "violations"],
      organizationId: null,
    });
    expect(h.texts(OFFICE.head).at(-1)).toMatch(
      /^У вас уже есть роль «руководитель»\.\nПриглашение было для руководителя органа «Министерство здравоохранения»; ваши настройки оно не изменило\.\nБот будет присылать вам:\n/,
    );
  });

  it("without an organization: everything, as before, and the significant posts still open", async () => {
    await start();
    seedRegistered(h, { importance: "significant" });
    await invited(6001, "Губернатор", "Руководитель");
    expect(headSettings(6001)).toEqual({
      purposes: ["urgent", "summary", "violations"],
      organizationId: null,
    });
    expect(h.texts(6001)[0]?.split("\n").slice(0, 5)).toEqual([
      "Готово! Вы зарегистрированы как руководитель.",
      "Бот будет присылать вам:",
      "• социально значимые сообщения и всплески сообщений, сразу (п. 21)",
      "• отчёт за месяц (п. 20)",
      "• нарушения регламента за месяц и долгие просрочки (п. 19)",
    ]);
    expect(h.texts(6001)[1]).toMatch(/^Сейчас открыто сообщений, о которых вам сообщается сразу: 1\./);
  });
});

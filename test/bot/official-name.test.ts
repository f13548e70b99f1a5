/**
 * The official name («Фамилия Имя Отчество»): the person gives it (/name) or an admin does (/people),
 * cards and lists give it short («Иванов И. И.»), reports in full, and a name changed in Telegram
 * touches neither. Orenburg preset (Asia/Yekaterinburg); Иван is Минздрав's executor.
 */

import { and, eq } from "drizzle-orm";
import ExcelJS from "exceljs";
import { afterEach, describe, expect, it } from "vitest";
import { findPerson } from "../../src/app/people.js";
import { auditEvents } from "../../src/db/schema.js";
import { seedNovember } from "../reports/seed-month.js";
import { Harness } from "../support/bot-harness.js";
import { OFFICE, seedIncidentInWork, seedOffice } from "../support/workflow.js";

const ADMIN = 1001;
const IVANOV = "Иванов Иван Иванович";
const EXAMPLE = "например: Иванов Иван Иванович";

let h: Harness;
afterEach(() => h.close());

async function office(): Promise<{ health: number }> {
  h = await Harness.start({ now: "2026-11-24T05:00:00Z", adminIds: [ADMIN] });
  const seeded = seedOffice(h);
  h.seedPerson(ADMIN, "Анна", ["admin"]);
  return seeded;
}

const ivan = () => h.user(OFFICE.executor, "Иван");
const admin = () => h.user(ADMIN, "Анна");
/** The admin's invite link of a curator: its token. */
async function curatorInvite(): Promise<string | undefined> {
  await admin().send("/invite");
  await admin().press("Куратор");
  return /start=([\w-]+)/.exec(admin().lastText())?.[1];
}
const personId = (telegramId: number) => findPerson(h.db, telegramId)?.id;
/** The official names set, as the audit keeps them: by whom, from what, to what. */
const audited = () =>
  h.db
    .select({ actorId: auditEvents.actorId, details: auditEvents.details })
    .from(auditEvents)
    .where(and(eq(auditEvents.entity, "person"), eq(auditEvents.action, "official_name_set")))
    .all()
    .map(({ actorId, details }) => {
      const { before, after } = details as { before: unknown; after: unknown };
      return { actorId, before, after };
    });
/** The sheet's rows as lists of cell values, without exceljs's leading empty slot. */
async function rowsOf(fileId: string | undefined, sheet: string): Promise<unknown[][]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(h.fake.file(fileId ?? "")?.data as unknown as ArrayBuffer);
  const rows: unknown[][] = [];
  workbook.getWorksheet(sheet)?.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
  return rows;
}

describe("/name", () => {
  it("shows the name reports give, takes a surname, a name and a patronymic, and «Удалить» goes back to the Telegram one", async () => {
    await office();
    await ivan().send("/name");
    expect(ivan().lastText()).toBe(
      `Сейчас в отчётах и на карточках указано ваше имя из Telegram: Иван. Пришлите фамилию, имя и отчество, ${EXAMPLE}.`,
    );
    await ivan().send("Иванов");
    expect(ivan().lastText()).toBe(
      `Нужны фамилия, имя и, если есть, отчество — от двух до четырёх слов, ${EXAMPLE}.`,
    );
    await ivan().send("Иванов И.И.");
    expect(ivan().lastText()).toBe(
      `В ФИО могут быть только буквы, дефис и апостроф. Пришлите фамилию, имя и отчество, ${EXAMPLE}.`,
    );
    await ivan().send(`Иванов ${"Иван".repeat(30)}`);
    expect(ivan().lastText()).toBe("ФИО длиннее 100 знаков. Пришлите фамилию, имя и отчество короче.");
    await ivan().send("  Иванов   Иван\tИванович ");
    expect(ivan().lastText()).toBe(
      `Готово: в отчётах вы указаны как ${IVANOV} (на карточках — Иванов И. И.). Изменить — /name.`,
    );

    await ivan().send("/name");
    expect(ivan().lastText()).toBe(
      `В отчётах вы указаны так: ${IVANOV}. Чтобы изменить, пришлите фамилию, имя и отчество, ${EXAMPLE}. ` +
        "«Удалить» — указывать имя из Telegram (Иван).",
    );
    await ivan().press("Удалить");
    expect(ivan().lastText()).toBe(
      "ФИО удалены: в отчётах и на карточках снова имя из Telegram — Иван. Указать — /name.",
    );

    // Typed after the command, as it is: a double surname, an apostrophe, Latin letters.
    await ivan().send("/name Салтыков-Щедрин Михаил Д'Артаньян");
    expect(ivan().lastText()).toMatch(
      /^Готово: в отчётах вы указаны как Салтыков-Щедрин Михаил Д'Артаньян \(на карточках — Салтыков-Щедрин М\. Д\.\)/,
    );
    const id = personId(OFFICE.executor);
    expect(audited()).toEqual([
      { actorId: id, before: null, after: IVANOV },
      { actorId: id, before: IVANOV, after: null },
      { actorId: id, before: null, after: "Салтыков-Щедрин Михаил Д'Артаньян" },
    ]);
  });

  it("is in /help, and a newcomer's welcome asks for it", async () => {
    await office();
    await ivan().send("/help");
    expect(ivan().lastText()).toContain(
      "/name [Фамилия Имя Отчество] — как указывать вас в отчётах и на карточках",
    );
    const newcomer = h.user(4004, "Мария");
    await newcomer.send(`/start ${await curatorInvite()}`);
    expect(newcomer.lastText()).toMatch(
      /\n\nКак вас указывать в отчётах\? Пришлите фамилию, имя и отчество командой \/name, например: \/name Иванов Иван Иванович\. Можно и позже\.$/,
    );
  });
});

describe("an official name", () => {
  it("an admin gives it on the person's card in /people: the person hears quietly, the list and the card show it", async () => {
    await office();
    await admin().send("/people");
    await admin().press(/Иван/);
    await admin().press("Указать ФИО");
    expect(admin().lastText()).toBe(`Пришлите фамилию, имя и отчество сотрудника Иван, ${EXAMPLE}.`);
    await admin().send(IVANOV);
    expect(admin().lastText()).toBe(`Готово: в отчётах сотрудник указан как ${IVANOV}.`);
    const notices = h.fake
      .callsOf("sendMessage")
      .filter((c) => Number(c.params.chat_id) === OFFICE.executor)
      .map((c) => ({ text: c.params.text, quiet: c.params.disable_notification === true }));
    expect(notices).toEqual([
      {
        text: `Администратор указал ваши ФИО для отчётов: ${IVANOV}. Если есть ошибка, исправьте — /name.`,
        quiet: true,
      },
    ]);
    expect(audited()).toEqual([{ actorId: personId(ADMIN), before: null, after: IVANOV }]);

    await admin().send("/people");
    expect(admin().lastText()).toContain("Иванов И. И. — исполнитель (Минздрав)");
    await admin().press(/Иванов/);
    expect(admin().lastText()).toMatch(
      new RegExp(`^${IVANOV}\\nВ Telegram: Иван\\nTelegram id: ${OFFICE.executor}\\n`),
    );
    await admin().press("Изменить ФИО");
    expect(admin().lastText()).toBe(
      `Пришлите фамилию, имя и отчество сотрудника Иванов И. И., ${EXAMPLE}. ` +
        `Сейчас указано: ${IVANOV}; «Удалить» — указывать имя из Telegram.`,
    );
  });

  it("the card of a post names its holder «Иванов И. И.», and a name changed in Telegram leaves it so", async () => {
    const { health } = await office();
    await seedIncidentInWork(h, health);
    const card = () => h.texts(OFFICE.healthChat).find((text) => text.startsWith("Сообщение № 1"));
    expect(card()).toMatch(/\nОтветственный: Иван\n/);
    await ivan().send(`/name ${IVANOV}`);
    expect(card()).toMatch(/\nОтветственный: Иванов И\. И\.\n/);

    // Telegram's name is read anew as he opens an invite: the official one stays, and is not asked again.
    const renamed = h.user(OFFICE.executor, "Ваня 🚀", { username: "vanya" });
    await renamed.send(`/start ${await curatorInvite()}`);
    expect(renamed.lastText()).toMatch(
      /^Готово! Вы зарегистрированы как куратор\.[\s\S]*Справка — \/help\.$/,
    );
    await renamed.send("/name");
    expect(renamed.lastText()).toMatch(
      new RegExp(`^В отчётах вы указаны так: ${IVANOV}\\. .*имя из Telegram \\(Ваня 🚀 \\(@vanya\\)\\)\\.$`),
    );
    await renamed.send("/cancel");
    await seedIncidentInWork(h, health, { link: "https://vk.com/wall-1_2" });
    const second = h.texts(OFFICE.healthChat).find((text) => text.startsWith("Сообщение № 2"));
    expect(second).toMatch(/\nОтветственный: Иванов И\. И\. \(@vanya\)\n/);
  });

  it("reports give it in full, whatever the Telegram name: the violations' rows, «Ответственный» and «По исполнителям»", async () => {
    h = await Harness.start({ now: "2026-11-09T04:00:00Z" });
    seedNovember(h);
    h.clock.set("2026-12-03T06:00:00Z");
    // His Telegram name changed, read anew as registering reads it.
    const vanya = h.seedPerson(OFFICE.executor, "Ваня 🚀", []);
    await vanya.send(`/name ${IVANOV}`);
    const curator = h.user(OFFICE.curator, "Ольга");

    await curator.send("/report 11.2026");
    const workbook = h.fake.messages(OFFICE.curator).at(-1);
    expect((await rowsOf(workbook?.media?.file_id, "По исполнителям")).map((row) => row[0])).toEqual([
      "Исполнитель",
      IVANOV,
    ]);

    await curator.send("/report нарушения 11.2026");
    const [text, violations] = h.fake.messages(OFFICE.curator).slice(-2);
    const rows = text?.text?.split("\n").filter((line) => line.startsWith("№ 2")) ?? [];
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row).toMatch(new RegExp(`^№ 2 · Минздрав · ${IVANOV} — `));
    const sheet = await rowsOf(violations?.media?.file_id, "Нарушения");
    const header = sheet.findIndex((row) => row.includes("Ответственный"));
    const column = sheet[header]?.indexOf("Ответственный") ?? -1;
    const named = new Set(sheet.slice(header + 1).map((row) => row[column]));
    expect(named).toContain(IVANOV);
    expect([...named].filter((name) => String(name).includes("Ваня"))).toEqual([]);
  });
});

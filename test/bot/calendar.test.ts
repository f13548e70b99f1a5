import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { setNextAction } from "../../src/app/alerts.js";
import { loadIncident } from "../../src/app/incidents.js";
import { replanOnChangedSettings } from "../../src/app/sla.js";
import { tr } from "../../src/bot/texts-reports.js";
import { auditEvents, calendarYears } from "../../src/db/schema.js";
import { buildMonthlyReport } from "../../src/reports/figures.js";
import { Harness } from "../support/bot-harness.js";
import { OFFICE, seedIncidentInWork, seedOffice, seedRegistered } from "../support/workflow.js";

const ADMIN = 1001;
let h: Harness;

beforeEach(async () => {
  h = await Harness.start({ adminIds: [ADMIN], now: "2027-11-20T06:00:00Z" });
});
afterEach(() => h.close());

const admin = () => h.user(ADMIN, "Анна");
/** The years an admin loaded (the bot's own are not in the database). */
const loadedYears = () =>
  h.db
    .select()
    .from(calendarYears)
    .all()
    .map((r) => r.year);
/** /calendar's own message: the sample file follows it. */
const calendarReply = () =>
  admin()
    .texts()
    .findLast((text) => text.startsWith("Производственный календарь:"));

const year2028 = {
  years: {
    "2028": {
      status: "official",
      source: "постановление Правительства РФ (тест)",
      holidays: ["2028-01-03", "2028-01-04", "2028-01-05", "2028-01-06", "2028-01-07"],
      workingWeekends: [],
      shortDays: [],
    },
  },
};

describe("production calendar", () => {
  it("/calendar shows the coverage of this year and the next, with each year's source in Russian", async () => {
    await admin().send("/calendar");
    expect(calendarReply()).toMatch(
      /^Производственный календарь:\n2027 — проект \(проект Минтруда России о переносе выходных дней в 2027 году; постановление Правительства ещё не принято\)\n2028 — нет данных\n/,
    );
  });

  it("an admin loads next year's calendar from a file; deadlines use it at once", async () => {
    // Saturday 01.01.2028; without a 2028 calendar only weekends are off, so the first working
    // hour ends Monday 03.01 at 10:00 (UTC+5); with 3–7 January off it ends Monday 10.01 at 10:00.
    const saturday = new Date("2028-01-01T00:00:00Z");
    expect(h.sla.workingTime.addWorkingMinutes(saturday, 60).toISOString()).toBe("2028-01-03T05:00:00.000Z");
    await admin().upload(JSON.stringify(year2028), "calendar-2028.json", "application/json");
    expect(admin().lastText()).toBe("Календарь загружен: 2028. Сроки уже считаются по нему.");
    expect(loadedYears()).toEqual([2028]);
    await admin().send("/calendar");
    expect(calendarReply()).toMatch(/2028 — официальный \(постановление Правительства РФ \(тест\)\)/);
    expect(h.sla.workingTime.addWorkingMinutes(saturday, 60).toISOString()).toBe("2028-01-10T05:00:00.000Z");
  });

  it("loaded, it has the sweep plan anew the reminders of every open post (their deadlines may have moved)", async () => {
    seedOffice(h);
    const id = seedRegistered(h);
    const later = new Date(h.clock.now().getTime() + 24 * 60 * 60_000);
    setNextAction(h.db, id, later);
    await admin().upload(JSON.stringify(year2028), "calendar-2028.json", "application/json");
    expect(loadIncident(h.db, id)?.row.nextActionAt?.getTime()).toBe(h.clock.now().getTime());
  });

  it("loaded, it has the open posts' cards show the deadlines moved, untouched the cards of posts it moves none of", async () => {
    // Thursday 30.12.2027 16:00 in Yekaterinburg; 31.12 is a day off and 2028 is not in the calendar yet.
    h.clock.set("2027-12-30T11:00:00Z");
    const { health } = seedOffice(h);
    const id = await seedIncidentInWork(h, health);
    const card = () => h.texts(OFFICE.healthChat).find((text) => text.startsWith(`Сообщение № ${id}`));
    expect(card()).toContain("Ответ разместить до: 03.01.2028 17:00");
    await admin().upload(JSON.stringify(year2028), "calendar-2028.json", "application/json");
    expect(admin().lastText()).toBe("Календарь загружен: 2028. Сроки уже считаются по нему.");
    // Nobody touched the post: 2 h on 30.12, then 7 h on Monday 10.01.2028 (3–7 January off).
    expect(card()).toContain("Ответ разместить до: 10.01.2028 17:00");
    expect(h.texts(OFFICE.curatorsChat).find((text) => text.startsWith(`Сообщение № ${id}`))).toContain(
      "Ответ разместить до: 10.01.2028 17:00",
    );

    const edits = () => h.fake.callsOf("editMessageText").length;
    const before = edits();
    const year2029 = { ...year2028.years["2028"], holidays: ["2029-01-01"] };
    await admin().upload(
      JSON.stringify({ years: { "2029": year2029 } }),
      "calendar-2029.json",
      "application/json",
    );
    expect(admin().lastText()).toBe("Календарь загружен: 2029. Сроки уже считаются по нему.");
    expect(edits()).toBe(before);
  });

  it("loaded, it judges the posts received since in the reports, as the cards counted their deadlines", async () => {
    seedOffice(h);
    replanOnChangedSettings(h.db, h.sla, h.clock.now());
    // Monday 22.11.2027 made a day off.
    const year2027 = { ...year2028.years["2028"], holidays: ["2027-11-22"] };
    await admin().upload(JSON.stringify({ years: { "2027": year2027 } }), "2027.json", "application/json");
    // Received on it at 10:00 (UTC+5): to be routed by Tuesday 09:30, not by Monday 10:30.
    h.clock.set("2027-11-22T05:00:00Z");
    seedRegistered(h);
    const report = buildMonthlyReport(
      h.db,
      h.sla,
      { year: 2027, month: 11 },
      new Date("2027-11-22T07:00:00Z"),
    );
    expect(tr.violations(report)).toBe(
      "Нарушения регламента за ноябрь 2027 г. на 22.11.2027 12:00: 0\n" +
        "Месяц ещё не закончился: нарушения — только по срокам, которые уже истекли.\n" +
        "Истёкшие сроки соблюдены.",
    );
  });

  it("a calendar file with a bad field changes nothing and names the field", async () => {
    const bad = { years: { "2028": { ...year2028.years["2028"], holidays: ["2028-02-30"] } } };
    await admin().upload(JSON.stringify(bad), "calendar-2028.json", "application/json");
    expect(admin().lastText()).toBe(
      'Календарь не загружен, ничего не изменено: 2028 год, поле "holidays" — «2028-02-30»: такой даты в календаре нет. ' +
        "Исправьте файл и пришлите его снова; образец — /calendar.",
    );
    expect(loadedYears()).toEqual([]);
  });

  it("a calendar file without a single year changes nothing and says so", async () => {
    await admin().upload(JSON.stringify({ years: {} }), "calendar.json", "application/json");
    expect(admin().lastText()).toBe(
      'Календарь не загружен, ничего не изменено: нет раздела "years" с годами: {"years": {"2028": {…}}}. ' +
        "Исправьте файл и пришлите его снова; образец — /calendar.",
    );
    expect(loadedYears()).toEqual([]);
  });

  it("says in Russian what to fix in a year's status or source", async () => {
    const draftish = { years: { "2028": { ...year2028.years["2028"], status: "проект" } } };
    await admin().upload(JSON.stringify(draftish), "calendar-2028.json", "application/json");
    expect(admin().lastText()).toBe(
      'Календарь не загружен, ничего не изменено: 2028 год, поле "status" — нужно "official" (календарь утверждён) ' +
        'или "draft" (проект). Исправьте файл и пришлите его снова; образец — /calendar.',
    );
    const { source: _, ...noSource } = year2028.years["2028"];
    await admin().upload(JSON.stringify({ years: { "2028": noSource } }), "c.json", "application/json");
    expect(admin().lastText()).toMatch(
      /^Календарь не загружен, ничего не изменено: 2028 год, поле "source" — укажите источник/,
    );
    expect(loadedYears()).toEqual([]);
  });

  it('takes a file of years without the "years" wrapper, or one year\'s block alone, as a calendar', async () => {
    await admin().upload(JSON.stringify(year2028.years), "2028.json", "application/json");
    expect(admin().lastText()).toBe("Календарь загружен: 2028. Сроки уже считаются по нему.");
    const year2029 = { ...year2028.years["2028"], holidays: ["2029-01-01"] };
    await admin().upload(JSON.stringify(year2029), "2029.json", "application/json");
    expect(admin().lastText()).toBe("Календарь загружен: 2029. Сроки уже считаются по нему.");
    const bad = { "2030": { ...year2029, status: "final" } };
    await admin().upload(JSON.stringify(bad), "2030.json", "application/json");
    expect(admin().lastText()).toMatch(/^Календарь не загружен, ничего не изменено: 2030 год, поле "status"/);
  });

  it("/calendar sends this year's calendar as a file to edit, which the bot takes back as it is", async () => {
    await admin().send("/calendar");
    expect(admin().lastText()).toBe(
      "Календарь на 2027 год, как он действует сейчас, — образец файла. Исправьте его " +
        "(или замените год и даты на следующий) и пришлите сюда.",
    );
    const sent = h.fake.callsOf("sendDocument").at(-1);
    const file = sent?.files[0];
    expect(file?.filename).toBe("calendar-2027.json");
    const sample = JSON.parse(String(file?.data)) as { years: Record<string, { status: string }> };
    expect(Object.keys(sample.years)).toEqual(["2027"]);
    expect(sample.years["2027"]?.status).toBe("draft");

    await admin().upload(String(file?.data), "calendar-2027.json", "application/json");
    expect(admin().lastText()).toBe("Календарь загружен: 2027. Сроки уже считаются по нему.");
  });

  it("a year an admin loaded: /calendar tells how the bot's own differs, and «Вернуть встроенный календарь» puts the bot's back at once", async () => {
    seedOffice(h);
    const id = seedRegistered(h);
    // Monday 22.11.2027 09:00 in Yekaterinburg: a working day, unless the loaded file says otherwise.
    const monday = new Date("2027-11-22T04:00:00Z");
    const { default: bundled } = await import("../../src/domain/calendar/production-calendar-ru.json", {
      with: { type: "json" },
    });
    const own = bundled.years["2027"];
    const loaded = {
      ...own,
      status: "official",
      source: "постановление (загружено)",
      holidays: [...own.holidays.filter((day) => day !== "2027-02-22"), "2027-11-22"],
    };
    await admin().upload(JSON.stringify({ years: { "2027": loaded } }), "2027.json", "application/json");
    expect(h.sla.workingTime.addWorkingMinutes(monday, 60).toISOString()).toBe("2027-11-23T05:00:00.000Z");

    await admin().send("/calendar");
    expect(calendarReply()).toContain(
      "Календарь на 2027 год загружен администратором и действует вместо встроенного в бота. " +
        `Во встроенном календаре бота на 2027 год (проект, ${own.source}) есть изменения: официальный → проект; ` +
        "выходные и праздники: добавлены 22.02; убраны 22.11.",
    );
    setNextAction(h.db, id, new Date(h.clock.now().getTime() + 24 * 60 * 60_000));
    await admin().press("Вернуть встроенный календарь на 2027 год");
    expect(admin().lastText()).toMatch(/^Вернуть встроенный календарь бота на 2027 год\?/);
    await admin().press("Да, вернуть");
    expect(admin().lastText()).toBe(
      "Календарь на 2027 год — снова встроенный в бота. Сроки уже считаются по нему.",
    );

    expect(loadedYears()).toEqual([]);
    expect(h.sla.calendar.years[2027]?.status).toBe("draft");
    expect(h.sla.workingTime.addWorkingMinutes(monday, 60).toISOString()).toBe("2027-11-22T05:00:00.000Z");
    expect(loadIncident(h.db, id)?.row.nextActionAt?.getTime()).toBe(h.clock.now().getTime());
    const events = h.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, "bundled_year_restored"))
      .all();
    expect(events.map((e) => [e.entityId, e.actorId !== null])).toEqual([["2027", true]]);
    await admin().send("/calendar");
    expect(calendarReply()).not.toContain("загружен администратором");
  });

  it("«Отмена» keeps the year an admin loaded", async () => {
    await admin().upload(
      JSON.stringify({ years: { "2027": { ...year2028.years["2028"], holidays: ["2027-01-01"] } } }),
      "2027.json",
      "application/json",
    );
    await admin().send("/calendar");
    await admin().press("Вернуть встроенный календарь на 2027 год");
    await admin().press("Отмена");
    expect(admin().lastText()).toBe("Календарь не изменён.");
    expect(loadedYears()).toEqual([2027]);
  });
});

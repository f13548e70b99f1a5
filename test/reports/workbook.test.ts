/**
 * The report's spreadsheet says what its Telegram text says: a month still running is counted as of
 * a moment, the curators' own steps have their row beside the organizations', and steps are named
 * and told done or not alike. Orenburg preset
 * (Asia/Yekaterinburg), arranged through the same use-cases the bot calls.
 */
import ExcelJS from "exceljs";
import { afterEach, describe, expect, it } from "vitest";
import { approveDraft, publishAnswer, recordClarification, submitDraft } from "../../src/app/answers.js";
import {
  acceptIncident,
  closeAsToxic,
  closeUnanswered,
  recordThreatForwarded,
  routeIncident,
} from "../../src/app/incidents.js";
import { findPerson } from "../../src/app/people.js";
import { tr } from "../../src/bot/texts-reports.js";
import type { Person } from "../../src/domain/access.js";
import { buildMonthlyReport, type MonthlyReport } from "../../src/reports/figures.js";
import { reportWorkbook, violationsWorkbook } from "../../src/reports/xlsx.js";
import { Harness } from "../support/bot-harness.js";
import { OFFICE, seedOffice, seedRegistered } from "../support/workflow.js";
import { local, must } from "./seed-month.js";

let h: Harness;
afterEach(() => h.close());

async function sheets(report: MonthlyReport, make = reportWorkbook): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load((await make(report)) as unknown as ArrayBuffer);
  return workbook;
}

/** A sheet's rows as lists of cell values, without exceljs's leading empty slot. */
function rowsOf(workbook: ExcelJS.Workbook, name: string): unknown[][] {
  const rows: unknown[][] = [];
  workbook.getWorksheet(name)?.eachRow({ includeEmpty: true }, (row) => {
    rows.push((row.values as unknown[]).slice(1));
  });
  return rows;
}

/** The office (on 09.11.2026 unless told): Ольга the curator, Иван of Минздрав, and the clock set by local time. */
async function startOffice(now = "2026-11-09T04:00:00Z") {
  h = await Harness.start({ now });
  const { health } = seedOffice(h);
  const at = (time: string) => {
    h.clock.set(local(time));
    return h.clock.now();
  };
  return {
    health,
    curator: findPerson(h.db, OFFICE.curator) as Person,
    ivan: findPerson(h.db, OFFICE.executor) as Person,
    at,
  };
}

/**
 * Ольга routes a post an hour late and decides on its draft an hour late; Иван's steps are on time.
 * The Telegram summary says «Кураторы: этапов в срок 0 из 2 (0%), нарушений 2».
 */
async function lateCurator(): Promise<{ health: number }> {
  const { health, curator, ivan, at } = await startOffice();
  at("2026-11-09 10:00");
  const incidentId = seedRegistered(h); // routing due 10:30 (p.6)
  must(
    routeIncident(h.db, {
      incidentId,
      leadId: health,
      coexecutorIds: [],
      actor: curator,
      now: at("2026-11-09 11:30"),
    }),
  );
  must(acceptIncident(h.db, { incidentId, actor: ivan, now: at("2026-11-09 11:35") }));
  must(
    submitDraft(h.db, {
      incidentId,
      actor: ivan,
      now: at("2026-11-09 12:00"), // the decision due 12:30 (p.10)
      content: { text: "Здравствуйте! Снег вывезут до пятницы.", attachments: [] },
    }),
  );
  must(approveDraft(h.db, { incidentId, actor: curator, now: at("2026-11-09 14:30") }));
  must(
    publishAnswer(h.db, {
      incidentId,
      actor: ivan,
      now: at("2026-11-09 14:40"),
      link: "https://vk.com/wall-1_1?reply=1",
      onTime: true,
      rules: { curatorMayPublish: false },
    }),
  );
  return { health };
}

describe("the report's spreadsheet", () => {
  it("of the month still running says, under the month, the moment it is counted as of, in local time", async () => {
    h = await Harness.start({ now: "2026-12-01T04:00:00Z" });
    seedOffice(h);
    h.clock.set(local("2026-12-01 10:00"));
    seedRegistered(h); // never routed: due 01.12 10:30
    const december = { year: 2026, month: 12 };

    const running = buildMonthlyReport(h.db, h.sla, december, local("2026-12-02 10:20"));
    expect(tr.summary(running).split("\n")[0]).toBe(
      "Отчёт за декабрь 2026 г. на 02.12.2026 10:20: сообщения из открытых источников",
    );
    expect(rowsOf(await sheets(running), "Сводка").slice(1, 5)).toEqual([
      ["Месяц", "12.2026"],
      ["По состоянию на", "02.12.2026 10:20"],
      ["Месяц ещё не закончился: нарушения — только по срокам, которые уже истекли."],
      ["Поступило сообщений", 1],
    ]);

    const finished = buildMonthlyReport(h.db, h.sla, december, local("2027-01-10 10:00"));
    const summary = rowsOf(await sheets(finished), "Сводка");
    expect(summary.slice(1, 3)).toEqual([
      ["Месяц", "12.2026"],
      ["Поступило сообщений", 1],
    ]);
  });

  it("«Сводка» shows every share as a percentage, the history's too; a topic that says «доля» stays a count", async () => {
    h = await Harness.start({ now: "2026-12-01T04:00:00Z" });
    seedOffice(h);
    h.clock.set(local("2026-12-01 10:00"));
    seedRegistered(h, { topic: "Доля собственников" });
    seedRegistered(h, { link: "https://vk.com/wall-1_2", topic: "доля в праве собственности" });
    const report = buildMonthlyReport(h.db, h.sla, { year: 2026, month: 12 }, local("2027-01-10 10:00"));
    const formats = new Map<string, string | undefined>();
    (await sheets(report)).getWorksheet("Сводка")?.eachRow((row) => {
      formats.set(String(row.getCell(1).value), row.getCell(2).numFmt);
    });
    const percent = [...formats].filter(([, format]) => format?.includes("%")).map(([label]) => label);
    expect(percent).toEqual(
      expect.arrayContaining([
        "Доля ответов в срок",
        "Предыдущий месяц: доля ответов в срок",
        "Тот же месяц прошлого года: доля ответов в срок",
      ]),
    );
    expect(percent.filter((label) => label.startsWith("Тема:"))).toEqual([]);
    expect(formats.has("Тема: Доля собственников")).toBe(true);
    expect(formats.has("Тема: доля в праве собственности")).toBe(true);
  });

  it("lateness is whole minutes everywhere, as the text says it, though the actions and the moment counted as of have seconds", async () => {
    h = await Harness.start({ now: "2026-12-01T04:00:00Z" });
    seedOffice(h);
    h.clock.set(new Date(local("2026-12-01 10:00").getTime() + 17_000));
    seedRegistered(h); // never routed: due 01.12 10:30:17
    const asOf = new Date(local("2026-12-03 10:20").getTime() + 41_000);
    const report = buildMonthlyReport(h.db, h.sla, { year: 2026, month: 12 }, asOf);
    const worst = report.overall.overdue.worstMinutes;
    expect(Number.isInteger(worst)).toBe(true);
    expect(report.violations.every((v) => Number.isInteger(v.lateMinutes))).toBe(true);
    const summary = new Map<string, unknown>();
    (await sheets(report)).getWorksheet("Сводка")?.eachRow((row) => {
      summary.set(String(row.getCell(1).value), row.getCell(2).value);
    });
    expect(summary.get("Наибольшее опоздание, мин рабочего времени")).toBe(worst);
  });

  it("of the violations alone, printed by itself, says above its header the month and the moment it is counted as of", async () => {
    h = await Harness.start({ now: "2026-12-01T04:00:00Z" });
    seedOffice(h);
    h.clock.set(local("2026-12-01 10:00"));
    seedRegistered(h); // never routed: due 01.12 10:30
    const december = { year: 2026, month: 12 };

    const running = await sheets(
      buildMonthlyReport(h.db, h.sla, december, local("2026-12-02 10:20")),
      violationsWorkbook,
    );
    const rows = rowsOf(running, "Нарушения");
    expect(rows.slice(0, 3)).toEqual([
      ["Месяц", "12.2026"],
      ["По состоянию на", "02.12.2026 10:20"],
      ["Месяц ещё не закончился: нарушения — только по срокам, которые уже истекли."],
    ]);
    expect(rows[3]?.slice(0, 5)).toEqual(["№ сообщения", "Ссылка", "Орган", "Ответственный", "Этап"]);
    expect(rows[4]?.slice(0, 1)).toEqual([1]);
    expect(running.getWorksheet("Нарушения")?.views[0]).toMatchObject({ state: "frozen", ySplit: 4 });

    const finished = await sheets(
      buildMonthlyReport(h.db, h.sla, december, local("2027-01-10 10:00")),
      violationsWorkbook,
    );
    expect(
      rowsOf(finished, "Нарушения")
        .slice(0, 2)
        .map((row) => row[0]),
    ).toEqual(["Месяц", "№ сообщения"]);
  });

  it("«По органам» has the curators' row, as the text's «Кураторы» line: their steps, on time, and violations", async () => {
    await lateCurator();
    const report = buildMonthlyReport(h.db, h.sla, { year: 2026, month: 11 });
    expect(tr.summary(report)).toContain("Кураторы: этапов в срок 0 из 2 (0%), нарушений 2");

    const rows = rowsOf(await sheets(report), "По органам");
    expect(rows[0]?.slice(0, 1)).toEqual(["Орган"]);
    expect(rows[0]?.slice(-4)).toEqual([
      "Этапов со сроком",
      "Этапов в срок",
      "Доля этапов в срок",
      "Нарушений",
    ]);
    const byName = new Map(rows.slice(1).map((row) => [row[0], row]));
    expect(rows.slice(1).map((row) => row[0])).toEqual(["Минздрав", "Кураторы", "Всего"]);
    // Иван's draft, publication and answer on time; the curators' routing and decision both late.
    expect(byName.get("Минздрав")?.slice(-4)).toEqual([3, 3, 1, 0]);
    expect(byName.get("Кураторы")?.slice(-4)).toEqual([2, 0, 0, 2]);
    expect(
      byName
        .get("Кураторы")
        ?.slice(1, -4)
        .every((cell) => cell === undefined),
    ).toBe(true);
    expect(byName.get("Всего")?.slice(-4)).toEqual([5, 3, 0.6, 2]);
  });
});

describe("the curators' missed answer deadlines in «По органам»", () => {
  it("posts never routed: the answers missed are in the curators' row, so the total's add up", async () => {
    h = await Harness.start({ now: "2026-12-01T04:00:00Z" });
    seedOffice(h);
    h.clock.set(local("2026-12-01 10:00"));
    seedRegistered(h);
    seedRegistered(h, { link: "https://vk.com/wall-1_2" });
    const report = buildMonthlyReport(h.db, h.sla, { year: 2026, month: 12 }, local("2026-12-03 10:20"));
    const rows = rowsOf(await sheets(report), "По органам");
    const column = rows[0]?.indexOf("Сроков ответа нарушено") ?? -1;
    const byName = new Map(rows.slice(1).map((row) => [row[0], row]));
    expect(byName.get("Кураторы")?.slice(column, column + 2)).toEqual([2, 2]);
    expect(byName.get("Всего")?.slice(column, column + 2)).toEqual([2, 2]);
  });

  it("posts no organization had at the month's end are received in the curators' row, and in the text's list, so «Поступило» adds up", async () => {
    h = await Harness.start({ now: "2026-12-01T04:00:00Z" });
    const { health } = seedOffice(h);
    const curator = findPerson(h.db, OFFICE.curator) as Person;
    h.clock.set(local("2026-12-01 10:00"));
    const routed = seedRegistered(h);
    must(
      routeIncident(h.db, {
        incidentId: routed,
        leadId: health,
        coexecutorIds: [],
        actor: curator,
        now: h.clock.now(),
      }),
    );
    seedRegistered(h, { link: "https://vk.com/wall-1_2" });
    seedRegistered(h, { link: "https://vk.com/wall-1_3" });
    const report = buildMonthlyReport(h.db, h.sla, { year: 2026, month: 12 }, local("2026-12-03 10:20"));
    const rows = rowsOf(await sheets(report), "По органам");
    const column = rows[0]?.indexOf("Поступило (основной исполнитель)") ?? -1;
    const received = new Map(rows.slice(1).map((row) => [row[0], row[column]]));
    expect([received.get("Минздрав"), received.get("Кураторы"), received.get("Всего")]).toEqual([1, 2, 3]);
    expect(tr.summary(report)).toContain("• не направлено органам: 2 из поступивших");
  });

  it("insults and threats closed before routing are told apart from posts left unrouted; threats sent on are counted", async () => {
    h = await Harness.start({ now: "2026-12-01T04:00:00Z" });
    seedOffice(h);
    const curator = findPerson(h.db, OFFICE.curator) as Person;
    h.clock.set(local("2026-12-01 10:00"));
    const now = h.clock.now();
    seedRegistered(h);
    const toxic = seedRegistered(h, { link: "https://vk.com/wall-1_2" });
    const threat = seedRegistered(h, { link: "https://vk.com/wall-1_3" });
    const kept = seedRegistered(h, { link: "https://vk.com/wall-1_4" });
    must(closeUnanswered(h.db, { incidentId: toxic, actor: curator, now, reason: "toxic" }));
    must(closeUnanswered(h.db, { incidentId: threat, actor: curator, now, reason: "threat" }));
    must(closeUnanswered(h.db, { incidentId: kept, actor: curator, now, reason: "threat" }));
    recordThreatForwarded(h.db, { incidentId: threat, actorId: curator.id, now });
    const report = buildMonthlyReport(h.db, h.sla, { year: 2026, month: 12 }, local("2026-12-03 10:20"));
    const text = tr.summary(report);
    expect(text).toContain(
      "Оскорбительных: 1 — закрыты без ответа\nС угрозами: 2, передано в компетентные органы: 1",
    );
    expect(text).toContain(
      "• закрыто без ответа (оскорбления, угрозы): 3\n• не направлено органам: 1 из поступивших",
    );
    const workbook = await sheets(report);
    const summary = new Map(rowsOf(workbook, "Сводка").map((row) => [row[0], row[1]]));
    expect(summary.get("Из них передано в компетентные органы")).toBe(1);
    const rows = rowsOf(workbook, "По органам");
    const column = rows[0]?.indexOf("Поступило (основной исполнитель)") ?? -1;
    const received = new Map(rows.slice(1).map((row) => [row[0], row[column]]));
    expect([received.get("Кураторы"), received.get("Закрыто без ответа (оскорбления, угрозы)")]).toEqual([
      1, 3,
    ]);
    expect(received.get("Всего")).toBe(4);
    const notes = rowsOf(workbook, "Сообщения")
      .flat()
      .filter((cell) => typeof cell === "string");
    expect(notes).toContain(
      "закрыто без ответа: угроза, передано в компетентные органы 01.12.2026 10:00 (п. 17)",
    );
    expect(notes).toContain("закрыто без ответа: угроза (п. 17)");
  });
  it("a violation still owed while the post waits for its author's reply to a question says since when", async () => {
    const { health, curator, ivan, at } = await startOffice();
    const incidentId = seedRegistered(h); // detected 09.11 09:00 local: the answer due 09.11 18:00 (p.8)
    must(
      routeIncident(h.db, {
        incidentId,
        leadId: health,
        coexecutorIds: [],
        actor: curator,
        now: at("2026-11-09 10:00"),
      }),
    );
    must(acceptIncident(h.db, { incidentId, actor: ivan, now: at("2026-11-09 10:05") }));
    const content = { text: "Уточните, пожалуйста, адрес.", attachments: [] };
    must(
      submitDraft(h.db, {
        incidentId,
        actor: ivan,
        now: at("2026-11-09 10:10"),
        content,
        purpose: "clarification",
      }),
    );
    must(approveDraft(h.db, { incidentId, actor: curator, now: at("2026-11-09 10:20") }));
    const link = "https://vk.com/wall-1_1?reply=1";
    must(recordClarification(h.db, { incidentId, actor: ivan, now: at("2026-11-09 10:30"), link }));
    const report = buildMonthlyReport(h.db, h.sla, { year: 2026, month: 11 }, local("2026-11-10 12:00"));
    const answer = tr
      .violations(report)
      .split("\n")
      .find((line) => line.includes("(п. 8)"));
    expect(answer).toMatch(
      /пока не выполнено, опоздание .*; ждём ответа автора на запрос с 09\.11\.2026 10:30$/,
    );
  });
});

describe("the spreadsheet and the text name the steps alike", () => {
  it("the approved answer's posting (p.12) and the answer's own deadline (p.8) apart; a step ended not done after its deadline, when", async () => {
    const { health, curator, ivan, at } = await startOffice();
    const route = (incidentId: number) =>
      must(
        routeIncident(h.db, {
          incidentId,
          leadId: health,
          coexecutorIds: [],
          actor: curator,
          now: at("2026-11-09 09:00"),
        }),
      );
    // № 1, detected 09:00: the answer due 10.11 10:00 (p.8); approved at 15:00, to be posted by 15:30 (p.12).
    at("2026-11-09 09:00");
    const late = seedRegistered(h, { link: "https://vk.com/wall-1_1" });
    route(late);
    must(acceptIncident(h.db, { incidentId: late, actor: ivan, now: at("2026-11-09 09:05") }));
    must(
      submitDraft(h.db, {
        incidentId: late,
        actor: ivan,
        now: at("2026-11-09 14:50"),
        content: { text: "Здравствуйте! Снег вывезут до пятницы.", attachments: [] },
      }),
    );
    must(approveDraft(h.db, { incidentId: late, actor: curator, now: at("2026-11-09 15:00") }));
    must(
      publishAnswer(h.db, {
        incidentId: late,
        actor: ivan,
        now: at("2026-11-10 10:30"),
        link: "https://vk.com/wall-1_1?reply=1",
        onTime: false,
        rules: { curatorMayPublish: false },
      }),
    );
    // № 2, never taken: its draft was due 15:00 (p.9) when the curator closed it as offensive at 15:30.
    at("2026-11-09 09:00");
    const closed = seedRegistered(h, { link: "https://vk.com/wall-1_2" });
    route(closed);
    must(
      closeAsToxic(h.db, { incidentId: closed, actor: curator, now: at("2026-11-09 15:30"), threat: false }),
    );

    const report = buildMonthlyReport(h.db, h.sla, { year: 2026, month: 11 });
    expect(tr.violations(report).split("\n")).toEqual([
      "Нарушения регламента за ноябрь 2026 г.: 3",
      "№ 1 · Минздрав · Иван — разместить согласованный ответ (п. 12): срок 09.11.2026 15:30, выполнено 10.11.2026 10:30, опоздание 4 ч",
      "№ 1 · Минздрав · Иван — ответ на сообщение (п. 8): срок 10.11.2026 10:00, выполнено 10.11.2026 10:30, опоздание 30 мин",
      "№ 2 · Минздрав · не взято в работу — прислать проект ответа куратору (п. 9): срок 09.11.2026 15:00, не выполнено, снято с исполнения 09.11.2026 15:30, опоздание 30 мин",
    ]);
    const workbook = await sheets(report);
    const violations = rowsOf(workbook, "Нарушения").slice(1);
    expect(violations.map((row) => [row[0], row[4], row[5], row[10]])).toEqual([
      [1, "разместить согласованный ответ", "п. 12", 240],
      [1, "ответ на сообщение", "п. 8", 30],
      [2, "прислать проект ответа куратору", "п. 9", 30],
    ]);
    expect(violations[2]?.[8]).toBeUndefined();
    expect(violations[2]?.[9]).toBe("не выполнено, снято с исполнения 09.11.2026 15:30");
    const onTime = rowsOf(workbook, "Сводка")
      .map((row) => String(row[0]))
      .filter((label) => label.startsWith("В срок:"));
    expect(onTime).toEqual(
      expect.arrayContaining(["В срок: разместить согласованный ответ", "В срок: ответ на сообщение"]),
    );
    expect(tr.summary(report)).toContain("• ответ на сообщение: 0 из 1 в срок (0%)");
  });
});

/** Routed, taken, drafted, approved and posted by `executor`, each a few minutes after the last. */
function answerInTime(
  incidentId: number,
  organizationId: number,
  curator: Person,
  executor: Person,
  at: (time: string) => Date,
  day: string,
): void {
  must(
    routeIncident(h.db, {
      incidentId,
      leadId: organizationId,
      coexecutorIds: [],
      actor: curator,
      now: at(`${day} 10:05`),
    }),
  );
  must(acceptIncident(h.db, { incidentId, actor: executor, now: at(`${day} 10:10`) }));
  must(
    submitDraft(h.db, {
      incidentId,
      actor: executor,
      now: at(`${day} 10:30`),
      content: { text: "Здравствуйте! Снег вывезут до пятницы.", attachments: [] },
    }),
  );
  must(approveDraft(h.db, { incidentId, actor: curator, now: at(`${day} 10:40`) }));
  must(
    publishAnswer(h.db, {
      incidentId,
      actor: executor,
      now: at(`${day} 10:50`),
      link: `https://vk.com/wall-1_${incidentId}?reply=1`,
      onTime: true,
      rules: { curatorMayPublish: false },
    }),
  );
}

const DECEMBER = { year: 2026, month: 12 };

describe("«Сообщения»: the posts behind the figures", () => {
  it("lists each post with its link, organizations, state at the month's end and answer; a duplicate is shown with why and left out of «Поступило», as «Сводка» says", async () => {
    const { health, curator, ivan, at } = await startOffice("2026-12-01T04:00:00Z");
    const culture = h.seedOrganization("Министерство культуры", "Минкультуры");
    at("2026-12-01 10:00");
    const answered = seedRegistered(h, { link: "https://vk.com/wall-1_1" });
    answerInTime(answered, health, curator, ivan, at, "2026-12-01");
    at("2026-12-02 10:00");
    const inWork = seedRegistered(h, { link: "https://vk.com/wall-1_2" });
    must(
      routeIncident(h.db, {
        incidentId: inWork,
        leadId: health,
        coexecutorIds: [culture],
        actor: curator,
        now: at("2026-12-02 10:05"),
      }),
    );
    must(acceptIncident(h.db, { incidentId: inWork, actor: ivan, now: at("2026-12-02 10:10") }));
    at("2026-12-03 10:00");
    const toxic = seedRegistered(h, { link: "https://vk.com/wall-1_3" });
    must(
      closeAsToxic(h.db, { incidentId: toxic, actor: curator, now: at("2026-12-03 10:05"), threat: false }),
    );
    at("2026-12-04 10:00");
    const duplicate = seedRegistered(h, { link: "https://vk.com/wall-1_4", repeatOfId: answered });
    must(
      closeUnanswered(h.db, {
        incidentId: duplicate,
        actor: curator,
        now: at("2026-12-04 10:05"),
        reason: "void",
        duplicate: true,
      }),
    );
    at("2026-12-07 10:00");
    const unrouted = seedRegistered(h, { link: "https://vk.com/wall-1_5" });

    const report = buildMonthlyReport(h.db, h.sla, DECEMBER);
    const workbook = await sheets(report);
    const rows = rowsOf(workbook, "Сообщения");
    expect(rows[0]).toEqual([
      "№ сообщения",
      "Поступило",
      "Соцсеть",
      "Ссылка",
      "Орган (основной исполнитель)",
      "Соисполнители",
      "Состояние на конец месяца",
      "Ответ размещён",
      "Ответ в срок",
      "Примечание",
    ]);
    const link = (n: number) => ({
      text: `https://vk.com/wall-1_${n}`,
      hyperlink: `https://vk.com/wall-1_${n}`,
    });
    // Dates are local wall time, as Excel shows them.
    const wall = (time: string) => new Date(`${time.replace(" ", "T")}:00Z`);
    expect(rows.slice(1)).toEqual([
      [
        answered,
        wall("2026-12-01 10:00"),
        "ВКонтакте",
        link(1),
        "Минздрав",
        undefined,
        "ответ размещён",
        wall("2026-12-01 10:50"),
        "да",
      ],
      [
        inWork,
        wall("2026-12-02 10:00"),
        "ВКонтакте",
        link(2),
        "Минздрав",
        "Минкультуры",
        "в работе",
        undefined,
        "—",
      ],
      [
        toxic,
        wall("2026-12-03 10:00"),
        "ВКонтакте",
        link(3),
        undefined,
        undefined,
        "закрыто",
        undefined,
        "—",
        "закрыто без ответа: оскорбительное (п. 17)",
      ],
      [
        duplicate,
        wall("2026-12-04 10:00"),
        "ВКонтакте",
        link(4),
        undefined,
        undefined,
        "закрыто",
        undefined,
        "—",
        "закрыто без ответа: дубль сообщения № 1 — не входит в «Поступило»",
      ],
      [
        unrouted,
        wall("2026-12-07 10:00"),
        "ВКонтакте",
        link(5),
        undefined,
        undefined,
        "ждёт направления",
        undefined,
        "—",
      ],
    ]);
    const summary = new Map(rowsOf(workbook, "Сводка").map(([label, value]) => [label, value]));
    expect(summary.get("Поступило сообщений")).toBe(4);
    expect(summary.get("Оскорбительных (без ответа)")).toBe(1);
    expect(summary.get("Закрыто без ответа (дубли, ошибочные), не входят в «Поступило»")).toBe(1);
    expect(summary.get("Без ответа на конец месяца")).toBe(2);
  });

  it("a post of an earlier month is listed when it was worked on in the month or still open at its end, not when it was done with before", async () => {
    const { health, curator, ivan, at } = await startOffice("2026-11-30T04:00:00Z");
    at("2026-11-30 10:00");
    const answeredBefore = seedRegistered(h, { link: "https://vk.com/wall-1_1" });
    answerInTime(answeredBefore, health, curator, ivan, at, "2026-11-30");
    at("2026-11-30 11:00");
    const answeredNow = seedRegistered(h, { link: "https://vk.com/wall-1_2" });
    at("2026-11-30 12:00");
    const stillOpen = seedRegistered(h, { link: "https://vk.com/wall-1_3" });
    answerInTime(answeredNow, health, curator, ivan, at, "2026-12-01");

    const rows = rowsOf(await sheets(buildMonthlyReport(h.db, h.sla, DECEMBER)), "Сообщения").slice(1);
    expect(rows.map((row) => [row[0], row[6]])).toEqual([
      [answeredNow, "ответ размещён"],
      [stillOpen, "ждёт направления"],
    ]);
  });
});

describe("«Нарушения» and «По исполнителям» tell whose", () => {
  it("each violation links to its post; «Выполнено» is a date or empty, and «Статус» says how it stands", async () => {
    const { health, curator, ivan, at } = await startOffice("2026-12-01T04:00:00Z");
    at("2026-12-01 10:00");
    const unrouted = seedRegistered(h); // routing due 10:30 (p.6), never done
    at("2026-12-01 10:00");
    const late = seedRegistered(h, { link: "https://vk.com/wall-1_2" });
    must(
      routeIncident(h.db, {
        incidentId: late,
        leadId: health,
        coexecutorIds: [],
        actor: curator,
        now: at("2026-12-01 11:30"),
      }),
    );
    must(acceptIncident(h.db, { incidentId: late, actor: ivan, now: at("2026-12-01 11:35") }));

    const rows = rowsOf(await sheets(buildMonthlyReport(h.db, h.sla, DECEMBER)), "Нарушения");
    expect(rows[0]).toEqual([
      "№ сообщения",
      "Ссылка",
      "Орган",
      "Ответственный",
      "Этап",
      "Пункт регламента",
      "Начало",
      "Срок",
      "Выполнено",
      "Статус",
      "Опоздание, мин рабочего времени",
    ]);
    const routing = rows.slice(1).filter((row) => row[4] === "направить исполнителю");
    expect(routing.map((row) => [row[0], row[1], row[8], row[9], row[10]])).toEqual([
      [
        unrouted,
        { text: "https://vk.com/wall-1_1", hyperlink: "https://vk.com/wall-1_1" },
        undefined,
        "не выполнено к концу месяца",
        expect.any(Number),
      ],
      [
        late,
        { text: "https://vk.com/wall-1_2", hyperlink: "https://vk.com/wall-1_2" },
        new Date("2026-12-01T11:30:00Z"),
        "выполнено с опозданием",
        60,
      ],
    ]);
  });

  it("«По исполнителям» names each person's organization: two executors named Иван are told apart", async () => {
    const { health, curator, ivan, at } = await startOffice("2026-12-01T04:00:00Z");
    const culture = h.seedOrganization("Министерство культуры", "Минкультуры");
    const otherIvan = h.seedPerson(3002, "Иван", [], [culture]);
    at("2026-12-01 10:00");
    const first = seedRegistered(h, { link: "https://vk.com/wall-1_1" });
    const second = seedRegistered(h, { link: "https://vk.com/wall-1_2" });
    answerInTime(first, health, curator, ivan, at, "2026-12-01");
    answerInTime(second, culture, curator, findPerson(h.db, otherIvan.id) as Person, at, "2026-12-02");

    const rows = rowsOf(await sheets(buildMonthlyReport(h.db, h.sla, DECEMBER)), "По исполнителям");
    expect(rows).toEqual([
      ["Исполнитель", "Орган", "Ответов", "В срок", "Доля в срок", "Доработок"],
      ["Иван", "Минздрав", 1, 1, 1, 0],
      ["Иван", "Минкультуры", 1, 1, 1, 0],
    ]);
  });
});

describe("a step done after the month it was counted in", () => {
  it("is listed once more in the next month's «Нарушения» as done, with how late, and counted in neither its figures nor its text", async () => {
    const { health, curator, ivan, at } = await startOffice("2026-12-30T04:00:00Z");
    at("2026-12-30 10:00");
    const incidentId = seedRegistered(h);
    must(
      routeIncident(h.db, {
        incidentId,
        leadId: health,
        coexecutorIds: [],
        actor: curator,
        now: at("2026-12-30 10:05"),
      }),
    );
    must(acceptIncident(h.db, { incidentId, actor: ivan, now: at("2026-12-30 10:10") }));
    must(
      submitDraft(h.db, {
        incidentId,
        actor: ivan,
        now: at("2027-01-11 10:00"),
        content: { text: "Здравствуйте! Снег вывезут до пятницы.", attachments: [] },
      }),
    );
    const draftRow = (rows: unknown[][]) =>
      rows.find((row) => row[0] === incidentId && row[4] === "прислать проект ответа куратору");

    const december = buildMonthlyReport(h.db, h.sla, DECEMBER);
    const inDecember = draftRow(rowsOf(await sheets(december), "Нарушения"));
    expect(inDecember?.slice(8)).toEqual([undefined, "не выполнено к концу месяца", 120]);

    const january = buildMonthlyReport(h.db, h.sla, { year: 2027, month: 1 });
    const text = tr.violations(january);
    expect(text).not.toContain("прислать проект ответа куратору");
    for (const make of [reportWorkbook, violationsWorkbook]) {
      const rows = rowsOf(await sheets(january, make), "Нарушения");
      const carried = draftRow(rows);
      expect(carried?.[8]).toEqual(new Date("2027-01-11T10:00:00Z"));
      // Draft due 30.12 16:00: 2 working hours late at December's end (31.12 is a day off), 3 when sent.
      expect(carried?.slice(9)).toEqual([
        "выполнено с опозданием 3 ч (учтено в отчёте за декабрь 2026 г.)",
        180,
      ]);
    }
    const summary = new Map(rowsOf(await sheets(january), "Сводка").map(([label, value]) => [label, value]));
    expect(summary.get("Нарушений регламента")).toBe(january.violations.length);
    expect(january.overall.steps.find((s) => s.step === "draft")).toBeUndefined();
  });
});

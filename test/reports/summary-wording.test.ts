/**
 * What the monthly summary tells a head beyond the deadlines: the posts still without an answer at
 * the month's end (under Georgievsk p.16 an unrouted post misses no answer deadline, yet it is
 * unanswered), the month by its name, only the comparisons that have data, and what each
 * spreadsheet is.
 */
import ExcelJS from "exceljs";
import { afterEach, describe, expect, it } from "vitest";
import { approveDraft, publishAnswer, publishInterim, submitDraft } from "../../src/app/answers.js";
import { acceptIncident, closeAsToxic, routeIncident } from "../../src/app/incidents.js";
import { findPerson } from "../../src/app/people.js";
import { tr } from "../../src/bot/texts-reports.js";
import type { Person } from "../../src/domain/access.js";
import type { DraftPurpose } from "../../src/domain/incident.js";
import { monthlyReports } from "../../src/jobs/reports.js";
import { buildMonthlyReport } from "../../src/reports/figures.js";
import { reportWorkbook } from "../../src/reports/xlsx.js";
import { Harness } from "../support/bot-harness.js";
import { OFFICE, seedOffice, seedRegistered } from "../support/workflow.js";
import { local, must, seedNovember } from "./seed-month.js";

let h: Harness;
afterEach(() => h.close());

const NOVEMBER = { year: 2026, month: 11 };

/** "2026-11-09 10:00" Moscow time (the Georgievsk preset's). */
const moscow = (text: string): Date => new Date(`${text.replace(" ", "T")}:00+03:00`);

/**
 * Georgievsk, Минздрав: one post from October never routed; in November two never routed (one
 * socially significant), one routed and not answered, one answered in time, one with an interim
 * answer, one closed as offensive.
 */
async function georgievskNovember() {
  h = await Harness.start({ now: "2026-10-30T07:00:00Z", regulation: "georgievsk" });
  const { health } = seedOffice(h);
  const curator = findPerson(h.db, OFFICE.curator) as Person;
  const ivan = findPerson(h.db, OFFICE.executor) as Person;
  const at = (time: string) => {
    h.clock.set(moscow(time));
    return h.clock.now();
  };
  let n = 0;
  const register = (time: string, importance: "normal" | "significant" = "normal") => {
    at(time);
    return seedRegistered(h, { link: `https://vk.com/wall-1_${++n}`, importance });
  };
  const route = (incidentId: number, time: string) =>
    must(
      routeIncident(h.db, { incidentId, leadId: health, coexecutorIds: [], actor: curator, now: at(time) }),
    );
  const draft = (incidentId: number, time: string, purpose: DraftPurpose = "answer") => {
    must(acceptIncident(h.db, { incidentId, actor: ivan, now: at(time) }));
    must(
      submitDraft(h.db, {
        incidentId,
        actor: ivan,
        now: at(time),
        content: { text: "Здравствуйте! Разбираемся.", attachments: [] },
        purpose,
      }),
    );
    must(approveDraft(h.db, { incidentId, actor: curator, now: at(time) }));
  };

  register("2026-10-30 10:00");
  register("2026-11-10 10:00", "significant");
  register("2026-11-10 11:00");
  route(register("2026-11-11 10:00"), "2026-11-11 10:05");
  const answered = register("2026-11-12 10:00");
  route(answered, "2026-11-12 10:05");
  draft(answered, "2026-11-12 10:30");
  must(
    publishAnswer(h.db, {
      incidentId: answered,
      actor: ivan,
      now: at("2026-11-12 10:40"),
      link: "https://vk.com/wall-1_5?reply=1",
      onTime: true,
      rules: { curatorMayPublish: true },
    }),
  );
  const interim = register("2026-11-13 10:00");
  route(interim, "2026-11-13 10:05");
  draft(interim, "2026-11-13 10:30", "interim");
  must(
    publishInterim(h.db, {
      incidentId: interim,
      actor: ivan,
      now: at("2026-11-13 10:40"),
      link: "https://vk.com/wall-1_6?reply=1",
    }),
  );
  const toxic = register("2026-11-16 10:00");
  must(closeAsToxic(h.db, { incidentId: toxic, actor: curator, now: at("2026-11-16 10:05"), threat: false }));
}

describe("the monthly summary", () => {
  it("Georgievsk: says how many posts were left without an answer at the month's end, though the unrouted missed no answer deadline", async () => {
    await georgievskNovember();
    h.clock.set(moscow("2026-12-01 10:00"));
    const report = buildMonthlyReport(h.db, h.sla, NOVEMBER);
    const lines = tr.summary(report).split("\n");
    const unanswered = lines.indexOf(
      "Без ответа на конец месяца: 4 (социально значимых: 1), из них не направлено органам: 3",
    );
    expect(unanswered).toBeGreaterThan(0);
    // Before the shares, which alone would look as if all was well.
    expect(lines[unanswered + 1]).toBe("Ответов размещено: 1, в срок: 1 (100%)");

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await reportWorkbook(report)) as unknown as ArrayBuffer);
    const rows = new Map<unknown, unknown>();
    workbook.getWorksheet("Сводка")?.eachRow((row) => {
      rows.set(row.getCell(1).value, row.getCell(2).value);
    });
    expect([
      rows.get("Без ответа на конец месяца"),
      rows.get("Из них социально значимых"),
      rows.get("Из них не направлено органам"),
    ]).toEqual([4, 1, 3]);
  });

  it("for the month still running, counts those without an answer so far", async () => {
    await georgievskNovember();
    const soFar = buildMonthlyReport(h.db, h.sla, NOVEMBER, moscow("2026-11-10 12:00"));
    expect(tr.summary(soFar).split("\n")).toContain(
      "Без ответа на 10.11.2026 12:00: 3 (социально значимых: 1), из них не направлено органам: 3",
    );
  });

  it("names the month, and compares only with months that have data", async () => {
    h = await Harness.start({ now: "2026-11-09T04:00:00Z" });
    seedNovember(h);
    h.clock.set(local("2026-10-20 10:00"));
    seedRegistered(h, { link: "https://vk.com/wall-1_100" }); // October's one post
    h.clock.set(local("2026-12-01 10:00"));
    const lines = tr.summary(buildMonthlyReport(h.db, h.sla, NOVEMBER)).split("\n");
    expect(lines[0]).toBe("Отчёт за ноябрь 2026 г.: сообщения из открытых источников");
    // Nothing a year before: that comparison is left out, not told «нет данных».
    expect(lines.filter((line) => line.startsWith("Динамика"))).toEqual([
      "Динамика по сравнению с прошлым месяцем (октябрь 2026 г.): поступило 7 (было 1, +6)",
    ]);

    const december = buildMonthlyReport(h.db, h.sla, { year: 2026, month: 12 }, local("2026-12-01 10:00"));
    expect(tr.summary(december).split("\n")[0]).toBe(
      "Отчёт за декабрь 2026 г. на 01.12.2026 10:00: сообщения из открытых источников",
    );
  });

  it("a month that received as many as the one before says «без изменений», not «было 7, 0»", async () => {
    h = await Harness.start({ now: "2026-11-09T04:00:00Z" });
    seedNovember(h);
    h.clock.set(local("2026-10-20 10:00"));
    for (let n = 1; n <= 7; n++) seedRegistered(h, { link: `https://vk.com/wall-1_${100 + n}` });
    h.clock.set(local("2026-12-01 10:00"));
    const lines = tr.summary(buildMonthlyReport(h.db, h.sla, NOVEMBER)).split("\n");
    expect(lines.filter((line) => line.startsWith("Динамика"))).toEqual([
      "Динамика по сравнению с прошлым месяцем (октябрь 2026 г.): поступило 7 (без изменений)",
    ]);
  });

  it("«Частые темы» and «Частые места» name only those of two posts or more", async () => {
    h = await Harness.start({ now: "2026-11-09T04:00:00Z" });
    seedNovember(h); // «Снег» twice, «Дороги» once; «ул. Ленина» twice
    h.clock.set(local("2026-12-01 10:00"));
    const lines = tr.summary(buildMonthlyReport(h.db, h.sla, NOVEMBER)).split("\n");
    expect(lines.filter((line) => line.startsWith("Частые"))).toEqual([
      "Частые темы: Снег (2)",
      "Частые места: ул. Ленина (2)",
    ]);
  });

  it("without a month with data to compare with, has no dynamics line at all", async () => {
    h = await Harness.start({ now: "2026-11-09T04:00:00Z" });
    seedNovember(h);
    h.clock.set(local("2026-12-01 10:00"));
    const text = tr.summary(buildMonthlyReport(h.db, h.sla, NOVEMBER));
    expect(text).not.toContain("Динамика");
    expect(text).not.toContain("нет данных");
  });

  it("each spreadsheet sent says what it is", async () => {
    h = await Harness.start({ now: "2026-11-09T04:00:00Z" });
    seedNovember(h);
    h.clock.set("2026-12-01T05:00:00Z"); // Tuesday 10:00 local, the first working day
    await monthlyReports(h.deps());
    const captions = (chatId: number) =>
      h.fake
        .messages(chatId)
        .filter((m) => m.media?.type === "document")
        .map((m) => m.caption);
    expect(captions(OFFICE.curatorsChat)).toEqual([
      "Таблица к отчёту за ноябрь 2026 г.",
      "Таблица нарушений регламента за ноябрь 2026 г.",
    ]);
    expect(captions(OFFICE.healthChat)).toEqual(["Таблица нарушений регламента за ноябрь 2026 г."]);
  });
});

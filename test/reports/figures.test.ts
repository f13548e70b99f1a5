import { eq } from "drizzle-orm";
import ExcelJS from "exceljs";
import { afterEach, describe, expect, it } from "vitest";
import { approveDraft, publishAnswer, publishInterim, submitDraft } from "../../src/app/answers.js";
import { changePostDetail } from "../../src/app/importance.js";
import {
  acceptIncident,
  closeUnanswered,
  markRepeat,
  registerIncident,
  routeIncident,
} from "../../src/app/incidents.js";
import { findPerson } from "../../src/app/people.js";
import { tr } from "../../src/bot/texts-reports.js";
import { incidents } from "../../src/db/schema.js";
import type { Person } from "../../src/domain/access.js";
import { reportChart } from "../../src/reports/chart.js";
import { buildMonthlyReport, percent } from "../../src/reports/figures.js";
import { reportWorkbook } from "../../src/reports/xlsx.js";
import { Harness } from "../support/bot-harness.js";
import { OFFICE, seedRegistered } from "../support/workflow.js";
import { local, seedNovember } from "./seed-month.js";

let h: Harness;
afterEach(() => h.close());

const NOVEMBER = { year: 2026, month: 11 };

/** One more post, now, on this topic, besides the seeded month's. */
function registerOneMore(actorId: number, topic: string): void {
  registerIncident(h.db, {
    link: "https://vk.com/wall-1_99",
    linkKey: "vk.com/wall-1_99",
    network: "vk",
    text: null,
    author: null,
    topic,
    place: null,
    importance: "normal",
    postedAt: null,
    repeatOfId: null,
    actorId,
    now: h.clock.now(),
  });
}

describe("monthly figures", () => {
  it("counts a month of known outcomes from the stored events", async () => {
    h = await Harness.start({ now: "2026-11-09T04:00:00Z" });
    const { health } = seedNovember(h);
    h.clock.set("2026-12-15T06:00:00Z");
    const report = buildMonthlyReport(h.db, h.sla, NOVEMBER);
    const o = report.overall;
    expect({
      received: o.received,
      answered: o.answered,
      answeredOnTime: o.answeredOnTime,
      returned: o.returned,
      reworked: o.reworked,
      approved: o.approved,
      approvedFirstRound: o.approvedFirstRound,
      qualityAverage: o.qualityAverage,
      interim: o.interim,
      finals: o.finals,
      finalsOnTime: o.finalsOnTime,
      repeats: o.repeats,
      toxic: o.toxic,
      threats: o.threats,
      significant: o.significant,
      violations: o.violations,
    }).toEqual({
      received: 7,
      answered: 5,
      answeredOnTime: 4,
      returned: 1,
      reworked: 1,
      // № 6's interim answer is a draft the curator approved, as the answers are.
      approved: 6,
      approvedFirstRound: 5,
      qualityAverage: 4,
      interim: 1,
      finals: 1,
      finalsOnTime: 1,
      repeats: 1,
      toxic: 1,
      threats: 0,
      significant: 1,
      violations: 5,
    });
    // One answer posted late, one not posted by the month's end: the summary tells them apart.
    expect(o.overdue).toEqual({ count: 2, notDone: 1, medianMinutes: 15, worstMinutes: 30 });
    expect(tr.summary(report).split("\n")).toContain(
      "Сроков ответа нарушено: 2, из них ответ не дан: 1 — опоздание в рабочем времени: медиана 15 мин, наибольшее — 30 мин",
    );
    expect(Object.fromEntries(o.steps.map((s) => [s.step, `${s.onTime}/${s.total}`]))).toEqual({
      // № 4 routed twice: again 10 minutes after its return (p.6, counted from the return).
      routing: "7/8",
      return: "1/1",
      draft: "4/5",
      decision: "7/7",
      rework: "1/1",
      publication: "5/6",
      answer: "4/6",
      finalAfterInterim: "1/1",
    });
    expect(o.topTopics).toEqual([
      { name: "Снег", count: 2 },
      { name: "Дороги", count: 1 },
    ]);
    expect(o.topPlaces).toEqual([{ name: "ул. Ленина", count: 2 }]);

    const [org] = report.organizations;
    expect(report.organizations).toHaveLength(1);
    expect(org).toMatchObject({
      organizationId: health,
      name: "Минздрав",
      received: 5,
      answered: 5,
      violations: 3,
    });
    expect(report.executors).toEqual([
      {
        personId: expect.any(Number),
        name: "Иван",
        organizations: ["Минздрав"],
        answered: 5,
        onTime: 4,
        reworks: 1,
      },
    ]);
    expect(report.previous).toBeNull();
    expect(report.lastYear).toBeNull();
    expect(report.trend).toHaveLength(12);
    expect(report.trend.at(-1)).toMatchObject({ received: 7, answered: 5, answeredOnTime: 4 });
  });

  it("a post closed as deleted or registered by mistake is in no figure and no violation", async () => {
    h = await Harness.start({ now: "2026-11-09T04:00:00Z" });
    const { health } = seedNovember(h);
    const curator = findPerson(h.db, OFFICE.curator) as Person;
    const executor = findPerson(h.db, OFFICE.executor) as Person;
    const before = buildMonthlyReport(h.db, h.sla, NOVEMBER);
    registerOneMore(curator.id, "Снег");
    const voided = h.db
      .select({ id: incidents.id })
      .from(incidents)
      .where(eq(incidents.linkKey, "vk.com/wall-1_99"))
      .get();
    const incidentId = voided?.id ?? 0;
    // Routed late, drafted and approved: then the author deleted the post before it was answered.
    h.clock.set("2026-11-30T10:00:00Z");
    const now = h.clock.now();
    routeIncident(h.db, { incidentId, leadId: health, coexecutorIds: [], actor: curator, now });
    acceptIncident(h.db, { incidentId, actor: executor, now });
    submitDraft(h.db, { incidentId, actor: executor, now, content: { text: "Ответ", attachments: [] } });
    approveDraft(h.db, { incidentId, actor: curator, now });
    const counted = buildMonthlyReport(h.db, h.sla, NOVEMBER);
    expect(counted.overall.received).toBe(before.overall.received + 1);
    expect(counted.overall.approved).toBe(before.overall.approved + 1);
    expect(counted.violations.length).toBeGreaterThan(before.violations.length);
    expect(
      closeUnanswered(h.db, {
        incidentId,
        actor: curator,
        now: h.clock.now(),
        reason: "void",
      }).ok,
    ).toBe(true);
    const after = buildMonthlyReport(h.db, h.sla, NOVEMBER);
    expect(after.overall).toEqual(before.overall);
    expect(after.violations).toEqual(before.violations);
    expect(after.executors).toEqual(before.executors);
    expect(after.trend).toEqual(before.trend);
  });

  it("lists every missed step deadline with who held it and how late, in working time", async () => {
    h = await Harness.start({ now: "2026-11-09T04:00:00Z" });
    seedNovember(h);
    const report = buildMonthlyReport(h.db, h.sla, NOVEMBER);
    const name = (id: number | null) => (id === null ? null : report.personNames.get(id));
    expect(
      report.violations.map((v) => [
        v.incidentId,
        v.step,
        v.clause,
        name(v.personId),
        v.deadline,
        v.completedAt,
        v.lateMinutes,
      ]),
    ).toEqual([
      [2, "draft", "п. 9", "Иван", local("2026-11-09 16:00"), local("2026-11-10 10:00"), 180],
      [2, "publication", "п. 12", "Иван", local("2026-11-10 10:40"), local("2026-11-10 11:30"), 50],
      [2, "answer", "п. 8", "Иван", local("2026-11-10 11:00"), local("2026-11-10 11:30"), 30],
      [7, "routing", "п. 6", null, local("2026-11-27 17:30"), null, 510],
      [7, "answer", "п. 8", null, local("2026-11-30 18:00"), null, 0],
    ]);
    expect(tr.violations(report).split("\n").slice(0, 2)).toEqual([
      "Нарушения регламента за ноябрь 2026 г.: 5",
      "№ 2 · Минздрав · Иван — прислать проект ответа куратору (п. 9): срок 09.11.2026 16:00, выполнено 10.11.2026 10:00, опоздание 3 ч",
    ]);
  });

  it("gives the same figures when recomputed later, whatever happened since", async () => {
    h = await Harness.start({ now: "2026-11-09T04:00:00Z" });
    const { curator } = seedNovember(h);
    const before = buildMonthlyReport(h.db, h.sla, NOVEMBER);
    h.clock.set(local("2026-12-02 10:00"));
    registerOneMore(curator.id, "Снег");
    // The month's posts corrected since: № 2 found to repeat № 1; № 7 (open) made significant, on «Снег»,
    // in a place; the figures are as the month ended.
    const person = findPerson(h.db, OFFICE.curator) as Person;
    const now = h.clock.now();
    expect(markRepeat(h.db, { incidentId: 2, repeatOfId: 1, actor: person, now }).ok).toBe(true);
    for (const detail of [
      { field: "importance", value: "significant" },
      { field: "topic", value: "Снег" },
      { field: "place", value: "ул. Ленина" },
    ] as const)
      expect(changePostDetail(h.db, { incidentId: 7, detail, actor: person, now }).ok).toBe(true);
    const after = buildMonthlyReport(h.db, h.sla, NOVEMBER);
    expect(after.overall).toEqual(before.overall);
    expect(after.violations).toEqual(before.violations);
    expect(after.executors).toEqual(before.executors);
    expect(after.trend).toEqual(before.trend);
  });

  it("a post's own date corrected after the month leaves its final answer's clock (p.13) as the month knew it", async () => {
    h = await Harness.start({ now: "2026-11-24T05:00:00Z" });
    const health = h.seedOrganization("Министерство здравоохранения", "Минздрав");
    const curator = findPerson(h.db, h.seedPerson(OFFICE.curator, "Ольга", ["curator"]).id) as Person;
    const executor = findPerson(h.db, h.seedPerson(OFFICE.executor, "Иван", [], [health]).id) as Person;
    const at = (time: string) => {
      h.clock.set(local(time));
      return h.clock.now();
    };
    const registered = registerIncident(h.db, {
      link: "https://vk.com/wall-1_1",
      linkKey: "vk.com/wall-1_1",
      network: "vk",
      text: null,
      author: null,
      topic: null,
      place: null,
      importance: "normal",
      postedAt: null,
      repeatOfId: null,
      actorId: curator.id,
      now: at("2026-11-24 10:00"),
    });
    if (!registered.ok) throw new Error("not registered");
    const id = registered.incident.id;
    routeIncident(h.db, {
      incidentId: id,
      leadId: health,
      coexecutorIds: [],
      actor: curator,
      now: at("2026-11-24 10:05"),
    });
    acceptIncident(h.db, { incidentId: id, actor: executor, now: at("2026-11-24 10:10") });
    const content = { text: "Вопрос изучается.", attachments: [] };
    submitDraft(h.db, {
      incidentId: id,
      actor: executor,
      now: at("2026-11-24 10:30"),
      content,
      purpose: "interim",
    });
    approveDraft(h.db, { incidentId: id, actor: curator, now: at("2026-11-24 10:40") });
    const link = "https://vk.com/wall-1_1?reply=1";
    expect(
      publishInterim(h.db, { incidentId: id, actor: executor, now: at("2026-11-24 10:50"), link }).ok,
    ).toBe(true);
    at("2026-12-02 10:00");
    const before = buildMonthlyReport(h.db, h.sla, NOVEMBER);
    // In December the curator finds the post was published on 13.11: its p.13 clock moves, but the
    // November the heads were sent knew nothing of it.
    const detail = { field: "postedAt", value: local("2026-11-13 09:00") } as const;
    expect(changePostDetail(h.db, { incidentId: id, detail, actor: curator, now: h.clock.now() }).ok).toBe(
      true,
    );
    const after = buildMonthlyReport(h.db, h.sla, NOVEMBER);
    expect(after.violations).toEqual(before.violations);
    expect(after.overall).toEqual(before.overall);
  });

  it("counts a topic however it was written: «снег» is «Снег», as a surge counts them", async () => {
    h = await Harness.start({ now: "2026-11-09T04:00:00Z" });
    const { curator } = seedNovember(h);
    h.clock.set(local("2026-11-30 10:00"));
    registerOneMore(curator.id, "снег ");
    h.clock.set("2026-12-15T06:00:00Z");
    expect(buildMonthlyReport(h.db, h.sla, NOVEMBER).overall.topTopics[0]).toEqual({
      name: "Снег",
      count: 3,
    });
  });

  it("fits the summary in one message, in Russian", async () => {
    h = await Harness.start({ now: "2026-11-09T04:00:00Z" });
    seedNovember(h);
    const text = tr.summary(buildMonthlyReport(h.db, h.sla, NOVEMBER));
    expect(text.length).toBeLessThanOrEqual(4096);
    expect(text).toContain("Отчёт за ноябрь 2026 г.");
    expect(text).toContain("Ответов размещено: 5, в срок: 4 (80%)");
    expect(text).toContain("Согласовано с первого раза: 5 из 6 (83%); средняя оценка качества: 4,0");
    expect(text).toContain(
      "• Минздрав: основной исполнитель по 5 из поступивших, возвращено 1, ответов 5, сроков ответа соблюдено 5 из 6 (83%), нарушений 3",
    );
  });
});

describe("shares and lateness as the reports say them", () => {
  it("a share is a whole percent rounded down: one answer late of 200 is not a perfect 100%", () => {
    expect([percent(199, 200), percent(200, 200), percent(1, 3), percent(0, 0)]).toEqual([99, 100, 33, null]);
  });

  it("the median lateness of an even count is whole minutes in the workbook, as in the text", async () => {
    h = await Harness.start({ now: "2026-11-09T04:00:00Z" });
    const health = h.seedOrganization("Министерство здравоохранения", "Минздрав");
    const curator = findPerson(h.db, h.seedPerson(OFFICE.curator, "Ольга", ["curator"]).id) as Person;
    const ivan = findPerson(h.db, h.seedPerson(OFFICE.executor, "Иван", [], [health]).id) as Person;
    const at = (time: string) => {
      h.clock.set(local(time));
      return h.clock.now();
    };
    const content = { text: "Ответ", attachments: [] };
    // Both due 10.11 10:00 (p.8), posted 15 and 30 minutes late.
    for (const [n, posted] of [
      [1, "2026-11-10 10:15"],
      [2, "2026-11-10 10:30"],
    ] as const) {
      at("2026-11-09 09:00");
      const id = seedRegistered(h, { link: `https://vk.com/wall-1_${n}` });
      routeIncident(h.db, {
        incidentId: id,
        leadId: health,
        coexecutorIds: [],
        actor: curator,
        now: at("2026-11-09 09:05"),
      });
      acceptIncident(h.db, { incidentId: id, actor: ivan, now: at("2026-11-09 09:10") });
      submitDraft(h.db, { incidentId: id, actor: ivan, now: at("2026-11-09 11:00"), content });
      approveDraft(h.db, { incidentId: id, actor: curator, now: at("2026-11-10 10:05") });
      const link = `https://vk.com/wall-1_${n}?reply=1`;
      const rules = { curatorMayPublish: false };
      expect(
        publishAnswer(h.db, { incidentId: id, actor: ivan, now: at(posted), link, onTime: false, rules }).ok,
      ).toBe(true);
    }
    const report = buildMonthlyReport(h.db, h.sla, NOVEMBER);
    expect(tr.summary(report)).toContain("медиана 22 мин");
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await reportWorkbook(report)) as unknown as ArrayBuffer);
    const medians: unknown[] = [];
    book.getWorksheet("Сводка")?.eachRow((row) => {
      if (String(row.getCell(1).value).startsWith("Медиана опоздания")) medians.push(row.getCell(2).value);
    });
    expect(medians).toEqual([22]);
  });
});

describe("report files", () => {
  it("the spreadsheet opens with a sheet per table, frozen Russian headers and real dates", async () => {
    h = await Harness.start({ now: "2026-11-09T04:00:00Z" });
    seedNovember(h);
    const buffer = await reportWorkbook(buildMonthlyReport(h.db, h.sla, NOVEMBER));
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((s) => s.name)).toEqual([
      "Сводка",
      "По органам",
      "По исполнителям",
      "Нарушения",
      "Сообщения",
    ]);
    const summary = workbook.getWorksheet("Сводка");
    expect(summary?.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
    expect(summary?.getRow(1).values).toEqual([undefined, "Показатель", "Значение"]);
    expect(summary?.getRow(3).values).toEqual([undefined, "Поступило сообщений", 7]);
    const orgs = workbook.getWorksheet("По органам");
    expect(orgs?.getRow(2).getCell(1).value).toBe("Минздрав");
    expect(orgs?.getRow(3).getCell(1).value).toBe("Кураторы");
    expect(orgs?.getRow(4).getCell(1).value).toBe("Закрыто без ответа (оскорбления, угрозы)");
    expect(orgs?.getRow(5).getCell(1).value).toBe("Всего");
    expect(orgs?.getRow(5).getCell(2).value).toBe(7);
    expect(workbook.getWorksheet("По исполнителям")?.getRow(2).values).toEqual([
      undefined,
      "Иван",
      "Минздрав",
      5,
      4,
      0.8,
      1,
    ]);
    const violations = workbook.getWorksheet("Нарушения");
    expect(violations?.getColumn(5).width).toBeGreaterThan(20);
    const first = violations?.getRow(2);
    expect(first?.getCell(1).value).toBe(2);
    expect(first?.getCell(5).value).toBe("прислать проект ответа куратору");
    // Local wall time, as Excel shows it.
    expect(first?.getCell(8).value).toEqual(new Date("2026-11-09T16:00:00Z"));
    expect(first?.getCell(11).value).toBe(180);
    expect(violations?.getRow(5).getCell(9).value).toBeNull();
    expect(violations?.getRow(5).getCell(10).value).toBe("не выполнено к концу месяца");
  });

  it("the chart is a PNG of a sensible size", async () => {
    h = await Harness.start({ now: "2026-11-09T04:00:00Z" });
    seedNovember(h);
    const png = await reportChart(buildMonthlyReport(h.db, h.sla, NOVEMBER));
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.subarray(12, 16).toString("ascii")).toBe("IHDR");
    const width = png.readUInt32BE(16);
    const height = png.readUInt32BE(20);
    expect(width).toBeGreaterThan(600);
    expect(width).toBeLessThan(4000);
    expect(height).toBeGreaterThan(400);
    expect(height).toBeLessThan(4000);
  });
});

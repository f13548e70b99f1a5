/**
 * Co-executors' parts in the violations report (Orenburg p.14: «не более 2 часов с момента
 * поступления»), arranged through the same use-cases the bot calls, in November 2026 under the
 * Orenburg preset (Asia/Yekaterinburg, working hours 09:00–18:00, lunch 13:00–14:00).
 */
import { afterEach, describe, expect, it } from "vitest";
import { approveDraft, publishAnswer, submitDraft } from "../../src/app/answers.js";
import {
  acceptIncident,
  loadIncident,
  passOnPart,
  registerIncident,
  returnIncident,
  returnPart,
  routeIncident,
  sendPart,
} from "../../src/app/incidents.js";
import { changeAccess, findPerson } from "../../src/app/people.js";
import { tr } from "../../src/bot/texts-reports.js";
import type { Person } from "../../src/domain/access.js";
import { buildMonthlyReport, type MonthlyReport } from "../../src/reports/figures.js";
import { Harness } from "../support/bot-harness.js";
import { OFFICE, seedOffice, seedRegistered } from "../support/workflow.js";
import { local, must } from "./seed-month.js";

let h: Harness;
afterEach(() => h.close());

const NOVEMBER = { year: 2026, month: 11 };
const CULTURE_EXECUTOR = 3101;
const CULTURE_COLLEAGUE = 3102;
const SPORT_EXECUTOR = 3201;

/** The health ministry leads; culture and sport are co-executors, each with one executor. */
async function office() {
  h = await Harness.start({ now: "2026-11-09T04:00:00Z" });
  const { health } = seedOffice(h);
  const culture = h.seedOrganization("Министерство культуры", "Минкультуры");
  const sport = h.seedOrganization("Министерство спорта", "Минспорт");
  h.seedPerson(CULTURE_EXECUTOR, "Пётр", [], [culture]);
  h.seedPerson(SPORT_EXECUTOR, "Анна", [], [sport]);
  const person = (telegramId: number) => findPerson(h.db, telegramId) as Person;
  const people = {
    curator: person(OFFICE.curator),
    lead: person(OFFICE.executor),
    culture: person(CULTURE_EXECUTOR),
    sport: person(SPORT_EXECUTOR),
  };
  const at = (time: string) => {
    h.clock.set(local(time));
    return h.clock.now();
  };
  const register = (n: number, time: string): number => {
    const result = registerIncident(h.db, {
      link: `https://vk.com/wall-1_${n}`,
      linkKey: `vk.com/wall-1_${n}`,
      network: "vk",
      text: `Сообщение ${n}`,
      author: null,
      topic: null,
      place: null,
      importance: "normal",
      postedAt: null,
      repeatOfId: null,
      actorId: people.curator.id,
      now: at(time),
    });
    if (!result.ok) throw new Error("duplicate");
    return result.incident.id;
  };
  const route = (incidentId: number, time: string, coexecutorIds: number[]) =>
    must(
      routeIncident(h.db, {
        incidentId,
        leadId: health,
        coexecutorIds,
        actor: people.curator,
        now: at(time),
      }),
    );
  const accept = (incidentId: number, actor: Person, time: string) =>
    must(acceptIncident(h.db, { incidentId, actor, now: at(time) }));
  const part = (incidentId: number, actor: Person, time: string) =>
    must(sendPart(h.db, { incidentId, actor, now: at(time), text: "Работы включены в план на декабрь." }));
  const giveBack = (incidentId: number, actor: Person, time: string) =>
    must(returnIncident(h.db, { incidentId, actor, now: at(time), reason: "Не наша компетенция." }));
  /** The lead's answer that afternoon, every step on time: draft 15:30, approved 15:40, published 15:50. */
  const answer = (incidentId: number, day: string) => {
    must(
      submitDraft(h.db, {
        incidentId,
        actor: people.lead,
        now: at(`${day} 15:30`),
        content: { text: "Здравствуйте! Работы запланированы.", attachments: [] },
      }),
    );
    must(approveDraft(h.db, { incidentId, actor: people.curator, now: at(`${day} 15:40`) }));
    must(
      publishAnswer(h.db, {
        incidentId,
        actor: people.lead,
        now: at(`${day} 15:50`),
        link: `https://vk.com/wall-1_${incidentId}?reply=1`,
        onTime: true,
        rules: { curatorMayPublish: false },
      }),
    );
  };
  return { health, culture, sport, people, register, route, accept, part, giveBack, answer };
}

function rows(report: MonthlyReport) {
  const name = (names: Map<number, string>, id: number | null) => (id === null ? null : names.get(id));
  return report.violations.map((v) => [
    v.incidentId,
    v.step,
    v.clause,
    name(report.organizationNames, v.organizationId),
    name(report.personNames, v.personId),
    v.deadline,
    v.completedAt,
    v.lateMinutes,
  ]);
}

describe("co-executors' parts in the violations", () => {
  it("a part sent late is the co-executor's violation, with who sent it and how late in working time", async () => {
    const o = await office();
    const one = o.register(1, "2026-11-09 10:00");
    o.route(one, "2026-11-09 10:10", [o.culture, o.sport]); // each part due 12:10
    o.accept(one, o.people.lead, "2026-11-09 10:15");
    o.accept(one, o.people.sport, "2026-11-09 10:20");
    o.part(one, o.people.sport, "2026-11-09 11:00");
    o.accept(one, o.people.culture, "2026-11-09 10:30");
    o.part(one, o.people.culture, "2026-11-09 15:10"); // 50 min before lunch + 70 after it
    o.answer(one, "2026-11-09");

    // Never sent by the month's end (Monday 30.11 18:00); the lead's steps are due in December.
    const two = o.register(2, "2026-11-30 14:00");
    o.route(two, "2026-11-30 14:05", [o.culture]); // due 16:05
    o.accept(two, o.people.lead, "2026-11-30 14:10");
    o.accept(two, o.people.culture, "2026-11-30 14:15");

    h.clock.set("2026-12-02T06:00:00Z");
    const report = buildMonthlyReport(h.db, h.sla, NOVEMBER);
    expect(rows(report)).toEqual([
      [
        1,
        "coexecutorPart",
        "п. 14",
        "Минкультуры",
        "Пётр",
        local("2026-11-09 12:10"),
        local("2026-11-09 15:10"),
        120,
      ],
      [2, "coexecutorPart", "п. 14", "Минкультуры", "Пётр", local("2026-11-30 16:05"), null, 115],
    ]);
    expect(tr.violations(report).split("\n").slice(0, 2)).toEqual([
      "Нарушения регламента за ноябрь 2026 г.: 2",
      "№ 1 · Минкультуры · Пётр — прислать информацию соисполнителя (п. 14): срок 09.11.2026 12:10, выполнено 09.11.2026 15:10, опоздание 2 ч",
    ]);
    const culture = report.organizations.find((org) => org.organizationId === o.culture);
    expect(culture).toMatchObject({ name: "Минкультуры", violations: 2 });
    expect(report.overall.steps.find((s) => s.step === "coexecutorPart")).toEqual({
      step: "coexecutorPart",
      total: 3,
      onTime: 1,
    });
  });

  it("a co-executor's return drops only its own part: the other's late part is still its violation", async () => {
    const o = await office();
    const one = o.register(1, "2026-11-11 10:00");
    o.route(one, "2026-11-11 10:10", [o.culture, o.sport]); // each part due 12:10
    o.accept(one, o.people.lead, "2026-11-11 10:15");
    o.giveBack(one, o.people.sport, "2026-11-11 10:20");
    o.accept(one, o.people.culture, "2026-11-11 10:30");
    o.part(one, o.people.culture, "2026-11-11 15:10");
    o.answer(one, "2026-11-11");

    h.clock.set("2026-12-02T06:00:00Z");
    expect(rows(buildMonthlyReport(h.db, h.sla, NOVEMBER))).toEqual([
      [
        1,
        "coexecutorPart",
        "п. 14",
        "Минкультуры",
        "Пётр",
        local("2026-11-11 12:10"),
        local("2026-11-11 15:10"),
        120,
      ],
    ]);
  });

  it("reads parts sent before their audit named the organization: one co-executor's is its own, several's blame nobody", async () => {
    const o = await office();
    const one = o.register(1, "2026-11-10 10:00");
    o.route(one, "2026-11-10 10:10", [o.culture]);
    o.accept(one, o.people.lead, "2026-11-10 10:15");
    o.accept(one, o.people.culture, "2026-11-10 10:20");
    o.part(one, o.people.culture, "2026-11-10 15:10");
    o.answer(one, "2026-11-10");

    // Still in work at the month's end, the lead's steps due in December.
    const two = o.register(2, "2026-11-30 14:00");
    o.route(two, "2026-11-30 14:05", [o.culture, o.sport]); // both due 16:05
    o.accept(two, o.people.lead, "2026-11-30 14:10");
    o.accept(two, o.people.culture, "2026-11-30 14:15");
    o.accept(two, o.people.sport, "2026-11-30 14:20");
    o.part(two, o.people.sport, "2026-11-30 14:30");
    o.part(two, o.people.culture, "2026-11-30 17:00");

    h.database.sqlite
      .prepare(
        "update audit_events set details = json_remove(details, '$.organizationId') where action in ('accept', 'sendPart', 'return')",
      )
      .run();
    const report = buildMonthlyReport(h.db, h.sla, NOVEMBER);
    expect(rows(report)).toEqual([
      [
        1,
        "coexecutorPart",
        "п. 14",
        "Минкультуры",
        "Пётр",
        local("2026-11-10 12:10"),
        local("2026-11-10 15:10"),
        120,
      ],
    ]);
  });
});

describe("whose a late part is (Orenburg p.19)", () => {
  /** Culture's second executor, Семён, and Пётр leaving the ministry at `time`. */
  const colleagues = (o: Awaited<ReturnType<typeof office>>) => {
    h.seedPerson(CULTURE_COLLEAGUE, "Семён", [], [o.culture]);
    h.seedPerson(1001, "Анна", ["admin"]);
    const leaves = (time: string) => {
      const left = changeAccess(h.db, {
        actorId: (findPerson(h.db, 1001) as Person).id,
        personId: o.people.culture.id,
        change: { kind: "membership", organizationId: o.culture },
        configuredAdmins: [],
        now: local(time),
      });
      expect(left.ok).toBe(true);
    };
    return { semyon: findPerson(h.db, CULTURE_COLLEAGUE) as Person, leaves };
  };
  const partLines = (report: MonthlyReport) =>
    tr
      .violations(report)
      .split("\n")
      .filter((line) => line.includes("информацию соисполнителя"));

  it("a part whose time ran out while its taker held it is his, though a colleague sent it after he left", async () => {
    const o = await office();
    const { semyon, leaves } = colleagues(o);
    const one = o.register(1, "2026-11-09 10:00");
    o.route(one, "2026-11-09 10:10", [o.culture]); // due 12:10
    o.accept(one, o.people.lead, "2026-11-09 10:15");
    o.accept(one, o.people.culture, "2026-11-09 10:30");
    leaves("2026-11-09 13:00");
    o.part(one, semyon, "2026-11-09 15:10");
    o.answer(one, "2026-11-09");

    h.clock.set("2026-12-02T06:00:00Z");
    const report = buildMonthlyReport(h.db, h.sla, NOVEMBER);
    expect(partLines(report)).toEqual([
      "№ 1 · Минкультуры · Пётр — прислать информацию соисполнителя (п. 14): срок 09.11.2026 12:10, выполнено 09.11.2026 15:10, опоздание 2 ч",
    ]);
    expect(report.organizations.find((org) => org.organizationId === o.culture)?.violations).toBe(1);
  });

  it("a late part is charged to whoever held it when its time ran out, whether he sent it himself or a colleague sent it for him", async () => {
    const o = await office();
    const { semyon } = colleagues(o);
    const one = o.register(1, "2026-11-09 10:00");
    o.route(one, "2026-11-09 10:10", [o.culture]); // due 12:10
    o.accept(one, o.people.lead, "2026-11-09 10:15");
    o.accept(one, o.people.culture, "2026-11-09 10:30");
    o.part(one, o.people.culture, "2026-11-09 15:10");
    o.answer(one, "2026-11-09");
    const two = o.register(2, "2026-11-10 10:00");
    o.route(two, "2026-11-10 10:10", [o.culture]); // due 12:10
    o.accept(two, o.people.lead, "2026-11-10 10:15");
    o.accept(two, o.people.culture, "2026-11-10 10:30");
    o.part(two, semyon, "2026-11-10 15:10");
    o.answer(two, "2026-11-10");

    h.clock.set("2026-12-02T06:00:00Z");
    expect(partLines(buildMonthlyReport(h.db, h.sla, NOVEMBER))).toEqual([
      "№ 1 · Минкультуры · Пётр — прислать информацию соисполнителя (п. 14): срок 09.11.2026 12:10, выполнено 09.11.2026 15:10, опоздание 2 ч",
      "№ 2 · Минкультуры · Пётр — прислать информацию соисполнителя (п. 14): срок 10.11.2026 12:10, выполнено 10.11.2026 15:10, опоздание 2 ч",
    ]);
  });

  it("a part still owed is its taker's if its time ran out before he left; one nobody held then, the organization's", async () => {
    const o = await office();
    const { leaves } = colleagues(o);
    const one = o.register(1, "2026-11-30 10:00");
    o.route(one, "2026-11-30 10:05", [o.culture]); // due 12:05
    o.accept(one, o.people.culture, "2026-11-30 10:10");
    const two = o.register(2, "2026-11-30 14:00");
    o.route(two, "2026-11-30 14:05", [o.culture]); // due 16:05
    o.accept(two, o.people.culture, "2026-11-30 14:10");
    leaves("2026-11-30 15:00");

    h.clock.set("2026-12-02T06:00:00Z");
    expect(partLines(buildMonthlyReport(h.db, h.sla, NOVEMBER))).toEqual([
      "№ 1 · Минкультуры · Пётр — прислать информацию соисполнителя (п. 14): срок 30.11.2026 12:05, не выполнено к концу месяца, опоздание 4 ч 55 мин",
      "№ 2 · Минкультуры — прислать информацию соисполнителя (п. 14): срок 30.11.2026 16:05, не выполнено к концу месяца, опоздание 1 ч 55 мин",
    ]);
  });
});

/** Monday 09.11.2026 10:00 in Moscow, Georgievsk preset: health leads, culture (Пётр) co-executes. */
async function georgievskOffice() {
  h = await Harness.start({ now: "2026-11-09T07:00:00Z", regulation: "georgievsk" });
  const { health } = seedOffice(h);
  const culture = h.seedOrganization("Министерство культуры", "Минкультуры");
  h.seedPerson(CULTURE_EXECUTOR, "Пётр", [], [culture]);
  const person = (telegramId: number) => findPerson(h.db, telegramId) as Person;
  const rules = { curatorMayPublish: true, curatorPassesParts: true };
  const at = (iso: string) => {
    h.clock.set(iso);
    return h.clock.now();
  };
  return { health, culture, person, curator: person(OFFICE.curator), rules, at };
}

describe("Georgievsk: the curators pass parts on (p.18)", () => {
  it("a part passed on late is the curator's violation, not the co-executor's organization's; one never passed is still owed at the month's end", async () => {
    const { health, culture, person, curator, rules, at } = await georgievskOffice();
    const partOf = (n: number, sentAt: string) => {
      const incidentId = seedRegistered(h, { link: `https://vk.com/wall-1_${n}` });
      const now = h.clock.now();
      must(
        routeIncident(h.db, { incidentId, leadId: health, coexecutorIds: [culture], actor: curator, now }),
      );
      must(acceptIncident(h.db, { incidentId, actor: person(CULTURE_EXECUTOR), now }));
      const actor = person(CULTURE_EXECUTOR);
      must(sendPart(h.db, { incidentId, actor, now: at(sentAt), text: "План.", rules }));
      return incidentId;
    };
    const one = partOf(1, "2026-11-09T08:00:00Z"); // 11:00 MSK: to pass on by 11:30
    must(
      passOnPart(h.db, {
        incidentId: one,
        assignmentId: loadIncident(h.db, one)?.assignments.find((a) => a.organizationId === culture)?.id ?? 0,
        actor: curator,
        now: at("2026-11-09T08:45:00Z"),
        rules,
      }),
    );
    at("2026-11-30T13:00:00Z");
    partOf(2, "2026-11-30T14:00:00Z"); // 17:00 MSK on the month's last day: due 17:30, never passed on
    // Re-routed without the co-executor while its part waited: nothing is owed any more.
    at("2026-11-16T08:00:00Z");
    const three = partOf(3, "2026-11-16T08:00:00Z");
    const now = at("2026-11-16T08:10:00Z");
    must(routeIncident(h.db, { incidentId: three, leadId: health, coexecutorIds: [], actor: curator, now }));

    h.clock.set("2026-12-02T07:00:00Z");
    const report = buildMonthlyReport(h.db, h.sla, NOVEMBER);
    expect(rows(report).filter((row) => row[1] === "coexecutorPassOn")).toEqual([
      [
        1,
        "coexecutorPassOn",
        "п. 18",
        null,
        "Ольга",
        new Date("2026-11-09T08:30:00Z"),
        new Date("2026-11-09T08:45:00Z"),
        15,
      ],
      [2, "coexecutorPassOn", "п. 18", null, null, new Date("2026-11-30T14:30:00Z"), null, 30],
    ]);
    expect(tr.violations(report)).toContain(
      "№ 1 · куратор Ольга — передать основному исполнителю информацию соисполнителя (п. 18): срок 09.11.2026 11:30, выполнено 09.11.2026 11:45, опоздание 15 мин",
    );
    expect(tr.violations(report)).toContain("№ 2 · кураторы — передать основному исполнителю");
    expect(report.organizations.find((org) => org.organizationId === culture)?.violations ?? 0).toBe(0);
    expect(report.curators.violations).toBe(2);
  });

  it("a part returned for rework is the curator's decision in time, and its late rework the co-executor's violation", async () => {
    const { health, culture, person, curator, rules, at } = await georgievskOffice();
    const executor = person(CULTURE_EXECUTOR);
    const incidentId = seedRegistered(h, { link: "https://vk.com/wall-1_1" });
    const now = h.clock.now();
    must(routeIncident(h.db, { incidentId, leadId: health, coexecutorIds: [culture], actor: curator, now }));
    must(acceptIncident(h.db, { incidentId, actor: executor, now }));
    must(
      sendPart(h.db, { incidentId, actor: executor, now: at("2026-11-09T08:00:00Z"), text: "План.", rules }),
    );
    const assignmentId = loadIncident(h.db, incidentId)?.assignments.find(
      (a) => a.organizationId === culture,
    )?.id;
    const decision = { incidentId, assignmentId: assignmentId ?? 0, actor: curator, rules };
    // Returned at 11:20 MSK, within the curator's 30 minutes: the rework is due at 11:50, it comes at 12:10.
    must(returnPart(h.db, { ...decision, now: at("2026-11-09T08:20:00Z"), comment: "Нужны сроки." }));
    must(
      sendPart(h.db, {
        incidentId,
        actor: executor,
        now: at("2026-11-09T09:10:00Z"),
        text: "До пятницы.",
        rules,
      }),
    );
    // The curator passes on the sending he was shown: the one of 12:10.
    const version = Math.floor(at("2026-11-09T09:10:00Z").getTime() / 1000);
    must(passOnPart(h.db, { ...decision, version, now: at("2026-11-09T09:20:00Z") }));

    h.clock.set("2026-12-02T07:00:00Z");
    const report = buildMonthlyReport(h.db, h.sla, NOVEMBER);
    const of = (step: string) => rows(report).filter((row) => row[1] === step);
    expect(of("coexecutorPassOn")).toEqual([]);
    expect(of("coexecutorPart")).toEqual([]);
    expect(of("coexecutorRework")).toEqual([
      [
        incidentId,
        "coexecutorRework",
        "п. 14, 18",
        "Минкультуры",
        "Пётр",
        new Date("2026-11-09T08:50:00Z"),
        new Date("2026-11-09T09:10:00Z"),
        20,
      ],
    ]);
    expect(tr.violations(report)).toContain("доработать информацию соисполнителя (п. 14, 18)");
  });
});

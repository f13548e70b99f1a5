/**
 * Whose a violation is (Orenburg p.19: the heads of the organizations concerned use the list to find
 * who failed): the curators answer for their own steps, and an executor's step is the organization's
 * and the person's that held the post when it was done or when the month ended. November 2026 under
 * the Orenburg preset (Asia/Yekaterinburg, 09:00–18:00, lunch 13:00–14:00), arranged through the
 * same use-cases the bot calls.
 */
import ExcelJS from "exceljs";
import { afterEach, describe, expect, it } from "vitest";
import { approveDraft, publishAnswer, publishInterim, submitDraft } from "../../src/app/answers.js";
import { acceptIncident, registerIncident, returnIncident, routeIncident } from "../../src/app/incidents.js";
import { changeAccess, findPerson } from "../../src/app/people.js";
import { tr } from "../../src/bot/texts-reports.js";
import type { Person } from "../../src/domain/access.js";
import { monthlyReports } from "../../src/jobs/reports.js";
import { chartSpec } from "../../src/reports/chart.js";
import { buildMonthlyReport } from "../../src/reports/figures.js";
import { Harness } from "../support/bot-harness.js";
import { OFFICE, seedOffice } from "../support/workflow.js";
import { local, must } from "./seed-month.js";

let h: Harness;
afterEach(() => h.close());

const NOVEMBER = { year: 2026, month: 11 };
const ROADS_CHAT = -300;
const ROADS_EXECUTOR = 3301;

const kinds = (chatId: number) => h.fake.messages(chatId).map((m) => m.media?.type ?? m.text?.split("\n")[0]);

/** The health ministry (Иван) and the roads ministry (Пётр), each with its work chat. */
async function office() {
  h = await Harness.start({ now: "2026-11-09T04:00:00Z" });
  const { health } = seedOffice(h);
  const roads = h.seedOrganization("Министерство дорожного хозяйства", "Миндор");
  h.seedChat(h.group(ROADS_CHAT, "Миндор: обращения"), roads);
  h.seedPerson(ROADS_EXECUTOR, "Пётр", [], [roads]);
  const person = (telegramId: number) => findPerson(h.db, telegramId) as Person;
  const curator = person(OFFICE.curator);
  const ivan = person(OFFICE.executor);
  const petr = person(ROADS_EXECUTOR);
  const at = (time: string) => {
    h.clock.set(local(time));
    return h.clock.now();
  };
  const register = (time: string, n = 1): number => {
    const result = registerIncident(h.db, {
      link: `https://vk.com/wall-1_${n}`,
      linkKey: `vk.com/wall-1_${n}`,
      network: "vk",
      text: "Яма на дороге.",
      author: null,
      topic: null,
      place: null,
      importance: "normal",
      postedAt: null,
      repeatOfId: null,
      actorId: curator.id,
      now: at(time),
    });
    if (!result.ok) throw new Error("duplicate");
    return result.incident.id;
  };
  const route = (incidentId: number, leadId: number, time: string) =>
    must(routeIncident(h.db, { incidentId, leadId, coexecutorIds: [], actor: curator, now: at(time) }));
  const accept = (incidentId: number, actor: Person, time: string) =>
    must(acceptIncident(h.db, { incidentId, actor, now: at(time) }));
  const submit = (incidentId: number, actor: Person, time: string) =>
    must(
      submitDraft(h.db, {
        incidentId,
        actor,
        now: at(time),
        content: { text: "Здравствуйте! Яму заделают до пятницы.", attachments: [] },
      }),
    );
  const approve = (incidentId: number, time: string) =>
    must(approveDraft(h.db, { incidentId, actor: curator, now: at(time) }));
  const publish = (incidentId: number, actor: Person, time: string, onTime: boolean) =>
    must(
      publishAnswer(h.db, {
        incidentId,
        actor,
        now: at(time),
        link: `https://vk.com/wall-1_1?reply=${incidentId}`,
        onTime,
        rules: { curatorMayPublish: false },
      }),
    );
  return { health, roads, curator, ivan, petr, at, register, route, accept, submit, approve, publish };
}

describe("whose a violation is", () => {
  it("the curators' late routing and decision are theirs: not the organization's count, nor sent to its chat", async () => {
    const o = await office();
    const one = o.register("2026-11-09 10:00"); // routing due 10:30 (p.6)
    o.route(one, o.health, "2026-11-09 11:30"); // an hour late
    o.accept(one, o.ivan, "2026-11-09 11:35");
    o.submit(one, o.ivan, "2026-11-09 12:00"); // the decision due 12:30 (p.10)
    o.approve(one, "2026-11-09 14:30"); // an hour late, lunch aside
    o.publish(one, o.ivan, "2026-11-09 14:40", true);

    h.clock.set(local("2026-12-01 10:00"));
    await monthlyReports(h.deps());
    const violations = h.texts(OFFICE.curatorsChat).find((text) => text.startsWith("Нарушения"));
    expect(violations?.split("\n")).toEqual([
      "Нарушения регламента за ноябрь 2026 г.: 2",
      "№ 1 · куратор Ольга — направить исполнителю (п. 6): срок 09.11.2026 10:30, выполнено 09.11.2026 11:30, опоздание 1 ч",
      "№ 1 · куратор Ольга — согласовать или вернуть на доработку (п. 10): срок 09.11.2026 12:30, выполнено 09.11.2026 14:30, опоздание 1 ч",
    ]);
    expect(kinds(OFFICE.healthChat)).toEqual([]);
    const summary = h.texts(OFFICE.curatorsChat)[0] ?? "";
    expect(summary).toContain(
      "• Минздрав: основной исполнитель по 1 из поступивших, ответов 1, сроков ответа соблюдено 1 из 1 (100%), нарушений 0",
    );
    expect(summary).toContain("Кураторы: этапов в срок 0 из 2 (0%), нарушений 2");
  });

  it("an answer deadline that ran out while the curators held the post is theirs: routing late, deciding late", async () => {
    const o = await office();
    // № 1: routed the next day, after its answer was due (10.11 11:00, p.8): the curators'.
    const one = o.register("2026-11-09 10:00");
    o.route(one, o.health, "2026-11-10 12:00");
    o.accept(one, o.ivan, "2026-11-10 12:05");
    o.submit(one, o.ivan, "2026-11-10 12:30");
    o.approve(one, "2026-11-10 12:40");
    o.publish(one, o.ivan, "2026-11-10 12:50", false);
    // № 2: its draft before the curators from 11.11 11:00 to 12.11 16:00, over its answer deadline (12.11 11:00).
    const id = o.register("2026-11-11 10:00", 2);
    o.route(id, o.health, "2026-11-11 10:05");
    o.accept(id, o.ivan, "2026-11-11 10:10");
    o.submit(id, o.ivan, "2026-11-11 11:00");
    o.approve(id, "2026-11-12 16:00");
    o.publish(id, o.ivan, "2026-11-12 16:10", false);

    const report = buildMonthlyReport(h.db, h.sla, NOVEMBER);
    const answers = tr
      .violations(report)
      .split("\n")
      .filter((line) => line.includes("ответ на сообщение (п. 8)"));
    expect(answers).toEqual([
      expect.stringMatching(/^№ 1 · кураторы — ответ на сообщение \(п\. 8\): срок 10\.11\.2026 11:00/),
      expect.stringMatching(/^№ 2 · кураторы — ответ на сообщение \(п\. 8\): срок 12\.11\.2026 11:00/),
    ]);
    const health = report.organizations.find((org) => org.organizationId === o.health);
    expect(health?.violations).toBe(0);
    // Nor is the organization's share of answers in time cut for them; the whole office's is.
    expect([health?.answered, health?.answeredOnTime]).toEqual([2, 2]);
    expect([report.overall.answered, report.overall.answeredOnTime]).toEqual([2, 0]);
    // «По исполнителям»: posted late, but through no fault of the executor's.
    expect(report.executors.map((e) => [e.name, e.answered, e.onTime])).toEqual([["Иван", 2, 2]]);
  });

  it("Georgievsk p.15: a final draft sent in time is the organization's step, though sending it puts the post with the curators", async () => {
    h = await Harness.start({ now: "2026-11-09T07:00:00Z", regulation: "georgievsk" });
    const { health } = seedOffice(h);
    const curator = findPerson(h.db, OFFICE.curator) as Person;
    const ivan = findPerson(h.db, OFFICE.executor) as Person;
    const at = (moscow: string) => {
      h.clock.set(new Date(`${moscow.replace(" ", "T")}:00+03:00`));
      return h.clock.now();
    };
    const content = { text: "Здравствуйте! Разбираемся.", attachments: [] };
    const rules = { curatorMayPublish: true };
    const id = registerIncident(h.db, {
      link: "https://vk.com/wall-1_1",
      linkKey: "vk.com/wall-1_1",
      network: "vk",
      text: "Яма на дороге.",
      author: null,
      topic: null,
      place: null,
      importance: "normal",
      postedAt: null,
      repeatOfId: null,
      actorId: curator.id,
      now: at("2026-11-09 10:00"),
    });
    if (!id.ok) throw new Error("not registered");
    const incidentId = id.incident.id;
    must(
      routeIncident(h.db, {
        incidentId,
        leadId: health,
        coexecutorIds: [],
        actor: curator,
        now: at("2026-11-09 10:05"),
      }),
    );
    must(acceptIncident(h.db, { incidentId, actor: ivan, now: at("2026-11-09 10:10") }));
    must(
      submitDraft(h.db, {
        incidentId,
        actor: ivan,
        now: at("2026-11-09 10:30"),
        content,
        purpose: "interim",
      }),
    );
    must(approveDraft(h.db, { incidentId, actor: curator, now: at("2026-11-09 10:40") }));
    must(
      publishInterim(h.db, {
        incidentId,
        actor: ivan,
        now: at("2026-11-09 10:50"),
        link: "https://vk.com/wall-1_1?reply=1",
        rules,
      }),
    );
    // The final draft three days later, well within the 7 working days of p.15.
    must(submitDraft(h.db, { incidentId, actor: ivan, now: at("2026-11-12 11:00"), content }));
    must(approveDraft(h.db, { incidentId, actor: curator, now: at("2026-11-12 11:10") }));
    must(
      publishAnswer(h.db, {
        incidentId,
        actor: ivan,
        now: at("2026-11-12 11:20"),
        link: "https://vk.com/wall-1_1?reply=2",
        onTime: true,
        rules,
      }),
    );

    const report = buildMonthlyReport(h.db, h.sla, NOVEMBER);
    const organization = report.organizations.find((o) => o.organizationId === health);
    expect(organization?.steps.find((s) => s.step === "finalAfterInterim")).toEqual({
      step: "finalAfterInterim",
      total: 1,
      onTime: 1,
    });
    expect(report.curators.total).toBe(3); // the routing and the two decisions
  });

  it("an answer deadline that ran out before the post was taken to another organization is the first one's and its executor's, as its alerts said", async () => {
    const o = await office();
    const one = o.register("2026-11-09 10:00"); // answer due 10.11 11:00 (p.8)
    o.route(one, o.health, "2026-11-09 10:10");
    o.accept(one, o.ivan, "2026-11-09 10:15");
    o.route(one, o.roads, "2026-11-10 12:00"); // taken from Минздрав an hour after the answer was due
    o.accept(one, o.petr, "2026-11-10 12:05");
    o.submit(one, o.petr, "2026-11-10 12:30");
    o.approve(one, "2026-11-10 12:40");
    o.publish(one, o.petr, "2026-11-10 12:50", false);

    const report = buildMonthlyReport(h.db, h.sla, NOVEMBER);
    const answers = tr
      .violations(report)
      .split("\n")
      .filter((line) => line.includes("ответ на сообщение (п. 8)"));
    expect(answers).toEqual([
      expect.stringMatching(/^№ 1 · Минздрав · Иван — ответ на сообщение \(п\. 8\): срок 10\.11\.2026 11:00/),
    ]);
    const violationsOf = (id: number) =>
      report.organizations.find((org) => org.organizationId === id)?.violations;
    // Минздрав's own draft (p.9) was late too.
    expect([violationsOf(o.health), violationsOf(o.roads)]).toEqual([2, 0]);
  });

  it("a late answer after the post was returned and routed again is the one who then held it", async () => {
    const o = await office();
    const one = o.register("2026-11-09 10:00"); // answer due 10.11 11:00 (p.8)
    o.route(one, o.health, "2026-11-09 10:10");
    o.accept(one, o.ivan, "2026-11-09 10:15");
    must(
      returnIncident(h.db, {
        incidentId: one,
        actor: o.ivan,
        now: o.at("2026-11-09 10:20"),
        reason: "Дороги не наши.",
      }),
    );
    o.route(one, o.roads, "2026-11-09 10:25");
    o.accept(one, o.petr, "2026-11-09 10:30");
    o.submit(one, o.petr, "2026-11-09 15:00");
    o.approve(one, "2026-11-09 15:10"); // publication due 15:40 (p.12)
    o.publish(one, o.petr, "2026-11-10 12:00", false);

    const report = buildMonthlyReport(h.db, h.sla, NOVEMBER);
    expect(tr.violations(report).split("\n")).toEqual([
      "Нарушения регламента за ноябрь 2026 г.: 2",
      "№ 1 · Миндор · Пётр — разместить согласованный ответ (п. 12): срок 09.11.2026 15:40, выполнено 10.11.2026 12:00, опоздание 5 ч 20 мин",
      "№ 1 · Миндор · Пётр — ответ на сообщение (п. 8): срок 10.11.2026 11:00, выполнено 10.11.2026 12:00, опоздание 1 ч",
    ]);
    const violationsOf = (id: number) =>
      report.organizations.find((org) => org.organizationId === id)?.violations;
    expect([violationsOf(o.health), violationsOf(o.roads)]).toEqual([0, 2]);
    expect(report.executors.map((e) => [e.name, e.answered, e.onTime])).toEqual([["Пётр", 1, 0]]);
  });

  it("an answer a curator posted is its author's in «По исполнителям», not the curator's (Georgievsk p.12)", async () => {
    const o = await office();
    const one = o.register("2026-11-09 10:00");
    o.route(one, o.health, "2026-11-09 10:05");
    o.accept(one, o.ivan, "2026-11-09 10:10");
    o.submit(one, o.ivan, "2026-11-09 11:00");
    o.approve(one, "2026-11-09 11:10");
    must(
      publishAnswer(h.db, {
        incidentId: one,
        actor: o.curator,
        now: o.at("2026-11-09 11:20"),
        link: "https://vk.com/wall-1_1?reply=9",
        onTime: true,
        rules: { curatorMayPublish: true },
      }),
    );
    const report = buildMonthlyReport(h.db, h.sla, NOVEMBER);
    expect(report.executors.map((e) => [e.name, e.answered, e.onTime])).toEqual([["Иван", 1, 1]]);
  });

  it("a draft due after its holder left is the organization's: neither he nor the colleague who sent it late is named", async () => {
    const o = await office();
    const semyon = h.seedPerson(3005, "Семён", [], [o.health]);
    const one = o.register("2026-11-09 10:00"); // the draft due 16:00 (p.9)
    o.route(one, o.health, "2026-11-09 10:05");
    o.accept(one, o.ivan, "2026-11-09 10:10");
    h.seedPerson(1001, "Анна", ["admin"]);
    const admin = findPerson(h.db, 1001) as Person;
    const left = changeAccess(h.db, {
      actorId: admin.id,
      personId: o.ivan.id,
      change: { kind: "membership", organizationId: o.health },
      configuredAdmins: [],
      now: o.at("2026-11-09 11:00"),
    });
    expect(left.ok).toBe(true);
    o.submit(one, findPerson(h.db, semyon.tg.id) as Person, "2026-11-10 10:00");

    const report = buildMonthlyReport(h.db, h.sla, NOVEMBER);
    const draft = tr
      .violations(report)
      .split("\n")
      .filter((line) => line.includes("прислать проект"));
    expect(draft).toEqual([
      "№ 1 · Минздрав — прислать проект ответа куратору (п. 9): срок 09.11.2026 16:00, выполнено 10.11.2026 10:00, опоздание 3 ч",
    ]);
  });

  it("a draft whose time ran out while an executor held the post is his, though a colleague sent it after he left", async () => {
    const o = await office();
    const semyon = h.seedPerson(3005, "Семён", [], [o.health]);
    const one = o.register("2026-11-09 10:00"); // the draft due 16:00 (p.9)
    o.route(one, o.health, "2026-11-09 10:05");
    o.accept(one, o.ivan, "2026-11-09 10:10");
    h.seedPerson(1001, "Анна", ["admin"]);
    const admin = findPerson(h.db, 1001) as Person;
    const left = changeAccess(h.db, {
      actorId: admin.id,
      personId: o.ivan.id,
      change: { kind: "membership", organizationId: o.health },
      configuredAdmins: [],
      now: o.at("2026-11-09 17:00"), // an hour after the draft was due
    });
    expect(left.ok).toBe(true);
    o.submit(one, findPerson(h.db, semyon.tg.id) as Person, "2026-11-10 10:00");

    const report = buildMonthlyReport(h.db, h.sla, NOVEMBER);
    const draft = tr
      .violations(report)
      .split("\n")
      .filter((line) => line.includes("прислать проект"));
    expect(draft).toEqual([
      "№ 1 · Минздрав · Иван — прислать проект ответа куратору (п. 9): срок 09.11.2026 16:00, выполнено 10.11.2026 10:00, опоздание 3 ч",
    ]);
  });

  it("a curator who joined as a decision fell due, or after, is not named for it: «кураторы»; for one due later he is", async () => {
    const o = await office();
    const one = o.register("2026-11-09 10:00");
    const two = o.register("2026-11-09 10:00", 2);
    for (const id of [one, two]) {
      o.route(id, o.health, "2026-11-09 10:05");
      o.accept(id, o.ivan, "2026-11-09 10:10");
    }
    o.submit(one, o.ivan, "2026-11-09 11:00"); // the decision due 11:30 (p.10)
    o.submit(two, o.ivan, "2026-11-09 11:10"); // due 11:40
    o.at("2026-11-09 11:30");
    h.seedPerson(2003, "Татьяна", ["curator"]); // invited as № 1's decision fell due
    const tanya = findPerson(h.db, 2003) as Person;
    for (const incidentId of [one, two])
      must(approveDraft(h.db, { incidentId, actor: tanya, now: o.at("2026-11-09 12:00") }));

    const report = buildMonthlyReport(h.db, h.sla, NOVEMBER);
    expect(
      tr
        .violations(report)
        .split("\n")
        .filter((line) => line.includes("согласовать")),
    ).toEqual([
      "№ 1 · кураторы — согласовать или вернуть на доработку (п. 10): срок 09.11.2026 11:30, выполнено 09.11.2026 12:00, опоздание 30 мин",
      "№ 2 · куратор Татьяна — согласовать или вернуть на доработку (п. 10): срок 09.11.2026 11:40, выполнено 09.11.2026 12:00, опоздание 20 мин",
    ]);
    expect(report.curators.violations).toBe(2);
  });

  it("a co-executor's part already overdue when a colleague took it is its organization's, not his; one he let run out is his", async () => {
    const o = await office();
    const one = o.register("2026-11-09 10:00");
    const two = o.register("2026-11-09 10:00", 2);
    for (const id of [one, two])
      must(
        routeIncident(h.db, {
          incidentId: id,
          leadId: o.health,
          coexecutorIds: [o.roads],
          actor: o.curator,
          now: o.at("2026-11-09 10:05"),
        }),
      ); // the parts due 12:05 (p.14)
    // № 1: nobody at Миндор took its part in time; Пётр picks it up in the evening to help.
    must(acceptIncident(h.db, { incidentId: one, actor: o.petr, now: o.at("2026-11-09 21:00") }));
    // № 2: Пётр took it in time and let it run out.
    must(acceptIncident(h.db, { incidentId: two, actor: o.petr, now: o.at("2026-11-09 10:30") }));

    h.clock.set(local("2026-12-01 10:00"));
    await monthlyReports(h.deps());
    expect(h.texts(ROADS_CHAT)[0]?.split("\n")).toEqual([
      "Нарушения регламента за ноябрь 2026 г., Миндор: 2",
      "№ 1 · Миндор · не взято в работу (затем Пётр) — прислать информацию соисполнителя (п. 14): срок 09.11.2026 12:05, не выполнено к концу месяца, опоздание 15 раб. дн. 4 ч 55 мин",
      "№ 2 · Миндор · Пётр — прислать информацию соисполнителя (п. 14): срок 09.11.2026 12:05, не выполнено к концу месяца, опоздание 15 раб. дн. 4 ч 55 мин",
    ]);
  });

  it("a post nobody took before its draft was due: the organization's, said not taken, and who took it up after", async () => {
    const o = await office();
    const one = o.register("2026-11-09 10:00"); // the draft due 16:00 (p.9)
    o.route(one, o.health, "2026-11-09 10:05");
    o.accept(one, o.ivan, "2026-11-10 09:00"); // the next morning
    o.submit(one, o.ivan, "2026-11-10 09:30");
    o.approve(one, "2026-11-10 09:40");
    o.publish(one, o.ivan, "2026-11-10 09:50", true);

    const report = buildMonthlyReport(h.db, h.sla, NOVEMBER);
    expect(tr.violations(report).split("\n")).toEqual([
      "Нарушения регламента за ноябрь 2026 г.: 1",
      "№ 1 · Минздрав · не взято в работу (затем Иван) — прислать проект ответа куратору (п. 9): срок 09.11.2026 16:00, выполнено 10.11.2026 09:30, опоздание 2 ч 30 мин",
    ]);
    expect(report.organizations.find((org) => org.organizationId === o.health)?.violations).toBe(1);
  });

  it("an approved answer a stand-in posts late is the holder's at its deadline; with nobody holding it then, the organization's, never the stand-in's", async () => {
    const o = await office();
    h.seedPerson(3005, "Семён", [], [o.health]);
    const semyon = findPerson(h.db, 3005) as Person;
    // № 1: Иван is away; Семён posts his approved answer for him.
    const one = o.register("2026-11-09 10:00");
    o.route(one, o.health, "2026-11-09 10:05");
    o.accept(one, o.ivan, "2026-11-09 10:10");
    o.submit(one, o.ivan, "2026-11-09 11:00");
    o.approve(one, "2026-11-09 11:10"); // to be posted by 11:40 (p.12)
    o.publish(one, semyon, "2026-11-09 12:00", true);
    // № 2: Иван leaves the organization before its approved answer was due.
    const two = o.register("2026-11-10 10:00", 2);
    o.route(two, o.health, "2026-11-10 10:05");
    o.accept(two, o.ivan, "2026-11-10 10:10");
    o.submit(two, o.ivan, "2026-11-10 11:00");
    o.approve(two, "2026-11-10 11:10");
    h.seedPerson(1001, "Анна", ["admin"]);
    const admin = findPerson(h.db, 1001) as Person;
    const left = changeAccess(h.db, {
      actorId: admin.id,
      personId: o.ivan.id,
      change: { kind: "membership", organizationId: o.health },
      configuredAdmins: [],
      now: o.at("2026-11-10 11:20"),
    });
    expect(left.ok).toBe(true);
    o.publish(two, semyon, "2026-11-10 12:00", true);

    const report = buildMonthlyReport(h.db, h.sla, NOVEMBER);
    expect(tr.violations(report).split("\n")).toEqual([
      "Нарушения регламента за ноябрь 2026 г.: 2",
      "№ 1 · Минздрав · Иван — разместить согласованный ответ (п. 12): срок 09.11.2026 11:40, выполнено 09.11.2026 12:00, опоздание 20 мин",
      "№ 2 · Минздрав — разместить согласованный ответ (п. 12): срок 10.11.2026 11:40, выполнено 10.11.2026 12:00, опоздание 20 мин",
    ]);
  });

  it("an answer still owed at the month's end is the organization's and the executor's holding the post then", async () => {
    const o = await office();
    const one = o.register("2026-11-27 10:00"); // Friday: the answer due Monday 30.11 11:00, the draft 27.11 16:00
    o.route(one, o.health, "2026-11-27 10:10");
    o.accept(one, o.ivan, "2026-11-27 10:15");

    h.clock.set(local("2026-12-01 10:00"));
    await monthlyReports(h.deps());
    expect(h.texts(OFFICE.healthChat)[0]?.split("\n")).toEqual([
      "Нарушения регламента за ноябрь 2026 г., Минздрав: 2",
      "№ 1 · Минздрав · Иван — прислать проект ответа куратору (п. 9): срок 27.11.2026 16:00, не выполнено к концу месяца, опоздание 10 ч",
      "№ 1 · Минздрав · Иван — ответ на сообщение (п. 8): срок 30.11.2026 11:00, не выполнено к концу месяца, опоздание 6 ч",
    ]);
    const summary = h.texts(OFFICE.curatorsChat)[0] ?? "";
    expect(summary).toContain(
      "• Минздрав: основной исполнитель по 1 из поступивших, ответов 0, сроков ответа соблюдено 0 из 1 (0%), нарушений 2",
    );
  });
});

describe("an organization's answers in time are of its answer deadlines of the month", () => {
  it("an answer due and not posted is not in time: the text, the chart and the workbook show it, an organization that posted none at 0%", async () => {
    const o = await office();
    // Both due Tuesday 10.11 11:00 (p.8: 9 working hours from detection).
    const answered = o.register("2026-11-09 10:00", 1);
    const forgotten = o.register("2026-11-09 10:00", 2);
    const roads = o.register("2026-11-09 10:00", 3);
    o.route(answered, o.health, "2026-11-09 10:05");
    o.route(forgotten, o.health, "2026-11-09 10:05");
    o.route(roads, o.roads, "2026-11-09 10:05");
    o.accept(answered, o.ivan, "2026-11-09 10:10");
    o.accept(forgotten, o.ivan, "2026-11-09 10:10");
    o.accept(roads, o.petr, "2026-11-09 10:10");
    o.submit(answered, o.ivan, "2026-11-09 11:00");
    o.approve(answered, "2026-11-09 11:10");
    o.publish(answered, o.ivan, "2026-11-09 11:20", true);

    h.clock.set(local("2026-12-01 10:00"));
    await monthlyReports(h.deps());
    const [summary, , workbook] = h.fake.messages(OFFICE.curatorsChat);
    const lines = summary?.text?.split("\n") ?? [];
    expect(lines).toContain(
      "• Миндор: основной исполнитель по 1 из поступивших, ответов 0, сроков ответа соблюдено 0 из 1 (0%), нарушений 2",
    );
    expect(lines).toContain(
      "• Минздрав: основной исполнитель по 2 из поступивших, ответов 1, сроков ответа соблюдено 1 из 2 (50%), нарушений 2",
    );

    const sheets = new ExcelJS.Workbook();
    await sheets.xlsx.load(h.fake.file(workbook?.media?.file_id ?? "")?.data as unknown as ArrayBuffer);
    const rows: unknown[][] = [];
    sheets.getWorksheet("По органам")?.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    const column = rows[0]?.indexOf("Сроков ответа") ?? -1;
    expect(rows[0]?.slice(column, column + 3)).toEqual([
      "Сроков ответа",
      "Сроков ответа соблюдено",
      "Доля в срок",
    ]);
    const deadlines = new Map(rows.slice(1).map((row) => [row[0], row.slice(column, column + 3)]));
    expect(deadlines.get("Миндор")).toEqual([1, 0, 0]);
    expect(deadlines.get("Минздрав")).toEqual([2, 1, 0.5]);
    expect(deadlines.get("Всего")).toEqual([3, 1, 0.33]);

    // The chart has the bar of the organization that posted no answer, at 0%.
    const spec = chartSpec(buildMonthlyReport(h.db, h.sla, NOVEMBER)) as {
      vconcat: { data: { values: unknown } }[];
    };
    expect(spec.vconcat[0]?.data.values).toEqual([
      { name: "Миндор", share: 0 },
      { name: "Минздрав", share: 50 },
    ]);
  });
});

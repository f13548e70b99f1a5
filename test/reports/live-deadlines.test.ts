/**
 * The monthly report judges each step against the deadline its card and alerts showed: a returned
 * post is due for routing again from its return; under Georgievsk a new routing after a return
 * restarts the answer clock (p.16), and with co-executors the lead's draft runs from the moment the
 * last part reached it (p.18). A step that a routing again, the answer, closing the post or the
 * lead's return ends before it is done was missed if its deadline had passed by then. Arranged
 * through the same use-cases the bot calls, on Monday 09.11.2026 (working hours 09:00–18:00, lunch
 * 13:00–14:00).
 */
import { afterEach, describe, expect, it } from "vitest";
import {
  approveDraft,
  publishAnswer,
  publishInterim,
  recordClarification,
  requestRework,
  submitDraft,
} from "../../src/app/answers.js";
import {
  acceptIncident,
  closeAsToxic,
  loadIncident,
  passOnPart,
  registerIncident,
  releaseTurn,
  returnIncident,
  returnPart,
  routeIncident,
  sendPart,
} from "../../src/app/incidents.js";
import { findPerson } from "../../src/app/people.js";
import { tr } from "../../src/bot/texts-reports.js";
import type { Person } from "../../src/domain/access.js";
import { actionRules, type DraftPurpose, partVersion } from "../../src/domain/incident.js";
import { sweep } from "../../src/jobs/sweep.js";
import { buildMonthlyReport, type MonthlyReport } from "../../src/reports/figures.js";
import { Harness } from "../support/bot-harness.js";
import { OFFICE, seedOffice } from "../support/workflow.js";
import { must } from "./seed-month.js";

let h: Harness;
afterEach(() => h.close());

const NOVEMBER = { year: 2026, month: 11 };
const ROADS_EXECUTOR = 3301;
const CULTURE_EXECUTOR = 3101;
const SPORT_EXECUTOR = 3201;

/** Local wall time of each preset's zone: Orenburg Asia/Yekaterinburg, Georgievsk Europe/Moscow. */
const OFFSET = { orenburg: "+05:00", georgievsk: "+03:00" } as const;

/**
 * Health (Иван) and roads (Пётр) as leads; culture (Анна) and sport (Мария) as co-executors; Ольга
 * the curator. Times are "HH:mm" on 09.11.2026 or "yyyy-MM-dd HH:mm", local to the preset.
 */
async function office(regulation: "orenburg" | "georgievsk") {
  const local = (time: string) =>
    new Date(`${time.includes(" ") ? time.replace(" ", "T") : `2026-11-09T${time}`}:00${OFFSET[regulation]}`);
  h = await Harness.start({ now: local("09:00").toISOString(), regulation });
  const { health } = seedOffice(h);
  const roads = h.seedOrganization("Министерство дорожного хозяйства", "Миндор");
  const culture = h.seedOrganization("Министерство культуры", "Минкультуры");
  const sport = h.seedOrganization("Министерство спорта", "Минспорт");
  h.seedPerson(ROADS_EXECUTOR, "Пётр", [], [roads]);
  h.seedPerson(CULTURE_EXECUTOR, "Анна", [], [culture]);
  h.seedPerson(SPORT_EXECUTOR, "Мария", [], [sport]);
  const person = (telegramId: number) => findPerson(h.db, telegramId) as Person;
  const people = {
    curator: person(OFFICE.curator),
    ivan: person(OFFICE.executor),
    petr: person(ROADS_EXECUTOR),
    anna: person(CULTURE_EXECUTOR),
    maria: person(SPORT_EXECUTOR),
  };
  const rules = actionRules(h.sla.regulation);
  const at = (time: string) => {
    h.clock.set(local(time));
    return h.clock.now();
  };
  let posts = 0;
  const register = (time: string): number => {
    posts++;
    const result = registerIncident(h.db, {
      link: `https://vk.com/wall-1_${posts}`,
      linkKey: `vk.com/wall-1_${posts}`,
      network: "vk",
      text: `Сообщение ${posts}`,
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
  const route = (
    incidentId: number,
    leadId: number,
    time: string,
    coexecutorIds: number[] = [],
    inOrder = false,
    /** The answer deadline's length set at this routing (Orenburg p.6); unchanged when absent. */
    shortenedAnswerMinutes?: number | null,
  ) =>
    must(
      routeIncident(h.db, {
        incidentId,
        leadId,
        coexecutorIds,
        inOrder,
        actor: people.curator,
        now: at(time),
        ...(shortenedAnswerMinutes !== undefined ? { shortenedAnswerMinutes } : {}),
      }),
    );
  const accept = (incidentId: number, actor: Person, time: string) =>
    must(acceptIncident(h.db, { incidentId, actor, now: at(time) }));
  const giveBack = (incidentId: number, actor: Person, time: string) =>
    must(returnIncident(h.db, { incidentId, actor, now: at(time), reason: "Не наша компетенция." }));
  const submit = (incidentId: number, actor: Person, time: string, purpose?: DraftPurpose) =>
    must(
      submitDraft(h.db, {
        incidentId,
        actor,
        now: at(time),
        content: { text: "Здравствуйте! Работы запланированы.", attachments: [] },
        ...(purpose ? { purpose } : {}),
      }),
    );
  const approve = (incidentId: number, time: string) =>
    must(approveDraft(h.db, { incidentId, actor: people.curator, now: at(time) }));
  const publish = (incidentId: number, actor: Person, time: string) =>
    must(
      publishAnswer(h.db, {
        incidentId,
        actor,
        now: at(time),
        link: `https://vk.com/wall-1_${incidentId}?reply=1`,
        onTime: true,
        rules,
      }),
    );
  /**
   * The curator's decision (Georgievsk p.18) on the part this organization sent, as the buttons on
   * its notice name it: passed on to the lead, or returned for rework with a comment.
   */
  const decide = (incidentId: number, organizationId: number, time: string, rework?: string) => {
    const assignment = loadIncident(h.db, incidentId)?.assignments.find(
      (a) => a.organizationId === organizationId && a.state === "part_sent",
    );
    const decision = {
      incidentId,
      assignmentId: assignment?.id ?? 0,
      version: assignment && partVersion(assignment),
      actor: people.curator,
      now: at(time),
      rules,
    };
    must(
      rework === undefined ? passOnPart(h.db, decision) : returnPart(h.db, { ...decision, comment: rework }),
    );
  };
  /** A co-executor's part sent, and under Georgievsk p.18 passed on to the lead by the curator. */
  const part = (incidentId: number, actor: Person, sentAt: string, passedAt?: string) => {
    must(sendPart(h.db, { incidentId, actor, now: at(sentAt), text: "Работы в плане на декабрь.", rules }));
    if (passedAt) decide(incidentId, actor.organizationIds[0] ?? 0, passedAt);
  };
  /** The answer's whole way, at these times: taken into work, drafted, approved, posted. */
  const answer = (
    incidentId: number,
    actor: Person,
    acceptedAt: string,
    submittedAt: string,
    approvedAt: string,
    publishedAt: string,
  ) => {
    accept(incidentId, actor, acceptedAt);
    submit(incidentId, actor, submittedAt);
    approve(incidentId, approvedAt);
    publish(incidentId, actor, publishedAt);
  };
  /** The month reported once it is over. */
  const november = (): MonthlyReport => {
    h.clock.set("2026-12-02T07:00:00Z");
    return buildMonthlyReport(h.db, h.sla, NOVEMBER);
  };
  /** The approved interim answer or question to the author posted, with its link. */
  const post = (incidentId: number, actor: Person, time: string, what: "interim" | "clarification") => {
    const input = {
      incidentId,
      actor,
      now: at(time),
      link: `https://vk.com/wall-1_${incidentId}?reply=2`,
      rules,
    };
    must(what === "interim" ? publishInterim(h.db, input) : recordClarification(h.db, input));
  };
  return {
    health,
    roads,
    culture,
    sport,
    people,
    at,
    register,
    route,
    accept,
    giveBack,
    submit,
    approve,
    publish,
    answer,
    part,
    decide,
    post,
    november,
  };
}

/** "3/4": of the step's deadlines decided in the month, how many were kept, as the summary lists them. */
function stepScore(report: MonthlyReport, step: string): string | undefined {
  const figure = report.overall.steps.find((s) => s.step === step);
  return figure && `${figure.onTime}/${figure.total}`;
}

describe("a returned post routed again: the routing clock runs from the return", () => {
  it("Orenburg p.6: routed 25 minutes after the return is on time though long after detection; 40 minutes after it is late", async () => {
    const o = await office("orenburg");
    const { health, roads } = o;
    const { ivan, petr } = o.people;
    const one = o.register("10:00"); // routing due 10:30 from detection
    o.route(one, health, "10:05");
    o.giveBack(one, ivan, "10:30"); // within the 30 minutes of p.7; routing again due 11:00
    o.route(one, roads, "10:55");
    const two = o.register("10:00");
    o.route(two, health, "10:05");
    o.giveBack(two, ivan, "10:20"); // routing again due 10:50
    o.route(two, roads, "11:00");
    for (const id of [one, two]) {
      o.answer(id, petr, "11:10", "11:30", "11:40", "11:50");
    }

    const report = o.november();
    expect(tr.violations(report).split("\n")).toEqual([
      "Нарушения регламента за ноябрь 2026 г.: 1",
      "№ 2 · куратор Ольга — направить исполнителю (п. 6): срок 09.11.2026 10:50, выполнено 09.11.2026 11:00, опоздание 10 мин",
    ]);
    expect(stepScore(report, "routing")).toBe("3/4");
    expect(tr.summary(report)).toContain("Кураторы: этапов в срок 5 из 6 (83%), нарушений 1");
  });

  it("a post returned and not yet routed again at the month's end is the curators' violation from the return", async () => {
    const o = await office("orenburg");
    const one = o.register("2026-11-30 10:00");
    o.route(one, o.health, "2026-11-30 10:05");
    o.giveBack(one, o.people.ivan, "2026-11-30 17:00"); // routing again due 17:30

    const lines = tr.violations(o.november()).split("\n");
    expect(lines).toContain(
      "№ 1 · кураторы — направить исполнителю (п. 6): срок 30.11.2026 17:30, не выполнено к концу месяца, опоздание 30 мин",
    );
  });
});

describe("Georgievsk p.16: a new routing after a return restarts the answer clock", () => {
  it("the answer and its publication are due 4 working hours from the new routing; the rework asked of the organization that returned it is owed by nobody", async () => {
    const o = await office("georgievsk");
    const { health, roads } = o;
    const { ivan, petr, curator } = o.people;
    const publishedAt = { 1: "15:30", 2: "16:20" } as const;
    for (const n of [1, 2] as const) {
      const id = o.register("10:00");
      o.route(id, health, "10:00"); // the answer due 15:00
      o.accept(id, ivan, "10:05");
      o.submit(id, ivan, "10:15");
      must(requestRework(h.db, { incidentId: id, actor: curator, now: o.at("10:20"), comment: "Сроки?" }));
      o.giveBack(id, ivan, "10:30"); // the rework was due 10:50
      o.route(id, roads, "11:00"); // the answer now due 16:00
      o.accept(id, petr, "11:05");
      o.submit(id, petr, "11:50");
      o.approve(id, "12:00");
      o.publish(id, petr, publishedAt[n]);
    }

    const report = o.november();
    expect(tr.violations(report).split("\n")).toEqual([
      "Нарушения регламента за ноябрь 2026 г.: 1",
      "№ 2 · Миндор · Пётр — разместить ответ (п. 16): срок 09.11.2026 16:00, выполнено 09.11.2026 16:20, опоздание 20 мин",
    ]);
    expect(stepScore(report, "answer")).toBe("1/2");
    expect(stepScore(report, "rework")).toBeUndefined();
  });
});

describe("a curator routes a post in rework to another organization", () => {
  it("Orenburg: the first organization's rework is no longer owed — its violation only if already overdue then; the new one drafts on its own clock", async () => {
    const o = await office("orenburg");
    const { health, roads } = o;
    const { ivan, petr, curator } = o.people;
    // The rework is due 11:20 (p.11); the curator takes № 1 elsewhere at 11:00, № 2 at 12:00.
    for (const rerouted of ["11:00", "12:00"]) {
      const id = o.register("10:00");
      o.route(id, health, "10:00");
      o.accept(id, ivan, "10:05");
      o.submit(id, ivan, "10:15");
      must(requestRework(h.db, { incidentId: id, actor: curator, now: o.at("10:20"), comment: "Сроки?" }));
      o.route(id, roads, rerouted);
      o.answer(id, petr, "12:05", "12:30", "12:40", "12:50");
    }

    const report = o.november();
    expect(tr.violations(report).split("\n")).toEqual([
      "Нарушения регламента за ноябрь 2026 г.: 1",
      "№ 2 · Минздрав · Иван — доработать ответ (п. 11): срок 09.11.2026 11:20, не выполнено, снято с исполнения 09.11.2026 12:00, опоздание 40 мин",
    ]);
    expect(stepScore(report, "rework")).toBe("0/1");
    // The curator's decisions stand: Иван's drafts were returned for rework, though their rework went with the post.
    expect(report.overall.reworked).toBe(2);
    expect(report.executors.find((e) => e.name === "Иван")?.reworks).toBe(2);
    // The drafts returned were Минздрав's, the lead then; Миндор's were approved.
    const org = (id: number) => report.organizations.find((figures) => figures.organizationId === id);
    expect([org(health)?.reworked, org(health)?.approved]).toEqual([2, 0]);
    expect([org(roads)?.reworked, org(roads)?.approved]).toEqual([0, 2]);
  });

  it("routed again to the same lead (a co-executor added), the rework's clock runs on: no second draft is owed", async () => {
    const o = await office("orenburg");
    const { health, culture } = o;
    const { ivan, curator } = o.people;
    const id = o.register("10:00");
    o.route(id, health, "10:00");
    o.accept(id, ivan, "10:05");
    o.submit(id, ivan, "10:15");
    must(requestRework(h.db, { incidentId: id, actor: curator, now: o.at("10:20"), comment: "Сроки?" }));
    o.route(id, health, "10:30", [culture]); // Иван keeps it: no second «Взять в работу»
    o.submit(id, ivan, "11:30"); // the rework was due 11:20 (p.11)
    o.approve(id, "11:40");
    o.publish(id, ivan, "11:50");

    const report = o.november();
    expect(tr.violations(report).split("\n")).toEqual([
      "Нарушения регламента за ноябрь 2026 г.: 1",
      "№ 1 · Минздрав · Иван — доработать ответ (п. 11): срок 09.11.2026 11:20, выполнено 09.11.2026 11:30, опоздание 10 мин",
    ]);
    expect(stepScore(report, "draft")).toBe("1/1");
    expect(stepScore(report, "rework")).toBe("0/1");
  });
});

describe("Georgievsk p.18: with co-executors the lead's draft runs from the last part passed on", () => {
  it("the draft is due an hour after the curator passed on the last part owed, not after the lead's receipt", async () => {
    const o = await office("georgievsk");
    const { health, culture, sport } = o;
    const { ivan, anna, maria } = o.people;
    // № 1: sport returns its part, culture's is passed on at 11:20: the draft is due 12:20.
    const one = o.register("10:00");
    o.route(one, health, "10:00", [culture, sport]);
    o.accept(one, ivan, "10:05");
    o.giveBack(one, maria, "10:10");
    o.accept(one, anna, "10:05");
    o.part(one, anna, "11:00", "11:20");
    o.submit(one, ivan, "12:10");
    o.approve(one, "12:15");
    // № 2: the same part, but the draft comes at 12:40.
    const two = o.register("10:00");
    o.route(two, health, "10:00", [culture]);
    o.accept(two, ivan, "10:05");
    o.accept(two, anna, "10:05");
    o.part(two, anna, "11:00", "11:20");
    o.submit(two, ivan, "12:40");
    o.approve(two, "12:45");
    for (const id of [one, two]) o.publish(id, ivan, "12:50");

    const report = o.november();
    expect(tr.violations(report).split("\n")).toEqual([
      "Нарушения регламента за ноябрь 2026 г.: 1",
      "№ 2 · Минздрав · Иван — прислать проект ответа куратору (п. 11): срок 09.11.2026 12:20, выполнено 09.11.2026 12:40, опоздание 20 мин",
    ]);
    expect(stepScore(report, "draft")).toBe("1/2");
  });

  it("while a part is still owed at the month's end, the lead's draft is not yet due: only the part is late", async () => {
    const o = await office("georgievsk");
    const one = o.register("2026-11-30 10:00");
    o.route(one, o.health, "2026-11-30 10:00", [o.culture]); // the part due 12:00, the answer 15:00
    o.accept(one, o.people.ivan, "2026-11-30 10:05");
    o.accept(one, o.people.anna, "2026-11-30 10:05");

    const report = o.november();
    const lines = tr.violations(report).split("\n");
    expect(lines.filter((line) => line.startsWith("№ 1 · Минздрав"))).toEqual([
      "№ 1 · Минздрав · Иван — разместить ответ (п. 16): срок 30.11.2026 15:00, не выполнено к концу месяца, опоздание 3 ч",
    ]);
    expect(lines).toContain(
      "№ 1 · Минкультуры · Анна — прислать информацию соисполнителя (п. 18): срок 30.11.2026 12:00, не выполнено к концу месяца, опоздание 5 ч",
    );
    expect(stepScore(report, "draft")).toBeUndefined();
  });
});

describe("a co-executor returns the post", () => {
  it("Georgievsk p.10: late, it is a violation of its organization, as the lead's is; in time, or keeping the post, none", async () => {
    const o = await office("georgievsk");
    const { health, culture, sport } = o;
    const { ivan, anna, maria } = o.people;
    const id = o.register("10:00");
    o.route(id, health, "10:00", [culture, sport]); // a return is due by 10:30
    o.accept(id, ivan, "10:05");
    o.giveBack(id, anna, "10:25");
    o.submit(id, ivan, "10:50");
    o.giveBack(id, maria, "11:05");
    o.approve(id, "11:10");
    o.publish(id, ivan, "11:20");

    const report = o.november();
    expect(tr.violations(report).split("\n")).toEqual([
      "Нарушения регламента за ноябрь 2026 г.: 1",
      // Nobody at Минспорт had taken the post when the window closed: Мария, who returned it after, is not named.
      "№ 1 · Минспорт · не взято в работу — возврат не по компетенции (п. 10): срок 09.11.2026 10:30, выполнено 09.11.2026 11:05, опоздание 35 мин",
    ]);
    expect(stepScore(report, "return")).toBe("1/2");
  });
});

describe("an interim answer and a question to the author are drafts approved before they are posted", () => {
  it("Georgievsk: posting the approved interim answer or question is its publication, on time, not an answer owed at the month's end", async () => {
    const o = await office("georgievsk");
    const { ivan } = o.people;
    // Monday 30.11: the answer due 15:00; the final answer's draft (p.15) due in December.
    const one = o.register("2026-11-30 10:00");
    const two = o.register("2026-11-30 10:00");
    for (const [id, what] of [
      [one, "interim"],
      [two, "clarification"],
    ] as const) {
      o.route(id, o.health, "2026-11-30 10:00");
      o.accept(id, ivan, "2026-11-30 10:05");
      o.submit(id, ivan, "2026-11-30 10:30", what);
      o.approve(id, "2026-11-30 10:40");
      o.post(id, ivan, "2026-11-30 10:50", what);
    }
    // The question is no draft of the answer (p.11): that one is still due by 11:00.
    o.submit(two, ivan, "2026-11-30 10:55");
    o.approve(two, "2026-11-30 11:05");
    o.publish(two, ivan, "2026-11-30 11:15");

    const report = o.november();
    expect(tr.violations(report).split("\n")).toEqual([
      "Нарушения регламента за ноябрь 2026 г.: 0",
      "Все сроки этого месяца соблюдены.",
    ]);
    // P.12 has no publication deadline of its own: posting meets the answer's (p.16).
    expect(stepScore(report, "answer")).toBe("2/2");
    expect(stepScore(report, "publication")).toBeUndefined();
  });
  it("Georgievsk p.15: a question to the author after the interim answer is not the final answer's draft", async () => {
    const o = await office("georgievsk");
    const { ivan } = o.people;
    const id = o.register("10:00");
    o.route(id, o.health, "10:00");
    o.accept(id, ivan, "10:05");
    o.submit(id, ivan, "10:30", "interim");
    o.approve(id, "10:40");
    o.post(id, ivan, "10:50", "interim"); // the final draft due 18.11 18:00
    o.submit(id, ivan, "2026-11-10 10:00", "clarification");
    o.approve(id, "2026-11-10 10:10");
    o.post(id, ivan, "2026-11-10 10:20", "clarification");

    const report = o.november();
    expect(tr.violations(report).split("\n")).toEqual([
      "Нарушения регламента за ноябрь 2026 г.: 1",
      "№ 1 · Минздрав · Иван — прислать проект окончательного ответа куратору (п. 15): срок 18.11.2026 18:00, не выполнено к концу месяца, опоздание 8 раб. дн.; ждём ответа автора на запрос с 10.11.2026 10:20",
    ]);
  });
});

describe("Georgievsk p.15: the final answer after an interim one is owed as its draft", () => {
  it("a final draft set aside by a routing elsewhere: the new lead owes its own, by the same deadline", async () => {
    const o = await office("georgievsk");
    const { ivan, petr } = o.people;
    const id = o.register("10:00");
    o.route(id, o.health, "10:00");
    o.accept(id, ivan, "10:05");
    o.submit(id, ivan, "10:30", "interim");
    o.approve(id, "10:40");
    o.post(id, ivan, "10:50", "interim"); // the final draft due 18.11 18:00
    o.submit(id, ivan, "2026-11-10 10:00"); // in time, then taken elsewhere before a decision
    o.route(id, o.roads, "2026-11-10 11:00");
    o.accept(id, petr, "2026-11-10 11:05");

    expect(tr.violations(o.november()).split("\n")).toContain(
      "№ 1 · Миндор · Пётр — прислать проект окончательного ответа куратору (п. 15): срок 18.11.2026 18:00, не выполнено к концу месяца, опоздание 8 раб. дн.",
    );
  });

  it("a final draft sent in time stays met: routed elsewhere after the deadline, the new lead's draft is the curators' to answer for, as the alerts had it", async () => {
    const o = await office("georgievsk");
    const { ivan, petr } = o.people;
    const id = o.register("10:00");
    o.route(id, o.health, "10:00");
    o.accept(id, ivan, "10:05");
    o.submit(id, ivan, "10:30", "interim");
    o.approve(id, "10:40");
    o.post(id, ivan, "10:50", "interim"); // the final draft due 18.11 18:00
    o.submit(id, ivan, "2026-11-12 10:00"); // in time; approved, never posted
    o.approve(id, "2026-11-12 10:10");
    o.route(id, o.roads, "2026-11-20 10:00"); // taken to Миндор after p.15's deadline
    await sweep(h.deps());
    o.accept(id, petr, "2026-11-20 10:05");
    o.submit(id, petr, "2026-11-20 11:00");
    o.approve(id, "2026-11-20 11:10");

    const overdue =
      /^❗ Сообщение № 1: срок «прислать проект окончательного ответа куратору» истёк 18\.11\.2026 18:00/;
    expect(h.texts(OFFICE.curatorsChat)).toContainEqual(expect.stringMatching(overdue));
    expect([...h.texts(OFFICE.healthChat), ...h.texts(ROADS_EXECUTOR)]).not.toContainEqual(
      expect.stringMatching(overdue),
    );
    const report = o.november();
    expect(tr.violations(report).split("\n")).toEqual([
      "Нарушения регламента за ноябрь 2026 г.: 1",
      "№ 1 · кураторы — прислать проект окончательного ответа куратору (п. 15): срок 18.11.2026 18:00, " +
        "выполнено 20.11.2026 11:00, опоздание 10 ч",
    ]);
    expect(report.organizations.find((org) => org.organizationId === o.health)?.violations).toBe(0);
  });

  it("a final draft sent late is reported as the draft owed to the curator, not as an answer", async () => {
    const o = await office("georgievsk");
    const { ivan } = o.people;
    const id = o.register("10:00");
    o.route(id, o.health, "10:00");
    o.accept(id, ivan, "10:05");
    o.submit(id, ivan, "10:30", "interim");
    o.approve(id, "10:40");
    // Posted on Monday 09.11: 10, 11, 12, 13, 16, 17, 18.11 — the final draft due 18.11 18:00.
    o.post(id, ivan, "10:50", "interim");
    o.submit(id, ivan, "2026-11-19 10:00");
    o.approve(id, "2026-11-19 10:10");
    o.publish(id, ivan, "2026-11-19 10:20");

    const report = o.november();
    expect(tr.violations(report).split("\n")).toEqual([
      "Нарушения регламента за ноябрь 2026 г.: 1",
      "№ 1 · Минздрав · Иван — прислать проект окончательного ответа куратору (п. 15): срок 18.11.2026 18:00, " +
        "выполнено 19.11.2026 10:00, опоздание 1 ч",
    ]);
    expect(tr.summary(report)).toContain(
      "• прислать проект окончательного ответа куратору: 0 из 1 в срок (0%)",
    );
  });
});

describe("co-executors one after another (Orenburg p.14)", () => {
  it("the second co-executor's part is due 2 working hours from its turn, as its card said, not from the routing", async () => {
    const o = await office("orenburg");
    const { health, culture, sport } = o;
    const { ivan, anna, maria } = o.people;
    // Culture gives its part at 11:30: sport's turn, its part due 14:30 (lunch between). № 1's comes
    // at 14:20, № 2's at 14:40.
    const ids = [o.register("10:00"), o.register("10:00")];
    for (const [i, id] of ids.entries()) {
      o.route(id, health, "10:00", [culture, sport], true);
      o.accept(id, ivan, "10:05");
      o.accept(id, anna, "10:05");
      o.part(id, anna, "11:30");
      o.accept(id, maria, "11:35");
      o.part(id, maria, i === 0 ? "14:20" : "14:40");
      o.submit(id, ivan, "15:00");
      o.approve(id, "15:10");
      o.publish(id, ivan, "15:20");
    }

    const report = o.november();
    expect(tr.violations(report).split("\n")).toEqual([
      "Нарушения регламента за ноябрь 2026 г.: 1",
      "№ 2 · Минспорт · Мария — прислать информацию соисполнителя (п. 14): срок 09.11.2026 14:30, выполнено 09.11.2026 14:40, опоздание 10 мин",
    ]);
    expect(stepScore(report, "coexecutorPart")).toBe("3/4");
  });
  it("the curator's «Не ждать очереди» starts the next one's 2 hours at once", async () => {
    const o = await office("orenburg");
    const { health, culture, sport } = o;
    const { ivan, anna, maria } = o.people;
    const id = o.register("10:00");
    o.route(id, health, "10:00", [culture, sport], true);
    o.accept(id, ivan, "10:05");
    o.accept(id, anna, "10:05");
    const turn = loadIncident(h.db, id)?.assignments.find((a) => a.organizationId === sport);
    must(
      releaseTurn(h.db, {
        incidentId: id,
        assignmentId: turn?.id ?? 0,
        actor: o.people.curator,
        now: o.at("10:30"),
      }),
    );
    o.accept(id, maria, "10:35");
    o.part(id, maria, "12:40"); // due 12:30
    o.part(id, anna, "11:50"); // due 12:00
    o.submit(id, ivan, "14:30");
    o.approve(id, "14:40");
    o.publish(id, ivan, "14:50");

    const report = o.november();
    expect(tr.violations(report).split("\n")).toEqual([
      "Нарушения регламента за ноябрь 2026 г.: 1",
      "№ 1 · Минспорт · Мария — прислать информацию соисполнителя (п. 14): срок 09.11.2026 12:30, выполнено 09.11.2026 12:40, опоздание 10 мин",
    ]);
  });
  it("a part given before a routing again is kept: not owed twice; the co-executor added then owes its own from then", async () => {
    const o = await office("orenburg");
    const { health, culture, sport } = o;
    const { ivan, anna, maria } = o.people;
    const day = (time: string) => `2026-11-30 ${time}`;
    // Still open at the month's end, the draft (late) on approval, its decision due on 01.12.
    const id = o.register(day("10:00"));
    o.route(id, health, day("10:00"), [culture]);
    o.accept(id, ivan, day("10:05"));
    o.accept(id, anna, day("10:05"));
    o.part(id, anna, day("11:00"));
    o.route(id, health, day("11:30"), [culture, sport]); // sport's part due 14:30 (lunch between)
    o.accept(id, maria, day("11:40"));
    o.part(id, maria, day("14:40"));
    o.submit(id, ivan, day("17:50"));

    const report = o.november();
    expect(tr.violations(report).split("\n")).toEqual([
      "Нарушения регламента за ноябрь 2026 г.: 2",
      "№ 1 · Минспорт · Мария — прислать информацию соисполнителя (п. 14): срок 30.11.2026 14:30, выполнено 30.11.2026 14:40, опоздание 10 мин",
      "№ 1 · Минздрав · Иван — прислать проект ответа куратору (п. 9): срок 30.11.2026 16:00, выполнено 30.11.2026 17:50, опоздание 1 ч 50 мин",
    ]);
    expect(stepScore(report, "coexecutorPart")).toBe("1/2");
  });
  it("a co-executor added while another works on its part: that one goes on as it was, its part due from its own receipt", async () => {
    const o = await office("orenburg");
    const { health, culture, sport } = o;
    const { ivan, anna, maria } = o.people;
    const id = o.register("10:00");
    o.route(id, health, "10:00", [culture]); // culture's part due 12:00 (p.14)
    o.accept(id, ivan, "10:05");
    o.accept(id, anna, "10:05");
    o.route(id, health, "11:30", [culture, sport]); // sport's due 14:30 (lunch between)
    o.accept(id, maria, "11:40");
    o.part(id, anna, "12:10");
    o.part(id, maria, "14:00");
    o.submit(id, ivan, "15:00");
    o.approve(id, "15:10");
    o.publish(id, ivan, "15:20");

    expect(tr.violations(o.november()).split("\n")).toEqual([
      "Нарушения регламента за ноябрь 2026 г.: 1",
      "№ 1 · Минкультуры · Анна — прислать информацию соисполнителя (п. 14): срок 09.11.2026 12:00, выполнено 09.11.2026 12:10, опоздание 10 мин",
    ]);
  });
  it("Georgievsk p.18: a co-executor returned the post, then routed again to the same lead: its draft is due an hour after that return, as its card said", async () => {
    const o = await office("georgievsk");
    const { health, culture } = o;
    const { ivan, anna } = o.people;
    const id = o.register("09:00");
    o.route(id, health, "09:00", [culture]);
    o.accept(id, ivan, "09:05");
    o.accept(id, anna, "09:05");
    o.giveBack(id, anna, "09:50"); // the lead's draft now due 10:50
    o.route(id, health, "10:00", []);
    o.submit(id, ivan, "10:30");
    o.approve(id, "10:40");
    o.publish(id, ivan, "10:50");

    expect(
      tr
        .violations(o.november())
        .split("\n")
        .filter((line) => line.includes("проект ответа")),
    ).toEqual([]);
  });
  it("Georgievsk p.18: a co-executor dropped while it owes its part, the lead's draft is due an hour after the drop, as after a return", async () => {
    const o = await office("georgievsk");
    const { health, culture, sport } = o;
    const { ivan, anna } = o.people;
    const id = o.register("09:00");
    o.route(id, health, "09:00", [culture, sport]);
    o.accept(id, ivan, "09:05");
    o.accept(id, anna, "09:05");
    o.part(id, anna, "09:30", "09:40");
    o.route(id, health, "10:00", [culture]); // sport's part no longer waited for: the draft due 11:00
    o.submit(id, ivan, "11:10");

    expect(tr.violations(o.november()).split("\n")).toContain(
      "№ 1 · Минздрав · Иван — прислать проект ответа куратору (п. 11): срок 09.11.2026 11:00, выполнено 09.11.2026 11:10, опоздание 10 мин",
    );
  });
  it("Georgievsk: a part kept waiting for the curators through a routing again is on their clock from its sending", async () => {
    const o = await office("georgievsk");
    const { health, culture, sport } = o;
    const { ivan, anna, maria } = o.people;
    const id = o.register("10:00");
    o.route(id, health, "10:00", [culture]);
    o.accept(id, ivan, "10:05");
    o.accept(id, anna, "10:05");
    o.part(id, anna, "10:30"); // to pass on by 11:00 (p.18)
    o.route(id, health, "10:40", [culture, sport]);
    o.accept(id, maria, "10:45");
    o.decide(id, culture, "11:10");
    o.part(id, maria, "11:30", "11:35");
    o.submit(id, ivan, "12:00");
    o.approve(id, "12:10");
    o.publish(id, ivan, "12:20");

    const report = o.november();
    expect(tr.violations(report).split("\n")).toEqual([
      "Нарушения регламента за ноябрь 2026 г.: 1",
      "№ 1 · куратор Ольга — передать основному исполнителю информацию соисполнителя (п. 18): срок 09.11.2026 11:00, выполнено 09.11.2026 11:10, опоздание 10 мин",
    ]);
    expect(stepScore(report, "coexecutorPassOn")).toBe("1/2");
    expect(stepScore(report, "coexecutorPart")).toBe("2/2");
  });
  it("Georgievsk: a part in rework through a routing again is reworked by whoever took it, 30 minutes from the routing, not asked anew", async () => {
    const o = await office("georgievsk");
    const { health, culture, sport } = o;
    const { ivan, anna, maria } = o.people;
    const id = o.register("10:00");
    o.route(id, health, "10:00", [culture]);
    o.accept(id, ivan, "10:05");
    o.accept(id, anna, "10:05");
    o.part(id, anna, "10:30");
    o.decide(id, culture, "10:40", "Добавьте сроки."); // rework due 11:10 (p.18)
    o.route(id, health, "11:00", [culture, sport]); // the rework now due 11:30
    const reworking = loadIncident(h.db, id)?.assignments.find(
      (a) => a.organizationId === culture && a.state !== "withdrawn",
    );
    expect(reworking).toMatchObject({
      state: "accepted",
      acceptedBy: anna.id,
      partReturnComment: "Добавьте сроки.",
    });
    o.accept(id, maria, "11:05");
    o.part(id, anna, "11:40", "11:45"); // 10 min late
    o.part(id, maria, "11:50", "11:55");
    o.submit(id, ivan, "12:00");
    o.approve(id, "12:10");
    o.publish(id, ivan, "12:20");

    const report = o.november();
    expect(tr.violations(report).split("\n")).toEqual([
      "Нарушения регламента за ноябрь 2026 г.: 1",
      "№ 1 · Минкультуры · Анна — доработать информацию соисполнителя (п. 14, 18): срок 09.11.2026 11:30, выполнено 09.11.2026 11:40, опоздание 10 мин",
    ]);
    expect(stepScore(report, "coexecutorPart")).toBe("2/2");
    expect(stepScore(report, "coexecutorRework")).toBe("0/1");
  });
  it("in order, a part kept waiting for the curators holds its turn: the next one gets the post when it is passed on", async () => {
    // No shipped preset has both (Georgievsk passes parts on, Orenburg sets an order); a region's may.
    const o = await office("georgievsk");
    const { health, culture, sport } = o;
    const { ivan, anna, maria, curator } = o.people;
    const routeInOrder = (time: string) =>
      must(
        routeIncident(h.db, {
          incidentId: id,
          leadId: health,
          coexecutorIds: [culture, sport],
          inOrder: true,
          actor: curator,
          now: o.at(time),
        }),
      );
    const id = o.register("10:00");
    routeInOrder("10:00");
    o.accept(id, ivan, "10:05");
    o.accept(id, anna, "10:05");
    o.part(id, anna, "10:30");
    routeInOrder("10:40");
    const stateOf = (organizationId: number) =>
      loadIncident(h.db, id)
        ?.assignments.filter((a) => a.organizationId === organizationId)
        .at(-1)?.state;
    expect([stateOf(culture), stateOf(sport)]).toEqual(["part_sent", "queued"]);
    o.decide(id, culture, "10:50");
    expect(stateOf(sport)).toBe("assigned");
    o.accept(id, maria, "10:55");
    o.part(id, maria, "13:00", "13:05"); // due 12:50, two working hours from its turn
    o.submit(id, ivan, "13:30");
    o.approve(id, "13:40");
    o.publish(id, ivan, "13:50");

    expect(tr.violations(o.november()).split("\n")).toEqual([
      "Нарушения регламента за ноябрь 2026 г.: 1",
      "№ 1 · Минспорт · Мария — прислать информацию соисполнителя (п. 18): срок 09.11.2026 12:50, выполнено 09.11.2026 13:00, опоздание 10 мин",
    ]);
  });
  it("a part left waiting for the curators is asked again when the regulation no longer has them pass parts on", async () => {
    const o = await office("georgievsk");
    const { health, culture } = o;
    const { ivan, anna, curator } = o.people;
    const id = o.register("10:00");
    o.route(id, health, "10:00", [culture]);
    o.accept(id, ivan, "10:05");
    o.accept(id, anna, "10:05");
    o.part(id, anna, "10:30");
    o.giveBack(id, ivan, "10:35"); // the part withdrawn with the routing, still waiting
    const orenburgRules = { curatorMayPublish: false, curatorPassesParts: false };
    must(
      routeIncident(h.db, {
        incidentId: id,
        leadId: health,
        coexecutorIds: [culture],
        rules: orenburgRules,
        actor: curator,
        now: o.at("10:40"),
      }),
    );
    expect(loadIncident(h.db, id)?.assignments.at(-1)).toMatchObject({
      organizationId: culture,
      state: "assigned",
    });
  });
});

describe("a step ended before it was done: missed if its deadline had passed by then", () => {
  it("Georgievsk p.11: re-routed after the draft was due, the first organization missed it, late up to the re-routing; re-routed before, nobody did", async () => {
    const o = await office("georgievsk");
    const { health, roads } = o;
    const { ivan, petr } = o.people;
    // Иван's draft is due 10:00, an hour from the receipt (p.11); roads gets № 1 at 11:30, № 2 at 09:50.
    const one = o.register("09:00");
    o.route(one, health, "09:00");
    o.accept(one, ivan, "09:05");
    o.route(one, roads, "11:30");
    o.answer(one, petr, "11:35", "12:00", "12:05", "12:10");
    const two = o.register("09:00");
    o.route(two, health, "09:00");
    o.accept(two, ivan, "09:05");
    o.route(two, roads, "09:50");
    o.answer(two, petr, "09:55", "10:30", "10:35", "10:40");

    const report = o.november();
    expect(tr.violations(report).split("\n")).toEqual([
      "Нарушения регламента за ноябрь 2026 г.: 1",
      "№ 1 · Минздрав · Иван — прислать проект ответа куратору (п. 11): срок 09.11.2026 10:00, не выполнено, снято с исполнения 09.11.2026 11:30, опоздание 1 ч 30 мин",
    ]);
    expect(stepScore(report, "draft")).toBe("2/3");
    expect(tr.summary(report)).toContain(
      "• Минздрав: основной исполнитель по 0 из поступивших, ответов 0, сроков ответа не было, нарушений 1",
    );
  });

  it("a draft before the curator, routed to another organization instead: his decision is made then, the new lead drafts anew", async () => {
    const o = await office("georgievsk");
    const { health, roads } = o;
    const { ivan, petr } = o.people;
    const id = o.register("09:00");
    o.route(id, health, "09:00");
    o.accept(id, ivan, "09:05");
    o.submit(id, ivan, "09:30"); // the curator's decision due 10:00 (p.12)
    o.route(id, roads, "09:50");
    o.answer(id, petr, "09:55", "10:40", "10:50", "11:00");

    const report = o.november();
    expect(tr.violations(report).split("\n")[0]).toBe("Нарушения регламента за ноябрь 2026 г.: 0");
    expect(stepScore(report, "decision")).toBe("2/2");
    expect(stepScore(report, "draft")).toBe("2/2");
    // The new lead's draft was its first: approved the first time.
    expect([report.overall.approvedFirstRound, report.overall.approved]).toEqual([1, 1]);
  });

  it("a draft before the curator, closed as toxic instead: closing it is his decision, made then", async () => {
    const o = await office("georgievsk");
    const { health } = o;
    const { ivan, curator } = o.people;
    const id = o.register("09:00");
    o.route(id, health, "09:00");
    o.accept(id, ivan, "09:05");
    o.submit(id, ivan, "09:30"); // the curator's decision due 10:00 (p.12)
    must(closeAsToxic(h.db, { incidentId: id, actor: curator, now: o.at("09:50"), threat: false }));

    expect(stepScore(o.november(), "decision")).toBe("1/1");
  });

  it("Georgievsk p.16: taken to another organization, the answer is due 4 working hours from then; the first missed it only if it was due by then", async () => {
    const o = await office("georgievsk");
    const { health, roads } = o;
    const { ivan, petr } = o.people;
    // № 1: the answer due 13:00 (4 working hours from 09:00), taken from Минздрав at 14:30 (30
    // working minutes late, lunch between) and answered by Миндор at 16:00, within its own 4 hours.
    // № 2: taken from Минздрав at 12:00, before its answer was due.
    const one = o.register("09:00");
    o.route(one, health, "09:00");
    o.accept(one, ivan, "09:05");
    o.route(one, roads, "14:30");
    o.answer(one, petr, "14:35", "15:00", "15:10", "16:00");
    const two = o.register("09:00");
    o.route(two, health, "09:00");
    o.accept(two, ivan, "09:05");
    o.route(two, roads, "12:00");
    o.answer(two, petr, "12:05", "12:30", "12:40", "15:30");

    const report = o.november();
    const violations = tr.violations(report).split("\n");
    expect(violations).toContain(
      "№ 1 · Минздрав · Иван — разместить ответ (п. 16): срок 09.11.2026 13:00, не выполнено, снято с исполнения 09.11.2026 14:30, опоздание 30 мин",
    );
    expect(violations.filter((line) => line.includes("п. 16"))).toHaveLength(1);
  });

  for (const [regulation, clause] of [
    ["georgievsk", "п. 18"],
    ["orenburg", "п. 14"],
  ] as const) {
    it(`${clause}: a co-executor's part never sent is its violation once the answer is out after the part was due; out before, nobody's`, async () => {
      const o = await office(regulation);
      const { health, culture } = o;
      const { ivan, anna } = o.people;
      // Анна's part is due 11:00, two working hours from the routing; № 1 is answered at 12:50, № 2 at 10:40.
      for (const [submitted, approved, published] of [
        ["12:00", "12:20", "12:50"],
        ["10:00", "10:20", "10:40"],
      ] as const) {
        const id = o.register("09:00");
        o.route(id, health, "09:00", [culture]);
        o.accept(id, ivan, "09:05");
        o.accept(id, anna, "09:10");
        o.submit(id, ivan, submitted);
        o.approve(id, approved);
        o.publish(id, ivan, published);
      }

      const report = o.november();
      expect(tr.violations(report).split("\n")).toEqual([
        "Нарушения регламента за ноябрь 2026 г.: 1",
        `№ 1 · Минкультуры · Анна — прислать информацию соисполнителя (${clause}): срок 09.11.2026 11:00, не выполнено, снято с исполнения 09.11.2026 12:50, опоздание 1 ч 50 мин`,
      ]);
      expect(stepScore(report, "coexecutorPart")).toBe("0/1");
    });
  }

  it("Orenburg p.12: an approved answer the curator takes to another organization is no longer owed; overdue by then, the first organization missed it", async () => {
    const o = await office("orenburg");
    const { health, roads } = o;
    const { ivan, petr } = o.people;
    // Approved at 10:10, the answer is to be posted by 10:40; roads gets № 1 at 10:20, № 2 at 11:00.
    for (const rerouted of ["10:20", "11:00"]) {
      const id = o.register("09:00");
      o.route(id, health, "09:00");
      o.accept(id, ivan, "09:05");
      o.submit(id, ivan, "10:00");
      o.approve(id, "10:10");
      o.route(id, roads, rerouted);
      o.accept(id, petr, "11:05");
    }

    // The month so far, as a curator asking for it that morning sees it: Пётр owes no posting.
    const report = buildMonthlyReport(h.db, h.sla, NOVEMBER, o.at("11:30"));
    expect(tr.violations(report).split("\n")).toEqual([
      "Нарушения регламента за ноябрь 2026 г. на 09.11.2026 11:30: 1",
      tr.soFar,
      "№ 2 · Минздрав · Иван — разместить согласованный ответ (п. 12): срок 09.11.2026 10:40, не выполнено, снято с исполнения 09.11.2026 11:00, опоздание 20 мин",
    ]);
    expect(report.organizations.find((org) => org.organizationId === roads)?.violations ?? 0).toBe(0);
  });

  it("Orenburg p.9: a lead that returns the post after its draft was due missed the draft as well as the return window", async () => {
    const o = await office("orenburg");
    const { health, roads } = o;
    const { ivan, petr } = o.people;
    // Detected 09:00: a return is due by 09:30 (p.7), the draft by 15:00 (p.9).
    const id = o.register("09:00");
    o.route(id, health, "09:00");
    o.accept(id, ivan, "09:05");
    o.giveBack(id, ivan, "15:30");
    o.route(id, roads, "15:40");
    o.answer(id, petr, "15:45", "16:30", "16:40", "16:50");

    expect(tr.violations(o.november()).split("\n")).toEqual([
      "Нарушения регламента за ноябрь 2026 г.: 2",
      "№ 1 · Минздрав · Иван — возврат не по компетенции (п. 7): срок 09.11.2026 09:30, выполнено 09.11.2026 15:30, опоздание 5 ч",
      "№ 1 · Минздрав · Иван — прислать проект ответа куратору (п. 9): срок 09.11.2026 15:00, не выполнено, снято с исполнения 09.11.2026 15:30, опоздание 30 мин",
    ]);
  });

  it("Orenburg p.7: a late return made in the next month is that month's violation, not lost between the two", async () => {
    const o = await office("orenburg");
    const id = o.register("2026-11-30 17:00");
    o.route(id, o.health, "2026-11-30 17:00"); // a return is due by 17:30 (p.7)
    o.accept(id, o.people.ivan, "2026-11-30 17:05");
    o.at("2026-12-01 00:05");
    const novemberSoFar = buildMonthlyReport(h.db, h.sla, NOVEMBER);
    expect(tr.violations(novemberSoFar)).not.toMatch(/возврат/);
    o.giveBack(id, o.people.ivan, "2026-12-01 10:00");
    o.at("2027-01-11 10:00");
    expect(tr.violations(buildMonthlyReport(h.db, h.sla, { year: 2026, month: 12 })).split("\n")).toContain(
      "№ 1 · Минздрав · Иван — возврат не по компетенции (п. 7): срок 30.11.2026 17:30, выполнено 01.12.2026 10:00, опоздание 1 ч 30 мин",
    );
  });

  it("Orenburg p.17: a post closed as offensive after its organization let the draft's deadline pass leaves that missed deadline; closed before, none", async () => {
    const o = await office("orenburg");
    const { health } = o;
    const { curator } = o.people;
    // Routed at 09:00 and never taken: the draft is due 15:00 (p.9).
    for (const closed of ["15:30", "14:30"]) {
      const id = o.register("09:00");
      o.route(id, health, "09:00");
      must(closeAsToxic(h.db, { incidentId: id, actor: curator, now: o.at(closed), threat: false }));
    }

    expect(tr.violations(o.november()).split("\n")).toEqual([
      "Нарушения регламента за ноябрь 2026 г.: 1",
      "№ 1 · Минздрав · не взято в работу — прислать проект ответа куратору (п. 9): срок 09.11.2026 15:00, не выполнено, снято с исполнения 09.11.2026 15:30, опоздание 30 мин",
    ]);
  });
});

describe("a shortened answer deadline (Orenburg p.6) as each routing set it", () => {
  it("missed, then returned by the lead and routed again with the full deadline: still the lead's miss", async () => {
    const o = await office("orenburg");
    const { health, roads } = o;
    const { ivan, petr } = o.people;
    const one = o.register("10:00");
    o.route(one, health, "10:05", [], false, 120); // due 12:00
    o.accept(one, ivan, "10:10");
    o.giveBack(one, ivan, "12:30");
    o.route(one, roads, "12:40", [], false, null);
    o.answer(one, petr, "12:45", "14:30", "14:40", "15:00");
    expect(
      tr
        .violations(o.november())
        .split("\n")
        .filter((line) => line.includes("ответ на сообщение")),
    ).toEqual([
      "№ 1 · Минздрав · Иван — ответ на сообщение (п. 8): срок 09.11.2026 12:00, не выполнено, снято с исполнения 09.11.2026 12:40, опоздание 40 мин",
    ]);
  });

  it("missed, then returned by the lead and not routed again by the month's end: still the lead's miss", async () => {
    const o = await office("orenburg");
    const one = o.register("10:00");
    o.route(one, o.health, "10:05", [], false, 120); // due 12:00
    o.accept(one, o.people.ivan, "10:10");
    o.giveBack(one, o.people.ivan, "12:30");
    expect(
      tr
        .violations(o.november())
        .split("\n")
        .filter((line) => line.includes("ответ на сообщение")),
    ).toEqual([
      "№ 1 · Минздрав · Иван — ответ на сообщение (п. 8): срок 09.11.2026 12:00, не выполнено к концу месяца, опоздание 15 раб. дн. 5 ч",
    ]);
  });

  it("a later routing with the full deadline does not unmake the miss of the shortened one", async () => {
    const o = await office("orenburg");
    const { health, roads } = o;
    const { petr } = o.people;
    const one = o.register("10:00");
    // Routed with the answer cut to 2 working hours: due 12:00.
    o.route(one, health, "10:05", [], false, 120);
    // Taken from Минздрав at 12:30, overdue, to Миндор with the full 9 hours (due 10.11 10:00).
    o.route(one, roads, "12:30", [], false, null);
    o.answer(one, petr, "12:40", "14:30", "14:40", "15:00");
    expect(
      tr
        .violations(o.november())
        .split("\n")
        .filter((line) => line.includes("ответ на сообщение")),
    ).toEqual([
      "№ 1 · Минздрав · не взято в работу — ответ на сообщение (п. 8): срок 09.11.2026 12:00, не выполнено, снято с исполнения 09.11.2026 12:30, опоздание 30 мин",
    ]);
  });
});

describe("work done at the weekend", () => {
  it("after a deadline that ran out at Friday's close is on time: not a working minute went by; after one that ran out earlier, late by the working time missed", async () => {
    const o = await office("orenburg");
    const { health } = o;
    const { ivan } = o.people;
    // Friday 13.11: both approved in the afternoon, posted on Saturday morning (p.12: 30 minutes).
    const closing = o.register("2026-11-13 16:00");
    o.route(closing, health, "2026-11-13 16:05");
    o.answer(closing, ivan, "2026-11-13 16:10", "2026-11-13 17:20", "2026-11-13 17:30", "2026-11-14 10:00");
    const earlier = o.register("2026-11-13 16:00");
    o.route(earlier, health, "2026-11-13 16:05");
    o.answer(earlier, ivan, "2026-11-13 16:10", "2026-11-13 16:50", "2026-11-13 17:00", "2026-11-14 10:00");

    const report = o.november();
    expect(tr.violations(report).split("\n")).toEqual([
      "Нарушения регламента за ноябрь 2026 г.: 1",
      `№ ${earlier} · Минздрав · Иван — разместить согласованный ответ (п. 12): срок 13.11.2026 17:30, выполнено 14.11.2026 10:00, опоздание 30 мин`,
    ]);
    expect(stepScore(report, "publication")).toBe("1/2");
  });

  it("a step ended undone at the weekend after a deadline at Friday's close (the post returned) is no violation either", async () => {
    const o = await office("georgievsk");
    const { health } = o;
    const { ivan } = o.people;
    // Friday 13.11 17:00 Moscow: the draft is due at 18:00 (p.11, a working hour from receipt).
    const id = o.register("2026-11-13 16:55");
    o.route(id, health, "2026-11-13 17:00");
    o.accept(id, ivan, "2026-11-13 17:05");
    o.giveBack(id, ivan, "2026-11-14 10:00"); // Saturday: not a working minute after it
    const lines = tr.violations(o.november()).split("\n");
    expect(lines.filter((line) => line.includes("прислать проект ответа куратору"))).toEqual([]);
  });
});

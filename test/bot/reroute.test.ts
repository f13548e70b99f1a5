/**
 * A post its organization returns (Orenburg p.7; Georgievsk p.10) and the curator routes again: the
 * clocks start over where the regulation counts from routing, and nothing of the first organization's
 * work is charged to the next one.
 */
import { afterEach, describe, expect, it } from "vitest";
import { publishInterim, recordClarification, requestRework, submitDraft } from "../../src/app/answers.js";
import { unbindChat } from "../../src/app/chats.js";
import { acceptIncident, loadIncident, returnIncident, routeIncident } from "../../src/app/incidents.js";
import { findPerson } from "../../src/app/people.js";
import { drafts } from "../../src/db/schema.js";
import type { Person } from "../../src/domain/access.js";
import { runningDeadlines } from "../../src/domain/incident.js";
import { sweep } from "../../src/jobs/sweep.js";
import { buildMonthlyReport } from "../../src/reports/figures.js";
import { Harness, type HarnessOptions } from "../support/bot-harness.js";
import { updates } from "../support/updates.js";
import {
  OFFICE,
  type PostOptions,
  seedDraft,
  seedIncidentInWork,
  seedOffice,
  showCards,
} from "../support/workflow.js";

const MINUTE = 60_000;
const ROADS_EXECUTOR = 3005;

let h: Harness;
let health: number;
let roads: number;

afterEach(() => h.close());

async function office(options: HarnessOptions, post: PostOptions = {}): Promise<number> {
  h = await Harness.start(options);
  health = seedOffice(h).health;
  roads = h.seedOrganization("Министерство дорожного хозяйства", "Миндор");
  h.seedChat(h.group(-300, "Миндор: обращения"), roads);
  h.seedPerson(ROADS_EXECUTOR, "Пётр", [], [roads]);
  return seedIncidentInWork(h, health, post);
}

const as = (telegramId: number) => findPerson(h.db, telegramId) as Person;

function must<T extends { ok: boolean }>(result: T): T {
  if (!result.ok) throw new Error(`refused: ${JSON.stringify(result)}`);
  return result;
}

function card(chatId: number, id: number): string {
  const found = h.fake.messages(chatId).find((m) => m.text?.startsWith(`Сообщение № ${id} · `));
  return found?.text ?? "";
}

describe("a returned post routed again", () => {
  it("the curators' routing clock runs from the return, not from detection: no overdue or escalation at once", async () => {
    // Orenburg, Tuesday 24.11.2026 10:00 Yekaterinburg: detected, routed and taken at 10:00.
    const id = await office({ now: "2026-11-24T05:00:00Z" });
    h.clock.advance(149 * MINUTE); // 12:29
    must(
      returnIncident(h.db, {
        incidentId: id,
        actor: as(OFFICE.executor),
        now: h.clock.now(),
        reason: "Не наша компетенция.",
      }),
    );
    await showCards(h, id);
    expect(card(OFFICE.curatorsChat, id)).toContain("Срок: 24.11.2026 12:59 — направить исполнителю (п. 6)");

    h.clock.advance(MINUTE);
    await sweep(h.deps());
    expect(h.texts(OFFICE.curatorsChat).filter((text) => /^(❗|‼️)/.test(text))).toEqual([]);
  });

  it("Georgievsk: the answer's 4 working hours run from the new routing (p.16), and the new organization drafts on its own clock", async () => {
    // Tuesday 24.11.2026 10:00 Moscow.
    const id = await office({ regulation: "georgievsk", now: "2026-11-24T07:00:00Z" });
    must(
      submitDraft(h.db, {
        incidentId: id,
        actor: as(OFFICE.executor),
        now: h.clock.now(),
        content: { text: "Снег уберут.", attachments: [] },
      }),
    );
    must(
      requestRework(h.db, {
        incidentId: id,
        actor: as(OFFICE.curator),
        now: h.clock.now(),
        comment: "Уточните.",
      }),
    );
    h.clock.advance(5 * MINUTE);
    must(
      returnIncident(h.db, {
        incidentId: id,
        actor: as(OFFICE.executor),
        now: h.clock.now(),
        reason: "Это дороги.",
      }),
    );
    h.clock.set("2026-11-24T11:00:00Z"); // 14:00
    must(
      routeIncident(h.db, {
        incidentId: id,
        leadId: roads,
        coexecutorIds: [],
        actor: as(OFFICE.curator),
        now: h.clock.now(),
      }),
    );
    must(acceptIncident(h.db, { incidentId: id, actor: as(ROADS_EXECUTOR), now: h.clock.now() }));
    await showCards(h, id);

    const text = card(-300, id);
    expect(text).toContain("Срок: 24.11.2026 15:00 — прислать проект ответа куратору (п. 11)");
    expect(text).toContain("Ответ разместить до: 24.11.2026 18:00");
    expect(text).not.toContain("доработать");
    expect(loadIncident(h.db, id)?.answer?.reworkRequestedAt).toBeNull();
  });
});

describe("a curator routes again a post the organization stalls on", () => {
  it("after an interim answer: the next organization owes the final answer on the same clock (p.13)", async () => {
    // Orenburg, Tuesday 24.11.2026 10:00 Yekaterinburg.
    const id = await office({ now: "2026-11-24T05:00:00Z" });
    await seedDraft(h, id, { purpose: "interim", approve: true });
    must(
      publishInterim(h.db, {
        incidentId: id,
        actor: as(OFFICE.executor),
        now: h.clock.now(),
        link: "https://vk.com/wall-1_1?reply=3",
      }),
    );
    await showCards(h, id);
    const curator = h.user(OFFICE.curator, "Ольга");
    const curatorsChat = h.group(OFFICE.curatorsChat, "Кураторы");
    await curator.press("Переназначить", curatorsChat);
    await curator.press(/Миндор/, curatorsChat);
    await curator.press("Готово", curatorsChat);
    expect(loadIncident(h.db, id)?.row.state).toBe("assigned");
    // The final answer's deadline, unchanged, is its deadline; its own return window (p.7) a right.
    expect(card(-300, id)).toContain("Срок: 03.12.2026 18:00 — дать окончательный ответ (п. 13)");
    expect(card(-300, id)).toContain("Вернуть не по компетенции можно до 24.11.2026 10:30 (п. 7)");
    expect(card(-300, id)).toContain("Промежуточный ответ: https://vk.com/wall-1_1?reply=3");

    const roadsExecutor = h.user(ROADS_EXECUTOR, "Пётр");
    await roadsExecutor.press("Взять в работу", h.group(-300, "Миндор: обращения"));
    const labels = h.fake.buttons(-300).map((b) => b.label);
    expect(labels).toContain("Подготовить окончательный ответ");
    expect(labels).not.toContain("Промежуточный ответ");
    // Taken, the post still waits for the final answer: its interim one is public, so no «Вернуть».
    expect(loadIncident(h.db, id)?.row.state).toBe("awaiting_final");
    expect(labels).not.toContain("Вернуть");
  });

  it("after a question to the author: the next organization owes its own draft, the question was the first one's", async () => {
    // Georgievsk, Tuesday 24.11.2026 10:00 Moscow: Минздрав's question to the author is posted at once.
    const id = await office({ regulation: "georgievsk", now: "2026-11-24T07:00:00Z" });
    await seedDraft(h, id, { purpose: "clarification", approve: true });
    must(
      recordClarification(h.db, {
        incidentId: id,
        actor: as(OFFICE.executor),
        now: h.clock.now(),
        link: "https://vk.com/wall-1_1?reply=4",
      }),
    );
    h.clock.set("2026-11-24T08:00:00Z"); // 11:00
    must(
      routeIncident(h.db, {
        incidentId: id,
        leadId: roads,
        coexecutorIds: [],
        actor: as(OFFICE.curator),
        now: h.clock.now(),
      }),
    );
    must(acceptIncident(h.db, { incidentId: id, actor: as(ROADS_EXECUTOR), now: h.clock.now() }));
    const incident = await showCards(h, id);
    const { regulation, workingTime } = h.deps().sla;
    const steps = runningDeadlines(incident, regulation, workingTime).map((d) => d.step);
    expect(steps).toContain("draft");
    expect(card(-300, id)).toContain("Срок: 24.11.2026 12:00 — прислать проект ответа куратору (п. 11)");
  });

  it("Georgievsk p.15: the same lead routed again once its final answer was approved keeps its final draft sent in time", async () => {
    // Tuesday 24.11.2026 10:00 Moscow; the interim answer posted on Wednesday 25.11 10:00.
    const id = await office({ regulation: "georgievsk", now: "2026-11-24T07:00:00Z" });
    h.clock.set("2026-11-25T07:00:00Z");
    await seedDraft(h, id, { purpose: "interim", approve: true });
    const link = "https://vk.com/wall-1_1?reply=8";
    must(publishInterim(h.db, { incidentId: id, actor: as(OFFICE.executor), now: h.clock.now(), link }));
    // The final draft on 02.12, in time for 04.12 18:00 (p.15), approved.
    h.clock.set("2026-12-02T07:00:00Z");
    await seedDraft(h, id, { text: "Снег вывезут.", approve: true });
    // Monday 07.12: a co-executor added, the same lead; it takes the post again for a new draft.
    h.clock.set("2026-12-07T07:00:00Z");
    const now = h.clock.now();
    must(
      routeIncident(h.db, {
        incidentId: id,
        leadId: health,
        coexecutorIds: [roads],
        actor: as(OFFICE.curator),
        now,
      }),
    );
    must(acceptIncident(h.db, { incidentId: id, organizationId: health, actor: as(OFFICE.executor), now }));
    await showCards(h, id);
    await sweep(h.deps());
    expect(card(OFFICE.healthChat, id)).not.toContain("прислать проект окончательного ответа куратору");
    expect(h.texts(OFFICE.healthChat).filter((text) => text.startsWith("❗"))).toEqual([]);
    const report = buildMonthlyReport(h.db, h.sla, { year: 2026, month: 12 });
    expect(report.violations.filter((v) => v.step === "finalAfterInterim")).toEqual([]);
  });

  it("Georgievsk p.15: a final draft set aside by a routing elsewhere does not meet the clock for the new organization", async () => {
    // Tuesday 24.11.2026 10:00 Moscow; the interim answer posted on Wednesday 25.11 10:00.
    const id = await office({ regulation: "georgievsk", now: "2026-11-24T07:00:00Z" });
    h.clock.set("2026-11-25T07:00:00Z");
    await seedDraft(h, id, { purpose: "interim", approve: true });
    must(
      publishInterim(h.db, {
        incidentId: id,
        actor: as(OFFICE.executor),
        now: h.clock.now(),
        link: "https://vk.com/wall-1_1?reply=8",
      }),
    );
    h.clock.set("2026-12-02T07:00:00Z");
    await seedDraft(h, id, { text: "Окончательный ответ Минздрава." }); // on approval
    h.clock.advance(30 * MINUTE);
    must(
      routeIncident(h.db, {
        incidentId: id,
        leadId: roads,
        coexecutorIds: [],
        actor: as(OFFICE.curator),
        now: h.clock.now(),
      }),
    );
    must(acceptIncident(h.db, { incidentId: id, actor: as(ROADS_EXECUTOR), now: h.clock.now() }));
    await showCards(h, id);
    // 7 working days from 25.11 (p.15): 04.12 18:00, now Миндор's to meet.
    expect(card(-300, id)).toContain(
      "Срок: 04.12.2026 18:00 — прислать проект окончательного ответа куратору (п. 15)",
    );
    expect(card(-300, id)).not.toContain("Проект окончательного ответа направлен");
  });

  it("after approval: the approved answer nobody posts can go to another organization", async () => {
    const id = await office({ now: "2026-11-24T05:00:00Z" });
    await seedDraft(h, id, { approve: true });
    const curator = h.user(OFFICE.curator, "Ольга");
    const curatorsChat = h.group(OFFICE.curatorsChat, "Кураторы");
    await curator.press("Переназначить", curatorsChat);
    await curator.press(/Миндор/, curatorsChat);
    await curator.press("Готово", curatorsChat);
    expect(loadIncident(h.db, id)?.row.state).toBe("assigned");
    expect(h.fake.buttons(-300).map((b) => b.label)).toContain("Взять в работу");
    // The first organization's card no longer offers to post it, and it hears so, as does its holder.
    expect(h.fake.buttons(OFFICE.healthChat).map((b) => b.label)).not.toContain("Размещено");
    const taken =
      "Сообщение № 1 передано другому органу (Миндор): готовить ответ по нему больше не нужно. " +
      "Согласованный ответ не размещайте.";
    expect(h.lastText(OFFICE.healthChat)).toBe(taken);
    expect(h.lastText(OFFICE.executor)).toBe(taken);
    expect(h.texts(-300)).not.toContain(taken);
    // «Размещено» pressed on a card as it was says where the post went, not who may post.
    const executor = h.user(OFFICE.executor, "Иван");
    const stale = h.fake.messages(OFFICE.healthChat).find((m) => m.text?.startsWith(`Сообщение № ${id} · `));
    if (!stale) throw new Error("no card");
    const press = await h.deliver(updates.callback(executor.tg, stale, `inc.pub:${id}`));
    expect(h.fake.callbackAnswer(press.callback_query?.id ?? "")?.text).toBe(
      "Сообщение № 1 больше не направлено вашему органу.",
    );
  });
});

/** Ольга presses «Переназначить» on the curators' card, picks these organizations and «Готово». */
async function reroute(...picks: RegExp[]): Promise<void> {
  const curator = h.user(OFFICE.curator, "Ольга");
  const curatorsChat = h.group(OFFICE.curatorsChat, "Кураторы");
  await curator.press("Переназначить", curatorsChat);
  for (const pick of picks) await curator.press(pick, curatorsChat);
  await curator.press("Готово", curatorsChat);
}

describe("an executor of an organization the post was taken from", () => {
  it("asking for its card privately sees only where it went, not the new organization's work", async () => {
    const id = await office({ now: "2026-11-24T05:00:00Z" });
    await reroute(/Миндор/);
    const ivan = h.user(OFFICE.executor, "Иван");
    await ivan.send(`/find ${id}`);
    expect(ivan.lastText()).toContain(
      "Состояние: передано другому органу (Министерство дорожного хозяйства)",
    );
    expect(ivan.lastText()).not.toMatch(/Срок|Исполнитель:/);
  });

  it("its old card shows none of the new lead's work: not the rework comment on its draft", async () => {
    const id = await office({ now: "2026-11-24T05:00:00Z" });
    const now = h.clock.now();
    must(
      routeIncident(h.db, {
        incidentId: id,
        leadId: roads,
        coexecutorIds: [],
        actor: as(OFFICE.curator),
        now,
      }),
    );
    must(acceptIncident(h.db, { incidentId: id, actor: as(ROADS_EXECUTOR), now }));
    const content = { text: "Ответ Миндора.", attachments: [] };
    must(submitDraft(h.db, { incidentId: id, actor: as(ROADS_EXECUTOR), now, content }));
    const comment = "Уберите из ответа фамилию заявителя.";
    must(requestRework(h.db, { incidentId: id, actor: as(OFFICE.curator), now, comment }));
    await showCards(h, id);
    expect(card(-300, id)).toContain(comment);
    for (const chat of [OFFICE.healthChat, OFFICE.executor]) {
      expect(card(chat, id)).toContain("передано другому органу (Министерство дорожного хозяйства)");
      expect(card(chat, id)).not.toContain(comment);
    }
  });
});

describe("the lead made a co-executor of another lead", () => {
  it("after approval: it hears the answer is the new lead's now and not to post the approved one", async () => {
    const id = await office({ now: "2026-11-24T05:00:00Z" });
    await seedDraft(h, id, { approve: true });
    await reroute(/Миндор/, /Минздрав/);
    const lead = loadIncident(h.db, id)?.assignments.find(
      (a) => a.role === "lead" && a.state !== "withdrawn",
    );
    expect(lead?.organizationId).toBe(roads);
    // What to press, and by when its part is due (2 working hours from now, p.14).
    const told =
      "Сообщение № 1: ответ теперь готовит Миндор, ваш орган — соисполнитель. Возьмите сообщение в работу " +
      "на карточке и пришлите информацию основному исполнителю кнопкой «Отправить информацию» " +
      "до 24.11.2026 12:00 (п. 14 регламента). Согласованный ответ не размещайте.";
    expect(h.texts(OFFICE.healthChat)).toContain(told);
    expect(h.texts(OFFICE.executor)).toContain(told);
  });
});

describe("a post routed back to an organization that had it", () => {
  it("its chat gets the card anew, below, with «Взять в работу»; the old one far up loses its buttons", async () => {
    const id = await office({ now: "2026-11-24T05:00:00Z" });
    await reroute(/Миндор/);
    const cardsIn = (chatId: number) =>
      h.fake.messages(chatId).filter((m) => m.text?.startsWith(`Сообщение № ${id} · `));
    expect(cardsIn(OFFICE.healthChat)).toHaveLength(1);

    await reroute(/Минздрав/);
    const [old, renewed] = cardsIn(OFFICE.healthChat);
    expect(renewed?.text).toContain("Состояние: направлено исполнителю");
    const labelsOf = (messageId: number | undefined) =>
      h.fake
        .buttons(OFFICE.healthChat)
        .filter((b) => b.message.message_id === messageId)
        .map((b) => b.label);
    expect(labelsOf(renewed?.message_id)).toContain("Взять в работу");
    expect(labelsOf(old?.message_id)).toEqual([]);
    // The executor's private card too.
    expect(cardsIn(OFFICE.executor)).toHaveLength(2);
  });
});

describe("a curator routes a post in rework to another organization", () => {
  it("the new organization drafts on its own clock: the old rework is not inherited", async () => {
    // Orenburg, Tuesday 24.11.2026 10:00 Yekaterinburg.
    const id = await office({ now: "2026-11-24T05:00:00Z" });
    await seedDraft(h, id);
    must(
      requestRework(h.db, {
        incidentId: id,
        actor: as(OFFICE.curator),
        now: h.clock.now(),
        comment: "Укажите сроки.",
      }),
    );
    h.clock.advance(90 * MINUTE); // 11:30: the rework (an hour, p.11) is overdue
    must(
      routeIncident(h.db, {
        incidentId: id,
        leadId: roads,
        coexecutorIds: [],
        actor: as(OFFICE.curator),
        now: h.clock.now(),
      }),
    );
    must(acceptIncident(h.db, { incidentId: id, actor: as(ROADS_EXECUTOR), now: h.clock.now() }));
    await showCards(h, id);
    expect(card(-300, id)).toContain("— прислать проект ответа куратору (п. 9)");
    expect(card(-300, id)).not.toContain("доработать");
    await sweep(h.deps());
    expect(h.texts(-300).filter((text) => /^(❗|‼️)/.test(text))).toEqual([]);
  });
});

describe("routing names each organization once", () => {
  it("Georgievsk p.16: taken from one organization and sent to another, the answer is due 4 working hours from then", async () => {
    // Tuesday 24.11.2026 10:00 Moscow: routed to Минздрав and taken; the answer due 15:00.
    const id = await office({ regulation: "georgievsk", now: "2026-11-24T07:00:00Z" });
    h.clock.set("2026-11-24T11:45:00Z"); // 14:45
    must(
      routeIncident(h.db, {
        incidentId: id,
        leadId: roads,
        coexecutorIds: [],
        actor: as(OFFICE.curator),
        now: h.clock.now(),
      }),
    );
    const incident = await showCards(h, id);
    const { regulation, workingTime } = h.deps().sla;
    const answer = runningDeadlines(incident, regulation, workingTime).find((d) => d.step === "answer");
    // 14:45 + 4 working hours: 3 h 15 min today, 45 min on Wednesday — not 15 minutes from now.
    expect(answer?.at).toEqual(new Date("2026-11-25T06:45:00Z"));
    expect(card(-300, id)).toContain("Вернуть не по компетенции можно до 24.11.2026 15:15 (п. 10)");
  });

  it("a draft before the curator that shows the post is another organization's: routed there at once, no rework first", async () => {
    const id = await office({ now: "2026-11-24T05:00:00Z" });
    await seedDraft(h, id, { text: "Это вопрос дорожников." });
    const curator = h.user(OFFICE.curator, "Ольга");
    const curatorsChat = h.group(OFFICE.curatorsChat, "Кураторы");
    const approve = h.fake.findButton(OFFICE.curatorsChat, "Согласовать");
    await curator.press("Переназначить", curatorsChat);
    await curator.press(/Миндор/, curatorsChat);
    await curator.press("Готово", curatorsChat);
    expect(h.lastText(OFFICE.curatorsChat)).toBe(
      "Сообщение № 1 направлено.\nОсновной исполнитель: Министерство дорожного хозяйства",
    );
    const incident = loadIncident(h.db, id);
    expect(incident?.row.state).toBe("assigned");
    expect(h.db.select({ state: drafts.state }).from(drafts).all()).toEqual([{ state: "superseded" }]);
    expect(card(OFFICE.healthChat, id)).toContain("передано другому органу");
    expect(card(-300, id)).toContain("Состояние: направлено исполнителю");
    // «Согласовать» pressed on the card as it was decides nothing now.
    const late = await h.deliver(updates.callback(curator.tg, approve.message, approve.callbackData));
    expect(h.fake.callbackAnswer(late.callback_query?.id ?? "")?.text).toMatch(/^Сообщение № 1/);
    expect(loadIncident(h.db, id)?.row.state).toBe("assigned");
  });

  it("a co-executor added to the lead whose draft is before the curator: the curator decides on the draft first", async () => {
    const id = await office({ now: "2026-11-24T05:00:00Z" });
    await seedDraft(h, id);
    const curator = h.user(OFFICE.curator, "Ольга");
    const curatorsChat = h.group(OFFICE.curatorsChat, "Кураторы");
    await curator.press("Переназначить", curatorsChat);
    await curator.press(/Минздрав/, curatorsChat);
    await curator.press(/Миндор/, curatorsChat);
    await curator.press("Готово", curatorsChat);
    expect(h.lastText(OFFICE.curatorsChat)).toBe(
      "Сообщение № 1 не направлено: проект ответа основного исполнителя (Министерство здравоохранения) на согласовании. " +
        "Чтобы добавить соисполнителей, сначала верните проект на доработку, затем направьте сообщение заново.",
    );
    expect(loadIncident(h.db, id)?.row.state).toBe("on_approval");
    expect(h.db.select({ state: drafts.state }).from(drafts).all()).toEqual([{ state: "submitted" }]);
  });

  it("a co-executor added once the answer is approved: the lead hears not to post it, and to take the post into work for a new draft", async () => {
    const id = await office({ now: "2026-11-24T05:00:00Z" });
    await seedDraft(h, id, { approve: true });
    await reroute(/Минздрав/, /Миндор/);
    const told =
      "Сообщение № 1 направлено вашему органу заново, с соисполнителями (Миндор): согласованный ответ не размещайте — " +
      "возьмите сообщение в работу и подготовьте новый проект с учётом их информации.";
    expect(h.texts(OFFICE.healthChat)).toContain(told);
    expect(h.texts(OFFICE.executor)).toContain(told);
    expect(loadIncident(h.db, id)?.row.state).toBe("assigned");
  });

  it("a significant post's, on a holiday: the lead hears it with sound", async () => {
    // Saturday 02.01.2027 10:00 in Yekaterinburg: the New Year holidays.
    const id = await office({ now: "2027-01-02T05:00:00Z" }, { importance: "significant" });
    await seedDraft(h, id, { approve: true });
    const mark = h.fake.mark();
    await reroute(/Минздрав/, /Миндор/);
    const curator = h.user(OFFICE.curator, "Ольга");
    const curatorsChat = h.group(OFFICE.curatorsChat, "Кураторы");
    // Orenburg p.6: a significant post's answer may be shortened; not here.
    await curator.press("Без сокращения", curatorsChat);
    const sounds = (start: string) =>
      h.fake.calls
        .slice(mark)
        .filter((c) => c.method === "sendMessage" && String(c.params.text).startsWith(start))
        .map((c) => [Number(c.params.chat_id), c.params.disable_notification]);
    expect(sounds(`Сообщение № ${id} направлено вашему органу заново`)).toEqual([
      [OFFICE.healthChat, false],
      [OFFICE.executor, false],
    ]);
    expect(loadIncident(h.db, id)?.row.state).toBe("assigned");
  });

  it("that notice nobody at the lead can get (no work chat, its executor blocks the bot) goes to the curators", async () => {
    const id = await office({ now: "2026-11-24T05:00:00Z" });
    await seedDraft(h, id, { approve: true });
    unbindChat(h.db, { chatId: OFFICE.healthChat, actorId: null, reason: "admin", now: h.clock.now() });
    h.fake.setChatMember(OFFICE.executor, h.bot.botInfo.id, "kicked");
    await reroute(/Минздрав/, /Миндор/);
    expect(h.texts(OFFICE.curatorsChat)).toContain(
      "Сообщение № 1 направлено вашему органу заново, с соисполнителями (Миндор): согласованный ответ не размещайте — " +
        "возьмите сообщение в работу и подготовьте новый проект с учётом их информации.\n" +
        "Органу «Министерство здравоохранения» не доставлено: бот не смог написать ни в его рабочий чат, ни его исполнителям.",
    );
  });

  it("its co-executor dropped once the answer is approved: the lead hears to draft anew, not to wait for co-executors it no longer has", async () => {
    const id = await office({ now: "2026-11-24T05:00:00Z" });
    await reroute(/Минздрав/, /Миндор/);
    await seedDraft(h, id, { approve: true });
    await reroute(/Минздрав/);
    const told =
      "Сообщение № 1 направлено вашему органу заново: согласованный ответ не размещайте — " +
      "возьмите сообщение в работу и подготовьте новый проект.";
    expect(h.texts(OFFICE.healthChat)).toContain(told);
    expect(h.texts(OFFICE.executor)).toContain(told);
  });

  it("the lead kept as a co-executor whose turn has not come (p.14): told its turn will come, and its card has no deadline of another's", async () => {
    const id = await office({ now: "2026-11-24T05:00:00Z" });
    const education = h.seedOrganization("Министерство образования", "Минобр");
    h.seedChat(h.group(-400, "Минобр: обращения"), education);
    const curator = h.user(OFFICE.curator, "Ольга");
    const curatorsChat = h.group(OFFICE.curatorsChat, "Кураторы");
    await reroute(/Миндор/, /Минобр/, /Минздрав/);
    await curator.press("По очереди", curatorsChat);
    const health = loadIncident(h.db, id)?.assignments.find(
      (a) => a.organizationId !== roads && a.organizationId !== education && a.state !== "withdrawn",
    );
    expect(health?.state).toBe("queued");
    const told =
      "Сообщение № 1: ответ теперь готовит Миндор, ваш орган — соисполнитель по очереди. " +
      "Готовить ответ не нужно: когда наступит ваша очередь, придёт карточка — тогда пришлите информацию.";
    expect(h.lastText(OFFICE.healthChat)).toBe(told);
    expect(h.lastText(OFFICE.executor)).toBe(told);
    const old = card(OFFICE.healthChat, id);
    expect(old).toContain(
      "Состояние: ваш орган — соисполнитель, ждёт своей очереди: когда она наступит, придёт новая карточка",
    );
    expect(old).not.toMatch(/Срок:|Ответ разместить до/);
  });

  it("a co-executor made the lead gets the post's card anew, below, not only a silent edit far up its chat", async () => {
    await office({ now: "2026-11-24T05:00:00Z" });
    await reroute(/Минздрав/, /Миндор/);
    const cardsSent = () =>
      h.fake
        .callsOf("sendMessage")
        .filter((c) => c.params.chat_id === -300 && String(c.params.text).startsWith("Сообщение № 1 · "))
        .length;
    expect(cardsSent()).toBe(1);
    // Миндор chosen first leads now.
    await reroute(/Миндор/, /Минздрав/);
    expect(cardsSent()).toBe(2);
    expect(h.fake.lastMessage(-300)?.text).toMatch(
      /^Сообщение № 1 · [\s\S]*Исполнитель: Министерство дорожного хозяйства/,
    );
  });

  it("a co-executor added to a post in work: the lead's executor keeps it, with no second «Взять в работу»", async () => {
    // Orenburg, Tuesday 24.11.2026 10:00 Yekaterinburg: detected, routed and taken by Иван at 10:00.
    const id = await office({ now: "2026-11-24T05:00:00Z" });
    h.clock.advance(60 * MINUTE);
    must(
      routeIncident(h.db, {
        incidentId: id,
        leadId: health,
        coexecutorIds: [roads],
        actor: as(OFFICE.curator),
        now: h.clock.now(),
      }),
    );
    const incident = await showCards(h, id);
    expect(incident.row).toMatchObject({ state: "in_work", holderId: as(OFFICE.executor).id });
    const labels = h.fake
      .buttons(OFFICE.healthChat)
      .filter((b) => card(OFFICE.healthChat, id) === b.message.text)
      .map((b) => b.label);
    expect(labels).toContain("Подготовить ответ");
    expect(labels).not.toContain("Взять в работу");
    expect(card(OFFICE.healthChat, id)).toContain("Ответственный: Иван");
    expect(card(OFFICE.healthChat, id)).not.toContain("Вернуть не по компетенции");
    // The co-executor gets the post to take and its part to send.
    expect(card(-300, id)).toContain("Вернуть не по компетенции можно до 24.11.2026 11:30 (п. 7)");
    // Иван sends the draft as before.
    must(
      submitDraft(h.db, {
        incidentId: id,
        actor: as(OFFICE.executor),
        now: h.clock.now(),
        content: { text: "Снег уберут.", attachments: [] },
      }),
    );
  });

  it("another co-executor added: the one working on its part keeps it — who took it, its deadline — with no second «Взять в работу»", async () => {
    const id = await office({ now: "2026-11-24T05:00:00Z" });
    const culture = h.seedOrganization("Министерство культуры", "Минкультуры");
    h.seedPerson(3007, "Анна", [], [culture]);
    h.seedChat(h.group(-400, "Минкультуры: обращения"), culture);
    const route = (coexecutorIds: number[]) =>
      must(
        routeIncident(h.db, {
          incidentId: id,
          leadId: health,
          coexecutorIds,
          actor: as(OFFICE.curator),
          now: h.clock.now(),
        }),
      );
    route([roads]); // 10:00: the part due 12:00 (p.14)
    must(acceptIncident(h.db, { incidentId: id, actor: as(ROADS_EXECUTOR), now: h.clock.now() }));
    h.clock.advance(60 * MINUTE); // 11:00
    route([roads, culture]);
    await showCards(h, id);
    expect(card(-300, id)).toContain("Ответственный (Министерство дорожного хозяйства): Пётр");
    expect(card(-300, id)).toContain("Срок: 24.11.2026 12:00 — прислать информацию соисполнителя (п. 14)");
    const labels = h.fake
      .buttons(-300)
      .filter((b) => card(-300, id) === b.message.text)
      .map((b) => b.label);
    expect(labels).toContain("Отправить информацию");
    expect(labels).not.toContain("Взять в работу");
    expect(card(-400, id)).toContain("Вернуть не по компетенции можно до 24.11.2026 11:30 (п. 7)");
  });

  it("a co-executor added once the answer is approved: the post goes back to its lead for a new draft", async () => {
    const id = await office({ now: "2026-11-24T05:00:00Z" });
    await seedDraft(h, id, { approve: true });
    const route = () =>
      routeIncident(h.db, {
        incidentId: id,
        leadId: health,
        coexecutorIds: [roads],
        actor: as(OFFICE.curator),
        now: h.clock.now(),
      });
    const routed = route();
    expect(routed.ok && routed.incident.row.state).toBe("assigned");
    must(acceptIncident(h.db, { incidentId: id, actor: as(OFFICE.executor), now: h.clock.now() }));
    must(
      submitDraft(h.db, {
        incidentId: id,
        actor: as(OFFICE.executor),
        now: h.clock.now(),
        content: { text: "С учётом информации дорожников.", attachments: [] },
      }),
    );
    expect(loadIncident(h.db, id)?.row.state).toBe("on_approval");
  });

  it("an organization twice among the lead and co-executors is a programming error, and nothing changes", async () => {
    const id = await office({ now: "2026-11-24T05:00:00Z" });
    const before = loadIncident(h.db, id);
    const route = (leadId: number, coexecutorIds: number[]) => () =>
      routeIncident(h.db, {
        incidentId: id,
        leadId,
        coexecutorIds,
        actor: as(OFFICE.curator),
        now: h.clock.now(),
      });
    expect(route(roads, [health, health])).toThrow(/named twice/);
    expect(route(roads, [roads])).toThrow(/named twice/);
    expect(loadIncident(h.db, id)).toEqual(before);
  });
});

import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { writeHeadSettings } from "../../src/app/heads.js";
import { acceptIncident, loadIncident, routeIncident, sendPart } from "../../src/app/incidents.js";
import { findPerson } from "../../src/app/people.js";
import { auditEvents, headSettings, memberships, organizations } from "../../src/db/schema.js";
import type { ActionRules } from "../../src/domain/incident.js";
import { Harness } from "../support/bot-harness.js";
import { updates } from "../support/updates.js";
import { OFFICE, seedOffice, seedRegistered, showCards } from "../support/workflow.js";

const ADMIN = 1001;
const TRANSPORT_CHAT = -300;
const BUILDING_CHAT = -400;
const PETR = 3101;
const MARIA = 3102;
const HEAD = 5002;
let h: Harness;

beforeEach(async () => {
  h = await Harness.start({ adminIds: [ADMIN] });
});
afterEach(() => h.close());

const admin = () => h.user(ADMIN, "Анна");

/** «Минтранс» with a work chat, two executors (Иван of «Минздрав» too) and a head; «Минстрой» with a chat. */
function seedReorganization() {
  const { health } = seedOffice(h);
  const transport = h.seedOrganization("Министерство транспорта", "Минтранс");
  const building = h.seedOrganization("Министерство строительства", "Минстрой");
  h.seedChat(h.group(TRANSPORT_CHAT, "Минтранс: обращения"), transport);
  h.seedChat(h.group(BUILDING_CHAT, "Минстрой: обращения"), building);
  h.seedPerson(PETR, "Пётр", [], [transport]);
  h.seedPerson(MARIA, "Мария", [], [transport, building]);
  h.seedPerson(OFFICE.executor, "Иван", [], [health, transport]);
  h.seedPerson(HEAD, "Руководитель", ["head"]);
  const head = person(HEAD);
  h.db.transaction((tx) =>
    writeHeadSettings(tx, head.id, { purposes: ["violations"], organizationId: transport }, h.clock.now()),
  );
  return { health, transport, building };
}

function person(telegramId: number) {
  const found = findPerson(h.db, telegramId);
  if (!found) throw new Error(`no person ${telegramId}`);
  return found;
}

/**
 * A registered post routed to `lead` with `part`'s organization as its co-executor, whose executor
 * accepted it and gave its part (under `rules`); then the lead's executor accepted it too.
 */
function seedPartGiven(
  lead: { organizationId: number; by: number },
  part: { organizationId: number; by: number; text: string },
  rules?: ActionRules,
): number {
  const id = seedRegistered(h);
  const now = h.clock.now();
  routeIncident(h.db, {
    incidentId: id,
    leadId: lead.organizationId,
    coexecutorIds: [part.organizationId],
    actor: person(OFFICE.curator),
    now,
  });
  const actor = person(part.by);
  acceptIncident(h.db, { incidentId: id, actor, now, organizationId: part.organizationId });
  sendPart(h.db, { incidentId: id, actor, now, text: part.text, organizationId: part.organizationId, rules });
  acceptIncident(h.db, { incidentId: id, actor: person(lead.by), now, organizationId: lead.organizationId });
  return id;
}

const cardIn = (chatId: number, id: number) =>
  h.fake.messages(chatId).find((m) => m.text?.startsWith(`Сообщение № ${id} · `))?.text ?? "";

async function openMerge() {
  await admin().send("/orgs");
  await admin().press(/Министерство транспорта/);
  await admin().press("Объединить с…");
  await admin().press("Минстрой — Министерство строительства");
}

describe("merging organizations", () => {
  it("«Объединить с…» with no other active organization says so and leaves the card as it was", async () => {
    seedOffice(h);
    await admin().send("/orgs");
    await admin().press(/Министерство здравоохранения/);
    const card = admin().lastText();
    expect(await admin().press("Объединить с…")).toBe("Объединить не с чем: других действующих органов нет.");
    expect(admin().lastText()).toBe(card);
    expect(h.fake.findButton(ADMIN, "Объединить с…")).toBeDefined();
  });

  it("a post in work goes on with the absorbing organization as it was: holder, state and deadline kept, nobody told it was handed over", async () => {
    const { transport } = seedReorganization();
    const id = seedRegistered(h);
    const now = h.clock.now();
    routeIncident(h.db, {
      incidentId: id,
      leadId: transport,
      coexecutorIds: [],
      actor: person(OFFICE.curator),
      now,
    });
    acceptIncident(h.db, { incidentId: id, actor: person(PETR), now });
    await showCards(h, id);
    const deadline = (text: string) => text.split("\n").filter((line) => line.startsWith("Срок"));
    const before = deadline(cardIn(OFFICE.curatorsChat, id));
    expect(before).not.toEqual([]);

    await openMerge();
    expect(admin().lastText()).toBe(
      "Объединить «Министерство транспорта» с «Министерство строительства»?\n\n" +
        "Будут перенесены: 3 сотрудника, 1 руководитель органа, 1 открытое сообщение (1 в работе); " +
        "«Министерство транспорта» будет отключён. Ответственные, сроки и проекты ответов сохранятся. " +
        "История сохранит прежнее название.",
    );
    await admin().press("Объединить");
    expect(admin().lastText()).toBe(
      "Готово: «Министерство транспорта» объединён с «Министерство строительства» и отключён. " +
        "Чат «Минтранс: обращения» больше не рабочий: ему об этом сообщено.",
    );

    const incident = loadIncident(h.db, id);
    expect([incident?.state, incident?.holderId]).toEqual(["in_work", person(PETR).id]);
    const curators = cardIn(OFFICE.curatorsChat, id);
    expect(curators).toContain("Исполнитель: Министерство строительства\n");
    expect(curators).toContain("Ответственный: Пётр");
    expect(deadline(curators)).toEqual(before);
    expect(cardIn(BUILDING_CHAT, id)).toContain("Исполнитель: Министерство строительства\n");
    const petr = h.texts(PETR).join("\n");
    expect(petr).not.toMatch(/передано другому органу/);
    expect(h.lastText(PETR)).toBe(
      "Орган «Министерство транспорта» объединён с «Министерство строительства»: " +
        "теперь вы исполнитель органа «Министерство строительства». Ваши сообщения остаются у вас.",
    );
    expect(h.texts(BUILDING_CHAT)).toContain(
      "К органу присоединён «Министерство транспорта»: его сотрудники теперь в вашем органе. " +
        `Вам перешли его открытые сообщения (1):\n№ ${id} — основной исполнитель, в работе\n\n` +
        "Ответственные и сроки прежние. Карточку откроет кнопка с номером.",
    );
    expect(h.lastText(HEAD)).toMatch(/теперь вы получаете сведения по органу «Министерство строительства»/);

    // «История» names the organization as it was called then.
    await h.user(OFFICE.curator, "Ольга").press("История", h.group(OFFICE.curatorsChat, "Кураторы"));
    expect(h.lastText(OFFICE.curator)).toMatch(
      /направлено: Министерство транспорта[\s\S]*орган «Министерство транспорта» объединён с «Министерство строительства»/,
    );
  });

  it("moves the executors and the head, skipping those already there; switches the old one off and tells its chat", async () => {
    const { health, transport, building } = seedReorganization();
    await openMerge();
    await admin().press("Объединить");

    const membersOf = (organizationId: number) =>
      h.db
        .select({ personId: memberships.personId })
        .from(memberships)
        .where(eq(memberships.organizationId, organizationId))
        .all()
        .map((m) => m.personId)
        .sort();
    expect(membersOf(transport)).toEqual([]);
    expect(membersOf(building)).toEqual(
      [person(PETR).id, person(MARIA).id, person(OFFICE.executor).id].sort(),
    );
    expect(membersOf(health)).toEqual([person(OFFICE.executor).id]);
    const head = h.db
      .select()
      .from(headSettings)
      .where(eq(headSettings.personId, person(HEAD).id))
      .get();
    expect(head?.organizationId).toBe(building);
    const row = h.db.select().from(organizations).where(eq(organizations.id, transport)).get();
    expect(row?.active).toBe(false);
    // Each person's change is in their history, as any other membership change.
    const personEvents = h.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.entity, "person"))
      .all()
      .filter((e) => (e.details as { reason?: string } | null)?.reason === "merged")
      .map((e) => [Number(e.entityId), e.action])
      .sort();
    const [petr, maria, ivan, theHead] = [PETR, MARIA, OFFICE.executor, HEAD].map((tg) => person(tg).id);
    expect(personEvents).toEqual(
      [
        [petr, "membership_added"],
        [petr, "membership_removed"],
        [maria, "membership_removed"],
        [ivan, "membership_added"],
        [ivan, "membership_removed"],
        [theHead, "head_organization_set"],
      ].sort(),
    );
    expect(h.lastText(TRANSPORT_CHAT)).toBe(
      "Орган объединён с «Министерство строительства»: карточки теперь приходят в чат «Минстрой: обращения».",
    );
  });

  it("a second press of «Объединить» changes and tells nothing more", async () => {
    const { building } = seedReorganization();
    await openMerge();
    const confirm = h.fake.findButton(ADMIN, "Объединить");
    await admin().press("Объединить");
    const told = [TRANSPORT_CHAT, BUILDING_CHAT, PETR, MARIA, HEAD].map((chat) => h.texts(chat).length);

    const again = await h.deliver(updates.callback(admin().tg, confirm.message, confirm.callbackData));
    expect(h.fake.callbackAnswer(again.callback_query?.id ?? "")?.text).toBe(
      "Орган «Минтранс» уже отключён: ничего не изменено.",
    );
    expect([TRANSPORT_CHAT, BUILDING_CHAT, PETR, MARIA, HEAD].map((chat) => h.texts(chat).length)).toEqual(
      told,
    );
    expect(
      h.db.select().from(memberships).where(eq(memberships.organizationId, building)).all(),
    ).toHaveLength(3);
  });

  it("someone who is not an admin cannot confirm a merge", async () => {
    const { transport, building } = seedReorganization();
    await openMerge();
    const confirm = h.fake.findButton(ADMIN, "Объединить");
    const petr = h.user(PETR, "Пётр");
    const update = await h.deliver(updates.callback(petr.tg, confirm.message, confirm.callbackData));
    expect(h.fake.callbackAnswer(update.callback_query?.id ?? "")?.text).toBe("Это действие вам недоступно.");
    const row = h.db.select().from(organizations).where(eq(organizations.id, transport)).get();
    expect(row?.active).toBe(true);
    expect(
      h.db.select().from(memberships).where(eq(memberships.organizationId, building)).all(),
    ).toHaveLength(1);
  });

  it("where the absorbing organization leads the post, the merged one's part not yet given is no longer asked", async () => {
    const { transport, building } = seedReorganization();
    const id = seedRegistered(h);
    const now = h.clock.now();
    routeIncident(h.db, {
      incidentId: id,
      leadId: building,
      coexecutorIds: [transport],
      actor: person(OFFICE.curator),
      now,
    });
    await showCards(h, id);
    expect(cardIn(OFFICE.curatorsChat, id)).toMatch(/Соисполнители: Министерство транспорта/);

    await openMerge();
    await admin().press("Объединить");
    const incident = loadIncident(h.db, id);
    expect(incident?.assignments.map((a) => [a.organizationId, a.role, a.state])).toEqual([
      [building, "lead", "assigned"],
      [transport, "coexecutor", "withdrawn"],
    ]);
    expect(cardIn(OFFICE.curatorsChat, id)).not.toMatch(/Соисполнители/);
  });
  it("where the merged organization led the post, the absorbing one's part already given is closed and stays in the lead's draft", async () => {
    const { transport, building } = seedReorganization();
    const id = seedPartGiven(
      { organizationId: transport, by: PETR },
      { organizationId: building, by: MARIA, text: "Дорогу отремонтируют в мае." },
    );

    await openMerge();
    await admin().press("Объединить");
    const incident = loadIncident(h.db, id);
    expect(incident?.assignments.map((a) => [a.organizationId, a.role, a.state])).toEqual([
      [building, "lead", "accepted"],
      [building, "coexecutor", "withdrawn"],
    ]);
    await showCards(h, id);
    expect(cardIn(OFFICE.curatorsChat, id)).not.toMatch(/Соисполнители/);

    await h.user(PETR, "Пётр").press("Подготовить ответ", h.group(BUILDING_CHAT, "Минстрой: обращения"));
    await h.user(PETR, "Пётр").press("Начать");
    expect(h.texts(PETR)).toContain(
      `Информация соисполнителя по сообщению № ${id} — Министерство строительства:\n\nДорогу отремонтируют в мае.`,
    );
    expect(h.lastText(PETR)).toMatch(/^Сообщение № \d+: пришлите текст ответа[^\n]*$/);
  });

  it("Georgievsk: where the absorbing organization leads the post, the merged one's part waiting for the curators is closed and is in the lead's draft (p.18)", async () => {
    await h.close();
    h = await Harness.start({ adminIds: [ADMIN], regulation: "georgievsk" });
    const { transport, building } = seedReorganization();
    const id = seedPartGiven(
      { organizationId: building, by: MARIA },
      { organizationId: transport, by: PETR, text: "Автобус пустят с понедельника." },
      { curatorMayPublish: false, curatorPassesParts: true },
    );

    await openMerge();
    await admin().press("Объединить");
    const incident = loadIncident(h.db, id);
    expect(incident?.assignments.map((a) => [a.organizationId, a.role, a.state])).toEqual([
      [building, "lead", "accepted"],
      [building, "coexecutor", "withdrawn"],
    ]);
    await showCards(h, id);
    expect(cardIn(OFFICE.curatorsChat, id)).not.toMatch(/Соисполнители/);

    await h.user(MARIA, "Мария").press("Подготовить ответ", h.group(BUILDING_CHAT, "Минстрой: обращения"));
    await h.user(MARIA, "Мария").press("Начать");
    expect(h.texts(MARIA)).toContain(
      `Информация соисполнителя по сообщению № ${id} — Министерство строительства:\n\nАвтобус пустят с понедельника.`,
    );
    expect(h.lastText(MARIA)).toMatch(/^Сообщение № \d+: пришлите текст ответа[^\n]*$/);
  });
});

describe("merging organizations: what else moves", () => {
  it("the curators are told once, in their chat, what moved, each post a button", async () => {
    const { transport } = seedReorganization();
    const id = seedRegistered(h);
    routeIncident(h.db, {
      incidentId: id,
      leadId: transport,
      coexecutorIds: [],
      actor: person(OFFICE.curator),
      now: h.clock.now(),
    });
    await openMerge();
    const confirm = h.fake.findButton(ADMIN, "Объединить");
    await admin().press("Объединить");
    const told =
      "Орган «Министерство транспорта» объединён с «Министерство строительства» и отключён: " +
      `его открытые сообщения (№ ${id}) и сотрудники (3) перешли к «Министерство строительства». ` +
      "Ответственные и сроки прежние.";
    expect(h.texts(OFFICE.curatorsChat).filter((text) => text === told)).toHaveLength(1);
    expect(h.fake.findButton(OFFICE.curatorsChat, `№ ${id}`).message.text).toBe(told);

    await h.deliver(updates.callback(admin().tg, confirm.message, confirm.callbackData));
    expect(h.texts(OFFICE.curatorsChat).filter((text) => text === told)).toHaveLength(1);
  });

  it("Orenburg p.14: a co-executor queued after the merged one's part the merge withdraws gets the post at once", async () => {
    const { health, transport, building } = seedReorganization();
    const id = seedRegistered(h);
    routeIncident(h.db, {
      incidentId: id,
      leadId: building,
      coexecutorIds: [transport, health],
      inOrder: true,
      actor: person(OFFICE.curator),
      now: h.clock.now(),
    });
    await showCards(h, id);
    expect(cardIn(OFFICE.healthChat, id)).toBe("");

    await openMerge();
    await admin().press("Объединить");
    const incident = loadIncident(h.db, id);
    expect(incident?.assignments.map((a) => [a.organizationId, a.state])).toEqual([
      [building, "assigned"],
      [transport, "withdrawn"],
      [health, "assigned"],
    ]);
    expect(cardIn(OFFICE.healthChat, id)).toContain("Исполнитель: Министерство строительства\n");
    expect(h.fake.buttons(OFFICE.curatorsChat).map((b) => b.label)).not.toContainEqual(
      expect.stringMatching(/^Не ждать очереди/),
    );
    const merged = h.db.select().from(auditEvents).where(eq(auditEvents.action, "organizationMerged")).get();
    expect(merged?.details).toMatchObject({ withdrawn: transport, released: health });
  });

  it("both co-executors of a third organization's post: the merged one's part already given is the absorbing one's, its part still owed no longer asked", async () => {
    const { health, transport, building } = seedReorganization();
    const id = seedRegistered(h);
    const now = h.clock.now();
    routeIncident(h.db, {
      incidentId: id,
      leadId: health,
      coexecutorIds: [transport, building],
      actor: person(OFFICE.curator),
      now,
    });
    const petr = person(PETR);
    acceptIncident(h.db, { incidentId: id, actor: petr, now, organizationId: transport });
    sendPart(h.db, {
      incidentId: id,
      actor: petr,
      now,
      text: "Автобус пустят с понедельника.",
      organizationId: transport,
    });
    acceptIncident(h.db, { incidentId: id, actor: person(OFFICE.executor), now, organizationId: health });

    await openMerge();
    await admin().press("Объединить");
    const incident = loadIncident(h.db, id);
    expect(incident?.assignments.map((a) => [a.organizationId, a.role, a.state])).toEqual([
      [health, "lead", "accepted"],
      [building, "coexecutor", "part_passed"],
      [building, "coexecutor", "withdrawn"],
    ]);
    const curators = cardIn(OFFICE.curatorsChat, id);
    expect(curators).toContain("Соисполнители: Министерство строительства (Пётр)\n");
    expect(curators).toContain("Информация соисполнителя получена: Министерство строительства");
    expect(curators).not.toMatch(/Министерство транспорта/);

    const ivan = h.user(OFFICE.executor, "Иван");
    await ivan.press("Подготовить ответ", h.group(OFFICE.healthChat, "Минздрав: обращения"));
    await ivan.press("Начать");
    expect(h.texts(OFFICE.executor)).toContain(
      `Информация соисполнителя по сообщению № ${id} — Министерство строительства:\n\nАвтобус пустят с понедельника.`,
    );
    expect(h.lastText(OFFICE.executor)).toMatch(/^Сообщение № \d+: пришлите текст ответа[^\n]*$/);
  });

  it("the organizations under the merged one go under the absorbing one, each change audited", async () => {
    const { transport, building } = seedReorganization();
    const depot = h.seedOrganization("Автобусный парк № 1", "Автопарк");
    h.db.update(organizations).set({ parentId: transport }).where(eq(organizations.id, depot)).run();
    await openMerge();
    await admin().press("Объединить");

    const row = h.db.select().from(organizations).where(eq(organizations.id, depot)).get();
    expect(row?.parentId).toBe(building);
    const events = h.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, "parentSet"))
      .all()
      .map((e) => [e.entity, Number(e.entityId), e.details]);
    expect(events).toMatchObject([
      ["organization", depot, { before: transport, after: building, reason: "merged" }],
    ]);
  });

  it("an absorbing organization under the merged one's child goes up first: no organization ends under itself", async () => {
    const { transport, building } = seedReorganization();
    const depot = h.seedOrganization("Автобусный парк № 1", "Автопарк");
    const parent = (id: number, parentId: number | null) =>
      h.db.update(organizations).set({ parentId }).where(eq(organizations.id, id)).run();
    parent(depot, transport);
    parent(building, depot);
    await openMerge();
    await admin().press("Объединить");

    const parentOf = (id: number) =>
      h.db.select().from(organizations).where(eq(organizations.id, id)).get()?.parentId;
    expect(parentOf(building)).toBeNull();
    expect(parentOf(depot)).toBe(building);
  });

  it("the cards left in the merged organization's chat say where the work went, without buttons or deadlines", async () => {
    const { transport } = seedReorganization();
    const id = seedRegistered(h);
    routeIncident(h.db, {
      incidentId: id,
      leadId: transport,
      coexecutorIds: [],
      actor: person(OFFICE.curator),
      now: h.clock.now(),
    });
    await showCards(h, id);
    expect(h.fake.buttons(TRANSPORT_CHAT).length).toBeGreaterThan(0);
    await openMerge();
    await admin().press("Объединить");
    expect(h.fake.buttons(TRANSPORT_CHAT)).toEqual([]);
    const card = cardIn(TRANSPORT_CHAT, id);
    expect(card).toContain(
      "\nСостояние: орган объединён с «Министерство строительства», работа по сообщению перешла к нему",
    );
    expect(card).not.toMatch(/Срок|Исполнитель: Министерство транспорта/);
  });
});

import { eq, sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { claimAlert } from "../../src/app/alerts.js";
import {
  approveAndClaim,
  approveDraft,
  publishInterim,
  recordClarification,
  requestRework,
  submitDraft,
} from "../../src/app/answers.js";
import { unbindChat } from "../../src/app/chats.js";
import {
  acceptIncident,
  loadIncident,
  passOnPart,
  returnIncident,
  returnPart,
  routeIncident,
  sendPart,
} from "../../src/app/incidents.js";
import { findPerson, grantRole, markBlocked, setHeadPurpose, upsertPerson } from "../../src/app/people.js";
import { memberships, people } from "../../src/db/schema.js";
import type { Importance } from "../../src/domain/incident.js";
import { morningDigests } from "../../src/jobs/digest.js";
import { sweep } from "../../src/jobs/sweep.js";
import { Harness } from "../support/bot-harness.js";
import { updates } from "../support/updates.js";
import {
  OFFICE,
  seedDraft,
  seedIncidentInWork,
  seedOffice,
  seedRegistered,
  showCards,
} from "../support/workflow.js";

const ADMIN = 1001;
let h: Harness;
afterEach(() => h.close());

/** Tuesday 24.11.2026 10:00 in Yekaterinburg (UTC+5), Orenburg preset. */
const TUESDAY_10 = "2026-11-24T05:00:00Z";

async function office(now = TUESDAY_10): Promise<{ health: number }> {
  h = await Harness.start({ now, adminIds: [ADMIN] });
  h.seedPerson(ADMIN, "Анна", ["admin"]);
  return seedOffice(h);
}

function tick() {
  return sweep(h.deps());
}

function register(importance: Importance = "normal", n = 1): number {
  return seedRegistered(h, {
    link: `https://vk.com/wall-1_${n}`,
    text: "Нет света в подъезде.",
    author: null,
    importance,
  });
}

/** The assignment of an organization's part in an incident. */
function partOf(incidentId: number, organizationId: number): number {
  const part = loadIncident(h.db, incidentId)?.assignments.find((a) => a.organizationId === organizationId);
  if (!part) throw new Error("no such part");
  return part.id;
}

const alertsIn = (chatId: number) => h.texts(chatId).filter((text) => /^(⏰|❗|‼️|Сроки)/.test(text));
const at = (iso: string) => h.clock.set(iso);
const blocked = (telegramId: number) =>
  h.db.select().from(people).where(eq(people.telegramId, telegramId)).get()?.blockedAt != null;
const sendsTo = (chatId: number) =>
  h.fake.callsOf("sendMessage").filter((call) => call.params.chat_id === chatId).length;
const fallbacks = () =>
  h.texts(OFFICE.curatorsChat).filter((text) => text.startsWith("Не удалось доставить"));

/** The person blocks the bot: Telegram refuses the bot in their chat from now on, and tells the bot so. */
async function blocks(telegramId: number, name: string): Promise<void> {
  h.fake.setChatMember(telegramId, h.bot.botInfo.id, "kicked");
  const person = h.user(telegramId, name);
  await h.deliver(updates.myChatMember(person.chat, person.tg, "member", "kicked", h.fake.botUser));
}

/** The routing of post № 1 (due 10:30 Tuesday) overdue by a working day: Wednesday 10:31, the heads' level. */
async function escalatedToHeads(): Promise<void> {
  register();
  for (const time of ["2026-11-24T05:31:00Z", "2026-11-24T07:31:00Z", "2026-11-25T05:31:00Z"]) {
    at(time);
    await tick();
  }
}

describe("deadline sweep", () => {
  it("Orenburg: reminds the curators 10 minutes before the routing deadline, then alerts once when it passes", async () => {
    await office();
    register();
    await tick();
    expect(alertsIn(OFFICE.curatorsChat)).toEqual([]);

    at("2026-11-24T05:20:00Z"); // 10:20 local: 10 working minutes before 10:30 (p.6)
    await tick();
    expect(alertsIn(OFFICE.curatorsChat)).toEqual([
      "⏰ Сообщение № 1: направить исполнителю до 24.11.2026 10:30 (п. 6 регламента) — осталось 10 мин рабочего времени.",
    ]);

    at("2026-11-24T05:31:00Z");
    await tick();
    await tick();
    expect(alertsIn(OFFICE.curatorsChat).slice(1)).toEqual([
      "❗ Сообщение № 1: срок «направить исполнителю» истёк в 10:30 (п. 6 регламента) — просрочено на 1 мин рабочего времени. Направьте его исполнителю сейчас.",
    ]);
  });

  it("deadlines passing one by one: an overdue alert within 15 minutes of one with sound comes quietly; a significant post's rings", async () => {
    await office();
    // Registered at these minutes after 10:00, each to be routed in 30 (p.6).
    const posts = new Map([
      [0, 1],
      [8, 2],
      [10, 3],
      [22, 4],
    ]);
    for (let minute = 0; minute <= 55; minute++) {
      h.clock.set(new Date(Date.parse(TUESDAY_10) + minute * 60_000).toISOString());
      const n = posts.get(minute);
      if (n) register(n === 4 ? "significant" : "normal", n);
      await tick();
    }
    const sent = h.fake
      .callsOf("sendMessage")
      .filter(
        (call) =>
          call.params.chat_id === OFFICE.curatorsChat && /^(⏰|❗|Сроки)/.test(String(call.params.text)),
      )
      .map((call) => [String(call.params.text).split(":")[0], call.params.disable_notification]);
    expect(sent).toEqual([
      ["Сроки по сообщениям", undefined], // 10:20: № 1's reminder, and № 2's and № 3's early
      ["❗ Сообщение № 1", undefined], // 10:30: the first deadline passed rings, a reminder before it or not
      ["❗ Сообщение № 2", true], // 10:38: 8 minutes after it, quietly
      ["❗ Сообщение № 3", true], // 10:40
      ["⏰ Сообщение № 4", false],
      ["❗ Сообщение № 4", false], // significant: with sound, whatever came before
    ]);
  });

  it("a post not routed yet: the answer's reminder tells the curators to route it, not to post the answer", async () => {
    await office();
    register();
    for (const time of ["2026-11-24T05:31:00Z", "2026-11-24T07:31:00Z"]) {
      at(time); // the routing overdue (10:31), then escalated to the curators (12:31)
      await tick();
    }
    at("2026-11-24T10:30:00Z"); // 15:30: half the answer's 9 working hours (p.8), due Wednesday 11:00
    await tick();
    expect(alertsIn(OFFICE.curatorsChat).at(-1)).toBe(
      "⏰ Сообщение № 1 ещё не направлено, а разместить ответ нужно до 25.11.2026 11:00 (п. 8 регламента) — " +
        "осталось 4 ч 30 мин рабочего времени. Направьте его исполнителю.",
    );
  });

  it("a reminder brings the card's time left up to date with it", async () => {
    await office();
    const id = register();
    await showCards(h, id);
    const card = () => h.texts(OFFICE.curatorsChat).find((text) => text.startsWith("Сообщение № 1 · ")) ?? "";
    expect(card()).toContain("осталось 30 мин рабочего времени");
    at("2026-11-24T05:20:00Z"); // 10:20: the reminder 10 minutes before 10:30 (p.6)
    await tick();
    expect(card()).toContain("— направить исполнителю (п. 6), осталось 10 мин рабочего времени");
  });

  it("before anyone takes the post, each executor is reminded privately of the draft; the return window, a right, is neither reminded nor overdue", async () => {
    const { health } = await office();
    h.seedPerson(3002, "Мария", [], [health]);
    const id = register();
    const routed = routeIncident(h.db, {
      incidentId: id,
      leadId: health,
      coexecutorIds: [],
      actor: findPerson(h.db, OFFICE.curator) as NonNullable<ReturnType<typeof findPerson>>,
      now: h.clock.now(),
    });
    if (!routed.ok) throw new Error(routed.refusal);
    await showCards(h, id);
    at("2026-11-24T05:20:00Z"); // 10:20: ten minutes left to return it (p.7), a right, not a task
    await tick();
    for (const chatId of [OFFICE.healthChat, OFFICE.executor, 3002, OFFICE.curatorsChat])
      expect(alertsIn(chatId)).toEqual([]);

    // Keeping the post is no violation: no overdue alert, no escalation; the card shows the draft's deadline.
    at("2026-11-24T05:31:00Z");
    await tick();
    const card = h.texts(OFFICE.healthChat).find((text) => text.startsWith("Сообщение № 1 · ")) ?? "";
    expect(card).toContain("— прислать проект ответа куратору (п. 9)");
    expect(card).not.toContain("вернуть, если");

    // The draft is a duty: still nobody has taken the post, so each executor hears of it privately.
    at("2026-11-24T08:00:00Z"); // 13:00, long past the window
    await tick();
    at("2026-11-24T10:00:00Z"); // 15:00, an hour before the draft's deadline (16:00, p.9)
    await tick();
    for (const chatId of [OFFICE.healthChat, OFFICE.executor, 3002, OFFICE.curatorsChat])
      expect(alertsIn(chatId).filter((text) => text.includes("вернуть"))).toEqual([]);
    for (const chatId of [OFFICE.executor, 3002])
      expect(alertsIn(chatId).some((text) => text.includes("прислать проект ответа куратору"))).toBe(true);
  });

  it("a post nobody has taken into work: its reminders, overdue alerts and escalations say so, to the organization and the curators", async () => {
    const { health } = await office();
    const id = register();
    routeIncident(h.db, {
      incidentId: id,
      leadId: health,
      coexecutorIds: [],
      actor: findPerson(h.db, OFFICE.curator) as NonNullable<ReturnType<typeof findPerson>>,
      now: h.clock.now(),
    });
    const notTaken = "Сообщение ещё никто не взял в работу (Министерство здравоохранения).";
    at("2026-11-24T11:01:00Z"); // 16:01: the draft (p.9) is overdue, and still nobody has taken the post
    await tick();
    const overdue =
      "❗ Сообщение № 1: срок «прислать проект ответа куратору» истёк в 16:00 (п. 9 регламента) — просрочено на 1 мин рабочего времени.";
    expect(alertsIn(OFFICE.curatorsChat)).toEqual([`${overdue}\n${notTaken}`]);
    // Its own chat and executors know whose it is: not named to itself. The answer's deadline, now
    // the next one, is said on the same line, after what is late.
    for (const chatId of [OFFICE.healthChat, OFFICE.executor])
      expect(alertsIn(chatId).at(-1)).toBe(
        `${overdue} Следующий срок: разместить ответ до 25.11.2026 11:00 (п. 8 регламента).\n` +
          "Сообщение ещё никто не взял в работу. Возьмите его в работу сейчас.",
      );

    at("2026-11-25T04:01:00Z"); // Wednesday 09:01: 2 working hours late, the curators' escalation
    await tick();
    expect(alertsIn(OFFICE.curatorsChat).at(-1)).toMatch(
      /^‼️ Нарушение регламента: сообщение № 1 \(Министерство здравоохранения\) — «прислать проект ответа куратору» .*Требуется вмешательство\.\nСообщение ещё никто не взял в работу \(Министерство здравоохранения\)\.$/s,
    );

    // Taken at last: the alerts that follow are about the step alone.
    acceptIncident(h.db, {
      incidentId: id,
      actor: findPerson(h.db, OFFICE.executor) as NonNullable<ReturnType<typeof findPerson>>,
      now: h.clock.now(),
    });
    at("2026-11-25T05:01:00Z"); // 10:01: the answer's last reminder (p.8, due 11:00)
    await tick();
    expect(alertsIn(OFFICE.healthChat).at(-1)).toMatch(/^⏰ Сообщение № 1: разместить ответ/);
    expect(alertsIn(OFFICE.healthChat).at(-1)).not.toContain("никто не взял");
  });

  it("a co-executor's part nobody has taken: its overdue alert names that, not only the part, by its short name and not in its own chat", async () => {
    const { health } = await office();
    const education = h.seedOrganization("Министерство образования Оренбургской области", "Минобр");
    const EDUCATION_CHAT = -300;
    h.seedChat(h.group(EDUCATION_CHAT, "Минобр: обращения"), education);
    const id = register();
    const curator = findPerson(h.db, OFFICE.curator) as NonNullable<ReturnType<typeof findPerson>>;
    const now = h.clock.now();
    routeIncident(h.db, { incidentId: id, leadId: health, coexecutorIds: [education], actor: curator, now });
    acceptIncident(h.db, {
      incidentId: id,
      actor: findPerson(h.db, OFFICE.executor) as NonNullable<ReturnType<typeof findPerson>>,
      now,
    });
    at("2026-11-24T07:01:00Z"); // 12:01: the part's 2 working hours (p.14) are over
    await tick();
    const partLines = (chatId: number) =>
      alertsIn(chatId)
        .flatMap((text) => text.split("\n\n• "))
        .filter((line) => line.includes("информацию соисполнителя"));
    const overdue = (organization: string) =>
      `❗ Сообщение № 1: срок «прислать информацию соисполнителя${organization}» истёк в 12:00 (п. 14 регламента) — просрочено на 1 мин рабочего времени.\n` +
      `Сообщение ещё никто не взял в работу${organization}.`;
    expect(partLines(OFFICE.curatorsChat)).toEqual([overdue(" (Минобр)")]);
    // Its own chat knows whose part it is.
    expect(partLines(EDUCATION_CHAT)).toEqual([`${overdue("")} Возьмите его в работу сейчас.`]);
    // The lead has taken the post: its own alerts say nothing of the kind.
    expect(
      alertsIn(OFFICE.healthChat)
        .filter((text) => !text.includes("(Минобр)"))
        .join("\n"),
    ).not.toContain("никто не взял");

    at("2026-11-24T10:01:00Z"); // 15:01: 2 working hours late (the lunch between), the curators' escalation
    await tick();
    expect(partLines(OFFICE.curatorsChat).at(-1)).toBe(
      "‼️ Нарушение регламента: сообщение № 1 — «прислать информацию соисполнителя (Минобр)» до 24.11.2026 12:00 " +
        "(п. 14 регламента), просрочено на 2 ч 1 мин рабочего времени. Требуется вмешательство.\n" +
        "Сообщение ещё никто не взял в работу (Минобр).",
    );
  });

  const BUILDING_CHAT = -300;

  /**
   * Posts routed at once to Минздрав (taken by its executor) with Минстрой, of a long official name,
   * for a part; Пётр of Минстрой takes the parts of those in `taken`.
   */
  async function leadWaitingForParts(posts = 1, taken: number[] = []): Promise<number[]> {
    const { health } = await office();
    const building = h.seedOrganization(
      "Министерство строительства, жилищно-коммунального, дорожного хозяйства и транспорта",
      "Минстрой",
    );
    h.seedChat(h.group(BUILDING_CHAT, "Минстрой: обращения"), building);
    h.seedPerson(3002, "Пётр", [], [building]);
    const now = h.clock.now();
    const person = (telegramId: number) =>
      findPerson(h.db, telegramId) as NonNullable<ReturnType<typeof findPerson>>;
    const ids = Array.from({ length: posts }, (_, i) => register("normal", i + 1));
    for (const id of ids) {
      routeIncident(h.db, {
        incidentId: id,
        leadId: health,
        coexecutorIds: [building],
        actor: person(OFFICE.curator),
        now,
      });
      acceptIncident(h.db, { incidentId: id, actor: person(OFFICE.executor), now });
      if (taken.includes(id)) acceptIncident(h.db, { incidentId: id, actor: person(3002), now });
    }
    return ids;
  }

  const partLines = (chatId: number) =>
    alertsIn(chatId)
      .flatMap((text) => text.split("\n\n• "))
      .filter((line) => line.includes("информацию соисполнителя"));

  it("a co-executor's part gone overdue is not told to the lead organization, which cannot make it act: its card says so", async () => {
    const [id] = await leadWaitingForParts();
    at("2026-11-24T06:00:00Z"); // 11:00: the part's reminder is the co-executor's alone
    await tick();
    expect(partLines(BUILDING_CHAT)).toHaveLength(1);

    at("2026-11-24T07:01:00Z"); // 12:01: the part (p.14) is overdue
    await tick();
    expect(partLines(BUILDING_CHAT)).toHaveLength(2);
    expect(partLines(OFFICE.curatorsChat)).toEqual([
      expect.stringContaining("срок «прислать информацию соисполнителя (Минстрой)» истёк"),
    ]);
    // The escalations that follow are the curators' and the heads': the lead hears none of it.
    for (const time of ["2026-11-24T10:01:00Z", "2026-11-25T07:01:00Z"]) {
      at(time);
      await tick();
    }
    for (const chatId of [OFFICE.healthChat, OFFICE.executor]) expect(partLines(chatId)).toEqual([]);
    // Its card shows the part late.
    await showCards(h, id ?? 0);
    expect(h.texts(OFFICE.healthChat).find((text) => text.startsWith("Сообщение № 1 · "))).toContain(
      "(ещё не взято в работу; срок информации истёк 24.11.2026 12:00)",
    );
  });

  it("a co-executor's parts overdue at once reach the curators in one line: whose, which posts, which nobody took", async () => {
    await leadWaitingForParts(3, [2]);
    at("2026-11-24T07:01:00Z"); // 12:01: the three parts (p.14) are overdue
    await tick();
    const curators = alertsIn(OFFICE.curatorsChat);
    expect(curators).toEqual([
      "❗ Минстрой — срок «прислать информацию соисполнителя» истёк по 3 сообщениям (п. 14 регламента): № 1, № 2, № 3.\n" +
        "Ещё никто не взял в работу: № 1, № 3.",
    ]);
    const buttons = h.fake
      .callsOf("sendMessage")
      .find((call) => call.params.chat_id === OFFICE.curatorsChat && call.params.text === curators[0])
      ?.params.reply_markup;
    expect(JSON.stringify(buttons)).toContain("Открыть № 3");
    // Its own chat has each post's alert, with its deadline.
    expect(partLines(BUILDING_CHAT)).toHaveLength(3);

    at("2026-11-24T10:01:00Z"); // 15:01: 2 working hours late (the lunch between), the curators' escalation
    await tick();
    expect(alertsIn(OFFICE.curatorsChat).slice(1)).toEqual([
      "‼️ Нарушение регламента: Минстрой — срок «прислать информацию соисполнителя» истёк по 3 сообщениям (п. 14 регламента): " +
        "№ 1, № 2, № 3. Требуется вмешательство.\nЕщё никто не взял в работу: № 1, № 3.",
    ]);
  });

  it("more than 100 parts of a co-executor overdue at once: the curators hear of each, with its button, in messages Telegram takes", async () => {
    const ids = await leadWaitingForParts(101);
    at("2026-11-24T07:01:00Z"); // 12:01: every part (p.14) is overdue
    await tick();
    const named = alertsIn(OFFICE.curatorsChat).flatMap((text) =>
      [...text.matchAll(/№ (\d+)/g)].map((m) => Number(m[1])),
    );
    expect([...new Set(named)].sort((a, b) => a - b)).toEqual(ids);
    const buttons = h.fake
      .buttons(OFFICE.curatorsChat)
      .map(({ label }) => /^Открыть № (\d+)$/.exec(label)?.[1])
      .filter((id) => id !== undefined)
      .map(Number);
    expect(buttons.sort((a, b) => a - b)).toEqual(ids);
  });

  it("a co-executor's part is escalated to nobody once the lead's draft is before the curators: it no longer matters", async () => {
    const [id] = (await leadWaitingForParts()) as [number];
    at("2026-11-24T06:30:00Z"); // 11:30: the lead's draft goes to the curators without the part
    await seedDraft(h, id);
    // The part (p.14) overdue at 12:01; 2 working hours late at 15:01; a working day late on Wednesday.
    for (const time of ["2026-11-24T07:01:00Z", "2026-11-24T10:01:00Z", "2026-11-25T07:01:00Z"]) {
      at(time);
      await tick();
    }
    const escalatedPart = (chatId: number) =>
      alertsIn(chatId)
        .flatMap((text) => text.split("\n\n• "))
        .filter((line) => line.includes("‼️") && line.includes("информацию соисполнителя"));
    for (const chatId of [OFFICE.curatorsChat, OFFICE.head, BUILDING_CHAT])
      expect(escalatedPart(chatId)).toEqual([]);
    // Its overdue alert is still told to the co-executor and the curators, once.
    expect(alertsIn(BUILDING_CHAT).filter((text) => text.includes("информацию соисполнителя"))).toHaveLength(
      1,
    );
  });

  it("a post that cannot be planned (a damaged row) holds back no other post's alert, and is tried again", async () => {
    const { health } = await office();
    const damaged = await seedIncidentInWork(h, health, { link: "https://vk.com/wall-1_1" });
    await seedDraft(h, damaged);
    const sound = await seedIncidentInWork(h, health, { link: "https://vk.com/wall-1_2" });
    h.db.run(sql`update drafts set attachments = '[{' where incident_id = ${damaged}`);
    at("2026-11-24T11:01:00Z"); // 16:01: № 2's draft is overdue (p.9)
    await tick();
    expect(alertsIn(OFFICE.healthChat)).toEqual([expect.stringContaining(`❗ Сообщение № ${sound}: срок`)]);
    h.db.run(sql`update drafts set attachments = '[]' where incident_id = ${damaged}`);
    at("2026-11-25T06:01:00Z"); // Wednesday 11:01: № 1's answer, repaired, is overdue
    await tick();
    expect(alertsIn(OFFICE.curatorsChat).join("\n")).toContain(
      `❗ Сообщение № ${damaged}: срок «разместить ответ» истёк`,
    );
  });

  it("two overlapping ticks send each alert exactly once", async () => {
    await office();
    register();
    at("2026-11-24T05:20:00Z");
    await Promise.all([tick(), tick(), tick()]);
    expect(alertsIn(OFFICE.curatorsChat)).toHaveLength(1);
  });

  it("nobody is pinged at night: after downtime one current alert per step comes at 09:00, as one digest", async () => {
    await office();
    register("normal", 1);
    register("normal", 2);
    at("2026-11-24T15:00:00Z"); // 20:00 local, both routing deadlines long past
    await tick();
    expect(alertsIn(OFFICE.curatorsChat)).toEqual([]);

    at("2026-11-25T04:00:00Z"); // Wednesday 09:00
    await tick();
    const [digest, ...rest] = alertsIn(OFFICE.curatorsChat);
    expect(rest).toEqual([]);
    // Routing was due Tuesday 10:30: overdue by 2 h 30 min + 4 h of Tuesday's working time. Of the
    // answer's reminder points (50 % = Tuesday 15:30, 80 % = Wednesday 09:12, 1 h before = 10:00) only
    // the latest passed one is sent, not every missed one.
    // More than 2 working hours late, the routing is escalated to the curators (the preset's first level);
    // the answer's deadline comes next, on the same line.
    const escalated = (id: number) =>
      `• ‼️ Нарушение регламента: сообщение № ${id} — «направить исполнителю» до 24.11.2026 10:30 (п. 6 регламента), ` +
      "просрочено на 6 ч 30 мин рабочего времени. Направьте его исполнителю сейчас. " +
      "Следующий срок: разместить ответ до 25.11.2026 11:00 (п. 8 регламента).";
    expect(digest?.split("\n\n")).toEqual(["Сроки по сообщениям:", escalated(1), escalated(2)]);
  });

  it.each([
    // Registered Tuesday 17:00: the answer (9 working hours, p.8) is due Wednesday 18:00, as work ends.
    {
      night: "a working day's night",
      start: "2026-11-24T12:00:00Z",
      ends: "25.11.2026 18:00",
      morning: "2026-11-26T04:00:00Z",
    },
    // 31.12–10.01 are holidays: the alert waits for Monday 11.01 09:00, 11 days later.
    {
      night: "the New Year holidays",
      start: "2026-12-29T12:00:00Z",
      ends: "30.12.2026 18:00",
      morning: "2027-01-11T04:00:00Z",
    },
  ])(
    "an answer due as work ends, over $night: the cards say at once that it passed, its alert comes once in the morning",
    async ({ start, ends, morning }) => {
      const { health } = await office(start);
      await seedIncidentInWork(h, health);
      const deadline = new Date(start).getTime() + 25 * 3600_000; // the next day, 18:00 local
      const past = (minutes: number) => at(new Date(deadline + minutes * 60_000).toISOString());
      const cards = () =>
        [OFFICE.healthChat, OFFICE.executor, OFFICE.curatorsChat].map(
          (chatId) => h.texts(chatId).find((text) => text.startsWith("Сообщение № 1 · ")) ?? "",
        );
      const answerAlerts = () =>
        alertsIn(OFFICE.executor).filter((text) => text.includes(`«разместить ответ» истёк ${ends}`));
      past(-60); // the reminder an hour before brings the cards up to date
      await tick();
      for (const card of cards())
        expect(card).toContain(`Срок: ${ends} — разместить ответ (п. 8), осталось 1 ч рабочего времени`);

      const sends = h.fake.callsOf("sendMessage").length;
      past(1); // 18:01: nobody is told yet, the cards say it all the same (an edit, without a sound)
      await tick();
      expect(h.fake.callsOf("sendMessage")).toHaveLength(sends);
      for (const card of cards()) {
        expect(card).toContain(`Ответ разместить до: ${ends}, срок истёк`);
        expect(card).not.toContain("осталось");
      }
      expect(answerAlerts()).toEqual([]);

      // Through the night (the holidays) to the last minute before work, nothing is sent or edited.
      const calls = h.fake.calls.length;
      for (const later of [60, 360, (new Date(morning).getTime() - deadline) / 60_000 - 1]) {
        past(later);
        await tick();
      }
      expect(h.fake.calls.length).toBe(calls);

      at(morning);
      await tick();
      await tick();
      expect(answerAlerts()).toHaveLength(1);
    },
  );

  it("a digest too long for one message goes as several, each alert once and none lost", async () => {
    await office();
    const posts = 60;
    for (let n = 1; n <= posts; n++) register("normal", n);
    at("2026-11-24T07:00:00Z"); // 12:00: every routing deadline (10:30) has passed
    await tick();
    await tick();
    const digests = alertsIn(OFFICE.curatorsChat);
    expect(digests.length).toBeGreaterThan(1);
    for (const digest of digests) expect(digest.length).toBeLessThanOrEqual(4096);
    const numbers = digests.flatMap((d) => [...d.matchAll(/Сообщение № (\d+)/g)].map((m) => Number(m[1])));
    expect(numbers.sort((a, b) => a - b)).toEqual(Array.from({ length: posts }, (_, i) => i + 1));
  });

  it("a significant post is not held back at night", async () => {
    await office("2026-11-24T15:00:00Z"); // registered at 20:00 local
    register("significant");
    at("2026-11-25T04:20:00Z"); // 09:20 local: the routing clock started at 09:00
    await tick();
    expect(alertsIn(OFFICE.curatorsChat)).toHaveLength(1);
    at("2026-11-25T04:31:00Z");
    await tick();
    expect(alertsIn(OFFICE.curatorsChat)).toHaveLength(2);
  });

  it("a significant post's reminder due as work begins comes in the morning, not as the day ends", async () => {
    await office("2026-11-24T12:40:00Z"); // 17:40 local: the routing due Wednesday 09:10
    register("significant");
    at("2026-11-24T13:01:00Z"); // 18:01
    await tick();
    expect(alertsIn(OFFICE.curatorsChat)).toEqual([]);
    at("2026-11-25T04:01:00Z"); // Wednesday 09:01
    await tick();
    expect(alertsIn(OFFICE.curatorsChat)).toEqual([expect.stringMatching(/^⏰ .*до 25\.11\.2026 09:10/)]);
  });

  it("an executor's step goes to the organization's chat and the executor; overdue also to the curators", async () => {
    const { health } = await office();
    await seedIncidentInWork(h, health);
    // Orenburg p.9: the draft is due 4 working hours before the 9-hour answer: 16:00 local.
    at("2026-11-24T11:01:00Z");
    await tick();
    const expected =
      "❗ Сообщение № 1: срок «прислать проект ответа куратору» истёк в 16:00 (п. 9 регламента) — просрочено на 1 мин рабочего времени.";
    // The organization and the executor also get the answer's 50 % reminder, in the same digest.
    expect(alertsIn(OFFICE.healthChat)[0]).toContain(expected);
    expect(alertsIn(OFFICE.executor)[0]).toContain(expected);
    expect(alertsIn(OFFICE.curatorsChat)).toEqual([expected]);
    expect(h.fake.messages(OFFICE.healthChat).some((m) => /Срок: .*просрочено/.test(m.text ?? ""))).toBe(
      true,
    );
  });

  it("an executor taken out of the organization no longer hears of the posts he held; his colleagues' chat does", async () => {
    const { health } = await office();
    await seedIncidentInWork(h, health);
    const executor = findPerson(h.db, OFFICE.executor);
    h.db
      .delete(memberships)
      .where(eq(memberships.personId, executor?.id ?? 0))
      .run();
    at("2026-11-24T11:01:00Z");
    await tick();
    expect(alertsIn(OFFICE.healthChat)).toHaveLength(1);
    expect(alertsIn(OFFICE.executor)).toEqual([]);
  });

  it("while the draft waits for the decision, the curators are reminded of the answer deadline too", async () => {
    const { health } = await office();
    const id = await seedIncidentInWork(h, health);
    await seedDraft(h, id);
    // The answer is due Wednesday 11:00 (9 working hours, p.8); its 80 % point is Wednesday 09:12.
    at("2026-11-25T04:13:00Z");
    await tick();
    expect(alertsIn(OFFICE.curatorsChat).some((text) => text.includes("разместить ответ"))).toBe(true);
  });

  it("the answer's reminder waits while the draft's deadline is nearer, and is not sent to the curators late once the draft is theirs", async () => {
    const { health } = await office();
    const id = await seedIncidentInWork(h, health);
    // The draft's deadline (16:00) is nearer than the answer's: its reminder stands for both.
    const aboutAnswer = (chatId: number) =>
      alertsIn(chatId).filter((text) => text.includes("разместить ответ"));
    at("2026-11-24T10:31:00Z"); // 15:31: the answer's 50 % point (15:30) has passed, beside the draft's
    await tick();
    expect(aboutAnswer(OFFICE.healthChat)).toEqual([]);
    expect(alertsIn(OFFICE.healthChat).at(-1)).toMatch(/^⏰ Сообщение № 1: прислать проект ответа куратору/);
    at("2026-11-24T10:40:00Z");
    await seedDraft(h, id);
    at("2026-11-24T10:41:00Z");
    await tick();
    expect(aboutAnswer(OFFICE.curatorsChat)).toEqual([]);
    at("2026-11-25T04:13:00Z"); // the 80 % point, Wednesday 09:12: now theirs too
    await tick();
    expect(aboutAnswer(OFFICE.curatorsChat)).toHaveLength(1);
  });

  it("a chat that refuses: the curators get the alert and the admins are told once", async () => {
    const { health } = await office();
    await seedIncidentInWork(h, health);
    h.fake.failNext(
      "sendMessage",
      { error_code: 403, description: "Forbidden: bot was kicked from the group chat" },
      { match: (params) => params.chat_id === OFFICE.healthChat, times: 5 },
    );
    at("2026-11-24T11:01:00Z");
    await tick();
    expect(
      h.texts(OFFICE.curatorsChat).some((text) => text.startsWith("Не удалось доставить в рабочий чат")),
    ).toBe(true);
    expect(h.texts(ADMIN).filter((text) => text.includes(String(OFFICE.healthChat)))).toHaveLength(1);
  });

  it("a significant post's alert that the work chat refuses rings for the curators too (at night as well)", async () => {
    const { health } = await office();
    await seedIncidentInWork(h, health, { importance: "significant" });
    h.fake.failNext(
      "sendMessage",
      { error_code: 403, description: "Forbidden: bot was kicked from the group chat" },
      { match: (params) => params.chat_id === OFFICE.healthChat, times: 5 },
    );
    at("2026-11-24T11:01:00Z");
    await tick();
    const fallback = h.fake
      .callsOf("sendMessage")
      .find(
        (call) =>
          call.params.chat_id === OFFICE.curatorsChat &&
          String(call.params.text).startsWith("Не удалось доставить"),
      );
    expect(fallback?.params.disable_notification).toBe(false);
  });

  it("a work chat upgraded to a supergroup before the bot heard of it: the alert reaches the new chat on the same tick", async () => {
    const { health } = await office();
    await seedIncidentInWork(h, health);
    const supergroup = -1001234567890;
    // Telegram moved the group; its service message has not reached the bot yet.
    h.fake.pushUpdate(
      updates.migrateToChat(
        h.group(OFFICE.healthChat, "Минздрав: обращения"),
        h.user(ADMIN, "Анна").tg,
        supergroup,
      ),
    );
    at("2026-11-24T11:01:00Z");
    await tick();
    expect(alertsIn(supergroup).join("\n")).toMatch(
      /❗ Сообщение № 1: срок «прислать проект ответа куратору» истёк/,
    );
    expect(fallbacks()).toEqual([]);
    expect(h.texts(ADMIN).filter((text) => text.includes(String(OFFICE.healthChat)))).toEqual([]);
    expect(h.texts(ADMIN).filter((text) => /супергрупп/.test(text))).toHaveLength(1);
  });

  it("a work chat upgraded to a supergroup is not alerted again under its new id of what it was alerted of; what comes later reaches it", async () => {
    const { health } = await office();
    await seedIncidentInWork(h, health);
    at("2026-11-24T11:01:00Z"); // 16:01: the draft (p.9) is overdue, the answer (p.8) is near
    await tick();
    expect(alertsIn(OFFICE.healthChat)).toHaveLength(1);
    const supergroup = -1001234567890;
    await h.deliver(
      updates.migrateToChat(
        h.group(OFFICE.healthChat, "Минздрав: обращения"),
        h.user(ADMIN, "Анна").tg,
        supergroup,
      ),
    );
    at("2026-11-25T04:01:00Z"); // Wednesday 09:01: the curators are told the draft is 2 h late
    await tick();
    expect(alertsIn(supergroup)).toEqual([]);
    at("2026-11-25T06:01:00Z"); // 11:01: the answer's deadline has passed
    await tick();
    expect(alertsIn(supergroup)).toEqual([
      "❗ Сообщение № 1: срок «разместить ответ» истёк в 11:00 (п. 8 регламента) — просрочено на 1 мин рабочего времени. Разместите ответ сейчас.",
    ]);
  });

  it("escalates by the preset's ladder: the curators after 2 working hours late, the head after a working day", async () => {
    await office();
    register();
    at("2026-11-24T05:31:00Z");
    await tick();
    at("2026-11-24T07:31:00Z"); // 12:31: 2 h 1 min of working time past 10:30
    await tick();
    expect(alertsIn(OFFICE.curatorsChat).at(-1)).toMatch(
      /^‼️ Нарушение регламента: сообщение № 1 .* просрочено на 2 ч 1 мин/,
    );
    expect(alertsIn(OFFICE.head)).toEqual([]);
    at("2026-11-25T05:31:00Z"); // Wednesday 10:31: 8 h 1 min late
    await tick();
    expect(alertsIn(OFFICE.head)).toEqual([
      "‼️ Нарушение регламента: сообщение № 1 «Нет света в подъезде.» — «направить исполнителю» до 24.11.2026 10:30 " +
        "(п. 6 регламента), просрочено на 8 ч 1 мин рабочего времени. Кто должен действовать: кураторы. Требуется вмешательство.",
    ]);
  });

  it("the curators' own step escalated to them is said as theirs, the organization's draft waiting for them; the head's says what the post is about and who must act", async () => {
    const { health } = await office();
    const id = await seedIncidentInWork(h, health, { topic: "Уборка снега" });
    await seedDraft(h, id); // before the curators at 10:00: the decision due 10:30 (p.10)
    const aboutDecision = (chatId: number) =>
      alertsIn(chatId)
        .flatMap((text) => text.split("\n\n• "))
        .filter((line) => line.includes("‼️"));
    at("2026-11-24T07:31:00Z"); // 12:31: 2 working hours late, the curators' escalation
    await tick();
    expect(aboutDecision(OFFICE.curatorsChat)).toEqual([
      "‼️ Нарушение регламента: сообщение № 1 — «согласовать или вернуть на доработку» до 24.11.2026 10:30 " +
        "(п. 10 регламента), просрочено на 2 ч 1 мин рабочего времени. " +
        "Проект ответа органа «Министерство здравоохранения» ждёт решения кураторов. Примите решение по проекту сейчас.",
    ]);
    at("2026-11-25T05:31:00Z"); // Wednesday 10:31: a working day late, the heads' escalation
    await tick();
    expect(aboutDecision(OFFICE.head)).toEqual([
      "‼️ Нарушение регламента: сообщение № 1 на тему «Уборка снега» — «согласовать или вернуть на доработку» " +
        "до 24.11.2026 10:30 (п. 10 регламента), просрочено на 8 ч 1 мин рабочего времени. Кто должен действовать: кураторы. Требуется вмешательство.",
    ]);
  });

  it("after the bot was down past the curators' escalation, the overdue alert it said is never sent on its own later", async () => {
    await office();
    register();
    at("2026-11-24T05:00:00Z");
    await tick();
    at("2026-11-24T07:40:00Z"); // down 10:00–12:40: the overdue (10:30) and the curators' level (12:30) at once
    await tick();
    const overdue = () => alertsIn(OFFICE.curatorsChat).filter((text) => text.includes("❗ Сообщение № 1"));
    expect(overdue()).toEqual([]);
    expect(alertsIn(OFFICE.curatorsChat).at(-1)).toMatch(/^‼️ Нарушение регламента: сообщение № 1 /);
    at("2026-11-25T05:31:00Z"); // Wednesday 10:31: the heads' level
    await tick();
    expect(alertsIn(OFFICE.head)).toHaveLength(1);
    expect(overdue()).toEqual([]);
  });

  it("an alert claimed by a process that died before sending goes out on a later tick", async () => {
    await office();
    const id = register();
    claimAlert(
      h.db,
      {
        incidentId: id,
        step: "routing",
        organizationId: 0,
        kind: "reminder",
        deadlineAt: new Date("2026-11-24T05:30:00Z"),
        dueAt: new Date("2026-11-24T05:20:00Z"),
        chatId: OFFICE.curatorsChat,
      },
      new Date("2026-11-24T05:20:00Z"),
    );
    at("2026-11-24T05:21:00Z");
    await tick();
    expect(alertsIn(OFFICE.curatorsChat)).toEqual([]);
    at("2026-11-24T05:23:00Z");
    await tick();
    expect(alertsIn(OFFICE.curatorsChat)).toHaveLength(1);
  });

  it("an alert a chat's outage kept back waits for working time, then goes out once; the other chats get theirs at once", async () => {
    const { health } = await office();
    await seedIncidentInWork(h, health);
    h.fake.failNext(
      "sendMessage",
      { error_code: 502, description: "Bad Gateway" },
      { match: (params) => params.chat_id === OFFICE.healthChat },
    );
    at("2026-11-24T11:01:00Z"); // 16:01: the draft is overdue (p.9), and Telegram fails the work chat
    await tick();
    expect(alertsIn(OFFICE.healthChat)).toEqual([]);
    expect(alertsIn(OFFICE.executor)).toHaveLength(1);
    expect(alertsIn(OFFICE.curatorsChat)).toHaveLength(1);

    at("2026-11-24T17:00:00Z"); // 22:00: Telegram is back, but a normal post waits for the morning
    await tick();
    expect(alertsIn(OFFICE.healthChat)).toEqual([]);

    at("2026-11-25T04:00:00Z"); // Wednesday 09:00
    await tick();
    await tick();
    const overdue = "❗ Сообщение № 1: срок «прислать проект ответа куратору» истёк";
    for (const chatId of [OFFICE.healthChat, OFFICE.executor]) expect(alertsIn(chatId)).toHaveLength(1);
    // The executor heard it the same day, by its time alone; the work chat, the next morning, with its date.
    expect(alertsIn(OFFICE.executor)[0]).toContain(`${overdue} в 16:00`);
    expect(alertsIn(OFFICE.healthChat)[0]).toContain(`${overdue} 24.11.2026 16:00`);
    // Two working hours late by now: the curators hear the escalation.
    expect(alertsIn(OFFICE.curatorsChat).slice(1)).toEqual([
      "‼️ Нарушение регламента: сообщение № 1 (Министерство здравоохранения) — «прислать проект ответа куратору» до 24.11.2026 16:00 (п. 9 регламента), просрочено на 2 ч рабочего времени. Требуется вмешательство.",
    ]);
  });

  it("an alert lost to a Telegram outage is dropped once its step is done", async () => {
    const { health } = await office();
    const id = await seedIncidentInWork(h, health);
    h.fake.failNext(
      "sendMessage",
      { error_code: 502, description: "Bad Gateway" },
      { match: (params) => params.chat_id === OFFICE.healthChat },
    );
    at("2026-11-24T11:01:00Z"); // 16:01: the draft is overdue (p.9), and Telegram fails the work chat
    await tick();

    at("2026-11-24T11:10:00Z"); // the executor sends the draft meanwhile
    await seedDraft(h, id);
    at("2026-11-24T11:20:00Z"); // Telegram is back
    await tick();
    await tick();
    expect(
      alertsIn(OFFICE.healthChat).filter((text) => text.includes("прислать проект ответа куратору")),
    ).toEqual([]);
    // Nor the answer's reminder lost with it: the curators' decision is due before the answer.
    expect(alertsIn(OFFICE.healthChat)).toEqual([]);
  });

  it("an alert waiting its turn to be sent is dropped when its step is done meanwhile", async () => {
    const { health } = await office();
    const id = await seedIncidentInWork(h, health);
    at("2026-11-24T11:01:00Z"); // 16:01: the draft is overdue (p.9)
    // The first chat's send takes a while (Telegram's limits); the executor sends the draft meanwhile.
    const since = h.fake.mark();
    h.fake.delayNext("sendMessage", 300);
    const ticking = tick();
    await h.fake.waitForCall("sendMessage", undefined, { since });
    const executor = findPerson(h.db, OFFICE.executor);
    if (!executor) throw new Error("no executor");
    submitDraft(h.db, {
      incidentId: id,
      actor: executor,
      now: h.clock.now(),
      content: { text: "Здравствуйте! Снег вывезут до пятницы.", attachments: [] },
    });
    await ticking;
    const late = [OFFICE.healthChat, OFFICE.executor, OFFICE.curatorsChat].filter((chatId) =>
      alertsIn(chatId).some((text) => text.includes("прислать проект ответа куратору")),
    );
    expect(late).toHaveLength(1);
  });

  it("co-executors are reminded of their own part, and the curators hear of each one overdue by name", async () => {
    const { health } = await office();
    const education = h.seedOrganization("Министерство образования", "Минобр");
    const building = h.seedOrganization("Министерство строительства", "Минстрой");
    const EDUCATION_CHAT = -300;
    const MARIA = 3002;
    h.seedChat(h.group(EDUCATION_CHAT, "Минобр: обращения"), education);
    h.seedPerson(MARIA, "Мария", [], [education]);
    const id = register();
    const person = (telegramId: number) => {
      const found = findPerson(h.db, telegramId);
      if (!found) throw new Error("no person");
      return found;
    };
    const now = h.clock.now();
    const routed = routeIncident(h.db, {
      incidentId: id,
      leadId: health,
      coexecutorIds: [education, building],
      actor: person(OFFICE.curator),
      now,
    });
    expect(routed.ok).toBe(true);
    acceptIncident(h.db, { incidentId: id, actor: person(OFFICE.executor), now });
    acceptIncident(h.db, { incidentId: id, actor: person(MARIA), now });
    const coexecutorLines = (chatId: number) =>
      alertsIn(chatId).filter((t) => t.includes("прислать информацию"));

    at("2026-11-24T06:00:00Z"); // 11:00: half of the 2 working hours (p.14)
    await tick();
    // Its own chat and executor know whose part it is.
    const reminder =
      "⏰ Сообщение № 1: прислать информацию соисполнителя до 24.11.2026 12:00 (п. 14 регламента) — осталось 1 ч рабочего времени.";
    expect(coexecutorLines(EDUCATION_CHAT)).toEqual([reminder]);
    expect(coexecutorLines(MARIA)).toEqual([reminder]);
    expect(coexecutorLines(OFFICE.healthChat)).toEqual([]);

    at("2026-11-24T07:01:00Z"); // 12:01
    await tick();
    const overdue = (organization: string) =>
      `срок «прислать информацию соисполнителя${organization}» истёк в 12:00 (п. 14 регламента) — просрочено на 1 мин рабочего времени.`;
    expect(coexecutorLines(EDUCATION_CHAT).at(-1)).toBe(
      `❗ Сообщение № 1: ${overdue("")} Пришлите информацию соисполнителя сейчас.`,
    );
    const curators = alertsIn(OFFICE.curatorsChat).join("\n");
    expect(curators).toContain(overdue(" (Минобр)"));
    expect(curators).toContain(overdue(" (Минстрой)"));

    // The part is sent: its clock stops.
    sendPart(h.db, { incidentId: id, actor: person(MARIA), now: h.clock.now(), text: "Уберут до пятницы." });
    const before = coexecutorLines(EDUCATION_CHAT).length;
    at("2026-11-24T09:00:00Z");
    await tick();
    expect(coexecutorLines(EDUCATION_CHAT)).toHaveLength(before);
  });

  it("Georgievsk: the curators are reminded to pass a co-executor's part on, and told when it is overdue (p.18)", async () => {
    h = await Harness.start({ now: "2026-11-24T07:00:00Z", regulation: "georgievsk" }); // Tuesday 10:00 MSK
    const { health } = seedOffice(h);
    const education = h.seedOrganization("Министерство образования", "Минобр");
    h.seedPerson(3002, "Мария", [], [education]);
    const person = (telegramId: number) => {
      const found = findPerson(h.db, telegramId);
      if (!found) throw new Error("no person");
      return found;
    };
    const id = register();
    const now = h.clock.now();
    routeIncident(h.db, {
      incidentId: id,
      leadId: health,
      coexecutorIds: [education],
      actor: person(OFFICE.curator),
      now,
    });
    acceptIncident(h.db, { incidentId: id, actor: person(3002), now });
    const rules = { curatorMayPublish: true, curatorPassesParts: true };
    sendPart(h.db, { incidentId: id, actor: person(3002), now, text: "Уберут до пятницы.", rules });
    const passOnLines = () =>
      alertsIn(OFFICE.curatorsChat).filter((t) => t.includes("передать основному исполнителю"));

    at("2026-11-24T07:20:00Z"); // 10:20: ten minutes left of the 30
    await tick();
    expect(passOnLines()).toEqual([
      "⏰ Сообщение № 1: передать основному исполнителю информацию соисполнителя (Минобр) до 24.11.2026 10:30 (п. 18 регламента) — осталось 10 мин рабочего времени.",
    ]);
    at("2026-11-24T07:31:00Z");
    await tick();
    expect(passOnLines().at(-1)).toContain(
      "❗ Сообщение № 1: срок «передать основному исполнителю информацию соисполнителя (Минобр)» истёк в 10:30",
    );

    passOnPart(h.db, {
      incidentId: id,
      assignmentId: partOf(id, education),
      actor: person(OFFICE.curator),
      now: h.clock.now(),
      rules,
    });
    const before = passOnLines().length;
    at("2026-11-24T12:00:00Z");
    await tick();
    expect(passOnLines()).toHaveLength(before);
  });

  it("Georgievsk: a part returned for rework stops the curators' clock and starts the co-executor's (p.14, 18)", async () => {
    h = await Harness.start({ now: "2026-11-24T07:00:00Z", regulation: "georgievsk" }); // Tuesday 10:00 MSK
    const { health } = seedOffice(h);
    const education = h.seedOrganization("Министерство образования", "Минобр");
    const maria = h.seedPerson(3002, "Мария", [], [education]);
    const person = (telegramId: number) => {
      const found = findPerson(h.db, telegramId);
      if (!found) throw new Error("no person");
      return found;
    };
    const id = register();
    const curator = person(OFFICE.curator);
    const now = h.clock.now();
    routeIncident(h.db, { incidentId: id, leadId: health, coexecutorIds: [education], actor: curator, now });
    acceptIncident(h.db, { incidentId: id, actor: person(3002), now });
    const rules = { curatorMayPublish: true, curatorPassesParts: true };
    sendPart(h.db, { incidentId: id, actor: person(3002), now, text: "Уберут.", rules });
    at("2026-11-24T07:05:00Z");
    const assignmentId = partOf(id, education);
    returnPart(h.db, {
      incidentId: id,
      assignmentId,
      actor: curator,
      now: h.clock.now(),
      rules,
      comment: "Когда?",
    });
    const reworkLines = (chatId: number) =>
      alertsIn(chatId).filter((t) => t.includes("доработать информацию соисполнителя"));

    at("2026-11-24T07:25:00Z"); // 10:25: ten minutes left of the 30 from the return
    await tick();
    expect(reworkLines(maria.tg.id)).toEqual([
      "⏰ Сообщение № 1: доработать информацию соисполнителя до 24.11.2026 10:35 (п. 14, 18 регламента) — осталось 10 мин рабочего времени.",
    ]);
    expect(reworkLines(OFFICE.healthChat)).toEqual([]);
    at("2026-11-24T07:36:00Z");
    await tick();
    const overdue = (organization: string) =>
      `❗ Сообщение № 1: срок «доработать информацию соисполнителя${organization}» истёк в 10:35`;
    expect(reworkLines(maria.tg.id).at(-1)).toContain(overdue(""));
    expect(reworkLines(OFFICE.curatorsChat).at(-1)).toContain(overdue(" (Минобр)"));
    // The lead, whose draft clock waits for the part (p.18), cannot make it act: the curators can.
    expect(reworkLines(OFFICE.healthChat)).toEqual([]);
    // The curators decided in time: their pass-on deadline (10:30) raises nothing.
    expect(alertsIn(OFFICE.curatorsChat).some((t) => t.includes("передать основному исполнителю"))).toBe(
      false,
    );
  });
});

describe("an executor who blocked the bot", () => {
  it("his alert refused: the curators get it naming him, he is marked blocked, the admins are not told of a chat to rebind", async () => {
    const { health } = await office();
    await seedIncidentInWork(h, health);
    h.fake.setChatMember(OFFICE.executor, h.bot.botInfo.id, "kicked");
    at("2026-11-24T11:01:00Z"); // 16:01: the draft is overdue (p.9)
    await tick();

    expect(fallbacks()).toHaveLength(1);
    expect(fallbacks()[0]).toMatch(
      /^Не удалось доставить лично: Иван — бот заблокирован или диалог с ним не начат\.\n\n.*❗ Сообщение № 1: срок «прислать проект ответа куратору» истёк/s,
    );
    expect(blocked(OFFICE.executor)).toBe(true);
    expect(alertsIn(OFFICE.healthChat)).toHaveLength(1);
    expect(h.texts(ADMIN)).toEqual([]);
  });

  it("once marked blocked he is not tried: the work chat and the curators get the alerts, with no «не удалось доставить»", async () => {
    const { health } = await office();
    const id = await seedIncidentInWork(h, health);
    h.fake.setChatMember(OFFICE.executor, h.bot.botInfo.id, "kicked");
    await seedDraft(h, id); // the card shown to him anew is refused: that is how the bot learns it
    expect(blocked(OFFICE.executor)).toBe(true);
    await seedIncidentInWork(h, health, { link: "https://vk.com/wall-1_2" }); // № 2, his too: its draft is his step
    const tried = sendsTo(OFFICE.executor);

    at("2026-11-25T04:13:00Z"); // Wednesday 09:13: past 80 % of the answer's 9 working hours (p.8)
    await tick();
    expect(alertsIn(OFFICE.healthChat).some((text) => text.includes("№ 2"))).toBe(true);
    // № 1's draft waits for the decision: its answer deadline is the curators'.
    expect(alertsIn(OFFICE.curatorsChat).some((text) => text.includes("разместить ответ"))).toBe(true);
    expect(sendsTo(OFFICE.executor)).toBe(tried);
    expect(fallbacks()).toEqual([]);
    expect(h.texts(ADMIN)).toEqual([]);
  });
});

describe("an executor who cannot be written to, in an organization without a work chat", () => {
  it("the curators get his alert, told it reached neither a work chat nor him", async () => {
    const { health } = await office();
    await seedIncidentInWork(h, health);
    unbindChat(h.db, { chatId: OFFICE.healthChat, actorId: null, reason: "admin", now: h.clock.now() });
    markBlocked(h.db, OFFICE.executor, h.clock.now());
    at("2026-11-24T11:01:00Z"); // 16:01: the draft is overdue (p.9)
    await tick();
    const lines = alertsIn(OFFICE.curatorsChat).flatMap((text) => text.split("\n\n"));
    const alert = lines.find((line) => line.includes("«прислать проект ответа куратору» истёк"));
    expect(alert).toMatch(
      /\nИсполнителю не доставлено: у органа «Министерство здравоохранения» нет рабочего чата, а лично \(Иван\) бот написать не может\.$/,
    );
  });
});

describe("a private chat that refuses with a Bad Request", () => {
  it.each(["Bad Request: user is deactivated", "Bad Request: chat not found"])(
    "«%s»: the curators get the executor's alert naming him, he is marked unreachable and not tried again",
    async (description) => {
      const { health } = await office();
      await seedIncidentInWork(h, health);
      h.fake.failNext(
        "sendMessage",
        { error_code: 400, description },
        { match: (params) => params.chat_id === OFFICE.executor, times: 100 },
      );
      at("2026-11-24T11:01:00Z"); // 16:01: the draft is overdue (p.9)
      await tick();
      expect(fallbacks()).toEqual([expect.stringMatching(/^Не удалось доставить лично: Иван — /)]);
      expect(blocked(OFFICE.executor)).toBe(true);

      const tried = sendsTo(OFFICE.executor);
      at("2026-11-25T04:13:00Z"); // Wednesday 09:13: the answer's reminder (p.8)
      await tick();
      expect(alertsIn(OFFICE.healthChat).some((text) => text.includes("разместить ответ"))).toBe(true);
      expect(sendsTo(OFFICE.executor)).toBe(tried);
      expect(fallbacks()).toHaveLength(1);
    },
  );
});

describe("heads and curators who blocked the bot", () => {
  const SECOND_HEAD = 5002;

  it("a head who blocked the bot is not sent the escalation; the other head gets it, the curators get no «не удалось доставить»", async () => {
    await office();
    h.seedPerson(SECOND_HEAD, "Пётр", ["head"]);
    await blocks(SECOND_HEAD, "Пётр");
    await escalatedToHeads();

    expect(alertsIn(OFFICE.head)).toEqual([
      expect.stringMatching(
        /^‼️ Нарушение регламента: сообщение № 1 «Нет света в подъезде\.» — «направить исполнителю»/,
      ),
    ]);
    expect(sendsTo(SECOND_HEAD)).toBe(0);
    expect(fallbacks()).toEqual([]);
  });

  it("every head blocked the bot: the curators get the heads' escalation, told that the head cannot be reached; the head is not tried", async () => {
    await office();
    await blocks(OFFICE.head, "Глава");
    await escalatedToHeads();

    expect(sendsTo(OFFICE.head)).toBe(0);
    // A digest, with the answer's reminder that is due at the same tick.
    expect(alertsIn(OFFICE.curatorsChat).at(-1)).toContain(
      "‼️ Нарушение регламента: сообщение № 1 «Нет света в подъезде.» — «направить исполнителю» до 24.11.2026 10:30 (п. 6 регламента), " +
        "просрочено на 8 ч 1 мин рабочего времени. Кто должен действовать: кураторы. Требуется вмешательство.\n" +
        "Руководителю не доставлено: Глава — бот заблокирован или аккаунт удалён.",
    );
    at("2026-11-25T06:31:00Z");
    await tick();
    expect(
      alertsIn(OFFICE.curatorsChat).filter((text) => text.includes("Руководителю не доставлено")),
    ).toHaveLength(1);
    expect(fallbacks()).toEqual([]);
    expect(h.texts(ADMIN)).toEqual([]);
  });

  it("curators told privately (no curators' chat): one who blocked the bot is not tried, the other gets every alert with no «не удалось доставить»", async () => {
    await office();
    unbindChat(h.db, { chatId: OFFICE.curatorsChat, actorId: null, reason: "admin", now: h.clock.now() });
    await blocks(OFFICE.curator2, "Светлана");
    register();
    at("2026-11-24T05:20:00Z"); // 10:20: the routing's reminder (p.6)
    await tick();
    at("2026-11-24T05:31:00Z"); // 10:31: overdue
    await tick();

    expect(alertsIn(OFFICE.curator)).toEqual([
      expect.stringMatching(/^⏰ Сообщение № 1: направить исполнителю/),
      expect.stringMatching(/^❗ Сообщение № 1: срок «направить исполнителю» истёк/),
    ]);
    expect(sendsTo(OFFICE.curator2)).toBe(0);
    expect(h.texts(OFFICE.curator).filter((text) => text.startsWith("Не удалось доставить"))).toEqual([]);
  });
});

describe("escalations to the heads of one organization (Orenburg p.19)", () => {
  const HEALTH_HEAD = 5003;

  /** The head of Минздрав, from an invite for it; the head of all with «Нарушения» switched off. */
  async function healthHeadAlone(): Promise<{ health: number }> {
    const arranged = await office();
    const now = h.clock.now();
    h.db.transaction((tx) => {
      const id = upsertPerson(tx, { id: HEALTH_HEAD, first_name: "Министр" }, now);
      grantRole(tx, id, "head", null, now, arranged.health);
    });
    const actorId = findPerson(h.db, ADMIN)?.id ?? 0;
    const personId = findPerson(h.db, OFFICE.head)?.id ?? 0;
    setHeadPurpose(h.db, { actorId, personId, purpose: "violations", enabled: false, now });
    return arranged;
  }

  it("a step of Минздрав overdue a working day reaches its head; the curators' own step does not", async () => {
    const { health } = await healthHeadAlone();
    await seedIncidentInWork(h, health); // № 1: the draft due 16:00 (p.9)
    register("normal", 2); // № 2: never routed (p.6, the curators' step)
    at("2026-11-25T11:01:00Z"); // Wednesday 16:01: a working day late
    await tick();
    expect(alertsIn(HEALTH_HEAD)).toEqual([
      "‼️ Нарушение регламента: сообщение № 1 «Во дворе на Ленина, 5 третью неделю не…» — «прислать проект ответа куратору» " +
        "до 24.11.2026 16:00 (п. 9 регламента), просрочено на 8 ч 1 мин рабочего времени. Кто должен действовать: Минздрав. Требуется вмешательство.",
    ]);
    expect(alertsIn(OFFICE.head)).toEqual([]);
  });

  it("a post waiting for its author's reply to a question: the head's escalation and the morning digest say since when", async () => {
    const { health } = await healthHeadAlone();
    const id = await seedIncidentInWork(h, health); // the answer due Wednesday 11:00 (p.8)
    await seedDraft(h, id, { approve: true, purpose: "clarification" });
    at("2026-11-24T05:10:00Z"); // 10:10: the question is posted
    const ivan = findPerson(h.db, OFFICE.executor) as NonNullable<ReturnType<typeof findPerson>>;
    const link = "https://vk.com/wall-1_1?reply=2";
    expect(recordClarification(h.db, { incidentId: id, actor: ivan, now: h.clock.now(), link }).ok).toBe(
      true,
    );
    at("2026-11-25T04:00:00Z"); // Wednesday 09:00
    await morningDigests(h.deps());
    expect(h.texts(OFFICE.healthChat).join("\n")).toContain(
      "№ 1 — разместить ответ до 25.11.2026 11:00 (осталось 2 ч рабочего времени); ждём ответа автора на запрос с 24.11.2026 10:10",
    );
    at("2026-11-26T06:01:00Z"); // Thursday 11:01: the answer a working day late
    await tick();
    expect(alertsIn(HEALTH_HEAD).at(-1)).toMatch(
      /просрочено на 8 ч 1 мин рабочего времени\. Ждём ответа автора на запрос с 24\.11\.2026 10:10\. Кто должен действовать: Минздрав\. Требуется вмешательство\.$/,
    );
  });

  it("an answer late while its draft waits for the decision is the curators': neither the organization nor its head hears of it", async () => {
    const { health } = await healthHeadAlone();
    const id = await seedIncidentInWork(h, health);
    await seedDraft(h, id); // before the curators at 10:00; the answer is due Wednesday 11:00 (p.8)
    const aboutAnswer = (chatId: number) =>
      alertsIn(chatId).filter((text) => text.includes("«разместить ответ»"));
    at("2026-11-25T06:01:00Z"); // Wednesday 11:01
    await tick();
    expect(aboutAnswer(OFFICE.curatorsChat).join("\n")).toContain(
      "❗ Сообщение № 1: срок «разместить ответ» истёк в 11:00",
    );
    at("2026-11-26T06:01:00Z"); // Thursday 11:01: a working day late
    await tick();
    expect(aboutAnswer(OFFICE.curatorsChat).at(-1)).toContain(
      "‼️ Нарушение регламента: сообщение № 1 «Во дворе на Ленина, 5 третью неделю не…» " +
        "(проект ответа у кураторов на согласовании) — «разместить ответ» до 25.11.2026 11:00 (п. 8 регламента), " +
        "просрочено на 8 ч 1 мин рабочего времени. Кто должен действовать: кураторы. Требуется вмешательство.",
    );
    expect(alertsIn(HEALTH_HEAD)).toEqual([]);
    expect(aboutAnswer(OFFICE.healthChat)).toEqual([]);
    expect(aboutAnswer(OFFICE.executor)).toEqual([]);
  });

  it("an answer that ran out while the organization had it is escalated to its head, though its draft is before the curators when the escalation comes", async () => {
    const { health } = await healthHeadAlone();
    const id = await seedIncidentInWork(h, health); // the answer is due Wednesday 11:00 (p.8)
    at("2026-11-25T06:01:00Z"); // Wednesday 11:01: late, no draft yet
    await tick();
    at("2026-11-26T05:30:00Z"); // Thursday 10:30: the draft at last, before the curators
    await seedDraft(h, id);
    at("2026-11-26T06:01:00Z"); // Thursday 11:01: a working day late
    await tick();
    const aboutAnswer = alertsIn(HEALTH_HEAD).filter((text) => text.includes("«разместить ответ»"));
    expect(aboutAnswer).toEqual([
      expect.stringMatching(
        /^‼️ Нарушение регламента: сообщение № 1 «[^»]+» — «разместить ответ» .* Кто должен действовать: Минздрав\./,
      ),
    ]);
  });

  it("an answer late while its draft waited for the decision stays the curators' once they decide: no late alert to the organization or its head", async () => {
    const { health } = await healthHeadAlone();
    const id = await seedIncidentInWork(h, health);
    await seedDraft(h, id); // the answer is due Wednesday 11:00 (p.8)
    const aboutAnswer = (chatId: number) =>
      alertsIn(chatId).filter((text) => text.includes("«разместить ответ»"));
    at("2026-11-26T06:01:00Z"); // Thursday 11:01: a working day late, still undecided
    await tick();
    const curator = findPerson(h.db, OFFICE.curator);
    if (!curator) throw new Error("no curator");
    at("2026-11-26T06:10:00Z"); // Thursday 11:10: approved at last
    approveDraft(h.db, { incidentId: id, actor: curator, now: h.clock.now() });
    await tick();
    expect(alertsIn(HEALTH_HEAD)).toEqual([]);
    expect(aboutAnswer(OFFICE.healthChat)).toEqual([]);
    expect(aboutAnswer(OFFICE.executor)).toEqual([]);
  });

  it("an answer late while its first draft waited for the decision stays the curators' after a rework and a new draft: the executors are not told of it then", async () => {
    const { health } = await healthHeadAlone();
    const id = await seedIncidentInWork(h, health);
    await seedDraft(h, id); // the answer is due Wednesday 11:00 (p.8)
    const aboutAnswer = (chatId: number) =>
      alertsIn(chatId).filter((text) => text.includes("«разместить ответ»"));
    const person = (telegramId: number) => {
      const found = findPerson(h.db, telegramId);
      if (!found) throw new Error("no person");
      return found;
    };
    at("2026-11-25T06:01:00Z"); // Wednesday 11:01: late, the draft still undecided
    await tick();
    at("2026-11-25T06:10:00Z");
    requestRework(h.db, {
      incidentId: id,
      actor: person(OFFICE.curator),
      now: h.clock.now(),
      comment: "Уточните дату.",
    });
    await tick();
    at("2026-11-25T06:30:00Z"); // the reworked draft before the curators again
    const content = { text: "Снег вывезут 27.11.", attachments: [] };
    submitDraft(h.db, { incidentId: id, actor: person(OFFICE.executor), now: h.clock.now(), content });
    at("2026-11-25T06:31:00Z");
    await tick();
    expect(aboutAnswer(OFFICE.healthChat)).toEqual([]);
    expect(aboutAnswer(OFFICE.executor)).toEqual([]);
    expect(alertsIn(HEALTH_HEAD)).toEqual([]);
  });

  it("after an interim answer, the final answer late while its draft waits for the decision is the curators' too (p.13)", async () => {
    const { health } = await healthHeadAlone();
    const id = await seedIncidentInWork(h, health); // posted Tuesday 24.11: the final answer due 03.12 18:00
    await seedDraft(h, id, { purpose: "interim", approve: true });
    const executor = findPerson(h.db, OFFICE.executor);
    if (!executor) throw new Error("no executor");
    publishInterim(h.db, {
      incidentId: id,
      actor: executor,
      now: h.clock.now(),
      link: "https://vk.com/wall-1_1?reply=2",
    });
    at("2026-12-03T05:00:00Z"); // Thursday 03.12 10:00
    await seedDraft(h, id); // the final answer, before the curators
    const aboutFinal = (chatId: number) =>
      alertsIn(chatId).filter((text) => text.includes("«дать окончательный ответ»"));
    at("2026-12-04T06:01:00Z"); // Friday 11:01: three working hours late
    await tick();
    expect(aboutFinal(OFFICE.curatorsChat).at(-1)).toContain("(проект ответа у кураторов на согласовании)");
    at("2026-12-07T04:01:00Z"); // Monday 09:01: a working day late
    await tick();
    expect(aboutFinal(OFFICE.healthChat)).toEqual([]);
    expect(aboutFinal(OFFICE.executor)).toEqual([]);
    expect(alertsIn(HEALTH_HEAD)).toEqual([]);
  });

  it("routed by the curators after the answer was due (p.8 counts from detection): the organization's head hears nothing, the curators hear whose it is", async () => {
    const { health } = await healthHeadAlone();
    const id = register(); // detected Tuesday 10:00: the answer due Wednesday 11:00
    const curator = findPerson(h.db, OFFICE.curator);
    if (!curator) throw new Error("no curator");
    at("2026-11-26T06:30:00Z"); // Thursday 11:30: routed at last
    routeIncident(h.db, {
      incidentId: id,
      leadId: health,
      coexecutorIds: [],
      actor: curator,
      now: h.clock.now(),
    });
    await tick();
    expect(alertsIn(HEALTH_HEAD)).toEqual([]);
    const aboutAnswer = (chatId: number) =>
      alertsIn(chatId).filter((text) => text.includes("«разместить ответ»"));
    expect(aboutAnswer(OFFICE.healthChat)).toEqual([]);
    expect(aboutAnswer(OFFICE.curatorsChat).at(-1)).toContain(
      "‼️ Нарушение регламента: сообщение № 1 «Нет света в подъезде.» (срок истёк до того, как сообщение получил основной исполнитель) — " +
        "«разместить ответ» до 25.11.2026 11:00 (п. 8 регламента), просрочено на 8 ч 30 мин рабочего времени. Кто должен действовать: Минздрав.",
    );
  });

  it("taken from one organization and routed to another after the answer was due: the new one's head hears nothing of it", async () => {
    const { health } = await healthHeadAlone();
    const id = await seedIncidentInWork(h, health); // the answer due Wednesday 11:00
    const education = h.seedOrganization("Министерство образования", "Минобр");
    h.seedChat(h.group(-400, "Минобр: обращения"), education);
    const EDUCATION_HEAD = 5004;
    h.db.transaction((tx) => {
      const person = upsertPerson(
        tx,
        { id: EDUCATION_HEAD, first_name: "Министр образования" },
        h.clock.now(),
      );
      grantRole(tx, person, "head", null, h.clock.now(), education);
    });
    at("2026-11-26T06:01:00Z"); // Thursday 11:01: Минздрав's head hears of its day's delay
    await tick();
    expect(alertsIn(HEALTH_HEAD)).toHaveLength(1);
    const curator = findPerson(h.db, OFFICE.curator);
    if (!curator) throw new Error("no curator");
    at("2026-11-26T06:30:00Z"); // Thursday 11:30: handed to Минобр
    routeIncident(h.db, {
      incidentId: id,
      leadId: education,
      coexecutorIds: [],
      actor: curator,
      now: h.clock.now(),
    });
    await tick();
    expect(alertsIn(EDUCATION_HEAD)).toEqual([]);
    expect(alertsIn(-400)).toEqual([]);
  });

  it("returned, and routed back to the same organization after the answer was due: its head hears nothing of the time the curators had it", async () => {
    const { health } = await healthHeadAlone();
    const id = await seedIncidentInWork(h, health); // the answer due Wednesday 11:00
    const executor = findPerson(h.db, OFFICE.executor);
    const curator = findPerson(h.db, OFFICE.curator);
    if (!executor || !curator) throw new Error("no people");
    at("2026-11-24T05:10:00Z"); // Tuesday 10:10: returned
    expect(
      returnIncident(h.db, { incidentId: id, actor: executor, now: h.clock.now(), reason: "Не наше." }).ok,
    ).toBe(true);
    at("2026-11-26T06:30:00Z"); // Thursday 11:30: routed back to Минздрав
    routeIncident(h.db, {
      incidentId: id,
      leadId: health,
      coexecutorIds: [],
      actor: curator,
      now: h.clock.now(),
    });
    at("2026-11-26T07:01:00Z");
    await tick();
    expect(alertsIn(HEALTH_HEAD)).toEqual([]);
  });

  it("its only head blocks the bot: the curators get the escalation naming him, and no other head", async () => {
    const { health } = await healthHeadAlone();
    await blocks(HEALTH_HEAD, "Министр");
    await seedIncidentInWork(h, health);
    at("2026-11-25T11:01:00Z");
    await tick();
    expect(sendsTo(HEALTH_HEAD)).toBe(0);
    expect(alertsIn(OFFICE.curatorsChat).join("\n\n")).toContain(
      "Требуется вмешательство.\nРуководителю не доставлено: Министр — бот заблокирован или аккаунт удалён.",
    );
  });
});

describe("who must act on an answer that ran out while its draft waited for the curators", () => {
  const aboutAnswer = (chatId: number) =>
    alertsIn(chatId).filter((text) => text.includes("«разместить ответ»"));
  const curator = () => {
    const found = findPerson(h.db, OFFICE.curator);
    if (!found) throw new Error("no curator");
    return found;
  };

  /** Orenburg: the draft before the curators from Tuesday 10:00; the answer due Wednesday 11:00 (p.8). */
  async function draftBeforeCurators(): Promise<number> {
    const { health } = await office();
    const id = await seedIncidentInWork(h, health);
    await seedDraft(h, id);
    return id;
  }

  it("Orenburg: approved after the answer was due and never posted, the escalation says the executors must act (p.12)", async () => {
    const id = await draftBeforeCurators();
    at("2026-11-25T06:01:00Z"); // Wednesday 11:01: the answer late, the draft undecided
    await tick();
    at("2026-11-25T06:30:00Z"); // Wednesday 11:30: approved, half an hour late
    approveDraft(h.db, { incidentId: id, actor: curator(), now: h.clock.now() });
    at("2026-11-25T09:01:00Z"); // Wednesday 14:01: two working hours late (lunch 13–14), the curators' level
    await tick();
    expect(aboutAnswer(OFFICE.curatorsChat).at(-1)).toContain(
      "‼️ Нарушение регламента: сообщение № 1 (срок истёк, пока проект был у кураторов) — «разместить ответ» до 25.11.2026 11:00 (п. 8 регламента), " +
        "просрочено на 2 ч 1 мин рабочего времени. Требуется вмешательство.",
    );
    at("2026-11-26T06:01:00Z"); // Thursday 11:01: a working day late, the heads' level
    await tick();
    expect(aboutAnswer(OFFICE.head)).toEqual([
      "‼️ Нарушение регламента: сообщение № 1 «Во дворе на Ленина, 5 третью неделю не…» (срок истёк, пока проект был у кураторов) — " +
        "«разместить ответ» до 25.11.2026 11:00 (п. 8 регламента), просрочено на 8 ч 1 мин рабочего времени. Кто должен действовать: Минздрав. Требуется вмешательство.",
    ]);
  });

  it("Orenburg: returned for rework after the answer was due, the heads hear the executors must act", async () => {
    const id = await draftBeforeCurators();
    at("2026-11-25T06:30:00Z"); // Wednesday 11:30
    requestRework(h.db, { incidentId: id, actor: curator(), now: h.clock.now(), comment: "Уточните дату." });
    at("2026-11-26T06:01:00Z"); // Thursday 11:01: a working day late
    await tick();
    expect(aboutAnswer(OFFICE.head)).toEqual([
      expect.stringContaining(
        "(срок истёк, пока проект был у кураторов) — «разместить ответ» до 25.11.2026 11:00 (п. 8 регламента), " +
          "просрочено на 8 ч 1 мин рабочего времени. Кто должен действовать: Минздрав.",
      ),
    ]);
  });

  it("Georgievsk: a curator who claimed the posting is told to post now; once the claim is over, the heads hear the executors or the curators may act", async () => {
    h = await Harness.start({ now: "2026-11-24T07:00:00Z", regulation: "georgievsk" }); // Tuesday 10:00 MSK
    const { health } = seedOffice(h);
    const id = await seedIncidentInWork(h, health);
    await seedDraft(h, id); // the answer due 15:00 (p.16)
    at("2026-11-24T13:50:00Z"); // 16:50: approved, «Размещу лично»
    approveAndClaim(h.db, { incidentId: id, actor: curator(), now: h.clock.now() });
    at("2026-11-24T14:01:00Z"); // 17:01: two working hours late, the claim open
    await tick();
    expect(aboutAnswer(OFFICE.curatorsChat).at(-1)).toContain(
      "‼️ Нарушение регламента: сообщение № 1 (срок истёк, пока проект был у кураторов) — «разместить ответ» до 24.11.2026 15:00 (п. 16 регламента), " +
        "просрочено на 2 ч 1 мин рабочего времени. Разместите ответ сейчас.",
    );
    at("2026-11-25T12:01:00Z"); // Wednesday 15:01: a working day late, the claim long over
    await tick();
    expect(aboutAnswer(OFFICE.head)).toEqual([
      expect.stringContaining(
        "(срок истёк, пока проект был у кураторов) — «разместить ответ» до 24.11.2026 15:00 (п. 16 регламента), " +
          "просрочено на 8 ч 1 мин рабочего времени. Кто может действовать: Минздрав или кураторы, если разместят ответ сами (п. 12 регламента).",
      ),
    ]);
  });

  it("Georgievsk: approved in time with no «Размещу лично» and never posted, the heads hear the organization or the curators may post it (p.12)", async () => {
    h = await Harness.start({ now: "2026-11-24T07:00:00Z", regulation: "georgievsk" }); // Tuesday 10:00 MSK
    const { health } = seedOffice(h);
    const id = await seedIncidentInWork(h, health);
    await seedDraft(h, id); // the answer due 15:00 (p.16)
    at("2026-11-24T08:00:00Z"); // 11:00: approved, nobody claims the posting
    approveDraft(h.db, { incidentId: id, actor: curator(), now: h.clock.now() });
    at("2026-11-25T12:01:00Z"); // Wednesday 15:01: a working day late
    await tick();
    expect(aboutAnswer(OFFICE.head)).toEqual([
      "‼️ Нарушение регламента: сообщение № 1 «Во дворе на Ленина, 5 третью неделю не…» — " +
        "«разместить ответ» до 24.11.2026 15:00 (п. 16 регламента), просрочено на 8 ч 1 мин рабочего времени. " +
        "Кто может действовать: Минздрав или кураторы, если разместят ответ сами (п. 12 регламента). Требуется вмешательство.",
    ]);
  });

  it("Georgievsk: approved with «Размещу лично» just before the heads hear of it, the curators must act", async () => {
    h = await Harness.start({ now: "2026-11-24T07:00:00Z", regulation: "georgievsk" }); // Tuesday 10:00 MSK
    const { health } = seedOffice(h);
    const id = await seedIncidentInWork(h, health);
    await seedDraft(h, id); // the answer due 15:00 (p.16)
    at("2026-11-25T11:50:00Z"); // Wednesday 14:50
    approveAndClaim(h.db, { incidentId: id, actor: curator(), now: h.clock.now() });
    at("2026-11-25T12:01:00Z"); // 15:01: a working day late, the claim open
    await tick();
    expect(aboutAnswer(OFFICE.head)).toEqual([
      expect.stringContaining(
        "(срок истёк, пока проект был у кураторов) — «разместить ответ» до 24.11.2026 15:00 (п. 16 регламента), " +
          "просрочено на 8 ч 1 мин рабочего времени. Кто должен действовать: кураторы.",
      ),
    ]);
  });
});

describe("a stream of posts on one accident", () => {
  /** Ticks every minute through [from, to), as the job does. */
  async function everyMinute(from: string, to: string): Promise<void> {
    for (let time = new Date(from).getTime(); time < new Date(to).getTime(); time += 60_000) {
      at(new Date(time).toISOString());
      await tick();
    }
  }
  /** A chat's alerts naming a post. */
  const about = (chatId: number, id: number) =>
    alertsIn(chatId).filter((text) => new RegExp(`(Сообщение|сообщение|№) ${id}\\b`).test(text));
  /** The curator routes a post to the organization now (its answer shortened, p.6), its executor takes it. */
  function routeNow(incidentId: number, leadId: number, shortenedAnswerMinutes?: number): void {
    const person = (id: number) => findPerson(h.db, id) as NonNullable<ReturnType<typeof findPerson>>;
    const now = h.clock.now();
    const actor = person(OFFICE.curator);
    routeIncident(h.db, { incidentId, leadId, coexecutorIds: [], actor, now, shortenedAnswerMinutes });
    acceptIncident(h.db, { incidentId, actor: person(OFFICE.executor), now });
  }

  it("the head hears the violations of a stream of overdue posts at most once per half hour, every post named once", async () => {
    await office();
    // Eight posts 3 minutes apart from 10:00, never routed: each routing (p.6) runs out 30 minutes later.
    for (let n = 1; n <= 8; n++) {
      at(new Date(new Date(TUESDAY_10).getTime() + (n - 1) * 3 * 60_000).toISOString());
      register("normal", n);
    }
    // A working day late, Wednesday from 10:30 to 10:51, one post every 3 minutes reaches the heads' level.
    await everyMinute("2026-11-25T05:20:00Z", "2026-11-25T06:30:00Z");
    const told = alertsIn(OFFICE.head);
    expect(told).toHaveLength(2);
    expect(told[0]).toMatch(/^‼️ Нарушение регламента: сообщение № 1 /);
    // № 2–8 came due in the half hour after: together at 11:00, in one message.
    const lines = told[1]?.split("\n\n") ?? [];
    expect(lines[0]).toBe("Сроки по сообщениям:");
    expect(
      lines.slice(1).map((line) => /^• ‼️ Нарушение регламента: сообщение № (\d+) /.exec(line)?.[1]),
    ).toEqual(["2", "3", "4", "5", "6", "7", "8"]);
  });

  it("a chat hears the reminders due within 20 minutes in one message, each post once, not one message every 3 minutes", async () => {
    const { health } = await office();
    // Six posts taken into work 3 minutes apart from 10:00: their drafts (p.9) are due 16:00–16:15.
    for (let n = 1; n <= 6; n++) {
      at(new Date(new Date(TUESDAY_10).getTime() + (n - 1) * 3 * 60_000).toISOString());
      await seedIncidentInWork(h, health, { link: `https://vk.com/wall-1_${n}` });
    }
    const reminders = (chatId: number) => alertsIn(chatId).filter((text) => text.includes("⏰"));
    await everyMinute("2026-11-24T05:15:00Z", "2026-11-24T11:00:00Z");
    for (const chatId of [OFFICE.healthChat, OFFICE.executor]) {
      const said = reminders(chatId);
      // One message for each of the preset's two points (half the time, 30 minutes before the end),
      // naming all six posts, each once.
      expect(said).toHaveLength(2);
      for (const text of said)
        expect(text.match(/Сообщение № \d+/g)?.sort()).toEqual(
          ["1", "2", "3", "4", "5", "6"].map((n) => `Сообщение № ${n}`),
        );
    }
  });

  it("a reminder heard early is not heard again minutes later, when an earlier point of the same step comes", async () => {
    const { health } = await office("2026-11-24T04:55:00Z");
    // № 1 taken into work at 09:55: its draft's reminder comes at 15:25.
    const b = await seedIncidentInWork(h, health, { link: "https://vk.com/wall-1_2" });
    at(TUESDAY_10);
    const a = register("normal", 1);
    at("2026-11-24T10:20:00Z"); // 15:20: № 2 routed late, its draft due 16:00 with points at 15:30 and 15:40
    routeNow(a, health);
    await everyMinute("2026-11-24T10:20:00Z", "2026-11-24T10:55:00Z");
    // № 2 heard with № 1's reminder at 15:25, not once more at 15:30.
    const reminded = about(OFFICE.healthChat, a).filter((text) => text.includes("⏰"));
    expect(reminded).toHaveLength(1);
    expect(reminded[0]).toContain(`Сообщение № ${b}`);
  });

  it("a reminder heard early is judged as the post stands now: the answer's waits while the draft's deadline is still ahead", async () => {
    const { health } = await office("2026-11-23T10:55:00Z"); // Monday 15:55
    await seedIncidentInWork(h, health, { link: "https://vk.com/wall-1_2" }); // № 1: a reminder on Tuesday at 11:25
    at(TUESDAY_10);
    const a = register("normal", 1);
    // № 2's answer shortened to 3 hours (p.6): due 13:00, its draft halfway, at 11:30, the answer's
    // first reminder with it.
    routeNow(a, health, 180);
    await everyMinute(TUESDAY_10, "2026-11-24T06:35:00Z");
    // At 11:25 the chat hears № 1, not № 2's answer: its draft is what is due. The answer's deadline
    // comes at 11:30, as the next after the draft's missed one.
    const answer = about(OFFICE.healthChat, a).filter((text) =>
      text.includes("разместить ответ до 24.11.2026 13:00"),
    );
    expect(answer).toEqual([
      expect.stringMatching(/^❗ Сообщение № 2: срок «прислать проект ответа куратору» истёк/),
    ]);
  });

  it("a head's half hour of quiet does not hold an escalation past the working day's end: the last ones come together at its last minute", async () => {
    await office("2026-11-24T12:10:00Z"); // Tuesday 17:10
    register("normal", 1); // routing due 17:40: the head hears of it on Wednesday at 17:40
    at("2026-11-24T12:15:00Z");
    register("normal", 2); // and of these at 17:45 and 17:50, in the last half hour of the day
    at("2026-11-24T12:20:00Z");
    register("normal", 3);
    await everyMinute("2026-11-25T12:35:00Z", "2026-11-25T12:58:00Z");
    expect(alertsIn(OFFICE.head)).toHaveLength(1);
    await everyMinute("2026-11-25T12:59:00Z", "2026-11-25T13:05:00Z");
    const told = alertsIn(OFFICE.head);
    expect(told).toHaveLength(2);
    expect(told[0]).toMatch(/^‼️ Нарушение регламента: сообщение № 1 /);
    // 17:59, not the next morning.
    const lines = told[1]?.split("\n\n") ?? [];
    expect(lines[0]).toBe("Сроки по сообщениям:");
    expect(lines.slice(1).map((line) => /сообщение № (\d+) /.exec(line)?.[1])).toEqual(["2", "3"]);
  });

  it("a significant post's escalation reaches the head at once, though he heard of another a minute before", async () => {
    await office();
    register("normal", 1); // routing due 10:30: the head hears of it on Wednesday at 10:30
    at("2026-11-24T05:03:00Z");
    register("significant", 2); // at 10:33
    await everyMinute("2026-11-25T05:25:00Z", "2026-11-25T05:34:00Z");
    expect(alertsIn(OFFICE.head)).toEqual([
      expect.stringMatching(/^‼️ Нарушение регламента: сообщение № 1 /),
      expect.stringMatching(/^‼️ Нарушение регламента: сообщение № 2 /),
    ]);
  });
});

import { eq, sql } from "drizzle-orm";
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { approveDraft, publishAnswer, recordCuratorPosting, saveDraftWork } from "../../src/app/answers.js";
import {
  acceptIncident,
  loadIncident,
  returnPart,
  routeIncident,
  sendPart,
} from "../../src/app/incidents.js";
import { claimNotice } from "../../src/app/notices.js";
import { findPerson } from "../../src/app/people.js";
import { SlaRuntime } from "../../src/app/sla.js";
import { boundChats } from "../../src/db/schema.js";
import type { Person } from "../../src/domain/access.js";
import { DEFAULT_SCHEDULE } from "../../src/domain/calendar/index.js";
import { actionRules } from "../../src/domain/incident.js";
import { loadRegulation } from "../../src/domain/regulation/load.js";
import { remindAbandonedDrafts } from "../../src/jobs/abandoned-drafts.js";
import { curatorsDigest, morningDigests } from "../../src/jobs/digest.js";
import { startJobs } from "../../src/jobs/index.js";
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

let h: Harness;
afterEach(() => h.close());

const deps = () => h.deps();
const ADMIN = 1001;
const CULTURE_CHAT = -400;
const curator = () => findPerson(h.db, OFFICE.curator) as Person;

/** The culture ministry, its work chat and its executor Анна: a co-executor beside the health ministry. */
function seedCoexecutor(): { culture: number; anna: Person } {
  const culture = h.seedOrganization("Министерство культуры", "Минкультуры");
  h.seedChat(h.group(CULTURE_CHAT, "Минкультуры: обращения"), culture);
  h.seedPerson(3007, "Анна", [], [culture]);
  return { culture, anna: findPerson(h.db, 3007) as Person };
}

describe("morning digest", () => {
  it("at the start of the working day each organization's chat gets its open posts and those overdue since the previous working day, once", async () => {
    h = await Harness.start({ now: "2026-11-24T05:00:00Z" }); // Tuesday 10:00 local
    const { health } = seedOffice(h);
    await seedIncidentInWork(h, health, { link: "https://vk.com/wall-1_1" });
    await seedIncidentInWork(h, health, { link: "https://vk.com/wall-1_2" });
    h.clock.set("2026-11-24T11:05:00Z"); // 16:05: both drafts are overdue (p.9)
    await sweep(deps());

    h.clock.set("2026-11-24T18:00:00Z"); // 23:00: no digest at night
    expect(await morningDigests(deps())).toBe(0);
    h.clock.set("2026-11-25T04:00:00Z"); // Wednesday 09:00
    expect(await morningDigests(deps())).toBe(1);
    expect(await morningDigests(deps())).toBe(0);
    expect(h.lastText(OFFICE.healthChat)).toBe(
      [
        "Доброе утро! 25.11.2026: открытых сообщений — 2.",
        // The answer (p.8) is still ahead: the card's «Срок:», the draft's missed one said after it.
        "№ 1 — разместить ответ до 25.11.2026 11:00 (осталось 2 ч рабочего времени); пропущен срок «прислать проект ответа куратору»",
        "№ 2 — разместить ответ до 25.11.2026 11:00 (осталось 2 ч рабочего времени); пропущен срок «прислать проект ответа куратору»",
        "",
        "С 24.11.2026 пропущены сроки:",
        "№ 1 — прислать проект ответа куратору",
        "№ 2 — прислать проект ответа куратору",
      ].join("\n"),
    );
    // Each listed post's card is one tap away.
    const digest = h.fake.lastMessage(OFFICE.healthChat)?.message_id;
    const buttons = h.fake.buttons(OFFICE.healthChat).filter((b) => b.message.message_id === digest);
    expect(buttons.map((b) => [b.label, b.callbackData])).toEqual([
      ["№ 1", "inc.show:1"],
      ["№ 2", "inc.show:2"],
    ]);
    await h.user(OFFICE.executor, "Иван").press("№ 2", h.group(OFFICE.healthChat, "Минздрав"));
    expect(h.lastText(OFFICE.healthChat)).toMatch(/^Сообщение № 2 · ВКонтакте/);
  });

  it("a chat bound in the working day has its open posts' list for that day's digest: none repeats it minutes later", async () => {
    h = await Harness.start({ now: "2026-11-24T05:00:00Z", adminIds: [ADMIN] }); // Tuesday 10:00 local
    const { health } = seedOffice(h);
    h.seedPerson(ADMIN, "Анна", ["admin"]);
    await seedIncidentInWork(h, health);
    h.clock.set("2026-11-25T06:00:00Z"); // Wednesday 11:00: the duty group is bound in place of the work chat
    const duty = h.group(-500, "Минздрав: дежурная группа");
    const admin = h.user(ADMIN, "Анна");
    await admin.send("/bind", duty);
    await admin.press(/Минздрав/, duty);
    await admin.press("Да, привязать", duty);
    expect(h.lastText(-500)).toMatch(
      /^Открытые сообщения: 1\nОсталось и просрочено — в рабочем времени\.\n\n№ 1 /,
    );
    h.clock.set("2026-11-25T06:05:00Z"); // 11:05: the digests' first tick since
    expect(await morningDigests(deps())).toBe(0);
    expect(h.texts(-500).filter((text) => text.startsWith("Доброе утро!"))).toEqual([]);
    h.clock.set("2026-11-26T04:00:00Z"); // Thursday 09:00: the next day's comes
    await morningDigests(deps());
    expect(h.lastText(-500)).toMatch(/^Доброе утро! 26\.11\.2026: открытых сообщений — 1\./);
  });

  it("a chat bound before work begins still gets that day's digest: the list at binding is not it", async () => {
    h = await Harness.start({ now: "2026-11-24T05:00:00Z", adminIds: [ADMIN] }); // Tuesday 10:00 local
    const { health } = seedOffice(h);
    h.seedPerson(ADMIN, "Анна", ["admin"]);
    await seedIncidentInWork(h, health);
    h.clock.set("2026-11-25T02:30:00Z"); // Wednesday 07:30, before work
    const duty = h.group(-500, "Минздрав: дежурная группа");
    const admin = h.user(ADMIN, "Анна");
    await admin.send("/bind", duty);
    await admin.press(/Минздрав/, duty);
    await admin.press("Да, привязать", duty);
    expect(h.lastText(-500)).toMatch(
      /^Открытые сообщения: 1\nОсталось и просрочено — в рабочем времени\.\n\n№ 1 /,
    );
    h.clock.set("2026-11-25T04:00:00Z"); // 09:00
    expect(await morningDigests(deps())).toBe(1);
    expect(h.lastText(-500)).toMatch(/^Доброе утро! 25\.11\.2026: открытых сообщений — 1\./);
  });

  it("held back past noon (the bot stopped all morning), it comes with no «Доброе утро»", async () => {
    h = await Harness.start({ now: "2026-11-24T05:00:00Z" }); // Tuesday 10:00 local
    const { health } = seedOffice(h);
    await seedIncidentInWork(h, health);
    h.clock.set("2026-11-25T07:30:00Z"); // Wednesday 12:30
    await morningDigests(deps());
    await curatorsDigest(deps());
    expect(h.lastText(OFFICE.healthChat)).toMatch(
      /^Сводка на 25\.11\.2026: открытых сообщений — 1\.\n№ 1 — /,
    );
    expect(h.lastText(OFFICE.curatorsChat)).toMatch(/^Сводка на 25\.11\.2026: открытых сообщений — 1\.\n/);
  });

  it("comes though the sweep before it in the same tick fails (Telegram's connection dropped)", async () => {
    h = await Harness.start({ now: "2026-11-24T05:00:00Z" }); // Tuesday 10:00 local
    const { health } = seedOffice(h);
    await seedIncidentInWork(h, health, { link: "https://vk.com/wall-1_1" });
    h.clock.set("2026-11-25T04:00:00Z"); // Wednesday 09:00: the draft is overdue, the digest is due
    h.fake.dropNext("sendMessage");
    const jobs = startJobs(deps());
    await jobs.tick();
    await jobs.stop();
    expect(h.texts(OFFICE.healthChat).filter((text) => text.startsWith("Доброе утро!"))).toHaveLength(1);
  });

  it("a post whose return window is still open is listed by what it owes, as /list: the window is a right, not a task", async () => {
    h = await Harness.start({ now: "2026-11-24T12:50:00Z" }); // Tuesday 17:50 local: may return it till 09:20
    const { health } = seedOffice(h);
    const id = seedRegistered(h);
    const curator = findPerson(h.db, OFFICE.curator) as Person;
    routeIncident(h.db, {
      incidentId: id,
      leadId: health,
      coexecutorIds: [],
      actor: curator,
      now: h.clock.now(),
    });
    h.clock.set("2026-11-25T04:00:00Z"); // Wednesday 09:00
    await morningDigests(deps());
    expect(h.lastText(OFFICE.healthChat).split("\n").slice(1)).toEqual([
      "№ 1 — никто не взял в работу; прислать проект ответа куратору до 25.11.2026 14:50 (осталось 4 ч 50 мин рабочего времени)",
    ]);
  });

  it("a deadline missed as the day ended, alerted only in the morning, is in that morning's digest", async () => {
    h = await Harness.start({ now: "2026-11-24T06:59:00Z" }); // Tuesday 11:59 local: the draft due 17:59
    const { health } = seedOffice(h);
    await seedIncidentInWork(h, health);
    h.clock.set("2026-11-24T13:01:00Z"); // 18:01: no alert at night
    await sweep(deps());
    h.clock.set("2026-11-25T04:00:00Z"); // Wednesday 09:00: the overdue alert, then the digest
    const jobs = startJobs(deps());
    await jobs.tick();
    await jobs.stop();
    const digest = h.texts(OFFICE.healthChat).find((text) => text.startsWith("Доброе утро!"));
    expect(digest?.split("\n").slice(-2)).toEqual([
      "С 24.11.2026 пропущены сроки:",
      "№ 1 — прислать проект ответа куратору",
    ]);
  });

  it("a draft whose decision the curators let pass reads «у кураторов» with that decision, not the answer's deadline ahead as the organization's", async () => {
    h = await Harness.start({ now: "2026-11-24T05:00:00Z" }); // Tuesday 10:00: the answer due Wednesday 11:00
    const { health } = seedOffice(h);
    const id = await seedIncidentInWork(h, health);
    h.clock.set("2026-11-24T10:00:00Z"); // 15:00: the draft, to be decided on by 15:30
    await seedDraft(h, id);
    h.clock.set("2026-11-25T04:00:00Z"); // Wednesday 09:00
    await morningDigests(deps());
    expect(h.lastText(OFFICE.healthChat).split("\n")[1]).toBe(
      "№ 1 — у кураторов: согласовать или вернуть на доработку до 24.11.2026 15:30 (просрочено на 2 ч 30 мин рабочего времени)",
    );
  });

  it("a deadline missed overnight rings once in the morning in the work chat: its digest says it, no alert beside it", async () => {
    h = await Harness.start({ now: "2026-11-24T06:59:00Z" }); // Tuesday 11:59 local: the draft due 17:59
    const { health } = seedOffice(h);
    await seedIncidentInWork(h, health);
    h.clock.set("2026-11-24T13:01:00Z"); // 18:01: no alert at night
    await sweep(deps());
    h.clock.set("2026-11-25T04:00:00Z"); // Wednesday 09:00
    const jobs = startJobs(deps());
    await jobs.tick();
    await jobs.stop();
    const overdue = (chatId: number) => h.texts(chatId).filter((text) => text.includes("❗ Сообщение"));
    expect(h.texts(OFFICE.healthChat).at(-1)).toMatch(/^Доброе утро![\s\S]*пропущены сроки:\n№ 1 — /);
    expect(overdue(OFFICE.healthChat)).toEqual([]);
    // The curators' digest lists each organization's first missed step of a post only: they get the alert.
    expect(overdue(OFFICE.curatorsChat)).toHaveLength(1);
    // The executor holding the post gets no digest: he hears it as before.
    expect(overdue(OFFICE.executor)).toHaveLength(1);

    // A deadline missed during the day is alerted at once, as ever.
    await seedIncidentInWork(h, health, { link: "https://vk.com/wall-1_2" });
    h.clock.set("2026-11-25T11:01:00Z"); // 16:01: № 2's draft, due 15:00, is overdue
    await sweep(deps());
    expect(overdue(OFFICE.healthChat)).toEqual([expect.stringMatching(/❗ Сообщение № 2: /)]);
  });

  it("a work chat that refuses its morning digest: the overdue alert folded into it reaches the curators as «не удалось доставить», once", async () => {
    h = await Harness.start({ now: "2026-11-24T06:59:00Z", adminIds: [ADMIN] }); // Tuesday 11:59 local
    const { health } = seedOffice(h);
    await seedIncidentInWork(h, health);
    h.clock.set("2026-11-24T13:01:00Z"); // 18:01: no alert at night
    await sweep(deps());
    // The bot was removed from the work chat overnight, and the update saying so never reached it.
    h.fake.setChatMember(OFFICE.healthChat, h.bot.botInfo.id, "kicked");
    h.clock.set("2026-11-25T04:00:00Z"); // Wednesday 09:00: the sweep folds the alert into the digest
    const jobs = startJobs(deps());
    await jobs.tick();
    for (const at of ["2026-11-25T04:03:00Z", "2026-11-25T04:04:00Z", "2026-11-26T04:00:00Z"]) {
      h.clock.set(at);
      await jobs.tick();
    }
    await jobs.stop();
    const undelivered = h
      .texts(OFFICE.curatorsChat)
      .filter((text) => text.startsWith("Не удалось доставить в рабочий чат") && text.includes("❗"));
    // The answer's reminder, folded into the digest too, comes with it.
    expect(undelivered).toEqual([
      expect.stringContaining("❗ Сообщение № 1: срок «прислать проект ответа куратору» истёк"),
    ]);
    expect(h.texts(ADMIN).filter((text) => text.includes(String(OFFICE.healthChat)))).toHaveLength(1);
  });

  it("a morning digest Telegram rejects (not the chat's fault): the overdue alert and the reminder folded into it go to the work chat on their own, on one line", async () => {
    h = await Harness.start({ now: "2026-11-24T06:59:00Z" }); // Tuesday 11:59 local
    const { health } = seedOffice(h);
    await seedIncidentInWork(h, health);
    h.clock.set("2026-11-24T13:01:00Z"); // 18:01
    await sweep(deps());
    h.fake.failNext(
      "sendMessage",
      { error_code: 400, description: "Bad Request: reply markup is too long" },
      {
        match: (params) =>
          params.chat_id === OFFICE.healthChat && String(params.text).startsWith("Доброе утро!"),
      },
    );
    h.clock.set("2026-11-25T04:00:00Z"); // Wednesday 09:00
    const jobs = startJobs(deps());
    await jobs.tick();
    h.clock.set("2026-11-25T04:03:00Z"); // the sweep retries a claim left unsent after two minutes
    await jobs.tick();
    await jobs.stop();
    expect(h.texts(OFFICE.healthChat).filter((text) => /❗|⏰/.test(text))).toEqual([
      expect.stringMatching(
        /^❗ Сообщение № 1: срок «прислать проект ответа куратору» истёк [^\n]* Следующий срок: разместить ответ до 25\.11\.2026 12:59 \(п\. 8 регламента\)\.$/,
      ),
    ]);
  });

  it("a reminder due as the day begins rings once in the work chat: the digest's line names its deadline and the time left, no reminder beside it", async () => {
    h = await Harness.start({ now: "2026-11-24T04:00:00Z" }); // Tuesday 09:00 local: the answer due Wednesday 10:00
    const { health } = seedOffice(h);
    await seedIncidentInWork(h, health);
    h.clock.set("2026-11-25T04:00:00Z"); // Wednesday 09:00: an hour left (p.8), the digest due
    const jobs = startJobs(deps());
    await jobs.tick();
    // Later ticks (a claim left unsent is retried after two minutes): the reminder was said once.
    for (const at of ["2026-11-25T04:03:00Z", "2026-11-25T04:10:00Z"]) {
      h.clock.set(at);
      await jobs.tick();
    }
    await jobs.stop();
    const reminders = (chatId: number) => h.texts(chatId).filter((text) => text.includes("⏰"));
    expect(reminders(OFFICE.healthChat)).toEqual([]);
    expect(h.texts(OFFICE.healthChat).filter((text) => text.startsWith("Доброе утро!"))).toEqual([
      expect.stringContaining(
        "\n№ 1 — разместить ответ до 25.11.2026 10:00 (осталось 1 ч рабочего времени); пропущен срок",
      ),
    ]);
    // The executor holding the post gets no digest: he hears the reminder as before, once, on the
    // line of the draft's deadline he missed (held over the night), as the deadline that comes next.
    expect(h.texts(OFFICE.executor).filter((text) => /❗|⏰/.test(text))).toEqual([
      expect.stringMatching(
        /^❗ Сообщение № 1: срок «прислать проект ответа куратору» истёк .* Следующий срок: разместить ответ до 25\.11\.2026 10:00 \(п\. 8 регламента\)\.$/,
      ),
    ]);
  });

  it("a reminder of a post the digest has no room for still comes to the work chat, on its own after the digest", async () => {
    h = await Harness.start({ now: "2026-11-24T04:00:00Z" }); // Tuesday 09:00 local: the answers due Wednesday 10:00
    const { health } = seedOffice(h);
    for (let n = 1; n <= 31; n++) await seedIncidentInWork(h, health, { link: `https://vk.com/wall-1_${n}` });
    h.clock.set("2026-11-25T04:00:00Z"); // Wednesday 09:00: each has an hour left, the digest lists 30
    const jobs = startJobs(deps());
    await jobs.tick();
    h.clock.set("2026-11-25T04:03:00Z"); // a claim given back is sent two minutes on
    await jobs.tick();
    await jobs.stop();
    const morning = h.texts(OFFICE.healthChat).filter((text) => /^(⏰|Сроки|Доброе утро!)/.test(text));
    expect(morning).toEqual([
      expect.stringMatching(
        /^Доброе утро![\s\S]*\n№ 30 — [^\n]*\n…и ещё 1: весь список — \/list, листается кнопкой «▶ Ещё»\n/,
      ),
      expect.stringMatching(/^⏰ Сообщение № 31: разместить ответ до 25\.11\.2026 10:00 .*осталось 57 мин/),
    ]);
  });

  it("a stop the moment the digest gives back the reminder it had no room for: after the lease the reminder still comes, once", async () => {
    h = await Harness.start({ now: "2026-11-24T04:00:00Z" }); // Tuesday 09:00 local: the answers due Wednesday 10:00
    const { health } = seedOffice(h);
    for (let n = 1; n <= 31; n++) await seedIncidentInWork(h, health, { link: `https://vk.com/wall-1_${n}` });
    h.clock.set("2026-11-25T04:00:00Z"); // Wednesday 09:00: each has an hour left, the digest lists 30
    // The process dies the instant a reminder folded into the digest is given back to the sweep.
    h.database.sqlite.exec(
      `CREATE TRIGGER killed BEFORE UPDATE OF failure ON notifications WHEN OLD.failure = 'said by the morning digest'
       BEGIN SELECT RAISE(ABORT, 'killed'); END`,
    );
    const jobs = startJobs(deps());
    await jobs.tick();
    h.database.sqlite.exec("DROP TRIGGER killed");
    for (const at of ["2026-11-25T04:03:00Z", "2026-11-25T04:11:00Z", "2026-11-25T04:14:00Z"]) {
      h.clock.set(at);
      await jobs.tick();
    }
    await jobs.stop();
    // The digest in flight at the stop comes again after its lease, as any such message; its reminder once.
    const reminders = h.texts(OFFICE.healthChat).filter((text) => text.startsWith("⏰"));
    expect(reminders).toEqual([
      expect.stringMatching(/^⏰ Сообщение № 31: разместить ответ до 25\.11\.2026 10:00 /),
    ]);
  });

  it("a day its digest did not go out (the bot stopped after the morning's sweep) is said the next morning, the alert the sweep left to it too", async () => {
    h = await Harness.start({ now: "2026-11-24T04:00:00Z" }); // Tuesday 09:00 local
    const { health } = seedOffice(h);
    await morningDigests(deps()); // Tuesday's went out
    h.clock.set("2026-11-24T06:59:00Z"); // 11:59: the draft due 17:59
    await seedIncidentInWork(h, health);
    h.clock.set("2026-11-24T13:01:00Z"); // 18:01
    await sweep(deps());
    h.clock.set("2026-11-25T04:00:00Z"); // Wednesday 09:00: the sweep, and the bot stops before the digest
    await sweep(deps());
    expect(h.texts(OFFICE.healthChat).filter((text) => text.includes("❗ Сообщение"))).toEqual([]);
    h.clock.set("2026-11-26T04:00:00Z"); // Thursday 09:00
    await morningDigests(deps());
    expect(h.lastText(OFFICE.healthChat).split("\n").slice(-2)).toEqual([
      "С 24.11.2026 пропущены сроки:",
      "№ 1 — прислать проект ответа куратору",
    ]);
  });

  it("a reminder left to a digest that never went out is not sent beside the next morning's digest, which lists the post", async () => {
    h = await Harness.start({ now: "2026-11-24T04:00:00Z" }); // Tuesday 09:00 local
    // Orenburg, but the answer due in 36 working hours (Monday 13:00), the draft (p.9) on Monday at
    // 09:00, reminded a quarter of the way: on Wednesday as work begins.
    const orenburg = loadRegulation("orenburg");
    const { answer, draft } = orenburg.steps;
    if (!answer || !draft) throw new Error("no answer or draft step");
    const sla = new SlaRuntime(
      {
        ...orenburg,
        steps: {
          ...orenburg.steps,
          answer: { ...answer, duration: 36 },
          draft: { ...draft, reminders: { fractions: [0.25], beforeEndMinutes: [30] } },
        },
      },
      h.sla.timezone,
      DEFAULT_SCHEDULE,
      h.sla.calendar,
      () => {},
    );
    const longer = { ...deps(), sla };
    const { health } = seedOffice(h);
    await seedIncidentInWork(h, health);
    h.clock.set("2026-11-25T04:00:00Z"); // Wednesday 09:00: the sweep, and the bot stops before the digest
    await sweep(longer);
    h.clock.set("2026-11-26T04:00:00Z"); // Thursday 09:00
    const jobs = startJobs(longer);
    await jobs.tick();
    for (const at of ["2026-11-26T04:03:00Z", "2026-11-26T04:10:00Z"]) {
      h.clock.set(at);
      await jobs.tick();
    }
    await jobs.stop();
    expect(h.texts(OFFICE.healthChat).filter((text) => text.includes("⏰"))).toEqual([]);
    expect(h.texts(OFFICE.healthChat).filter((text) => text.startsWith("Доброе утро!"))).toEqual([
      expect.stringContaining("\n№ 1 — прислать проект ответа куратору до 30.11.2026 09:00"),
    ]);
  });

  it("a co-executor whose part is passed on to the lead gets no digest the next morning: it owes nothing; the lead's chat does", async () => {
    h = await Harness.start({ now: "2026-11-24T05:00:00Z" }); // Tuesday 10:00 local
    const { health } = seedOffice(h);
    const { culture, anna } = seedCoexecutor();
    const id = seedRegistered(h);
    const now = h.clock.now();
    routeIncident(h.db, { incidentId: id, leadId: health, coexecutorIds: [culture], actor: curator(), now });
    acceptIncident(h.db, { incidentId: id, actor: anna, now });
    sendPart(h.db, { incidentId: id, actor: anna, now, text: "Сцену уберут." }); // straight to the lead (p.14)
    h.clock.set("2026-11-25T04:00:00Z"); // Wednesday 09:00
    expect(await morningDigests(deps())).toBe(1);
    expect(h.lastText(OFFICE.healthChat).split("\n")[0]).toBe(
      "Доброе утро! 25.11.2026: открытых сообщений — 1.",
    );
    expect(h.texts(CULTURE_CHAT).filter((text) => text.startsWith("Доброе утро!"))).toEqual([]);
  });

  it("Georgievsk: a co-executor's part waiting for the curators rings no morning; returned for rework (p.18), it is in the digest with the rework's deadline", async () => {
    h = await Harness.start({ now: "2026-11-24T07:00:00Z", regulation: "georgievsk" }); // Tuesday 10:00 MSK
    const { health } = seedOffice(h);
    const { culture, anna } = seedCoexecutor();
    const id = seedRegistered(h);
    const rules = actionRules(h.sla.regulation);
    let now = h.clock.now();
    routeIncident(h.db, { incidentId: id, leadId: health, coexecutorIds: [culture], actor: curator(), now });
    acceptIncident(h.db, { incidentId: id, actor: anna, now });
    sendPart(h.db, { incidentId: id, actor: anna, now, text: "Сцену уберут.", rules });
    h.clock.set("2026-11-25T06:00:00Z"); // Wednesday 09:00 MSK
    await morningDigests(deps());
    expect(h.texts(CULTURE_CHAT).filter((text) => text.startsWith("Доброе утро!"))).toEqual([]);

    h.clock.set("2026-11-25T14:45:00Z"); // 17:45: the curator returns the part, half an hour to rework it
    now = h.clock.now();
    const part = loadIncident(h.db, id)?.assignments.find((a) => a.organizationId === culture);
    const returned = returnPart(h.db, {
      incidentId: id,
      assignmentId: part?.id ?? 0,
      actor: curator(),
      now,
      rules,
      comment: "Укажите дату.",
    });
    expect(returned.ok).toBe(true);
    h.clock.set("2026-11-26T06:00:00Z"); // Thursday 09:00 MSK
    await morningDigests(deps());
    expect(h.lastText(CULTURE_CHAT)).toBe(
      [
        "Доброе утро! 26.11.2026: открытых сообщений — 1.",
        "№ 1 — доработать информацию соисполнителя до 26.11.2026 09:15 (осталось 15 мин рабочего времени)",
      ].join("\n"),
    );
  });

  it("/list in a co-executor's chat names a post whose part is given out after its open work, under its own heading, out of the count", async () => {
    h = await Harness.start({ now: "2026-11-24T05:00:00Z" }); // Tuesday 10:00 local
    const { health } = seedOffice(h);
    const { culture, anna } = seedCoexecutor();
    const chat = h.group(CULTURE_CHAT, "Минкультуры: обращения");
    const now = h.clock.now();
    const given = seedRegistered(h, { link: "https://vk.com/wall-1_1" });
    routeIncident(h.db, {
      incidentId: given,
      leadId: health,
      coexecutorIds: [culture],
      actor: curator(),
      now,
    });
    acceptIncident(h.db, { incidentId: given, actor: anna, now });
    sendPart(h.db, { incidentId: given, actor: anna, now, text: "Сцену уберут." });
    await h.user(3007, "Анна").send("/list", chat);
    expect(h.lastText(CULTURE_CHAT).split("\n")).toEqual([
      "Открытых сообщений нет.",
      "",
      "Информация отправлена, действий не требуется:",
      "№ 1 · ВКонтакте · «Во дворе на Ленина, 5 третью неделю не убирают снег.» · без срока · информация передана основному исполнителю",
    ]);

    const owed = seedRegistered(h, { link: "https://vk.com/wall-1_2" });
    routeIncident(h.db, {
      incidentId: owed,
      leadId: health,
      coexecutorIds: [culture],
      actor: curator(),
      now,
    });
    await h.user(3007, "Анна").send("/list", chat);
    expect(h.lastText(CULTURE_CHAT).split("\n")).toEqual([
      "Открытые сообщения: 1",
      "Осталось и просрочено — в рабочем времени.",
      "",
      "№ 2 · ВКонтакте · «Во дворе на Ленина, 5 третью неделю не убирают снег.» · до 12:00 (осталось 2 ч) · направлено, ещё не взято в работу",
      "",
      "Информация отправлена, действий не требуется:",
      "№ 1 · ВКонтакте · «Во дворе на Ленина, 5 третью неделю не убирают снег.» · без срока · информация передана основному исполнителю",
    ]);
  });

  it("the lead's chat is not told of a co-executor's late part, nor does its digest list it among its own missed deadlines", async () => {
    h = await Harness.start({ now: "2026-11-24T05:00:00Z" }); // Tuesday 10:00 local
    const { health } = seedOffice(h);
    const culture = h.seedOrganization("Министерство культуры", "Минкультуры");
    h.seedChat(h.group(-400, "Минкультуры: обращения"), culture);
    const id = seedRegistered(h);
    const curator = findPerson(h.db, OFFICE.curator) as Person;
    const now = h.clock.now();
    routeIncident(h.db, { incidentId: id, leadId: health, coexecutorIds: [culture], actor: curator, now });
    acceptIncident(h.db, { incidentId: id, actor: findPerson(h.db, OFFICE.executor) as Person, now });
    h.clock.set("2026-11-24T07:01:00Z"); // 12:01: the part (p.14) is overdue; its own chat hears it
    await sweep(deps());
    expect(h.texts(-400).filter((text) => text.startsWith("❗"))).toHaveLength(1);
    expect(h.texts(OFFICE.healthChat).filter((text) => text.startsWith("❗"))).toEqual([]);
    h.clock.set("2026-11-25T04:00:00Z"); // Wednesday 09:00
    await morningDigests(deps());
    expect(h.lastText(OFFICE.healthChat)).not.toContain("пропущены сроки");
    expect(h.lastText(-400).split("\n").slice(-2)).toEqual([
      "С 24.11.2026 пропущены сроки:",
      `№ ${id} — прислать информацию соисполнителя`,
    ]);
  });

  it("one a stop cut short between its claim and its send goes out after the lease, once", async () => {
    h = await Harness.start({ now: "2026-11-24T05:00:00Z" }); // Tuesday 10:00 local
    const { health } = seedOffice(h);
    await seedIncidentInWork(h, health, { link: "https://vk.com/wall-1_1" });
    h.clock.set("2026-11-25T04:00:00Z"); // Wednesday 09:00: the process claims, then stops
    claimNotice(h.db, `morning:${OFFICE.healthChat}:25.11.2026:sending`, h.clock.now());
    h.clock.set("2026-11-25T04:05:00Z");
    expect(await morningDigests(deps())).toBe(0); // perhaps still sending: not doubled
    h.clock.set("2026-11-25T04:11:00Z");
    expect(await morningDigests(deps())).toBe(1);
    expect(await morningDigests(deps())).toBe(0);
    expect(h.texts(OFFICE.healthChat).filter((text) => text.startsWith("Доброе утро!"))).toHaveLength(1);
  });

  it("a chat upgraded to a supergroup after the day's digest gets no second one under its new id; the next day's comes", async () => {
    h = await Harness.start({ now: "2026-11-24T05:00:00Z" }); // Tuesday 10:00 local
    const { health } = seedOffice(h);
    await seedIncidentInWork(h, health, { link: "https://vk.com/wall-1_1" });
    h.clock.set("2026-11-25T04:00:00Z"); // Wednesday 09:00: the draft is overdue
    expect(await morningDigests(deps())).toBe(1);
    expect(await curatorsDigest(deps())).toBe(1);
    // An hour later both groups become supergroups: Telegram gives each a new id.
    h.clock.set("2026-11-25T05:00:00Z");
    const executor = h.user(OFFICE.executor, "Иван").tg;
    await h.deliver(
      updates.migrateToChat(h.group(OFFICE.healthChat, "Минздрав: обращения"), executor, -1001),
    );
    await h.deliver(updates.migrateToChat(h.group(OFFICE.curatorsChat, "Кураторы"), executor, -1002));

    expect(await morningDigests(deps())).toBe(0);
    expect(await curatorsDigest(deps())).toBe(0);
    expect([...h.texts(-1001), ...h.texts(-1002)]).toEqual([]);
    h.clock.set("2026-11-26T04:00:00Z"); // Thursday 09:00
    expect(await morningDigests(deps())).toBe(1);
    expect(await curatorsDigest(deps())).toBe(1);
    expect(h.texts(-1001).filter((text) => text.startsWith("Доброе утро! 26.11.2026"))).toHaveLength(1);
    expect(h.texts(-1002).filter((text) => text.startsWith("Доброе утро! 26.11.2026"))).toHaveLength(1);
  });

  it("a chat that became a supergroup unseen, the digest's send followed to its new id: no second digest once the lease lapses", async () => {
    h = await Harness.start({ now: "2026-11-24T05:00:00Z" }); // Tuesday 10:00 local
    const { health } = seedOffice(h);
    await seedIncidentInWork(h, health);
    // Overnight the work chat became a supergroup; Telegram's service message is not handled yet.
    const executor = h.user(OFFICE.executor, "Иван").tg;
    h.fake.pushUpdate(
      updates.migrateToChat(h.group(OFFICE.healthChat, "Минздрав: обращения"), executor, -1001),
    );
    h.clock.set("2026-11-25T04:00:00Z"); // Wednesday 09:00
    expect(await morningDigests(deps())).toBe(1);
    h.clock.set("2026-11-25T04:15:00Z"); // 09:15, past the 10-minute lease
    await morningDigests(deps());
    expect(h.texts(-1001).filter((text) => text.startsWith("Доброе утро!"))).toHaveLength(1);
  });

  it("a post whose answer is out is not listed as open", async () => {
    h = await Harness.start({ now: "2026-11-24T05:00:00Z" }); // Tuesday 10:00 local
    const { health } = seedOffice(h);
    const answered = await seedIncidentInWork(h, health, { link: "https://vk.com/wall-1_1" });
    await seedIncidentInWork(h, health, { link: "https://vk.com/wall-1_2" });
    await seedDraft(h, answered, { approve: true });
    const executor = findPerson(h.db, OFFICE.executor) as Person;
    const link = "https://vk.com/wall-1_1?reply=5";
    const rules = { curatorMayPublish: false };
    publishAnswer(h.db, {
      incidentId: answered,
      actor: executor,
      now: h.clock.now(),
      link,
      onTime: true,
      rules,
    });

    h.clock.set("2026-11-25T04:00:00Z"); // Wednesday 09:00
    expect(await morningDigests(deps())).toBe(1);
    const digest = h.lastText(OFFICE.healthChat);
    expect(digest).toMatch(/^Доброе утро! 25\.11\.2026: открытых сообщений — 1\.\n№ 2 — /);
    expect(digest).not.toContain("№ 1");
  });

  it("a post answered on time after its draft was late is named with the step it missed and how it ended, not as overdue", async () => {
    h = await Harness.start({ now: "2026-11-24T05:00:00Z" }); // Tuesday 10:00 local
    const { health } = seedOffice(h);
    const id = await seedIncidentInWork(h, health);
    h.clock.set("2026-11-24T11:05:00Z"); // 16:05: the draft is overdue (p.9)
    await sweep(deps());
    await seedDraft(h, id, { approve: true });
    const executor = findPerson(h.db, OFFICE.executor) as Person;
    const link = "https://vk.com/wall-1_1?reply=5";
    const rules = { curatorMayPublish: false };
    publishAnswer(h.db, { incidentId: id, actor: executor, now: h.clock.now(), link, onTime: true, rules });

    h.clock.set("2026-11-25T04:00:00Z"); // Wednesday 09:00
    expect(await morningDigests(deps())).toBe(1);
    expect(h.lastText(OFFICE.healthChat)).toBe(
      [
        "Доброе утро! 25.11.2026: открытых сообщений нет.",
        "",
        "С 24.11.2026 пропущены сроки:",
        "№ 1 — прислать проект ответа куратору (ответ размещён в срок)",
      ].join("\n"),
    );
  });

  it("a post nobody in the organization has taken into work says so in its line", async () => {
    h = await Harness.start({ now: "2026-11-24T05:00:00Z" }); // Tuesday 10:00 local
    const { health } = seedOffice(h);
    const id = seedRegistered(h);
    const curator = findPerson(h.db, OFFICE.curator) as Person;
    routeIncident(h.db, {
      incidentId: id,
      leadId: health,
      coexecutorIds: [],
      actor: curator,
      now: h.clock.now(),
    });
    h.clock.set("2026-11-24T11:05:00Z"); // 16:05: the draft is overdue (p.9), the post still not taken
    await sweep(deps());

    h.clock.set("2026-11-25T04:00:00Z"); // Wednesday 09:00
    expect(await morningDigests(deps())).toBe(1);
    expect(h.lastText(OFFICE.healthChat).split("\n").slice(0, 2)).toEqual([
      "Доброе утро! 25.11.2026: открытых сообщений — 1.",
      "№ 1 — никто не взял в работу; разместить ответ до 25.11.2026 11:00 (осталось 2 ч рабочего времени); пропущен срок «прислать проект ответа куратору»",
    ]);
  });

  it("a missed step of a question to the author is named as that draft's, as its alert was", async () => {
    h = await Harness.start({ now: "2026-11-24T05:00:00Z" }); // Tuesday 10:00 local
    const { health } = seedOffice(h);
    const id = await seedIncidentInWork(h, health);
    await seedDraft(h, id, { approve: true, purpose: "clarification" }); // to be posted by 10:30 (p.12)
    h.clock.set("2026-11-24T05:35:00Z");
    await sweep(deps());
    expect(h.texts(OFFICE.healthChat).join("\n")).toContain("«разместить запрос автору» истёк");
    h.clock.set("2026-11-25T04:00:00Z"); // Wednesday 09:00
    expect(await morningDigests(deps())).toBe(1);
    expect(h.lastText(OFFICE.healthChat).split("\n").slice(-2)).toEqual([
      "С 24.11.2026 пропущены сроки:",
      "№ 1 — разместить запрос автору",
    ]);
  });

  it("a post that missed the posting of its approved answer (p.12) and the answer (p.8) names both, each by its own name", async () => {
    h = await Harness.start({ now: "2026-11-24T05:00:00Z" }); // Tuesday 10:00: the answer due Wednesday 11:00
    const { health } = seedOffice(h);
    const id = await seedIncidentInWork(h, health);
    h.clock.set("2026-11-25T05:00:00Z"); // Wednesday 10:00: approved, to be posted by 10:30 (p.12)
    await seedDraft(h, id, { approve: true });
    for (const at of ["2026-11-25T05:31:00Z", "2026-11-25T06:01:00Z"]) {
      h.clock.set(at);
      await sweep(deps());
    }
    h.clock.set("2026-11-26T04:00:00Z"); // Thursday 09:00
    await sweep(deps());
    await morningDigests(deps());
    // The answer leads its line and is not said again below; the posting's step is, as its alert named it.
    expect(h.lastText(OFFICE.healthChat).split("\n").slice(1)).toEqual([
      "№ 1 — ответ автору не размещён, срок истёк 25.11.2026 11:00 (просрочено на 6 ч рабочего времени); пропущен срок «разместить согласованный ответ»",
      "",
      "С 25.11.2026 пропущены сроки:",
      "№ 1 — разместить согласованный ответ",
    ]);
  });

  it("a socially significant post says so, and one whose answer is overdue leads with the answer the author waits for, said once", async () => {
    h = await Harness.start({ now: "2026-11-23T08:00:00Z" }); // Monday 13:00 local
    const { health } = seedOffice(h);
    await seedIncidentInWork(h, health, { link: "https://vk.com/wall-1_1", importance: "significant" });
    h.clock.set("2026-11-24T05:00:00Z"); // Tuesday 10:00
    await seedIncidentInWork(h, health, { link: "https://vk.com/wall-1_2" });
    // № 1's draft and answer (due 15:00), then № 2's draft (due 16:00) go overdue.
    for (const at of ["2026-11-24T08:05:00Z", "2026-11-24T11:05:00Z"]) {
      h.clock.set(at);
      await sweep(deps());
    }
    h.clock.set("2026-11-25T04:00:00Z"); // Wednesday 09:00
    const routed = seedRegistered(h, { link: "https://vk.com/wall-1_3", importance: "significant" });
    const curator = findPerson(h.db, OFFICE.curator) as Person;
    const now = h.clock.now();
    routeIncident(h.db, { incidentId: routed, leadId: health, coexecutorIds: [], actor: curator, now });
    expect(await morningDigests(deps())).toBe(1);
    expect(h.lastText(OFFICE.healthChat)).toBe(
      [
        "Доброе утро! 25.11.2026: открытых сообщений — 3.",
        "№ 1 (социально значимое) — ответ автору не размещён, срок истёк 24.11.2026 15:00 (просрочено на 3 ч рабочего времени); пропущен срок «прислать проект ответа куратору»",
        "№ 2 — разместить ответ до 25.11.2026 11:00 (осталось 2 ч рабочего времени); пропущен срок «прислать проект ответа куратору»",
        "№ 3 (социально значимое) — никто не взял в работу; прислать проект ответа куратору до 25.11.2026 15:00 (осталось 5 ч рабочего времени)",
        "",
        "С 24.11.2026 пропущены сроки:",
        "№ 1 — прислать проект ответа куратору",
        "№ 2 — прислать проект ответа куратору",
      ].join("\n"),
    );
  });

  it("on Monday the digest still names what went overdue on Friday", async () => {
    h = await Harness.start({ now: "2026-11-27T05:00:00Z" }); // Friday 10:00 local
    const { health } = seedOffice(h);
    await seedIncidentInWork(h, health);
    h.clock.set("2026-11-27T11:05:00Z"); // 16:05: the draft is overdue (p.9)
    await sweep(deps());

    h.clock.set("2026-11-30T04:00:00Z"); // Monday 09:00
    expect(await morningDigests(deps())).toBe(1);
    expect(h.lastText(OFFICE.healthChat).split("\n").slice(-2)).toEqual([
      "С 27.11.2026 пропущены сроки:",
      "№ 1 — прислать проект ответа куратору",
    ]);
  });

  it("after the May holidays the digest names what went overdue on the short day before them", async () => {
    h = await Harness.start({ now: "2026-04-30T04:00:00Z" }); // Thursday 30.04 09:00 local, a pre-holiday day
    const { health } = seedOffice(h);
    await seedIncidentInWork(h, health);
    h.clock.set("2026-04-30T11:05:00Z"); // 16:05: the draft is overdue
    await sweep(deps());

    h.clock.set("2026-05-04T04:00:00Z"); // Monday 04.05 09:00, after the holiday and the weekend
    expect(await morningDigests(deps())).toBe(1);
    expect(h.lastText(OFFICE.healthChat).split("\n").slice(-2)).toEqual([
      "С 30.04.2026 пропущены сроки:",
      "№ 1 — прислать проект ответа куратору",
    ]);
  });
});

describe("a post whose draft deadline was missed while its answer's is still ahead", () => {
  const healthChat = () => h.group(OFFICE.healthChat, "Минздрав: обращения");
  const curatorsChat = () => h.group(OFFICE.curatorsChat, "Кураторы");

  /** The post's card «Срок:» lines in its organization's chat, its digest line there and its /list line. */
  async function seen(id: number) {
    await showCards(h, id);
    const card = h.texts(OFFICE.healthChat).filter((text) => text.startsWith(`Сообщение № ${id} ·`));
    expect(await morningDigests(deps())).toBe(1);
    const digest = h.lastText(OFFICE.healthChat).split("\n")[1];
    await h.user(OFFICE.executor, "Иван").send("/list", healthChat());
    const list = h.lastText(OFFICE.healthChat).split("\n")[3];
    const deadlines = (card.at(-1) ?? "").split("\n").filter((line) => line.startsWith("Срок"));
    return { deadlines, digest, list };
  }

  /** The curators' /list, «Просрочены» first, then «Все»: the lines after the title. */
  async function curatorsLists(): Promise<{ overdue: string[]; all: string[] }> {
    const curator = h.user(OFFICE.curator, "Ольга");
    await curator.send("/list", curatorsChat());
    await curator.press("Просрочены", curatorsChat());
    const overdue = h.lastText(OFFICE.curatorsChat).split("\n").slice(3);
    await curator.press("Все", curatorsChat());
    return { overdue, all: h.lastText(OFFICE.curatorsChat).split("\n").slice(3) };
  }

  it("Orenburg: the digest and /list show the answer's deadline (p.8), as the card's «Срок:», and that the draft's (p.9) was missed", async () => {
    h = await Harness.start({ now: "2026-11-24T05:00:00Z" }); // Tuesday 10:00 local
    const { health } = seedOffice(h);
    const id = await seedIncidentInWork(h, health); // the draft due 16:00, the answer Wednesday 11:00
    h.clock.set("2026-11-25T04:00:00Z"); // Wednesday 09:00
    const other = seedRegistered(h, { link: "https://vk.com/wall-1_2" }); // to route by 09:30 (p.6)
    expect(await seen(id)).toEqual({
      deadlines: [
        "Срок: 25.11.2026 11:00 — разместить ответ (п. 8), осталось 2 ч рабочего времени",
        "Срок: 24.11.2026 16:00 — прислать проект ответа куратору (п. 9), просрочено на 2 ч рабочего времени",
      ],
      digest:
        "№ 1 — разместить ответ до 25.11.2026 11:00 (осталось 2 ч рабочего времени); пропущен срок «прислать проект ответа куратору»",
      list: "№ 1 · ВКонтакте · «Во дворе на Ленина, 5 третью неделю не убирают снег.» · до 11:00 (осталось 2 ч) · пропущен срок «прислать проект ответа куратору» · в работе",
    });
    // Still overdue: «Просрочены» has it, and it comes before a post due sooner that missed nothing.
    const line =
      "№ 1 · ВКонтакте · «Во дворе на Ленина, 5 третью неделю не убирают снег.» · Минздрав · до 11:00 (осталось 2 ч) · пропущен срок «прислать проект ответа куратору» · в работе";
    expect(await curatorsLists()).toEqual({
      overdue: [line],
      all: [
        line,
        `№ ${other} · ВКонтакте · «Во дворе на Ленина, 5 третью неделю не убирают снег.» · до 09:30 (осталось 30 мин) · ждёт направления`,
      ],
    });

    // The answer's deadline passed too: the line is the first missed, as before.
    h.clock.set("2026-11-25T06:30:00Z"); // 11:30
    await h.user(OFFICE.executor, "Иван").send("/list", healthChat());
    expect(h.lastText(OFFICE.healthChat).split("\n")[3]).toBe(
      "№ 1 · ВКонтакте · «Во дворе на Ленина, 5 третью неделю не убирают снег.» · до 24.11.2026 16:00 (просрочено на 4 ч 30 мин) · в работе",
    );
  });

  it("Georgievsk: the digest and /list show the answer's deadline (p.16), as the card's «Срок:», and that the draft's (p.11) was missed", async () => {
    h = await Harness.start({ now: "2026-11-24T13:30:00Z", regulation: "georgievsk" }); // Tuesday 16:30 MSK
    const { health } = seedOffice(h);
    const id = await seedIncidentInWork(h, health); // the draft due in an hour (p.11), the answer in 4 (p.16)
    h.clock.set("2026-11-25T06:00:00Z"); // Wednesday 09:00 MSK
    expect(await seen(id)).toEqual({
      deadlines: [
        "Срок: 25.11.2026 11:30 — разместить ответ (п. 16), осталось 2 ч 30 мин рабочего времени",
        "Срок: 24.11.2026 17:30 — прислать проект ответа куратору (п. 11), просрочено на 30 мин рабочего времени",
      ],
      digest:
        "№ 1 — разместить ответ до 25.11.2026 11:30 (осталось 2 ч 30 мин рабочего времени); пропущен срок «прислать проект ответа куратору»",
      list: "№ 1 · ВКонтакте · «Во дворе на Ленина, 5 третью неделю не убирают снег.» · до 11:30 (осталось 2 ч 30 мин) · пропущен срок «прислать проект ответа куратору» · в работе",
    });
    expect((await curatorsLists()).overdue).toEqual([
      "№ 1 · ВКонтакте · «Во дворе на Ленина, 5 третью неделю не убирают снег.» · Минздрав · до 11:30 (осталось 2 ч 30 мин) · пропущен срок «прислать проект ответа куратору» · в работе",
    ]);
  });
});

describe("curators' morning digest", () => {
  it("the curators' chat gets what waits for them and what the organizations let pass, once a working day", async () => {
    h = await Harness.start({ now: "2026-11-24T05:00:00Z" }); // Tuesday 10:00 local
    const { health } = seedOffice(h);
    await seedIncidentInWork(h, health, { link: "https://vk.com/wall-1_1" });
    h.clock.set("2026-11-25T04:00:00Z"); // Wednesday 09:00
    seedRegistered(h, { link: "https://vk.com/wall-1_2" });
    const onApproval = await seedIncidentInWork(h, health, { link: "https://vk.com/wall-1_3" });
    await seedDraft(h, onApproval);

    expect(await curatorsDigest(deps())).toBe(1);
    expect(await curatorsDigest(deps())).toBe(0);
    expect(h.lastText(OFFICE.curatorsChat)).toBe(
      [
        "Доброе утро! 25.11.2026: открытых сообщений — 3.",
        "Ждут кураторов:",
        "№ 2 — направить исполнителю до 25.11.2026 09:30 (осталось 30 мин рабочего времени)",
        "№ 3 — согласовать или вернуть на доработку до 25.11.2026 09:30 (осталось 30 мин рабочего времени)",
        "",
        "Просрочено у органов:",
        "№ 1 · Минздрав — прислать проект ответа куратору до 24.11.2026 16:00 (просрочено на 2 ч рабочего времени)",
      ].join("\n"),
    );
    const digest = h.fake.lastMessage(OFFICE.curatorsChat)?.message_id;
    const labels = h.fake
      .buttons(OFFICE.curatorsChat)
      .filter((b) => b.message.message_id === digest)
      .map((b) => b.label);
    expect(labels).toEqual(["№ 2", "№ 3", "№ 1"]);
  });

  it("a crisis: the overdue are summed up first, by organization and what is late, the lines past those shown too", async () => {
    h = await Harness.start({ now: "2026-11-24T05:00:00Z" }); // Tuesday 10:00 local
    const { health } = seedOffice(h);
    const education = h.seedOrganization("Министерство образования", "Минобр");
    const curator = findPerson(h.db, OFFICE.curator) as Person;
    const executor = findPerson(h.db, OFFICE.executor) as Person;
    // 31 posts at Минздрав, its drafts due 16:00 (p.9); Минобр owes parts of 3, due 12:00 (p.14).
    for (let n = 1; n <= 31; n++) {
      const id = seedRegistered(h, { link: `https://vk.com/wall-1_${n}` });
      const coexecutorIds = n <= 3 ? [education] : [];
      const now = h.clock.now();
      routeIncident(h.db, { incidentId: id, leadId: health, coexecutorIds, actor: curator, now });
      acceptIncident(h.db, { incidentId: id, actor: executor, now });
    }
    const onApproval = await seedIncidentInWork(h, health, { link: "https://vk.com/wall-1_32" });
    await seedDraft(h, onApproval); // its decision due 10:30 (p.10)
    h.clock.set("2026-11-25T04:00:00Z"); // Wednesday 09:00

    expect(await curatorsDigest(deps())).toBe(1);
    const lines = h.lastText(OFFICE.curatorsChat).split("\n");
    expect(lines.slice(0, 2)).toEqual([
      "Доброе утро! 25.11.2026: открытых сообщений — 32.",
      "Просрочено: Минздрав — 31 (проект ответа), Минобр — 3 (информация соисполнителя); у кураторов — 1 (решение по проекту).",
    ]);
    // The lines as ever, those past the first 30 left to /list, whose pages show them.
    expect(lines.at(-1)).toBe("…и ещё 4: весь список — /list, листается кнопкой «▶ Ещё»");
  });

  it("a digest too long for one message goes on in the next under its section's heading again", async () => {
    h = await Harness.start({ now: "2026-11-24T05:00:00Z" }); // Tuesday 10:00 local
    seedOffice(h);
    const ministry = h.seedOrganization(
      "Министерство жилищно-коммунального хозяйства, энергетики и транспорта Оренбургской области",
    );
    const now = h.clock.now();
    // 25 posts wait to be routed; 20 more, at the ministry, are late with their drafts (p.9).
    for (let n = 1; n <= 45; n++) {
      const id = seedRegistered(h, { link: `https://vk.com/wall-1_${n}` });
      if (n > 25)
        routeIncident(h.db, { incidentId: id, leadId: ministry, coexecutorIds: [], actor: curator(), now });
    }
    h.clock.set("2026-11-25T04:00:00Z"); // Wednesday 09:00

    expect(await curatorsDigest(deps())).toBe(1);
    const messages = h
      .texts(OFFICE.curatorsChat)
      .filter((text) => /^(Доброе утро!|Просрочено у органов)/.test(text));
    expect(messages.map((text) => text.length <= 4096)).toEqual([true, true]);
    expect(messages[1]).toMatch(/^Просрочено у органов \(продолжение\):\n№ \d+ · Министерство жилищно/);
    // No line is lost at the cut, nor said twice.
    const numbers = messages.join("\n").match(/^№ \d+/gm) ?? [];
    expect(new Set(numbers).size).toBe(45);
    expect(numbers).toHaveLength(45);
  });

  it("a socially significant post says so, and an overdue answer to the author leads the line of whoever holds the post", async () => {
    h = await Harness.start({ now: "2026-11-23T08:00:00Z" }); // Monday 13:00 local
    const { health } = seedOffice(h);
    await seedIncidentInWork(h, health, { link: "https://vk.com/wall-1_1", importance: "significant" });
    h.clock.set("2026-11-24T05:00:00Z"); // Tuesday 10:00
    const onApproval = await seedIncidentInWork(h, health, { link: "https://vk.com/wall-1_2" });
    h.clock.set("2026-11-25T05:00:00Z"); // Wednesday 10:00: № 2's draft, before its answer's 11:00
    await seedDraft(h, onApproval);
    h.clock.set("2026-11-26T04:00:00Z"); // Thursday 09:00
    seedRegistered(h, { link: "https://vk.com/wall-1_3", importance: "significant" });

    expect(await curatorsDigest(deps())).toBe(1);
    expect(h.lastText(OFFICE.curatorsChat)).toBe(
      [
        "Доброе утро! 26.11.2026: открытых сообщений — 3.",
        "Просрочено: Минздрав — 1 (ответ автору); у кураторов — 1 (ответ автору).",
        "",
        "Ждут кураторов:",
        // The draft waits for them past the answer's deadline: the author's wait is theirs to end.
        "№ 2 — ответ автору не размещён, срок истёк 25.11.2026 11:00 (просрочено на 6 ч рабочего времени); согласовать или вернуть на доработку до 25.11.2026 10:30 (просрочено на 6 ч 30 мин рабочего времени)",
        "№ 3 (социально значимое) — направить исполнителю до 26.11.2026 09:30 (осталось 30 мин рабочего времени)",
        "",
        "Просрочено у органов:",
        // The organization let the answer pass: its line leads with it, the draft it missed after it.
        "№ 1 (социально значимое) · Минздрав — ответ автору не размещён, срок истёк 24.11.2026 15:00 (просрочено на 11 ч рабочего времени); пропущен срок «прислать проект ответа куратору»",
      ].join("\n"),
    );
  });

  it("a post that cannot be read (a damaged row) is left out of the digests and logged; every other post is in them", async () => {
    h = await Harness.start({ now: "2026-11-25T04:00:00Z" }); // Wednesday 09:00 local
    const { health } = seedOffice(h);
    const damaged = await seedIncidentInWork(h, health, { link: "https://vk.com/wall-1_1" });
    await seedDraft(h, damaged);
    h.db.run(sql`update drafts set attachments = '[{' where incident_id = ${damaged}`);
    await seedIncidentInWork(h, health, { link: "https://vk.com/wall-1_2" });
    seedRegistered(h, { link: "https://vk.com/wall-1_3" });
    const errors: unknown[] = [];
    const log = pino({ level: "error" }, { write: (line: string) => void errors.push(JSON.parse(line)) });

    expect(await curatorsDigest({ ...deps(), log })).toBe(1);
    expect(h.lastText(OFFICE.curatorsChat)).toMatch(
      /^Доброе утро! 25\.11\.2026: открытых сообщений — 2\.\nЖдут кураторов:\n№ 3 — направить исполнителю/,
    );
    expect(await morningDigests({ ...deps(), log })).toBe(1);
    expect(h.lastText(OFFICE.healthChat)).toMatch(
      /^Доброе утро! 25\.11\.2026: открытых сообщений — 1\.\n№ 2 — /,
    );
    expect(errors).toMatchObject([
      { incidentId: damaged, msg: "post left out of a digest" },
      { incidentId: damaged, msg: "post left out of a digest" },
    ]);
  });

  it("a draft before the curators: the organization's line says the step is theirs, not the organization's", async () => {
    h = await Harness.start({ now: "2026-11-24T05:00:00Z" }); // Tuesday 10:00 local
    const { health } = seedOffice(h);
    const id = await seedIncidentInWork(h, health);
    h.clock.set("2026-11-24T12:45:00Z"); // 17:45: the draft, to be decided by 09:15 tomorrow (p.10)
    await seedDraft(h, id);
    h.clock.set("2026-11-25T04:00:00Z"); // Wednesday 09:00
    await morningDigests(deps());
    expect(h.lastText(OFFICE.healthChat).split("\n").slice(1)).toEqual([
      "№ 1 — у кураторов: согласовать или вернуть на доработку до 25.11.2026 09:15 (осталось 15 мин рабочего времени)",
    ]);
  });

  it("a draft before the curators past the answer deadline is theirs, not listed as the organization's", async () => {
    h = await Harness.start({ now: "2026-11-24T05:00:00Z" }); // Tuesday 10:00 local
    const { health } = seedOffice(h);
    const id = await seedIncidentInWork(h, health);
    h.clock.set("2026-11-25T05:00:00Z"); // Wednesday 10:00: the draft, before the answer's 11:00
    await seedDraft(h, id);
    h.clock.set("2026-11-26T04:00:00Z"); // Thursday 09:00
    expect(await curatorsDigest(deps())).toBe(1);
    const digest = h.lastText(OFFICE.curatorsChat);
    expect(digest).toMatch(/\nЖдут кураторов:\n№ 1 — /);
    expect(digest).not.toContain("Просрочено у органов");
  });

  it("an answer deadline the curators let pass (routed after it, or approved after it) is not listed as the organization's", async () => {
    h = await Harness.start({ now: "2026-11-24T05:00:00Z" }); // Tuesday 10:00: the answer due Wednesday 11:00 (p.8)
    const { health } = seedOffice(h);
    const routedLate = seedRegistered(h, { link: "https://vk.com/wall-1_1" });
    const approvedLate = await seedIncidentInWork(h, health, { link: "https://vk.com/wall-1_2" });
    h.clock.set("2026-11-25T05:00:00Z"); // Wednesday 10:00: № 2's draft before its deadline
    await seedDraft(h, approvedLate);
    h.clock.set("2026-11-25T06:30:00Z"); // Wednesday 11:30: № 1 routed and taken only now
    const curator = findPerson(h.db, OFFICE.curator) as Person;
    const now = h.clock.now();
    routeIncident(h.db, { incidentId: routedLate, leadId: health, coexecutorIds: [], actor: curator, now });
    acceptIncident(h.db, { incidentId: routedLate, actor: findPerson(h.db, OFFICE.executor) as Person, now });
    h.clock.set("2026-11-25T07:00:00Z"); // Wednesday 12:00: № 1's draft, in its own time (p.9)
    await seedDraft(h, routedLate);
    h.clock.set("2026-11-25T12:50:00Z"); // Wednesday 17:50: both approved, to be posted by Thursday 09:20
    for (const incidentId of [routedLate, approvedLate])
      approveDraft(h.db, { incidentId, actor: curator, now: h.clock.now() });
    h.clock.set("2026-11-26T04:00:00Z"); // Thursday 09:00: nothing the organization let pass, nothing waits
    expect(await curatorsDigest(deps())).toBe(0);
    expect(h.texts(OFFICE.curatorsChat).filter((text) => text.includes("Просрочено у органов"))).toEqual([]);
  });

  it("Georgievsk: an approved answer late to its author while the curators held it (their decision, «Размещу лично») waits for them: they may post it themselves (p.12)", async () => {
    h = await Harness.start({ now: "2026-11-24T06:00:00Z", regulation: "georgievsk" }); // Tuesday 09:00 MSK
    const { health } = seedOffice(h);
    const decidedLate = await seedIncidentInWork(h, health, { link: "https://vk.com/wall-1_1" }); // answers due 13:00 (p.16)
    const claimed = await seedIncidentInWork(h, health, { link: "https://vk.com/wall-1_2" });
    h.clock.set("2026-11-24T07:00:00Z"); // 10:00: both drafts, № 2 approved at once
    await seedDraft(h, decidedLate);
    await seedDraft(h, claimed, { approve: true });
    const curator = findPerson(h.db, OFFICE.curator) as Person;
    h.clock.set("2026-11-24T09:45:00Z"); // 12:45: «Размещу лично» on № 2, its link never given
    recordCuratorPosting(h.db, { incidentId: claimed, actor: curator, now: h.clock.now(), posting: true });
    h.clock.set("2026-11-24T12:50:00Z"); // 15:50: № 1 approved after its answer's deadline
    approveDraft(h.db, { incidentId: decidedLate, actor: curator, now: h.clock.now() });
    h.clock.set("2026-11-25T06:00:00Z"); // Wednesday 09:00
    expect(await curatorsDigest(deps())).toBe(1);
    expect(h.lastText(OFFICE.curatorsChat)).toBe(
      [
        "Доброе утро! 25.11.2026: открытых сообщений — 2.",
        "Просрочено: у кураторов — 2 (ответ автору).",
        "",
        "Ждут кураторов:",
        "№ 1 — ответ автору не размещён, срок истёк 24.11.2026 13:00 (просрочено на 4 ч рабочего времени)",
        "№ 2 — ответ автору не размещён, срок истёк 24.11.2026 13:00 (просрочено на 4 ч рабочего времени)",
      ].join("\n"),
    );
  });

  it("Orenburg: an approved answer late to its author through the curators' decision leads its organization's line once the posting (p.12) is late too: only the executor may post it", async () => {
    h = await Harness.start({ now: "2026-11-24T05:00:00Z" }); // Tuesday 10:00: the answer due Wednesday 11:00 (p.8)
    const { health } = seedOffice(h);
    const id = await seedIncidentInWork(h, health);
    h.clock.set("2026-11-25T05:00:00Z"); // Wednesday 10:00: the draft before its deadline
    await seedDraft(h, id);
    h.clock.set("2026-11-25T12:50:00Z"); // Wednesday 17:50: approved, to be posted by Thursday 09:20
    approveDraft(h.db, {
      incidentId: id,
      actor: findPerson(h.db, OFFICE.curator) as Person,
      now: h.clock.now(),
    });
    h.clock.set("2026-11-26T06:00:00Z"); // Thursday 11:00: not posted
    expect(await curatorsDigest(deps())).toBe(1);
    expect(h.lastText(OFFICE.curatorsChat).split("\n").slice(1)).toEqual([
      "Просрочено у органов:",
      "№ 1 · Минздрав — ответ автору не размещён, срок истёк 25.11.2026 11:00 (просрочено на 8 ч рабочего времени); пропущен срок «разместить согласованный ответ»",
    ]);
  });

  it("with no curators' chat bound, each curator gets it privately", async () => {
    h = await Harness.start({ now: "2026-11-24T05:00:00Z" });
    seedOffice(h);
    h.db.delete(boundChats).where(eq(boundChats.chatId, OFFICE.curatorsChat)).run();
    seedRegistered(h);
    expect(await curatorsDigest(deps())).toBe(2);
    for (const curator of [OFFICE.curator, OFFICE.curator2])
      expect(h.lastText(curator)).toMatch(
        /^Доброе утро! 24\.11\.2026: открытых сообщений — 1\.\nЖдут кураторов:\n№ 1 — /,
      );
    expect(await curatorsDigest(deps())).toBe(0);
  });

  it("a digest Telegram could not take for now goes out at the next tick; a chat that refuses is not tried again", async () => {
    h = await Harness.start({ now: "2026-11-24T05:00:00Z" }); // Tuesday 10:00 local
    const { health } = seedOffice(h);
    await seedIncidentInWork(h, health);
    seedRegistered(h, { link: "https://vk.com/wall-1_9" });
    h.clock.set("2026-11-25T04:00:00Z"); // Wednesday 09:00
    const down = { error_code: 502, description: "Bad Gateway" };
    h.fake.failNext("sendMessage", down, { times: 2 });
    expect([await morningDigests(deps()), await curatorsDigest(deps())]).toEqual([0, 0]);
    h.clock.advance(60_000);
    expect([await morningDigests(deps()), await curatorsDigest(deps())]).toEqual([1, 1]);
    expect(h.lastText(OFFICE.healthChat)).toMatch(/^Доброе утро! 25\.11\.2026/);
    expect(h.lastText(OFFICE.curatorsChat)).toMatch(/^Доброе утро! 25\.11\.2026/);
    expect([await morningDigests(deps()), await curatorsDigest(deps())]).toEqual([0, 0]);

    const kicked = { error_code: 403, description: "Forbidden: bot was kicked from the group chat" };
    h.fake.failNext("sendMessage", kicked, { match: (params) => params.chat_id === OFFICE.healthChat });
    h.clock.set("2026-11-26T04:00:00Z"); // Thursday 09:00
    expect(await morningDigests(deps())).toBe(0);
    const tries = () =>
      h.fake.callsOf("sendMessage").filter((c) => c.params.chat_id === OFFICE.healthChat).length;
    const tried = tries();
    h.clock.advance(60_000);
    expect(await morningDigests(deps())).toBe(0);
    expect(tries()).toBe(tried);
  });

  it("nothing waiting and nothing overdue: no digest; none at night", async () => {
    h = await Harness.start({ now: "2026-11-24T05:00:00Z" });
    const { health } = seedOffice(h);
    await seedIncidentInWork(h, health);
    h.clock.set("2026-11-24T05:30:00Z");
    expect(await curatorsDigest(deps())).toBe(0);
    seedRegistered(h, { link: "https://vk.com/wall-1_9" });
    h.clock.set("2026-11-24T18:00:00Z"); // 23:00
    expect(await curatorsDigest(deps())).toBe(0);
  });
});

describe("abandoned drafts", () => {
  it("an executor who left a draft unfinished is reminded once after 30 minutes, in working time", async () => {
    h = await Harness.start({ now: "2026-11-24T05:00:00Z" });
    const { health } = seedOffice(h);
    const id = await seedIncidentInWork(h, health);
    const personId = findPerson(h.db, OFFICE.executor)?.id ?? 0;
    saveDraftWork(h.db, {
      incidentId: id,
      personId,
      purpose: "answer",
      content: { text: "Здравствуйте! Снег", attachments: [] },
      now: h.clock.now(),
    });
    h.clock.advance(20 * 60_000);
    expect(await remindAbandonedDrafts(deps())).toBe(0);
    h.clock.advance(15 * 60_000);
    expect(await remindAbandonedDrafts(deps())).toBe(1);
    expect(await remindAbandonedDrafts(deps())).toBe(0);
    expect(h.lastText(OFFICE.executor)).toMatch(
      /^Вы начали готовить ответ по сообщению № 1 и не закончили\. Черновик сохранён/,
    );
  });

  it("a post that cannot be read (a damaged row) holds back no other unfinished draft's reminder", async () => {
    h = await Harness.start({ now: "2026-11-24T05:00:00Z" });
    const { health } = seedOffice(h);
    const damaged = await seedIncidentInWork(h, health, { link: "https://vk.com/wall-1_1" });
    await seedDraft(h, damaged);
    const other = await seedIncidentInWork(h, health, { link: "https://vk.com/wall-1_2" });
    const personId = findPerson(h.db, OFFICE.executor)?.id ?? 0;
    for (const incidentId of [damaged, other])
      saveDraftWork(h.db, {
        incidentId,
        personId,
        purpose: "answer",
        content: { text: null, attachments: [] },
        now: h.clock.now(),
      });
    h.db.run(sql`update drafts set attachments = '[{' where incident_id = ${damaged}`);
    h.clock.advance(35 * 60_000);
    expect(await remindAbandonedDrafts({ ...deps(), log: pino({ level: "silent" }) })).toBe(1);
    expect(h.lastText(OFFICE.executor)).toMatch(/^Вы начали готовить ответ по сообщению № 2 и не закончили/);
  });

  it("a reminder Telegram could not take for now is sent at the next tick", async () => {
    h = await Harness.start({ now: "2026-11-24T05:00:00Z" });
    const { health } = seedOffice(h);
    const id = await seedIncidentInWork(h, health);
    const personId = findPerson(h.db, OFFICE.executor)?.id ?? 0;
    saveDraftWork(h.db, {
      incidentId: id,
      personId,
      purpose: "answer",
      content: { text: null, attachments: [] },
      now: h.clock.now(),
    });
    h.clock.advance(35 * 60_000);
    h.fake.failNext("sendMessage", { error_code: 500, description: "Internal Server Error" });
    expect(await remindAbandonedDrafts(deps())).toBe(0);
    h.clock.advance(60_000);
    expect(await remindAbandonedDrafts(deps())).toBe(1);
    expect(await remindAbandonedDrafts(deps())).toBe(0);
    expect(h.lastText(OFFICE.executor)).toMatch(/^Вы начали готовить ответ по сообщению № 1 и не закончили/);
  });
});

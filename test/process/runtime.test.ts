import { mkdtempSync } from "node:fs";
import type { Server } from "node:http";
import { type AddressInfo, connect } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { eq } from "drizzle-orm";
import type { InlineKeyboardMarkup } from "grammy/types";
import { pino } from "pino";
import { afterEach, describe, expect, it, vi } from "vitest";
import { publishAnswer, submitDraft } from "../../src/app/answers.js";
import { receiveUpdate } from "../../src/app/inbox.js";
import { acceptIncident, loadIncident, routeIncident, sendPart } from "../../src/app/incidents.js";
import { claimNotice } from "../../src/app/notices.js";
import { findPerson } from "../../src/app/people.js";
import { backupDatabase } from "../../src/backup.js";
import { tr } from "../../src/bot/texts-reports.js";
import { ManualClock } from "../../src/clock.js";
import { loadConfig } from "../../src/config.js";
import { applyMigrations, openDatabase } from "../../src/db/client.js";
import {
  auditEvents,
  calendarYears,
  cards as cardsTable,
  inbox as inboxTable,
  incidents as incidentsTable,
} from "../../src/db/schema.js";
import type { Person } from "../../src/domain/access.js";
import { buildMonthlyReport } from "../../src/reports/figures.js";
import { renderHere } from "../../src/reports/render.js";
import { restoreDatabase } from "../../src/restore.js";
import { type Running, startBot } from "../../src/runtime.js";
import { Harness } from "../support/bot-harness.js";
import { FakeBotApi } from "../support/fake-bot-api.js";
import { privateChat, tgUser, updates } from "../support/updates.js";
import {
  OFFICE,
  routeTo,
  seedDraft,
  seedIncidentInWork,
  seedOffice,
  seedRegistered,
  showCards,
} from "../support/workflow.js";

const silent = pino({ level: "silent" });
let fake: FakeBotApi;
let running: Running | undefined;

afterEach(async () => {
  await running?.stop();
  running = undefined;
  await fake?.close();
});

function config(extra: Record<string, string> = {}) {
  return loadConfig({
    BOT_TOKEN: fake.token,
    BOT_API_ROOT: fake.apiRoot,
    DATABASE_PATH: join(mkdtempSync(join(tmpdir(), "osm-rt-")), "bot.db"),
    ADMIN_IDS: "1001",
    ...extra,
  });
}

describe("webhook mode", () => {
  it("registers the webhook with its secret and accepts only requests that carry it", async () => {
    fake = await FakeBotApi.start({ token: "123:abc" });
    const cfg = config({
      WEBHOOK_URL: "https://bot.example.ru/telegram/hook",
      WEBHOOK_SECRET: "s3cret-s3cret-s3cret",
    });
    // Port 0: the system picks a free one for the test.
    running = await startBot(
      { ...cfg, webhook: cfg.webhook && { ...cfg.webhook, port: 0 } },
      { clock: new ManualClock("2026-11-23T06:00:00Z"), log: silent },
    );
    expect(fake.webhookInfo()).toMatchObject({
      url: "https://bot.example.ru/telegram/hook",
      secret_token: "s3cret-s3cret-s3cret",
    });
    const port = (running.httpServer as Server).address() as AddressInfo;
    const stranger = tgUser(2002, "Пётр");
    const update = { update_id: 1, ...updates.text(privateChat(stranger), stranger, "/start") };
    const post = (path: string, secret?: string) =>
      fetch(`http://127.0.0.1:${port.port}${path}`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...(secret ? { "x-telegram-bot-api-secret-token": secret } : {}),
        },
        body: JSON.stringify(update),
      });

    expect((await post("/telegram/hook")).status).toBe(401);
    expect((await post("/telegram/hook", "wrong-wrong-wrong-wrong")).status).toBe(401);
    expect((await post("/other", "s3cret-s3cret-s3cret")).status).toBe(404);
    expect(fake.callsOf("sendMessage").filter((c) => c.params.chat_id === 2002)).toEqual([]);

    expect((await post("/telegram/hook", "s3cret-s3cret-s3cret")).status).toBe(200);
    const answer = await fake.waitForCall("sendMessage", (c) => c.params.chat_id === 2002);
    expect(String(answer.params.text)).toMatch(/ссылку-приглашение/);
  });

  it("a stop waits for the update in flight, then refuses connections; the secret and the token are never logged", async () => {
    const token = "123456789:webhook-TOKEN-0123456789";
    const secret = "hook-s3cret-0123456789";
    // The reply to /start is answered half a second late: the update is still being handled at the stop.
    fake = await FakeBotApi.start({ token, answerDelayMs: { sendMessage: 500 } });
    const cfg = config({ WEBHOOK_URL: "https://bot.example.ru/telegram/hook", WEBHOOK_SECRET: secret });
    const lines: string[] = [];
    const log = pino({ level: "trace" }, { write: (line: string) => void lines.push(line) });
    running = await startBot(
      { ...cfg, webhook: cfg.webhook && { ...cfg.webhook, port: 0 } },
      { clock: new ManualClock("2026-11-23T06:00:00Z"), log },
    );
    const { port } = (running.httpServer as Server).address() as AddressInfo;
    const stranger = tgUser(2002, "Пётр");
    const update = { update_id: 7, ...updates.text(privateChat(stranger), stranger, "/start") };
    const post = (given: string) =>
      fetch(`http://127.0.0.1:${port}/telegram/hook`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": given },
        body: JSON.stringify(update),
      });
    const inbox = () => {
      const database = openDatabase(cfg.databasePath);
      const rows = database.db.select().from(inboxTable).all();
      database.close();
      return rows.map((row) => ({ updateId: row.updateId, done: row.doneAt !== null }));
    };

    expect((await post("wrong-s3cret-0123456789")).status).toBe(401);
    const inFlight = post(secret);
    const reply = await fake.waitForCall("sendMessage", (c) => c.params.chat_id === 2002);
    expect(inbox()).toEqual([{ updateId: 7, done: false }]);
    await running.stop();
    running = undefined;

    expect((await inFlight).status).toBe(200);
    expect(String(reply.params.text)).toMatch(/ссылку-приглашение/);
    expect(inbox()).toEqual([{ updateId: 7, done: true }]);
    const refused = await new Promise<string | undefined>((resolve) => {
      const socket = connect(port, "127.0.0.1", () => {
        socket.destroy();
        resolve(undefined);
      });
      socket.once("error", (error: NodeJS.ErrnoException) => resolve(error.code));
    });
    expect(refused).toBe("ECONNREFUSED");

    const logged = lines.join("");
    expect(logged).toMatch(/"msg":"webhook mode"/);
    expect(logged).toMatch(/"msg":"stopped"/);
    expect(logged).not.toContain(secret);
    expect(logged).not.toContain(token);
    expect(logged).not.toContain("webhook-TOKEN");
  });
});

describe("long polling", () => {
  it("a stop waits for the update in flight: its reply goes out and it is marked handled", async () => {
    // The reply to /start is answered half a second late: the update is still being handled at the stop.
    fake = await FakeBotApi.start({ token: "123:abc", answerDelayMs: { sendMessage: 500 } });
    const cfg = config();
    running = await startBot(cfg, { clock: new ManualClock("2026-11-23T06:00:00Z"), log: silent });
    await fake.waitForPolling();
    const stranger = tgUser(2002, "Пётр");
    fake.pushUpdate(updates.text(privateChat(stranger), stranger, "/start"));
    await fake.waitForCall("sendMessage", (c) => c.params.chat_id === 2002);
    await running.stop();
    running = undefined;

    const database = openDatabase(cfg.databasePath);
    const rows = database.db.select().from(inboxTable).all();
    database.close();
    expect(rows.map((row) => row.doneAt !== null)).toEqual([true]);
  });
});

describe("intake for monitoring software", () => {
  it("in long polling too, POST /intake on PORT registers a post; the token never reaches the log", async () => {
    fake = await FakeBotApi.start({ token: "123:abc" });
    const cfg = config({ INTAKE_TOKEN: "monitoring-token-0123456789" });
    const lines: string[] = [];
    const log = pino({ level: "info" }, { write: (line: string) => void lines.push(line) });
    running = await startBot(
      { ...cfg, intake: cfg.intake && { ...cfg.intake, port: 0 } },
      { clock: new ManualClock("2026-11-24T05:00:00Z"), log },
    );
    const port = ((running.httpServer as Server).address() as AddressInfo).port;
    const send = (token: string) =>
      fetch(`http://127.0.0.1:${port}/intake`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({ link: "https://ok.ru/group/1/topic/2" }),
      });
    expect((await send("wrong-token-0123456789")).status).toBe(401);
    const sent = await send("monitoring-token-0123456789");
    expect([sent.status, await sent.json()]).toEqual([201, { ok: true, id: 1, duplicate: false }]);
    expect((await fetch(`http://127.0.0.1:${port}/other`, { method: "POST" })).status).toBe(404);
    // A malformed request target is no route, not a crash.
    const raw = await new Promise<string>((resolve) => {
      const socket = connect(port, "127.0.0.1", () => socket.end("GET // HTTP/1.1\r\nHost: x\r\n\r\n"));
      socket.once("data", (data) => resolve(data.toString()));
    });
    expect(raw).toMatch(/^HTTP\/1\.1 404/);
    // The absolute form a forward proxy sends reaches the same route.
    const viaProxy = await new Promise<string>((resolve) => {
      const body = JSON.stringify({ link: "https://ok.ru/group/1/topic/2" });
      // Written, not ended: Node's server drops the answer to a client that half-closes before it,
      // and the answer waits for the disk (a resent post is answered «duplicate»).
      const socket = connect(port, "127.0.0.1", () =>
        socket.write(
          `POST http://bot.example/intake HTTP/1.1\r\nHost: bot.example\r\n` +
            "Authorization: Bearer monitoring-token-0123456789\r\nContent-Type: application/json\r\n" +
            `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
        ),
      );
      socket.once("data", (data) => resolve(data.toString()));
    });
    expect(viaProxy).toMatch(/^HTTP\/1\.1 200/);
    expect((await send("monitoring-token-0123456789")).status).toBe(200);
    expect(lines.join("")).not.toContain("monitoring-token-0123456789");
  });
});

describe("long polling ended by Telegram", () => {
  it("another process polling with the token (409): the bot stops cleanly and says why", async () => {
    fake = await FakeBotApi.start({ token: "123:abc" });
    const cfg = config();
    const lines: string[] = [];
    const log = pino({ level: "info" }, { write: (line: string) => void lines.push(line) });
    const conflict = {
      error_code: 409,
      description:
        "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
    };
    fake.failNext("getUpdates", conflict, { times: 1 });
    running = await startBot(cfg, { clock: new ManualClock("2026-11-24T05:00:00Z"), log });
    const error = await Promise.race([
      running.failed,
      new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 5000)),
    ]);
    running = undefined;
    expect(error?.message).toMatch(/Conflict/);
    expect(lines.some((line) => /long polling ended/.test(line))).toBe(true);
    expect(lines.some((line) => /"msg":"stopped"/.test(line))).toBe(true);
  });

  it("the token revoked (401): the bot stops and says once that BOT_TOKEN was revoked", async () => {
    fake = await FakeBotApi.start({ token: "123:abc" });
    const lines: string[] = [];
    const log = pino({ level: "info" }, { write: (line: string) => void lines.push(line) });
    running = await startBot(config(), { clock: new ManualClock("2026-11-24T05:00:00Z"), log });
    await fake.waitForPolling();
    fake.revokeToken();
    const error = await running.failed;
    running = undefined;
    expect(error.message).toMatch(/401 Unauthorized/);
    const said = lines.filter((line) =>
      line.includes("BOT_TOKEN was revoked or is wrong (401 Unauthorized): stopping"),
    );
    expect(said).toHaveLength(1);
    expect(lines.some((line) => /long polling ended/.test(line))).toBe(false);
    expect(lines.some((line) => /"msg":"stopped"/.test(line))).toBe(true);
  });

  it("while an update is being handled: it is finished before the stop, so the next start does not reply again", async () => {
    // The reply to /start is answered half a second late: Telegram ends polling (409) meanwhile.
    fake = await FakeBotApi.start({ token: "123:abc", answerDelayMs: { sendMessage: 500 } });
    const cfg = config();
    running = await startBot(cfg, { clock: new ManualClock("2026-11-24T05:00:00Z"), log: silent });
    await fake.waitForPolling();
    fake.failNext("getUpdates", {
      error_code: 409,
      description:
        "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
    });
    const stranger = tgUser(2002, "Пётр");
    fake.pushUpdate(updates.text(privateChat(stranger), stranger, "/start"));
    await running.failed;
    running = undefined;

    const database = openDatabase(cfg.databasePath);
    const rows = database.db.select().from(inboxTable).all();
    database.close();
    // The other process stopped; this one is started again and has nothing left to handle.
    running = await startBot(cfg, { clock: new ManualClock("2026-11-24T05:01:00Z"), log: silent });
    await running.stop();
    running = undefined;
    expect(fake.callsOf("sendMessage").filter((c) => c.params.chat_id === 2002)).toHaveLength(1);
    expect(rows.map((row) => row.doneAt !== null)).toEqual([true]);
  });
});

describe("start-up self-check", () => {
  it("tells admins in Russian that next year's calendar is a draft, and that TIMEZONE is not the preset's zone", async () => {
    fake = await FakeBotApi.start({ token: "123:abc" });
    const cfg = config({ TIMEZONE: "Europe/Moscow" });
    running = await startBot(cfg, { clock: new ManualClock("2026-11-24T05:01:00Z"), log: silent });
    const told = (pattern: RegExp) =>
      fake.waitForCall(
        "sendMessage",
        (c) => c.params.chat_id === 1001 && pattern.test(String(c.params.text)),
        {
          timeoutMs: 15_000,
        },
      );
    const draft = await told(/2027/);
    const timezone = await told(/TIMEZONE/);
    expect(draft.params.text).toBe(
      "Производственный календарь на 2027 год — проект (проект Минтруда России о переносе выходных дней " +
        "в 2027 году; постановление Правительства ещё не принято). Когда выйдет постановление, загрузите " +
        "окончательный: /calendar.",
    );
    expect(timezone.params.text).toBe(
      "Проверка настроек при запуске: часовой пояс бота (TIMEZONE) — Europe/Moscow, а регламент рассчитан " +
        "на Asia/Yekaterinburg. Сроки считаются по Europe/Moscow. Если это ошибка, исправьте TIMEZONE " +
        "в настройках бота (файл .env) и перезапустите его.",
    );
  });

  it("tells admins once, not at every start, that next year's calendar is missing", async () => {
    fake = await FakeBotApi.start({ token: "123:abc" });
    const cfg = config();
    const clock = new ManualClock("2027-03-01T06:00:00Z");
    const told = () =>
      fake
        .callsOf("sendMessage")
        .filter((c) => c.params.chat_id === 1001 && /нет 2028 года/.test(String(c.params.text)));

    // Telegram is slow to answer: the stop comes while the notice is on its way and waits for it.
    fake.delayNext("sendMessage", 300);
    running = await startBot(cfg, { clock, log: silent });
    // Behind the 2027 notice in the throttler's queue for that chat: a second or more on a busy machine.
    await fake.waitForCall(
      "sendMessage",
      (c) => c.params.chat_id === 1001 && /нет 2028 года/.test(String(c.params.text)),
      { timeoutMs: 15_000 },
    );
    await running.stop();
    running = await startBot(cfg, { clock, log: silent });
    await running.stop();
    running = undefined;
    expect(told()).toHaveLength(1);
    expect(String(told()[0]?.params.text)).toMatch(
      /^В производственном календаре нет 2028 года: сроки в нём считаются без праздников/,
    );
  });
});

describe("an admins' notice a stop cut short", () => {
  it("is told at a start after its 5-minute lease, once; not while it may still be on its way", async () => {
    fake = await FakeBotApi.start({ token: "123:abc" });
    const cfg = config();
    const told = () =>
      fake
        .callsOf("sendMessage")
        .filter((c) => c.params.chat_id === 1001 && /нет 2028 года/.test(String(c.params.text)));
    // The process before leased the notice at 09:00 and stopped before its send ended.
    const database = openDatabase(cfg.databasePath);
    applyMigrations(database.db);
    claimNotice(database.db, "calendar-missing:2028:sending", new Date("2027-03-01T06:00:00Z"));
    database.close();
    const startAt = async (at: string) => {
      running = await startBot(cfg, { clock: new ManualClock(at), log: silent });
      await running.stop();
      running = undefined;
    };
    await startAt("2027-03-01T06:02:00Z");
    expect(told()).toHaveLength(0);
    await startAt("2027-03-01T06:06:00Z");
    await startAt("2027-03-01T06:12:00Z");
    expect(told()).toHaveLength(1);
  });
});

describe("start without an admin", () => {
  it("warns in the log that nobody can administer the bot until ADMIN_IDS is set", async () => {
    fake = await FakeBotApi.start({ token: "123:abc" });
    const lines: string[] = [];
    const log = pino({ level: "info" }, { write: (line: string) => void lines.push(line) });
    const noAdmin = /no admin: nobody can invite people or bind chats; set ADMIN_IDS/;
    running = await startBot(config({ ADMIN_IDS: "" }), {
      clock: new ManualClock("2026-11-24T05:00:00Z"),
      log,
    });
    expect(lines.some((line) => noAdmin.test(line))).toBe(true);
    await running.stop();
    lines.length = 0;
    running = await startBot(config(), { clock: new ManualClock("2026-11-24T05:00:00Z"), log });
    expect(lines.some((line) => noAdmin.test(line))).toBe(false);
  });
});

describe("updates a crash interrupted", () => {
  it("are handled at start, and an update Telegram delivers again after that is handled once", async () => {
    fake = await FakeBotApi.start({ token: "123:abc" });
    const cfg = config();
    const stranger = tgUser(2002, "Пётр");
    const update = { update_id: 500, ...updates.text(privateChat(stranger), stranger, "/start") };
    const database = openDatabase(cfg.databasePath);
    applyMigrations(database.db);
    receiveUpdate(database.db, update, new Date());
    database.close();

    running = await startBot(cfg, { clock: new ManualClock("2026-11-23T06:00:00Z"), log: silent });
    expect(fake.callsOf("sendMessage").filter((c) => c.params.chat_id === 2002)).toHaveLength(1);
    fake.pushUpdate(update);
    // Handled (or skipped) once the bot confirms it by asking for the updates after it.
    for (let i = 0; i < 200 && fake.pendingUpdates() > 0; i++) await new Promise((r) => setTimeout(r, 25));
    expect(fake.pendingUpdates()).toBe(0);
    await new Promise((r) => setTimeout(r, 300)); // time for a second answer, if one were coming
    expect(fake.callsOf("sendMessage").filter((c) => c.params.chat_id === 2002)).toHaveLength(1);
  });
});

describe("a change of regulation", () => {
  /**
   * Under Georgievsk at 10:00 (Moscow), № 1 routed to the health ministry (the lead) and the
   * education ministry, whose part waits for the curators; `withDraft`: the lead's answer draft,
   * sent before the part, waits for their decision.
   */
  async function partLeftWithCurators(withDraft = false) {
    const databasePath = join(mkdtempSync(join(tmpdir(), "osm-rt-")), "bot.db");
    const before = await Harness.start({
      now: "2026-11-24T07:00:00Z",
      regulation: "georgievsk",
      databasePath,
    });
    const { health } = seedOffice(before);
    const education = before.seedOrganization("Министерство образования", "Минобр");
    before.seedPerson(3002, "Мария", [], [education]);
    const id = seedRegistered(before);
    const now = before.clock.now();
    const as = (telegramId: number) => findPerson(before.db, telegramId) as Person;
    routeIncident(before.db, {
      incidentId: id,
      leadId: health,
      coexecutorIds: [education],
      actor: as(2001),
      now,
    });
    acceptIncident(before.db, { incidentId: id, actor: as(3002), now });
    if (withDraft) {
      const ivan = as(OFFICE.executor);
      acceptIncident(before.db, { incidentId: id, actor: ivan, now });
      const content = { text: "Здравствуйте! Двор уберут до пятницы.", attachments: [] };
      submitDraft(before.db, { incidentId: id, actor: ivan, now, content });
    }
    const rules = { curatorMayPublish: true, curatorPassesParts: true };
    sendPart(before.db, { incidentId: id, actor: as(3002), now, text: "Уберут до пятницы.", rules });
    await before.close();
    return { databasePath, id, education };
  }

  const part = "Информация соисполнителя по сообщению № 1 — Министерство образования:\n\nУберут до пятницы.";

  it("from Georgievsk to Orenburg: a part left waiting for the curators goes to the lead at start, once", async () => {
    const { databasePath, id, education } = await partLeftWithCurators();
    fake = await FakeBotApi.start({ token: "123:abc" });
    const cfg = { ...config({ REGULATION: "orenburg" }), databasePath };
    const clock = new ManualClock("2026-11-24T07:05:00Z");
    const toLead = () =>
      fake
        .callsOf("sendMessage")
        .filter(
          (c) =>
            c.params.chat_id === OFFICE.healthChat && /^Информация соисполнителя/.test(String(c.params.text)),
        );
    running = await startBot(cfg, { clock, log: silent });
    expect(toLead().map((c) => c.params.text)).toEqual([part]);
    await running.stop();
    running = await startBot(cfg, { clock, log: silent });
    await running.stop();
    running = undefined;
    expect(toLead()).toHaveLength(1);

    const database = openDatabase(databasePath);
    const incident = loadIncident(database.db, id);
    const events = database.db.select().from(auditEvents).where(eq(auditEvents.action, "passOnPart")).all();
    database.close();
    expect(incident?.assignments.find((a) => a.organizationId === education)?.state).toBe("part_passed");
    expect(events).toMatchObject([
      { actorId: null, details: { organizationId: education, reason: "regulation" } },
    ]);
  });

  it("from Georgievsk to Orenburg: with the lead's answer draft on approval, the lead and the curators hear the draft lacks the part", async () => {
    const { databasePath } = await partLeftWithCurators(true);
    fake = await FakeBotApi.start({ token: "123:abc" });
    const cfg = { ...config({ REGULATION: "orenburg" }), databasePath };
    running = await startBot(cfg, { clock: new ManualClock("2026-11-24T07:05:00Z"), log: silent });
    const textsTo = (chatId: number) =>
      fake
        .callsOf("sendMessage")
        .filter((c) => c.params.chat_id === chatId)
        .map((c) => c.params.text);
    // The Orenburg preset's clock is Yekaterinburg's: the draft went at 12:00 there.
    const toLead =
      `${part}\n\n⚠️ Эта информация пришла, когда ваш проект ответа уже был на согласовании (отправлен 24.11.2026 12:00): ` +
      "в нём её нет. Куратор об этом знает: если информацию нужно учесть, попросите его вернуть проект на доработку.";
    expect(textsTo(OFFICE.healthChat)).toContain(toLead);
    expect(textsTo(OFFICE.executor)).toContain(
      `${toLead}\n\nВаш срок: разместить ответ до 25.11.2026 13:00 (п. 8 регламента).`,
    );
    expect(textsTo(OFFICE.curatorsChat)).toContain(
      "Информация по сообщению № 1 (Министерство образования) согласована куратором и передана основному исполнителю: " +
        "Министерство здравоохранения.\n\n⚠️ Проект ответа, ждущий вашего решения, основной исполнитель " +
        "(Министерство здравоохранения) отправил 24.11.2026 12:00 — до этой информации: в нём её нет. " +
        "Если информацию нужно учесть, верните проект кнопкой «На доработку».",
    );
  });
});

describe("a change of working hours", () => {
  it("plans the reminders anew at the first start under the new hours, and only then", async () => {
    const databasePath = join(mkdtempSync(join(tmpdir(), "osm-rt-")), "bot.db");
    // Monday 08:30 in Georgievsk: on 09:00–18:00 the post must be routed by 10:00 (p.9, one working hour).
    const before = await Harness.start({
      now: "2026-11-23T05:30:00Z",
      regulation: "georgievsk",
      databasePath,
    });
    seedOffice(before);
    seedRegistered(before);
    await before.close();

    fake = await FakeBotApi.start({ token: "123:abc" });
    const start = async (at: string, extra: Record<string, string> = {}) => {
      const cfg = { ...config({ REGULATION: "georgievsk", ...extra }), databasePath };
      running = await startBot(cfg, { clock: new ManualClock(at), log: silent });
      await running.stop();
      running = undefined;
    };
    const plannedAt = () => {
      const database = openDatabase(databasePath);
      const row = database.db.select().from(incidentsTable).get();
      database.close();
      return row?.nextActionAt?.toISOString();
    };
    await start("2026-11-23T05:31:00Z");
    expect(plannedAt()).toBe("2026-11-23T06:30:00.000Z"); // half the hour gone at 09:30
    await start("2026-11-23T05:32:00Z");
    expect(plannedAt()).toBe("2026-11-23T06:30:00.000Z");

    // The office now works 08:00–17:00: the hour ends at 09:30, and half of it is gone at 09:00.
    await start("2026-11-23T06:00:00Z", { WORK_HOURS: "08:00-17:00" });
    expect(
      fake
        .callsOf("sendMessage")
        .filter((c) => c.params.chat_id === OFFICE.curatorsChat && /^⏰/.test(String(c.params.text)))
        .map((c) => c.params.text),
    ).toEqual([
      "⏰ Сообщение № 1: направить исполнителю до 23.11.2026 09:30 (п. 9 регламента) — осталось 30 мин рабочего времени.",
    ]);
    const database = openDatabase(databasePath);
    const changes = database.db.select().from(auditEvents).where(eq(auditEvents.entity, "settings")).all();
    database.close();
    expect(
      changes.map((e) => [e.details?.schedule, (e.details?.before as { schedule?: unknown })?.schedule]),
    ).toEqual([
      [{ workDays: [1, 2, 3, 4, 5], start: 540, end: 1080, lunch: { start: 780, end: 840 } }, undefined],
      [
        { workDays: [1, 2, 3, 4, 5], start: 480, end: 1020, lunch: { start: 780, end: 840 } },
        { workDays: [1, 2, 3, 4, 5], start: 540, end: 1080, lunch: { start: 780, end: 840 } },
      ],
    ]);
  });
});

describe("settings changed at a start", () => {
  it("the open posts' cards show the deadlines moved, nobody touching the posts; a card that reads the same is left as it is", async () => {
    const databasePath = join(mkdtempSync(join(tmpdir(), "osm-rt-")), "bot.db");
    // Monday 23.11.2026 10:00 in Yekaterinburg: the post is taken into work.
    const before = await Harness.start({ now: "2026-11-23T05:00:00Z", databasePath });
    const { health } = seedOffice(before);
    const id = await seedIncidentInWork(before, health);
    // This Bot API has none of the harness's messages: the first start sends the cards anew.
    before.db.delete(cardsTable).run();
    await before.close();

    // An edit's answer comes late: a stop right after a card's edit reached Telegram still records
    // the card as shown, or the next start would edit it again to the same text.
    fake = await FakeBotApi.start({ token: "123:abc", answerDelayMs: { editMessageText: 300 } });
    const lines: string[] = [];
    const log = pino({ level: "info" }, { write: (line: string) => void lines.push(line) });
    const start = async (at: string, extra: Record<string, string> = {}) => {
      const cfg = { ...config(extra), databasePath };
      running = await startBot(cfg, { clock: new ManualClock(at), log });
    };
    const stop = async () => {
      await running?.stop();
      running = undefined;
    };
    const card = () =>
      fake
        .messages(OFFICE.healthChat)
        .map((m) => m.text ?? "")
        .filter((text) => text.startsWith(`Сообщение № ${id}`));
    const answerBy = (at: string) => (c: { params: Record<string, unknown> }) =>
      c.params.chat_id === OFFICE.healthChat && String(c.params.text).includes(`Ответ разместить до: ${at}`);

    // The first start records the settings in force (the cards go out to this Bot API, which lacks them).
    await start("2026-11-23T05:10:00Z");
    await fake.waitForCall("sendMessage", answerBy("24.11.2026 11:00"));
    await stop();

    // The office now works until 17:00: 6 h on Monday, 3 h on Tuesday from 09:00.
    await start("2026-11-23T05:20:00Z", { WORK_HOURS: "09:00-17:00" });
    await fake.waitForCall("editMessageText", answerBy("24.11.2026 12:00"));
    expect(card()).toHaveLength(1);
    expect(card()[0]).toContain("Ответ разместить до: 24.11.2026 12:00");
    await stop();

    // A year far ahead loaded meanwhile: the settings changed, the card reads the same.
    const database = openDatabase(databasePath);
    const year2030 = {
      status: "official",
      source: "test",
      holidays: ["2030-01-01"],
      workingWeekends: [],
      shortDays: [],
    };
    database.db
      .insert(calendarYears)
      .values({ year: 2030, data: year2030, loadedBy: null, loadedAt: new Date() })
      .run();
    database.close();
    const since = fake.calls.length;
    const refreshes = () => lines.filter((line) => line.includes("open posts' cards refreshed")).length;
    const refreshed = refreshes();
    await start("2026-11-23T05:20:00Z", { WORK_HOURS: "09:00-17:00" });
    await vi.waitFor(() => expect(refreshes()).toBe(refreshed + 1));
    await stop();
    expect(card()).toHaveLength(1);
    expect(fake.calls.slice(since).filter(answerBy("24.11.2026 12:00"))).toEqual([]);
    const problems = lines.map((line) => JSON.parse(line)).filter((line) => line.level >= 40);
    expect(problems.filter((line) => /card/i.test(line.msg))).toEqual([]);
  });

  it("a stop in the middle of the cards' refresh: the next start, under the same settings, refreshes the rest", async () => {
    const databasePath = join(mkdtempSync(join(tmpdir(), "osm-rt-")), "bot.db");
    const before = await Harness.start({ now: "2026-11-23T05:00:00Z", databasePath });
    const { health } = seedOffice(before);
    const ids: number[] = [];
    for (const n of [1, 2, 3])
      ids.push(await seedIncidentInWork(before, health, { link: `https://vk.com/wall-1_${n}` }));
    before.db.delete(cardsTable).run();
    await before.close();

    fake = await FakeBotApi.start({ token: "123:abc" });
    let refreshed = () => {};
    const firstRefresh = new Promise<void>((resolve) => {
      refreshed = resolve;
    });
    const log = pino(
      { level: "info" },
      { write: (line: string) => /"msg":"open posts. cards refreshed"/.test(line) && refreshed() },
    );
    const start = async (at: string, extra: Record<string, string> = {}) => {
      const cfg = { ...config(extra), databasePath };
      running = await startBot(cfg, { clock: new ManualClock(at), log });
    };
    const stop = async () => {
      await running?.stop();
      running = undefined;
    };
    // Each post's card in the organization's chat: the answer's deadline it shows.
    const deadlines = (id: number) =>
      fake
        .messages(OFFICE.healthChat)
        .map((m) => m.text ?? "")
        .filter((text) => text.startsWith(`Сообщение № ${id} `))
        .map((text) => /Ответ разместить до: (.+)/.exec(text)?.[1]);

    // The first start records the settings in force and sends the cards to this Bot API, which lacks them.
    await start("2026-11-23T05:10:00Z");
    await firstRefresh;
    await stop();
    expect(ids.map(deadlines)).toEqual(ids.map(() => ["24.11.2026 11:00"]));

    // The office now works until 17:00. Telegram holds the refresh's first edit while the bot is
    // stopped again (a reboot, a supervisor): the posts after the first are not reached.
    fake.delayNext("editMessageText", 3000);
    await start("2026-11-23T05:20:00Z", { WORK_HOURS: "09:00-17:00" });
    await stop();
    expect(deadlines(ids[2] as number)).toEqual(["24.11.2026 11:00"]);

    // The same settings at the next start: the refresh still owed runs again, to the last post.
    const since = fake.mark();
    await start("2026-11-23T05:25:00Z", { WORK_HOURS: "09:00-17:00" });
    await fake.waitForCall(
      "editMessageText",
      (c) =>
        c.params.chat_id === OFFICE.healthChat && String(c.params.text).startsWith(`Сообщение № ${ids[2]} `),
      { since, timeoutMs: 10_000 },
    );
    await stop();
    expect(ids.map(deadlines)).toEqual(ids.map(() => ["24.11.2026 12:00"]));
  }, 30_000);
});

describe("a restore from a backup", () => {
  it("the first start tells the admins and the curators what was lost, once; a press on a lost post's card says it is lost", async () => {
    // 18:40 in Moscow: № 1 registered, then the backup. After it № 1 was routed, № 2 and № 3
    // registered: their cards are out, and all of it is lost with the restore.
    const databasePath = join(mkdtempSync(join(tmpdir(), "osm-rt-")), "bot.db");
    const before = await Harness.start({ now: "2026-12-06T13:40:00Z", databasePath });
    const { health } = seedOffice(before);
    seedRegistered(before);
    const backup = join(dirname(databasePath), "backup.db");
    await backupDatabase(databasePath, backup);
    before.clock.advance(30 * 60_000);
    routeTo(before, 1, health);
    seedRegistered(before, { link: "https://vk.com/wall-1_2" });
    seedRegistered(before, { link: "https://vk.com/wall-1_3" });
    await showCards(before, 2);
    const card = before.fake.lastMessage(OFFICE.curatorsChat);
    const button = (card?.reply_markup as InlineKeyboardMarkup | undefined)?.inline_keyboard.flat()[0];
    await before.close();
    restoreDatabase(backup, databasePath, new Date("2026-12-07T06:00:00Z"));

    fake = await FakeBotApi.start({ token: "123:abc" });
    const cfg = { ...config(), databasePath };
    const clock = new ManualClock("2026-12-07T06:05:00Z");
    const notice =
      "База восстановлена из резервной копии от 06.12.2026 18:40. Сообщения № 2–3, зарегистрированные позже, " +
      "потеряны: зарегистрируйте их заново. Проекты ответов и решения, принятые после 06.12.2026 18:40, тоже " +
      "потеряны — проверьте сообщение № 1. Сделайте потерянные шаги заново: бот о них не знает. Оповещения о " +
      "сроках, истёкших после 06.12.2026 18:40, придут не раньше 07.12.2026 12:05; шаги, сделанные до этого " +
      "времени, в отчёте за месяц нарушениями не считаются.";
    const told = (chatId: number) =>
      fake.callsOf("sendMessage").filter((c) => c.params.chat_id === chatId && c.params.text === notice);
    running = await startBot(cfg, { clock, log: silent });
    await fake.waitForCall(
      "sendMessage",
      (c) => c.params.chat_id === OFFICE.curatorsChat && c.params.text === notice,
      {
        timeoutMs: 15_000,
      },
    );

    await fake.waitForPolling();
    const curator = tgUser(OFFICE.curator, "Ольга");
    if (!card || !button || !("callback_data" in button)) throw new Error("no card of № 2");
    fake.pushUpdate(updates.callback(curator, card, button.callback_data));
    const answer = await fake.waitForCall("answerCallbackQuery");
    expect(answer.params.text).toBe(
      "Сообщение № 2 потеряно при восстановлении базы — зарегистрируйте его заново.",
    );
    await running.stop();
    running = await startBot(cfg, { clock, log: silent });
    await running.stop();
    running = undefined;
    expect(told(1001)).toHaveLength(1);
    expect(told(OFFICE.curatorsChat)).toHaveLength(1);
  }, 30_000);

  it("a deadline that passed in the lost window is alerted an hour of working time after the first start, and the month's report counts it from then", async () => {
    // Monday 07.12, 11:00 in Orenburg: № 1 taken into work, then the backup. The draft was due that
    // day (p.9); the executor sent it, but that is lost with the restore, made on Tuesday morning.
    const databasePath = join(mkdtempSync(join(tmpdir(), "osm-rt-")), "bot.db");
    const before = await Harness.start({ now: "2026-12-07T06:00:00Z", databasePath });
    const { health } = seedOffice(before);
    const id = await seedIncidentInWork(before, health);
    const backup = join(dirname(databasePath), "backup.db");
    await backupDatabase(databasePath, backup);
    await before.close();
    restoreDatabase(backup, databasePath, new Date("2026-12-08T06:00:00Z"));

    fake = await FakeBotApi.start({ token: "123:abc" });
    const cfg = { ...config(), databasePath };
    const clock = new ManualClock("2026-12-08T06:05:00Z");
    const overdue = (c: { params: Record<string, unknown> }) =>
      String(c.params.text).includes("срок «прислать проект ответа куратору» истёк");
    running = await startBot(cfg, { clock, log: silent });
    const notice = await fake.waitForCall(
      "sendMessage",
      (c) =>
        c.params.chat_id === OFFICE.curatorsChat && String(c.params.text).startsWith("База восстановлена"),
      { timeoutMs: 15_000 },
    );
    expect(notice.params.text).toContain(
      "Оповещения о сроках, истёкших после 07.12.2026 11:00, придут не раньше 08.12.2026 12:05; " +
        "шаги, сделанные до этого времени, в отчёте за месяц нарушениями не считаются.",
    );
    await running.stop();
    expect(fake.callsOf("sendMessage").filter(overdue)).toEqual([]);
    // Its card says it may still be done, not «просрочено».
    const card = fake
      .callsOf("sendMessage")
      .find(
        (c) => c.params.chat_id === OFFICE.healthChat && String(c.params.text).startsWith("Сообщение № 1"),
      );
    expect(card?.params.text).toContain(
      "Срок: 07.12.2026 17:00 — прислать проект ответа куратору (п. 9), срок истёк при восстановлении базы — " +
        "сделайте этот шаг до 08.12.2026 12:05",
    );

    // 12:05: the draft has not come again; now it is overdue, to the organization and the curators.
    clock.advance(60 * 60_000);
    running = await startBot(cfg, { clock, log: silent });
    await fake.waitForCall("sendMessage", (c) => c.params.chat_id === OFFICE.curatorsChat && overdue(c), {
      timeoutMs: 15_000,
    });
    await running.stop();
    running = undefined;
    expect(
      fake
        .callsOf("sendMessage")
        .filter(overdue)
        .map((c) => c.params.chat_id),
    ).toEqual(expect.arrayContaining([OFFICE.healthChat, OFFICE.executor, OFFICE.curatorsChat]));

    const after = await Harness.start({ now: "2026-12-08T07:10:00Z", databasePath });
    try {
      const report = buildMonthlyReport(after.db, after.sla, { year: 2026, month: 12 }, after.clock.now());
      // Neither step was done by the grace's end (12:05), as the answer (p.8, due within it) was not:
      // both count, late from then, as the bot alerted them.
      const [title, , ...lines] = tr.violations(report).split("\n");
      expect(title).toBe("Нарушения регламента за декабрь 2026 г. на 08.12.2026 12:10: 2");
      expect(lines).toEqual([
        `№ ${id} · Минздрав · Иван — ответ на сообщение (п. 8): срок 08.12.2026 12:05, пока не выполнено, опоздание 5 мин`,
        `№ ${id} · Минздрав · Иван — прислать проект ответа куратору (п. 9): срок 08.12.2026 12:05, пока не выполнено, опоздание 5 мин`,
      ]);
      expect(tr.summary(report)).toContain("Нарушений регламента: 2\n");
      expect(tr.summary(report)).not.toContain("Не учтено нарушений");
    } finally {
      await after.close();
    }
  }, 45_000);

  it("a step done within the grace is set aside in every figure; a post registered after the first start is alerted at its own deadline", async () => {
    // Monday 07.12, 11:00 in Orenburg: № 1 taken into work, then the backup. The bot is restored and
    // started on Tuesday at 12:10, after the answer's deadline (12:00, p.8) and the draft's.
    const databasePath = join(mkdtempSync(join(tmpdir(), "osm-rt-")), "bot.db");
    const before = await Harness.start({ now: "2026-12-07T06:00:00Z", databasePath });
    const { health } = seedOffice(before);
    const lost = await seedIncidentInWork(before, health);
    const backup = join(dirname(databasePath), "backup.db");
    await backupDatabase(databasePath, backup);
    await before.close();
    restoreDatabase(backup, databasePath, new Date("2026-12-08T07:05:00Z"));

    fake = await FakeBotApi.start({ token: "123:abc" });
    const cfg = { ...config(), databasePath };
    running = await startBot(cfg, { clock: new ManualClock("2026-12-08T07:10:00Z"), log: silent });
    await fake.waitForCall(
      "sendMessage",
      (c) =>
        c.params.chat_id === OFFICE.curatorsChat && String(c.params.text).startsWith("База восстановлена"),
      { timeoutMs: 15_000 },
    );
    await running.stop();
    running = undefined;

    // 12:15: № 2 registered, to be routed by 12:45 (p.6); 12:30: № 1's answer done again and posted.
    const meanwhile = await Harness.start({ now: "2026-12-08T07:15:00Z", databasePath });
    let fresh: number;
    try {
      fresh = seedRegistered(meanwhile, { link: "https://vk.com/wall-1_2" });
      meanwhile.clock.set("2026-12-08T07:30:00Z");
      await seedDraft(meanwhile, lost, { approve: true });
      const executor = findPerson(meanwhile.db, OFFICE.executor) as Person;
      const link = "https://vk.com/wall-1_1?reply=5";
      const rules = { curatorMayPublish: false };
      const now = meanwhile.clock.now();
      publishAnswer(meanwhile.db, { incidentId: lost, actor: executor, now, link, onTime: false, rules });
    } finally {
      await meanwhile.close();
    }

    // 12:46: № 2's routing is overdue now, within the hour after the start: it was never lost.
    const since = fake.mark();
    running = await startBot(cfg, { clock: new ManualClock("2026-12-08T07:46:00Z"), log: silent });
    const alert = await fake.waitForCall(
      "sendMessage",
      (c) =>
        c.params.chat_id === OFFICE.curatorsChat &&
        String(c.params.text).includes("«направить исполнителю» истёк"),
      { since, timeoutMs: 15_000 },
    );
    expect(alert.params.text).toContain(`№ ${fresh}`);
    await running.stop();
    running = undefined;

    const after = await Harness.start({ now: "2026-12-08T07:50:00Z", databasePath });
    try {
      const report = buildMonthlyReport(after.db, after.sla, { year: 2026, month: 12 }, after.clock.now());
      const aside = "срок истёк во время восстановления базы из резервной копии — не учтено";
      const [title, , ...lines] = tr.violations(report).split("\n");
      expect(title).toBe("Нарушения регламента за декабрь 2026 г. на 08.12.2026 12:50: 1 (и не учтено: 2)");
      expect(lines).toEqual([
        expect.stringMatching(
          new RegExp(`^№ ${lost} .*\\(п\\. 9\\): срок 07\\.12\\.2026 17:00, .*; ${aside}$`),
        ),
        expect.stringMatching(
          new RegExp(`^№ ${lost} .*\\(п\\. 8\\): срок 08\\.12\\.2026 12:00, .*; ${aside}$`),
        ),
        `№ ${fresh} · кураторы — направить исполнителю (п. 6): срок 08.12.2026 12:45, пока не выполнено, опоздание 5 мин`,
      ]);
      // The answer posted within the grace is on time in the office's figure too.
      expect(tr.summary(report)).toContain("Ответов размещено: 1, в срок: 1");
      // Минздрав's month is clean: no violations of its own to send it, as for one with none.
      const job = {
        month: { year: 2026, month: 12 },
        summary: false,
        violations: false,
        byOrganization: true,
      };
      const rendered = await renderHere(after.db, after.sla, silent)({ ...job, asOf: after.clock.now() });
      expect(rendered.byOrganization).toEqual([]);
    } finally {
      await after.close();
    }
  }, 45_000);

  it("the reminders due while the bot was down come at the first start in one message to each chat", async () => {
    // Monday 07.12, 11:00 in Orenburg: № 1 and № 2 taken into work, then the backup; the bot is
    // restored and started at 16:45, the drafts' reminders before 17:00 (p.9) due meanwhile: the sweep
    // says only each step's latest one, and a chat's together.
    const databasePath = join(mkdtempSync(join(tmpdir(), "osm-rt-")), "bot.db");
    const before = await Harness.start({ now: "2026-12-07T06:00:00Z", databasePath });
    const { health } = seedOffice(before);
    await seedIncidentInWork(before, health);
    await seedIncidentInWork(before, health, { link: "https://vk.com/wall-1_2" });
    const backup = join(dirname(databasePath), "backup.db");
    await backupDatabase(databasePath, backup);
    await before.close();
    restoreDatabase(backup, databasePath, new Date("2026-12-07T11:40:00Z"));

    fake = await FakeBotApi.start({ token: "123:abc" });
    running = await startBot(
      { ...config(), databasePath },
      { clock: new ManualClock("2026-12-07T11:45:00Z"), log: silent },
    );
    await fake.waitForCall(
      "sendMessage",
      (c) => c.params.chat_id === OFFICE.executor && /^⏰|^Сроки/.test(String(c.params.text)),
      {
        timeoutMs: 15_000,
      },
    );
    await running.stop();
    running = undefined;
    const reminders = fake
      .callsOf("sendMessage")
      .filter((c) => c.params.chat_id === OFFICE.executor && /^⏰|^Сроки/.test(String(c.params.text)))
      .map((c) => String(c.params.text));
    expect(reminders).toEqual([
      "Сроки по сообщениям:\n\n" +
        "• ⏰ Сообщение № 1: прислать проект ответа куратору до 07.12.2026 17:00 (п. 9 регламента) — осталось 15 мин рабочего времени.\n\n" +
        "• ⏰ Сообщение № 2: прислать проект ответа куратору до 07.12.2026 17:00 (п. 9 регламента) — осталось 15 мин рабочего времени.",
    ]);
  }, 30_000);
});

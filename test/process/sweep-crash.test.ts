/**
 * kill -9 in the middle of a deadline sweep, with real processes. The guarantee asserted: every alert
 * an uninterrupted sweep sends is delivered after the restart, each once; the only duplicates are
 * the messages in flight at the kill (Telegram took them, the bot died before recording it), which
 * at-least-once delivery must send again.
 */
import type { ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Api } from "grammy";
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { bindChat } from "../../src/app/chats.js";
import { acceptIncident, registerIncident, routeIncident } from "../../src/app/incidents.js";
import { createOrganization } from "../../src/app/organizations.js";
import { addMembership, findPerson, grantRole, upsertPerson } from "../../src/app/people.js";
import { presetRuntime } from "../../src/app/sla.js";
import { t } from "../../src/bot/texts.js";
import { systemClock } from "../../src/clock.js";
import { applyMigrations, type Db, openDatabase } from "../../src/db/client.js";
import { notifications } from "../../src/db/schema.js";
import { parseSourceLink } from "../../src/domain/source-link.js";
import { sweep } from "../../src/jobs/sweep.js";
import { spawnBot, stopBot } from "../support/bot-process.js";
import { type ApiCall, FakeBotApi } from "../support/fake-bot-api.js";

const TOKEN = "123:abc";
const DAY = 24 * 60 * 60_000;
/** Telegram answers each message this late, so the kill lands while one is in flight. */
const ANSWER_DELAY_MS = 50;
/** A claim younger than 2 minutes may be another process's send in progress: the sweep leaves it. */
const LATER = 3 * 60_000;

const ORGANIZATIONS = 6;
const EXECUTORS_PER_ORGANIZATION = 6;
const CURATOR = 2001;
const HEAD = 5001;
const CURATORS_CHAT = -200;
const organizationChat = (o: number) => -100 - o;
const executor = (o: number, k: number) => 3000 + 100 * o + k;

const fakes: FakeBotApi[] = [];
const children: ChildProcess[] = [];

afterEach(async () => {
  for (const child of children.splice(0)) child.kill("SIGKILL");
  for (const fake of fakes.splice(0)) await fake.close();
});

async function startFake(answerDelayMs?: Record<string, number>): Promise<FakeBotApi> {
  const fake = await FakeBotApi.start({ token: TOKEN, ...(answerDelayMs ? { answerDelayMs } : {}) });
  fakes.push(fake);
  return fake;
}

/** Loaded before the bot: its clock runs `ms` ahead, as if it were started that much later. */
function clockAhead(ms: number): string {
  const source = `const RealDate = Date;
globalThis.Date = class extends RealDate {
  constructor(...args) { if (args.length === 0) super(RealDate.now() + ${ms}); else super(...args); }
  static now() { return RealDate.now() + ${ms}; }
};`;
  return `data:text/javascript,${encodeURIComponent(source)}`;
}

function start(fake: FakeBotApi, databasePath: string, options: { clockAheadMs?: number } = {}) {
  const child = spawnBot(
    { BOT_TOKEN: fake.token, BOT_API_ROOT: fake.apiRoot, DATABASE_PATH: databasePath, LOG_LEVEL: "silent" },
    { preload: options.clockAheadMs ? [clockAhead(options.clockAheadMs)] : [] },
  );
  children.push(child);
  return child;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(done: () => boolean, timeoutMs: number): Promise<void> {
  for (const end = Date.now() + timeoutMs; !done(); await sleep(100))
    if (Date.now() > end) throw new Error(`not reached within ${timeoutMs} ms`);
}

/**
 * Six organizations, each with a work chat and six executors; each executor holds one significant
 * post (significant, so the sweep speaks at whatever hour the test runs) taken into work a month
 * ago: every deadline has long passed, and the sweep at start owes each post its overdue alerts and
 * escalations — to 44 chats, the curators' and the head's digests in several messages each.
 */
function seedOverdueOffices(databasePath: string, at: Date): void {
  const database = openDatabase(databasePath);
  const { db } = database;
  applyMigrations(db);
  db.transaction((tx) => {
    grantRole(tx, upsertPerson(tx, { id: CURATOR, first_name: "Ольга" }, at), "curator", null, at);
    grantRole(tx, upsertPerson(tx, { id: HEAD, first_name: "Глава" }, at), "head", null, at);
  });
  const curator = findPerson(db, CURATOR);
  if (!curator) throw new Error("seed failed");
  bind(db, CURATORS_CHAT, "Кураторы", null, at);
  let post = 0;
  for (let o = 1; o <= ORGANIZATIONS; o++) {
    const created = createOrganization(db, {
      name: `Министерство № ${o}`,
      shortName: null,
      actorId: null,
      now: at,
    });
    if (!created.ok) throw new Error("seed failed");
    const organizationId = created.organization.id;
    bind(db, organizationChat(o), `Министерство № ${o}: обращения`, organizationId, at);
    for (let k = 1; k <= EXECUTORS_PER_ORGANIZATION; k++) {
      db.transaction((tx) => {
        const id = upsertPerson(tx, { id: executor(o, k), first_name: `Исполнитель ${o}.${k}` }, at);
        addMembership(tx, id, organizationId, null, at);
      });
      const holder = findPerson(db, executor(o, k));
      const link = parseSourceLink(`https://vk.com/wall-1_${++post}`);
      if (!holder || !link.ok) throw new Error("seed failed");
      const registered = registerIncident(db, {
        link: link.url,
        linkKey: link.key,
        network: link.network,
        text: "Нет света в подъезде.",
        author: null,
        topic: null,
        place: null,
        importance: "significant",
        postedAt: null,
        repeatOfId: null,
        actorId: curator.id,
        now: at,
      });
      if (!registered.ok) throw new Error("seed failed");
      const incidentId = registered.incident.id;
      const routed = routeIncident(db, {
        incidentId,
        leadId: organizationId,
        coexecutorIds: [],
        actor: curator,
        now: at,
      });
      const accepted = acceptIncident(db, { incidentId, actor: holder, now: at });
      if (!routed.ok || !accepted.ok) throw new Error("seed failed");
    }
  }
  database.close();
}

function bind(db: Db, chatId: number, title: string, organizationId: number | null, now: Date): void {
  const purpose = organizationId === null ? "curators" : "organization";
  const bound = bindChat(db, { chatId, title, purpose, organizationId, actorId: null, now });
  if (!bound.ok) throw new Error("seed failed");
}

// ---- reading alerts as the chats see them ----

const LINES: [kind: string, pattern: RegExp, what?: string][] = [
  ["reminder", /^⏰ Сообщение № (\d+): (.+?) до \d/],
  ["overdue", /^❗ Сообщение № (\d+): срок «(.+?)» истёк/],
  ["escalation", /^‼️ Нарушение регламента: сообщение № (\d+).*? — «(.+?)» до \d/],
  // A significant post's answer late, told to the heads at once: the answer's step.
  ["escalation", /^‼️ Социально значимое сообщение № (\d+) .*ответ автору не размещён/, t.step.answer],
];

/** A deadline alert Telegram accepted. */
const isAlert = (call: ApiCall) =>
  call.method === "sendMessage" &&
  call.response.ok &&
  /^(⏰|❗|‼️|Сроки по сообщениям:)/.test(String(call.params.text));

/** What a message alerts, one key per line: «chat kind № incident «step»». */
function alertKeys(call: ApiCall): string[] {
  const lines = String(call.params.text)
    .split("\n\n")
    .filter((line) => line !== t.alert.digestTitle);
  return lines.map((line) => {
    const text = line.replace(/^• /, "");
    for (const [kind, pattern, what] of LINES) {
      const match = pattern.exec(text);
      if (match) return key(Number(call.params.chat_id), kind, Number(match[1]), what ?? String(match[2]));
    }
    throw new Error(`not an alert line: ${text}`);
  });
}

const key = (chatId: number, kind: string, incidentId: number, what: string) =>
  `${chatId} ${kind} № ${incidentId} «${what}»`;

function ledger(databasePath: string) {
  const database = openDatabase(databasePath);
  const rows = database.db.select().from(notifications).all();
  database.close();
  return rows.map((row) => ({
    key: key(row.chatId, row.kind, row.incidentId, t.step[row.step as keyof typeof t.step]),
    sent: row.sentAt !== null,
    failure: row.failure,
  }));
}

function count(keys: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
  return counts;
}

/** The same office swept once in this process with nothing interrupting it: what must be delivered. */
async function uninterruptedSweep(at: Date): Promise<ApiCall[]> {
  const databasePath = join(mkdtempSync(join(tmpdir(), "osm-sweep-ref-")), "bot.db");
  seedOverdueOffices(databasePath, at);
  const fake = await startFake();
  const database = openDatabase(databasePath);
  await sweep({
    db: database.db,
    api: new Api(fake.token, { apiRoot: fake.apiRoot }),
    sla: presetRuntime(database.db, "orenburg"),
    clock: systemClock,
    log: pino({ level: "silent" }),
    config: { adminIds: [] },
  });
  database.close();
  expect(fake.callsOf("sendMessage").filter((call) => !call.response.ok)).toEqual([]);
  return fake.calls.filter(isAlert);
}

describe("kill -9 in the middle of a deadline sweep", () => {
  it("after the restart every alert is delivered, each once but the one in flight at the kill", async ({
    annotate,
  }) => {
    const at = new Date(Date.now() - 30 * DAY);
    const reference = await uninterruptedSweep(at);
    const expected = count(reference.flatMap(alertKeys));
    const chats = new Set(reference.map((call) => call.params.chat_id));
    expect(chats.size).toBe(2 + ORGANIZATIONS * (1 + EXECUTORS_PER_ORGANIZATION));

    const databasePath = join(mkdtempSync(join(tmpdir(), "osm-sweep-crash-db-")), "bot.db");
    seedOverdueOffices(databasePath, at);
    const fake = await startFake({ sendMessage: ANSWER_DELAY_MS });
    const alerts = (since = 0) => fake.calls.slice(since).filter(isAlert);

    // 1. The sweep at start claims every alert, then sends the messages one by one: killed at a third.
    const killAt = Math.floor(reference.length / 3);
    const first = start(fake, databasePath);
    await fake.waitForCall("sendMessage", () => alerts().length >= killAt, { timeoutMs: 60_000 });
    await stopBot(first, "SIGKILL");
    const beforeRestart = alerts();
    const sentBefore = new Map(ledger(databasePath).map((row) => [row.key, row.sent]));
    const inFlight = beforeRestart.filter((call) => alertKeys(call).every((k) => !sentBefore.get(k)));
    expect(beforeRestart.length).toBeLessThan(reference.length);
    // The sweep sends one message at a time, and the kill came while Telegram was answering one.
    expect(inFlight).toHaveLength(1);

    // 2. Started again at once: the claims are seconds old, as another live process's would be.
    const restart = fake.mark();
    const second = start(fake, databasePath);
    await fake.waitForCall("deleteWebhook", undefined, { since: restart, timeoutMs: 60_000 });
    await fake.waitForPolling(15_000);
    await sleep(500);
    expect(alerts(restart)).toEqual([]);
    await stopBot(second, "SIGTERM");

    // 3. Started three minutes on (its clock set ahead rather than the test sleeping): the claims the
    // dead process left are stale now, and the first sweep sends them.
    const later = fake.mark();
    const third = start(fake, databasePath, { clockAheadMs: LATER });
    const delivered = () => count(alerts().flatMap(alertKeys));
    const missing = (got = delivered()) => [...expected].filter(([k, n]) => (got.get(k) ?? 0) < n);
    await fake
      .waitForCall("sendMessage", () => missing().length === 0, { since: later, timeoutMs: 60_000 })
      .catch(() => expect(missing()).toEqual([]));
    await until(() => ledger(databasePath).every((row) => row.sent), 30_000);
    await sleep(300);
    await stopBot(third, "SIGKILL");

    const resendable = count(inFlight.flatMap(alertKeys));
    const got = [...delivered()];
    expect(missing()).toEqual([]);
    expect(got.filter(([k]) => !expected.has(k))).toEqual([]);
    expect(got.filter(([k, n]) => n > (expected.get(k) ?? 0) + (resendable.get(k) ?? 0))).toEqual([]);
    const twice = got.filter(([k, n]) => n > (expected.get(k) ?? 0));
    // The head's escalation of each answer, a working day on, is said by the one he had at its deadline.
    const unsaid = (row: { sent: boolean; failure: string | null }) =>
      !row.sent || (row.failure !== null && row.failure !== "said by the escalation");
    expect(ledger(databasePath).filter(unsaid)).toEqual([]);
    await annotate(
      `${reference.length} messages (${reference.flatMap(alertKeys).length} alerts); killed after ` +
        `${beforeRestart.length}; delivered twice: ${twice.length} alert(s) of the message in flight`,
    );
  }, 240_000);
});

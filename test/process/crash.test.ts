/**
 * kill -9 in the middle of what people do, with real processes: the bot runs as `npm start` runs it,
 * against the fake Bot API, and is killed at a point the fake makes certain — it saw the update leave
 * for the bot, or it holds its answer to one of the bot's calls, so the kill lands while the bot
 * waits for it. Then the bot is started again and the people go on.
 */
import type { ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { and, eq, isNull } from "drizzle-orm";
import type { Update } from "grammy/types";
import { afterEach, describe, expect, it } from "vitest";
import { submitDraft } from "../../src/app/answers.js";
import { bindChat } from "../../src/app/chats.js";
import { acceptIncident, registerIncident, routeIncident } from "../../src/app/incidents.js";
import { createOrganization } from "../../src/app/organizations.js";
import { addMembership, findPerson, grantRole, upsertPerson } from "../../src/app/people.js";
import { applyMigrations, openDatabase } from "../../src/db/client.js";
import { auditEvents, drafts, inbox, incidents } from "../../src/db/schema.js";
import { parseSourceLink } from "../../src/domain/source-link.js";
import { spawnBot, stopBot } from "../support/bot-process.js";
import { type ApiCall, FakeBotApi } from "../support/fake-bot-api.js";
import { privateChat, tgUser, updates } from "../support/updates.js";

let fake: FakeBotApi;
const children: ChildProcess[] = [];

afterEach(async () => {
  for (const child of children.splice(0)) child.kill("SIGKILL");
  await fake?.close();
});

/** A slow Telegram on these methods: each call is taken at once, its answer held this long. */
const HOLD_MS = 5000;
/** Generous: a start takes a few seconds on a loaded machine. */
const WAIT = { timeoutMs: 20_000 };

/**
 * Telegram answers the bot's calls of the held methods `HOLD_MS` late, until `release()`. The fake
 * reads `answerDelayMs` at every call, so methods can be held and let go while the bot runs.
 */
function slowTelegram(): {
  answerDelayMs: Record<string, number>;
  hold(...methods: string[]): void;
  release(): void;
} {
  const answerDelayMs: Record<string, number> = {};
  return {
    answerDelayMs,
    hold: (...methods) => {
      for (const method of methods) answerDelayMs[method] = HOLD_MS;
    },
    release: () => {
      for (const method of Object.keys(answerDelayMs)) answerDelayMs[method] = 0;
    },
  };
}

function start(databasePath: string): ChildProcess {
  const child = spawnBot({
    BOT_TOKEN: fake.token,
    BOT_API_ROOT: fake.apiRoot,
    DATABASE_PATH: databasePath,
    LOG_LEVEL: "silent",
  });
  children.push(child);
  return child;
}

/**
 * Starts the bot and waits until this process (not a dead one's held request) is long-polling. The
 * updates a crash interrupted are handled again before the bot polls, so they are done by then.
 */
async function startPolling(databasePath: string): Promise<ChildProcess> {
  const since = fake.mark();
  const child = start(databasePath);
  await fake.waitForCall("deleteWebhook", undefined, { since, ...WAIT });
  await new Promise((resolve) => setTimeout(resolve, 300));
  await fake.waitForPolling(15_000);
  return child;
}

/** Polls (a held getUpdates is recorded only when answered, so there is no call to wait for). */
async function until(done: () => boolean, timeoutMs = WAIT.timeoutMs): Promise<void> {
  for (const end = Date.now() + timeoutMs; !done(); ) {
    if (Date.now() > end) throw new Error(`not reached within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const newDatabase = () => join(mkdtempSync(join(tmpdir(), "osm-crash-db-")), "bot.db");
const textOf = (call: ApiCall) => String(call.params.text ?? "");

/** The bot's next message to the chat whose text matches, from `since` on. */
const said = (chatId: number, text: RegExp, since = 0) =>
  fake.waitForCall("sendMessage", (c) => c.params.chat_id === chatId && text.test(textOf(c)), {
    since,
    ...WAIT,
  });

/** The bot's messages to the chat matching `text`, as the chat shows them. */
const shown = (chatId: number, text: RegExp) =>
  fake.messages(chatId).filter((m) => text.test(m.text ?? m.caption ?? ""));

const CURATOR = tgUser(2001, "Ольга");
const EXECUTOR = tgUser(3001, "Иван");
const CURATORS_CHAT = -200;
const ORGANIZATION_CHAT = -101;
/** What the executor and the organization's chat are told when the draft is approved. */
const NOTICE = /^Ответ по сообщению № 1 согласован\. Разместите/;

function seedCurator(databasePath: string): void {
  const database = openDatabase(databasePath);
  applyMigrations(database.db);
  database.db.transaction((tx) => {
    const id = upsertPerson(tx, { id: CURATOR.id, first_name: CURATOR.first_name }, new Date());
    grantRole(tx, id, "curator", null, new Date());
  });
  database.close();
}

/**
 * An office arranged through the use-cases: a curator and the curators' chat, a ministry with its
 * work chat and one executor, who has taken incident № 1 into work.
 */
function seedInWork(databasePath: string): number {
  seedCurator(databasePath);
  const database = openDatabase(databasePath);
  const { db } = database;
  const now = new Date();
  const curator = findPerson(db, CURATOR.id);
  const org = createOrganization(db, {
    name: "Министерство здравоохранения",
    shortName: null,
    actorId: null,
    now,
  });
  if (!curator || !org.ok) throw new Error("seed failed");
  const organizationId = org.organization.id;
  for (const [chatId, title, purpose, boundTo] of [
    [CURATORS_CHAT, "Кураторы", "curators", null],
    [ORGANIZATION_CHAT, "Минздрав: обращения", "organization", organizationId],
  ] as const) {
    const bound = bindChat(db, { chatId, title, purpose, organizationId: boundTo, actorId: null, now });
    if (!bound.ok) throw new Error("seed failed");
  }
  db.transaction((tx) => {
    const id = upsertPerson(tx, { id: EXECUTOR.id, first_name: EXECUTOR.first_name }, now);
    addMembership(tx, id, organizationId, null, now);
  });
  const executor = findPerson(db, EXECUTOR.id);
  const link = parseSourceLink("https://vk.com/wall-1_1");
  if (!executor || !link.ok) throw new Error("seed failed");
  const registered = registerIncident(db, {
    link: link.url,
    linkKey: link.key,
    network: link.network,
    text: "Нет света.",
    author: null,
    topic: null,
    place: null,
    importance: "normal",
    postedAt: null,
    repeatOfId: null,
    actorId: curator.id,
    now,
  });
  if (!registered.ok) throw new Error("seed failed");
  const incidentId = registered.incident.id;
  routeIncident(db, { incidentId, leadId: organizationId, coexecutorIds: [], actor: curator, now });
  acceptIncident(db, { incidentId, actor: executor, now });
  database.close();
  return incidentId;
}

/** The same office with the executor's draft waiting for the curator. */
function seedOnApproval(databasePath: string): number {
  const incidentId = seedInWork(databasePath);
  const database = openDatabase(databasePath);
  const executor = findPerson(database.db, EXECUTOR.id);
  if (!executor) throw new Error("seed failed");
  const content = { text: "Исправим.", attachments: [] };
  submitDraft(database.db, { incidentId, actor: executor, now: new Date(), content });
  database.close();
  return incidentId;
}

const ANSWER = "Подстанцию отремонтировали, свет дали в 14:00.";

/** The executor presses «Подготовить ответ» on the incident's card in their private chat. */
async function openDraft(incidentId: number): Promise<void> {
  const since = fake.mark();
  const card = { message_id: 1, date: 0, chat: privateChat(EXECUTOR), text: `Сообщение № ${incidentId}` };
  fake.pushUpdate(updates.callback(EXECUTOR, card as never, `inc.draft:${incidentId}`));
  await said(EXECUTOR.id, /пришлите текст ответа/, since);
}

/** «Готово» under the attachments, then «Отправить на согласование» under the preview. */
async function finishDraft(): Promise<void> {
  let since = fake.mark();
  fake.clickButton(EXECUTOR.id, "Готово", EXECUTOR);
  await said(EXECUTOR.id, /^Предпросмотр/, since);
  since = fake.mark();
  fake.clickButton(EXECUTOR.id, "Отправить на согласование", EXECUTOR);
  await said(EXECUTOR.id, /^Проект отправлен на согласование/, since);
}

/** One draft, its text and photo intact, in the database and in the curators' chat under «Согласовать». */
function expectOneDraft(databasePath: string, photoId: string): void {
  const database = openDatabase(databasePath);
  const rows = database.db.select().from(drafts).all();
  database.close();
  expect(rows.map((d) => [d.state, d.text, d.attachments.map((a) => [a.type, a.fileId])])).toEqual([
    ["submitted", ANSWER, [["photo", photoId]]],
  ]);
  const photos = fake.messages(CURATORS_CHAT).filter((m) => m.media?.type === "photo");
  expect(photos.map((m) => m.media?.file_id)).toEqual([photoId]);
  // The photo is captioned as the proposal's attachment: the proposal is the text message.
  const proposals = shown(CURATORS_CHAT, /^Проект ответа по сообщению № 1/).filter((m) => !m.media);
  expect(proposals.map((m) => m.text?.endsWith(ANSWER))).toEqual([true]);
  expect(fake.findButton(CURATORS_CHAT, "Согласовать").message.message_id).toBe(proposals[0]?.message_id);
}

/** Updates the bot took and never finished handling: it handles them again at start. */
function unfinishedUpdates(databasePath: string): number[] {
  const database = openDatabase(databasePath);
  const rows = database.db.select().from(inbox).where(isNull(inbox.doneAt)).all();
  database.close();
  return rows.map((row) => row.updateId);
}

/** What the database says of the approval: the audit trail, the incident and its draft. */
function approvalState(databasePath: string) {
  const database = openDatabase(databasePath);
  const { db } = database;
  const approvals = db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.entity, "incident"), eq(auditEvents.action, "approve")))
    .all().length;
  const state = db.select().from(incidents).get()?.state;
  const draftStates = db
    .select()
    .from(drafts)
    .all()
    .map((d) => d.state);
  database.close();
  return { approvals, state, drafts: draftStates };
}

const APPROVED = { approvals: 1, state: "approved", drafts: ["approved"] };
const NOT_APPROVED = { approvals: 0, state: "on_approval", drafts: ["submitted"] };

/** The moments of an approval press a kill can fall on, each made certain by what the fake saw. */
const KILL_POINTS: {
  name: string;
  reached: (press: Update) => Promise<unknown>;
  /** The approval is committed at that moment. */
  committed?: boolean;
}[] = [
  {
    name: "on its way to the bot (Telegram has sent it, the bot has not confirmed it)",
    reached: (press) =>
      fake.waitForCall(
        "getUpdates",
        (c) => ((c.response.result ?? []) as Update[]).some((u) => u.update_id === press.update_id),
        WAIT,
      ),
  },
  {
    name: "between its commit and its notices (the bot waits for Telegram's answer to the press)",
    reached: (press) =>
      fake.waitForCall(
        "answerCallbackQuery",
        (c) => c.params.callback_query_id === press.callback_query?.id,
        WAIT,
      ),
    committed: true,
  },
];

describe("kill -9 and start again", () => {
  it("a half-finished registration dialogue resumes where it stopped", async () => {
    fake = await FakeBotApi.start({ token: "123:abc" });
    const databasePath = newDatabase();
    seedCurator(databasePath);
    const chat = privateChat(CURATOR);
    const say = async (text: string, expect: RegExp) => {
      const since = fake.mark();
      fake.pushUpdate(updates.text(chat, CURATOR, text));
      await said(CURATOR.id, expect, since);
    };
    const press = async (label: string, expect: RegExp) => {
      const since = fake.mark();
      fake.clickButton(CURATOR.id, label, CURATOR);
      await said(CURATOR.id, expect, since);
    };

    const first = await startPolling(databasePath);
    await say("/new", /Пришлите ссылку на сообщение/);
    await say("https://vk.com/wall-1_77", /Пришлите текст сообщения/);
    await say("Во дворе не убирают снег.", /Кто автор\?/);
    // Killed the moment the reply is out: the update may be confirmed to Telegram but its
    // dialogue state not yet saved — the inbox makes the restarted bot finish it.
    await stopBot(first);

    await startPolling(databasePath);
    await press("Пропустить", /Тема сообщения/);
    await press("Пропустить", /Где это/);
    await press("Пропустить", /Насколько это важно/);
    await press("Обычное", /Когда опубликован пост/);
    await press("Сейчас", /^Сообщение № 1 · ВКонтакте/);

    const database = openDatabase(databasePath);
    const rows = database.db.select().from(incidents).all();
    database.close();
    expect(rows.map((r) => [r.link, r.text, r.author])).toEqual([
      ["https://vk.com/wall-1_77", "Во дворе не убирают снег.", null],
    ]);
  }, 90_000);

  /** A bot running with a post in the executor's work and its draft dialogue open; a photo to send. */
  async function draftOpened() {
    const telegram = slowTelegram();
    fake = await FakeBotApi.start({ token: "123:abc", answerDelayMs: telegram.answerDelayMs });
    const databasePath = newDatabase();
    const incidentId = seedInWork(databasePath);
    const photo = fake.addFile(Buffer.from("jpeg"), "podstanciya.jpg", { kind: "photo" });
    const first = await startPolling(databasePath);
    await openDraft(incidentId);
    return { telegram, databasePath, photo, first };
  }

  it("a draft dialogue killed while it takes a photo goes on after the restart: one draft, text and photo intact, reaches the curators", async () => {
    const { telegram, databasePath, photo, first } = await draftOpened();
    let since = fake.mark();
    fake.pushUpdate(updates.text(privateChat(EXECUTOR), EXECUTOR, ANSWER));
    await said(EXECUTOR.id, /^Пришлите фото/, since);
    // The photo is taken and saved; Telegram holds its answer to the bot's «Получено», so the bot is
    // killed inside the step, before the dialogue's state is stored.
    telegram.hold("sendMessage");
    since = fake.mark();
    const sent = fake.pushUpdate(updates.photo(privateChat(EXECUTOR), EXECUTOR, photo));
    await said(EXECUTOR.id, /^Получено, всего 1 вложение/, since);
    await stopBot(first);
    expect(unfinishedUpdates(databasePath)).toEqual([sent.update_id]);

    telegram.release();
    await startPolling(databasePath);
    await finishDraft();
    expectOneDraft(databasePath, photo.file_id);
  }, 90_000);

  it("a photo sent while the bot still answers the text survives a kill -9: it is in the inbox before it waits for its turn", async () => {
    const { telegram, databasePath, photo, first } = await draftOpened();
    // Telegram is slow to take the bot's answer to the text; the executor sends the photo meanwhile.
    telegram.hold("sendMessage");
    const since = fake.mark();
    fake.pushUpdate(updates.text(privateChat(EXECUTOR), EXECUTOR, ANSWER));
    await said(EXECUTOR.id, /^Пришлите фото/, since);
    fake.pushUpdate(updates.photo(privateChat(EXECUTOR), EXECUTOR, photo));
    // The bot has fetched the photo and confirmed it to Telegram, which will not send it again.
    await until(() => fake.pendingUpdates() === 0);
    await stopBot(first);

    telegram.release();
    await startPolling(databasePath);
    await finishDraft();
    expectOneDraft(databasePath, photo.file_id);
  }, 90_000);

  for (const point of KILL_POINTS) {
    it(`an approval killed ${point.name} is made once, never half, and the executor and the organization are told once`, async ({
      annotate,
    }) => {
      // Telegram holds its answer to every call the press makes, so nobody is told before the kill.
      const telegram = slowTelegram();
      telegram.hold("answerCallbackQuery", "sendMessage", "editMessageText", "editMessageReplyMarkup");
      fake = await FakeBotApi.start({ token: "123:abc", answerDelayMs: telegram.answerDelayMs });
      const databasePath = newDatabase();
      const incidentId = seedOnApproval(databasePath);
      const first = await startPolling(databasePath);
      const card = { message_id: 1, date: 0, chat: privateChat(CURATOR), text: `Сообщение № ${incidentId}` };
      const press = fake.pushUpdate(updates.callback(CURATOR, card as never, `inc.ok:${incidentId}`));
      await point.reached(press);
      await stopBot(first);

      const atKill = approvalState(databasePath);
      if (point.committed) expect(atKill).toEqual(APPROVED);
      else expect([APPROVED, NOT_APPROVED]).toContainEqual(atKill);
      expect(fake.calls.filter((c) => NOTICE.test(textOf(c)))).toEqual([]);

      telegram.release();
      const since = fake.mark();
      await startPolling(databasePath);
      await said(EXECUTOR.id, NOTICE, since);
      await said(ORGANIZATION_CHAT, NOTICE, since);
      // A later message of the same curator in the same chat is handled after any re-delivered press.
      fake.pushUpdate(updates.text(privateChat(CURATOR), CURATOR, "/help"));
      await said(CURATOR.id, /\/help — эта справка/, since);

      expect(approvalState(databasePath)).toEqual(APPROVED);
      expect(shown(EXECUTOR.id, NOTICE)).toHaveLength(1);
      expect(shown(ORGANIZATION_CHAT, NOTICE)).toHaveLength(1);
      expect(fake.callbackAnswer(press.callback_query?.id ?? "")?.text).toBe(
        `Ответ по сообщению № ${incidentId} согласован.`,
      );
      await annotate(`at the kill: ${atKill.approvals === 1 ? "committed" : "not committed"}`);
    }, 90_000);
  }
});

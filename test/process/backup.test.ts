/**
 * README's «Back up» and «Restore» with real processes: `npm run backup` while the bot runs and
 * registers posts, then the restore steps followed as written, then the restored bot at work.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { registerIncident } from "../../src/app/incidents.js";
import { findPerson, grantRole, upsertPerson } from "../../src/app/people.js";
import { applyMigrations, openDatabase } from "../../src/db/client.js";
import { parseSourceLink } from "../../src/domain/source-link.js";
import { spawnBot, stopBot } from "../support/bot-process.js";
import { FakeBotApi } from "../support/fake-bot-api.js";
import { privateChat, tgUser, updates } from "../support/updates.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const INTAKE_TOKEN = "monitoring-token-0123456789";
/** A head reads posts back with /find. Nobody is a curator, so posts send no cards to wait for. */
const HEAD = tgUser(5001, "Глава");
/** Posts registered before the bot starts: enough pages that the backup copies them in several steps. */
const EARLIER_POSTS = 1500;
const WAIT = { timeoutMs: 20_000 };

let fake: FakeBotApi | undefined;
const children: ChildProcess[] = [];

afterEach(async () => {
  for (const child of children.splice(0)) child.kill("SIGKILL");
  await fake?.close();
});

/** A port nobody listens on now, for the bot's intake endpoint. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

/** The head and a month of earlier posts, arranged through the use-cases. */
function seedOffice(databasePath: string, earlierPosts = EARLIER_POSTS): void {
  const database = openDatabase(databasePath);
  const { db } = database;
  applyMigrations(db);
  const now = new Date();
  db.transaction((tx) => {
    grantRole(tx, upsertPerson(tx, { id: HEAD.id, first_name: HEAD.first_name }, now), "head", null, now);
  });
  const head = findPerson(db, HEAD.id);
  if (!head) throw new Error("seed failed");
  for (let n = 1; n <= earlierPosts; n++) {
    const link = parseSourceLink(`https://vk.com/wall-2_${n}`);
    if (!link.ok) throw new Error("seed failed");
    registerIncident(db, {
      link: link.url,
      linkKey: link.key,
      network: link.network,
      text: `Во дворе дома ${n} не вывозят мусор уже неделю, контейнеры переполнены.`,
      author: null,
      topic: null,
      place: null,
      importance: "normal",
      postedAt: null,
      repeatOfId: null,
      actorId: head.id,
      now,
    });
  }
  database.close();
}

/** `npm run backup` or `npm run restore -- <file>` as README gives them, run from the bot's folder. */
function npmRun(databasePath: string, ...args: string[]): Promise<{ code: number | null; output: string }> {
  return npmRunAs(undefined, databasePath, ...args);
}

/** The same typed by another user (the tests then run as root), with the database's folder for home. */
function npmRunAs(
  uid: number | undefined,
  databasePath: string,
  ...args: string[]
): Promise<{ code: number | null; output: string }> {
  const home = uid === undefined ? (process.env.HOME ?? tmpdir()) : dirname(databasePath);
  const child = spawn("npm", ["run", ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", HOME: home, DATABASE_PATH: databasePath },
    stdio: "pipe",
    ...(uid === undefined ? {} : { uid, gid: uid }),
  });
  let output = "";
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout.on("data", collect);
  child.stderr.on("data", collect);
  return new Promise((resolve) => child.on("exit", (code) => resolve({ code, output })));
}

interface Acknowledged {
  id: number;
  link: string;
  at: number;
}

async function post(port: number, link: string): Promise<Acknowledged> {
  const response = await fetch(`http://127.0.0.1:${port}/intake`, {
    method: "POST",
    headers: { authorization: `Bearer ${INTAKE_TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify({ link, text: "Не горят фонари на улице." }),
  });
  const body = (await response.json()) as { id: number };
  if (response.status !== 201) throw new Error(`intake answered ${response.status}: ${JSON.stringify(body)}`);
  return { id: body.id, link, at: Date.now() };
}

/** Monitoring software posting one post after another until stopped: each post the bot took, and when. */
function postContinuously(port: number) {
  const acknowledged: Acknowledged[] = [];
  let stopped = false;
  const done = (async () => {
    for (let n = 1; !stopped; n++) {
      acknowledged.push(await post(port, `https://vk.com/wall-1_${n}`));
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  })();
  return {
    acknowledged,
    stop: async () => {
      stopped = true;
      await done;
    },
  };
}

/** A database file as a `sqlite3` shell would see it: its soundness and its posts. */
function inspect(path: string) {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  const integrity = db.pragma("integrity_check", { simple: true });
  const foreignKeys = db.pragma("foreign_key_check");
  const posts = db
    .prepare(
      `select i.id, i.link, (select count(*) from audit_events a where a.entity = 'incident'
         and a.entity_id = cast(i.id as text) and a.action = 'registered') as audited
       from incidents i order by i.id`,
    )
    .all() as { id: number; link: string; audited: number }[];
  db.close();
  return { integrity, foreignKeys, posts };
}

const until = async (done: () => boolean, what: string) => {
  for (const end = Date.now() + WAIT.timeoutMs; !done(); ) {
    if (Date.now() > end) throw new Error(`${what}: not within ${WAIT.timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

describe("backup and restore as README says", () => {
  it("`npm run backup` while the bot takes posts gives a sound copy; restored by README's steps, the bot has every post taken before the backup and works on", async ({
    annotate,
  }) => {
    const telegram = await FakeBotApi.start({ token: "123:abc" });
    fake = telegram;
    const databasePath = join(mkdtempSync(join(tmpdir(), "osm-backup-")), "data", "bot.db");
    seedOffice(databasePath);
    const port = await freePort();
    const startBot = async () => {
      const since = telegram.mark();
      const child = spawnBot({
        BOT_TOKEN: telegram.token,
        BOT_API_ROOT: telegram.apiRoot,
        DATABASE_PATH: databasePath,
        LOG_LEVEL: "silent",
        INTAKE_TOKEN,
        PORT: String(port),
      });
      children.push(child);
      await telegram.waitForCall("deleteWebhook", undefined, { since, ...WAIT });
      await telegram.waitForPolling(15_000);
      return child;
    };

    // 1. The bot takes posts from monitoring software one after another; the backup runs meanwhile.
    const bot = await startBot();
    const posts = postContinuously(port);
    await until(() => posts.acknowledged.length >= 5, "first posts");
    const beforeBackup = [...posts.acknowledged];
    const started = Date.now();
    const backup = await npmRun(databasePath, "backup");
    const ended = Date.now();
    await until(() => posts.acknowledged.some((p) => p.at > ended), "a post after the backup");
    await posts.stop();
    const duringBackup = posts.acknowledged.filter((p) => p.at > started && p.at < ended);
    expect(duringBackup.length).toBeGreaterThan(0);
    expect(backup.code, backup.output).toBe(0);
    const backupPath = /^Backup written: (.+) \(\d+ pages\)$/m.exec(backup.output)?.[1] ?? "";
    expect(dirname(backupPath)).toBe(join(dirname(databasePath), "backups"));

    // 2. The copy is sound and a moment's snapshot: every post taken before the backup began, then
    // the posts taken after it in the order they were taken, each with its audit event, nothing half.
    const copy = inspect(backupPath);
    expect(copy.integrity).toBe("ok");
    expect(copy.foreignKeys).toEqual([]);
    expect(copy.posts.filter((p) => p.audited !== 1)).toEqual([]);
    const copied = copy.posts.filter((p) => p.id > EARLIER_POSTS).map((p) => p.link);
    expect(copied).toEqual(posts.acknowledged.slice(0, copied.length).map((p) => p.link));
    expect(copied.length).toBeGreaterThanOrEqual(beforeBackup.length);
    expect(copy.posts.slice(0, EARLIER_POSTS).map((p) => p.link)).toEqual(
      Array.from({ length: EARLIER_POSTS }, (_, i) => `https://vk.com/wall-2_${i + 1}`),
    );

    // 3. README «Restore»: stop the bot, `npm run restore -- <backup>`, start the bot. A head asks for
    // a post while it is stopped.
    await stopBot(bot, "SIGTERM");
    const [first] = beforeBackup;
    if (!first) throw new Error("no post before the backup");
    telegram.pushUpdate(updates.text(privateChat(HEAD), HEAD, `/find ${first.id}`));
    const restoring = await npmRun(databasePath, "restore", "--", backupPath);
    expect(restoring.code, restoring.output).toBe(0);
    const since = telegram.mark();
    const restored = await startBot();

    // 4. Telegram delivers the question sent meanwhile; the restored bot answers from the backup's
    // data, and takes new posts.
    const card = await telegram.waitForCall("sendMessage", (c) => c.params.chat_id === HEAD.id, {
      since,
      ...WAIT,
    });
    expect(String(card.params.text).split("\n").slice(0, 2)).toEqual([
      `Сообщение № ${first.id} · ВКонтакте`,
      first.link,
    ]);
    const after = await post(port, "https://vk.com/wall-3_1");
    await stopBot(restored, "SIGTERM");
    const final = inspect(databasePath);
    expect(final.integrity).toBe("ok");
    expect(final.posts.filter((p) => p.audited !== 1)).toEqual([]);
    // The restored bot went on from the copy: the posts taken after the backup are gone with it.
    expect(final.posts.map((p) => p.link)).toEqual([...copy.posts.map((p) => p.link), after.link]);
    // Numbered after the posts lost with the restore: their cards' buttons point to no new post.
    expect(after.id).toBe(Math.max(...posts.acknowledged.map((p) => p.id)) + 1);

    const lost = posts.acknowledged.length - copied.length;
    await annotate(
      `${posts.acknowledged.length} posts taken, ${duringBackup.length} while \`npm run backup\` ran ` +
        `(${ended - started} ms); the copy holds ${copied.length}; ${lost} taken after it are lost by the restore`,
    );
  }, 90_000);

  it("`npm run restore` while the bot runs is refused in one line and the bot works on; once the bot is killed (kill -9), it goes through", async () => {
    const telegram = await FakeBotApi.start({ token: "123:abc" });
    fake = telegram;
    const databasePath = join(mkdtempSync(join(tmpdir(), "osm-backup-")), "data", "bot.db");
    seedOffice(databasePath, 3);
    const backupPath = join(dirname(databasePath), "backups", "bot-copy.db");
    expect((await npmRun(databasePath, "backup", "--", backupPath)).code).toBe(0);
    const port = await freePort();
    const bot = spawnBot({
      BOT_TOKEN: telegram.token,
      BOT_API_ROOT: telegram.apiRoot,
      DATABASE_PATH: databasePath,
      LOG_LEVEL: "silent",
      INTAKE_TOKEN,
      PORT: String(port),
    });
    children.push(bot);
    await telegram.waitForPolling(15_000);

    // The admin forgot `systemctl stop osm-bot`.
    const refused = await npmRun(databasePath, "restore", "--", backupPath);
    expect(refused.code).toBe(1);
    expect(refused.output.split("\n")).toContain(
      `Restore failed: ${databasePath} is in use by another process (is the bot still running?): stop it and restore again`,
    );
    expect((await post(port, "https://vk.com/wall-1_1")).id).toBe(4);

    // The bot killed leaves its -wal and -shm behind, and no lock.
    await stopBot(bot, "SIGKILL");
    expect([existsSync(`${databasePath}-wal`), existsSync(`${databasePath}-shm`)]).toEqual([true, true]);
    const restoring = await npmRun(databasePath, "restore", "--", backupPath);
    expect(restoring.code, restoring.output).toBe(0);
    expect(restoring.output).toContain("Incident numbers go on after 4, where the replaced database stood.");
    expect(inspect(databasePath).posts.map((p) => p.id)).toEqual([1, 2, 3]);
  }, 60_000);

  it.skipIf(process.getuid?.() !== 0)(
    "`npm run restore` by a user who cannot give the database back to its owner says so, and how",
    async () => {
      const admin = 65534; // may write the bot's folder and database, but chown nothing
      const dir = mkdtempSync(join(tmpdir(), "osm-backup-"));
      const databasePath = join(dir, "bot.db");
      seedOffice(databasePath, 3);
      const backupPath = join(dir, "bot-copy.db");
      expect((await npmRun(databasePath, "backup", "--", backupPath)).code).toBe(0);
      chmodSync(databasePath, 0o666);
      chownSync(dir, admin, admin);

      const restoring = await npmRunAs(admin, databasePath, "restore", "--", backupPath);
      expect(restoring.code, restoring.output).toBe(0);
      expect(restoring.output.split("\n")).toContain(
        `Warning: the restored database belongs to ${admin}:${admin}, not to 0:0 like the database it replaced: \`chown 0:0 ${databasePath}\` (or restore as root) before starting the bot.`,
      );
    },
    60_000,
  );
});

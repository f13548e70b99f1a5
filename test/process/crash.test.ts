import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { grantRole, upsertPerson } from "../../src/app/people.js";
import { applyMigrations, openDatabase } from "../../src/db/client.js";
import { incidents } from "../../src/db/schema.js";
import { FakeBotApi } from "../support/fake-bot-api.js";
import { privateChat, tgUser, updates } from "../support/updates.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const MAIN = join(ROOT, "src", "main.ts");
/** What `npm start` runs (`node --import tsx`), from any working directory. */
const TSX_LOADER = pathToFileURL(join(ROOT, "node_modules", "tsx", "dist", "loader.mjs")).href;

let fake: FakeBotApi;
let bot: ChildProcess | undefined;

afterEach(async () => {
  bot?.kill("SIGKILL");
  await fake?.close();
});

function start(databasePath: string): ChildProcess {
  const child = spawn(process.execPath, ["--import", TSX_LOADER, MAIN], {
    cwd: mkdtempSync(join(tmpdir(), "osm-crash-")),
    env: {
      PATH: process.env.PATH ?? "",
      BOT_TOKEN: fake.token,
      BOT_API_ROOT: fake.apiRoot,
      DATABASE_PATH: databasePath,
      LOG_LEVEL: "silent",
    },
    stdio: "ignore",
  });
  bot = child;
  return child;
}

async function killHard(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGKILL");
  await exited;
}

/** Starts the bot and waits until this process (not a dead one's held request) is long-polling. */
async function startPolling(databasePath: string): Promise<ChildProcess> {
  const since = fake.mark();
  const child = start(databasePath);
  await fake.waitForCall("deleteWebhook", undefined, { since, timeoutMs: 20_000 });
  await new Promise((resolve) => setTimeout(resolve, 300));
  await fake.waitForPolling(15_000);
  return child;
}

const CURATOR = tgUser(2001, "Ольга");

function seedCurator(databasePath: string): void {
  const database = openDatabase(databasePath);
  applyMigrations(database.db);
  database.db.transaction((tx) => {
    const id = upsertPerson(tx, { id: CURATOR.id, first_name: CURATOR.first_name }, new Date());
    grantRole(tx, id, "curator", null, new Date());
  });
  database.close();
}

describe("kill -9 and start again", () => {
  it("a half-finished registration dialogue resumes where it stopped", async () => {
    fake = await FakeBotApi.start({ token: "123:abc" });
    const databasePath = join(mkdtempSync(join(tmpdir(), "osm-crash-db-")), "bot.db");
    seedCurator(databasePath);
    const chat = privateChat(CURATOR);
    const say = async (text: string, expect: RegExp) => {
      const since = fake.mark();
      fake.pushUpdate(updates.text(chat, CURATOR, text));
      await fake.waitForCall(
        "sendMessage",
        (c) => c.params.chat_id === CURATOR.id && expect.test(String(c.params.text)),
        {
          since,
          timeoutMs: 15_000,
        },
      );
    };
    const press = async (label: string, expect: RegExp) => {
      const since = fake.mark();
      fake.clickButton(CURATOR.id, label, CURATOR);
      await fake.waitForCall(
        "sendMessage",
        (c) => c.params.chat_id === CURATOR.id && expect.test(String(c.params.text)),
        { since, timeoutMs: 15_000 },
      );
    };

    const first = await startPolling(databasePath);
    await say("/new", /Пришлите ссылку на сообщение/);
    await say("https://vk.com/wall-1_77", /Пришлите текст сообщения/);
    await say("Во дворе не убирают снег.", /Кто автор\?/);
    // Killed the moment the reply is out: the update may be confirmed to Telegram but its
    // dialogue state not yet saved — the inbox makes the restarted bot finish it.
    await killHard(first);

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
});

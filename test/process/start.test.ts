import type { ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { spawnBot } from "../support/bot-process.js";
import { FakeBotApi } from "../support/fake-bot-api.js";
import { privateChat, tgUser, updates } from "../support/updates.js";

/** The bot as `npm start` runs it, in a scratch folder, with only the environment given. */
function startBot(env: Record<string, string>): {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number>;
} {
  const child = spawnBot({ LOG_LEVEL: "info", ...env }, { stdio: "pipe" });
  let output = "";
  child.stdout?.on("data", (chunk) => {
    output += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    output += chunk;
  });
  const exited = new Promise<number>((resolve) => child.on("exit", (code) => resolve(code ?? -1)));
  return { child, output: () => output, exited };
}

/** A port nobody listens on now, for the bot's webhook server. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitFor(condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

let fake: FakeBotApi | undefined;
let running: ChildProcess | undefined;
afterEach(async () => {
  running?.kill("SIGKILL");
  await fake?.close();
});

describe("npm start", () => {
  it("without BOT_TOKEN exits non-zero with one line naming BOT_TOKEN", async () => {
    const bot = startBot({});
    expect(await bot.exited).toBe(1);
    expect(bot.output().trim().split("\n")).toEqual([
      "Cannot start: BOT_TOKEN: is required: the bot token from @BotFather, e.g. 123456:ABC-DEF",
    ]);
  });

  it("with a bad preset name exits non-zero with one line naming REGULATION", async () => {
    const bot = startBot({ BOT_TOKEN: "123:abc", REGULATION: "moscow" });
    expect(await bot.exited).toBe(1);
    const lines = bot.output().trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Cannot start: REGULATION/);
  });

  it("with a DATABASE_PATH it cannot open exits non-zero with one line naming DATABASE_PATH", async () => {
    const folder = join(mkdtempSync(join(tmpdir(), "osm-db-")), "bot.db");
    mkdirSync(folder);
    const bot = startBot({ BOT_TOKEN: "123:abc", BOT_API_ROOT: "http://127.0.0.1:9", DATABASE_PATH: folder });
    expect(await bot.exited).toBe(1);
    expect(bot.output().trim().split("\n")).toEqual([
      `Cannot start: DATABASE_PATH: cannot open the database ${folder}: unable to open database file`,
    ]);
  });

  it("with the Bot API unreachable exits non-zero at once with one line, not after minutes of retries", async () => {
    const started = Date.now();
    const bot = startBot({ BOT_TOKEN: "123:abc", BOT_API_ROOT: "http://127.0.0.1:9" });
    expect(await bot.exited).toBe(1);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(bot.output().trim().split("\n")).toEqual([
      "Cannot start: the Bot API at http://127.0.0.1:9 did not answer getMe: Network request for 'getMe' failed!",
    ]);
  });

  it("with a token Telegram does not accept exits non-zero with one line naming BOT_TOKEN", async () => {
    fake = await FakeBotApi.start({ token: "123:abc" });
    const bot = startBot({ BOT_TOKEN: "999:wrong", BOT_API_ROOT: fake.apiRoot });
    expect(await bot.exited).toBe(1);
    expect(bot.output().trim().split("\n")).toEqual([
      "Cannot start: Telegram does not accept BOT_TOKEN (Not Found)",
    ]);
  });

  it("with a webhook, a token revoked while it runs stops it non-zero with one line saying so; a start again says Telegram refuses the token", async () => {
    fake = await FakeBotApi.start({ token: "123:abc" });
    const port = await freePort();
    const secret = "hook-s3cret-0123456789";
    const env = {
      BOT_TOKEN: "123:abc",
      BOT_API_ROOT: fake.apiRoot,
      DATABASE_PATH: join(mkdtempSync(join(tmpdir(), "osm-db-")), "bot.db"),
      WEBHOOK_URL: "https://bot.example.ru/telegram/hook",
      WEBHOOK_SECRET: secret,
      PORT: String(port),
    };
    const bot = startBot(env);
    running = bot.child;
    await fake.waitForCall("setWebhook", () => true, { timeoutMs: 15_000 });
    await waitFor(() => /"msg":"bot started"/.test(bot.output()));

    fake.revokeToken();
    const stranger = tgUser(2002, "Пётр");
    await fetch(`http://127.0.0.1:${port}/telegram/hook`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": secret },
      body: JSON.stringify({ update_id: 1, ...updates.text(privateChat(stranger), stranger, "/start") }),
    });
    expect(await bot.exited).toBe(1);
    const said = bot
      .output()
      .match(/"msg":"BOT_TOKEN was revoked or is wrong \(401 Unauthorized\): stopping"/g);
    expect(said).toHaveLength(1);
    expect(bot.output()).toMatch(/"msg":"stopped"/);

    const again = startBot(env);
    running = again.child;
    expect(await again.exited).toBe(1);
    expect(again.output().trim().split("\n")).toEqual([
      "Cannot start: Telegram does not accept BOT_TOKEN (Unauthorized)",
    ]);
  }, 40_000);

  it("waits out Telegram's «try later» on the first call, then starts", async () => {
    fake = await FakeBotApi.start({ token: "123:abc" });
    fake.failNext("getMe", {
      error_code: 429,
      description: "Too Many Requests: retry after 1",
      parameters: { retry_after: 1 },
    });
    const database = join(mkdtempSync(join(tmpdir(), "osm-db-")), "bot.db");
    const bot = startBot({ BOT_TOKEN: "123:abc", BOT_API_ROOT: fake.apiRoot, DATABASE_PATH: database });
    running = bot.child;
    await fake.waitForPolling(15_000);
    expect(fake.callsOf("getMe").map((c) => c.response.ok)).toEqual([false, true]);
  });

  it("polls a Bot API, answers a stranger, lets an admin invite a curator who redeems it, stops on SIGTERM", async () => {
    fake = await FakeBotApi.start({ token: "123:abc" });
    const database = join(mkdtempSync(join(tmpdir(), "osm-db-")), "bot.db");
    const bot = startBot({
      BOT_TOKEN: "123:abc",
      BOT_API_ROOT: fake.apiRoot,
      ADMIN_IDS: "1001",
      DATABASE_PATH: database,
    });
    running = bot.child;
    await fake.waitForPolling(15_000);

    const stranger = tgUser(2002, "Пётр");
    fake.pushUpdate(updates.text(privateChat(stranger), stranger, "/start"));
    const answer = await fake.waitForCall("sendMessage", (c) => c.params.chat_id === 2002, {
      timeoutMs: 10_000,
    });
    expect(String(answer.params.text)).toMatch(/попросите у него ссылку-приглашение/);

    const admin = tgUser(1001, "Анна");
    fake.pushUpdate(updates.text(privateChat(admin), admin, "/invite"));
    await fake.waitForCall(
      "sendMessage",
      (c) => c.params.chat_id === 1001 && c.params.text === "Кого пригласить?",
      {
        timeoutMs: 10_000,
      },
    );
    fake.clickButton(1001, "Куратор", admin);
    const invite = await fake.waitForCall("editMessageText", (c) => c.params.chat_id === 1001, {
      timeoutMs: 10_000,
    });
    const token = String(invite.params.text).match(/\?start=([\w-]+)/)?.[1];
    expect(token).toBeDefined();

    const curator = tgUser(3003, "Ольга");
    fake.pushUpdate(updates.text(privateChat(curator), curator, `/start ${token}`));
    const welcome = await fake.waitForCall("sendMessage", (c) => c.params.chat_id === 3003, {
      timeoutMs: 10_000,
    });
    expect(String(welcome.params.text)).toMatch(/^Готово! Вы зарегистрированы как куратор\./);

    bot.child.kill("SIGTERM");
    expect(await bot.exited).toBe(0);
    expect(bot.output()).toMatch(/"msg":"stopped"/);
  }, 40_000);
});

import { createServer, type Server } from "node:http";
import { autoRetry } from "@grammyjs/auto-retry";
import { type RunnerHandle, run } from "@grammyjs/runner";
import { apiThrottler } from "@grammyjs/transformer-throttler";
import { webhookCallback } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import { type Logger, pino } from "pino";
import { telegramIdsWithRole } from "./app/people.js";
import { setDefaultCommands } from "./bot/commands.js";
import { createBot } from "./bot/index.js";
import type { Clock } from "./clock.js";
import type { Config } from "./config.js";
import type { Db } from "./db/client.js";
import { applyMigrations, openDatabase } from "./db/client.js";
import { calendarYears } from "./db/schema.js";
import {
  bundledCalendar,
  createWorkingTime,
  mergeCalendars,
  type ProductionCalendar,
  parseProductionCalendar,
  parseSchedule,
  type WorkingTime,
} from "./domain/calendar/index.js";
import { loadRegulation, type Regulation, selfCheck } from "./domain/regulation/index.js";

export interface Running {
  regulation: Regulation;
  workingTime: WorkingTime;
  webhookServer: Server | undefined;
  stop(): Promise<void>;
}

export interface StartOptions {
  clock: Clock;
  log?: Logger;
  botInfo?: UserFromGetMe;
}

/** Calendar years an admin loaded after the release override the bundled ones. */
export function effectiveCalendar(db: Db): ProductionCalendar {
  let calendar = bundledCalendar();
  for (const row of db.select().from(calendarYears).all()) {
    calendar = mergeCalendars(calendar, parseProductionCalendar({ years: { [row.year]: row.data } }));
  }
  return calendar;
}

/**
 * Start order: regulation and schedule (pure, fail fast) → database (migrate) → bot → updates.
 * Any error before the bot runs closes what was opened and propagates to main().
 */
export async function startBot(config: Config, options: StartOptions): Promise<Running> {
  const log = options.log ?? pino({ level: config.logLevel });
  const regulation = loadRegulation(config.regulation);
  const schedule = parseSchedule(config.schedule);
  const timezone = config.timezone ?? regulation.timezone;

  const database = openDatabase(config.databasePath);
  try {
    applyMigrations(database.db);
    const calendar = effectiveCalendar(database.db);
    const workingTime = createWorkingTime({ timezone, schedule, calendar });

    const bot = createBot({
      token: config.botToken,
      apiRoot: config.botApiRoot,
      ...(options.botInfo ? { botInfo: options.botInfo } : {}),
      deps: { db: database.db, clock: options.clock, log, config: { ...config, timezone } },
      transformers: [autoRetry({ maxRetryAttempts: 5, maxDelaySeconds: 60 }), apiThrottler()],
    });
    await bot.init();
    await setDefaultCommands(bot.api);

    const findings = selfCheck(regulation, workingTime, calendar, options.clock.now());
    for (const finding of findings)
      log[finding.level === "error" ? "error" : "warn"]({ finding: finding.message }, "self-check");
    if (findings.length > 0) {
      const text = ["Проверка настроек при запуске:", ...findings.map((f) => `• ${f.message}`)].join("\n");
      for (const adminId of telegramIdsWithRole(database.db, "admin")) {
        await bot.api.sendMessage(adminId, text).catch((err) => log.warn({ err }, "could not tell an admin"));
      }
    }

    let runner: RunnerHandle | undefined;
    let webhookServer: Server | undefined;
    if (config.webhook) {
      const { url, secret, port } = config.webhook;
      const handle = webhookCallback(bot, "http", { secretToken: secret, onTimeout: "return" });
      webhookServer = createServer((req, res) => {
        if (req.method !== "POST" || req.url !== new URL(url).pathname) {
          res.writeHead(404).end();
          return;
        }
        handle(req, res).catch((err) => {
          log.error({ err }, "webhook request failed");
          if (!res.headersSent) res.writeHead(500).end();
        });
      });
      await new Promise<void>((resolve) => webhookServer?.listen(port, resolve));
      await bot.api.setWebhook(url, { secret_token: secret, allowed_updates: ALLOWED_UPDATES });
      log.info({ port, url }, "webhook mode");
    } else {
      await bot.api.deleteWebhook();
      runner = run(bot, { runner: { fetch: { allowed_updates: ALLOWED_UPDATES } } });
      log.info({ username: bot.botInfo.username }, "long polling");
    }
    log.info({ regulation: regulation.id, timezone }, "bot started");

    let stopping: Promise<void> | undefined;
    const stop = () => {
      stopping ??= (async () => {
        log.info("stopping: finishing updates in flight");
        if (runner?.isRunning()) await runner.stop();
        if (webhookServer) await new Promise<void>((resolve) => webhookServer?.close(() => resolve()));
        database.close();
        log.info("stopped");
      })();
      return stopping;
    };
    return { regulation, workingTime, webhookServer, stop };
  } catch (error) {
    database.close();
    throw error;
  }
}

const ALLOWED_UPDATES = ["message", "edited_message", "callback_query", "my_chat_member"] as const;

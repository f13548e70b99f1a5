import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { resolve } from "node:path";
import { type AutoRetryOptions, autoRetry } from "@grammyjs/auto-retry";
import { type RunnerHandle, run } from "@grammyjs/runner";
import { apiThrottler } from "@grammyjs/transformer-throttler";
import { Api, GrammyError, HttpError, webhookCallback } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import type { Logger } from "pino";
import { reachableCuratorChats } from "./app/chats.js";
import { allUpdatesHandled, pendingUpdates } from "./app/inbox.js";
import { telegramIdsWithRole } from "./app/people.js";
import { graceEnd, type Restore, restoreNoticeKey, startAfterRestores } from "./app/restores.js";
import {
  calendarCoverage,
  cardsRefreshed,
  cardsRefreshOwed,
  effectiveCalendar,
  replanOnChangedSettings,
  SlaRuntime,
} from "./app/sla.js";
import { refreshOpenCards } from "./bot/cards.js";
import { setDefaultCommands } from "./bot/commands.js";
import { cardDeps } from "./bot/delivery.js";
import { createBot } from "./bot/index.js";
import { tellAdminsOnce } from "./bot/refused-chats.js";
import { replayAwareRetry } from "./bot/replay-aware-retry.js";
import { t } from "./bot/texts.js";
import type { Clock } from "./clock.js";
import { type Config, ConfigError } from "./config.js";
import { type Checkpointer, startCheckpointer } from "./db/checkpointer.js";
import { applyMigrations, type DatabaseHandle, type Db, openDatabase } from "./db/client.js";
import { parseSchedule } from "./domain/calendar/index.js";
import { loadRegulation, selfCheck } from "./domain/regulation/index.js";
import { formatDeadline } from "./domain/time-format.js";
import { passOnStrandedPartsAtStart } from "./flows/answers.js";
import { INTAKE_PATH, type IntakeEndpoint, intakeEndpoint } from "./http/intake.js";
import { startJobs } from "./jobs/index.js";
import { createLogger } from "./log.js";
import { settled } from "./one-at-a-time.js";
import { renderHere } from "./reports/render.js";
import { renderInChildProcess } from "./reports/renderer.js";

export interface Running {
  sla: SlaRuntime;
  /** The HTTP server of the webhook and of `POST /intake`, when either is configured. */
  httpServer: Server | undefined;
  stop(): Promise<void>;
  /**
   * Settles once Telegram refused the token (a 401 to any call, in either mode) or long polling ended
   * by itself (another process polls with the token) and the bot stopped: with the reason, for the
   * caller to exit non-zero. Never otherwise.
   */
  failed: Promise<Error>;
}

export interface StartOptions {
  clock: Clock;
  log?: Logger;
  botInfo?: UserFromGetMe;
}

const ALLOWED_UPDATES = ["message", "edited_message", "callback_query", "my_chat_member"] as const;
/** How long a stop waits for the cards of posts just taken over HTTP, and for webhook updates. */
const SETTLE_MS = 10_000;

/**
 * Telegram's 429 is waited out (up to a minute), a 5xx is retried up to 5 times and a network error
 * (a proxy's HTML page, a reset connection) until it passes, backing off from 3 s; tests install the same.
 */
export const AUTO_RETRY = { maxRetryAttempts: 5, maxDelaySeconds: 60 } satisfies Partial<AutoRetryOptions>;

/** The bot cannot reach Telegram, or Telegram refuses its token: one line for the person starting it. */
export class TelegramUnavailableError extends Error {
  override name = "TelegramUnavailableError";
}

/** Said once, when Telegram answers 401 to a call after the start: the bot cannot go on without a token. */
export const TOKEN_REVOKED = "BOT_TOKEN was revoked or is wrong (401 Unauthorized): stopping";

/** How long the first call to Telegram may take before the start gives up. */
const FIRST_CALL_TIMEOUT_SECONDS = 30;
/** Telegram's "try later" (429, 5xx) at start is waited out this many times, at most 10 s each. */
const FIRST_CALL_ATTEMPTS = 3;

/**
 * Who the bot is, asked before auto-retry is installed: a wrong token or an unreachable Bot API stops
 * the start with one line, instead of auto-retry waiting on in silence (it retries network errors
 * forever). Only Telegram's own "try later" is waited out, a few times.
 */
async function identifyBot(config: Config): Promise<UserFromGetMe> {
  const where = config.botApiRoot ?? "https://api.telegram.org";
  const api = new Api(config.botToken, {
    ...(config.botApiRoot ? { apiRoot: config.botApiRoot } : {}),
    timeoutSeconds: FIRST_CALL_TIMEOUT_SECONDS,
  });
  for (let attempt = 1; ; attempt++) {
    try {
      return await api.getMe();
    } catch (error) {
      const later = error instanceof GrammyError && (error.error_code === 429 || error.error_code >= 500);
      if (!later || attempt >= FIRST_CALL_ATTEMPTS) throw startFailure(error, where);
      const seconds = Math.min(error.parameters.retry_after ?? 2, 10);
      await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    }
  }
}

function startFailure(error: unknown, where: string): unknown {
  // Telegram answers 401 to a token it does not know and 404 to one that is not a token at all.
  if (error instanceof GrammyError && (error.error_code === 401 || error.error_code === 404))
    return new TelegramUnavailableError(`Telegram does not accept BOT_TOKEN (${error.description})`);
  if (error instanceof GrammyError || error instanceof HttpError)
    return new TelegramUnavailableError(`the Bot API at ${where} did not answer getMe: ${error.message}`);
  return error;
}

/** A DATABASE_PATH the bot cannot open (a folder, no rights, not a database) is a setting to fix. */
function openConfiguredDatabase(path: string): DatabaseHandle {
  try {
    return openDatabase(path);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConfigError(`DATABASE_PATH: cannot open the database ${resolve(path)}: ${reason}`);
  }
}

/**
 * Start order: regulation and schedule (pure, fail fast) → database (migrate) → bot → updates.
 * Any error before the bot runs closes what was opened and propagates to main().
 */
export async function startBot(config: Config, options: StartOptions): Promise<Running> {
  const { clock } = options;
  const log = options.log ?? createLogger(config.logLevel, secretsOf(config));
  const regulation = loadRegulation(config.regulation);
  const schedule = parseSchedule(config.schedule);
  const timezone = config.timezone ?? regulation.timezone;

  const database = openConfiguredDatabase(config.databasePath);
  let intake: IntakeEndpoint | undefined;
  let checkpointer: Checkpointer | undefined;
  try {
    const { db } = database;
    applyMigrations(db);
    checkpointer = startCheckpointer(database.sqlite, log);
    let api: Api | undefined;
    // The admins' notices of the start (and the cards' refresh below) go out beside it; a stop waits
    // for them a while before the database closes. One nobody got (or cut short by the stop) is told
    // again at the next start.
    const notices = new Set<Promise<unknown>>();
    /** Aborted at a stop: the background refresh of the open posts' cards ends after the post in hand. */
    const refreshStop = new AbortController();
    const tellOnce = (key: string, text: string, also: number[] = []) => {
      if (!api) return;
      const told: Promise<boolean> = tellAdminsOnce({ api, db, log, clock, config }, key, text, also).finally(
        () => notices.delete(told),
      );
      notices.add(told);
    };
    const sla = new SlaRuntime(regulation, timezone, schedule, effectiveCalendar(db), (year) => {
      log.warn({ year }, "production calendar lacks a year: weekends-only rules");
      tellOnce(`calendar-missing:${year}`, t.calendar.missingYearMet(year));
    });

    // A database in memory cannot be opened by another process: its reports render in this one.
    const renderer =
      config.databasePath === ":memory:"
        ? undefined
        : renderInChildProcess(
            {
              databasePath: resolve(config.databasePath),
              regulation: config.regulation,
              timezone,
              schedule: config.schedule,
              logLevel: config.logLevel,
            },
            log,
          );
    const reports = renderer?.render ?? renderHere(db, sla, log);

    /** Stops the bot for good, once, saying why; set once the bot runs. */
    let fail: ((error: Error, message: string) => void) | undefined;
    let unauthorizedEarly: Error | undefined;
    const retry = autoRetry(AUTO_RETRY);
    const deps = { db, clock, log, sla, reports, config: { ...config, timezone } };
    const bot = createBot({
      token: config.botToken,
      apiRoot: config.botApiRoot,
      botInfo: options.botInfo ?? (await identifyBot(config)),
      deps,
      // The throttler inside and auto-retry outside: a call retried after a 429 queues again
      // instead of jumping the per-chat queue (measured in bench/burst.ts).
      transformers: [apiThrottler(), retry],
      conversationTransformers: [replayAwareRetry(AUTO_RETRY)],
      arrivals: config.webhook ? "synced" : "synced by the next fetch",
      // Every call would be refused from now on, and a webhook leaves nothing else to notice it: the
      // process ends non-zero, for its service manager to start it again (and the start to say why).
      onUnauthorized: (method) => {
        const error = new TelegramUnavailableError(`${method}: 401 Unauthorized`);
        // Before `failed` exists (a call of the start itself), kept for it: acted on as it is made.
        if (fail) fail(error, TOKEN_REVOKED);
        else unauthorizedEarly ??= error;
      },
    });
    await bot.init();
    api = bot.api;
    await setDefaultCommands(bot.api);
    reportSelfCheck(sla, clock.now(), log, tellOnce);
    for (const restore of startAfterRestores(db, clock.now()))
      tellOnce(restoreNoticeKey(restore), restoreNotice(restore, sla), reachableCuratorChats(db));
    if (replanOnChangedSettings(db, sla, clock.now()))
      log.info({ regulation: regulation.id }, "deadline settings in force: reminders planned anew");
    if (cardsRefreshOwed(db)) {
      // The open posts' cards show the new deadlines: in the background, beside the updates. A stop
      // cuts it short after the post in hand, whose cards are recorded as shown before the database
      // closes; the next start runs it again (a card that reads the same is not edited).
      const refreshing = refreshOpenCards(cardDeps(deps, bot.api), refreshStop.signal)
        .then((done) => {
          if (done && database.sqlite.open) cardsRefreshed(db);
        })
        .catch((err: unknown) => log.error({ err }, "cards not refreshed on the settings in force"))
        .finally(() => notices.delete(refreshing));
      notices.add(refreshing);
    }
    if (config.adminIds.length === 0 && telegramIdsWithRole(db, "admin").length === 0)
      log.warn(
        "no admin: nobody can invite people or bind chats; set ADMIN_IDS to your Telegram id and restart",
      );

    const interrupted = pendingUpdates(db);
    if (interrupted.length > 0)
      log.warn({ count: interrupted.length }, "handling updates a crash interrupted");
    for (const update of interrupted) await bot.handleUpdate(update);
    await passOnStrandedPartsAtStart(deps, bot.api);

    // One HTTP server for Telegram's webhook and the monitoring software's posts, if either is set.
    const routes = new Map<string, (req: IncomingMessage, res: ServerResponse) => Promise<unknown>>();
    if (config.webhook) {
      const { url, secret } = config.webhook;
      // Answered after 10 s even if the handling goes on. The arrival's sync comes first (bot/index.ts);
      // only a disk that takes longer than that to sync it could let the answer pass it.
      const handle = webhookCallback(bot, "http", { secretToken: secret, onTimeout: "return" });
      routes.set(new URL(url).pathname, (req, res) =>
        req.method === "POST" ? handle(req, res) : Promise.resolve(res.writeHead(405).end()),
      );
    }
    intake = config.intake && intakeEndpoint({ ...deps, api: bot.api }, config.intake.token);
    if (intake) routes.set(INTAKE_PATH, intake.handle);
    const port = config.webhook?.port ?? config.intake?.port;
    let httpServer: Server | undefined;
    if (routes.size > 0 && port !== undefined) {
      const server = createServer((req, res) => {
        const route = routes.get(requestPath(req.url) ?? "");
        if (!route) {
          res.writeHead(404).end();
          return;
        }
        route(req, res).catch((err) => {
          log.error({ err }, "HTTP request failed");
          if (!res.headersSent) res.writeHead(500).end();
        });
      });
      httpServer = server;
      await new Promise<void>((resolve) => server.listen(port, "0.0.0.0", resolve));
      log.info({ port: (server.address() as AddressInfo).port, paths: [...routes.keys()] }, "HTTP server");
    }

    let runner: RunnerHandle | undefined;
    if (config.webhook) {
      const { url, secret } = config.webhook;
      await bot.api.setWebhook(url, { secret_token: secret, allowed_updates: ALLOWED_UPDATES });
      log.info({ url: new URL(url).pathname }, "webhook mode");
    } else {
      await bot.api.deleteWebhook();
      runner = run(bot, { runner: { fetch: { allowed_updates: ALLOWED_UPDATES } } });
      log.info({ username: bot.botInfo.username }, "long polling");
    }
    const jobs = startJobs({ db, api: bot.api, sla, clock, log, config, reports });
    log.info({ regulation: regulation.id, timezone }, "bot started");

    let stopping: Promise<void> | undefined;
    const stop = () => {
      stopping ??= (async () => {
        log.info("stopping: finishing updates in flight");
        refreshStop.abort();
        if (runner) {
          // The runner stops fetching at once (or Telegram ended long polling already); the updates
          // it took are still being handled either way.
          if (runner.isRunning()) await runner.stop();
          await updatesHandled(db);
        }
        // A report still rendering is dropped; an automatic one is tried again after the restart.
        renderer?.close();
        await jobs.stop();
        if (httpServer) await closeServer(httpServer, db);
        await settled([...notices], SETTLE_MS);
        await checkpointer?.stop();
        database.close();
        log.info("stopped");
      })();
      return stopping;
    };
    // A 401 to any call, and Telegram ending long polling for good (409: another process polls with
    // the token, or a webhook was set), stop the bot as SIGTERM does; the first says why, once.
    const failed = new Promise<Error>((resolve) => {
      fail = (error, message) => {
        fail = () => {};
        log.fatal({ err: error }, message);
        void stop().finally(() => resolve(error));
      };
      runner?.task()?.catch((err: unknown) => {
        const error = err instanceof Error ? err : new Error(String(err));
        fail?.(error, "long polling ended: BOT_TOKEN refused, or another process polls with it");
      });
      if (unauthorizedEarly) fail(unauthorizedEarly, TOKEN_REVOKED);
    });
    return { sla, httpServer, stop, failed };
  } catch (error) {
    await intake?.close(0);
    await checkpointer?.stop();
    database.close();
    throw error;
  }

  /** Waits, at most SETTLE_MS, for the updates being handled; one cut short is handled again at start. */
  async function updatesHandled(db: Db): Promise<void> {
    if (!(await allUpdatesHandled(db, SETTLE_MS)))
      log.warn("stopping with updates still being handled: they are handled again at start");
  }

  /**
   * No new requests; then, side by side and for at most SETTLE_MS: webhook updates still being handled
   * (grammY answered Telegram after 10 s while the handling went on; one cut short is handled again at
   * start) and cards of posts just taken over HTTP (one not out goes out at the next start). Then
   * every connection is closed, a slow or busy client's too.
   */
  async function closeServer(server: Server, db: Db): Promise<void> {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    await Promise.all([config.webhook && updatesHandled(db), intake?.close(SETTLE_MS)]);
    server.closeAllConnections();
    await closed;
  }
}

/** What a restore lost (restore.ts), in the office's words: told to admins and curators once. */
function restoreNotice(restore: Restore, { timezone, workingTime }: SlaRuntime): string {
  const grace = graceEnd(restore, workingTime);
  return t.restore.notice({
    backupAt: restore.backupAt ? formatDeadline(restore.backupAt, timezone) : undefined,
    lost: restore.lost.incidents,
    replacedRead: restore.replacedRead,
    changed: restore.changed,
    graceUntil: grace ? formatDeadline(grace, timezone) : undefined,
  });
}

/**
 * The preset's consistency and the calendar's coverage of this year and the next: logged at every
 * start, told to admins once per problem.
 */
function reportSelfCheck(
  sla: SlaRuntime,
  now: Date,
  log: Logger,
  tellOnce: (key: string, text: string) => void,
): void {
  const findings = selfCheck(sla.regulation, sla.workingTime, sla.calendar, now);
  for (const { level, message, problem } of findings) {
    log[level]({ finding: message }, "self-check");
    // Calendar coverage is told below in the admins' words; the rest are the settings' and the preset's.
    if (problem.kind !== "calendarMissing" && problem.kind !== "calendarDraft") {
      tellOnce(`self-check:${message}`, t.calendar.selfCheck(problem));
    }
  }
  for (const year of calendarCoverage(sla.calendar, now, sla.timezone)) {
    if (year.status !== "official")
      tellOnce(`calendar-${year.status}:${year.year}`, t.calendar.coverage(year));
  }
}

/**
 * The path of a request's target, query aside: the usual "/intake" or the absolute form a proxy may
 * send ("http://bot.example/intake"). A malformed target has none, so it is simply not a route.
 */
function requestPath(target: string | undefined): string | undefined {
  try {
    return new URL(target ?? "", "http://bot.invalid").pathname;
  } catch {
    return undefined;
  }
}

/** What must never appear in a log line or an error printed at start. */
export function secretsOf(config: Pick<Config, "botToken" | "webhook" | "intake">): string[] {
  return [config.botToken, config.webhook?.secret, config.intake?.token].filter((s) => s !== undefined);
}

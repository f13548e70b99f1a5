import { max } from "drizzle-orm";
import type { Bot, Transformer } from "grammy";
import type { Chat, Update, User } from "grammy/types";
import { pino } from "pino";
import { bindChat } from "../../src/app/chats.js";
import { createOrganization } from "../../src/app/organizations.js";
import { addMembership, grantRole, upsertPerson } from "../../src/app/people.js";
import { presetRuntime, type SlaRuntime } from "../../src/app/sla.js";
import type { AppDeps, BotContext } from "../../src/bot/context.js";
import { type BotOptions, createBot } from "../../src/bot/index.js";
import { ManualClock } from "../../src/clock.js";
import { applyMigrations, type DatabaseHandle, openDatabase } from "../../src/db/client.js";
import { type SyncFile, walSyncOf } from "../../src/db/durability.js";
import { inbox, type PersonRole } from "../../src/db/schema.js";
import type { JobDeps } from "../../src/jobs/sweep.js";
import { renderHere } from "../../src/reports/render.js";
import { renderInChildProcess } from "../../src/reports/renderer.js";
import { FakeBotApi } from "./fake-bot-api.js";
import { groupChat, privateChat, setUpdatesClock, tgUser, updates } from "./updates.js";

export interface HarnessOptions {
  adminIds?: number[];
  now?: string;
  regulation?: "orenburg" | "georgievsk";
  lawEnforcementChatId?: number;
  databasePath?: string;
  /** Renders reports in a child process, as production does with a database file (needs databasePath). */
  reportsInChildProcess?: boolean;
  /** Outgoing-request transformers as production installs them (auto-retry, throttler); none by default. */
  transformers?: Transformer[];
  /** Those of its conversations' APIs, as production installs them (replayAwareRetry); none by default. */
  conversationTransformers?: Transformer[];
  /** When an update's arrival reaches the disk, as a webhook (before handling) or polling bot has it. */
  arrivals?: BotOptions["arrivals"];
  /** How the database file's WAL is synced (test/reliability/durability.test.ts holds it back). */
  syncWal?: SyncFile;
}

/**
 * The bot under test, in this process, talking HTTP to a fake Bot API. Updates are fed with
 * bot.handleUpdate (awaited, so a test knows when the bot is done); everything the bot says goes
 * through the fake, where tests read it as a person would see it.
 */
export class Harness {
  /** Update ids go on from the last one the database saw, as Telegram's do across a restart. */
  private nextUpdateId: number;
  private constructor(
    readonly fake: FakeBotApi,
    readonly bot: Bot<BotContext>,
    readonly database: DatabaseHandle,
    readonly clock: ManualClock,
    readonly sla: SlaRuntime,
    /** What the bot's handlers are given. */
    readonly app: AppDeps,
  ) {
    const last = this.db
      .select({ id: max(inbox.updateId) })
      .from(inbox)
      .get()?.id;
    this.nextUpdateId = (last ?? 0) + 1;
  }

  static async start(options: HarnessOptions = {}): Promise<Harness> {
    const clock = new ManualClock(options.now ?? "2026-11-23T06:00:00Z");
    setUpdatesClock(clock);
    const fake = await FakeBotApi.start({ clock });
    const database = openDatabase(options.databasePath ?? ":memory:");
    if (options.syncWal) walSyncOf(database.sqlite, options.syncWal);
    applyMigrations(database.db);
    const regulation = options.regulation ?? "orenburg";
    const sla = presetRuntime(database.db, regulation);
    const log = pino({ level: "silent" });
    const reports =
      options.reportsInChildProcess && options.databasePath
        ? renderInChildProcess(
            {
              databasePath: options.databasePath,
              regulation,
              timezone: sla.timezone,
              schedule: {},
              logLevel: "silent",
            },
            log,
          ).render
        : renderHere(database.db, sla, log);
    const app: AppDeps = {
      db: database.db,
      clock,
      log,
      sla,
      reports,
      config: {
        adminIds: options.adminIds ?? [],
        inviteTtlDays: 7,
        timezone: sla.timezone,
        lawEnforcementChatId: options.lawEnforcementChatId,
      },
    };
    const bot = createBot({
      token: fake.token,
      apiRoot: fake.apiRoot,
      ...(options.transformers ? { transformers: options.transformers } : {}),
      ...(options.conversationTransformers
        ? { conversationTransformers: options.conversationTransformers }
        : {}),
      ...(options.arrivals ? { arrivals: options.arrivals } : {}),
      deps: app,
    });
    await bot.init();
    return new Harness(fake, bot, database, clock, sla, app);
  }

  get db() {
    return this.database.db;
  }

  /** What the jobs and card delivery are given in production, from this harness. */
  deps(): JobDeps {
    return {
      db: this.db,
      api: this.bot.api,
      sla: this.sla,
      clock: this.clock,
      log: pino({ level: "silent" }),
      config: { adminIds: this.app.config.adminIds },
      reports: this.app.reports,
    };
  }

  /** Delivers one update to the bot and waits until it is fully handled. */
  async deliver(update: Omit<Update, "update_id">): Promise<Update> {
    const full = this.fake.pushUpdate({ ...update, update_id: this.nextUpdateId++ });
    await this.bot.handleUpdate(full);
    return full;
  }

  /**
   * Arranges people directly in the database (they are registered as through an invite, which the
   * access tests cover), so workflow tests start from a staffed office.
   */
  seedPerson(
    telegramId: number,
    firstName: string,
    roles: PersonRole[],
    organizationIds: number[] = [],
  ): TestUser {
    const now = this.clock.now();
    this.db.transaction((tx) => {
      const personId = upsertPerson(tx, { id: telegramId, first_name: firstName }, now);
      for (const role of roles) grantRole(tx, personId, role, null, now);
      for (const organizationId of organizationIds) addMembership(tx, personId, organizationId, null, now);
    });
    return this.user(telegramId, firstName);
  }

  seedOrganization(name: string, shortName: string | null = null): number {
    const result = createOrganization(this.db, { name, shortName, actorId: null, now: this.clock.now() });
    if (!result.ok) throw new Error(`cannot seed organization ${name}: ${result.reason}`);
    return result.organization.id;
  }

  /** Binds a group chat as an organization's work chat (organizationId) or the curators' chat (null). */
  seedChat(chat: Chat.GroupChat | Chat.SupergroupChat, organizationId: number | null): void {
    bindChat(this.db, {
      chatId: chat.id,
      title: chat.title,
      purpose: organizationId === null ? "curators" : "organization",
      organizationId,
      actorId: null,
      now: this.clock.now(),
    });
  }

  user(id: number, firstName: string, extra?: Partial<User>): TestUser {
    return new TestUser(this, tgUser(id, firstName, extra));
  }

  group(id: number, title: string): Chat.GroupChat {
    return groupChat(id, title, "group") as Chat.GroupChat;
  }

  /** Texts of the bot's messages in a chat as they look now (after edits), oldest first. */
  texts(chatId: number): string[] {
    return this.fake.messages(chatId).map((m) => m.text ?? m.caption ?? "");
  }

  lastText(chatId: number): string {
    return this.texts(chatId).at(-1) ?? "";
  }

  async close(): Promise<void> {
    await this.fake.close();
    this.database.close();
  }
}

export class TestUser {
  readonly chat: Chat.PrivateChat;
  constructor(
    private readonly h: Harness,
    readonly tg: User,
  ) {
    this.chat = privateChat(tg);
  }

  get id(): number {
    return this.tg.id;
  }

  /** Sends a text (or a command) in the private chat, or in the given group. */
  async send(text: string, chat: Chat = this.chat): Promise<void> {
    await this.h.deliver(updates.text(chat, this.tg, text));
  }

  /** Presses the newest button with this label in the chat; returns the pop-up text, if any. */
  async press(label: string | RegExp, chat: Chat = this.chat): Promise<string | undefined> {
    const { message, callbackData } = this.h.fake.findButton(chat.id, label);
    const update = await this.h.deliver(updates.callback(this.tg, message, callbackData));
    const answer = this.h.fake.callbackAnswer(update.callback_query?.id ?? "");
    return answer?.text as string | undefined;
  }

  /** Sends a file to the bot, as a person attaches a document. */
  async upload(content: string, fileName: string, mimeType = "text/csv"): Promise<void> {
    const file = this.h.fake.addFile(content, fileName);
    await this.h.deliver(updates.document(this.chat, this.tg, file, fileName, mimeType));
  }

  /** What the bot shows this person in the private chat. */
  lastText(): string {
    return this.h.lastText(this.tg.id);
  }

  texts(): string[] {
    return this.h.texts(this.tg.id);
  }
}

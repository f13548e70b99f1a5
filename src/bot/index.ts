import { conversations, createConversation } from "@grammyjs/conversations";
import { sequentialize } from "@grammyjs/runner";
import { type Api, Bot, type Context, type Transformer } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import { boundTopic } from "../app/chats.js";
import { markUpdateDone, receiveUpdate } from "../app/inbox.js";
import { currentUpdate, withinUpdate } from "../app/update-scope.js";
import { CONVERSATIONS_VERSION } from "../conversations-version.js";
import { dialogueKey, sqliteConversationStorage } from "../db/conversation-storage.js";
import { onDisk, walSyncOf } from "../db/durability.js";
import { dialoguePlugin } from "../flows/ask.js";
import { leaveFlow } from "../flows/leave.js";
import { officialNameFlow } from "../flows/official-name.js";
import { addOrganizationFlow, renameOrganizationFlow, shortNameFlow } from "../flows/organization.js";
import { announcesAfterTurn, handleWithAnnouncements } from "./after-turn.js";
import { Features } from "./composer.js";
import type { AppDeps, BotContext } from "./context.js";
import { topicOf } from "./delivery.js";
import { answerOnlyWhomAsked, endDialogueOnCommand, endStrangersDialogues } from "./dialogs.js";
import { answersFeature } from "./features/answers.js";
import { calendar } from "./features/calendar.js";
import { chats, reachable, refusePressesInFormerChats } from "./features/chats.js";
import { draftsFeature, pointToDraftStart, sayDraftKeptOnCommand } from "./features/drafts.js";
import { fallback } from "./features/fallback.js";
import { files } from "./features/files.js";
import { incidentsFeature } from "./features/incidents.js";
import { intakeFeature } from "./features/intake.js";
import { invites } from "./features/invites.js";
import { officialName } from "./features/official-name.js";
import { organizations } from "./features/organizations.js";
import { people } from "./features/people.js";
import { reportsFeature } from "./features/reports.js";
import { start } from "./features/start.js";
import { botApiFetch } from "./http-client.js";
import { answerAnonymousSenders, identify, refuseStrangersPresses } from "./middlewares/identify.js";
import { answerLostPresses } from "./middlewares/lost-presses.js";
import { failedText, floodFailure } from "./refuse.js";
import { followMigration, topicLost } from "./refused-chats.js";
import { t } from "./texts.js";
import {
  fitPopUps,
  followMigratedChats,
  intoBoundTopics,
  notePressAnswered,
  onlyWhatIsOnDisk,
  quietOutsideWorkingTime,
  tolerateStaleCallbackAnswers,
  tolerateUnmodifiedEdits,
} from "./transformers.js";

export interface BotOptions {
  token: string;
  apiRoot?: string | undefined;
  /** Known bot identity (tests); otherwise fetched with getMe by bot.init(). */
  botInfo?: UserFromGetMe;
  deps: AppDeps;
  /** Outgoing-request transformers (throttler, auto-retry), installed in this order: the last is outermost. */
  transformers?: Transformer[];
  /**
   * Transformers for the API object of conversations, which does not inherit bot.api's. A throttler
   * must not be among them: a conversation replays its earlier calls through them on every update,
   * and each replayed call would wait for its turn again.
   */
  conversationTransformers?: Transformer[];
  /**
   * When an update's arrival reaches the disk: before it is handled (a webhook's answer, which may
   * come before the handling ends, tells Telegram it was received), or by the next getUpdates.
   */
  arrivals?: "synced" | "synced by the next fetch";
  /** Telegram answered a call with 401: the token is revoked or wrong (see botApiFetch). */
  onUnauthorized?: (method: string) => void;
}

/**
 * Telegram's refusals that mean "already so": innermost, for the bot and its conversations alike;
 * a press answered, or too old to answer, is noted after them.
 */
const TOLERANT = [tolerateStaleCallbackAnswers, tolerateUnmodifiedEdits, notePressAnswered];

/** The transformers every API of the bot has, its conversations' too. */
function ownTransformers(deps: AppDeps, api: Api): Transformer[] {
  const night = () => !deps.sla.workingTime.isWorkingDaySpan(deps.clock.now());
  const moved = (from: number, to: number) => followMigration({ ...deps, api }, from, to);
  const lost = (chatId: number, threadId: number) => topicLost({ ...deps, api }, chatId, threadId);
  return [
    onlyWhatIsOnDisk(deps.db),
    intoBoundTopics((chatId) => boundTopic(deps.db, chatId), lost),
    followMigratedChats(moved),
    ...TOLERANT,
    fitPopUps,
    quietOutsideWorkingTime(night),
  ];
}

export function createBot(options: BotOptions): Bot<BotContext> {
  const { deps } = options;
  const bot = new Bot<BotContext>(options.token, {
    ...(options.botInfo ? { botInfo: options.botInfo } : {}),
    client: {
      ...(options.apiRoot ? { apiRoot: options.apiRoot } : {}),
      fetch: botApiFetch(options.onUnauthorized),
    },
  });
  const transformers = [...ownTransformers(deps, bot.api), ...(options.transformers ?? [])];
  for (const transformer of transformers) bot.api.config.use(transformer);

  // Each update is recorded on arrival, before it waits for its turn: Telegram counts it delivered
  // once the next batch is fetched, so one queued behind its chat's previous update must already be
  // safe. One that a crash interrupted is handled again at start; one Telegram delivers twice is
  // handled once: a twin arriving while the first is handled waits for it. The audit trail names the
  // update, so handling it again finds the changes it made. It counts as handled once what it
  // announces after its chat's turn (after-turn.ts) is over.
  const handling = new Map<number, Promise<void>>();
  bot.use(async (ctx, next) => {
    const updateId = ctx.update.update_id;
    let received: ReturnType<typeof receiveUpdate>;
    try {
      received = receiveUpdate(deps.db, ctx.update, deps.clock.now());
    } catch (error) {
      // Not recorded, the update must not be confirmed to Telegram: it is delivered again after a restart.
      const reason = `update ${updateId} could not be written to the database (${String(error)})`;
      walSyncOf(deps.db.$client).fail(reason);
      deps.log.fatal({ err: error, updateId }, "an update could not be recorded: the bot stops sending");
      throw error;
    }
    if (received === "done") return;
    const twin = handling.get(updateId);
    if (twin) return twin;
    const threadId = topicOf(ctx.msg);
    const scope = {
      updateId,
      again: received === "again",
      ...(ctx.chatId !== undefined ? { chatId: ctx.chatId } : {}),
      ...(threadId !== undefined ? { threadId } : {}),
    };
    const handled = withinUpdate(scope, async () => {
      // A webhook is answered when the handling ends or after 10 s, whichever comes first.
      if (options.arrivals === "synced") await onDisk(deps.db);
      await handleWithAnnouncements(next).finally(() => markUpdateDone(deps.db, updateId, deps.clock.now()));
    });
    handling.set(updateId, handled);
    try {
      await handled;
    } finally {
      handling.delete(updateId);
    }
  });
  // Updates of one chat, and of one person, never run at the same time: conversations and
  // state transitions see each other's results.
  bot.use(
    sequentialize((ctx: Context) => [ctx.chatId, ctx.from?.id].filter((id) => id !== undefined).map(String)),
  );
  bot.use(async (ctx, next) => {
    ctx.app = deps;
    ctx.log = deps.log.child({ update_id: ctx.update.update_id });
    ctx.person = undefined;
    await next();
  });

  const guarded = new Features<BotContext>();
  bot.errorBoundary(async (error) => {
    const ctx = error.ctx;
    ctx.log.error({ err: error.error }, "update failed");
    try {
      // A press already answered takes no second pop-up: the apology goes under the pressed message.
      const pressed = ctx.callbackQuery;
      if (pressed && !currentUpdate()?.pressAnswered)
        await ctx.answerCallbackQuery({ text: floodFailure(error.error) ?? t.error, show_alert: true });
      else if (ctx.chat) {
        const under = pressed?.message?.message_id;
        await ctx.reply(failedText(ctx, error.error), {
          ...(under ? { reply_parameters: { message_id: under, allow_sending_without_reply: true } } : {}),
        });
      }
    } catch (replyError) {
      ctx.log.warn({ err: replyError }, "could not tell the person about the failure");
    }
  }, guarded);
  guarded.use(
    identify,
    reachable,
    refuseStrangersPresses,
    refusePressesInFormerChats,
    answerLostPresses,
    answerAnonymousSenders,
  );
  guarded.use(
    conversations<BotContext, Context>({
      storage: {
        type: "key",
        version: CONVERSATIONS_VERSION,
        // A dialogue's step ends its update's handling, unless the update went on from a dialogue
        // that ended to a handler announcing after its turn: that one marks it handled once done.
        adapter: sqliteConversationStorage(deps.db, deps.clock, (tx) => {
          const update = currentUpdate();
          if (update && !announcesAfterTurn()) markUpdateDone(tx, update.updateId, deps.clock.now());
        }),
        getStorageKey: (ctx) =>
          ctx.chatId === undefined ? undefined : dialogueKey(ctx.chatId, ctx.from?.id),
      },
      plugins: (conversation) => [
        async (ctx, next) => {
          for (const transformer of [
            ...ownTransformers(deps, bot.api),
            ...(options.conversationTransformers ?? []),
          ])
            ctx.api.config.use(transformer);
          await next();
        },
        dialoguePlugin(conversation, deps),
      ],
    }),
  );
  // After the conversations plugin (it reads which dialogues are open), before any dialogue.
  guarded.use(endStrangersDialogues);
  guarded.use(pointToDraftStart);
  guarded.use(sayDraftKeptOnCommand);
  guarded.use(endDialogueOnCommand);
  guarded.use(answerOnlyWhomAsked);
  guarded.use(createConversation(addOrganizationFlow(deps), "addOrganization"));
  guarded.use(createConversation(renameOrganizationFlow(deps), "renameOrganization"));
  guarded.use(createConversation(shortNameFlow(deps), "organizationShortName"));
  guarded.use(createConversation(leaveFlow(deps), "leave"));
  guarded.use(createConversation(officialNameFlow(deps), "officialName"));

  const intake = intakeFeature(deps);
  guarded.use(
    start,
    invites,
    organizations,
    people,
    officialName,
    intake.feature,
    incidentsFeature(deps),
    answersFeature(deps),
    draftsFeature(deps),
    files,
    calendar,
    chats,
    reportsFeature(deps),
    intake.afterDialogues,
    fallback,
  );

  bot.catch((error) =>
    deps.log.error({ err: error.error, update_id: error.ctx.update.update_id }, "unhandled error"),
  );
  return bot;
}

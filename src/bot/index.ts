import { conversations, createConversation } from "@grammyjs/conversations";
import { sequentialize } from "@grammyjs/runner";
import { type Api, Bot, type Context, type Transformer } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import { boundTopic } from "../app/chats.js";
import { markUpdateDone, receiveUpdate } from "../app/inbox.js";
import { currentUpdate, withinUpdate } from "../app/update-scope.js";
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
 * Bump when a conversation's code changes in a way that makes stored replays invalid: stored
 * conversations of an older version are dropped instead of replayed wrongly. 2: a question closes
 * after 30 minutes (waitForAnswer reads the clock); 3: a draft names its kind; 4: registration asks
 * about a repeat under the card, once the post is registered; 5: a dialogue's buttons count only
 * under its own question, and a typed-text question lets other buttons through; 6: so do /new's
 * answers and the draft's «Готово» and resume offer; 7: the link dialogue compares the post by its
 * duplicate key, and routing answers a pasted link instead of searching for it; 8: a draft begun
 * afresh first shows the co-executors' parts, and a link dialogue may offer to take the post's own
 * link; 9: a text typed at the attachments step replaces one taken from a saved or returned draft;
 * 10: the return dialogue tells a co-executor that its lead, not it, asks the author; 11: a reason
 * picked from its buttons is followed by whose competence it is; 12: registration tells another
 * comment at a registered link (Одноклассники, Дзен…) from the one registered there; 13: what
 * happens to a chat is no answer to a dialogue; 14: /new's link question finds the link among
 * words, and a post forwarded while it is asked says the first one is left; a draft's text refuses
 * a link alone; an answer's link refuses another post's comment; a new «Размещу лично» claim's
 * window starts at its press; a returned answer is offered back after a question to the author; an
 * organization's name question ends on a forward, a link or a file; the routing summary reads whose
 * turn it is; a post's detail question says it closed on a forward; 15: a post's detail question
 * closes on a pasted link; routing again asks about the shortening in force; a link among words is
 * taken as a published answer's; another text at the draft's attachments step offers to replace or
 * append; a refused draft says whose went first; 16: routing offers only the shortenings whose
 * deadline is still ahead, each with its deadline, and names the executors who block the bot; a
 * post's detail refused as changed names the button that asked it; a file sent at a draft's preview
 * is added, and a text kept from a saved draft is replaced once; 17: in a group, a question names
 * whom it asks and a reply to someone else's message is no answer; a command to another bot passes
 * a dialogue by; an answer counts when it was written, a published answer's link too; the draft
 * preview's album note; a question's confirmation names the answer's draft still owed (Georgievsk
 * p.11); a caption where a text is asked is not read; a voice note where a draft's text is asked
 * cannot be attached; a reply to a message of the bot the dialogue did not send (but its post's card
 * or draft) is no answer, each dialogue noting what it sent (dialoguePlugin); 18: a post's details
 * correct its text and author, and a detail's question is edited into its confirmation; the intake
 * asks the text when words came with a pasted link; 19: routing «По очереди» warns of parts due
 * after the lead's draft, the intake's repeat offers leave a surge's topic and place out; 20: a
 * co-executor's part sent while the lead's answer draft is on approval says so to the curators; 21: a
 * draft opened under the rework notice does not repeat the curator's comment; 22: the draft
 * preview's attachments are captioned as the draft's and come quietly; 23: a co-executor's part
 * for the curators to pass on says the lead's answer draft on approval lacks it; 24: where curators
 * may post the answer, the draft sent to them offers «Согласовать и разместить лично»; 25: routing's
 * lead question speaks of the co-executors' order only where the curator sets it (Orenburg p.14);
 * 26: the final answer offers the answer's earlier draft without a rework the interim answer ended;
 * 27: routing's confirmation names who gets the card privately where an organization has no work chat;
 * 28: a link question cancelled after «Согласовать и разместить лично» sends the executors the approved text;
 * 29: the rework notice of an answer offers «Промежуточный ответ» where the card does; 30: an
 * answer's link (or an interim one's) is told to the heads told of the post; 31: a final answer's
 * draft begun from the answer's earlier one keeps that in its saved work, shown to the curators when
 * resumed; 32: a post's details change its link, and a draft sent for a post closed meanwhile says it
 * was closed; 33: a dialogue's notices (rework, return, link, a curator's claim given up, a post's
 * detail told to the heads, a draft sent for approval) reach each chat once however often its step is handled;
 * 34: the intake's repeat offers find a recent post with the same text, offered to close as its duplicate;
 * 35: a draft dialogue begun before a colleague took the post over («Взять себе») is not sent; 36: nor
 * is a co-executor's part dialogue; 37: the leave dialogue («в отпуске до …», /leave and /people); 38: a
 * comment's new link keeps it a comment under the post.
 * 39: a rename asks whether to change the short name too, and a co-executor's part dialogue offers the
 * answer's draft saved while the organization was the lead.
 * 40: the routing dialogue takes the first organization chosen as the lead («Изменить основного
 * исполнителя»).
 * 41: the draft's question for the text offers a related post's approved answer («Тот же текст, что по № N»).
 * 42: the leave dialogue tells the person his leave set by an admin, and the dialogues' notices skip the
 * private chats of those on leave.
 * 43: routing's confirmation leaves executors on leave out of who gets the card privately.
 * 44: the leave dialogue takes a leave planned ahead, its first and last days («04.05–14.05»).
 * 45: the draft shows the text it starts from as a block to copy, asks whether a text typed over a
 * kept one replaces it or adds to it, and the texts typed before the choice wait together.
 * 46: the official name dialogue («Фамилия Имя Отчество»: /name, and «Указать ФИО» in /people).
 * 47: a link question cancelled hands an answer nobody holds to each of the organization's executors privately.
 * 48: the draft shows the lead organization's own part given before a merge made it the lead.
 * 49: the draft's «Готово» pressed while typed texts wait for «Заменить текст» / «Дописать к тексту» asks for
 * the choice first.
 */
const CONVERSATIONS_VERSION = 49;

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

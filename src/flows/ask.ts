import type { Conversation } from "@grammyjs/conversations";
import { type Context, GrammyError, InlineKeyboard, type Middleware } from "grammy";
import type { Message, MessageEntity, User, UserFromGetMe } from "grammy/types";
import { postShownIn } from "../app/incident-queries.js";
import { cb } from "../bot/callback-data.js";
import { leadingCommand, toAnotherBot } from "../bot/commands.js";
import type { BotContext } from "../bot/context.js";
import { t } from "../bot/texts.js";
import { ti } from "../bot/texts-intake.js";
import { dialogueKey } from "../db/conversation-storage.js";
import { fullName } from "../domain/access.js";
import { findLinks } from "../domain/source-link.js";

export type Flow = Conversation<BotContext, Context>;

export const SKIP = Symbol("skip");

/** How long a question of the bot waits for its answer (a reason, a comment, a link, a choice). */
export const ANSWER_WINDOW_MS = 30 * 60_000;

/**
 * The next update of a dialogue that asked something. Once the question has waited longer than
 * ANSWER_WINDOW_MS (since `since`, when given) the dialogue is over: a message is told it was not taken as the answer, and the
 * update is handled as if no dialogue were open — a post link pasted hours later is registered, not
 * taken for an old question's answer. Time is the bot's clock, read outside the replay; a message
 * counts when it was written (its date, never later than now), so one typed in time and received
 * late — the bot stopped meanwhile, or it is handled again at start — still answers. A message
 * replying to someone else's in a group, or to a message of the bot this dialogue did not send, is
 * no answer (skipSaidToSomeone).
 */
export async function waitForAnswer(
  conversation: Flow,
  since?: number,
  options: {
    /** A menu waiting for presses: what a group says around it passes by, replies to others too. */
    chatterPasses?: boolean;
  } = {},
): Promise<Context> {
  const now = () => conversation.external((outer: BotContext) => outer.app.clock.now().getTime());
  // A question asked again (its answer refused) waits anew, unless the dialogue's window is fixed.
  const asked = since ?? (await now());
  const answer = await conversation.wait();
  // A message corrected in place is no answer: it is told the bot does not see edits (fallback.ts),
  // and the question keeps waiting. What happens to the chat, or a command to another bot of the
  // group, is handled as without the dialogue.
  if (answer.editedMessage || aboutTheChat(answer) || toAnotherBot(answer.message, answer.me))
    await conversation.skip({ next: true });
  const at = await now();
  const written = answer.message ? Math.min(at, answer.message.date * 1000) : at;
  if (written - asked <= ANSWER_WINDOW_MS) {
    if (!options.chatterPasses) await skipSaidToSomeone(conversation, answer);
    return answer;
  }
  const text = answer.message?.text ?? answer.message?.caption;
  if (answer.message && !text?.startsWith("/")) await answer.reply(t.dialogExpired);
  return await conversation.halt({ next: true });
}

/**
 * A message that replies to something other than the dialogue's question is no answer: in a group,
 * one replying to someone's message, not the bot's (a colleague's, one's own), is said to them; in
 * any chat, one replying to a message of the bot that this dialogue did not send (another post's
 * card or draft, an earlier dialogue's question) is about that message. The person is told which
 * question waits (its post, where the dialogue knows it: `aboutPost`) and how to answer it, and the
 * question waits on. A command is the bot's all the same.
 */
export async function skipSaidToSomeone(conversation: Flow, answer: Context): Promise<void> {
  const message = answer.message;
  const to = message?.reply_to_message;
  if (!message || !to || leadingCommand(message)) return;
  // A forum topic's messages reply to its first one by themselves.
  if (message.is_topic_message && to.message_id === message.message_thread_id) return;
  const refuse = async (text: string) => {
    await answer.reply(text, {
      reply_parameters: { message_id: message.message_id, allow_sending_without_reply: true },
    });
    await conversation.skip({ next: false });
  };
  if (to.from?.id === answer.me.id) {
    if (said.get(conversation)?.has(messageKey(to))) return;
    // Its post's card or draft: a reply there is about the question's post too.
    const post = posts.get(conversation);
    const shown =
      post === undefined
        ? undefined
        : await conversation.external((outer: BotContext) =>
            postShownIn(outer.app.db, to.chat.id, to.message_id),
          );
    if (post !== undefined && shown === post) return;
    await refuse(t.answerTheQuestion(post));
  }
  if (answer.chat?.type === "private") return;
  await refuse(t.answerAsReply);
}

/** What each dialogue sent, by chat and message (`chat:message`): rebuilt on each replay. */
const said = new WeakMap<Flow, Set<string>>();
/** The post each dialogue is about, where it is about one. */
const posts = new WeakMap<Flow, number>();
/** Each bot's latest dialogue questions (askOf) with buttons, by chat and person (`chat:person`). */
const questions = new WeakMap<object, Map<string, { chat: { id: number }; message_id: number }>>();
/** The bot (its deps) each dialogue belongs to, told by `dialoguePlugin`. */
const bots = new WeakMap<Flow, object>();

const messageKey = (message: { chat: { id: number }; message_id: number }) =>
  `${message.chat.id}:${message.message_id}`;

/** The dialogue is about this post: a message that is no answer is told the question is № `id`'s. */
export function aboutPost(conversation: Flow, id: number): void {
  posts.set(conversation, id);
}

/**
 * The conversations plugin's part of every dialogue of `bot` (its deps): it notes each message
 * the dialogue sends (its questions, a question asked again, a confirmation), so that a reply to
 * any of them is an answer and a reply to another message of the bot is not; and it tells askOf
 * where to note the latest question, whose buttons `closeLatestQuestion` takes off.
 */
export function dialoguePlugin(conversation: Flow, bot: object): Middleware<Context> {
  const sent = said.get(conversation) ?? new Set<string>();
  said.set(conversation, sent);
  bots.set(conversation, bot);
  return async (ctx, next) => {
    ctx.api.config.use(async (prev, method, payload, signal) => {
      const response = await prev(method, payload, signal);
      if (response.ok)
        for (const result of [response.result].flat())
          if (typeof result === "object" && result !== null && "message_id" in result && "chat" in result)
            sent.add(messageKey(result as Message));
      return response;
    });
    await next();
  };
}

/**
 * Takes the buttons off the person's latest dialogue question in this chat, once another dialogue
 * replaces the one that asked it: its «Отмена» no longer looks live. Only the bot's memory knows it:
 * after a restart, such a button says it belongs to an earlier question.
 */
export async function closeLatestQuestion(ctx: Context, bot: object): Promise<void> {
  if (ctx.chatId === undefined) return;
  const key = dialogueKey(ctx.chatId, ctx.from?.id);
  const question = questions.get(bot)?.get(key);
  if (!question) return;
  questions.get(bot)?.delete(key);
  await removeButtons(ctx, question);
}

/** Notes the question just asked, if it has buttons: `closeLatestQuestion` takes them off. */
function noteQuestion(conversation: Flow, ctx: Context, question: Message): void {
  const bot = bots.get(conversation);
  if (!bot || !ctx.from || !question.reply_markup?.inline_keyboard.length) return;
  const open = questions.get(bot) ?? new Map();
  questions.set(bot, open);
  open.set(dialogueKey(question.chat.id, ctx.from.id), question);
}

/**
 * Sends a dialogue's question. In a group, where colleagues talk around it, it is addressed to the
 * person it is asked of, by the name the bot knows (a mention, so Telegram knows whom it is for
 * too); a step without buttons of its own opens that person's reply to it (a message carries one
 * markup: a step's buttons stay). In a private chat it is sent as it is.
 */
export async function askOf(
  conversation: Flow,
  ctx: Context,
  question: string,
  other: Parameters<Context["reply"]>[1] = {},
): Promise<Message> {
  const from = ctx.from;
  if (ctx.chat?.type === "private" || !from) {
    const asked = await ctx.reply(question, other);
    noteQuestion(conversation, ctx, asked);
    return asked;
  }
  const whom = await addressee(conversation, from);
  const text = t.askedOf(whom.name, question);
  const asked = await ctx.reply(text, {
    ...other,
    ...mentioning(text, whom),
    reply_markup: other.reply_markup ?? { force_reply: true, selective: true },
  });
  noteQuestion(conversation, ctx, asked);
  return asked;
}

/** Whom a dialogue's message in a group is for: the name the bot knows them by, and who they are. */
export interface Addressee {
  name: string;
  user: User;
}

export async function addressee(conversation: Flow, from: User): Promise<Addressee> {
  const name = await conversation.external((outer: BotContext) =>
    outer.person ? fullName(outer.person) : from.first_name,
  );
  return { name, user: { id: from.id, is_bot: false, first_name: from.first_name } };
}

/**
 * A text that starts with the addressee's name, the name made a mention: Telegram knows whom the
 * message is for, and so does askedOf at a reply or a press.
 */
export function mentioning(text: string, whom: Addressee): { entities?: MessageEntity[] } {
  if (!text.startsWith(whom.name)) return {};
  return { entities: [{ type: "text_mention", offset: 0, length: whom.name.length, user: whom.user }] };
}

/** Whom a question of the bot (askOf) is asked of in a group: the person it is addressed to. */
export function askedOf(
  message: Message | undefined,
  me: UserFromGetMe,
): { id: number; name: string } | undefined {
  if (message?.from?.id !== me.id || message.text === undefined) return undefined;
  const mention = message.entities?.find((e) => e.type === "text_mention" && e.offset === 0);
  if (mention?.type !== "text_mention") return undefined;
  return { id: mention.user.id, name: message.text.slice(0, mention.length) };
}

/** A button pressed in a group on a message addressed to someone else (askOf, a menu): that one's name. */
export function addressedToOther(ctx: Context): string | undefined {
  const on = ctx.callbackQuery?.message;
  const whom = on && on.date !== 0 ? askedOf(on as Message, ctx.me) : undefined;
  return whom && whom.id !== ctx.from?.id ? whom.name : undefined;
}

/** Service messages: what happened in a chat, said by Telegram, not by the person asked. */
const SERVICE: readonly string[] = [
  "new_chat_members",
  "left_chat_member",
  "new_chat_title",
  "new_chat_photo",
  "delete_chat_photo",
  "group_chat_created",
  "supergroup_chat_created",
  "migrate_to_chat_id",
  "migrate_from_chat_id",
  "pinned_message",
  "message_auto_delete_timer_changed",
  "write_access_allowed",
  "video_chat_started",
  "video_chat_ended",
  "video_chat_scheduled",
  "video_chat_participants_invited",
];

/**
 * Whether an update is about the chat, not an answer: the bot's or a member's status changed (the
 * bot removed, blocked, made an administrator), a service message (the group upgraded to a
 * supergroup, someone joined), a reaction. Such an update goes on to its own handler.
 */
export function aboutTheChat(ctx: Context): boolean {
  const { message } = ctx;
  if (message) return SERVICE.some((field) => field in message);
  return ctx.callbackQuery === undefined && ctx.editedMessage === undefined;
}

/** Words people type to stop a dialogue, besides /cancel: taken as it, never as the answer. */
const CANCEL_WORDS = new Set(["/cancel", "отмена", "отменить", "отмени", "стоп", "cancel"]);

/**
 * Whether a typed answer means «stop»: /cancel (in a group, tapped in the bot's question, it comes
 * as /cancel@<bot>), or «отмена» and the like, in any case.
 */
export function isCancel(text: string | undefined): boolean {
  if (text === undefined) return false;
  return CANCEL_WORDS.has(
    text
      .trim()
      .toLowerCase()
      .replace(/^(\/cancel)@\w+$/, "$1")
      .replace(/[.!]+$/, ""),
  );
}

/**
 * Asks for a line of text. /cancel (or «отмена») ends the flow; any other command ends it too and is then handled
 * as usual, so a person is never stuck inside a dialogue. A «Пропустить» button is offered when
 * the answer is optional. `check` returns an error text to ask again with. `typed`: what was typed after
 * the command, taken at once if it passes `check`; if it does not, the person is told why and asked.
 */
export async function askText(
  conversation: Flow,
  ctx: Context,
  prompt: string,
  opts: {
    optional?: boolean;
    /** The skip button's label, if not «Пропустить». */
    skipLabel?: string;
    check?: (text: string) => string | undefined | Promise<string | undefined>;
    typed?: string;
  } = {},
): Promise<string | typeof SKIP> {
  if (opts.typed) {
    const refusal = await opts.check?.(opts.typed);
    if (refusal === undefined) return opts.typed;
    await ctx.reply(refusal);
  }
  const markup = opts.optional
    ? { reply_markup: new InlineKeyboard().text(opts.skipLabel ?? t.org.skip, cb("flow.skip")) }
    : {};
  // Where this question's «Пропустить» is: one under an earlier question (of another organization,
  // say) skips nothing here.
  const asked = [await ctx.reply(prompt, markup)];
  for (;;) {
    const answer = await waitForAnswer(conversation);
    if (opts.optional && answer.callbackQuery?.data === "flow.skip") {
      if (!asked.some((message) => pressedOn(answer, message))) {
        await staleStep(answer);
        continue;
      }
      await answer.answerCallbackQuery();
      return SKIP;
    }
    // A button of another message (an organization's card, a post's «Согласовать») is handled as
    // without the dialogue, which keeps waiting for its answer.
    if (answer.callbackQuery) await conversation.skip({ next: true });
    // A post forwarded or pasted, or a file sent, is no answer: it is most likely work of its own
    // (a post to register, a list to import), handled as without the dialogue, which ends.
    const message = answer.message;
    if (message && (message.forward_origin || message.document || findLinks(message.text ?? "").length > 0)) {
      await answer.reply(t.org.leftForMessage);
      await conversation.halt({ next: true });
    }
    const text = message?.text?.trim();
    if (text === undefined) {
      asked.push(await answer.reply(prompt, markup));
      continue;
    }
    if (isCancel(text)) {
      await answer.reply(t.org.cancelled);
      await conversation.halt();
    }
    if (text.startsWith("/")) await conversation.halt({ next: true });
    const problem = await opts.check?.(text);
    if (problem === undefined) return text;
    asked.push(await answer.reply(problem, markup));
  }
}

/**
 * Takes the buttons off a dialogue's question once it is answered. A question deleted meanwhile (by
 * the person, or a group's admin), or too old to edit, does not matter: the answer counts all the same.
 */
export async function removeButtons(
  ctx: Context,
  message: { chat: { id: number }; message_id: number },
): Promise<void> {
  try {
    await ctx.api.editMessageReplyMarkup(message.chat.id, message.message_id, {
      reply_markup: new InlineKeyboard(),
    });
  } catch (error) {
    if (!(error instanceof GrammyError)) throw error;
  }
}

/**
 * Whether a press is on this message (the question a dialogue waits under), not on a button left
 * under an earlier question: such a press gets `staleStep` and does nothing.
 */
export function pressedOn(ctx: Context, message: { chat: { id: number }; message_id: number } | undefined) {
  const on = ctx.callbackQuery?.message;
  return on !== undefined && on.message_id === message?.message_id && on.chat.id === message.chat.id;
}

/** A button of an earlier question: it says so, and nothing else happens. */
export async function staleStep(ctx: Context): Promise<void> {
  await ctx.answerCallbackQuery({ text: ti.staleStep });
}

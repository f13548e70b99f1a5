import { openClaim } from "../app/answers.js";
import { loadIncident } from "../app/incidents.js";
import { claimNotice, noticeClaimedAt, noticesStartingWith, releaseNotice } from "../app/notices.js";
import type { Db } from "../db/client.js";
import { dialogueArgs, dialogueOpenIn } from "../db/conversation-storage.js";
import { DRAFT_PURPOSES } from "../db/schema.js";
import { fullName } from "../domain/access.js";
import type { DraftPurpose } from "../domain/incident.js";
import { formatDeadline } from "../domain/time-format.js";
import { ANSWER_WINDOW_MS, askedOf, closeLatestQuestion } from "../flows/ask.js";
import { leadingCommand, toAnotherBot } from "./commands.js";
import type { BotContext } from "./context.js";
import { t } from "./texts.js";
import { ta } from "./texts-answers.js";

/** The dialogue asking for the link of what was posted (flows/answers.ts linkFlow). */
export const LINK_DIALOG = "answer.link";

/**
 * A draft's «Начать», sent privately and not pressed yet, by person (features/drafts.ts points
 * messages typed meanwhile to it). A dialogue the person opens, or a command, forgets it: they
 * moved on. Kept in the notices ledger — `draft-start:<person>:<post>:<purpose>`, when it was sent —
 * so that a restart keeps it too.
 */
export interface AwaitedStart {
  id: number;
  purpose: DraftPurpose;
  at: number;
}

const startsOf = (telegramId: number) => `draft-start:${telegramId}:`;

/** The person's «Начать» just sent: it replaces one sent before. */
export function awaitStart(db: Db, telegramId: number, start: AwaitedStart): void {
  db.transaction(() => {
    for (const key of noticesStartingWith(db, startsOf(telegramId))) releaseNotice(db, key);
    claimNotice(db, `${startsOf(telegramId)}${start.id}:${start.purpose}`, new Date(start.at));
  });
}

/** The person's «Начать» not pressed yet, if any. */
export function awaitedStart(db: Db, telegramId: number): AwaitedStart | undefined {
  const key = noticesStartingWith(db, startsOf(telegramId))[0];
  const at = key === undefined ? undefined : noticeClaimedAt(db, key);
  if (key === undefined || at === undefined) return undefined;
  const [id, named] = key.slice(startsOf(telegramId).length).split(":");
  const purpose = DRAFT_PURPOSES.find((p) => p === named);
  return purpose && { id: Number(id), purpose, at: at.getTime() };
}

/** The person moved on in the private chat: a «Начать» offered no longer takes what they type. */
export function forgetAwaitedStart(ctx: BotContext): void {
  if (ctx.chat?.type !== "private" || !ctx.from) return;
  const { db } = ctx.app;
  // Read first: most commands and dialogues come with no offer waiting, and need no write.
  const keys = noticesStartingWith(db, startsOf(ctx.from.id));
  if (keys.length === 0) return;
  db.transaction(() => {
    for (const key of keys) releaseNotice(db, key);
  });
}

/** The button that opened each person's latest dialogue, and when, by chat and person. */
const openedBy = new Map<string, { button: string; at: number }>();
/** A second press within this long is a double tap; later, the person means to start again. */
const DOUBLE_TAP_MS = 30_000;

/**
 * Opens a dialogue from a button press (rights and state already checked). The same button pressed
 * again at once while its dialogue still waits — a double tap — does not open a second one whose
 * question would stand beside the first: the person is told to answer the one above. Any other
 * button, or the same one later, closes the dialogue that waits (its latest question loses its
 * buttons) and opens its own.
 */
export async function openDialog(ctx: BotContext, name: string, ...args: unknown[]): Promise<boolean> {
  const key = `${ctx.chatId ?? ""}:${ctx.from?.id ?? ""}`;
  const button = `${name}|${ctx.callbackQuery?.data ?? ""}`;
  const last = openedBy.get(key);
  const now = ctx.app.clock.now().getTime();
  if (
    ctx.callbackQuery &&
    last?.button === button &&
    now - last.at < DOUBLE_TAP_MS &&
    ctx.conversation.active(name) > 0
  ) {
    await ctx.answerCallbackQuery({ text: t.dialogOpen });
    return false;
  }
  await ctx.answerCallbackQuery();
  forgetAwaitedStart(ctx);
  await endDialogues(ctx, name === LINK_DIALOG ? args[0] : undefined);
  openedBy.set(key, { button, at: now });
  await ctx.conversation.enter(name, ...args);
  return true;
}

/**
 * Someone whose access was closed in the middle of a dialogue (a draft, a link) is a stranger again:
 * the dialogue ends, and what he sends is answered as a stranger's (how to get access), not taken
 * as its next step.
 */
export async function endStrangersDialogues(ctx: BotContext, next: () => Promise<void>): Promise<void> {
  const stranger = ctx.from !== undefined && !ctx.from.is_bot && !ctx.person;
  if (stranger) await endDialogues(ctx);
  await next();
}

/**
 * A command to the bot ends the person's open dialogue in that chat before any feature handles it —
 * as each dialogue would itself, were it reached: the features before them answer /list, /find or
 * /help, and a message written after would otherwise be taken as the old question's answer.
 * /cancel is left to the dialogue, which says it is cancelled; a command to another bot is no concern.
 */
export async function endDialogueOnCommand(ctx: BotContext, next: () => Promise<void>): Promise<void> {
  if (commandEndsDialogues(ctx)) await endDialogues(ctx);
  await next();
}

/** Whether the message is a command that ends the person's open dialogue (see endDialogueOnCommand). */
export function commandEndsDialogues(ctx: BotContext): boolean {
  const command = leadingCommand(ctx.message);
  return !!command && !toAnotherBot(ctx.message, ctx.me) && command.name !== "cancel";
}

/**
 * Ends the person's open dialogues in the chat: the latest question loses its buttons, no longer
 * looking open. `linkAsked`: the post whose link the dialogue replacing them asks for.
 */
async function endDialogues(ctx: BotContext, linkAsked?: unknown): Promise<void> {
  if (Object.keys(ctx.conversation.active()).length === 0) return;
  const owed = linkStillOwed(ctx, linkAsked);
  await closeLatestQuestion(ctx, ctx.app);
  await ctx.conversation.exitAll();
  if (owed) await ctx.reply(owed);
}

/**
 * A curator's «Размещу лично» link question closed by another dialogue or a command leaves his claim
 * standing till its window is over (jobs/curator-posting.ts): he is told in one line that the link is
 * still owed and how to give it — unless the new dialogue asks for that same link.
 */
function linkStillOwed(ctx: BotContext, linkAsked: unknown): string | undefined {
  const { db, clock, sla } = ctx.app;
  const person = ctx.person;
  if (!person || ctx.chatId === undefined || ctx.conversation.active(LINK_DIALOG) === 0) return undefined;
  const [id, , curatorPosts] = dialogueArgs(db, ctx.chatId, person.telegramId, LINK_DIALOG) ?? [];
  if (typeof id !== "number" || curatorPosts !== true || id === linkAsked) return undefined;
  const claim = openClaim(db, id, clock.now(), ANSWER_WINDOW_MS);
  if (claim?.event.actorId !== person.id) return undefined;
  const kind = loadIncident(db, id)?.answer?.draftKind ?? "answer";
  const until = formatDeadline(new Date(claim.event.at.getTime() + ANSWER_WINDOW_MS), sla.timezone);
  const line = ta.publish.linkStillOwed(id, kind, until);
  return ctx.chat?.type === "private" ? line : t.askedOf(fullName(person), line);
}

/**
 * Whether a question of the bot may wait for its answer in the chat (anyone's, or the person's
 * given): a dialogue there took a step within the answer window (see waitForAnswer).
 */
export function questionWaits(ctx: BotContext, chatId: number, telegramId?: number): boolean {
  const since = new Date(ctx.app.clock.now().getTime() - ANSWER_WINDOW_MS);
  return dialogueOpenIn(ctx.app.db, chatId, since, telegramId);
}

/**
 * In a group, a reply to the bot's question asked of someone else (askOf names whom) is not theirs
 * to answer, nor an answer to a question of the one who replies: before any dialogue sees it, it is
 * told whose question it is, and nothing changes. A command is handled as usual.
 */
export async function answerOnlyWhomAsked(ctx: BotContext, next: () => Promise<void>): Promise<void> {
  const message = ctx.message;
  const asked = askedOf(message?.reply_to_message, ctx.me);
  const from = ctx.from;
  if (!message || !asked || !from || from.is_bot || asked.id === from.id || leadingCommand(message))
    return await next();
  // A question answered, or left unanswered past its window, is anyone's to talk about.
  if (!questionWaits(ctx, message.chat.id, asked.id)) return await next();
  await ctx.reply(t.askedSomeoneElse(asked.name), {
    reply_parameters: { message_id: message.message_id, allow_sending_without_reply: true },
  });
}

import { createConversation } from "@grammyjs/conversations";
import { GrammyError, InlineKeyboard } from "grammy";
import { draftWorkSince, loadDraftWork } from "../../app/answers.js";
import { type Incident, loadIncident } from "../../app/incidents.js";
import { dialogueArgs } from "../../db/conversation-storage.js";
import { DRAFT_PURPOSES } from "../../db/schema.js";
import { actionRules, type DraftKind, type DraftPurpose } from "../../domain/incident.js";
import { attachmentOf, draftFlow, draftKind, draftRefusal } from "../../flows/draft.js";
import { cb, ID, onAction } from "../callback-data.js";
import { DRAFT_ACTIONS } from "../cards.js";
import { Features } from "../composer.js";
import type { AppDeps, BotContext } from "../context.js";
import {
  awaitedStart,
  awaitStart,
  commandEndsDialogues,
  forgetAwaitedStart,
  openDialog,
} from "../dialogs.js";
import { DRAFT_BUTTON } from "../texts-answers.js";
import { td } from "../texts-drafts.js";

const DRAFT_DIALOG = "incident.draft";

const popup = (ctx: BotContext, text: string) => ctx.answerCallbackQuery({ text, show_alert: true });

/**
 * «Подготовить ответ», «Промежуточный ответ», «Запрос автору» on the lead executor's card: the draft
 * is collected in the private chat and goes to the curators (Orenburg p.9; Georgievsk p.11).
 */
export function draftsFeature(deps: AppDeps): Features<BotContext> {
  const composer = new Features<BotContext>();
  composer.use(createConversation(draftFlow(deps), DRAFT_DIALOG));
  for (const [purpose, action] of Object.entries(DRAFT_ACTIONS) as [DraftPurpose, string][]) {
    composer.callbackQuery(onAction(action, [ID]), (ctx) => startDraft(ctx, Number(ctx.match[1]), purpose));
  }
  composer.callbackQuery(/^dr\./, async (ctx) => {
    const sent = /^dr\.send:(\d+)$/.exec(ctx.callbackQuery.data)?.[1];
    if (sent !== undefined && sentForApproval(ctx, Number(sent)))
      return ctx.answerCallbackQuery({ text: td.alreadySent(Number(sent)) });
    return popup(ctx, td.dialogOver);
  });
  return composer;
}

/** «Отправить на согласование» pressed twice: the first press sent this person's draft, which waits for the curators. */
function sentForApproval(ctx: BotContext, incidentId: number): boolean {
  const incident = loadIncident(ctx.app.db, incidentId);
  return (
    ctx.person !== undefined &&
    incident?.row.state === "on_approval" &&
    incident.answer?.draftAuthorId === ctx.person.id
  );
}

/**
 * How long a «Начать» sent privately waits to be pressed: a message typed meanwhile (people tend to
 * type the answer at once) is pointed to the button instead of being «не удалось разобрать».
 */
const AWAITING_MS = 30 * 60_000;

/** The album already answered, by person: its other items come one by one and are not answered again. */
const albumsAnswered = new WeakMap<AppDeps, Map<number, string | undefined>>();

/**
 * A private message (not a command) while a «Начать» waits gets the button again, with what to do,
 * before any dialogue sees it: a draft dialogue of another post left open in the private chat must
 * not take the text meant for the post whose «Подготовить ответ» was just pressed (another dialogue's
 * open question takes its answer, see otherQuestionOpen). A command, or a
 * dialogue opened privately (say «Размещено» of another post), forgets the offer: the person moved
 * on (see forgetAwaitedStart).
 */
export async function pointToDraftStart(ctx: BotContext, next: () => Promise<void>): Promise<void> {
  const command = ctx.message?.text?.startsWith("/");
  if (command) forgetAwaitedStart(ctx);
  const typed = ctx.chat?.type === "private" && ctx.message && !command;
  if (!typed || !ctx.person || otherQuestionOpen(ctx) || !(await pointedToStart(ctx))) await next();
}

/**
 * A question of another dialogue open in the chat (a link after «Размещено», a comment): the message
 * answers it, as it would without the offer. Only a draft dialogue of another post is passed by.
 */
function otherQuestionOpen(ctx: BotContext): boolean {
  return Object.entries(ctx.conversation.active()).some(
    ([name, count]) => count > 0 && name !== DRAFT_DIALOG,
  );
}

/** The button again, with what to do; false if no «Начать» waits. */
async function pointedToStart(ctx: BotContext): Promise<boolean> {
  const from = ctx.from?.id;
  const waiting = from === undefined ? undefined : awaitedStart(ctx.app.db, from);
  if (from === undefined || !waiting || ctx.app.clock.now().getTime() - waiting.at > AWAITING_MS)
    return false;
  if (albumAnswered(ctx, from)) return true;
  const incident = loadIncident(ctx.app.db, waiting.id);
  const kind = incident ? draftKind(incident, waiting.purpose) : waiting.purpose;
  await ctx.reply(td.pressStartFirst(waiting.id, kind), {
    reply_markup: new InlineKeyboard().text(td.button.start, cb(DRAFT_ACTIONS[waiting.purpose], waiting.id)),
  });
  return true;
}

/** Whether another item of this message's album was answered already; else it is noted as answered. */
function albumAnswered(ctx: BotContext, from: number): boolean {
  const albums = albumsAnswered.get(ctx.app) ?? new Map<number, string | undefined>();
  albumsAnswered.set(ctx.app, albums);
  const album = ctx.message?.media_group_id;
  if (album !== undefined && albums.get(from) === album) return true;
  albums.set(from, album);
  return false;
}

/**
 * A command typed in the middle of a draft's dialogue (/list, /find to look something up) ends it
 * before its own answer (endDialogueOnCommand): the executor is told, in one line, that the draft
 * is kept and how to come back to it — else his next photo meets «не удалось разобрать».
 */
export async function sayDraftKeptOnCommand(ctx: BotContext, next: () => Promise<void>): Promise<void> {
  const kept = ctx.conversation.active(DRAFT_DIALOG) > 0 && commandEndsDialogues(ctx) && keptDraft(ctx);
  if (kept) await ctx.reply(td.keptOnCommand(kept.id, kept.kind, DRAFT_BUTTON[kept.kind]));
  await next();
}

/**
 * The draft of the person's dialogue open in this chat (its post and purpose as startDraft entered
 * it), if its work is kept.
 */
function keptDraft(ctx: BotContext): { id: number; kind: DraftKind } | undefined {
  if (ctx.chatId === undefined || !ctx.from || !ctx.person) return undefined;
  const { db } = ctx.app;
  const [id, named = "answer"] = dialogueArgs(db, ctx.chatId, ctx.from.id, DRAFT_DIALOG) ?? [];
  const purpose = DRAFT_PURPOSES.find((p) => p === named);
  if (typeof id !== "number" || !purpose || !loadDraftWork(db, id, ctx.person.id, purpose)) return undefined;
  const incident = loadIncident(db, id);
  return incident && { id, kind: draftKind(incident, purpose) };
}

/**
 * How long a draft left unfinished is taken for what a photo or a text with no dialogue open was
 * meant for: a command's detour or a reconnect's queued photos come within minutes, the next
 * morning's message hardly is the draft's.
 */
const LEFT_DRAFT_MS = 4 * 60 * 60_000;
/** How many such drafts the pointer offers, the latest first. */
const LEFT_DRAFTS_SHOWN = 3;

/**
 * A photo, a file or a text no feature took, from someone whose draft was left unfinished lately:
 * instead of «не удалось разобрать» he is told it was not added, with a button that opens the draft
 * again (the card's own). Nothing is attached by itself: which draft, and whether, is his to say.
 * False when there is no such draft.
 */
export async function pointedToLeftDraft(ctx: BotContext): Promise<boolean> {
  const message = ctx.message;
  const typed = message?.text !== undefined && !message.text.startsWith("/");
  if (!message || !ctx.person || !(typed || attachmentOf(message))) return false;
  const { db, clock, sla } = ctx.app;
  const rules = actionRules(sla.regulation);
  const since = new Date(clock.now().getTime() - LEFT_DRAFT_MS);
  const left: { id: number; purpose: DraftPurpose; kind: DraftKind }[] = [];
  for (const work of draftWorkSince(db, ctx.person.id, since)) {
    const incident = loadIncident(db, work.incidentId);
    // Only a draft he may still send: not one of a post closed, or taken from his organization, since.
    if (!incident || draftRefusal(incident, ctx.person, work.purpose, rules)) continue;
    left.push({ id: incident.id, purpose: work.purpose, kind: draftKind(incident, work.purpose) });
    if (left.length === LEFT_DRAFTS_SHOWN) break;
  }
  if (left.length === 0) return false;
  if (albumAnswered(ctx, ctx.person.telegramId)) return true;
  const keyboard = new InlineKeyboard();
  for (const draft of left)
    keyboard.text(td.button.saved(draft.id, draft.kind), cb(DRAFT_ACTIONS[draft.purpose], draft.id)).row();
  const [first] = left;
  const text =
    first && left.length === 1
      ? td.notAddedToDraft(first.id, first.kind)
      : td.notAddedToDrafts(left.map((d) => d.id));
  await ctx.reply(text, { reply_markup: keyboard });
  return true;
}

/** Rights and state are checked first, so a stranger's press is a pop-up and nothing changes. */
async function startDraft(ctx: BotContext, id: number, purpose: DraftPurpose) {
  const incident = loadIncident(ctx.app.db, id);
  if (!incident) return popup(ctx, td.notFound(id));
  const refusal = draftRefusal(incident, ctx.person, purpose, actionRules(ctx.app.sla.regulation));
  if (refusal) return popup(ctx, refusal);
  if (ctx.chat?.type !== "private") return moveToPrivateChat(ctx, incident, purpose);
  // An answer's dialogue keeps its old arguments, so a dialogue open at an upgrade replays alike.
  await openDialog(ctx, DRAFT_DIALOG, id, ...(purpose === "answer" ? [] : [purpose]));
}

/**
 * A dialogue lives in the chat where it was entered, and a work chat is no place for a draft: the
 * executor gets a private message whose button starts it there.
 */
async function moveToPrivateChat(ctx: BotContext, incident: Incident, purpose: DraftPurpose) {
  const id = incident.id;
  const keyboard = new InlineKeyboard().text(td.button.start, cb(DRAFT_ACTIONS[purpose], id));
  // Named as the button did: after an interim answer, «Подготовить ответ» prepares the final one.
  const text = td.startPrivately(id, draftKind(incident, purpose));
  try {
    await ctx.api.sendMessage(ctx.callbackQuery?.from.id ?? 0, text, { reply_markup: keyboard });
  } catch (error) {
    if (!(error instanceof GrammyError)) throw error;
    return popup(ctx, td.openPrivateFirst);
  }
  if (ctx.from) awaitStart(ctx.app.db, ctx.from.id, { id, purpose, at: ctx.app.clock.now().getTime() });
  await ctx.answerCallbackQuery({ text: td.continuePrivately });
}

/**
 * How the bot reaches people outside the reply to an update: cards shown afresh, notices to curators,
 * to an organization and to admins, long texts split to Telegram's size. A chat that refuses is
 * logged, never thrown: the change the notice is about has already been made.
 */
import { type Api, GrammyError, InlineKeyboard } from "grammy";
import type { Message } from "grammy/types";
import type { Logger } from "pino";
import {
  chatOfOrganization,
  findBoundChat,
  findBoundChatByPurpose,
  reachableCuratorChats,
} from "../app/chats.js";
import { forgetCard, organizationNames } from "../app/incident-queries.js";
import { type Incident, loadIncident } from "../app/incidents.js";
import { cardMessageId } from "../app/intake.js";
import { type PresenceDeps, present } from "../app/leave.js";
import { claimNotice, noticeClaimed, updateNoticeKey } from "../app/notices.js";
import { reachableMembers, reachableWithRole, telegramIdOfMember } from "../app/people.js";
import { currentUpdate } from "../app/update-scope.js";
import { hasRole, type Person } from "../domain/access.js";
import { cutBefore } from "../domain/clip.js";
import { leadAssignment, receivedAssignments } from "../domain/incident.js";
import {
  type Audience,
  type CardDeps,
  cardTargets,
  onlookerAudience,
  privateAudience,
  syncCards,
} from "./cards.js";
import type { AppDeps } from "./context.js";
import { chatRefused, failureOf, type RefusalDeps, type SendFailure } from "./refused-chats.js";
import { t } from "./texts.js";
import { tr } from "./texts-incidents.js";

export const MESSAGE_LIMIT = 4096;

/**
 * How a notice sounds. `ring`: with sound at night too (a significant post); `quiet`: without sound
 * even in working time (news with nothing to do at once); otherwise quiet only outside working time
 * (quietOutsideWorkingTime). `replyTo`: the message it points to, such as the card to act on.
 */
export interface Sound {
  ring?: boolean;
  quiet?: boolean;
  replyTo?: number;
}

export function cardDeps(deps: AppDeps, api: Api): CardDeps {
  return { api, db: deps.db, sla: deps.sla, clock: deps.clock, log: deps.log, config: deps.config };
}

/**
 * Cuts a long text into Telegram-sized messages: at a line break where it can, else after a space,
 * and never between the two halves of a character such as an emoji.
 */
export function splitMessage(text: string, limit = MESSAGE_LIMIT): string[] {
  const parts: string[] = [];
  let rest = text;
  while (rest.length > limit) {
    const at = cutAt(rest, limit);
    parts.push(rest.slice(0, at));
    rest = rest.slice(at).replace(/^\n/, "");
  }
  if (rest.length > 0) parts.push(rest);
  return parts;
}

function cutAt(text: string, limit: number): number {
  const line = text.lastIndexOf("\n", limit);
  if (line > limit / 2) return line;
  const space = text.lastIndexOf(" ", limit - 1);
  if (space > limit / 2) return space + 1;
  return cutBefore(text, limit);
}

/**
 * The messages of a text made of pieces kept whole where they can: one message, a line break
 * between them, when it fits; otherwise each piece begins a message (so a text to copy, such as an
 * approved answer, comes alone), and only a piece longer than a message is cut (see splitMessage).
 */
export function splitPieces(pieces: readonly string[], limit = MESSAGE_LIMIT): string[] {
  const whole = pieces.join("\n");
  if (whole.length <= limit) return whole.length > 0 ? [whole] : [];
  return pieces.flatMap((piece) => splitMessage(piece, limit));
}

/** How a notice goes (sendLong and the notices built on it): its sound, and… */
export interface NoticeOptions extends Sound {
  /**
   * Its name among the notices of the update being handled: each chat gets it once, however often
   * the update is handled (see oncePerUpdate).
   */
  once?: string;
}

/**
 * Does for one chat what the update being handled does once (`what` names it among the update's
 * notices): handled again after a crash, the update skips the chats its first handling reached and
 * reaches the others, so only a message Telegram took just as the process died may arrive twice.
 * Whether the chat has it. Unnamed, or outside an update's handling (a job), it is just done.
 */
export async function oncePerUpdate(
  deps: Pick<RefusalDeps, "db" | "clock">,
  what: string | undefined,
  chatId: number,
  act: () => Promise<boolean>,
): Promise<boolean> {
  const update = currentUpdate();
  if (!update || what === undefined) return act();
  const key = updateNoticeKey(update.updateId, what, chatId);
  if (update.again && noticeClaimed(deps.db, key)) return true;
  const done = await act();
  if (done) claimNotice(deps.db, key, deps.clock.now());
  return done;
}

/**
 * Sends a text (split if long: see splitMessage, splitPieces). A chat that refuses is logged and
 * handled (a person who blocked the bot is marked, a group's refusal told to the admins), never
 * thrown: the change is already made. Telegram out of reach (no network) is thrown.
 */
export async function sendLong(
  deps: Omit<RefusalDeps, "api">,
  api: Api,
  chatId: number,
  /** Pieces: kept whole where they can (see splitPieces). */
  text: string | readonly string[],
  keyboard?: InlineKeyboard,
  options: NoticeOptions = {},
): Promise<boolean> {
  return oncePerUpdate(deps, options.once, chatId, async () => {
    try {
      await sendParts(api, chatId, text, keyboard, options);
      return true;
    } catch (error) {
      if (!(error instanceof GrammyError)) throw error;
      await sendFailed(deps, api, chatId, error);
      return false;
    }
  });
}

/**
 * Like sendLong, but never thrown: how it went — "sent", or the failure (see failureOf), so that a
 * notice claimed once is given back when it failed only for now and tried again.
 */
export async function deliverLong(
  deps: Omit<RefusalDeps, "api">,
  api: Api,
  chatId: number,
  /** Pieces: kept whole where they can (see splitPieces). */
  text: string | readonly string[],
  keyboard?: InlineKeyboard,
  options: Sound = {},
): Promise<"sent" | SendFailure> {
  try {
    await sendParts(api, chatId, text, keyboard, options);
    return "sent";
  } catch (error) {
    return sendFailed(deps, api, chatId, error);
  }
}

async function sendParts(
  api: Api,
  chatId: number,
  text: string | readonly string[],
  keyboard?: InlineKeyboard,
  options: NoticeOptions = {},
): Promise<void> {
  const parts = typeof text === "string" ? splitMessage(text) : splitPieces(text);
  const sound = options.ring
    ? { disable_notification: false }
    : options.quiet
      ? { disable_notification: true }
      : {};
  for (const [i, part] of parts.entries()) {
    const first =
      i === 0 && options.replyTo !== undefined
        ? { reply_parameters: { message_id: options.replyTo, allow_sending_without_reply: true } }
        : {};
    // The buttons go under the last part, where the reader ends.
    const last = i === parts.length - 1 && keyboard ? { reply_markup: keyboard } : {};
    await api.sendMessage(chatId, part, {
      link_preview_options: { is_disabled: true },
      ...sound,
      ...first,
      ...last,
    });
  }
}

async function sendFailed(
  deps: Omit<RefusalDeps, "api">,
  api: Api,
  chatId: number,
  error: unknown,
): Promise<SendFailure> {
  const failure = failureOf(error);
  if (failure === "refused") {
    deps.log.warn({ chatId, err: error }, "notice not delivered: the chat refuses");
    await chatRefused({ ...deps, api }, chatId, error);
  } else {
    // Telegram rejects the message itself, or is down: nothing wrong with the chat to tell the admins.
    deps.log.error({ chatId, err: error }, "notice not delivered");
  }
  return failure;
}

/**
 * Announces a change already made, one step after another: a step that throws (Telegram out of reach
 * once auto-retry gave up, say) is logged and the next still runs, so one chat's failure neither keeps
 * the others from hearing nor shows the person an error for a change that was made.
 */
export async function announceEach(
  log: Logger,
  what: string,
  ...steps: (() => Promise<unknown>)[]
): Promise<void> {
  for (const step of steps) {
    try {
      await step();
    } catch (err) {
      log.error({ err }, `${what}: an announcement failed`);
    }
  }
}

/** How the bot reaches people unasked: as a refused chat is handled, and who is on leave now. */
export type NoticeDeps = Omit<RefusalDeps, "api"> & Pick<AppDeps, "sla">;

/**
 * The curators' chat, or each curator privately when no chat is bound (not those who block the bot,
 * nor those on leave unless all are). Whether any of them got it.
 */
export async function notifyCurators(
  deps: NoticeDeps,
  api: Api,
  text: string,
  keyboard?: InlineKeyboard,
  options: NoticeOptions = {},
): Promise<boolean> {
  return reachCurators(deps, async (chats) => {
    let told = false;
    for (const chatId of chats) if (await sendLong(deps, api, chatId, text, keyboard, options)) told = true;
    return told;
  });
}

/**
 * Shows something to the curators: in their chat, or each of them privately when none is bound, or
 * when the bound chat did not take it (the bot removed before Telegram said so); privately, not
 * those on leave, unless all are (see withoutAway). Whether any got it.
 */
export async function reachCurators(
  deps: PresenceDeps,
  show: (chatIds: number[]) => Promise<boolean>,
): Promise<boolean> {
  const { db } = deps;
  if (await show(present(deps, reachableCuratorChats(db), true))) return true;
  return (
    findBoundChatByPurpose(db, "curators") !== undefined &&
    (await show(present(deps, reachableWithRole(db, "curator"), true)))
  );
}

/**
 * Where an organization hears unasked: its work chat, or its executors privately when it has none
 * (not those who block the bot, nor those on leave: all of them away, the curators hear instead).
 */
export function organizationChats(deps: PresenceDeps, organizationId: number): number[] {
  const chat = chatOfOrganization(deps.db, organizationId);
  return chat !== undefined ? [chat] : present(deps, reachableMembers(deps.db, [organizationId]));
}

/**
 * The private chat of one of the organization's executors, for his own news beside organizationChats:
 * none once he is no longer its member, blocks the bot (see telegramIdOfMember) or is on leave.
 */
export function memberChat(
  deps: PresenceDeps,
  personId: number | null,
  organizationId: number,
): number | undefined {
  const chatId = personId === null ? undefined : telegramIdOfMember(deps.db, personId, organizationId);
  return chatId === undefined ? undefined : present(deps, [chatId])[0];
}

/** A notice nobody at the organization could get goes to the curators, saying whose it was. Whether they got it. */
export async function tellCuratorsInsteadOf(
  deps: NoticeDeps,
  api: Api,
  organizationId: number,
  text: string,
  options: NoticeOptions = {},
): Promise<boolean> {
  const name = organizationNames(deps.db, [organizationId]).get(organizationId) ?? "";
  return notifyCurators(deps, api, t.alert.insteadOfOrganization(text, name), undefined, options);
}

/** A notice to the organization (see organizationChats): whether anyone there got it. */
export async function tellOrganization(
  deps: NoticeDeps,
  api: Api,
  organizationId: number,
  text: string,
  keyboard?: InlineKeyboard,
  options: NoticeOptions = {},
): Promise<boolean> {
  let told = false;
  for (const chatId of organizationChats(deps, organizationId))
    if (await sendLong(deps, api, chatId, text, keyboard, options)) told = true;
  return told;
}

/**
 * An organization's notice, the curators told instead when nobody there got it: who heard it. The
 * keyboard is the organization's to act on: the curators get the notice without it.
 */
export async function notifyOrganization(
  deps: AppDeps,
  api: Api,
  organizationId: number,
  text: string,
  keyboard?: InlineKeyboard,
  options: NoticeOptions = {},
): Promise<"organization" | "curators" | "nobody"> {
  if (await tellOrganization(deps, api, organizationId, text, keyboard, options)) return "organization";
  return (await tellCuratorsInsteadOf(deps, api, organizationId, text, options)) ? "curators" : "nobody";
}

/**
 * The cards after an action that may hand the post to a chat that had none (routing, a co-executor's
 * turn). Nobody is pinged at night: outside working time the new cards of a post that is not
 * significant arrive without sound. An organization that gains the post again (it returned it, or
 * it was taken from it, `before`), or a co-executor made the lead, gets its card anew, below, where
 * its people see and hear it: an edit of the card it kept far up the chat would make no sound; that
 * one loses its buttons. The private card of a person in another organization that keeps the post
 * is the one he works from: it is edited in place, with both parts, not sent a second time, and he
 * is told so in a short notice that rings as a new card would (see tellOfKeptCard).
 */
export async function syncHandOver(
  deps: AppDeps,
  api: Api,
  incident: Incident,
  before?: Incident,
): Promise<void> {
  const kept: KeptCard[] = [];
  if (before) {
    const had = new Set(receivedAssignments(before).map((a) => a.organizationId));
    // A co-executor made the lead gains the answer, with its return window and clocks: heard too.
    const lead = leadAssignment(incident)?.organizationId;
    const promoted = lead !== undefined && had.has(lead) && leadAssignment(before)?.organizationId !== lead;
    const gained = receivedAssignments(incident)
      .map((a) => a.organizationId)
      .filter((id) => !had.has(id) || (promoted && id === lead));
    for (const target of cardTargets(deps.db, incident)) {
      const { audience } = target;
      if (audience.kind !== "organization") continue;
      const theirs = audience.organizationIds.filter((id) => gained.includes(id));
      if (theirs.length === 0) continue;
      if (theirs.length < audience.organizationIds.length) {
        const messageId = cardMessageId(deps.db, incident.id, target.chatId);
        if (messageId !== undefined) kept.push({ chatId: target.chatId, messageId, gained: theirs });
        continue;
      }
      // Once: handled again after a crash, the card sent below then is the one kept.
      await oncePerUpdate(deps, `card-anew:${incident.id}`, target.chatId, async () => {
        const old = forgetCard(deps.db, incident.id, target.chatId);
        if (old === undefined) return true;
        await api
          .editMessageReplyMarkup(target.chatId, old, { reply_markup: new InlineKeyboard() })
          .catch((error: unknown) => {
            if (!(error instanceof GrammyError)) throw error;
          });
        return true;
      });
    }
  }
  await syncCards(cardDeps(deps, api), incident, [], { silent: quietNow(deps, incident) });
  for (const card of kept) await tellOfKeptCard(deps, api, incident, card);
}

/** A person's private card kept for another of his organizations, and those of his that gained the post. */
interface KeptCard {
  chatId: number;
  messageId: number;
  gained: number[];
}

/**
 * The kept card edited rings no phone, yet its person must now act for the organization that gained
 * the post: a short notice, in reply to the card, once for each such organization's receipt. A card
 * sent anew instead (the old one gone) has rung already.
 */
async function tellOfKeptCard(deps: AppDeps, api: Api, incident: Incident, card: KeptCard): Promise<void> {
  if (cardMessageId(deps.db, incident.id, card.chatId) !== card.messageId) return;
  for (const assignment of receivedAssignments(incident)) {
    if (!card.gained.includes(assignment.organizationId)) continue;
    const key = `kept-card:${incident.id}:${card.chatId}:${assignment.organizationId}:${assignment.receivedAt.getTime()}`;
    if (noticeClaimed(deps.db, key)) continue;
    const text = tr.accept.alsoYours(incident.id, assignment.organizationName);
    await sendLong(deps, api, card.chatId, text, undefined, {
      ...ringFor(incident),
      replyTo: card.messageId,
    });
    claimNotice(deps.db, key, deps.clock.now());
  }
}

/**
 * Whether news of this post goes without sound now: outside the working day's span (its lunch break
 * rings), unless it is significant.
 */
export function quietNow(deps: Pick<AppDeps, "sla" | "clock">, incident: Incident): boolean {
  return !ringFor(incident).ring && !deps.sla.workingTime.isWorkingDaySpan(deps.clock.now());
}

/**
 * How news of this post sounds (the `options` of sendLong, sendDraft and the like): a significant
 * post's rings at any hour, its answer awaited at once; any other goes quietly at night
 * (quietOutsideWorkingTime).
 */
export function ringFor(incident: Incident): { ring: boolean } {
  return { ring: incident.row.importance === "significant" };
}

/** Which buttons a card shown in this chat to this person should carry. */
export function audienceFor(
  deps: AppDeps,
  incident: Incident,
  person: Person | undefined,
  chatId: number,
): Audience {
  const bound = findBoundChat(deps.db, chatId);
  // An organization still waiting for its turn (Orenburg p.14) looks on as anyone else.
  const live = receivedAssignments(incident);
  if (bound?.purpose === "curators") return { kind: "curators" };
  if (bound?.organizationId != null) {
    const organizationId = bound.organizationId;
    return live.some((a) => a.organizationId === organizationId)
      ? { kind: "organization", organizationIds: [organizationId] }
      : { kind: "observer", organizationId };
  }
  if (chatId !== person?.telegramId) return { kind: "observer" };
  // A curator who is also an executor of an organization that has the post sees, privately, the
  // executor's card, as the card kept in that chat (cardTargets) shows it: the curator's is in theirs.
  const mine = privateAudience(incident, person.organizationIds, person.id);
  if (mine) return mine;
  if (hasRole(person, "curator")) return { kind: "curators" };
  return onlookerAudience(deps.db, incident, person);
}

/** The forum topic a message is in (one sent there, or the message under a pressed button): a card asked for there goes there. */
export function topicOf(
  message: Pick<Message, "is_topic_message" | "message_thread_id"> | undefined,
): number | undefined {
  return message?.is_topic_message ? message.message_thread_id : undefined;
}

/**
 * Shows the incident's card at the bottom of a chat (of its forum topic `threadId`, where it was
 * asked for): the older card there loses its buttons and the new one is the one kept up to date from
 * now on.
 */
export async function showCardIn(
  deps: AppDeps,
  api: Api,
  incidentId: number,
  chatId: number,
  person: Person | undefined,
  threadId?: number,
): Promise<void> {
  const incident = loadIncident(deps.db, incidentId);
  if (!incident) return;
  const old = forgetCard(deps.db, incidentId, chatId);
  if (old !== undefined) {
    try {
      await api.editMessageReplyMarkup(chatId, old, { reply_markup: new InlineKeyboard() });
    } catch (error) {
      if (!(error instanceof GrammyError)) throw error;
    }
  }
  await syncCards(cardDeps(deps, api), incident, [
    { chatId, audience: audienceFor(deps, incident, person, chatId), threadId },
  ]);
}

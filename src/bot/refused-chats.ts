/**
 * Telegram refuses what the bot sends unasked (a deadline alert, a card): the person blocked the bot,
 * the bot was removed from a group, the chat is gone or the bot may not write there. The change the
 * message was about is made already; what is left is that somebody who can act hears of it — the
 * admins, told here.
 */
import { type Api, GrammyError } from "grammy";
import type { Logger } from "pino";
import { findBoundChat, forgetBoundTopic, migrateChat } from "../app/chats.js";
import { giveBackNotice, leaseNotice, releaseNotice, settleNotice } from "../app/notices.js";
import { isBlocked, markBlocked, telegramIdsWithRole } from "../app/people.js";
import type { Clock } from "../clock.js";
import type { Db } from "../db/client.js";
import { t } from "./texts.js";

export interface RefusalDeps {
  api: Api;
  db: Db;
  log: Logger;
  clock: Clock;
  /** ADMIN_IDS; without them the registered admins, which is every admin Telegram lets the bot write to. */
  config?: { adminIds: number[] };
}

/**
 * The Bad Requests that are about the chat, not the message: it is gone or unknown, the bot may not
 * write there, the person's account is deleted, or the group became a supergroup under a new id
 * (the binding follows it when Telegram's service message comes, see features/chats.ts; until then
 * the old id refuses). Telegram's own wording, matched in part and in any case.
 */
const CHAT_REFUSES = new RegExp(
  [
    "chat not found",
    "PEER_ID_INVALID",
    "user not found",
    "USER_IS_BLOCKED",
    "user is deactivated",
    "group chat was deactivated",
    "group is deactivated",
    "CHANNEL_PRIVATE",
    "have no rights to send a message",
    "not enough rights to send",
    "need administrator rights in the channel chat",
    "CHAT_WRITE_FORBIDDEN",
    "CHAT_RESTRICTED",
    "group chat was upgraded to a supergroup chat",
  ].join("|"),
  "i",
);

/**
 * A chat's refusal: every 403, and a 400 that says the chat cannot be reached or written to. Any
 * other 400 (a text too long, a button's data, an edit of a message that is gone) is the message's
 * fault, not the chat's; "later" (429, 5xx) and network errors are no refusal either.
 */
export function isRefusal(error: GrammyError): boolean {
  return error.error_code === 403 || (error.error_code === 400 && CHAT_REFUSES.test(error.description));
}

/**
 * How a send failed: the chat refuses (see isRefusal); Telegram rejects the message itself (any other
 * Bad Request: a text too long, a bad button — sent again it fails again, and the chat is not to
 * blame); or it failed for now (no network, Telegram's 5xx, a 429 that auto-retry gave up on).
 */
export type SendFailure = "refused" | "rejected" | "failed";

export function failureOf(error: unknown): SendFailure {
  if (!(error instanceof GrammyError)) return "failed";
  if (isRefusal(error)) return "refused";
  return error.error_code === 400 ? "rejected" : "failed";
}

const unreachableKey = (chatId: number) => `chat-unreachable:${chatId}`;

/**
 * The admins hear once, across restarts and processes, that a chat does not take the bot's messages
 * — once until the chat takes them again (see chatWritableAgain).
 */
export async function tellAdminsChatUnreachable(deps: RefusalDeps, chatId: number): Promise<void> {
  const bound = findBoundChat(deps.db, chatId);
  const chat = bound && { title: bound.title, organization: bound.organizationName, purpose: bound.purpose };
  // Never thrown: the caller's other recipients still get theirs.
  await tellAdminsOnce(deps, unreachableKey(chatId), t.alert.chatUnreachable(chatId, chat));
}

const NO_CURATORS = "no-curators";

/**
 * A post registered that no curator can be shown (none yet, or all block the bot): logged, and the
 * admins hear it once, across restarts and processes — once until the curators are reached again
 * (see curatorsReached), not at each post of a stream. `waiting`: the posts waiting to be routed.
 */
export async function tellAdminsNoCurators(
  deps: RefusalDeps,
  incidentId: number,
  waiting: number,
): Promise<void> {
  deps.log.warn({ incidentId, waiting }, "post registered, but there is no curator to route it");
  await tellAdminsOnce(deps, NO_CURATORS, t.alert.noCurators(incidentId, waiting));
}

/** A curator can be shown posts again: the next post that reaches none is told to the admins again. */
export function curatorsReached(db: Db): void {
  releaseNotice(db, NO_CURATORS);
}

/**
 * Tells the admins (and the chats `also`) once under the ledger's `key`, across restarts and
 * processes: leased, not claimed, before the send, so one a stop cut short is told at a try after
 * the lease. Nobody told though somebody could be (Telegram's 5xx, a 429 given up on, Telegram out
 * of reach, no admin yet), the lease is given back and the next try tells them; with every admin
 * blocking the bot there is nobody to try again for. Never thrown: the caller's own work goes on.
 * False when given back; true once told, or told before, or on its way from another try.
 */
export async function tellAdminsOnce(
  deps: RefusalDeps,
  key: string,
  text: string,
  also: number[] = [],
): Promise<boolean> {
  const { db, log } = deps;
  try {
    if (!leaseNotice(db, key, ADMIN_NOTICE_LEASE_MS, deps.clock.now())) return true;
  } catch (err) {
    // The database refuses writes (the disk full, closed by a stop): a try after it tells them.
    log.error({ err, key }, "an admins' notice could not be leased");
    return false;
  }
  const config = deps.config ?? { adminIds: [] };
  let settled = false;
  try {
    const told = await notifyAdmins({ ...deps, config }, text, also);
    settled = told > 0 || !mayBeTold(db, config, also);
  } catch (err) {
    log.warn({ err, key }, "could not tell the admins; told at the next try");
  }
  // A stop closed the database meanwhile: the lease lapses, and a start after it tells them.
  if (!db.$client.open) return settled;
  try {
    if (settled) settleNotice(db, key, deps.clock.now());
    else giveBackNotice(db, key);
  } catch (err) {
    // The database refuses writes (the disk full): the lease lapses, and a try after it tells them.
    log.error({ err, key }, "an admins' notice could not be recorded");
  }
  return settled;
}

/**
 * Whether an admins' notice nobody got may reach somebody later: there is no admin yet, or an admin
 * (or a chat `also`) does not block the bot.
 */
function mayBeTold(db: Db, config: { adminIds: number[] }, also: number[]): boolean {
  const admins = adminChats(db, config);
  return admins.length === 0 || [...admins, ...also].some((telegramId) => !isBlocked(db, telegramId));
}

/** A notice to the admins not settled within this long was cut short by a stop: told again. */
export const ADMIN_NOTICE_LEASE_MS = 5 * 60_000;

/**
 * The bot may write in the group again (its rights given back, the group bound anew): a refusal later
 * is told to the admins again.
 */
export function chatWritableAgain(db: Db, chatId: number): void {
  releaseNotice(db, unreachableKey(chatId));
}

/**
 * A person whose private chat refuses (they blocked the bot, their account is deleted, Telegram knows
 * no such chat) is marked so: the admins see it in «Сотрудники», and what the bot writes unasked
 * stops going to them until they write or unblock. A group that refuses is told to the admins once.
 * Only for a refusal (see isRefusal): a message Telegram rejects says nothing of the chat.
 */
export async function chatRefused(deps: RefusalDeps, chatId: number, error: unknown): Promise<void> {
  if (failureOf(error) !== "refused") return;
  // A group upgraded to a supergroup, Telegram's service message not handled yet: no refusal, a move.
  const to = error instanceof GrammyError ? error.parameters.migrate_to_chat_id : undefined;
  if (to !== undefined) {
    await followMigration(deps, chatId, to);
    return;
  }
  // Telegram gives private chats the person's (positive) id and groups negative ones.
  if (chatId > 0) {
    markBlocked(deps.db, chatId, deps.clock.now());
    return;
  }
  await tellAdminsChatUnreachable(deps, chatId);
}

/**
 * A group became a supergroup under a new id (said by Telegram's service message, or by a send to
 * the old id refused with the new one): the binding follows, and the admins hear so, once.
 */
export async function followMigration(
  deps: RefusalDeps,
  fromChatId: number,
  toChatId: number,
): Promise<void> {
  if (!migrateChat(deps.db, { fromChatId, toChatId, now: deps.clock.now() })) return;
  deps.log.info({ fromChatId, toChatId }, "bound chat migrated to a supergroup");
  const title = findBoundChat(deps.db, toChatId)?.title ?? String(toChatId);
  await notifyAdmins({ ...deps, config: deps.config ?? { adminIds: [] } }, t.chat.migrated(title));
}

/**
 * The forum topic a chat was bound in is gone or closed to the bot: the chat is served in its general
 * topic from now on, and the admins are told once, to bind it in another topic if they wish.
 */
export async function topicLost(deps: RefusalDeps, chatId: number, threadId: number): Promise<void> {
  if (!forgetBoundTopic(deps.db, { chatId, threadId, now: deps.clock.now() })) return;
  deps.log.warn({ chatId, threadId }, "bound chat's topic gone: the bot writes to its general topic");
  const bound = findBoundChat(deps.db, chatId);
  if (!bound) return;
  await notifyAdmins({ ...deps, config: deps.config ?? { adminIds: [] } }, t.chat.topicLost(bound.title));
}

/** The admins' private chats: the registered admins and those of ADMIN_IDS who may not have written yet. */
const adminChats = (db: Db, config: { adminIds: number[] }) => [
  ...new Set([...telegramIdsWithRole(db, "admin"), ...config.adminIds]),
];

/**
 * Tells every admin privately (registered ones and those of ADMIN_IDS who may not have written
 * yet). An admin who blocks the bot is skipped, one found refusing now is marked so; the others still
 * get the message. With every admin blocking the bot nobody can be told: that is logged as an error,
 * with the text. Never throws on Telegram's refusals: a notice must not break the caller. Returns how
 * many got it. `also`: other chats told the same (the curators' of a restore's notice).
 */
export async function notifyAdmins(
  deps: { api: Api; db: Db; log: Logger; clock: Clock; config: { adminIds: number[] } },
  text: string,
  also: number[] = [],
): Promise<number> {
  let delivered = 0;
  const admins = adminChats(deps.db, deps.config);
  for (const telegramId of new Set([...admins, ...also])) {
    if (isBlocked(deps.db, telegramId)) continue;
    try {
      await deps.api.sendMessage(telegramId, text);
      delivered++;
    } catch (error) {
      if (!(error instanceof GrammyError)) throw error;
      await chatRefused(deps, telegramId, error);
      deps.log.warn({ telegramId, error: error.description }, "could not tell an admin");
    }
  }
  if (admins.length > 0 && admins.every((telegramId) => isBlocked(deps.db, telegramId)))
    deps.log.error({ admins, text }, "no admin can be told: every admin blocks the bot");
  return delivered;
}

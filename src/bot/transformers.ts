import type { Transformer } from "grammy";
import { currentUpdate } from "../app/update-scope.js";
import type { Db } from "../db/client.js";
import { onDisk } from "../db/durability.js";
import { clip } from "../domain/clip.js";

/** Telegram's "yes" to a call whose effect is already there. */
const done = <R>(): R => ({ ok: true, result: true }) as unknown as R;

/**
 * A button's pop-up that Telegram no longer takes (the press is older than its ~15 s window, or was
 * answered before a crash and is answered again at start) is not worth failing the press for: the
 * change is made and the cards and notices must still go out. Any other refusal (a pop-up text too
 * long, say) is still an error.
 */
const STALE_QUERY = /query is too old|query ID is invalid/i;

export const tolerateStaleCallbackAnswers: Transformer = async (prev, method, payload, signal) => {
  const result = await prev(method, payload, signal);
  if (method === "answerCallbackQuery" && !result.ok && STALE_QUERY.test(result.description)) return done();
  return result;
};

/**
 * Notes in the update's scope that its press was answered (or, stale, can be answered no more), so
 * that a failure after it is told in the chat rather than as a pop-up Telegram would not show.
 */
export const notePressAnswered: Transformer = async (prev, method, payload, signal) => {
  const result = await prev(method, payload, signal);
  const scope = currentUpdate();
  if (method === "answerCallbackQuery" && result.ok && scope) scope.pressAnswered = true;
  return result;
};

/** A press's pop-up holds at most 200 characters: Telegram refuses a longer one, and the press spins on. */
const POP_UP_LIMIT = 200;

/**
 * A pop-up that names a long official name, say, is cut to Telegram's limit rather than refused:
 * the person still hears what happened.
 */
export const fitPopUps: Transformer = (prev, method, payload, signal) => {
  const text = (payload as { text?: string } | undefined)?.text;
  if (method !== "answerCallbackQuery" || !text || text.length <= POP_UP_LIMIT)
    return prev(method, payload, signal);
  return prev(method, { ...payload, text: clip(text, POP_UP_LIMIT) } as typeof payload, signal);
};

/**
 * An edit that would change nothing ("message is not modified": a double tap on a list page, a card
 * already showing the new state, a press handled again after a crash) has its effect already.
 */
const UNMODIFIED = /message is not modified/i;

export const tolerateUnmodifiedEdits: Transformer = async (prev, method, payload, signal) => {
  const result = await prev(method, payload, signal);
  if (method.startsWith("editMessage") && !result.ok && UNMODIFIED.test(result.description)) return done();
  return result;
};

/** The methods that put a new message in a chat: only these ring a phone. */
const SENDING = new Set([
  "sendMessage",
  "sendPhoto",
  "sendVideo",
  "sendDocument",
  "sendMediaGroup",
  "sendAnimation",
  "sendAudio",
  "sendVoice",
  "copyMessage",
  "forwardMessage",
]);

/** Telegram's refusal of a forum topic that is no more, or closed to the bot. */
const TOPIC_GONE = /thread not found|TOPIC_CLOSED|TOPIC_DELETED|TOPIC_ID_INVALID/i;

/**
 * What the bot sends of itself to a chat bound in a forum topic goes to that topic (`topicOf`):
 * cards, notices, alerts. What it sends to the chat an update came from goes where the person wrote
 * (its topic, or the general one). A message given its own topic, or a reply (which goes where its
 * message is), is left as it is. A bound topic Telegram no longer takes (`lost`) is forgotten and the
 * message goes to the chat's general topic instead, as every later one does.
 */
export function intoBoundTopics(
  topicOf: (chatId: number) => number | undefined,
  lost: (chatId: number, threadId: number) => Promise<void>,
): Transformer {
  return async (prev, method, payload, signal) => {
    const call = payload as { chat_id?: unknown; message_thread_id?: unknown; reply_parameters?: unknown };
    const chatId = call?.chat_id;
    // Telegram gives groups negative ids.
    const own =
      SENDING.has(method) &&
      typeof chatId === "number" &&
      chatId < 0 &&
      call.message_thread_id === undefined &&
      call.reply_parameters === undefined;
    const from = currentUpdate();
    const here = own && from?.chatId === chatId;
    const threadId = !own ? undefined : here ? from?.threadId : topicOf(chatId as number);
    if (threadId === undefined) return prev(method, payload, signal);
    const result = await prev(method, { ...payload, message_thread_id: threadId } as typeof payload, signal);
    if (here || result.ok || !TOPIC_GONE.test(result.description)) return result;
    await lost(chatId as number, threadId);
    return prev(method, payload, signal);
  };
}

/**
 * Nobody is pinged at night (PRODUCT.md, "Alerts and reports"): while `quiet()` (outside the working
 * day's span; its lunch break is not quiet, people are back at work soon) a message goes without
 * sound, unless its sender decided (`disable_notification: false` for a significant post, its alerts
 * and its cards).
 */
export function quietOutsideWorkingTime(quiet: () => boolean): Transformer {
  return (prev, method, payload, signal) => {
    const decided = (payload as { disable_notification?: boolean } | undefined)?.disable_notification;
    if (!SENDING.has(method) || decided !== undefined || !quiet()) return prev(method, payload, signal);
    return prev(method, { ...payload, disable_notification: true } as typeof payload, signal);
  };
}

/**
 * A call goes out once every commit before it is on the disk (db/durability.ts): nobody hears of a
 * change a power cut could undo, and the next getUpdates, which tells Telegram the last updates
 * arrived, waits until their arrivals are safe.
 */
export function onlyWhatIsOnDisk(db: Db): Transformer {
  return async (prev, method, payload, signal) => {
    await onDisk(db);
    return prev(method, payload, signal);
  };
}

/**
 * A group upgraded to a supergroup: Telegram refuses a call to its old id with the new one
 * (`migrate_to_chat_id`). `moved` follows it (the binding, the admins told) and the call is made
 * again to the new id at once, so the card, alert or report reaches the chat rather than being
 * counted as refused.
 */
export function followMigratedChats(moved: (from: number, to: number) => Promise<void>): Transformer {
  return async (prev, method, payload, signal) => {
    const result = await prev(method, payload, signal);
    const to = result.ok ? undefined : result.parameters?.migrate_to_chat_id;
    const from = (payload as { chat_id?: unknown } | undefined)?.chat_id;
    if (to === undefined || typeof from !== "number" || from === to) return result;
    await moved(from, to);
    return prev(method, { ...payload, chat_id: to } as typeof payload, signal);
  };
}

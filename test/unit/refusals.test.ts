import { GrammyError } from "grammy";
import { describe, expect, it } from "vitest";
import { isRefusal } from "../../src/bot/refused-chats.js";

/** Telegram's answer to a sendMessage, as grammY throws it. */
function telegramError(error_code: number, description: string): GrammyError {
  return new GrammyError(
    `Call to 'sendMessage' failed! (${error_code}: ${description})`,
    { ok: false, error_code, description },
    "sendMessage",
    {},
  );
}

describe("isRefusal: the chat does not take the bot's messages", () => {
  it.each([
    "Forbidden: bot was blocked by the user",
    "Forbidden: bot was kicked from the group chat",
    "Forbidden: bot is not a member of the supergroup chat",
    "Forbidden: user is deactivated",
    "Forbidden: bot can't initiate conversation with a user",
  ])("every 403: «%s»", (description) => {
    expect(isRefusal(telegramError(403, description))).toBe(true);
  });

  it.each([
    "Bad Request: chat not found",
    "Bad Request: PEER_ID_INVALID",
    "Bad Request: user not found",
    "Bad Request: USER_IS_BLOCKED",
    "Bad Request: user is deactivated",
    "Bad Request: group chat was deactivated",
    "Bad Request: have no rights to send a message",
    "Bad Request: not enough rights to send text messages to the chat",
    "Bad Request: CHAT_WRITE_FORBIDDEN",
    "Bad Request: CHAT_RESTRICTED",
    "Bad Request: group chat was upgraded to a supergroup chat",
    "Bad Request: Chat Not Found",
  ])("a 400 about the chat: «%s»", (description) => {
    expect(isRefusal(telegramError(400, description))).toBe(true);
  });
});

describe("isRefusal: the message is at fault, or Telegram is busy — the chat is fine", () => {
  it.each([
    "Bad Request: message is too long",
    "Bad Request: message text is empty",
    'Bad Request: can\'t parse entities: Unsupported start tag "b1" at byte offset 0',
    "Bad Request: message to edit not found",
    "Bad Request: message can't be edited",
    "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message",
    "Bad Request: BUTTON_DATA_INVALID",
    "Bad Request: query is too old and response timeout expired or query ID is invalid",
    "Bad Request: message to be replied not found",
    "Bad Request: wrong file identifier/HTTP URL specified",
  ])("a 400 about the message: «%s»", (description) => {
    expect(isRefusal(telegramError(400, description))).toBe(false);
  });

  it.each([
    [429, "Too Many Requests: retry after 5"],
    [500, "Internal Server Error"],
    [502, "Bad Gateway"],
    [409, "Conflict: terminated by other getUpdates request"],
  ])("%i: «%s»", (code, description) => {
    expect(isRefusal(telegramError(code, description))).toBe(false);
  });
});

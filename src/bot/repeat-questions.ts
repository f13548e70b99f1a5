/**
 * The repeat question's copies (one in the curators' chat, or one for each curator; see
 * repeatQuestionCopies) once the post's question is decided, wherever it was decided: its own buttons,
 * the card's «Повторное к …», the post answered or closed.
 */
import { type Api, GrammyError, HttpError } from "grammy";
import type { Logger } from "pino";
import type { IncidentRow } from "../app/incidents.js";
import {
  forgetRepeatQuestion,
  type RepeatQuestionCopy,
  repeatQuestionCopies,
  repeatQuestionLeftOver,
} from "../app/intake.js";
import type { Db } from "../db/client.js";
import { failureOf } from "./refused-chats.js";
import { ti } from "./texts-intake.js";

/**
 * Every copy says what was decided and by whom (without `decided`, keeps its text) and loses its
 * buttons: nobody answers it twice. The decision stands; a copy Telegram no longer lets edit is
 * logged, and hears what was decided when pressed. Resolves to the copies done with: edited, or
 * refused for good (gone, too old, the chat refusing) — not those Telegram could not take for now.
 */
export async function settleRepeatQuestion(
  deps: { api: Api; db: Db; log: Logger },
  incidentId: number,
  decided?: string,
): Promise<RepeatQuestionCopy[]> {
  const settled: RepeatQuestionCopy[] = [];
  for (const copy of repeatQuestionCopies(deps.db, incidentId)) {
    const { chatId, messageId } = copy;
    try {
      if (decided) await deps.api.editMessageText(chatId, messageId, decided);
      else await deps.api.editMessageReplyMarkup(chatId, messageId);
      settled.push(copy);
    } catch (error) {
      if (!(error instanceof GrammyError) && !(error instanceof HttpError)) throw error;
      deps.log.warn({ chatId, messageId, incidentId, error: error.message }, "repeat question not settled");
      if (failureOf(error) !== "failed") settled.push(copy);
    }
  }
  return settled;
}

/**
 * A question nobody answered before the post's answer was out or the post was closed says which, and
 * loses its buttons, once: its copies are forgotten then, and the post's later syncs (cards.ts) pass
 * them by. A copy Telegram could not edit for now (no network, its 5xx) is kept for the next sync to
 * try again: forgotten, it would keep its buttons. A press on a copy Telegram did not let edit is
 * refused with why (features/intake.ts).
 */
export async function retireRepeatQuestion(
  deps: { api: Api; db: Db; log: Logger },
  row: IncidentRow,
): Promise<void> {
  if (!repeatQuestionLeftOver(deps.db, row)) return;
  const { id, state, closedReason } = row;
  const over =
    state === "answered" ? ti.repeatTooLate(id) : closedReason ? ti.closed[closedReason](id) : undefined;
  forgetRepeatQuestion(deps.db, id, await settleRepeatQuestion(deps, id, over));
}
